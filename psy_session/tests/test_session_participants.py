from datetime import timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import PsySessionCommon


@tagged("post_install", "-at_install")
class TestSessionParticipants(PsySessionCommon):
    """Couples, families and groups: several patients in one session, each
    with their own attendance and their own slot."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Product = cls.env["product.product"]
        cls.couple = Product.create(
            {
                "name": "Couple therapy",
                "type": "service",
                "is_psy_session_type": True,
                "psy_duration": 1.0,
                "psy_session_kind": "couple",
                "list_price": 80.0,
            }
        )
        cls.group = Product.create(
            {
                "name": "Mindfulness group",
                "type": "service",
                "is_psy_session_type": True,
                "psy_duration": 1.5,
                "psy_session_kind": "group",
                "psy_capacity": 3,
                "list_price": 25.0,
            }
        )
        cls.patient_3 = cls._patient(firstname="Carla", lastname="Ruiz")
        cls.patient_4 = cls._patient(firstname="Diego", lastname="Sanz")
        cls.patient_2.partner_id.email = "bruno@example.com"

    def _joint(self, patients, product=None, start=None, **vals):
        values = {
            "participant_ids": [Command.create({"patient_id": p.id}) for p in patients],
            "professional_id": self.psychologist.id,
            "product_id": (product or self.couple).id,
            "room_id": self.room_1.id,
            "start": start or self.slot,
        }
        values.update(vals)
        return self.Session.create(values)

    # ------------------------------------------------------------------
    # Who takes part
    # ------------------------------------------------------------------

    def test_individual_session_has_its_patient_as_participant(self):
        session = self._session()
        self.assertEqual(session.participant_ids.patient_id, self.patient)
        self.assertEqual(session.participant_ids.attendance, "expected")
        self.assertEqual(session.patient_ids, self.patient)
        self.assertEqual(session.participant_count, 1)
        # Changing the patient of an individual session replaces it.
        session.patient_id = self.patient_2
        self.assertEqual(session.participant_ids.patient_id, self.patient_2)

    def test_couple_session(self):
        session = self._joint(self.patient | self.patient_2)
        self.assertEqual(session.patient_id, self.patient)
        self.assertEqual(session.patient_ids, self.patient | self.patient_2)
        self.assertEqual(session.participants_label, "Ana & Bruno")
        self.assertEqual(session.name, "Ana & Bruno · Couple therapy")
        self.assertEqual(
            session.calendar_event_id.partner_ids,
            self.psychologist.partner_id
            | self.patient.partner_id
            | self.patient_2.partner_id,
        )
        self.assertEqual(
            session.reminder_partner_ids,
            self.patient.partner_id | self.patient_2.partner_id,
        )
        # Both patients find the session among theirs.
        for patient in self.patient | self.patient_2:
            self.assertIn(
                session, self.Session.search([("patient_ids", "in", patient.id)])
            )
            self.assertEqual(patient.session_upcoming_count, 1)

    def test_capacity(self):
        with self.assertRaisesRegex(ValidationError, "at most 2 participants"):
            self._joint(self.patient | self.patient_2 | self.patient_3)
        with self.assertRaisesRegex(ValidationError, "at most 1 participants"):
            self._joint(self.patient | self.patient_2, product=self.individual)
        session = self._joint(
            self.patient | self.patient_2 | self.patient_3, product=self.group
        )
        # Refused whole: Odoo's assertRaises rolls back to a savepoint, as the
        # server does with the transaction of a refused call.
        with self.assertRaises(ValidationError) as refused:
            self.env["psy.session.participant"].create(
                {"session_id": session.id, "patient_id": self.patient_4.id}
            )
        self.assertIn("at most 3 participants", str(refused.exception))
        self.assertEqual(len(session.participant_ids), 3)
        # A participant who cancelled frees their place...
        carla = session.participant_ids.filtered(
            lambda p: p.patient_id == self.patient_3
        )
        carla.action_cancel()
        self.env["psy.session.participant"].create(
            {"session_id": session.id, "patient_id": self.patient_4.id}
        )
        # ... and cannot take it back once it is taken.
        with self.assertRaises(ValidationError) as refused:
            carla.action_reset()
        self.assertIn("at most 3 participants", str(refused.exception))
        with self.assertRaisesRegex(ValidationError, "has no capacity"):
            self.group.psy_capacity = 0

    def test_group_session_has_no_main_patient(self):
        session = self._joint(self.patient | self.patient_2, product=self.group)
        self.assertFalse(session.patient_id)
        self.assertEqual(session.participants_label, "Mindfulness group (2)")
        empty = self._joint(
            self.env["psy.patient"],
            product=self.group,
            start=self.slot + self._hours(3),
        )
        self.assertFalse(empty.participant_ids)
        with self.assertRaisesRegex(ValidationError, "needs its patient"):
            self._joint(self.env["psy.patient"], start=self.slot + self._hours(6))

    def test_participant_double_booking_refused_by_database(self):
        self._session(patient_id=self.patient_2.id)
        with self.assertRaisesRegex(
            ValidationError,
            r"The patient Bruno Díaz is already booked from .* \(session of "
            r"Bruno Díaz with",
        ):
            self._joint(
                self.patient | self.patient_2,
                professional_id=self.psychologist_2.id,
                room_id=self.room_2.id,
            )
        self.assertFalse(self.Session.search([("product_id", "=", self.couple.id)]))
        # Adding a participant who is busy is refused just the same.
        session = self._joint(
            self.patient | self.patient_3,
            professional_id=self.psychologist_2.id,
            room_id=self.room_2.id,
            product=self.group,
        )
        with self.assertRaisesRegex(ValidationError, "Bruno Díaz is already booked"):
            session.participant_ids = [
                Command.create({"patient_id": self.patient_2.id})
            ]
        self.assertEqual(
            session.participant_ids.patient_id, self.patient | self.patient_3
        )

    def test_cancelled_participant_frees_their_slot_only(self):
        session = self._joint(self.patient | self.patient_2)
        bruno = session.participant_ids.filtered(
            lambda p: p.patient_id == self.patient_2
        )
        bruno.action_cancel()
        self.assertEqual(bruno.attendance, "cancelled")
        self.assertEqual(session.state, "scheduled")
        self.assertNotIn(
            self.patient_2.partner_id, session.calendar_event_id.partner_ids
        )
        # Ana still holds the slot; Bruno may now be booked elsewhere.
        with self.assertRaisesRegex(ValidationError, "Ana López García is already"):
            self._session(
                professional_id=self.psychologist_2.id,
                room_id=False,
                start=self.slot + timedelta(minutes=10),
                modality="online",
            )
        self._session(
            patient_id=self.patient_2.id,
            professional_id=self.psychologist_2.id,
            room_id=self.room_2.id,
        )

    # ------------------------------------------------------------------
    # Attendance and the cancellation policy, per participant
    # ------------------------------------------------------------------

    def test_cancellation_policy_per_participant(self):
        session = self._joint(self.patient | self.patient_2)
        ana, bruno = session.participant_ids
        # 26 hours before: in time for Ana.
        ana.action_cancel()
        self.assertEqual(ana.attendance, "cancelled")
        self.assertEqual(session.state, "scheduled")
        # 2 hours before: late for Bruno, and nobody is left: the session is
        # cancelled, late.
        with freeze_time(self.slot - self._hours(2)):
            bruno.action_cancel()
        self.assertEqual(bruno.attendance, "late_cancelled")
        self.assertEqual(session.state, "late_cancelled")
        self.assertEqual(session.cancel_date, self.slot - self._hours(2))
        self.assertIn(
            "Bruno Díaz cancelled their attendance (Late cancelled).",
            session.message_ids.mapped("preview"),
        )

    def test_done_records_the_presence_of_the_expected(self):
        session = self._joint(
            self.patient | self.patient_2 | self.patient_3, product=self.group
        )
        ana, bruno, carla = session.participant_ids
        with self.assertRaisesRegex(UserError, "once it has started"):
            bruno.action_no_show()
        with freeze_time(self.slot + self._hours(1)):
            bruno.action_no_show()
            carla.action_present()
            with self.assertRaisesRegex(UserError, "already recorded"):
                carla.action_no_show()
            session.action_done()
        self.assertEqual(
            session.participant_ids.mapped("attendance"),
            ["present", "no_show", "present"],
        )
        with self.assertRaisesRegex(UserError, "Reopen the session first"):
            bruno.action_reset()
        with self.assertRaisesRegex(UserError, "can no longer change"):
            self.env["psy.session.participant"].with_user(self.receptionist).create(
                {"session_id": session.id, "patient_id": self.patient_4.id}
            )
        with freeze_time(self.slot + self._hours(2)):
            session.with_user(self.psychologist).action_reset()
        self.assertEqual(
            set(session.participant_ids.mapped("attendance")), {"expected"}
        )

    def test_no_show_and_cancel_of_the_session_reach_every_participant(self):
        session = self._joint(self.patient | self.patient_2)
        with freeze_time(self.slot + self._hours(1)):
            session.action_no_show()
        self.assertEqual(set(session.participant_ids.mapped("attendance")), {"no_show"})
        other = self._joint(
            self.patient | self.patient_2, start=self.slot + self._hours(4)
        )
        other.participant_ids[1].action_cancel()
        other.action_cancel()
        self.assertEqual(
            other.participant_ids.mapped("attendance"), ["cancelled", "cancelled"]
        )

    def test_done_refused_when_nobody_attends(self):
        session = self._joint(self.patient | self.patient_2, product=self.group)
        with freeze_time(self.slot + self._hours(1)):
            session.participant_ids.action_no_show()
            with self.assertRaisesRegex(UserError, "Nobody attends"):
                session.action_done()
        self.assertEqual(session.state, "scheduled")

    # ------------------------------------------------------------------
    # Hostile paths
    # ------------------------------------------------------------------

    def test_attendance_is_guarded(self):
        session = self._joint(self.patient | self.patient_2)
        participant = session.participant_ids[0]
        for user in (self.receptionist, self.psychologist, self.manager):
            with self.assertRaisesRegex(UserError, "buttons of the session"):
                participant.with_user(user).write({"attendance": "present"})
            with self.assertRaisesRegex(UserError, "buttons of the session"):
                participant.with_user(user).with_context(
                    psy_session_sync=True, _force_unlink=True
                ).write({"cancel_date": self.now})
        with self.assertRaisesRegex(UserError, "buttons of the session"):
            self.env["psy.session.participant"].with_user(self.receptionist).create(
                {
                    "session_id": session.id,
                    "patient_id": self.patient_3.id,
                    "attendance": "present",
                }
            )
        self.assertEqual(participant.attendance, "expected")

    def test_participant_cannot_move_to_another_session(self):
        session = self._joint(self.patient | self.patient_2)
        other = self._session(
            patient_id=self.patient_3.id,
            professional_id=self.psychologist_2.id,
            room_id=self.room_2.id,
        )
        with self.assertRaisesRegex(UserError, "cannot be moved to another session"):
            session.participant_ids[1].with_user(self.receptionist).session_id = other
        self.assertEqual(session.participant_count, 2)

    def test_recorded_participant_cannot_be_removed(self):
        session = self._joint(self.patient | self.patient_2, product=self.group)
        with freeze_time(self.slot + self._hours(1)):
            session.participant_ids[1].action_no_show()
        with self.assertRaisesRegex(UserError, "already recorded"):
            session.participant_ids[1].with_user(self.receptionist).unlink()
        session.participant_ids[0].with_user(self.receptionist).unlink()
        self.assertEqual(session.participant_ids.patient_id, self.patient_2)

    def test_attendance_by_role(self):
        session = self._joint(self.patient | self.patient_2)
        ana, bruno = session.participant_ids
        with freeze_time(self.slot + self._hours(1)):
            # Another psychologist reads the slot but cannot record it.
            with self.assertRaises(AccessError):
                ana.with_user(self.psychologist_2).action_present()
            with self.assertRaises(AccessError):
                ana.with_user(self.billing).action_present()
            ana.with_user(self.psychologist).action_present()
            bruno.with_user(self.receptionist).action_no_show()
        self.assertEqual(
            session.participant_ids.mapped("attendance"), ["present", "no_show"]
        )
        self.assertEqual(
            ana.with_user(self.billing).read(["attendance"])[0]["attendance"], "present"
        )

    def test_series_of_a_couple_books_both_partners(self):
        session = self._joint(self.patient | self.patient_2)
        # Bruno is busy in the third week: that occurrence is reported.
        self._session(
            patient_id=self.patient_2.id,
            professional_id=self.psychologist_2.id,
            room_id=self.room_2.id,
            start=self.slot + timedelta(weeks=3),
        )
        wizard = (
            self.env["psy.session.recurrence.wizard"]
            .with_user(self.receptionist)
            .with_context(default_session_id=session.id)
            .create({"count": 3})
        )
        self.assertEqual(wizard.patient_ids, self.patient | self.patient_2)
        wizard.action_create()
        lines = wizard.line_ids.sorted("start")
        self.assertEqual(lines.mapped("result"), ["created", "created", "conflict"])
        self.assertIn("Bruno Díaz is already booked", lines[2].message)
        for created in lines[:2].session_id:
            self.assertEqual(created.patient_ids, self.patient | self.patient_2)
            self.assertEqual(created.participants_label, "Ana & Bruno")
