from datetime import date, datetime

from freezegun import freeze_time

from odoo.tests import tagged

from .common import PsyBillingVoucherCommon


@tagged("post_install", "-at_install")
class TestDeferredBatch(PsyBillingVoucherCommon):
    """Centers posting the deferred-revenue entries once a day."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a.psy_deferred_batch = "daily"
        cls.Line = cls.env["psy.voucher.line"]

    def _completed_on(self, now):
        session = self._past_session()
        with freeze_time(now):
            session.action_done()
        return session

    def _entries(self):
        return self.env["account.move"].search(
            [
                ("company_id", "=", self.company_a.id),
                ("move_type", "=", "entry"),
                ("line_ids.psy_voucher_line_id", "!=", False),
            ]
        )

    def test_one_entry_per_day_traceable_to_sessions(self):
        voucher, move = self._sell()
        monday = [self._completed() for __ in range(3)]
        monday[2].with_user(self.psychologist).action_reset()
        tuesday = self._completed_on(datetime(2026, 11, 24, 9, 0))
        self.assertBalance(voucher, 7)
        # Nothing posted yet: the deferred account still holds the pack.
        self.assertFalse(voucher.line_ids.psy_move_line_ids)
        self.assertAlmostEqual(-self._account_balance(self.deferred), 500.0)
        self.assertAlmostEqual(self._liability(), 350.0)

        posted = self.Line._cron_psy_post_deferred_entries()
        self.assertEqual(len(posted), 5)
        entries = self._entries()
        self.assertEqual(len(entries), 2)
        self.assertEqual(
            sorted(entries.mapped("date")), [date(2026, 11, 23), date(2026, 11, 24)]
        )
        self.assertEqual(set(entries.mapped("state")), {"posted"})
        self.assertDeferredMatchesLiability(350.0)
        self.assertAlmostEqual(self._account_balance(self.pack_income), -150.0)
        # Each movement has its own pair of journal items naming its session.
        for line in voucher.line_ids:
            items = line.psy_move_line_ids
            self.assertEqual(len(items), 2)
            self.assertEqual(items.psy_session_id, line.session_id)
            self.assertEqual(items.psy_voucher_id, voucher)
            self.assertAlmostEqual(sum(items.mapped("balance")), 0.0)
        tuesday_items = tuesday.voucher_line_id.psy_move_line_ids
        self.assertEqual(tuesday_items.move_id.date, date(2026, 11, 24))
        self.assertIn(tuesday.display_name, tuesday_items[0].name)

        # A second run finds nothing left to post.
        self.assertFalse(self.Line._cron_psy_post_deferred_entries())
        self.assertEqual(len(self._entries()), 2)
        self.assertAllBalanced()

    def test_refund_posts_at_once_consumption_with_the_batch(self):
        voucher, move = self._sell()
        self._completed()
        self._completed()
        voucher.with_user(self.receptionist)._refund(reason="Moving abroad")
        credit_note = self.env["account.move"].search(
            [("reversed_entry_id", "=", move.id), ("move_type", "=", "out_refund")]
        )
        self.assertAlmostEqual(credit_note.amount_total, 400.0)
        # The two sessions consumed wait for the daily entry.
        self.assertAlmostEqual(-self._account_balance(self.deferred), 100.0)
        self.Line._cron_psy_post_deferred_entries()
        self.assertDeferredMatchesLiability(0.0)
        self.assertAlmostEqual(self._account_balance(self.pack_income), -100.0)
        self.assertAllBalanced()

    def test_locked_day_posted_on_the_first_open_day(self):
        voucher, move = self._sell()
        self._completed()
        self.company_a.sudo().fiscalyear_lock_date = date(2026, 11, 23)
        self.Line._cron_psy_post_deferred_entries()
        entry = voucher.line_ids.psy_move_line_ids.move_id
        self.assertEqual(entry.state, "posted")
        self.assertEqual(entry.date, date(2026, 11, 24))
        self.assertDeferredMatchesLiability(450.0)

    def test_movement_mode_leaves_nothing_pending(self):
        self.company_a.psy_deferred_batch = "movement"
        voucher, move = self._sell()
        self._completed()
        self.assertTrue(voucher.line_ids.psy_move_line_ids)
        self.assertFalse(self.Line._cron_psy_post_deferred_entries())
        self.assertDeferredMatchesLiability(450.0)

    def test_entry_day_in_the_center_time_zone(self):
        """The day of an entry is the center's, whatever ``tz`` the client
        sends in its context."""
        self.company_a.partner_id.tz = "Europe/Madrid"
        voucher, move = self._sell()
        # 23:30 UTC on 24 November is 00:30 on the 25th in Madrid.
        session = self._past_session()
        with freeze_time(datetime(2026, 11, 24, 23, 30)):
            session.with_user(self.psychologist).with_context(
                tz="Pacific/Honolulu"
            ).action_done()
        self.Line.with_context(tz="Pacific/Honolulu")._cron_psy_post_deferred_entries()
        entry = session.voucher_line_id.psy_move_line_ids.move_id
        self.assertEqual(entry.date, date(2026, 11, 25))
        self.assertDeferredMatchesLiability(450.0)
