from datetime import timedelta

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import PsySessionCommon


@tagged("post_install", "-at_install")
class TestSessionCalendar(PsySessionCommon):
    def test_event_created(self):
        session = self._session()
        event = session.calendar_event_id
        self.assertTrue(event)
        self.assertEqual(event.psy_session_id, session)
        self.assertEqual((event.start, event.stop), (session.start, session.stop))
        self.assertEqual(event.user_id, self.psychologist)
        self.assertEqual(
            event.partner_ids,
            self.psychologist.partner_id | self.patient.partner_id,
        )
        self.assertEqual(event.location, "Sala 1")

    def test_session_move_moves_event(self):
        session = self._session()
        new_start = self.slot + timedelta(days=1, hours=2)
        session.write({"start": new_start})
        self.assertEqual(session.stop, new_start + timedelta(minutes=50))
        self.assertEqual(session.calendar_event_id.start, new_start)
        self.assertEqual(session.calendar_event_id.stop, session.stop)
        session.room_id = self.room_2
        self.assertEqual(session.calendar_event_id.location, "Sala 2")

    def test_calendar_move_moves_session(self):
        session = self._session()
        event = session.calendar_event_id.with_user(self.psychologist)
        new_start = self.slot + timedelta(hours=3)
        event.write({"start": new_start, "stop": new_start + timedelta(hours=1)})
        self.assertEqual(session.start, new_start)
        self.assertEqual(session.stop, new_start + timedelta(hours=1))

    def test_calendar_move_refused_on_conflict(self):
        session = self._session()
        self._session(
            start=self.slot + timedelta(hours=3), patient_id=self.patient_2.id
        )
        with self.assertRaisesRegex(Exception, "already booked"):
            session.calendar_event_id.write(
                {
                    "start": self.slot + timedelta(hours=3),
                    "stop": self.slot + timedelta(hours=4),
                }
            )

    def test_cancel_archives_event(self):
        session = self._session()
        event = session.calendar_event_id
        session.action_cancel()
        self.assertFalse(event.active)
        self.assertEqual(session.calendar_event_id, event)

    def test_patient_change_updates_attendees(self):
        session = self._session()
        session.patient_id = self.patient_2
        self.assertEqual(
            session.calendar_event_id.partner_ids,
            self.psychologist.partner_id | self.patient_2.partner_id,
        )

    def test_calendar_delete_refused(self):
        session = self._session()
        event = session.calendar_event_id
        for user in (self.psychologist, self.env.user):
            with self.assertRaisesRegex(UserError, "Cancel the session"):
                event.with_user(user).unlink()
        self.assertTrue(event.exists())
        self.assertEqual(session.state, "scheduled")
        # An event that is no session is deleted as usual.
        other = self.env["calendar.event"].create(
            {
                "name": "Team meeting",
                "start": self.slot,
                "stop": self.slot + timedelta(hours=1),
            }
        )
        other.unlink()
        self.assertFalse(other.exists())

    def test_session_delete_deletes_event(self):
        session = self._session()
        cancelled = self._session(start=self.slot + timedelta(hours=2))
        cancelled.action_cancel()
        events = (session | cancelled).with_context(active_test=False).calendar_event_id
        self.assertEqual(len(events), 2)
        (session | cancelled).with_user(self.manager).unlink()
        self.assertFalse(events.exists())
