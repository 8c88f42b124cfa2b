import base64
import io
import json
import re

from PIL import Image
from werkzeug.urls import url_encode

from odoo import http
from odoo.tests import HttpCase, tagged

from .common import PsyConsentCommon


def _image_b64(fmt):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "white").save(buffer, format=fmt)
    return base64.b64encode(buffer.getvalue()).decode()


# Values of the wrong type or shape, sent in place of any parameter.
WRONG_TYPES = [
    None,
    0,
    1,
    -1,
    1.5,
    2**70,
    True,
    False,
    [],
    ["x"],
    [1, 2],
    {},
    {"a": 1},
    [{"b": None}],
]
# Strings that are no token, no id and no reason of anybody.
BAD_STRINGS = [
    "",
    " ",
    "x" * 100000,
    "\x00",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "../../etc/passwd",
    "%00",
    "\U0001f600" * 1000,
]
# Texts (names, reasons) that are refused whatever the tokens.
BAD_TEXTS = [*WRONG_TYPES, "", "   ", "x" * 100000]
# The same in a form, which carries strings only (a number or a list arrives as
# its text, a plausible reason): absent, empty, blank or oversized.
FORM_BAD_TEXTS = [None, [], "", "   ", "\t\n", "x" * 100000]
# Query strings longer than a few kilobytes are cut by the HTTP server itself.
QUERY_BAD_STRINGS = [value[:4000] for value in BAD_STRINGS]
# Signatures that are not a drawn image.
PNG = _image_b64("PNG")
BAD_SIGNATURES = [
    *WRONG_TYPES,
    "",
    "not base64 at all!",
    "aGVsbG8gd29ybGQ=",  # base64 of text
    base64.b64encode(b"<svg xmlns='http://www.w3.org/2000/svg'/>").decode(),
    _image_b64("GIF"),
    _image_b64("BMP"),
    PNG[: len(PNG) // 2],  # truncated
    base64.b64encode(base64.b64decode(PNG)[:40]).decode(),  # truncated image
    "data:image/png;base64," + PNG,
    PNG + "!!",
    "A" * (3 * 1024 * 1024),  # oversized
    "\U0001f600" * 10,
]
# Ids that are nobody's consent.
UNKNOWN_IDS = [0, 999999, 2**31, 10**20]


@tagged("post_install", "-at_install")
class TestRoutesBadInput(PsyConsentCommon, HttpCase):
    """Every route of the portal, sent a kept list of bad inputs, as an
    anonymous visitor and as a portal patient: never a server error, nothing
    of another patient in the answer, nothing written; then a valid signature
    still works."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.own = cls._consent()
        cls.own.action_send()
        cls.own_line = cls.own.signature_ids.sudo()
        cls.foreign = cls._consent(patient=cls.patient_2)
        cls.foreign.action_send()
        cls.foreign_line = cls.foreign.signature_ids.sudo()
        cls.signed = cls._office_signed(cls._consent(template=cls.tpl_data))
        cls.foreign_signed = cls._office_signed(
            cls._consent(patient=cls.patient_2, template=cls.tpl_data)
        )
        cls.foreign_signed.signature_ids.sudo()._psy_signer_token()
        for consent in cls.own | cls.foreign | cls.signed | cls.foreign_signed:
            consent._portal_ensure_token()

    @classmethod
    def _office_signed(cls, consent):
        consent.signature_ids.sudo()._record_signature(
            consent.patient_id.name, cls.signature, "office", False, False
        )
        return consent

    def setUp(self):
        super().setUp()
        secrets = [
            self.patient_2.name,
            self.foreign.access_token,
            self.foreign_line.access_token,
            self.foreign_signed.access_token,
            self.foreign_signed.signature_ids.sudo().access_token,
        ]
        self.assertTrue(all(secrets))
        self.secrets = secrets
        self.watched = self.own | self.foreign | self.signed | self.foreign_signed

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _state(self):
        """What must not change: states of consents and lines, messages,
        signed documents."""
        self.env.invalidate_all()
        consents = self.watched.sudo()
        return {
            "consents": [(c.id, c.state, c.revocation_date) for c in consents],
            "lines": [
                (line.id, line.state, bool(line.signature))
                for line in consents.signature_ids
            ],
            "messages": len(consents.message_ids),
            "attachments": self.env["ir.attachment"]
            .sudo()
            .search_count([("res_model", "=", "psy.consent")]),
        }

    def _check(self, response, label):
        self.assertLess(response.status_code, 500, label)
        text = response.text
        for secret in self.secrets:
            self.assertNotIn(secret, text, f"{label}: foreign data in the answer")
        return response

    def _json(self, url, params, label):
        payload = {"jsonrpc": "2.0", "method": "call", "id": 1, "params": params}
        response = self._check(
            self.url_open(
                url,
                data=json.dumps(payload),
                headers={"Content-Type": "application/json"},
            ),
            label,
        )
        body = response.json()
        # A clean answer of the route, not an exception of the server.
        self.assertIn("result", body, f"{label}: {body.get('error')}")
        return body["result"]

    def _post(self, url, data, label):
        data = dict(data, csrf_token=http.Request.csrf_token(self))
        return self._check(self.url_open(url, data=data), label)

    def _get(self, url, params, label):
        query = url_encode(params)
        return self._check(self.url_open(f"{url}?{query}" if query else url), label)

    def _visitors(self):
        """(label, login) of the visitors."""
        yield "anonymous", None
        yield "portal patient", "t_portal_ana"

    def _login(self, login):
        if login:
            self.authenticate(login, login)
        else:
            self.authenticate(None, None)

    # ------------------------------------------------------------------
    # The routes
    # ------------------------------------------------------------------

    def test_sign_route(self):
        before = self._state()
        own_tokens = {
            "access_token": self.own.access_token,
            "signer_token": self.own_line.access_token,
        }
        valid = {"name": "Ana López García", "signature": self.signature}
        url = f"/my/consents/{self.own.id}/sign"
        for visitor, login in self._visitors():
            self._login(login)
            # Wrong tokens. Logged in, the patient needs no token to sign her
            # own consent: the signature is then a bad one too.
            for value in WRONG_TYPES + BAD_STRINGS:
                for key in ("access_token", "signer_token"):
                    params = dict(own_tokens, **valid)
                    params[key] = value
                    if login:
                        params["signature"] = "not base64 at all!"
                    result = self._json(url, params, f"{visitor} {key}={value!r:.40}")
                    self.assertIn("error", result, f"{visitor} {key}={value!r:.40}")
            for value in BAD_TEXTS:
                result = self._json(
                    url,
                    dict(own_tokens, name=value, signature=self.signature),
                    f"{visitor} name={value!r:.40}",
                )
                self.assertIn("error", result, f"{visitor} name={value!r:.40}")
            for value in BAD_SIGNATURES:
                result = self._json(
                    url,
                    dict(own_tokens, name="Ana López García", signature=value),
                    f"{visitor} signature={value!r:.40}",
                )
                self.assertIn("error", result, f"{visitor} signature={value!r:.40}")
            # Foreign tokens: another patient's consent and signer.
            foreign_url = f"/my/consents/{self.foreign.id}/sign"
            cases = [
                (foreign_url, {"access_token": self.foreign.access_token}),
                (foreign_url, own_tokens),
                (foreign_url, {"signer_token": self.foreign_line.access_token}),
            ]
            if not login:
                cases.append(
                    (
                        url,
                        {
                            "access_token": self.own.access_token,
                            "signer_token": self.foreign_line.access_token,
                        },
                    )
                )
            for case_url, tokens in cases:
                result = self._json(
                    case_url, dict(tokens, **valid), f"{visitor} foreign {tokens}"
                )
                self.assertIn("error", result, f"{visitor} foreign {tokens}")
            for consent_id in UNKNOWN_IDS:
                result = self._json(
                    f"/my/consents/{consent_id}/sign",
                    dict(own_tokens, **valid),
                    f"{visitor} id {consent_id}",
                )
                self.assertIn("error", result)
            # Odoo's own envelope checks: not our route, still no 5xx.
            self._check(
                self.url_open(
                    url,
                    data="{not json",
                    headers={"Content-Type": "application/json"},
                ),
                "broken JSON",
            )
        self.assertEqual(self._state(), before)
        self.assertEqual(self.own_line.state, "pending")
        self.assertFalse(self.own_line.signature)

        # After all the failed attempts, the patient still signs.
        self.authenticate(None, None)
        result = self._json(
            f"/my/consents/{self.own.id}/sign", dict(own_tokens, **valid), "valid"
        )
        self.assertTrue(result.get("force_refresh"), result)
        self.env.invalidate_all()
        self.assertEqual(self.own.state, "signed")
        self.assertEqual(self.own_line.state, "signed")
        self.assertTrue(self.own.attachment_id)
        self.assertIn(
            f"signer_token={self.own_line.access_token}", result["redirect_url"]
        )

    def test_refuse_and_revoke_routes(self):
        before = self._state()
        refuse = f"/my/consents/{self.own.id}/refuse"
        revoke = f"/my/consents/{self.signed.id}/revoke"
        tokens = {
            "access_token": self.own.access_token,
            "signer_token": self.own_line.access_token,
        }
        signed_tokens = {"access_token": self.signed.access_token}
        for visitor, login in self._visitors():
            self._login(login)
            for value in FORM_BAD_TEXTS:
                self._post(
                    refuse,
                    dict(tokens, reason=value),
                    f"{visitor} refuse {value!r:.40}",
                )
                self._post(
                    revoke,
                    dict(signed_tokens, reason=value),
                    f"{visitor} revoke {value!r:.40}",
                )
            if not login:
                # Logged in, the patient needs no token for her own consents.
                for value in WRONG_TYPES + BAD_STRINGS:
                    for key in ("access_token", "signer_token"):
                        self._post(
                            refuse,
                            dict(tokens, reason="No.", **{key: value}),
                            f"{visitor} refuse {key}={value!r:.40}",
                        )
                    self._post(
                        revoke,
                        {"access_token": value, "reason": "No."},
                        f"{visitor} revoke token {value!r:.40}",
                    )
                self._post(
                    refuse,
                    {
                        "access_token": self.own.access_token,
                        "signer_token": self.foreign_line.access_token,
                        "reason": "Forged refusal.",
                    },
                    f"{visitor} refuse with a foreign signer token",
                )
            # Foreign consents, with own tokens or theirs.
            for data in (
                dict(tokens, reason="Forged refusal."),
                {
                    "signer_token": self.foreign_line.access_token,
                    "reason": "Forged refusal.",
                },
            ):
                self._post(
                    f"/my/consents/{self.foreign.id}/refuse",
                    data,
                    f"{visitor} refuse a foreign consent",
                )
            self._post(
                f"/my/consents/{self.foreign_signed.id}/revoke",
                {"access_token": self.signed.access_token, "reason": "Forged."},
                f"{visitor} revoke a foreign consent",
            )
            for consent_id in UNKNOWN_IDS:
                self._post(
                    f"/my/consents/{consent_id}/refuse",
                    dict(tokens, reason="No."),
                    "unknown id",
                )
                self._post(
                    f"/my/consents/{consent_id}/revoke",
                    dict(signed_tokens, reason="No."),
                    "unknown id",
                )
            # Without the CSRF token: refused before the route.
            self._check(
                self.url_open(refuse, data=dict(tokens, reason="No.")), "no csrf"
            )
        self.assertEqual(self._state(), before)
        # Then a real refusal works.
        self.authenticate(None, None)
        self._post(
            f"/my/consents/{self.own.id}/refuse",
            {
                "access_token": self.own.access_token,
                "signer_token": self.own_line.access_token,
                "reason": "I prefer to discuss it first.",
            },
            "valid refusal",
        )
        self.env.invalidate_all()
        self.assertEqual(self.own.state, "refused")

    def test_page_list_and_document_routes(self):
        before = self._state()
        for visitor, login in self._visitors():
            self._login(login)
            for value in QUERY_BAD_STRINGS:
                for key in ("access_token", "signer_token", "message"):
                    params = {
                        "access_token": self.own.access_token,
                        "signer_token": self.own_line.access_token,
                        key: value,
                    }
                    response = self._get(
                        f"/my/consents/{self.own.id}", params, f"{visitor} page {key}"
                    )
                    if key == "message":
                        self.assertNotIn("<script>alert", response.text)
                self._get(
                    f"/my/consents/{self.signed.id}/document",
                    {"access_token": value},
                    f"{visitor} document",
                )
                self._get("/my/consents", {"page": value}, f"{visitor} list")
            # Repeated parameters (a list in the query string).
            self._get(
                f"/my/consents/{self.own.id}",
                [("access_token", "a"), ("access_token", self.own.access_token)],
                "repeated",
            )
            # Foreign consents, with own tokens: not found.
            for url in (
                f"/my/consents/{self.foreign.id}",
                f"/my/consents/{self.foreign_signed.id}/document",
            ):
                response = self._get(
                    url, {"access_token": self.own.access_token}, f"{visitor} {url}"
                )
                self.assertIn(response.status_code, (403, 404), url)
            for consent_id in UNKNOWN_IDS:
                for suffix in ("", "/document"):
                    response = self._get(
                        f"/my/consents/{consent_id}{suffix}",
                        {"access_token": self.own.access_token},
                        "unknown id",
                    )
                    self.assertEqual(response.status_code, 404)
            for page in ("0", "-1", "999999", "abc", "1e9"):
                self._get(f"/my/consents/page/{page}", {}, f"{visitor} page {page}")
        self.assertEqual(self._state(), before)
        # A page with a wrong signer token shows no signature button and does
        # not write the token back into its links.
        self.authenticate(None, None)
        response = self._get(
            f"/my/consents/{self.own.id}",
            {"access_token": self.own.access_token, "signer_token": "forged-token"},
            "forged signer token",
        )
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("o_psy_consent_sign_button", response.text)
        self.assertNotIn("forged-token", response.text)
        self.assertFalse(re.search(r"signer_token=forged", response.text))
