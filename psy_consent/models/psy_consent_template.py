from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.psy_patient.models.psy_guarded_mixin import module_uninstalling

# What the consents of the template take from it.
FROZEN_FIELDS = {"type_id", "lang_id", "company_id"}


class PsyConsentTemplate(models.Model):
    _name = "psy.consent.template"
    _description = "Consent template"
    _inherit = ["mail.thread"]
    _order = "type_id, lang_id, name, id"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    type_id = fields.Many2one(
        comodel_name="psy.consent.type",
        required=True,
        ondelete="restrict",
        index=True,
        tracking=True,
    )
    lang_id = fields.Many2one(
        comodel_name="res.lang",
        string="Language",
        required=True,
        ondelete="restrict",
        context={"active_test": False},
        default=lambda self: self.env["res.lang"]._lang_get(self.env.lang),
        tracking=True,
        help="Language of the text. Patients get the template of their "
        "language when there is one.",
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        string="Center",
        default=lambda self: self.env.company,
        index=True,
        help="Leave empty to share the template between all centers.",
    )
    active = fields.Boolean(default=True, tracking=True)
    validity_months = fields.Integer(
        string="Valid for (months)",
        default=0,
        tracking=True,
        help="A signed consent expires after this number of months and must "
        "be signed again. 0: valid until revoked.",
    )
    version_ids = fields.One2many(
        comodel_name="psy.consent.template.version",
        inverse_name="template_id",
        string="Versions",
        copy=False,
    )
    current_version_id = fields.Many2one(
        comodel_name="psy.consent.template.version",
        string="Current version",
        compute="_compute_current_version_id",
        store=True,
        help="Latest published version: new requests use it.",
    )
    version_count = fields.Integer(compute="_compute_version_count")
    consent_count = fields.Integer(compute="_compute_consent_count")

    _sql_constraints = [
        (
            "validity_months_positive",
            "CHECK(validity_months >= 0)",
            "The validity of a consent cannot be negative.",
        ),
    ]

    @api.depends("version_ids.state", "version_ids.number")
    def _compute_current_version_id(self):
        for template in self:
            published = template.version_ids.filtered(lambda v: v.state == "published")
            template.current_version_id = published.sorted("number")[-1:]

    @api.depends("version_ids")
    def _compute_version_count(self):
        for template in self:
            template.version_count = len(template.version_ids)

    def _compute_consent_count(self):
        counts = dict(
            self.env["psy.consent"]._read_group(
                [("template_id", "in", self.ids)], ["template_id"], ["__count"]
            )
        )
        for template in self:
            template.consent_count = counts.get(template, 0)

    @api.constrains("type_id", "lang_id", "company_id", "active")
    def _check_one_per_language(self):
        for template in self.filtered("active"):
            duplicate = self.search(
                [
                    ("id", "!=", template.id),
                    ("type_id", "=", template.type_id.id),
                    ("lang_id", "=", template.lang_id.id),
                    ("company_id", "=", template.company_id.id),
                ],
                limit=1,
            )
            if duplicate:
                raise ValidationError(
                    self.env._(
                        "There is already an active %(type)s template in "
                        "%(lang)s: %(other)s. Add a new version to it instead of "
                        "creating another template, or archive it first.",
                        type=template.type_id.name,
                        lang=template.lang_id.name,
                        other=duplicate.name,
                    )
                )

    def write(self, vals):
        if FROZEN_FIELDS & set(vals):
            self._check_not_answered()
        return super().write(vals)

    def _check_not_answered(self):
        """The type, language and center of a template are those of the
        consents answered on it: they no longer change once someone signed
        or refused one (the consent's type and center follow the template)."""
        self.check_access("write")
        # Consents of every center count, also those the editor may not read.
        if self.env["psy.consent"]._psy_answered_exists(
            [("template_id", "in", self.ids)]
        ):
            raise UserError(
                self.env._(
                    "Consents were signed or refused on this template: its type, "
                    "language and center can no longer change. Archive it and "
                    "create a new template instead."
                )
            )

    @api.ondelete(at_uninstall=True)
    def _unlink_except_used(self):
        """Odoo checked that the caller may delete the templates before this
        hook; the consents of every center are counted, also those the
        editor may not read."""
        if module_uninstalling(self.env):
            return
        if (
            self.env["psy.consent"]
            .sudo()
            .search_count([("template_id", "in", self.ids)], limit=1)
        ):
            raise UserError(
                self.env._(
                    "Consents were requested with this template: it cannot be "
                    "deleted. Archive it instead."
                )
            )

    def action_new_version(self):
        """Start a draft version from the text of the latest one."""
        self.ensure_one()
        draft = self.version_ids.filtered(lambda v: v.state == "draft")[:1]
        if not draft:
            latest = self.version_ids.sorted("number")[-1:]
            draft = self.env["psy.consent.template.version"].create(
                {"template_id": self.id, "body": latest.body or False}
            )
        return draft._get_form_action()

    def action_view_versions(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Versions"),
            "res_model": "psy.consent.template.version",
            "view_mode": "list,form",
            "domain": [("template_id", "=", self.id)],
            "context": {"default_template_id": self.id},
        }

    def action_view_consents(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "psy_consent.psy_consent_action"
        )
        action["domain"] = [("template_id", "=", self.id)]
        action["context"] = {}
        return action

    @api.model
    def _find_for(self, consent_type, patient):
        """Template of ``consent_type`` for ``patient``: the patient's language,
        else the center's, else any; a template of the center before a shared
        one."""
        templates = self.search(
            [
                ("type_id", "=", consent_type.id),
                ("current_version_id", "!=", False),
                ("company_id", "in", [False, patient.company_id.id]),
            ]
        )
        langs = [patient.lang, patient.company_id.partner_id.lang, self.env.lang]

        def rank(template):
            lang = template.lang_id.code
            return (
                langs.index(lang) if lang in langs else len(langs),
                0 if template.company_id else 1,
                template.id,
            )

        return templates.sorted(rank)[:1]
