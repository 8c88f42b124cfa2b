from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    psy_billing_approach = fields.Selection(
        selection=[
            ("company", "Center default"),
            ("pack", "Invoice the pack at sale"),
            ("session", "Invoice each session (pack paid as an advance)"),
        ],
        string="Pack billing",
        default="company",
        help="Invoice the pack when it is sold (consumption stays internal), "
        "or take its payment as an advance and invoice each consumed session "
        "with the advance deducted.",
    )
