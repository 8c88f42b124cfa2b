import hashlib

from odoo import api, models
from odoo.exceptions import UserError

from odoo.addons.psy_patient.models.psy_guarded_mixin import module_uninstalling

# Changing these fields does not change the signed document.
HARMLESS_FIELDS = {"access_token"}


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    def _psy_signed_consent_documents(self):
        """The attachments of ``self`` that are the signed document of a
        consent, as superuser records.

        It only ever serves to refuse: whoever changes or deletes an
        attachment, even one whose consent they may not read, must be told it
        is a signed document. Nothing is written with these records."""
        attachments_sudo = self.sudo()
        candidates = attachments_sudo.filtered(lambda a: a.res_model == "psy.consent")
        if not candidates:
            return attachments_sudo.browse()
        consents = (
            self.env["psy.consent"]
            .sudo()
            .search([("attachment_id", "in", candidates.ids)])
        )
        return attachments_sudo.browse(consents.attachment_id.ids)

    def _psy_same_content(self, vals):
        """True when ``vals`` only rewrites the same bytes (e.g. when the
        storage of attachments is migrated)."""
        data = vals.get("raw")
        if data is None and vals.get("datas"):
            return False
        if isinstance(data, str):
            data = data.encode()
        other = set(vals) - {"raw", "mimetype"} - HARMLESS_FIELDS
        return (
            data is not None
            and not other
            and all(
                attachment.checksum == hashlib.sha1(data).hexdigest()
                for attachment in self
            )
        )

    def write(self, vals):
        if not module_uninstalling(self.env) and set(vals) - HARMLESS_FIELDS:
            protected = self._psy_signed_consent_documents()
            if protected and not protected._psy_same_content(vals):
                raise UserError(
                    self.env._(
                        "%(names)s is the signed document of a consent: nobody "
                        "can alter it.",
                        names=", ".join(protected.mapped("name")),
                    )
                )
        return super().write(vals)

    @api.ondelete(at_uninstall=True)
    def _unlink_except_signed_consent_document(self):
        if module_uninstalling(self.env):
            return
        protected = self._psy_signed_consent_documents()
        if protected:
            raise UserError(
                self.env._(
                    "%(names)s is the signed document of a consent: nobody "
                    "can delete it.",
                    names=", ".join(protected.mapped("name")),
                )
            )
