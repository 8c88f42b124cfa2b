# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import re
from contextlib import contextmanager

from psycopg2 import errors as pg_errors

from odoo import api, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL, mute_logger

# Sessions in these states free their time slot.
FREE_STATES = ("cancelled", "late_cancelled")

# Table and booked resource of each exclusion constraint, by its name in the
# database ("<table>_<key in _sql_constraints>").
BOOKING_CONSTRAINTS = {
    "psy_session_professional_no_overlap": ("psy_session", "professional_id"),
    "psy_session_room_no_overlap": ("psy_session", "room_id"),
    "psy_session_participant_patient_no_overlap": (
        "psy_session_participant",
        "patient_id",
    ),
}
# Fields whose change can move or extend a booking (the end follows the type;
# the participants follow the session's time and status).
BOOKING_FIELDS = {
    "start",
    "stop",
    "state",
    "product_id",
    "professional_id",
    "room_id",
    "participant_ids",
    "patient_id",
}

# The detail of an exclusion violation ends with the existing key, e.g.
# "... conflicts with existing key (int4range(professional_id, ...),
# tsrange(start, stop, ...))=([7,8), ["2026-11-24 10:00:00","2026-11-24
# 10:50:00"))." Only the values are read, so the server's message language
# does not matter.
CONFLICT_KEY_RE = re.compile(r"=\(\[(\d+),\d+\), \[\"?([^\",]+)\"?,\"?([^\")]+)\"?\)\)")


def patient_exclusion(free_attendances):
    """No patient holding a slot in two sessions at once: the constraint of
    the participants, who hold the slot of their session unless they or the
    session are cancelled."""
    free = ", ".join(f"'{state}'" for state in FREE_STATES)
    absent = ", ".join(f"'{state}'" for state in free_attendances)
    return (
        "EXCLUDE USING GIST (int4range(patient_id, patient_id, '[]') WITH =, "
        "tsrange(start, stop, '[)') WITH &&) "
        f"WHERE (session_state NOT IN ({free}) AND attendance NOT IN ({absent}))"
    )


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
    ]

    @api.model
    @contextmanager
    def _psy_booking_checked(self):
        """Run the enclosed writes of sessions or participants in a savepoint
        and flush them there, so that the database checks the bookings now,
        and turn its refusal into a message naming the session in the way.
        A refused booking is expected, not a server error: it is kept out of
        the log."""
        try:
            with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                yield
                self.flush_model()
                self.env["psy.session.participant"].flush_model()
        except pg_errors.ExclusionViolation as error:
            raise self._booking_conflict_error(error) from None
        except pg_errors.CheckViolation:
            raise self._dates_error() from None

    @api.model_create_multi
    def create(self, vals_list):
        with self._psy_booking_checked():
            records = super().create(vals_list)
        return records

    def write(self, vals):
        if not BOOKING_FIELDS & set(vals):
            return super().write(vals)
        with self._psy_booking_checked():
            res = super().write(vals)
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
        table, column = BOOKING_CONSTRAINTS.get(
            error.diag.constraint_name or "", (self._table, "professional_id")
        )
        keys = CONFLICT_KEY_RE.findall(error.diag.message_detail or "")
        other = None
        if keys:
            resource_id, start, stop = keys[-1]
            resource_id = int(resource_id)
            other = self._find_booking(table, column, resource_id, start, stop)
            if other is None:
                # Booked by a transaction our snapshot does not see yet.
                with self.env.registry.cursor() as cr:
                    other = self.with_env(self.env(cr=cr))._find_booking(
                        table, column, resource_id, start, stop
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
        elif table == "psy_session_participant":
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
    def _find_booking(self, table, column, resource_id, start, stop):
        """Session occupying ``[start, stop)`` for the resource (``column`` of
        the sessions' or the participants' ``table``), as a dict of display
        values, or None.

        Called only when the database refused the caller's own booking, i.e.
        after the ORM let the caller create or move sessions; it checks that
        the caller may read sessions, then reads as superuser the names and
        times of the session in the way, which every user of the agenda may
        know (nothing clinical)."""
        self.browse().check_access("read")
        if table == "psy_session_participant":
            query = SQL(
                """
                SELECT p.session_id FROM psy_session_participant p
                 WHERE p.patient_id = %s
                   AND tsrange(p.start, p.stop, '[)') && tsrange(%s, %s, '[)')
                   AND p.session_state NOT IN %s
                   AND p.attendance NOT IN ('cancelled', 'late_cancelled')
                 LIMIT 1
                """,
                resource_id,
                start,
                stop,
                FREE_STATES,
            )
            resource = self.env["psy.patient"].sudo().browse(resource_id)
        else:
            query = SQL(
                """
                SELECT id FROM psy_session
                 WHERE %s = %s
                   AND tsrange(start, stop, '[)') && tsrange(%s, %s, '[)')
                   AND state NOT IN %s
                 LIMIT 1
                """,
                SQL.identifier(column),
                resource_id,
                start,
                stop,
                FREE_STATES,
            )
            resource = None
        self.env.cr.execute(query)
        row = self.env.cr.fetchone()
        if not row:
            return None
        session = self.env["psy.session"].sudo().browse(row[0])
        return {
            "resource": (resource or session[column]).name,
            "start": session.start,
            "stop": session.stop,
            "patient": session._psy_who(),
            "professional": session.professional_id.name,
        }
