from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import PsyConsentCommon


@tagged("post_install", "-at_install")
class TestConsentAccess(PsyConsentCommon):
    """Who sees and handles consents, reminders, and the patient file."""

    def test_roles(self):
        consent = self._consent()
        # Front desk prepares, sends and records.
        self.assertEqual(consent.with_user(self.receptionist).state, "draft")
        # Psychologists read every consent, change those of their patients.
        other = self._consent(patient=self.patient_2)
        other.with_user(self.psychologist).read(["state"])
        with self.assertRaises(AccessError):
            other.with_user(self.psychologist).action_send()
        consent.with_user(self.psychologist).action_send()
        self.assertEqual(consent.state, "sent")
        # Billing sees no consent; the other center neither.
        with self.assertRaises(AccessError):
            consent.with_user(self.billing).read(["state"])
        with self.assertRaises(AccessError):
            consent.with_user(self.receptionist_b).read(["state"])
        # Templates are written by the administrator only.
        with self.assertRaises(AccessError):
            self.tpl_treatment.with_user(self.receptionist).write({"name": "X"})

    def test_signer_refusals_follow_their_consent(self):
        """The signers of a consent are refused with the consent's sentences."""
        consent = self._consent()
        consent.action_send()
        signer = consent.signature_ids[:1]
        self.assertTrue(signer)
        with self.assertRaises(AccessError) as caught:
            signer.with_user(self.billing).read(["role"])
        self.assertEqual(
            str(caught.exception),
            "You cannot open consents: only the front desk, the psychologists and "
            "the clinical director can.",
        )
        with self.assertRaises(AccessError):
            self.env["psy.consent.signature"].with_user(self.billing).create(
                {"consent_id": consent.id, "partner_id": self.patient.partner_id.id}
            )

    def test_send_by_email(self):
        consent = self._consent()
        consent.with_user(self.receptionist).action_send()
        self.assertEqual(consent.state, "sent")
        message = consent.message_ids.filtered(lambda m: m.message_type == "comment")[
            :1
        ]
        self.assertEqual(message.partner_ids, self.patient.partner_id)
        signer = consent.signature_ids.sudo()
        self.assertTrue(signer.access_token)
        self.assertIn(
            f"/my/consents/{consent.id}?access_token={consent.access_token}",
            message.body,
        )
        self.assertIn(f"signer_token={signer.access_token}", message.body)
        # Guardians each get their own link.
        minor_consent = self._consent(patient=self.minor)
        minor_consent.action_send()
        messages = minor_consent.message_ids.filtered(
            lambda m: m.message_type == "comment"
        )
        self.assertEqual(messages.partner_ids, self.mother | self.father)
        for line in minor_consent.signature_ids.sudo():
            mail = messages.filtered(
                lambda m, line=line: line.partner_id in m.partner_ids
            )
            self.assertIn(line.access_token, mail.body)
        # A signer without e-mail: sign in the office instead.
        self.patient_2.partner_id.email = False
        with self.assertRaisesRegex(Exception, "no e-mail address"):
            self._consent(patient=self.patient_2).action_send()

    def test_reminders(self):
        consent = self._consent()
        consent.action_send()
        sent = len(consent.message_ids)
        Consent = self.Consent
        with freeze_time(self.now + timedelta(days=2)):
            Consent._cron_remind_unsigned()
        self.assertEqual(consent.reminder_count, 0)
        with freeze_time(self.now + timedelta(days=3)):
            Consent._cron_remind_unsigned()
        self.assertEqual(consent.reminder_count, 1)
        self.assertEqual(len(consent.message_ids), sent + 1)
        self.assertIn("Reminder", consent.message_ids[0].subject)
        for days in (6, 9, 12, 15):
            with freeze_time(self.now + timedelta(days=days)):
                Consent._cron_remind_unsigned()
        self.assertEqual(consent.reminder_count, 3)
        # Signed requests are not reminded.
        self._sign(consent)
        self.assertEqual(consent.state, "signed")

    def test_patient_file_at_a_glance(self):
        self.company_a.psy_consent_type_ids = self.type_treatment | self.type_data
        self.assertEqual(
            self.patient.consent_missing_type_ids, self.type_treatment | self.type_data
        )
        signed = self._signed_consent()
        pending = self._consent(template=self.tpl_data)
        self.patient.invalidate_recordset()
        self.assertEqual(self.patient.consent_missing_type_ids, self.type_data)
        self.assertEqual(self.patient.consent_valid_count, 1)
        self.assertEqual(self.patient.consent_current_ids, signed | pending)
        action = self.patient.action_view_consents()
        self.assertEqual(
            self.env["psy.consent"].search(action["domain"]), signed | pending
        )

    def test_prepare_missing_consents(self):
        self.company_a.psy_consent_type_ids = self.type_treatment | self.type_data
        self._signed_consent()
        action = self.patient.with_user(
            self.receptionist
        ).action_request_missing_consents()
        prepared = self.env["psy.consent"].search(action["domain"])
        self.assertEqual(prepared.type_id, self.type_data)
        self.assertEqual(prepared.template_id, self.tpl_data)
        self.assertEqual(prepared.state, "draft")
        # Not twice.
        self.patient.action_request_missing_consents()
        self.assertEqual(len(self.patient.consent_ids), 2)
