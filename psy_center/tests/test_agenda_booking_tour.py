from datetime import datetime, time, timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged

from odoo.addons.psy_voucher.tests.common import PsyVoucherCommon


@tagged("post_install", "-at_install")
class TestAgendaBookingTour(PsyVoucherCommon, HttpCase):
    """In a real browser: the front desk books a session from a free slot of
    the agenda in four actions, and sees before saving the patient's pack
    balance and the consent they have not signed.

    The browser runs on the real clock, so this class does not freeze it."""

    freeze_time = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.psychologist.name = "Tour Psychologist"
        for user in (cls.receptionist, cls.psychologist):
            user.tz = "UTC"
        cls.company_a.psy_consent_type_ids = cls.env.ref("psy_consent.type_treatment")
        cls.voucher = cls._voucher()
        # The last session of the patient, last week: its type is proposed,
        # and it took one session from the pack.
        last = cls._session(
            start=fields.Datetime.now().replace(microsecond=0) - timedelta(days=7),
            room_id=cls.room_1.id,
        )
        last.consent_override = True  # superuser fixture: completed without consent
        last._action_done(fields.Datetime.now())

    def test_booking_from_a_free_slot(self):
        self.start_tour(
            "/odoo/action-psy_session.psy_session_action",
            "psy_agenda_booking",
            login="t_reception",
        )
        start = datetime.combine(fields.Date.today(), time(21, 0))
        session = self.env["psy.session"].search(
            [("patient_id", "=", self.patient.id), ("start", "=", start)]
        )
        self.assertEqual(len(session), 1)
        self.assertEqual(session.professional_id, self.psychologist)
        self.assertEqual(session.product_id, self.individual)
        self.assertEqual(session.room_id, self.room_1)
        self.assertEqual(session.state, "scheduled")
