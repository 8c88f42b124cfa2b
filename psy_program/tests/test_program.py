from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import PsyProgramCommon


@tagged("post_install", "-at_install")
class TestProgram(PsyProgramCommon):
    """A program books its series of group sessions and moves through its
    status with its buttons."""

    def test_generate_sessions(self):
        program = self._program()
        program.action_generate_sessions()
        sessions = program.session_ids.sorted("start")
        self.assertEqual(len(sessions), 8)
        self.assertEqual(program.session_count, 8)
        self.assertEqual(sessions[0].start, self.first_start)
        to_local = self.env["psy.session.recurrence.wizard"]._psy_to_local
        locals_ = [to_local(s.start) for s in sessions]
        for before, after in zip(locals_, locals_[1:], strict=False):
            self.assertEqual(after - before, timedelta(weeks=1))
            self.assertEqual(after.time(), before.time())
        self.assertEqual(program.weekday, str(locals_[0].weekday()))
        self.assertEqual(set(sessions.mapped("session_kind")), {"group"})
        self.assertEqual(sessions.product_id, self.group_type)
        self.assertEqual(sessions.professional_id, self.psychologist)
        self.assertEqual(sessions.room_id, self.group_room)
        self.assertEqual(sessions.company_id, self.company_a)
        self.assertEqual(set(sessions.mapped("state")), {"scheduled"})
        self.assertEqual(program.last_start, sessions[-1].start)
        # The agenda names the sessions after the program and its count.
        self.assertEqual(
            sessions[0].participants_label, "Mindfulness (MBSR) autumn (0)"
        )
        self.assertEqual(sessions[0].name, "Mindfulness (MBSR) autumn (0)")

    def test_generate_once_and_only_draft_or_open(self):
        program = self._program()
        program.action_generate_sessions()
        with self.assertRaisesRegex(UserError, "already booked"):
            program.action_generate_sessions()
        self.assertEqual(program.session_count, 8)
        other = self._program(
            name="Other", first_start=self.first_start + timedelta(hours=3)
        )
        other.action_open()
        other.action_cancel()
        with self.assertRaisesRegex(UserError, "is cancelled"):
            other.action_generate_sessions()
        self.assertFalse(other.session_ids)

    def test_generate_clash_books_nothing(self):
        # The professional is busy at the time of the fourth session.
        self._session(
            start=self.first_start + timedelta(weeks=3),
            professional_id=self.psychologist.id,
        )
        program = self._program()
        with self.assertRaisesRegex(ValidationError, "already booked"):
            program.action_generate_sessions()
        self.assertFalse(program.session_ids)

    def test_label_counts_participants(self):
        program = self._open_program()
        self._enrol(program, self.patients[:2])
        session = program.session_ids[0]
        self.assertEqual(session.participants_label, "Mindfulness (MBSR) autumn (2)")
        program.name = "MBSR winter"
        self.assertEqual(session.participants_label, "MBSR winter (2)")
        self.assertEqual(session.name, "MBSR winter (2)")

    def test_group_type_required(self):
        with self.assertRaisesRegex(ValidationError, "not a group session type"):
            self._program(product_id=self.individual.id)

    def test_capacity_within_type(self):
        with self.assertRaisesRegex(ValidationError, "between 1 and 10"):
            self._program(capacity=0)
        with self.assertRaisesRegex(ValidationError, "between 1 and 10"):
            self._program(capacity=11)
        with self.assertRaisesRegex(ValidationError, "between 1 and 10"):
            self._program(capacity=-1)
        default = self.Program.create(
            {
                "name": "Default capacity",
                "professional_id": self.psychologist.id,
                "product_id": self.group_type.id,
                "first_start": self.first_start,
                "company_id": self.company_a.id,
            }
        )
        self.assertEqual(default.capacity, 10)
        self.assertEqual(default.planned_count, 8)
        self.assertEqual(default.state, "draft")

    def test_planned_count_bounds(self):
        with self.assertRaisesRegex(ValidationError, "between 1 and 104 sessions"):
            self._program(planned_count=0)
        with self.assertRaisesRegex(ValidationError, "between 1 and 104 sessions"):
            self._program(planned_count=105)

    def test_online_program_has_no_room(self):
        with self.assertRaisesRegex(ValidationError, "does not use a room"):
            self._program(modality="online")

    def test_series_fixed_once_booked(self):
        program = self._program()
        program.first_start = self.first_start + timedelta(hours=1)
        program.action_generate_sessions()
        for field, value in (
            ("first_start", self.first_start),
            ("planned_count", 10),
            ("room_id", self.room_1.id),
            ("professional_id", self.psychologist_2.id),
        ):
            with self.assertRaisesRegex(UserError, "already has its sessions"):
                program.write({field: value})
        # Same values and other fields are fine.
        program.write(
            {"planned_count": 8, "name": "Renamed", "description": "Bring a mat"}
        )
        self.assertEqual(program.name, "Renamed")

    def test_status_flow(self):
        program = self._program()
        with self.assertRaisesRegex(
            UserError, "only a program open for enrolment can start"
        ):
            program.action_start()
        program.action_open()
        self.assertEqual(program.state, "open")
        with self.assertRaisesRegex(UserError, "only a draft program"):
            program.action_open()
        with self.assertRaisesRegex(UserError, "has no sessions"):
            program.action_start()
        program.action_generate_sessions()
        program.action_start()
        self.assertEqual(program.state, "running")
        with self.assertRaisesRegex(UserError, "8 sessions .* are still scheduled"):
            program.action_done()
        self.assertEqual(program.state, "running")

    def test_done_once_sessions_closed(self):
        program = self._open_program(planned_count=2)
        self._enrol(program, self.patients[:2])
        program.action_start()
        with freeze_time(self.first_start + timedelta(weeks=1, hours=3)):
            program.session_ids.action_done()
            program.action_done()
        self.assertEqual(program.state, "done")
        self.assertEqual(program.session_done_count, 2)
        with self.assertRaisesRegex(UserError, "can no longer be cancelled"):
            program.action_cancel()

    def test_cancel_cancels_future_sessions(self):
        program = self._open_program()
        self._enrol(program, self.patients[:2])
        program.action_start()
        first = program.session_ids.sorted("start")[0]
        with freeze_time(self.first_start + timedelta(hours=3)):
            first.action_done()
            program.action_cancel()
        self.assertEqual(program.state, "cancelled")
        self.assertEqual(first.state, "done")
        others = program.session_ids - first
        self.assertEqual(set(others.mapped("state")), {"cancelled"})
        self.assertEqual(
            set(others.participant_ids.mapped("attendance")), {"cancelled"}
        )
        with self.assertRaisesRegex(UserError, "takes no enrolments"):
            self._enrol(program, self.patients[2:3])

    def test_delete_only_draft_without_sessions(self):
        program = self._program()
        program.action_generate_sessions()
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            program.unlink()
        empty = self._program(
            name="Empty", first_start=self.first_start + timedelta(hours=3)
        )
        empty.action_open()
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            empty.unlink()
        draft = self._program(
            name="Draft", first_start=self.first_start + timedelta(hours=6)
        )
        draft.unlink()
        self.assertFalse(draft.exists())
