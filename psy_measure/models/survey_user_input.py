from odoo import api, fields, models

from odoo.addons.psy_clinical_record.models.psy_clinical_audit_mixin import (
    AUDIT_LIST_FIELDS,
)


class SurveyUserInput(models.Model):
    _inherit = ["survey.user_input", "psy.clinical.audit.mixin"]
    _name = "survey.user_input"

    _psy_record_field = "psy_record_id"
    _psy_audit_list_fields = (
        *AUDIT_LIST_FIELDS,
        "survey_id",
        "partner_id",
        "email",
        "nickname",
        "deadline",
        "psy_patient_id",
        "psy_is_clinical",
        "psy_risk_alert",
        "test_entry",
    )

    psy_patient_id = fields.Many2one(
        comodel_name="psy.patient",
        string="Patient",
        index=True,
        readonly=True,
        ondelete="restrict",
        help="Patient the answers are about (the respondent may be a guardian).",
    )
    psy_is_clinical = fields.Boolean(
        related="survey_id.psy_is_clinical", store=True, index=True
    )
    psy_record_id = fields.Many2one(
        comodel_name="psy.clinical.record",
        string="Clinical record",
        compute="_compute_psy_record_id",
        compute_sudo=True,
    )
    psy_risk_alert = fields.Boolean(
        string="Risk alert",
        readonly=True,
        help="The risk item was answered above the alert score.",
    )

    @api.depends("psy_patient_id", "psy_is_clinical")
    def _compute_psy_record_id(self):
        clinical = self.filtered(lambda a: a.psy_is_clinical and a.psy_patient_id)
        results = self.env["psy.measure.result"].search(
            [("user_input_id", "in", clinical.ids)]
        )
        records = {result.user_input_id.id: result.record_id for result in results}
        for answer in self:
            answer.psy_record_id = records.get(answer.id, False)

    def _psy_log_access(self, action, access_checked=False):
        # Only the answers of clinical instruments about a patient are
        # clinical content.
        clinical = self.filtered(lambda answer: answer.sudo().psy_record_id)
        if clinical:
            return super(SurveyUserInput, clinical)._psy_log_access(
                action, access_checked=access_checked
            )

    def _mark_done(self):
        result = super()._mark_done()
        self._psy_complete_results()
        return result

    def _psy_complete_results(self):
        """Score the results of these answers that were just completed.

        Runs as superuser: the respondent (a patient on the portal, through
        the answer's own token that the survey controller checked) has no
        right on the clinical results. Only the results of these answers,
        linked to a patient, are touched."""
        clinical = self.filtered(lambda a: a.psy_is_clinical and a.psy_patient_id)
        if not clinical:
            return
        results = (
            self.env["psy.measure.result"]
            .sudo()
            .search([("user_input_id", "in", clinical.ids), ("state", "=", "sent")])
        )
        results._psy_complete()
