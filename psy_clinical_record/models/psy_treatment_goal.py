from odoo import api, fields, models
from odoo.exceptions import UserError

from .psy_clinical_refusals import psy_clinical_refusals


class PsyTreatmentGoal(models.Model):
    _name = "psy.treatment.goal"
    _description = "Treatment goal"
    _inherit = [
        "psy.clinical.audit.mixin",
        "psy.guarded.mixin",
    ]
    _order = "record_id, sequence, id"
    _check_company_auto = True

    sequence = fields.Integer(default=10)
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
    name = fields.Char(string="Goal", required=True)
    target_date = fields.Date()
    progress = fields.Integer(string="Progress (%)", default=0)
    professional_id = fields.Many2one(
        comodel_name="res.users",
        required=True,
        default=lambda self: self.env.user,
        ondelete="restrict",
    )

    _sql_constraints = [
        (
            "progress_range",
            "CHECK(progress >= 0 AND progress <= 100)",
            "The progress of a goal is a percentage between 0 and 100.",
        ),
    ]

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
                "The patient and center of a treatment goal follow its clinical "
                "record: add it to the clinical record of the right patient "
                "instead."
            )
        )
