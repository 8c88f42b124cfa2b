from odoo.exceptions import AccessError
from odoo.tests import Form, tagged

from .common import PsyBillingCommon


@tagged("post_install", "-at_install")
class TestBookingUnpaid(PsyBillingCommon):
    """The booking form tells the front desk what the patient still owes on
    posted invoices, without giving it the invoices; billing staff take the
    payment from the agenda."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        done = cls._done_session(cls._nov(16))
        cls.invoice = done._psy_create_invoices("session", post=True)

    def _booking(self, user, patient=None):
        form = Form(self.Session.with_user(user).with_context(default_start=self.slot))
        form.patient_id = patient or self.patient
        return form

    def test_front_desk_sees_the_amount_before_saving(self):
        form = self._booking(self.receptionist)
        self.assertEqual(form.psy_booking_unpaid_count, 1)
        self.assertIn("60", form.psy_booking_unpaid_info)
        self.assertIn("1 unpaid invoice", form.psy_booking_unpaid_info)
        # Another patient owes nothing.
        form = self._booking(self.receptionist, self.patient_2)
        self.assertEqual(form.psy_booking_unpaid_count, 0)
        # The front desk still reads no invoice.
        with self.assertRaises(AccessError):
            self.invoice.with_user(self.receptionist).check_access("read")

    def test_paid_invoices_are_not_counted(self):
        self._pay(self.invoice)
        form = self._booking(self.receptionist)
        self.assertEqual(form.psy_booking_unpaid_count, 0)
        self.assertFalse(form.psy_booking_unpaid_info)

    def test_take_payment_from_the_agenda(self):
        session = self._session(start=self.slot)
        actions = session.with_user(self.billing).psy_agenda_actions()
        names = [a["name"] for a in actions]
        self.assertIn("action_psy_take_payment", names)
        action = session.with_user(self.billing).action_psy_take_payment()
        moves = self.env["account.move"].search(action.get("domain") or [])
        if action.get("res_id"):
            moves = self.env["account.move"].browse(action["res_id"])
        self.assertEqual(moves, self.invoice)
        names = [
            a["name"] for a in session.with_user(self.receptionist).psy_agenda_actions()
        ]
        self.assertNotIn("action_psy_take_payment", names)
        with self.assertRaises(AccessError):
            session.with_user(self.receptionist).action_psy_take_payment()
