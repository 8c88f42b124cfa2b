import logging
import re
from datetime import timedelta

from psycopg2 import errors as pg_errors

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, format_datetime, mute_logger

_logger = logging.getLogger(__name__)

# Sessions in these states free their time slot.
FREE_STATES = ("cancelled", "late_cancelled")

# Exclusion constraints created in init(): name -> booked resource column.
BOOKING_CONSTRAINTS = {
    "psy_session_professional_no_overlap": "professional_id",
    "psy_session_room_no_overlap": "room_id",
    "psy_session_patient_no_overlap": "patient_id",
}
# Fields whose change can move or extend a booking (the end follows the type).
BOOKING_FIELDS = {"start", "stop", "state", "product_id", *BOOKING_CONSTRAINTS.values()}

# The detail of an exclusion violation ends with the existing key, e.g.
# "... conflicts with existing key (professional_id, tsrange(...))=(7,
# ["2026-11-24 10:00:00","2026-11-24 10:50:00"))." Only the values are read,
# so the server's message language does not matter.
CONFLICT_KEY_RE = re.compile(r"=\((\d+), \[\"?([^\",]+)\"?,\"?([^\")]+)\"?\)\)")


class PsySession(models.Model):
    _name = "psy.session"
    _description = "Therapy session"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "start desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    patient_id = fields.Many2one(
        comodel_name="psy.patient",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        ondelete="restrict",
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
        domain=lambda self: [
            ("groups_id", "in", self.env.ref("psy_patient.group_psy_psychologist").ids),
        ],
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

    _sql_constraints = [
        (
            "stop_after_start",
            "CHECK(stop > start)",
            "A session must end after it starts.",
        ),
    ]

    def init(self):
        cr = self.env.cr
        cr.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        for name, column in BOOKING_CONSTRAINTS.items():
            cr.execute("SELECT 1 FROM pg_constraint WHERE conname = %s", [name])
            if cr.fetchone():
                continue
            self.env.cr.execute(
                SQL(
                    """
                    ALTER TABLE psy_session ADD CONSTRAINT %s
                    EXCLUDE USING gist (
                        %s WITH =,
                        tsrange(start, stop, '[)') WITH &&
                    ) WHERE (state NOT IN %s)
                    """,
                    SQL.identifier(name),
                    SQL.identifier(column),
                    FREE_STATES,
                )
            )

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

    @api.depends("patient_id.name", "product_id.name")
    def _compute_name(self):
        for session in self:
            session.name = " - ".join(
                p for p in (session.product_id.name, session.patient_id.name) if p
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
        for session in self:
            session.company_id = session.patient_id.company_id or self.env.company

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

    @api.depends("state")
    def _compute_color(self):
        colors = {
            "scheduled": 4,
            "done": 10,
            "cancelled": 0,
            "late_cancelled": 2,
            "no_show": 1,
        }
        for session in self:
            session.color = colors.get(session.state, 0)

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
                        modality=dict(
                            session._fields["modality"]._description_selection(self.env)
                        )[session.modality].lower(),
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
        group = self.env.ref("psy_patient.group_psy_psychologist")
        for session in self:
            professional = session.professional_id.sudo()
            if group not in professional.groups_id:
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
    # Double booking: the exclusion constraints decide, we explain.
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        try:
            # A refused booking is expected, not a server error: keep it out
            # of the log and explain it to the user instead.
            with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                sessions = super().create(vals_list)
                sessions.flush_recordset()
        except pg_errors.ExclusionViolation as error:
            raise self._booking_conflict_error(error) from None
        except pg_errors.CheckViolation:
            raise self._dates_error() from None
        sessions._create_calendar_events()
        return sessions

    def write(self, vals):
        if BOOKING_FIELDS & set(vals):
            try:
                with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                    res = super().write(vals)
                    self.flush_recordset()
            except pg_errors.ExclusionViolation as error:
                raise self._booking_conflict_error(error) from None
            except pg_errors.CheckViolation:
                raise self._dates_error() from None
        else:
            res = super().write(vals)
        if not self.env.context.get("psy_session_sync"):
            self._sync_calendar_events(vals)
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
        constraint = error.diag.constraint_name
        column = BOOKING_CONSTRAINTS.get(constraint, "professional_id")
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
        what = {
            "professional_id": self.env._("The professional %(name)s"),
            "room_id": self.env._("The room %(name)s"),
            "patient_id": self.env._("The patient %(name)s"),
        }[column] % {"name": other["resource"]}
        return ValidationError(
            self.env._(
                "%(what)s is already booked from %(start)s to %(stop)s "
                "(session of %(patient)s with %(professional)s). "
                "Choose another time, or cancel or move that session first.",
                what=what,
                start=format_datetime(self.env, other["start"], dt_format="short"),
                stop=format_datetime(self.env, other["stop"], dt_format="short"),
                patient=other["patient"],
                professional=other["professional"],
            )
        )

    @api.model
    def _find_booking(self, column, resource_id, start, stop):
        """Session occupying ``[start, stop)`` for the resource, as a dict of
        display values, or None. Reads as superuser: it only tells names and
        times, which every user of the agenda may know."""
        self.env.cr.execute(
            SQL(
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
        )
        row = self.env.cr.fetchone()
        if not row:
            return None
        session = self.sudo().browse(row[0])
        resource = session[column]
        return {
            "resource": resource.name,
            "start": session.start,
            "stop": session.stop,
            "patient": session.patient_id.name,
            "professional": session.professional_id.name,
        }

    # ------------------------------------------------------------------
    # Calendar
    # ------------------------------------------------------------------

    def _calendar_event_values(self):
        self.ensure_one()
        partners = self.professional_id.partner_id | self.patient_id.partner_id
        return {
            "name": self.name,
            "start": self.start,
            "stop": self.stop,
            "user_id": self.professional_id.id,
            "partner_ids": [fields.Command.set(partners.ids)],
            "privacy": "private",
            "show_as": "busy",
            "location": self.room_id.name or False,
            "psy_session_id": self.id,
        }

    def _calendar_env(self):
        """Events are kept in step with their session as superuser: whoever may
        change the session may move its event."""
        return (
            self.env["calendar.event"]
            .sudo()
            .with_context(
                psy_session_sync=True,
                no_mail_to_attendees=True,
                dont_notify=True,
            )
        )

    def _create_calendar_events(self):
        Event = self._calendar_env()
        vals_list = []
        for session in self:
            vals = session._calendar_event_values()
            if session.modality == "online":
                vals["videocall_location"] = (
                    session.video_url or Event.get_discuss_videocall_location()
                )
            vals_list.append(vals)
        events = Event.create(vals_list)
        events.filtered(lambda e: e.psy_session_id.state in FREE_STATES).active = False
        for session, event in zip(
            self.with_context(psy_session_sync=True), events, strict=True
        ):
            session.calendar_event_id = event
            if session.modality == "online" and not session.video_url:
                session.video_url = event.videocall_location

    def _sync_calendar_events(self, vals):
        watched = {
            "start",
            "stop",
            "patient_id",
            "professional_id",
            "product_id",
            "room_id",
            "modality",
            "video_url",
            "state",
        }
        if not watched & set(vals):
            return
        Event = self._calendar_env()
        for session in self:
            event = Event.browse(session.calendar_event_id.id).with_context(
                active_test=False
            )
            if not event.exists():
                session._create_calendar_events()
                continue
            event_vals = session._calendar_event_values()
            event_vals.pop("psy_session_id")
            event_vals["active"] = session.state not in FREE_STATES
            if session.modality == "online":
                event_vals["videocall_location"] = (
                    session.video_url or Event.get_discuss_videocall_location()
                )
            else:
                event_vals["videocall_location"] = False
            event.write(event_vals)
            if session.modality == "online" and not session.video_url:
                session.with_context(
                    psy_session_sync=True
                ).video_url = event.videocall_location

    def unlink(self):
        # Their calendar entries (archived ones included) go with them.
        self.check_access("unlink")
        self._calendar_env().with_context(active_test=False).browse(
            self.calendar_event_id.ids
        ).unlink()
        return super().unlink()

    def _move_from_calendar(self, start, stop):
        """The event was moved in the Calendar app: move the session."""
        for session in self:
            if session.state != "scheduled":
                raise UserError(
                    self.env._(
                        "The session of %(patient)s is %(state)s and cannot be "
                        "moved. Only scheduled sessions can be moved.",
                        patient=session.patient_id.name,
                        state=session._state_label(),
                    )
                )
        self.with_context(psy_session_sync=True).write({"start": start, "stop": stop})

    def action_open_calendar_event(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "calendar.event",
            "res_id": self.calendar_event_id.id,
            "view_mode": "form",
        }

    # ------------------------------------------------------------------
    # Transitions
    # ------------------------------------------------------------------

    def _state_label(self):
        self.ensure_one()
        return dict(self._fields["state"]._description_selection(self.env))[
            self.state
        ].lower()

    def _check_state(self, allowed, action):
        for session in self:
            if session.state not in allowed:
                raise UserError(
                    self.env._(
                        "The session of %(patient)s on %(date)s is %(state)s: it "
                        "cannot be %(action)s. Only scheduled sessions can.",
                        patient=session.patient_id.name,
                        date=format_datetime(
                            self.env, session.start, dt_format="short"
                        ),
                        state=session._state_label(),
                        action=action,
                    )
                )

    def _check_started(self, action):
        now = self._psy_now()
        for session in self:
            if session.start > now:
                raise UserError(
                    self.env._(
                        "The session of %(patient)s starts on %(date)s: it cannot "
                        "be %(action)s before it starts. Cancel it instead if it "
                        "will not take place.",
                        patient=session.patient_id.name,
                        date=format_datetime(
                            self.env, session.start, dt_format="short"
                        ),
                        action=action,
                    )
                )

    def action_done(self):
        self._check_state(("scheduled",), self.env._("marked as done"))
        self._check_started(self.env._("marked as done"))
        self.write({"state": "done", "done_date": self._psy_now()})
        return True

    def _is_late_cancellation(self, now):
        """Late when cancelled inside the window: cancelling exactly
        ``window`` hours before the start is still in time."""
        self.ensure_one()
        window = timedelta(hours=self.company_id.psy_late_cancel_hours)
        return now > self.start - window

    def action_cancel(self):
        self._check_state(("scheduled",), self.env._("cancelled"))
        now = self._psy_now()
        for session in self:
            late = session._is_late_cancellation(now)
            session.write(
                {
                    "state": "late_cancelled" if late else "cancelled",
                    "cancel_date": now,
                }
            )
            hours_label = f"{session.company_id.psy_late_cancel_hours:g}"
            if late:
                body = self.env._(
                    "Late cancellation: cancelled less than %(hours)s hours "
                    "before the start.",
                    hours=hours_label,
                )
            else:
                body = self.env._(
                    "Cancelled in time: at least %(hours)s hours before the start.",
                    hours=hours_label,
                )
            session.message_post(body=body, subtype_xmlid="mail.mt_note")
        return True

    def action_no_show(self):
        self._check_state(("scheduled",), self.env._("marked as no-show"))
        self._check_started(self.env._("marked as no-show"))
        self.write({"state": "no_show"})
        return True

    def action_reset(self):
        now = self._psy_now()
        is_director = self.env.user.has_group("psy_patient.group_psy_director")
        for session in self:
            if session.state != "done":
                raise UserError(
                    self.env._(
                        "The session of %(patient)s is %(state)s: only done "
                        "sessions can be set back to scheduled.",
                        patient=session.patient_id.name,
                        state=session._state_label(),
                    )
                )
            if session.professional_id != self.env.user and not is_director:
                raise AccessError(
                    self.env._(
                        "Only %(professional)s or a clinical director can reopen "
                        "the session of %(patient)s.",
                        professional=session.professional_id.name,
                        patient=session.patient_id.name,
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
                        patient=session.patient_id.name,
                        date=format_datetime(
                            self.env, session.done_date, dt_format="short"
                        ),
                        days=days,
                    )
                )
        self.write({"state": "scheduled", "done_date": False})
        return True

    # ------------------------------------------------------------------
    # Crons
    # ------------------------------------------------------------------

    @api.model
    def _cron_send_reminders(self):
        now = self._psy_now()
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
                if session.patient_id.partner_id.email:
                    template.send_mail(session.id)
            sessions.write({"reminder_sent": True})

    @api.model
    def _cron_flag_overdue(self):
        now = self._psy_now()
        sessions = self.search(
            [
                ("state", "=", "scheduled"),
                ("stop", "<", now),
                ("overdue_activity_done", "=", False),
            ]
        )
        for session in sessions:
            session.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=session.professional_id.id,
                summary=self.env._("Close this session"),
                note=self.env._(
                    "This session has ended and is still scheduled. Mark it as "
                    "done, no-show or cancelled."
                ),
            )
        sessions.write({"overdue_activity_done": True})

    @api.model
    def _cron_run(self):
        self._cron_send_reminders()
        self._cron_flag_overdue()
