from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import PsySessionCommon
from .test_write_paths import OLD_CONTEXTS

DAY_ACTIONS = ("action_arrived", "action_done", "action_no_show", "action_cancel")


@tagged("post_install", "-at_install")
class TestSessionProposals(PsySessionCommon):
    """Picking the patient of a new session proposes the rest: the assigned
    professional, the type and modality of their last session, a free room."""

    def _form(self, user, **defaults):
        context = {f"default_{key}": value for key, value in defaults.items()}
        return Form(self.Session.with_user(user).with_context(**context))

    def test_assigned_professional_and_free_room(self):
        form = self._form(self.receptionist, start=self.slot)
        form.patient_id = self.patient
        self.assertEqual(form.professional_id, self.psychologist)
        self.assertEqual(form.room_id, self.room_1)
        # No earlier session: the type stays to be chosen.
        self.assertFalse(form.product_id)
        form.product_id = self.individual
        session = form.save()
        self.assertEqual(session.room_id, self.room_1)

    def test_type_modality_and_room_of_the_last_session(self):
        self._session(
            start=self.slot - timedelta(days=7),
            room_id=False,
            product_id=self.online_only.id,
            modality="online",
        )
        self._session(start=self.slot - timedelta(days=14), room_id=self.room_2.id)
        form = self._form(self.receptionist, start=self.slot)
        form.patient_id = self.patient
        self.assertEqual(form.product_id, self.online_only)
        self.assertEqual(form.modality, "online")
        self.assertFalse(form.room_id, "an online session needs no room")

    def test_room_of_the_last_session_when_free_else_another(self):
        self._session(start=self.slot - timedelta(days=7), room_id=self.room_2.id)
        form = self._form(self.receptionist, start=self.slot)
        form.patient_id = self.patient
        self.assertEqual(form.product_id, self.individual)
        self.assertEqual(form.modality, "in_person")
        self.assertEqual(form.room_id, self.room_2)
        # Room 2 is taken at that time by another patient's session.
        self._session(
            patient_id=self.patient_2.id,
            professional_id=self.psychologist_2.id,
            room_id=self.room_2.id,
            start=self.slot + timedelta(days=1),
        )
        form = self._form(self.receptionist, start=self.slot + timedelta(days=1))
        form.patient_id = self.patient
        self.assertEqual(form.room_id, self.room_1)

    def test_no_free_room_leaves_it_empty(self):
        for room, patient, professional in (
            (self.room_1, self.patient_2, self.psychologist_2),
            (self.room_2, self._patient(firstname="Carla"), self.director),
        ):
            self._session(
                patient_id=patient.id,
                professional_id=professional.id,
                room_id=room.id,
            )
        form = self._form(self.receptionist, start=self.slot)
        form.patient_id = self.patient
        self.assertFalse(form.room_id)

    def test_what_is_chosen_is_kept(self):
        """A column of the agenda (or the user) already chose the professional
        and the room: the patient does not replace them."""
        form = self._form(
            self.receptionist,
            start=self.slot,
            professional_id=self.psychologist_2.id,
            room_id=self.room_2.id,
        )
        form.patient_id = self.patient
        self.assertEqual(form.professional_id, self.psychologist_2)
        self.assertEqual(form.room_id, self.room_2)

    def test_psychologist_books_for_themselves(self):
        form = self._form(self.psychologist_2, start=self.slot)
        form.patient_id = self.patient
        self.assertEqual(form.professional_id, self.psychologist_2)

    def test_agenda_columns(self):
        Session = self.Session.with_user(self.receptionist)
        professionals = Session.psy_agenda_resources("professional_id")
        ids = {row["id"] for row in professionals}
        self.assertTrue({self.psychologist.id, self.psychologist_2.id} <= ids)
        self.assertNotIn(self.receptionist.id, ids)
        rooms = Session.psy_agenda_resources("room_id")
        both = (self.room_1 | self.room_2).ids
        self.assertEqual([row["id"] for row in rooms if row["id"] in both], both)
        self.assertEqual(Session.psy_agenda_resources("patient_id"), [])
        # Center B's receptionist sees center B's rooms only.
        rooms_b = (
            self.env["psy.session"]
            .with_user(self.receptionist_b)
            .with_context(allowed_company_ids=self.company_b.ids)
            .psy_agenda_resources("room_id")
        )
        self.assertFalse({row["id"] for row in rooms_b} & set(both))


