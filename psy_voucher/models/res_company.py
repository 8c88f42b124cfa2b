from odoo import fields, models

VALIDITY_UNITS = [("months", "Months"), ("days", "Days")]
COMPANY_POLICIES = [
    ("consume", "Deduct a session"),
    ("no_consume", "Do not deduct"),
]


class ResCompany(models.Model):
    _inherit = "res.company"

    psy_voucher_validity = fields.Integer(
        string="Default pack validity",
        default=6,
        help="How long a session pack stays valid after its sale when its "
        "product does not set its own validity.",
    )
    psy_voucher_validity_unit = fields.Selection(
        selection=VALIDITY_UNITS,
        string="Default pack validity unit",
        default="months",
        required=True,
    )
    psy_voucher_late_cancel_policy = fields.Selection(
        selection=COMPANY_POLICIES,
        string="Late cancellation with a pack",
        default="consume",
        required=True,
        help="Whether a late cancellation deducts a session from the patient's "
        "pack. A product may override it.",
    )
    psy_voucher_no_show_policy = fields.Selection(
        selection=COMPANY_POLICIES,
        string="No-show with a pack",
        default="consume",
        required=True,
        help="Whether a no-show deducts a session from the patient's pack. A "
        "product may override it.",
    )
    psy_voucher_reminder_days = fields.Integer(
        string="Pack expiry reminder",
        default=15,
        help="Number of days before a pack expires when the patient receives a "
        "reminder e-mail with the sessions left. 0 sends no reminder.",
    )

    _sql_constraints = [
        (
            "psy_voucher_validity_positive",
            "CHECK(psy_voucher_validity > 0)",
            "The default validity of session packs must be at least 1.",
        ),
        (
            "psy_voucher_reminder_days_positive",
            "CHECK(psy_voucher_reminder_days >= 0)",
            "The pack expiry reminder cannot be negative.",
        ),
    ]

    def _psy_voucher_consumes(self, event):
        """Company default: does a late cancellation or a no-show (``event``
        is the session state) deduct a session?"""
        self.ensure_one()
        policy = {
            "late_cancelled": self.psy_voucher_late_cancel_policy,
            "no_show": self.psy_voucher_no_show_policy,
        }.get(event)
        return event == "done" or policy == "consume"
