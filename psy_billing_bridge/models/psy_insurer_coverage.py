from odoo import api, fields, models
from odoo.exceptions import ValidationError


class PsyInsurerCoverage(models.Model):
    _name = "psy.insurer.coverage"
    _description = "Insurer coverage per session type"
    _order = "insurer_id, product_id"
    _check_company_auto = True

    insurer_id = fields.Many2one(
        comodel_name="res.partner",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    product_id = fields.Many2one(
        comodel_name="product.product",
        string="Session type",
        required=True,
        domain=[("is_psy_session_type", "=", True)],
        ondelete="cascade",
        check_company=True,
    )
    coverage_type = fields.Selection(
        selection=[("fixed", "Fixed amount"), ("percentage", "Percentage")],
        required=True,
        default="percentage",
    )
    amount = fields.Float(
        required=True,
        help="Amount the insurer pays per session (fixed), or its share of "
        "the session price in percent.",
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        string="Center",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )

    _sql_constraints = [
        (
            "insurer_product_unique",
            "UNIQUE(company_id, insurer_id, product_id)",
            "This insurer already has a coverage for this session type. Edit "
            "the existing one.",
        ),
        (
            "amount_positive",
            "CHECK(amount >= 0)",
            "A coverage cannot be negative. Enter zero or a positive amount.",
        ),
    ]

    @api.constrains("coverage_type", "amount")
    def _check_amount(self):
        for coverage in self:
            if coverage.coverage_type == "percentage" and coverage.amount > 100:
                raise ValidationError(
                    self.env._(
                        "The coverage of %(insurer)s for %(type)s is %(amount)s%%: "
                        "a percentage cannot exceed 100. Enter a share between "
                        "0 and 100.",
                        insurer=coverage.insurer_id.name,
                        type=coverage.product_id.name,
                        amount=coverage.amount,
                    )
                )

    def _insurer_share(self, price):
        """Part of ``price`` paid by the insurer, never above the price."""
        self.ensure_one()
        if self.coverage_type == "fixed":
            return min(self.amount, price)
        return price * self.amount / 100.0
