from odoo.tests import tagged

from .common import PsyMeasureCommon


@tagged("post_install", "-at_install")
class TestRiskAlert(PsyMeasureCommon):
    def _activities(self, result):
        return self.env["mail.activity"].search(
            [("res_model", "=", "psy.measure.result"), ("res_id", "=", result.id)]
        )

    def test_item9_above_zero_alerts_at_once(self):
        result = self._answer(
            self._assign(self.phq9).result_ids, [1, 1, 0, 0, 0, 0, 0, 0, 1]
        )
        self.assertTrue(result.risk_alert)
        self.assertEqual(result.score, 3)
        self.assertEqual(result.band_id.name, "Minimal")
        activity = self._activities(result)
        self.assertEqual(activity.user_id, self.psychologist)
        self.assertEqual(
            activity.activity_type_id,
            self.env.ref("psy_measure.mail_activity_type_risk"),
        )
        self.assertEqual(activity.date_deadline, self.today)
        self.assertTrue(self.record.psy_measure_risk_review)
        self.assertEqual(self.record.psy_measure_risk_date, self.today)
        self.assertTrue(result.user_input_id.sudo().psy_risk_alert)

    def test_item9_at_zero_no_alert(self):
        result = self._answer(
            self._assign(self.phq9).result_ids, [3, 3, 3, 3, 3, 3, 3, 3, 0]
        )
        self.assertFalse(result.risk_alert)
        self.assertEqual(result.band_id.name, "Severe")
        self.assertFalse(self._activities(result))
        self.assertFalse(self.record.psy_measure_risk_review)

    def test_psychologist_marks_risk_reviewed_no_direct_write(self):
        from odoo.exceptions import UserError

        self._answer(self._assign(self.phq9).result_ids, [0] * 8 + [2])
        record = self.record.with_user(self.psychologist)
        with self.assertRaises(UserError):
            record.write({"psy_measure_risk_review": False})
        with self.assertRaises(UserError):
            record.with_context(active_test=False).write(
                {"psy_measure_risk_date": False}
            )
        record.action_psy_measure_risk_reviewed()
        self.assertFalse(self.record.psy_measure_risk_review)

    def test_result_fields_not_writable(self):
        from odoo.exceptions import UserError

        result = self._answer(self._assign(self.phq9).result_ids, [0] * 8 + [1])
        for vals in ({"score": 0}, {"risk_alert": False}, {"state": "sent"}):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                result.with_user(self.psychologist).write(vals)
        self.assertTrue(result.risk_alert)
