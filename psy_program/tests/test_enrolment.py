from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import PsyProgramCommon


@tagged("post_install", "-at_install")
class TestEnrolment(PsyProgramCommon):
    """Places, the waiting list (first come first served) and the sessions the
    enrolled patients take part in."""

    def test_enrol_until_full_then_waiting_list(self):
        program = self._open_program(capacity=3)
        enrolments = self.Enrolment
        for index, patient in enumerate(self.patients[:5]):
            with freeze_time(self.now + timedelta(minutes=index)):
                enrolments |= self._enrol(program, patient)
        self.assertEqual(
            enrolments.mapped("state"),
            ["enrolled", "enrolled", "enrolled", "waiting", "waiting"],
        )
        self.assertEqual(enrolments.mapped("waiting_position"), [0, 0, 0, 1, 2])
        self.assertEqual(program.enrolled_count, 3)
        self.assertEqual(program.waiting_count, 2)
        self.assertEqual(program.seats_left, 0)
        self.assertEqual(program.waiting_ids, enrolments[3:])
        # Only the enrolled take part in the sessions.
        for session in program.session_ids:
            self.assertEqual(session.participant_ids.patient_id, self.patients[:3])
            self.assertEqual(
                set(session.participant_ids.mapped("attendance")), {"expected"}
            )

    def test_enrolled_before_sessions_are_booked(self):
        program = self._program(capacity=2)
        program.action_open()
        self._enrol(program, self.patients[:3])
        program.action_generate_sessions()
        self.assertEqual(len(program.session_ids), 8)
        for session in program.session_ids:
            self.assertEqual(session.participant_ids.patient_id, self.patients[:2])

    def test_withdrawal_promotes_first_waiting(self):
        program = self._open_program(capacity=2)
        enrolments = self.Enrolment
        for index, patient in enumerate(self.patients[:4]):
            with freeze_time(self.now + timedelta(minutes=index)):
                enrolments |= self._enrol(program, patient)
        first, second, third, fourth = enrolments
        second.action_withdraw()
        self.assertEqual(second.state, "withdrawn")
        self.assertEqual(second.withdraw_date, self.now)
        self.assertEqual(third.state, "enrolled")
        self.assertEqual(fourth.state, "waiting")
        self.assertEqual(fourth.waiting_position, 1)
        for session in program.session_ids:
            self.assertEqual(
                session.participant_ids.patient_id, first.patient_id | third.patient_id
            )
        self.assertIn(
            f"{third.patient_id.name} has a place in the program.",
            program.message_ids.mapped("body")[0],
        )

    def test_fifo_follows_request_date_not_creation_order(self):
        program = self._open_program(capacity=1)
        self._enrol(program, self.patients[0])
        with freeze_time(self.now + timedelta(hours=2)):
            late = self._enrol(program, self.patients[1])
        with freeze_time(self.now + timedelta(hours=1)):
            early = self._enrol(program, self.patients[2])
        self.assertEqual(early.waiting_position, 1)
        self.assertEqual(late.waiting_position, 2)
        program.enrolment_ids.filtered(
            lambda e: e.state == "enrolled"
        ).action_withdraw()
        self.assertEqual(early.state, "enrolled")
        self.assertEqual(late.state, "waiting")

    def test_withdrawal_of_waiting_keeps_places(self):
        program = self._open_program(capacity=1)
        enrolled, waiting = self._enrol(program, self.patients[:2])
        waiting.action_withdraw()
        self.assertEqual(waiting.state, "withdrawn")
        self.assertEqual(enrolled.state, "enrolled")
        self.assertEqual(program.waiting_count, 0)
        with self.assertRaisesRegex(UserError, "already withdrawn"):
            waiting.action_withdraw()

    def test_join_and_leave_only_future_sessions(self):
        program = self._open_program(capacity=3)
        early = self._enrol(program, self.patients[0])
        sessions = program.session_ids.sorted("start")
        # Two sessions later: the first is done, the second is running now.
        with freeze_time(self.first_start + timedelta(weeks=1, hours=1)):
            sessions[0].action_done()
            late = self._enrol(program, self.patients[1])
            self.assertNotIn(self.patients[1], sessions[0].participant_ids.patient_id)
            self.assertNotIn(self.patients[1], sessions[1].participant_ids.patient_id)
            for session in sessions[2:]:
                self.assertIn(self.patients[1], session.participant_ids.patient_id)
            # The early patient cancelled the fourth session in time, then
            # withdraws: the cancellation stays, the other future sessions
            # lose them, the past ones keep their attendance.
            fourth = sessions[3].participant_ids.filtered(
                lambda p: p.patient_id == self.patients[0]
            )
            fourth.action_cancel()
            early.action_withdraw()
        self.assertEqual(late.state, "enrolled")
        past = sessions[0].participant_ids.filtered(
            lambda p: p.patient_id == self.patients[0]
        )
        self.assertEqual(past.attendance, "present")
        self.assertIn(self.patients[0], sessions[1].participant_ids.patient_id)
        self.assertEqual(fourth.attendance, "cancelled")
        self.assertTrue(fourth.exists())
        for session in sessions[2:3] + sessions[4:]:
            self.assertNotIn(self.patients[0], session.participant_ids.patient_id)

    def test_reenrol_goes_to_the_end_of_the_queue(self):
        program = self._open_program(capacity=1)
        first, second = self._enrol(program, self.patients[:2])
        with freeze_time(self.now + timedelta(hours=1)):
            first.action_withdraw()
        self.assertEqual(second.state, "enrolled")
        with freeze_time(self.now + timedelta(hours=2)):
            first.action_reenrol()
        self.assertEqual(first.state, "waiting")
        self.assertEqual(first.request_date, self.now + timedelta(hours=2))
        self.assertFalse(first.withdraw_date)
        with self.assertRaisesRegex(UserError, "only a withdrawn enrolment"):
            first.action_reenrol()
        with freeze_time(self.now + timedelta(hours=3)):
            second.action_withdraw()
        self.assertEqual(first.state, "enrolled")
        self.assertEqual(first.enrol_date, self.now + timedelta(hours=3))

    def test_patient_once_per_program(self):
        program = self._open_program()
        first = self._enrol(program, self.patients[0])
        with self.assertRaisesRegex(UserError, "already has an enrolment"):
            self._enrol(program, self.patients[0])
        first.action_withdraw()
        with self.assertRaisesRegex(UserError, r"already has an enrolment .*withdrawn"):
            self._enrol(program, self.patients[0])
        self.assertEqual(len(program.enrolment_ids), 1)
        # The database refuses it too, whatever the path.
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaisesRegex(Exception, "program_patient_unique"),
            self.cr.savepoint(),
        ):
            self.env.cr.execute(
                "INSERT INTO psy_program_enrolment "
                "(program_id, patient_id, company_id, state, request_date) "
                "VALUES (%s, %s, %s, 'waiting', now())",
                (program.id, self.patients[0].id, self.company_a.id),
            )

    def test_enrolment_needs_open_program(self):
        program = self._program()
        with self.assertRaisesRegex(UserError, "is draft: it takes no enrolments"):
            self._enrol(program, self.patients[0])
        self.assertFalse(program.enrolment_ids)

    def test_enrolment_cannot_move(self):
        program = self._open_program()
        other = self._open_program(
            name="Other", first_start=self.first_start + timedelta(hours=3)
        )
        enrolment = self._enrol(program, self.patients[0])
        with self.assertRaisesRegex(UserError, "cannot be moved"):
            enrolment.program_id = other
        with self.assertRaisesRegex(UserError, "cannot be moved"):
            enrolment.patient_id = self.patients[1]
        enrolment.note = "Prefers the chair by the window"
        self.assertEqual(enrolment.program_id, program)

    def test_capacity_change(self):
        program = self._open_program(capacity=1)
        enrolments = self._enrol(program, self.patients[:3])
        self.assertEqual(enrolments.mapped("state"), ["enrolled", "waiting", "waiting"])
        program.capacity = 2
        self.assertEqual(
            enrolments.mapped("state"), ["enrolled", "enrolled", "waiting"]
        )
        self.assertIn(
            self.patients[1], program.session_ids[0].participant_ids.patient_id
        )
        with self.assertRaisesRegex(ValidationError, "cannot go below that"):
            program.capacity = 1
        self.assertEqual(program.capacity, 2)

    def test_patient_of_another_center(self):
        program = self._open_program()
        other = self.env["psy.patient"].create(
            {
                "firstname": "Otra",
                "lastname": "Sede",
                "company_id": self.company_b.id,
            }
        )
        with self.assertRaises(UserError):
            self._enrol(program, other)

    def test_delete_only_without_place(self):
        program = self._open_program(capacity=1)
        enrolled, waiting = self._enrol(program, self.patients[:2])
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            enrolled.unlink()
        waiting.unlink()
        self.assertFalse(waiting.exists())

    def test_patient_double_booked_cannot_join(self):
        program = self._open_program()
        # The patient has an individual session at the time of the 2nd session.
        self._session(
            start=self.first_start + timedelta(weeks=1),
            professional_id=self.psychologist_2.id,
            room_id=self.room_2.id,
        )
        with self.assertRaisesRegex(ValidationError, "already"):
            self._enrol(program, self.patient)

    def test_patient_smart_button(self):
        program = self._open_program()
        self._enrol(program, self.patients[0])
        self.assertEqual(self.patients[0].program_count, 1)
        action = self.patients[0].action_view_programs()
        self.assertEqual(
            self.env["psy.program.enrolment"].search(action["domain"]).program_id,
            program,
        )
