from datetime import date, datetime

from odoo import Command

from odoo.addons.psy_session.tests.common import PsySessionCommon
from odoo.addons.psy_voucher.tests.common import PsyVoucherCommon


class PsyBillingCommon(PsySessionCommon):
    """Center A with a generic chart of accounts, a health-care exempt tax on
    the session types and a standard-rated service.

    The clock is frozen at 23 November 2026, 08:00 UTC for the whole class
    (``freeze_time`` of Odoo's test case, i.e. ``freezegun``); a test moves
    it with ``with freeze_time(...)``."""

    freeze_time = "2026-11-23 08:00:00"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["account.chart.template"].try_loading(
            "generic_coa", company=cls.company_a, install_demo=False
        )
        company = cls.company_a
        AccountTax = cls.env["account.tax"].with_company(company)
        cls.tax_exempt = AccountTax.create(
            {
                "name": "Exempt health care",
                "amount": 0.0,
                "type_tax_use": "sale",
                "company_id": company.id,
            }
        )
        # A copy of the chart's sales tax keeps its tax account.
        cls.tax_21 = company.account_sale_tax_id.copy(
            {"name": "VAT 21%", "amount": 21.0}
        )
        cls.tax_account = cls.tax_21.invoice_repartition_line_ids.account_id
        company.write(
            {
                "psy_exempt_tax_id": cls.tax_exempt.id,
                "psy_exempt_note": "Exempt from VAT, art. 20.One.3 Law 37/1992.",
            }
        )
        cls.individual.taxes_id = [Command.set(cls.tax_exempt.ids)]
        cls.online_only.taxes_id = [Command.set(cls.tax_exempt.ids)]
        cls.coaching = cls.env["product.product"].create(
            {
                "name": "Coaching",
                "type": "service",
                "is_psy_session_type": True,
                "psy_duration": 1.0,
                "list_price": 100.0,
                "taxes_id": [Command.set(cls.tax_21.ids)],
            }
        )
        cls.psychologist.psy_registration_number = "M-12345"
        cls.receivable = company.partner_id.with_company(
            company
        ).property_account_receivable_id
        cls.income = cls.individual.product_tmpl_id.with_company(
            company
        )._get_product_accounts()["income"]
        cls.insurer = cls.env["res.partner"].create(
            {"name": "Aseguradora Salud", "is_company": True}
        )

    @classmethod
    def _done_session(cls, start, **vals):
        session = cls._session(start=start, **vals)
        session.action_done()
        return session

    @classmethod
    def _nov(cls, day, hour=10):
        return datetime(2026, 11, day, hour, 0)

    def _pay(self, moves):
        return (
            self.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=moves.ids)
            .create({})
            ._create_payments()
        )

    def _balances(self, moves):
        """{account: balance} of the posted journal items of ``moves``."""
        groups = self.env["account.move.line"]._read_group(
            [("move_id", "in", moves.ids), ("parent_state", "=", "posted")],
            ["account_id"],
            ["debit:sum", "credit:sum", "balance:sum"],
        )
        return {account: balance for account, __, __, balance in groups}

    def assertBalanced(self, moves):
        for move in moves:
            lines = move.line_ids
            self.assertAlmostEqual(
                sum(lines.mapped("debit")), sum(lines.mapped("credit")), places=2
            )


class PsyBillingVoucherCommon(PsyBillingCommon, PsyVoucherCommon):
    """Billing center with packs: deferred revenue (approach A) on a
    dedicated account and a customer advances account for approach B."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Account = cls.env["account.account"].with_company(cls.company_a)
        cls.deferred = Account.create(
            {
                "name": "Deferred revenue - session packs",
                "code": "289100",
                "account_type": "liability_current",
            }
        )
        cls.advance = Account.create(
            {
                "name": "Customer advances - session packs",
                "code": "289200",
                "account_type": "liability_current",
                "reconcile": True,
            }
        )
        cls.company_a.write(
            {
                "psy_voucher_activation": "posted",
                "psy_billing_approach": "pack",
                "psy_deferred_revenue": True,
                "psy_deferred_account_id": cls.deferred.id,
                "psy_advance_account_id": cls.advance.id,
            }
        )
        cls.pack10.taxes_id = [Command.set(cls.tax_exempt.ids)]
        cls.pack_income = cls.pack10.product_tmpl_id.with_company(
            cls.company_a
        )._get_product_accounts()["income"]

    def _sell(self, post=True, user=None, **vals):
        voucher = self._voucher(activate=False, **vals)
        move = voucher.with_user(user or self.receptionist)._psy_create_invoices(
            post=post
        )
        return voucher, move.with_env(self.env)

    def _account_balance(self, account):
        groups = self.env["account.move.line"]._read_group(
            [
                ("account_id", "=", account.id),
                ("parent_state", "=", "posted"),
                ("company_id", "=", self.company_a.id),
            ],
            [],
            ["balance:sum"],
        )
        return groups[0][0] or 0.0

    def _liability(self):
        wizard = self.env["psy.voucher.liability.wizard"].create(
            {"date": date(2027, 12, 31), "company_id": self.company_a.id}
        )
        wizard.action_open()
        return wizard.amount_total

    def assertDeferredMatchesLiability(self, expected):
        """The deferred-revenue account (a credit) equals the liability view
        total and the expected figure."""
        self.env.flush_all()
        self.assertAlmostEqual(-self._account_balance(self.deferred), expected)
        self.assertAlmostEqual(self._liability(), expected)

    def assertAllBalanced(self):
        moves = self.env["account.move"].search(
            [("company_id", "=", self.company_a.id), ("state", "=", "posted")]
        )
        self.assertBalanced(moves)

    def _transfer(self, voucher, patient):
        action = (
            self.env["psy.voucher.transfer.wizard"]
            .with_user(self.receptionist)
            .create(
                {"voucher_id": voucher.id, "patient_id": patient.id, "reason": "Gift"}
            )
            .action_confirm()
        )
        return self.env["psy.voucher"].browse(action["res_id"])

    def _completed_for_patient_2(self):
        return self._completed(
            patient_id=self.patient_2.id, professional_id=self.psychologist_2.id
        )
