from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    psy_voucher_validity = fields.Integer(
        related="company_id.psy_voucher_validity",
        readonly=False,
    )
    psy_voucher_validity_unit = fields.Selection(
        related="company_id.psy_voucher_validity_unit",
        readonly=False,
    )
    psy_voucher_late_cancel_policy = fields.Selection(
        related="company_id.psy_voucher_late_cancel_policy",
        readonly=False,
    )
    psy_voucher_no_show_policy = fields.Selection(
        related="company_id.psy_voucher_no_show_policy",
        readonly=False,
    )
    psy_voucher_reminder_days = fields.Integer(
        related="company_id.psy_voucher_reminder_days",
        readonly=False,
    )
