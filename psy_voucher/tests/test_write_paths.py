from datetime import date, datetime

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import PsyVoucherCommon

# Every context key that opened a door before issue 11, and none.
CONTEXTS = (
    {},
    {"psy_voucher_internal": True},
    {"psy_voucher_ledger": True},
    {"psy_now": "2026-01-01 08:00:00"},
    {"psy_today": "2026-01-01"},
    {
        "psy_voucher_internal": True,
        "psy_voucher_ledger": True,
        "psy_now": "2031-01-01 08:00:00",
        "psy_today": "2031-01-01",
    },
)

ROLES = ("receptionist", "psychologist", "director", "billing", "manager")

# Columns compared before and after each refused call.
SNAPSHOT = """
    SELECT v.id, v.remaining, v.state, v.patient_id, v.product_id, v.company_id,
           v.sessions_total, v.price, v.start_date, v.expiry_date,
           v.professional_id, v.origin_voucher_id, v.reminder_sent,
           v.transfer_patient_id, v.transfer_reason, v.complimentary,
           v.complimentary_reason,
           (SELECT count(*) FROM psy_voucher_line l WHERE l.voucher_id = v.id),
           (SELECT COALESCE(SUM(l.quantity), 0) FROM psy_voucher_line l
             WHERE l.voucher_id = v.id),
           (SELECT string_agg(concat_ws(':', l.type, l.quantity, l.balance,
                                        l.reason, l.date), ',' ORDER BY l.id)
              FROM psy_voucher_line l WHERE l.voucher_id = v.id)
      FROM psy_voucher v
     WHERE v.company_id = %s
     ORDER BY v.id
"""


