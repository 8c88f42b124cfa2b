import hashlib
import logging

from odoo import SUPERUSER_ID, models
from odoo.exceptions import UserError

_logger = logging.getLogger(__name__)

REPORT_XMLID = "psy_consent.action_report_psy_consent"


class PsyConsentDocumentMixin(models.AbstractModel):
    """The signed document of a consent: rendered once, when the last needed
    signature is recorded, stored as an attachment and fingerprinted.

    The model that uses it has ``name``, ``type_id``, ``patient_id``,
    ``company_id``, ``attachment_id`` and the methods ``_is_complete`` and
    ``_state_label``."""

    _name = "psy.consent.document.mixin"
    _description = "Signed document of a consent"

    def _render_signed_document(self, html_document=False):
        """Render the signed consent: PDF, or HTML when ``html_document`` is
        set (demo data: while modules install no server answers the PDF
        engine's requests for the report's style sheets), when no PDF engine
        is installed, and in test mode (as Odoo's reports do).

        Returns ``(bytes, "pdf" or "html")``."""
        self.ensure_one()
        Report = self.env["ir.actions.report"]
        if html_document:
            content, report_format = Report._render_qweb_html(REPORT_XMLID, self.ids)
        else:
            try:
                content, report_format = Report._render_qweb_pdf(REPORT_XMLID, self.ids)
            except UserError:
                _logger.warning(
                    "No PDF engine: consent %s is stored as an HTML document.",
                    self.name,
                )
                content, report_format = Report._render_qweb_html(
                    REPORT_XMLID, self.ids
                )
        if isinstance(content, str):
            content = content.encode()
        return content, report_format

    @staticmethod
    def _psy_document_hash(content):
        """SHA-256 of the stored bytes, as kept on the consent."""
        return hashlib.sha256(content).hexdigest()

    def _psy_check_may_attach(self):
        """A signed document is produced once, for a complete request."""
        self.ensure_one()
        if self.attachment_id or not self._is_complete():
            raise UserError(
                self.env._(
                    "Consent %(name)s is not completely signed, or already has "
                    "its signed document: no document is produced.",
                    name=self.name,
                )
            )

    def _attach_signed_document(self, html_document=False):
        """Render and store the signed document of a complete request.

        The signer on the portal may not create attachments: after the check
        above, the document is rendered and stored as superuser."""
        self._psy_check_may_attach()
        consent_sudo = self.sudo()
        content, report_format = consent_sudo._render_signed_document(html_document)
        extension = "pdf" if report_format == "pdf" else "html"
        mimetype = "application/pdf" if extension == "pdf" else "text/html"
        filename = f"{self.name} - {self.type_id.name} - {self.patient_id.name}"
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": f"{filename.replace('/', '-')}.{extension}",
                    "raw": content,
                    "mimetype": mimetype,
                    "res_model": self._name,
                    "res_id": self.id,
                    "company_id": self.company_id.id,
                }
            )
        )
        return attachment, self._psy_document_hash(content)

    def _psy_post_signed_document(self, signed, attachment):
        """Post the signed document in the chatter of the consent.

        Only the consent's own signed document is posted (checked first).
        Portal signers may not link documents to messages: the system posts
        it then."""
        self.ensure_one()
        if self.state != "signed" or self.attachment_id != attachment:
            raise UserError(
                self.env._(
                    "Consent %(name)s is not signed: it has no signed document "
                    "to post.",
                    name=self.name,
                )
            )
        poster = self
        if not self.env.user._is_internal():
            poster = self.with_user(SUPERUSER_ID)
        poster.message_post(
            body=self.env._(
                "Consent signed by %(signers)s. Signed document attached "
                "(SHA-256 %(hash)s).",
                signers=", ".join(signed.partner_id.mapped("name")),
                hash=self.pdf_sha256,
            ),
            attachment_ids=attachment.ids,
            subtype_xmlid="mail.mt_note",
        )
