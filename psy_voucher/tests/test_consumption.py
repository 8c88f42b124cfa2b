from datetime import date, datetime

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import PsyVoucherCommon


@tagged("post_install", "-at_install")
class TestConsumption(PsyVoucherCommon):
    def test_completion_consumes_one_session(self):
        voucher = self._voucher()
        self.assertBalance(voucher, 10, "active")
        session = self._completed()
        self.assertBalance(voucher, 9, "active")
        line = session.voucher_line_id
        self.assertEqual(session.voucher_id, voucher)
        self.assertEqual(
            (line.type, line.quantity, line.balance, line.session_id),
            ("consume", -1, 9, session),
        )
        self.assertEqual(line.user_id, self.env.user)
        self.assertFalse(session.psy_pay_separately)
        self._completed()
        self.assertBalance(voucher, 8, "active")
        self.assertEqual(voucher.sessions_used, 2)

    def test_scheduled_session_does_not_consume(self):
        voucher = self._voucher()
        session = self._past_session()
        self.assertBalance(voucher, 10)
        self.assertFalse(session.voucher_line_id)

    def test_no_eligible_voucher_pay_separately(self):
        session = self._completed()
        self.assertTrue(session.psy_pay_separately)
        self.assertFalse(session.voucher_id)
        # Reopened, it is no longer to be paid.
        session.with_user(self.psychologist).action_reset()
        self.assertFalse(session.psy_pay_separately)

    def test_exhausted_then_pay_separately(self):
        voucher = self._voucher(self._pack(psy_voucher_sessions=2))
        self._completed()
        self.assertBalance(voucher, 1, "active")
        self._completed()
        self.assertBalance(voucher, 0, "exhausted")
        third = self._completed()
        self.assertBalance(voucher, 0, "exhausted")
        self.assertTrue(third.psy_pay_separately)

    def test_completing_twice_consumes_once(self):
        voucher = self._voucher()
        session = self._completed()
        self.assertBalance(voucher, 9)
        with self.assertRaisesRegex(UserError, "is done"):
            session.action_done()
        # Even a direct write of the same state does not consume again.
        session.write({"state": "done"})
        self.assertBalance(voucher, 9)
        self.assertEqual(len(voucher.line_ids), 1)

    def test_reopen_reverses_exactly_its_consumption(self):
        first_voucher = self._voucher(expiry_date=date(2026, 12, 31))
        second_voucher = self._voucher()
        first = self._completed()
        second = self._completed()
        self.assertBalance(first_voucher, 8)
        self.assertBalance(second_voucher, 10)
        consumption = first.voucher_line_id
        first.with_user(self.psychologist).action_reset()
        self.assertBalance(first_voucher, 9, "active")
        reverse = first_voucher.line_ids.sorted("id")[-1]
        self.assertEqual(
            (reverse.type, reverse.quantity, reverse.balance, reverse.session_id),
            ("reverse", 1, 9, first),
        )
        self.assertEqual(reverse.reversed_line_id, consumption)
        self.assertFalse(first.voucher_line_id)
        self.assertEqual(second.voucher_id, first_voucher)
        self.assertEqual(first_voucher.sessions_used, 1)
        # Completed again: consumed again, once.
        first.action_done()
        self.assertBalance(first_voucher, 8)
        self.assertEqual(
            first_voucher.line_ids.mapped("type"),
            ["consume", "consume", "reverse", "consume"],
        )

    def test_reopen_gives_exhausted_pack_its_session_back(self):
        voucher = self._voucher(self._pack(psy_voucher_sessions=1))
        session = self._completed()
        self.assertBalance(voucher, 0, "exhausted")
        session.with_user(self.psychologist).action_reset()
        self.assertBalance(voucher, 1, "active")

    def test_fifo_by_expiry_across_vouchers(self):
        late = self._voucher(expiry_date=date(2027, 3, 1))
        early = self._voucher(
            self._pack(psy_voucher_sessions=2), expiry_date=date(2026, 12, 1)
        )
        middle = self._voucher(
            self._pack(psy_voucher_sessions=1), expiry_date=date(2027, 1, 15)
        )
        steps = [
            (early, (1, 10, 1)),
            (early, (0, 10, 1)),
            (middle, (0, 10, 0)),
            (late, (0, 9, 0)),
            (late, (0, 8, 0)),
        ]
        for expected_voucher, (e, la, m) in steps:
            session = self._completed()
            self.assertEqual(session.voucher_id, expected_voucher)
            self.assertBalance(early, e)
            self.assertBalance(late, la)
            self.assertBalance(middle, m)
        self.assertEqual(early.state, "exhausted")
        self.assertEqual(middle.state, "exhausted")

    def test_only_covered_session_types(self):
        voucher = self._voucher()
        session = self._completed(product_id=self.couples.id)
        self.assertBalance(voucher, 10)
        self.assertTrue(session.psy_pay_separately)
        online = self._completed(product_id=self.online_only.id, modality="online")
        self.assertEqual(online.voucher_id, voucher)
        self.assertBalance(voucher, 9)

    def test_other_patient_draft_and_expired_at_session_date(self):
        self._voucher(patient=self.patient_2)
        self._voucher(activate=False)
        expired_before = self._voucher(
            start_date=date(2026, 1, 1), expiry_date=date(2026, 9, 30)
        )
        session = self._completed()
        self.assertTrue(session.psy_pay_separately)
        self.assertBalance(expired_before, 10)
        # Valid on the session's date even if it is its last day.
        last_day = self._voucher(
            start_date=date(2026, 1, 1), expiry_date=date(2026, 10, 20)
        )
        session = self._completed(start=datetime(2026, 10, 20, 9, 0))
        self.assertEqual(session.voucher_id, last_day)

    def test_other_company_voucher_not_used(self):
        patient_b = self.env["psy.patient"].create(
            {"firstname": "Bea", "lastname": "Beta", "company_id": self.company_b.id}
        )
        voucher = self._voucher()
        self.assertEqual(voucher.company_id, self.company_a)
        with self.assertRaises(UserError):
            # A pack of center B cannot be sold for a patient of center A.
            self.Voucher.create(
                {
                    "patient_id": self.patient.id,
                    "product_id": self.pack10.id,
                    "company_id": self.company_b.id,
                }
            )
        self.assertEqual(patient_b.company_id, self.company_b)

    def test_reopen_after_expiry_loses_the_session_again(self):
        voucher = self._voucher(
            start_date=date(2026, 1, 1), expiry_date=date(2026, 11, 1)
        )
        session = self._completed(start=datetime(2026, 10, 30, 9, 0))
        self.assertBalance(voucher, 9)
        self.Voucher._expire_due()
        self.assertBalance(voucher, 0, "expired")
        session.with_user(self.psychologist).action_reset()
        self.assertBalance(voucher, 0, "expired")
        self.assertEqual(
            voucher.line_ids.mapped("type"), ["consume", "expire", "reverse", "expire"]
        )
        self.assertEqual(voucher.line_ids.mapped("balance"), [9, 0, 1, 0])
