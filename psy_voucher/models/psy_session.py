from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date

from .psy_voucher_consumer_mixin import CONSUMING_STATES


class PsySession(models.Model):
    """A session takes one session from a pack as a whole (individual,
    couple and family sessions: once per session, whoever attends); in a
    group session each participant consumes from their own pack
    (``psy.session.participant``)."""

    _name = "psy.session"
    _inherit = ["psy.session", "psy.voucher.consumer.mixin"]

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
    closeout_payment_missing = fields.Boolean(
        string="Payment missing",
        compute="_compute_closeout_payment_missing",
        store=True,
        readonly=True,
        help="The session (or a participant's part of a group session) is "
        "not paid: no pack paid it and its invoice is not paid yet.",
    )
    psy_pay_separately = fields.Boolean(
        string="To be paid separately",
        readonly=True,
        copy=False,
        help="No pack of the patient covers this session: it is invoiced on its own.",
    )
    payer_id = fields.Many2one(
        comodel_name="res.partner",
        compute="_compute_payer_id",
        store=True,
        readonly=False,
        precompute=True,
        index="btree_not_null",
        tracking=True,
        ondelete="restrict",
        help="Who pays the session: a participant, a guardian or a third "
        "party. The session is invoiced to them, and a couple or family "
        "session can consume a pack they pay. Empty for group sessions: each "
        "participant has their own payer.",
    )

    # ------------------------------------------------------------------
    # Close-out: paid by a pack, or waiting to be paid separately
    # ------------------------------------------------------------------

    @api.model
    def _psy_closeout_flags(self):
        return [*super()._psy_closeout_flags(), "closeout_payment_missing"]

    def _psy_closeout_labels(self):
        return {
            **super()._psy_closeout_labels(),
            "closeout_payment_missing": self.env._("payment"),
        }

    # A session (or a group participant) that no pack paid is to be paid
    # separately; the billing bridge tells when it is.
    @api.depends("psy_pay_separately", "participant_ids.psy_pay_separately")
    def _compute_closeout_payment_missing(self):
        for session in self:
            session.closeout_payment_missing = session.psy_pay_separately or any(
                session.participant_ids.mapped("psy_pay_separately")
            )

    psy_booking_pack_info = fields.Char(
        string="Packs of the patient",
        compute="_compute_psy_booking_pack_info",
        help="The patient's active packs and the sessions left in each, as "
        "the front desk sees them while booking.",
    )
    psy_booking_pack_count = fields.Integer(
        string="Active packs of the patient",
        compute="_compute_psy_booking_pack_info",
    )

    @api.depends("patient_id", "product_id", "state")
    def _compute_psy_booking_pack_info(self):
        """One search for the active packs of every patient shown."""
        patients = self.patient_id
        vouchers = self.env["psy.voucher"].search(
            [
                ("patient_id", "in", patients.ids),
                ("state", "=", "active"),
                ("remaining", ">", 0),
            ],
            order="expiry_date, id",
        )
        for session in self:
            mine = vouchers.filtered(lambda v, s=session: v.patient_id == s.patient_id)
            session.psy_booking_pack_count = len(mine)
            lines = []
            for voucher in mine:
                pack = f"{voucher.product_id.name} ({voucher.name})"
                lines.append(
                    self.env._(
                        "%(pack)s: %(left)s of %(total)s sessions left, until %(date)s",
                        pack=pack,
                        left=voucher.remaining,
                        total=voucher.sessions_total,
                        date=format_date(self.env, voucher.expiry_date),
                    )
                )
            session.psy_booking_pack_info = "; ".join(lines) or False

    def psy_agenda_actions(self):
        """Sell a pack from the agenda: the front desk, for the patient of the
        session."""
        actions = super().psy_agenda_actions()
        if self.patient_id and self.env["psy.voucher"].has_access("create"):
            actions.append(
                {
                    "name": "action_psy_agenda_sell_pack",
                    "label": self.env._("Sell a pack"),
                    "confirm": False,
                    "primary": False,
                }
            )
        return actions

    def action_psy_agenda_sell_pack(self):
        """A new pack for the patient of the session, in a dialog."""
        self.ensure_one()
        self.env["psy.voucher"].check_access("create")
        if not self.patient_id:
            raise UserError(
                self.env._(
                    "A group session has no patient of its own: sell the pack "
                    "from the patient's file."
                )
            )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Sell a pack"),
            "res_model": "psy.voucher",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_patient_id": self.patient_id.id,
                "default_company_id": self.company_id.id,
            },
        }

    @api.depends("patient_id")
    def _compute_payer_id(self):
        # By default what the invoices used before the payer existed: the
        # contact of the (main) patient; none in a group session, which has
        # no patient of its own.
        for session in self:
            session.payer_id = session.patient_id.partner_id

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
        # A couple or family session created with its participants only
        # receives its main patient while the create protects the payer:
        # compute it now, unless one was given.
        without_payer = sessions.browse(
            session.id
            for session, vals in zip(sessions, vals_list, strict=True)
            if not vals.get("payer_id") and session.patient_id and not session.payer_id
        )
        if without_payer:
            self.env.add_to_compute(self._fields["payer_id"], without_payer)
        sessions.filtered(
            lambda s: s.state in CONSUMING_STATES
        )._psy_voucher_apply_state()
        return sessions

    def write(self, vals):
        if "payer_id" in vals:
            self._psy_check_payer_editable(vals["payer_id"])
        return super().write(vals)

    def _psy_write_state(self, vals):
        """Every status change of the session actions moves the pack ledger
        once: consumption on completion (and late cancellation or no-show
        when the policy says so), reversal on reopening. The participants
        of a group session consume with their attendance, which the
        session's status moves too (``psy.session.participant``); a group
        session cancelled by the center takes nothing from them."""
        if "state" not in vals:
            return super()._psy_write_state(vals)
        before = {session.id: session.state for session in self}
        res = super()._psy_write_state(vals)
        changed = self.filtered(lambda s: s.state != before[s.id])
        changed._psy_voucher_apply_state()
        changed.filtered(
            lambda s: s.session_kind == "group"
        ).participant_ids._psy_voucher_apply_state()
        return res

    # ------------------------------------------------------------------
    # psy.voucher.consumer.mixin
    # ------------------------------------------------------------------

    def _psy_voucher_event(self):
        self.ensure_one()
        if self.session_kind == "group":
            return False
        return self.state

    def _psy_voucher_session(self):
        return self

    def _psy_payer_locked(self):
        """The payer is fixed once the session took a session from a pack
        (and, with the billing bridge, once it is invoiced)."""
        self.ensure_one()
        return bool(self.voucher_line_id)

    def action_view_voucher(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "psy.voucher",
            "res_id": self.voucher_id.id,
            "view_mode": "form",
        }
