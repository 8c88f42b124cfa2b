from datetime import datetime, timedelta

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import PsyProgramCommon

# Context keys that once changed a guard or the clock somewhere in the suite.
OLD_CONTEXTS = (
    {},
    {"psy_now": datetime(2026, 11, 30, 12, 0)},
    {"psy_today": datetime(2026, 11, 30).date()},
    {"psy_session_sync": True},
    {"psy_program_force": True, "psy_now": datetime(2026, 11, 30, 12, 0)},
)


@tagged("post_install", "-at_install")
class TestProgramWritePaths(PsyProgramCommon):
    """Hostile write paths: whatever the role and the context, the status of a
    program, the status, dates and pack of an enrolment and the program of a
    session change only through the actions, and a refused call changes
    nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.program = cls._open_program(capacity=1, pack_product_id=cls.program_pack.id)
        cls.enrolled, cls.waiting = cls.Enrolment.create(
            [
                {"program_id": cls.program.id, "patient_id": cls.patients[0].id},
                {"program_id": cls.program.id, "patient_id": cls.patients[1].id},
            ]
        )
        cls.voucher = cls._voucher(product=cls.program_pack, patient=cls.patients[1])
        cls.other_program = cls._program(
            name="Other", first_start=cls.first_start + timedelta(hours=3)
        )
        cls.loose_session = cls._session(
            start=cls.first_start + timedelta(days=1),
            product_id=cls.group_type.id,
            patient_id=False,
            company_id=cls.company_a.id,
        )
        cls.program_values = {"state": ["draft", "running", "done", "cancelled"]}
        cls.enrolment_values = {
            "state": ["enrolled", "withdrawn"],
            "request_date": [cls.now - timedelta(days=30)],
            "enrol_date": [cls.now - timedelta(days=30)],
            "withdraw_date": [cls.now],
            "voucher_id": [cls.voucher.id],
        }

    def _snapshot(self):
        records = self.program | self.other_program
        records.invalidate_recordset()
        (self.enrolled | self.waiting).invalidate_recordset()
        self.loose_session.invalidate_recordset()
        return (
            [(p.state, p.enrolled_count, p.waiting_count) for p in records],
            [
                tuple(e[name] for name in self.enrolment_values)
                for e in self.enrolled | self.waiting
            ],
            self.loose_session.program_id,
            self.program.session_ids,
            self.program.session_ids.participant_ids,
        )

    def test_guarded_fields_cover_the_actions(self):
        self.assertEqual(
            self.env["psy.program"]._psy_guarded_fields() & {"state"}, {"state"}
        )
        self.assertEqual(
            self.env["psy.program.enrolment"]._psy_guarded_fields()
            & set(self.enrolment_values),
            set(self.enrolment_values),
        )
        self.assertIn("program_id", self.env["psy.session"]._psy_guarded_fields())

    def test_program_status_refused(self):
        before = self._snapshot()
        for role, user in self.roles.items():
            for context in OLD_CONTEXTS:
                for value in self.program_values["state"]:
                    with self.subTest(role=role, context=context, value=value):
                        program = self.program.with_user(user).with_context(**context)
                        with self.assertRaises(UserError):
                            program.write({"state": value})
                        self.assertEqual(self._snapshot(), before)

    def test_program_created_in_draft_only(self):
        for role in ("receptionist", "psychologist", "manager"):
            for context in OLD_CONTEXTS:
                with self.subTest(role=role, context=context):
                    with self.assertRaisesRegex(UserError, "always a draft"):
                        self._program(
                            env=self.env(user=self.roles[role], context=context),
                            state="running",
                            name="Sneaky",
                        )
        self.assertFalse(self.env["psy.program"].search([("name", "=", "Sneaky")]))

    def test_enrolment_fields_refused(self):
        before = self._snapshot()
        for role, user in self.roles.items():
            for context in OLD_CONTEXTS:
                for field, values in self.enrolment_values.items():
                    for value in values:
                        with self.subTest(role=role, context=context, field=field):
                            for enrolment in self.enrolled | self.waiting:
                                record = enrolment.with_user(user).with_context(
                                    **context
                                )
                                with self.assertRaises(UserError):
                                    record.write({field: value})
                            self.assertEqual(self._snapshot(), before)

    def test_enrolment_created_waiting_only(self):
        before = self._snapshot()
        patient = self.patients[2]
        for role in ("receptionist", "psychologist", "manager"):
            Enrolment = self.Enrolment.with_user(self.roles[role])
            for context in OLD_CONTEXTS:
                for field, values in self.enrolment_values.items():
                    for value in values:
                        if field == "state" and value == "waiting":
                            continue
                        with self.subTest(role=role, context=context, field=field):
                            with self.assertRaisesRegex(
                                UserError, "Withdraw, Re-enrol"
                            ):
                                Enrolment.with_context(**context).create(
                                    {
                                        "program_id": self.program.id,
                                        "patient_id": patient.id,
                                        field: value,
                                    }
                                )
                            self.assertEqual(self._snapshot(), before)
        self.assertFalse(patient.program_enrolment_ids)
        # Asked properly, the patient joins the waiting list (the program is
        # full), with the real request date.
        enrolment = self.Enrolment.with_user(self.receptionist).create(
            {"program_id": self.program.id, "patient_id": patient.id}
        )
        self.assertEqual(enrolment.state, "waiting")
        self.assertEqual(enrolment.request_date, self.now)

    def test_session_program_link_refused(self):
        before = self._snapshot()
        for role, user in self.roles.items():
            for context in OLD_CONTEXTS:
                with self.subTest(role=role, context=context):
                    with self.assertRaises(UserError):
                        self.loose_session.with_user(user).with_context(
                            **context
                        ).write({"program_id": self.program.id})
                    session = self.program.session_ids[0]
                    with self.assertRaises(UserError):
                        session.with_user(user).with_context(**context).write(
                            {"program_id": self.other_program.id}
                        )
                    with self.assertRaises(UserError):
                        session.with_user(user).with_context(**context).write(
                            {"program_id": False}
                        )
                    self.assertEqual(self._snapshot(), before)

    def test_session_created_with_program_refused(self):
        for role in ("receptionist", "psychologist"):
            with self.subTest(role=role):
                with self.assertRaises(UserError):
                    self.Session.with_user(self.roles[role]).create(
                        {
                            "product_id": self.group_type.id,
                            "professional_id": self.psychologist.id,
                            "company_id": self.company_a.id,
                            "start": self.first_start + timedelta(days=2),
                            "program_id": self.program.id,
                        }
                    )
        self.assertEqual(len(self.program.session_ids), 8)

    def test_unlink_refused_for_places(self):
        before = self._snapshot()
        for role in ("receptionist", "manager"):
            with self.subTest(role=role):
                with self.assertRaises(UserError):
                    self.enrolled.with_user(self.roles[role]).unlink()
                with self.assertRaises(UserError):
                    self.program.with_user(self.roles[role]).unlink()
        for role in ("psychologist", "director", "billing"):
            with self.subTest(role=role):
                with self.assertRaises(UserError):
                    self.waiting.with_user(self.roles[role]).unlink()
        self.assertEqual(self._snapshot(), before)
