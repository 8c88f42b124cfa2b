from odoo import fields, models
from odoo.exceptions import UserError


class PsyPatient(models.Model):
    _inherit = "psy.patient"

    psy_blocked = fields.Boolean(
        string="Clinical data blocked",
        readonly=True,
        copy=False,
        help="After an erasure request the clinical data are blocked: hidden "
        "from everyone but the clinical director and kept for the legal "
        "retention period.",
    )
    psy_blocked_date = fields.Date(string="Blocked on", readonly=True, copy=False)
    psy_blocked_reason = fields.Text(
        string="Blocking reason",
        copy=False,
        groups="psy_patient.group_psy_director",
    )
    psy_clinical_grant_ids = fields.One2many(
        comodel_name="psy.clinical.access.grant",
        inverse_name="patient_id",
        string="Temporary clinical access",
        groups="psy_patient.group_psy_director",
    )
    psy_access_log_count = fields.Integer(
        string="Clinical access log",
        compute="_compute_psy_access_log_count",
        groups="psy_patient.group_psy_director",
    )

    def _compute_psy_access_log_count(self):
        groups = self.env["psy.clinical.access.log"]._read_group(
            [("patient_id", "in", self.ids)], ["patient_id"], ["__count"]
        )
        counts = {patient.id: count for patient, count in groups}
        for patient in self:
            patient.psy_access_log_count = counts.get(patient.id, 0)

    def _get_patients_with_activity(self):
        with_records = (
            self.env["psy.clinical.record"]
            .sudo()
            ._read_group([("patient_id", "in", self.ids)], groupby=["patient_id"])
        )
        ids = {patient.id for (patient,) in with_records}
        return super()._get_patients_with_activity() | self.filtered(
            lambda p: p.id in ids
        )

    def _psy_clinical_record(self):
        self.ensure_one()
        return self.env["psy.clinical.record"].search(
            [("patient_id", "=", self.id)], limit=1
        )

    def action_open_clinical_record(self):
        self.ensure_one()
        record = self._psy_clinical_record()
        action = {
            "type": "ir.actions.act_window",
            "name": self.env._("Clinical record"),
            "res_model": "psy.clinical.record",
            "view_mode": "form",
            "context": {"default_patient_id": self.id},
        }
        if record:
            action["res_id"] = record.id
        return action

    def action_print_clinical_copy(self):
        self.ensure_one()
        record = self._psy_clinical_record()
        if not record:
            raise UserError(
                self.env._(
                    "%(patient)s has no clinical record you can read: there is "
                    "nothing to print.",
                    patient=self.name,
                )
            )
        return record.action_print_copy()

    def action_view_clinical_access_log(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "psy_clinical_record.psy_clinical_access_log_action"
        )
        action["domain"] = [("patient_id", "=", self.id)]
        action["context"] = {}
        return action

    def _check_director(self):
        if not self.env.user.has_group("psy_patient.group_psy_director"):
            raise UserError(
                self.env._("Only a clinical director can block clinical data.")
            )

    def action_psy_block(self):
        self._check_director()
        for patient in self:
            if not patient.psy_blocked_reason:
                raise UserError(
                    self.env._(
                        "Write the reason of the blocking of %(patient)s (e.g. "
                        "the date of the erasure request) before blocking.",
                        patient=patient.name,
                    )
                )
        self.write(
            {"psy_blocked": True, "psy_blocked_date": fields.Date.context_today(self)}
        )
        self.env["psy.clinical.access.log"]._log_patient_event(self, "block")

    def action_psy_unblock(self):
        self._check_director()
        self.write({"psy_blocked": False, "psy_blocked_date": False})
        self.env["psy.clinical.access.log"]._log_patient_event(self, "unblock")
