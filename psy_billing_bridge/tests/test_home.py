from odoo.tests import tagged

from .common import PsyBillingVoucherCommon


@tagged("post_install", "-at_install")
class TestBillingHome(PsyBillingVoucherCommon):
    """Sessions to collect on the front desk's home; prepaid liability, done
    and not invoiced, and unpaid invoices on the accountant's home."""

    def _tiles(self, user, home):
        data = self.env["psy.home"].with_user(user).get_home(home)
        return {tile["key"]: tile for tile in data["tiles"]}

    def test_front_desk_sessions_to_collect(self):
        key = "psy_billing_bridge.to_collect"
        self.assertEqual(self._tiles(self.receptionist, "front_desk")[key]["count"], 0)
        session = self._done_session(self._nov(20))
        self.assertEqual(session.psy_invoice_state, "to_invoice")
        self.assertEqual(self._tiles(self.receptionist, "front_desk")[key]["count"], 1)
        move = session._psy_create_invoices("session", post=True)
        self.assertEqual(self._tiles(self.receptionist, "front_desk")[key]["count"], 1)
        self._pay(move)
        self.assertEqual(session.psy_invoice_state, "paid")
        self.assertEqual(self._tiles(self.receptionist, "front_desk")[key]["count"], 0)

    def test_accountant_tiles(self):
        tiles = self._tiles(self.billing, "accountant")
        self.assertEqual(
            [key for key in tiles],
            [
                "psy_billing_bridge.prepaid_liability",
                "psy_billing_bridge.to_invoice",
                "psy_billing_bridge.unpaid",
            ],
        )
        self.assertEqual(tiles["psy_billing_bridge.prepaid_liability"]["count"], 0)
        # A pack of 10 sessions sold for 500 and posted, two sessions used.
        voucher, pack_move = self._sell()
        self.assertEqual(voucher.state, "active")
        for day in (16, 17):
            self._done_session(self._nov(day))
        self.assertEqual(voucher.remaining, 8)
        done = self._done_session(self._nov(20), patient_id=self.patient_2.id)
        tiles = self._tiles(self.billing, "accountant")
        liability = tiles["psy_billing_bridge.prepaid_liability"]
        self.assertEqual(liability["count"], 1)
        self.assertIn("400.00", liability["value"])
        self.assertEqual(tiles["psy_billing_bridge.to_invoice"]["count"], 1)
        self.assertEqual(tiles["psy_billing_bridge.unpaid"]["count"], 1)
        move = done._psy_create_invoices("session", post=True)
        tiles = self._tiles(self.billing, "accountant")
        self.assertEqual(tiles["psy_billing_bridge.to_invoice"]["count"], 0)
        self.assertEqual(tiles["psy_billing_bridge.unpaid"]["count"], 2)
        self._pay(move | pack_move)
        tiles = self._tiles(self.billing, "accountant")
        self.assertEqual(tiles["psy_billing_bridge.unpaid"]["count"], 0)
        action = (
            self.env["psy.home"]
            .with_user(self.billing)
            .action_open_tile("accountant", "psy_billing_bridge.prepaid_liability")
        )
        self.assertEqual(
            self.env["psy.voucher"].with_user(self.billing).search(action["domain"]),
            voucher,
        )
