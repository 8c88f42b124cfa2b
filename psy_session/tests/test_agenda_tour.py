from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged

from .common import PsySessionCommon


@tagged("post_install", "-at_install")
class TestAgendaArrivalTour(PsySessionCommon, HttpCase):
    """In a real browser: the front desk marks the patient as arrived, then
    the session as done, from the popover of the agenda (four clicks).

    The browser runs on the real clock, so this class does not freeze it:
    the session starts a few minutes before now, today."""

    freeze_time = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.psychologist.name = "Tour Psychologist"
        for user in (cls.receptionist, cls.psychologist):
            user.tz = "UTC"
        now = fields.Datetime.now().replace(second=0, microsecond=0)
        start = now - timedelta(minutes=5)
        if start.date() != now.date():
            start = now
        cls.booked = cls._session(start=start)

    def test_arrival_and_done_from_the_agenda(self):
        self.start_tour(
            "/odoo/action-psy_session.psy_session_action",
            "psy_agenda_arrival",
            login="t_reception",
        )
        self.booked.invalidate_recordset()
        self.assertTrue(self.booked.arrived_at)
        self.assertEqual(self.booked.state, "done")
        self.assertEqual(self.booked.participant_ids.attendance, "present")
