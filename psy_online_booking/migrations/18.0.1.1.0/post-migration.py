# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""18.0.1.1.0: a booking request's title is computed when it is read, in the
reader's language, and no longer stored in the visitor's language: drop the
column that kept the old titles."""


def migrate(cr, version):
    if not version:
        return
    cr.execute("ALTER TABLE psy_booking_request DROP COLUMN IF EXISTS name")
