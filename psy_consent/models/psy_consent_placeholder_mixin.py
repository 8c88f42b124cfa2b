from odoo import api, fields, models
from odoo.tools import format_date

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

# What the placeholders are read from, on the model that uses the mixin.
PLACEHOLDER_DEPENDS = (
    "patient_id.name",
    "patient_id.national_id",
    "patient_id.birthdate",
    "patient_id.guardian_ids.partner_id.name",
    "professional_id.name",
    "professional_id.psy_registration_number",
    "company_id.name",
)


class PsyConsentPlaceholderMixin(models.AbstractModel):
    """The placeholders of a consent text and its rendering.

    The model that uses it has ``patient_id`` (psy.patient), ``professional_id``
    (res.users), ``company_id``, ``lang`` and ``version_id`` (the version whose
    ``body`` is rendered) and a ``body_html`` field that receives the text.
    """

    _name = "psy.consent.placeholder.mixin"
    _description = "Placeholders of a consent text"

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

    @api.depends(lambda self: () if self._abstract else PLACEHOLDER_DEPENDS)
    @api.depends_context("lang")
    def _compute_placeholders(self):
        today = self.env["psy.patient"]._psy_today()
        relationships = dict(
            self.env["psy.patient.guardian"]
            ._fields["relationship"]
            ._description_selection(self.env)
        )
        for record in self:
            patient = record.patient_id
            professional, company, guardians = record._psy_placeholder_sources()
            lang = record._psy_render_lang()
            record.patient_name = patient.name or ""
            record.patient_national_id = patient.national_id or ""
            record.patient_birthdate = (
                format_date(self.env, patient.birthdate, lang_code=lang)
                if patient.birthdate
                else ""
            )
            record.guardian_names = ", ".join(
                f"{guardian.partner_id.name} ({relationships[guardian.relationship]})"
                for guardian in guardians
            )
            record.professional_name = professional.name or ""
            record.professional_registration_number = (
                professional.psy_registration_number or ""
            )
            record.center_name = company.name or ""
            record.center_address = ", ".join(
                part
                for part in (company.street, company.street2, company.zip, company.city)
                if part
            )
            record.center_city = company.city or ""
            record.consent_date = format_date(self.env, today, lang_code=lang)

    def _psy_placeholder_sources(self):
        """The professional, the center and the guardians named in the text.

        The caller may read the consent (checked here); the professional's
        registration number, the center's address and the guardians are then
        read as superuser, since a signer on the portal reads none of them
        otherwise."""
        self.ensure_one()
        self.check_access("read")
        return (
            self.professional_id.sudo(),
            self.company_id.sudo(),
            self.patient_id.sudo().guardian_ids,
        )

    def mail_allowed_qweb_expressions(self):
        return super().mail_allowed_qweb_expressions() + tuple(
            f"object.{field}" for field in PLACEHOLDER_FIELDS
        )

    def _psy_render_lang(self):
        """Language of the consent when it is installed, else the user's:
        the texts are written per language, the dates follow it."""
        self.ensure_one()
        installed = {code for code, __ in self.env["res.lang"].get_installed()}
        if self.lang in installed:
            return self.lang
        return self.env.lang if self.env.lang in installed else "en_US"

    def _render_body(self):
        """Fill the placeholders of the version's text, in the consent's
        language.

        Only those who may change the consent render its text (checked
        first). The template was written by a template editor (see
        psy.consent.template.version), so rendering it as superuser is safe."""
        self.check_access("write")
        renderer = self.env["mail.render.mixin"].sudo()
        for record in self:
            body = record.version_id.body
            rendered = False
            if body:
                rendered = renderer.with_context(
                    lang=record._psy_render_lang()
                )._render_template(body, record._name, record.ids, engine="qweb")[
                    record.id
                ]
            record._psy_write_guarded({"body_html": rendered})
