from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    psy_minor_age = fields.Integer(
        related="company_id.psy_minor_age",
        readonly=False,
    )
