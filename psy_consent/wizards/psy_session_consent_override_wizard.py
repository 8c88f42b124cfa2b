from odoo import api, fields, models


class PsySessionConsentOverrideWizard(models.TransientModel):
    _name = "psy.session.consent.override.wizard"
    _description = "Override the consent check of sessions"

    session_ids = fields.Many2many(
        comodel_name="psy.session",
        string="Sessions",
        required=True,
    )
    missing_summary = fields.Text(
        string="Missing consents",
        compute="_compute_missing_summary",
    )
    reason = fields.Text(
        required=True,
        help="Why the session may go ahead without the consents. It is kept on "
        "the session and written in its history.",
    )
    mark_done = fields.Boolean(
        string="Mark as done now",
        default=True,
    )

    @api.depends("session_ids")
    def _compute_missing_summary(self):
        for wizard in self:
            missing = wizard.session_ids._consent_missing_by_patient()
            wizard.missing_summary = "\n".join(
                f"{session.display_name}: {session._consent_missing_label(by_patient)}"
                for session, by_patient in missing.items()
            )

    def action_confirm(self):
        self.ensure_one()
        sessions = self.session_ids
        sessions._override_consent_check(self.reason)
        if self.mark_done:
            sessions.filtered(lambda s: s.state == "scheduled").action_done()
        return {"type": "ir.actions.act_window_close"}
