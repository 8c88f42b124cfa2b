from odoo import api, fields, models
from odoo.exceptions import ValidationError


class PsyPatientGuardian(models.Model):
    _name = "psy.patient.guardian"
    _description = "Guardian of a patient"
    _order = "patient_id, sequence, id"

    patient_id = fields.Many2one(
        comodel_name="psy.patient",
        required=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(related="patient_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Guardian",
        required=True,
        ondelete="restrict",
        help="Parent or legal guardian; consents of a minor are signed by them.",
    )
    relationship = fields.Selection(
        selection=[
            ("mother", "Mother"),
            ("father", "Father"),
            ("legal_guardian", "Legal guardian"),
            ("other", "Other"),
        ],
        required=True,
        default="mother",
    )
    email = fields.Char(related="partner_id.email")
    phone = fields.Char(related="partner_id.phone")

    _sql_constraints = [
        (
            "patient_partner_unique",
            "UNIQUE(patient_id, partner_id)",
            "This person is already a guardian of the patient.",
        ),
    ]

    @api.constrains("patient_id", "partner_id")
    def _check_guardians(self):
        for patient in self.patient_id:
            if len(patient.guardian_ids) > 2:
                raise ValidationError(
                    self.env._(
                        "%(patient)s already has two guardians. Remove one before "
                        "adding another.",
                        patient=patient.name,
                    )
                )
            if patient.partner_id in patient.guardian_ids.partner_id:
                raise ValidationError(
                    self.env._(
                        "%(patient)s cannot be their own guardian. Choose the "
                        "parent or legal guardian.",
                        patient=patient.name,
                    )
                )
