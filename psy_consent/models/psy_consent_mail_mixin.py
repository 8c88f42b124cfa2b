from odoo import models
from odoo.exceptions import UserError


class PsyConsentMailMixin(models.AbstractModel):
    """The e-mails of a consent request: one per signer, with the signer's
    personal link. The signer is an argument of the rendering
    (``signer_name`` and ``signer_url`` in the templates), never a value of
    the context.

    The model that uses it is a mail thread with ``signature_ids`` (signer
    lines with ``partner_id``), ``patient_id`` and the portal mixin."""

    _name = "psy.consent.mail.mixin"
    _description = "E-mails of a consent request"

    def _send_to_signers(self, template_xmlid, signers):
        template = self.env.ref(template_xmlid, raise_if_not_found=False)
        if not template:
            return
        for signer in signers:
            signer.consent_id._psy_post_signer_mail(template, signer)

    def _psy_post_signer_mail(self, template, signer):
        """Post ``template`` to ``signer`` alone, with their personal link.

        The signer is an argument of the rendering (``signer_name`` and
        ``signer_url`` in the template), not a value of the context."""
        self.ensure_one()
        render_values = {
            "signer_name": self._psy_signer_name(signer),
            "signer_url": self._psy_signer_url(signer),
        }
        rendered = {
            fname: template._render_field(
                fname,
                self.ids,
                compute_lang=True,
                add_context=render_values,
                options={"post_process": True} if fname == "body_html" else None,
            )[self.id]
            for fname in ("subject", "body_html", "email_from")
        }
        extra = {}
        if template.email_layout_xmlid:
            extra["email_layout_xmlid"] = template.email_layout_xmlid
        return self.message_post(
            body=rendered["body_html"],
            subject=rendered["subject"],
            email_from=rendered["email_from"] or None,
            partner_ids=signer.partner_id.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            mail_auto_delete=template.auto_delete,
            **extra,
        )

    def _psy_mail_partner_to(self):
        """Recipients of the template when it is used from the chatter: the
        signers who have yet to answer (the actions send one e-mail per
        signer)."""
        self.ensure_one()
        return ",".join(str(pid) for pid in self._pending_signers().partner_id.ids)

    def _psy_signer_url(self, signer=None):
        """Absolute portal link of ``signer``."""
        self.ensure_one()
        return self.get_base_url() + self._get_signer_portal_path(signer)

    def _psy_signer_name(self, signer=None):
        self.ensure_one()
        return (signer and signer.partner_id.name) or self.patient_id.partner_id.name

    def _get_signer_portal_path(self, signer=None):
        self.ensure_one()
        if signer:
            if signer.consent_id != self:
                raise UserError(
                    self.env._(
                        "%(name)s does not sign consent %(consent)s.",
                        name=signer.partner_id.name,
                        consent=self.name,
                    )
                )
            return self.get_portal_url(
                query_string=f"&signer_token={signer._psy_signer_token()}"
            )
        return self.get_portal_url()
