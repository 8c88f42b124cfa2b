# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from collections import defaultdict
from datetime import timedelta

import pytz

from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.psy_session.models.psy_session_booking_mixin import FREE_STATES

# Attendances that free a participant's time slot (psy.session.participant).
FREE_ATTENDANCES = ("cancelled", "late_cancelled")


def _subtract(intervals, busy):
    """``intervals`` minus ``busy``: both sorted lists of ``(start, stop)``
    pairs (naive UTC); the result is sorted and has no empty pieces."""
    result = []
    for start, stop in intervals:
        cursor = start
        for busy_start, busy_stop in busy:
            if busy_stop <= cursor:
                continue
            if busy_start >= stop:
                break
            if busy_start > cursor:
                result.append((cursor, busy_start))
            cursor = max(cursor, busy_stop)
            if cursor >= stop:
                break
        if cursor < stop:
            result.append((cursor, stop))
    return result


def _merge(intervals):
    """Sorted ``(start, stop)`` pairs, touching or overlapping ones joined
    (a morning and an afternoon without a break are one interval)."""
    merged = []
    for start, stop in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], stop))
        else:
            merged.append((start, stop))
    return merged


def _overlaps(busy, start, stop):
    return any(b_start < stop and b_stop > start for b_start, b_stop in busy)


