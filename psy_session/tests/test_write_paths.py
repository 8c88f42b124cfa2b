from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import PsySessionCommon

# Every context key that once changed a guard or the clock of the agenda.
OLD_CONTEXTS = (
    {},
    {"psy_now": datetime(2026, 11, 30, 12, 0)},
    {"psy_today": datetime(2026, 11, 30).date()},
    {"psy_session_sync": True},
    {
        "psy_now": datetime(2026, 11, 30, 12, 0),
        "psy_today": datetime(2026, 11, 30).date(),
        "psy_session_sync": True,
    },
)
GUARD_MESSAGE = "change only with the buttons|kept by the agenda"


@tagged("post_install", "-at_install")
class TestSessionWritePaths(PsySessionCommon):
    """Hostile write paths: whatever the role and the context, the guarded
    fields of a session and the link of its calendar entry change only
    through the actions, and a refused call changes nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.session = cls._session()
        cls.other_event = cls.env["calendar.event"].create(
            {
                "name": "Team meeting",
                "start": cls.slot + timedelta(days=5),
                "stop": cls.slot + timedelta(days=5, hours=1),
            }
        )
        cls.guarded_values = {
            "state": ["done", "cancelled", "late_cancelled", "no_show"],
            "done_date": [cls.now],
            "cancel_date": [cls.now - timedelta(days=2)],
            "calendar_event_id": [cls.other_event.id, False],
            "reminder_sent": [True],
            "overdue_activity_done": [True],
        }

    def _snapshot(self, session):
        session.invalidate_recordset()
        return {name: session[name] for name in self.guarded_values}

    def test_guarded_fields_cover_the_actions(self):
        self.assertEqual(
            self.env["psy.session"]._psy_guarded_fields() & set(self.guarded_values),
            set(self.guarded_values),
        )

    def test_write_refused_for_every_role_and_context(self):
        before = self._snapshot(self.session)
        for role, user in self.roles.items():
            for context in OLD_CONTEXTS:
                for field, values in self.guarded_values.items():
                    for value in values:
                        with self.subTest(role=role, context=context, field=field):
                            session = self.session.with_user(user).with_context(
                                **context
                            )
                            # Billing may not write sessions at all.
                            with self.assertRaises(UserError):
                                session.write({field: value})
                            self.assertEqual(self._snapshot(self.session), before)
        self.assertEqual(self.session.state, "scheduled")
        self.assertEqual(self.session.calendar_event_id.psy_session_id, self.session)

    def test_guard_message_names_the_buttons(self):
        for user in (self.receptionist, self.psychologist, self.manager):
            with self.assertRaisesRegex(UserError, "Mark as done, No-show"):
                self.session.with_user(user).write({"state": "done"})
        with self.assertRaisesRegex(UserError, "kept by the agenda"):
            self.session.with_user(self.receptionist).write({"reminder_sent": True})

    def test_done_by_write_does_not_complete_a_future_session(self):
        """The report of the issue: reception marks a session 70 days ahead
        as done with a direct write."""
        future = self._session(start=self.slot + timedelta(days=70))
        with self.assertRaisesRegex(UserError, GUARD_MESSAGE):
            future.with_user(self.receptionist).write(
                {"state": "done", "done_date": self.now}
            )
        self.assertEqual(future.state, "scheduled")
        self.assertFalse(future.done_date)

    def test_create_refused_for_every_role_and_context(self):
        count = self.env["psy.session"].search_count([])
        start = self.slot + timedelta(days=10)
        for role, user in self.roles.items():
            for context in OLD_CONTEXTS:
                for field, values in self.guarded_values.items():
                    for value in values:
                        if not value or (field == "state" and value == "scheduled"):
                            continue
                        with self.subTest(role=role, context=context, field=field):
                            Session = self.Session.with_user(user).with_context(
                                **context
                            )
                            with self.assertRaises(UserError):
                                Session.create(
                                    {
                                        "patient_id": self.patient.id,
                                        "professional_id": self.psychologist.id,
                                        "product_id": self.individual.id,
                                        "start": start,
                                        field: value,
                                    }
                                )
        self.assertEqual(self.env["psy.session"].search_count([]), count)
        # The initial state is accepted.
        created = self.Session.with_user(self.receptionist).create(
            {
                "patient_id": self.patient.id,
                "professional_id": self.psychologist.id,
                "product_id": self.individual.id,
                "start": start,
                "state": "scheduled",
            }
        )
        self.assertEqual(created.state, "scheduled")

    def test_unlink_of_the_calendar_entry_refused(self):
        event = self.session.calendar_event_id
        for role, user in self.roles.items():
            for context in OLD_CONTEXTS:
                with self.subTest(role=role, context=context):
                    with self.assertRaises(UserError):
                        event.with_user(user).with_context(**context).unlink()
                    with self.assertRaises(UserError):
                        event.with_user(user).with_context(**context).write(
                            {"psy_session_id": False}
                        )
        # Not even the superuser deletes it from the Calendar app.
        for context in OLD_CONTEXTS:
            with self.assertRaisesRegex(UserError, "Cancel the session"):
                event.with_context(**context).unlink()
        self.assertTrue(event.exists())
        self.assertEqual(event.psy_session_id, self.session)

    def test_calendar_entry_cannot_be_attached_to_a_session(self):
        for role in ("receptionist", "psychologist", "director", "manager"):
            user = self.roles[role]
            for context in OLD_CONTEXTS:
                with self.subTest(role=role, context=context):
                    with self.assertRaises(UserError):
                        self.other_event.with_user(user).with_context(**context).write(
                            {"psy_session_id": self.session.id}
                        )
                    with self.assertRaises(UserError):
                        self.env["calendar.event"].with_user(user).with_context(
                            **context
                        ).create(
                            {
                                "name": "Fake",
                                "start": self.slot,
                                "stop": self.slot + timedelta(hours=1),
                                "psy_session_id": self.session.id,
                            }
                        )
        self.assertFalse(self.other_event.psy_session_id)
        self.assertEqual(
            self.env["calendar.event"].search(
                [("psy_session_id", "=", self.session.id)]
            ),
            self.session.calendar_event_id,
        )

    def test_unlink_of_sessions(self):
        for role in ("receptionist", "psychologist", "director", "billing"):
            for context in OLD_CONTEXTS:
                with self.subTest(role=role, context=context):
                    with self.assertRaises(AccessError):
                        self.session.with_user(self.roles[role]).with_context(
                            **context
                        ).unlink()
        self.assertTrue(self.session.exists())
        event = self.session.calendar_event_id
        self.session.with_user(self.manager).unlink()
        self.assertFalse(event.exists())

    def test_context_clock_ignored_on_cancel(self):
        """Cancelled 23 h before the start with a context saying two days
        before: late, dated now."""
        start = self.slot + timedelta(days=1)
        now = start - timedelta(hours=23)
        for context in OLD_CONTEXTS[1:]:
            session = self._session(start=start)
            with self.subTest(context=context), freeze_time(now):
                session.with_user(self.receptionist).with_context(
                    **{**context, "psy_now": start - timedelta(days=2)}
                ).action_cancel()
                self.assertEqual(session.state, "late_cancelled")
                self.assertEqual(session.cancel_date, now)

    def test_context_clock_ignored_on_done_and_no_show(self):
        future = self._session(start=self.slot + timedelta(days=70))
        after = future.start + timedelta(hours=1)
        for user in (self.psychologist, self.director):
            for context in OLD_CONTEXTS:
                with self.subTest(user=user.login, context=context):
                    session = future.with_user(user).with_context(
                        **{**context, "psy_now": after}
                    )
                    with self.assertRaisesRegex(UserError, "before it starts"):
                        session.action_done()
                    with self.assertRaisesRegex(UserError, "before it starts"):
                        session.action_no_show()
        self.assertEqual(future.state, "scheduled")
        self.assertFalse(future.done_date)

    def test_context_clock_ignored_on_reopen(self):
        done_at = self.slot + timedelta(hours=1)
        with freeze_time(done_at):
            self.session.with_user(self.psychologist).action_done()
        with freeze_time(done_at + timedelta(days=8)):
            for context in OLD_CONTEXTS:
                with (
                    self.subTest(context=context),
                    self.assertRaisesRegex(UserError, "more than 7 days ago"),
                ):
                    self.session.with_user(self.psychologist).with_context(
                        **{**context, "psy_now": done_at}
                    ).action_reset()
        self.assertEqual(self.session.state, "done")
        self.assertEqual(self.session.done_date, done_at)

    def test_actions_still_work_for_each_role(self):
        """The guard does not stop the buttons."""
        after = self.slot + timedelta(hours=1)
        with freeze_time(after):
            self.session.with_user(self.psychologist).action_done()
            self.assertEqual(self.session.state, "done")
            self.session.with_user(self.director).action_reset()
            self.assertEqual(self.session.state, "scheduled")
            with self.assertRaises(AccessError):
                self.session.with_user(self.billing).action_done()
            self.session.with_user(self.receptionist).action_no_show()
            self.assertEqual(self.session.state, "no_show")
        other = self._session(start=self.slot + timedelta(days=3))
        other.with_user(self.manager).action_cancel()
        self.assertEqual(other.state, "cancelled")
        self.assertEqual(other.cancel_date, self.now)
