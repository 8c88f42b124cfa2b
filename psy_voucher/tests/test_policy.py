from odoo.tests import tagged

from .common import PsyVoucherCommon


@tagged("post_install", "-at_install")
class TestPolicy(PsyVoucherCommon):
    def _late_cancelled(self):
        session = self._past_session()
        session.action_cancel()
        self.assertEqual(session.state, "late_cancelled")
        return session

    def _no_show(self):
        session = self._past_session()
        session.action_no_show()
        return session

    def test_company_default_consume(self):
        voucher = self._voucher()
        late = self._late_cancelled()
        self.assertEqual(late.voucher_id, voucher)
        self.assertBalance(voucher, 9)
        absent = self._no_show()
        self.assertEqual(absent.voucher_id, voucher)
        self.assertBalance(voucher, 8)
        self.assertEqual(voucher.line_ids.mapped("type"), ["consume", "consume"])

    def test_company_default_no_consume(self):
        self.company_a.write(
            {
                "psy_voucher_late_cancel_policy": "no_consume",
                "psy_voucher_no_show_policy": "no_consume",
            }
        )
        voucher = self._voucher()
        late = self._late_cancelled()
        absent = self._no_show()
        self.assertBalance(voucher, 10)
        self.assertFalse(late.voucher_id or absent.voucher_id)
        self.assertFalse(late.psy_pay_separately or absent.psy_pay_separately)

    def test_product_overrides_company(self):
        # The center deducts; this pack does not deduct no-shows.
        kind = self._pack(psy_voucher_no_show_policy="no_consume")
        voucher = self._voucher(kind)
        self._no_show()
        self.assertBalance(voucher, 10)
        self._late_cancelled()
        self.assertBalance(voucher, 9)
        # The center does not deduct; this pack deducts late cancellations.
        self.company_a.psy_voucher_late_cancel_policy = "no_consume"
        strict = self._pack(psy_voucher_late_cancel_policy="consume")
        other = self._voucher(strict, patient=self.patient_2)
        session = self._past_session(
            patient_id=self.patient_2.id, professional_id=self.psychologist_2.id
        )
        session.action_cancel()
        self.assertEqual(session.voucher_id, other)
        self.assertBalance(other, 9)

    def test_cancel_in_time_never_deducts(self):
        voucher = self._voucher(self._pack(psy_voucher_late_cancel_policy="consume"))
        session = self._session(start=self._future_start())
        session.action_cancel()
        self.assertEqual(session.state, "cancelled")
        self.assertBalance(voucher, 10)
        self.assertFalse(session.voucher_id)
        self.assertFalse(session.psy_pay_separately)

    def test_late_cancel_without_pack_is_paid_separately_per_policy(self):
        late = self._late_cancelled()
        self.assertTrue(late.psy_pay_separately)
        self.company_a.psy_voucher_no_show_policy = "no_consume"
        absent = self._no_show()
        self.assertFalse(absent.psy_pay_separately)
