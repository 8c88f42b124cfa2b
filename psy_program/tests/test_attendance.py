from datetime import timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .common import PsyProgramCommon


@tagged("post_install", "-at_install")
class TestAttendance(PsyProgramCommon):
    """The attendance sheet of a program: the participants of its sessions,
    recorded with the participants' own buttons."""

    def test_attendance_sheet(self):
        program = self._open_program(capacity=3)
        self._enrol(program, self.patients[:3])
        program.action_start()
        first = program.session_ids.sorted("start")[0]
        present, absent, cancelled = first.participant_ids.sorted(
            lambda p: self.patients.ids.index(p.patient_id.id)
        )
        # Two days before: one participant cancels in time.
        with freeze_time(self.first_start - timedelta(days=2)):
            cancelled.action_cancel()
        with freeze_time(self.first_start + timedelta(minutes=10)):
            absent.action_no_show()
            first.action_done()
        self.assertEqual(present.attendance, "present")
        self.assertEqual(absent.attendance, "no_show")
        self.assertEqual(cancelled.attendance, "cancelled")
        self.assertEqual(first.state, "done")
        self.assertEqual(program.session_done_count, 1)
        # The sheet shows every participant of every session of the program.
        self.assertEqual(len(program.participant_ids), 8 * 3)
        self.assertEqual(program.participant_ids.program_id, program)
        action = program.action_view_attendance()
        Participant = self.env["psy.session.participant"]
        rows = Participant.search(action["domain"])
        self.assertEqual(rows, program.participant_ids)
        groups = Participant._read_group(
            action["domain"] + [("session_id", "=", first.id)],
            ["attendance"],
            ["__count"],
        )
        self.assertEqual(dict(groups), {"present": 1, "no_show": 1, "cancelled": 1})
        sessions = self.env["psy.session"].search(
            program.action_view_sessions()["domain"]
        )
        self.assertEqual(sessions, program.session_ids)

    def test_attendance_by_the_psychologist(self):
        program = self._open_program(capacity=2)
        self._enrol(program, self.patients[:2])
        first = program.session_ids.sorted("start")[0]
        with freeze_time(self.first_start + timedelta(minutes=10)):
            line = first.participant_ids[0].with_user(self.psychologist)
            line.action_no_show()
            line.action_reset()
            line.action_present()
            first.with_user(self.psychologist).action_done()
        self.assertEqual(
            first.participant_ids.mapped("attendance"), ["present", "present"]
        )

    def test_group_session_stays_when_one_cancels(self):
        program = self._open_program(capacity=2)
        self._enrol(program, self.patients[:2])
        first = program.session_ids.sorted("start")[0]
        with freeze_time(self.first_start - timedelta(days=2)):
            first.participant_ids.action_cancel()
        # A group session is not cancelled with its participants.
        self.assertEqual(first.state, "scheduled")
