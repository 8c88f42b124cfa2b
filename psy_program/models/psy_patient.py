# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models


class PsyPatient(models.Model):
    _inherit = "psy.patient"

    program_enrolment_ids = fields.One2many(
        comodel_name="psy.program.enrolment",
        inverse_name="patient_id",
        string="Program enrolments",
    )
    program_count = fields.Integer(string="Programs", compute="_compute_program_count")

    @api.depends("program_enrolment_ids")
    def _compute_program_count(self):
        counts = {
            patient.id: count
            for patient, count in self.env["psy.program.enrolment"]._read_group(
                [("patient_id", "in", self.ids)], ["patient_id"], ["__count"]
            )
        }
        for patient in self:
            patient.program_count = counts.get(patient.id, 0)

    def action_view_programs(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "psy_program.psy_program_enrolment_action"
        )
        action["domain"] = [("patient_id", "=", self.id)]
        action["context"] = {"default_patient_id": self.id}
        return action
