from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    psy_clinical_mandatory_field_ids = fields.Many2many(
        related="company_id.psy_clinical_mandatory_field_ids", readonly=False
    )
    psy_unsigned_note_days = fields.Integer(
        related="company_id.psy_unsigned_note_days", readonly=False
    )
    psy_retention_years = fields.Integer(
        related="company_id.psy_retention_years", readonly=False
    )
    psy_invoice_requires_signed_note = fields.Boolean(
        related="company_id.psy_invoice_requires_signed_note", readonly=False
    )
