from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    psy_consent_type_ids = fields.Many2many(
        related="company_id.psy_consent_type_ids",
        readonly=False,
    )
    psy_consent_online_type_ids = fields.Many2many(
        related="company_id.psy_consent_online_type_ids",
        readonly=False,
    )
    psy_consent_gate_booking = fields.Boolean(
        related="company_id.psy_consent_gate_booking",
        readonly=False,
    )
    psy_consent_renew_on_new_version = fields.Boolean(
        related="company_id.psy_consent_renew_on_new_version",
        readonly=False,
    )
    psy_consent_guardians = fields.Selection(
        related="company_id.psy_consent_guardians",
        readonly=False,
    )
    psy_consent_minor_hearing_age = fields.Integer(
        related="company_id.psy_consent_minor_hearing_age",
        readonly=False,
    )
    psy_consent_minor_hearing_required = fields.Boolean(
        related="company_id.psy_consent_minor_hearing_required",
        readonly=False,
    )
    psy_consent_reminder_days = fields.Integer(
        related="company_id.psy_consent_reminder_days",
        readonly=False,
    )
    psy_consent_expiry_warning_days = fields.Integer(
        related="company_id.psy_consent_expiry_warning_days",
        readonly=False,
    )
