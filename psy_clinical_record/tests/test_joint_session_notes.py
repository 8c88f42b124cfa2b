from datetime import date, timedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import PRIVATE_TEXT, SIGNED_TEXT, PsyClinicalCommon

SHARED_TEXT = "SHARED-7a2: both partners agree on a weekly talk"
BRUNO_REASON = "BRUNO-REASON-4f1: grief after a move"
BRUNO_PRIVATE = "BRUNO-PRIVATE-9d3: explore the father figure"
GROUP_TEXT = "GROUP-5e8: body scan, everybody took part"


@tagged("post_install", "-at_install")
class TestJointSessionNotes(PsyClinicalCommon):
    """Couple, family and group sessions: one shared note, read by the
    professionals of the participants; each participant keeps their own
    record, diagnoses and private notes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Product = cls.env["product.product"]
        cls.couple = Product.create(
            {
                "name": "Couple therapy",
                "type": "service",
                "is_psy_session_type": True,
                "psy_duration": 1.0,
                "psy_session_kind": "couple",
                "list_price": 80.0,
            }
        )
        cls.group = Product.create(
            {
                "name": "Mindfulness group",
                "type": "service",
                "is_psy_session_type": True,
                "psy_duration": 1.5,
                "psy_session_kind": "group",
                "psy_capacity": 4,
                "list_price": 25.0,
            }
        )
        cls.psychologist_3 = cls.psychologist_2.copy(
            {"login": "t_psychologist3", "name": "Third Psychologist"}
        )
        # Ana (cls.patient) is treated by psychologist, Bruno by
        # psychologist_2, Carla by psychologist_3.
        cls.carla = cls._patient(
            firstname="Carla",
            lastname="Ruiz",
            professional_ids=[(6, 0, cls.psychologist_3.ids)],
        )
        as_psy2 = cls.env(user=cls.psychologist_2)
        cls.record_bruno = as_psy2["psy.clinical.record"].create(
            {"patient_id": cls.patient_2.id, "reason": BRUNO_REASON}
        )
        cls.diagnosis_bruno = as_psy2["psy.diagnosis"].create(
            {"record_id": cls.record_bruno.id, "code_id": cls.code_depression.id}
        )
        cls.private_bruno = as_psy2["psy.private.note"].create(
            {"record_id": cls.record_bruno.id, "content": BRUNO_PRIVATE}
        )
        cls.couple_session = cls._joint_done(cls.patient | cls.patient_2)
        cls.shared = cls._write_note(cls.couple_session, plan=SHARED_TEXT)
        cls.shared.action_sign()

    @classmethod
    def _joint_done(
        cls, patients, product=None, absent=None, days_ago=3, professional=None
    ):
        cls._slot_offset += 1
        session = cls.Session.create(
            {
                "participant_ids": [
                    Command.create({"patient_id": p.id}) for p in patients
                ],
                "professional_id": (professional or cls.psychologist).id,
                "product_id": (product or cls.couple).id,
                "room_id": False,
                "modality": "online",
                "video_url": "https://meet.example.com/x",
                "start": cls.now - timedelta(days=days_ago, hours=cls._slot_offset * 2),
            }
        )
        if absent:
            session.participant_ids.filtered(
                lambda p: p.patient_id in absent
            ).action_no_show()
        session.action_done()
        return session

    @classmethod
    def _write_note(cls, session, user=None, **content):
        action = session.with_user(user or cls.psychologist).action_open_clinical_note()
        Note = cls.env(user=user or cls.psychologist)["psy.session.note"]
        return Note.with_context(**action["context"]).create(
            {"template_id": cls.soap.id, **content}
        )

    def _copy(self, record, user):
        html, __ = (
            self.env["ir.actions.report"]
            .with_user(user)
            ._render_qweb_pdf(
                "psy_clinical_record.action_report_clinical_record", record.ids
            )
        )
        return html.decode()

    # ------------------------------------------------------------------
    # The shared note
    # ------------------------------------------------------------------

    def test_shared_note_is_about_the_participants_who_attended(self):
        note = self.shared
        self.assertTrue(note.is_shared)
        self.assertEqual(note.patient_ids, self.patient | self.patient_2)
        # Kept in the record of the first participant who attended.
        self.assertEqual(note.record_id, self.record)
        self.assertEqual(note.display_name.split(" - ")[-1], "Ana & Bruno")
        # Individual notes are unchanged: their patient, not shared.
        self.assertFalse(self.note_signed.is_shared)
        self.assertEqual(self.note_signed.patient_ids, self.patient)
        self.assertNotIn("participants", self.note_signed._canonical_content())

    def test_shared_note_signature_covers_the_participants(self):
        note = self.shared
        self.assertEqual(note.state, "signed")
        self.assertEqual(note.signed_by_id, self.psychologist)
        self.assertEqual(
            note._canonical_content()["participants"],
            sorted((self.patient | self.patient_2).ids),
        )
        self.assertTrue(note.hash_valid)
        # Taking a participant out behind the application's back breaks it.
        self.env.cr.execute(
            "DELETE FROM psy_session_note_patient_rel WHERE note_id = %s "
            "AND patient_id = %s",
            [note.id, self.patient_2.id],
        )
        note.invalidate_recordset()
        self.assertFalse(note.hash_valid)

    def test_only_the_professional_signs_a_shared_note(self):
        session = self._joint_done(self.patient | self.patient_2)
        note = self._write_note(session, plan="Draft shared")
        with self.assertRaisesRegex(UserError, "Only .* can sign"):
            note.with_user(self.psychologist_2).action_sign()
        note.action_sign()
        self.assertEqual(note.signed_by_id, self.psychologist)

    def test_group_note_keeps_only_who_attended(self):
        session = self._joint_done(
            self.patient | self.patient_2 | self.carla,
            product=self.group,
            absent=self.carla,
        )
        self.assertFalse(session.patient_id)
        note = self._write_note(session, plan=GROUP_TEXT)
        self.assertTrue(note.is_shared)
        self.assertEqual(note.patient_ids, self.patient | self.patient_2)
        note.action_sign()
        # Carla did not come: her psychologist does not read the note, and
        # it is not in her copy.
        Note = self.env["psy.session.note"].with_user(self.psychologist_3)
        self.assertFalse(Note.search([("id", "=", note.id)]))
        with self.assertRaises(AccessError):
            note.with_user(self.psychologist_3).read(["plan"])
        record_carla = self.env(user=self.psychologist_3)["psy.clinical.record"].create(
            {"patient_id": self.carla.id}
        )
        self.assertNotIn(GROUP_TEXT, self._copy(record_carla, self.psychologist_3))
        self.assertIn(GROUP_TEXT, self._copy(self.record_bruno, self.psychologist_2))

    def test_note_is_kept_in_the_record_of_someone_who_attended(self):
        session = self._joint_done(self.patient | self.patient_2, absent=self.patient_2)
        Note = self.env(user=self.psychologist_2)["psy.session.note"]
        with self.assertRaisesRegex(ValidationError, "did not attend"):
            Note.create(
                {
                    "record_id": self.record_bruno.id,
                    "session_id": session.id,
                    "template_id": self.soap.id,
                    "plan": "x",
                }
            )
        # A record of a patient outside the session is refused too.
        with self.assertRaisesRegex(ValidationError, "did not attend"):
            self.env["psy.session.note"].create(
                {
                    "record_id": self.env["psy.clinical.record"]
                    .create({"patient_id": self.carla.id})
                    .id,
                    "session_id": self._joint_done(self.patient | self.patient_2).id,
                    "template_id": self.soap.id,
                    "plan": "x",
                }
            )

    def test_note_of_a_session_nobody_attended_cannot_be_opened(self):
        session = self._joint_done(self.patient | self.patient_2)
        session.participant_ids.invalidate_recordset()
        self.env.cr.execute(
            "UPDATE psy_session_participant SET attendance = 'no_show' "
            "WHERE session_id = %s",
            [session.id],
        )
        session.invalidate_recordset()
        session.participant_ids.invalidate_recordset()
        with self.assertRaisesRegex(UserError, "Nobody attended"):
            session.with_user(self.psychologist).action_open_clinical_note()

    # ------------------------------------------------------------------
    # Who reads it
    # ------------------------------------------------------------------

    def test_visibility_per_role(self):
        expected = {
            "psychologist": True,  # ran the session, treats Ana
            "director": True,
            "receptionist": False,
            "billing": False,
            "manager": False,
        }
        for role, user in self.roles.items():
            with self.subTest(role=role):
                note = self.shared.with_user(user)
                if expected[role]:
                    self.assertIn(SHARED_TEXT, note.read(["plan"])[0]["plan"])
                else:
                    with self.assertRaises(AccessError):
                        note.read(["plan"])

    def test_psychologist_of_another_participant_reads_only_the_shared_note(self):
        note = self.shared.with_user(self.psychologist_2)
        self.assertEqual(note.read(["plan"])[0]["plan"], SHARED_TEXT)
        Note = self.env["psy.session.note"].with_user(self.psychologist_2)
        found = Note.search([("patient_ids", "in", self.patient.ids)])
        self.assertIn(self.shared, found)
        # Not Ana's individual notes, record, diagnoses or private notes.
        self.assertNotIn(self.note_signed, Note.search([]))
        for document in (
            self.note_signed,
            self.record,
            self.diagnosis,
            self.private_note,
            self.addendum,
        ):
            with self.subTest(document=document._name), self.assertRaises(AccessError):
                document.with_user(self.psychologist_2).read(["display_name"])
        # And Ana's psychologist does not read Bruno's own record either.
        for document in (self.record_bruno, self.diagnosis_bruno, self.private_bruno):
            with self.subTest(document=document._name), self.assertRaises(AccessError):
                document.with_user(self.psychologist).read(["display_name"])

    def test_note_form_opens_for_the_other_participants_psychologist(self):
        self.env.invalidate_all()
        values = self.shared.with_user(self.psychologist_2).web_read(
            {
                "display_name": {},
                "record_id": {"fields": {"display_name": {}}},
                "patient_id": {"fields": {"display_name": {}}},
                "patient_ids": {"fields": {"display_name": {}}},
                "session_id": {"fields": {"display_name": {}}},
                "is_shared": {},
                "plan": {},
                "hash_valid": {},
                "guidance": {},
                "addendum_ids": {"fields": {"content": {}, "state": {}}},
            }
        )[0]
        self.assertEqual(values["plan"], SHARED_TEXT)
        self.assertTrue(values["hash_valid"])
        self.assertEqual(len(values["patient_ids"]), 2)
        # Only the audit line of the note (one per participant): opening it
        # is no reading of Ana's record.
        lines = self._logs(user_id=self.psychologist_2.id)
        self.assertEqual(set(lines.mapped("res_model")), {"psy.session.note"})

    def test_shared_addendum_follows_the_note(self):
        addendum = self.env(user=self.psychologist)["psy.session.note.addendum"].create(
            {"note_id": self.shared.id, "reason": "Precision", "content": "Weekly."}
        )
        addendum.action_sign()
        self.assertEqual(
            addendum.with_user(self.psychologist_2).read(["content"])[0]["content"],
            "Weekly.",
        )
        with self.assertRaises(AccessError):
            addendum.with_user(self.psychologist_3).read(["content"])

    def test_psychologist_of_no_participant_reads_nothing(self):
        # psychologist_3 treats Carla only.
        Note = self.env["psy.session.note"].with_user(self.psychologist_3)
        self.assertFalse(Note.search([("id", "=", self.shared.id)]))
        self.assertEqual(Note.search_count([("is_shared", "=", True)]), 0)
        with self.assertRaises(AccessError):
            self.shared.with_user(self.psychologist_3).read(["plan"])
        with self.assertRaises(AccessError):
            self.shared.with_user(self.psychologist_3).web_read({"plan": {}})
        with self.assertRaises(AccessError):
            self.shared.with_user(self.psychologist_3).export_data(["plan"])
        # A temporary access to one participant opens it.
        self.env(user=self.director)["psy.clinical.access.grant"].create(
            {
                "patient_id": self.patient_2.id,
                "user_id": self.psychologist_3.id,
                # The record rules compare with the server's real date (not
                # moved by freezegun): a date far in the future.
                "date_to": date(2099, 1, 1),
                "reason": "Covering for a colleague",
            }
        )
        self.assertEqual(
            self.shared.with_user(self.psychologist_3).read(["plan"])[0]["plan"],
            SHARED_TEXT,
        )

    def test_blocked_participant_hides_nothing_of_the_other(self):
        self.patient_2.with_user(self.director).psy_blocked_reason = "Erasure request"
        self.patient_2.with_user(self.director).action_psy_block()
        # Bruno's data are blocked: his psychologist loses the shared note...
        with self.assertRaises(AccessError):
            self.shared.with_user(self.psychologist_2).read(["plan"])
        # ...which stays in Ana's care.
        self.assertEqual(
            self.shared.with_user(self.psychologist).read(["plan"])[0]["plan"],
            SHARED_TEXT,
        )

    def test_patient_record_lists_the_shared_notes(self):
        record = self.record_bruno.with_user(self.psychologist_2)
        self.assertEqual(record.shared_note_ids, self.shared)
        self.assertFalse(record.note_ids)
        self.assertEqual(record.note_count, 1)
        action = record.action_view_notes()
        notes = (
            self.env["psy.session.note"]
            .with_user(self.psychologist_2)
            .search(action["domain"])
        )
        self.assertEqual(notes, self.shared)
        # Ana's record holds it: it is not listed twice.
        self.assertFalse(self.record.with_user(self.psychologist).shared_note_ids)
        self.assertIn(self.shared, self.record.note_ids)

    # ------------------------------------------------------------------
    # Right of access
    # ------------------------------------------------------------------

    def test_copy_of_each_participant(self):
        self.env.invalidate_all()
        bruno = self._copy(self.record_bruno, self.psychologist_2)
        self.assertIn(SHARED_TEXT, bruno)
        self.assertIn(BRUNO_REASON, bruno)
        self.assertIn("Shared note of a joint session", bruno)
        # Nothing of Ana's own record.
        for text in (SIGNED_TEXT, "Work-related anxiety", "F41.1", PRIVATE_TEXT):
            self.assertNotIn(text, bruno)
        self.assertNotIn(BRUNO_PRIVATE, bruno)
        ana = self._copy(self.record, self.psychologist)
        self.assertIn(SHARED_TEXT, ana)
        self.assertIn(SIGNED_TEXT, ana)
        for text in (BRUNO_REASON, BRUNO_PRIVATE, "F32.1"):
            self.assertNotIn(text, ana)
        # The director's copies are the same.
        self.assertIn(SHARED_TEXT, self._copy(self.record_bruno, self.director))
        self.assertNotIn(SIGNED_TEXT, self._copy(self.record_bruno, self.director))

    def test_copy_excludes_shared_notes_of_missed_sessions(self):
        session = self._joint_done(self.patient | self.patient_2, absent=self.patient_2)
        note = self._write_note(session, plan="MISSED-1b: Ana alone this time")
        note.action_sign()
        self.assertEqual(note.patient_ids, self.patient)
        self.assertNotIn("MISSED-1b", self._copy(self.record_bruno, self.director))
        self.assertIn("MISSED-1b", self._copy(self.record, self.director))

    # ------------------------------------------------------------------
    # Audit
    # ------------------------------------------------------------------

    def test_reading_a_shared_note_is_logged_for_each_participant(self):
        # As in a new request: nothing of Ana's record in the cache.
        self.env.invalidate_all()
        self.shared.with_user(self.psychologist_2).web_read({"plan": {}})
        lines = self._logs(
            res_model="psy.session.note",
            res_id=self.shared.id,
            user_id=self.psychologist_2.id,
        )
        self.assertEqual(lines.patient_id, self.patient | self.patient_2)
        by_patient = {line.patient_id: line for line in lines}
        self.assertEqual(by_patient[self.patient].clinical_record_id, self.record)
        self.assertEqual(
            by_patient[self.patient_2].clinical_record_id, self.record_bruno
        )
        self.assertEqual(set(lines.mapped("action")), {"read"})

    def test_printing_a_copy_logs_the_shared_notes(self):
        self._copy(self.record_bruno, self.psychologist_2)
        lines = self._logs(action="print", user_id=self.psychologist_2.id)
        self.assertIn(self.record_bruno, lines.clinical_record_id)
        shared = lines.filtered(lambda line: line.res_model == "psy.session.note")
        self.assertEqual(set(shared.mapped("res_id")), {self.shared.id})
        self.assertEqual(shared.patient_id, self.patient | self.patient_2)

    def test_refused_read_logs_nothing(self):
        with self.assertRaises(AccessError):
            self.shared.with_user(self.psychologist_3).read(["plan"])
        self.assertFalse(self._logs(user_id=self.psychologist_3.id))

    # ------------------------------------------------------------------
    # Hostile paths
    # ------------------------------------------------------------------

    def test_participants_of_a_note_are_never_written(self):
        draft = self._write_note(
            self._joint_done(self.patient | self.patient_2), plan="Draft"
        )
        for vals in (
            {"patient_ids": [Command.set(self.patient.ids)]},
            {"patient_ids": [Command.link(self.carla.id)]},
            {"is_shared": False},
        ):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                draft.with_user(self.psychologist).write(vals)
            with self.subTest(vals=vals, su=True), self.assertRaises(UserError):
                self.shared.sudo().write(vals)
        with self.assertRaises(UserError):
            self.env(user=self.psychologist)["psy.session.note"].create(
                {
                    "record_id": self.record.id,
                    "session_id": self._joint_done(self.patient | self.patient_2).id,
                    "template_id": self.soap.id,
                    "patient_ids": [Command.set(self.patient.ids)],
                }
            )
        self.assertEqual(draft.patient_ids, self.patient | self.patient_2)

    def test_participants_of_a_noted_session_are_kept(self):
        session = self.couple_session
        session.with_user(self.psychologist).action_reset()
        self.assertEqual(session.state, "scheduled")
        # The signed note keeps its participants and its signature.
        self.assertEqual(self.shared.patient_ids, self.patient | self.patient_2)
        self.assertTrue(self.shared.hash_valid)
        bruno = session.participant_ids.filtered(
            lambda p: p.patient_id == self.patient_2
        )
        for user in (self.receptionist, self.psychologist):
            with self.subTest(user=user.login):
                with self.assertRaisesRegex(UserError, "clinical note"):
                    self.env(user=user)["psy.session.participant"].create(
                        {"session_id": session.id, "patient_id": self.carla.id}
                    )
                with self.assertRaisesRegex(UserError, "clinical note"):
                    bruno.with_user(user).patient_id = self.carla
                with self.assertRaisesRegex(UserError, "clinical note"):
                    bruno.with_user(user).unlink()
                with self.assertRaisesRegex(UserError, "attended"):
                    bruno.with_user(user).action_cancel()
        with self.assertRaisesRegex(UserError, "clinical note"):
            session.sudo().participant_ids = [Command.unlink(bruno.id)]
        with self.assertRaisesRegex(UserError, "clinical note"):
            session.with_user(self.receptionist).patient_id = self.carla
        session.with_user(self.psychologist).action_done()
        self.assertEqual(
            session.participant_ids.mapped("attendance"), ["present", "present"]
        )
        self.assertEqual(self.shared.patient_ids, self.patient | self.patient_2)

    # ------------------------------------------------------------------
    # The professional of a group who treats none of its participants
    # ------------------------------------------------------------------

    def test_group_leader_writes_and_reads_the_shared_note(self):
        session = self._joint_done(
            self.patient | self.patient_2,
            product=self.group,
            professional=self.psychologist_3,
        )
        note = self._write_note(session, user=self.psychologist_3, plan=GROUP_TEXT)
        # Kept in the record of the first participant who attended.
        self.assertEqual(note.record_id, self.record)
        note.with_user(self.psychologist_3).action_sign()
        self.assertEqual(note.signed_by_id, self.psychologist_3)
        self.assertTrue(note.hash_valid)
        self.env.invalidate_all()
        as_leader = note.with_user(self.psychologist_3)
        self.assertEqual(as_leader.web_read({"plan": {}})[0]["plan"], GROUP_TEXT)
        lines = self._logs(res_id=note.id, user_id=self.psychologist_3.id)
        self.assertEqual(lines.patient_id, self.patient | self.patient_2)
        # Nothing of the participants' own records.
        for document in (self.record, self.note_signed, self.record_bruno):
            with self.subTest(document=document._name), self.assertRaises(AccessError):
                document.with_user(self.psychologist_3).read(["display_name"])
        # The psychologists of the participants read it too.
        for user in (self.psychologist, self.psychologist_2):
            self.assertEqual(note.with_user(user).read(["plan"])[0]["plan"], GROUP_TEXT)
        # Another psychologist's group note stays closed to the leader.
        self.assertNotIn(
            self.shared,
            self.env["psy.session.note"].with_user(self.psychologist_3).search([]),
        )

    def test_group_leader_needs_a_record_of_an_attendee(self):
        session = self._joint_done(
            self.carla | self._assigned_patient(self.psychologist_2),
            product=self.group,
            professional=self.psychologist,
        )
        with self.assertRaisesRegex(UserError, "has a clinical record yet"):
            session.with_user(self.psychologist).action_open_clinical_note()
        # Another psychologist does not write the note of the leader's group.
        session_3 = self._joint_done(
            self.patient | self.patient_2,
            product=self.group,
            professional=self.psychologist_2,
        )
        with self.assertRaises(AccessError):
            session_3.with_user(self.psychologist_3).action_open_clinical_note()

    def test_no_context_default_sets_the_participants(self):
        session = self._joint_done(self.patient | self.patient_2)
        Note = self.env(user=self.psychologist)["psy.session.note"].with_context(
            default_patient_ids=[Command.set((self.patient | self.carla).ids)],
            default_is_shared=False,
            default_state="signed",
            default_content_hash="0" * 64,
        )
        note = Note.create(
            {
                "record_id": self.record.id,
                "session_id": session.id,
                "template_id": self.soap.id,
                "plan": "x",
            }
        )
        self.assertTrue(note.is_shared)
        self.assertEqual(note.patient_ids, self.patient | self.patient_2)
        self.assertEqual(note.state, "draft")
        self.assertFalse(note.content_hash)
        note.action_sign()
        addendum = (
            self.env(user=self.psychologist)["psy.session.note.addendum"]
            .with_context(default_state="signed", default_author_id=self.director.id)
            .create({"note_id": note.id, "reason": "r", "content": "c"})
        )
        self.assertEqual(addendum.state, "draft")
        self.assertEqual(addendum.author_id, self.psychologist)
