from odoo import api, fields, models

REVIEW_FIELDS = frozenset(
    {"psy_measure_risk_review", "psy_measure_risk_date", "psy_measure_intake_review"}
)


class PsyClinicalRecord(models.Model):
    _inherit = "psy.clinical.record"

    psy_measure_result_ids = fields.One2many(
        comodel_name="psy.measure.result",
        inverse_name="record_id",
        string="Instrument results",
    )
    psy_measure_risk_review = fields.Boolean(
        string="Risk to review",
        readonly=True,
        copy=False,
        help="A risk item of an instrument was answered above 0: review the "
        "risk assessment, then mark it reviewed.",
    )
    psy_measure_risk_date = fields.Date(
        string="Risk alert on", readonly=True, copy=False
    )
    psy_measure_intake_review = fields.Boolean(
        string="Intake to review",
        readonly=True,
        copy=False,
        help="The patient's intake form pre-filled sections of the record: "
        "read them, correct them, then mark the intake reviewed.",
    )

    @api.model
    def _psy_guarded_fields(self):
        return super()._psy_guarded_fields() | REVIEW_FIELDS

    def action_psy_measure_risk_reviewed(self):
        """The psychologist reviewed the risk section after an alert."""
        self._psy_write_guarded({"psy_measure_risk_review": False})
        return True

    def action_psy_measure_intake_reviewed(self):
        """The psychologist reviewed the sections the intake pre-filled."""
        self._psy_write_guarded({"psy_measure_intake_review": False})
        return True

    def action_psy_measure_assign(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Assign an instrument"),
            "res_model": "psy.measure.assignment",
            "view_mode": "form",
            "target": "new",
            "context": {"default_patient_id": self.patient_id.id},
        }

    def action_psy_measure_trend(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "psy_measure.psy_measure_result_trend_action"
        )
        action["domain"] = [("record_id", "=", self.id), ("state", "=", "done")]
        return action
