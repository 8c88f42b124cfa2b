# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    psy_portal_join_minutes = fields.Integer(
        related="company_id.psy_portal_join_minutes",
        readonly=False,
    )
