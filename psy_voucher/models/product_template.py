from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .res_company import VALIDITY_UNITS

PRODUCT_POLICIES = [
    ("company", "Center default"),
    ("consume", "Deduct a session"),
    ("no_consume", "Do not deduct"),
]


class ProductTemplate(models.Model):
    _inherit = "product.template"

    is_psy_voucher = fields.Boolean(
        string="Session pack",
        help="This service is a pack of prepaid sessions (bono) sold to a patient.",
    )
    psy_voucher_sessions = fields.Integer(
        string="Sessions in the pack",
        default=10,
        help="Number of sessions the patient buys with this pack.",
    )
    psy_voucher_validity = fields.Integer(
        string="Validity",
        default=0,
        help="How long the pack can be used after its sale. Leave 0 to use the "
        "center's default validity (Settings).",
    )
    psy_voucher_validity_unit = fields.Selection(
        selection=VALIDITY_UNITS,
        string="Validity unit",
        default="months",
    )
    psy_voucher_session_type_ids = fields.Many2many(
        comodel_name="product.template",
        relation="psy_voucher_product_session_type_rel",
        column1="voucher_tmpl_id",
        column2="session_tmpl_id",
        string="Covered session types",
        domain=[("is_psy_session_type", "=", True)],
        help="Sessions of these types consume the pack. Other sessions are "
        "paid separately.",
    )
    psy_voucher_owner = fields.Selection(
        selection=[
            ("center", "The center"),
            ("professional", "The selling professional"),
        ],
        string="Pack owner",
        default="center",
        help="Center: any professional's session consumes the pack, also after "
        "a change of therapist. Selling professional: only the sessions of "
        "the professional who sold it consume it.",
    )
    psy_voucher_transfer = fields.Selection(
        selection=[
            ("no", "Not transferable"),
            ("yes", "Transferable"),
            ("approval", "With a clinical director's approval"),
        ],
        string="Transfer to another patient",
        default="no",
    )
    psy_voucher_refund_model = fields.Selection(
        selection=[
            ("none", "No refund"),
            ("unused", "Unused sessions at the pack's unit price"),
            ("reprice", "Used sessions re-priced at the single-session price"),
        ],
        string="Refund model",
        default="unused",
        help="No refund: the pack is not refundable. Unused sessions: the "
        "patient gets back price / sessions x sessions left. Re-priced: the "
        "used sessions are charged at the single-session price and the rest "
        "of the price is refunded (never below zero).",
    )
    psy_voucher_single_price = fields.Float(
        string="Single-session price",
        digits="Product Price",
        help="Price of one session bought alone, used by the re-priced refund "
        "model. Leave 0 to use the sales price of the covered session type "
        "(the highest one when they differ).",
    )
    psy_voucher_admin_fee = fields.Float(
        string="Administrative fee",
        digits="Product Price",
        help="Amount kept by the center on every refund of this pack.",
    )
    psy_voucher_late_cancel_policy = fields.Selection(
        selection=PRODUCT_POLICIES,
        string="Late cancellation",
        default="company",
        help="Whether a late cancellation deducts a session from this pack.",
    )
    psy_voucher_no_show_policy = fields.Selection(
        selection=PRODUCT_POLICIES,
        string="No-show",
        default="company",
        help="Whether a no-show deducts a session from this pack.",
    )

    @api.constrains(
        "is_psy_voucher",
        "is_psy_session_type",
        "type",
        "psy_voucher_sessions",
        "psy_voucher_validity",
        "psy_voucher_session_type_ids",
        "psy_voucher_single_price",
        "psy_voucher_admin_fee",
    )
    def _check_psy_voucher(self):
        for template in self.filtered("is_psy_voucher"):
            name = template.display_name
            if template.type != "service":
                raise ValidationError(
                    self.env._(
                        "The session pack %(name)s must be a service product. "
                        "Change its product type to Service.",
                        name=name,
                    )
                )
            if template.is_psy_session_type:
                raise ValidationError(
                    self.env._(
                        "%(name)s cannot be both a session type and a session "
                        "pack. Create the pack as a separate product.",
                        name=name,
                    )
                )
            if template.psy_voucher_sessions <= 0:
                raise ValidationError(
                    self.env._(
                        "The session pack %(name)s has no sessions. Set how "
                        "many sessions the patient buys (for example 10).",
                        name=name,
                    )
                )
            if template.psy_voucher_validity < 0:
                raise ValidationError(
                    self.env._(
                        "The validity of the session pack %(name)s cannot be "
                        "negative. Set 0 to use the center's default.",
                        name=name,
                    )
                )
            if not template.psy_voucher_session_type_ids:
                raise ValidationError(
                    self.env._(
                        "The session pack %(name)s covers no session type. "
                        "Choose the session types it can be used for.",
                        name=name,
                    )
                )
            if template.psy_voucher_single_price < 0 or (
                template.psy_voucher_admin_fee < 0
            ):
                raise ValidationError(
                    self.env._(
                        "The single-session price and the administrative fee of "
                        "%(name)s cannot be negative.",
                        name=name,
                    )
                )

    def _psy_voucher_validity_delta(self, company):
        """Validity of the pack as a relativedelta: the product's own, or the
        default of ``company``."""
        self.ensure_one()
        if self.psy_voucher_validity > 0:
            amount, unit = self.psy_voucher_validity, self.psy_voucher_validity_unit
        else:
            amount = company.psy_voucher_validity
            unit = company.psy_voucher_validity_unit
        return relativedelta(**{unit or "months": amount})

    def _psy_voucher_consumes(self, event, company):
        """Does a session ending in state ``event`` deduct from this pack?
        Completion always does; late cancellations and no-shows follow the
        product's policy, or the company's when the product defers to it."""
        self.ensure_one()
        if event == "done":
            return True
        policy = {
            "late_cancelled": self.psy_voucher_late_cancel_policy,
            "no_show": self.psy_voucher_no_show_policy,
        }.get(event)
        if policy in (None, False, "company"):
            return company._psy_voucher_consumes(event)
        return policy == "consume"

    def _psy_voucher_single_price(self):
        """Single-session price of the re-priced refund model."""
        self.ensure_one()
        if self.psy_voucher_single_price:
            return self.psy_voucher_single_price
        return max(self.psy_voucher_session_type_ids.mapped("list_price"), default=0.0)