@tagged("post_install", "-at_install")
class TestSessionArrival(PsySessionCommon):
    """The front desk records that the patient arrived: once, on the day of
    the session, by an action only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Today (23 November) at 10:00 UTC; the clock says 08:00.
        cls.today_slot = datetime(2026, 11, 23, 10, 0)
        cls.session = cls._session(start=cls.today_slot)

    def test_receptionist_records_the_arrival(self):
        with freeze_time("2026-11-23 09:55:00"):
            self.session.with_user(self.receptionist).action_arrived()
        self.assertEqual(self.session.arrived_at, datetime(2026, 11, 23, 9, 55))
        self.assertEqual(
            self.session.participant_ids.arrived_at, datetime(2026, 11, 23, 9, 55)
        )
        self.assertEqual(self.session.participant_ids.attendance, "expected")
        self.assertEqual(self.session.state, "scheduled")
        self.assertEqual(self.session.color, 3)
        self.assertIn("arrived", self.session.message_ids[0].body)
        with freeze_time("2026-11-23 10:05:00"):
            self.session.with_user(self.psychologist).action_done()
        self.assertEqual(self.session.state, "done")
        self.assertEqual(self.session.participant_ids.attendance, "present")
        self.assertTrue(self.session.arrived_at)

    def test_roles(self):
        for user in (self.psychologist, self.director, self.manager):
            session = self._session(
                start=self.today_slot + timedelta(hours=3),
                professional_id=self.psychologist.id,
            )
            session.with_user(user).action_arrived()
            self.assertTrue(session.arrived_at)
            session.with_user(self.manager).action_cancel()
        with self.assertRaises(AccessError):
            self.session.with_user(self.billing).action_arrived()
        # A psychologist writes only their own sessions.
        with self.assertRaises(AccessError):
            self.session.with_user(self.psychologist_2).action_arrived()
        self.assertFalse(self.session.arrived_at)

    def test_only_on_the_day_once_and_while_scheduled(self):
        tomorrow = self._session(start=self.slot)
        with self.assertRaisesRegex(UserError, "on the day of the session"):
            tomorrow.with_user(self.receptionist).action_arrived()
        self.assertFalse(tomorrow.arrived_at)
        self.session.with_user(self.receptionist).action_arrived()
        with self.assertRaisesRegex(UserError, "already recorded|Nobody is still"):
            self.session.with_user(self.receptionist).action_arrived()
        with self.assertRaisesRegex(UserError, "already recorded"):
            self.session.participant_ids.with_user(self.receptionist).action_arrived()
        tomorrow.with_user(self.receptionist).action_cancel()
        with self.assertRaisesRegex(UserError, "scheduled sessions only"):
            tomorrow.with_user(self.receptionist).action_arrived()

    def test_reset_attendance_clears_the_arrival(self):
        participant = self.session.participant_ids
        participant.with_user(self.receptionist).action_arrived()
        participant.with_user(self.receptionist).action_reset()
        self.assertFalse(participant.arrived_at)
        self.assertFalse(self.session.arrived_at)

    def test_direct_writes_refused_whatever_the_context(self):
        participant = self.session.participant_ids
        for user in self.roles.values():
            for context in OLD_CONTEXTS:
                with self.subTest(user=user.login, context=context):
                    with self.assertRaises(UserError):
                        participant.with_user(user).with_context(**context).write(
                            {"arrived_at": self.now}
                        )
                    with self.assertRaises(UserError):
                        self.session.with_user(user).with_context(**context).write(
                            {"arrived_at": self.now}
                        )
        self.session.invalidate_recordset()
        participant.invalidate_recordset()
        self.assertFalse(participant.arrived_at)
        self.assertFalse(self.session.arrived_at)

    def test_create_with_an_arrival_refused(self):
        with self.assertRaisesRegex(UserError, "Arrived"):
            self.env["psy.session.participant"].with_user(self.receptionist).create(
                {
                    "session_id": self._session(start=self.slot).id,
                    "patient_id": self.patient_2.id,
                    "arrived_at": self.now,
                }
            )
        with self.assertRaises(UserError):
            self.Session.with_user(self.receptionist).with_context(
                default_arrived_at=self.now
            ).create(
                {
                    "patient_id": self.patient_2.id,
                    "professional_id": self.psychologist_2.id,
                    "product_id": self.individual.id,
                    "start": self.slot,
                }
            )

    def test_group_session_arrivals_per_participant(self):
        group = self.env["product.product"].create(
            {
                "name": "Group therapy",
                "type": "service",
                "is_psy_session_type": True,
                "psy_session_kind": "group",
                "psy_capacity": 6,
                "psy_duration": 1.5,
            }
        )
        session = self.Session.create(
            {
                "professional_id": self.psychologist_2.id,
                "product_id": group.id,
                "start": self.today_slot + timedelta(hours=4),
                "participant_ids": [
                    (0, 0, {"patient_id": self.patient.id}),
                    (0, 0, {"patient_id": self.patient_2.id}),
                ],
            }
        )
        first = session.participant_ids[0]
        with freeze_time("2026-11-23 13:50:00"):
            first.with_user(self.receptionist).action_arrived()
        self.assertEqual(session.arrived_at, datetime(2026, 11, 23, 13, 50))
        with freeze_time("2026-11-23 13:58:00"):
            session.with_user(self.receptionist).action_arrived()
        self.assertTrue(all(session.participant_ids.mapped("arrived_at")))
        self.assertEqual(session.arrived_at, datetime(2026, 11, 23, 13, 50))


@tagged("post_install", "-at_install")
class TestAgendaActions(PsySessionCommon):
    """The popover of the agenda offers the day's actions the user may run,
    and says before cancelling whether it would be in time or late."""

    def _names(self, session, user):
        """The actions of this module (other modules add theirs)."""
        return [
            a["name"]
            for a in session.with_user(user).psy_agenda_actions()
            if a["name"] in DAY_ACTIONS
        ]

    def test_actions_of_the_day(self):
        session = self._session(start=datetime(2026, 11, 23, 10, 0))
        self.assertEqual(
            self._names(session, self.receptionist), ["action_arrived", "action_cancel"]
        )
        with freeze_time("2026-11-23 10:10:00"):
            self.assertEqual(
                self._names(session, self.receptionist),
                ["action_arrived", "action_done", "action_no_show", "action_cancel"],
            )
        session.with_user(self.receptionist).action_arrived()
        self.assertNotIn("action_arrived", self._names(session, self.receptionist))
        self.assertFalse(self._names(session, self.billing))

    def test_cancel_says_in_time_or_late(self):
        later = self._session(start=self.slot + timedelta(days=2))
        soon = self._session(
            start=datetime(2026, 11, 23, 18, 0), room_id=self.room_2.id
        )
        self.assertEqual(later.cancel_timing, "in_time")
        self.assertEqual(soon.cancel_timing, "late")
        actions = {
            a["name"]: a for a in soon.with_user(self.receptionist).psy_agenda_actions()
        }
        self.assertIn("late cancellation", actions["action_cancel"]["confirm"])
        actions = {
            a["name"]: a
            for a in later.with_user(self.receptionist).psy_agenda_actions()
        }
        self.assertIn("in time", actions["action_cancel"]["confirm"])
        # What it said is what the cancellation does.
        soon.with_user(self.receptionist).action_cancel()
        later.with_user(self.receptionist).action_cancel()
        self.assertEqual(soon.state, "late_cancelled")
        self.assertEqual(later.state, "cancelled")
        self.assertFalse(soon.cancel_timing)
