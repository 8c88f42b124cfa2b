from datetime import date

from odoo.tests import tagged

from .common import PsyVoucherCommon


@tagged("post_install", "-at_install")
class TestLedgerTracking(PsyVoucherCommon):
    """The state changes made by the ledger (exhausted, expired, refunded)
    are tracked in the chatter like the others."""

    def setUp(self):
        super().setUp()
        # The fixtures disable tracking; these tests follow it.
        self.env = self.env(context=dict(self.env.context, tracking_disable=False))
        self.Voucher = self.Voucher.with_env(self.env)

    def _tracked_voucher(self, product=None, activate=True):
        """A pack created in an earlier transaction (Odoo does not track the
        records it creates in the same one), then activated."""
        voucher = self.Voucher.create(
            {"patient_id": self.patient.id, "product_id": (product or self.pack10).id}
        )
        self._flush_tracking()
        if activate:
            voucher._psy_check_draft_sellable()
            voucher._psy_activate()
        return voucher

    def _tracked_completed(self):
        session = self._past_session().with_env(self.env)
        session.action_done()
        return session

    def _flush_tracking(self):
        self.env.flush_all()
        self.env.cr.flush()

    def _state_changes(self, voucher):
        """(old, new) labels of the tracked changes of the state, oldest
        first."""
        values = (
            voucher.message_ids.tracking_value_ids.filtered(
                lambda t: t.field_id.name == "state"
            )
            .sudo()
            .sorted("id")
        )
        return [(value.old_value_char, value.new_value_char) for value in values]

    def test_exhausted_and_active_again(self):
        voucher = self._tracked_voucher(self._pack(psy_voucher_sessions=1))
        self._flush_tracking()
        self.assertEqual(self._state_changes(voucher), [("Draft", "Active")])
        session = self._tracked_completed()
        self._flush_tracking()
        self.assertEqual(
            self._state_changes(voucher),
            [("Draft", "Active"), ("Active", "Exhausted")],
        )
        session.with_user(self.psychologist).action_reset()
        self._flush_tracking()
        self.assertEqual(self._state_changes(voucher)[-1], ("Exhausted", "Active"))
        # A movement that keeps the state logs nothing.
        count = len(voucher.message_ids)
        voucher.with_user(self.manager)._adjust(2, "Goodwill")
        self._flush_tracking()
        self.assertEqual(len(voucher.message_ids), count)

    def test_expired_in_batch(self):
        vouchers = self.Voucher.create(
            [
                {
                    "patient_id": self.patient.id,
                    "product_id": self.pack10.id,
                    "start_date": date(2026, 1, 1),
                    "expiry_date": date(2026, 11, 1),
                }
                for _i in range(3)
            ]
        )
        self._flush_tracking()
        vouchers._psy_activate()
        self._flush_tracking()
        self.assertEqual(self.Voucher._expire_due(), 3)
        self._flush_tracking()
        for voucher in vouchers:
            self.assertEqual(self._state_changes(voucher)[-1], ("Active", "Expired"))
            message = voucher.message_ids.filtered("tracking_value_ids")[:1]
            self.assertEqual(message.author_id, self.env.user.partner_id)

    def test_refunded(self):
        voucher = self._tracked_voucher()
        self._flush_tracking()
        voucher.with_user(self.receptionist)._refund("Moving abroad")
        self._flush_tracking()
        self.assertEqual(self._state_changes(voucher)[-1], ("Active", "Refunded"))
        message = voucher.message_ids.filtered("tracking_value_ids")[:1]
        self.assertEqual(message.author_id, self.receptionist.partner_id)

    def test_activated_and_exhausted_together(self):
        """A tracked write and a ledger movement before the tracking is
        flushed: the tracked changes chain from the first state to the last,
        without a gap or a repeat."""
        voucher = self._tracked_voucher(
            self._pack(psy_voucher_sessions=1), activate=False
        )
        voucher._psy_activate()
        self._tracked_completed()
        self._flush_tracking()
        changes = self._state_changes(voucher)
        self.assertEqual(changes[0][0], "Draft")
        self.assertEqual(changes[-1][1], "Exhausted")
        for (_old, new), (old, _new) in zip(changes, changes[1:], strict=False):
            self.assertEqual(new, old)
