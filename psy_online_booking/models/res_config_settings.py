from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    psy_booking_enabled = fields.Boolean(
        related="company_id.psy_booking_enabled", readonly=False
    )
    psy_booking_confirmation = fields.Selection(
        related="company_id.psy_booking_confirmation", readonly=False
    )
    psy_booking_buffer_minutes = fields.Integer(
        related="company_id.psy_booking_buffer_minutes", readonly=False
    )
    psy_booking_notice_hours = fields.Float(
        related="company_id.psy_booking_notice_hours", readonly=False
    )
    psy_booking_horizon_days = fields.Integer(
        related="company_id.psy_booking_horizon_days", readonly=False
    )
    psy_booking_step_minutes = fields.Integer(
        related="company_id.psy_booking_step_minutes", readonly=False
    )
    psy_booking_max_attempts = fields.Integer(
        related="company_id.psy_booking_max_attempts", readonly=False
    )
    psy_booking_throttle_minutes = fields.Integer(
        related="company_id.psy_booking_throttle_minutes", readonly=False
    )
    psy_booking_privacy_notice = fields.Html(
        related="company_id.psy_booking_privacy_notice", readonly=False
    )
