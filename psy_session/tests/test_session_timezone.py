from datetime import datetime, timedelta

import pytz
from freezegun import freeze_time

from odoo.tests import tagged

from .common import PsySessionCommon

MADRID = pytz.timezone("Europe/Madrid")


@tagged("post_install", "-at_install")
class TestSessionTimezone(PsySessionCommon):
    """Europe/Madrid changes its clocks on 25 October 2026 (03:00 CEST becomes
    02:00 CET) and on 28 March 2027 (02:00 CET becomes 03:00 CEST). Series,
    cancellation windows, reminders and printed dates follow the local clock
    of the reader: the user's time zone, else the center's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a.partner_id.tz = "Europe/Madrid"
        # No time zone of their own: the center's applies.
        (cls.receptionist | cls.psychologist).tz = False

    @staticmethod
    def _local(value):
        return pytz.utc.localize(value).astimezone(MADRID)

    def _series(self, start, **vals):
        wizard = (
            self.env["psy.session.recurrence.wizard"]
            .with_user(self.receptionist)
            .create(
                {
                    "patient_id": self.patient.id,
                    "professional_id": self.psychologist.id,
                    "product_id": self.individual.id,
                    "room_id": self.room_1.id,
                    "start": start,
                    **vals,
                }
            )
        )
        wizard.action_create()
        self.assertFalse(wizard.conflict_count)
        return wizard.line_ids.session_id.sorted("start")

    @freeze_time("2026-10-01 08:00:00")
    def test_weekly_series_across_october_change(self):
        # Tuesday 20 October 2026, 10:00 in Madrid (CEST, UTC+2).
        sessions = self._series(datetime(2026, 10, 20, 8, 0), count=3)
        self.assertEqual(
            sessions.mapped("start"),
            [
                datetime(2026, 10, 20, 8, 0),
                datetime(2026, 10, 27, 9, 0),  # CET, UTC+1: still 10:00 local
                datetime(2026, 11, 3, 9, 0),
            ],
        )
        for session in sessions:
            local = self._local(session.start)
            self.assertEqual((local.weekday(), local.hour, local.minute), (1, 10, 0))
            self.assertEqual(session.calendar_event_id.start, session.start)

    @freeze_time("2027-03-01 08:00:00")
    def test_weekly_series_across_march_change(self):
        # Tuesday 23 March 2027, 10:00 in Madrid (CET, UTC+1), until 6 April.
        sessions = self._series(
            datetime(2027, 3, 23, 9, 0),
            end_type="until",
            until=datetime(2027, 4, 6).date(),
        )
        self.assertEqual(
            sessions.mapped("start"),
            [
                datetime(2027, 3, 23, 9, 0),
                datetime(2027, 3, 30, 8, 0),  # CEST, UTC+2: still 10:00 local
                datetime(2027, 4, 6, 8, 0),
            ],
        )
        self.assertEqual({self._local(s.start).hour for s in sessions}, {10})

    @freeze_time("2026-10-01 08:00:00")
    def test_repeat_from_session_keeps_local_hour(self):
        session = self._session(start=datetime(2026, 10, 20, 8, 0))
        wizard = (
            self.env["psy.session.recurrence.wizard"]
            .with_user(self.receptionist)
            .with_context(default_session_id=session.id)
            .create({})
        )
        self.assertEqual(wizard.start, datetime(2026, 10, 27, 9, 0))

    def test_late_cancellation_window_across_october_change(self):
        """Sunday 25 October 2026, 10:00 CET (09:00 UTC), 24 h window: in time
        until Saturday 10:00 CEST (08:00 UTC), 25 hours earlier."""
        start = datetime(2026, 10, 25, 9, 0)
        with freeze_time("2026-10-01 08:00:00"):
            in_time = self._session(start=start)
        with freeze_time("2026-10-24 08:00:00"):
            in_time.with_user(self.receptionist).action_cancel()
        self.assertEqual(in_time.state, "cancelled")
        self.assertEqual(in_time.cancel_date, datetime(2026, 10, 24, 8, 0))
        late = self._session(start=start)
        # 10:00:01 local on Saturday: late, although 24 h 59 min before the start.
        with freeze_time("2026-10-24 08:00:01"):
            late.with_user(self.receptionist).action_cancel()
        self.assertEqual(late.state, "late_cancelled")

    def test_late_cancellation_window_across_march_change(self):
        """Sunday 28 March 2027, 10:00 CEST (08:00 UTC), 24 h window: in time
        until Saturday 10:00 CET (09:00 UTC), 23 hours earlier."""
        start = datetime(2027, 3, 28, 8, 0)
        in_time = self._session(start=start)
        # Only 23 h 30 min before the start, but 09:30 local on Saturday: in
        # time on the local clock.
        with freeze_time("2027-03-27 08:30:00"):
            in_time.with_user(self.receptionist).action_cancel()
        self.assertEqual(in_time.state, "cancelled")
        late = self._session(start=start)
        with freeze_time("2027-03-27 09:00:01"):
            late.with_user(self.receptionist).action_cancel()
        self.assertEqual(late.state, "late_cancelled")

    def test_user_time_zone_first(self):
        """A user with a time zone of their own counts the window on it."""
        self.receptionist.tz = "UTC"
        start = datetime(2026, 10, 25, 9, 0)
        session = self._session(start=start)
        # 08:30 UTC on Saturday: 24 h 30 min before, in time on a UTC clock.
        with freeze_time("2026-10-24 08:30:00"):
            session.with_user(self.receptionist).action_cancel()
        self.assertEqual(session.state, "cancelled")

    def test_reminder_prints_local_time_after_the_change(self):
        # Tuesday 27 October 2026, 10:00 CET = 09:00 UTC.
        session = self._session(start=datetime(2026, 10, 27, 9, 0))
        with freeze_time("2026-10-26 12:00:00"):
            self.env["psy.session"]._cron_send_reminders()
        mail = self.env["mail.mail"].search(
            [("model", "=", "psy.session"), ("res_id", "=", session.id)]
        )
        self.assertEqual(len(mail), 1)
        self.assertIn("10:00", mail.subject)
        self.assertNotIn("9:00", mail.subject)

    def test_messages_print_local_time(self):
        session = self._session(start=datetime(2026, 10, 27, 9, 0))
        printed = session.with_user(self.receptionist)._psy_format_datetime(
            session.start
        )
        self.assertIn("10:00", printed)
        with freeze_time(datetime(2026, 10, 27, 9, 0) - timedelta(hours=2)):
            with self.assertRaisesRegex(Exception, r"starts on .*10:00"):
                session.with_user(self.psychologist).action_done()
