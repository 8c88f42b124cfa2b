from datetime import timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .common import PsySessionCommon


@tagged("post_install", "-at_install")
class TestSessionReminder(PsySessionCommon):
    def _mails(self, session):
        return self.env["mail.mail"].search(
            [("model", "=", "psy.session"), ("res_id", "=", session.id)]
        )

    def test_reminder_sent_once(self):
        soon = self._session()  # starts in 26 h
        later = self._session(start=self.slot + timedelta(days=3))
        Session = self.env["psy.session"]
        # 26 h before: outside the 24 h window, nothing is sent.
        Session._cron_send_reminders()
        self.assertFalse(self._mails(soon))
        # 23 h before: the reminder goes out, once.
        with freeze_time(self.slot - timedelta(hours=23)):
            Session._cron_send_reminders()
        mails = self._mails(soon)
        self.assertEqual(len(mails), 1)
        self.assertIn(self.patient.partner_id, mails.recipient_ids)
        self.assertIn("Reminder: your session", mails.subject)
        self.assertIn(self.psychologist.name, mails.body_html)
        self.assertTrue(soon.reminder_sent)
        self.assertFalse(later.reminder_sent)
        with freeze_time(self.slot - timedelta(hours=23)):
            Session._cron_send_reminders()
        self.assertEqual(len(self._mails(soon)), 1, "sent once, not twice")
        self.assertFalse(self._mails(later))

    def test_no_reminder_for_cancelled(self):
        session = self._session()
        session.action_cancel()
        with freeze_time(self.slot - timedelta(hours=2)):
            self.env["psy.session"]._cron_send_reminders()
        self.assertFalse(self._mails(session))

    def test_activity_when_left_open(self):
        session = self._session()
        closed = self._session(start=self.slot + timedelta(hours=2))
        Session = self.env["psy.session"]
        with freeze_time(self.slot + timedelta(hours=4)):
            closed.action_done()
            Session._cron_flag_overdue()
            self.assertEqual(len(session.activity_ids), 1)
            self.assertEqual(session.activity_ids.user_id, self.psychologist)
            self.assertFalse(closed.activity_ids)
            Session._cron_flag_overdue()
        self.assertEqual(len(session.activity_ids), 1, "one activity, not two")
