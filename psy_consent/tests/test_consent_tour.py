from odoo.tests import HttpCase, tagged

from .common import PsyConsentCommon


@tagged("post_install", "-at_install")
class TestConsentTour(PsyConsentCommon, HttpCase):
    """In a real browser: the patient opens the portal link, draws the
    signature, signs, and sees the consent as signed."""

    def test_portal_sign_tour(self):
        consent = self._consent()
        consent.action_send()
        self.start_tour(
            consent.get_portal_url(), "psy_consent_portal_sign", login="t_portal_ana"
        )
        self.assertEqual(consent.state, "signed")
        self.assertEqual(consent.signature_ids.method, "portal")
        self.assertTrue(consent.attachment_id)

    def test_office_sign_tour(self):
        consent = self._consent()
        self.start_tour(
            f"/odoo/action-psy_consent.psy_consent_action/{consent.id}",
            "psy_consent_office_sign",
            login="t_reception",
        )
        self.assertEqual(consent.state, "signed")
        self.assertEqual(consent.signature_ids.method, "office")
        self.assertTrue(consent.signature_ids.signature)
        self.assertTrue(consent.attachment_id)
