from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import PsyVoucherCommon


@tagged("post_install", "-at_install")
class TestComplimentary(PsyVoucherCommon):
    """A psychology administrator gives a priced pack for free, with a reason
    kept on the pack and in its chatter; nobody else can."""

    def _wizard(self, voucher, user, reason):
        return (
            self.env["psy.voucher.complimentary.wizard"]
            .with_user(user)
            .create({"voucher_id": voucher.id, "reason": reason})
        )

    def _notes(self, voucher):
        return voucher.message_ids.filtered(
            lambda m: m.subtype_id == self.env.ref("mail.mt_note")
        )

    def test_administrator_gives_the_pack_with_a_reason(self):
        voucher = self._voucher(activate=False)
        self.assertEqual(voucher.price, 500.0)
        action = voucher.with_user(self.manager).action_open_complimentary_wizard()
        self.assertEqual(action["res_model"], "psy.voucher.complimentary.wizard")
        self._wizard(
            voucher, self.manager, "  Prize of the charity raffle "
        ).action_confirm()
        self.assertBalance(voucher, 10, "active")
        self.assertTrue(voucher.complimentary)
        self.assertEqual(voucher.complimentary_reason, "Prize of the charity raffle")
        self.assertEqual(voucher.price, 0.0)
        message = self._notes(voucher)[:1]
        self.assertIn("Prize of the charity raffle", message.body)
        self.assertIn(self.manager.name, message.body)
        self.assertEqual(message.author_id, self.manager.partner_id)
        # It is consumed like any active pack.
        self._completed()
        self.assertBalance(voucher, 9, "active")

    def test_receptionist_is_refused_and_told_who_can(self):
        voucher = self._voucher(activate=False)
        messages = voucher.message_ids
        with self.assertRaisesRegex(AccessError, "Only a psychology administrator"):
            voucher.with_user(self.receptionist).action_open_complimentary_wizard()
        wizard = self._wizard(voucher, self.receptionist, "My friend")
        with self.assertRaisesRegex(AccessError, "Only a psychology administrator"):
            wizard.action_confirm()
        for user in (self.psychologist, self.director, self.billing):
            with self.assertRaises(AccessError):
                voucher.with_user(user)._psy_make_complimentary("My friend")
        self.assertBalance(voucher, 10, "draft")
        self.assertFalse(voucher.complimentary)
        self.assertEqual(voucher.price, 500.0)
        self.assertEqual(voucher.message_ids, messages)

    def test_reason_is_required(self):
        voucher = self._voucher(activate=False)
        for reason in (False, "", "   "):
            with self.assertRaisesRegex(UserError, "Explain why the pack is given"):
                voucher.with_user(self.manager)._psy_make_complimentary(reason)
        self.assertBalance(voucher, 10, "draft")
        self.assertFalse(voucher.complimentary)
        self.assertEqual(voucher.price, 500.0)

    def test_only_draft_packs(self):
        voucher = self._voucher()
        with self.assertRaisesRegex(UserError, "Only draft packs can be activated"):
            voucher.with_user(self.manager)._psy_make_complimentary("Too late")
        self.assertFalse(voucher.complimentary)
        self.assertEqual(voucher.price, 500.0)
