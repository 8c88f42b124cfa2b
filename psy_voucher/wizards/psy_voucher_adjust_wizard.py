from odoo import fields, models


class PsyVoucherAdjustWizard(models.TransientModel):
    _name = "psy.voucher.adjust.wizard"
    _description = "Adjust the sessions of a pack"
    _order = "id desc"

    voucher_id = fields.Many2one(
        comodel_name="psy.voucher", string="Pack", required=True, readonly=True
    )
    remaining = fields.Integer(related="voucher_id.remaining")
    quantity = fields.Integer(
        string="Sessions to add",
        required=True,
        help="Positive to add sessions, negative to remove them.",
    )
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        self.voucher_id._adjust(self.quantity, self.reason)
        return {"type": "ir.actions.act_window_close"}
