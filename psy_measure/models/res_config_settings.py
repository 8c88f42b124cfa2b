from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    psy_measure_crisis_text = fields.Html(
        related="company_id.psy_measure_crisis_text", readonly=False
    )
    psy_measure_reminder_days = fields.Integer(
        related="company_id.psy_measure_reminder_days", readonly=False
    )
