# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged

from .common import PsyPortalCommon


@tagged("post_install", "-at_install")
class TestTeletherapy(PsyPortalCommon, HttpCase):
    """Joining from the portal (from N minutes before, with a valid
    teletherapy consent), the professional's checklist and the connection
    failure that never charges."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a.psy_consent_online_type_ids = cls.type_teletherapy
        cls.online = cls._online()  # 24 November 10:00 UTC

    def _join_state(self, session, now):
        return (
            session.with_user(self.portal_user)
            .sudo()
            ._psy_portal_join_state(self.patient, now)
        )

    def test_join_window_and_consent(self):
        session = self.online
        self.assertEqual(
            self._join_state(session, datetime(2026, 11, 24, 9, 49)), "early"
        )
        self.assertEqual(
            self._join_state(session, datetime(2026, 11, 24, 9, 50)), "consent"
        )
        self._signed_consent(template=self.tpl_teletherapy)
        self.assertEqual(
            self._join_state(session, datetime(2026, 11, 24, 9, 50)), "open"
        )
        self.assertEqual(
            self._join_state(session, datetime(2026, 11, 24, 11, 0)), "closed"
        )
        self.company_a.psy_portal_join_minutes = 30
        self.assertEqual(
            self._join_state(session, datetime(2026, 11, 24, 9, 31)), "open"
        )

    def test_join_route(self):
        self._signed_consent(template=self.tpl_teletherapy)
        self.authenticate("t_portal_ana", "t_portal_ana")
        url = f"/my/sessions/{self.online.id}"
        response = self.url_open(url + "/join", allow_redirects=False)
        self.assertIn("message=join_early", response.headers["Location"])
        self.assertNotIn("o_psy_join_button", self.url_open(url).text)
        with freeze_time("2026-11-24 09:55:00"):
            self.assertIn("o_psy_join_button", self.url_open(url).text)
            response = self.url_open(url + "/join", allow_redirects=False)
            self.assertEqual(
                response.headers["Location"], "https://meet.example.com/psy-session"
            )
        # Bruno cannot join Ana's session.
        self.authenticate("t_portal_bruno", "t_portal_bruno")
        with freeze_time("2026-11-24 09:55:00"):
            response = self.url_open(url + "/join", allow_redirects=False)
            self.assertEqual(response.status_code, 404)

    def test_join_needs_consent(self):
        self.authenticate("t_portal_ana", "t_portal_ana")
        with freeze_time("2026-11-24 09:55:00"):
            page = self.url_open(f"/my/sessions/{self.online.id}").text
            self.assertIn("o_psy_join_consent", page)
            self.assertNotIn("o_psy_join_button", page)
            response = self.url_open(
                f"/my/sessions/{self.online.id}/join", allow_redirects=False
            )
            self.assertIn("message=join_consent", response.headers["Location"])

    def test_checklist_by_the_professional(self):
        session = self.online.with_user(self.psychologist)
        with freeze_time("2026-11-24 09:58:00"):
            wizard = (
                self.env["psy.session.checklist.wizard"]
                .with_user(self.psychologist)
                .create(
                    {
                        "session_id": session.id,
                        "identity_ok": True,
                        "location": "Home, Calle Mayor 3, Madrid",
                        "emergency_ok": True,
                        "private_ok": True,
                    }
                )
            )
            wizard.action_confirm()
        self.assertTrue(self.online.psy_tele_identity_ok)
        self.assertEqual(self.online.psy_tele_checklist_user_id, self.psychologist)
        self.assertEqual(
            self.online.psy_tele_checklist_date, datetime(2026, 11, 24, 9, 58)
        )

    def test_checklist_refusals(self):
        with self.assertRaises(UserError):
            self.online.with_user(self.psychologist)._psy_record_checklist(
                True, "", True, True
            )
        with self.assertRaises(AccessError):
            self.online.with_user(self.psychologist_2)._psy_record_checklist(
                True, "Home", True, True
            )
        with self.assertRaises(UserError):
            self._session(start=self._nov(27)).with_user(
                self.psychologist
            )._psy_record_checklist(True, "Home", True, True)
        # Direct writes of the guarded fields, whatever the context.
        for vals in (
            {"psy_tele_identity_ok": True},
            {"psy_tele_checklist_user_id": self.psychologist.id},
            {"psy_tele_failed": True},
        ):
            with self.assertRaises(UserError):
                self.online.with_user(self.psychologist).with_context(
                    psy_allow=True
                ).write(vals)
        self.assertFalse(self.online.psy_tele_identity_ok)

    def test_connection_failed_never_charges(self):
        voucher = self._voucher()
        with freeze_time("2026-11-24 10:05:00"):
            wizard = (
                self.env["psy.session.connection.wizard"]
                .with_user(self.psychologist)
                .create(
                    {
                        "session_id": self.online.id,
                        "fallback": "reschedule",
                        "note": "No audio on the patient's side",
                    }
                )
            )
            wizard.action_confirm()
        session = self.online
        self.assertEqual(session.state, "cancelled")
        self.assertTrue(session.psy_tele_failed)
        self.assertEqual(session.psy_tele_fallback, "reschedule")
        self.assertEqual(session.psy_tele_failed_user_id, self.psychologist)
        self.assertBalance(voucher, 10)
        self.assertFalse(session.voucher_line_id)
        self.assertFalse(session.psy_billable)
        self.assertTrue(
            session.activity_ids.filtered(lambda a: "Reschedule" in a.summary)
        )

    def test_connection_failed_phone(self):
        self.online.with_user(self.psychologist)._psy_record_connection_failed(
            "phone", ""
        )
        self.assertEqual(self.online.state, "cancelled")
        self.assertEqual(self.online.psy_tele_fallback, "phone")
        self.assertFalse(self.online.activity_ids)
        with self.assertRaises(UserError):
            self._online(start=self._nov(27)).with_user(
                self.psychologist
            )._psy_record_connection_failed("carrier pigeon", "")

    def test_portal_user_cannot_record(self):
        with self.assertRaises(AccessError):
            self.online.with_user(self.portal_user)._psy_record_connection_failed(
                "phone", ""
            )
