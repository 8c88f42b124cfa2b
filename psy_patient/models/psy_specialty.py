from odoo import fields, models


class PsySpecialty(models.Model):
    _name = "psy.specialty"
    _description = "Psychology specialty"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
