from odoo import fields, models


class PsyConsentType(models.Model):
    _name = "psy.consent.type"
    _description = "Consent type"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True,
        help="Stable technical key of the type (treatment, data_protection...).",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(
        translate=True,
        help="What this consent covers, shown to the staff.",
    )
    own_consent_age = fields.Integer(
        string="Own consent from age",
        default=0,
        help="Patients from this age sign this consent themselves even if they "
        "are minors (e.g. 14 for data protection in Spain). 0: the age of "
        "majority of the center applies.",
    )
    template_ids = fields.One2many(
        comodel_name="psy.consent.template",
        inverse_name="type_id",
        string="Templates",
    )

    _sql_constraints = [
        ("code_unique", "UNIQUE(code)", "Each consent type has its own code."),
        (
            "own_consent_age_range",
            "CHECK(own_consent_age BETWEEN 0 AND 30)",
            "The age of own consent must be between 0 and 30 years.",
        ),
    ]

    def _patient_signs_alone(self, patient):
        """True when ``patient`` signs consents of this type personally."""
        self.ensure_one()
        if self.own_consent_age and patient.birthdate:
            return patient.age >= self.own_consent_age
        return not patient.is_minor
