# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""What the migrations of the modules that add a close-out condition share.

A stored field computed for every session would be computed by the ORM for
the whole history at once when its module is upgraded: a network of centers
holds a million sessions, which one recordset does not hold in memory. Its
pre-migration creates the column empty instead (:func:`add_empty_columns`),
and its end-migration fills it by batches once every module's code is loaded
(:func:`fill_closeout`)."""

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL


def add_empty_columns(cr, columns, table="psy_session"):
    """Create the ``(name, type)`` columns of ``table`` that are missing,
    without a default (Odoo's ``create_column`` gives booleans false):
    empty is what :func:`fill_closeout` fills."""
    for name, column_type in columns:
        cr.execute(
            SQL(
                "ALTER TABLE %s ADD COLUMN IF NOT EXISTS %s %s",
                SQL.identifier(table),
                SQL.identifier(name),
                SQL(column_type),
            )
        )


def fill_closeout(cr):
    """Compute, by batches, the close-out of the sessions that have an
    empty close-out column: the first end-migration fills them all, the
    next ones find nothing left."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    return env["psy.session"]._psy_closeout_fill()
