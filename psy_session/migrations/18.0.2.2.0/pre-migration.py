# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""18.0.2.2.0: sessions have a close-out state, and the time the patient arrived.

The arrival was not recorded before: it stays empty.

The columns are created empty, filled by batches in the end-migration
(``psy_session.upgrades``)."""

from odoo.addons.psy_session.upgrades import add_empty_columns

COLUMNS = (
    ("closeout_state", "varchar"),
    ("closeout_attendance_missing", "boolean"),
    ("arrived_at", "timestamp"),
)


def migrate(cr, version):
    if version:
        add_empty_columns(cr, COLUMNS)
