# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""18.0.1.1.0: a session stays open until it is paid.

The columns are created empty, filled by batches in the end-migration
(``psy_session.upgrades``)."""

from odoo.addons.psy_session.upgrades import add_empty_columns

COLUMNS = (("closeout_payment_missing", "boolean"),)


def migrate(cr, version):
    if version:
        add_empty_columns(cr, COLUMNS)
