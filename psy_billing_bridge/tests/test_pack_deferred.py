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

    def test_transfer_keeps_value_deferred(self):
        voucher, move = self._sell()
        self._completed()
        self._completed()
        self.assertDeferredMatchesLiability(400.0)

        target = self._transfer(voucher, self.patient_2)
        # The value of the 8 sessions stays deferred, now on the new pack,
        # which is paid by the same invoice: no entry for the transfer.
        self.assertEqual(target.psy_invoice_id, move)
        self.assertTrue(target.psy_deferred)
        self.assertEqual(target.psy_approach, "pack")
        self.assertAlmostEqual(target.price, 400.0)
        self.assertFalse(
            voucher.line_ids.filtered("counterpart_voucher_id").psy_move_line_ids
        )
        self.assertFalse(target.line_ids.psy_move_line_ids)
        self.assertDeferredMatchesLiability(400.0)
        self.assertAlmostEqual(self._account_balance(self.pack_income), -100.0)

        session = self._completed_for_patient_2()
        self.assertEqual(session.voucher_id, target)
        self.assertAlmostEqual(session.psy_price, 50.0)
        self.assertDeferredMatchesLiability(350.0)
        entry_balances = self._balances(
            session.voucher_line_id.psy_move_line_ids.move_id
        )
        self.assertAlmostEqual(entry_balances[self.deferred], 50.0)
        self.assertAlmostEqual(entry_balances[self.pack_income], -50.0)

        # The pack that was transferred out cannot have its invoice cancelled.
        with self.assertRaisesRegex(UserError, "has been used"):
            move._reverse_moves(cancel=True)
        self.assertAllBalanced()

    def test_transfer_then_refund_and_expiry(self):
        voucher, move = self._sell()
        self._pay(move)
        self._completed()
        target = self._transfer(voucher, self.patient_2)
        self._completed_for_patient_2()
        self.assertDeferredMatchesLiability(400.0)

        # The refund of the received pack credits whoever paid the invoice,
        # from the deferred-revenue account, linked to the original invoice.
        target.with_user(self.receptionist)._refund(reason="Moving abroad")
        credit_note = self.env["account.move"].search(
            [("reversed_entry_id", "=", move.id), ("move_type", "=", "out_refund")]
        )
        self.assertEqual(credit_note.state, "posted")
        self.assertEqual(credit_note.partner_id, move.partner_id)
        self.assertAlmostEqual(credit_note.amount_total, 400.0)
        self.assertEqual(credit_note.invoice_line_ids.psy_voucher_id, target)
        self.assertEqual(credit_note.invoice_line_ids.account_id, self.deferred)
        self.assertEqual(credit_note.invoice_line_ids.tax_ids, self.tax_exempt)
        self.assertDeferredMatchesLiability(0.0)
        self.assertAlmostEqual(self._account_balance(self.pack_income), -100.0)
        self.assertAllBalanced()

        # A second transferred pack expires: the rest goes to income.
        voucher_2, __ = self._sell()
        target_2 = self._transfer(voucher_2, self.patient_2)
        self._completed_for_patient_2()
        self.assertDeferredMatchesLiability(450.0)
        self.env["psy.voucher"]._expire_due(today=date(2027, 6, 30))
        self.assertEqual(target_2.state, "expired")
        self.assertDeferredMatchesLiability(0.0)
        self.assertAlmostEqual(self._account_balance(self.pack_income), -600.0)
        self.assertAllBalanced()
