# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

import pytz

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL
from odoo.tools.sql import create_index

# Attendance of the participants still expected when the session closes.
ATTENDANCE_OF_STATE = {
    "done": "present",
    "no_show": "no_show",
    "cancelled": "cancelled",
    "late_cancelled": "late_cancelled",
}


class PsySession(models.Model):
    """A therapy session: fields, status and actions.

    The booking rules live in ``psy.session.booking.mixin`` and the calendar
    entry in ``psy.session.calendar.mixin``. The status moves only through
    the actions (``action_done``, ``action_cancel``, ``action_no_show``,
    ``action_reset``): each checks, then calls its private step
    (``_action_done(now)``, ``_action_cancel(now)``, ``_action_no_show()``,
    ``_action_reset()``), which writes through ``_psy_write_state(vals)``.
    Modules extend those private steps (after ``super()``) to react to one
    action, or ``_psy_write_state`` to react to any status change, and add
    their own guarded fields to ``_psy_guarded_fields``.
    """

    _name = "psy.session"
    _description = "Therapy session"
    # The booking mixin comes before mail.thread: its savepoint must wrap the
    # tracking of the write, not finalize it before the values change.
    _inherit = [
        "psy.session.calendar.mixin",
        "psy.session.booking.mixin",
        "psy.session.closeout.mixin",
        "psy.session.proposal.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "psy.guarded.mixin",
        "psy.record.mixin",
    ]
    _order = "start desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Title",
        compute="_compute_name",
        search="_search_name",
        help="Who the session is for, then its type, in the language of "
        'whoever reads it: "Ana López · Individual therapy".',
    )
    session_kind = fields.Selection(
        related="product_id.psy_session_kind",
        string="Kind",
        store=True,
    )
    participant_ids = fields.One2many(
        comodel_name="psy.session.participant",
        inverse_name="session_id",
        string="Participants",
        copy=True,
    )
    patient_ids = fields.Many2many(
        comodel_name="psy.patient",
        relation="psy_session_patient_rel",
        column1="session_id",
        column2="patient_id",
        string="Patients",
        compute="_compute_patient_ids",
        store=True,
        help="Every patient taking part in the session.",
    )
    participant_count = fields.Integer(
        string="Participants (count)",
        compute="_compute_patient_ids",
        store=True,
    )
    participants_label = fields.Char(
        string="Who",
        compute="_compute_participants_label",
        help="The patient, the couple or family (first names) or the group.",
    )
    reminder_partner_ids = fields.Many2many(
        comodel_name="res.partner",
        string="Reminder recipients",
        compute="_compute_reminder_partner_ids",
        help="Contacts of the participants still expected at the session.",
    )
    patient_id = fields.Many2one(
        comodel_name="psy.patient",
        index=True,
        tracking=True,
        check_company=True,
        ondelete="restrict",
        help="The patient of an individual session; in a couple or family "
        "session, the first participant, whose file holds the session. Empty "
        "in group sessions.",
    )
    patient_partner_id = fields.Many2one(
        related="patient_id.partner_id", string="Patient contact"
    )
    professional_id = fields.Many2one(
        comodel_name="res.users",
        required=True,
        index=True,
        tracking=True,
        default=lambda self: self._default_professional_id(),
        domain=lambda self: self.env["res.users"]._psy_psychologist_field_domain(),
        ondelete="restrict",
        help="Psychologist who runs the session.",
    )
    product_id = fields.Many2one(
        comodel_name="product.product",
        string="Session type",
        required=True,
        tracking=True,
        domain=[("is_psy_session_type", "=", True)],
        check_company=True,
        ondelete="restrict",
        help="Service booked: it fixes the duration and the price.",
    )
    modality = fields.Selection(
        selection=[("in_person", "In person"), ("online", "Online")],
        required=True,
        default="in_person",
        tracking=True,
    )
    room_id = fields.Many2one(
        comodel_name="psy.room",
        index=True,
        tracking=True,
        check_company=True,
        ondelete="restrict",
    )
    video_url = fields.Char(
        string="Video call link",
        copy=False,
        help="Link the patient and the professional open to join an online "
        "session. Left empty, an Odoo Discuss meeting is created.",
    )
    start = fields.Datetime(required=True, tracking=True, index=True)
    stop = fields.Datetime(
        string="End",
        required=True,
        tracking=True,
        compute="_compute_stop",
        store=True,
        readonly=False,
        precompute=True,
    )
    duration = fields.Float(compute="_compute_duration", string="Duration (hours)")
    note = fields.Text(
        string="Administrative note",
        help="Practical information for the front desk. Never write clinical "
        "content here.",
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        string="Center",
        required=True,
        index=True,
        compute="_compute_company_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    state = fields.Selection(
        selection=[
            ("scheduled", "Scheduled"),
            ("done", "Done"),
            ("cancelled", "Cancelled"),
            ("late_cancelled", "Late cancelled"),
            ("no_show", "No-show"),
        ],
        string="Status",
        default="scheduled",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    done_date = fields.Datetime(
        string="Completed on",
        readonly=True,
        copy=False,
    )
    cancel_date = fields.Datetime(
        string="Cancelled on",
        readonly=True,
        copy=False,
    )
    calendar_event_id = fields.Many2one(
        comodel_name="calendar.event",
        string="Calendar event",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
    )
    reminder_sent = fields.Boolean(
        readonly=True,
        copy=False,
        help="The reminder e-mail has been sent to the patient.",
    )
    overdue_activity_done = fields.Boolean(
        readonly=True,
        copy=False,
        help="The professional has been asked to close this session.",
    )
    is_own = fields.Boolean(
        string="My session",
        compute="_compute_is_own",
        search="_search_is_own",
    )
    color = fields.Integer(compute="_compute_color")
    arrived_at = fields.Datetime(
        string="Arrived at",
        compute="_compute_arrived_at",
        store=True,
        help="When the (first) participant arrived, recorded with the button Arrived.",
    )
    cancel_timing = fields.Selection(
        selection=[("in_time", "In time"), ("late", "Late")],
        string="Cancelled now would be",
        compute="_compute_cancel_timing",
        help="Whether cancelling the session now is in time or a late "
        "cancellation, by the center's cancellation window.",
    )

    _sql_constraints = [
        (
            "stop_after_start",
            "CHECK(stop > start)",
            "A session must end after it starts.",
        ),
    ]

    def init(self):
        res = super().init()
        # The "to close" list: a center's sessions not closed out, by start
        # (those that started, newest first). On the start, company or
        # close-out index alone, Postgres reads the center's whole history,
        # or every center's open sessions (the future ones too), to find the
        # few that are left.
        create_index(
            self.env.cr,
            "psy_session_open_start_index",
            self._table,
            ["company_id", "start"],
            where="closeout_state = 'open'",
        )
        return res

    # ------------------------------------------------------------------
    # Defaults and computes
    # ------------------------------------------------------------------

    @api.model
    def _default_professional_id(self):
        if self.env.user.has_group("psy_patient.group_psy_psychologist"):
            return self.env.user
        return self.env["res.users"]

    @api.model
    def _psy_now(self):
        """The clock of the agenda: ``fields.Datetime.now()``, nothing a client
        can send. Tests move it with ``freezegun``."""
        return fields.Datetime.now()

    @api.depends("participant_ids.patient_id")
    def _compute_patient_ids(self):
        for session in self:
            session.patient_ids = session.participant_ids.patient_id
            session.participant_count = len(session.participant_ids)

    @api.depends(
        "session_kind",
        "patient_id.name",
        "product_id.name",
        "participant_ids.patient_id.name",
        "participant_ids.patient_id.firstname",
    )
    @api.depends_context("lang")
    def _compute_name(self):
        """The title of :meth:`_psy_title`, computed when it is read, in the
        reader's language (never stored in the language of whoever booked).
        As for :attr:`participants_label`, the caller's read access to the
        sessions is checked first, then the names are read as superuser."""
        saved = self.filtered("id")
        saved.check_access("read")
        for session in self:
            reader = session.sudo() if session in saved else session
            session.name = reader._psy_title()

    @api.depends("name")
    @api.depends_context("lang")
    def _compute_display_name(self):
        # The title depends on the reader's language, so does its display.
        return super()._compute_display_name()

    def _psy_title(self):
        """The session's title: who it is for, then the session type in the
        language of the environment ("Ana López · Terapia individual"). A
        group, already named after its type, is not named twice."""
        self.ensure_one()
        who = self._psy_who()
        if self.session_kind == "group":
            return who
        return " · ".join(part for part in (who, self.product_id.name) if part)

    def _search_name(self, operator, value):
        """Sessions by title: every word typed must be found in the name, file
        number or phone of a participant (unaccented, see
        ``psy.patient._search_display_name``) or in the session type's name
        (in the reader's language)."""
        if operator not in ("ilike", "not ilike", "=", "!=") or not isinstance(
            value, str
        ):
            return NotImplemented
        positive = operator in ("ilike", "=")
        words = [word for word in value.replace("·", " ").split() if word]
        if not words:
            return [] if positive else [(0, "=", 1)]
        domain = expression.AND(
            [
                [
                    "|",
                    (
                        "participant_ids.patient_id",
                        "in",
                        self._psy_patients_named(word),
                    ),
                    ("product_id.name", "ilike", word),
                ]
                for word in words
            ]
        )
        return domain if positive else ["!", *domain]

    def _order_field_to_sql(self, alias, field_name, direction, nulls, query):
        """Lists sort by the title (and by "Who") as they read it: the
        patient's name, then the session type in the reader's language."""
        if field_name not in ("name", "participants_label"):
            return super()._order_field_to_sql(
                alias, field_name, direction, nulls, query
            )
        patient = query.make_alias(alias, "psy_title_patient")
        query.add_join(
            "LEFT JOIN",
            patient,
            "psy_patient",
            SQL(
                "%s = %s",
                SQL.identifier(alias, "patient_id"),
                SQL.identifier(patient, "id"),
            ),
        )
        product = query.make_alias(alias, "psy_title_product")
        query.add_join(
            "LEFT JOIN",
            product,
            "product_product",
            SQL(
                "%s = %s",
                SQL.identifier(alias, "product_id"),
                SQL.identifier(product, "id"),
            ),
        )
        template = query.make_alias(product, "product_tmpl_id")
        query.add_join(
            "LEFT JOIN",
            template,
            "product_template",
            SQL(
                "%s = %s",
                SQL.identifier(product, "product_tmpl_id"),
                SQL.identifier(template, "id"),
            ),
        )
        type_name = self.env["product.template"]._field_to_sql(template, "name", query)
        return SQL(
            "LOWER(%s) %s %s, LOWER(%s) %s %s",
            SQL.identifier(patient, "name"),
            direction,
            nulls,
            type_name,
            direction,
            nulls,
        )

    @api.model
    def _psy_patients_named(self, word):
        """The patients whose name, file number, national ID or phone matches
        ``word``, as a subquery: sessions are searched by the names their
        titles show, also by users who do not read patient files (billing).
        The caller's read access to the sessions is checked first."""
        self.check_access("read")
        Patient = self.env["psy.patient"].sudo().with_context(active_test=False)
        return Patient._search(Patient._search_display_name("ilike", word))

    @api.depends(
        "session_kind",
        "product_id.name",
        "participant_ids.patient_id.name",
        "participant_ids.patient_id.firstname",
    )
    def _compute_participants_label(self):
        """The label of :meth:`_psy_who`, for whoever may read the sessions:
        billing users, who do not read patient files, read here the same
        names as in the session's title (``name``). The caller's read access
        to the sessions is checked first, then the names are read as
        superuser."""
        saved = self.filtered("id")
        saved.check_access("read")
        for session in self:
            reader = session.sudo() if session in saved else session
            session.participants_label = reader._psy_who()

    @api.depends("participant_ids.attendance", "participant_ids.patient_id.partner_id")
    def _compute_reminder_partner_ids(self):
        for session in self:
            session.reminder_partner_ids = session.participant_ids.filtered(
                lambda p: p.attendance == "expected" and p.patient_id.partner_id.email
            ).patient_id.partner_id

    def _psy_who(self):
        """Who the session is for, as the agenda shows it: the patient of an
        individual session, the first names of a couple or a family ("Ana &
        Luis"), the type and number of participants of a group."""
        self.ensure_one()
        patients = self.participant_ids.patient_id or self.patient_id
        if self.session_kind == "group":
            return self.env._(
                "%(type)s (%(count)s)",
                type=self.product_id.name or self.env._("Group"),
                count=len(self.participant_ids),
            )
        if len(patients) < 2:
            return patients.name or ""
        names = [patient.firstname or patient.name for patient in patients]
        return self.env._(
            "%(names)s & %(last)s", names=", ".join(names[:-1]), last=names[-1]
        )

    @api.depends("start", "product_id")
    def _compute_stop(self):
        for session in self:
            duration = session.product_id.psy_duration or 1.0
            if session.start:
                session.stop = session.start + timedelta(hours=duration)

    @api.depends("start", "stop")
    def _compute_duration(self):
        for session in self:
            if session.start and session.stop:
                delta = session.stop - session.start
                session.duration = delta.total_seconds() / 3600
            else:
                session.duration = 0.0

    @api.depends("patient_id")
    def _compute_company_id(self):
        self._psy_compute_company_from_patient()

    @api.depends("professional_id")
    @api.depends_context("uid")
    def _compute_is_own(self):
        for session in self:
            session.is_own = session.professional_id == self.env.user

    def _search_is_own(self, operator, value):
        if operator not in ("=", "!="):
            return NotImplemented
        positive = (operator == "=") == bool(value)
        return [("professional_id", "=" if positive else "!=", self.env.uid)]

    @api.depends("state", "arrived_at")
    def _compute_color(self):
        colors = {
            "scheduled": 4,
            "done": 10,
            "cancelled": 0,
            "late_cancelled": 2,
            "no_show": 1,
        }
        for session in self:
            if session.state == "scheduled" and session.arrived_at:
                session.color = 3
            else:
                session.color = colors.get(session.state, 0)

    @api.depends("participant_ids.arrived_at")
    def _compute_arrived_at(self):
        for session in self:
            times = session.participant_ids.filtered("arrived_at").mapped("arrived_at")
            session.arrived_at = min(times) if times else False

    @api.depends("start", "state", "company_id.psy_late_cancel_hours")
    def _compute_cancel_timing(self):
        now = self._psy_now()
        for session in self:
            if session.state != "scheduled" or not session.start:
                session.cancel_timing = False
            elif session._is_late_cancellation(now):
                session.cancel_timing = "late"
            else:
                session.cancel_timing = "in_time"

    @api.onchange("modality")
    def _onchange_modality(self):
        if self.modality == "online":
            self.room_id = False

    @api.onchange("product_id")
    def _onchange_product_id(self):
        allowed = self.product_id.psy_modality
        if allowed in ("in_person", "online"):
            self.modality = allowed

    # ------------------------------------------------------------------
    # Participants: the patient of an individual session is its participant
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("patient_id") and not vals.get("participant_ids"):
                vals["participant_ids"] = [
                    Command.create({"patient_id": vals["patient_id"]})
                ]
        sessions = super().create(vals_list)
        sessions._psy_after_participants_change()
        # Sessions created already closed (only the superuser may: demo data,
        # imports) record the attendance of their participants with them.
        for session in sessions.filtered(lambda s: s.state in ATTENDANCE_OF_STATE):
            session.participant_ids.filtered(
                lambda p: p.attendance == "expected"
            )._psy_write_attendance(
                {
                    "attendance": ATTENDANCE_OF_STATE[session.state],
                    "cancel_date": session.cancel_date,
                }
            )
        return sessions

    def write(self, vals):
        main_before = {}
        if "patient_id" in vals and "participant_ids" not in vals:
            main_before = {session.id: session.patient_id for session in self}
        res = super().write(vals)
        if main_before:
            self._psy_replace_main_patient(main_before)
        if {"patient_id", "participant_ids", "product_id"} & set(vals):
            self._psy_after_participants_change()
        return res

    def _psy_replace_main_patient(self, main_before):
        """The patient of the session was changed on the session itself: the
        participant who was its patient becomes the new one (or the new one
        is added)."""
        Participant = self.env["psy.session.participant"]
        to_add = []
        for session in self:
            new = session.patient_id
            if not new or new in session.participant_ids.patient_id:
                continue
            line = session.participant_ids.filtered(
                lambda p, old=main_before[session.id]: p.patient_id == old
            )[:1]
            if line:
                line.patient_id = new
            else:
                to_add.append({"session_id": session.id, "patient_id": new.id})
        if to_add:
            Participant.create(to_add)

    def _psy_after_participants_change(self):
        """Keep the patient of the session among its participants (the first
        one), empty in group sessions, and the number of participants within
        what the session type allows."""
        for session in self:
            patients = session.participant_ids.patient_id
            if session.session_kind == "group":
                main = self.env["psy.patient"]
            elif session.patient_id in patients:
                main = session.patient_id
            else:
                main = patients[:1]
            if session.patient_id != main:
                session.patient_id = main
        self._check_participants()
        self.filtered("calendar_event_id")._psy_sync_calendar_events()

    def _psy_check_participants_editable(self):
        """Participants change only while the session is scheduled (the
        superuser may create closed sessions with theirs: demo data,
        imports)."""
        if self.env.su:
            return
        for session in self.filtered(lambda s: s.state != "scheduled"):
            raise UserError(
                self.env._(
                    "The session of %(who)s on %(date)s is %(state)s: its "
                    "participants can no longer change. Reopen it first.",
                    who=session._psy_who(),
                    date=session._psy_format_datetime(session.start),
                    state=session._psy_state_label(),
                )
            )

    def _check_participants(self):
        """A non-group session has its patient; no session holds more
        participants than its type takes (those who cancelled free their
        place)."""
        for session in self:
            count = len(
                session.participant_ids.filtered(
                    lambda p: p.attendance not in ("cancelled", "late_cancelled")
                )
            )
            capacity = session.product_id.product_tmpl_id._psy_capacity()
            if session.session_kind != "group" and not session.participant_ids:
                raise ValidationError(
                    self.env._(
                        "A %(kind)s session needs its patient. Choose the "
                        "patient of the session.",
                        kind=session._psy_selection_label("session_kind").lower(),
                    )
                )
            if capacity and count > capacity:
                raise ValidationError(
                    self.env._(
                        "%(type)s sessions take at most %(capacity)s "
                        "participants and this one has %(count)s. Remove "
                        "participants or choose another session type.",
                        type=session.product_id.name,
                        capacity=capacity,
                        count=count,
                    )
                )

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------

    @api.constrains("start", "stop")
    def _check_dates(self):
        if any(session.stop <= session.start for session in self):
            raise self._dates_error()

    @api.constrains("product_id", "modality", "room_id")
    def _check_modality(self):
        for session in self:
            allowed = session.product_id.psy_modality or "both"
            if allowed != "both" and allowed != session.modality:
                raise ValidationError(
                    self.env._(
                        "%(type)s sessions cannot be %(modality)s. Choose another "
                        "modality or another session type.",
                        type=session.product_id.name,
                        modality=session._psy_selection_label("modality").lower(),
                    )
                )
            if session.modality == "online" and session.room_id:
                raise ValidationError(
                    self.env._(
                        "An online session does not use a room. Remove the room "
                        "%(room)s or make the session in person.",
                        room=session.room_id.name,
                    )
                )

    @api.constrains("product_id")
    def _check_product_id(self):
        for session in self:
            if not session.product_id.is_psy_session_type:
                raise ValidationError(
                    self.env._(
                        "%(product)s is not a session type. Choose a service "
                        "marked as session type.",
                        product=session.product_id.display_name,
                    )
                )

    @api.constrains("professional_id", "company_id")
    def _check_professional_id(self):
        psychologists = self.env["res.users"]._psy_psychologist_domain()
        for session in self:
            # Reads the role and centers of the chosen user, nothing else.
            professional = session.professional_id.sudo()
            if not professional.filtered_domain(psychologists):
                raise ValidationError(
                    self.env._(
                        "%(user)s is not a psychologist of the center. Choose a "
                        "professional with the Psychologist role.",
                        user=professional.name,
                    )
                )
            if session.company_id not in professional.company_ids:
                raise ValidationError(
                    self.env._(
                        "%(user)s does not work at %(center)s. Choose a "
                        "professional of this center, or give the user access "
                        "to it.",
                        user=professional.name,
                        center=session.company_id.name,
                    )
                )

    # ------------------------------------------------------------------
    # Guarded fields: only the actions below change them
    # ------------------------------------------------------------------

    def _psy_access_refusals(self):
        return {
            "read": self.env._(
                "You cannot open the agenda: only the front desk, the psychologists, "
                "the clinical director and billing can."
            ),
            "write": self.env._(
                "You cannot change this session: only the front desk, the clinical "
                "director and the psychologist who runs it can."
            ),
            "create": self.env._(
                "You cannot book sessions: only the front desk, the psychologists and "
                "the clinical director can."
            ),
            "unlink": self.env._(
                "You cannot delete sessions: only the Psychology administrator can; "
                "cancel the session instead."
            ),
        }

    @api.model
    def _psy_guarded_fields(self):
        return super()._psy_guarded_fields() | {
            "state",
            "done_date",
            "cancel_date",
            "calendar_event_id",
            "reminder_sent",
            "overdue_activity_done",
            "arrived_at",
        }

    @api.model
    def _psy_guarded_initial_values(self):
        return {**super()._psy_guarded_initial_values(), "state": ("scheduled",)}

    @api.model
    def _psy_guard_error(self, field_names):
        if set(field_names) <= self._psy_closeout_fields():
            return self._psy_closeout_guard_error()
        if set(field_names) & {"state", "done_date", "cancel_date"}:
            return UserError(
                self.env._(
                    "The status of a session and its completion and cancellation "
                    "dates change only with the buttons of the session: Mark as "
                    "done, No-show, Cancel session and Reopen. A new session is "
                    "always scheduled. Use those buttons instead."
                )
            )
        return UserError(
            self.env._(
                "The calendar entry, the reminder and the follow-up of a session "
                "are kept by the agenda itself and cannot be set by hand. Change "
                "the session instead: its calendar entry follows."
            )
        )

    def _psy_write_state(self, vals):
        """The one write of every action that changes the status of sessions
        (after the action's checks). Modules that react to any status change
        extend it (e.g. the pack ledger); to react to one action, extend
        :meth:`_action_done`, :meth:`_action_cancel`, :meth:`_action_no_show`
        or :meth:`_action_reset`.

        The participants follow: those still expected take the attendance of
        the session's new status; reopened, those present or absent are
        expected again (those who cancelled stay cancelled)."""
        res = self._psy_write_guarded(vals)
        state = vals.get("state")
        if state in ATTENDANCE_OF_STATE:
            self.participant_ids.filtered(
                lambda p: p.attendance == "expected"
            )._psy_write_attendance(
                {
                    "attendance": ATTENDANCE_OF_STATE[state],
                    "cancel_date": vals.get("cancel_date", False),
                }
            )
        elif state == "scheduled":
            self.participant_ids.filtered(
                lambda p: p.attendance in ("present", "no_show")
            )._psy_write_attendance({"attendance": "expected"})
        return res

    # ------------------------------------------------------------------
    # Transitions
    # ------------------------------------------------------------------

    def _state_label(self):
        """Kept for the modules that called it: see ``_psy_state_label``."""
        return self._psy_state_label()

    def _psy_check_scheduled(self, action):
        """Refuse ``action`` ("done", "cancel", "no_show", "arrived") on
        sessions that are not scheduled, with a whole sentence per action."""
        for session in self.filtered(lambda s: s.state != "scheduled"):
            values = {
                "patient": session._psy_who(),
                "date": session._psy_format_datetime(session.start),
                "state": session._psy_state_label(),
            }
            if action == "done":
                message = self.env._(
                    "The session of %(patient)s on %(date)s is %(state)s: it "
                    "cannot be marked as done. Only scheduled sessions can.",
                    **values,
                )
            elif action == "no_show":
                message = self.env._(
                    "The session of %(patient)s on %(date)s is %(state)s: it "
                    "cannot be marked as no-show. Only scheduled sessions can.",
                    **values,
                )
            elif action == "arrived":
                message = self.env._(
                    "The session of %(patient)s on %(date)s is %(state)s: the "
                    "arrival is recorded for scheduled sessions only.",
                    **values,
                )
            else:
                message = self.env._(
                    "The session of %(patient)s on %(date)s is %(state)s: it "
                    "cannot be cancelled. Only scheduled sessions can.",
                    **values,
                )
            raise UserError(message)

    def _psy_check_started(self, action, now):
        """Refuse to close (``action`` "done" or "no_show") sessions that have
        not started at ``now``."""
        for session in self.filtered(lambda s: s.start > now):
            values = {
                "patient": session._psy_who(),
                "date": session._psy_format_datetime(session.start),
            }
            if action == "done":
                message = self.env._(
                    "The session of %(patient)s starts on %(date)s: it cannot be "
                    "marked as done before it starts. Cancel it instead if it "
                    "will not take place.",
                    **values,
                )
            else:
                message = self.env._(
                    "The session of %(patient)s starts on %(date)s: it cannot be "
                    "marked as no-show before it starts. Cancel it instead if it "
                    "will not take place.",
                    **values,
                )
            raise UserError(message)

    @api.model
    def action_psy_today(self):
        """The "Today" list of the Agenda menu: the day's sessions in order;
        a psychologist sees their own by default ("My sessions", which they
        may remove), the front desk everyone's, by room."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "psy_session.psy_session_action_today"
        )
        user = self.env.user
        if user.has_group("psy_patient.group_psy_psychologist") and not (
            user.has_group("psy_patient.group_psy_receptionist")
        ):
            action["context"] = {
                "search_default_filter_today": 1,
                "search_default_filter_mine": 1,
            }
        return action

    def action_done(self):
        """Complete the sessions: they must be scheduled, have started and
        have someone attending."""
        now = self._psy_now()
        self._psy_check_scheduled("done")
        self._psy_check_started("done", now)
        for session in self:
            if not session.participant_ids.filtered(
                lambda p: p.attendance in ("expected", "present")
            ):
                raise UserError(
                    self.env._(
                        "Nobody attends the session of %(who)s on %(date)s: "
                        "every participant cancelled or did not come. Mark it "
                        "as no-show or cancel it instead.",
                        who=session._psy_who(),
                        date=session._psy_format_datetime(session.start),
                    )
                )
        self._action_done(now)
        return True

    def action_arrived(self):
        """The patient is here: record the arrival of the participants still
        expected (checks of :meth:`psy.session.participant.action_arrived`)."""
        self._psy_check_scheduled("arrived")
        waiting = self.participant_ids.filtered(
            lambda p: p.attendance == "expected" and not p.arrived_at
        )
        for session in self - waiting.session_id:
            raise UserError(
                self.env._(
                    "Nobody is still expected at the session of %(who)s on "
                    "%(date)s: the arrivals are already recorded or every "
                    "participant cancelled.",
                    who=session._psy_who(),
                    date=session._psy_format_datetime(session.start),
                )
            )
        participants = waiting
        participants._psy_check_can_record_arrival()
        participants._action_arrived(self._psy_now())
        return True

    def _action_done(self, now):
        """Complete the sessions at ``now``, after the checks of
        :meth:`action_done`. Extension point of the modules that react to a
        completion (call ``super()`` first)."""
        return self._psy_write_state({"state": "done", "done_date": now})

    def _psy_late_cancel_deadline(self):
        """Last moment (naive UTC) to cancel the session in time.

        The window of the center is counted on the clock of the reader's time
        zone (the user's, else the center's): with 24 hours, a session on
        Monday at 10:00 is cancelled in time until Sunday at 10:00 local time,
        also when the clocks change in between."""
        self.ensure_one()
        tz = self.env["psy.patient"]._psy_tz()
        local_start = pytz.utc.localize(self.start).astimezone(tz).replace(tzinfo=None)
        local_deadline = local_start - timedelta(
            hours=self.company_id.psy_late_cancel_hours
        )
        deadline = tz.normalize(tz.localize(local_deadline))
        return deadline.astimezone(pytz.utc).replace(tzinfo=None)

    def _is_late_cancellation(self, now):
        """Late when cancelled after the deadline: cancelling exactly at the
        deadline is still in time."""
        self.ensure_one()
        return now > self._psy_late_cancel_deadline()

    def action_cancel(self):
        """Cancel the sessions now: in time or late according to the center's
        window (not a value the caller sends)."""
        self._psy_check_scheduled("cancel")
        self._action_cancel(self._psy_now())
        return True

    def _action_cancel(self, now):
        """Cancel the sessions at ``now``, late or in time, and say which in
        their chatter. Extension point of the modules that react to a
        cancellation (call ``super()`` first)."""
        late = self.filtered(lambda s: s._is_late_cancellation(now))
        in_time = self - late
        if late:
            late._psy_write_state({"state": "late_cancelled", "cancel_date": now})
        if in_time:
            in_time._psy_write_state({"state": "cancelled", "cancel_date": now})
        for session in self:
            hours = f"{session.company_id.psy_late_cancel_hours:g}"
            if session in late:
                body = self.env._(
                    "Late cancellation: cancelled less than %(hours)s hours "
                    "before the start.",
                    hours=hours,
                )
            else:
                body = self.env._(
                    "Cancelled in time: at least %(hours)s hours before the start.",
                    hours=hours,
                )
            session.message_post(body=body, subtype_xmlid="mail.mt_note")
        return True

    def _action_cancel_as(self, state, now):
        """Every participant of these sessions cancelled their attendance:
        the sessions are cancelled with them (``state`` cancelled or
        late_cancelled). Extension point like :meth:`_action_cancel`."""
        return self._psy_write_state({"state": state, "cancel_date": now})

    def action_no_show(self):
        """The patient did not come: the sessions must have started."""
        now = self._psy_now()
        self._psy_check_scheduled("no_show")
        self._psy_check_started("no_show", now)
        self._action_no_show()
        return True

    def _action_no_show(self):
        """Extension point of the modules that react to a no-show."""
        return self._psy_write_state({"state": "no_show"})

    def action_reset(self):
        """Reopen done sessions: by their professional or a clinical director,
        within the reopen window of the center."""
        now = self._psy_now()
        is_director = self.env.user.has_group("psy_patient.group_psy_director")
        for session in self:
            if session.state != "done":
                raise UserError(
                    self.env._(
                        "The session of %(patient)s is %(state)s: only done "
                        "sessions can be set back to scheduled.",
                        patient=session._psy_who(),
                        state=session._psy_state_label(),
                    )
                )
            if session.professional_id != self.env.user and not is_director:
                raise AccessError(
                    self.env._(
                        "Only %(professional)s or a clinical director can reopen "
                        "the session of %(patient)s.",
                        professional=session.professional_id.name,
                        patient=session._psy_who(),
                    )
                )
            days = session.company_id.psy_reset_days
            if session.done_date and now > session.done_date + timedelta(days=days):
                raise UserError(
                    self.env._(
                        "The session of %(patient)s was completed on %(date)s, "
                        "more than %(days)s days ago: it can no longer be "
                        "reopened. Ask the administrator to widen the reopen "
                        "window in the settings if this is a mistake.",
                        patient=session._psy_who(),
                        date=session._psy_format_datetime(session.done_date),
                        days=days,
                    )
                )
        self._action_reset()
        return True

    def _action_reset(self):
        """Set done sessions back to scheduled. Extension point of the modules
        that undo what a completion did (call ``super()`` first)."""
        return self._psy_write_state({"state": "scheduled", "done_date": False})

    # ------------------------------------------------------------------
    # Crons
    # ------------------------------------------------------------------

    @api.model
    def _cron_send_reminders(self, now=None):
        """E-mail the patients whose session starts within the reminder delay
        of their center, counted from ``now`` (default: the clock)."""
        now = now or self._psy_now()
        template = self.env.ref(
            "psy_session.mail_template_session_reminder", raise_if_not_found=False
        )
        if not template:
            return
        for company in self.env["res.company"].search([("psy_reminder_hours", ">", 0)]):
            sessions = self.search(
                [
                    ("company_id", "=", company.id),
                    ("state", "=", "scheduled"),
                    ("reminder_sent", "=", False),
                    ("start", ">", now),
                    (
                        "start",
                        "<=",
                        now + timedelta(hours=company.psy_reminder_hours),
                    ),
                ]
            )
            for session in sessions:
                if session.reminder_partner_ids:
                    template.send_mail(session.id)
            sessions._psy_write_guarded({"reminder_sent": True})

    @api.model
    def _cron_flag_overdue(self, now=None):
        """Ask the professional to close the sessions that ended before
        ``now`` (default: the clock) and are still scheduled."""
        now = now or self._psy_now()
        sessions = self.search(
            [
                ("state", "=", "scheduled"),
                ("stop", "<", now),
                ("overdue_activity_done", "=", False),
            ]
        )
        for session in sessions:
            # Written in the language of the professional who reads it.
            env = session._psy_env_of(session.professional_id)
            session.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=session.professional_id.id,
                summary=env._("Close this session"),
                note=env._(
                    "This session has ended and is still scheduled. Mark it as "
                    "done, no-show or cancelled."
                ),
            )
        sessions._psy_write_guarded({"overdue_activity_done": True})

    @api.model
    def _cron_run(self):
        self._cron_send_reminders()
        self._cron_flag_overdue()
