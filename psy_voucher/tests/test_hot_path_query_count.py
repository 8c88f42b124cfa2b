from datetime import date

from odoo.tests import tagged

from .common import PsyVoucherCommon

# Queries of one completion consuming a pack, and of the daily job expiring
# one pack, whatever the history (every module of the suite installed). Upper
# bounds, as in Odoo's own tests: the first completion measured still fills a
# few caches (41 queries measured against 33 for the second).
CONSUMPTION_QUERIES = 41
EXPIRY_QUERIES = 14


@tagged("post_install", "-at_install")
class TestHotPathQueryCount(PsyVoucherCommon):
    """The hot paths of the ledger cost a fixed number of queries: the same
    with one or many sessions and packs before."""

    def _consumed_history(self, voucher, count):
        """``count`` sessions of the voucher's patient completed before."""
        for __ in range(count):
            self._completed(patient_id=voucher.patient_id.id)

    def _fresh_session(self, voucher):
        session = self._past_session(patient_id=voucher.patient_id.id)
        self.env.flush_all()
        self.env.invalidate_all()
        return session.with_user(self.psychologist)

    def test_consumption_fixed_query_count(self):
        small = self._voucher(patient=self._patient(firstname="One before"))
        large = self._voucher(
            product=self._pack(psy_voucher_sessions=40),
            patient=self._patient(firstname="Many before"),
        )
        self._consumed_history(small, 1)
        self._consumed_history(large, 30)
        # Warm the caches (rules, access rights) with the same role, once the
        # fixtures are made (a new product clears some of them).
        warm = self._voucher(patient=self._patient(firstname="Warm"))
        self._past_session(patient_id=warm.patient_id.id).with_user(
            self.psychologist
        ).action_done()
        for voucher in (small, large):
            session = self._fresh_session(voucher)
            with self.assertQueryCount(CONSUMPTION_QUERIES):
                session.action_done()
            self.assertEqual(session.voucher_id, voucher)
        self.assertBalance(small, 8)
        self.assertBalance(large, 9)

    def _due(self, count, patient):
        vouchers = self.Voucher.create(
            [
                {
                    "patient_id": patient.id,
                    "product_id": self.pack10.id,
                    "start_date": date(2026, 1, 1),
                    "expiry_date": date(2026, 11, 1),
                }
                for __ in range(count)
            ]
        )
        vouchers._psy_activate()
        self.env.flush_all()
        self.env.invalidate_all()
        return vouchers

    def test_expiry_fixed_query_count(self):
        """One pack to expire costs the same after one or many packs have
        expired before (their ledgers grow the history)."""
        self._due(1, self.patient)
        self.Voucher._cron_run()  # warm the caches
        for before in (1, 50):
            patient = self._patient(firstname=f"{before} expired before")
            self._due(before, patient)
            self.Voucher._expire_due()
            due = self._due(1, patient)
            with self.assertQueryCount(EXPIRY_QUERIES):
                self.Voucher._cron_run()
            self.assertBalance(due, 0, "expired")
            self.assertEqual(due.line_ids.mapped("type"), ["expire"])
