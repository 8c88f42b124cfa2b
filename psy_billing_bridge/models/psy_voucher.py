from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_amount, format_date

# Payment states of an invoice that count as paid.
PAID_STATES = ("paid", "in_payment")
# Fields of the pack written only by the billing actions: the sale (invoice,
# approach, deferred revenue) and what follows from its invoice.
BILLING_GUARDED_FIELDS = {
    "psy_invoice_line_ids",
    "psy_invoice_id",
    "psy_approach",
    "psy_deferred",
    "psy_invoice_state",
    "psy_payment_state",
}


class PsyVoucher(models.Model):
    _inherit = "psy.voucher"

    psy_invoice_line_ids = fields.One2many(
        comodel_name="account.move.line",
        inverse_name="psy_voucher_id",
        string="Journal items",
        readonly=True,
    )
    psy_invoice_id = fields.Many2one(
        comodel_name="account.move",
        string="Invoice",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Customer invoice of the pack. A pack received by transfer "
        "keeps the invoice of the pack its sessions come from.",
    )
    psy_invoice_state = fields.Selection(
        related="psy_invoice_id.state", string="Invoice status"
    )
    psy_payment_state = fields.Selection(
        related="psy_invoice_id.payment_state",
        string="Payment status",
        store=True,
    )
    psy_approach = fields.Selection(
        selection=[
            ("pack", "Invoice the pack at sale"),
            ("session", "Invoice each session (pack paid as an advance)"),
        ],
        string="Billing approach",
        readonly=True,
        copy=False,
        help="Fixed when the pack is invoiced.",
    )
    psy_deferred = fields.Boolean(
        string="Deferred revenue",
        readonly=True,
        copy=False,
        help="The pack's revenue was credited to the deferred-revenue account "
        "and moves to income as sessions are consumed or expire.",
    )

    # ------------------------------------------------------------------
    # Guarded fields
    # ------------------------------------------------------------------

    @api.model
    def _psy_guarded_fields(self):
        """The invoice of the pack and how it is billed are set by the sale
        (:meth:`action_psy_sell`) and never by a direct write: a pack linked
        by hand to another invoice would be activated, cancelled or moved to
        income by a document that did not sell it."""
        return super()._psy_guarded_fields() | BILLING_GUARDED_FIELDS

    @api.model
    def _psy_guard_error(self, field_names):
        if not set(field_names) & BILLING_GUARDED_FIELDS:
            return super()._psy_guard_error(field_names)
        return UserError(
            self.env._(
                "The invoice of a pack and its billing are set when the pack is "
                'sold. Use "Sell with invoice" on a draft pack, and the credit '
                "note or the refund of the pack to undo a sale."
            )
        )

    # ------------------------------------------------------------------
    # Value of the sessions left
    # ------------------------------------------------------------------

    def _psy_value(self, remaining):
        """Value of ``remaining`` sessions of the pack, rounded: the pack's
        price times the share of its sessions (sold, or received by transfer
        for a pack made by a transfer). Movements are differences of this
        value, so the deferred balance is always exactly it."""
        self.ensure_one()
        received = self.sessions_total or self._sessions_received()
        if not received:
            return 0.0
        return self.currency_id.round(self.price * remaining / received)

    def _psy_pack_invoice_line(self):
        """Line of the invoice that sold the pack, or the pack its sessions
        were transferred from."""
        self.ensure_one()
        lines = self.psy_invoice_id.invoice_line_ids
        voucher = self
        while voucher:
            pack_line = lines.filtered(
                lambda aml, voucher=voucher: aml.psy_voucher_id == voucher
            )[:1]
            if pack_line:
                return pack_line
            voucher = voucher.origin_voucher_id
        return lines.browse()

    def _psy_held_account(self):
        """Account holding the prepaid value of the pack once invoiced."""
        self.ensure_one()
        company = self.company_id
        if self.psy_approach == "session":
            return company.psy_advance_account_id
        return company.psy_deferred_account_id

    # ------------------------------------------------------------------
    # Sale
    # ------------------------------------------------------------------

    def _psy_approach_for(self):
        self.ensure_one()
        product_approach = self.product_id.product_tmpl_id.psy_billing_approach
        if product_approach in ("pack", "session"):
            return product_approach
        return self.company_id.psy_billing_approach

    def _psy_pack_account(self, approach, deferred):
        self.ensure_one()
        company = self.company_id
        if approach == "session":
            account = company.psy_advance_account_id
            if not account:
                raise UserError(
                    self.env._(
                        "Set the customer advances account in the billing "
                        "settings of %(center)s before selling packs invoiced "
                        "per session.",
                        center=company.name,
                    )
                )
            return account
        if deferred:
            return company.psy_deferred_account_id
        return False

    def _psy_prepare_invoice_vals(self):
        journal = self.env["account.journal"]
        vals_list = []
        for voucher in self:
            if voucher.psy_invoice_id:
                raise UserError(
                    self.env._(
                        "The pack %(code)s is already invoiced (%(invoice)s).",
                        code=voucher.name,
                        invoice=voucher.psy_invoice_id.display_name,
                    )
                )
            if voucher.state != "draft":
                raise UserError(
                    self.env._(
                        "The pack %(code)s is %(state)s: only a draft pack can be "
                        "sold with an invoice.",
                        code=voucher.name,
                        state=voucher._state_label(),
                    )
                )
            company = voucher.company_id
            approach = voucher._psy_approach_for()
            deferred = (
                approach == "pack"
                and company.psy_deferred_revenue
                and bool(company.psy_deferred_account_id)
            )
            account = voucher._psy_pack_account(approach, deferred)
            patient = voucher.sudo().patient_id
            line = {
                "product_id": voucher.product_id.id,
                "name": self.env._(
                    "%(pack)s - pack %(code)s (%(count)s sessions, valid until "
                    "%(expiry)s)",
                    pack=voucher.product_id.name,
                    code=voucher.name,
                    count=voucher.sessions_total,
                    expiry=format_date(self.env, voucher.expiry_date),
                ),
                "quantity": 1.0,
                "price_unit": voucher.price,
                "psy_voucher_id": voucher.id,
                "psy_share": "pack",
            }
            if account:
                line["account_id"] = account.id
            vals_list.append(
                {
                    "move_type": "out_invoice",
                    "company_id": company.id,
                    "journal_id": journal.search(
                        [
                            *journal._check_company_domain(company),
                            ("type", "=", "sale"),
                        ],
                        limit=1,
                    ).id,
                    # The payer of the pack: the patient, a guardian or a
                    # third party.
                    "partner_id": (voucher.sudo().payer_id or patient.partner_id).id,
                    "psy_patient_id": patient.id,
                    "psy_patient_partner_id": patient.partner_id.id,
                    "psy_patient_national_id": patient.national_id,
                    "invoice_line_ids": [Command.create(line)],
                }
            )
            voucher._psy_write_guarded(
                {"psy_approach": approach, "psy_deferred": deferred}
            )
        return vals_list

    def _psy_create_invoices(self, post=False):
        """Sell the packs: one customer invoice each, in one create.

        The front desk sells packs without access to the accounting: once
        the pack's own sale rule has been checked, the invoice is made as
        superuser."""
        self._check_can_sell()
        self.check_access("write")
        vouchers = self.sudo()
        moves = (
            self.env["account.move"].sudo().create(vouchers._psy_prepare_invoice_vals())
        )
        for voucher, move in zip(vouchers, moves, strict=True):
            voucher._psy_write_guarded({"psy_invoice_id": move.id})
        if post:
            moves._psy_post_checked()
        return moves.sudo(False)

    def action_psy_sell(self):
        """Sell the packs: their invoices are issued (posted) at once."""
        moves = self._psy_create_invoices(post=True)
        if not self.env.user.has_group("account.group_account_invoice"):
            return True
        return moves._get_records_action(name=self.env._("Invoices"))

    def action_psy_open_invoice(self):
        self.ensure_one()
        return self.psy_invoice_id._get_records_action()

    # ------------------------------------------------------------------
    # Transfer
    # ------------------------------------------------------------------

    def _prepare_transfer_target_vals(self, patient, remaining):
        """The receiving pack carries the value of the sessions it receives,
        paid by this pack's invoice: it keeps that invoice and its billing,
        so the value stays where it is held (deferred revenue or customer
        advances) until the sessions are consumed, expire or are refunded."""
        vals = super()._prepare_transfer_target_vals(patient, remaining)
        if self.psy_invoice_id:
            vals.update(
                price=self._psy_value(remaining),
                psy_invoice_id=self.psy_invoice_id.id,
                psy_approach=self.psy_approach,
                psy_deferred=self.psy_deferred,
            )
        return vals

    # ------------------------------------------------------------------
    # Activation and cancellation by the invoice
    # ------------------------------------------------------------------

    def _psy_invoice_activates(self):
        """True when the pack's invoice has reached the activation point of
        its center: posted, or posted and paid (company setting)."""
        self.ensure_one()
        invoice = self.psy_invoice_id
        if invoice.state != "posted" or invoice.move_type != "out_invoice":
            return False
        if self.company_id.psy_voucher_activation == "paid":
            return invoice.payment_state in PAID_STATES
        return True

    def _psy_check_activation(self):
        """A pack with a price is activated by its invoice (posted, or paid:
        the center's setting), never by hand: it is sold with "Sell with
        invoice", or made complimentary by an administrator. A pack received
        by transfer is paid by the invoice of the pack it comes from."""
        res = super()._psy_check_activation()
        for voucher in self:
            if voucher.currency_id.is_zero(voucher.price):
                continue
            if voucher.origin_voucher_id.state in ("active", "exhausted"):
                continue
            if voucher.psy_invoice_id and voucher._psy_invoice_activates():
                continue
            if voucher.psy_invoice_id:
                raise UserError(
                    self.env._(
                        "The pack %(code)s becomes active by itself when its "
                        "invoice %(invoice)s is posted or paid, as the center "
                        "has set: post the invoice or register its payment.",
                        code=voucher.name,
                        invoice=voucher.psy_invoice_id.display_name,
                    )
                )
            raise UserError(
                self.env._(
                    "The pack %(code)s costs %(price)s and has no invoice: it "
                    'cannot be activated by hand. Use "Sell with invoice", '
                    "which issues its invoice and activates it, or have a "
                    "psychology administrator make it complimentary.",
                    code=voucher.name,
                    price=format_amount(self.env, voucher.price, voucher.currency_id),
                )
            )
        return res

    def _psy_make_complimentary(self, reason):
        """A pack that has an invoice is paid by it: it is not given for free
        on top (the invoice would still hold its value). Cancel the invoice
        or post its credit note first; the pack is then cancelled, and a new
        one can be given."""
        for voucher in self:
            if voucher.psy_invoice_id:
                raise UserError(
                    self.env._(
                        "The pack %(code)s has an invoice (%(invoice)s): it "
                        "cannot be given for free. Sell it with its invoice, or "
                        "cancel the invoice and give a new pack instead.",
                        code=voucher.name,
                        invoice=voucher.psy_invoice_id.display_name,
                    )
                )
        return super()._psy_make_complimentary(reason)

    def _psy_activate_from_invoice(self):
        """The invoice reached the activation point of the center (posted or
        fully paid): activate its draft packs. Whoever posts or pays the
        invoice may do it (billing staff do not manage packs); what allows it
        is the invoice's own state, checked here on each pack."""
        drafts = self.filtered(
            lambda v: v.state == "draft" and v._psy_invoice_activates()
        )
        if drafts:
            drafts.sudo()._psy_activate()
        return drafts

    def _psy_check_unused(self, move):
        """Refuse cancelling or reversing the sale of packs already used:
        ``move`` is the invoice being cancelled (or reset to draft) or the
        credit note reversing it."""
        for voucher in self:
            used = (
                voucher.sessions_used > 0
                or voucher.remaining != voucher.sessions_total
                or voucher.state not in ("draft", "active", "cancelled")
            )
            if not used or voucher.state == "cancelled":
                continue
            if move.move_type == "out_refund":
                raise UserError(
                    self.env._(
                        "The credit note %(credit_note)s cannot be posted: the "
                        "pack %(code)s sold by %(invoice)s has been used "
                        "(%(left)s of %(total)s sessions left). Delete the draft "
                        "credit note and use the Refund button of the pack: its "
                        "credit note is made for what is left.",
                        credit_note=move.display_name,
                        invoice=move.reversed_entry_id.display_name,
                        code=voucher.name,
                        left=voucher.remaining,
                        total=voucher.sessions_total,
                    )
                )
            raise UserError(
                self.env._(
                    "The invoice %(invoice)s cannot be cancelled or reversed: "
                    "the pack %(code)s it sold has been used (%(left)s of "
                    "%(total)s sessions left). Refund the pack from its form "
                    "instead: the credit note is made for what is left.",
                    invoice=move.display_name,
                    code=voucher.name,
                    left=voucher.remaining,
                    total=voucher.sessions_total,
                )
            )

    def _psy_cancel_from_invoice(self, move):
        """The invoice of unused packs is cancelled, or its reversal posted
        (``move``): cancel them, with a ledger line taking the sessions of
        the active ones back. No deferred-revenue entry: the reversal (or
        the cancellation) of the invoice takes the value out of the account
        that held it. Called by account.move once the document is real; the
        caller, who may cancel or post invoices, need not manage packs."""
        self._psy_check_unused(move)
        sudo_self = self.sudo()
        # A draft pack whose invoice stays posted (it is reversed by a credit
        # note) had its value held: its sessions leave it with a ledger line,
        # so that the liability view drops it from that day on.
        reversed_ = move.move_type == "out_refund"
        closing = sudo_self.filtered(
            lambda v: v.state == "active" or (reversed_ and v.state == "draft")
        )
        (sudo_self - closing)._psy_cancel()
        if closing:
            balances = closing._lock_balances()
            if reversed_:
                reason = self.env._(
                    "Invoice %(invoice)s reversed by the credit note %(credit_note)s",
                    invoice=move.reversed_entry_id.display_name,
                    credit_note=move.display_name,
                )
            else:
                reason = self.env._(
                    "Invoice %(invoice)s cancelled", invoice=move.display_name
                )
            closing._record_lines(
                [
                    {
                        "voucher_id": voucher.id,
                        "type": "adjust",
                        "quantity": -balances[voucher.id][0],
                        "new_state": "cancelled",
                        "reason": reason,
                    }
                    for voucher in closing
                ]
            )
        return sudo_self.with_env(self.env)

    # ------------------------------------------------------------------
    # Deferred revenue and refunds, from the ledger
    # ------------------------------------------------------------------

    def _on_ledger_lines_created(self, lines):
        res = super()._on_ledger_lines_created(lines)
        # A pack cancelled with its invoice: the reversal (or cancellation)
        # of the invoice takes the value out of the account holding it.
        lines = lines.sudo().filtered(lambda line: line.voucher_id.state != "cancelled")
        refunds = lines.filtered(
            lambda line: line.type == "refund"
            and line.voucher_id.psy_invoice_id.state == "posted"
        )
        credit_notes = refunds._psy_create_credit_notes() if refunds else {}
        # Centers posting once a day leave the movements to the scheduled
        # action; a refund goes with its credit note.
        held = lines._psy_held_value_moves().filtered(
            lambda line: line.type == "refund"
            or line.company_id.psy_deferred_batch != "daily"
        )
        if held:
            held._psy_post_deferred_entries(credit_notes)
        return res
