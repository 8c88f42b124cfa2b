from odoo import fields, models


class PsyRoom(models.Model):
    _name = "psy.room"
    _description = "Consultation room"
    _order = "sequence, name, id"

    name = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        string="Center",
        required=True,
        default=lambda self: self.env.company,
        index=True,
    )
    color = fields.Integer()
    note = fields.Text(
        string="Description",
        help="Practical details: floor, capacity, equipment.",
    )

    _sql_constraints = [
        (
            "name_company_unique",
            "UNIQUE(company_id, name)",
            "Each room name is unique within a center.",
        ),
    ]
