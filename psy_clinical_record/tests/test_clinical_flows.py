from datetime import date, timedelta

from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, RedirectWarning, UserError, ValidationError
from odoo.tests import tagged

from .common import PsyClinicalCommon


@tagged("post_install", "-at_install")
class TestClinicalFlows(PsyClinicalCommon):
    def _fields(self, *names):
        return self.env["ir.model.fields"].search(
            [("model", "=", "psy.clinical.record"), ("name", "in", names)]
        )

    def _new_record_with_note(self, **record_vals):
        patient = self._assigned_patient()
        as_psy = self.env(user=self.psychologist)
        record = as_psy["psy.clinical.record"].create(
            {"patient_id": patient.id, **record_vals}
        )
        note = as_psy["psy.session.note"].create(
            {
                "record_id": record.id,
                "session_id": self._done_session(patient=patient).id,
                "template_id": self.soap.id,
                "subjective": "First session",
            }
        )
        return record, note

    # Mandatory sections -------------------------------------------------

    def test_mandatory_sections_gate(self):
        self.company_a.psy_clinical_mandatory_field_ids = self._fields(
            "reason", "risk_level"
        )
        record, note = self._new_record_with_note(reason="Grief")
        with self.assertRaisesRegex(RedirectWarning, "Risk level"):
            note._check_can_sign()
        # The Sign button asks for the section instead of signing.
        self.assertEqual(note.action_sign()["res_model"], "psy.session.note.sign")
        self.assertEqual(note.state, "draft")
        record.risk_level = "none"
        note.action_sign()
        self.assertEqual(note.state, "signed")
        # The gate only guards the first note of a record.
        record.risk_level = False
        second = self.env(user=self.psychologist)["psy.session.note"].create(
            {
                "record_id": record.id,
                "session_id": self._done_session(patient=record.patient_id).id,
                "template_id": self.soap.id,
                "plan": "Follow-up",
            }
        )
        second.action_sign()
        self.assertEqual(second.state, "signed")

    def test_empty_note_cannot_be_signed(self):
        __, note = self._new_record_with_note()
        note.subjective = False
        with self.assertRaisesRegex(UserError, "empty"):
            note.action_sign()

    def test_one_record_per_patient(self):
        # A clear message, not the database's IntegrityError.
        with self.assertRaisesRegex(UserError, "already has a clinical record"):
            self.env(user=self.psychologist)["psy.clinical.record"].create(
                {"patient_id": self.patient.id}
            )
        self.assertEqual(
            self.env["psy.clinical.record"].search(
                [("patient_id", "=", self.patient.id)]
            ),
            self.record,
        )
        # The database still guarantees it for code running as superuser.
        with self.assertRaises(IntegrityError), self.cr.savepoint():
            self.env["psy.clinical.record"].create({"patient_id": self.patient.id})

    def test_single_open_principal_diagnosis(self):
        with self.assertRaisesRegex(ValidationError, "principal diagnosis"):
            self.env(user=self.psychologist)["psy.diagnosis"].create(
                {"record_id": self.record.id, "code_id": self.code_depression.id}
            )

    # Blocking -------------------------------------------------------------

    def test_blocking_flow(self):
        patient = self.patient.with_user(self.director)
        with self.assertRaisesRegex(UserError, "reason"):
            patient.action_psy_block()
        patient.psy_blocked_reason = "Erasure request of 2026-11-20"
        patient.action_psy_block()
        self.assertTrue(self.patient.psy_blocked)
        self.assertEqual(len(self._logs(action="block")), 1)
        Record = self.env["psy.clinical.record"]
        self.assertFalse(Record.with_user(self.psychologist).search([]))
        with self.assertRaises(AccessError):
            self.record.with_user(self.psychologist).read(["reason"])
        with self.assertRaises(AccessError):
            self.note_signed.with_user(self.psychologist).read(["plan"])
        self.assertFalse(
            self.env["psy.private.note"].with_user(self.psychologist).search([])
        )
        self.assertEqual(Record.with_user(self.director).search([]), self.record)
        # Only the director blocks and unblocks.
        with self.assertRaises(UserError):
            self.patient_2.with_user(self.psychologist).action_psy_block()
        patient.action_psy_unblock()
        self.assertEqual(Record.with_user(self.psychologist).search([]), self.record)

    def test_receptionist_cannot_read_blocking_reason(self):
        with self.assertRaises(AccessError):
            self.patient.with_user(self.receptionist).read(["psy_blocked_reason"])

    # Temporary access -----------------------------------------------------

    def test_temporary_grant(self):
        Record = self.env["psy.clinical.record"].with_user(self.psychologist_2)
        self.assertFalse(Record.search([]))
        Grant = self.env["psy.clinical.access.grant"]
        with self.assertRaises(AccessError):
            Grant.with_user(self.psychologist).create(
                {
                    "patient_id": self.patient.id,
                    "user_id": self.psychologist_2.id,
                    "date_to": "2099-01-01",
                    "reason": "Self-service",
                }
            )
        grant = Grant.with_user(self.director).create(
            {
                "patient_id": self.patient.id,
                "user_id": self.psychologist_2.id,
                # The record rules compare with the server's real date (not
                # moved by freezegun): a date far in the future.
                "date_to": date(2099, 1, 1),
                "reason": "Covering Dr. Test's leave",
            }
        )
        self.assertEqual(len(self._logs(action="grant")), 1)
        self.assertEqual(Record.search([]), self.record)
        self.record.with_user(self.psychologist_2).symptoms = "Seen during leave"
        self.assertEqual(grant.with_user(self.psychologist_2).state, "active")
        grant.action_revoke()
        self.assertFalse(Record.search([]))
        # An access whose end date has passed gives nothing, and the daily
        # job closes it.
        old = Grant.with_user(self.director).create(
            {
                "patient_id": self.patient.id,
                "user_id": self.psychologist_2.id,
                "date_from": date.today() - timedelta(days=10),
                "date_to": date.today() - timedelta(days=1),
                "reason": "Past cover",
            }
        )
        self.assertFalse(Record.search([]))
        Grant._cron_expire()
        self.assertEqual(old.state, "expired")

    def test_grant_needs_reason_and_psychologist(self):
        Grant = self.env["psy.clinical.access.grant"].with_user(self.director)
        with self.assertRaises(ValidationError):
            Grant.create(
                {
                    "patient_id": self.patient.id,
                    "user_id": self.receptionist.id,
                    "date_to": "2099-01-01",
                    "reason": "Not a psychologist",
                }
            )
        with self.assertRaises(IntegrityError), self.cr.savepoint():
            Grant.create(
                {
                    "patient_id": self.patient.id,
                    "user_id": self.psychologist_2.id,
                    "date_to": "2099-01-01",
                }
            )

    # Unsigned notes ---------------------------------------------------------

    def test_unsigned_notes_are_flagged(self):
        self.company_a.psy_unsigned_note_days = 1
        Note = self.env["psy.session.note"]
        Note._cron_flag_unsigned()
        self.assertTrue(self.note_draft.overdue_flagged)
        activity = self.session_1.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.psychologist)
        self.assertFalse(self.note_signed.overdue_flagged)
        Note._cron_flag_unsigned()
        self.assertEqual(len(self.session_1.activity_ids), 1)

    # Retention --------------------------------------------------------------

    def test_records_past_retention(self):
        Record = self.env["psy.clinical.record"].with_user(self.director)
        self.assertFalse(Record.search([("past_retention", "=", True)]))
        self.patient.write(
            {"state": "discharged", "discharge_date": self.today.replace(year=2020)}
        )
        self.assertEqual(self.record.retention_until, date(2025, 11, 23))
        self.assertEqual(Record.search([("past_retention", "=", True)]), self.record)
        self.company_a.psy_retention_years = 10
        self.record.invalidate_recordset()
        self.assertFalse(Record.search([("past_retention", "=", True)]))

    def test_end_of_care_is_last_session_while_in_care(self):
        self.assertEqual(self.record.end_of_care_date, self.session_1.start.date())

    # Session button ---------------------------------------------------------

    def test_session_button_opens_or_prepares_the_note(self):
        action = self.session_2.with_user(self.psychologist).action_open_clinical_note()
        self.assertEqual(action["res_id"], self.note_signed.id)
        patient = self._assigned_patient()
        session = self._done_session(patient=patient)
        action = session.with_user(self.psychologist).action_open_clinical_note()
        record = self.env["psy.clinical.record"].search(
            [("patient_id", "=", patient.id)]
        )
        self.assertTrue(record)
        self.assertEqual(action["context"]["default_record_id"], record.id)
        self.assertEqual(action["context"]["default_session_id"], session.id)
        with self.assertRaisesRegex(UserError, "done"):
            self._session(start=self.slot).action_open_clinical_note()

    def test_patient_with_record_cannot_be_deleted(self):
        with self.assertRaises(UserError):
            self.patient.unlink()

    def test_icd10cm_chapter_f_loaded(self):
        Code = self.env["psy.diagnosis.code"]
        self.assertGreater(Code.search_count([]), 1000)
        self.assertFalse(Code.search([("code", "not like", "F%")]))
        f32a = Code.search([("code", "=", "F32.A")])
        self.assertEqual(f32a.name, "Depression, unspecified")
        self.assertTrue(f32a.selectable)
        self.assertEqual(f32a.parent_id.code, "F32")
        # Loading again updates in place.
        Code._load_icd10cm_chapter_f()
        self.assertEqual(Code.search([("code", "=", "F32.A")]), f32a)
