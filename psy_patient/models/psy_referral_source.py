from odoo import fields, models


class PsyReferralSource(models.Model):
    _name = "psy.referral.source"
    _description = "Patient referral source"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
