from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    psy_late_cancel_hours = fields.Float(
        related="company_id.psy_late_cancel_hours",
        readonly=False,
    )
    psy_reset_days = fields.Integer(
        related="company_id.psy_reset_days",
        readonly=False,
    )
    psy_reminder_hours = fields.Integer(
        related="company_id.psy_reminder_hours",
        readonly=False,
    )
