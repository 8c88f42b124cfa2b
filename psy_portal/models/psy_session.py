# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

# Pre-session checklist of an online session (who and when recorded too).
CHECKLIST_FIELDS = {
    "psy_tele_identity_ok",
    "psy_tele_location",
    "psy_tele_emergency_ok",
    "psy_tele_private_ok",
    "psy_tele_checklist_user_id",
    "psy_tele_checklist_date",
}
# "Connection failed" record of an online session.
CONNECTION_FIELDS = {
    "psy_tele_failed",
    "psy_tele_fallback",
    "psy_tele_failed_note",
    "psy_tele_failed_user_id",
    "psy_tele_failed_date",
}
FALLBACKS = [
    ("phone", "Continued by phone"),
    ("reschedule", "To be rescheduled"),
]


class PsySession(models.Model):
    """The patient's side of a session (portal: cancellation terms, joining
    an online session) and the professional's teletherapy records: the
    pre-session checklist and the "connection failed" fallback."""

    _inherit = "psy.session"

    # Staff notes: never to portal users (they read their sessions).
    note = fields.Text(groups="base.group_user")
    consent_override_reason = fields.Text(groups="base.group_user")
    # Who else takes part in a group session is not the portal's to read.
    patient_ids = fields.Many2many(groups="base.group_user")
    reminder_partner_ids = fields.Many2many(groups="base.group_user")
    psy_tele_identity_ok = fields.Boolean(
        string="Identity confirmed", readonly=True, copy=False
    )
    psy_tele_location = fields.Char(
        string="Patient location",
        readonly=True,
        copy=False,
        help="Where the patient is during the online session (for an emergency).",
    )
    psy_tele_emergency_ok = fields.Boolean(
        string="Emergency contact at hand", readonly=True, copy=False
    )
    psy_tele_private_ok = fields.Boolean(
        string="Private space", readonly=True, copy=False
    )
    psy_tele_checklist_user_id = fields.Many2one(
        comodel_name="res.users",
        string="Checklist by",
        readonly=True,
        copy=False,
    )
    psy_tele_checklist_date = fields.Datetime(
        string="Checklist on", readonly=True, copy=False
    )
    psy_tele_failed = fields.Boolean(
        string="Connection failed", readonly=True, copy=False
    )
    psy_tele_fallback = fields.Selection(
        selection=FALLBACKS,
        string="Fallback",
        readonly=True,
        copy=False,
    )
    psy_tele_failed_note = fields.Text(
        string="Connection failure note",
        readonly=True,
        copy=False,
        groups="base.group_user",
    )
    psy_tele_failed_user_id = fields.Many2one(
        comodel_name="res.users",
        string="Failure recorded by",
        readonly=True,
        copy=False,
    )
    psy_tele_failed_date = fields.Datetime(
        string="Failure recorded on", readonly=True, copy=False
    )

    # ------------------------------------------------------------------
    # Guarded fields
    # ------------------------------------------------------------------

    @api.model
    def _psy_guarded_fields(self):
        return super()._psy_guarded_fields() | CHECKLIST_FIELDS | CONNECTION_FIELDS

    @api.model
    def _psy_guard_error(self, field_names):
        if set(field_names) <= CHECKLIST_FIELDS | CONNECTION_FIELDS:
            return UserError(
                self.env._(
                    "The teletherapy checklist and the connection failure of a "
                    "session are recorded with their buttons only (Pre-session "
                    "checklist, Connection failed). Use those buttons instead."
                )
            )
        return super()._psy_guard_error(field_names)

    # ------------------------------------------------------------------
    # Teletherapy: checklist and connection failure (professional)
    # ------------------------------------------------------------------

    def _psy_check_teletherapy(self, action):
        """Only the professional of a scheduled online session (or a
        clinical director) records its checklist or its connection failure."""
        is_director = self.env.user.has_group("psy_patient.group_psy_director")
        for session in self:
            if session.modality != "online":
                raise UserError(
                    self.env._(
                        "The session of %(who)s on %(date)s is held in person: "
                        "the teletherapy checklist and the connection failure "
                        "are for online sessions.",
                        who=session._psy_who(),
                        date=session._psy_format_datetime(session.start),
                    )
                )
            if session.state != "scheduled":
                raise UserError(
                    self.env._(
                        "The session of %(who)s on %(date)s is %(state)s: the "
                        "teletherapy records are taken while it is scheduled.",
                        who=session._psy_who(),
                        date=session._psy_format_datetime(session.start),
                        state=session._psy_state_label(),
                    )
                )
            if session.professional_id != self.env.user and not is_director:
                raise AccessError(
                    self.env._(
                        "Only %(professional)s or a clinical director can record "
                        "the %(action)s of the session of %(who)s.",
                        professional=session.professional_id.name,
                        action=action,
                        who=session._psy_who(),
                    )
                )
        self.check_access("write")

    def action_psy_open_checklist(self):
        self.ensure_one()
        self._psy_check_teletherapy(self.env._("checklist"))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Pre-session checklist"),
            "res_model": "psy.session.checklist.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_session_id": self.id},
        }

    def action_psy_open_connection_failed(self):
        self.ensure_one()
        self._psy_check_teletherapy(self.env._("connection failure"))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Connection failed"),
            "res_model": "psy.session.connection.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_session_id": self.id},
        }

    def _psy_record_checklist(self, identity, location, emergency, private):
        """Record the checklist of the professional (after the checks of
        :meth:`_psy_check_teletherapy`): who and when come from the server."""
        self._psy_check_teletherapy(self.env._("checklist"))
        if not (identity and emergency and private and (location or "").strip()):
            raise UserError(
                self.env._(
                    "Confirm the patient's identity, write where the patient is, "
                    "and confirm the emergency contact and the private space "
                    "before starting the online session."
                )
            )
        self._psy_write_guarded(
            {
                "psy_tele_identity_ok": True,
                "psy_tele_location": location.strip(),
                "psy_tele_emergency_ok": True,
                "psy_tele_private_ok": True,
                "psy_tele_checklist_user_id": self.env.user.id,
                "psy_tele_checklist_date": self._psy_now(),
            }
        )
        for session in self:
            session.message_post(
                body=self.env._("Pre-session checklist completed."),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def _psy_record_connection_failed(self, fallback, note):
        """The video call could not be held: record the fallback and cancel
        the session in time, whatever the hour, so that neither a pack
        session nor a fee is charged for it (a cancelled session consumes
        and bills nothing). A session to reschedule leaves an activity to
        the front desk."""
        self._psy_check_teletherapy(self.env._("connection failure"))
        if fallback not in dict(FALLBACKS):
            raise UserError(
                self.env._(
                    "Choose what replaces the video call: continued by phone or "
                    "to be rescheduled."
                )
            )
        now = self._psy_now()
        self._psy_write_guarded(
            {
                "psy_tele_failed": True,
                "psy_tele_fallback": fallback,
                "psy_tele_failed_note": (note or "").strip() or False,
                "psy_tele_failed_user_id": self.env.user.id,
                "psy_tele_failed_date": now,
            }
        )
        self._action_cancel_as("cancelled", now)
        label = dict(self._fields["psy_tele_fallback"]._description_selection(self.env))
        for session in self:
            session.message_post(
                body=self.env._(
                    "Connection failed (%(fallback)s): the session is cancelled "
                    "without charge.",
                    fallback=label[fallback],
                ),
                subtype_xmlid="mail.mt_note",
            )
        if fallback == "reschedule":
            self._psy_front_desk_activity(
                lambda env: (
                    env._("Reschedule the online session"),
                    env._("The video call failed: offer the patient a new time."),
                )
            )
        return True

    def _psy_front_desk_user(self):
        """A receptionist of the session's center, else its professional."""
        self.ensure_one()
        group = self.env.ref("psy_patient.group_psy_receptionist")
        receptionist = (
            self.env["res.users"]
            .sudo()
            .search(
                [
                    ("groups_id", "in", group.ids),
                    ("company_ids", "in", self.company_id.ids),
                    ("share", "=", False),
                ],
                order="id",
                limit=1,
            )
        )
        return receptionist or self.professional_id

    def _psy_front_desk_activity(self, texts):
        """A to-do for the front desk on each session, as superuser: the
        caller's right on the session was checked by the caller's action.
        ``texts(env)`` gives its summary and note, written in the language of
        the user who receives it."""
        todo = self.env.ref("mail.mail_activity_data_todo")
        for session in self:
            user = session._psy_front_desk_user()
            summary, note = texts(session._psy_env_of(user))
            session.sudo().activity_schedule(
                activity_type_id=todo.id,
                summary=summary,
                note=note,
                user_id=user.id,
            )

    # ------------------------------------------------------------------
    # Portal: what the patient sees and may do
    # ------------------------------------------------------------------

    def _psy_portal_cancel_terms(self, participants, now):
        """What cancelling ``participants`` (of this session) at ``now``
        means, as the portal announces it and the participant's action then
        applies it: {late, deadline, cost ("none", "pack" or "fee"), voucher,
        fee}. Read as the caller, who must be able to read the session."""
        self.ensure_one()
        late = self._is_late_cancellation(now)
        terms = {
            "late": late,
            "deadline": self._psy_late_cancel_deadline(),
            "cost": "none",
            "voucher": self.env["psy.voucher"],
            "fee": 0.0,
        }
        if not late:
            return terms
        company = self.company_id
        Voucher = self.env["psy.voucher"].sudo()
        if self.session_kind == "group":
            patient = participants.patient_id[:1]
            voucher = Voucher._find_eligible_voucher(self.sudo(), patient=patient)
        else:
            others = self.participant_ids.sudo() - participants.sudo()
            if others.filtered(
                lambda p: p.attendance not in ("cancelled", "late_cancelled")
            ):
                # The session goes on with the others: nothing is charged.
                return terms
            voucher = Voucher._find_eligible_voucher(self.sudo())
        template = voucher.product_id.product_tmpl_id
        if voucher and template._psy_voucher_consumes("late_cancelled", company):
            terms.update(cost="pack", voucher=voucher)
        elif company.psy_fee_late_cancel:
            terms.update(cost="fee", fee=self.sudo()._psy_fee_price())
        return terms

    def _psy_portal_join_state(self, patients, now):
        """Whether ``patients`` (the portal user's, in this session) may join
        the online session at ``now``: "open", "early" (the button opens
        later), "closed" (over, cancelled or not online), "consent" (a valid
        teletherapy consent is missing) or "no_link"."""
        self.ensure_one()
        if self.modality != "online" or self.state != "scheduled" or now > self.stop:
            return "closed"
        minutes = self.company_id.psy_portal_join_minutes
        if now < self.start - timedelta(minutes=minutes):
            return "early"
        needed = self.company_id.psy_consent_online_type_ids
        if needed and not self.consent_override and patients:
            missing = self.env["psy.consent"]._missing_types(
                [(patient, needed, now) for patient in patients], self
            )
            if any(missing):
                return "consent"
        if not self.video_url:
            return "no_link"
        return "open"

    def _psy_portal_join_opens(self):
        self.ensure_one()
        return self.start - timedelta(minutes=self.company_id.psy_portal_join_minutes)
