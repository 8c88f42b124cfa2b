import base64
import binascii
import uuid

from PIL import Image

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools.image import binary_to_image

from odoo.addons.psy_patient.models.psy_guarded_mixin import module_uninstalling

# Written by the signature process only (through ``_psy_write_guarded``), and
# who signs is set when the request is prepared: refused on create and write
# by anyone but the superuser, whatever the context.
GUARDED_FIELDS = {
    "consent_id",
    "sequence",
    "role",
    "partner_id",
    "guardian_id",
    "required",
    "state",
    "signed_name",
    "signature",
    "signed_on",
    "method",
    "ip_address",
    "user_agent",
    "refusal_reason",
    # Related fields: writing them would change the guardian or the consent.
    "company_id",
    "relationship",
}
# Longest typed name and drawn signature accepted (base64 characters).
MAX_NAME_LENGTH = 256
MAX_SIGNATURE_LENGTH = 2 * 1024 * 1024
MAX_SIGNATURE_PIXELS = 4096 * 4096
# What a drawn signature may be.
SIGNATURE_FORMATS = ("PNG", "JPEG")


class PsyConsentSignature(models.Model):
    _name = "psy.consent.signature"
    _description = "Consent signer"
    _inherit = ["psy.guarded.mixin"]
    _order = "consent_id, sequence, id"

    consent_id = fields.Many2one(
        comodel_name="psy.consent",
        required=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(related="consent_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    role = fields.Selection(
        selection=[
            ("patient", "Patient"),
            ("guardian", "Guardian"),
            ("minor", "Minor (own acceptance)"),
        ],
        required=True,
        default="patient",
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Signer",
        required=True,
        ondelete="restrict",
    )
    guardian_id = fields.Many2one(
        comodel_name="psy.patient.guardian",
        ondelete="set null",
    )
    relationship = fields.Selection(related="guardian_id.relationship")
    required = fields.Boolean(
        default=True,
        help="The consent is complete only when this person has signed.",
    )
    state = fields.Selection(
        selection=[
            ("pending", "To sign"),
            ("signed", "Signed"),
            ("refused", "Refused"),
            ("skipped", "Not needed"),
        ],
        string="Status",
        default="pending",
        required=True,
        readonly=True,
    )
    signed_name = fields.Char(
        string="Typed full name",
        readonly=True,
        help="Full name typed by the signer.",
    )
    signature = fields.Image(
        string="Drawn signature",
        readonly=True,
        max_width=1024,
        max_height=1024,
        attachment=False,
    )
    signed_on = fields.Datetime(string="Date", readonly=True)
    method = fields.Selection(
        selection=[("portal", "Portal"), ("office", "In office")],
        readonly=True,
    )
    ip_address = fields.Char(string="IP address", readonly=True)
    user_agent = fields.Char(string="Browser", readonly=True)
    refusal_reason = fields.Text(readonly=True)
    access_token = fields.Char(copy=False, groups="base.group_system")

    @api.depends("partner_id.name", "role")
    def _compute_display_name(self):
        roles = dict(self._fields["role"]._description_selection(self.env))
        for line in self:
            line.display_name = f"{line.partner_id.name} ({roles.get(line.role, '')})"

    def _psy_access_refusals(self):
        # The signers are part of their consent: the same sentences, but for
        # adding one.
        return {
            **self.env["psy.consent"]._psy_access_refusals(),
            "create": self.env._(
                "You cannot add signers to consents: only the front desk, the clinical "
                "director and the psychologists who treat the patient can."
            ),
        }

    @api.model
    def _psy_guarded_fields(self):
        return super()._psy_guarded_fields() | GUARDED_FIELDS

    @api.model
    def _psy_guarded_initial_values(self):
        return {**super()._psy_guarded_initial_values(), "state": ("pending",)}

    @api.model
    def _psy_guard_error(self, field_names):
        return AccessError(
            self.env._(
                "Signatures are recorded by the signature process only, and the "
                "signers are set when the request is prepared. Use the Sign "
                "buttons of the consent."
            )
        )

    def write(self, vals):
        if not module_uninstalling(self.env):
            for line in self:
                if line.state != "pending" and set(vals) - {"access_token"}:
                    raise UserError(
                        self.env._(
                            "The %(state)s signature of %(name)s on consent "
                            "%(consent)s can no longer change.",
                            state=dict(
                                self._fields["state"]._description_selection(self.env)
                            )[line.state].lower(),
                            name=line.partner_id.name,
                            consent=line.consent_id.name,
                        )
                    )
        return super().write(vals)

    @api.ondelete(at_uninstall=True)
    def _unlink_except_signed(self):
        if module_uninstalling(self.env):
            return
        for line in self:
            if (
                not self.env.su
                or line.state != "pending"
                or line.consent_id.state not in ("draft", "sent")
            ):
                raise UserError(
                    self.env._(
                        "The signature of %(name)s on consent %(consent)s is part "
                        "of the record and cannot be deleted. The signers change "
                        "only when the request is prepared again.",
                        name=line.partner_id.name,
                        consent=line.consent_id.name,
                    )
                )

    # ------------------------------------------------------------------
    # Who may answer, and the personal link
    # ------------------------------------------------------------------

    def _psy_check_may_answer(self, consent):
        """The line is one of ``consent`` that still has to answer, and the
        caller may change it (access rights and record rules: a psychologist
        answers only for the consents of her patients). Returns the line."""
        self.ensure_one()
        if self.consent_id != consent or self.state != "pending":
            raise UserError(
                self.env._(
                    "%(name)s is not a signer of consent %(consent)s who still "
                    "has to answer. Choose one of the people listed on the "
                    "consent.",
                    name=self.partner_id.name,
                    consent=consent.name,
                )
            )
        self.check_access("write")
        return self

    def _psy_office_signer_sudo(self, consent):
        """The line, as superuser, for a signature in the office: the caller
        may change the consent and the line (checked first)."""
        consent.check_access("write")
        return self._psy_check_may_answer(consent).sudo()

    def _psy_signer_token(self):
        """Personal link token of the signer, created on first use.

        Only who may change the consent (to send it) reads the token: it is
        then read and written as superuser, being a field of the system
        group."""
        self.ensure_one()
        self.consent_id.check_access("write")
        return self.sudo()._ensure_token()

    def _ensure_token(self):
        """Personal link token of the signer (superuser record, see
        :meth:`_psy_signer_token`)."""
        self.ensure_one()
        if not self.access_token:
            self.access_token = str(uuid.uuid4())
        return self.access_token

    # ------------------------------------------------------------------
    # Signature
    # ------------------------------------------------------------------

    @api.model
    def _psy_check_signature_name(self, name):
        """The typed full name, stripped; a UserError when it is missing, not
        text, or too long."""
        if not isinstance(name, str) or not name.strip():
            raise UserError(self.env._("Type the full name of the person who signs."))
        if len(name) > MAX_NAME_LENGTH:
            raise UserError(
                self.env._(
                    "The full name is too long (more than %(count)s characters). "
                    "Type the name as it appears on the identity document.",
                    count=MAX_NAME_LENGTH,
                )
            )
        return name.strip()

    @api.model
    def _psy_check_signature_image(self, signature):
        """The drawn signature as base64 bytes, once checked to be a PNG or
        JPEG image that can be read; a UserError otherwise. Nothing is
        written before this check."""
        if not signature:
            raise UserError(self.env._("The signature is missing: sign in the box."))
        invalid = UserError(
            self.env._(
                "The signature could not be read as a drawn image (PNG or JPEG). "
                "Clear the box and sign again."
            )
        )
        if isinstance(signature, str):
            try:
                signature = signature.encode("ascii")
            except UnicodeEncodeError:
                raise invalid from None
        if not isinstance(signature, bytes):
            raise invalid
        if len(signature) > MAX_SIGNATURE_LENGTH:
            raise UserError(
                self.env._(
                    "The signature image is too large. Clear the box and sign again."
                )
            )
        try:
            raw = base64.b64decode(signature, validate=True)
        except (binascii.Error, ValueError):
            raise invalid from None
        try:
            image = binary_to_image(raw)
            if (image.format or "").upper() not in SIGNATURE_FORMATS:
                raise invalid
            width, height = image.size
            if width * height > MAX_SIGNATURE_PIXELS:
                raise invalid
            # verify() reads the whole file (truncated files, bad checksums);
            # the image must then be opened again to be decoded.
            image.verify()
            binary_to_image(raw).load()
        except UserError:
            raise invalid from None
        except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
            raise invalid from None
        return signature

    def _record_signature(
        self, name, signature, method, ip_address, user_agent, html_document=False
    ):
        """Store a signature and finish the consent when it is complete.

        ``self`` is a superuser record: the caller checked who signs (personal
        link on the portal, :meth:`_psy_office_signer_sudo` in the office).
        Everything is checked before anything is written."""
        self.ensure_one()
        consent = self.consent_id
        if consent.state not in ("draft", "sent"):
            raise UserError(
                self.env._(
                    "Consent %(name)s is %(state)s: it cannot be signed anymore.",
                    name=consent.name,
                    state=consent._state_label(),
                )
            )
        if self.state != "pending":
            raise UserError(
                self.env._(
                    "%(name)s has already answered this consent.",
                    name=self.partner_id.name,
                )
            )
        name = self._psy_check_signature_name(name)
        signature = self._psy_check_signature_image(signature)
        if method not in ("portal", "office"):
            raise UserError(self.env._("Sign on the portal or in the office."))
        self._psy_write_guarded(
            {
                "state": "signed",
                "signed_name": name,
                "signature": signature,
                "signed_on": consent._psy_now(),
                "method": method,
                "ip_address": (ip_address or "")[:64] or False,
                "user_agent": (user_agent or "")[:512] or False,
            }
        )
        methods = dict(self._fields["method"]._description_selection(self.env))
        consent.message_post(
            author_id=self.partner_id.id if method == "portal" else None,
            body=self.env._(
                "Signed by %(name)s (%(signer)s) - %(method)s.",
                name=self.signed_name,
                signer=self.display_name,
                method=methods[method],
            ),
            subtype_xmlid="mail.mt_note",
        )
        consent._after_signature(html_document=html_document)
        return True
