from datetime import timedelta

from odoo.tests import tagged

from .common import PsySessionCommon


@tagged("post_install", "-at_install")
class TestSessionRecurrence(PsySessionCommon):
    def _wizard(self, **vals):
        values = {
            "patient_id": self.patient.id,
            "professional_id": self.psychologist.id,
            "product_id": self.individual.id,
            "room_id": self.room_1.id,
            "start": self.slot,
        }
        values.update(vals)
        return self.env["psy.session.recurrence.wizard"].create(values)

    def test_series_with_conflict_in_the_middle(self):
        # The professional is already busy on the third week.
        blocker = self._session(
            start=self.slot + timedelta(weeks=2, minutes=20),
            patient_id=self.patient_2.id,
            room_id=self.room_2.id,
        )
        wizard = self._wizard(count=5)
        wizard.action_create()
        lines = wizard.line_ids.sorted("start")
        self.assertEqual(
            lines.mapped("result"),
            ["created", "created", "conflict", "created", "created"],
        )
        self.assertEqual(wizard.created_count, 4)
        self.assertEqual(wizard.conflict_count, 1)
        self.assertIn(
            f"The professional {self.psychologist.name} is already booked",
            lines[2].message,
        )
        self.assertIn("Bruno Díaz", lines[2].message)
        sessions = lines.session_id
        self.assertEqual(len(sessions), 4)
        self.assertEqual(
            sessions.sorted("start").mapped("start"),
            [self.slot + timedelta(weeks=w) for w in (0, 1, 3, 4)],
        )
        self.assertTrue(all(sessions.mapped("calendar_event_id")))
        self.assertEqual(blocker.state, "scheduled")

    def test_every_two_weeks_until(self):
        wizard = self._wizard(
            interval=2,
            end_type="until",
            until=(self.slot + timedelta(weeks=6)).date(),
        )
        wizard.action_create()
        self.assertEqual(
            wizard.line_ids.session_id.sorted("start").mapped("start"),
            [self.slot + timedelta(weeks=w) for w in (0, 2, 4, 6)],
        )

    def test_defaults_from_session(self):
        session = self._session()
        wizard = (
            self.env["psy.session.recurrence.wizard"]
            .with_context(default_session_id=session.id)
            .create({})
        )
        self.assertEqual(wizard.patient_id, self.patient)
        self.assertEqual(wizard.start, self.slot + timedelta(weeks=1))
