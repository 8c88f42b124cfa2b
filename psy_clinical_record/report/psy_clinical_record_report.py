from odoo import api, models


class ReportClinicalRecord(models.AbstractModel):
    """Patient's copy of the clinical record: every section, diagnosis,
    goal and signed note with its addenda, and the shared notes of the joint
    sessions the patient attended; never the private notes, nor anything of
    another participant's own record."""

    _name = "report.psy_clinical_record.report_clinical_record"
    _description = "Clinical record: patient's copy"

    @api.model
    def _get_report_values(self, docids, data=None):
        records = self.env["psy.clinical.record"].browse(docids)
        records._psy_log_access("print")
        # The shared notes printed in a copy are logged for each of their
        # participants too.
        shared = self.env["psy.session.note"].browse()
        for record in records:
            shared |= record._psy_copy_notes().filtered("is_shared")
        shared._psy_log_access("print")
        return {
            "doc_ids": docids,
            "doc_model": "psy.clinical.record",
            "docs": records,
        }
