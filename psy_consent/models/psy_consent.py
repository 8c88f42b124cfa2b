from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_date, format_datetime

from odoo.addons.psy_patient.models.psy_guarded_mixin import module_uninstalling

# Requests that can still be signed or refused.
OPEN_STATES = ("draft", "sent")
# States of a consent that was signed at some point.
SIGNED_STATES = ("signed", "revoked", "expired", "superseded")

# Set by the actions only (signature, sending, refusal, revocation, crons):
# refused on create/write by anyone but the superuser, whatever the context;
# the actions write them through ``_psy_write_guarded``.
GUARDED_FIELDS = {
    "state",
    "body_html",
    "guardian_rule",
    "signature_ids",
    "signed_date",
    "sign_method",
    "attachment_id",
    "pdf_sha256",
    "sent_date",
    "last_reminder_date",
    "reminder_count",
    "refusal_date",
    "refusal_reason",
    "refused_by",
    "revocation_date",
    "revocation_reason",
    "revoked_by",
    "revocation_channel",
    "superseded_date",
    "superseded_by_id",
    "expiry_date",
    "needs_renewal",
    # Related fields: writing them would change the patient's contact or
    # center, or the template's type, through the consent.
    "patient_partner_id",
    "company_id",
    "type_id",
    "lang",
    "version_number",
}
# Set by the request itself: the reference from its sequence, the version
# from the template.
SYSTEM_SET_FIELDS = {"name", "version_id"}
# What may still change once a consent is closed (signed, refused...).
CLOSED_WRITABLE_FIELDS = {
    "state",
    "revocation_date",
    "revocation_reason",
    "revoked_by",
    "revocation_channel",
    "superseded_date",
    "superseded_by_id",
    "needs_renewal",
    "last_reminder_date",
    "reminder_count",
    "access_token",
}
CLOSED_WRITABLE_PREFIXES = ("message_", "activity_", "website_message")
# The text of the consent and whom it concerns: frozen from the first signature.
TEXT_FIELDS = {
    "patient_id",
    "template_id",
    "version_id",
    "body_html",
    "professional_id",
}

MAX_REMINDERS = 3


