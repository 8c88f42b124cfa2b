from odoo import fields, models


class SurveyUserInputLine(models.Model):
    _inherit = ["survey.user_input.line", "psy.clinical.audit.mixin"]
    _name = "survey.user_input.line"

    _psy_record_field = "psy_record_id"

    psy_record_id = fields.Many2one(
        related="user_input_id.psy_record_id", string="Clinical record"
    )

    def _psy_log_access(self, action, access_checked=False):
        # Only the answers of clinical instruments about a patient are
        # clinical content.
        clinical = self.filtered(lambda line: line.sudo().psy_record_id)
        if clinical:
            return super(SurveyUserInputLine, clinical)._psy_log_access(
                action, access_checked=access_checked
            )

    def _psy_answer_text(self):
        """The answer as text, to copy into a section of the record."""
        self.ensure_one()
        if self.answer_type == "text_box":
            return self.value_text_box
        if self.answer_type == "suggestion" and self.matrix_row_id:
            return f"{self.matrix_row_id.value}: {self.suggested_answer_id.value}"
        if self.answer_type == "suggestion":
            return self.suggested_answer_id.value
        return self.display_name
