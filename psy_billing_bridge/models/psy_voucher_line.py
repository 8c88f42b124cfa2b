from collections import defaultdict
from datetime import timedelta

import pytz

from odoo import Command, api, fields, models

# Lines that never move prepaid value: a transfer hands it to the receiving
# pack, which keeps the invoice of the pack it comes from.
TRANSFER_TYPES = ("transfer_out", "transfer_in")


class PsyVoucherLine(models.Model):
    _inherit = "psy.voucher.line"

    psy_move_line_ids = fields.One2many(
        comodel_name="account.move.line",
        inverse_name="psy_voucher_line_id",
        string="Journal items",
        readonly=True,
    )

    def _psy_value_moved(self):
        """Value leaving the pack with this line (negative when it comes
        back): the pack's value before the line minus its value after."""
        self.ensure_one()
        voucher = self.voucher_id
        before = self.balance - self.quantity
        return voucher._psy_value(before) - voucher._psy_value(self.balance)

    def _psy_held_value_moves(self):
        """The lines that move prepaid value out of (or back into) the
        account holding it, for packs whose invoice is posted. Approach A
        with deferred revenue: every movement. Approach B: the sessions are
        invoiced one by one with the advance deducted, so only what leaves
        the pack otherwise (expiry, refund, adjustment)."""
        return self.filtered(
            lambda line: line.type not in TRANSFER_TYPES
            and line.voucher_id.psy_invoice_id.state == "posted"
            and (
                line.voucher_id.psy_deferred
                or (
                    line.voucher_id.psy_approach == "session"
                    and line.type not in ("consume", "reverse")
                )
            )
        )

    @api.model
    def _psy_pending_domain(self):
        """Movements still waiting for their entry (centers posting them once
        a day). Refunds are posted with their credit note; the movements of
        packs cancelled with their invoice are undone by its reversal."""
        return [
            ("type", "not in", ("refund", *TRANSFER_TYPES)),
            ("psy_move_line_ids", "=", False),
            ("voucher_id.state", "!=", "cancelled"),
            ("voucher_id.price", ">", 0),
            ("voucher_id.psy_invoice_id.state", "=", "posted"),
            "|",
            ("voucher_id.psy_deferred", "=", True),
            ("voucher_id.psy_approach", "=", "session"),
        ]

    @api.model
    def _cron_psy_post_deferred_entries(self):
        """Post the entries of the movements not posted yet: one entry per
        center and day, a line pair per movement. Returns those movements."""
        lines = self.sudo().search(self._psy_pending_domain(), order="id")
        pending = lines._psy_held_value_moves()
        if pending:
            pending._psy_post_deferred_entries({})
        return pending

    def _psy_entry_day(self):
        """The day of the center on which the movement happened: the center's
        time zone (its partner's), else the user's setting. Never the ``tz``
        of the context, which a client sends."""
        self.ensure_one()
        name = self.voucher_id.company_id.partner_id.tz
        tz = (
            pytz.timezone(name)
            if name in pytz.all_timezones_set
            else self.env["psy.patient"]._psy_tz()
        )
        return pytz.utc.localize(self.date).astimezone(tz).date()

    def _psy_create_credit_notes(self):
        """A credit note (out_refund) per refund line with an amount, linked
        to the pack and to its invoice, posted and reconciled with the
        invoice when it is still open. Returns {line id: amount}."""
        amounts = {}
        vals_list = []
        for line in self.filtered(lambda line: line.amount > 0):
            voucher = line.voucher_id
            invoice = voucher.psy_invoice_id
            pack_line = voucher._psy_pack_invoice_line()
            amounts[line.id] = line.amount
            vals_list.append(
                {
                    "move_type": "out_refund",
                    "company_id": invoice.company_id.id,
                    "journal_id": invoice.journal_id.id,
                    "partner_id": invoice.partner_id.id,
                    "reversed_entry_id": invoice.id,
                    "psy_patient_id": invoice.psy_patient_id.id,
                    "psy_patient_partner_id": invoice.psy_patient_partner_id.id,
                    "psy_patient_national_id": invoice.psy_patient_national_id,
                    "ref": self.env._("Refund of pack %(code)s", code=voucher.name),
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": voucher.product_id.id,
                                "name": self.env._(
                                    "Refund of pack %(code)s: %(count)s sessions left",
                                    code=voucher.name,
                                    count=-line.quantity,
                                ),
                                "quantity": 1.0,
                                "price_unit": line.amount,
                                "account_id": pack_line.account_id.id,
                                "tax_ids": [Command.set(pack_line.tax_ids.ids)],
                                "psy_voucher_id": voucher.id,
                                "psy_voucher_line_id": line.id,
                                "psy_share": "pack",
                            }
                        )
                    ],
                }
            )
        if not vals_list:
            return amounts
        credit_notes = self.env["account.move"].sudo().create(vals_list)
        credit_notes._psy_post_checked()
        for credit_note in credit_notes:
            invoice = credit_note.reversed_entry_id
            if invoice.payment_state not in ("paid", "in_payment", "reversed"):
                (invoice.line_ids + credit_note.line_ids).filtered(
                    lambda aml: aml.account_id.account_type == "asset_receivable"
                    and not aml.reconciled
                ).reconcile()
        return amounts

    def _psy_post_deferred_entries(self, credit_notes):
        """One journal entry per center and day of the lines: each line
        moves the value of the sessions that left (or came back to) the pack
        between the account holding the prepaid value (deferred revenue, or
        customer advances) and income. For a refund, the credit note takes
        the refunded amount from the held account; the rest is earned."""
        per_entry = defaultdict(list)
        for line in self:
            voucher = line.voucher_id
            company = voucher.company_id
            day = line._psy_entry_day()
            amount = line._psy_value_moved() - credit_notes.get(line.id, 0.0)
            if company.currency_id.is_zero(amount):
                continue
            income = voucher.product_id.product_tmpl_id.with_company(
                company
            )._get_product_accounts()["income"]
            label = self.env._(
                "%(code)s: %(type)s %(count)s",
                code=voucher.name,
                type=dict(line._fields["type"]._description_selection(self.env))[
                    line.type
                ],
                count=abs(line.quantity),
            )
            if line.session_id:
                label = f"{label} - {line.session_id.display_name}"
            common = {
                "name": label,
                "psy_voucher_id": voucher.id,
                "psy_voucher_line_id": line.id,
                "psy_session_id": line.session_id.id,
            }
            per_entry[company, day].extend(
                [
                    Command.create(
                        dict(
                            common,
                            account_id=voucher._psy_held_account().id,
                            debit=max(amount, 0.0),
                            credit=max(-amount, 0.0),
                        )
                    ),
                    Command.create(
                        dict(
                            common,
                            account_id=income.id,
                            debit=max(-amount, 0.0),
                            credit=max(amount, 0.0),
                        )
                    ),
                ]
            )
        if not per_entry:
            return self.env["account.move"]
        Move = self.env["account.move"].sudo()
        vals_list = []
        for (company, day), line_commands in per_entry.items():
            journal = (
                company.psy_deferred_journal_id
                or Move.with_company(company)._search_default_journal()
            )
            locks = company._get_violated_lock_dates(day, False, journal)
            vals_list.append(
                {
                    "move_type": "entry",
                    "company_id": company.id,
                    "journal_id": journal.id,
                    # A day already locked is posted on the first open day.
                    "date": locks[-1][0] + timedelta(days=1) if locks else day,
                    "ref": self.env._("Session packs: deferred revenue"),
                    "line_ids": line_commands,
                }
            )
        moves = Move.create(vals_list)
        moves.action_post()
        return moves
