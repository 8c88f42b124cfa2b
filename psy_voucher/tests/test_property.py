from contextlib import closing
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import PsyVoucherCommon
from .test_write_paths import CONTEXTS, ROLES

# Direct writes of what only the ledger moves; all refused.
HOSTILE_WRITES = (
    {"remaining": 99},
    {"remaining": 0},
    {"state": "active"},
    {"state": "exhausted"},
    {"state": "expired", "remaining": 0},
    {"sessions_total": 50},
    {"complimentary": True},
)

# An operation is a kind, a number that picks its target (a patient, a
# completed session, a voucher, a role) modulo the candidates, a quantity,
# and the context it is sent with (any key that existed before issue 11).
OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(
            ["consume", "reverse", "adjust", "transfer", "expire", "write"]
        ),
        st.integers(min_value=0, max_value=50),
        st.integers(min_value=-4, max_value=4),
        st.sampled_from(CONTEXTS),
    ),
    min_size=1,
    max_size=12,
)


@tagged("post_install", "-at_install")
class TestBalanceProperty(PsyVoucherCommon):
    """Over random sequences of operations, sent with arbitrary contexts and
    mixed with direct writes of the balance by every role, every voucher's
    stored balance follows the ledger: remaining = total - consumed +
    reversed +/- transfers - expired - refunded (+/- adjustments), never
    negative."""

    def _check_invariant(self, vouchers):
        self.env.flush_all()
        self.env.cr.execute(
            """
            SELECT v.id, v.remaining, v.sessions_total,
                   COALESCE(SUM(l.quantity) FILTER (WHERE l.type = 'consume'), 0),
                   COALESCE(SUM(l.quantity) FILTER (WHERE l.type = 'reverse'), 0),
                   COALESCE(SUM(l.quantity) FILTER (WHERE l.type IN
                       ('transfer_in', 'transfer_out')), 0),
                   COALESCE(SUM(l.quantity) FILTER (WHERE l.type = 'expire'), 0),
                   COALESCE(SUM(l.quantity) FILTER (WHERE l.type = 'refund'), 0),
                   COALESCE(SUM(l.quantity) FILTER (WHERE l.type = 'adjust'), 0),
                   (SELECT balance FROM psy_voucher_line
                     WHERE voucher_id = v.id ORDER BY id DESC LIMIT 1)
              FROM psy_voucher v
              LEFT JOIN psy_voucher_line l ON l.voucher_id = v.id
             WHERE v.id IN %s
             GROUP BY v.id
            """,
            [tuple(vouchers.ids)],
        )
        for row in self.env.cr.fetchall():
            _id, remaining, total, consumed, reversed_, transfers = row[:6]
            expired, refunded, adjusted, last_balance = row[6:]
            self.assertGreaterEqual(remaining, 0)
            self.assertLessEqual(consumed, 0)
            self.assertGreaterEqual(reversed_, 0)
            self.assertLessEqual(expired, 0)
            self.assertLessEqual(refunded, 0)
            # The signed quantities: consumed, expired and refunded lines are
            # negative, reversals positive.
            self.assertEqual(
                remaining,
                total
                + consumed
                + reversed_
                + transfers
                + expired
                + refunded
                + adjusted,
            )
            if last_balance is not None:
                self.assertEqual(last_balance, remaining)

    def _apply(self, operation, vouchers, done, patients):
        kind, pick, quantity, context = operation
        manager_vouchers = vouchers.with_user(self.manager).with_context(**context)
        if kind == "consume":
            patient = patients[pick % len(patients)]
            professional = patient.professional_ids[:1]
            session = self._past_session(
                patient_id=patient.id, professional_id=professional.id
            )
            session.with_user(professional).with_context(**context).action_done()
            done.append(session)
        elif kind == "reverse" and done:
            session = done.pop(pick % len(done))
            session.with_user(session.professional_id).with_context(
                **context
            ).action_reset()
        elif kind == "adjust" and quantity:
            manager_vouchers[pick % len(vouchers)]._adjust(quantity, "Property test")
        elif kind == "transfer":
            voucher = vouchers[pick % len(vouchers)]
            other = patients.filtered(lambda p: p != voucher.patient_id)[:1]
            return (
                voucher.with_user(self.receptionist)
                .with_context(**context)
                ._transfer_to(other, "Property test")
            )
        elif kind == "expire":
            voucher = manager_vouchers[pick % len(vouchers)]
            if voucher.state in ("active", "exhausted"):
                voucher.write({"expiry_date": date(2026, 9, 30)})
                self.Voucher.with_context(**context)._expire_due()
        elif kind == "write":
            user = getattr(self, ROLES[pick % len(ROLES)])
            voucher = vouchers[(pick // len(ROLES)) % len(vouchers)]
            vals = HOSTILE_WRITES[quantity % len(HOSTILE_WRITES)]
            # Refused whoever sends it and whatever the context; an
            # AssertionError here is not caught by the test below.
            with self.assertRaises(UserError):
                voucher.with_user(user).with_context(**context).write(vals)
        return self.Voucher.browse()

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
