from datetime import timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .common import PsyConsentCommon


@tagged("post_install", "-at_install")
class TestConsentHome(PsyConsentCommon):
    """Consents missing for the coming days (front desk) and consent
    overrides (clinical director) on the homes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a.psy_consent_type_ids = [Command.set(cls.type_treatment.ids)]

    def _tiles(self, user, home):
        data = self.env["psy.home"].with_user(user).get_home(home)
        return {tile["key"]: tile["count"] for tile in data["tiles"]}

    def test_front_desk_consents_missing_for_coming_days(self):
        missing = self._session()  # tomorrow, Ana has signed nothing
        self._session(start=self.slot + timedelta(days=10))  # beyond the week
        covered = self._session(
            start=self.slot + timedelta(days=1),
            patient_id=self.patient_2.id,
            professional_id=self.psychologist_2.id,
            room_id=self.room_2.id,
        )
        self._signed_consent(patient=self.patient_2)
        self.assertFalse(covered.consent_missing_type_ids)
        self.assertEqual(missing.consent_missing_type_ids, self.type_treatment)
        tiles = self._tiles(self.receptionist, "front_desk")
        self.assertEqual(tiles["psy_consent.missing"], 1)
        action = (
            self.env["psy.home"]
            .with_user(self.receptionist)
            .action_open_tile("front_desk", "psy_consent.missing")
        )
        self.assertEqual(
            self.env["psy.session"]
            .with_user(self.receptionist)
            .search(action["domain"]),
            missing,
        )
        self._signed_consent()
        tiles = self._tiles(self.receptionist, "front_desk")
        self.assertEqual(tiles["psy_consent.missing"], 0)

    def test_director_sees_consent_overrides(self):
        session = self._session()
        key = "psy_consent.overrides"
        self.assertEqual(self._tiles(self.director, "director")[key], 0)
        with freeze_time(self.slot + timedelta(hours=1)):
            session.with_user(self.director)._override_consent_check(
                "Crisis session: consent signed at the next visit."
            )
            self.assertEqual(self._tiles(self.director, "director")[key], 1)
        # A month and more later it is no longer on the home.
        with freeze_time(self.slot + timedelta(days=31)):
            self.assertEqual(self._tiles(self.director, "director")[key], 0)
