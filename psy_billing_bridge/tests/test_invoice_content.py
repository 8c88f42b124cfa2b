from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import PsyBillingCommon


@tagged("post_install", "-at_install")
class TestInvoiceContent(PsyBillingCommon):
    def test_done_session_invoiced_posted_and_paid(self):
        session = self._done_session(self._nov(16))
        self.assertTrue(session.psy_billable)
        self.assertEqual(session.psy_invoice_state, "to_invoice")

        Session = self.env["psy.session"].with_user(self.billing)
        move = Session.browse(session.id)._psy_create_invoices("session")
        self.assertEqual(len(move), 1)
        self.assertEqual(move.partner_id, self.patient.partner_id)
        self.assertEqual(move.psy_patient_national_id, "12345678Z")
        self.assertEqual(move.psy_professional_ids, self.psychologist)
        line = move.invoice_line_ids
        self.assertEqual(line.psy_session_id, session)
        self.assertIn("Individual therapy", line.name)
        self.assertIn("M-12345", line.name)
        self.assertIn(self.psychologist.name, line.name)
        self.assertIn("11/16/26", line.name)
        self.assertEqual(line.tax_ids, self.tax_exempt)
        self.assertEqual(session.psy_invoice_state, "invoiced")

        move.action_post()
        self.assertBalanced(move)
        balances = self._balances(move)
        self.assertAlmostEqual(balances[self.receivable], 60.0)
        self.assertAlmostEqual(balances[self.income], -60.0)
        self.assertEqual(len(balances), 2, "An exempt invoice has no tax line.")
        self.assertEqual(move.psy_exempt_note, self.company_a.psy_exempt_note)

        self._pay(move)
        self.assertIn(move.payment_state, ("paid", "in_payment"))
        self.assertEqual(session.psy_invoice_state, "paid")

        # Invoicing again does nothing: the session is already invoiced.
        self.assertFalse(session._psy_create_invoices("session"))

    def test_taxed_service_has_no_exemption_note(self):
        session = self._done_session(self._nov(17), product_id=self.coaching.id)
        move = session._psy_create_invoices("session", post=True)
        self.assertFalse(move.psy_exempt_note)
        self.assertBalanced(move)
        self.assertAlmostEqual(move.amount_total, 121.0)
        self.assertAlmostEqual(self._balances(move)[self.receivable], 121.0)

    def test_report_prints_patient_and_professional(self):
        session = self._done_session(self._nov(18))
        move = session._psy_create_invoices("session", post=True)
        # Billing staff print it without access to the patient file.
        html = (
            self.env["ir.actions.report"]
            .with_user(self.billing)
            ._render_qweb_html("account.report_invoice", move.ids)[0]
            .decode()
        )
        self.assertIn("12345678Z", html)
        self.assertIn("M-12345", html)
        self.assertIn("art. 20.One.3", html)

    def test_credit_note_reopens_session(self):
        session = self._done_session(self._nov(19))
        move = session._psy_create_invoices("session", post=True)
        reversal = move._reverse_moves(cancel=True)
        self.assertEqual(reversal.move_type, "out_refund")
        self.assertEqual(move.payment_state, "reversed")
        self.assertEqual(session.psy_invoice_state, "to_invoice")
        self.assertFalse(self._balances(move + reversal).get(self.receivable))

    def test_scheduled_and_cancelled_not_billable(self):
        scheduled = self._session()
        self.assertEqual(scheduled.psy_invoice_state, "none")
        with freeze_time(self._nov(20)):
            scheduled.action_cancel()
        self.assertEqual(scheduled.state, "cancelled")
        self.assertEqual(scheduled.psy_invoice_state, "none")

    def test_only_billing_staff_invoice(self):
        session = self._done_session(self._nov(20))
        for user in (self.receptionist, self.psychologist):
            with self.assertRaises(AccessError):
                session.with_user(user).action_psy_create_invoice()
        action = session.with_user(self.billing).action_psy_create_invoice()
        self.assertEqual(action["res_model"], "account.move")
        self.assertEqual(session.psy_invoice_state, "invoiced")
