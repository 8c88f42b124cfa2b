from odoo import api, fields, models
from odoo.exceptions import ValidationError


class PsyMeasureBand(models.Model):
    """Severity band of a scored instrument: the label of a range of total
    scores (PHQ-9: 0-4 minimal, 5-9 mild...)."""

    _name = "psy.measure.band"
    _description = "Severity band of an instrument"
    _order = "survey_id, score_min, id"

    survey_id = fields.Many2one(
        comodel_name="survey.survey",
        string="Instrument",
        required=True,
        index=True,
        ondelete="cascade",
    )
    name = fields.Char(string="Band", required=True, translate=True)
    score_min = fields.Float(string="From score", required=True, digits=(10, 2))
    score_max = fields.Float(string="To score", required=True, digits=(10, 2))
    decoration = fields.Selection(
        selection=[
            ("success", "Green"),
            ("info", "Blue"),
            ("warning", "Orange"),
            ("danger", "Red"),
        ],
        string="Colour",
        default="info",
        required=True,
    )

    @api.constrains("score_min", "score_max", "survey_id")
    def _check_range(self):
        for band in self:
            if band.score_max < band.score_min:
                raise ValidationError(
                    self.env._(
                        "The band %(band)s of %(survey)s ends (%(max)s) before it "
                        "starts (%(min)s): set a 'To score' at least equal to "
                        "the 'From score'.",
                        band=band.name,
                        survey=band.survey_id.title,
                        max=band.score_max,
                        min=band.score_min,
                    )
                )
        for survey in self.survey_id:
            bands = survey.psy_band_ids.sorted("score_min")
            for previous, band in zip(bands, bands[1:], strict=False):
                if band.score_min <= previous.score_max:
                    raise ValidationError(
                        self.env._(
                            "The bands %(first)s and %(second)s of %(survey)s "
                            "overlap: a score must fall in one band only.",
                            first=previous.name,
                            second=band.name,
                            survey=survey.title,
                        )
                    )
