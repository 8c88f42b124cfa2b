# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.tests import HttpCase, tagged

from .common import PsyPortalCommon


@tagged("post_install", "-at_install")
class TestInvoicePayment(PsyPortalCommon, HttpCase):
    """Invoices on Odoo's own portal, payable online when the center has a
    payment provider (the demo provider of ``payment_demo`` when it is
    installed)."""

    def test_pay_own_invoice_online(self):
        demo = self.env["ir.module.module"].search(
            [("name", "=", "payment_demo"), ("state", "=", "installed")]
        )
        if not demo:
            self.skipTest("payment_demo is not installed in this database")
        provider = self.env.ref("payment.payment_provider_demo").sudo()
        if provider.company_id != self.company_a:
            provider = provider.copy({"company_id": self.company_a.id})
        provider.write({"state": "test", "is_published": True})
        voucher, move = self._sell()
        self.authenticate("t_portal_ana", "t_portal_ana")
        listing = self.url_open("/my/invoices")
        self.assertEqual(listing.status_code, 200)
        self.assertIn(move.name, listing.text)
        self.assertIn("Pay Now", listing.text)
        page = self.url_open(f"/my/invoices/{move.id}?payment=True")
        self.assertEqual(page.status_code, 200)
        self.assertIn('id="pay_with"', page.text)
        # Patient 2 neither lists nor opens it.
        self.authenticate("t_portal_bruno", "t_portal_bruno")
        self.assertNotIn(move.name, self.url_open("/my/invoices").text)
        response = self.url_open(f"/my/invoices/{move.id}", allow_redirects=False)
        self.assertNotEqual(response.status_code, 200)
