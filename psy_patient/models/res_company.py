from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    psy_minor_age = fields.Integer(
        string="Age of majority",
        default=18,
        help="Patients younger than this age are minors: their guardians are "
        "shown on the patient file and sign in their name.",
    )

    _sql_constraints = [
        (
            "psy_minor_age_range",
            "CHECK(psy_minor_age BETWEEN 1 AND 30)",
            "The age of majority must be between 1 and 30 years.",
        ),
    ]
