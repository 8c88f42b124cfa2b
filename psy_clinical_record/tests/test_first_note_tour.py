from odoo.tests import HttpCase, tagged

from .common import PsyClinicalCommon


@tagged("post_install", "-at_install")
class TestFirstNoteTour(PsyClinicalCommon, HttpCase):
    """In a real browser: a psychologist signs the first note of a new
    patient, filling the sections the center requires when signing."""

    def test_first_note_in_one_pass(self):
        self.company_a.psy_clinical_mandatory_field_ids = self.env[
            "ir.model.fields"
        ].search(
            [
                ("model", "=", "psy.clinical.record"),
                ("name", "in", ("reason", "risk_level")),
            ]
        )
        patient = self._assigned_patient(firstname="Lucía", lastname="Tour")
        session = self._done_session(patient=patient)
        self.start_tour(
            f"/odoo/action-psy_session.psy_session_action/{session.id}",
            "psy_clinical_record_first_note",
            login="t_psychologist",
        )
        record = self.env["psy.clinical.record"].search(
            [("patient_id", "=", patient.id)]
        )
        note = record.note_ids
        self.assertEqual(note.state, "signed")
        self.assertEqual(note.signed_by_id, self.psychologist)
        self.assertEqual(note.subjective, "Worried about work, sleeps badly.")
        self.assertEqual(record.reason, "Anxiety at work since the spring.")
        self.assertEqual(record.risk_level, "low")
        self.assertEqual(record.professional_id, self.psychologist)
