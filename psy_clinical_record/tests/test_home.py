from datetime import timedelta

from odoo.tests import tagged

from .common import PsyClinicalCommon


@tagged("post_install", "-at_install")
class TestClinicalHome(PsyClinicalCommon):
    """The psychologist's and the director's home tiles of the clinical
    record, counted for a user of each role under their own rights."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A patient of the other psychologist, with a draft note, a done
        # session without a note and a high risk, to which ``psychologist``
        # holds a temporary access: none of it is ``psychologist``'s work.
        cls.other_patient = cls._assigned_patient(
            cls.psychologist_2, firstname="Olga", lastname="Otra"
        )
        as_psy2 = cls.env(user=cls.psychologist_2)
        cls.other_record = as_psy2["psy.clinical.record"].create(
            {
                "patient_id": cls.other_patient.id,
                "reason": "Grief",
                "risk_level": "high",
            }
        )
        other_session = cls._done_session(cls.other_patient, cls.psychologist_2)
        as_psy2["psy.session.note"].create(
            {
                "record_id": cls.other_record.id,
                "session_id": other_session.id,
                "template_id": cls.soap.id,
            }
        )
        cls._done_session(cls.other_patient, cls.psychologist_2)
        cls.env(user=cls.director)["psy.clinical.access.grant"].create(
            {
                "patient_id": cls.other_patient.id,
                "user_id": cls.psychologist.id,
                "date_to": cls.today + timedelta(days=10),
                "reason": "Covering a leave",
            }
        )

    def _counts(self, user, home):
        data = self.env["psy.home"].with_user(user).get_home(home)
        return {tile["key"]: tile["count"] for tile in data["tiles"]}

    def test_psychologist_counts_own_work_only(self):
        counts = self._counts(self.psychologist, "psychologist")
        self.assertEqual(counts["psy_clinical_record.notes_to_sign"], 1)
        self.assertEqual(counts["psy_clinical_record.done_without_note"], 0)
        self.assertEqual(counts["psy_clinical_record.high_risk"], 0)
        # The temporary access opens the other patient's record, but the
        # tiles count the psychologist's own patients and notes only.
        self.assertTrue(
            self.other_record.with_user(self.psychologist).has_access("read")
        )
        self._done_session()
        self.record.risk_level = "imminent"
        counts = self._counts(self.psychologist, "psychologist")
        self.assertEqual(counts["psy_clinical_record.done_without_note"], 1)
        self.assertEqual(counts["psy_clinical_record.high_risk"], 1)
        counts_2 = self._counts(self.psychologist_2, "psychologist")
        self.assertEqual(counts_2["psy_clinical_record.notes_to_sign"], 1)
        self.assertEqual(counts_2["psy_clinical_record.done_without_note"], 1)
        self.assertEqual(counts_2["psy_clinical_record.high_risk"], 1)

    def test_tile_opens_what_it_counts(self):
        Home = self.env["psy.home"].with_user(self.psychologist)
        action = Home.action_open_tile(
            "psychologist", "psy_clinical_record.notes_to_sign"
        )
        self.assertEqual(action["res_model"], "psy.session.note")
        notes = (
            self.env["psy.session.note"]
            .with_user(self.psychologist)
            .search(action["domain"])
        )
        self.assertEqual(notes, self.note_draft)

    def test_director_unsigned_notes_older_than_setting(self):
        self.assertEqual(self.company_a.psy_unsigned_note_days, 3)
        old_session = self._done_session(days_ago=5)
        old_note = self.env(user=self.psychologist)["psy.session.note"].create(
            {
                "record_id": self.record.id,
                "session_id": old_session.id,
                "template_id": self.soap.id,
            }
        )
        key = "psy_clinical_record.unsigned_overdue"
        self.assertEqual(self._counts(self.director, "director")[key], 1)
        action = (
            self.env["psy.home"]
            .with_user(self.director)
            .action_open_tile("director", key)
        )
        self.assertEqual(
            self.env["psy.session.note"]
            .with_user(self.director)
            .search(action["domain"]),
            old_note,
        )
        # With one day to sign, the drafts of two days ago are overdue too.
        self.company_a.psy_unsigned_note_days = 1
        self.assertEqual(self._counts(self.director, "director")[key], 3)
        # A psychologist has no director home.
        self.assertNotIn(
            "director",
            [
                h["key"]
                for h in self.env["psy.home"]
                .with_user(self.psychologist)
                .get_home()["homes"]
            ],
        )

    def test_director_sees_reads_outside_care(self):
        key = "psy_clinical_record.access_outside_care"
        Log = self.env["psy.clinical.access.log"]
        # Only the fixture's line, written by the superuser.
        before = self._counts(self.director, "director")[key]
        # The psychologist reads the other psychologist's patient under the
        # temporary access: outside care. Own patients and the director's
        # reads are not.
        Log.with_user(self.psychologist)._write_entries(self.other_record, "read")
        Log.with_user(self.psychologist)._write_entries(self.record, "read")
        Log.with_user(self.director)._write_entries(self.other_record, "read")
        counts = self._counts(self.director, "director")
        self.assertEqual(counts[key], before + 1)
        self.assertEqual(counts["psy_clinical_record.access_grants"], 1)
        action = (
            self.env["psy.home"]
            .with_user(self.director)
            .action_open_tile("director", key)
        )
        lines = Log.with_user(self.director).search(
            action["domain"] + [("user_id", "!=", self.env.uid)]
        )
        self.assertEqual(lines.user_id, self.psychologist)
        self.assertEqual(lines.patient_id, self.other_patient)
        self.assertEqual(action["context"].get("search_default_groupby_user"), 1)
        own = Log.search(
            [("outside_care", "=", False), ("user_id", "=", self.psychologist.id)]
        )
        self.assertEqual(own.patient_id, self.patient)
        self.assertFalse(own.outside_care)

    def test_front_desk_and_billing_see_no_clinical_tile(self):
        pairs = ((self.receptionist, "front_desk"), (self.billing, "accountant"))
        for user, home in pairs:
            keys = self._counts(user, home)
            self.assertFalse(
                [k for k in keys if k.startswith("psy_clinical_record.")], user.login
            )
