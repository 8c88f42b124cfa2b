from odoo import fields, models


class PsyConsentReasonWizard(models.TransientModel):
    _name = "psy.consent.reason.wizard"
    _description = "Refuse or revoke a consent"

    consent_id = fields.Many2one(
        comodel_name="psy.consent",
        required=True,
        ondelete="cascade",
        readonly=True,
    )
    mode = fields.Selection(
        selection=[("refuse", "Refusal"), ("revoke", "Revocation")],
        required=True,
        readonly=True,
    )
    signer_id = fields.Many2one(
        comodel_name="psy.consent.signature",
        string="Refused by",
        domain="[('consent_id', '=', consent_id), ('state', '=', 'pending')]",
        help="Who refuses to sign.",
    )
    requested_by = fields.Char(
        string="Revoked by",
        help="Who revokes the consent, as written in their request.",
    )
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        consent = self.consent_id
        consent.check_access("write")
        if self.mode == "refuse":
            signer = self.signer_id
            if signer:
                signer._psy_check_may_answer(consent)
            refused_by = signer.partner_id.name or consent.patient_id.name
            consent._refuse(self.reason, refused_by, signer=signer, channel="office")
        else:
            consent._revoke(
                self.reason,
                self.requested_by or consent.patient_id.name,
                channel="office",
            )
        return {"type": "ir.actions.act_window_close"}
