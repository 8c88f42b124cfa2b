from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_datetime

PAID_STATES = ("paid", "in_payment")
FEE_STATES = ("late_cancelled", "no_show")
# Billing fields of a session, set by its status and its invoices only.
SESSION_BILLING_FIELDS = {"psy_billable", "psy_invoice_state", "psy_invoice_line_ids"}


class PsySession(models.Model):
    _inherit = "psy.session"

    psy_billable = fields.Boolean(
        string="Billable",
        compute="_compute_psy_billable",
        store=True,
        readonly=True,
        help="Done sessions are billed; late cancellations and no-shows are "
        "billed a fee when the center's policy says so at the time they happen.",
    )
    psy_invoice_line_ids = fields.One2many(
        comodel_name="account.move.line",
        inverse_name="psy_session_id",
        string="Invoice lines",
        readonly=True,
    )
    psy_invoice_state = fields.Selection(
        selection=[
            ("none", "Nothing to invoice"),
            ("to_invoice", "To invoice"),
            ("invoiced", "Invoiced"),
            ("paid", "Paid"),
        ],
        string="Invoice status",
        compute="_compute_psy_invoice_state",
        store=True,
        index=True,
        readonly=True,
    )
    psy_price = fields.Monetary(
        string="Price",
        compute="_compute_psy_price",
        currency_field="psy_currency_id",
        help="Amount billed for the session (or its fee), before taxes.",
    )
    psy_currency_id = fields.Many2one(related="company_id.currency_id")

    # ------------------------------------------------------------------
    # Guarded fields
    # ------------------------------------------------------------------

    @api.model
    def _psy_guarded_fields(self):
        """What the billing says of a session follows its invoices: a direct
        write would take a done session out of the sessions to invoice, or
        show it paid."""
        return super()._psy_guarded_fields() | SESSION_BILLING_FIELDS

    @api.model
    def _psy_guard_error(self, field_names):
        if not set(field_names) & SESSION_BILLING_FIELDS:
            return super()._psy_guard_error(field_names)
        return UserError(
            self.env._(
                "Whether a session is billable, invoiced or paid follows its "
                "status and its invoices: it cannot be set by hand. Invoice the "
                "session (its Invoice button, or the monthly invoicing), or issue "
                "a credit note of its invoice."
            )
        )

    # The policy in force when the session is closed decides: changing the
    # settings later does not re-bill past cancellations.
    @api.depends("state", "voucher_id")
    def _compute_psy_billable(self):
        for session in self:
            voucher = session.voucher_id
            if voucher:
                # Paid with a pack: billed only when the pack is an advance
                # (approach B); invoicing the pack at sale keeps it internal.
                session.psy_billable = voucher.psy_approach == "session"
                continue
            company = session.company_id
            session.psy_billable = (
                session.state == "done"
                or (session.state == "late_cancelled" and company.psy_fee_late_cancel)
                or (session.state == "no_show" and company.psy_fee_no_show)
            )

    @api.depends(
        "psy_billable",
        "psy_invoice_line_ids.parent_state",
        "psy_invoice_line_ids.move_id.move_type",
        "psy_invoice_line_ids.move_id.payment_state",
    )
    def _compute_psy_invoice_state(self):
        for session in self:
            if not session.psy_billable:
                session.psy_invoice_state = "none"
                continue
            moves = session.psy_invoice_line_ids.move_id.filtered(
                lambda m: m.move_type == "out_invoice"
                and m.state != "cancel"
                and m.payment_state != "reversed"
            )
            if not moves:
                session.psy_invoice_state = "to_invoice"
            elif all(m.payment_state in PAID_STATES for m in moves):
                session.psy_invoice_state = "paid"
            else:
                session.psy_invoice_state = "invoiced"

    @api.depends(
        "state", "voucher_line_id", "product_id.lst_price", "company_id.psy_fee_mode"
    )
    def _compute_psy_price(self):
        for session in self:
            if session.voucher_id:
                session.psy_price = session.sudo().voucher_line_id._psy_value_moved()
            elif session.state in FEE_STATES:
                session.psy_price = session._psy_fee_price()
            else:
                session.psy_price = session.product_id.lst_price

    def _psy_fee_price(self):
        self.ensure_one()
        company = self.company_id
        if company.psy_fee_mode == "product":
            return company.psy_fee_product_id.lst_price
        return company.currency_id.round(
            self.product_id.lst_price * company.psy_fee_percent / 100.0
        )

    # ------------------------------------------------------------------
    # Invoicing
    # ------------------------------------------------------------------

    def _psy_patient_billing_info(self):
        """Billing identity of the patients of these sessions.

        Billing staff invoice sessions without access to patient files: after
        checking that the user may read the sessions and create invoices, the
        few fields an invoice needs are read as superuser."""
        self.check_access("read")
        self.env["account.move"].check_access("create")
        patients = self.sudo().patient_id
        return {
            patient.id: {
                "partner": patient.partner_id,
                "national_id": patient.national_id,
                "insurer": patient.psy_insurer_id,
                "insurance_number": patient.psy_insurance_number,
            }
            for patient in patients
        }

    def _psy_line_label(self, label=None):
        self.ensure_one()
        professional = self.professional_id
        registration = professional.psy_registration_number
        who = (
            self.env._(
                "%(name)s (reg. no. %(number)s)",
                name=professional.name,
                number=registration,
            )
            if registration
            else professional.name
        )
        return " - ".join(
            part
            for part in (
                label,
                self.product_id.name,
                format_datetime(self.env, self.start, dt_format="short"),
                who,
            )
            if part
        )

    def _psy_line_specs(self, info, coverages):
        """(share, partner, line values) of one session: the session itself
        (split with the insurer when covered) or its cancellation fee."""
        self.ensure_one()
        company = self.company_id
        currency = company.currency_id
        if self.voucher_id:
            return self._psy_advance_line_specs(info)
        if self.state in FEE_STATES:
            label = dict(self._fields["state"]._description_selection(self.env))[
                self.state
            ]
            label = self.env._("%(state)s fee", state=label)
            product = (
                company.psy_fee_product_id
                if company.psy_fee_mode == "product"
                else self.product_id
            )
            return [
                (
                    "fee",
                    info["partner"],
                    {
                        "product_id": product.id,
                        "name": self._psy_line_label(label),
                        "quantity": 1.0,
                        "price_unit": self._psy_fee_price(),
                        "psy_session_id": self.id,
                        "psy_share": "fee",
                    },
                )
            ]
        price = self.product_id.lst_price
        base = {
            "product_id": self.product_id.id,
            "name": self._psy_line_label(),
            "quantity": 1.0,
            "psy_session_id": self.id,
        }
        coverage = coverages.get((company.id, info["insurer"].id, self.product_id.id))
        insurer_share = (
            currency.round(coverage._insurer_share(price)) if coverage else 0
        )
        specs = []
        if insurer_share:
            specs.append(
                (
                    "insurer",
                    info["insurer"],
                    dict(base, price_unit=insurer_share, psy_share="insurer"),
                )
            )
        if currency.compare_amounts(price, insurer_share) > 0 or not specs:
            specs.append(
                (
                    "patient",
                    info["partner"],
                    dict(base, price_unit=price - insurer_share, psy_share="patient"),
                )
            )
        return specs

    def _psy_advance_line_specs(self, info):
        """A session paid with a pack invoiced as an advance: the session at
        the pack's unit value, and the same amount deducted from the
        advance, so the patient owes nothing more."""
        self.ensure_one()
        consume_line = self.sudo().voucher_line_id
        voucher = consume_line.voucher_id
        amount = consume_line._psy_value_moved()
        session_line = {
            "product_id": self.product_id.id,
            "name": self._psy_line_label(),
            "quantity": 1.0,
            "price_unit": amount,
            "psy_session_id": self.id,
            "psy_share": "patient",
        }
        advance_line = {
            "name": self.env._("Advance paid with pack %(code)s", code=voucher.name),
            "quantity": 1.0,
            "price_unit": -amount,
            "account_id": voucher._psy_held_account().id,
            "tax_ids": [Command.clear()],
            "psy_session_id": self.id,
            "psy_voucher_id": voucher.id,
            "psy_share": "advance",
        }
        return [
            ("patient", info["partner"], session_line),
            ("patient", info["partner"], advance_line),
        ]

    def _psy_prepare_invoice_vals(self, grouping="session", invoice_date=None):
        """Values of the customer invoices of these sessions, one per session
        or one per patient and month, the insurer's share on its own invoice.
        Sessions already invoiced or not billable are skipped."""
        sessions = self.filtered(lambda s: s.psy_invoice_state == "to_invoice")
        if not sessions:
            return []
        infos = sessions._psy_patient_billing_info()
        insurers = self.env["res.partner"].union(
            *(info["insurer"] for info in infos.values())
        )
        coverages = {}
        if insurers:
            for coverage in (
                self.env["psy.insurer.coverage"]
                .sudo()
                .search(
                    [
                        ("insurer_id", "in", insurers.ids),
                        ("product_id", "in", sessions.product_id.ids),
                        ("company_id", "in", sessions.company_id.ids),
                    ]
                )
            ):
                key = (coverage.company_id.id, coverage.insurer_id.id)
                coverages[(*key, coverage.product_id.id)] = coverage
        journals = {
            company.id: self.env["account.journal"].search(
                [
                    *self.env["account.journal"]._check_company_domain(company),
                    ("type", "=", "sale"),
                ],
                limit=1,
            )
            for company in sessions.company_id
        }
        for company in sessions.company_id:
            if not journals[company.id]:
                raise UserError(
                    self.env._(
                        "%(center)s has no sales journal. Set up the accounting "
                        "of the center before invoicing sessions.",
                        center=company.name,
                    )
                )
        moves = {}
        for session in sessions.sorted("start"):
            info = infos[session.patient_id.id]
            if not info["partner"]:
                raise UserError(
                    self.env._(
                        "The patient of session %(session)s has no contact to "
                        "invoice. Complete the patient file first.",
                        session=session.display_name,
                    )
                )
            period = (
                session.start.strftime("%Y-%m") if grouping == "monthly" else session.id
            )
            for share, partner, line_vals in session._psy_line_specs(info, coverages):
                key = (
                    session.company_id.id,
                    session.patient_id.id,
                    share == "insurer",
                    period,
                )
                if key not in moves:
                    moves[key] = {
                        "move_type": "out_invoice",
                        "company_id": session.company_id.id,
                        "journal_id": journals[session.company_id.id].id,
                        "partner_id": partner.id,
                        "invoice_date": invoice_date or False,
                        "psy_patient_id": session.patient_id.id,
                        "psy_patient_partner_id": info["partner"].id,
                        "psy_patient_national_id": info["national_id"],
                        "psy_insurance_number": (
                            info["insurance_number"] if share == "insurer" else False
                        ),
                        "invoice_line_ids": [],
                    }
                moves[key]["invoice_line_ids"].append(Command.create(line_vals))
        return list(moves.values())

    def _psy_create_invoices(self, grouping="session", invoice_date=None, post=False):
        vals_list = self._psy_prepare_invoice_vals(grouping, invoice_date)
        if not vals_list:
            return self.env["account.move"]
        moves = self.env["account.move"].create(vals_list)
        if post:
            moves.action_post()
        return moves

    def action_psy_create_invoice(self):
        """Invoice the selected sessions, one invoice per session."""
        if not self.env.user.has_group("account.group_account_invoice"):
            raise AccessError(
                self.env._(
                    "Only billing staff can invoice sessions. Ask the billing "
                    "department to invoice them."
                )
            )
        moves = self._psy_create_invoices("session")
        if not moves:
            raise UserError(
                self.env._(
                    "None of the selected sessions is waiting to be invoiced: "
                    "they are already invoiced, or not billable."
                )
            )
        return moves._get_records_action(name=self.env._("Invoices"))

    def action_psy_open_invoices(self):
        self.ensure_one()
        moves = self.psy_invoice_line_ids.move_id
        return moves._get_records_action(name=self.env._("Invoices"))

    @api.model
    def _cron_psy_monthly_invoicing(self, date_ref=None):
        """Invoice, one invoice per patient and month, the billable sessions
        of the months before the one of ``date_ref`` (today when not given),
        for centers invoicing monthly."""
        date_ref = date_ref or self._psy_now().date()
        first_date = date_ref.replace(day=1)
        first_day = fields.Datetime.to_datetime(first_date)
        for company in self.env["res.company"].search(
            [("psy_invoice_policy", "=", "monthly")]
        ):
            sessions = self.search(
                [
                    ("company_id", "=", company.id),
                    ("psy_invoice_state", "=", "to_invoice"),
                    ("start", "<", first_day),
                ]
            )
            sessions.with_company(company)._psy_create_invoices(
                "monthly",
                invoice_date=first_date - relativedelta(days=1),
                post=company.psy_invoice_auto_post,
            )
