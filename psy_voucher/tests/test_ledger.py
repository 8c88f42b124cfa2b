from psycopg2 import errors as pg_errors

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import PsyVoucherCommon


@tagged("post_install", "-at_install")
class TestLedger(PsyVoucherCommon):
    def test_lines_are_append_only_for_everyone(self):
        voucher = self._voucher()
        self._completed()
        line = voucher.line_ids
        for user in (self.manager, self.receptionist, self.env.ref("base.user_root")):
            with self.assertRaises(UserError):  # AccessError is a UserError
                line.with_user(user).write({"quantity": -5})
            with self.assertRaises(UserError):  # AccessError is a UserError
                line.with_user(user).unlink()
        with self.assertRaisesRegex(UserError, "never be changed"):
            line.sudo().write({"reason": "edited"})
        with self.assertRaisesRegex(UserError, "never be deleted"):
            line.sudo().unlink()
        for user in (self.manager, self.receptionist):
            with self.assertRaisesRegex(UserError, "recorded by the pack itself"):
                self.env["psy.voucher.line"].with_user(user).create(
                    {
                        "voucher_id": voucher.id,
                        "company_id": voucher.company_id.id,
                        "patient_id": voucher.patient_id.id,
                        "product_id": voucher.product_id.id,
                        "type": "adjust",
                        "quantity": 5,
                        "balance": 14,
                        "date": "2026-11-23 08:00:00",
                        "user_id": user.id,
                        "reason": "free sessions",
                    }
                )
        self.assertBalance(voucher, 9)

    def test_database_refuses_negative_balance(self):
        voucher = self._voucher()
        voucher.flush_recordset()
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(pg_errors.CheckViolation),
            self.env.cr.savepoint(),
        ):
            self.env.cr.execute(
                "UPDATE psy_voucher SET remaining = remaining - 11 WHERE id = %s",
                [voucher.id],
            )
        self.assertBalance(voucher, 10)

    def test_adjust_with_reason_by_manager(self):
        voucher = self._voucher()
        managed = voucher.with_user(self.manager)
        with self.assertRaisesRegex(UserError, "Explain the adjustment"):
            managed._adjust(2, "  ")
        managed._adjust(2, "Two sessions offered after a scheduling mistake")
        self.assertBalance(voucher, 12, "active")
        line = voucher.line_ids
        self.assertEqual((line.type, line.quantity, line.balance), ("adjust", 2, 12))
        self.assertEqual(line.user_id, self.manager)
        managed._adjust(-12, "Sold by mistake")
        self.assertBalance(voucher, 0, "exhausted")
        with self.assertRaisesRegex(UserError, "has 0 sessions left"):
            managed._adjust(-1, "One more")
        managed._adjust(1, "Goodwill")
        self.assertBalance(voucher, 1, "active")
        with self.assertRaises(AccessError):
            voucher.with_user(self.receptionist)._adjust(1, "No right")
        self.assertBalance(voucher, 1, "active")

    def test_adjust_wizard(self):
        voucher = self._voucher()
        wizard = (
            self.env["psy.voucher.adjust.wizard"]
            .with_user(self.manager)
            .create({"voucher_id": voucher.id, "quantity": -3, "reason": "Used before"})
        )
        wizard.action_confirm()
        self.assertBalance(voucher, 7)
        self.assertEqual(voucher.line_ids.reason, "Used before")

    def test_database_requires_reason_of_adjustments(self):
        voucher = self._voucher()
        voucher._lock_balances()
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(pg_errors.CheckViolation),
            self.env.cr.savepoint(),
        ):
            self.Voucher._record_lines(
                [{"voucher_id": voucher.id, "type": "adjust", "quantity": 1}]
            )
            self.env.flush_all()
        self.env.invalidate_all()
        self.assertBalance(voucher, 10)
