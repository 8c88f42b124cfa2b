from odoo import api, fields, models


class PsySession(models.Model):
    _inherit = "psy.session"

    psy_measure_latest = fields.Char(
        string="Latest scores",
        compute="_compute_psy_measure_latest",
        groups="psy_patient.group_psy_psychologist",
        help="Latest score and band of each instrument the patient answered.",
    )

    @api.depends_context("uid")
    @api.depends("patient_ids")
    def _compute_psy_measure_latest(self):
        # As the user: only the results they may read (their patients).
        Result = self.env["psy.measure.result"]
        results = Result
        if Result.has_access("read"):
            results = Result.search(
                [
                    ("patient_id", "in", self.patient_ids.ids),
                    ("state", "=", "done"),
                    ("kind", "=", "measure"),
                ],
                order="date_done desc, id desc",
            )
        latest = {}
        for result in results:
            latest.setdefault(result.patient_id, {}).setdefault(
                result.survey_id, result
            )
        for session in self:
            texts = []
            for patient in session.patient_ids:
                scores = ", ".join(
                    f"{r.survey_id.psy_code or r.survey_id.title} {r.score:g} "
                    f"({r.band_id.name or '-'}, {r.date})"
                    for r in latest.get(patient, {}).values()
                )
                if scores and len(session.patient_ids) > 1:
                    scores = f"{patient.name}: {scores}"
                if scores:
                    texts.append(scores)
            session.psy_measure_latest = "; ".join(texts)

    def _action_done(self, now):
        result = super()._action_done(now)
        self.env["psy.measure.assignment"]._psy_on_sessions_done(self)
        return result
