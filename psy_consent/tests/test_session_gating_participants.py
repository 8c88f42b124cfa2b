from datetime import timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import PsyConsentCommon

BOTH = "Treatment, Data protection"


@tagged("post_install", "-at_install")
class TestSessionGatingParticipants(PsyConsentCommon):
    """Couples, families and groups: every participant still expected or
    present (or their guardians, for a minor) holds the consents of the
    session; the refusal says what is missing for whom."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a.write(
            {
                "psy_consent_type_ids": [
                    (6, 0, (cls.type_treatment | cls.type_data).ids)
                ],
                "psy_consent_online_type_ids": [(6, 0, cls.type_teletherapy.ids)],
            }
        )
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
        cls.family = cls.couple.copy(
            {"name": "Family therapy", "psy_session_kind": "family"}
        )
        cls.group = Product.create(
            {
                "name": "Mindfulness group",
                "type": "service",
                "is_psy_session_type": True,
                "psy_duration": 1.5,
                "psy_session_kind": "group",
                "psy_capacity": 4,
                "list_price": 25.0,
            }
        )
        cls.carla = cls._patient(firstname="Carla", lastname="Ruiz")
        cls.after = cls.slot + timedelta(hours=1)

    def _joint(self, patients, product=None, **vals):
        values = {
            "participant_ids": [Command.create({"patient_id": p.id}) for p in patients],
            "professional_id": self.psychologist.id,
            "product_id": (product or self.couple).id,
            "room_id": self.room_1.id,
            "start": self.slot,
        }
        values.update(vals)
        return self.Session.create(values)

    def _done(self, session, user=None):
        with freeze_time(self.after):
            return session.with_user(user or self.psychologist).action_done()

    def _refusal(self, session, user=None):
        with self.assertRaises(UserError) as error:
            self._done(session, user=user)
        self.assertEqual(session.state, "scheduled")
        return str(error.exception)

    def _sign_all(self, patient, templates=None):
        for template in templates or (self.tpl_treatment, self.tpl_data):
            self._signed_consent(patient=patient, template=template)

    def test_couple_lists_what_each_partner_misses(self):
        session = self._joint(self.patient | self.patient_2)
        self.assertEqual(
            session.consent_missing_type_ids, self.type_treatment | self.type_data
        )
        message = self._refusal(session)
        self.assertIn("cannot be marked as done", message)
        self.assertIn(f"Ana López García: {BOTH}; Bruno Díaz: {BOTH}", message)
        self.assertEqual(
            session.consent_missing_label,
            f"Ana López García: {BOTH}; Bruno Díaz: {BOTH}",
        )
        # Ana signs hers: only Bruno's are listed.
        self._sign_all(self.patient)
        message = self._refusal(session)
        self.assertNotIn("Ana López García", message)
        self.assertIn(f"Bruno Díaz: {BOTH}", message)
        session.invalidate_recordset(["consent_missing_type_ids"])
        self.assertEqual(
            session.consent_missing_type_ids, self.type_treatment | self.type_data
        )
        # Bruno signs the treatment consent only.
        self._signed_consent(patient=self.patient_2)
        message = self._refusal(session)
        self.assertIn("Bruno Díaz: Data protection", message)
        self.assertNotIn("Bruno Díaz: Treatment", message)
        self._signed_consent(patient=self.patient_2, template=self.tpl_data)
        self._done(session)
        self.assertEqual(session.state, "done")

    def test_cancelled_participant_needs_no_consent(self):
        session = self._joint(self.patient | self.patient_2)
        self._sign_all(self.patient)
        session.participant_ids.filtered(
            lambda p: p.patient_id == self.patient_2
        ).with_user(self.receptionist).action_cancel()
        session.invalidate_recordset(["consent_missing_type_ids"])
        self.assertFalse(session.consent_missing_type_ids)
        self._done(session)
        self.assertEqual(session.state, "done")
        self.assertEqual(
            session.participant_ids.mapped("attendance"), ["present", "cancelled"]
        )

    def test_group_lists_each_participant_expected_or_present(self):
        session = self._joint(
            self.patient | self.patient_2 | self.carla, product=self.group
        )
        self._sign_all(self.patient)
        with freeze_time(self.after):
            session.participant_ids.filtered(
                lambda p: p.patient_id == self.carla
            ).action_no_show()
            session.participant_ids.filtered(
                lambda p: p.patient_id == self.patient_2
            ).action_present()
        message = self._refusal(session)
        self.assertIn(f"Bruno Díaz: {BOTH}", message)
        # Carla did not come: nothing is asked of her.
        self.assertNotIn("Carla", message)
        self.assertNotIn("Ana López García", message)
        self.assertIn("Mindfulness group", message)
        self._sign_all(self.patient_2)
        self._done(session)
        self.assertEqual(session.state, "done")

    def test_minor_in_a_family_session_needs_the_guardians(self):
        session = self._joint(self.patient | self.minor, product=self.family)
        self._sign_all(self.patient)
        message = self._refusal(session)
        self.assertIn(f"Leo Ruiz Serrano: {BOTH}", message)
        # Only the mother signed: a consent needing both guardians is not
        # valid yet.
        consent = self._consent(patient=self.minor)
        mother = consent.signature_ids.filtered(lambda s: s.partner_id == self.mother)
        self._sign(consent, signer=mother)
        self.assertEqual(consent.state, "draft")
        self.assertIn(f"Leo Ruiz Serrano: {BOTH}", self._refusal(session))
        self._sign(consent)
        self.assertEqual(consent.state, "signed")
        message = self._refusal(session)
        self.assertIn("Leo Ruiz Serrano: Data protection", message)
        self._signed_consent(patient=self.minor, template=self.tpl_data)
        self._done(session)
        self.assertEqual(session.state, "done")

    def test_online_joint_session_needs_teletherapy_from_everyone(self):
        session = self._joint(
            self.patient | self.patient_2,
            modality="online",
            room_id=False,
            video_url="https://meet.example.com/couple",
        )
        self._sign_all(self.patient)
        self._sign_all(self.patient_2)
        self._signed_consent(patient=self.patient, template=self.tpl_teletherapy)
        message = self._refusal(session)
        self.assertIn("Bruno Díaz: Teletherapy", message)
        self.assertNotIn("Ana López García", message)

    def test_booking_gate_per_participant(self):
        self.company_a.psy_consent_gate_booking = True
        self._sign_all(self.patient)
        with self.assertRaises(UserError) as error:
            self._joint(self.patient | self.patient_2)
        message = str(error.exception)
        self.assertIn("cannot be booked", message)
        self.assertIn(f"Bruno Díaz: {BOTH}", message)
        self.assertNotIn("Ana López García", message)
        # A booked session does not take a participant without consent,
        # whichever way the participant is added.
        self._sign_all(self.patient_2)
        session = self._joint(self.patient | self.patient_2, product=self.group)
        Participant = self.env["psy.session.participant"].with_user(self.receptionist)
        with self.assertRaises(UserError) as error:
            Participant.create({"session_id": session.id, "patient_id": self.carla.id})
        self.assertIn(f"Carla Ruiz: {BOTH}", str(error.exception))
        with self.assertRaises(UserError):
            session.with_user(self.receptionist).participant_ids = [
                Command.create({"patient_id": self.carla.id})
            ]
        bruno = session.participant_ids.filtered(
            lambda p: p.patient_id == self.patient_2
        )
        with self.assertRaises(UserError):
            bruno.with_user(self.receptionist).patient_id = self.carla
        self.assertEqual(session.patient_ids, self.patient | self.patient_2)

    def test_director_override_of_a_joint_session(self):
        session = self._joint(self.patient | self.patient_2)
        self._sign_all(self.patient)
        # Nobody but a director sets the override, whatever the path.
        for user in (self.receptionist, self.psychologist):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                session.with_user(user).write(
                    {"consent_override": True, "consent_override_reason": "x"}
                )
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                session.with_user(user)._override_consent_check("Urgent")
        wizard = (
            self.env["psy.session.consent.override.wizard"]
            .with_user(self.director)
            .create(
                {
                    "session_ids": [Command.set(session.ids)],
                    "reason": "Crisis session",
                    "mark_done": False,
                }
            )
        )
        self.assertIn(f"Bruno Díaz: {BOTH}", wizard.missing_summary)
        self.assertNotIn("Ana López García", wizard.missing_summary)
        wizard.action_confirm()
        self.assertTrue(session.consent_override)
        body = session.message_ids.filtered(lambda m: "overridden" in (m.body or ""))[
            :1
        ].body
        self.assertIn(f"Bruno Díaz: {BOTH}", body)
        self._done(session)
        self.assertEqual(session.state, "done")

    def test_individual_message_is_unchanged(self):
        session = self._session()
        message = self._refusal(session)
        self.assertIn("- Ana López García, session of", message)
        self.assertIn(BOTH, message)
        self.assertNotIn("per participant", message)
