from odoo import fields, models

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
