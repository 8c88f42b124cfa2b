from contextlib import closing
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import PsyVoucherCommon

# An operation is a kind and a number that picks its target (a patient, a
# completed session, a voucher) modulo the candidates, plus a quantity.
OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(["consume", "reverse", "adjust", "transfer", "expire"]),
        st.integers(min_value=0, max_value=50),
        st.integers(min_value=-4, max_value=4),
    ),
    min_size=1,
    max_size=12,
)


@tagged("post_install", "-at_install")
class TestBalanceProperty(PsyVoucherCommon):
    """Over random sequences of operations, every voucher's stored balance
    equals the sessions sold plus its movements, and is never negative."""

    def _check_invariant(self, vouchers):
        self.env.flush_all()
        self.env.cr.execute(
            """
            SELECT v.id, v.remaining, v.sessions_total,
                   COALESCE(SUM(l.quantity), 0),
                   (SELECT balance FROM psy_voucher_line
                     WHERE voucher_id = v.id ORDER BY id DESC LIMIT 1)
              FROM psy_voucher v
              LEFT JOIN psy_voucher_line l ON l.voucher_id = v.id
             WHERE v.id IN %s
             GROUP BY v.id
            """,
            [tuple(vouchers.ids)],
        )
        for _id, remaining, total, moved, last_balance in self.env.cr.fetchall():
            self.assertGreaterEqual(remaining, 0)
            self.assertEqual(remaining, total + moved)
            if last_balance is not None:
                self.assertEqual(last_balance, remaining)

    def _apply(self, operation, vouchers, done, patients):
        kind, pick, quantity = operation
        manager_vouchers = vouchers.with_user(self.manager)
        if kind == "consume":
            patient = patients[pick % len(patients)]
            professional = patient.professional_ids[:1]
            session = self._completed(
                patient_id=patient.id, professional_id=professional.id
            )
            done.append(session)
        elif kind == "reverse" and done:
            session = done.pop(pick % len(done))
            session.with_user(session.professional_id).action_reset()
        elif kind == "adjust" and quantity:
            manager_vouchers[pick % len(vouchers)]._adjust(quantity, "Property test")
        elif kind == "transfer":
            voucher = vouchers[pick % len(vouchers)]
            other = patients.filtered(lambda p: p != voucher.patient_id)[:1]
            return voucher._transfer_to(other, "Property test")
        elif kind == "expire":
            voucher = manager_vouchers[pick % len(vouchers)]
            if voucher.state in ("active", "exhausted"):
                voucher.write({"expiry_date": date(2026, 9, 30)})
                self.Voucher._expire_due()
        return self.Voucher

    @given(operations=OPERATIONS)
    @settings(
        max_examples=30,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    def test_stored_balance_is_sold_plus_movements(self, operations):
        with closing(self.env.cr.savepoint()):
            patients = self.patient | self.patient_2
            small = self._pack(psy_voucher_sessions=3)
            vouchers = (
                self._voucher(small, start_date=date(2026, 1, 1))
                | self._voucher(start_date=date(2026, 1, 1))
                | self._voucher(
                    small, patient=self.patient_2, start_date=date(2026, 1, 1)
                )
            )
            done = []
            for operation in operations:
                try:
                    with self.env.cr.savepoint():
                        vouchers |= self._apply(operation, vouchers, done, patients)
                except UserError:
                    # A refused operation (nothing left to move, closed
                    # pack...) leaves every balance as it was.
                    self.env.invalidate_all()
                self._check_invariant(vouchers)
        self.env.invalidate_all()
