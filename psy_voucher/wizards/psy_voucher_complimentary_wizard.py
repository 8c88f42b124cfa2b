# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class PsyVoucherComplimentaryWizard(models.TransientModel):
    _name = "psy.voucher.complimentary.wizard"
    _description = "Give a session pack for free"
    _order = "id desc"

    voucher_id = fields.Many2one(
        comodel_name="psy.voucher", string="Pack", required=True, readonly=True
    )
    currency_id = fields.Many2one(related="voucher_id.currency_id")
    price = fields.Monetary(related="voucher_id.price", string="Price of the pack")
    reason = fields.Text(
        required=True,
        help="Why the pack is given for free: it is kept on the pack and in "
        "its history.",
    )

    def action_confirm(self):
        """Make the pack complimentary and activate it. The pack checks who
        may do it and that there is a reason."""
        self.ensure_one()
        self.voucher_id._psy_make_complimentary(self.reason)
        return {"type": "ir.actions.act_window_close"}
