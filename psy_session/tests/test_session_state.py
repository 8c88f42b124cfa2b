from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import PsySessionCommon


@tagged("post_install", "-at_install")
class TestSessionState(PsySessionCommon):
    """Transitions, their guards, and the late-cancellation boundary."""

    def test_defaults(self):
        session = self._session()
        self.assertEqual(session.state, "scheduled")
        self.assertEqual(session.stop, self.slot + timedelta(minutes=50))
        self.assertEqual(session.company_id, self.company_a)
        self.assertEqual(session.name, "Ana López García · Individual therapy")

    def test_done(self):
        session = self._session()
        with self.assertRaisesRegex(UserError, "cannot be marked as done before"):
            session.action_done()
        after = self.slot + timedelta(hours=1)
        with freeze_time(after):
            session.action_done()
            self.assertEqual(session.state, "done")
            self.assertEqual(session.done_date, after)
            with self.assertRaisesRegex(
                UserError, "is done: it cannot be marked as done"
            ):
                session.action_done()
            with self.assertRaisesRegex(UserError, "is done: it cannot be cancelled"):
                session.action_cancel()

    def test_no_show(self):
        session = self._session()
        with self.assertRaisesRegex(UserError, "before it starts"):
            session.action_no_show()
        with freeze_time(self.slot + timedelta(minutes=15)):
            session.action_no_show()
        self.assertEqual(session.state, "no_show")
        with self.assertRaisesRegex(UserError, "is no-show"):
            session.action_reset()

    def test_cancel_boundary(self):
        """Window 24 h: exactly 24 h before is in time, one second later is late."""
        in_time = self._session()
        with freeze_time(self.slot - timedelta(hours=24)):
            in_time.action_cancel()
        self.assertEqual(in_time.state, "cancelled")
        self.assertEqual(in_time.cancel_date, self.slot - timedelta(hours=24))

        late = self._session()  # the slot is free again
        with freeze_time(self.slot - timedelta(hours=24) + timedelta(seconds=1)):
            late.action_cancel()
        self.assertEqual(late.state, "late_cancelled")
        with self.assertRaisesRegex(UserError, "is late cancelled: it cannot"):
            late.action_cancel()

    def test_cancel_window_is_a_setting(self):
        self.company_a.psy_late_cancel_hours = 48
        session = self._session()
        session.action_cancel()  # 26 h before the start
        self.assertEqual(session.state, "late_cancelled")

    def test_reset(self):
        session = self._session()
        done_at = self.slot + timedelta(hours=1)
        with freeze_time(done_at):
            session.action_done()
            # Another psychologist may not reopen it.
            with self.assertRaisesRegex(AccessError, "Only .* or a clinical director"):
                session.with_user(self.psychologist_2).action_reset()
            # Its professional may, within the window.
            session.with_user(self.psychologist).action_reset()
            self.assertEqual(session.state, "scheduled")
            self.assertFalse(session.done_date)
            session.action_done()
        # A director may too; after the window nobody can.
        with freeze_time(done_at + timedelta(days=7)):
            session.with_user(self.director).action_reset()
        self.assertEqual(session.state, "scheduled")
        with freeze_time(done_at):
            session.action_done()
        with (
            freeze_time(done_at + timedelta(days=7, seconds=1)),
            self.assertRaisesRegex(UserError, "more than 7 days ago"),
        ):
            session.with_user(self.director).action_reset()
        self.assertEqual(session.state, "done")
        with self.assertRaisesRegex(UserError, "only done sessions"):
            self._session(start=self.slot + timedelta(days=1)).action_reset()

    def test_transitions_in_chatter(self):
        session = self._session().with_context(tracking_disable=False)
        with freeze_time(self.slot + timedelta(hours=1)):
            session.with_user(self.psychologist).action_done()
        tracked = session.message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "state"
        )
        self.assertEqual(len(tracked), 1)
        self.assertEqual(
            tracked.mail_message_id.author_id, self.psychologist.partner_id
        )
        self.assertEqual(tracked.old_value_char, "Scheduled")
        self.assertEqual(tracked.new_value_char, "Done")

        other = self._session(start=self.slot + timedelta(days=2)).with_context(
            tracking_disable=False
        )
        other.action_cancel()
        self.assertIn("Cancelled in time", other.message_ids[0].body)

    def test_modality_and_type_guards(self):
        with self.assertRaisesRegex(ValidationError, "cannot be in person"):
            self._session(product_id=self.online_only.id, room_id=False)
        with self.assertRaisesRegex(ValidationError, "does not use a room"):
            self._session(modality="online")
        with self.assertRaisesRegex(ValidationError, "not a psychologist"):
            self._session(professional_id=self.receptionist.id)
        with self.assertRaisesRegex(ValidationError, "must end after it starts"):
            self._session(stop=self.slot - timedelta(minutes=10))
