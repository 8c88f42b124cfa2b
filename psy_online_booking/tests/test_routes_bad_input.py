from urllib.parse import urlencode

from odoo import http
from odoo.tests import HttpCase, tagged

from .common import PsyOnlineBookingCommon

# Values sent in place of any parameter: a form carries strings only.
BAD_STRINGS = [
    "",
    " ",
    "-1",
    "0",
    "1.5",
    "99999999999",
    str(2**31),
    "abc",
    "x" * 5000,
    "\x00",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "../../etc/passwd",
    "%00",
    "\U0001f600" * 100,
]
BAD_TZ = ["Mars/Olympus", "UTC' --", "x" * 500, "../../etc", "\x00"]
BAD_SLOTS = [
    "",
    "1",
    "1-",
    "-202611240900",
    "1-2026112409",
    "1-202613240900",
    "1-202611241260",
    "99999999999-202611240900",
    "x-202611240900",
    "1-202611240900-1",
]


@tagged("post_install", "-at_install")
class TestRoutesBadInput(PsyOnlineBookingCommon, HttpCase):
    """Every route of the booking page, sent a kept list of bad inputs, as
    an anonymous visitor and as a logged-in patient: never a server error,
    no private data in the answer, nothing booked; then a valid booking
    still works."""

    def setUp(self):
        super().setUp()
        self.authenticate(None, None)
        # What the page must never show: patients, and the professionals'
        # private data (only their public name is shown).
        self.secrets = [
            self.patient_2.name,
            self.patient_2.lastname,
            self.psychologist.login,
            self.psychologist_2.login,
            self.psychologist.email,
            "Marta Ruiz",
        ]

    def _check(self, response, label, secrets=None):
        self.assertLess(response.status_code, 500, label)
        for secret in secrets if secrets is not None else self.secrets:
            self.assertNotIn(secret, response.text, f"{label}: private data")
        return response

    def _get(self, url, params, label):
        query = urlencode(params)
        return self._check(self.url_open(f"{url}?{query}" if query else url), label)

    def _post(self, data, label):
        data = dict(data, csrf_token=http.Request.csrf_token(self))
        return self._check(self.url_open("/booking/submit", data=data), label)

    def _valid(self, **overrides):
        values = {
            "center": str(self.company_a.id),
            "service": str(self.individual.id),
            "modality": "online",
            "professional": str(self.psychologist.id),
            "tz": "Europe/Madrid",
            "week": "0",
            "slot": f"{self.psychologist.id}-202611240900",
            "firstname": "Laura",
            "lastname": "Vidal",
            "email": "laura@example.com",
            "phone": "+34 600 000 000",
            "privacy": "1",
        }
        values.update(overrides)
        return values

    def _bookings(self):
        return self.Request.sudo().search_count([])

    def _visitors(self):
        yield "anonymous", None
        yield "portal patient", "t_portal_ana"

    def test_page_shows_public_names_only(self):
        response = self._get(
            "/booking",
            {
                "center": self.company_a.id,
                "service": self.individual.id,
                "modality": "online",
            },
            "page",
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("Marta R.", response.text)
        self.assertIn("Pablo Gil", response.text)
        self.assertIn("o_psy_booking_slot", response.text)

    def test_get_bad_input(self):
        self.company_a.psy_booking_max_attempts = 1000
        params = ("center", "service", "modality", "professional", "week", "tz")
        for label, login in self._visitors():
            self.authenticate(login, login)
            for url in ("/booking", "/my/booking") if login else ("/booking",):
                for name in params:
                    for value in BAD_STRINGS + (BAD_TZ if name == "tz" else []):
                        base = self._valid()
                        query = {k: base[k] for k in params}
                        query[name] = value[:2000]
                        response = self._get(
                            url, query, f"{label} {url} {name}={value[:20]!r}"
                        )
                        valid = value == "0" and name == "week"
                        if value.strip() and not valid or name == "tz" and value:
                            self.assertGreaterEqual(
                                response.status_code, 400, f"{name}={value[:20]!r}"
                            )
        for token in ["", "x", "0" * 64, "x" * 300, "'; --"]:
            self._check(self.url_open(f"/booking/done/{token}"), f"done {token[:10]}")
        self.assertEqual(self._bookings(), 0)

    def test_post_bad_input(self):
        self.company_a.psy_booking_max_attempts = 1000
        for label, login in self._visitors():
            self.authenticate(login, login)
            for name in ("center", "service", "modality", "professional", "week", "tz"):
                for value in BAD_STRINGS[1:]:
                    if value == "0" and name == "week":
                        continue
                    response = self._post(
                        self._valid(**{name: value[:2000]}),
                        f"{label} {name}={value[:20]!r}",
                    )
                    self.assertGreaterEqual(
                        response.status_code, 400, f"{name}={value[:20]!r}"
                    )
            for value in BAD_SLOTS:
                response = self._post(
                    self._valid(slot=value), f"{label} slot={value!r}"
                )
                self.assertGreaterEqual(response.status_code, 400)
            # Another professional's slot when one was chosen: not offered.
            response = self._post(
                self._valid(slot=f"{self.psychologist_2.id}-202611240900"),
                f"{label} other professional",
            )
            self.assertGreaterEqual(response.status_code, 400)
            # Outside the working hours or the notice: "just taken".
            for slot in ("202611241500", "202611230900", "202612300900"):
                response = self._post(
                    self._valid(slot=f"{self.psychologist.id}-{slot}"),
                    f"{label} {slot}",
                )
                self.assertEqual(response.status_code, 409)
            # Without accepting the notice.
            response = self._post(self._valid(privacy=""), f"{label} privacy")
            self.assertEqual(response.status_code, 422)
            # The honeypot.
            response = self._post(
                self._valid(website_url="http://spam"), f"{label} bot"
            )
            self.assertEqual(response.status_code, 400)
            # Without the form's token.
            response = self._check(
                self.url_open("/booking/submit", data=self._valid()), f"{label} csrf"
            )
            self.assertGreaterEqual(response.status_code, 400)
        self.authenticate(None, None)
        for name in ("firstname", "lastname", "email", "phone"):
            extra = {"email": ["not an email", "a@"], "phone": ["abc", "12"]}
            for value in ["", "   ", "x" * 5000, "\x00", *extra.get(name, [])]:
                response = self._post(self._valid(**{name: value}), f"contact {name}")
                self.assertGreaterEqual(response.status_code, 400)
        self.assertEqual(self._bookings(), 0)
        # A valid booking still works.
        response = self._post(self._valid(), "valid")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Your request has been received", response.text)
        self.assertEqual(self._bookings(), 1)

    def test_same_page_whatever_the_email(self):
        """A visitor with the e-mail of a patient sees the same page as any
        visitor, and nothing of the patient."""
        secrets = self.secrets + [self.patient.name, self.patient.lastname]
        known = self._post(self._valid(email="ana@example.com"), "known email")
        self._check(known, "known email", secrets)
        unknown = self._post(
            self._valid(
                email="nobody@example.com",
                slot=f"{self.psychologist.id}-202611241000",
            ),
            "unknown email",
        )
        self.assertEqual(known.status_code, unknown.status_code)
        self.assertIn("Your request has been received", known.text)
        self.assertIn("Your request has been received", unknown.text)
        requests = self.Request.sudo().search([])
        self.assertEqual(set(requests.mapped("state")), {"requested"})
        self.assertNotIn(self.patient, requests.patient_id)

    def test_slot_taken_shows_fresh_slots(self):
        self._post(self._valid(), "first")
        response = self._post(self._valid(email="second@example.com"), "second")
        self.assertEqual(response.status_code, 409)
        self.assertIn("This slot was just taken", response.text)
        self.assertIn("o_psy_booking_slot", response.text)
        self.assertNotIn(f"{self.psychologist.id}-202611240900", response.text)

    def test_my_booking_needs_a_login(self):
        response = self.url_open("/my/booking", allow_redirects=False)
        self.assertIn(response.status_code, (302, 303))
        self.assertIn("/web/login", response.headers["Location"])

    def test_logged_in_patient(self):
        self.authenticate("t_portal_ana", "t_portal_ana")
        page = self._get(
            "/my/booking",
            {
                "center": self.company_a.id,
                "service": self.individual.id,
                "modality": "online",
            },
            "patient page",
        )
        self.assertIn("Booking as", page.text)
        response = self._post(
            self._valid(firstname="", lastname="", email="", phone=""), "patient"
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("Your session is booked", response.text)
        request = self.Request.sudo().search([])
        self.assertEqual(request.patient_id, self.patient)
        self.assertEqual(request.state, "confirmed")

    def test_throttling(self):
        self.company_a.psy_booking_max_attempts = 2
        for hour in ("08", "10"):
            slot = f"{self.psychologist.id}-20261124{hour}00"
            response = self._post(self._valid(slot=slot), "try")
            self.assertEqual(response.status_code, 200)
        response = self._post(self._valid(), "over the limit")
        self.assertEqual(response.status_code, 429)
        self.assertIn("Too many booking attempts", response.text)
        self.assertEqual(self._bookings(), 2)
