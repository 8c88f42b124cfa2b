from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import PRIVATE_TEXT, SIGNED_TEXT, PsyClinicalCommon


@tagged("post_install", "-at_install")
class TestPrivateNote(PsyClinicalCommon):
    def test_invisible_to_director_unless_shared(self):
        PrivateNote = self.env["psy.private.note"].with_user(self.director)
        self.assertFalse(PrivateNote.search([]))
        with self.assertRaises(AccessError):
            self.private_note.with_user(self.director).read(["content"])
        self.env.invalidate_all()
        record = self.record.with_user(self.director)
        self.assertFalse(record.private_note_ids)
        self.private_note.with_user(self.psychologist).shared_with_director = True
        self.assertEqual(PrivateNote.search([]), self.private_note)
        with self.assertRaises(AccessError):
            self.private_note.with_user(self.director).write({"content": "x"})

    def test_invisible_to_other_psychologists_with_access(self):
        self.env["psy.clinical.access.grant"].with_user(self.director).create(
            {
                "patient_id": self.patient.id,
                "user_id": self.psychologist_2.id,
                "date_to": "2099-01-01",
                "reason": "Covering a leave",
            }
        )
        self.assertTrue(self.record.with_user(self.psychologist_2).reason)
        self.assertFalse(
            self.env["psy.private.note"].with_user(self.psychologist_2).search([])
        )

    def test_absent_from_exports(self):
        self.env.invalidate_all()
        rows = self.record.with_user(self.director).export_data(
            ["reason", "private_note_ids/content"]
        )["datas"]
        flat = " ".join(str(cell) for row in rows for cell in row)
        self.assertIn("Work-related anxiety", flat)
        self.assertNotIn(PRIVATE_TEXT, flat)

    def test_absent_from_patient_copy(self):
        for user in (self.psychologist, self.director):
            html, __ = (
                self.env["ir.actions.report"]
                .with_user(user)
                ._render_qweb_pdf(
                    "psy_clinical_record.action_report_clinical_record",
                    self.record.ids,
                )
            )
            html = html.decode()
            self.assertIn(SIGNED_TEXT, html)
            self.assertIn("Work-related anxiety", html)
            self.assertNotIn(PRIVATE_TEXT, html)
            self.assertNotIn("Draft content", html)

    def test_patient_form_prints_the_copy(self):
        action = self.patient.with_user(self.psychologist).action_print_clinical_copy()
        self.assertEqual(
            action["report_name"], "psy_clinical_record.report_clinical_record"
        )
        self.assertEqual(action["context"]["active_ids"], self.record.ids)
