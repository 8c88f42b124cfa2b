from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_datetime

# Changing these fields of a scheduled session books it again.
BOOKING_FIELDS = {"patient_id", "modality", "start"}
# Set by a clinical director's override only (``_override_consent_check``).
OVERRIDE_FIELDS = {
    "consent_override",
    "consent_override_reason",
    "consent_override_user_id",
    "consent_override_date",
}


class PsySession(models.Model):
    _inherit = "psy.session"

    consent_missing_type_ids = fields.Many2many(
        comodel_name="psy.consent.type",
        string="Missing consents",
        compute="_compute_consent_missing_type_ids",
        help="Consents the center needs for this session that the patient has "
        "not validly signed.",
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

    @api.depends(
        "patient_id",
        "modality",
        "start",
        "company_id.psy_consent_type_ids",
        "company_id.psy_consent_online_type_ids",
        "patient_id.consent_ids.signed_date",
        "patient_id.consent_ids.revocation_date",
        "patient_id.consent_ids.superseded_date",
        "patient_id.consent_ids.expiry_date",
    )
    def _compute_consent_missing_type_ids(self):
        sessions = self.filtered(lambda s: s.patient_id and s.start)
        missing = sessions._consent_missing()
        for session in self:
            session.consent_missing_type_ids = missing.get(
                session, self.env["psy.consent.type"]
            )

    def _consent_needed_types(self):
        self.ensure_one()
        company = self.company_id
        needed = company.psy_consent_type_ids
        if self.modality == "online":
            needed |= company.psy_consent_online_type_ids
        return needed

    def _consent_missing(self):
        """{session: consent types missing at its start}, for the sessions
        that need consents; one search for all."""
        sessions = self.filtered(lambda s: s._consent_needed_types())
        requests = [
            (session.patient_id, session._consent_needed_types(), session.start)
            for session in sessions
        ]
        missing = self.env["psy.consent"]._missing_types(requests, self)
        return {
            session: types
            for session, types in zip(sessions, missing, strict=True)
            if types
        }

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
        missing = self.filtered(lambda s: not s.consent_override)._consent_missing()
        if not missing:
            return
        lines = "\n".join(
            self.env._(
                "- %(patient)s, session of %(date)s: %(types)s",
                patient=session.patient_id.name,
                date=format_datetime(self.env, session.start, dt_format="short"),
                types=", ".join(types.mapped("name")),
            )
            for session, types in missing.items()
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
        missing = self._consent_missing()
        self._psy_write_guarded(
            {
                "consent_override": True,
                "consent_override_reason": reason.strip(),
                "consent_override_user_id": self.env.uid,
                "consent_override_date": fields.Datetime.now(),
            }
        )
        for session in self:
            types = missing.get(session, self.env["psy.consent.type"])
            if types:
                body = self.env._(
                    "Consent check overridden by %(user)s. Missing consents: "
                    "%(types)s. Reason: %(reason)s",
                    user=self.env.user.name,
                    types=", ".join(types.mapped("name")),
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
