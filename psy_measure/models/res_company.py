from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    psy_measure_crisis_text = fields.Html(
        string="Crisis text",
        translate=True,
        sanitize=True,
        default=lambda self: self.env._(
            "<p>If you are thinking of harming yourself, you are not alone. "
            "Call your local emergency number now, or tell someone you "
            "trust. Your psychologist has been told and will contact you.</p>"
        ),
        help="Shown to the patient at the end of an instrument whose risk "
        "item raised an alert: emergency numbers and where to get help.",
    )
    psy_measure_reminder_days = fields.Integer(
        string="Measure reminders every (days)",
        default=3,
        help="Days after which an unanswered instrument is sent again "
        "(two reminders at most). 0: no reminders.",
    )
