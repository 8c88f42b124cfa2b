"""Hostile and real write paths of the billing bridge.

No context key changes what the billing does: the context switches that
existed before (``psy_billing_no_deferred_entry``, ``psy_voucher_internal``)
are sent with every direct write and every action below, and nothing they
used to allow happens. A pack with a price is activated only by its invoice;
it is cancelled only when the reversal of its invoice is really posted (or
the invoice cancelled); a draft credit note, or deleting it, changes nothing.
"""

from contextlib import contextmanager
from datetime import date

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import PsyBillingVoucherCommon

# Context keys that used to skip a guard or an accounting entry. (An
# AccessError is a UserError: either refusal is accepted below.)
OLD_CONTEXTS = (
    {},
    {"psy_billing_no_deferred_entry": True},
    {"psy_voucher_internal": True},
    {"psy_billing_no_deferred_entry": True, "psy_voucher_internal": True},
)


@tagged("post_install", "-at_install")
class TestWritePaths(PsyBillingVoucherCommon):
    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    @contextmanager
    def assertRefused(self, regex):
        """The call raises a UserError matching ``regex`` and, as a request
        refused by the server is rolled back, leaves nothing behind."""
        with self.assertRaisesRegex(UserError, regex), self.env.cr.savepoint():
            yield

    def _moves_count(self):
        return self.env["account.move"].search_count(
            [("company_id", "=", self.company_a.id)]
        )

    def _snapshot(self, voucher):
        voucher.invalidate_recordset()
        self.env.flush_all()
        return {
            "state": voucher.state,
            "remaining": voucher.remaining,
            "invoice": voucher.psy_invoice_id,
            "approach": voucher.psy_approach,
            "deferred_flag": voucher.psy_deferred,
            "payment": voucher.psy_payment_state,
            "lines": voucher.line_ids,
            "deferred": self._account_balance(self.deferred),
            "income": self._account_balance(self.pack_income),
            "moves": self._moves_count(),
        }

    def assertUnchanged(self, voucher, before):
        self.assertEqual(self._snapshot(voucher), before)

    def _credit_note_wizard(self, move, user=None):
        """Odoo's "Credit Note" button of the invoice, as billing staff."""
        return (
            self.env["account.move.reversal"]
            .with_user(user or self.billing)
            .with_context(active_model="account.move", active_ids=move.ids)
            .create(
                {
                    "reason": "Customer changed their mind",
                    "journal_id": move.journal_id.id,
                }
            )
        )

    def _draft_credit_note(self, move, user=None):
        action = self._credit_note_wizard(move, user).refund_moves()
        credit_note = self.env["account.move"].browse(action["res_id"])
        self.assertEqual(credit_note.move_type, "out_refund")
        self.assertEqual(credit_note.state, "draft")
        self.assertEqual(credit_note.reversed_entry_id, move)
        return credit_note

    # ------------------------------------------------------------------
    # Credit notes made with Odoo's own button
    # ------------------------------------------------------------------

    def test_draft_credit_note_changes_nothing(self):
        voucher, move = self._sell()
        self._pay(move)
        before = self._snapshot(voucher)
        credit_note = self._draft_credit_note(move)
        # The draft only adds itself: the pack, its ledger and the accounts
        # holding its value are as they were.
        self.assertEqual(voucher.state, "active")
        self.assertBalance(voucher, 10, "active")
        self.assertUnchanged(voucher, dict(before, moves=before["moves"] + 1))
        self.assertDeferredMatchesLiability(500.0)

        # Deleting the draft changes nothing either.
        credit_note.with_user(self.billing).unlink()
        self.assertFalse(credit_note.exists())
        self.assertBalance(voucher, 10, "active")
        self.assertUnchanged(voucher, before)
        self.assertDeferredMatchesLiability(500.0)
        # And the pack is still consumed as before.
        session = self._completed()
        self.assertEqual(session.voucher_id, voucher)
        self.assertDeferredMatchesLiability(450.0)

    def test_posted_credit_note_cancels_unused_pack(self):
        voucher, move = self._sell()
        self._pay(move)
        credit_note = self._draft_credit_note(move)
        self.assertEqual(voucher.state, "active")
        credit_note.with_user(self.billing).action_post()
        self.assertEqual(credit_note.state, "posted")
        self.assertBalance(voucher, 0, "cancelled")
        line = voucher.line_ids
        self.assertEqual(line.type, "adjust")
        self.assertEqual(line.quantity, -10)
        self.assertIn(credit_note.name, line.reason)
        # The credit note takes the value out of deferred revenue; no entry
        # of the pack's own moves income.
        self.assertFalse(line.psy_move_line_ids)
        balances = self._balances(credit_note)
        self.assertAlmostEqual(balances[self.deferred], 500.0)
        self.assertAlmostEqual(balances[self.receivable], -500.0)
        self.assertAlmostEqual(self._account_balance(self.pack_income), 0.0)
        self.assertDeferredMatchesLiability(0.0)
        self.assertAllBalanced()
        # The credit note cannot go back to draft: the pack is cancelled.
        with self.assertRefused("cancelled the pack"):
            credit_note.with_user(self.billing).button_draft()
        self.assertEqual(credit_note.state, "posted")
        # A session of the patient is no longer paid with the pack.
        session = self._completed()
        self.assertFalse(session.voucher_id)

    def test_credit_note_of_unpaid_draft_pack(self):
        """Centers activating packs when paid: the invoice is posted, the
        pack still draft; its credit note cancels it."""
        self.company_a.psy_voucher_activation = "paid"
        voucher, move = self._sell()
        self.assertEqual(voucher.state, "draft")
        credit_note = self._draft_credit_note(move)
        self.assertEqual(voucher.state, "draft")
        credit_note.action_post()
        self.assertBalance(voucher, 0, "cancelled")
        self.assertEqual(voucher.line_ids.type, "adjust")
        self.assertFalse(voucher.line_ids.psy_move_line_ids)
        self.assertDeferredMatchesLiability(0.0)
        self.assertAllBalanced()

    def test_reverse_and_modify_cancels_unused_pack(self):
        """Reverse and create invoice: the reversal is posted at once."""
        voucher, move = self._sell()
        action = self._credit_note_wizard(move).modify_moves()
        new_invoice = self.env["account.move"].browse(action["res_id"])
        self.assertEqual(new_invoice.state, "draft")
        self.assertBalance(voucher, 0, "cancelled")
        self.assertEqual(move.payment_state, "reversed")
        # The new draft invoice does not sell the cancelled pack again.
        new_invoice.action_post()
        self.assertEqual(voucher.state, "cancelled")
        self.assertEqual(voucher.psy_invoice_id, move)
        self.assertAllBalanced()

    def test_credit_note_refused_once_consumed(self):
        voucher, move = self._sell()
        self._completed()
        credit_note = self._draft_credit_note(move)
        before = self._snapshot(voucher)
        with self.assertRefused("Refund button of the pack"):
            credit_note.with_user(self.billing).action_post()
        self.assertEqual(credit_note.state, "draft")
        self.assertUnchanged(voucher, before)
        self.assertBalance(voucher, 9, "active")
        self.assertDeferredMatchesLiability(450.0)
        # "Reverse and create invoice" is refused the same way.
        with self.assertRefused("has been used"):
            self._credit_note_wizard(move).modify_moves()
        self.assertUnchanged(voucher, before)
        # The pack's own refund makes the credit note of what is left.
        credit_note.unlink()
        voucher.with_user(self.receptionist)._refund(reason="Moving abroad")
        self.assertEqual(voucher.state, "refunded")
        self.assertDeferredMatchesLiability(0.0)
        self.assertAllBalanced()

    def test_partial_credit_note_refused(self):
        voucher, move = self._sell()
        credit_note = self._draft_credit_note(move)
        credit_note.invoice_line_ids.price_unit = 200.0
        with self.assertRefused("cancels the whole pack"):
            credit_note.action_post()
        self.assertEqual(credit_note.state, "draft")
        self.assertBalance(voucher, 10, "active")
        self.assertDeferredMatchesLiability(500.0)

    def test_reset_to_draft_and_cancel_of_the_invoice(self):
        voucher, move = self._sell()
        # Back to draft would leave an active pack without its invoice.
        with self.assertRefused("cannot go back to draft"):
            move.with_user(self.billing).button_draft()
        self.assertEqual(move.state, "posted")
        self.assertEqual(voucher.state, "active")
        # Cancelling it cancels the unused pack.
        move.with_user(self.billing).button_cancel()
        self.assertEqual(move.state, "cancel")
        self.assertBalance(voucher, 0, "cancelled")
        self.assertDeferredMatchesLiability(0.0)
        self.assertAllBalanced()

    def test_refused_cancel_of_a_locked_invoice_leaves_the_pack(self):
        """On a sales journal that locks its posted entries with a hash (as
        Verifactu's do), cancelling the pack invoice is refused by Odoo after
        our override has cancelled the pack on the way: the call is undone as
        a whole, also for a caller that goes on after the error."""
        self.env["account.journal"].search(
            [("type", "=", "sale"), ("company_id", "=", self.company_a.id)]
        ).restrict_mode_hash_table = True
        voucher, move = self._sell()
        self.assertTrue(move.inalterable_hash)
        before = self._snapshot(voucher)
        refused = False
        try:
            move.with_user(self.billing).button_cancel()
        except UserError as error:
            refused = True
            self.assertIn("locked journal entry", str(error))
        self.assertTrue(refused)
        self.env.invalidate_all()
        self.assertEqual(move.state, "posted")
        self.assertBalance(voucher, 10, "active")
        self.assertUnchanged(voucher, before)
        self.assertDeferredMatchesLiability(500.0)

    def test_refund_credit_note_and_entries_stay_posted(self):
        voucher, move = self._sell()
        session = self._completed()
        entry = session.voucher_line_id.psy_move_line_ids.move_id
        voucher.with_user(self.receptionist)._refund(reason="Moving abroad")
        credit_note = self.env["account.move"].search(
            [("reversed_entry_id", "=", move.id), ("move_type", "=", "out_refund")]
        )
        for document in (entry, credit_note):
            with self.assertRefused("cannot go back to draft"):
                document.button_draft()
            self.assertEqual(document.state, "posted")
        self.assertDeferredMatchesLiability(0.0)

    # ------------------------------------------------------------------
    # Sell paths
    # ------------------------------------------------------------------

    def test_activate_priced_pack_refused_without_invoice(self):
        for context in OLD_CONTEXTS:
            voucher = self._voucher(activate=False)
            for user in (self.receptionist, self.manager):
                with self.assertRefused("Sell with invoice"):
                    voucher.with_user(user).with_context(**context).action_activate()
                self.assertEqual(voucher.state, "draft")
            self.assertFalse(voucher.psy_invoice_id)
        self.assertDeferredMatchesLiability(0.0)

    def test_activate_refused_while_invoice_draft_or_unpaid(self):
        voucher, move = self._sell(post=False)
        with self.assertRefused("post the invoice"):
            voucher.with_user(self.receptionist).action_activate()
        self.assertEqual(voucher.state, "draft")
        self.company_a.psy_voucher_activation = "paid"
        move.action_post()
        self.assertEqual(voucher.state, "draft")
        with self.assertRefused("register its payment"):
            voucher.with_user(self.receptionist).action_activate()
        self._pay(move)
        self.assertEqual(voucher.state, "active")

    def test_sell_activates_through_the_invoice(self):
        voucher = self._voucher(activate=False)
        voucher.with_user(self.receptionist).with_context(
            psy_billing_no_deferred_entry=True
        ).action_psy_sell()
        self.assertEqual(voucher.state, "active")
        move = voucher.psy_invoice_id
        self.assertEqual(move.state, "posted")
        self.assertEqual(move.invoice_line_ids.psy_voucher_id, voucher)
        self.assertDeferredMatchesLiability(500.0)
        self.assertAllBalanced()

    def test_free_pack_activates_and_is_listed(self):
        """A pack with no price needs no invoice; it is listed in the
        liability view at 0, as every pack in use is."""
        voucher = self._voucher(activate=False, price=0.0)
        voucher.with_user(self.receptionist).action_activate()
        self.assertEqual(voucher.state, "active")
        sold, __ = self._sell()
        wizard = self.env["psy.voucher.liability.wizard"].create(
            {"date": self.today, "company_id": self.company_a.id}
        )
        wizard.action_open()
        lines = {line.voucher_id: line for line in wizard.line_ids}
        self.assertEqual(set(lines), {voucher, sold})
        self.assertEqual(lines[voucher].remaining, 10)
        self.assertAlmostEqual(lines[voucher].amount, 0.0)
        self.assertIn(lines[voucher].billing, ("complimentary", "not_invoiced"))
        self.assertEqual(lines[sold].billing, "invoiced")
        self.assertAlmostEqual(wizard.amount_total, 500.0)

    def _give(self, voucher, user):
        return (
            self.env["psy.voucher.complimentary.wizard"]
            .with_user(user)
            .create({"voucher_id": voucher.id, "reason": "Staff family"})
            .action_confirm()
        )

    def test_complimentary_pack_by_an_administrator(self):
        voucher = self._voucher(activate=False)
        for user in (self.receptionist, self.billing, self.psychologist):
            for context in OLD_CONTEXTS:
                with self.assertRaises(UserError):
                    voucher.with_user(user).with_context(
                        **context
                    )._psy_make_complimentary("Staff family")
        self.assertEqual(voucher.state, "draft")
        self._give(voucher, self.manager)
        self.assertEqual(voucher.state, "active")
        self.assertTrue(voucher.complimentary)
        self.assertFalse(voucher.psy_invoice_id)
        wizard = self.env["psy.voucher.liability.wizard"].create(
            {"date": self.today, "company_id": self.company_a.id}
        )
        wizard.action_open()
        self.assertEqual(wizard.line_ids.voucher_id, voucher)
        self.assertEqual(wizard.line_ids.billing, "complimentary")
        self.assertAlmostEqual(wizard.line_ids.amount, 0.0)
        # Consumed like any pack, with no entry: nothing was deferred.
        session = self._completed()
        self.assertEqual(session.voucher_id, voucher)
        self.assertFalse(session.voucher_line_id.psy_move_line_ids)
        self.assertDeferredMatchesLiability(0.0)

    def test_invoiced_pack_not_given_for_free(self):
        self.company_a.psy_voucher_activation = "paid"
        voucher, move = self._sell()
        self.assertEqual(voucher.state, "draft")
        with self.assertRefused("cannot be given for free"):
            self._give(voucher, self.manager)
        self.assertEqual(voucher.state, "draft")
        self.assertFalse(voucher.complimentary)
        self.assertAlmostEqual(voucher.price, 500.0)
        self.assertDeferredMatchesLiability(500.0)

    def test_pack_active_without_invoice_is_listed(self):
        """A priced pack activated without an invoice before this rule (here
        as superuser) is not missing from the liability view."""
        voucher = self._voucher(activate=False)
        voucher._psy_activate()
        wizard = self.env["psy.voucher.liability.wizard"].create(
            {"date": self.today, "company_id": self.company_a.id}
        )
        wizard.action_open()
        line = wizard.line_ids.filtered(lambda line: line.voucher_id == voucher)
        self.assertEqual(line.billing, "not_invoiced")
        self.assertEqual(line.remaining, 10)
        self.assertAlmostEqual(line.amount, 0.0)
        # A pack invoiced after the date is not listed at that date, even
        # when it starts before.
        sold, __ = self._sell(start_date=date(2026, 11, 1))
        wizard.date = date(2026, 11, 22)
        wizard.action_open()
        self.assertNotIn(sold, wizard.line_ids.voucher_id)

    # ------------------------------------------------------------------
    # Direct writes of the billing links and guarded fields
    # ------------------------------------------------------------------

    def test_direct_writes_of_billing_fields_refused(self):
        voucher, move = self._sell(post=False)
        other, other_move = self._sell()
        attempts = [
            {"psy_invoice_id": other_move.id},
            {"psy_invoice_id": False},
            {"psy_approach": "session"},
            {"psy_deferred": False},
            {"psy_payment_state": "paid"},
            {"state": "active"},
            {"state": "cancelled"},
            {"remaining": 99},
        ]
        before = self._snapshot(voucher)
        before_other = self._snapshot(other)
        for name, user in self.roles.items():
            for context in OLD_CONTEXTS:
                for vals in attempts:
                    with (
                        self.subTest(role=name, context=context, vals=vals),
                        self.assertRaises(UserError),
                    ):
                        voucher.with_user(user).with_context(**context).write(vals)
        self.assertUnchanged(voucher, before)
        self.assertUnchanged(other, before_other)
        self.assertEqual(voucher.state, "draft")
        self.assertDeferredMatchesLiability(500.0)

    def test_create_with_billing_fields_refused(self):
        __, move = self._sell()
        count = self.env["psy.voucher"].search_count([])
        for name, user in self.roles.items():
            for context in OLD_CONTEXTS:
                for vals in (
                    {"psy_invoice_id": move.id},
                    {"psy_approach": "session"},
                    {"psy_deferred": True},
                    {"state": "active"},
                ):
                    with (
                        self.subTest(role=name, context=context, vals=vals),
                        self.assertRaises(UserError),
                    ):
                        self.Voucher.with_user(user).with_context(**context).create(
                            dict(
                                patient_id=self.patient.id,
                                product_id=self.pack10.id,
                                **vals,
                            )
                        )
        self.assertEqual(self.env["psy.voucher"].search_count([]), count)
        self.assertDeferredMatchesLiability(500.0)

    def test_linked_invoice_does_not_activate(self):
        """An invoice made by hand for the pack's product, with a line
        pointing at the pack, does not sell it: only the invoice the pack
        links to does, and that link is set by the sale."""
        voucher = self._voucher(activate=False)
        move = (
            self.env["account.move"]
            .with_user(self.billing)
            .with_context(psy_voucher_internal=True)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.patient.partner_id.id,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": self.pack10.id,
                                "price_unit": 1.0,
                                "psy_voucher_id": voucher.id,
                            }
                        )
                    ],
                }
            )
        )
        move.action_post()
        self.assertEqual(voucher.state, "draft")
        self.assertFalse(voucher.psy_invoice_id)

    def test_journal_item_movement_link_refused(self):
        voucher, move = self._sell()
        session = self._completed()
        consume = session.voucher_line_id
        self.assertTrue(consume.psy_move_line_ids)
        before = self._snapshot(voucher)
        for name, user in self.roles.items():
            for context in OLD_CONTEXTS:
                with (
                    self.subTest(role=name, context=context),
                    self.assertRaises(UserError),
                ):
                    move.line_ids[0].with_user(user).with_context(**context).write(
                        {"psy_voucher_line_id": consume.id}
                    )
        # Nor on a new entry: a movement linked by hand would never get its
        # own entry.
        with self.assertRefused("pack movement"):
            self.env["account.move"].with_user(self.billing).create(
                {
                    "move_type": "entry",
                    "line_ids": [
                        Command.create(
                            {
                                "name": "Hand-made",
                                "account_id": self.deferred.id,
                                "debit": 50.0,
                                "psy_voucher_line_id": consume.id,
                            }
                        ),
                        Command.create(
                            {
                                "name": "Hand-made",
                                "account_id": self.pack_income.id,
                                "credit": 50.0,
                            }
                        ),
                    ],
                }
            )
        self.assertUnchanged(voucher, before)

    def test_old_context_keys_skip_no_entry(self):
        """``psy_billing_no_deferred_entry`` used to make a refund without
        its credit note, and consumptions without their entries."""
        ctx = {"psy_billing_no_deferred_entry": True, "psy_voucher_internal": True}
        voucher, move = self._sell()
        session = self._past_session().with_context(**ctx)
        session.with_user(self.psychologist).with_context(**ctx).action_done()
        self.assertTrue(session.voucher_line_id.psy_move_line_ids)
        self.assertDeferredMatchesLiability(450.0)
        wizard = (
            self.env["psy.voucher.refund.wizard"]
            .with_user(self.receptionist)
            .with_context(**ctx)
            .create({"voucher_id": voucher.id, "reason": "Moving abroad"})
        )
        wizard.action_confirm()
        self.assertEqual(voucher.state, "refunded")
        credit_note = self.env["account.move"].search(
            [("reversed_entry_id", "=", move.id), ("move_type", "=", "out_refund")]
        )
        self.assertEqual(credit_note.state, "posted")
        self.assertAlmostEqual(credit_note.amount_total, 450.0)
        self.assertDeferredMatchesLiability(0.0)
        self.assertAlmostEqual(self._account_balance(self.pack_income), -50.0)
        self.assertAllBalanced()

    def test_session_billing_fields_refused(self):
        """A done session cannot be taken out of the sessions to invoice, or
        shown paid, by a direct write; nor linked to an invoice by hand."""
        session = self._done_session(self._nov(19))
        other = self._done_session(self._nov(20))
        invoice = other._psy_create_invoices("session", post=True)
        self.assertEqual(session.psy_invoice_state, "to_invoice")
        attempts = [
            {"psy_billable": False},
            {"psy_invoice_state": "paid"},
            {"psy_invoice_line_ids": [Command.set(invoice.invoice_line_ids.ids)]},
            {"psy_invoice_line_ids": [Command.link(invoice.invoice_line_ids.id)]},
        ]
        for name, user in self.roles.items():
            for context in OLD_CONTEXTS:
                for vals in attempts:
                    with (
                        self.subTest(role=name, context=context, vals=vals),
                        self.assertRaises(UserError),
                    ):
                        session.with_user(user).with_context(**context).write(vals)
        session.invalidate_recordset()
        self.assertTrue(session.psy_billable)
        self.assertEqual(session.psy_invoice_state, "to_invoice")
        self.assertFalse(session.psy_invoice_line_ids)
        self.assertEqual(invoice.invoice_line_ids.psy_session_id, other)
        # The pack's journal items are not linked by hand either.
        voucher, move = self._sell()
        with self.assertRaises(UserError):
            voucher.with_user(self.billing).write(
                {"psy_invoice_line_ids": [Command.link(invoice.invoice_line_ids.id)]}
            )
        self.assertEqual(invoice.invoice_line_ids.psy_voucher_id.ids, [])
