from odoo.exceptions import AccessError
from odoo.tests import Form, tagged

from .common import PsyVoucherCommon


@tagged("post_install", "-at_install")
class TestBookingPacks(PsyVoucherCommon):
    """The booking form shows the patient's active packs and the sessions
    left before saving; the front desk sells a pack from the agenda."""

    def _booking(self, user, patient=None):
        form = Form(self.Session.with_user(user).with_context(default_start=self.slot))
        form.patient_id = patient or self.patient
        return form

    def test_active_packs_and_sessions_left(self):
        voucher = self._voucher()
        self._completed()
        self._voucher(activate=False)  # a draft pack is not offered
        form = self._booking(self.receptionist)
        self.assertEqual(form.psy_booking_pack_count, 1)
        self.assertIn(voucher.name, form.psy_booking_pack_info)
        self.assertIn("9 of 10 sessions left", form.psy_booking_pack_info)
        form = self._booking(self.receptionist, self.patient_2)
        self.assertEqual(form.psy_booking_pack_count, 0)
        self.assertFalse(form.psy_booking_pack_info)

    def test_sell_a_pack_from_the_agenda(self):
        session = self._session(start=self.slot)
        names = [
            a["name"] for a in session.with_user(self.receptionist).psy_agenda_actions()
        ]
        self.assertIn("action_psy_agenda_sell_pack", names)
        action = session.with_user(self.receptionist).action_psy_agenda_sell_pack()
        self.assertEqual(action["res_model"], "psy.voucher")
        self.assertEqual(action["context"]["default_patient_id"], self.patient.id)
        actions = session.with_user(self.billing).psy_agenda_actions()
        names = [a["name"] for a in actions]
        self.assertNotIn("action_psy_agenda_sell_pack", names)
        with self.assertRaises(AccessError):
            session.with_user(self.billing).action_psy_agenda_sell_pack()
