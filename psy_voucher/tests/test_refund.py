from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import PsyVoucherCommon


@tagged("post_install", "-at_install")
class TestRefund(PsyVoucherCommon):
    def _used(self, product, used):
        voucher = self._voucher(product)
        for _i in range(used):
            self._completed()
        self.assertBalance(voucher, 10 - used)
        return voucher

    def test_unused_sessions_at_unit_price(self):
        voucher = self._used(self.pack10, 6)
        breakdown = voucher._compute_refund_amount()
        self.assertEqual(breakdown["model"], "unused")
        self.assertEqual(breakdown["unit_price"], 50.0)
        self.assertEqual(breakdown["used"], 6)
        self.assertEqual(breakdown["remaining"], 4)
        self.assertEqual(breakdown["gross"], 200.0)
        self.assertEqual(breakdown["admin_fee"], 0.0)
        self.assertEqual(breakdown["amount"], 200.0)

    def test_reprice_at_single_session_price(self):
        product = self._pack(
            psy_voucher_refund_model="reprice", psy_voucher_single_price=60.0
        )
        voucher = self._used(product, 6)
        breakdown = voucher._compute_refund_amount()
        self.assertEqual(breakdown["single_price"], 60.0)
        self.assertEqual(breakdown["used_value"], 360.0)
        self.assertEqual(breakdown["amount"], 140.0)  # 500 - 6 x 60

    def test_reprice_single_price_from_session_type(self):
        product = self._pack(psy_voucher_refund_model="reprice")
        voucher = self._used(product, 6)
        self.assertEqual(self.individual.list_price, 60.0)
        self.assertEqual(voucher._compute_refund_amount()["amount"], 140.0)

    def test_admin_fee_deducted(self):
        unused = self._pack(psy_voucher_admin_fee=25.0)
        voucher = self._used(unused, 6)
        breakdown = voucher._compute_refund_amount()
        self.assertEqual((breakdown["gross"], breakdown["admin_fee"]), (200.0, 25.0))
        self.assertEqual(breakdown["amount"], 175.0)
        reprice = self._pack(
            psy_voucher_refund_model="reprice",
            psy_voucher_single_price=60.0,
            psy_voucher_admin_fee=25.0,
        )
        other = self._voucher(reprice, patient=self.patient_2)
        for _i in range(6):
            self._completed(
                patient_id=self.patient_2.id, professional_id=self.psychologist_2.id
            )
        self.assertBalance(other, 4)
        self.assertEqual(other._compute_refund_amount()["amount"], 115.0)

    def test_never_below_zero(self):
        product = self._pack(
            psy_voucher_refund_model="reprice",
            psy_voucher_single_price=60.0,
            psy_voucher_admin_fee=25.0,
        )
        voucher = self._used(product, 9)
        breakdown = voucher._compute_refund_amount()
        self.assertEqual(breakdown["gross"], 0.0)  # 500 - 9 x 60 < 0
        self.assertEqual(breakdown["admin_fee"], 0.0)
        self.assertEqual(breakdown["amount"], 0.0)
        small = self._pack(psy_voucher_admin_fee=80.0)
        other = self._voucher(small, patient=self.patient_2)
        for _i in range(9):
            self._completed(
                patient_id=self.patient_2.id, professional_id=self.psychologist_2.id
            )
        # 50 left to refund, a fee of 80: nothing, never a negative refund.
        self.assertEqual(other._compute_refund_amount()["amount"], 0.0)

    def test_wizard_shows_breakdown_then_refunds(self):
        voucher = self._used(self._pack(psy_voucher_admin_fee=20.0), 6)
        wizard = (
            self.env["psy.voucher.refund.wizard"]
            .with_user(self.receptionist)
            .create({"voucher_id": voucher.id, "reason": "Moving abroad"})
        )
        self.assertEqual(
            (wizard.unit_price, wizard.used, wizard.remaining, wizard.gross),
            (50.0, 6, 4, 200.0),
        )
        self.assertEqual((wizard.admin_fee, wizard.amount), (20.0, 180.0))
        # Nothing moves before confirmation.
        self.assertBalance(voucher, 4, "active")
        wizard.action_confirm()
        self.assertBalance(voucher, 0, "refunded")
        line = voucher.line_ids.sorted("id")[-1]
        self.assertEqual(
            (line.type, line.quantity, line.balance, line.amount),
            ("refund", -4, 0, 180.0),
        )
        self.assertEqual(line.reason, "Moving abroad")
        self.assertTrue(self._completed().psy_pay_separately)
        with self.assertRaisesRegex(UserError, "Only an active pack"):
            voucher._refund()

    def test_no_refund_model_and_rights(self):
        voucher = self._voucher(self._pack(psy_voucher_refund_model="none"))
        self.assertEqual(voucher._compute_refund_amount()["amount"], 0.0)
        with self.assertRaisesRegex(UserError, "not refundable"):
            voucher._refund()
        other = self._voucher()
        with self.assertRaises(AccessError):
            other.with_user(self.billing)._refund()
        self.assertBalance(voucher, 10, "active")
        self.assertBalance(other, 10, "active")

    def test_reopen_refunded_session_refused(self):
        voucher = self._voucher()
        session = self._completed()
        voucher._refund()
        with self.assertRaisesRegex(UserError, "cannot be given back"):
            session.with_user(self.psychologist).action_reset()
        self.assertBalance(voucher, 0, "refunded")
