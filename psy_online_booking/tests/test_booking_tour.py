from odoo.tests import HttpCase, tagged

from .common import PsyOnlineBookingCommon


@tagged("post_install", "-at_install")
class TestBookingTour(PsyOnlineBookingCommon, HttpCase):
    """In a real browser: a visitor books the first free time and sees the
    confirmation; the session holds the slot and waits for the front desk."""

    def test_visitor_books_a_free_slot(self):
        url = (
            f"/booking?center={self.company_a.id}&service={self.individual.id}"
            f"&modality=online&professional={self.psychologist.id}"
        )
        self.start_tour(url, "psy_online_booking_visitor")
        request = self.Request.sudo().search([])
        self.assertEqual(len(request), 1)
        self.assertEqual(request.state, "requested")
        self.assertEqual(request.email, "laura@example.com")
        self.assertEqual(request.session_id.state, "scheduled")
        self.assertEqual(request.session_id.professional_id, self.psychologist)
        # The first free time: Tuesday 09:00 in Madrid, 08:00 UTC.
        self.assertEqual(request.start.strftime("%Y-%m-%d %H:%M"), "2026-11-24 08:00")
