from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.psy_patient.models.psy_guarded_mixin import module_uninstalling

# Fields of a published version that never change again, whoever writes.
PUBLISHED_LOCKED_FIELDS = {
    "template_id",
    "number",
    "body",
    "state",
    "published_date",
    "published_by_id",
}
# Set by publishing only (``_publish``): refused on create and write by anyone
# but the superuser, whatever the context.
GUARDED_FIELDS = {"state", "published_date", "published_by_id"}


class PsyConsentTemplateVersion(models.Model):
    _name = "psy.consent.template.version"
    _description = "Consent template version"
    _inherit = ["psy.guarded.mixin"]
    _order = "template_id, number desc"

    template_id = fields.Many2one(
        comodel_name="psy.consent.template",
        required=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(related="template_id.company_id", store=True)
    type_id = fields.Many2one(related="template_id.type_id", store=True)
    lang_id = fields.Many2one(related="template_id.lang_id")
    number = fields.Integer(
        string="Version",
        readonly=True,
        copy=False,
    )
    body = fields.Html(
        string="Text",
        sanitize="email_outgoing",
        help="Text of the consent. Placeholders are replaced when the consent "
        "is prepared for a patient.",
    )
    state = fields.Selection(
        selection=[("draft", "Draft"), ("published", "Published")],
        string="Status",
        default="draft",
        required=True,
        readonly=True,
        copy=False,
    )
    published_date = fields.Datetime(readonly=True, copy=False)
    published_by_id = fields.Many2one(
        comodel_name="res.users", string="Published by", readonly=True, copy=False
    )
    change_note = fields.Text(
        string="What changed",
        help="Short description of the changes from the previous version.",
    )
    is_current = fields.Boolean(
        string="Current", compute="_compute_is_current", store=False
    )
    consent_count = fields.Integer(compute="_compute_consent_count")

    _sql_constraints = [
        (
            "template_number_unique",
            "UNIQUE(template_id, number)",
            "Each version number is used once per template.",
        ),
    ]

    @api.depends("template_id.name", "number")
    def _compute_display_name(self):
        for version in self:
            version.display_name = self.env._(
                "%(template)s - version %(number)s",
                template=version.template_id.name or "",
                number=version.number,
            )

    @api.depends("template_id.current_version_id")
    def _compute_is_current(self):
        for version in self:
            version.is_current = version.template_id.current_version_id == version

    def _compute_consent_count(self):
        counts = dict(
            self.env["psy.consent"]._read_group(
                [("version_id", "in", self.ids)], ["version_id"], ["__count"]
            )
        )
        for version in self:
            version.consent_count = counts.get(version, 0)

    @api.model_create_multi
    def create(self, vals_list):
        next_numbers = {}
        if not self.env.su and any(vals.get("number") for vals in vals_list):
            raise UserError(
                self.env._(
                    "Version numbers are given in order when a version is "
                    "created: leave the number empty."
                )
            )
        for vals in vals_list:
            template_id = vals.get("template_id")
            if template_id and not vals.get("number"):
                if template_id not in next_numbers:
                    template = self.env["psy.consent.template"].browse(template_id)
                    next_numbers[template_id] = (
                        max(template.version_ids.mapped("number") or [0]) + 1
                    )
                vals["number"] = next_numbers[template_id]
                next_numbers[template_id] += 1
        versions = super().create(vals_list)
        versions._check_body_placeholders()
        return versions

    @api.model
    def _psy_guarded_fields(self):
        return super()._psy_guarded_fields() | GUARDED_FIELDS

    @api.model
    def _psy_guarded_initial_values(self):
        return {**super()._psy_guarded_initial_values(), "state": ("draft",)}

    @api.model
    def _psy_guard_error(self, field_names):
        return AccessError(
            self.env._(
                "A version of a consent template is published with its Publish "
                "button only. Use it instead of changing the status or the "
                "publication date."
            )
        )

    def write(self, vals):
        if not self.env.su and "number" in vals:
            raise UserError(
                self.env._(
                    "Version numbers are given in order when a version is "
                    "created: they cannot be changed."
                )
            )
        if PUBLISHED_LOCKED_FIELDS & set(vals):
            for version in self.filtered(lambda v: v.state == "published"):
                raise UserError(
                    self.env._(
                        "Version %(number)s of %(template)s is published: its "
                        "text can no longer change because patients may have "
                        "signed it. Create a new version instead.",
                        number=version.number,
                        template=version.template_id.name,
                    )
                )
        res = super().write(vals)
        if "body" in vals:
            self._check_body_placeholders()
        return res

    @api.ondelete(at_uninstall=True)
    def _unlink_except_published(self):
        if module_uninstalling(self.env):
            return
        for version in self:
            if version.state == "published":
                raise UserError(
                    self.env._(
                        "Version %(number)s of %(template)s is published: it "
                        "cannot be deleted. Publish a new version to replace it.",
                        number=version.number,
                        template=version.template_id.name,
                    )
                )

    def _check_body_placeholders(self):
        """Placeholders other than the consent ones run code when rendered:
        only template editors may write them, as for e-mail templates."""
        if self.env.su or self.env.user.has_group("mail.group_mail_template_editor"):
            return
        render = self.env["mail.render.mixin"]
        for version in self:
            if render._has_unsafe_expression_template_qweb(version.body, "psy.consent"):
                raise AccessError(
                    self.env._(
                        "The text of %(version)s uses an expression that is not "
                        "one of the consent placeholders. Only members of the "
                        "group %(group)s may write such expressions.",
                        version=version.display_name,
                        group=self.env.ref("mail.group_mail_template_editor").name,
                    )
                )

    def _get_form_action(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
        }

    def action_publish(self):
        """Publish draft versions. Signed consents of older versions stay
        signed; when the center says so they are flagged for renewal. Requests
        nobody has signed yet move to the new text."""
        self.check_access("write")
        for version in self.sorted("number"):
            if version.state != "draft":
                raise UserError(
                    self.env._(
                        "%(version)s is already published.",
                        version=version.display_name,
                    )
                )
            if not version.body or not version.body.striptags().strip():
                raise UserError(
                    self.env._(
                        "%(version)s has no text. Write the consent before "
                        "publishing it.",
                        version=version.display_name,
                    )
                )
            template = version.template_id
            previous = template.current_version_id
            if previous and previous.number > version.number:
                raise UserError(
                    self.env._(
                        "A newer version of %(template)s is already published. "
                        "Delete this draft and start a new version.",
                        template=template.name,
                    )
                )
            version._publish()
        return True

    def _publish(self):
        """Publish one checked draft version (see :meth:`action_publish`)."""
        self.ensure_one()
        self._psy_write_guarded(
            {
                "state": "published",
                "published_date": fields.Datetime.now(),
                "published_by_id": self.env.uid,
            }
        )
        older = self.template_id.version_ids.filtered(lambda v: v.number < self.number)
        if older:
            self.env["psy.consent"]._on_new_version(older, self)