@tagged("post_install", "-at_install")
class TestWritePaths(PsyVoucherCommon):
    """Hostile write paths: each role of the design writes the guarded fields
    of a pack and of its ledger directly, with and without each context key
    that existed before: refused, and nothing changes (balances, states,
    ledger lines)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.draft = cls._voucher(activate=False)
        cls.sold = cls._voucher(patient=cls.patient_2)
        cls.other = cls._voucher()
        cls.session = cls._completed()
        cls.line = cls.session.voucher_line_id
        cls.pack5 = cls._pack(name="Pack 5", psy_voucher_sessions=5)

    def setUp(self):
        super().setUp()
        self.assertEqual(self.line.voucher_id, self.other)

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _snapshot(self):
        self.env.flush_all()
        self.env.cr.execute(SNAPSHOT, [self.company_a.id])
        rows = self.env.cr.fetchall()
        self.env.cr.execute("SELECT count(*) FROM psy_voucher_line")
        lines = self.env.cr.fetchone()[0]
        self.env.cr.execute(
            "SELECT id, voucher_line_id, voucher_id, psy_pay_separately, state "
            "FROM psy_session WHERE company_id = %s ORDER BY id",
            [self.company_a.id],
        )
        return rows, lines, self.env.cr.fetchall()

    def _user(self, role):
        return getattr(self, role)

    def _refused(self, call, label):
        """``call()`` raises a UserError (an AccessError is one) and leaves
        the packs, the ledger and the sessions as they were."""
        before = self._snapshot()
        with self.subTest(label), mute_logger("odoo.models"):
            with self.assertRaises(UserError), self.env.cr.savepoint():
                call()
            self.assertEqual(self._snapshot(), before, label)

    def _hostile_writes(self):
        """Direct writes of guarded fields, on a sold pack (the sold fields
        included) and on a draft one (the status and balance)."""
        line_vals = {
            "voucher_id": self.sold.id,
            "company_id": self.company_a.id,
            "patient_id": self.patient_2.id,
            "product_id": self.pack10.id,
            "type": "adjust",
            "quantity": 5,
            "balance": 15,
            "date": "2026-11-23 08:00:00",
            "user_id": self.env.uid,
            "reason": "Free sessions",
        }
        sold = [
            {"state": "draft"},
            {"state": "refunded"},
            {"state": "active", "remaining": 99},
            {"remaining": 99},
            {"remaining": 0},
            {"line_ids": [Command.create(line_vals)]},
            {"origin_voucher_id": self.other.id},
            {"reminder_sent": True},
            {"transfer_patient_id": self.patient.id, "transfer_reason": "Mine"},
            {"complimentary": True, "complimentary_reason": "Friend"},
            {"patient_id": self.patient.id},
            {"product_id": self.pack5.id},
            {"company_id": self.company_b.id},
            {"sessions_total": 20},
            {"price": 1.0},
            {"start_date": date(2026, 1, 1)},
            {"professional_id": self.psychologist.id},
            {"name": "B-FAKE"},
        ]
        draft = [
            {"state": "active"},
            {"state": "exhausted"},
            {"remaining": 99},
            {"complimentary": True, "complimentary_reason": "Friend"},
            {"origin_voucher_id": self.other.id},
            {"line_ids": [Command.create(dict(line_vals, voucher_id=self.draft.id))]},
        ]
        return [(self.sold, vals) for vals in sold] + [
            (self.draft, vals) for vals in draft
        ]

    # ------------------------------------------------------------------
    # Packs
    # ------------------------------------------------------------------

    def test_direct_writes_of_guarded_fields_are_refused(self):
        for role in ROLES:
            user = self._user(role)
            for context in CONTEXTS:
                for voucher, vals in self._hostile_writes():
                    record = voucher.with_user(user).with_context(**context)
                    self._refused(
                        lambda record=record, vals=vals: record.write(vals),
                        f"{role} {context} write {voucher.name} {vals}",
                    )

    def test_expiry_date_of_a_sold_pack_only_by_administrators(self):
        for role in ("receptionist", "psychologist", "director", "billing"):
            for context in CONTEXTS:
                record = self.sold.with_user(self._user(role)).with_context(**context)
                self._refused(
                    lambda record=record: record.write(
                        {"expiry_date": date(2027, 12, 31)}
                    ),
                    f"{role} {context} expiry",
                )
        self.sold.with_user(self.manager).write({"expiry_date": date(2027, 12, 31)})
        self.assertEqual(self.sold.expiry_date, date(2027, 12, 31))
        self.assertBalance(self.sold, 10, "active")

    def test_create_with_guarded_values_is_refused(self):
        base = {"patient_id": self.patient.id, "product_id": self.pack10.id}
        hostile = [
            {"state": "active"},
            {"state": "exhausted"},
            {"remaining": 99},
            {"origin_voucher_id": self.other.id},
            {"reminder_sent": True},
            {"transfer_patient_id": self.patient_2.id},
            {"complimentary": True, "complimentary_reason": "Friend"},
            {
                "line_ids": [
                    Command.create(
                        {
                            "company_id": self.company_a.id,
                            "patient_id": self.patient.id,
                            "product_id": self.pack10.id,
                            "type": "adjust",
                            "quantity": 5,
                            "balance": 15,
                            "date": "2026-11-23 08:00:00",
                            "user_id": self.env.uid,
                            "reason": "Free sessions",
                        }
                    )
                ]
            },
        ]
        for role in ROLES:
            Voucher = self.Voucher.with_user(self._user(role))
            for context in CONTEXTS:
                for vals in hostile:
                    self._refused(
                        lambda Voucher=Voucher, context=context, vals=vals: (
                            Voucher.with_context(**context).create(dict(base, **vals))
                        ),
                        f"{role} {context} create {vals}",
                    )
        # The start of the state machine stays open to the front desk.
        voucher = self.Voucher.with_user(self.receptionist).create(
            dict(base, state="draft", remaining=0)
        )
        self.assertBalance(voucher, 10, "draft")

    def test_sold_pack_cannot_be_deleted(self):
        for role in ROLES:
            for context in CONTEXTS:
                record = self.sold.with_user(self._user(role)).with_context(**context)
                self._refused(record.unlink, f"{role} {context} unlink")

    def test_actions_keep_their_rules_whatever_the_context(self):
        for context in CONTEXTS:
            for role in ("psychologist", "director", "billing"):
                record = self.draft.with_user(self._user(role)).with_context(**context)
                self._refused(record.action_activate, f"{role} {context} activate")
                self._refused(record.action_cancel, f"{role} {context} cancel")
            for role in ("receptionist", "psychologist", "director", "billing"):
                record = self.draft.with_user(self._user(role)).with_context(**context)
                self._refused(
                    lambda record=record: record._psy_make_complimentary("Friend"),
                    f"{role} {context} complimentary",
                )
                record = self.sold.with_user(self._user(role)).with_context(**context)
                self._refused(
                    lambda record=record: record._adjust(5, "Free sessions"),
                    f"{role} {context} adjust",
                )
            record = self.sold.with_user(self.receptionist).with_context(**context)
            self._refused(record.action_activate, f"{context} activate a sold pack")

    def test_empty_create(self):
        for role in ("receptionist", "manager"):
            vouchers = self.Voucher.with_user(self._user(role)).create([])
            self.assertFalse(vouchers)
            self.assertEqual(vouchers._name, "psy.voucher")
        self.assertFalse(self.Voucher._record_lines([]))

    # ------------------------------------------------------------------
    # The ledger
    # ------------------------------------------------------------------

    def test_ledger_lines_cannot_be_created_changed_or_deleted(self):
        vals = {
            "voucher_id": self.sold.id,
            "company_id": self.company_a.id,
            "patient_id": self.patient_2.id,
            "product_id": self.pack10.id,
            "type": "adjust",
            "quantity": 5,
            "balance": 15,
            "date": "2026-11-23 08:00:00",
            "user_id": self.env.uid,
            "reason": "Free sessions",
        }
        Line = self.env["psy.voucher.line"]
        for role in ROLES:
            user = self._user(role)
            for context in CONTEXTS:
                label = f"{role} {context}"
                lines = Line.with_user(user).with_context(**context)
                line = self.line.with_user(user).with_context(**context)
                self._refused(lambda lines=lines: lines.create(vals), f"{label} create")
                self._refused(
                    lambda line=line: line.write({"quantity": -5}), f"{label} write"
                )
                self._refused(
                    lambda line=line: line.write({"reason": "Edited"}),
                    f"{label} write reason",
                )
                self._refused(line.unlink, f"{label} unlink")

    def test_session_link_to_the_ledger_is_guarded(self):
        hostile = [
            {"voucher_line_id": False},
            {"psy_pay_separately": True},
            {"voucher_id": self.sold.id},
            {"state": "scheduled"},
        ]
        for role in ROLES:
            for context in CONTEXTS:
                session = self.session.with_user(self._user(role)).with_context(
                    **context
                )
                for vals in hostile:
                    self._refused(
                        lambda session=session, vals=vals: session.write(vals),
                        f"{role} {context} session {vals}",
                    )
        self.assertBalance(self.other, 9, "active")

    # ------------------------------------------------------------------
    # The clock
    # ------------------------------------------------------------------

    def test_clock_keys_do_not_date_the_ledger(self):
        for context in CONTEXTS:
            line = (
                self.other.with_user(self.manager)
                .with_context(**context)
                ._adjust(1, "Goodwill")
            )
            self.assertEqual(line.date, datetime(2026, 11, 23, 8, 0))
        self.assertBalance(self.other, 9 + len(CONTEXTS), "active")

    def test_clock_keys_do_not_move_expiry(self):
        due = self._voucher(start_date=date(2026, 1, 1), expiry_date=date(2026, 11, 22))
        later = self._voucher(
            start_date=date(2026, 1, 1),
            expiry_date=date(2026, 11, 30),
            patient=self.patient_2,
        )
        # A pack past its date cannot be transferred, whatever "today" says.
        for context in CONTEXTS:
            record = due.with_user(self.receptionist).with_context(**context)
            self._refused(
                lambda record=record: record._request_transfer(
                    self.patient_2, "Before expiry"
                ),
                f"{context} transfer after expiry",
            )
        self.Voucher.with_context(psy_today="2026-11-01")._expire_due()
        self.assertBalance(due, 0, "expired")
        self.Voucher.with_context(psy_today="2026-12-31")._expire_due()
        self.assertBalance(later, 10, "active")

    def test_access_error_names_who_can_give_packs(self):
        record = self.draft.with_user(self.receptionist).with_context(
            psy_voucher_internal=True
        )
        with self.assertRaisesRegex(AccessError, "psychology administrator"):
            record._psy_make_complimentary("Friend")
        self.assertEqual(self.draft.state, "draft")
