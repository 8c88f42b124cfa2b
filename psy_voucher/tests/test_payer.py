from datetime import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import PsyVoucherCommon


@tagged("post_install", "-at_install")
class TestPayer(PsyVoucherCommon):
    """Issue 13, "who pays": the payer of a pack and of a session, a couples
    pack consumed once per joint session whoever attends, and each
    participant of a group consuming from their own pack."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Product = cls.env["product.product"]
        cls.couple = Product.create(
            {
                "name": "Couple therapy",
                "type": "service",
                "is_psy_session_type": True,
                "psy_duration": 1.0,
                "psy_session_kind": "couple",
                "list_price": 80.0,
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
            }
        )
        cls.couple_pack = cls._pack(
            name="Couples pack 6",
            psy_voucher_sessions=6,
            psy_voucher_session_type_ids=[(6, 0, cls.couple.product_tmpl_id.ids)],
        )
        cls.group_pack = cls._pack(
            name="Mindfulness 8 sessions",
            psy_voucher_sessions=8,
            psy_voucher_session_type_ids=[(6, 0, cls.group.product_tmpl_id.ids)],
        )
        cls.patient_3 = cls._patient(firstname="Carla", lastname="Ruiz")
        cls.mother = cls.env["res.partner"].create({"name": "Elena Ruiz (madre)"})

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

    # ------------------------------------------------------------------
    # The payer
    # ------------------------------------------------------------------

    def test_payer_defaults(self):
        voucher = self._voucher(activate=False)
        self.assertEqual(voucher.payer_id, self.patient.partner_id)
        session = self._past_session()
        self.assertEqual(session.payer_id, self.patient.partner_id)
        joint = self._joint(self.patient_2 | self.patient)
        self.assertEqual(joint.payer_id, self.patient_2.partner_id)
        group = self._joint(self.patient | self.patient_2, product=self.group)
        self.assertFalse(group.payer_id)
        self.assertEqual(
            [p.payer_id for p in group.participant_ids],
            [self.patient.partner_id, self.patient_2.partner_id],
        )

    def test_voucher_payer_fixed_once_sold(self):
        voucher = self._voucher(activate=False)
        voucher.with_user(self.receptionist).payer_id = self.mother
        self.assertEqual(voucher.payer_id, self.mother)
        voucher._psy_activate()
        for role, user in self.roles.items():
            with self.subTest(role=role), self.assertRaises(UserError):
                voucher.with_user(user).write({"payer_id": self.patient.partner_id.id})
        self.assertEqual(voucher.payer_id, self.mother)

    def test_session_payer_fixed_once_consumed(self):
        self._voucher()
        session = self._past_session()
        # Scheduled: the front desk sets a third party as payer.
        session.with_user(self.receptionist).payer_id = self.mother
        self.assertEqual(session.payer_id, self.mother)
        session.with_user(self.receptionist).payer_id = self.patient.partner_id
        session.with_user(self.psychologist).action_done()
        self.assertTrue(session.voucher_line_id)
        for role in ("receptionist", "psychologist", "manager"):
            with (
                self.subTest(role=role),
                self.assertRaisesRegex(UserError, "payer can no longer change"),
            ):
                session.with_user(self.roles[role]).write({"payer_id": self.mother.id})
        self.assertEqual(session.payer_id, self.patient.partner_id)
        # Writing the same payer is no change.
        session.with_user(self.receptionist).write(
            {"payer_id": self.patient.partner_id.id}
        )
        # Reopened, the payer may change again.
        session.with_user(self.psychologist).action_reset()
        session.with_user(self.receptionist).payer_id = self.mother
        self.assertEqual(session.payer_id, self.mother)

    def test_individual_session_ignores_packs_of_others_paid_by_its_payer(self):
        """A mother paying her son's pack: her own individual session does
        not take from it (individual sessions behave as before)."""
        son_pack = self._voucher(patient=self.patient_2)
        son_pack.sudo().payer_id = self.patient.partner_id
        session = self._completed()
        self.assertFalse(session.voucher_line_id)
        self.assertTrue(session.psy_pay_separately)
        self.assertBalance(son_pack, 10, "active")

    # ------------------------------------------------------------------
    # Couples: one consumption per joint session, whoever attends
    # ------------------------------------------------------------------

    def test_couple_session_consumes_once(self):
        pack = self._voucher(self.couple_pack)
        session = self._joint(self.patient | self.patient_2)
        session.with_user(self.psychologist).action_done()
        self.assertEqual(
            session.participant_ids.mapped("attendance"), ["present", "present"]
        )
        self.assertBalance(pack, 5, "active")
        line = session.voucher_line_id
        self.assertEqual(
            (line.type, line.quantity, line.balance, line.session_id, line.patient_id),
            ("consume", -1, 5, session, self.patient),
        )
        self.assertEqual(pack.line_ids, line)
        # Participants of a joint session do not consume on their own.
        self.assertFalse(session.participant_ids.voucher_line_id)
        # Reopened: given back once.
        session.with_user(self.psychologist).action_reset()
        self.assertBalance(pack, 6, "active")
        self.assertEqual(
            pack.line_ids.sorted("id").mapped("type"), ["consume", "reverse"]
        )
        self.assertFalse(session.voucher_line_id)

    def test_couple_pack_of_the_other_partner(self):
        """The pack belongs to the second participant: it pays the joint
        session just the same."""
        pack = self._voucher(self.couple_pack, patient=self.patient_2)
        session = self._joint(self.patient | self.patient_2)
        session.action_done()
        self.assertEqual(session.voucher_id, pack)
        self.assertBalance(pack, 5)

    def test_couple_session_whoever_attends(self):
        """One partner cancelled: the session done with the other consumes
        once from the couple's pack."""
        pack = self._voucher(self.couple_pack)
        session = self._joint(self.patient | self.patient_2, start=self._future_start())
        self._participant(session, self.patient).with_user(
            self.receptionist
        ).action_cancel()
        self.assertEqual(session.state, "scheduled")
        self.assertBalance(pack, 6)
        with freeze_time(session.start + self._hours(1)):
            session.with_user(self.psychologist).action_done()
        self.assertEqual(
            session.participant_ids.mapped("attendance"), ["cancelled", "present"]
        )
        self.assertBalance(pack, 5)
        self.assertEqual(session.voucher_line_id.patient_id, self.patient)

    def test_couple_pack_paid_by_the_payer(self):
        """A pack of a third patient paid by the session's payer pays the
        joint session: the payer's pack for the couple."""
        pack = self._voucher(self.couple_pack, patient=self.patient_3, activate=False)
        pack.payer_id = self.mother
        pack._psy_activate()
        session = self._joint(self.patient | self.patient_2)
        session.payer_id = self.mother
        session.action_done()
        self.assertEqual(session.voucher_id, pack)
        self.assertBalance(pack, 5)
        # Without that payer nothing pays it.
        other = self._joint(self.patient | self.patient_2)
        other.action_done()
        self.assertFalse(other.voucher_id)
        self.assertTrue(other.psy_pay_separately)
        self.assertBalance(pack, 5)

    def test_couple_late_cancel_follows_policy(self):
        now = datetime(2026, 11, 23, 8, 0)
        pack = self._voucher(self.couple_pack)
        session = self._joint(self.patient | self.patient_2, start=now + self._hours(3))
        session.participant_ids.with_user(self.receptionist).action_cancel()
        self.assertEqual(session.state, "late_cancelled")
        self.assertBalance(pack, 5)
        self.assertEqual(session.voucher_line_id.type, "consume")
        # A pack that keeps late cancellations is not consumed.
        keep = self._pack(
            name="Couples keep",
            psy_voucher_session_type_ids=[(6, 0, self.couple.product_tmpl_id.ids)],
            psy_voucher_late_cancel_policy="no_consume",
        )
        pack_2 = self._voucher(keep, patient=self.patient_3)
        session_2 = self._joint(
            self.patient_3 | self.patient_2, start=now + self._hours(6)
        )
        session_2.with_user(self.receptionist).action_cancel()
        self.assertEqual(session_2.state, "late_cancelled")
        self.assertBalance(pack_2, 10)
        self.assertFalse(session_2.voucher_line_id)
        self.assertFalse(session_2.psy_pay_separately)

    def test_family_session_consumes_once(self):
        family = self.env["product.product"].create(
            {
                "name": "Family therapy",
                "type": "service",
                "is_psy_session_type": True,
                "psy_duration": 1.0,
                "psy_session_kind": "family",
                "list_price": 90.0,
            }
        )
        family_pack = self._pack(
            name="Family pack 4",
            psy_voucher_sessions=4,
            psy_voucher_session_type_ids=[(6, 0, family.product_tmpl_id.ids)],
        )
        # The pack of the youngest member, paid by Ana.
        pack = self._voucher(family_pack, patient=self.patient_3, activate=False)
        pack.payer_id = self.patient.partner_id
        pack._psy_activate()
        session = self._joint(
            self.patient | self.patient_2 | self.patient_3, product=family
        )
        session.with_user(self.psychologist).action_done()
        self.assertEqual(session.voucher_id, pack)
        self.assertBalance(pack, 3)
        self.assertEqual(len(pack.line_ids), 1)
        self.assertEqual(pack.line_ids.patient_id, self.patient_3)
        # Without Carla, the family session of Ana (its payer) and Bruno takes
        # from the pack Ana pays; Ana's individual pack does not pay it.
        individual = self._voucher()
        other = self._joint(self.patient | self.patient_2, product=family)
        other.action_done()
        self.assertEqual(other.voucher_id, pack)
        self.assertBalance(individual, 10)
        self.assertBalance(pack, 2)

    def test_payer_guard_ignores_contexts(self):
        """The payer of a consumed session stays, whatever the context."""
        self._voucher()
        session = self._completed()
        for context in (
            {},
            {"psy_voucher_internal": True},
            {"psy_voucher_ledger": True},
            {"psy_now": "2026-01-01 08:00:00"},
            {"active_test": False, "tracking_disable": True},
        ):
            for role in ("receptionist", "psychologist", "director", "manager"):
                with (
                    self.subTest(context=context, role=role),
                    self.assertRaises(UserError),
                ):
                    session.with_user(self.roles[role]).with_context(**context).write(
                        {"payer_id": self.mother.id}
                    )
        self.assertEqual(session.payer_id, self.patient.partner_id)

    # ------------------------------------------------------------------
    # Groups: each participant consumes from their own pack
    # ------------------------------------------------------------------

    def test_group_each_participant_consumes_own_pack(self):
        ana = self._voucher(self.group_pack)
        bruno = self._voucher(self.group_pack, patient=self.patient_2)
        session = self._joint(
            self.patient | self.patient_2 | self.patient_3, product=self.group
        )
        session.with_user(self.psychologist).action_done()
        self.assertFalse(session.voucher_line_id)
        self.assertFalse(session.psy_pay_separately)
        self.assertBalance(ana, 7)
        self.assertBalance(bruno, 7)
        p_ana, p_bruno, p_carla = (
            self._participant(session, p)
            for p in (self.patient, self.patient_2, self.patient_3)
        )
        self.assertEqual(p_ana.voucher_id, ana)
        self.assertEqual(p_bruno.voucher_id, bruno)
        self.assertEqual(
            (p_ana.voucher_line_id.session_id, p_ana.voucher_line_id.patient_id),
            (session, self.patient),
        )
        # Carla has no pack: her part is paid separately.
        self.assertFalse(p_carla.voucher_line_id)
        self.assertTrue(p_carla.psy_pay_separately)
        # Reopened: each pack gets its session back, once.
        session.with_user(self.psychologist).action_reset()
        self.assertBalance(ana, 8)
        self.assertBalance(bruno, 8)
        self.assertFalse(session.participant_ids.voucher_line_id)
        self.assertFalse(p_carla.psy_pay_separately)
        self.assertEqual(
            ana.line_ids.sorted("id").mapped("type"), ["consume", "reverse"]
        )

    def test_group_present_then_done_consumes_once(self):
        ana = self._voucher(self.group_pack)
        session = self._joint(self.patient | self.patient_2, product=self.group)
        p_ana = self._participant(session, self.patient)
        p_ana.with_user(self.psychologist).action_present()
        self.assertBalance(ana, 7)
        session.with_user(self.psychologist).action_done()
        self.assertBalance(ana, 7)
        self.assertEqual(len(ana.line_ids), 1)
        # Reset of one participant's attendance gives back their session.
        session.with_user(self.psychologist).action_reset()
        self.assertBalance(ana, 8)

    def test_group_participant_attendance(self):
        """No-show and late cancellation of a participant follow the policy
        (the center consumes both here); reset gives back."""
        now = datetime(2026, 11, 23, 8, 0)
        ana = self._voucher(self.group_pack)
        bruno = self._voucher(self.group_pack, patient=self.patient_2)
        session = self._joint(
            self.patient | self.patient_2,
            product=self.group,
            start=now + self._hours(2),
        )
        p_ana = self._participant(session, self.patient)
        p_bruno = self._participant(session, self.patient_2)
        p_ana.with_user(self.receptionist).action_cancel()
        self.assertEqual(p_ana.attendance, "late_cancelled")
        self.assertBalance(ana, 7)
        self.assertEqual(session.state, "scheduled")
        with freeze_time(now + self._hours(3)):
            p_bruno.with_user(self.psychologist).action_no_show()
            self.assertBalance(bruno, 7)
            p_bruno.with_user(self.psychologist).action_reset()
            self.assertBalance(bruno, 8)
            p_ana.with_user(self.psychologist).action_reset()
            self.assertBalance(ana, 8)
        # The center keeps no-shows: a no-show no longer consumes.
        self.company_a.psy_voucher_no_show_policy = "no_consume"
        with freeze_time(now + self._hours(3)):
            p_bruno.action_no_show()
        self.assertBalance(bruno, 8)
        self.assertFalse(p_bruno.voucher_line_id)
        self.assertFalse(p_bruno.psy_pay_separately)

    def test_group_session_cancelled_gives_back(self):
        """A participant marked present, then the center cancels the whole
        group session: nobody pays for it."""
        ana = self._voucher(self.group_pack)
        session = self._joint(
            self.patient | self.patient_2,
            product=self.group,
            start=self._future_start(),
        )
        p_ana = self._participant(session, self.patient)
        with freeze_time(session.start + self._hours(0.5)):
            p_ana.action_present()
            self.assertBalance(ana, 7)
        session.with_user(self.receptionist).action_cancel()
        self.assertEqual(session.state, "cancelled")
        self.assertBalance(ana, 8)
        self.assertFalse(p_ana.voucher_line_id)

    def test_group_no_show_session(self):
        ana = self._voucher(self.group_pack)
        session = self._joint(self.patient | self.patient_2, product=self.group)
        session.with_user(self.psychologist).action_no_show()
        self.assertEqual(
            session.participant_ids.mapped("attendance"), ["no_show", "no_show"]
        )
        self.assertBalance(ana, 7)
        self.assertTrue(self._participant(session, self.patient_2).psy_pay_separately)

    def test_group_participant_payer_fixed_once_consumed(self):
        self._voucher(self.group_pack)
        session = self._joint(self.patient | self.patient_2, product=self.group)
        p_ana = self._participant(session, self.patient)
        p_ana.with_user(self.receptionist).payer_id = self.mother
        self.assertEqual(p_ana.payer_id, self.mother)
        session.action_done()
        with self.assertRaisesRegex(UserError, "payer can no longer change"):
            p_ana.with_user(self.receptionist).payer_id = self.patient.partner_id

    def test_participant_consumption_fields_guarded(self):
        pack = self._voucher(self.group_pack)
        session = self._joint(self.patient | self.patient_2, product=self.group)
        session.action_done()
        p_ana = self._participant(session, self.patient)
        p_bruno = self._participant(session, self.patient_2)
        for role, user in self.roles.items():
            for vals in (
                {"voucher_line_id": False},
                {"psy_pay_separately": False},
                {"voucher_line_id": p_ana.voucher_line_id.id},
            ):
                target = p_bruno if vals.get("voucher_line_id") else p_ana
                with self.subTest(role=role, vals=vals), self.assertRaises(UserError):
                    target.with_user(user).with_context(
                        psy_voucher_internal=True
                    ).write(vals)
        self.assertBalance(pack, 7)
        self.assertEqual(p_ana.voucher_id, pack)
        self.assertFalse(p_bruno.voucher_line_id)
