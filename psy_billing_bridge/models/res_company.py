from odoo import fields, models

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

    def _psy_set_chart_defaults(self, template_code=None):
        """Fill the billing fields left empty with the defaults the
        localization modules give for the company's chart of accounts
        (``account.chart.template._psy_billing_chart_defaults``); the center's
        own choices are kept. A branch uses the chart of its root company."""
        ChartTemplate = self.env["account.chart.template"]
        for company in self:
            code = template_code or company.root_id.chart_template
            if not code:
                continue
            defaults = ChartTemplate.with_company(company)._psy_billing_chart_defaults(
                code, company
            )
            vals = {
                field_name: value
                for field_name, value in defaults.items()
                if value and not company[field_name]
            }
            if vals:
                company.write(vals)
