# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    def _psy_report_vouchers(self):
        """The packs an invoice sells or that paid its sessions, with their
        sessions left and expiry, as printed on the invoice. The invoice is
        checked readable first; the packs are read as superuser (billing
        staff and portal users print the invoice, not the pack)."""
        self.ensure_one()
        self.check_access("read")
        move = self.sudo()
        lines = move.invoice_line_ids
        return (
            lines.psy_voucher_id
            | lines.psy_voucher_line_id.voucher_id
            | move.psy_session_ids.voucher_id
        ).sorted("id")
