from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.http import request


class PsyConsentSignWizard(models.TransientModel):
    _name = "psy.consent.sign.wizard"
    _description = "Sign a consent in the office"

    consent_id = fields.Many2one(
        comodel_name="psy.consent",
        required=True,
        ondelete="cascade",
        readonly=True,
    )
    body_html = fields.Html(related="consent_id.body_html")
    signer_id = fields.Many2one(
        comodel_name="psy.consent.signature",
        string="Who signs",
        required=True,
        domain="[('consent_id', '=', consent_id), ('state', '=', 'pending')]",
    )
    signer_role = fields.Selection(related="signer_id.role")
    signed_name = fields.Char(
        string="Full name",
        required=True,
        help="Full name of the signer, typed by them.",
    )
    signature = fields.Binary(required=True)
    has_read = fields.Boolean(
        string="The signer has read the text",
        help="Confirm that the signer read the whole text and could ask "
        "questions before signing.",
    )

    @api.onchange("signer_id")
    def _onchange_signer_id(self):
        self.signed_name = self.signer_id.partner_id.name

    @api.model
    def _action_open(self, consent):
        signer = consent.signature_ids.filtered(lambda s: s.state == "pending")[:1]
        if not signer:
            raise UserError(
                self.env._(
                    "Nobody has yet to sign consent %(name)s.", name=consent.name
                )
            )
        wizard = self.create(
            {
                "consent_id": consent.id,
                "signer_id": signer.id,
                "signed_name": signer.partner_id.name,
            }
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Sign %(name)s", name=consent.name),
            "res_model": self._name,
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_sign(self):
        self.ensure_one()
        consent = self.consent_id
        signer = self.signer_id._psy_office_signer_sudo(consent)
        if not self.has_read:
            raise UserError(
                self.env._(
                    "Confirm that %(name)s has read the text before signing.",
                    name=signer.partner_id.name,
                )
            )
        ip_address = user_agent = False
        if request:
            ip_address = request.httprequest.remote_addr
            user_agent = request.httprequest.user_agent.string
        signer._record_signature(
            self.signed_name, self.signature, "office", ip_address, user_agent
        )
        if consent.state in ("draft", "sent") and consent._pending_signers():
            return self._action_open(consent)
        return {"type": "ir.actions.act_window_close"}
