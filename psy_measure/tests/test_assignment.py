from datetime import date, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import PsyMeasureCommon


@tagged("post_install", "-at_install")
class TestAssignment(PsyMeasureCommon):
    def _mails(self, result):
        return self.env["mail.mail"].search(
            [("model", "=", "psy.measure.result"), ("res_id", "in", result.ids)]
        )

    def test_once_sends_survey_link_to_patient(self):
        assignment = self._assign(self.phq9)
        result = assignment.result_ids
        self.assertEqual(len(result), 1)
        self.assertEqual(assignment.state, "done")
        self.assertEqual(result.state, "sent")
        self.assertEqual(result.assigned_by_id, self.psychologist)
        self.assertEqual(result.record_id, self.record)
        answer = result.sudo().user_input_id
        self.assertEqual(answer.psy_patient_id, self.patient)
        self.assertEqual(answer.partner_id, self.patient.partner_id)
        mail = self._mails(result)
        self.assertEqual(mail.recipient_ids, self.patient.partner_id)
        self.assertIn(answer.get_start_url(), mail.body_html)
        self.assertIn(f"answer_token={answer.access_token}", mail.body_html)

    def test_minor_guardian_receives_the_link(self):
        guardian = self.env["res.partner"].create(
            {"name": "Luis Padre", "email": "luis@example.com"}
        )
        minor = self._assigned_patient(
            firstname="Nico",
            birthdate=self.today - timedelta(days=365 * 12),
            guardian_ids=[(0, 0, {"partner_id": guardian.id})],
        )
        result = self._assign(self.gad7, patient=minor).result_ids
        self.assertEqual(self._mails(result).recipient_ids, guardian)
        self.assertEqual(result.sudo().user_input_id.psy_patient_id, minor)
        self.assertTrue(result.record_id)

    def test_patient_without_email_is_refused(self):
        patient = self._assigned_patient(firstname="Sin", lastname="Correo")
        patient.partner_id.email = False
        with self.assertRaises(UserError):
            self._assign(self.phq9, patient=patient)

    def test_only_the_patients_psychologist_assigns(self):
        for user in (self.psychologist_2, self.receptionist, self.billing):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self._assign(self.phq9, user=user)

    def test_every_4_sessions(self):
        assignment = self._assign(self.phq9, recurrence="sessions", interval=4)
        self.assertEqual(len(assignment.result_ids), 1)
        self.assertEqual(assignment.sessions_at_last, 2)
        for _i in range(3):
            self._done_session()
        self.assertEqual(len(assignment.result_ids), 1)
        # The front desk completes the fourth session: the instrument goes.
        self._done_session().invalidate_recordset()
        self.assertEqual(len(assignment.result_ids), 2)
        self.assertEqual(assignment.sessions_at_last, 6)
        for _i in range(4):
            self._done_session()
        self.assertEqual(len(assignment.result_ids), 3)
        self.assertEqual(
            assignment.result_ids.mapped("assigned_by_id"), self.psychologist
        )

    def test_session_completed_by_front_desk(self):
        assignment = self._assign(self.phq9, recurrence="sessions", interval=1)
        session = self._session(
            start=self.now - timedelta(hours=30),
            room_id=False,
            modality="online",
            video_url="https://meet.example.com/y",
        )
        session.with_user(self.receptionist).action_done()
        self.assertEqual(len(assignment.result_ids), 2)

    def test_every_2_weeks(self):
        assignment = self._assign(self.gad7, recurrence="weeks", interval=2)
        self.assertEqual(assignment.next_date, date(2026, 12, 7))
        Assignment = self.env["psy.measure.assignment"]
        with freeze_time("2026-12-06 09:00:00"):
            Assignment._cron_send_due()
        self.assertEqual(len(assignment.result_ids), 1)
        with freeze_time("2026-12-07 09:00:00"):
            Assignment._cron_send_due()
        self.assertEqual(len(assignment.result_ids), 2)
        self.assertEqual(assignment.next_date, date(2026, 12, 21))
        with freeze_time("2026-12-21 09:00:00"):
            Assignment._cron_send_due()
            Assignment._cron_send_due()
        self.assertEqual(len(assignment.result_ids), 3)
        assignment.with_user(self.psychologist).action_stop()
        with freeze_time("2027-01-04 09:00:00"):
            Assignment._cron_send_due()
        self.assertEqual(len(assignment.result_ids), 3)

    def test_reminders_of_unanswered(self):
        result = self._assign(self.phq9).result_ids
        Result = self.env["psy.measure.result"]
        with freeze_time("2026-11-25 09:00:00"):
            Result._cron_send_reminders()
        self.assertEqual(result.reminder_count, 0)
        with freeze_time("2026-11-26 09:00:00"):
            Result._cron_send_reminders()
        self.assertEqual(result.reminder_count, 1)
        self.assertEqual(len(self._mails(result)), 2)
        with freeze_time("2026-12-10 09:00:00"):
            Result._cron_send_reminders()
            Result._cron_send_reminders()
            Result._cron_send_reminders()
        self.assertEqual(result.reminder_count, 2)
        answered = self._answer(self._assign(self.gad7).result_ids, [0] * 7)
        with freeze_time("2026-12-20 09:00:00"):
            Result._cron_send_reminders()
        self.assertEqual(answered.reminder_count, 0)

    def test_guarded_assignment_fields(self):
        assignment = self._assign(self.phq9, recurrence="weeks", interval=2)
        as_psy = assignment.with_user(self.psychologist)
        for vals in (
            {"state": "active"},
            {"next_date": "2026-11-24"},
            {"professional_id": self.psychologist_2.id},
            {"survey_id": self.gad7.id},
        ):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                as_psy.write(vals)
