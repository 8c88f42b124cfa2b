from datetime import timedelta

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import PsySessionCommon


@tagged("post_install", "-at_install")
class TestSessionAccess(PsySessionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.own = cls._session(note="Pays by transfer")
        cls.others = cls._session(
            start=cls.slot + timedelta(hours=2),
            patient_id=cls.patient_2.id,
            professional_id=cls.psychologist_2.id,
            room_id=cls.room_2.id,
        )

    def _vals(self, **extra):
        values = {
            "patient_id": self.patient.id,
            "professional_id": self.psychologist.id,
            "product_id": self.individual.id,
            "start": self.slot + timedelta(days=2),
        }
        values.update(extra)
        return values

    def test_receptionist_manages_all(self):
        Session = self.Session.with_user(self.receptionist)
        self.assertEqual(Session.search([]), self.own | self.others)
        created = Session.create(self._vals())
        self.assertEqual(created.calendar_event_id.start, created.start)
        self.others.with_user(self.receptionist).write(
            {"start": self.slot + timedelta(hours=5)}
        )
        self.others.with_user(self.receptionist).action_cancel()
        self.assertEqual(self.others.state, "cancelled")
        with self.assertRaises(AccessError):
            created.with_user(self.receptionist).unlink()

    def test_receptionist_other_company(self):
        Session = self.env["psy.session"].with_user(self.receptionist_b)
        Session = Session.with_context(allowed_company_ids=[self.company_b.id])
        self.assertFalse(Session.search([]))
        with self.assertRaises(AccessError):
            self.own.with_user(self.receptionist_b).with_context(
                allowed_company_ids=[self.company_b.id]
            ).read(["start"])

    def test_psychologist_own_and_slots(self):
        Session = self.Session.with_user(self.psychologist)
        # Every time slot of the center is visible, to avoid clashes...
        self.assertEqual(Session.search([]), self.own | self.others)
        slot = self.others.with_user(self.psychologist).read(["start", "stop"])[0]
        self.assertEqual(slot["start"], self.others.start)
        # ...but only their own sessions can be changed.
        self.own.with_user(self.psychologist).write({"note": "Comes by bus"})
        with self.assertRaises(AccessError):
            self.others.with_user(self.psychologist).write({"note": "x"})
        with self.assertRaises(AccessError):
            self.others.with_user(self.psychologist).action_cancel()
        created = Session.create(self._vals())
        self.assertEqual(created.professional_id, self.psychologist)
        with self.assertRaises(AccessError):
            Session.create(
                self._vals(
                    professional_id=self.psychologist_2.id,
                    start=self.slot + timedelta(days=3),
                )
            )

    def test_director_manages_all(self):
        self.others.with_user(self.director).write(
            {"start": self.slot + timedelta(hours=6)}
        )
        self.assertEqual(self.others.start, self.slot + timedelta(hours=6))

    def test_billing_reads_only(self):
        Session = self.Session.with_user(self.billing)
        self.assertEqual(Session.search([]), self.own | self.others)
        row = Session.search_read([("id", "=", self.own.id)], ["patient_id", "state"])
        self.assertEqual(row[0]["patient_id"][1], "Ana López García")
        with self.assertRaises(AccessError):
            self.own.with_user(self.billing).write({"note": "x"})
        with self.assertRaises(AccessError):
            Session.create(self._vals())

    def test_room_access(self):
        Room = self.env["psy.room"].with_user(self.receptionist)
        self.assertIn(self.room_1, Room.search([]))
        with self.assertRaises(AccessError):
            Room.create({"name": "Sala 9"})
        room = self.env["psy.room"].with_user(self.manager).create({"name": "Sala 9"})
        self.assertEqual(room.company_id, self.company_a)
