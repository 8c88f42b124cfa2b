from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import PsyConsentCommon


@tagged("post_install", "-at_install")
class TestConsentRevocation(PsyConsentCommon):
    """Revocation: recorded with date and reason, and no longer counts for
    sessions from that moment."""

    def test_revoke_in_office(self):
        self.company_a.psy_consent_type_ids = self.type_treatment
        consent = self._signed_consent()
        earlier = self._session()  # tomorrow 10:00
        revoked_at = self.slot + timedelta(hours=2)
        with freeze_time(revoked_at):
            wizard = (
                self.env["psy.consent.reason.wizard"]
                .with_user(self.receptionist)
                .create(
                    {
                        "consent_id": consent.id,
                        "mode": "revoke",
                        "requested_by": "Ana López García",
                        "reason": "Written request handed in at the front desk.",
                    }
                )
            )
            wizard.action_confirm()
        self.assertEqual(consent.state, "revoked")
        self.assertEqual(consent.revocation_date, revoked_at)
        self.assertEqual(
            consent.revocation_reason, "Written request handed in at the front desk."
        )
        self.assertEqual(consent.revoked_by, "Ana López García")
        self.assertEqual(consent.revocation_channel, "office")
        self.assertIn("revoked", consent.message_ids[0].body)
        # The attachment stays, unaltered.
        self.assertTrue(consent.attachment_id)

        # The session held before the revocation can still be completed...
        with freeze_time(self.slot + timedelta(hours=3)):
            earlier.action_done()
        self.assertEqual(earlier.state, "done")
        # ...a later one cannot.
        later = self._session(start=self.slot + timedelta(days=7))
        with (
            freeze_time(later.start + timedelta(hours=1)),
            self.assertRaisesRegex(UserError, "Treatment"),
        ):
            later.action_done()
        with freeze_time(revoked_at + timedelta(minutes=1)):
            self.patient.invalidate_recordset(["consent_missing_type_ids"])
            self.assertEqual(self.patient.consent_missing_type_ids, self.type_treatment)

    def test_only_signed_consents_are_revoked(self):
        consent = self._consent()
        with self.assertRaisesRegex(UserError, "only a signed consent"):
            consent._revoke("No reason", "Ana")
        signed = self._signed_consent()
        with self.assertRaisesRegex(UserError, "reason of the revocation"):
            signed._revoke("  ", "Ana")
        signed._revoke("Changed my mind", "Ana")
        with self.assertRaisesRegex(UserError, "only a signed consent"):
            signed._revoke("Again", "Ana")

    def test_new_consent_after_revocation(self):
        self.company_a.psy_consent_type_ids = self.type_treatment
        consent = self._signed_consent()
        consent._revoke("Changed my mind", "Ana")
        session = self._session()
        self.assertEqual(session.consent_missing_type_ids, self.type_treatment)
        self._signed_consent()
        session.invalidate_recordset(["consent_missing_type_ids"])
        self.assertFalse(session.consent_missing_type_ids)
        with freeze_time(self.slot + timedelta(hours=1)):
            session.action_done()
        self.assertEqual(session.state, "done")
