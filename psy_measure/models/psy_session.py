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
    def _compute_psy_measure_latest(self):
        # As the user: only the results they may read (their patients).
        Result = self.env["psy.measure.result"]
        results = (
            Result.search(
                [("patient_id", "in", self.patient_id.ids), ("state", "=", "done")],
                order="date_done desc, id desc",
            )
            if Result.has_access("read")
            else Result
        )
        latest = {}
        for result in results:
            latest.setdefault(result.patient_id.id, {}).setdefault(
                result.survey_id.id, result
            )
        for session in self:
            texts = [
                f"{r.survey_id.psy_code or r.survey_id.title}: {r.score:g} "
                f"({r.band_id.name or '-'}, {r.date})"
                for r in latest.get(session.patient_id.id, {}).values()
                if r.kind == "measure"
            ]
            session.psy_measure_latest = "; ".join(texts)

    def _action_done(self, now):
        result = super()._action_done(now)
        self.env["psy.measure.assignment"]._psy_on_sessions_done(self)
        return result
