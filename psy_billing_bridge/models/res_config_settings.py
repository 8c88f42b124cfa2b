from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    psy_invoice_policy = fields.Selection(
        related="company_id.psy_invoice_policy", readonly=False
    )
    psy_invoice_auto_post = fields.Boolean(
        related="company_id.psy_invoice_auto_post", readonly=False
    )
    psy_fee_late_cancel = fields.Boolean(
        related="company_id.psy_fee_late_cancel", readonly=False
    )
    psy_fee_no_show = fields.Boolean(
        related="company_id.psy_fee_no_show", readonly=False
    )
    psy_fee_mode = fields.Selection(related="company_id.psy_fee_mode", readonly=False)
    psy_fee_percent = fields.Float(related="company_id.psy_fee_percent", readonly=False)
    psy_fee_product_id = fields.Many2one(
        related="company_id.psy_fee_product_id", readonly=False
    )
    psy_exempt_tax_id = fields.Many2one(
        related="company_id.psy_exempt_tax_id", readonly=False
    )
    psy_exempt_note = fields.Text(related="company_id.psy_exempt_note", readonly=False)
    psy_voucher_activation = fields.Selection(
        related="company_id.psy_voucher_activation", readonly=False
    )
    psy_billing_approach = fields.Selection(
        related="company_id.psy_billing_approach", readonly=False
    )
    psy_deferred_revenue = fields.Boolean(
        related="company_id.psy_deferred_revenue", readonly=False
    )
    psy_deferred_account_id = fields.Many2one(
        related="company_id.psy_deferred_account_id", readonly=False
    )
    psy_deferred_journal_id = fields.Many2one(
        related="company_id.psy_deferred_journal_id", readonly=False
    )
    psy_deferred_batch = fields.Selection(
        related="company_id.psy_deferred_batch", readonly=False
    )
    psy_advance_account_id = fields.Many2one(
        related="company_id.psy_advance_account_id", readonly=False
    )
