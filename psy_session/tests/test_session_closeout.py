from datetime import timedelta

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import PsySessionCommon


@tagged("post_install", "-at_install")
class TestSessionCloseout(PsySessionCommon):
    """The attendance part of the close-out, the guard of its stored fields
    and the "to close" list of each role. The other conditions (note,
    consents, payment) are tested with their modules and, together, in the
    repository's ``tests/test_closeout.py``."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.past = cls.now - timedelta(days=1)

    def test_scheduled_session_misses_its_attendance(self):
        session = self._session(start=self.past)
        self.assertTrue(session.closeout_attendance_missing)
        self.assertEqual(session.closeout_state, "open")
        self.assertIn("Attendance", session.closeout_missing)

    def test_cancelled_in_time_is_closed(self):
        """A session cancelled in time needs nothing more: no attendance to
        record, no note, no consent, nothing to pay."""
        session = self._session(start=self.now + timedelta(days=3))
        session.action_cancel()
        self.assertEqual(session.state, "cancelled")
        self.assertFalse(session.closeout_attendance_missing)
        self.assertEqual(session.closeout_state, "closed")
        self.assertFalse(session.closeout_missing)

    def test_reopened_session_misses_its_attendance_again(self):
        session = self._session(start=self.past)
        session.action_no_show()
        self.assertFalse(session.closeout_attendance_missing)
        session2 = self._session(start=self.past - timedelta(days=1))
        session2.with_user(self.psychologist).action_done()
        self.assertFalse(session2.closeout_attendance_missing)
        session2.with_user(self.psychologist).action_reset()
        self.assertTrue(session2.closeout_attendance_missing)
        self.assertEqual(session2.closeout_state, "open")

    # ------------------------------------------------------------------
    # Hostile paths: the stored close-out is never written by hand
    # ------------------------------------------------------------------

    def test_closeout_fields_cannot_be_written(self):
        session = self._session(start=self.past)
        for user in (self.receptionist, self.psychologist, self.director):
            for vals in (
                {"closeout_state": "closed"},
                {"closeout_attendance_missing": False},
            ):
                for context in ({}, {"psy_closeout": True, "install_mode": True}):
                    with self.assertRaises(UserError):
                        session.with_user(user).with_context(**context).write(vals)
        self.assertEqual(session.closeout_state, "open")
        self.assertTrue(session.closeout_attendance_missing)

    def test_closeout_cannot_be_created_closed(self):
        for vals in (
            {"closeout_state": "closed"},
            {"closeout_attendance_missing": False},
        ):
            with self.assertRaises(UserError):
                self.Session.with_user(self.receptionist).create(
                    {
                        "patient_id": self.patient.id,
                        "professional_id": self.psychologist.id,
                        "product_id": self.individual.id,
                        "start": self.slot,
                        **vals,
                    }
                )
        for key, value in (
            ("default_closeout_state", "closed"),
            ("default_closeout_attendance_missing", False),
        ):
            with self.assertRaises(UserError):
                self.Session.with_user(self.receptionist).with_context(
                    **{key: value}
                ).create(
                    {
                        "patient_id": self.patient.id,
                        "professional_id": self.psychologist.id,
                        "product_id": self.individual.id,
                        "start": self.slot,
                    }
                )

    # ------------------------------------------------------------------
    # Upgrades: a history whose close-out columns were just created empty
    # ------------------------------------------------------------------

    def test_fill_computes_the_empty_columns_by_batches(self):
        scheduled = self._session(start=self.past)
        done = self._session(start=self.past - timedelta(days=1))
        done.with_user(self.psychologist).action_done()
        cancelled = self._session(start=self.now + timedelta(days=3))
        cancelled.action_cancel()
        sessions = scheduled | done | cancelled
        untouched = self._session(start=self.past - timedelta(days=2))
        query = (
            "SELECT id, closeout_attendance_missing, closeout_state"
            " FROM psy_session WHERE id IN %s ORDER BY id"
        )
        self.env.flush_all()
        self.env.cr.execute(query, [tuple((sessions | untouched).ids)])
        computed = self.env.cr.fetchall()
        self.assertEqual(computed[0], (scheduled.id, True, "open"))
        self.assertEqual(computed[2], (cancelled.id, False, "closed"))
        # As a pre-migration leaves them: the columns exist, empty.
        self.env.cr.execute(
            "UPDATE psy_session SET closeout_state = NULL,"
            " closeout_attendance_missing = NULL WHERE id IN %s",
            [tuple(sessions.ids)],
        )
        self.env.invalidate_all()
        filled = self.Session._psy_closeout_fill(batch_size=2)
        self.assertEqual(filled, 3)
        self.env.cr.execute(query, [tuple((sessions | untouched).ids)])
        self.assertEqual(self.env.cr.fetchall(), computed)
        # Nothing is left empty: a second run has nothing to do.
        self.assertEqual(self.Session._psy_closeout_fill(), 0)

    # ------------------------------------------------------------------
    # The "to close" list
    # ------------------------------------------------------------------

    def _to_close(self, user):
        action = self.env["psy.session"].with_user(user).action_open_to_close()
        self.assertEqual(action["res_model"], "psy.session")
        return (
            self.env["psy.session"]
            .with_user(user)
            .with_context(allowed_company_ids=user.company_ids.ids)
            .search(action["domain"])
        )

    def test_to_close_list_per_role(self):
        mine = self._session(start=self.past)
        theirs = self._session(
            start=self.past,
            patient_id=self.patient_2.id,
            professional_id=self.psychologist_2.id,
            room_id=self.room_2.id,
        )
        future = self._session(start=self.now + timedelta(days=2))
        cancelled = self._session(start=self.now + timedelta(days=3))
        cancelled.action_cancel()

        as_psychologist = self._to_close(self.psychologist)
        self.assertIn(mine, as_psychologist)
        self.assertNotIn(theirs, as_psychologist)
        self.assertFalse(
            as_psychologist.filtered(lambda s: s.professional_id != self.psychologist)
        )

        as_reception = self._to_close(self.receptionist)
        self.assertIn(mine, as_reception)
        self.assertIn(theirs, as_reception)
        # Not started yet, or closed: not in the list.
        self.assertNotIn(future, as_reception)
        self.assertNotIn(cancelled, as_reception)
        self.assertIn(theirs, self._to_close(self.director))

        # The front desk of another center sees none of center A's.
        as_center_b = self._to_close(self.receptionist_b)
        self.assertFalse(as_center_b & (mine | theirs))

    def test_home_tiles(self):
        """The "to close" tile of each home counts what the list shows:
        the psychologist's own, the center's for the front desk and the
        direction."""
        mine = self._session(start=self.past)
        theirs = self._session(
            start=self.past,
            patient_id=self.patient_2.id,
            professional_id=self.psychologist_2.id,
            room_id=self.room_2.id,
        )
        Home = self.env["psy.home"]
        for user, home, expected in (
            (self.psychologist, "psychologist", mine),
            (self.receptionist, "front_desk", mine | theirs),
            (self.director, "director", mine | theirs),
        ):
            tiles = {
                tile["key"]: tile
                for tile in Home.with_user(user).get_home(home)["tiles"]
            }
            tile = tiles["psy_session.to_close"]
            action = Home.with_user(user).action_open_tile(home, "psy_session.to_close")
            found = self.env["psy.session"].with_user(user).search(action["domain"])
            self.assertEqual(tile["count"], len(found), home)
            self.assertEqual(found & (mine | theirs), expected, home)
            self.assertEqual(action["res_model"], "psy.session")
        self.assertNotIn(
            "psy_session.to_close",
            {
                tile["key"]
                for tile in Home.with_user(self.billing).get_home("accountant")["tiles"]
            },
        )
