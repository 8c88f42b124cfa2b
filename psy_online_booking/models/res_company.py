from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    psy_booking_enabled = fields.Boolean(
        string="Online booking",
        help="Patients and visitors can book sessions of this center on the "
        "public booking page (/booking).",
    )
    psy_booking_confirmation = fields.Selection(
        selection=[
            ("auto", "Logged-in patients book directly"),
            ("request", "The front desk confirms every booking"),
        ],
        string="Online booking confirmation",
        default="request",
        required=True,
        help="Logged-in patients may get their session at once, or every "
        "booking may wait for the front desk. Visitors who are not logged in "
        "always send a request that the front desk confirms.",
    )
    psy_booking_buffer_minutes = fields.Integer(
        string="Buffer between sessions",
        default=10,
        help="Minutes kept free before and after every session of a "
        "professional when offering online slots.",
    )
    psy_booking_notice_hours = fields.Float(
        string="Minimum notice",
        default=24.0,
        help="Online slots start at least this many hours from now.",
    )
    psy_booking_horizon_days = fields.Integer(
        string="Booking horizon",
        default=28,
        help="How many days ahead online slots are offered.",
    )
    psy_booking_step_minutes = fields.Integer(
        string="Slot step",
        default=30,
        help="Minutes between two possible start times in the working hours.",
    )
    psy_booking_max_attempts = fields.Integer(
        string="Submissions allowed",
        default=5,
        help="Most booking submissions accepted from one connection (address "
        "or browser session) within the throttling window.",
    )
    psy_booking_throttle_minutes = fields.Integer(
        string="Throttling window",
        default=60,
        help="Minutes over which the submissions of one connection are counted.",
    )
    psy_booking_privacy_notice = fields.Html(
        string="Data-protection notice",
        translate=True,
        sanitize=True,
        help="Shown on the booking page; the visitor must accept it to book.",
    )

    _sql_constraints = [
        (
            "psy_booking_buffer_positive",
            "CHECK(psy_booking_buffer_minutes >= 0)",
            "The buffer between sessions cannot be negative.",
        ),
        (
            "psy_booking_notice_positive",
            "CHECK(psy_booking_notice_hours >= 0)",
            "The minimum notice cannot be negative.",
        ),
        (
            "psy_booking_horizon_positive",
            "CHECK(psy_booking_horizon_days > 0)",
            "The booking horizon must be at least one day.",
        ),
        (
            "psy_booking_step_positive",
            "CHECK(psy_booking_step_minutes >= 5)",
            "The slot step must be at least 5 minutes.",
        ),
        (
            "psy_booking_attempts_positive",
            "CHECK(psy_booking_max_attempts > 0 AND psy_booking_throttle_minutes > 0)",
            "The throttling needs at least one submission over at least one minute.",
        ),
    ]
