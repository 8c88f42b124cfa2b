from datetime import date

from odoo.tests import tagged

from .common import PsyVoucherCommon


@tagged("post_install", "-at_install")
class TestExpiry(PsyVoucherCommon):
    def _dated(self, expiry, **vals):
        return self._voucher(start_date=date(2026, 1, 1), expiry_date=expiry, **vals)

    def test_cron_expires_past_vouchers_with_a_line(self):
        due = self._dated(date(2026, 11, 22))
        self._completed()
        self.assertBalance(due, 9)
        today = self._dated(date(2026, 11, 23), patient=self.patient_2)
        exhausted = self._dated(
            date(2026, 11, 1), product=self._pack(psy_voucher_sessions=1)
        )
        exhausted._lock_balances()
        self.Voucher._record_lines(
            [
                {
                    "voucher_id": exhausted.id,
                    "type": "adjust",
                    "quantity": -1,
                    "reason": "Used",
                }
            ]
        )
        self.assertBalance(exhausted, 0, "exhausted")
        self.Voucher._cron_run()
        self.assertBalance(due, 0, "expired")
        line = due.line_ids.sorted("id")[-1]
        self.assertEqual((line.type, line.quantity, line.balance), ("expire", -9, 0))
        self.assertEqual(due.sessions_lost, 9)
        # Valid through its expiry date.
        self.assertBalance(today, 10, "active")
        self.assertBalance(exhausted, 0, "exhausted")
        # Running again changes nothing.
        self.Voucher._cron_run()
        self.assertBalance(due, 0, "expired")
        self.assertEqual(len(due.line_ids), 2)
        expired_lost = self.Voucher.search(
            [
                ("company_id", "=", self.company_a.id),
                ("state", "=", "expired"),
                ("line_ids.type", "=", "expire"),
            ]
        )
        self.assertEqual(expired_lost, due)

    def test_expiry_queries_do_not_grow_with_vouchers(self):
        def expire(count):
            vouchers = self.Voucher.create(
                [
                    {
                        "patient_id": self.patient.id,
                        "product_id": self.pack10.id,
                        "start_date": date(2026, 1, 1),
                        "expiry_date": date(2026, 11, 1),
                    }
                    for _i in range(count)
                ]
            )
            vouchers._psy_activate()
            self.env.flush_all()
            before = self.env.cr.sql_log_count
            self.assertEqual(self.Voucher._expire_due(), count)
            self.env.flush_all()
            self.assertEqual(set(vouchers.mapped("state")), {"expired"})
            return self.env.cr.sql_log_count - before

        expire(1)  # warm the caches
        few = expire(3)
        many = expire(60)
        self.assertEqual(few, many)

    def test_reminder_once_before_expiry(self):
        self.patient.partner_id.email = "ana@example.com"
        soon = self._dated(date(2026, 12, 5))  # 12 days ahead, reminder at 15
        later = self._dated(date(2027, 1, 30), patient=self.patient_2)
        Mail = self.env["mail.mail"]
        before = Mail.search([])
        self.Voucher._send_expiry_reminders()
        mails = Mail.search([]) - before
        self.assertEqual(len(mails), 1)
        self.assertIn(soon.name, mails.subject)
        self.assertIn(self.patient.partner_id, mails.recipient_ids)
        self.assertTrue(soon.reminder_sent)
        self.assertFalse(later.reminder_sent)
        self.Voucher._send_expiry_reminders()
        self.assertEqual(len(Mail.search([]) - before), 1)

    def test_no_reminder_when_disabled(self):
        self.company_a.psy_voucher_reminder_days = 0
        voucher = self._dated(date(2026, 11, 25))
        self.Voucher._send_expiry_reminders()
        self.assertFalse(voucher.reminder_sent)
