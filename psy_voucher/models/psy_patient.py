from odoo import api, fields, models


class PsyPatient(models.Model):
    _inherit = "psy.patient"

    voucher_ids = fields.One2many(
        comodel_name="psy.voucher",
        inverse_name="patient_id",
        string="Session packs",
    )
    voucher_active_count = fields.Integer(
        string="Active packs",
        compute="_compute_voucher_summary",
    )
    voucher_remaining = fields.Integer(
        string="Sessions left in packs",
        compute="_compute_voucher_summary",
    )

    @api.depends("voucher_ids.state", "voucher_ids.remaining")
    def _compute_voucher_summary(self):
        groups = self.env["psy.voucher"]._read_group(
            [("patient_id", "in", self.ids), ("state", "=", "active")],
            groupby=["patient_id"],
            aggregates=["__count", "remaining:sum"],
        )
        summary = {patient.id: (count, left) for patient, count, left in groups}
        for patient in self:
            count, left = summary.get(patient.id, (0, 0))
            patient.voucher_active_count = count
            patient.voucher_remaining = left

    def _get_patients_with_activity(self):
        with_vouchers = (
            self.env["psy.voucher"]
            .sudo()
            ._read_group([("patient_id", "in", self.ids)], groupby=["patient_id"])
        )
        ids = {patient.id for (patient,) in with_vouchers}
        return super()._get_patients_with_activity() | self.filtered(
            lambda p: p.id in ids
        )

    def action_view_vouchers(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "psy_voucher.psy_voucher_action"
        )
        action["domain"] = [("patient_id", "=", self.id)]
        action["context"] = {
            "default_patient_id": self.id,
            "search_default_filter_active": 1,
        }
        return action
