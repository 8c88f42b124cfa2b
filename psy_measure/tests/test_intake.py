from odoo.tests import tagged

from .common import PsyMeasureCommon


@tagged("post_install", "-at_install")
class TestIntake(PsyMeasureCommon):
    def test_intake_prefills_empty_sections_for_review(self):
        patient = self._assigned_patient(firstname="Elena", lastname="Nueva")
        patient.partner_id.email = "elena@example.com"
        result = self._assign(self.intake, patient=patient).result_ids
        record = result.record_id
        self.assertFalse(record.reason)
        answer = result.sudo().user_input_id
        texts = {
            "reason": "Panic attacks on the metro",
            "habits_sleep": "Five hours, wakes at 4",
            "habits_substances": "Two coffees a day",
        }
        for question in self._questions(self.intake):
            if question.psy_record_field in texts:
                answer._save_lines(question, texts[question.psy_record_field])
        answer._mark_done()
        self.assertEqual(result.state, "done")
        self.assertTrue(result.intake_applied)
        self.assertEqual(record.reason, texts["reason"])
        self.assertEqual(record.habits_sleep, texts["habits_sleep"])
        self.assertEqual(record.habits_substances, texts["habits_substances"])
        self.assertFalse(record.history_illnesses)
        self.assertTrue(record.psy_measure_intake_review)
        record.with_user(self.psychologist).action_psy_measure_intake_reviewed()
        self.assertFalse(record.psy_measure_intake_review)

    def test_intake_keeps_what_the_psychologist_wrote(self):
        result = self._assign(self.intake).result_ids
        answer = result.sudo().user_input_id
        question = self._questions(self.intake).filtered(
            lambda q: q.psy_record_field == "reason"
        )
        answer._save_lines(question, "Something else")
        answer._mark_done()
        self.assertEqual(self.record.reason, "Work-related anxiety (test)")
        self.assertTrue(self.record.psy_measure_intake_review)