class PsyBookingAvailability(models.AbstractModel):
    """The free slots of the professionals, for online booking.

    A slot is a start time at which a session of the chosen type fits:

    * inside the professional's working hours (``psy_booking_calendar_id``:
      its attendances, minus its leaves, on the calendar's own time zone, so
      that summer time is the calendar's business);
    * away from the professional's booked sessions by the center's buffer;
    * at least the center's minimum notice from now, within its horizon;
    * with a free room of the center when in person;
    * outside the sessions of the patient who books, when known.

    As in OCA's ``resource_booking``, candidate starts step from the
    beginning of each free interval by a fixed step and a slot is kept when
    the whole session fits in the interval; unlike it, busy time is read
    from ``psy.session`` in one query for the window only (never the
    history), and the database's exclusion constraints still decide when
    the session is created.
    """

    _name = "psy.booking.availability"
    _description = "Free slots for online booking"

    @api.model
    def _psy_bookable_professionals(self, company):
        """Psychologists of ``company`` with online booking hours."""
        domain = self.env["res.users"]._psy_psychologist_domain(company) + [
            ("psy_booking_calendar_id", "!=", False),
            ("share", "=", False),
        ]
        return self.env["res.users"].search(domain, order="name, id")

    @api.model
    def _psy_bookable_products(self, company):
        return self.env["product.product"].search(
            [
                ("psy_online_booking", "=", True),
                ("is_psy_session_type", "=", True),
                ("sale_ok", "=", True),
                ("company_id", "in", (False, company.id)),
            ],
            order="name, id",
        )

    @api.model
    def _psy_window(self, company, date_from, date_to, now=None):
        """``[date_from, date_to)`` cut to what the center offers at ``now``:
        not before the minimum notice, not after the horizon."""
        now = now or fields.Datetime.now()
        earliest = now + timedelta(hours=company.psy_booking_notice_hours)
        latest = now + timedelta(days=company.psy_booking_horizon_days)
        return max(date_from, earliest), min(date_to, latest)

    @api.model
    def _psy_slots(
        self,
        company,
        product,
        modality,
        professionals,
        date_from,
        date_to,
        patient=None,
        now=None,
    ):
        """Free slots of ``professionals`` for a session of ``product`` in
        ``modality`` starting in ``[date_from, date_to)`` (naive UTC), as a
        list of dicts ``{start, stop, professional, room}`` sorted by start.

        Queries: one for the sessions of the window (professionals and rooms),
        one for the patient's, plus the calendars' own (attendances and
        leaves, one per calendar)."""
        date_from, date_to = self._psy_window(company, date_from, date_to, now)
        professionals = professionals.filtered("psy_booking_calendar_id")
        if date_from >= date_to or not professionals or not product:
            return []
        duration = timedelta(hours=product.psy_duration)
        buffer = timedelta(minutes=company.psy_booking_buffer_minutes)
        step = timedelta(minutes=company.psy_booking_step_minutes)
        rooms = self.env["psy.room"]
        if modality == "in_person":
            rooms = self.env["psy.room"].search([("company_id", "=", company.id)])
            if not rooms:
                return []
        # Whole local days around the window, so that the start times step
        # from the beginning of the working hours whatever the window.
        span_from = date_from - timedelta(days=1)
        span_to = date_to + duration + timedelta(days=1)
        busy_professional, busy_room = self._psy_busy(
            professionals, rooms, span_from - buffer, span_to + buffer
        )
        busy_patient = self._psy_busy_patient(patient, span_from, span_to)
        work = self._psy_work_intervals(professionals, span_from, span_to)
        slots = []
        for professional in professionals:
            busy = _merge(
                [
                    (s - buffer, e + buffer)
                    for s, e in busy_professional[professional.id]
                ]
                + busy_patient
            )
            for start, stop in _subtract(work[professional.id], busy):
                candidate = start
                while candidate + duration <= stop:
                    end = candidate + duration
                    if candidate >= date_from and candidate < date_to:
                        room = self._psy_free_room(rooms, busy_room, candidate, end)
                        if modality != "in_person" or room:
                            slots.append(
                                {
                                    "start": candidate,
                                    "stop": end,
                                    "professional": professional,
                                    "room": room,
                                }
                            )
                    candidate += step
        slots.sort(key=lambda s: (s["start"], s["professional"].name or ""))
        return slots

    @api.model
    def _psy_free_room(self, rooms, busy_room, start, stop):
        for room in rooms:
            if not _overlaps(busy_room[room.id], start, stop):
                return room
        return rooms.browse()

    @api.model
    def _psy_work_intervals(self, professionals, span_from, span_to):
        """Working hours minus leaves of each professional, as sorted naive
        UTC pairs, computed once per calendar."""
        result = {}
        start = pytz.utc.localize(span_from)
        stop = pytz.utc.localize(span_to)
        by_calendar = defaultdict(lambda: self.env["res.users"])
        for professional in professionals:
            by_calendar[professional.psy_booking_calendar_id] |= professional
        for calendar, users in by_calendar.items():
            intervals = calendar._work_intervals_batch(start, stop)[False]
            pairs = _merge(
                (
                    s.astimezone(pytz.utc).replace(tzinfo=None),
                    e.astimezone(pytz.utc).replace(tzinfo=None),
                )
                for s, e, _meta in intervals
            )
            for user in users:
                result[user.id] = pairs
        return result

    @api.model
    def _psy_busy(self, professionals, rooms, span_from, span_to):
        """Booked time of the professionals and rooms in the window, from one
        query on the sessions that hold their slot (indexed on start)."""
        self.env["psy.session"].flush_model(
            ["start", "stop", "state", "professional_id", "room_id"]
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT professional_id, room_id, start, stop FROM psy_session
                 WHERE start < %(to)s AND stop > %(from)s
                   AND state NOT IN %(free)s
                   AND (professional_id = ANY(%(professionals)s)
                        OR room_id = ANY(%(rooms)s))
                 ORDER BY start
                """,
                to=span_to,
                **{"from": span_from},
                free=FREE_STATES,
                professionals=professionals.ids,
                rooms=rooms.ids or [0],
            )
        )
        by_professional = defaultdict(list)
        by_room = defaultdict(list)
        professional_ids = set(professionals.ids)
        for professional_id, room_id, start, stop in self.env.cr.fetchall():
            if professional_id in professional_ids:
                by_professional[professional_id].append((start, stop))
            if room_id:
                by_room[room_id].append((start, stop))
        return by_professional, by_room

    @api.model
    def _psy_busy_patient(self, patient, span_from, span_to):
        """Sessions the patient who books already attends in the window."""
        if not patient:
            return []
        self.env["psy.session.participant"].flush_model(
            ["start", "stop", "session_state", "attendance", "patient_id"]
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT start, stop FROM psy_session_participant
                 WHERE patient_id = %s AND start < %s AND stop > %s
                   AND session_state NOT IN %s AND attendance NOT IN %s
                 ORDER BY start
                """,
                patient.id,
                span_to,
                span_from,
                FREE_STATES,
                FREE_ATTENDANCES,
            )
        )
        return self.env.cr.fetchall()
