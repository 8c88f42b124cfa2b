from datetime import date, datetime

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

    def _sell_advance(self):
        self.company_a.psy_billing_approach = "session"
        voucher, move = self._sell()
        self.assertEqual(voucher.psy_approach, "session")
        return voucher, move

    def _invoice_month(self, sessions):
        invoices = sessions._psy_create_invoices("monthly", post=True)
        self.assertAlmostEqual(sum(invoices.mapped("amount_total")), 0.0)
        return invoices

    def assertAdvanceMatchesLiability(self, expected):
        """Once the consumed sessions are invoiced, the customer advances
        account (a credit) holds the value of the sessions left."""
        self.env.flush_all()
        self.assertAlmostEqual(-self._account_balance(self.advance), expected)
        self.assertAlmostEqual(self._liability(), expected)

    def test_expiry_moves_the_advance_left_to_income(self):
        voucher, move = self._sell_advance()
        self._pay(move)
        sessions = self.env["psy.session"].union(
            *(self._completed() for __ in range(3))
        )
        self._invoice_month(sessions)
        self.assertAdvanceMatchesLiability(350.0)

        self.env["psy.voucher"]._expire_due(today=date(2027, 6, 30))
        self.assertEqual(voucher.state, "expired")
        entry = voucher.line_ids.filtered(
            lambda line: line.type == "expire"
        ).psy_move_line_ids.move_id
        self.assertEqual(entry.state, "posted")
        balances = self._balances(entry)
        self.assertAlmostEqual(balances[self.advance], 350.0)
        self.assertAlmostEqual(balances[self.pack_income], -350.0)
        self.assertAdvanceMatchesLiability(0.0)
        self.assertAllBalanced()

    def test_refund_of_the_advance_left(self):
        voucher, move = self._sell_advance()
        self._pay(move)
        sessions = self.env["psy.session"].union(
            *(self._completed() for __ in range(4))
        )
        self._invoice_month(sessions)
        self.assertAdvanceMatchesLiability(300.0)

        voucher.with_user(self.receptionist)._refund(reason="Treatment ended")
        self.assertEqual(voucher.state, "refunded")
        credit_note = self.env["account.move"].search(
            [("reversed_entry_id", "=", move.id), ("move_type", "=", "out_refund")]
        )
        self.assertEqual(credit_note.state, "posted")
        self.assertAlmostEqual(credit_note.amount_total, 300.0)
        self.assertEqual(credit_note.invoice_line_ids.account_id, self.advance)
        self.assertAdvanceMatchesLiability(0.0)
        # The pack was paid: the credit note is money owed to the patient,
        # paid back the native way.
        self.assertEqual(credit_note.payment_state, "not_paid")
        self._pay(credit_note)
        self.assertIn(credit_note.payment_state, ("paid", "in_payment"))
        # The patient paid 500, was invoiced 4 sessions and got 300 back:
        # nothing is owed either way; 200 was earned.
        receivable = self.env["account.move.line"].search(
            [
                ("partner_id", "=", move.partner_id.id),
                ("account_id", "=", self.receivable.id),
                ("parent_state", "=", "posted"),
            ]
        )
        self.assertAlmostEqual(sum(receivable.mapped("balance")), 0.0)
        self.assertAlmostEqual(sum(receivable.mapped("amount_residual")), 0.0)
        self.assertAlmostEqual(
            sum(
                self.env["account.move.line"]
                .search(
                    [
                        ("partner_id", "=", move.partner_id.id),
                        ("account_id.account_type", "=", "income"),
                        ("parent_state", "=", "posted"),
                    ]
                )
                .mapped("balance")
            ),
            -200.0,
        )
        self.assertAllBalanced()

    def test_transferred_advance_deducted_on_the_new_patient_invoice(self):
        voucher, move = self._sell_advance()
        self._pay(move)
        target = self._transfer(voucher, self.patient_2)
        self.assertEqual(target.psy_approach, "session")
        self.assertAdvanceMatchesLiability(500.0)

        sessions = self._completed_for_patient_2() | self._completed_for_patient_2()
        self.assertEqual(sessions.voucher_id, target)
        invoices = self._invoice_month(sessions)
        self.assertEqual(invoices.partner_id, self.patient_2.partner_id)
        self.assertEqual(invoices.payment_state, "paid")
        advance_lines = invoices.invoice_line_ids.filtered(
            lambda aml: aml.psy_share == "advance"
        )
        self.assertEqual(advance_lines.psy_voucher_id, target)
        self.assertAlmostEqual(sum(advance_lines.mapped("price_subtotal")), -100.0)
        self.assertAdvanceMatchesLiability(400.0)
        self.assertAllBalanced()
