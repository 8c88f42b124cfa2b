from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError


class PsyMeasureDemo(models.AbstractModel):
    """What the demo data of the module calls: kept out of the production
    models, and refused outside the superuser environment in which data files
    load."""

    _name = "psy.measure.demo"
    _description = "Demo data of the instruments"

    @api.model
    def _answer_story(self, record_xmlid, survey_xmlid, user_xmlid, stories, days):
        """Demo data (loaded as superuser, checked): administrations of an
        instrument answered ``days`` ago with the item scores of
        ``stories``, for the patient of a demo record."""
        if not self.env.su:
            raise AccessError(self.env._("Only demo data answers instruments."))
        record = self.env.ref(record_xmlid)
        survey = self.env.ref(survey_xmlid)
        user = self.env.ref(user_xmlid)
        questions = survey.question_ids.filtered(lambda q: not q.is_page).sorted(
            "sequence"
        )
        now = fields.Datetime.now()
        for scores, days_ago in zip(stories, days, strict=True):
            answer = survey._create_answer(
                partner=record.patient_id.partner_id,
                check_attempts=False,
                psy_patient_id=record.patient_id.id,
            )
            result = self.env["psy.measure.result"].create(
                {
                    "record_id": record.id,
                    "survey_id": survey.id,
                    "user_input_id": answer.id,
                    "assigned_by_id": user.id,
                    "date_sent": now - timedelta(days=days_ago, hours=6),
                }
            )
            for question, score in zip(questions, scores, strict=True):
                choice = question.suggested_answer_ids.filtered(
                    lambda a, score=score: a.answer_score == score
                )
                answer._save_lines(question, choice.id)
            answer._mark_done()
            done = now - timedelta(days=days_ago)
            answer.end_datetime = done
            result.write({"date_done": done, "date": done.date()})
