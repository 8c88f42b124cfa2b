import base64
from datetime import datetime

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.psy_online_booking.models.psy_booking_request import PsySlotTaken

from .common import PsyOnlineBookingCommon

SLOT = datetime(2026, 11, 24, 9, 0)


@tagged("post_install", "-at_install")
class TestBooking(PsyOnlineBookingCommon):
    def _mails(self, request):
        return (
            self.env["mail.mail"]
            .sudo()
            .search(
                [("model", "=", "psy.booking.request"), ("res_id", "=", request.id)]
            )
        )

    def test_visitor_request(self):
        request = self._book(SLOT)
        self.assertEqual(request.state, "requested")
        self.assertEqual(request.source, "visitor")
        self.assertTrue(request.patient_created)
        session = request.session_id
        self.assertEqual(session.state, "scheduled")
        self.assertEqual(session.start, SLOT)
        self.assertEqual(session.patient_id, request.patient_id)
        self.assertEqual(session.patient_id.name, "Laura Vidal Soto")
        self.assertEqual(session.patient_id.email, "laura@example.com")
        self.assertEqual(session.company_id, self.company_a)
        mail = self._mails(request)
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.email_to, "laura@example.com")
        self.assertIn("received your request", mail.body_html)
        self.assertFalse(mail.attachment_ids)
        # The slot is held: it is no longer offered.
        self.assertNotIn("09:00", self._starts(self._slots()))

    def test_email_of_a_patient_is_not_a_login(self):
        """A visitor typing the e-mail of a patient gets a request for a new
        file, exactly like any visitor: nothing of Ana is used or shown."""
        request = self._book(SLOT, contact=self._visitor(email="ana@example.com"))
        self.assertEqual(request.state, "requested")
        self.assertNotEqual(request.patient_id, self.patient)
        self.assertTrue(request.patient_created)
        self.assertFalse(self.patient.session_ids)

    def test_logged_in_patient_books_directly(self):
        request = self._book(SLOT, patient=self.patient)
        self.assertEqual(request.state, "confirmed")
        self.assertEqual(request.source, "patient")
        self.assertFalse(request.patient_created)
        self.assertEqual(request.session_id.patient_id, self.patient)
        mail = self._mails(request)
        self.assertEqual(mail.email_to, "ana@example.com")
        self.assertIn("is confirmed", mail.body_html)
        self.assertEqual(mail.attachment_ids.name, "session.ics")
        ics = base64.b64decode(mail.attachment_ids.datas).decode()
        self.assertIn("DTSTART:20261124T090000Z", ics)
        self.assertIn("DTEND:20261124T095000Z", ics)
        self.assertIn("SUMMARY:Individual therapy with Marta R.", ics)
        self.assertNotIn("Ana", ics)

    def test_center_confirms_every_booking(self):
        self.company_a.psy_booking_confirmation = "request"
        request = self._book(SLOT, patient=self.patient)
        self.assertEqual(request.state, "requested")
        self.assertEqual(request.session_id.state, "scheduled")

    def test_slot_taken(self):
        self._book(SLOT)
        with self.assertRaisesRegex(PsySlotTaken, "This slot was just taken"):
            self._book(SLOT, contact=self._visitor(email="other@example.com"))
        # Overlapping but not offered (09:20) is refused the same way.
        with self.assertRaises(PsySlotTaken):
            self._book(datetime(2026, 11, 24, 9, 20))
        # Nothing left behind by the refusals.
        self.assertEqual(
            self.Request.search_count([("company_id", "=", self.company_a.id)]), 1
        )
        self.assertFalse(
            self.env["psy.patient"].search([("email", "=", "other@example.com")])
        )

    def test_database_decides(self):
        """The check of the page passed (slots computed before the rival
        booked): the exclusion constraint refuses, nothing is left."""
        rival = self._session(
            start=SLOT, modality="online", room_id=False, patient_id=self.patient_2.id
        )
        self.assertTrue(rival)
        Availability = type(self.env["psy.booking.availability"])
        original = Availability._psy_slots

        def stale(self_, company, product, modality, professionals, start, stop, **kw):
            return [
                {
                    "start": start,
                    "stop": start,
                    "professional": professionals,
                    "room": self_.env["psy.room"],
                }
            ]

        Availability._psy_slots = stale
        try:
            with self.assertRaises(PsySlotTaken):
                self._book(SLOT, contact=self._visitor(email="late@example.com"))
        finally:
            Availability._psy_slots = original
        self.assertFalse(
            self.env["psy.patient"].search([("email", "=", "late@example.com")])
        )

    def test_outside_hours_and_notice(self):
        with self.assertRaises(PsySlotTaken):
            self._book(datetime(2026, 11, 24, 15, 0))
        with self.assertRaises(PsySlotTaken):
            self._book(datetime(2026, 11, 23, 10, 0))

    def test_front_desk_confirms_with_existing_file(self):
        request = self._book(SLOT, contact=self._visitor(email="ana@example.com"))
        provisional = request.patient_id
        as_desk = request.with_user(self.receptionist)
        as_desk.existing_patient_id = self.patient
        as_desk.action_confirm()
        self.assertEqual(request.state, "confirmed")
        self.assertEqual(request.patient_id, self.patient)
        self.assertEqual(request.session_id.patient_id, self.patient)
        self.assertEqual(request.session_id.participant_ids.patient_id, self.patient)
        self.assertFalse(provisional.active)
        mail = self._mails(request).filtered(lambda m: m.attachment_ids)
        self.assertEqual(mail.attachment_ids.name, "session.ics")
        with self.assertRaisesRegex(UserError, "already confirmed"):
            as_desk.action_confirm()

    def test_front_desk_rejects(self):
        request = self._book(SLOT)
        request.with_user(self.receptionist).action_reject()
        self.assertEqual(request.state, "rejected")
        self.assertEqual(request.session_id.state, "cancelled")
        self.assertFalse(request.patient_id.active)
        self.assertIn("09:00", self._starts(self._slots()))

    def test_roles(self):
        request = self._book(SLOT)
        # The professional reads the requests of their agenda, cannot decide.
        as_psy = request.with_user(self.psychologist)
        self.assertEqual(as_psy.state, "requested")
        with self.assertRaises(AccessError):
            as_psy.action_confirm()
        other = request.with_user(self.psychologist_2)
        with self.assertRaises(AccessError):
            other.read(["state"])
        with self.assertRaises(AccessError):
            request.with_user(self.billing).read(["state"])
        with self.assertRaises(AccessError):
            request.with_user(self.receptionist_b).read(["state"])
        with self.assertRaises(UserError):
            self.Request.with_user(self.receptionist).create(
                {
                    "product_id": self.individual.id,
                    "professional_id": self.psychologist.id,
                    "modality": "online",
                    "start": SLOT,
                    "stop": SLOT,
                }
            )
        with self.assertRaises(UserError):
            request.with_user(self.receptionist).unlink()

    def test_throttle(self):
        Attempt = self.env["psy.booking.attempt"]
        keys = [Attempt._psy_key("ip", "203.0.113.7")]
        self.assertNotIn("203.0.113.7", keys[0])
        for _i in range(5):
            self.assertTrue(Attempt._psy_register(self.company_a, keys))
        self.assertFalse(Attempt._psy_register(self.company_a, keys))
        # Another connection is not affected.
        self.assertTrue(
            Attempt._psy_register(self.company_a, [Attempt._psy_key("ip", "x")])
        )
        with self.assertRaises(AccessError):
            Attempt.with_user(self.manager).search([])

    def test_only_individual_types_online(self):
        couples = self.env["product.product"].create(
            {
                "name": "Couples",
                "type": "service",
                "is_psy_session_type": True,
                "psy_duration": 1,
                "psy_session_kind": "couple",
            }
        )
        with self.assertRaisesRegex(UserError, "only individual session types"):
            couples.psy_online_booking = True
