from odoo import api, fields, models
from odoo.exceptions import UserError


class SurveySurvey(models.Model):
    _inherit = "survey.survey"

    psy_is_clinical = fields.Boolean(
        string="Clinical instrument",
        help="Answers are clinical content: only the patient's psychologists "
        "and the clinical director read them, and every reading is logged.",
    )
    psy_kind = fields.Selection(
        selection=[("measure", "Scored instrument"), ("intake", "Intake form")],
        string="Clinical use",
        default="measure",
        help="Scored instrument: the total score and its band go to the "
        "clinical record. Intake form: the answers pre-fill the sections of "
        "the record for the psychologist to review.",
    )
    psy_code = fields.Char(
        string="Short name", help="Shown in the record and graphs, e.g. PHQ-9."
    )
    psy_band_ids = fields.One2many(
        comodel_name="psy.measure.band",
        inverse_name="survey_id",
        string="Severity bands",
    )
    psy_alert_min_score = fields.Float(
        string="Alert from score",
        default=1.0,
        help="Answer score of a risk item (a question marked as such, PHQ-9: "
        "item 9) from which an urgent activity is created for the patient's "
        "psychologist and the risk section of the record is flagged.",
    )

    def write(self, vals):
        if "psy_is_clinical" in vals and not vals["psy_is_clinical"]:
            self._psy_check_may_unset_clinical()
        return super().write(vals)

    def _psy_check_may_unset_clinical(self):
        """Refuse to turn a clinical instrument with answers into an
        ordinary survey: its answers would become readable by every survey
        officer. Counts the answers as superuser (the count only, of surveys
        the caller is writing)."""
        answered = (
            self.env["survey.user_input"]
            .sudo()
            ._read_group(
                [("survey_id", "in", self.filtered("psy_is_clinical").ids)],
                groupby=["survey_id"],
            )
        )
        if answered:
            raise UserError(
                self.env._(
                    "%(survey)s has answers of patients: it stays a clinical "
                    "instrument so that they stay confidential. Copy it to "
                    "make an ordinary survey.",
                    survey=answered[0][0].title,
                )
            )

    def _psy_band_for(self, score):
        """The band of ``score`` on this instrument (empty if none fits)."""
        self.ensure_one()
        for band in self.psy_band_ids:
            if band.score_min <= score <= band.score_max:
                return band
        return self.env["psy.measure.band"]

    @api.depends("psy_code", "title")
    def _compute_display_name(self):
        for survey in self:
            survey.display_name = (
                f"{survey.psy_code} - {survey.title}"
                if survey.psy_code
                else survey.title
            )
