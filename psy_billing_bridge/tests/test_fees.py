from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .common import PsyBillingCommon


@tagged("post_install", "-at_install")
class TestFees(PsyBillingCommon):
    def test_late_cancellation_percentage_fee(self):
        self.company_a.write(
            {
                "psy_fee_late_cancel": True,
                "psy_fee_mode": "percentage",
                "psy_fee_percent": 50.0,
            }
        )
        # Cancelled two hours before the start: late.
        session = self._session(start=self._nov(25))
        with freeze_time(self._nov(25, 8)):
            session.action_cancel()
        self.assertEqual(session.state, "late_cancelled")
        self.assertTrue(session.psy_billable)
        move = session._psy_create_invoices("session", post=True)
        line = move.invoice_line_ids
        self.assertEqual(line.psy_share, "fee")
        self.assertAlmostEqual(line.price_unit, 30.0)
        self.assertIn("Late cancelled fee", line.name)
        self.assertBalanced(move)
        balances = self._balances(move)
        self.assertAlmostEqual(balances[self.receivable], 30.0)
        self.assertAlmostEqual(balances[self.income], -30.0)

    def test_no_show_fee_product(self):
        fee = self.env["product.product"].create(
            {
                "name": "No-show fee",
                "type": "service",
                "list_price": 25.0,
                "taxes_id": [Command.set(self.tax_21.ids)],
            }
        )
        self.company_a.write(
            {
                "psy_fee_no_show": True,
                "psy_fee_mode": "product",
                "psy_fee_product_id": fee.id,
            }
        )
        session = self._session(start=self._nov(20))
        session.action_no_show()
        move = session._psy_create_invoices("session", post=True)
        self.assertEqual(move.invoice_line_ids.product_id, fee)
        # A fee is not health care: the fee product's own tax applies.
        self.assertAlmostEqual(move.amount_untaxed, 25.0)
        self.assertAlmostEqual(move.amount_total, 30.25)
        self.assertFalse(move.psy_exempt_note)
        self.assertBalanced(move)
        balances = self._balances(move)
        self.assertAlmostEqual(balances[self.receivable], 30.25)
        self.assertAlmostEqual(balances[self.income], -25.0)
        self.assertAlmostEqual(balances[self.tax_account], -5.25)

    def test_no_fee_without_policy(self):
        session = self._session(start=self._nov(20))
        session.action_no_show()
        self.assertFalse(session.psy_billable)
        self.assertEqual(session.psy_invoice_state, "none")
        self.assertFalse(session._psy_create_invoices("session"))
        # The policy in force when it happened decides, not a later change.
        self.company_a.psy_fee_no_show = True
        self.assertFalse(session.psy_billable)
