from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_datetime

# Changing these fields of a scheduled session books it again.
BOOKING_FIELDS = {"patient_id", "participant_ids", "modality", "start"}
# Set by a clinical director's override only (``_override_consent_check``).
OVERRIDE_FIELDS = {
    "consent_override",
    "consent_override_reason",
    "consent_override_user_id",
    "consent_override_date",
}


# What the consents missing for a session follow: who takes part, how and
# when, what the center requires, and the consents of those patients.
MISSING_CONSENT_DEPENDS = (
    "patient_id",
    "modality",
    "start",
    "participant_ids.patient_id",
    "participant_ids.attendance",
    "company_id.psy_consent_type_ids",
    "company_id.psy_consent_online_type_ids",
    "participant_ids.patient_id.consent_ids.signed_date",
    "participant_ids.patient_id.consent_ids.revocation_date",
    "participant_ids.patient_id.consent_ids.superseded_date",
    "participant_ids.patient_id.consent_ids.expiry_date",
    "patient_id.consent_ids.signed_date",
    "patient_id.consent_ids.revocation_date",
    "patient_id.consent_ids.superseded_date",
    "patient_id.consent_ids.expiry_date",
)


class PsySession(models.Model):
    _inherit = "psy.session"

    consent_missing_type_ids = fields.Many2many(
        comodel_name="psy.consent.type",
        string="Missing consents",
        compute="_compute_consent_missing_type_ids",
        help="Consents the center needs for this session that the patient has "
        "not validly signed.",
    )
    consent_missing_label = fields.Char(
        string="Missing consents per participant",
        compute="_compute_consent_missing_type_ids",
        help="What each participant of a couple, family or group session "
        "still has to sign.",
    )
    closeout_consent_missing = fields.Boolean(
        string="Consents missing",
        compute="_compute_closeout_consent_missing",
        store=True,
        readonly=True,
        help="A participant of the session had no valid consent at its start "
        "and no clinical director overrode the check.",
    )
    consent_override = fields.Boolean(
        string="Consent check overridden",
        readonly=True,
        copy=False,
        tracking=True,
    )
    consent_override_reason = fields.Text(
        string="Override reason", readonly=True, copy=False
    )
    consent_override_user_id = fields.Many2one(
        comodel_name="res.users",
        string="Overridden by",
        readonly=True,
        copy=False,
    )
    consent_override_date = fields.Datetime(
        string="Overridden on", readonly=True, copy=False
    )

    @api.depends(*MISSING_CONSENT_DEPENDS)
    def _compute_consent_missing_type_ids(self):
        sessions = self.filtered(lambda s: s._consent_patients() and s.start)
        missing = sessions._consent_missing_by_patient()
        Type = self.env["psy.consent.type"]
        for session in self:
            by_patient = missing.get(session, {})
            session.consent_missing_type_ids = Type.union(*by_patient.values())
            session.consent_missing_label = (
                session._consent_missing_text(by_patient) if by_patient else False
            )

    # Close-out: the consents were valid at the start of a session that took
    # place (or is still to take place); a cancelled session or a no-show
    # needs none. A clinical director's override counts as valid.
    @api.depends("state", "consent_override", *MISSING_CONSENT_DEPENDS)
    def _compute_closeout_consent_missing(self):
        checked = self.filtered(
            lambda s: s.state in ("scheduled", "done")
            and not s.consent_override
            and s.start
            and s._consent_patients()
        )
        missing = checked._consent_missing_by_patient()
        for session in self:
            session.closeout_consent_missing = session in missing

    @api.model
    def _psy_closeout_flags(self):
        return [*super()._psy_closeout_flags(), "closeout_consent_missing"]

    def _psy_closeout_labels(self):
        return {
            **super()._psy_closeout_labels(),
            "closeout_consent_missing": self.env._("consents"),
        }

    def _psy_closeout_details(self):
        """Which consents are missing, per participant of a joint session.
        The caller's read access to the sessions is checked, then the
        consents and names are read as superuser (billing reads the list
        of sessions to close, not the patient files)."""
        details = super()._psy_closeout_details()
        missing = self.filtered("closeout_consent_missing")
        if not missing:
            return details
        missing.check_access("read")
        for session, by_patient in missing.sudo()._consent_missing_by_patient().items():
            details.setdefault(session.sudo(False), {})["closeout_consent_missing"] = (
                session._consent_missing_label(by_patient)
            )
        return details

    def _consent_needed_types(self):
        self.ensure_one()
        company = self.company_id
        needed = company.psy_consent_type_ids
        if self.modality == "online":
            needed |= company.psy_consent_online_type_ids
        return needed

    def _consent_patients(self):
        """The patients who must hold the consents of the session: its
        participants still expected or present (each one, or their
        guardians for a minor, signs for themselves)."""
        self.ensure_one()
        participants = self.participant_ids.filtered(
            lambda p: p.attendance in ("expected", "present")
        )
        if participants or self.participant_ids:
            return participants.patient_id
        return self.patient_id

    def _consent_missing_by_patient(self):
        """{session: {patient: consent types missing at its start}}, for the
        sessions and participants that lack some; one search for all."""
        sessions = self.filtered(lambda s: s._consent_needed_types())
        keys = []
        requests = []
        for session in sessions:
            needed = session._consent_needed_types()
            for patient in session._consent_patients():
                keys.append((session, patient))
                requests.append((patient, needed, session.start))
        missing = self.env["psy.consent"]._missing_types(requests, self)
        result = {}
        for (session, patient), types in zip(keys, missing, strict=True):
            if types:
                result.setdefault(session, {})[patient] = types
        return result

    def _consent_missing(self):
        """{session: consent types missing at its start for any of its
        participants}, for the sessions that need consents."""
        Type = self.env["psy.consent.type"]
        return {
            session: Type.union(*by_patient.values())
            for session, by_patient in self._consent_missing_by_patient().items()
        }

    def _consent_missing_label(self, by_patient):
        """What is missing for this session: the types for an individual
        session, the types per participant for a joint one."""
        self.ensure_one()
        if self.session_kind in (False, "individual"):
            types = self.env["psy.consent.type"].union(*by_patient.values())
            return ", ".join(types.mapped("name"))
        return self._consent_missing_text(by_patient)

    def _consent_missing_text(self, by_patient):
        """ "Ana López: Treatment; Luis García: Treatment, Data protection"."""
        names = self._consent_patient_names(self.env["psy.patient"].union(*by_patient))
        return "; ".join(
            self.env._(
                "%(patient)s: %(types)s",
                patient=names[patient.id],
                types=", ".join(types.mapped("name")),
            )
            for patient, types in by_patient.items()
        )

    def _consent_patient_names(self, patients):
        """{patient id: name} of the patients of these sessions: whoever reads
        a session reads whom it is for, as its title says, also without
        access to the patient files (the billing role)."""
        self.check_access("read")
        return {patient.id: patient.name for patient in patients.sudo()}

    @api.model
    def _psy_guarded_fields(self):
        return super()._psy_guarded_fields() | OVERRIDE_FIELDS

    @api.model
    def _psy_guard_error(self, field_names):
        if field_names <= OVERRIDE_FIELDS:
            return AccessError(
                self.env._(
                    "Only a clinical director overrides the consent check of a "
                    "session, with the Override consent check button and a "
                    "reason."
                )
            )
        return super()._psy_guard_error(field_names)

    def _check_consents(self, booking=False):
        """Refuse to complete (or, with ``booking``, to book) sessions whose
        patient lacks a needed consent, unless a director overrode the
        check."""
        missing = self.filtered(
            lambda s: not s.consent_override
        )._consent_missing_by_patient()
        if not missing:
            return
        if all(s.session_kind in (False, "individual") for s in missing):
            lines = "\n".join(
                self.env._(
                    "- %(patient)s, session of %(date)s: %(types)s",
                    patient=session.patient_id.name,
                    date=format_datetime(self.env, session.start, dt_format="short"),
                    types=session._consent_missing_label(by_patient),
                )
                for session, by_patient in missing.items()
            )
            if booking:
                message = self.env._(
                    "These sessions cannot be booked: the patient has no valid "
                    "consent for\n%(lines)s\nHave the consents signed (Consents on "
                    "the patient file) or ask a clinical director to override the "
                    "check with a reason.",
                    lines=lines,
                )
            else:
                message = self.env._(
                    "These sessions cannot be marked as done: the patient has no "
                    "valid consent for\n%(lines)s\nHave the consents signed "
                    "(Consents on the patient file) or ask a clinical director to "
                    "override the check with a reason.",
                    lines=lines,
                )
            raise UserError(message)
        lines = "\n".join(
            self.env._(
                "- Session of %(who)s on %(date)s: %(missing)s",
                who=session._psy_who(),
                date=format_datetime(self.env, session.start, dt_format="short"),
                missing=self._consent_missing_text(by_patient),
            )
            for session, by_patient in missing.items()
        )
        if booking:
            message = self.env._(
                "These sessions cannot be booked: some participants have no "
                "valid consent. Missing, per participant:\n%(lines)s\nHave the "
                "consents signed (Consents on the file of each patient, by "
                "their guardians for a minor) or ask a clinical director to "
                "override the check with a reason.",
                lines=lines,
            )
        else:
            message = self.env._(
                "These sessions cannot be marked as done: some participants "
                "have no valid consent. Missing, per participant:\n%(lines)s\n"
                "Have the consents signed (Consents on the file of each "
                "patient, by their guardians for a minor) or ask a clinical "
                "director to override the check with a reason.",
                lines=lines,
            )
        raise UserError(message)

    @api.model_create_multi
    def create(self, vals_list):
        sessions = super().create(vals_list)
        sessions.filtered(lambda s: s.state == "done")._check_consents()
        gated = sessions.filtered(
            lambda s: s.state == "scheduled" and s.company_id.psy_consent_gate_booking
        )
        gated._check_consents(booking=True)
        return sessions

    def write(self, vals):
        if vals.get("state") == "done":
            # The gate sits where every way of completing a session passes
            # (``action_done`` writes the status through ``_psy_write_state``),
            # after the guard of the status.
            self._psy_check_guarded_vals(vals)
            self.filtered(lambda s: s.state != "done")._check_consents()
        res = super().write(vals)
        if BOOKING_FIELDS & set(vals):
            gated = self.filtered(
                lambda s: s.state == "scheduled"
                and s.company_id.psy_consent_gate_booking
            )
            gated._check_consents(booking=True)
        return res

    def action_open_consent_override(self):
        if not self.env.user.has_group("psy_patient.group_psy_director"):
            raise AccessError(
                self.env._("Only a clinical director can override the consent check.")
            )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Override the consent check"),
            "res_model": "psy.session.consent.override.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_session_ids": self.ids},
        }

    def _override_consent_check(self, reason):
        """Record a director's override on the sessions and in their chatter."""
        if not self.env.user.has_group("psy_patient.group_psy_director"):
            raise AccessError(
                self.env._("Only a clinical director can override the consent check.")
            )
        if not isinstance(reason, str) or not reason.strip():
            raise UserError(
                self.env._("Explain why the session may go ahead without consent.")
            )
        missing = self._consent_missing_by_patient()
        self._psy_write_guarded(
            {
                "consent_override": True,
                "consent_override_reason": reason.strip(),
                "consent_override_user_id": self.env.uid,
                "consent_override_date": fields.Datetime.now(),
            }
        )
        for session in self:
            by_patient = missing.get(session)
            if by_patient:
                body = self.env._(
                    "Consent check overridden by %(user)s. Missing consents: "
                    "%(types)s. Reason: %(reason)s",
                    user=self.env.user.name,
                    types=session._consent_missing_label(by_patient),
                    reason=reason.strip(),
                )
            else:
                body = self.env._(
                    "Consent check overridden by %(user)s; no consent was "
                    "missing. Reason: %(reason)s",
                    user=self.env.user.name,
                    reason=reason.strip(),
                )
            session.message_post(body=body, subtype_xmlid="mail.mt_note")
