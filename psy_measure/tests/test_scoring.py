from odoo.tests import tagged

from .common import PsyMeasureCommon


def _scores(total, items, max_item=3):
    """Item scores adding up to ``total`` (high items first, item 9 last)."""
    scores = []
    for _i in range(items):
        value = min(max_item, total)
        scores.append(value)
        total -= value
    return scores


@tagged("post_install", "-at_install")
class TestScoring(PsyMeasureCommon):
    """Survey's own scoring gives the total; the band follows it at every
    boundary of both instruments."""

    def _score(self, survey, total):
        result = self._assign(survey).result_ids
        scores = _scores(total, len(self._questions(survey)))
        if survey == self.phq9:
            # Keep item 9 at 0 (no alert) by moving its points forward.
            scores = sorted(scores, reverse=True)
        return self._answer(result, scores)

    def test_phq9_bands_at_every_boundary(self):
        expected = {
            0: "Minimal",
            4: "Minimal",
            5: "Mild",
            9: "Mild",
            10: "Moderate",
            14: "Moderate",
            15: "Moderately severe",
            19: "Moderately severe",
            20: "Severe",
            24: "Severe",
        }
        for total, band in expected.items():
            with self.subTest(total=total):
                result = self._score(self.phq9, total)
                self.assertEqual(result.state, "done")
                self.assertEqual(result.score, total)
                self.assertEqual(result.user_input_id.sudo().scoring_total, total)
                self.assertEqual(result.band_id.name, band)

    def test_phq9_maximum(self):
        result = self._answer(self._assign(self.phq9).result_ids, [3] * 9)
        self.assertEqual(result.score, 27)
        self.assertEqual(result.band_id.name, "Severe")

    def test_gad7_bands_at_every_boundary(self):
        expected = {
            0: "Minimal",
            4: "Minimal",
            5: "Mild",
            9: "Mild",
            10: "Moderate",
            14: "Moderate",
            15: "Severe",
            21: "Severe",
        }
        for total, band in expected.items():
            with self.subTest(total=total):
                result = self._score(self.gad7, total)
                self.assertEqual(result.score, total)
                self.assertEqual(result.band_id.name, band)
                self.assertFalse(result.risk_alert)

    def test_bands_do_not_overlap(self):
        from odoo.exceptions import ValidationError

        with self.assertRaises(ValidationError):
            self.env["psy.measure.band"].create(
                {
                    "survey_id": self.phq9.id,
                    "name": "Overlap",
                    "score_min": 3,
                    "score_max": 6,
                }
            )

    def test_clinical_flag_stays_once_answered(self):
        from odoo.exceptions import UserError

        self._score(self.gad7, 3)
        with self.assertRaises(UserError):
            self.gad7.psy_is_clinical = False
        self.assertTrue(self.gad7.psy_is_clinical)

    def test_answered_question_not_deleted(self):
        from odoo.exceptions import UserError

        self._score(self.gad7, 3)
        with self.assertRaises(UserError):
            self._questions(self.gad7)[:1].unlink()
        self.assertEqual(len(self._questions(self.gad7)), 7)
