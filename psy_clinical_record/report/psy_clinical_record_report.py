from odoo import api, models


class ReportClinicalRecord(models.AbstractModel):
    """Patient's copy of the clinical record: every section, diagnosis,
    goal and signed note with its addenda; never the private notes."""

    _name = "report.psy_clinical_record.report_clinical_record"
    _description = "Clinical record: patient's copy"

    @api.model
    def _get_report_values(self, docids, data=None):
        records = self.env["psy.clinical.record"].browse(docids)
        records._psy_log_access("print")
        return {
            "doc_ids": docids,
            "doc_model": "psy.clinical.record",
            "docs": records,
        }
