# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import http
from odoo.tests import HttpCase, tagged

from .common import PsyPortalCommon


@tagged("post_install", "-at_install")
class TestPortalCancel(PsyPortalCommon, HttpCase):
    """The page announces whether a cancellation is in time or late and what
    it costs (a pack session or a fee); confirming applies exactly that,
    through the participant's own action."""

    def _page(self, session, login="t_portal_ana"):
        self.authenticate(login, login)
        response = self.url_open(f"/my/sessions/{session.id}")
        self.assertEqual(response.status_code, 200)
        return response.text

    def _cancel(self, session, announced):
        return self.url_open(
            f"/my/sessions/{session.id}/cancel",
            data={"csrf_token": http.Request.csrf_token(self), "announced": announced},
            allow_redirects=False,
        )

    def test_in_time_costs_nothing(self):
        voucher = self._voucher()
        session = self._session()
        page = self._page(session)
        self.assertIn('data-late="0"', page)
        self.assertIn('data-cost="none"', page)
        self.assertIn("nothing is charged", page)
        response = self._cancel(session, "in_time")
        self.assertEqual(response.status_code, 303)
        self.assertEqual(session.state, "cancelled")
        self.assertEqual(session.participant_ids.attendance, "cancelled")
        self.assertBalance(voucher, 10)
        self.assertFalse(session.psy_billable)
        self.assertIn("message=cancelled", response.headers["Location"])

    def test_late_with_a_pack_takes_a_session(self):
        voucher = self._voucher()
        session = self._session(start=self.late_slot)
        page = self._page(session)
        self.assertIn('data-late="1"', page)
        self.assertIn('data-cost="pack"', page)
        self.assertIn(voucher.name, page)
        self._cancel(session, "late")
        self.assertEqual(session.state, "late_cancelled")
        self.assertBalance(voucher, 9)
        self.assertEqual(session.voucher_id, voucher)

    def test_late_pack_not_deducting_bills_the_fee(self):
        self.pack10.psy_voucher_late_cancel_policy = "no_consume"
        voucher = self._voucher()
        session = self._session(start=self.late_slot)
        page = self._page(session)
        self.assertIn('data-cost="fee"', page)
        self._cancel(session, "late")
        self.assertBalance(voucher, 10)
        self.assertTrue(session.psy_billable)
        self.assertAlmostEqual(session.psy_price, 30.0)

    def test_late_without_a_pack_bills_the_fee(self):
        session = self._session(start=self.late_slot)
        page = self._page(session)
        self.assertIn('data-cost="fee"', page)
        self.assertIn("30.00", page)
        self._cancel(session, "late")
        self.assertEqual(session.state, "late_cancelled")
        self.assertTrue(session.psy_billable)
        self.assertAlmostEqual(session.psy_price, 30.0)

    def test_late_without_fee_policy_costs_nothing(self):
        self.company_a.psy_fee_late_cancel = False
        session = self._session(start=self.late_slot)
        self.assertIn('data-cost="none"', self._page(session))
        self._cancel(session, "late")
        self.assertEqual(session.state, "late_cancelled")
        self.assertFalse(session.psy_billable)

    def test_terms_changed_applies_nothing(self):
        """Announced in time, late now: nothing is cancelled, the page shows
        the new terms."""
        session = self._session(start=self.late_slot)
        self._page(session)
        response = self._cancel(session, "in_time")
        self.assertIn("message=terms_changed", response.headers["Location"])
        self.assertEqual(session.state, "scheduled")

    def test_couple_partner_cancels_alone(self):
        """One of a couple cancels late: the session goes on with the other,
        nothing is charged and the page said so."""
        self.couples.psy_session_kind = "couple"
        session = self.Session.create(
            {
                "product_id": self.couples.id,
                "professional_id": self.psychologist.id,
                "room_id": self.room_1.id,
                "start": self.late_slot,
                "participant_ids": [
                    (0, 0, {"patient_id": self.patient.id}),
                    (0, 0, {"patient_id": self.patient_2.id}),
                ],
            }
        )
        self.assertIn('data-cost="none"', self._page(session))
        self._cancel(session, "late")
        self.assertEqual(session.state, "scheduled")
        mine = session.participant_ids.filtered(lambda p: p.patient_id == self.patient)
        self.assertEqual(mine.attendance, "late_cancelled")
        self.assertEqual((session.participant_ids - mine).attendance, "expected")

    def test_group_participant_cancels_late(self):
        """In a group session the participant's own part costs the fee; the
        session goes on with the others."""
        group_type = self.env["product.product"].create(
            {
                "name": "Mindfulness group",
                "type": "service",
                "is_psy_session_type": True,
                "psy_session_kind": "group",
                "psy_capacity": 8,
                "psy_duration": 1.0,
                "list_price": 20.0,
            }
        )
        session = self.Session.create(
            {
                "product_id": group_type.id,
                "professional_id": self.psychologist.id,
                "room_id": self.room_2.id,
                "start": self.late_slot,
                "participant_ids": [
                    (0, 0, {"patient_id": self.patient.id}),
                    (0, 0, {"patient_id": self.patient_2.id}),
                ],
            }
        )
        page = self._page(session)
        self.assertIn('data-cost="fee"', page)
        self.assertIn("10.00", page)
        self._cancel(session, "late")
        self.assertEqual(session.state, "scheduled")
        mine = session.participant_ids.filtered(lambda p: p.patient_id == self.patient)
        self.assertEqual(mine.attendance, "late_cancelled")
        self.assertTrue(mine.psy_billable)
        self.assertEqual((session.participant_ids - mine).attendance, "expected")

    def test_guardian_cancels_the_minor(self):
        session = self._session(patient_id=self.minor.id)
        self._page(session, login="t_portal_marta")
        self._cancel(session, "in_time")
        self.assertEqual(session.state, "cancelled")

    def test_past_or_closed_cannot_be_cancelled(self):
        session = self._past_session()
        self.authenticate("t_portal_ana", "t_portal_ana")
        self.assertNotIn(
            "o_psy_cancel_confirm", self.url_open(f"/my/sessions/{session.id}").text
        )
        response = self._cancel(session, "late")
        self.assertIn("message=cant_cancel", response.headers["Location"])
        self.assertEqual(session.state, "scheduled")

    def test_ask_to_change(self):
        session = self._session()
        self._page(session)
        response = self.url_open(
            f"/my/sessions/{session.id}/change",
            data={
                "csrf_token": http.Request.csrf_token(self),
                "request_text": "Could we move it to Thursday?",
            },
            allow_redirects=False,
        )
        self.assertIn("message=change_requested", response.headers["Location"])
        activity = session.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertIn("Thursday", activity.note)
        self.assertTrue(
            activity.user_id.has_group("psy_patient.group_psy_receptionist")
        )
        # Empty requests are refused.
        response = self.url_open(
            f"/my/sessions/{session.id}/change",
            data={"csrf_token": http.Request.csrf_token(self), "request_text": "  "},
            allow_redirects=False,
        )
        self.assertIn("message=cant_request", response.headers["Location"])
        self.assertEqual(len(session.activity_ids), 1)
