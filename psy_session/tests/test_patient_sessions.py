from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import PsySessionCommon


@tagged("post_install", "-at_install")
class TestPatientSessions(PsySessionCommon):
    def test_counts_and_smart_buttons(self):
        now = fields.Datetime.now()
        past = self._session(start=now - timedelta(days=7))
        self._session(start=now + timedelta(days=7))
        cancelled = self._session(start=now + timedelta(days=14))
        cancelled.action_cancel()
        self.patient.invalidate_recordset()
        self.assertEqual(self.patient.session_past_count, 1)
        self.assertEqual(self.patient.session_upcoming_count, 1)
        action = self.patient.action_view_past_sessions()
        self.assertEqual(self.env["psy.session"].search(action["domain"]), past)
        action = self.patient.action_view_upcoming_sessions()
        self.assertEqual(len(self.env["psy.session"].search(action["domain"])), 2)

    def test_patient_with_sessions_is_kept(self):
        patient = self._patient(lastname="Con Sesiones")
        self._session(patient_id=patient.id)
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            patient.unlink()

    def test_type_change_extending_into_next_session(self):
        self._session(
            start=self.slot + timedelta(hours=1), patient_id=self.patient_2.id
        )
        session = self._session()
        longer = self.env["product.product"].create(
            {
                "name": "Long therapy",
                "type": "service",
                "is_psy_session_type": True,
                "psy_duration": 1.5,
            }
        )
        with self.assertRaisesRegex(ValidationError, "already booked"):
            session.product_id = longer

    def test_professional_of_another_center(self):
        with self.assertRaisesRegex(ValidationError, "does not work at Centro Alfa"):
            self._session(
                professional_id=self.env["res.users"]
                .create(
                    {
                        "name": "Beta psychologist",
                        "login": "t_beta_psy",
                        "company_id": self.company_b.id,
                        "company_ids": [(6, 0, self.company_b.ids)],
                        "groups_id": [
                            (
                                6,
                                0,
                                self.env.ref("psy_patient.group_psy_psychologist").ids,
                            )
                        ],
                    }
                )
                .id
            )

    def test_session_type_needs_duration(self):
        with self.assertRaisesRegex(ValidationError, "has no duration"):
            self.env["product.template"].create(
                {"name": "Broken", "type": "service", "is_psy_session_type": True}
            )

    def test_views_load_for_each_role(self):
        for user in (self.receptionist, self.psychologist, self.billing):
            views = (
                self.env["psy.session"]
                .with_user(user)
                .get_views(
                    [
                        (False, "calendar"),
                        (False, "list"),
                        (False, "kanban"),
                        (False, "form"),
                        (False, "search"),
                    ]
                )
            )
            self.assertEqual(
                set(views["views"]), {"calendar", "list", "kanban", "form", "search"}
            )
        form = (
            self.env["psy.patient"]
            .with_user(self.receptionist)
            .get_views([(False, "form")])
        )
        self.assertIn("session_upcoming_count", form["views"]["form"]["arch"])
