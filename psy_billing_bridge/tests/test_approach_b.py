from datetime import datetime

from odoo.tests import tagged

from .common import PsyBillingVoucherCommon


@tagged("post_install", "-at_install")
class TestApproachB(PsyBillingVoucherCommon):
    def test_month_of_sessions_with_advance_deducted(self):
        self.company_a.psy_billing_approach = "session"
        voucher, move = self._sell()
        self.assertEqual(voucher.psy_approach, "session")
        self.assertFalse(voucher.psy_deferred)
        self.assertAlmostEqual(self._balances(move)[self.advance], -500.0)
        self._pay(move)

        sessions = self.env["psy.session"]
        for day in (2, 9, 16):
            sessions |= self._completed(start=datetime(2026, 11, day, 10, 0))
        self.assertEqual(sessions.voucher_id, voucher)
        self.assertEqual(set(sessions.mapped("psy_invoice_state")), {"to_invoice"})

        invoices = sessions._psy_create_invoices("monthly", post=True)
        self.assertEqual(len(invoices), 1)
        self.assertEqual(len(invoices.invoice_line_ids), 6)
        self.assertAlmostEqual(invoices.amount_total, 0.0)
        self.assertEqual(invoices.payment_state, "paid")
        balances = self._balances(invoices)
        self.assertAlmostEqual(balances[self.income], -150.0)
        self.assertAlmostEqual(balances[self.advance], 150.0)
        self.assertAlmostEqual(self._account_balance(self.advance), -350.0)
        self.assertEqual(set(sessions.mapped("psy_invoice_state")), {"paid"})
        for session in sessions:
            self.assertIn(self.psychologist.name, session.psy_invoice_line_ids[0].name)
        self.assertAllBalanced()
