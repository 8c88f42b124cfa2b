from odoo import api, fields, models


class PsyVoucherTransferWizard(models.TransientModel):
    _name = "psy.voucher.transfer.wizard"
    _description = "Transfer a session pack to another patient"
    _order = "id desc"

    voucher_id = fields.Many2one(
        comodel_name="psy.voucher", string="Pack", required=True, readonly=True
    )
    company_id = fields.Many2one(related="voucher_id.company_id")
    remaining = fields.Integer(related="voucher_id.remaining")
    expiry_date = fields.Date(related="voucher_id.expiry_date")
    transfer_rule = fields.Selection(
        related="voucher_id.product_id.psy_voucher_transfer"
    )
    patient_id = fields.Many2one(
        comodel_name="psy.patient",
        string="Transfer to",
        required=True,
        domain="[('company_id', '=', company_id), ('id', '!=', current_patient_id)]",
    )
    current_patient_id = fields.Many2one(related="voucher_id.patient_id")
    reason = fields.Text()
    needs_approval = fields.Boolean(compute="_compute_needs_approval")

    @api.depends("transfer_rule")
    @api.depends_context("uid")
    def _compute_needs_approval(self):
        director = self.env.user.has_group("psy_patient.group_psy_director")
        for wizard in self:
            wizard.needs_approval = wizard.transfer_rule == "approval" and not director

    def action_confirm(self):
        self.ensure_one()
        target = self.voucher_id._request_transfer(self.patient_id, self.reason)
        if not target:
            return {"type": "ir.actions.act_window_close"}
        return {
            "type": "ir.actions.act_window",
            "res_model": "psy.voucher",
            "res_id": target.id,
            "view_mode": "form",
        }
