from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_amount


class AccountMove(models.Model):
    _inherit = "account.move"

    psy_patient_id = fields.Many2one(
        comodel_name="psy.patient",
        string="Patient",
        index="btree_not_null",
        readonly=True,
        copy=True,
        ondelete="restrict",
        help="Patient whose sessions or packs are invoiced.",
    )
    # Snapshots taken when the invoice is made: an issued invoice keeps the
    # identity it was issued with, and billing staff, who cannot open patient
    # files, still print it.
    psy_patient_partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Patient contact",
        readonly=True,
        copy=True,
    )
    psy_patient_national_id = fields.Char(
        string="Patient ID number",
        readonly=True,
        copy=True,
    )
    psy_insurance_number = fields.Char(
        string="Policy number",
        readonly=True,
        copy=True,
    )
    psy_session_ids = fields.Many2many(
        comodel_name="psy.session",
        string="Sessions",
        compute="_compute_psy_session_ids",
    )
    psy_professional_ids = fields.Many2many(
        comodel_name="res.users",
        string="Professionals",
        compute="_compute_psy_session_ids",
    )
    psy_exempt_note = fields.Text(
        string="Exemption note",
        compute="_compute_psy_exempt_note",
    )

    @api.depends("invoice_line_ids.psy_session_id")
    def _compute_psy_session_ids(self):
        for move in self:
            sessions = move.invoice_line_ids.psy_session_id
            move.psy_session_ids = sessions
            move.psy_professional_ids = sessions.professional_id

    @api.depends("invoice_line_ids.tax_ids", "company_id.psy_exempt_tax_id")
    def _compute_psy_exempt_note(self):
        for move in self:
            tax = move.company_id.psy_exempt_tax_id
            uses_tax = tax and tax in move.invoice_line_ids.tax_ids
            move.psy_exempt_note = (
                move.company_id.psy_exempt_note if uses_tax else False
            )

    def action_psy_open_sessions(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Sessions"),
            "res_model": "psy.session",
            "view_mode": "list,form",
            "domain": [("id", "in", self.psy_session_ids.ids)],
        }

    # ------------------------------------------------------------------
    # Session packs sold by invoice
    # ------------------------------------------------------------------

    def _psy_sold_vouchers(self):
        """Packs sold by these customer invoices (read as superuser: billing
        staff do not manage packs)."""
        return (
            self.filtered(lambda m: m.move_type == "out_invoice")
            .sudo()
            .invoice_line_ids.psy_voucher_id.filtered(
                lambda v: v.psy_invoice_id.id in self.ids
            )
        )

    def _psy_pack_reversals(self):
        """The credit notes among these moves that reverse the sale of packs
        (Odoo's "Credit Note" button on a pack invoice, or a credit note
        made by hand against it). The credit notes of the packs' own refunds
        carry their ledger line and are not reversals of the sale."""
        return self.filtered(
            lambda m: m.move_type == "out_refund"
            and m.reversed_entry_id
            and not m.sudo().line_ids.psy_voucher_line_id
            and m.reversed_entry_id._psy_sold_vouchers()
        )

    def _psy_check_pack_reversals(self):
        """Before these credit notes are posted: each must credit the whole
        price of the unused packs it reverses. A used pack, or a part of a
        pack, is refunded from the pack (its refund computes what is left)."""
        for credit_note in self:
            vouchers = credit_note.reversed_entry_id._psy_sold_vouchers()
            vouchers._psy_check_unused(credit_note)
            currency = credit_note.currency_id
            lines = credit_note.sudo().invoice_line_ids
            invoice_lines = credit_note.reversed_entry_id.sudo().invoice_line_ids
            for voucher in vouchers.filtered(lambda v: v.state != "cancelled"):
                sold = sum(
                    invoice_lines.filtered(
                        lambda aml, voucher=voucher: aml.psy_voucher_id == voucher
                    ).mapped("price_total")
                )
                credited = sum(
                    lines.filtered(
                        lambda aml, voucher=voucher: aml.psy_voucher_id == voucher
                    ).mapped("price_total")
                )
                if currency.compare_amounts(credited, sold):
                    raise UserError(
                        self.env._(
                            "The credit note %(credit_note)s credits %(credited)s "
                            "of the pack %(code)s, sold for %(sold)s by "
                            "%(invoice)s. A credit note of a pack invoice cancels "
                            "the whole pack: keep its line as it was reversed. To "
                            "give back part of the price, use the Refund button "
                            "of the pack instead.",
                            credit_note=credit_note.display_name,
                            credited=format_amount(self.env, credited, currency),
                            code=voucher.name,
                            sold=format_amount(self.env, sold, currency),
                            invoice=credit_note.reversed_entry_id.display_name,
                        )
                    )

    def _psy_post_checked(self):
        """Post the documents the suite made in superuser mode for a user
        whose rights the calling action has checked: a pack sold or refunded
        by the front desk. Odoo writes the hash of a locked sales journal
        (as Verifactu sets it) with the rights of the real user
        (``_get_chain_info`` leaves superuser mode), which a front desk
        without Invoicing rights lacks; so the posting runs as the
        superuser. Refused unless the caller is already in superuser mode,
        i.e. inside such a checked method."""
        if not self.env.su:
            raise AccessError(
                self.env._(
                    "Only the Sell and Refund actions of a session pack post its "
                    "invoices this way; post the invoice from Invoicing instead."
                )
            )
        return self.with_user(SUPERUSER_ID).action_post()

    def _post(self, soft=True):
        """An invoice posted activates its packs (centers activating them at
        posting); a credit note reversing a pack invoice, once posted,
        cancels the packs (refused, before anything is posted, once they
        have been used). A draft credit note changes nothing."""
        reversals = self._psy_pack_reversals()
        reversals._psy_check_pack_reversals()
        posted = super()._post(soft=soft)
        for credit_note in reversals & posted:
            credit_note.reversed_entry_id._psy_sold_vouchers()._psy_cancel_from_invoice(
                credit_note
            )
        posted._psy_sold_vouchers()._psy_activate_from_invoice()
        return posted

    def _invoice_paid_hook(self):
        res = super()._invoice_paid_hook()
        self._psy_sold_vouchers()._psy_activate_from_invoice()
        return res

    def _check_draftable(self):
        """Veto of "Reset to draft" (also the first step of cancelling a
        posted move): the documents that sold packs, reversed their sale or
        moved their value stay as they are while the packs depend on them."""
        res = super()._check_draftable()
        for move in self:
            vouchers = move._psy_sold_vouchers()
            vouchers._psy_check_unused(move)
            sold = vouchers.filtered(lambda v: v.state not in ("draft", "cancelled"))
            if sold:
                raise UserError(
                    self.env._(
                        "The invoice %(invoice)s activated the pack %(code)s: it "
                        "cannot go back to draft while the pack is active. Cancel "
                        "the invoice or issue its credit note to cancel the unused "
                        "pack, then sell it again.",
                        invoice=move.display_name,
                        code=sold[0].name,
                    )
                )
            if move._psy_pack_reversals():
                cancelled = move.reversed_entry_id._psy_sold_vouchers().filtered(
                    lambda v: v.state == "cancelled"
                )
                if cancelled:
                    raise UserError(
                        self.env._(
                            "The credit note %(credit_note)s cancelled the pack "
                            "%(code)s: it cannot go back to draft. Sell a new "
                            "pack if the patient buys it again.",
                            credit_note=move.display_name,
                            code=cancelled[0].name,
                        )
                    )
            movements = move.sudo().line_ids.psy_voucher_line_id
            if movements:
                raise UserError(
                    self.env._(
                        "%(move)s records movements of the session pack "
                        "%(code)s (refund, consumed or expired sessions): it "
                        "cannot go back to draft, or the pack and the accounts "
                        "would no longer agree. Record a new movement on the "
                        "pack instead.",
                        move=move.display_name,
                        code=movements.voucher_id[:1].name,
                    )
                )
        return res

    def button_cancel(self):
        """Cancelling the invoice of unused packs cancels them (refused once
        a pack has been used). The packs go first, so that the reset to
        draft on the way (:meth:`_check_draftable`) finds no active pack;
        if the cancellation is then refused (a locked or hashed invoice, one
        sent to Verifactu...), the packs are restored with it in a savepoint,
        also for a caller that goes on after the error. The packs are
        cancelled as superuser, once the caller is known to be allowed to
        cancel these moves."""
        self.check_access("write")
        with self.env.cr.savepoint():
            for move in self:
                vouchers = move._psy_sold_vouchers()
                if vouchers:
                    vouchers._psy_cancel_from_invoice(move)
            return super().button_cancel()
