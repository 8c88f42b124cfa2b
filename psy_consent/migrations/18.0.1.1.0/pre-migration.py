# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""18.0.1.1.0: a session stays open while a participant had no valid
consent at its start.

The column is created empty here, before the ORM would compute it for the
whole history of sessions in one go (a network of centers holds a million
of them); the end-migration fills it by batches."""

from odoo.tools import SQL

COLUMNS = (("closeout_consent_missing", "boolean"),)


def migrate(cr, version):
    if not version:
        return
    # Without a default (Odoo's create_column gives booleans false): empty
    # is what the end-migration fills.
    for name, column_type in COLUMNS:
        cr.execute(
            SQL(
                "ALTER TABLE psy_session ADD COLUMN IF NOT EXISTS %s %s",
                SQL.identifier(name),
                SQL(column_type),
            )
        )
