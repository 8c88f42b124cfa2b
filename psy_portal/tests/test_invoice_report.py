# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.tests import tagged

from .common import PsyPortalCommon


@tagged("post_install", "-at_install")
class TestInvoiceReport(PsyPortalCommon):
    """The pack's invoice prints its sessions left and expiry."""

    def _html(self, move):
        html, __ = self.env["ir.actions.report"]._render_qweb_html(
            "account.report_invoice", move.ids
        )
        return html.decode()

    def test_pack_invoice_prints_sessions_left(self):
        voucher, move = self._sell()
        self.assertEqual(move._psy_report_vouchers(), voucher)
        html = self._html(move)
        self.assertIn('id="psy_pack_balance"', html)
        self.assertIn("10", html)
        self.assertIn("sessions left", html)
        self.assertIn("05/23/2027", html)

    def test_session_invoice_paid_by_pack_prints_sessions_left(self):
        self.company_a.psy_billing_approach = "session"
        voucher, move = self._sell()
        self._pay(move)
        session = self._completed()
        self.assertEqual(session.voucher_id, voucher)
        invoice = session._psy_create_invoices(post=True)
        self.assertEqual(invoice._psy_report_vouchers(), voucher)
        html = self._html(invoice)
        self.assertIn('id="psy_pack_balance"', html)
        self.assertIn("9", html)
        self.assertIn("sessions left", html)

    def test_session_invoice_without_pack_prints_nothing(self):
        session = self._completed()
        move = session._psy_create_invoices(post=True)
        self.assertFalse(move._psy_report_vouchers())
        self.assertNotIn('id="psy_pack_balance"', self._html(move))

    def test_billing_staff_prints_it(self):
        voucher, move = self._sell()
        self.assertEqual(move.with_user(self.billing)._psy_report_vouchers(), voucher)
