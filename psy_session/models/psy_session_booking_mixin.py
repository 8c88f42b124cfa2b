# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import re

from psycopg2 import errors as pg_errors

from odoo import api, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL, mute_logger

# Sessions in these states free their time slot.
FREE_STATES = ("cancelled", "late_cancelled")

# Booked resource of each exclusion constraint, by the key of the constraint
# in _sql_constraints (its name in the database is "<table>_<key>").
BOOKING_CONSTRAINTS = {
    "professional_no_overlap": "professional_id",
    "room_no_overlap": "room_id",
    "patient_no_overlap": "patient_id",
}
# Fields whose change can move or extend a booking (the end follows the type).
BOOKING_FIELDS = {"start", "stop", "state", "product_id", *BOOKING_CONSTRAINTS.values()}

# The detail of an exclusion violation ends with the existing key, e.g.
# "... conflicts with existing key (int4range(professional_id, ...),
# tsrange(start, stop, ...))=([7,8), ["2026-11-24 10:00:00","2026-11-24
# 10:50:00"))." Only the values are read, so the server's message language
# does not matter.
CONFLICT_KEY_RE = re.compile(r"=\(\[(\d+),\d+\), \[\"?([^\",]+)\"?,\"?([^\")]+)\"?\)\)")


def _exclusion(column):
    """No two sessions holding the slot share ``column``: an integer
    compared as a one-value range, so that GiST needs no extension (the
    ``int4range`` trick of ``hr_work_entry``)."""
    free = ", ".join(f"'{state}'" for state in FREE_STATES)
    return (
        f"EXCLUDE USING GIST (int4range({column}, {column}, '[]') WITH =, "
        f"tsrange(start, stop, '[)') WITH &&) "
        f"WHERE ({column} IS NOT NULL AND state NOT IN ({free}))"
    )


class PsySessionBookingMixin(models.AbstractModel):
    """No double booking of a professional, a room or a patient.

    The database decides, with one exclusion constraint per booked resource
    declared in ``_sql_constraints`` (a session holds ``[start, stop)``
    unless it is cancelled), also between concurrent transactions; this mixin
    turns its refusal into a message naming the session that holds the slot.
    Every create and write that can move a booking is checked, whoever makes
    it: there is no way around the constraint.
    """

    _name = "psy.session.booking.mixin"
    _inherit = ["psy.record.mixin"]
    _description = "Booking of a time slot without overlaps"

    _sql_constraints = [
        (
            "professional_no_overlap",
            _exclusion("professional_id"),
            "The professional already has a session at this time.",
        ),
        (
            "room_no_overlap",
            _exclusion("room_id"),
            "The room is already booked at this time.",
        ),
        (
            "patient_no_overlap",
            _exclusion("patient_id"),
            "The patient already has a session at this time.",
        ),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        try:
            # A refused booking is expected, not a server error: keep it out
            # of the log and explain it to the user instead.
            with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                records = super().create(vals_list)
                records.flush_recordset()
        except pg_errors.ExclusionViolation as error:
            raise self._booking_conflict_error(error) from None
        except pg_errors.CheckViolation:
            raise self._dates_error() from None
        return records

    def write(self, vals):
        if not BOOKING_FIELDS & set(vals):
            return super().write(vals)
        try:
            with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                res = super().write(vals)
                self.flush_recordset()
        except pg_errors.ExclusionViolation as error:
            raise self._booking_conflict_error(error) from None
        except pg_errors.CheckViolation:
            raise self._dates_error() from None
        return res

    @api.model
    def _dates_error(self):
        return ValidationError(
            self.env._(
                "A session must end after it starts. Set an end time after the "
                "start time."
            )
        )

    @api.model
    def _booking_conflict_error(self, error):
        """Turn the database's refusal into a message naming the session that
        holds the slot."""
        key = (error.diag.constraint_name or "").removeprefix(f"{self._table}_")
        column = BOOKING_CONSTRAINTS.get(key, "professional_id")
        keys = CONFLICT_KEY_RE.findall(error.diag.message_detail or "")
        other = None
        if keys:
            resource_id, start, stop = keys[-1]
            resource_id = int(resource_id)
            other = self._find_booking(column, resource_id, start, stop)
            if other is None:
                # Booked by a transaction our snapshot does not see yet.
                with self.env.registry.cursor() as cr:
                    other = self.with_env(self.env(cr=cr))._find_booking(
                        column, resource_id, start, stop
                    )
        if not other:
            return ValidationError(
                self.env._(
                    "This time slot is already taken by another session. "
                    "Reload the agenda and choose another time."
                )
            )
        values = {
            "name": other["resource"],
            "start": self._psy_format_datetime(other["start"]),
            "stop": self._psy_format_datetime(other["stop"]),
            "patient": other["patient"],
            "professional": other["professional"],
        }
        if column == "room_id":
            message = self.env._(
                "The room %(name)s is already booked from %(start)s to %(stop)s "
                "(session of %(patient)s with %(professional)s). Choose another "
                "time or room, or cancel or move that session first.",
                **values,
            )
        elif column == "patient_id":
            message = self.env._(
                "The patient %(name)s is already booked from %(start)s to "
                "%(stop)s (session of %(patient)s with %(professional)s). Choose "
                "another time, or cancel or move that session first.",
                **values,
            )
        else:
            message = self.env._(
                "The professional %(name)s is already booked from %(start)s to "
                "%(stop)s (session of %(patient)s with %(professional)s). Choose "
                "another time, or cancel or move that session first.",
                **values,
            )
        return ValidationError(message)

    @api.model
    def _find_booking(self, column, resource_id, start, stop):
        """Session occupying ``[start, stop)`` for the resource, as a dict of
        display values, or None.

        Called only when the database refused the caller's own booking, i.e.
        after the ORM let the caller create or move sessions; it checks that
        the caller may read sessions, then reads as superuser the names and
        times of the session in the way, which every user of the agenda may
        know (nothing clinical)."""
        self.browse().check_access("read")
        self.env.cr.execute(
            SQL(
                """
                SELECT id FROM %s
                 WHERE %s = %s
                   AND tsrange(start, stop, '[)') && tsrange(%s, %s, '[)')
                   AND state NOT IN %s
                 LIMIT 1
                """,
                SQL.identifier(self._table),
                SQL.identifier(column),
                resource_id,
                start,
                stop,
                FREE_STATES,
            )
        )
        row = self.env.cr.fetchone()
        if not row:
            return None
        session = self.sudo().browse(row[0])
        return {
            "resource": session[column].name,
            "start": session.start,
            "stop": session.stop,
            "patient": session.patient_id.name,
            "professional": session.professional_id.name,
        }
