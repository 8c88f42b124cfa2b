# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class PsyVoucher(models.Model):
    """Portal users read their packs (record rules); the internal notes stay
    with the staff."""

    _inherit = "psy.voucher"

    note = fields.Text(groups="base.group_user")
    complimentary_reason = fields.Text(groups="base.group_user")

    def _psy_portal_lines_sudo(self):
        """The ledger lines of the pack the visitor may read (checked on the
        pack first), as superuser to name the sessions they moved; the
        portal prints date, movement, session and balance only."""
        self.check_access("read")
        return self.sudo().line_ids.sorted(lambda line: (line.date, line.id))

    def _psy_portal_line_label(self, line):
        """The movement of a ledger line, as the portal names it."""
        return dict(line._fields["type"]._description_selection(self.env)).get(
            line.type, ""
        )

    def _psy_portal_invoices_sudo(self):
        """The pack's posted invoices the visitor may open (their own rights
        on invoices decide, the pack is checked first)."""
        self.check_access("read")
        moves = self.sudo().psy_invoice_line_ids.move_id.filtered(
            lambda m: m.state == "posted"
        )
        return self.env["account.move"].search([("id", "in", moves.ids)])


class PsyVoucherLine(models.Model):
    _inherit = "psy.voucher.line"

    reason = fields.Text(groups="base.group_user")
