from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    psy_consent_type_ids = fields.Many2many(
        comodel_name="psy.consent.type",
        relation="psy_consent_type_company_always_rel",
        column1="company_id",
        column2="type_id",
        string="Consents for every session",
        help="A session of a patient without a valid consent of each of these "
        "types cannot be completed (nor booked, when booking is gated too).",
    )
    psy_consent_online_type_ids = fields.Many2many(
        comodel_name="psy.consent.type",
        relation="psy_consent_type_company_online_rel",
        column1="company_id",
        column2="type_id",
        string="Consents for online sessions",
        help="Needed on top of the previous ones when the session is online, "
        "e.g. the teletherapy consent.",
    )
    psy_consent_gate_booking = fields.Boolean(
        string="Consents needed to book",
        help="Refuse to book a session while the patient lacks a needed "
        "consent. Otherwise only completing the session is refused.",
    )
    psy_consent_renew_on_new_version = fields.Boolean(
        string="Renew on new version",
        default=True,
        help="When a new version of a consent template is published, consents "
        "signed on an older version stay valid but are flagged as needing "
        "renewal.",
    )
    psy_consent_guardians = fields.Selection(
        selection=[
            ("one", "One guardian"),
            ("both", "Every guardian"),
        ],
        string="Guardians who sign for a minor",
        default="both",
        required=True,
        help="Every guardian: each guardian registered on the file of the minor "
        "signs (joint parental authority). One guardian: the signature of any "
        "of them is enough.",
    )
    psy_consent_minor_hearing_age = fields.Integer(
        string="Minor's own acceptance from",
        default=12,
        help="From this age a minor is asked to accept the consent too, beside "
        "the guardians. 0: never.",
    )
    psy_consent_minor_hearing_required = fields.Boolean(
        string="Minor's acceptance required",
        help="The consent of a minor old enough to be heard is only complete "
        "when the minor has accepted it too. Otherwise the acceptance is "
        "recorded when given.",
    )
    psy_consent_reminder_days = fields.Integer(
        string="Remind unsigned requests every",
        default=3,
        help="Days between reminders of a consent request that is still "
        "unsigned (at most three reminders). 0: no reminder.",
    )
    psy_consent_expiry_warning_days = fields.Integer(
        string="Warn before expiry",
        default=30,
        help="A valid consent that expires within this number of days is shown "
        "as expiring on the patient file.",
    )

    _sql_constraints = [
        (
            "psy_consent_minor_hearing_age_range",
            "CHECK(psy_consent_minor_hearing_age BETWEEN 0 AND 30)",
            "The age from which a minor accepts a consent must be between 0 "
            "and 30 years.",
        ),
        (
            "psy_consent_reminder_days_positive",
            "CHECK(psy_consent_reminder_days >= 0)",
            "The days between consent reminders cannot be negative.",
        ),
        (
            "psy_consent_expiry_warning_days_positive",
            "CHECK(psy_consent_expiry_warning_days >= 0)",
            "The days of warning before a consent expires cannot be negative.",
        ),
    ]
