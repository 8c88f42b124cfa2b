import re

from odoo.tests import HttpCase, tagged

from .common import PsyMeasureCommon


@tagged("post_install", "-at_install")
class TestMeasureTour(PsyMeasureCommon, HttpCase):
    """In a real browser: the patient opens the e-mailed link and answers
    the PHQ-9; the psychologist sees score, band and trend in the record."""

    def test_patient_answers_psychologist_sees_trend(self):
        # An earlier result, for a trend of two points.
        self._answer(self._assign(self.phq9).result_ids, [3] * 8 + [0])
        result = self._assign(self.phq9).result_ids
        mail = self.env["mail.mail"].search(
            [("model", "=", "psy.measure.result"), ("res_id", "=", result.id)]
        )
        link = re.search(r'href="[^"]*(/survey/start/[^"]+)"', mail.body_html)
        self.assertTrue(link, "The e-mail carries the survey link")
        url = link.group(1).replace("&amp;", "&")
        self.start_tour(url, "psy_measure_patient_phq9")
        self.assertEqual(result.state, "done")
        self.assertEqual(result.score, 13)
        self.assertEqual(result.band_id.name, "Moderate")
        self.assertTrue(result.risk_alert)
        self.start_tour(
            f"/odoo/action-psy_clinical_record.psy_clinical_record_action/{self.record.id}",
            "psy_measure_psychologist_trend",
            login="t_psychologist",
        )
