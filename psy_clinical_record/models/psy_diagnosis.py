from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .psy_clinical_refusals import psy_clinical_refusals


class PsyDiagnosis(models.Model):
    _name = "psy.diagnosis"
    _description = "Diagnosis"
    _inherit = [
        "psy.clinical.audit.mixin",
        "psy.guarded.mixin",
    ]
    _order = "record_id, kind, date desc, id"
    _check_company_auto = True

    record_id = fields.Many2one(
        comodel_name="psy.clinical.record",
        string="Clinical record",
        required=True,
        index=True,
        ondelete="restrict",
    )
    patient_id = fields.Many2one(related="record_id.patient_id", store=True, index=True)
    company_id = fields.Many2one(
        related="record_id.company_id", store=True, index=True, string="Center"
    )
    code_id = fields.Many2one(
        comodel_name="psy.diagnosis.code",
        string="ICD-10-CM code",
        required=True,
        ondelete="restrict",
        domain=[("selectable", "=", True)],
    )
    kind = fields.Selection(
        selection=[("principal", "Principal"), ("secondary", "Secondary")],
        string="Type",
        required=True,
        default="principal",
    )
    date = fields.Date(
        required=True, default=lambda self: self.env["psy.patient"]._psy_today()
    )
    status = fields.Selection(
        selection=[
            ("provisional", "Provisional"),
            ("confirmed", "Confirmed"),
            ("resolved", "Resolved"),
        ],
        required=True,
        default="provisional",
    )
    professional_id = fields.Many2one(
        comodel_name="res.users",
        required=True,
        default=lambda self: self.env.user,
        ondelete="restrict",
    )
    note = fields.Text(string="Comments")

    @api.constrains("kind", "status", "record_id")
    def _check_single_principal(self):
        for diagnosis in self.filtered(
            lambda d: d.kind == "principal" and d.status != "resolved"
        ):
            others = diagnosis.record_id.diagnosis_ids.filtered(
                lambda d, diagnosis=diagnosis: d != diagnosis
                and d.kind == "principal"
                and d.status != "resolved"
            )
            if others:
                raise ValidationError(
                    self.env._(
                        "%(patient)s already has a principal diagnosis "
                        "(%(code)s). Mark the new one as secondary, or resolve "
                        "the current one first.",
                        patient=diagnosis.patient_id.name,
                        code=others[0].code_id.display_name,
                    )
                )

    def _psy_access_refusals(self):
        return psy_clinical_refusals(self.env)

    @api.model
    def _psy_guarded_fields(self):
        # Follow the clinical record; never written directly.
        return super()._psy_guarded_fields() | {"patient_id", "company_id"}

    @api.model
    def _psy_guard_error(self, field_names):
        return UserError(
            self.env._(
                "The patient and center of a diagnosis follow its clinical "
                "record: add it to the clinical record of the right patient "
                "instead."
            )
        )
