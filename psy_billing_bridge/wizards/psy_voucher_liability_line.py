from odoo import fields, models


class PsyVoucherLiabilityLine(models.TransientModel):
    _name = "psy.voucher.liability.line"
    _description = "Prepaid sessions of a pack at a date"
    _order = "voucher_id"

    wizard_id = fields.Many2one(
        comodel_name="psy.voucher.liability.wizard",
        required=True,
        ondelete="cascade",
    )
    voucher_id = fields.Many2one(
        comodel_name="psy.voucher", string="Pack", required=True, readonly=True
    )
    partner_id = fields.Many2one(
        related="voucher_id.psy_invoice_id.partner_id", string="Customer"
    )
    product_id = fields.Many2one(related="voucher_id.product_id", string="Pack product")
    remaining = fields.Integer(string="Sessions left", readonly=True)
    billing = fields.Selection(
        selection=[
            ("invoiced", "Invoiced"),
            ("complimentary", "Complimentary"),
            ("not_invoiced", "Not invoiced"),
        ],
        string="Paid by",
        readonly=True,
        help="Invoiced: the pack's invoice is posted and its value is held "
        "until the sessions are used. Complimentary: given for free, worth 0. "
        "Not invoiced: activated without an invoice before packs were sold "
        "only through their invoice; worth 0, invoice it or make it "
        "complimentary.",
    )
    unit_value = fields.Monetary(
        string="Unit value", readonly=True, currency_field="currency_id"
    )
    amount = fields.Monetary(
        string="Liability", readonly=True, currency_field="currency_id"
    )
    currency_id = fields.Many2one(related="wizard_id.currency_id")
