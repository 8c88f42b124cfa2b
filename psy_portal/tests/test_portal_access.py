# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import http
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from .common import PsyPortalCommon


@tagged("post_install", "-at_install")
class TestPortalAccess(PsyPortalCommon, HttpCase):
    """A patient or a guardian sees their own (and their minors') sessions,
    packs, invoices and consents, and never another patient's: not by id,
    not with a token, not by searching."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ana_session = cls._session()
        cls.bruno_session = cls._bruno_session(start=cls._nov(25))
        cls.leo_session = cls._session(
            start=cls._nov(26), patient_id=cls.minor.id, room_id=cls.room_2.id
        )
        cls.ana_voucher = cls._voucher()
        cls.bruno_voucher = cls._voucher(patient=cls.patient_2)
        cls.leo_voucher = cls._voucher(patient=cls.minor)
        cls.bruno_consent = cls._consent(patient=cls.patient_2)
        cls.bruno_consent.action_send()

    def _bruno_invoice(self):
        __, move = self._sell(patient_id=self.patient_2.id)
        return move

    def _get(self, url):
        return self.url_open(url, allow_redirects=False)

    def test_own_session_and_pack_pages(self):
        self.authenticate("t_portal_ana", "t_portal_ana")
        response = self._get(f"/my/sessions/{self.ana_session.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Individual therapy", response.text)
        response = self._get("/my/sessions")
        self.assertEqual(response.status_code, 200)
        self.assertIn(f'data-session-id="{self.ana_session.id}"', response.text)
        self.assertNotIn(f'data-session-id="{self.bruno_session.id}"', response.text)
        self.assertNotIn(f'data-session-id="{self.leo_session.id}"', response.text)
        response = self._get(f"/my/packs/{self.ana_voucher.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("10 / 10", response.text)

    def test_other_patients_by_id(self):
        self.authenticate("t_portal_ana", "t_portal_ana")
        for url in (
            f"/my/sessions/{self.bruno_session.id}",
            f"/my/sessions/{self.leo_session.id}",
            f"/my/sessions/{self.bruno_session.id}/join",
            f"/my/packs/{self.bruno_voucher.id}",
            f"/my/packs/{self.leo_voucher.id}",
            f"/my/consents/{self.bruno_consent.id}",
            f"/my/consents/{self.bruno_consent.id}?access_token=x",
        ):
            self.assertEqual(self._get(url).status_code, 404, url)
        # Writing to another patient's session is refused the same way.
        for route in ("cancel", "change"):
            response = self.url_open(
                f"/my/sessions/{self.bruno_session.id}/{route}",
                data={
                    "csrf_token": self._csrf(),
                    "announced": "in_time",
                    "request_text": "Move it",
                },
                allow_redirects=False,
            )
            self.assertEqual(response.status_code, 404)
        self.assertEqual(self.bruno_session.state, "scheduled")
        self.assertFalse(self.bruno_session.activity_ids)

    def _csrf(self):
        return http.Request.csrf_token(self)

    def test_other_patients_invoice_by_id_and_token(self):
        move = self._bruno_invoice()
        self.authenticate("t_portal_ana", "t_portal_ana")
        for url in (
            f"/my/invoices/{move.id}",
            f"/my/invoices/{move.id}?access_token=wrong",
            f"/my/invoices/{move.id}?report_type=pdf",
        ):
            response = self._get(url)
            self.assertNotEqual(response.status_code, 200, url)
            self.assertLess(response.status_code, 500, url)
        # Bruno opens it.
        self.authenticate("t_portal_bruno", "t_portal_bruno")
        self.assertEqual(self._get(f"/my/invoices/{move.id}").status_code, 200)

    def test_search_sees_own_only(self):
        move = self._bruno_invoice()
        done = self._completed()
        self._completed_for_patient_2()
        env = self.env(user=self.portal_user)
        self.assertEqual(env["psy.session"].search([]), self.ana_session | done)
        self.assertEqual(
            env["psy.session.participant"].search([]),
            (self.ana_session | done).participant_ids,
        )
        self.assertEqual(env["psy.voucher"].search([]), self.ana_voucher)
        self.assertEqual(
            env["psy.voucher.line"].search([]).voucher_id, self.ana_voucher
        )
        self.assertNotIn(move, env["account.move"].search([]))
        self.assertNotIn(self.bruno_consent, env["psy.consent"].search([]))
        with self.assertRaises(AccessError):
            env["psy.session"].browse(self.bruno_session.id).read(["start"])
        with self.assertRaises(AccessError):
            env["psy.voucher"].browse(self.bruno_voucher.id).read(["remaining"])

    def test_staff_notes_never_reach_the_portal(self):
        self.ana_session.note = "Pays cash, ask about the insurer"
        env = self.env(user=self.portal_user)
        with self.assertRaises(AccessError):
            env["psy.session"].browse(self.ana_session.id).read(["note"])
        with self.assertRaises(AccessError):
            env["psy.voucher.line"].search([]).read(["reason"])
        with self.assertRaises(AccessError):
            env["psy.voucher"].browse(self.ana_voucher.id).read(["note"])
        self.authenticate("t_portal_ana", "t_portal_ana")
        response = self._get(f"/my/sessions/{self.ana_session.id}")
        self.assertNotIn("Pays cash", response.text)

    def test_guardian_sees_the_minor(self):
        env = self.env(user=self.portal_mother)
        self.assertEqual(env["psy.session"].search([]), self.leo_session)
        self.assertEqual(env["psy.voucher"].search([]), self.leo_voucher)
        __, move = self._sell(patient_id=self.minor.id, payer_id=self.father.id)
        self.assertIn(move, env["account.move"].search([]))
        self.authenticate("t_portal_marta", "t_portal_marta")
        response = self._get("/my/sessions")
        self.assertIn(f'data-session-id="{self.leo_session.id}"', response.text)
        self.assertIn("Leo", self._get(f"/my/sessions/{self.leo_session.id}").text)
        self.assertEqual(self._get(f"/my/packs/{self.leo_voucher.id}").status_code, 200)
        self.assertEqual(self._get(f"/my/invoices/{move.id}").status_code, 200)
        self.assertEqual(
            self._get(f"/my/sessions/{self.ana_session.id}").status_code, 404
        )
        # The minor's consent, which the guardians sign.
        consent = self._consent(patient=self.minor)
        consent.action_send()
        self.assertIn(consent, env["psy.consent"].search([]))
        self.assertEqual(self._get(consent.get_portal_url()).status_code, 200)
        self.assertEqual(
            self._get(f"/my/consents/{self.bruno_consent.id}").status_code, 404
        )

    def test_group_session_shows_own_participation_only(self):
        group_type = self.env["product.product"].create(
            {
                "name": "Mindfulness group",
                "type": "service",
                "is_psy_session_type": True,
                "psy_session_kind": "group",
                "psy_capacity": 8,
                "psy_duration": 1.0,
                "list_price": 20.0,
            }
        )
        group = self.Session.create(
            {
                "product_id": group_type.id,
                "professional_id": self.psychologist.id,
                "room_id": self.room_2.id,
                "start": self._nov(27),
                "participant_ids": [
                    (0, 0, {"patient_id": self.patient.id}),
                    (0, 0, {"patient_id": self.patient_2.id}),
                ],
            }
        )
        env = self.env(user=self.portal_user)
        self.assertIn(group, env["psy.session"].search([]))
        for field in ("patient_ids", "reminder_partner_ids"):
            with self.assertRaises(AccessError):
                env["psy.session"].browse(group.id).read([field])
        self.assertEqual(
            env["psy.session.participant"]
            .search([("session_id", "=", group.id)])
            .patient_id,
            self.patient,
        )
        self.authenticate("t_portal_ana", "t_portal_ana")
        response = self._get(f"/my/sessions/{group.id}")
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("Bruno", response.text)
