from datetime import datetime

from freezegun import freeze_time

from odoo.tests import tagged

from .common import PsySessionCommon


@tagged("post_install", "-at_install")
class TestSessionHome(PsySessionCommon):
    """The day on the front desk's and the psychologist's homes, and the
    "Today" list of the Agenda menu."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Today (23 November 2026, UTC; the users have no time zone):
        # 12:00 and 09:00 for psychologist, 10:00 for psychologist_2, a
        # cancelled one, and tomorrow's session which is not today.
        cls.late = cls._session(start=datetime(2026, 11, 23, 12, 0))
        cls.early = cls._session(start=datetime(2026, 11, 23, 9, 0))
        cls.other = cls._session(
            start=datetime(2026, 11, 23, 10, 0),
            patient_id=cls.patient_2.id,
            professional_id=cls.psychologist_2.id,
            room_id=cls.room_2.id,
        )
        cls.cancelled = cls._session(start=datetime(2026, 11, 23, 15, 0))
        cls.cancelled.action_cancel()
        cls.tomorrow = cls._session()

    def _tiles(self, user, home):
        data = self.env["psy.home"].with_user(user).get_home(home)
        return {tile["key"]: tile for tile in data["tiles"]}

    def _open(self, user, home, key):
        action = self.env["psy.home"].with_user(user).action_open_tile(home, key)
        return action, self.env["psy.session"].with_user(user).search(action["domain"])

    def test_front_desk_arrivals(self):
        tiles = self._tiles(self.receptionist, "front_desk")
        self.assertEqual(tiles["psy_session.arrivals"]["count"], 3)
        action, sessions = self._open(
            self.receptionist, "front_desk", "psy_session.arrivals"
        )
        self.assertEqual(sessions, self.early | self.other | self.late)
        self.assertEqual(action["res_model"], "psy.session")

    def test_psychologist_day_is_own(self):
        for user, expected in (
            (self.psychologist, self.early | self.late),
            (self.psychologist_2, self.other),
        ):
            tiles = self._tiles(user, "psychologist")
            self.assertEqual(tiles["psy_session.my_day"]["count"], len(expected))
            __, sessions = self._open(user, "psychologist", "psy_session.my_day")
            self.assertEqual(sessions, expected)

    def test_today_in_reader_time_zone(self):
        """At 23:30 UTC it is already the 24th in Madrid: tomorrow's session
        is on the Madrid receptionist's day."""
        self.receptionist.tz = "Europe/Madrid"
        with freeze_time("2026-11-23 23:30:00"):
            tiles = self._tiles(self.receptionist, "front_desk")
        self.assertEqual(tiles["psy_session.arrivals"]["count"], 1)

    def test_today_list_order_and_default_filter(self):
        """The "Today" list sorts by start, earliest first; a psychologist
        gets "My sessions" by default, the front desk everyone's by room."""
        view = self.env.ref("psy_session.psy_session_view_list_today")
        action = self.env["psy.session"].with_user(self.receptionist).action_psy_today()
        self.assertIn(view.id, [view_id for view_id, __ in action["views"]])
        self.assertEqual(
            self.env["psy.session"]
            .get_views([(view.id, "list")])["views"]["list"]["arch"]
            .count('default_order="start, id"'),
            1,
        )
        self.assertIn("search_default_groupby_room", action["context"])
        self.assertNotIn("search_default_filter_mine", action["context"])
        for user in (self.psychologist, self.director):
            action = self.env["psy.session"].with_user(user).action_psy_today()
            self.assertEqual(action["context"].get("search_default_filter_mine"), 1)
            self.assertEqual(action["context"].get("search_default_filter_today"), 1)
        ordered = self.env["psy.session"].search(
            [("id", "in", (self.late | self.early | self.other).ids)],
            order="start, id",
        )
        self.assertEqual(ordered, self.early | self.other | self.late)

    def test_menu_opens_today_through_role_action(self):
        menu = self.env.ref("psy_session.menu_psy_agenda_today")
        self.assertEqual(
            menu.action, self.env.ref("psy_session.psy_session_action_today_server")
        )
