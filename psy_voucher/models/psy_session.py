from odoo import api, fields, models
from odoo.exceptions import UserError

# Session states that may take a session from a pack: done always, late
# cancellations and no-shows according to the policy.
CONSUMING_STATES = ("done", "late_cancelled", "no_show")


class PsySession(models.Model):
    _inherit = "psy.session"

    voucher_line_id = fields.Many2one(
        comodel_name="psy.voucher.line",
        string="Pack consumption",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="restrict",
        help="Ledger line that took this session from a pack.",
    )
    voucher_id = fields.Many2one(
        comodel_name="psy.voucher",
        string="Paid with pack",
        related="voucher_line_id.voucher_id",
        store=True,
        index="btree_not_null",
    )
    psy_pay_separately = fields.Boolean(
        string="To be paid separately",
        readonly=True,
        copy=False,
        help="No pack of the patient covers this session: it is invoiced on its own.",
    )

    @api.model
    def _psy_guarded_fields(self):
        """The link to the pack's ledger and the "paid separately" mark are
        written by the consumption only."""
        return super()._psy_guarded_fields() | {
            "voucher_line_id",
            "voucher_id",
            "psy_pay_separately",
        }

    @api.model
    def _psy_guard_error(self, field_names):
        if set(field_names) <= {"voucher_line_id", "voucher_id", "psy_pay_separately"}:
            return UserError(
                self.env._(
                    "The pack that pays a session is chosen when the session is "
                    "completed (Mark as done) and given back when it is "
                    "reopened. Use those buttons instead of changing it."
                )
            )
        return super()._psy_guard_error(field_names)

    @api.model_create_multi
    def create(self, vals_list):
        # Only the superuser creates sessions that are already closed (demo
        # data, imports): they consume like a completed session.
        sessions = super().create(vals_list)
        sessions.filtered(
            lambda s: s.state in CONSUMING_STATES
        )._psy_voucher_apply_state()
        return sessions

    def _psy_write_state(self, vals):
        """Every status change of the session actions moves the pack ledger
        once: consumption on completion (and late cancellation or no-show
        when the policy says so), reversal on reopening."""
        if "state" not in vals:
            return super()._psy_write_state(vals)
        before = {session.id: session.state for session in self}
        res = super()._psy_write_state(vals)
        self.filtered(lambda s: s.state != before[s.id])._psy_voucher_apply_state()
        return res

    def _psy_voucher_apply_state(self):
        """Bring the pack consumption of the sessions in line with their new
        state: consume on completion (and on a late cancellation or a no-show
        when the policy says so), give back when the session leaves those
        states. A session consumes at most once: the guard is its link to
        the consume line, cleared only by a reversal.

        Runs as superuser once the session change is allowed: the ledger is
        the center's bookkeeping, not the professional's to write."""
        to_reverse = self.browse()
        for session in self.sudo():
            line = session.voucher_line_id
            if session.state not in CONSUMING_STATES:
                if line:
                    to_reverse |= session
                elif session.psy_pay_separately:
                    session.psy_pay_separately = False
                continue
            if line:
                consumes = (
                    line.voucher_id.product_id.product_tmpl_id._psy_voucher_consumes(
                        session.state, session.company_id
                    )
                )
                if not consumes:
                    to_reverse |= session
                continue
            session._psy_voucher_consume()
        if to_reverse:
            to_reverse.sudo()._psy_voucher_reverse()

    def _psy_voucher_consume(self):
        """Take the session from the pack that expires first among those that
        may pay it, or mark it to be paid separately."""
        self.ensure_one()
        Voucher = self.env["psy.voucher"]
        voucher = Voucher._find_eligible_voucher(self)
        template = voucher.product_id.product_tmpl_id
        if voucher and template._psy_voucher_consumes(self.state, self.company_id):
            line = Voucher._record_lines(
                [
                    {
                        "voucher_id": voucher.id,
                        "type": "consume",
                        "quantity": -1,
                        "session_id": self.id,
                    }
                ]
            )
            self.write({"voucher_line_id": line.id, "psy_pay_separately": False})
            return line
        pay = not voucher and self.company_id._psy_voucher_consumes(self.state)
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

    def action_view_voucher(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "psy.voucher",
            "res_id": self.voucher_id.id,
            "view_mode": "form",
        }
