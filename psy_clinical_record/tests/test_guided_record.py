from odoo.exceptions import AccessError, RedirectWarning, UserError
from odoo.tests import tagged

from .common import PsyClinicalCommon


@tagged("post_install", "-at_install")
class TestRequiredSections(PsyClinicalCommon):
    """The sections the center requires before the first note is signed:
    shown on the record and the note, the refusal links to them, and the
    Sign button asks for them and signs in one pass."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a.psy_clinical_mandatory_field_ids = cls.env[
            "ir.model.fields"
        ].search(
            [
                ("model", "=", "psy.clinical.record"),
                ("name", "in", ("reason", "risk_level")),
            ]
        )

    def _new_patient_note(self, professional=None, **record_vals):
        professional = professional or self.psychologist
        patient = self._assigned_patient(professional=professional)
        env = self.env(user=professional)
        record = env["psy.clinical.record"].create(
            {"patient_id": patient.id, **record_vals}
        )
        session = self._done_session(patient=patient, professional=professional)
        note = env["psy.session.note"].create(
            {
                "record_id": record.id,
                "session_id": session.id,
                "template_id": self.soap.id,
                "subjective": "First session",
            }
        )
        return record, note

    def _wizard(self, note, user=None, **vals):
        env = self.env(user=user or self.psychologist)
        return env["psy.session.note.sign"].create({"note_id": note.id, **vals})

    def test_record_and_note_show_the_missing_sections(self):
        record, note = self._new_patient_note(reason="Grief")
        self.assertEqual(record.psy_required_sections, ",reason,risk_level,")
        self.assertEqual(record.psy_missing_sections, "Risk level")
        self.assertEqual(note.psy_missing_sections, "Risk level")
        record.risk_level = "low"
        self.assertFalse(record.psy_missing_sections)
        self.assertFalse(note.psy_missing_sections)
        note.action_sign()
        # Once a note is signed the sections are no longer required.
        self.assertFalse(record.psy_required_sections)

    def test_refusal_links_to_the_record(self):
        record, note = self._new_patient_note()
        with self.assertRaises(RedirectWarning) as refusal:
            note._check_can_sign()
        message, action, button = refusal.exception.args[:3]
        self.assertIn("Reason for consultation, Risk level", message)
        self.assertEqual(action["res_model"], "psy.clinical.record")
        self.assertEqual(action["res_id"], record.id)
        self.assertEqual(button, "Open the clinical record")
        self.assertEqual(note.state, "draft")

    def test_sign_in_one_pass(self):
        record, note = self._new_patient_note()
        action = note.action_sign()
        self.assertEqual(action["res_model"], "psy.session.note.sign")
        self.assertEqual(action["target"], "new")
        self.assertEqual(note.state, "draft")
        wizard = self._wizard(note, reason="Grief", risk_level="low")
        self.assertEqual(wizard.missing_sections, ",reason,risk_level,")
        wizard.action_fill_and_sign()
        self.assertEqual(note.state, "signed")
        self.assertEqual(note.signed_by_id, self.psychologist)
        self.assertEqual(record.reason, "Grief")
        self.assertEqual(record.risk_level, "low")

    def test_dialog_opens_the_record(self):
        record, note = self._new_patient_note()
        action = self._wizard(note).action_open_record()
        self.assertEqual(
            (action["res_model"], action["res_id"]), (record._name, record.id)
        )
        self.assertEqual(note.state, "draft")

    def test_one_pass_refuses_an_empty_section(self):
        record, note = self._new_patient_note()
        wizard = self._wizard(note, reason="Grief")
        with self.assertRaisesRegex(UserError, "Risk level"):
            wizard.action_fill_and_sign()
        self.assertEqual(note.state, "draft")
        self.assertFalse(record.risk_level)

    def test_one_pass_only_for_who_may_sign_and_write(self):
        record, note = self._new_patient_note()
        # Another psychologist, who does not treat the patient: no record,
        # no signature.
        with self.assertRaises(UserError):
            self._wizard(
                note, user=self.psychologist_2, reason="X", risk_level="high"
            ).action_fill_and_sign()
        # The director reads the record but did not run the session.
        with self.assertRaisesRegex(UserError, "who ran the session"):
            self._wizard(
                note, user=self.director, reason="X", risk_level="high"
            ).action_fill_and_sign()
        self.assertEqual(note.state, "draft")
        self.assertFalse(record.reason)

    def test_receptionist_cannot_read_or_fill_the_sections(self):
        record, note = self._new_patient_note(reason="Grief")
        as_reception = self.env(user=self.receptionist)
        with self.assertRaises(AccessError):
            as_reception["psy.clinical.record"].browse(record.id).read(["reason"])
        with self.assertRaises(AccessError):
            as_reception["psy.session.note.sign"].create({"note_id": note.id})
        with self.assertRaises(AccessError):
            as_reception["psy.session.note"].browse(note.id).action_sign()
        self.assertEqual(note.state, "draft")

    def test_sections_are_written_with_the_record_rules(self):
        # The one-pass dialog writes the sections as the user: the record's
        # guards apply (here the wizard cannot change anything else).
        record, note = self._new_patient_note()
        wizard = self._wizard(note, reason="Grief", risk_level="none")
        wizard.symptoms = "Not required, not written"
        wizard.action_fill_and_sign()
        self.assertFalse(record.symptoms)
        self.assertEqual(record.professional_id, self.psychologist)


@tagged("post_install", "-at_install")
class TestDiagnosisSearch(PsyClinicalCommon):
    """Diagnosis search ranks by relevance: code, then words of the title,
    in the reader's language."""

    def _codes(self, term, lang="en_US", limit=8, user=None):
        env = self.env(user=user or self.psychologist, context={"lang": lang})
        found = env["psy.diagnosis.code"].name_search(term, limit=limit)
        return [name.split(" ", 1)[0] for __, name in found]

    def test_anxiety_lists_f41_first(self):
        codes = self._codes("anxiety", limit=12)
        self.assertEqual(codes[:3], ["F41.9", "F41.1", "F41.3"], codes)
        # Vascular dementia with anxiety is not among the first.
        self.assertNotIn("F01", [c[:3] for c in codes[:10]], codes)

    def test_code_first(self):
        self.assertEqual(self._codes("F41.1")[0], "F41.1")
        self.assertEqual(self._codes("f41")[0], "F41")
        self.assertTrue(all(c.startswith("F41") for c in self._codes("F41", limit=5)))
        # Typed without the dot.
        self.assertEqual(self._codes("F411")[0], "F41.1")

    def test_words_in_any_order(self):
        self.assertEqual(self._codes("generalized anxiety")[0], "F41.1")
        self.assertEqual(self._codes("anxiety generalized")[0], "F41.1")

    def test_archived_codes_are_not_proposed(self):
        self.code_anxiety.active = False
        self.assertNotIn("F41.1", self._codes("anxiety", limit=50))

    def test_receptionist_cannot_search_diagnoses(self):
        with self.assertRaises(AccessError):
            self._codes("anxiety", user=self.receptionist)

    def test_spanish_titles_and_ranking(self):
        self.env["res.lang"]._activate_lang("es_ES")
        self.env["ir.module.module"]._load_module_terms(
            ["psy_clinical_record"], ["es_ES"], overwrite=True
        )
        spanish = self.code_anxiety.with_context(lang="es_ES")
        self.assertEqual(spanish.name, "Trastorno de ansiedad generalizada")
        codes = self._codes("ansiedad", lang="es_ES", limit=12)
        self.assertTrue(all(c.startswith("F41") for c in codes[:3]), codes)
        self.assertNotIn("F01", [c[:3] for c in codes[:10]], codes)
        self.assertEqual(self._codes("ansiedad generalizada", lang="es_ES")[0], "F41.1")
        # The English words still find the codes of an English reader.
        self.assertEqual(self._codes("generalized anxiety")[0], "F41.1")
