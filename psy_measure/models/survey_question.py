from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.psy_patient.models.psy_guarded_mixin import module_uninstalling

# Text sections of the clinical record an intake question may pre-fill.
INTAKE_SECTIONS = [
    ("reason", "Reason for consultation"),
    ("symptoms", "Current symptoms"),
    ("precipitating_events", "Precipitating events"),
    ("history_illnesses", "Illnesses"),
    ("history_surgeries", "Surgeries"),
    ("history_medication", "Medication"),
    ("history_traumas", "Traumas"),
    ("family_history", "Family history"),
    ("habits_sleep", "Sleep"),
    ("habits_eating", "Eating"),
    ("habits_substances", "Substance use"),
    ("social_situation", "Social situation"),
    ("occupational_situation", "Occupational situation"),
]


class SurveyQuestion(models.Model):
    _inherit = "survey.question"

    psy_record_field = fields.Selection(
        selection=INTAKE_SECTIONS,
        string="Pre-fills record section",
        help="On an intake form, the answer is copied into this section of "
        "the patient's clinical record (if it is empty) for the "
        "psychologist to review.",
    )
    psy_risk_item = fields.Boolean(
        string="Risk item",
        help="On a clinical instrument, an answer scoring at least the "
        "instrument's alert score raises a risk alert (PHQ-9: item 9).",
    )

    @api.ondelete(at_uninstall=True)
    def _unlink_except_answered_clinical(self):
        """Deleting a question deletes its answers: refused on a clinical
        instrument that patients answered (their answers are clinical
        content, kept for the retention period). Looks for answers as
        superuser: a yes or no, for the questions being deleted."""
        if module_uninstalling(self.env):
            return
        clinical = self.filtered("survey_id.psy_is_clinical")
        if not clinical:
            return
        answered = (
            self.env["survey.user_input.line"]
            .sudo()
            .search_count([("question_id", "in", clinical.ids)], limit=1)
        )
        if answered:
            raise UserError(
                self.env._(
                    "Patients answered the questions of %(survey)s: they cannot "
                    "be deleted, their answers are part of clinical records. "
                    "Archive the instrument and copy it to change its questions.",
                    survey=clinical[0].survey_id.title,
                )
            )
