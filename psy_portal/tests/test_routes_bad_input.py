# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import http
from odoo.tests import HttpCase, tagged

from .common import PsyPortalCommon

BAD_IDS = ["abc", "-1", "0", "1.5", "99999999999", "1;DROP", "' OR 1=1"]
BAD_VALUES = [None, "", " ", "x" * 5000, "\x00", "<script>", "in_time ", "late\n"]


@tagged("post_install", "-at_install")
class TestRoutesBadInput(PsyPortalCommon, HttpCase):
    """Every route of the portal answers bad input (ids that are no ids,
    missing or wrong parameters, wrong methods, no login) below 500."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ana_session = cls._session()
        cls.voucher = cls._voucher()

    def assertBelow500(self, response, what):
        self.assertLess(response.status_code, 500, what)

    def test_bad_ids(self):
        self.authenticate("t_portal_ana", "t_portal_ana")
        for bad in BAD_IDS:
            for url in (
                f"/my/sessions/{bad}",
                f"/my/sessions/{bad}/join",
                f"/my/sessions/page/{bad}",
                f"/my/packs/{bad}",
                f"/my/packs/page/{bad}",
            ):
                self.assertBelow500(self.url_open(url, allow_redirects=False), url)
            for route in ("cancel", "change"):
                url = f"/my/sessions/{bad}/{route}"
                response = self.url_open(
                    url,
                    data={"csrf_token": http.Request.csrf_token(self)},
                    allow_redirects=False,
                )
                self.assertBelow500(response, url)
        for url in (
            "/my/sessions/2147483648",
            "/my/sessions/99999999",
            "/my/packs/2147483648",
            "/my/packs/99999999",
            "/my/sessions/page/99999",
            "/my/sessions?page=x&message=<b>",
            f"/my/sessions/{self.ana_session.id}?message=<script>",
        ):
            response = self.url_open(url, allow_redirects=False)
            self.assertBelow500(response, url)
            self.assertNotIn("<script>", response.text)

    def test_bad_params(self):
        self.authenticate("t_portal_ana", "t_portal_ana")
        base = f"/my/sessions/{self.ana_session.id}"
        for value in BAD_VALUES:
            for route, name in (("cancel", "announced"), ("change", "request_text")):
                data = {"csrf_token": http.Request.csrf_token(self)}
                if value is not None:
                    data[name] = value
                response = self.url_open(
                    f"{base}/{route}", data=data, allow_redirects=False
                )
                self.assertBelow500(response, (route, value))
        self.assertEqual(self.ana_session.state, "scheduled")
        # A request longer than the maximal length is refused.
        before = len(self.ana_session.activity_ids)
        self.url_open(
            f"{base}/change",
            data={
                "csrf_token": http.Request.csrf_token(self),
                "request_text": "x" * 2001,
            },
            allow_redirects=False,
        )
        self.assertEqual(len(self.ana_session.activity_ids), before)

    def test_wrong_methods_and_csrf(self):
        self.authenticate("t_portal_ana", "t_portal_ana")
        base = f"/my/sessions/{self.ana_session.id}"
        for route in ("cancel", "change"):
            response = self.url_open(f"{base}/{route}", allow_redirects=False)
            self.assertBelow500(response, route)
            self.assertNotEqual(response.status_code, 200)
            # Without the CSRF token.
            response = self.url_open(
                f"{base}/{route}",
                data={"announced": "in_time", "request_text": "x"},
                allow_redirects=False,
            )
            self.assertBelow500(response, route)
        self.assertEqual(self.ana_session.state, "scheduled")
        self.assertFalse(self.ana_session.activity_ids)

    def test_public_visitor(self):
        self.authenticate(None, None)
        for url in (
            "/my/sessions",
            f"/my/sessions/{self.ana_session.id}",
            f"/my/sessions/{self.ana_session.id}/join",
            "/my/packs",
            f"/my/packs/{self.voucher.id}",
        ):
            response = self.url_open(url, allow_redirects=False)
            self.assertBelow500(response, url)
            self.assertNotEqual(response.status_code, 200, url)

    def test_internal_user_without_portal_records(self):
        """A back-office user opening the portal pages gets them, empty or
        with their rights, never an error."""
        self.authenticate("t_billing", "t_billing")
        for url in ("/my/sessions", "/my/packs", "/my"):
            self.assertBelow500(self.url_open(url, allow_redirects=False), url)
