from datetime import timedelta

from odoo.addons.psy_session.tests.common import PsySessionCommon

PRIVATE_TEXT = "PRIVATE-ANNOTATION-7c1e: countertransference to explore"
SIGNED_TEXT = "Signed plan: breathing exercises twice a day"


class PsyClinicalCommon(PsySessionCommon):
    """Center A of psy_session with a clinical record of ``patient`` (assigned
    to ``psychologist``), its diagnosis, goal, notes (one draft, one signed),
    an addendum, a private note and one audit line."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        export = cls.env.ref("base.group_allow_export")
        cls.all_users = (
            cls.receptionist
            | cls.psychologist
            | cls.psychologist_2
            | cls.director
            | cls.billing
            | cls.manager
        )
        cls.all_users.write({"groups_id": [(4, export.id)]})
        cls.company_a.psy_clinical_mandatory_field_ids = False
        cls._slot_offset = 0
        cls.code_anxiety = cls.env["psy.diagnosis.code"].search(
            [("code", "=", "F41.1")]
        )
        cls.code_depression = cls.env["psy.diagnosis.code"].search(
            [("code", "=", "F32.1")]
        )
        cls.soap = cls.env.ref("psy_clinical_record.note_template_soap")
        as_psy = cls.env(user=cls.psychologist)
        cls.record = as_psy["psy.clinical.record"].create(
            {
                "patient_id": cls.patient.id,
                "reason": "Work-related anxiety (test)",
                "symptoms": "Worry, insomnia",
                "risk_level": "low",
            }
        )
        cls.diagnosis = as_psy["psy.diagnosis"].create(
            {"record_id": cls.record.id, "code_id": cls.code_anxiety.id}
        )
        cls.goal = as_psy["psy.treatment.goal"].create(
            {"record_id": cls.record.id, "name": "Sleep 7 hours"}
        )
        cls.session_1 = cls._done_session()
        cls.session_2 = cls._done_session()
        cls.note_draft = as_psy["psy.session.note"].create(
            {
                "record_id": cls.record.id,
                "session_id": cls.session_1.id,
                "template_id": cls.soap.id,
                "subjective": "Draft content",
            }
        )
        cls.note_signed = as_psy["psy.session.note"].create(
            {
                "record_id": cls.record.id,
                "session_id": cls.session_2.id,
                "template_id": cls.soap.id,
                "subjective": "Reports less worry",
                "plan": SIGNED_TEXT,
            }
        )
        cls.note_signed.action_sign()
        cls.addendum = as_psy["psy.session.note.addendum"].create(
            {
                "note_id": cls.note_signed.id,
                "reason": "Typo",
                "content": "Three times a day, not twice.",
            }
        )
        cls.private_note = as_psy["psy.private.note"].create(
            {"record_id": cls.record.id, "content": PRIVATE_TEXT}
        )
        cls.log_line = cls.env["psy.clinical.access.log"]._write_entries(
            cls.record, "read"
        )

    @classmethod
    def _done_session(cls, patient=None, professional=None, days_ago=2):
        cls._slot_offset += 1
        start = cls.now - timedelta(days=days_ago, hours=cls._slot_offset * 2)
        session = cls._session(
            start=start,
            patient_id=(patient or cls.patient).id,
            professional_id=(professional or cls.psychologist).id,
            room_id=False,
            modality="online",
            video_url="https://meet.example.com/x",
        )
        session.action_done()
        return session

    @classmethod
    def _assigned_patient(cls, professional=None, **vals):
        return cls._patient(
            firstname=vals.pop("firstname", "Carla"),
            lastname=vals.pop("lastname", f"Test {cls._slot_offset}"),
            professional_ids=[(6, 0, (professional or cls.psychologist).ids)],
            **vals,
        )

    def _logs(self, **domain):
        return self.env["psy.clinical.access.log"].search(
            [(key, "=", value) for key, value in domain.items()]
        )
