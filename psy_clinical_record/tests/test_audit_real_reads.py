from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import PsyClinicalCommon

# What the list of private notes asks for (its view's columns).
LIST_SPEC = {
    "date": {},
    "author_id": {"fields": {"display_name": {}}},
    "patient_id": {"fields": {"display_name": {}}},
    "shared_with_director": {},
}
# What the list of session notes asks for.
NOTE_LIST_SPEC = {
    "session_date": {},
    "patient_id": {"fields": {"display_name": {}}},
    "professional_id": {"fields": {"display_name": {}}},
    "template_id": {"fields": {"display_name": {}}},
    "signed_date": {},
    "state": {},
}


@tagged("post_install", "-at_install")
class TestAuditRealReads(PsyClinicalCommon):
    """The access log records real reads only: one line per record opened in
    a form, exported or read with its content; none for the rows of a list."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Note = cls.env(user=cls.psychologist)["psy.private.note"]
        cls.notes = Note.create(
            [
                {"record_id": cls.record.id, "content": f"Private note {index}"}
                for index in range(20)
            ]
        )
        cls.Note = cls.env["psy.private.note"].with_user(cls.psychologist)

    def _new_lines(self, before):
        return self._logs(user_id=self.psychologist.id) - before

    def test_list_of_twenty_writes_no_line(self):
        before = self._logs(user_id=self.psychologist.id)
        result = self.Note.web_search_read(
            [("id", "in", self.notes.ids)], LIST_SPEC, limit=80
        )
        self.assertEqual(result["length"], 20)
        notes = self.env["psy.session.note"].with_user(self.psychologist)
        notes.web_search_read([("record_id", "=", self.record.id)], NOTE_LIST_SPEC)
        # The same columns over the external API: no line either.
        self.Note.search_read([("id", "in", self.notes.ids)], list(LIST_SPEC))
        self.assertFalse(self._new_lines(before))

    def test_opening_one_record_writes_one_line(self):
        before = self._logs(user_id=self.psychologist.id)
        note = self.notes[3].with_user(self.psychologist)
        note.web_read({**LIST_SPEC, "content": {}})
        line = self._new_lines(before)
        self.assertEqual(len(line), 1)
        self.assertEqual(
            (line.res_model, line.res_id, line.action),
            ("psy.private.note", note.id, "read"),
        )
        # Saving the opened form reads it back: no second line.
        note.web_save({"content": "Changed"}, {**LIST_SPEC, "content": {}})
        self.assertEqual(len(self._new_lines(before)), 1)

    def test_export_of_three_writes_three_lines(self):
        before = self._logs(user_id=self.psychologist.id)
        self.notes[:3].with_user(self.psychologist).export_data(["date", "content"])
        lines = self._new_lines(before)
        self.assertEqual(len(lines), 3)
        self.assertEqual(set(lines.mapped("res_id")), set(self.notes[:3].ids))
        self.assertEqual(set(lines.mapped("action")), {"export"})

    def test_list_asking_for_content_logs_each_row(self):
        """A list (or a script) that asks for the texts reads them: one line
        per row, whatever the call."""
        before = self._logs(user_id=self.psychologist.id)
        self.Note.web_search_read(
            [("id", "in", self.notes[:5].ids)], {**LIST_SPEC, "content": {}}
        )
        self.assertEqual(len(self._new_lines(before)), 5)
        self.Note.search_read([("id", "in", self.notes[:4].ids)], ["content"])
        self.assertEqual(len(self._new_lines(before)), 9)
        self.Note.search_read([("id", "in", self.notes[:2].ids)])
        self.assertEqual(len(self._new_lines(before)), 11)

    def test_lines_cannot_be_forged_or_deleted(self):
        Log = self.env["psy.clinical.access.log"]
        vals = {
            "user_id": self.psychologist_2.id,
            "action": "read",
            "patient_id": self.patient.id,
            "company_id": self.company_a.id,
        }
        for user in self.all_users:
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    Log.with_user(user).create(vals)
                with self.assertRaises(AccessError):
                    self.log_line.with_user(user).unlink()
                with self.assertRaises(AccessError):
                    self.log_line.with_user(user).write({"user_id": user.id})
        self.assertTrue(self.log_line.exists())
        self.assertEqual(self.log_line.user_id, self.env.user)
