from odoo.addons.psy_clinical_record.tests.common import PsyClinicalCommon


class PsyMeasureCommon(PsyClinicalCommon):
    """Center A of psy_clinical_record with the PHQ-9, the GAD-7 and the
    intake form of the module."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.phq9 = cls.env.ref("psy_measure.survey_phq9")
        cls.gad7 = cls.env.ref("psy_measure.survey_gad7")
        cls.intake = cls.env.ref("psy_measure.survey_intake")
        cls.Assignment = cls.env(user=cls.psychologist)["psy.measure.assignment"]

    @classmethod
    def _assign(cls, survey, patient=None, user=None, **vals):
        env = cls.env(user=user or cls.psychologist)
        return env["psy.measure.assignment"].create(
            {
                "patient_id": (patient or cls.patient).id,
                "survey_id": survey.id,
                **vals,
            }
        )

    @staticmethod
    def _questions(survey):
        return survey.question_ids.filtered(lambda q: not q.is_page).sorted("sequence")

    @classmethod
    def _answer(cls, result, scores):
        """Answer each item of ``result`` with the choice scoring ``scores``
        (as the survey controller does for the patient, as superuser), then
        complete it."""
        answer = result.sudo().user_input_id
        questions = cls._questions(result.survey_id)
        for question, score in zip(questions, scores, strict=True):
            choice = question.suggested_answer_ids.filtered(
                lambda a, score=score: a.answer_score == score
            )
            answer._save_lines(question, choice.id)
        answer._mark_done()
        return result
