import hashlib
import re

from odoo import http
from odoo.tests import HttpCase, tagged

from .common import PsyConsentCommon


@tagged("post_install", "-at_install")
class TestConsentPortal(PsyConsentCommon, HttpCase):
    """The portal flow through Odoo's HTTP test client."""

    def _link_from_mail(self, consent, partner):
        message = consent.message_ids.filtered(
            lambda m: m.message_type == "comment" and partner in m.partner_ids
        )[:1]
        match = re.search(r'href="[^"]*(/my/consents/[^"]+)"', message.body)
        self.assertTrue(match, "The e-mail carries the portal link")
        return match.group(1).replace("&amp;", "&")

    def _sign_json(self, consent, access_token, signer_token, name="Ana López García"):
        url = f"/my/consents/{consent.id}/sign?access_token={access_token}"
        if signer_token:
            url += f"&signer_token={signer_token}"
        return self.make_jsonrpc_request(
            url, {"name": name, "signature": self.signature}
        )

    def test_end_to_end_by_token(self):
        consent = self._consent()
        consent.action_send()
        link = self._link_from_mail(consent, self.patient.partner_id)
        signer = consent.signature_ids.sudo()
        self.assertIn(f"access_token={consent.access_token}", link)
        self.assertIn(f"signer_token={signer.access_token}", link)

        # Anonymous visitor with the link: reads the text and may sign.
        response = self.url_open(link)
        self.assertEqual(response.status_code, 200)
        self.assertIn("Ana López García", response.text)
        self.assertIn("agree to start psychological treatment", response.text)
        self.assertIn("o_psy_consent_sign_button", response.text)
        # Without the token, or with a wrong one: not found.
        self.assertEqual(self.url_open(f"/my/consents/{consent.id}").status_code, 404)
        wrong = self.url_open(f"/my/consents/{consent.id}?access_token=nope")
        self.assertEqual(wrong.status_code, 404)
        # The consent token alone shows the text but does not let sign.
        response = self.url_open(
            f"/my/consents/{consent.id}?access_token={consent.access_token}"
        )
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("o_psy_consent_sign_button", response.text)
        result = self._sign_json(consent, consent.access_token, None)
        self.assertIn("personal link", result["error"])

        result = self._sign_json(consent, consent.access_token, signer.access_token)
        self.assertTrue(result.get("force_refresh"), result)
        self.assertEqual(consent.state, "signed")
        self.assertEqual(signer.state, "signed")
        self.assertEqual(signer.method, "portal")
        self.assertEqual(signer.signed_name, "Ana López García")
        self.assertEqual(signer.ip_address, "127.0.0.1")
        self.assertTrue(signer.user_agent)
        self.assertTrue(signer.signature)
        self.assertEqual(consent.sign_method, "portal")

        # The signed document is attached and its hash matches the file.
        attachment = consent.attachment_id
        self.assertTrue(attachment)
        self.assertEqual(consent.pdf_sha256, hashlib.sha256(attachment.raw).hexdigest())
        download = self.url_open(
            f"/my/consents/{consent.id}/document?access_token={consent.access_token}"
        )
        self.assertEqual(download.status_code, 200)
        self.assertEqual(
            hashlib.sha256(download.content).hexdigest(), consent.pdf_sha256
        )
        # Signing twice is refused.
        result = self._sign_json(consent, consent.access_token, signer.access_token)
        self.assertIn("error", result)
        response = self.url_open(link)
        self.assertIn('data-state="signed"', response.text)

    def test_patient_cannot_open_another_patients_consent(self):
        own = self._consent()
        own.action_send()
        others = self._consent(patient=self.patient_2)
        others.action_send()
        self.authenticate("t_portal_ana", "t_portal_ana")
        response = self.url_open(f"/my/consents/{own.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_psy_consent_sign_button", response.text)
        for url in (
            f"/my/consents/{others.id}",
            f"/my/consents/{others.id}?access_token=wrong",
            f"/my/consents/{others.id}/document",
        ):
            self.assertIn(self.url_open(url).status_code, (403, 404), url)
        result = self._sign_json(others, "", None)
        self.assertIn("error", result)
        self.assertEqual(others.state, "sent")
        # Own list shows only own consents.
        listing = self.url_open("/my/consents")
        self.assertIn(own.name, listing.text)
        self.assertNotIn(others.name, listing.text)
        # Logged in, the patient signs without the personal link.
        result = self._sign_json(own, "", None)
        self.assertTrue(result.get("force_refresh"), result)
        self.assertEqual(own.state, "signed")

    def test_guardians_sign_on_the_portal(self):
        consent = self._consent(patient=self.minor)
        consent.action_send()
        mother_link = self._link_from_mail(consent, self.mother)
        father_link = self._link_from_mail(consent, self.father)
        self.assertNotEqual(mother_link, father_link)
        response = self.url_open(mother_link)
        self.assertIn("Sign as Marta Serrano", response.text)
        token = re.search(r"signer_token=([\w-]+)", mother_link).group(1)
        self._sign_json(consent, consent.access_token, token, name="Marta Serrano")
        self.assertEqual(consent.state, "sent")
        token = re.search(r"signer_token=([\w-]+)", father_link).group(1)
        self._sign_json(consent, consent.access_token, token, name="Pablo Ruiz")
        self.assertEqual(consent.state, "signed")
        self.assertEqual(set(consent.signature_ids.mapped("method")), {"portal"})

    def test_refuse_and_revoke_on_the_portal(self):
        refused = self._consent()
        refused.action_send()
        link = self._link_from_mail(refused, self.patient.partner_id)
        token = re.search(r"signer_token=([\w-]+)", link).group(1)
        self.authenticate(None, None)  # anonymous visitor with the link
        response = self.url_open(
            f"/my/consents/{refused.id}/refuse",
            data={
                "csrf_token": http.Request.csrf_token(self),
                "access_token": refused.access_token,
                "signer_token": token,
                "reason": "I prefer to discuss it first.",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(refused.state, "refused")
        self.assertEqual(refused.refusal_reason, "I prefer to discuss it first.")
        self.assertEqual(refused.signature_ids.method, "portal")

        signed = self._signed_consent(template=self.tpl_data)
        self.authenticate("t_portal_ana", "t_portal_ana")
        page = self.url_open(f"/my/consents/{signed.id}")
        self.assertIn("o_psy_consent_revoke_button", page.text)
        response = self.url_open(
            f"/my/consents/{signed.id}/revoke",
            data={
                "csrf_token": http.Request.csrf_token(self),
                "reason": "I withdraw my consent.",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(signed.state, "revoked")
        self.assertEqual(signed.revocation_channel, "portal")
        self.assertEqual(signed.revocation_reason, "I withdraw my consent.")
        self.assertTrue(signed.revocation_date)
