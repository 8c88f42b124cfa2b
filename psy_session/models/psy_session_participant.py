# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.psy_patient.models.psy_guarded_mixin import module_uninstalling

from .psy_session_booking_mixin import patient_exclusion

# Attendances that free the participant's time slot.
FREE_ATTENDANCES = ("cancelled", "late_cancelled")


class PsySessionParticipant(models.Model):
    """A patient taking part in a session, with their own attendance.

    An individual session has one participant, a couple or family session
    several, a group session up to the capacity of its type. Each participant
    holds their time slot (the database refuses to book a patient twice at
    once, like the professional and the room) unless they or the session
    are cancelled.

    The attendance moves only through the actions of the participant
    (``action_present``, ``action_no_show``, ``action_cancel``,
    ``action_reset``) and of the session, which write it through
    :meth:`_psy_write_attendance`: modules react to it there (e.g. a group
    participant consuming from their own pack).
    """

    _name = "psy.session.participant"
    _description = "Session participant"
    _inherit = [
        "psy.guarded.mixin",
        "psy.record.mixin",
    ]
    _order = "session_id, sequence, id"
    _rec_name = "patient_id"
    _check_company_auto = True

    session_id = fields.Many2one(
        comodel_name="psy.session",
        required=True,
        index=True,
        ondelete="cascade",
    )
    sequence = fields.Integer(default=10)
    patient_id = fields.Many2one(
        comodel_name="psy.patient",
        required=True,
        index=True,
        check_company=True,
        ondelete="restrict",
    )
    company_id = fields.Many2one(
        related="session_id.company_id",
        string="Center",
        store=True,
        index=True,
    )
    start = fields.Datetime(related="session_id.start", store=True)
    stop = fields.Datetime(related="session_id.stop", string="End", store=True)
    session_state = fields.Selection(
        related="session_id.state",
        string="Session status",
        store=True,
    )
    professional_id = fields.Many2one(related="session_id.professional_id")
    session_kind = fields.Selection(related="session_id.session_kind")
    product_id = fields.Many2one(related="session_id.product_id", string="Session type")
    participants_label = fields.Char(
        related="session_id.participants_label", string="With"
    )
    attendance = fields.Selection(
        selection=[
            ("expected", "Expected"),
            ("present", "Present"),
            ("cancelled", "Cancelled"),
            ("late_cancelled", "Late cancelled"),
            ("no_show", "No-show"),
        ],
        default="expected",
        required=True,
        readonly=True,
        copy=False,
        index=True,
    )
    cancel_date = fields.Datetime(string="Cancelled on", readonly=True, copy=False)
    arrived_at = fields.Datetime(
        string="Arrived at",
        readonly=True,
        copy=False,
        help="When the front desk recorded that the patient arrived (button "
        "Arrived of the agenda).",
    )

    _sql_constraints = [
        (
            "session_patient_unique",
            "UNIQUE(session_id, patient_id)",
            "A patient takes part in a session only once.",
        ),
        (
            "patient_no_overlap",
            patient_exclusion(FREE_ATTENDANCES),
            "The patient already has a session at this time.",
        ),
    ]

    # ------------------------------------------------------------------
    # Every write path: the booking is checked and the session kept in step
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        Session = self.env["psy.session"]
        with Session._psy_booking_checked():
            participants = super().create(vals_list)
        participants.session_id._psy_check_participants_editable()
        participants.session_id._psy_after_participants_change()
        return participants

    def write(self, vals):
        if {"session_id", "patient_id"} & set(vals):
            if "session_id" in vals and any(
                p.session_id.id != vals["session_id"] for p in self
            ):
                raise UserError(
                    self.env._(
                        "A participant cannot be moved to another session. "
                        "Remove them from this session and add them to the "
                        "other one."
                    )
                )
            self._psy_check_editable()
        with self.env["psy.session"]._psy_booking_checked():
            res = super().write(vals)
        if "patient_id" in vals:
            self.session_id._psy_after_participants_change()
        return res

    @api.ondelete(at_uninstall=True)
    def _unlink_except_attended(self):
        if module_uninstalling(self.env):
            return
        # Deleting a session deletes its participants in the database
        # (cascade), without this check.
        self._psy_check_editable()

    def unlink(self):
        sessions = self.session_id
        res = super().unlink()
        sessions.exists()._psy_after_participants_change()
        return res

    def _psy_check_editable(self):
        """Participants are added, changed or removed only while their session
        is scheduled and their attendance not yet recorded."""
        self.session_id._psy_check_participants_editable()
        recorded = self.filtered(lambda p: p.attendance != "expected")
        if recorded:
            raise UserError(
                self.env._(
                    "The attendance of %(patient)s is already recorded "
                    "(%(attendance)s): the participant cannot be changed or "
                    "removed. Use Reset attendance first.",
                    patient=recorded[0].patient_id.name,
                    attendance=recorded[0]._psy_selection_label("attendance"),
                )
            )

    # ------------------------------------------------------------------
    # Guarded fields: only the attendance actions change them
    # ------------------------------------------------------------------

    def _psy_access_refusals(self):
        return {
            "read": self.env._(
                "You cannot open the agenda: only the front desk, the psychologists, "
                "the clinical director and billing can."
            ),
            "write": self.env._(
                "You cannot change the participants of this session: only the front "
                "desk, the clinical director and the psychologist who runs it can."
            ),
            "create": self.env._(
                "You cannot add participants to this session: only the front desk, "
                "the clinical director and the psychologist who runs it can."
            ),
            "unlink": self.env._(
                "You cannot remove participants from this session: only the front "
                "desk, the clinical director and the psychologist who runs it can."
            ),
        }

    @api.model
    def _psy_guarded_fields(self):
        return super()._psy_guarded_fields() | {
            "attendance",
            "cancel_date",
            "arrived_at",
        }

    @api.model
    def _psy_guarded_initial_values(self):
        return {
            **super()._psy_guarded_initial_values(),
            "attendance": ("expected",),
        }

    @api.model
    def _psy_guard_error(self, field_names):
        return UserError(
            self.env._(
                "The attendance of a participant changes only with the buttons "
                "of the session and of the participant: Arrived, Present, "
                "No-show, Cancel attendance and Reset attendance. Use those "
                "buttons instead."
            )
        )

    def _psy_write_attendance(self, vals):
        """The one write of every action that records attendances (after the
        action's checks). Modules that react to an attendance extend it.
        The calendar entry keeps the participants still expected."""
        res = self._psy_write_guarded(vals)
        self.session_id.filtered("calendar_event_id")._psy_sync_calendar_events()
        return res

    # ------------------------------------------------------------------
    # Attendance actions of one participant
    # ------------------------------------------------------------------

    def _psy_check_attendance_open(self, action):
        """Attendance is recorded on scheduled sessions; presence and absence
        only once the session has started."""
        now = self.env["psy.session"]._psy_now()
        for participant in self:
            session = participant.session_id
            if session.state != "scheduled":
                raise UserError(
                    self.env._(
                        "The session of %(patient)s on %(date)s is %(state)s: "
                        "attendance is recorded while the session is "
                        "scheduled. Reopen the session first.",
                        patient=participant.patient_id.name,
                        date=session._psy_format_datetime(session.start),
                        state=session._psy_state_label(),
                    )
                )
            if action in ("present", "no_show") and session.start > now:
                raise UserError(
                    self.env._(
                        "The session of %(patient)s starts on %(date)s: "
                        "presence or absence is recorded once it has started.",
                        patient=participant.patient_id.name,
                        date=session._psy_format_datetime(session.start),
                    )
                )
            if action == "reset":
                continue
            if participant.attendance != "expected":
                raise UserError(
                    self.env._(
                        "The attendance of %(patient)s is already recorded "
                        "(%(attendance)s). Use Reset attendance to change it.",
                        patient=participant.patient_id.name,
                        attendance=participant._psy_selection_label("attendance"),
                    )
                )

    def _psy_check_can_record_arrival(self):
        """Arrivals are recorded by the front desk and the professionals, on
        the day of the session, once per participant still expected."""
        user = self.env.user
        if not (
            user.has_group("psy_patient.group_psy_receptionist")
            or user.has_group("psy_patient.group_psy_psychologist")
        ):
            raise AccessError(
                self.env._(
                    "Only the front desk and the professionals record arrivals. "
                    "Ask the front desk to mark the patient as arrived."
                )
            )
        self._psy_check_attendance_open("arrived")
        today = self.env["psy.patient"]._psy_today()
        tz = self.env["psy.patient"]._psy_tz()
        for participant in self:
            session = participant.session_id
            if participant.arrived_at:
                raise UserError(
                    self.env._(
                        "The arrival of %(patient)s was already recorded at "
                        "%(time)s. Use Reset attendance to correct it.",
                        patient=participant.patient_id.name,
                        time=session._psy_format_datetime(participant.arrived_at),
                    )
                )
            local_day = pytz.utc.localize(session.start).astimezone(tz).date()
            if local_day != today:
                raise UserError(
                    self.env._(
                        "The session of %(patient)s is on %(date)s: arrivals are "
                        "recorded on the day of the session.",
                        patient=participant.patient_id.name,
                        date=session._psy_format_datetime(session.start),
                    )
                )

    def action_arrived(self):
        """The patient is here (in the waiting room): record the time."""
        self._psy_check_can_record_arrival()
        self._action_arrived(self.env["psy.session"]._psy_now())
        return True

    def _action_arrived(self, now):
        """Record the arrival at ``now``, after the checks of
        :meth:`action_arrived`, and say it in the session's chatter."""
        self._psy_write_guarded({"arrived_at": now})
        for participant in self:
            participant.session_id.message_post(
                body=self.env._(
                    "%(patient)s arrived.", patient=participant.patient_id.name
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_present(self):
        self._psy_check_attendance_open("present")
        self._psy_write_attendance({"attendance": "present"})
        return True

    def action_no_show(self):
        self._psy_check_attendance_open("no_show")
        self._psy_write_attendance({"attendance": "no_show"})
        return True

    def action_cancel(self):
        """Cancel the attendance of these participants now, late or in time by
        the center's window. A couple or family session whose participants
        have all cancelled is cancelled with them."""
        self._psy_check_attendance_open("cancel")
        self._action_cancel(self.env["psy.session"]._psy_now())
        return True

    def _action_cancel(self, now):
        late = self.filtered(lambda p: p.session_id._is_late_cancellation(now))
        if late:
            late._psy_write_attendance(
                {"attendance": "late_cancelled", "cancel_date": now}
            )
        if self - late:
            (self - late)._psy_write_attendance(
                {"attendance": "cancelled", "cancel_date": now}
            )
        for participant in self:
            participant.session_id.message_post(
                body=self.env._(
                    "%(patient)s cancelled their attendance (%(attendance)s).",
                    patient=participant.patient_id.name,
                    attendance=participant._psy_selection_label("attendance"),
                ),
                subtype_xmlid="mail.mt_note",
            )
        sessions = self.session_id.filtered(
            lambda s: s.session_kind != "group"
            and s.participant_ids
            and all(p.attendance in FREE_ATTENDANCES for p in s.participant_ids)
        )
        for session in sessions:
            state = (
                "late_cancelled"
                if "late_cancelled" in session.participant_ids.mapped("attendance")
                else "cancelled"
            )
            session._action_cancel_as(state, now)
        return True

    def action_reset(self):
        """Back to expected, to record the attendance again."""
        self._psy_check_attendance_open("reset")
        self.filtered(
            lambda p: p.attendance != "expected" or p.arrived_at
        )._psy_write_attendance(
            {"attendance": "expected", "cancel_date": False, "arrived_at": False}
        )
        # A participant who had cancelled takes a place again.
        self.session_id._check_participants()
        return True

    @api.constrains("patient_id", "session_id")
    def _check_patient_company(self):
        for participant in self:
            patient_company = participant.patient_id.company_id
            if patient_company and patient_company != participant.company_id:
                raise ValidationError(
                    self.env._(
                        "%(patient)s is a patient of %(center)s and cannot take "
                        "part in a session of another center.",
                        patient=participant.patient_id.name,
                        center=patient_company.name,
                    )
                )
