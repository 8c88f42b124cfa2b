import uuid

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.base.models.ir_model import MODULE_UNINSTALL_FLAG

# Written by the signature process only (in superuser mode, after checks).
SIGNATURE_FIELDS = {
    "state",
    "signed_name",
    "signature",
    "signed_on",
    "method",
    "ip_address",
    "user_agent",
    "refusal_reason",
}


class PsyConsentSignature(models.Model):
    _name = "psy.consent.signature"
    _description = "Consent signer"
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

    def _ensure_token(self):
        """Personal link token of the signer (sudo record expected)."""
        self.ensure_one()
        if not self.access_token:
            self.access_token = str(uuid.uuid4())
        return self.access_token

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            for vals in vals_list:
                locked = {
                    f for f in SIGNATURE_FIELDS & set(vals) if vals[f] and f != "state"
                }
                if locked or vals.get("state", "pending") != "pending":
                    raise AccessError(
                        self.env._(
                            "Signatures are recorded by the signature process "
                            "only. Use the Sign buttons of the consent."
                        )
                    )
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.context.get(MODULE_UNINSTALL_FLAG):
            if SIGNATURE_FIELDS & set(vals) and not self.env.su:
                raise AccessError(
                    self.env._(
                        "Signatures are recorded by the signature process only. "
                        "Use the Sign buttons of the consent."
                    )
                )
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

    @api.ondelete(at_uninstall=False)
    def _unlink_except_signed(self):
        for line in self:
            if line.state != "pending" or line.consent_id.state not in (
                "draft",
                "sent",
            ):
                raise UserError(
                    self.env._(
                        "The signature of %(name)s on consent %(consent)s is part "
                        "of the record and cannot be deleted.",
                        name=line.partner_id.name,
                        consent=line.consent_id.name,
                    )
                )

    def _record_signature(self, name, signature, method, ip_address, user_agent):
        """Store a signature (sudo record, access checked by the caller) and
        finish the consent when it is complete."""
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
        if not (name or "").strip():
            raise UserError(self.env._("Type the full name of the person who signs."))
        if not signature:
            raise UserError(self.env._("The signature is missing: sign in the box."))
        self.write(
            {
                "state": "signed",
                "signed_name": name.strip(),
                "signature": signature,
                "signed_on": consent._psy_now(),
                "method": method,
                "ip_address": ip_address or False,
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
        consent._after_signature()
        return True
