import re
from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import PsySessionCommon


@tagged("post_install", "-at_install")
class TestSessionBooking(PsySessionCommon):
    """The database refuses double bookings; the user reads which session."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.booked = cls._session()

    def test_constraints_exist(self):
        self.env.cr.execute(
            "SELECT conname FROM pg_constraint WHERE contype = 'x' "
            "AND conrelid IN ('psy_session'::regclass, "
            "'psy_session_participant'::regclass) ORDER BY conname"
        )
        self.assertEqual(
            [row[0] for row in self.env.cr.fetchall()],
            [
                "psy_session_participant_patient_no_overlap",
                "psy_session_professional_no_overlap",
                "psy_session_room_no_overlap",
            ],
        )

    def test_professional_overlap(self):
        name = re.escape(self.psychologist.name)
        with self.assertRaisesRegex(
            ValidationError,
            rf"The professional {name} is already booked from .* "
            rf"\(session of Ana López García with {name}\)",
        ):
            self._session(
                start=self.slot + timedelta(minutes=30),
                patient_id=self.patient_2.id,
                room_id=self.room_2.id,
            )

    def test_room_overlap(self):
        with self.assertRaisesRegex(
            ValidationError,
            r"The room Sala 1 is already booked .*session of Ana López García",
        ):
            self._session(
                start=self.slot - timedelta(minutes=30),
                patient_id=self.patient_2.id,
                professional_id=self.psychologist_2.id,
            )

    def test_patient_overlap(self):
        with self.assertRaisesRegex(
            ValidationError, r"The patient Ana López García is already booked"
        ):
            self._session(
                start=self.slot + timedelta(minutes=10),
                professional_id=self.psychologist_2.id,
                room_id=self.room_2.id,
            )

    def test_overlap_on_write(self):
        other = self._session(
            start=self.slot + timedelta(hours=2),
            patient_id=self.patient_2.id,
        )
        with self.assertRaisesRegex(ValidationError, "already booked"):
            other.write({"start": self.slot + timedelta(minutes=20)})

    def test_adjacent_accepted(self):
        before = self._session(
            start=self.slot - timedelta(minutes=50), patient_id=self.patient_2.id
        )
        after = self._session(start=self.booked.stop)
        self.assertEqual(before.stop, self.booked.start)
        self.assertEqual(after.start, self.booked.stop)
        self.assertEqual((before | after).mapped("state"), ["scheduled"] * 2)

    def test_cancelled_frees_no_show_holds(self):
        self.booked.action_cancel()
        again = self._session(patient_id=self.patient_2.id)
        self.assertEqual(again.state, "scheduled")
        with freeze_time(self.slot + timedelta(minutes=5)):
            again.action_no_show()
        with self.assertRaisesRegex(ValidationError, "already booked"):
            self._session()

    def test_online_sessions_without_room(self):
        online = self._session(
            start=self.slot,
            patient_id=self.patient_2.id,
            professional_id=self.psychologist_2.id,
            modality="online",
            room_id=False,
        )
        self.assertTrue(online.video_url)
        self.assertIn("/calendar/join_videocall/", online.video_url)
        self.assertEqual(online.video_url, online.calendar_event_id.videocall_location)
