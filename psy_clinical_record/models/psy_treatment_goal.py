from odoo import fields, models


class PsyTreatmentGoal(models.Model):
    _name = "psy.treatment.goal"
    _description = "Treatment goal"
    _inherit = ["psy.clinical.audit.mixin"]
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
