from datetime import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import PsyBillingVoucherCommon


@tagged("post_install", "-at_install")
class TestPayerBilling(PsyBillingVoucherCommon):
    """Issue 13, "who pays": sessions outside packs are invoiced to their
    payer; a couple or family session once, a group session per
    participant, each with their insurer's share when insured."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Product = cls.env["product.product"]
        exempt = [Command.set(cls.tax_exempt.ids)]
        cls.couple = Product.create(
            {
                "name": "Couple therapy",
                "type": "service",
                "is_psy_session_type": True,
                "psy_duration": 1.0,
                "psy_session_kind": "couple",
                "list_price": 80.0,
                "taxes_id": exempt,
            }
        )
        cls.group = Product.create(
            {
                "name": "Mindfulness group",
                "type": "service",
                "is_psy_session_type": True,
                "psy_duration": 1.5,
                "psy_session_kind": "group",
                "psy_capacity": 8,
                "list_price": 25.0,
                "taxes_id": exempt,
            }
        )
        cls.couple_pack = cls._pack(
            name="Couples pack 6",
            list_price=420.0,
            psy_voucher_sessions=6,
            psy_voucher_session_type_ids=[(6, 0, cls.couple.product_tmpl_id.ids)],
            taxes_id=exempt,
        )
        cls.group_pack = cls._pack(
            name="Mindfulness 8 sessions",
            list_price=160.0,
            psy_voucher_sessions=8,
            psy_voucher_session_type_ids=[(6, 0, cls.group.product_tmpl_id.ids)],
            taxes_id=exempt,
        )
        cls.patient_3 = cls._patient(firstname="Carla", lastname="Ruiz")
        cls.patient_4 = cls._patient(firstname="Diego", lastname="Sanz")
        cls.mother = cls.env["res.partner"].create({"name": "Elena Díaz (madre)"})
        cls.patient.write(
            {"psy_insurer_id": cls.insurer.id, "psy_insurance_number": "POL-778"}
        )
        Coverage = cls.env["psy.insurer.coverage"].with_company(cls.company_a)
        for product in cls.couple | cls.group:
            Coverage.create(
                {
                    "insurer_id": cls.insurer.id,
                    "product_id": product.id,
                    "coverage_type": "percentage",
                    "amount": 40.0,
                    "company_id": cls.company_a.id,
                }
            )

    @classmethod
    def _joint(cls, patients, product=None, start=None, **vals):
        values = {
            "participant_ids": [Command.create({"patient_id": p.id}) for p in patients],
            "professional_id": cls.psychologist.id,
            "product_id": (product or cls.couple).id,
            "room_id": False,
            "start": start or cls._past_start(),
        }
        values.update(vals)
        return cls.Session.create(values)

    def _participant(self, session, patient):
        return session.participant_ids.filtered(lambda p: p.patient_id == patient)

    def _receivable_by_partner(self, moves):
        """{partner: receivable balance} of the posted journal items."""
        lines = moves.line_ids.filtered(lambda line: line.account_id == self.receivable)
        result = {}
        for line in lines:
            result[line.partner_id] = result.get(line.partner_id, 0.0) + line.balance
        return result

    # ------------------------------------------------------------------
    # Individual sessions: to the payer, as before by default
    # ------------------------------------------------------------------

    def test_individual_session_to_third_party_payer(self):
        session = self._session(start=self._past_start(), room_id=False)
        session.with_user(self.receptionist).payer_id = self.mother
        session.action_done()
        moves = session.with_user(self.billing)._psy_create_invoices(
            "session", post=True
        )
        self.assertEqual(len(moves), 1)
        self.assertEqual(moves.partner_id, self.mother)
        self.assertEqual(moves.psy_patient_id, self.patient)
        self.assertEqual(moves.psy_patient_partner_id, self.patient.partner_id)
        self.assertAlmostEqual(moves.amount_total, 60.0)
        self.assertEqual(self._receivable_by_partner(moves), {self.mother: 60.0})
        self.assertBalanced(moves)
        # Invoiced: the payer is fixed for every role.
        for role in ("receptionist", "billing", "manager"):
            with self.subTest(role=role), self.assertRaises(UserError):
                session.with_user(self.roles[role]).payer_id = self.patient.partner_id
        self.assertEqual(session.payer_id, self.mother)

    def test_pack_invoiced_to_its_payer(self):
        voucher = self._voucher(activate=False)
        voucher.with_user(self.receptionist).payer_id = self.mother
        move = voucher.with_user(self.receptionist)._psy_create_invoices(post=True)
        self.assertEqual(move.partner_id, self.mother)
        self.assertEqual(move.psy_patient_id, self.patient)
        self.assertAlmostEqual(move.amount_total, 500.0)
        self.assertEqual(voucher.state, "active")
        self.assertEqual(
            self._receivable_by_partner(move.with_env(self.env)), {self.mother: 500.0}
        )

    # ------------------------------------------------------------------
    # Couples: once per session, to the payer, insurer of the main patient
    # ------------------------------------------------------------------

    def test_couple_session_outside_pack_to_payer_with_insurer(self):
        session = self._joint(self.patient | self.patient_2)
        self.assertEqual(session.payer_id, self.patient.partner_id)
        session.with_user(self.receptionist).payer_id = self.patient_2.partner_id
        session.action_done()
        self.assertTrue(session.psy_pay_separately)
        self.assertEqual(session.psy_invoice_state, "to_invoice")
        moves = session.with_user(self.billing)._psy_create_invoices(
            "session", post=True
        )
        self.assertEqual(len(moves), 2)
        insurer_move = moves.filtered(lambda m: m.partner_id == self.insurer)
        payer_move = moves - insurer_move
        self.assertEqual(payer_move.partner_id, self.patient_2.partner_id)
        # Ana's half (40) is split with her insurer (40 %); Bruno's half and
        # the rest of Ana's go to the payer.
        self.assertAlmostEqual(insurer_move.amount_total, 16.0)
        self.assertAlmostEqual(payer_move.amount_total, 64.0)
        self.assertEqual(insurer_move.psy_insurance_number, "POL-778")
        self.assertIn(self.patient.name, insurer_move.invoice_line_ids.name)
        self.assertEqual(moves.psy_patient_id, self.patient)
        self.assertEqual(
            moves.invoice_line_ids.mapped("psy_share"), ["insurer", "patient"]
        )
        self.assertFalse(moves.invoice_line_ids.psy_participant_id)
        self.assertEqual(
            self._receivable_by_partner(moves),
            {self.insurer: 16.0, self.patient_2.partner_id: 64.0},
        )
        self.assertBalanced(moves)
        self.assertEqual(session.psy_invoice_state, "invoiced")

    def test_couple_insurer_split_per_insured_partner(self):
        """Each partner insured with their own insurer: each insurer pays
        its share of its insured's half, on an invoice for that partner."""
        other = self.env["res.partner"].create(
            {"name": "Aseguradora Dos", "is_company": True}
        )
        self.env["psy.insurer.coverage"].with_company(self.company_a).create(
            {
                "insurer_id": other.id,
                "product_id": self.couple.id,
                "coverage_type": "percentage",
                "amount": 50.0,
                "company_id": self.company_a.id,
            }
        )
        self.patient_2.write(
            {"psy_insurer_id": other.id, "psy_insurance_number": "B-2"}
        )
        session = self._joint(self.patient | self.patient_2)
        session.action_done()
        moves = session.with_user(self.billing)._psy_create_invoices(
            "session", post=True
        )
        self.assertEqual(
            self._receivable_by_partner(moves),
            # Ana: 40 x 40 % = 16; Bruno: 40 x 50 % = 20; the rest, 44.
            {self.insurer: 16.0, other: 20.0, self.patient.partner_id: 44.0},
        )
        by_partner = {move.partner_id: move for move in moves}
        self.assertEqual(by_partner[self.insurer].psy_patient_id, self.patient)
        self.assertEqual(by_partner[other].psy_patient_id, self.patient_2)
        self.assertEqual(by_partner[other].psy_insurance_number, "B-2")
        self.assertEqual(
            by_partner[self.patient.partner_id].psy_patient_id, self.patient
        )
        self.assertAlmostEqual(sum(moves.mapped("amount_total")), 80.0)
        self.assertBalanced(moves)
        self.assertEqual(session.psy_invoice_state, "invoiced")

    def test_couple_session_paid_with_pack_not_invoiced(self):
        voucher, move = self._sell(product=self.couple_pack)
        self.assertEqual(move.partner_id, self.patient.partner_id)
        session = self._joint(self.patient | self.patient_2)
        session.action_done()
        self.assertEqual(session.voucher_id, voucher)
        self.assertBalance(voucher, 5)
        self.assertEqual(session.psy_invoice_state, "none")
        self.assertFalse(session._psy_create_invoices("session"))
        # The deferred revenue of the session consumed moved to income.
        self.assertDeferredMatchesLiability(350.0)

    # ------------------------------------------------------------------
    # Groups: each participant on their own
    # ------------------------------------------------------------------

    def test_group_session_per_participant(self):
        """Ana insured (40 %), Bruno paid by his mother, Carla on her own,
        Diego paid with his pack, all present."""
        diego_pack, __ = self._sell(product=self.group_pack, patient=self.patient_4)
        session = self._joint(
            self.patient | self.patient_2 | self.patient_3 | self.patient_4,
            product=self.group,
        )
        self._participant(session, self.patient_2).with_user(
            self.receptionist
        ).payer_id = self.mother
        session.with_user(self.psychologist).action_done()
        p_diego = self._participant(session, self.patient_4)
        self.assertEqual(p_diego.voucher_id, diego_pack)
        self.assertBalance(diego_pack, 7)
        self.assertEqual(
            session.participant_ids.mapped("psy_invoice_state"),
            ["to_invoice", "to_invoice", "to_invoice", "none"],
        )
        self.assertEqual(session.psy_invoice_state, "to_invoice")
        moves = session.with_user(self.billing)._psy_create_invoices(
            "session", post=True
        )
        self.assertEqual(len(moves), 4)
        self.assertEqual(
            self._receivable_by_partner(moves),
            {
                self.insurer: 10.0,
                self.patient.partner_id: 15.0,
                self.mother: 25.0,
                self.patient_3.partner_id: 25.0,
            },
        )
        by_partner = {move.partner_id: move for move in moves}
        self.assertEqual(by_partner[self.mother].psy_patient_id, self.patient_2)
        self.assertEqual(
            by_partner[self.mother].psy_patient_partner_id, self.patient_2.partner_id
        )
        self.assertEqual(by_partner[self.insurer].psy_patient_id, self.patient)
        self.assertEqual(by_partner[self.insurer].psy_insurance_number, "POL-778")
        self.assertEqual(
            by_partner[self.mother].invoice_line_ids.psy_participant_id,
            self._participant(session, self.patient_2),
        )
        self.assertEqual(
            moves.invoice_line_ids.psy_session_id,
            session,
        )
        self.assertBalanced(moves)
        self.assertEqual(
            session.participant_ids.mapped("psy_invoice_state"),
            ["invoiced", "invoiced", "invoiced", "none"],
        )
        self.assertEqual(session.psy_invoice_state, "invoiced")
        # Nothing is invoiced twice.
        self.assertFalse(session._psy_create_invoices("session"))
        # Paid only when every participant's part is paid.
        self._pay(moves - by_partner[self.mother])
        self.assertEqual(session.psy_invoice_state, "invoiced")
        self._pay(by_partner[self.mother])
        self.assertEqual(session.psy_invoice_state, "paid")
        # Invoiced: the participant's payer is fixed.
        with self.assertRaisesRegex(UserError, "payer can no longer change"):
            self._participant(session, self.patient_2).with_user(
                self.receptionist
            ).payer_id = self.patient_2.partner_id

    def test_group_participant_fees_and_cancellations(self):
        """A late cancellation is billed a fee to that participant only; a
        cancellation in time and the others' attendance bill as usual."""
        self.company_a.write(
            {
                "psy_fee_late_cancel": True,
                "psy_fee_mode": "percentage",
                "psy_fee_percent": 50.0,
                "psy_voucher_late_cancel_policy": "no_consume",
            }
        )
        now = datetime(2026, 11, 23, 8, 0)
        session = self._joint(
            self.patient_2 | self.patient_3 | self.patient_4,
            product=self.group,
            start=now + self._hours(2),
        )
        self._participant(session, self.patient_3).with_user(
            self.receptionist
        ).action_cancel()
        self.assertEqual(
            self._participant(session, self.patient_3).attendance, "late_cancelled"
        )
        with freeze_time(now + self._hours(4)):
            session.with_user(self.psychologist).action_done()
        moves = session._psy_create_invoices("session", post=True)
        self.assertEqual(
            self._receivable_by_partner(moves),
            {
                self.patient_2.partner_id: 25.0,
                self.patient_3.partner_id: 12.5,
                self.patient_4.partner_id: 25.0,
            },
        )
        fee = moves.invoice_line_ids.filtered(lambda line: line.psy_share == "fee")
        self.assertEqual(fee.psy_participant_id.patient_id, self.patient_3)
        self.assertIn("Late cancelled fee", fee.name)

    def test_group_session_not_done_bills_nobody(self):
        session = self._joint(self.patient_2 | self.patient_3, product=self.group)
        self._participant(session, self.patient_2).action_present()
        self.assertEqual(session.psy_invoice_state, "none")
        self.assertFalse(session._psy_create_invoices("session"))
        session.with_user(self.receptionist).action_cancel()
        self.assertEqual(
            session.participant_ids.mapped("psy_invoice_state"), ["none", "none"]
        )

    def test_group_participant_with_advance_pack(self):
        """Approach B: the participant's part is deducted from their advance,
        on an invoice to the pack's payer."""
        self.company_a.psy_billing_approach = "session"
        voucher, move = self._sell(product=self.group_pack, patient=self.patient_2)
        self.assertEqual(voucher.psy_approach, "session")
        session = self._joint(self.patient_2 | self.patient_3, product=self.group)
        session.action_done()
        moves = session._psy_create_invoices("session", post=True)
        advance = moves.invoice_line_ids.filtered(
            lambda line: line.psy_share == "advance"
        )
        self.assertEqual(advance.psy_participant_id.patient_id, self.patient_2)
        self.assertAlmostEqual(advance.price_unit, -20.0)
        self.assertEqual(
            self._receivable_by_partner(moves),
            {self.patient_2.partner_id: 0.0, self.patient_3.partner_id: 25.0},
        )

    def test_monthly_batch_with_joint_and_group_sessions(self):
        self.company_a.write(
            {"psy_invoice_policy": "monthly", "psy_invoice_auto_post": True}
        )
        couple_1 = self._joint(
            self.patient_2 | self.patient_3, start=datetime(2026, 10, 5, 10, 0)
        )
        couple_2 = self._joint(
            self.patient_2 | self.patient_3, start=datetime(2026, 10, 12, 10, 0)
        )
        group = self._joint(
            self.patient | self.patient_2 | self.patient_4,
            product=self.group,
            start=datetime(2026, 10, 14, 18, 0),
        )
        self._participant(group, self.patient_4).payer_id = self.mother
        (couple_1 | couple_2 | group).action_done()
        with freeze_time(datetime(2026, 11, 2, 6, 0)):
            self.env["psy.session"]._cron_psy_monthly_invoicing()
        moves = (couple_1 | couple_2 | group).psy_invoice_line_ids.move_id
        self.assertEqual(set(moves.mapped("state")), {"posted"})
        self.assertEqual(
            set(moves.mapped("invoice_date")), {datetime(2026, 10, 31).date()}
        )
        # Bruno: his two couple sessions and his group part on his invoice of
        # the month; Ana's group part split with her insurer; Diego's to his
        # mother.
        self.assertEqual(
            self._receivable_by_partner(moves),
            {
                self.patient_2.partner_id: 160.0 + 25.0,
                self.insurer: 10.0,
                self.patient.partner_id: 15.0,
                self.mother: 25.0,
            },
        )
        couple_move = (couple_1 | couple_2).psy_invoice_line_ids.move_id
        self.assertEqual(len(couple_move), 1)
        self.assertEqual(
            sorted(couple_move.invoice_line_ids.mapped("price_unit")),
            [25.0, 80.0, 80.0],
        )
        self.assertEqual(
            couple_move.invoice_line_ids.psy_participant_id,
            self._participant(group, self.patient_2),
        )
        self.assertEqual(
            {s.psy_invoice_state for s in couple_1 | couple_2 | group}, {"invoiced"}
        )

    def test_participant_billing_fields_guarded(self):
        session = self._joint(self.patient_2 | self.patient_3, product=self.group)
        session.action_done()
        participant = self._participant(session, self.patient_2)
        for role, user in self.roles.items():
            for vals in (
                {"psy_invoice_state": "paid"},
                {"psy_billable": False},
                {"psy_invoice_line_ids": [Command.clear()]},
            ):
                with self.subTest(role=role, vals=vals), self.assertRaises(UserError):
                    participant.with_user(user).write(vals)
        self.assertEqual(participant.psy_invoice_state, "to_invoice")
        self.assertTrue(participant.psy_billable)

    def test_credit_note_reopens_one_participant(self):
        """A credit note of one participant's invoice puts only that part
        back to invoice; the payer may then change and the new invoice goes
        to the new payer."""
        session = self._joint(self.patient_2 | self.patient_3, product=self.group)
        session.action_done()
        moves = session._psy_create_invoices("session", post=True)
        bruno = self._participant(session, self.patient_2)
        carla = self._participant(session, self.patient_3)
        bruno_move = bruno.psy_invoice_line_ids.move_id
        self.assertEqual(bruno_move.partner_id, self.patient_2.partner_id)
        reversal = bruno_move._reverse_moves(cancel=True)
        self.assertEqual(reversal.move_type, "out_refund")
        self.assertEqual(bruno.psy_invoice_state, "to_invoice")
        self.assertEqual(carla.psy_invoice_state, "invoiced")
        self.assertEqual(session.psy_invoice_state, "to_invoice")
        self.assertFalse(self._balances(bruno_move + reversal).get(self.receivable))
        bruno.with_user(self.receptionist).payer_id = self.mother
        again = session._psy_create_invoices("session", post=True)
        self.assertEqual(again.partner_id, self.mother)
        self.assertEqual(again.invoice_line_ids.psy_participant_id, bruno)
        self.assertAlmostEqual(again.amount_total, 25.0)
        self.assertEqual(session.psy_invoice_state, "invoiced")
        self.assertEqual(len(moves | again), 3)
