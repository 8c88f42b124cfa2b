from odoo.tests import HttpCase, new_test_user, tagged

from .common import PsyMeasureCommon

SECRET = "SECRET-INTAKE-5b2e: panic attacks since the accident"


@tagged("post_install", "-at_install")
class TestSurveyRoutes(PsyMeasureCommon, HttpCase):
    """Survey's own statistics and print pages show no clinical answer to
    anyone but the patient's psychologists and the director."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.result = cls._assign(cls.intake).result_ids
        answer = cls.result.sudo().user_input_id
        question = cls._questions(cls.intake).filtered(
            lambda q: q.psy_record_field == "reason"
        )
        answer._save_lines(question, SECRET)
        answer._mark_done()
        cls.answer = answer
        cls.survey_officer = new_test_user(
            cls.env,
            login="t_survey_officer",
            groups="base.group_user,survey.group_survey_user",
            company_id=cls.company_a.id,
            company_ids=[cls.company_a.id],
        )
        cls.survey_manager = new_test_user(
            cls.env,
            login="t_survey_manager",
            groups="base.group_user,survey.group_survey_manager",
            company_id=cls.company_a.id,
            company_ids=[cls.company_a.id],
        )

    def _get(self, login, url):
        self.authenticate(login, login)
        return self.url_open(url, allow_redirects=True)

    def test_statistics_page(self):
        url = f"/survey/results/{self.intake.id}"
        users = {
            **{
                role: user
                for role, user in self.roles.items()
                if role not in ("psychologist", "director")
            },
            "other psychologist": self.psychologist_2,
            "survey officer": self.survey_officer,
            "survey manager": self.survey_manager,
        }
        for role, user in users.items():
            with self.subTest(role=role):
                response = self._get(user.login, url)
                self.assertNotIn(SECRET, response.text)
        # Its own psychologist and the director read the answers there.
        for user in (self.psychologist, self.director):
            with self.subTest(reader=user.login):
                response = self._get(user.login, url)
                self.assertEqual(response.status_code, 200)
                self.assertIn(SECRET, response.text)

    def test_print_page_without_the_patients_token(self):
        url = f"/survey/print/{self.intake.access_token}"
        for login in ("t_survey_officer", "t_survey_manager", "t_reception"):
            with self.subTest(login=login):
                response = self._get(login, url)
                self.assertNotIn(SECRET, response.text)
        # A wrong answer token shows nothing either.
        response = self._get("t_survey_manager", url + "?answer_token=not-a-token")
        self.assertNotIn(SECRET, response.text)

    def test_print_page_scored_instrument_shows_no_answers(self):
        result = self._answer(self._assign(self.phq9).result_ids, [3] * 8 + [0])
        answer = result.sudo().user_input_id
        self.authenticate(None, None)
        response = self.url_open(
            f"/survey/print/{self.phq9.access_token}?answer_token={answer.access_token}"
        )
        self.assertEqual(response.status_code, 200)
        # Survey hides the answers of a "scoring without answers" survey.
        self.assertNotIn("o_survey_choice_key checked", response.text)

    def test_patient_link_opens_the_questionnaire(self):
        result = self._assign(self.gad7).result_ids
        self.authenticate(None, None)
        response = self.url_open(result.sudo().user_input_id.get_start_url())
        self.assertEqual(response.status_code, 200)
        self.assertIn("Generalized Anxiety Disorder", response.text)
        # Without the token, an invited-only instrument does not open.
        response = self.url_open(f"/survey/start/{self.gad7.access_token}")
        self.assertNotIn("Feeling nervous, anxious", response.text)
