from datetime import timedelta

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import PsyMeasureCommon


@tagged("post_install", "-at_install")
class TestAccessMatrix(PsyMeasureCommon):
    """Answers of clinical instruments: who reads them, over every survey
    model and every role, Survey's own roles included."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.result = cls._answer(
            cls._assign(cls.phq9).result_ids, [2, 2, 1, 1, 1, 0, 0, 0, 1]
        )
        cls.answer = cls.result.sudo().user_input_id
        cls.lines = cls.answer.user_input_line_ids
        cls.survey_officer = new_test_user(
            cls.env,
            login="t_survey_officer",
            groups="base.group_user,survey.group_survey_user,base.group_allow_export",
            company_id=cls.company_a.id,
            company_ids=[cls.company_a.id],
        )
        cls.survey_manager = new_test_user(
            cls.env,
            login="t_survey_manager",
            groups="base.group_user,survey.group_survey_manager,base.group_allow_export",
            company_id=cls.company_a.id,
            company_ids=[cls.company_a.id],
        )
        cls.admin_user = new_test_user(
            cls.env,
            login="t_admin",
            groups="base.group_system,survey.group_survey_manager,"
            "psy_patient.group_psy_manager",
            company_id=cls.company_a.id,
            company_ids=[cls.company_a.id],
        )
        # An ordinary survey, answered by an employee: not clinical.
        cls.plain = cls.env["survey.survey"].create(
            {
                "title": "Coffee machine",
                "survey_type": "survey",
                "question_and_page_ids": [
                    (0, 0, {"title": "Comments", "question_type": "text_box"})
                ],
            }
        )
        cls.plain_answer = cls.plain._create_answer(partner=cls.env.user.partner_id)
        cls.plain_answer._save_lines(cls.plain.question_ids, "Too hot")
        cls.plain_answer._mark_done()
        cls.readers = {"psychologist", "director"}

    def _readable(self, user, records):
        """Whether ``user`` finds and reads ``records`` (search, read)."""
        model = records.with_user(user)
        try:
            found = model.search([("id", "in", records.ids)])
            model.read(["id"])
        except AccessError:
            return False
        return found == records.with_user(user)

    def test_matrix_over_survey_models(self):
        users = {
            **self.roles,
            "other psychologist": self.psychologist_2,
            "survey officer": self.survey_officer,
            "survey manager": self.survey_manager,
            "administrator": self.admin_user,
        }
        for role, user in users.items():
            allowed = role in self.readers
            for records in (self.answer, self.lines, self.result):
                with self.subTest(role=role, model=records._name):
                    self.assertEqual(self._readable(user, records), allowed)

    def test_exports_refused(self):
        for user in (self.survey_officer, self.survey_manager, self.admin_user):
            with self.subTest(user=user.login):
                rows = (
                    self.env["survey.user_input.line"]
                    .with_user(user)
                    .search([("survey_id", "=", self.phq9.id)])
                )
                self.assertFalse(rows)
                with self.assertRaises(AccessError):
                    self.lines.with_user(user).export_data(["display_name"])

    def test_survey_officers_keep_ordinary_surveys(self):
        self.assertTrue(self._readable(self.survey_officer, self.plain_answer))
        self.assertTrue(self._readable(self.survey_manager, self.plain_answer))
        # A psychologist reads clinical answers, not the center's other surveys.
        self.assertFalse(self._readable(self.psychologist, self.plain_answer))

    def test_reads_are_logged(self):
        Log = self.env["psy.clinical.access.log"]
        before = Log.search_count([])
        self.answer.with_user(self.psychologist).read(["scoring_total"])
        self.lines.with_user(self.director).read(
            ["display_name", "suggested_answer_id"]
        )
        # Reading only what a list of results shows (instrument, date, score)
        # is no access to log; reading the result itself is.
        listed = Log.search_count([])
        self.result.with_user(self.psychologist).read(["score", "band_id"])
        self.assertEqual(Log.search_count([]), listed)
        self.result.with_user(self.psychologist).read()
        logs = Log.search([], order="id desc", limit=Log.search_count([]) - before)
        self.assertEqual(
            set(logs.mapped("res_model")),
            {"survey.user_input", "survey.user_input.line", "psy.measure.result"},
        )
        self.assertEqual(logs.patient_id, self.patient)
        self.assertEqual(logs.clinical_record_id, self.record)
        self.assertEqual(
            set(logs.mapped("user_id").ids), {self.psychologist.id, self.director.id}
        )
        # An ordinary survey's answers are not logged.
        count = Log.search_count([])
        self.plain_answer.with_user(self.survey_officer).read(["state"])
        self.assertEqual(Log.search_count([]), count)

    def test_blocked_patient(self):
        self.patient.psy_blocked_reason = "Erasure request"
        self.patient.with_user(self.director).action_psy_block()
        self.assertFalse(self._readable(self.psychologist, self.answer))
        self.assertTrue(self._readable(self.director, self.answer))

    def test_temporary_access(self):
        self.assertFalse(self._readable(self.psychologist_2, self.answer))
        self.env["psy.clinical.access.grant"].with_user(self.director).create(
            {
                "patient_id": self.patient.id,
                "user_id": self.psychologist_2.id,
                # Record rules read the real clock (time.strftime), not the
                # frozen one: an access that lasts past both.
                "date_to": self.today + timedelta(days=365),
                "reason": "Covering a holiday",
            }
        )
        self.assertTrue(self._readable(self.psychologist_2, self.answer))
        self.assertTrue(self._readable(self.psychologist_2, self.result))

    def test_session_form_latest_score(self):
        session = self.session_1.with_user(self.psychologist)
        self.assertIn("PHQ-9 8 (Mild", session.psy_measure_latest)
        self.assertFalse(
            self.session_1.with_user(self.psychologist_2).psy_measure_latest
        )

    def test_patient_copy_includes_answers(self):
        report = self.env.ref("psy_clinical_record.action_report_clinical_record")
        html, _type = report.with_user(self.psychologist)._render_qweb_html(
            report.report_name, self.record.ids
        )
        html = html.decode()
        self.assertIn("Patient Health Questionnaire (PHQ-9)", html)
        self.assertIn("Mild", html)
        self.assertIn("More than half the days", html)

    def test_no_context_key_skips_the_audit(self):
        Log = self.env["psy.clinical.access.log"]
        for context in ({"psy_audit_nested": True}, {"psy_audit_nested": "1"}):
            with self.subTest(context=context):
                count = Log.search_count([])
                self.answer.with_user(self.psychologist).with_context(**context).read(
                    ["scoring_total"]
                )
                self.assertEqual(Log.search_count([]), count + 1)

    def test_no_context_key_chooses_who_assigned(self):
        assignment = (
            self.env(user=self.psychologist)["psy.measure.assignment"]
            .with_context(
                default_professional_id=self.psychologist_2.id,
                default_state="done",
                default_next_date="2030-01-01",
            )
            .create(
                {
                    "patient_id": self.patient.id,
                    "survey_id": self.gad7.id,
                    "recurrence": "weeks",
                    "interval": 2,
                }
            )
        )
        self.assertEqual(assignment.professional_id, self.psychologist)
        self.assertEqual(assignment.state, "active")
        self.assertEqual(str(assignment.next_date), "2026-12-07")
        self.assertEqual(assignment.result_ids.assigned_by_id, self.psychologist)
