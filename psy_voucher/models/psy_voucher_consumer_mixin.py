# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models
from odoo.exceptions import UserError

# Session states that may take a session from a pack: done always, late
# cancellations and no-shows according to the policy.
CONSUMING_STATES = ("done", "late_cancelled", "no_show")


class PsyVoucherConsumerMixin(models.AbstractModel):
    """What takes a session from a pack: a session as a whole (individual,
    couple, family) or one participant of a group session.

    The inheriting model has ``voucher_line_id`` (the consume line, the
    guard against consuming twice), ``voucher_id`` and ``psy_pay_separately``,
    and says through :meth:`_psy_voucher_event` which state consumes (or
    ``False``), through :meth:`_psy_voucher_session` the session and
    through :meth:`_psy_voucher_patient` whose packs pay (empty: the
    session's own rule)."""

    _name = "psy.voucher.consumer.mixin"
    _description = "Consumes session packs"

    def _psy_voucher_event(self):
        """The state that may consume (done, late_cancelled, no_show), or
        ``False`` when nothing consumes."""
        raise NotImplementedError

    def _psy_voucher_session(self):
        raise NotImplementedError

    def _psy_voucher_patient(self):
        return self.env["psy.patient"]

    def _psy_voucher_apply_state(self):
        """Bring the pack consumption in line with the current state:
        consume on completion (and on a late cancellation or a no-show
        when the policy says so), give back when it leaves those states.
        At most one consumption: the guard is the link to the consume line,
        cleared only by a reversal.

        Runs as superuser once the change of state is allowed: the ledger is
        the center's bookkeeping, not the professional's to write."""
        to_reverse = self.browse()
        to_consume = self.browse()
        for record in self.sudo():
            line = record.voucher_line_id
            event = record._psy_voucher_event()
            if event not in CONSUMING_STATES:
                if line:
                    to_reverse |= record
                elif record.psy_pay_separately:
                    record.psy_pay_separately = False
                continue
            if line:
                template = line.voucher_id.product_id.product_tmpl_id
                session = record._psy_voucher_session()
                if not template._psy_voucher_consumes(event, session.company_id):
                    to_reverse |= record
                continue
            to_consume |= record
        if to_consume:
            to_consume.sudo()._psy_voucher_consume_all()
        if to_reverse:
            to_reverse.sudo()._psy_voucher_reverse()

    def _psy_voucher_consume_all(self):
        """Consume for each record (one by one here; the participants of a
        group session consume together)."""
        for record in self:
            record._psy_voucher_consume()

    def _psy_voucher_consume(self):
        """Take the session from the pack that expires first among those that
        may pay it, or mark it to be paid separately."""
        self.ensure_one()
        Voucher = self.env["psy.voucher"]
        session = self._psy_voucher_session()
        event = self._psy_voucher_event()
        voucher = Voucher._find_eligible_voucher(
            session, patient=self._psy_voucher_patient() or None
        )
        template = voucher.product_id.product_tmpl_id
        if voucher and template._psy_voucher_consumes(event, session.company_id):
            line = Voucher._record_lines(
                [
                    {
                        "voucher_id": voucher.id,
                        "type": "consume",
                        "quantity": -1,
                        "session_id": session.id,
                    }
                ]
            )
            self.write({"voucher_line_id": line.id, "psy_pay_separately": False})
            return line
        pay = not voucher and session.company_id._psy_voucher_consumes(event)
        if self.psy_pay_separately != pay:
            self.psy_pay_separately = pay
        return self.env["psy.voucher.line"]

    def _psy_voucher_reverse(self):
        """Give back the sessions taken by ``self`` (one reversal per
        consumption), pack by pack."""
        Voucher = self.env["psy.voucher"]
        lines = self.voucher_line_id
        while lines:
            # One line per voucher and call of the ledger.
            batch = lines.browse({line.voucher_id: line.id for line in lines}.values())
            Voucher._reverse_consumptions(batch)
            lines -= batch
        self.write({"voucher_line_id": False, "psy_pay_separately": False})

    # ------------------------------------------------------------------
    # The payer
    # ------------------------------------------------------------------

    def _psy_payer_locked(self):
        """Is the payer of this record fixed (consumed, invoiced)?"""
        raise NotImplementedError

    def _psy_check_payer_editable(self, payer_id):
        """Refuse to change the payer once the session took a session from a
        pack or was invoiced: it would no longer match the pack or the
        invoice. The superuser (demo data, imports) is not refused."""
        if self.env.su:
            return
        for record in self:
            if record.payer_id.id != (payer_id or False) and record._psy_payer_locked():
                session = record._psy_voucher_session()
                raise UserError(
                    self.env._(
                        "The session of %(who)s on %(date)s is already paid "
                        "with a pack or invoiced to %(payer)s: its payer can no "
                        "longer change. Reopen the session (or issue a credit "
                        "note of its invoice) first.",
                        who=session._psy_who(),
                        date=session._psy_format_datetime(session.start),
                        payer=record.payer_id.display_name,
                    )
                )
