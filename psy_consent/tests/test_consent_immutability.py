import hashlib

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import PsyConsentCommon


@tagged("post_install", "-at_install")
class TestConsentImmutability(PsyConsentCommon):
    """The signed document and the content of a signed consent never change."""

    def test_signed_document_and_hash(self):
        consent = self._signed_consent()
        attachment = consent.attachment_id
        self.assertEqual(attachment.res_model, "psy.consent")
        self.assertEqual(attachment.res_id, consent.id)
        self.assertEqual(consent.pdf_sha256, hashlib.sha256(attachment.raw).hexdigest())
        self.assertEqual(len(consent.pdf_sha256), 64)
        # The document is rendered from the exact version with the signature
        # (HTML in test mode, where Odoo does not run the PDF engine).
        if attachment.mimetype == "text/html":
            content = attachment.raw.decode()
            self.assertIn("Ana López García", content)
            self.assertIn("M-12345", content)
            self.assertIn("data:image/png;base64", content)
        self.assertEqual(consent.sign_method, "office")
        self.assertEqual(consent.signature_ids.method, "office")
        self.assertIn(attachment, consent.message_ids.attachment_ids)

    def test_document_refuses_write_and_unlink(self):
        consent = self._signed_consent()
        attachment = consent.attachment_id
        original = attachment.raw
        for env_attachment in (
            attachment,
            attachment.sudo(),
            attachment.with_user(self.manager),
        ):
            with self.assertRaisesRegex(UserError, "nobody can alter it"):
                env_attachment.write({"raw": b"forged"})
            with self.assertRaisesRegex(UserError, "nobody can alter it"):
                env_attachment.write({"name": "other.pdf"})
            with self.assertRaisesRegex(UserError, "nobody can delete it"):
                env_attachment.unlink()
        self.assertEqual(attachment.raw, original)
        self.assertEqual(consent.pdf_sha256, hashlib.sha256(attachment.raw).hexdigest())
        # Rewriting the very same bytes (storage migration) is harmless.
        attachment.sudo().write({"raw": original})
        # Other attachments of the consent are ordinary ones.
        note = self.env["ir.attachment"].create(
            {
                "name": "note.txt",
                "raw": b"x",
                "res_model": "psy.consent",
                "res_id": consent.id,
            }
        )
        note.write({"name": "note2.txt"})
        note.unlink()

    def test_signed_consent_content_refuses_writes(self):
        consent = self._signed_consent()
        with self.assertRaisesRegex(UserError, "can no longer change"):
            consent.sudo().write({"professional_id": self.psychologist_2.id})
        with self.assertRaisesRegex(UserError, "can no longer change"):
            consent.sudo().write({"pdf_sha256": "0" * 64})
        with self.assertRaisesRegex(UserError, "can no longer change"):
            consent.sudo().write({"body_html": "<p>Forged</p>"})
        with self.assertRaises(AccessError):
            consent.with_user(self.receptionist).write({"revocation_reason": "x"})
        line = consent.signature_ids
        with self.assertRaisesRegex(UserError, "can no longer change"):
            line.sudo().write({"signed_name": "Somebody else"})
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            line.sudo().unlink()
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            consent.sudo().unlink()

    def test_status_is_set_by_the_process_only(self):
        consent = self._consent()
        with self.assertRaises(AccessError):
            consent.with_user(self.receptionist).write({"state": "signed"})
        with self.assertRaises(AccessError):
            self.Consent.with_user(self.receptionist).create(
                {
                    "patient_id": self.patient.id,
                    "template_id": self.tpl_treatment.id,
                    "state": "signed",
                }
            )
        with self.assertRaises(AccessError):
            consent.signature_ids.with_user(self.receptionist).write(
                {"signature": self.signature}
            )
        # Partially signed: the text and the patient are frozen.
        minor_consent = self._consent(patient=self.minor)
        self._sign(minor_consent)
        with self.assertRaisesRegex(UserError, "already been signed or refused"):
            minor_consent.write({"patient_id": self.patient.id})
        # A draft nobody signed can be deleted.
        self._consent().with_user(self.manager).unlink()
