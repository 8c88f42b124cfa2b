from odoo.tests import tagged

from .common import PsyMeasureCommon


@tagged("post_install", "-at_install")
class TestMeasureHome(PsyMeasureCommon):
    """Risk alerts of the questionnaires on the psychologist's home: their
    own patients only."""

    def _count(self, user):
        data = self.env["psy.home"].with_user(user).get_home("psychologist")
        tiles = {tile["key"]: tile["count"] for tile in data["tiles"]}
        return tiles["psy_measure.risk_alerts"]

    def test_risk_alerts_of_own_patients(self):
        self.assertEqual(self._count(self.psychologist), 0)
        # What a risk item answered above 0 does (psy.measure.result).
        self.record._psy_write_guarded(
            {"psy_measure_risk_review": True, "psy_measure_risk_date": self.today}
        )
        self.assertEqual(self._count(self.psychologist), 1)
        self.assertEqual(self._count(self.psychologist_2), 0)
        # A temporary access to the patient is not treating them.
        self.env(user=self.director)["psy.clinical.access.grant"].create(
            {
                "patient_id": self.patient.id,
                "user_id": self.psychologist_2.id,
                "date_to": "2026-12-31",
                "reason": "Covering a leave",
            }
        )
        self.assertTrue(self.record.with_user(self.psychologist_2).has_access("read"))
        self.assertEqual(self._count(self.psychologist_2), 0)
        self.record.with_user(self.psychologist).action_psy_measure_risk_reviewed()
        self.assertEqual(self._count(self.psychologist), 0)
