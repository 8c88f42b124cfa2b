from odoo.tests import Form, tagged

from .common import PsyConsentCommon


@tagged("post_install", "-at_install")
class TestBookingConsents(PsyConsentCommon):
    """The booking form shows, before saving, the consents the patient has
    not signed for the session."""

    def _booking(self, patient):
        form = Form(
            self.Session.with_user(self.receptionist).with_context(
                default_start=self.slot
            )
        )
        form.patient_id = patient
        return form

    def test_missing_consent_before_saving(self):
        self.company_a.psy_consent_type_ids = self.type_treatment
        form = self._booking(self.patient)
        self.assertEqual(len(form.consent_missing_type_ids), 1)
        self.assertIn(self.type_treatment, form.consent_missing_type_ids)
        self._signed_consent(patient=self.patient_2)
        form = self._booking(self.patient_2)
        self.assertFalse(form.consent_missing_type_ids)
