from werkzeug.exceptions import NotFound
from werkzeug.urls import url_encode

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request
from odoo.tools import consteq

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

# Largest record id (PostgreSQL integer): larger ones exist nowhere.
MAX_ID = 2**31 - 1
# Longest token accepted (the tokens are UUIDs).
MAX_TOKEN_LENGTH = 128
# Longest refusal or revocation reason accepted.
MAX_REASON_LENGTH = 10000
# Messages the consent page knows.
PAGE_MESSAGES = ("signed", "refused", "revoked", "cant_refuse", "cant_revoke")


class PsyConsentPortal(CustomerPortal):
    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    @staticmethod
    def _psy_token(value):
        """A token as sent by the visitor: a short string, else nothing
        (numbers, lists, objects and huge strings are no token)."""
        if isinstance(value, str) and 0 < len(value) <= MAX_TOKEN_LENGTH:
            return value
        return None

    @staticmethod
    def _psy_text(value, max_length):
        """A text typed by the visitor, else nothing."""
        if isinstance(value, str) and len(value) <= max_length:
            return value
        return None

    def _psy_consent_domain(self):
        partner = request.env.user.partner_id
        return [
            "|",
            ("patient_partner_id", "=", partner.id),
            ("signature_ids.partner_id", "=", partner.id),
            ("state", "!=", "draft"),
        ]

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "psy_consent_count" in counters:
            Consent = request.env["psy.consent"]
            values["psy_consent_count"] = (
                Consent.search_count(self._psy_consent_domain())
                if Consent.has_access("read")
                else 0
            )
        return values

    def _psy_consent_sudo(self, consent_id, access_token):
        """The consent if the visitor may see it (own consent or valid
        token), as superuser (Odoo's portal check); 404 otherwise, so that
        nobody learns what exists."""
        if not isinstance(consent_id, int) or not 0 < consent_id <= MAX_ID:
            raise NotFound()
        try:
            return self._document_check_access(
                "psy.consent", consent_id, access_token=self._psy_token(access_token)
            )
        except (AccessError, MissingError):
            raise NotFound() from None

    def _psy_consents_sudo(self, consents):
        """The consents the visitor found with their own rights (checked
        again here), as superuser to show the names of the signers."""
        consents.check_access("read")
        return consents.sudo()

    def _psy_signer(self, consent_sudo, signer_token=None, states=("pending",)):
        """The signer the visitor is: the one of the personal link of the
        e-mail, else the logged-in person."""
        lines = consent_sudo.signature_ids.filtered(lambda s: s.state in states)
        signer_token = self._psy_token(signer_token)
        if signer_token:
            for line in lines:
                if line.access_token and consteq(line.access_token, signer_token):
                    return line
        user = request.env.user
        if not user._is_public():
            return lines.filtered(lambda s: s.partner_id == user.partner_id)[:1]
        return lines.browse()

    def _psy_known_signer_token(self, consent_sudo, signer_token):
        """The signer token when it is one of the consent's, else nothing:
        only such a token is written back into the page and its links."""
        signer_token = self._psy_token(signer_token)
        if signer_token and any(
            line.access_token and consteq(line.access_token, signer_token)
            for line in consent_sudo.signature_ids
        ):
            return signer_token
        return None

    def _psy_may_revoke(self, consent_sudo, signer_token=None):
        if consent_sudo.state != "signed":
            return False
        if self._psy_signer(consent_sudo, signer_token, states=("signed", "skipped")):
            return True
        user = request.env.user
        return (
            not user._is_public()
            and user.partner_id == consent_sudo.patient_id.partner_id
        )

    def _psy_request_meta(self):
        httprequest = request.httprequest
        return httprequest.remote_addr, httprequest.user_agent.string

    def _psy_redirect(self, consent_sudo, signer_token, message):
        query = {"access_token": consent_sudo.access_token or "", "message": message}
        signer_token = self._psy_known_signer_token(consent_sudo, signer_token)
        if signer_token:
            query["signer_token"] = signer_token
        return request.redirect(f"{consent_sudo.access_url}?{url_encode(query)}")

    # ------------------------------------------------------------------
    # Routes
    # ------------------------------------------------------------------

    @http.route(
        ["/my/consents", "/my/consents/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_psy_consents(self, page=1, **kw):
        if not isinstance(page, int):
            try:
                page = int(page)
            except (TypeError, ValueError):
                page = 1
        Consent = request.env["psy.consent"]
        domain = self._psy_consent_domain()
        count = Consent.search_count(domain) if Consent.has_access("read") else 0
        pager = portal_pager(
            url="/my/consents",
            total=count,
            page=page,
            step=self._items_per_page,
        )
        consents = (
            Consent.search(
                domain,
                order="create_date desc, id desc",
                limit=self._items_per_page,
                offset=pager["offset"],
            )
            if count
            else Consent
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "consents": self._psy_consents_sudo(consents),
                "page_name": "psy_consent",
                "pager": pager,
                "default_url": "/my/consents",
            }
        )
        return request.render("psy_consent.portal_my_psy_consents", values)

    @http.route(
        ["/my/consents/<int:consent_id>"], type="http", auth="public", website=True
    )
    def portal_psy_consent_page(
        self, consent_id, access_token=None, signer_token=None, message=None, **kw
    ):
        consent_sudo = self._psy_consent_sudo(consent_id, access_token)
        consent_sudo._portal_ensure_token()
        signer_token = self._psy_known_signer_token(consent_sudo, signer_token)
        signer = self._psy_signer(consent_sudo, signer_token)
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "consent": consent_sudo,
                "signer": signer,
                "signer_token": signer_token,
                "may_revoke": self._psy_may_revoke(consent_sudo, signer_token),
                "message": message if message in PAGE_MESSAGES else None,
                "page_name": "psy_consent",
            }
        )
        values = self._get_page_view_values(
            consent_sudo,
            self._psy_token(access_token),
            values,
            "my_psy_consents_history",
            False,
        )
        return request.render("psy_consent.portal_psy_consent_page", values)

    @http.route(
        ["/my/consents/<int:consent_id>/sign"],
        type="json",
        auth="public",
        website=True,
    )
    def portal_psy_consent_sign(
        self,
        consent_id,
        access_token=None,
        signer_token=None,
        name=None,
        signature=None,
        **kw,
    ):
        args = request.httprequest.args
        access_token = self._psy_token(access_token) or self._psy_token(
            args.get("access_token")
        )
        signer_token = self._psy_token(signer_token) or self._psy_token(
            args.get("signer_token")
        )
        try:
            consent_sudo = self._psy_consent_sudo(consent_id, access_token)
        except NotFound:
            return {"error": request.env._("This consent does not exist.")}
        if consent_sudo.state not in ("draft", "sent"):
            return {"error": request.env._("This consent can no longer be signed.")}
        signer = self._psy_signer(consent_sudo, signer_token)
        if not signer:
            return {
                "error": request.env._(
                    "Open the personal link of your e-mail to sign this consent."
                )
            }
        if not isinstance(name, str) or not name.strip():
            return {"error": request.env._("Type your full name.")}
        if not signature:
            return {"error": request.env._("Signature is missing.")}
        ip_address, user_agent = self._psy_request_meta()
        try:
            # Nothing is left behind by a refused signature: the checks come
            # first, and whatever was written is rolled back on an error.
            with request.env.cr.savepoint():
                signer._record_signature(
                    name, signature, "portal", ip_address, user_agent
                )
        except UserError as error:
            return {"error": str(error)}
        query = "&message=signed"
        if signer_token:
            query += "&" + url_encode({"signer_token": signer_token})
        return {
            "force_refresh": True,
            "redirect_url": consent_sudo.get_portal_url(query_string=query),
        }

    @http.route(
        ["/my/consents/<int:consent_id>/refuse"],
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
    )
    def portal_psy_consent_refuse(
        self, consent_id, access_token=None, signer_token=None, reason=None, **kw
    ):
        consent_sudo = self._psy_consent_sudo(consent_id, access_token)
        signer = self._psy_signer(consent_sudo, signer_token)
        reason = self._psy_text(reason, MAX_REASON_LENGTH)
        if not signer or not (reason or "").strip():
            return self._psy_redirect(consent_sudo, signer_token, "cant_refuse")
        try:
            with request.env.cr.savepoint():
                consent_sudo._refuse(
                    reason, signer.partner_id.name, signer=signer, channel="portal"
                )
        except UserError:
            return self._psy_redirect(consent_sudo, signer_token, "cant_refuse")
        return self._psy_redirect(consent_sudo, signer_token, "refused")

    @http.route(
        ["/my/consents/<int:consent_id>/revoke"],
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
    )
    def portal_psy_consent_revoke(
        self, consent_id, access_token=None, signer_token=None, reason=None, **kw
    ):
        consent_sudo = self._psy_consent_sudo(consent_id, access_token)
        reason = self._psy_text(reason, MAX_REASON_LENGTH)
        if (
            not self._psy_may_revoke(consent_sudo, signer_token)
            or not (reason or "").strip()
        ):
            return self._psy_redirect(consent_sudo, signer_token, "cant_revoke")
        signer = self._psy_signer(
            consent_sudo, signer_token, states=("signed", "skipped")
        )
        revoked_by = signer.partner_id.name or request.env.user.partner_id.name
        try:
            with request.env.cr.savepoint():
                consent_sudo._revoke(reason, revoked_by, channel="portal")
        except UserError:
            return self._psy_redirect(consent_sudo, signer_token, "cant_revoke")
        return self._psy_redirect(consent_sudo, signer_token, "revoked")

    @http.route(
        ["/my/consents/<int:consent_id>/document"],
        type="http",
        auth="public",
        website=True,
    )
    def portal_psy_consent_document(self, consent_id, access_token=None, **kw):
        """The stored signed document, byte for byte (never rendered again)."""
        consent_sudo = self._psy_consent_sudo(consent_id, access_token)
        attachment = consent_sudo.attachment_id
        if not attachment:
            raise NotFound()
        return request.make_response(
            attachment.raw,
            headers=[
                ("Content-Type", attachment.mimetype or "application/octet-stream"),
                ("Content-Length", len(attachment.raw)),
                (
                    "Content-Disposition",
                    http.content_disposition(attachment.name),
                ),
                ("X-Content-SHA256", consent_sudo.pdf_sha256 or ""),
            ],
        )
