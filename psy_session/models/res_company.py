from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    psy_late_cancel_hours = fields.Float(
        string="Late cancellation window",
        default=24.0,
        help="A session cancelled less than this number of hours before its "
        "start is a late cancellation.",
    )
    psy_reset_days = fields.Integer(
        string="Reopen window",
        default=7,
        help="Number of days during which a done session can be set back to "
        "scheduled by its professional or a clinical director.",
    )
    psy_reminder_hours = fields.Integer(
        string="Reminder before session",
        default=24,
        help="Number of hours before the start of a session when the patient "
        "receives the reminder e-mail. 0 sends no reminder.",
    )

    _sql_constraints = [
        (
            "psy_late_cancel_hours_positive",
            "CHECK(psy_late_cancel_hours >= 0)",
            "The late cancellation window cannot be negative.",
        ),
        (
            "psy_reset_days_positive",
            "CHECK(psy_reset_days >= 0)",
            "The reopen window cannot be negative.",
        ),
        (
            "psy_reminder_hours_positive",
            "CHECK(psy_reminder_hours >= 0)",
            "The reminder delay cannot be negative.",
        ),
    ]
