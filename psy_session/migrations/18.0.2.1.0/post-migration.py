# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""18.0.2.1.0: a session's title is computed when it is read, in the reader's
language ("Ana López · Terapia individual"), and no longer stored in the
language of whoever booked it: drop the column that kept the old titles. The
calendar entries of the sessions are renamed to the language-neutral name
they now carry (who the session is for), a thousand sessions at a time: a
network of centers holds a million of them, which one recordset does not
hold in memory."""

from odoo import SUPERUSER_ID, api

BATCH = 1000


def migrate(cr, version):
    if not version:
        return
    cr.execute("ALTER TABLE psy_session DROP COLUMN IF EXISTS name")
    env = api.Environment(cr, SUPERUSER_ID, {})
    Session = env["psy.session"]
    ids = Session.search([("calendar_event_id", "!=", False)], order="id").ids
    for start in range(0, len(ids), BATCH):
        Session.browse(ids[start : start + BATCH])._psy_refresh_calendar_names()
        env.flush_all()
        env.invalidate_all()
