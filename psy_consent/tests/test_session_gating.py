from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import PsyConsentCommon


@tagged("post_install", "-at_install")
class TestSessionGating(PsyConsentCommon):
    """Sessions need the consents the center lists: to be completed and, by
    setting, to be booked. A clinical director may override with a reason."""

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
        cls.after = cls.slot + timedelta(hours=1)

    def _done(self, session):
        """Mark ``session`` as done an hour after its start."""
        with freeze_time(self.after):
            return session.action_done()

    def test_no_gate_by_default(self):
        self.company_a.write(
            {"psy_consent_type_ids": False, "psy_consent_online_type_ids": False}
        )
        session = self._session()
        self._done(session)
        self.assertEqual(session.state, "done")

    def test_completing_lists_missing_consents(self):
        session = self._session()
        self.assertEqual(
            session.consent_missing_type_ids, self.type_treatment | self.type_data
        )
        with self.assertRaises(UserError) as error:
            self._done(session)
        message = str(error.exception)
        self.assertIn("cannot be marked as done", message)
        self.assertIn("Ana López García", message)
        self.assertIn("Treatment, Data protection", message)
        self.assertEqual(session.state, "scheduled")

        self._signed_consent()
        with self.assertRaises(UserError) as error:
            self._done(session)
        self.assertNotIn("Treatment", str(error.exception))
        self.assertIn("Data protection", str(error.exception))

        self._signed_consent(template=self.tpl_data)
        self._done(session)
        self.assertEqual(session.state, "done")

    def test_online_needs_teletherapy(self):
        self._signed_consent()
        self._signed_consent(template=self.tpl_data)
        online = self._session(modality="online", room_id=False)
        self.assertEqual(online.consent_missing_type_ids, self.type_teletherapy)
        with self.assertRaisesRegex(UserError, "Teletherapy"):
            self._done(online)
        in_person = self._session(start=self.slot + timedelta(days=1))
        self.assertFalse(in_person.consent_missing_type_ids)
        self._signed_consent(template=self.tpl_teletherapy)
        self._done(online)
        self.assertEqual(online.state, "done")

    def test_booking_gate(self):
        # Off: booking works, completing is refused.
        session = self._session()
        self.assertEqual(session.state, "scheduled")
        self.company_a.psy_consent_gate_booking = True
        with self.assertRaises(UserError) as error:
            self._session(start=self.slot + timedelta(days=1))
        message = str(error.exception)
        self.assertIn("cannot be booked", message)
        self.assertIn("Treatment, Data protection", message)
        # Making an in-person session online needs teletherapy too.
        self._signed_consent()
        self._signed_consent(template=self.tpl_data)
        booked = self._session(start=self.slot + timedelta(days=1))
        with self.assertRaisesRegex(UserError, "Teletherapy"):
            booked.write({"modality": "online", "room_id": False})

    def test_expired_consent_does_not_count(self):
        self.tpl_treatment.validity_months = 1
        self._signed_consent(template=self.tpl_data)
        consent = self._signed_consent()
        self.assertEqual(str(consent.expiry_date), "2026-12-23")
        near = self._session()
        self.assertFalse(near.consent_missing_type_ids)
        far = self._session(start=self.slot + timedelta(days=40))
        self.assertEqual(far.consent_missing_type_ids, self.type_treatment)
        # On the patient file: expiring soon (within 30 days).
        self.assertEqual(self.patient.consent_expiring_count, 1)
        # The cron closes it once the date has passed.
        with freeze_time(consent.expiry_date + timedelta(days=1)):
            self.Consent._cron_expire()
        self.assertEqual(consent.state, "expired")

    def test_director_override(self):
        session = self._session()
        with self.assertRaises(AccessError):
            session.with_user(self.psychologist).action_open_consent_override()
        wizard_model = self.env["psy.session.consent.override.wizard"]
        with self.assertRaises(AccessError):
            wizard_model.with_user(self.psychologist).create(
                {"session_ids": [(6, 0, session.ids)], "reason": "x"}
            )
        action = session.with_user(self.director).action_open_consent_override()
        with freeze_time(self.after):
            wizard = (
                wizard_model.with_user(self.director)
                .with_context(**action["context"])
                .create({"reason": "Crisis session: consent signed at the next visit."})
            )
            self.assertIn("Treatment, Data protection", wizard.missing_summary)
            wizard.action_confirm()
        self.assertEqual(session.state, "done")
        self.assertTrue(session.consent_override)
        self.assertEqual(session.consent_override_user_id, self.director)
        self.assertEqual(
            session.consent_override_reason,
            "Crisis session: consent signed at the next visit.",
        )
        note = session.message_ids.filtered(lambda m: "overridden" in (m.body or ""))
        self.assertEqual(len(note), 1)
        self.assertIn("Crisis session", note.body)
        self.assertIn("Treatment, Data protection", note.body)
        self.assertEqual(note.author_id, self.director.partner_id)

    def test_override_needs_reason(self):
        session = self._session()
        with self.assertRaisesRegex(UserError, "Explain why"):
            session.with_user(self.director)._override_consent_check("   ")
