from odoo import fields, models

# Defaults taken from the chart of accounts when it is loaded, for the fields
# the center left empty: {company field: xmlid of the chart's record, without
# its "account.<company id>_" prefix}. These are the records of the Spanish
# charts (l10n_es); a chart without one of them leaves its field empty, as the
# Canary Islands charts do for the exempt tax (they have IGIC, not VAT).
LOCALIZATION_DEFAULTS = {
    # "VAT exempt, art. 20": health care by psychologists is exempt under
    # art. 20.One.3 of Law 37/1992.
    "psy_exempt_tax_id": "account_tax_template_s_iva0_nsd",
    # 485 "Ingresos anticipados" (deferred income)
    "psy_deferred_account_id": "account_common_485",
    # 438 "Anticipos de clientes" (customer advances)
    "psy_advance_account_id": "account_common_438",
}
LIABILITY_DOMAIN = (
    "[('account_type', 'in', ('liability_current', 'liability_non_current'))]"
)


class ResCompany(models.Model):
    _inherit = "res.company"

    psy_invoice_policy = fields.Selection(
        selection=[
            ("session", "Per session (by hand)"),
            ("monthly", "Monthly per patient (automatic)"),
        ],
        string="Session invoicing",
        default="session",
        required=True,
        help="Monthly: on the first day of each month, the sessions of the "
        "previous month not yet invoiced are invoiced, one invoice per patient.",
    )
    psy_invoice_auto_post = fields.Boolean(
        string="Post monthly invoices",
        help="Post the invoices created by the monthly run instead of leaving "
        "them as drafts for review.",
    )
    psy_fee_late_cancel = fields.Boolean(
        string="Charge late cancellations",
        help="A late-cancelled session is billed a fee.",
    )
    psy_fee_no_show = fields.Boolean(
        string="Charge no-shows",
        help="A session the patient did not attend is billed a fee.",
    )
    psy_fee_mode = fields.Selection(
        selection=[
            ("percentage", "Percentage of the session price"),
            ("product", "Fixed fee product"),
        ],
        string="Fee",
        default="percentage",
        required=True,
    )
    psy_fee_percent = fields.Float(
        string="Fee percentage",
        default=100.0,
        help="Share of the session price billed as the fee.",
    )
    psy_fee_product_id = fields.Many2one(
        comodel_name="product.product",
        string="Fee product",
        help="Service billed as the fee, at its sales price.",
    )
    psy_exempt_tax_id = fields.Many2one(
        comodel_name="account.tax",
        string="Health-care exempt tax",
        domain="[('type_tax_use', '=', 'sale'), ('company_id', '=', id)]",
        help="Sales tax used on health-care services exempt from VAT. Invoices "
        "with lines using it print the legal note below. Set it on the session "
        "types (their sales taxes) or map it with a fiscal position.",
    )
    psy_exempt_note = fields.Text(
        string="Exemption legal note",
        default="Exempt from VAT under article 20.One.3 of Law 37/1992 "
        "(health care provided by health professionals).",
        help="Printed on invoices whose lines use the health-care exempt tax.",
    )

    psy_voucher_activation = fields.Selection(
        selection=[
            ("posted", "When its invoice is posted"),
            ("paid", "When its invoice is fully paid"),
        ],
        string="Activate sold packs",
        default="posted",
        required=True,
    )
    psy_billing_approach = fields.Selection(
        selection=[
            ("pack", "Invoice the pack at sale"),
            ("session", "Invoice each session (pack paid as an advance)"),
        ],
        string="Pack billing",
        default="pack",
        required=True,
        help="Center default; a pack product may override it.",
    )
    psy_deferred_revenue = fields.Boolean(
        string="Deferred revenue for packs",
        help="Packs invoiced at sale are credited to a deferred-revenue "
        "account; each consumed session moves its value to income, expiry "
        "moves the rest, a refund reverses what is left.",
    )
    psy_deferred_account_id = fields.Many2one(
        comodel_name="account.account",
        string="Deferred revenue account",
        domain=LIABILITY_DOMAIN,
    )
    psy_deferred_journal_id = fields.Many2one(
        comodel_name="account.journal",
        string="Deferred revenue journal",
        domain="[('type', '=', 'general'), ('company_id', '=', id)]",
        help="Journal of the entries that move the packs' revenue to income. "
        "Left empty, the miscellaneous journal.",
    )
    psy_deferred_batch = fields.Selection(
        selection=[
            ("movement", "At each movement"),
            ("daily", "Once a day"),
        ],
        string="Deferred revenue entries",
        default="movement",
        required=True,
        help="At each movement: every consumption, expiry or adjustment of a "
        "pack posts its entry at once. Once a day: a scheduled action posts "
        "one entry per day with a line per movement, each naming its pack and "
        "session. Refunds are always posted at once, with their credit note.",
    )
    psy_advance_account_id = fields.Many2one(
        comodel_name="account.account",
        string="Customer advances account",
        domain=LIABILITY_DOMAIN,
        help="Account of the packs paid as an advance (invoiced per session).",
    )

    def _psy_set_localization_defaults(self):
        """Fill the billing fields left empty with the records of the company's
        chart of accounts listed in ``LOCALIZATION_DEFAULTS``; a branch gets
        those of its root company, whose chart it uses."""
        ChartTemplate = self.env["account.chart.template"]
        for company in self:
            vals = {}
            for field_name, xmlid in LOCALIZATION_DEFAULTS.items():
                if company[field_name]:
                    continue
                record = ChartTemplate.with_company(company).ref(
                    xmlid, raise_if_not_found=False
                )
                if record:
                    vals[field_name] = record.id
            if vals:
                company.write(vals)
