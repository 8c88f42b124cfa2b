from datetime import date

from odoo.tests import tagged

from .common import PsyVoucherCommon


@tagged("post_install", "-at_install")
class TestReport(PsyVoucherCommon):
    def test_monthly_sold_consumed_expired(self):
        voucher = self._voucher(
            start_date=date(2026, 9, 1), expiry_date=date(2026, 11, 1)
        )
        self._voucher(self._pack(psy_voucher_sessions=5), patient=self.patient_2)
        session = self._completed()
        self._completed()
        session.with_user(self.psychologist).action_reset()
        self.Voucher._expire_due()
        self.assertBalance(voucher, 0, "expired")
        self.env.flush_all()
        groups = self.env["psy.voucher.report"]._read_group(
            [("company_id", "=", self.company_a.id)],
            groupby=["date:month"],
            aggregates=[
                "sessions_sold:sum",
                "sessions_consumed:sum",
                "sessions_expired:sum",
            ],
        )
        by_month = {month.strftime("%Y-%m"): rest for month, *rest in groups}
        self.assertEqual(by_month["2026-09"], [10, 0, 0])
        # Sold today (5), one session consumed net, 9 lost at expiry; all
        # ledger lines are dated today.
        self.assertEqual(by_month["2026-11"], [5, 1, 9])
