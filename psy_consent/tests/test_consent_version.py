from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import BODY_V2, PsyConsentCommon


@tagged("post_install", "-at_install")
class TestConsentVersion(PsyConsentCommon):
    """Templates, versions and the placeholders of the text."""

    def test_placeholders_rendered(self):
        consent = self._consent()
        body = consent.body_html
        self.assertIn("Ana López García", body)
        self.assertIn(self.psychologist.name, body)
        self.assertIn("M-12345", body)
        self.assertIn("Centro Alfa", body)
        self.assertIn("11/23/2026", body)
        self.assertNotIn("t-out", body)
        minor_consent = self._consent(patient=self.minor)
        self.assertIn(
            "Marta Serrano (Mother), Pablo Ruiz (Father)", minor_consent.body_html
        )
        self.assertEqual(consent.version_id, self.v1)
        self.assertTrue(consent.name.startswith("CONS/"))

    def test_sign_v1_publish_v2(self):
        """Sign v1, publish v2: v1 stays signed and is flagged for renewal;
        a request nobody signed moves to v2; new requests use v2."""
        signed = self._signed_consent()
        self.assertEqual(signed.state, "signed")
        document, digest = signed.attachment_id, signed.pdf_sha256
        pending = self._consent(patient=self.patient_2)
        self.assertEqual(pending.version_id, self.v1)

        action = self.tpl_treatment.action_new_version()
        v2 = self.env["psy.consent.template.version"].browse(action["res_id"])
        self.assertEqual(v2.number, 2)
        self.assertEqual(v2.state, "draft")
        self.assertEqual(self.tpl_treatment.current_version_id, self.v1)
        v2.body = BODY_V2
        v2.action_publish()

        self.assertEqual(self.tpl_treatment.current_version_id, v2)
        self.assertEqual(signed.state, "signed")
        self.assertEqual(signed.version_id, self.v1)
        self.assertTrue(signed.needs_renewal)
        self.assertEqual(signed.attachment_id, document)
        self.assertEqual(signed.pdf_sha256, digest)
        self.assertNotIn("version 2", signed.body_html)
        self.assertEqual(pending.version_id, v2)
        self.assertIn("New in version 2", pending.body_html)
        self.assertEqual(self._consent(patient=self.minor).version_id, v2)
        # The patient file shows it: valid, to renew.
        self.assertEqual(self.patient.consent_valid_count, 1)
        self.assertEqual(self.patient.consent_renewal_count, 1)

    def test_no_renewal_when_center_says_no(self):
        self.company_a.psy_consent_renew_on_new_version = False
        signed = self._signed_consent()
        v2 = self.env["psy.consent.template.version"].create(
            {"template_id": self.tpl_treatment.id, "body": BODY_V2}
        )
        v2.action_publish()
        self.assertEqual(signed.state, "signed")
        self.assertFalse(signed.needs_renewal)

    def test_renewal_signature_supersedes(self):
        old = self._signed_consent()
        v2 = self.env["psy.consent.template.version"].create(
            {"template_id": self.tpl_treatment.id, "body": BODY_V2}
        )
        v2.action_publish()
        new = self._signed_consent()
        self.assertEqual(new.version_id, v2)
        self.assertEqual(old.state, "superseded")
        self.assertEqual(old.superseded_by_id, new)
        self.assertEqual(self.patient.consent_current_ids, new)

    def test_published_version_is_frozen(self):
        with self.assertRaisesRegex(UserError, "is published"):
            self.v1.body = "<p>Other text</p>"
        with self.assertRaisesRegex(UserError, "is published"):
            self.v1.unlink()
        with self.assertRaisesRegex(UserError, "already published"):
            self.v1.action_publish()
        empty = self.env["psy.consent.template.version"].create(
            {"template_id": self.tpl_treatment.id, "body": "<p><br></p>"}
        )
        with self.assertRaisesRegex(UserError, "has no text"):
            empty.action_publish()
        unpublished = self._template(
            "Recording", self.env.ref("psy_consent.type_recording"), publish=False
        )
        with self.assertRaisesRegex(UserError, "no published version"):
            self._consent(template=unpublished)

    def test_template_code_needs_editor(self):
        """Consent placeholders are plain fields; any other expression runs
        code and is reserved to template editors."""
        manager = new_test_user(
            self.env,
            login="t_consent_manager",
            groups="base.group_user,psy_patient.group_psy_manager",
            company_id=self.company_a.id,
        )
        Version = self.env["psy.consent.template.version"].with_user(manager)
        version = Version.create(
            {
                "template_id": self.tpl_data.id,
                "body": "<p>Hello <t t-out='object.patient_name'/></p>",
            }
        )
        with self.assertRaises(AccessError):
            version.body = "<p><t t-out='object.patient_id.partner_id.email'/></p>"

    def test_one_active_template_per_language(self):
        with self.assertRaisesRegex(Exception, "already an active"):
            self._template("Second treatment", self.type_treatment)
