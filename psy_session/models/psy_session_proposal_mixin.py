# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

import pytz

from odoo import api, models

from .psy_session_booking_mixin import FREE_STATES


class PsySessionProposalMixin(models.AbstractModel):
    """What the booking form proposes once the patient is chosen, and the
    columns of the agenda.

    Picking the patient of a new session fills what is still empty: the
    patient's assigned professional, the session type and modality of their
    last session, and a room free at that time (the room of their last
    session when it is free). Nothing is forced: the front desk changes any
    proposal, and the database still refuses a double booking on save."""

    _name = "psy.session.proposal.mixin"
    _description = "Proposals of the booking form"

    @api.onchange("patient_id")
    def _onchange_patient_id_propose(self):
        patient = self.patient_id
        if not patient or self.state not in (False, "scheduled"):
            return
        last = self._psy_last_session_of(patient)
        if not self.professional_id:
            assigned = patient.professional_ids
            if last.professional_id in assigned:
                self.professional_id = last.professional_id
            elif assigned:
                self.professional_id = assigned[:1]
            elif last:
                self.professional_id = last.professional_id
        if not self.product_id and last.product_id:
            self.product_id = last.product_id
            self.modality = last.modality
        self._psy_propose_room(preferred=last.room_id)

    @api.onchange("start", "modality", "product_id")
    def _onchange_booking_propose_room(self):
        # Once the patient is known: their last room comes first.
        if self.patient_id or self.participant_ids:
            self._psy_propose_room()

    def _psy_last_session_of(self, patient):
        """The patient's latest session that was not cancelled, if any."""
        return self.search(
            [
                ("patient_ids", "in", patient.ids),
                ("state", "not in", FREE_STATES),
                ("id", "!=", self._origin.id or 0),
            ],
            order="start desc, id desc",
            limit=1,
        )

    def _psy_propose_room(self, preferred=None):
        """Fill an empty room of an in-person session with a room free at its
        time: ``preferred`` when it is free, else the first free one."""
        self.ensure_one()
        if self.room_id or self.modality != "in_person" or not self.start:
            return
        rooms = self._psy_free_rooms()
        if preferred and preferred in rooms:
            self.room_id = preferred
        elif rooms:
            self.room_id = rooms[:1]

    def _psy_free_rooms(self):
        """Active rooms of the session's center with no session holding them
        during the session's time (one search for the busy ones)."""
        self.ensure_one()
        company = self.company_id or self.env.company
        start = self.start
        duration = self.product_id.psy_duration or 1.0
        stop = self.stop if self.stop and self.stop > start else None
        stop = stop or start + timedelta(hours=duration)
        busy = self.search(
            [
                ("room_id", "!=", False),
                ("start", "<", stop),
                ("stop", ">", start),
                ("state", "not in", FREE_STATES),
                ("id", "!=", self._origin.id or 0),
            ]
        ).room_id
        rooms = self.env["psy.room"].search([("company_id", "=", company.id)])
        return rooms - busy

    @api.model
    def psy_agenda_resources(self, field_name):
        """The columns of the agenda by professional or by room: the
        professionals of the user's centers or the active rooms, as
        ``[{"id", "name"}]``. Only names that every user of the agenda reads
        anyway."""
        self.browse().check_access("read")
        if field_name == "professional_id":
            Users = self.env["res.users"]
            records = Users.search(
                [
                    *Users._psy_psychologist_domain(),
                    ("company_ids", "in", self.env.companies.ids),
                ],
                order="name",
            )
        elif field_name == "room_id":
            records = self.env["psy.room"].search(
                [("company_id", "in", self.env.companies.ids)]
            )
        else:
            return []
        return [{"id": record.id, "name": record.name} for record in records]

    def psy_agenda_actions(self):
        """The buttons of the agenda's popover for this session, as
        ``[{"name": method, "label": text, "confirm": text or False,
        "primary": bool}]``: the day's actions the user may run now.
        Modules add theirs (call ``super()``). Every method named here is a
        public action that checks again when it runs."""
        self.ensure_one()
        self.check_access("read")
        user = self.env.user
        staff = user.has_group("psy_patient.group_psy_receptionist") or user.has_group(
            "psy_patient.group_psy_psychologist"
        )
        if not staff or self.state != "scheduled":
            return []
        now = self._psy_now()
        actions = []
        tz = self.env["psy.patient"]._psy_tz()
        today = self.env["psy.patient"]._psy_today()
        local_day = (
            pytz.utc.localize(self.start).astimezone(tz).date() if self.start else None
        )
        waiting = self.participant_ids.filtered(
            lambda p: p.attendance == "expected" and not p.arrived_at
        )
        if waiting and local_day == today:
            actions.append(
                {
                    "name": "action_arrived",
                    "label": self.env._("Arrived"),
                    "confirm": False,
                    "primary": True,
                }
            )
        if self.start <= now:
            actions += [
                {
                    "name": "action_done",
                    "label": self.env._("Done"),
                    "confirm": False,
                    "primary": bool(self.arrived_at),
                },
                {
                    "name": "action_no_show",
                    "label": self.env._("No-show"),
                    "confirm": self.env._(
                        "Mark %(who)s as not come to the session of %(date)s?",
                        who=self._psy_who(),
                        date=self._psy_format_datetime(self.start),
                    ),
                    "primary": False,
                },
            ]
        hours = f"{self.company_id.psy_late_cancel_hours:g}"
        if self._is_late_cancellation(now):
            confirm = self.env._(
                "Cancel the session of %(who)s on %(date)s? It is a late "
                "cancellation: less than %(hours)s hours before the start, "
                "the center's late-cancellation policy applies.",
                who=self._psy_who(),
                date=self._psy_format_datetime(self.start),
                hours=hours,
            )
            label = self.env._("Cancel (late)")
        else:
            confirm = self.env._(
                "Cancel the session of %(who)s on %(date)s? It is cancelled in "
                "time: at least %(hours)s hours before the start.",
                who=self._psy_who(),
                date=self._psy_format_datetime(self.start),
                hours=hours,
            )
            label = self.env._("Cancel (in time)")
        actions.append(
            {
                "name": "action_cancel",
                "label": label,
                "confirm": confirm,
                "primary": False,
            }
        )
        return actions
