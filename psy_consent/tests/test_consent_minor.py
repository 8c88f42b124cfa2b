from datetime import date

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import PsyConsentCommon


@tagged("post_install", "-at_install")
class TestConsentMinor(PsyConsentCommon):
    """Minors: guardians sign, one or every one of them, and the minor's own
    acceptance from the hearing age."""

    def test_both_guardians(self):
        consent = self._consent(patient=self.minor)
        self.assertEqual(consent.guardian_rule, "both")
        self.assertEqual(consent.signature_ids.mapped("role"), ["guardian", "guardian"])
        self.assertEqual(consent.signature_ids.partner_id, self.mother | self.father)
        self.assertTrue(all(consent.signature_ids.mapped("required")))
        self.assertEqual(consent.signature_progress, "0 / 2")
        mother_line = consent.signature_ids.filtered(
            lambda s: s.partner_id == self.mother
        )
        self._sign(consent, signer=mother_line)
        self.assertEqual(consent.state, "draft")
        self.assertEqual(consent.signature_progress, "1 / 2")
        self.assertFalse(consent.attachment_id)
        self._sign(consent)
        self.assertEqual(consent.state, "signed")
        self.assertEqual(set(consent.signature_ids.mapped("state")), {"signed"})
        self.assertTrue(consent.attachment_id)

    def test_one_guardian(self):
        self.company_a.psy_consent_guardians = "one"
        consent = self._consent(patient=self.minor)
        self.assertFalse(any(consent.signature_ids.mapped("required")))
        self.assertEqual(consent.signature_progress, "0 / 1")
        father_line = consent.signature_ids.filtered(
            lambda s: s.partner_id == self.father
        )
        self._sign(consent, signer=father_line)
        self.assertEqual(consent.state, "signed")
        self.assertEqual(father_line.state, "signed")
        self.assertEqual((consent.signature_ids - father_line).state, "skipped")

    def test_minor_hearing_age(self):
        teen = self._patient(
            firstname="Irene",
            lastname="Ruiz Serrano",
            birthdate=date(2013, 1, 10),  # 13 on the pinned day
            guardian_ids=[
                (0, 0, {"partner_id": self.mother.id, "relationship": "mother"})
            ],
        )
        consent = self._consent(patient=teen)
        minor_line = consent.signature_ids.filtered(lambda s: s.role == "minor")
        self.assertEqual(minor_line.partner_id, teen.partner_id)
        self.assertFalse(minor_line.required)
        # The minor accepts first, then the guardian signs.
        self._sign(consent, signer=minor_line)
        self.assertEqual(consent.state, "draft")
        self._sign(consent)
        self.assertEqual(consent.state, "signed")
        self.assertEqual(minor_line.state, "signed")

        # When the acceptance is required, the guardian alone is not enough.
        self.company_a.psy_consent_minor_hearing_required = True
        consent = self._consent(patient=teen, template=self.tpl_teletherapy)
        guardian_line = consent.signature_ids.filtered(lambda s: s.role == "guardian")
        self._sign(consent, signer=guardian_line)
        self.assertEqual(consent.state, "draft")
        self._sign(consent)
        self.assertEqual(consent.state, "signed")

        # Below the hearing age, no line for the minor.
        self.assertNotIn(
            "minor", self._consent(patient=self.minor).signature_ids.mapped("role")
        )

    def test_own_consent_age_of_type(self):
        """From 14 a minor consents to data processing personally."""
        teen = self._patient(
            firstname="Nora",
            lastname="Gil",
            birthdate=date(2011, 6, 1),  # 15
            guardian_ids=[
                (0, 0, {"partner_id": self.mother.id, "relationship": "mother"})
            ],
        )
        data_consent = self._consent(patient=teen, template=self.tpl_data)
        self.assertEqual(data_consent.signature_ids.role, "patient")
        self.assertEqual(data_consent.signature_ids.partner_id, teen.partner_id)
        treatment = self._consent(patient=teen)
        self.assertIn("guardian", treatment.signature_ids.mapped("role"))

    def test_minor_without_guardian(self):
        orphan = self._patient(
            firstname="Hugo", lastname="Sin Tutor", birthdate=date(2015, 1, 1)
        )
        with self.assertRaisesRegex(UserError, "none is registered"):
            self._consent(patient=orphan)

    def test_guardian_refusal_refuses(self):
        consent = self._consent(patient=self.minor)
        father_line = consent.signature_ids.filtered(
            lambda s: s.partner_id == self.father
        )
        wizard = (
            self.env["psy.consent.reason.wizard"]
            .with_user(self.receptionist)
            .create(
                {
                    "consent_id": consent.id,
                    "mode": "refuse",
                    "signer_id": father_line.id,
                    "reason": "Wants to talk to the psychologist first.",
                }
            )
        )
        wizard.action_confirm()
        self.assertEqual(consent.state, "refused")
        self.assertEqual(consent.refused_by, "Pablo Ruiz")
        self.assertEqual(father_line.state, "refused")
        with self.assertRaisesRegex(UserError, "cannot be signed"):
            self._sign(consent)
