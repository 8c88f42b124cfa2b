from odoo.tests import tagged

from .common import PsyVoucherCommon


@tagged("post_install", "-at_install")
class TestQueryCount(PsyVoucherCommon):
    def _with_history(self, lines):
        """An active voucher whose ledger already holds ``lines`` lines."""
        voucher = self._voucher(patient=self._patient(firstname=f"History {lines}"))
        for i in range(lines):
            voucher._lock_balances()
            self.Voucher._record_lines(
                [
                    {
                        "voucher_id": voucher.id,
                        "type": "adjust",
                        "quantity": 1 if i % 2 == 0 else -1,
                        "reason": "History",
                    }
                ]
            )
        self.assertEqual(len(voucher.line_ids), lines)
        return voucher

    def _session_of(self, voucher):
        session = self._past_session(patient_id=voucher.patient_id.id)
        self.env.flush_all()
        self.env.invalidate_all()
        return session

    def test_consumption_cost_does_not_depend_on_ledger_size(self):
        # Warm the caches (rules, access rights, templates) once.
        self._completed()
        small = self._with_history(1)
        large = self._with_history(500)
        session = self._session_of(small)
        before = self.env.cr.sql_log_count
        session.action_done()
        self.env.flush_all()
        queries = self.env.cr.sql_log_count - before
        self.assertEqual(session.voucher_id, small)
        session = self._session_of(large)
        with self.assertQueryCount(queries):
            session.action_done()
        self.assertEqual(session.voucher_id, large)
        self.assertBalance(small, 10)
        self.assertBalance(large, 9)
