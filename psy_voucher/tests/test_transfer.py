from datetime import date

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import PsyVoucherCommon


@tagged("post_install", "-at_install")
class TestTransfer(PsyVoucherCommon):
    def _wizard(self, voucher, patient, user=None):
        return (
            self.env["psy.voucher.transfer.wizard"]
            .with_user(user or self.receptionist)
            .create(
                {"voucher_id": voucher.id, "patient_id": patient.id, "reason": "Gift"}
            )
        )

    def test_transfer_moves_remaining_keeps_expiry(self):
        voucher = self._voucher(expiry_date=date(2027, 2, 28))
        self._completed()
        self._completed()
        self.assertBalance(voucher, 8)
        action = self._wizard(voucher, self.patient_2).action_confirm()
        target = self.Voucher.browse(action["res_id"])
        self.assertBalance(voucher, 0, "exhausted")
        self.assertBalance(target, 8, "active")
        self.assertEqual(target.patient_id, self.patient_2)
        self.assertEqual(target.expiry_date, date(2027, 2, 28))
        self.assertEqual(target.origin_voucher_id, voucher)
        self.assertEqual(target.sessions_total, 0)
        self.assertEqual(target.price, 400.0)
        out, into = voucher.line_ids[-1], target.line_ids
        self.assertEqual((out.type, out.quantity, out.balance), ("transfer_out", -8, 0))
        self.assertEqual(
            (into.type, into.quantity, into.balance), ("transfer_in", 8, 8)
        )
        self.assertEqual(out.counterpart_voucher_id, target)
        self.assertEqual(into.counterpart_voucher_id, voucher)
        self.assertEqual(out.user_id, self.receptionist)
        # The new owner's sessions consume it; the old owner's no longer do.
        session = self._completed(
            patient_id=self.patient_2.id, professional_id=self.psychologist_2.id
        )
        self.assertEqual(session.voucher_id, target)
        self.assertBalance(target, 7)
        self.assertTrue(self._completed().psy_pay_separately)

    def test_not_transferable(self):
        voucher = self._voucher(self._pack(psy_voucher_transfer="no"))
        with self.assertRaisesRegex(UserError, "cannot be transferred"):
            self._wizard(voucher, self.patient_2).action_confirm()
        self.assertBalance(voucher, 10, "active")

    def test_transfer_rules(self):
        voucher = self._voucher()
        with self.assertRaisesRegex(UserError, "already belongs"):
            self._wizard(voucher, self.patient).action_confirm()
        patient_b = self.env["psy.patient"].create(
            {"firstname": "Bea", "lastname": "Beta", "company_id": self.company_b.id}
        )
        with self.assertRaisesRegex(UserError, "within its own center"):
            voucher._request_transfer(patient_b)
        with self.assertRaises(AccessError):
            voucher.with_user(self.psychologist)._request_transfer(self.patient_2)
        self.assertBalance(voucher, 10, "active")

    def test_transfer_with_director_approval(self):
        voucher = self._voucher(self._pack(psy_voucher_transfer="approval"))
        self._completed()
        wizard = self._wizard(voucher, self.patient_2)
        self.assertTrue(wizard.needs_approval)
        wizard.action_confirm()
        # Requested, not done: the balance has not moved.
        self.assertBalance(voucher, 9, "active")
        self.assertEqual(voucher.transfer_patient_id, self.patient_2)
        self.assertEqual(voucher.transfer_requested_by_id, self.receptionist)
        self.assertIn(self.director, voucher.activity_ids.user_id)
        with self.assertRaises(AccessError):
            voucher.with_user(self.receptionist).action_approve_transfer()
        target = voucher.with_user(self.director)._approve_transfer()
        self.assertBalance(voucher, 0, "exhausted")
        self.assertBalance(target, 9, "active")
        self.assertEqual(voucher.line_ids[-1].user_id, self.director)
        self.assertFalse(voucher.transfer_patient_id)

    def test_director_refuses_transfer(self):
        voucher = self._voucher(self._pack(psy_voucher_transfer="approval"))
        self._wizard(voucher, self.patient_2).action_confirm()
        voucher.with_user(self.director).action_refuse_transfer()
        self.assertFalse(voucher.transfer_patient_id)
        self.assertBalance(voucher, 10, "active")
