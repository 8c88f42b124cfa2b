from odoo import api, fields, models


class PsyVoucherRefundWizard(models.TransientModel):
    _name = "psy.voucher.refund.wizard"
    _description = "Refund a session pack"
    _order = "id desc"

    voucher_id = fields.Many2one(
        comodel_name="psy.voucher", string="Pack", required=True, readonly=True
    )
    currency_id = fields.Many2one(related="voucher_id.currency_id")
    refund_model = fields.Selection(
        related="voucher_id.product_id.psy_voucher_refund_model"
    )
    price = fields.Monetary(compute="_compute_breakdown", string="Price paid")
    sessions = fields.Integer(
        compute="_compute_breakdown", string="Sessions bought or received"
    )
    unit_price = fields.Monetary(compute="_compute_breakdown", string="Unit price")
    used = fields.Integer(compute="_compute_breakdown", string="Sessions used")
    remaining = fields.Integer(compute="_compute_breakdown", string="Sessions left")
    single_price = fields.Monetary(
        compute="_compute_breakdown", string="Single-session price"
    )
    used_value = fields.Monetary(
        compute="_compute_breakdown", string="Used sessions at single price"
    )
    gross = fields.Monetary(compute="_compute_breakdown", string="Refund before fee")
    admin_fee = fields.Monetary(
        compute="_compute_breakdown", string="Administrative fee"
    )
    amount = fields.Monetary(compute="_compute_breakdown", string="Amount to refund")
    reason = fields.Text()

    @api.depends("voucher_id")
    def _compute_breakdown(self):
        names = (
            "price",
            "sessions",
            "unit_price",
            "used",
            "remaining",
            "single_price",
            "used_value",
            "gross",
            "admin_fee",
            "amount",
        )
        for wizard in self:
            breakdown = (
                wizard.voucher_id._compute_refund_amount() if wizard.voucher_id else {}
            )
            for name in names:
                wizard[name] = breakdown.get(name, 0)

    def action_confirm(self):
        self.ensure_one()
        self.voucher_id._refund(self.reason)
        return {"type": "ir.actions.act_window_close"}
