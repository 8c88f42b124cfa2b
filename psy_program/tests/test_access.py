from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import PsyProgramCommon


@tagged("post_install", "-at_install")
class TestProgramAccess(PsyProgramCommon):
    """Who may see and run programs and enrolments: front desk all, a
    psychologist their own, the director reads all, billing reads, the
    administrator all; one center never sees another's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.program = cls._open_program()
        cls.enrolment = cls.Enrolment.create(
            {"program_id": cls.program.id, "patient_id": cls.patients[0].id}
        )
        cls.other_program = cls._program(
            name="Other psychologist's group",
            professional_id=cls.psychologist_2.id,
            first_start=cls.first_start + cls._hours(3),
        )
        cls.other_program.action_open()

    def _can(self, user, record, operation):
        try:
            record.with_user(user).check_access(operation)
        except AccessError:
            return False
        return True

    def test_read_and_write_per_role(self):
        expected = {
            # role: (read own, write own, read other, write other)
            "receptionist": (True, True, True, True),
            "psychologist": (True, True, False, False),
            "director": (True, False, True, False),
            "billing": (True, False, True, False),
            "manager": (True, True, True, True),
        }
        for role, (read_own, write_own, read_other, write_other) in expected.items():
            user = self.roles[role]
            with self.subTest(role=role):
                self.assertEqual(self._can(user, self.program, "read"), read_own)
                self.assertEqual(self._can(user, self.program, "write"), write_own)
                self.assertEqual(
                    self._can(user, self.other_program, "read"), read_other
                )
                self.assertEqual(
                    self._can(user, self.other_program, "write"), write_other
                )
                self.assertEqual(self._can(user, self.enrolment, "read"), read_own)
                self.assertEqual(self._can(user, self.enrolment, "write"), write_own)

    def test_receptionist_runs_the_program(self):
        program = self.other_program.with_user(self.receptionist)
        program.action_generate_sessions()
        enrolments = self._enrol(
            self.other_program, self.patients[:2], self.receptionist
        )
        self.assertEqual(set(enrolments.mapped("state")), {"enrolled"})
        enrolments[0].action_withdraw()
        program.action_start()
        self.assertEqual(program.state, "running")
        self.assertEqual(len(program.session_ids[0].participant_ids), 1)

    def test_psychologist_runs_own_program_only(self):
        enrolment = self._enrol(self.program, self.patients[1:2], self.psychologist)
        self.assertEqual(enrolment.state, "enrolled")
        self.assertIn(
            self.patients[1], self.program.session_ids[0].participant_ids.patient_id
        )
        enrolment.with_user(self.psychologist).action_withdraw()
        self.assertEqual(enrolment.state, "withdrawn")
        with self.assertRaises(AccessError):
            self._enrol(self.other_program, self.patients[2:3], self.psychologist)
        with self.assertRaises(AccessError):
            self.other_program.with_user(self.psychologist).action_generate_sessions()
        with self.assertRaises(AccessError):
            self.other_program.with_user(self.psychologist).action_cancel()
        self.assertEqual(self.other_program.state, "open")
        own = self.env["psy.program"].with_user(self.psychologist).search([])
        self.assertEqual(own, self.program)

    def test_director_reads_but_does_not_run_others(self):
        programs = self.env["psy.program"].with_user(self.director).search([])
        self.assertEqual(programs, self.program | self.other_program)
        with self.assertRaises(AccessError):
            self._enrol(self.other_program, self.patients[2:3], self.director)
        with self.assertRaises(AccessError):
            self.enrolment.with_user(self.director).action_withdraw()
        self.assertEqual(self.enrolment.state, "enrolled")

    def test_billing_reads_only(self):
        self.assertTrue(self.program.with_user(self.billing).enrolment_ids)
        with self.assertRaises(AccessError):
            self._enrol(self.program, self.patients[2:3], self.billing)
        with self.assertRaises(AccessError):
            self.enrolment.with_user(self.billing).action_withdraw()
        with self.assertRaises(AccessError):
            self.program.with_user(self.billing).action_cancel()
        with self.assertRaises(AccessError):
            self.Program.with_user(self.billing).create(
                {
                    "name": "Billing's group",
                    "professional_id": self.psychologist.id,
                    "product_id": self.group_type.id,
                    "first_start": self.first_start,
                    "company_id": self.company_a.id,
                }
            )
        self.assertEqual(self.enrolment.state, "enrolled")

    def test_manager_deletes_drafts(self):
        draft = self._program(
            name="Draft", first_start=self.first_start + self._hours(6)
        )
        with self.assertRaises(AccessError):
            draft.with_user(self.receptionist).unlink()
        draft.with_user(self.manager).unlink()
        self.assertFalse(draft.exists())

    def test_other_center_sees_nothing(self):
        env = self.env(
            user=self.receptionist_b,
            context=dict(self.env.context, allowed_company_ids=self.company_b.ids),
        )
        self.assertFalse(env["psy.program"].search([]))
        self.assertFalse(env["psy.program.enrolment"].search([]))
        with self.assertRaises(AccessError):
            self.program.with_env(env).read(["name"])
        with self.assertRaises(AccessError):
            self.enrolment.with_env(env).action_withdraw()
        self.assertEqual(self.enrolment.state, "enrolled")
