from datetime import datetime

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import PsyOnlineBookingCommon

# Context keys a client may send: none opens a guard.
CONTEXTS = (
    {},
    {"psy_booking_confirm": True},
    {"psy_now": datetime(2026, 11, 30, 12, 0)},
    {"install_mode": True, "module_uninstall": True},
)


@tagged("post_install", "-at_install")
class TestBookingWritePaths(PsyOnlineBookingCommon):
    """Whatever the role and the context, the state, the session, the patient
    file and what the visitor typed change only through the page and the
    buttons; a refused call changes nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.booking = cls._book(datetime(2026, 11, 24, 9, 0))
        other = cls._book(
            datetime(2026, 11, 24, 10, 0), contact=cls._visitor(email="b@example.com")
        )
        cls.values = {
            "state": "confirmed",
            "source": "patient",
            "session_id": other.session_id.id,
            "patient_id": cls.patient.id,
            "patient_created": False,
            "decision_date": datetime(2026, 11, 23, 9, 0),
            "start": datetime(2026, 11, 25, 9, 0),
            "professional_id": cls.psychologist_2.id,
            "email": "attacker@example.com",
            "privacy_accepted_date": False,
            "company_id": cls.company_b.id,
        }

    def _snapshot(self):
        self.booking.invalidate_recordset()
        return {name: self.booking[name] for name in self.values}

    def test_guarded_fields(self):
        self.assertTrue(
            set(self.values) <= self.env["psy.booking.request"]._psy_guarded_fields()
        )

    def test_direct_writes_refused(self):
        before = self._snapshot()
        for role, user in self.roles.items():
            for context in CONTEXTS:
                booking = self.booking.with_user(user).with_context(**context)
                for name, value in self.values.items():
                    with self.assertRaises(UserError, msg=f"{role} {name} {context}"):
                        booking.write({name: value})
                with self.assertRaises(UserError, msg=f"{role} unlink {context}"):
                    booking.unlink()
        self.assertEqual(self._snapshot(), before)

    def test_front_desk_writes_only_the_existing_patient(self):
        self.booking.with_user(self.receptionist).existing_patient_id = self.patient
        self.assertEqual(self.booking.existing_patient_id, self.patient)
        self.assertEqual(self.booking.state, "requested")

    def test_actions_by_role(self):
        for role in ("billing", "psychologist"):
            with self.assertRaises(UserError, msg=role):
                self.booking.with_user(self.roles[role]).action_confirm()
            with self.assertRaises(UserError, msg=role):
                self.booking.with_user(self.roles[role]).action_reject()
        self.assertEqual(self.booking.state, "requested")
        self.booking.with_user(self.manager).action_confirm()
        self.assertEqual(self.booking.state, "confirmed")
