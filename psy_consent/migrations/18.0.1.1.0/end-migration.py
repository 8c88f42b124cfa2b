# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""18.0.1.1.0: fill the close-out columns created empty by the pre-migrations,
by batches, now that every module's code is loaded."""

from odoo.addons.psy_session.upgrades import fill_closeout


def migrate(cr, version):
    if version:
        fill_closeout(cr)
