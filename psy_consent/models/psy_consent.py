import base64
import hashlib
import logging

from dateutil.relativedelta import relativedelta

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import file_open, format_date, format_datetime

from odoo.addons.base.models.ir_model import MODULE_UNINSTALL_FLAG

_logger = logging.getLogger(__name__)

# Requests that can still be signed or refused.
OPEN_STATES = ("draft", "sent")
# States of a consent that was signed at some point.
SIGNED_STATES = ("signed", "revoked", "expired", "superseded")

# Set by the signature process only: writable in superuser mode, after the
# method that writes them has checked the access of the user itself.
SYSTEM_FIELDS = {
    "state",
    "body_html",
    "guardian_rule",
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
}
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

# Placeholders a consent template may use (``object.<field>``). They are plain
# text fields, so the template is rendered without evaluating any code.
PLACEHOLDER_FIELDS = (
    "patient_name",
    "patient_national_id",
    "patient_birthdate",
    "guardian_names",
    "professional_name",
    "professional_registration_number",
    "center_name",
    "center_address",
    "center_city",
    "consent_date",
)

MAX_REMINDERS = 3


class PsyConsent(models.Model):
    _name = "psy.consent"
    _description = "Patient consent"
    _inherit = ["portal.mixin", "mail.thread", "mail.activity.mixin"]
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

    # Placeholders of the consent text.
    patient_name = fields.Char(compute="_compute_placeholders")
    patient_national_id = fields.Char(
        string="Patient national ID", compute="_compute_placeholders"
    )
    patient_birthdate = fields.Char(
        string="Patient birth date", compute="_compute_placeholders"
    )
    guardian_names = fields.Char(compute="_compute_placeholders")
    professional_name = fields.Char(compute="_compute_placeholders")
    professional_registration_number = fields.Char(
        compute="_compute_placeholders",
    )
    center_name = fields.Char(compute="_compute_placeholders")
    center_address = fields.Char(compute="_compute_placeholders")
    center_city = fields.Char(compute="_compute_placeholders")
    consent_date = fields.Char(
        string="Date of the document", compute="_compute_placeholders"
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
    @api.depends_context("psy_today")
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

    @api.depends(
        "patient_id.name",
        "patient_id.national_id",
        "patient_id.birthdate",
        "patient_id.guardian_ids.partner_id.name",
        "professional_id.name",
        "professional_id.psy_registration_number",
        "company_id.name",
    )
    @api.depends_context("lang", "psy_today")
    def _compute_placeholders(self):
        today = self._psy_today()
        for consent in self:
            patient = consent.patient_id
            professional = consent.professional_id.sudo()
            company = consent.company_id.sudo()
            lang = consent._psy_render_lang()
            relationships = dict(
                self.env["psy.patient.guardian"]
                ._fields["relationship"]
                ._description_selection(self.env)
            )
            consent.patient_name = patient.name or ""
            consent.patient_national_id = patient.national_id or ""
            consent.patient_birthdate = (
                format_date(self.env, patient.birthdate, lang_code=lang)
                if patient.birthdate
                else ""
            )
            consent.guardian_names = ", ".join(
                f"{guardian.partner_id.name} ({relationships[guardian.relationship]})"
                for guardian in patient.sudo().guardian_ids
            )
            consent.professional_name = professional.name or ""
            consent.professional_registration_number = (
                professional.psy_registration_number or ""
            )
            consent.center_name = company.name or ""
            consent.center_address = ", ".join(
                part
                for part in (company.street, company.street2, company.zip, company.city)
                if part
            )
            consent.center_city = company.city or ""
            consent.consent_date = format_date(self.env, today, lang_code=lang)

    def mail_allowed_qweb_expressions(self):
        return super().mail_allowed_qweb_expressions() + tuple(
            f"object.{field}" for field in PLACEHOLDER_FIELDS
        )

    # ------------------------------------------------------------------
    # CRUD and immutability
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            for vals in vals_list:
                self._check_system_fields(vals, creating=True)
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
            if vals.get("name", self.env._("New")) == self.env._("New"):
                vals["name"] = (
                    self.env["ir.sequence"].next_by_code("psy.consent") or "/"
                )
        consents = super().create(vals_list)
        consents.sudo()._prepare_request()
        return consents

    def write(self, vals):
        if not self.env.context.get(MODULE_UNINSTALL_FLAG):
            if not self.env.su:
                self._check_system_fields(vals)
            self._check_immutable(vals)
        if vals.get("template_id") and "version_id" not in vals:
            template = self.env["psy.consent.template"].browse(vals["template_id"])
            vals["version_id"] = template.current_version_id.id
        res = super().write(vals)
        if {"patient_id", "template_id", "professional_id"} & set(vals):
            open_consents = self.filtered(lambda c: c.state in OPEN_STATES).sudo()
            open_consents._prepare_request()
        return res

    @api.model
    def _check_system_fields(self, vals, creating=False):
        fields_set = SYSTEM_FIELDS & set(vals)
        if creating:
            # A default value sent back by the form is harmless.
            fields_set = {
                fname
                for fname in fields_set
                if vals[fname] and not (fname == "state" and vals[fname] == "draft")
            }
        if fields_set:
            raise AccessError(
                self.env._(
                    "The status, signatures and signed document of a consent are "
                    "set by the signature process only (%(fields)s). Use the "
                    "buttons of the consent.",
                    fields=", ".join(sorted(fields_set)),
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

    @api.ondelete(at_uninstall=False)
    def _unlink_except_sent(self):
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

    def _psy_render_lang(self):
        """Language of the consent when it is installed, else the user's:
        the texts are written per language, the dates follow it."""
        self.ensure_one()
        installed = {code for code, __ in self.env["res.lang"].get_installed()}
        if self.lang in installed:
            return self.lang
        return self.env.lang if self.env.lang in installed else "en_US"

    def _portal_state_label(self):
        self.ensure_one()
        return dict(self._fields["state"]._description_selection(self.env))[self.state]

    # ------------------------------------------------------------------
    # Preparing a request: signers and text
    # ------------------------------------------------------------------

    def _prepare_request(self):
        """(Re)build signers and text of requests nobody has signed yet."""
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
                consent.write(
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

    def _render_body(self):
        """Fill the placeholders of the version's text, in the consent's
        language. The template was written by a template editor (see
        psy.consent.template.version), so rendering it as superuser is safe."""
        renderer = self.env["mail.render.mixin"].sudo()
        for consent in self:
            body = consent.version_id.body
            if not body:
                consent.body_html = False
                continue
            rendered = renderer.with_context(
                lang=consent._psy_render_lang()
            )._render_template(body, self._name, consent.ids, engine="qweb")
            consent.body_html = rendered[consent.id]

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
        self.sudo()._prepare_request()
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
        self.sudo().write({"state": "sent", "sent_date": self._psy_now()})
        return True

    def _pending_signers(self):
        return self.signature_ids.filtered(lambda s: s.state == "pending")

    def _send_to_signers(self, template_xmlid, signers):
        template = self.env.ref(template_xmlid, raise_if_not_found=False)
        if not template:
            return
        for signer in signers:
            signer.consent_id.with_context(
                psy_consent_signer_id=signer.id
            ).message_post_with_source(
                template,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )

    def _psy_current_signer(self):
        signer_id = self.env.context.get("psy_consent_signer_id")
        return self.signature_ids.filtered(lambda s: s.id == signer_id)

    def _psy_mail_partner_to(self):
        """Recipients of the request e-mail: the signer it is sent to."""
        self.ensure_one()
        signers = self._psy_current_signer() or self._pending_signers()
        return ",".join(str(pid) for pid in signers.partner_id.ids)

    def _psy_signer_url(self):
        """Absolute portal link of the signer the e-mail is sent to."""
        self.ensure_one()
        signer = self._psy_current_signer()
        return self.get_base_url() + self._get_signer_portal_path(signer)

    def _psy_signer_name(self):
        self.ensure_one()
        signer = self._psy_current_signer()
        return signer.partner_id.name or self.patient_id.partner_id.name

    def _get_signer_portal_path(self, signer=None):
        self.ensure_one()
        if signer:
            signer_sudo = signer.sudo()
            return self.get_portal_url(
                query_string=f"&signer_token={signer_sudo._ensure_token()}"
            )
        return self.get_portal_url()

    # ------------------------------------------------------------------
    # Signature, refusal, revocation
    # ------------------------------------------------------------------

    def _after_signature(self):
        """Finish the consents whose needed signers have all signed."""
        complete = self.filtered(lambda c: c.state in OPEN_STATES and c._is_complete())
        complete._finalize()

    def _finalize(self):
        now = self._psy_now()
        for consent in self.sudo():
            signed = consent.signature_ids.filtered(lambda s: s.state == "signed")
            last = signed.sorted(lambda s: (s.signed_on, s.id))[-1:]
            expiry = False
            months = consent.template_id.validity_months
            if months:
                expiry = fields.Date.to_date(now) + relativedelta(months=months)
            consent.write(
                {
                    "signed_date": now,
                    "sign_method": last.method,
                    "expiry_date": expiry,
                }
            )
            consent.signature_ids.filtered(lambda s: s.state == "pending").write(
                {"state": "skipped"}
            )
            attachment = consent._attach_signed_document()
            consent.write(
                {
                    "attachment_id": attachment.id,
                    "pdf_sha256": hashlib.sha256(attachment.raw).hexdigest(),
                    "state": "signed",
                }
            )
            consent._supersede_previous()
            # Portal signers may not link documents to messages: the system
            # posts the signed document then.
            poster = consent
            if not self.env.user._is_internal():
                poster = consent.with_user(SUPERUSER_ID)
            poster.message_post(
                body=self.env._(
                    "Consent signed by %(signers)s. Signed document attached "
                    "(SHA-256 %(hash)s).",
                    signers=", ".join(signed.partner_id.mapped("name")),
                    hash=consent.pdf_sha256,
                ),
                attachment_ids=attachment.ids,
                subtype_xmlid="mail.mt_note",
            )

    def _render_signed_document(self):
        """Render the signed consent: PDF, or HTML when no PDF engine is
        installed, for demo data, and in test mode (as Odoo's reports do)."""
        self.ensure_one()
        Report = self.env["ir.actions.report"].sudo()
        report = "psy_consent.action_report_psy_consent"
        if self.env.context.get("psy_consent_html_document"):
            content, report_format = Report._render_qweb_html(report, self.ids)
            return content.encode() if isinstance(content, str) else content, "html"
        try:
            content, report_format = Report._render_qweb_pdf(report, self.ids)
        except UserError:
            _logger.warning(
                "No PDF engine: consent %s is stored as an HTML document.", self.name
            )
            content, report_format = Report._render_qweb_html(report, self.ids)
        if isinstance(content, str):
            content = content.encode()
        return content, report_format

    def _attach_signed_document(self):
        self.ensure_one()
        content, report_format = self._render_signed_document()
        extension = "pdf" if report_format == "pdf" else "html"
        mimetype = "application/pdf" if extension == "pdf" else "text/html"
        filename = f"{self.name} - {self.type_id.name} - {self.patient_id.name}"
        return (
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

    def _supersede_previous(self):
        for consent in self:
            older = self.sudo().search(
                [
                    ("patient_id", "=", consent.patient_id.id),
                    ("type_id", "=", consent.type_id.id),
                    ("state", "=", "signed"),
                    ("id", "!=", consent.id),
                ]
            )
            if older:
                older.write(
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
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason of the refusal."))
        now = self._psy_now()
        consent = self.sudo()
        if signer:
            signer.sudo().write(
                {
                    "state": "refused",
                    "signed_on": now,
                    "method": channel,
                    "refusal_reason": reason,
                }
            )
        if signer and signer.role == "minor" and not signer.required:
            consent.message_post(
                body=self.env._(
                    "%(name)s did not accept the consent: %(reason)s",
                    name=refused_by,
                    reason=reason,
                ),
                subtype_xmlid="mail.mt_note",
            )
            consent._after_signature()
            return
        consent._pending_signers().write({"state": "skipped"})
        consent.write(
            {
                "state": "refused",
                "refusal_date": now,
                "refusal_reason": reason,
                "refused_by": refused_by,
            }
        )
        consent.message_post(
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
        if not (reason or "").strip():
            raise UserError(
                self.env._(
                    "Give the reason of the revocation, as stated by the patient."
                )
            )
        now = self._psy_now()
        self.sudo().write(
            {
                "state": "revoked",
                "revocation_date": now,
                "revocation_reason": reason,
                "revoked_by": revoked_by,
                "revocation_channel": channel,
            }
        )
        for consent in self.sudo():
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
        self.sudo()._prepare_request()
        return self.env["psy.consent.sign.wizard"]._action_open(self)

    def action_open_refuse(self):
        return self._open_reason_wizard("refuse")

    def action_open_revoke(self):
        return self._open_reason_wizard("revoke")

    def _open_reason_wizard(self, mode):
        self.ensure_one()
        titles = {
            "refuse": self.env._("Record a refusal"),
            "revoke": self.env._("Revoke consent"),
        }
        return {
            "type": "ir.actions.act_window",
            "name": titles[mode],
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
        consents = self.sudo().search([("version_id", "in", older_versions.ids)])
        to_renew = consents.filtered(
            lambda c: c.state == "signed"
            and not c.needs_renewal
            and c.company_id.psy_consent_renew_on_new_version
        )
        if to_renew:
            to_renew.write({"needs_renewal": True})
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
    def _missing_types(self, requests):
        """``requests``: list of (patient, consent types, moment). Returns the
        list of types missing for each request, with a single search."""
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

    @api.model
    def _demo_sign(self, consent_ids, partner_ids=None):
        """Demo data: sign pending requests in the office with a sample
        signature (the minor's acceptance first), optionally only by the given
        partners."""
        with file_open("psy_consent/static/src/img/demo_signature.png", "rb") as f:
            signature = base64.b64encode(f.read())
        # Demo documents are stored as HTML: while modules install no server
        # answers the PDF engine's requests for the report's style sheets.
        consents = (
            self.browse(consent_ids).sudo().with_context(psy_consent_html_document=True)
        )
        for consent in consents:
            lines = consent._pending_signers().sorted(
                lambda s: (s.role != "minor", s.sequence, s.id)
            )
            for line in lines:
                if partner_ids and line.partner_id.id not in partner_ids:
                    continue
                if consent.state not in OPEN_STATES:
                    break
                line._record_signature(
                    line.partner_id.name, signature, "office", False, False
                )

    # ------------------------------------------------------------------
    # Crons
    # ------------------------------------------------------------------

    @api.model
    def _cron_expire(self):
        today = self._psy_today()
        expired = self.search([("state", "=", "signed"), ("expiry_date", "<", today)])
        if expired:
            expired.sudo().write({"state": "expired"})
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
    def _cron_remind_unsigned(self):
        now = self._psy_now()
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
                consent.sudo().write(
                    {
                        "last_reminder_date": now,
                        "reminder_count": consent.reminder_count + 1,
                    }
                )

    @api.model
    def _cron_run(self):
        self._cron_expire()
        self._cron_remind_unsigned()