class PsyConsent(models.Model):
    _name = "psy.consent"
    _description = "Patient consent"
    _inherit = [
        "psy.guarded.mixin",
        "psy.consent.placeholder.mixin",
        "psy.consent.document.mixin",
        "psy.consent.mail.mixin",
        "portal.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _order = "create_date desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Reference",
        readonly=True,
        copy=False,
        default=lambda self: self.env._("New"),
    )
    patient_id = fields.Many2one(
        comodel_name="psy.patient",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        ondelete="restrict",
    )
    patient_partner_id = fields.Many2one(
        related="patient_id.partner_id",
        string="Patient contact",
        store=True,
        index=True,
    )
    company_id = fields.Many2one(
        related="patient_id.company_id",
        store=True,
        index=True,
        string="Center",
    )
    template_id = fields.Many2one(
        comodel_name="psy.consent.template",
        required=True,
        tracking=True,
        ondelete="restrict",
        domain="[('current_version_id', '!=', False), "
        "('company_id', 'in', [False, company_id])]",
    )
    type_id = fields.Many2one(
        related="template_id.type_id", store=True, index=True, string="Type"
    )
    version_id = fields.Many2one(
        comodel_name="psy.consent.template.version",
        readonly=True,
        ondelete="restrict",
        help="Exact version of the text the patient reads and signs.",
    )
    version_number = fields.Integer(related="version_id.number", string="Version no.")
    lang = fields.Char(
        related="template_id.lang_id.code", string="Language code", store=True
    )
    professional_id = fields.Many2one(
        comodel_name="res.users",
        default=lambda self: self._default_professional_id(),
        domain=lambda self: [
            ("groups_id", "in", self.env.ref("psy_patient.group_psy_psychologist").ids),
        ],
        tracking=True,
        help="Psychologist named in the consent.",
    )
    state = fields.Selection(
        selection=[
            ("draft", "Draft"),
            ("sent", "Sent"),
            ("signed", "Signed"),
            ("refused", "Refused"),
            ("revoked", "Revoked"),
            ("expired", "Expired"),
            ("superseded", "Superseded"),
        ],
        string="Status",
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    body_html = fields.Html(
        string="Text",
        readonly=True,
        copy=False,
        help="The text of the version with the placeholders filled in; frozen "
        "from the first signature.",
    )
    guardian_rule = fields.Selection(
        selection=[("one", "One guardian"), ("both", "Every guardian")],
        string="Guardians who sign",
        readonly=True,
        copy=False,
        help="Center rule when the request was prepared: which guardians must "
        "sign for a minor.",
    )
    signature_ids = fields.One2many(
        comodel_name="psy.consent.signature",
        inverse_name="consent_id",
        string="Signers",
        readonly=True,
        copy=False,
    )
    signature_progress = fields.Char(
        string="Signatures", compute="_compute_signature_progress"
    )
    signed_date = fields.Datetime(string="Signed on", readonly=True, copy=False)
    sign_method = fields.Selection(
        selection=[("portal", "Portal"), ("office", "In office")],
        string="Signed",
        readonly=True,
        copy=False,
    )
    attachment_id = fields.Many2one(
        comodel_name="ir.attachment",
        string="Signed document",
        readonly=True,
        copy=False,
        ondelete="restrict",
    )
    pdf_sha256 = fields.Char(
        string="SHA-256",
        readonly=True,
        copy=False,
        help="Fingerprint of the signed document: recomputing it from the file "
        "proves the file was not altered.",
    )
    sent_date = fields.Datetime(string="Sent on", readonly=True, copy=False)
    last_reminder_date = fields.Datetime(readonly=True, copy=False)
    reminder_count = fields.Integer(readonly=True, copy=False)
    refusal_date = fields.Datetime(string="Refused on", readonly=True, copy=False)
    refusal_reason = fields.Text(readonly=True, copy=False)
    refused_by = fields.Char(readonly=True, copy=False)
    revocation_date = fields.Datetime(string="Revoked on", readonly=True, copy=False)
    revocation_reason = fields.Text(readonly=True, copy=False)
    revoked_by = fields.Char(readonly=True, copy=False)
    revocation_channel = fields.Selection(
        selection=[("portal", "Portal"), ("office", "In office")],
        string="Revoked",
        readonly=True,
        copy=False,
    )
    superseded_date = fields.Datetime(string="Superseded on", readonly=True, copy=False)
    superseded_by_id = fields.Many2one(
        comodel_name="psy.consent",
        string="Superseded by",
        readonly=True,
        copy=False,
        ondelete="set null",
    )
    expiry_date = fields.Date(
        string="Valid until",
        readonly=True,
        copy=False,
        help="Empty: valid until revoked.",
    )
    needs_renewal = fields.Boolean(
        readonly=True,
        copy=False,
        tracking=True,
        help="A newer version of the text was published after this consent was "
        "signed: ask the patient to sign the new one.",
    )
    is_expiring = fields.Boolean(
        string="Expiring soon",
        compute="_compute_is_expiring",
        search="_search_is_expiring",
    )

    # ------------------------------------------------------------------
    # Defaults and computes
    # ------------------------------------------------------------------

    @api.model
    def _default_professional_id(self):
        if self.env.user.has_group("psy_patient.group_psy_psychologist"):
            return self.env.user
        return self.env["res.users"]

    @api.model
    def _psy_now(self):
        return self.env["psy.session"]._psy_now()

    @api.model
    def _psy_today(self):
        return self.env["psy.patient"]._psy_today()

    def _compute_access_url(self):
        for consent in self:
            consent.access_url = f"/my/consents/{consent.id}"

    @api.depends("signature_ids.state", "signature_ids.required")
    def _compute_signature_progress(self):
        for consent in self:
            lines = consent.signature_ids
            needed = consent._needed_signature_count()
            signed = len(lines.filtered(lambda s: s.state == "signed"))
            consent.signature_progress = f"{min(signed, needed)} / {needed}"

    @api.depends("state", "expiry_date", "company_id.psy_consent_expiry_warning_days")
    def _compute_is_expiring(self):
        today = self._psy_today()
        for consent in self:
            days = consent.company_id.psy_consent_expiry_warning_days
            consent.is_expiring = bool(
                consent.state == "signed"
                and consent.expiry_date
                and consent.expiry_date <= today + relativedelta(days=days)
            )

    def _search_is_expiring(self, operator, value):
        if operator not in ("=", "!="):
            return NotImplemented
        today = self._psy_today()
        ids = []
        for company in self.env.companies:
            limit = today + relativedelta(days=company.psy_consent_expiry_warning_days)
            ids += self._search(
                [
                    ("company_id", "=", company.id),
                    ("state", "=", "signed"),
                    ("expiry_date", "!=", False),
                    ("expiry_date", "<=", limit),
                ]
            )
        positive = (operator == "=") == bool(value)
        return [("id", "in" if positive else "not in", ids)]

    # ------------------------------------------------------------------
    # Guarded fields, CRUD and immutability
    # ------------------------------------------------------------------

    def _psy_access_refusals(self):
        return {
            "read": self.env._(
                "You cannot open consents: only the front desk, the psychologists and "
                "the clinical director can."
            ),
            "write": self.env._(
                "You cannot change this consent: only the front desk, the clinical "
                "director and the psychologists who treat the patient can."
            ),
            "create": self.env._(
                "You cannot request consents: only the front desk, the clinical "
                "director and the psychologists who treat the patient can."
            ),
            "unlink": self.env._(
                "Nobody can delete a consent: it is kept as proof; revoke it instead."
            ),
        }

    @api.model
    def _psy_guarded_fields(self):
        return super()._psy_guarded_fields() | GUARDED_FIELDS

    @api.model
    def _psy_guarded_initial_values(self):
        return {**super()._psy_guarded_initial_values(), "state": ("draft",)}

    @api.model
    def _psy_guard_error(self, field_names):
        labels = ", ".join(
            sorted(
                self._fields[name]._description_string(self.env) for name in field_names
            )
        )
        return AccessError(
            self.env._(
                "The status, signatures and signed document of a consent are set "
                "by its buttons only (%(fields)s). Use Send by e-mail, Sign in "
                "the office, Record a refusal or Revoke instead.",
                fields=labels,
            )
        )

    @api.model
    def _psy_check_system_set_vals(self, vals, creating=False):
        """The reference comes from the sequence and the version from the
        template: nobody but the superuser sends them."""
        if self.env.su:
            return
        touched = SYSTEM_SET_FIELDS & set(vals)
        if creating:
            touched = {
                fname
                for fname in touched
                if vals[fname]
                and not (fname == "name" and vals[fname] == self.env._("New"))
            }
        if touched:
            raise self._psy_guard_error(touched)

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [dict(vals) for vals in vals_list]
        for vals in vals_list:
            self._psy_check_system_set_vals(vals, creating=True)
        Template = self.env["psy.consent.template"]
        for vals in vals_list:
            template = Template.browse(vals.get("template_id"))
            if template and not vals.get("version_id"):
                if not template.current_version_id:
                    raise UserError(
                        self.env._(
                            "The template %(template)s has no published version "
                            "yet. Publish its text before requesting consents.",
                            template=template.name,
                        )
                    )
                vals["version_id"] = template.current_version_id.id
            if vals.get("name", self.env._("New")) in (self.env._("New"), False):
                vals["name"] = (
                    self.env["ir.sequence"].next_by_code("psy.consent") or "/"
                )
        consents = super().create(vals_list)
        consents._psy_prepare_request()
        return consents

    def write(self, vals):
        vals = dict(vals)
        if not module_uninstalling(self.env):
            self._psy_check_system_set_vals(vals)
            self._check_immutable(vals)
        if vals.get("template_id") and "version_id" not in vals:
            template = self.env["psy.consent.template"].browse(vals["template_id"])
            vals["version_id"] = template.current_version_id.id
        res = super().write(vals)
        if {"patient_id", "template_id", "professional_id"} & set(vals):
            self.filtered(lambda c: c.state in OPEN_STATES)._psy_prepare_request()
        return res

    @api.model
    def _psy_answered_exists(self, domain):
        """Whether a consent of ``domain`` has been answered (signed, refused,
        or answered by one of its signers), in every center, also those the
        caller may not read. Only a yes or no comes back; the callers have
        checked that the user may change the record it protects."""
        return bool(
            self.sudo().search_count(
                [
                    *domain,
                    "|",
                    ("state", "not in", ("draft", "sent")),
                    ("signature_ids.state", "!=", "pending"),
                ],
                limit=1,
            )
        )

    def _check_immutable(self, vals):
        names = set(vals)
        closed_locked = {
            fname
            for fname in names
            if fname not in CLOSED_WRITABLE_FIELDS
            and not fname.startswith(CLOSED_WRITABLE_PREFIXES)
        }
        for consent in self:
            if consent.state not in OPEN_STATES and closed_locked:
                raise UserError(
                    self.env._(
                        "Consent %(name)s is %(state)s: its content can no longer "
                        "change. Request a new consent if something must be "
                        "corrected.",
                        name=consent.name,
                        state=consent._state_label(),
                    )
                )
            if TEXT_FIELDS & names and any(
                line.state != "pending" for line in consent.signature_ids
            ):
                raise UserError(
                    self.env._(
                        "Consent %(name)s has already been signed or refused by "
                        "someone: its text and the people it concerns can no "
                        "longer change. Request a new consent instead.",
                        name=consent.name,
                    )
                )

    @api.constrains("template_id", "version_id")
    def _check_version(self):
        for consent in self:
            if consent.version_id.template_id != consent.template_id:
                raise ValidationError(
                    self.env._(
                        "Consent %(name)s must use a published version of its "
                        "template %(template)s.",
                        name=consent.name,
                        template=consent.template_id.name,
                    )
                )
            if consent.version_id.state != "published":
                raise ValidationError(
                    self.env._(
                        "%(version)s is not published yet: consents can only "
                        "be requested on a published version.",
                        version=consent.version_id.display_name,
                    )
                )
            if (
                consent.state in OPEN_STATES
                and consent.version_id != consent.template_id.current_version_id
            ):
                raise ValidationError(
                    self.env._(
                        "Consent %(name)s must use the current version of its "
                        "template %(template)s.",
                        name=consent.name,
                        template=consent.template_id.name,
                    )
                )

    @api.ondelete(at_uninstall=True)
    def _unlink_except_sent(self):
        if module_uninstalling(self.env):
            return
        for consent in self:
            if consent.state != "draft" or consent.signature_ids.filtered(
                lambda s: s.state != "pending"
            ):
                raise UserError(
                    self.env._(
                        "Consent %(name)s has been sent or signed: it is part of "
                        "the patient's file and cannot be deleted. Revoke it or "
                        "let it be superseded instead.",
                        name=consent.name,
                    )
                )

    def _state_label(self):
        self.ensure_one()
        return dict(self._fields["state"]._description_selection(self.env))[
            self.state
        ].lower()

    def _portal_state_label(self):
        self.ensure_one()
        return dict(self._fields["state"]._description_selection(self.env))[self.state]

    # ------------------------------------------------------------------
    # Preparing a request: signers and text
    # ------------------------------------------------------------------

    def _psy_prepare_request(self):
        """(Re)build signers and text of the requests nobody has signed yet.

        The caller must be allowed to change the consents (checked first);
        the signer lines are then rebuilt as superuser, since nobody else
        creates or deletes them."""
        self.check_access("write")
        self.sudo()._prepare_request()

    def _prepare_request(self):
        """(Re)build signers and text of requests nobody has signed yet
        (superuser records: see :meth:`_psy_prepare_request`)."""
        for consent in self:
            if consent.state not in OPEN_STATES or any(
                line.state != "pending" for line in consent.signature_ids
            ):
                continue
            values = consent._signer_values()
            wanted = [(v["role"], v["partner_id"], v["required"]) for v in values]
            current = [
                (line.role, line.partner_id.id, line.required)
                for line in consent.signature_ids
            ]
            rule = consent.company_id.psy_consent_guardians
            if wanted != current or consent.guardian_rule != rule:
                consent.signature_ids.unlink()
                consent._psy_write_guarded(
                    {
                        "guardian_rule": rule,
                        "signature_ids": [fields.Command.create(v) for v in values],
                    }
                )
            consent._render_body()

    def _signer_values(self):
        """Who signs: the patient; for a minor the guardians (and, from the
        hearing age, the minor too)."""
        self.ensure_one()
        patient = self.patient_id
        company = self.company_id
        if not self.type_id or self.type_id._patient_signs_alone(patient):
            return [
                {
                    "role": "patient",
                    "partner_id": patient.partner_id.id,
                    "required": True,
                    "sequence": 1,
                }
            ]
        guardians = patient.guardian_ids
        if not guardians:
            raise UserError(
                self.env._(
                    "%(patient)s is a minor: the guardians sign the consent, but "
                    "none is registered. Add the parents or legal guardians on "
                    "the patient file first.",
                    patient=patient.name,
                )
            )
        both = company.psy_consent_guardians == "both"
        values = [
            {
                "role": "guardian",
                "guardian_id": guardian.id,
                "partner_id": guardian.partner_id.id,
                "required": both,
                "sequence": 10 + index,
            }
            for index, guardian in enumerate(guardians)
        ]
        hearing_age = company.psy_consent_minor_hearing_age
        if hearing_age and patient.birthdate and patient.age >= hearing_age:
            values.append(
                {
                    "role": "minor",
                    "partner_id": patient.partner_id.id,
                    "required": company.psy_consent_minor_hearing_required,
                    "sequence": 30,
                }
            )
        return values

    def _needed_signature_count(self):
        self.ensure_one()
        lines = self.signature_ids
        needed = len(lines.filtered("required"))
        if self.guardian_rule == "one" and lines.filtered(
            lambda s: s.role == "guardian"
        ):
            needed += 1
        return needed

    def _is_complete(self):
        self.ensure_one()
        lines = self.signature_ids
        if not lines:
            return False
        if any(line.state != "signed" for line in lines.filtered("required")):
            return False
        guardians = lines.filtered(lambda s: s.role == "guardian")
        if guardians and not any(line.state == "signed" for line in guardians):
            return False
        return True

    # ------------------------------------------------------------------
    # Sending
    # ------------------------------------------------------------------

    def action_send(self):
        self.check_access("write")
        for consent in self:
            if consent.state not in OPEN_STATES:
                raise UserError(
                    self.env._(
                        "Consent %(name)s is %(state)s: only draft or sent "
                        "requests can be sent.",
                        name=consent.name,
                        state=consent._state_label(),
                    )
                )
        self._psy_prepare_request()
        for consent in self:
            pending = consent._pending_signers()
            without_email = pending.filtered(lambda s: not s.partner_id.email)
            if without_email:
                raise UserError(
                    self.env._(
                        "These signers have no e-mail address: %(names)s. Add "
                        "it on the contact, or have the consent signed in the "
                        "office.",
                        names=", ".join(without_email.partner_id.mapped("name")),
                    )
                )
        for consent in self:
            consent._send_to_signers(
                "psy_consent.mail_template_consent_request",
                consent._pending_signers(),
            )
        self._psy_write_guarded({"state": "sent", "sent_date": self._psy_now()})
        return True

    def _pending_signers(self):
        return self.signature_ids.filtered(lambda s: s.state == "pending")

    # ------------------------------------------------------------------
    # Signature, refusal, revocation
    # ------------------------------------------------------------------

    def _after_signature(self, html_document=False):
        """Finish the consents whose needed signers have all signed."""
        complete = self.filtered(lambda c: c.state in OPEN_STATES and c._is_complete())
        complete._finalize(html_document=html_document)

    def _finalize(self, html_document=False):
        """Close complete requests: dates, skipped signers, the signed
        document and its fingerprint, then the older consents it replaces."""
        now = self._psy_now()
        for consent in self:
            signed = consent.signature_ids.filtered(lambda s: s.state == "signed")
            last = signed.sorted(lambda s: (s.signed_on, s.id))[-1:]
            expiry = False
            months = consent.template_id.validity_months
            if months:
                expiry = fields.Date.to_date(now) + relativedelta(months=months)
            consent._psy_write_guarded(
                {
                    "signed_date": now,
                    "sign_method": last.method,
                    "expiry_date": expiry,
                }
            )
            consent._pending_signers()._psy_write_guarded({"state": "skipped"})
            attachment, sha256 = consent._attach_signed_document(html_document)
            consent._psy_write_guarded(
                {
                    "attachment_id": attachment.id,
                    "pdf_sha256": sha256,
                    "state": "signed",
                }
            )
            consent._supersede_previous()
            consent._psy_post_signed_document(signed, attachment)

    def _supersede_previous(self):
        """Close the older signed consents of the same patient and type.

        Only a consent that has just been signed does so (checked first); the
        older ones, which a signer on the portal may not see, are then
        searched and closed as superuser."""
        for consent in self:
            if consent.state != "signed" or not consent.signed_date:
                raise UserError(
                    self.env._(
                        "Consent %(name)s is not signed: it replaces no other consent.",
                        name=consent.name,
                    )
                )
            older = self.sudo().search(
                [
                    ("patient_id", "=", consent.patient_id.id),
                    ("type_id", "=", consent.type_id.id),
                    ("state", "=", "signed"),
                    ("id", "!=", consent.id),
                ]
            )
            if older:
                older._psy_write_guarded(
                    {
                        "state": "superseded",
                        "superseded_date": consent.signed_date,
                        "superseded_by_id": consent.id,
                    }
                )
                for old in older:
                    old.message_post(
                        body=self.env._(
                            "Superseded by consent %(name)s.", name=consent.name
                        ),
                        subtype_xmlid="mail.mt_note",
                    )

    def _refuse(self, reason, refused_by, signer=None, channel="office"):
        """Record a refusal. The refusal of a guardian or of a needed signer
        refuses the consent; an optional acceptance refused is only noted."""
        self.ensure_one()
        if self.state not in OPEN_STATES:
            raise UserError(
                self.env._(
                    "Consent %(name)s is %(state)s: it can no longer be refused.",
                    name=self.name,
                    state=self._state_label(),
                )
            )
        if not isinstance(reason, str) or not reason.strip():
            raise UserError(self.env._("Give the reason of the refusal."))
        if signer:
            signer._psy_check_may_answer(self)
        now = self._psy_now()
        if signer:
            signer._psy_write_guarded(
                {
                    "state": "refused",
                    "signed_on": now,
                    "method": channel,
                    "refusal_reason": reason,
                }
            )
        if signer and signer.role == "minor" and not signer.required:
            self.message_post(
                body=self.env._(
                    "%(name)s did not accept the consent: %(reason)s",
                    name=refused_by,
                    reason=reason,
                ),
                subtype_xmlid="mail.mt_note",
            )
            self._after_signature()
            return
        self._pending_signers()._psy_write_guarded({"state": "skipped"})
        self._psy_write_guarded(
            {
                "state": "refused",
                "refusal_date": now,
                "refusal_reason": reason,
                "refused_by": refused_by,
            }
        )
        self.message_post(
            author_id=signer.partner_id.id if signer and channel == "portal" else None,
            body=self.env._(
                "Consent refused by %(name)s: %(reason)s",
                name=refused_by,
                reason=reason,
            ),
            subtype_xmlid="mail.mt_comment",
        )

    def _revoke(self, reason, revoked_by, channel="office"):
        for consent in self:
            if consent.state != "signed":
                raise UserError(
                    self.env._(
                        "Consent %(name)s is %(state)s: only a signed consent "
                        "can be revoked.",
                        name=consent.name,
                        state=consent._state_label(),
                    )
                )
        if not isinstance(reason, str) or not reason.strip():
            raise UserError(
                self.env._(
                    "Give the reason of the revocation, as stated by the patient."
                )
            )
        now = self._psy_now()
        self._psy_write_guarded(
            {
                "state": "revoked",
                "revocation_date": now,
                "revocation_reason": reason,
                "revoked_by": revoked_by,
                "revocation_channel": channel,
            }
        )
        for consent in self:
            consent.message_post(
                body=self.env._(
                    "Consent revoked by %(name)s on %(date)s: %(reason)s. It no "
                    "longer covers sessions from now on.",
                    name=revoked_by,
                    date=format_datetime(self.env, now, dt_format="short"),
                    reason=reason,
                ),
                subtype_xmlid="mail.mt_comment",
            )

    def action_sign_in_office(self):
        self.ensure_one()
        self.check_access("write")
        if self.state not in OPEN_STATES:
            raise UserError(
                self.env._(
                    "Consent %(name)s is %(state)s: it cannot be signed.",
                    name=self.name,
                    state=self._state_label(),
                )
            )
        self._psy_prepare_request()
        return self.env["psy.consent.sign.wizard"]._action_open(self)

    def action_open_refuse(self):
        self.ensure_one()
        return self._open_reason_wizard(self.env._("Record a refusal"), "refuse")

    def action_open_revoke(self):
        self.ensure_one()
        return self._open_reason_wizard(self.env._("Revoke consent"), "revoke")

    def _open_reason_wizard(self, title, mode):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": title,
            "res_model": "psy.consent.reason.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_consent_id": self.id, "default_mode": mode},
        }

    def action_download_document(self):
        self.ensure_one()
        if not self.attachment_id:
            raise UserError(
                self.env._(
                    "Consent %(name)s has no signed document yet.", name=self.name
                )
            )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self.attachment_id.id}?download=true",
            "target": "self",
        }

    def action_preview_portal(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": self.get_portal_url(),
            "target": "new",
        }

    # ------------------------------------------------------------------
    # New versions, validity and gating
    # ------------------------------------------------------------------

    @api.model
    def _on_new_version(self, older_versions, new_version):
        """A new version was published: flag signed consents for renewal and
        move requests nobody has answered to the new text.

        Only who may publish the version does so (checked first); the
        consents of the older versions are then searched and updated as
        superuser, since the publisher may not see every center's."""
        new_version.check_access("write")
        consents = self.sudo().search([("version_id", "in", older_versions.ids)])
        to_renew = consents.filtered(
            lambda c: c.state == "signed"
            and not c.needs_renewal
            and c.company_id.psy_consent_renew_on_new_version
        )
        if to_renew:
            to_renew._psy_write_guarded({"needs_renewal": True})
            for consent in to_renew:
                consent.message_post(
                    body=self.env._(
                        "Version %(number)s of the text was published: this "
                        "consent stays valid but should be renewed.",
                        number=new_version.number,
                    ),
                    subtype_xmlid="mail.mt_note",
                )
        untouched = consents.filtered(
            lambda c: c.state in OPEN_STATES
            and all(line.state == "pending" for line in c.signature_ids)
        )
        if untouched:
            untouched.write({"version_id": new_version.id})
            untouched._render_body()

    def _covers(self, moment):
        """The consent was signed and still valid at ``moment`` (a datetime):
        neither revoked, superseded nor expired before."""
        self.ensure_one()
        return bool(
            self.signed_date
            and (not self.revocation_date or self.revocation_date > moment)
            and (not self.superseded_date or self.superseded_date > moment)
            and (not self.expiry_date or self.expiry_date >= moment.date())
        )

    @api.model
    def _missing_types(self, requests, source):
        """``requests``: list of (patient, consent types, moment). Returns the
        list of types missing for each request, with a single search.

        ``source`` (the sessions or patients asking) must be readable by the
        caller (checked first); the consents are then searched as superuser,
        since staff without access to consents (billing) read the answer too.
        Only the missing types are returned."""
        source._origin.check_access("read")
        patients = self.env["psy.patient"].browse()
        types = self.env["psy.consent.type"].browse()
        for patient, needed, __ in requests:
            patients |= patient
            types |= needed
        consents = self.browse()
        if patients and types:
            consents = (
                self.sudo()
                .with_context(active_test=False)
                .search(
                    [
                        ("patient_id", "in", patients.ids),
                        ("type_id", "in", types.ids),
                        ("signed_date", "!=", False),
                    ]
                )
            )
        by_patient = consents.grouped("patient_id")
        result = []
        for patient, needed, moment in requests:
            own = by_patient.get(patient, self.browse())
            covered = own.filtered(lambda c, moment=moment: c._covers(moment)).type_id
            result.append(needed - covered)
        return result

    # ------------------------------------------------------------------
    # Crons
    # ------------------------------------------------------------------

    @api.model
    def _cron_expire(self, today=None):
        """Close the signed consents whose validity ended before ``today``
        (default: today in the center's time zone)."""
        today = today or self._psy_today()
        expired = self.search([("state", "=", "signed"), ("expiry_date", "<", today)])
        if expired:
            expired._psy_write_guarded({"state": "expired"})
            for consent in expired:
                consent.message_post(
                    body=self.env._(
                        "Consent expired on %(date)s: ask the patient to sign it "
                        "again.",
                        date=format_date(self.env, consent.expiry_date),
                    ),
                    subtype_xmlid="mail.mt_note",
                )

    @api.model
    def _cron_remind_unsigned(self, now=None):
        """Remind the signers of requests sent long enough before ``now``
        (default: the current time)."""
        now = now or self._psy_now()
        for company in self.env["res.company"].search(
            [("psy_consent_reminder_days", ">", 0)]
        ):
            limit = now - relativedelta(days=company.psy_consent_reminder_days)
            consents = self.search(
                [
                    ("company_id", "=", company.id),
                    ("state", "=", "sent"),
                    ("reminder_count", "<", MAX_REMINDERS),
                    "|",
                    "&",
                    ("last_reminder_date", "=", False),
                    ("sent_date", "<=", limit),
                    ("last_reminder_date", "<=", limit),
                ]
            )
            for consent in consents:
                signers = consent._pending_signers().filtered(
                    lambda s: s.partner_id.email
                )
                consent._send_to_signers(
                    "psy_consent.mail_template_consent_reminder", signers
                )
                consent._psy_write_guarded(
                    {
                        "last_reminder_date": now,
                        "reminder_count": consent.reminder_count + 1,
                    }
                )

    @api.model
    def _cron_run(self):
        self._cron_expire()
        self._cron_remind_unsigned()
