import hashlib
import json

from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import SIGNED_TEXT, PsyClinicalCommon

LOCKED = "is signed and can no longer be changed"


@tagged("post_install", "-at_install")
class TestSignedNote(PsyClinicalCommon):
    def _recompute_hash(self, note):
        payload = {
            "model": "psy.session.note",
            "id": note.id,
            "record": note.record_id.id,
            "patient": note.patient_id.id,
            "session": note.session_id.id,
            "professional": note.professional_id.id,
            "format": note.note_format,
            "content": {
                name: note[name] or ""
                for name in (
                    "subjective",
                    "objective",
                    "data",
                    "behavior",
                    "intervention",
                    "response",
                    "assessment",
                    "plan",
                    "free_text",
                )
            },
            "signed_by": note.signed_by_id.id,
            "signed_date": note.signed_date.strftime("%Y-%m-%d %H:%M:%S"),
        }
        raw = json.dumps(
            payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")
        )
        return hashlib.sha256(raw.encode()).hexdigest()

    def test_signature_stores_signer_time_and_hash(self):
        note = self.note_signed
        self.assertEqual(note.state, "signed")
        self.assertEqual(note.signed_by_id, self.psychologist)
        self.assertTrue(note.signed_date)
        self.assertEqual(len(note.content_hash), 64)
        self.assertEqual(note.content_hash, self._recompute_hash(note))
        self.assertTrue(note.hash_valid)

    def test_tampering_in_database_is_detected(self):
        self.env.cr.execute(
            "UPDATE psy_session_note SET plan = 'tampered' WHERE id = %s",
            [self.note_signed.id],
        )
        self.note_signed.invalidate_recordset()
        self.assertFalse(self.note_signed.hash_valid)

    def test_write_refused(self):
        for user in (self.psychologist, self.director):
            with self.subTest(user=user.login):
                with self.assertRaisesRegex(UserError, "signed|not allowed"):
                    self.note_signed.with_user(user).write({"plan": "changed"})
        with self.assertRaisesRegex(UserError, LOCKED):
            self.note_signed.with_user(self.psychologist).write({"plan": "changed"})
        with self.assertRaisesRegex(UserError, LOCKED):
            self.note_signed.sudo().write({"plan": "changed"})
        self.assertEqual(self.note_signed.plan, SIGNED_TEXT)

    def test_form_refuses_changes(self):
        form = Form(self.note_signed.with_user(self.psychologist))
        with self.assertRaises(AssertionError):
            form.plan = "changed through the form"
        # What the web client sends on save is refused as well.
        with self.assertRaisesRegex(UserError, LOCKED):
            self.note_signed.with_user(self.psychologist).web_save(
                {"plan": "changed"}, {"plan": {}}
            )
        self.assertEqual(self.note_signed.plan, SIGNED_TEXT)

    def test_import_refused(self):
        result = (
            self.env["psy.session.note"]
            .with_user(self.psychologist)
            .load([".id", "plan"], [[str(self.note_signed.id), "changed by import"]])
        )
        self.assertFalse(result["ids"])
        self.assertTrue(any(LOCKED in m["message"] for m in result["messages"]))
        self.note_signed.invalidate_recordset()
        self.assertEqual(self.note_signed.plan, SIGNED_TEXT)

    def test_sign_twice_and_by_someone_else_refused(self):
        with self.assertRaisesRegex(UserError, "already signed"):
            self.note_signed.with_user(self.psychologist).action_sign()
        with self.assertRaisesRegex(UserError, "Only"):
            self.note_draft.with_user(self.director).sudo(False).action_sign()

    def test_one_note_per_completed_session(self):
        Note = self.env["psy.session.note"].with_user(self.psychologist)
        scheduled = self._session(start=self.slot)
        with self.assertRaisesRegex(ValidationError, "not completed"):
            Note.create(
                {
                    "record_id": self.record.id,
                    "session_id": scheduled.id,
                    "template_id": self.soap.id,
                }
            )
        with self.assertRaises(IntegrityError), self.cr.savepoint():
            Note.create(
                {
                    "record_id": self.record.id,
                    "session_id": self.session_2.id,
                    "template_id": self.soap.id,
                }
            )

    def test_addendum_flow(self):
        note = self.note_signed
        hash_before = note.content_hash
        addendum = self.addendum.with_user(self.psychologist)
        self.assertEqual(addendum.author_id, self.psychologist)
        addendum.action_sign()
        self.assertEqual(addendum.state, "signed")
        self.assertEqual(addendum.content_hash, addendum._content_hash())
        with self.assertRaisesRegex(UserError, "signed addendum"):
            addendum.write({"content": "changed"})
        # The note itself is untouched and still matches its signature.
        self.assertEqual(note.content_hash, hash_before)
        self.assertTrue(note.hash_valid)
        self.assertEqual(note.addendum_ids, addendum)
        # Addenda correct signed notes only.
        with self.assertRaisesRegex(ValidationError, "not signed"):
            self.env["psy.session.note.addendum"].with_user(self.psychologist).create(
                {"note_id": self.note_draft.id, "reason": "r", "content": "c"}
            )
        # A psychologist who does not treat the patient cannot add one.
        with self.assertRaises(AccessError):
            self.env["psy.session.note.addendum"].with_user(self.psychologist_2).create(
                {"note_id": note.id, "reason": "r", "content": "c"}
            )

    def test_signed_note_never_deleted(self):
        with self.assertRaises(AccessError):
            self.note_signed.with_user(self.director).unlink()
        with self.assertRaisesRegex(UserError, "never deleted"):
            self.note_signed.sudo().unlink()
