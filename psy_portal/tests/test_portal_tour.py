# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.tests import HttpCase, tagged

from .common import PsyPortalCommon


@tagged("post_install", "-at_install")
class TestPortalTour(PsyPortalCommon, HttpCase):
    """In a real browser: the patient, the guardian, the online session."""

    def test_patient_tour(self):
        voucher = self._voucher()
        late = self._session(start=self.late_slot)
        in_time = self._session()
        self.start_tour("/my", "psy_portal_patient", login="t_portal_ana")
        self.assertEqual(in_time.state, "cancelled")
        self.assertEqual(late.state, "late_cancelled")
        self.assertEqual(late.voucher_id, voucher)
        self.assertFalse(in_time.voucher_line_id)
        self.assertBalance(voucher, 9)

    def test_guardian_tour(self):
        self._session(patient_id=self.minor.id)
        self._bruno_session(start=self._nov(25))
        self.start_tour("/my", "psy_portal_guardian", login="t_portal_marta")

    def test_join_tour(self):
        self.company_a.psy_consent_online_type_ids = self.type_teletherapy
        self._signed_consent(template=self.tpl_teletherapy)
        # Starting within the join window: the Discuss meeting of its entry.
        session = self._online(start=self.now.replace(minute=5), video_url=False)
        self.assertIn("/calendar/join_videocall/", session.video_url)
        self.start_tour(
            f"/my/sessions/{session.id}", "psy_portal_join", login="t_portal_ana"
        )
        self.assertTrue(session.calendar_event_id.videocall_channel_id)
