from datetime import date

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import PsyBillingVoucherCommon


@tagged("post_install", "-at_install")
class TestPackDeferred(PsyBillingVoucherCommon):
    def test_sale_paid_consumption_and_reopen(self):
        voucher, move = self._sell(post=False)
        self.assertEqual(voucher.state, "draft")
        self.assertEqual(voucher.psy_invoice_id, move)
        self.assertEqual(move.invoice_line_ids.psy_voucher_id, voucher)
        self.assertEqual(move.invoice_line_ids.account_id, self.deferred)
        self.assertDeferredMatchesLiability(0.0)

        move.action_post()
        self.assertEqual(voucher.state, "active")
        self.assertTrue(voucher.psy_deferred)
        balances = self._balances(move)
        self.assertAlmostEqual(balances[self.receivable], 500.0)
        self.assertAlmostEqual(balances[self.deferred], -500.0)
        self.assertDeferredMatchesLiability(500.0)

        self._pay(move)
        self.assertIn(voucher.psy_payment_state, ("paid", "in_payment"))
        self.assertDeferredMatchesLiability(500.0)

        session = self._completed()
        self.assertEqual(session.voucher_id, voucher)
        self.assertEqual(session.psy_invoice_state, "none")
        self.assertDeferredMatchesLiability(450.0)
        entry = session.voucher_line_id.psy_move_line_ids.move_id
        self.assertEqual(entry.state, "posted")
        entry_balances = self._balances(entry)
        self.assertAlmostEqual(entry_balances[self.deferred], 50.0)
        self.assertAlmostEqual(entry_balances[self.pack_income], -50.0)

        session.with_user(self.psychologist).action_reset()
        self.assertBalance(voucher, 10)
        self.assertDeferredMatchesLiability(500.0)
        self.assertAlmostEqual(self._account_balance(self.pack_income), 0.0)
        self.assertAllBalanced()

    def test_activation_when_paid(self):
        self.company_a.psy_voucher_activation = "paid"
        voucher, move = self._sell()
        self.assertEqual(move.state, "posted")
        self.assertEqual(voucher.state, "draft")
        self._pay(move)
        self.assertEqual(voucher.state, "active")

    def test_expiry_moves_the_rest_to_income(self):
        voucher, move = self._sell()
        for __ in range(3):
            self._completed()
        self.assertDeferredMatchesLiability(350.0)
        self.env["psy.voucher"]._expire_due(today=date(2027, 6, 30))
        self.assertEqual(voucher.state, "expired")
        self.assertDeferredMatchesLiability(0.0)
        self.assertAlmostEqual(self._account_balance(self.pack_income), -500.0)
        self.assertAllBalanced()

    def test_refund_credit_note_reconciled(self):
        voucher, move = self._sell()
        for __ in range(6):
            self._completed()
        self.assertDeferredMatchesLiability(200.0)
        voucher.with_user(self.receptionist)._refund(reason="Moving abroad")
        self.assertEqual(voucher.state, "refunded")
        credit_note = self.env["account.move"].search(
            [("reversed_entry_id", "=", move.id), ("move_type", "=", "out_refund")]
        )
        self.assertEqual(credit_note.state, "posted")
        self.assertAlmostEqual(credit_note.amount_total, 200.0)
        self.assertEqual(credit_note.invoice_line_ids.psy_voucher_id, voucher)
        # Reconciled the native way: the invoice owes 300 (the 6 sessions).
        self.assertAlmostEqual(move.amount_residual, 300.0)
        self.assertEqual(credit_note.payment_state, "paid")
        self.assertDeferredMatchesLiability(0.0)
        self.assertAlmostEqual(self._account_balance(self.pack_income), -300.0)
        self.assertAllBalanced()

    def test_cancel_unused_pack_invoice(self):
        voucher, move = self._sell()
        move._reverse_moves(cancel=True)
        self.assertEqual(voucher.state, "cancelled")
        self.assertBalance(voucher, 0)
        self.assertDeferredMatchesLiability(0.0)
        self.assertAllBalanced()

    def test_cancel_refused_after_consumption(self):
        voucher, move = self._sell()
        self._completed()
        with self.assertRaisesRegex(UserError, "has been used"):
            move._reverse_moves(cancel=True)
        with self.assertRaisesRegex(UserError, "has been used"):
            move.button_draft()
        self.assertEqual(voucher.state, "active")
        self.assertEqual(move.state, "posted")
        self.assertDeferredMatchesLiability(450.0)

    def test_draft_pack_invoice_cancelled(self):
        voucher, move = self._sell(post=False)
        move.button_cancel()
        self.assertEqual(voucher.state, "cancelled")

    def test_roles(self):
        voucher = self._voucher(activate=False)
        with self.assertRaises(AccessError):
            voucher.with_user(self.billing)._psy_create_invoices()
        # The front desk sells without accounting rights; billing reads the
        # liability view.
        voucher.with_user(self.receptionist).action_psy_sell()
        self.assertEqual(voucher.state, "active")
        wizard = (
            self.env["psy.voucher.liability.wizard"]
            .with_user(self.billing)
            .create({"date": date(2027, 12, 31), "company_id": self.company_a.id})
        )
        action = wizard.action_open()
        self.assertEqual(action["res_model"], "psy.voucher.liability.line")
        self.assertAlmostEqual(wizard.amount_total, 500.0)
        with self.assertRaises(AccessError):
            self.env["psy.voucher.liability.wizard"].with_user(
                self.receptionist
            ).create({"date": date(2027, 12, 31)})
