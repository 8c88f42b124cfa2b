from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import PsyPatientCommon


@tagged("post_install", "-at_install")
class TestHome(PsyPatientCommon):
    """The home of each role: which home a user lands on and may open."""

    def test_landing_home_per_role(self):
        expected = {
            "receptionist": "front_desk",
            "psychologist": "psychologist",
            "director": "director",
            "billing": "accountant",
            "manager": "front_desk",
        }
        for role, home in expected.items():
            user = self.roles[role]
            data = self.env["psy.home"].with_user(user).get_home()
            self.assertEqual(data["home"], home, role)

    def test_homes_offered_per_role(self):
        def homes(role):
            data = self.env["psy.home"].with_user(self.roles[role]).get_home()
            return [h["key"] for h in data["homes"]]

        self.assertEqual(homes("receptionist"), ["front_desk"])
        self.assertEqual(homes("psychologist"), ["psychologist"])
        self.assertEqual(homes("director"), ["director", "psychologist"])
        self.assertEqual(homes("billing"), ["accountant"])
        self.assertEqual(homes("manager"), ["front_desk", "accountant"])

    def test_other_roles_home_refused(self):
        Home = self.env["psy.home"]
        for role, home in (
            ("receptionist", "director"),
            ("receptionist", "psychologist"),
            ("psychologist", "director"),
            ("psychologist", "accountant"),
            ("billing", "front_desk"),
            ("billing", "psychologist"),
        ):
            with self.assertRaises(AccessError, msg=f"{role} {home}"):
                Home.with_user(self.roles[role]).get_home(home)
            with self.assertRaises(AccessError, msg=f"{role} {home}"):
                Home.with_user(self.roles[role]).action_open_tile(home, "x")

    def test_unknown_tile_refused(self):
        with self.assertRaises(AccessError):
            self.env["psy.home"].with_user(self.director).action_open_tile(
                "director", "no.such_tile"
            )

    def test_user_without_role_has_no_home(self):
        user = self.env["res.users"].create(
            {"name": "Plain", "login": "t_plain", "company_id": self.company_a.id}
        )
        with self.assertRaises(AccessError):
            self.env["psy.home"].with_user(user).get_home()
        self.assertFalse(self.env["psy.home"]._psy_home_action_id(user))

    def test_landing_action(self):
        """Every role lands on the role home; an administrator's choice of
        Home Action on the user form wins."""
        home = self.env.ref("psy_patient.action_psy_home")
        Home = self.env["psy.home"]
        for role, user in self.roles.items():
            self.assertEqual(Home._psy_home_action_id(user), home.id, role)
        director_home = self.env.ref("psy_patient.action_psy_home_director")
        self.director.action_id = director_home.id
        self.assertEqual(Home._psy_home_action_id(self.director), director_home.id)

    def test_day_bounds_in_reader_time_zone(self):
        self.receptionist.tz = "Europe/Madrid"
        Home = self.env["psy.home"].with_user(self.receptionist)
        self.assertEqual(str(Home._psy_home_today()), "2026-11-23")
        begin, end = Home._psy_home_day_bounds(Home._psy_home_today())
        self.assertEqual(str(begin), "2026-11-22 23:00:00")
        self.assertEqual(str(end), "2026-11-23 23:00:00")
