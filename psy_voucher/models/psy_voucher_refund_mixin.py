# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_amount


class PsyVoucherRefundMixin(models.AbstractModel):
    """Refunds of a session pack under its product's refund model: the
    amount and its breakdown, and the refund line that closes the pack.

    Meant for ``psy.voucher``, with :class:`psy.voucher.ledger.mixin`.
    """

    _name = "psy.voucher.refund.mixin"
    _description = "Session pack refunds"

    # ------------------------------------------------------------------
    # Refund
    # ------------------------------------------------------------------

    def _sessions_received(self):
        """Sessions bought with the pack or received by transfer. Whoever
        may read the pack may know them, whatever the rules on its ledger
        lines."""
        self.ensure_one()
        self.check_access("read")
        groups = (
            self.env["psy.voucher.line"]
            .sudo()
            ._read_group(
                [("voucher_id", "=", self.id), ("type", "=", "transfer_in")],
                aggregates=["quantity:sum"],
            )
        )
        return self.sessions_total + (groups[0][0] or 0)

    def _unit_price(self):
        """Price of one session of the pack: what was paid divided by the
        sessions bought or received by transfer."""
        received = self._sessions_received()
        return self.price / received if received else 0.0

    def _compute_refund_amount(self):
        """Refund of the pack under its product's model, with its breakdown:
        a dict with ``model``, ``price``, ``sessions`` (bought or received),
        ``unit_price``, ``used``, ``remaining``, ``single_price``,
        ``used_value`` (used sessions at the single-session price, re-priced
        model), ``gross``, ``admin_fee`` (the part of the fee deducted),
        ``amount`` (never below zero) and ``currency``."""
        self.ensure_one()
        currency = self.currency_id
        template = self.product_id.product_tmpl_id
        model = template.psy_voucher_refund_model or "none"
        received = self._sessions_received()
        unit_price = self.price / received if received else 0.0
        used = max(self.sessions_used, 0)
        remaining = self.remaining
        single_price = template._psy_voucher_single_price()
        used_value = 0.0
        if model == "unused":
            gross = unit_price * remaining
        elif model == "reprice":
            used_value = used * single_price
            gross = unit_price * (used + remaining) - used_value
        else:
            gross = 0.0
        gross = currency.round(max(gross, 0.0))
        fee = currency.round(min(template.psy_voucher_admin_fee, gross))
        return {
            "model": model,
            "price": self.price,
            "sessions": received,
            "unit_price": currency.round(unit_price),
            "used": used,
            "remaining": remaining,
            "single_price": single_price,
            "used_value": currency.round(used_value),
            "gross": gross,
            "admin_fee": fee,
            "amount": currency.round(gross - fee),
            "currency": currency,
        }

    def _refund(self, reason=None):
        """Close the pack with a refund line for its sessions left and the
        amount of its refund model. Returns the line."""
        self.ensure_one()
        if not self.env.user.has_group("psy_patient.group_psy_receptionist"):
            raise AccessError(
                self.env._(
                    "Only the front desk or an administrator can refund session packs."
                )
            )
        if self.product_id.psy_voucher_refund_model in (False, "none"):
            raise UserError(
                self.env._(
                    "The pack %(product)s is not refundable. Its product says "
                    '"No refund".',
                    product=self.product_id.display_name,
                )
            )
        remaining, state = self._lock_balances()[self.id]
        if state != "active":
            raise UserError(
                self.env._(
                    "%(status)s Only an active pack can be refunded.",
                    status=self._psy_state_sentence(state),
                )
            )
        self.invalidate_recordset(["remaining"])
        breakdown = self._compute_refund_amount()
        line = self._record_lines(
            [
                {
                    "voucher_id": self.id,
                    "type": "refund",
                    "quantity": -remaining,
                    "amount": breakdown["amount"],
                    "new_state": "refunded",
                    "reason": reason,
                }
            ]
        )
        self.message_post(
            body=self.env._(
                "Refunded: %(amount)s for %(count)s sessions left.",
                amount=format_amount(
                    self.env, breakdown["amount"], breakdown["currency"]
                ),
                count=remaining,
            ),
            subtype_xmlid="mail.mt_note",
        )
        return line
