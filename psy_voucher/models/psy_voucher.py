import logging

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, format_amount, format_date

_logger = logging.getLogger(__name__)

# States in which a voucher still moves with consumptions and reversals.
OPEN_STATES = ("active", "exhausted")
# Fields fixed once the voucher is sold.
SOLD_FIELDS = {
    "patient_id",
    "product_id",
    "company_id",
    "sessions_total",
    "price",
    "start_date",
    "professional_id",
    "origin_voucher_id",
}
# Vouchers expired per statement by the daily job.
EXPIRY_CHUNK = 5000


class PsyVoucher(models.Model):
    _name = "psy.voucher"
    _description = "Session pack (voucher)"
    _inherit = ["psy.guarded.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "expiry_date desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Code",
        required=True,
        readonly=True,
        copy=False,
        default=lambda self: self.env._("New"),
        index=True,
    )
    patient_id = fields.Many2one(
        comodel_name="psy.patient",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        ondelete="restrict",
    )
    partner_id = fields.Many2one(
        related="patient_id.partner_id", string="Patient contact"
    )
    product_id = fields.Many2one(
        comodel_name="product.product",
        string="Pack",
        required=True,
        tracking=True,
        check_company=True,
        domain=[("is_psy_voucher", "=", True)],
        ondelete="restrict",
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        string="Center",
        required=True,
        index=True,
        compute="_compute_company_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    price = fields.Monetary(
        string="Price paid",
        compute="_compute_from_product",
        store=True,
        readonly=False,
        precompute=True,
        help="What the patient paid for the pack: refunds are computed from it.",
    )
    sessions_total = fields.Integer(
        string="Sessions sold",
        compute="_compute_from_product",
        store=True,
        readonly=False,
        precompute=True,
        help="Sessions bought with the pack. A pack received by transfer "
        "starts at 0: its sessions come in with the transfer line.",
    )
    remaining = fields.Integer(
        string="Sessions left",
        readonly=True,
        copy=False,
        help="Sessions still available: the sessions sold plus every line of "
        "the ledger.",
    )
    start_date = fields.Date(
        string="Valid from",
        required=True,
        default=lambda self: self._psy_today(),
        tracking=True,
    )
    expiry_date = fields.Date(
        string="Expires on",
        required=True,
        compute="_compute_expiry_date",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
        tracking=True,
        help="Last day on which a session can consume the pack.",
    )
    professional_id = fields.Many2one(
        comodel_name="res.users",
        string="Owner professional",
        index="btree_not_null",
        tracking=True,
        compute="_compute_professional_id",
        store=True,
        readonly=False,
        precompute=True,
        domain=lambda self: [
            ("groups_id", "in", self.env.ref("psy_patient.group_psy_psychologist").ids),
        ],
        ondelete="restrict",
        help="For packs owned by the selling professional: only the sessions "
        "of this professional consume the pack. Empty for packs of the center.",
    )
    owner = fields.Selection(related="product_id.psy_voucher_owner")
    transfer_rule = fields.Selection(related="product_id.psy_voucher_transfer")
    state = fields.Selection(
        selection=[
            ("draft", "Draft"),
            ("active", "Active"),
            ("exhausted", "Exhausted"),
            ("expired", "Expired"),
            ("refunded", "Refunded"),
            ("cancelled", "Cancelled"),
        ],
        string="Status",
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    line_ids = fields.One2many(
        comodel_name="psy.voucher.line",
        inverse_name="voucher_id",
        string="Ledger",
        readonly=True,
    )
    sessions_used = fields.Integer(
        string="Sessions used",
        compute="_compute_ledger_totals",
        help="Sessions consumed minus those reversed.",
    )
    sessions_lost = fields.Integer(
        string="Sessions lost at expiry",
        compute="_compute_ledger_totals",
    )
    origin_voucher_id = fields.Many2one(
        comodel_name="psy.voucher",
        string="Transferred from",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="restrict",
    )
    reminder_sent = fields.Boolean(
        string="Expiry reminder sent",
        readonly=True,
        copy=False,
    )
    transfer_patient_id = fields.Many2one(
        comodel_name="psy.patient",
        string="Transfer requested to",
        readonly=True,
        copy=False,
        tracking=True,
        ondelete="set null",
    )
    transfer_requested_by_id = fields.Many2one(
        comodel_name="res.users",
        string="Transfer requested by",
        readonly=True,
        copy=False,
        ondelete="set null",
    )
    transfer_reason = fields.Text(readonly=True, copy=False)
    complimentary = fields.Boolean(
        readonly=True,
        copy=False,
        tracking=True,
        help="The pack was given for free by a psychology administrator, "
        "with a reason: it was activated without an invoice.",
    )
    complimentary_reason = fields.Text(
        string="Reason of the gift",
        readonly=True,
        copy=False,
    )
    note = fields.Text(
        string="Internal note",
        help="Administrative note about the sale (no clinical content).",
    )

    _sql_constraints = [
        (
            "remaining_not_negative",
            "CHECK(remaining >= 0)",
            "A session pack cannot have fewer than 0 sessions left. Choose "
            "another pack or invoice the session separately.",
        ),
        (
            "sessions_total_not_negative",
            "CHECK(sessions_total >= 0)",
            "A session pack cannot be sold with a negative number of sessions.",
        ),
        (
            "expiry_after_start",
            "CHECK(expiry_date >= start_date)",
            "A session pack must expire on or after the day it starts. Set a "
            "later expiry date.",
        ),
        (
            "name_unique",
            "UNIQUE(name)",
            "Two session packs cannot have the same code.",
        ),
    ]

    # ------------------------------------------------------------------
    # Defaults and computes
    # ------------------------------------------------------------------

    @api.model
    def _psy_today(self):
        return self.env["psy.patient"]._psy_today()

    @api.depends("patient_id")
    def _compute_company_id(self):
        for voucher in self:
            voucher.company_id = voucher.patient_id.company_id or self.env.company

    @api.depends("product_id")
    def _compute_from_product(self):
        for voucher in self:
            voucher.price = voucher.product_id.lst_price
            voucher.sessions_total = voucher.product_id.psy_voucher_sessions

    @api.depends("product_id", "start_date", "company_id")
    def _compute_expiry_date(self):
        for voucher in self:
            if not (voucher.product_id and voucher.start_date):
                voucher.expiry_date = voucher.expiry_date or voucher.start_date
                continue
            delta = voucher.product_id.product_tmpl_id._psy_voucher_validity_delta(
                voucher.company_id or self.env.company
            )
            voucher.expiry_date = voucher.start_date + delta

    @api.depends("product_id")
    def _compute_professional_id(self):
        psychologist = self.env.user.has_group("psy_patient.group_psy_psychologist")
        for voucher in self:
            if voucher.product_id.psy_voucher_owner != "professional":
                voucher.professional_id = False
            elif not voucher.professional_id and psychologist:
                voucher.professional_id = self.env.user

    @api.depends("line_ids")
    def _compute_ledger_totals(self):
        groups = self.env["psy.voucher.line"]._read_group(
            [
                ("voucher_id", "in", self.ids),
                ("type", "in", ("consume", "reverse", "expire")),
            ],
            groupby=["voucher_id", "type"],
            aggregates=["quantity:sum"],
        )
        totals = {(voucher.id, kind): qty for voucher, kind, qty in groups}
        for voucher in self:
            voucher.sessions_used = -(
                totals.get((voucher.id, "consume"), 0)
                + totals.get((voucher.id, "reverse"), 0)
            )
            voucher.sessions_lost = -totals.get((voucher.id, "expire"), 0)

    @api.depends("name", "patient_id.name")
    def _compute_display_name(self):
        for voucher in self:
            voucher.display_name = (
                f"{voucher.name} ({voucher.patient_id.name})"
                if voucher.patient_id
                else voucher.name
            )

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------

    @api.constrains("product_id", "professional_id", "company_id")
    def _check_owner(self):
        group = self.env.ref("psy_patient.group_psy_psychologist")
        for voucher in self:
            if not voucher.product_id.is_psy_voucher:
                raise ValidationError(
                    self.env._(
                        "%(product)s is not a session pack. Choose a product "
                        "marked as session pack.",
                        product=voucher.product_id.display_name,
                    )
                )
            owned = voucher.product_id.psy_voucher_owner == "professional"
            professional = voucher.professional_id.sudo()
            if owned and not professional:
                raise ValidationError(
                    self.env._(
                        "The pack %(product)s belongs to the professional who "
                        "sells it. Choose the owner professional.",
                        product=voucher.product_id.display_name,
                    )
                )
            if professional and not owned:
                raise ValidationError(
                    self.env._(
                        "The pack %(product)s belongs to the center: remove the "
                        "owner professional.",
                        product=voucher.product_id.display_name,
                    )
                )
            if professional and (
                group not in professional.groups_id
                or voucher.company_id not in professional.company_ids
            ):
                raise ValidationError(
                    self.env._(
                        "%(user)s is not a psychologist of %(center)s and cannot "
                        "own a pack there. Choose another professional.",
                        user=professional.name,
                        center=voucher.company_id.name,
                    )
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    # ------------------------------------------------------------------
    # Guarded fields (psy.guarded.mixin)
    # ------------------------------------------------------------------

    @api.model
    def _psy_guarded_fields(self):
        """The balance, the status, the ledger and the links written by the
        pack's own actions: refused on any direct create or write of a
        non-superuser, whatever the context. The actions write them with
        :meth:`_psy_write_guarded`."""
        return super()._psy_guarded_fields() | {
            "state",
            "remaining",
            "line_ids",
            "origin_voucher_id",
            "reminder_sent",
            "transfer_patient_id",
            "transfer_requested_by_id",
            "transfer_reason",
            "complimentary",
            "complimentary_reason",
        }

    @api.model
    def _psy_guarded_initial_values(self):
        return dict(super()._psy_guarded_initial_values(), state=("draft",))

    @api.model
    def _psy_guard_error(self, field_names):
        return UserError(
            self.env._(
                "The status and the sessions left of a pack follow its ledger "
                "and its actions. Use the buttons of the pack (activate, make "
                "complimentary, transfer, refund, adjust) instead of changing "
                "them."
            )
        )

    def _psy_check_sold_fields(self, vals):
        """Once sold, what was sold is fixed for everyone but the superuser;
        only a psychology administrator may still move the expiry date."""
        if self.env.su:
            return
        sold = self.filtered(lambda v: v.state != "draft")
        if not sold:
            return
        if SOLD_FIELDS & set(vals):
            raise UserError(
                self.env._(
                    "The pack %(code)s is already sold: its patient, product, "
                    "sessions, price, start and owner can no longer change. "
                    "Record a transfer, a refund or an adjustment instead.",
                    code=sold[0].name,
                )
            )
        if "expiry_date" in vals and not self.env.user.has_group(
            "psy_patient.group_psy_manager"
        ):
            raise AccessError(
                self.env._(
                    "Only a psychology administrator can change the expiry "
                    "date of a sold pack (%(code)s).",
                    code=sold[0].name,
                )
            )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        sequence = self.env["ir.sequence"]
        for vals in vals_list:
            if not vals.get("name") or vals["name"] == self.env._("New"):
                vals["name"] = sequence.next_by_code("psy.voucher") or "/"
        vouchers = super().create(vals_list)
        # The balance starts at the sessions sold; the ledger moves it from
        # there. Written in SQL like every other balance movement.
        vouchers._psy_reset_draft_balance()
        return vouchers

    def write(self, vals):
        self._psy_check_sold_fields(vals)
        res = super().write(vals)
        if "sessions_total" in vals:
            self.filtered(lambda v: v.state == "draft")._psy_reset_draft_balance()
        return res

    def _psy_reset_draft_balance(self):
        """A pack not sold yet has the sessions it will sell left."""
        if not self:
            return
        self.flush_recordset(["sessions_total"])
        self.env.cr.execute(
            SQL(
                "UPDATE psy_voucher SET remaining = sessions_total WHERE id IN %s",
                tuple(self.ids),
            )
        )
        self.invalidate_recordset(["remaining"])

    @api.ondelete(at_uninstall=False)
    def _unlink_except_sold(self):
        sold = self.filtered(
            lambda v: v.state not in ("draft", "cancelled") or v.line_ids
        )
        if sold:
            raise UserError(
                self.env._(
                    "The pack %(code)s has been sold and has a ledger: it cannot "
                    "be deleted. Refund it or adjust it instead.",
                    code=sold[0].name,
                )
            )

    # ------------------------------------------------------------------
    # The ledger: every balance movement goes through these two methods.
    # ------------------------------------------------------------------

    def _lock_balances(self):
        """Lock the rows of the vouchers (``SELECT ... FOR UPDATE``, in id
        order to avoid deadlocks) and return ``{id: (remaining, state)}`` as
        the database holds them now. Concurrent movements of the same
        vouchers wait for this transaction."""
        if not self:
            return {}
        self.flush_recordset()
        self.env.cr.execute(
            SQL(
                "SELECT id, remaining, state FROM psy_voucher WHERE id IN %s "
                "ORDER BY id FOR UPDATE",
                tuple(self.ids),
            )
        )
        return {row[0]: (row[1], row[2]) for row in self.env.cr.fetchall()}

    @api.model
    def _record_lines(self, vals_list):
        """Append ledger lines and move the stored balances: the single entry
        point of the ledger (public API of the module, private to RPC).

        ``vals_list`` holds one dict per voucher (at most one line per voucher
        per call) with ``voucher_id``, ``type`` and signed ``quantity``, plus
        optional line values (``session_id``, ``reason``, ``amount``...) and
        ``new_state`` to force the voucher's state (expired, refunded,
        cancelled). Without it an open voucher becomes exhausted at 0 and
        active above.

        The caller has locked the rows (:meth:`_lock_balances` or a ``FOR
        UPDATE`` selection) and made its business checks; this method checks
        that the caller may write the vouchers (access rights and record
        rules), then one UPDATE moves every balance, the database refuses a
        negative one, and each line records the balance after its movement.
        The lines are created as superuser, the only way to create them: no
        user may create, change or delete them otherwise. The state changes
        are tracked in the chatter like any other (unless tracking is
        disabled, as for any write), and :meth:`_on_ledger_lines_created` is
        called once with the new lines.
        """
        Line = self.env["psy.voucher.line"]
        if not vals_list:
            return Line
        vouchers = self.browse(list(dict.fromkeys(v["voucher_id"] for v in vals_list)))
        if len(vouchers) != len(vals_list):
            raise ValueError("_record_lines: one line per voucher and call")
        vouchers.check_access("write")
        self.flush_model(["remaining", "state"])
        if not (
            self.env.context.get("tracking_disable")
            or self.env.context.get("mail_notrack")
        ):
            # Like mail.thread's write: the state before the movement, logged
            # with the state after it when the transaction ends.
            vouchers._track_prepare(["state"])
        moves = []
        line_vals = []
        for vals in vals_list:
            vals = dict(vals)
            moves.append(
                SQL(
                    "(%s::int, %s::int, %s::varchar)",
                    vals["voucher_id"],
                    vals["quantity"],
                    vals.pop("new_state", None),
                )
            )
            line_vals.append(vals)
        now = self.env["psy.session"]._psy_now()
        self.env.cr.execute(
            SQL(
                """
                UPDATE psy_voucher AS v
                   SET remaining = v.remaining + m.quantity,
                       state = COALESCE(m.state, CASE
                           WHEN v.state NOT IN %(open)s THEN v.state
                           WHEN v.remaining + m.quantity > 0 THEN 'active'
                           ELSE 'exhausted' END),
                       write_uid = %(uid)s,
                       write_date = %(now)s
                  FROM (VALUES %(moves)s) AS m(id, quantity, state)
                 WHERE v.id = m.id
             RETURNING v.id, v.remaining, v.company_id, v.patient_id, v.product_id
                """,
                open=OPEN_STATES,
                uid=self.env.uid,
                now=now,
                moves=SQL(", ").join(moves),
            )
        )
        after = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        for vals in line_vals:
            balance, company_id, patient_id, product_id = after[vals["voucher_id"]]
            vals.update(
                balance=balance,
                company_id=company_id,
                patient_id=patient_id,
                product_id=product_id,
                date=vals.get("date") or now,
                user_id=self.env.uid,
            )
        vouchers.invalidate_recordset(
            ["remaining", "state", "write_uid", "write_date", "line_ids"]
        )
        lines = Line.sudo().create(line_vals)
        vouchers._on_ledger_lines_created(lines)
        return lines

    def _on_ledger_lines_created(self, lines):
        """Hook called once per batch of movements by :meth:`_record_lines`,
        after the lines are written and the balances moved (``lines`` in
        superuser mode, one per voucher of ``self``). Does nothing here; the
        billing bridge posts its deferred-revenue entries and credit notes
        from it."""
        return

    # ------------------------------------------------------------------
    # Sale
    # ------------------------------------------------------------------

    def _check_can_sell(self):
        if not self.env.user.has_group("psy_patient.group_psy_receptionist"):
            raise AccessError(
                self.env._(
                    "Only the front desk or an administrator can sell or cancel "
                    "session packs."
                )
            )

    def _psy_check_activation(self):
        """Veto hook of :meth:`action_activate`, called after the sale rights
        and the packs' own checks, before :meth:`_psy_activate`: raise to
        refuse. Does nothing here; the billing bridge refuses the packs with
        a price that have no invoice (they are activated by their invoice,
        or made complimentary)."""
        return

    def _psy_activate(self):
        """Private: draft packs become active (others are left as they are).
        No check besides the state: the callers (``action_activate``, the
        invoice of the pack in the billing bridge, the gift of a
        complimentary pack, a transfer) have checked who may do it. Returns
        the packs activated."""
        drafts = self.filtered(lambda v: v.state == "draft")
        if drafts:
            drafts._psy_write_guarded({"state": "active"})
        return drafts

    def _psy_cancel(self):
        """Private: draft packs become cancelled (others are left as they
        are). No check besides the state; used by ``action_cancel`` and by the
        billing bridge when the invoice of a draft pack is cancelled. Returns
        the packs cancelled."""
        drafts = self.filtered(lambda v: v.state == "draft")
        if drafts:
            drafts._psy_write_guarded({"state": "cancelled"})
        return drafts

    def _psy_check_draft_sellable(self):
        for voucher in self:
            if voucher.state != "draft":
                raise UserError(
                    self.env._(
                        "The pack %(code)s is already %(state)s. Only draft packs "
                        "can be activated.",
                        code=voucher.name,
                        state=voucher._state_label(),
                    )
                )
            if voucher.sessions_total <= 0:
                raise UserError(
                    self.env._(
                        "The pack %(code)s has no sessions. Set the number of "
                        "sessions sold before activating it.",
                        code=voucher.name,
                    )
                )

    def action_activate(self):
        """Sell the pack: it becomes active and can be consumed."""
        self._check_can_sell()
        self._psy_check_draft_sellable()
        self._psy_check_activation()
        self._psy_activate()
        return True

    def action_cancel(self):
        """Cancel a pack that was never sold (draft)."""
        self._check_can_sell()
        for voucher in self:
            if voucher.state != "draft":
                raise UserError(
                    self.env._(
                        "The pack %(code)s is %(state)s: only draft packs can be "
                        "cancelled. Refund a sold pack instead.",
                        code=voucher.name,
                        state=voucher._state_label(),
                    )
                )
        self._psy_cancel()
        return True

    def _state_label(self):
        self.ensure_one()
        return dict(self._fields["state"]._description_selection(self.env))[
            self.state
        ].lower()

    # ------------------------------------------------------------------
    # Consumption (called by psy.session)
    # ------------------------------------------------------------------

    @api.model
    def _find_eligible_voucher(self, session):
        """Lock and return the pack that pays ``session``: the active pack of
        the patient, in the session's center, covering its type, allowed by
        the owner rule and not expired on the session's date, that expires
        first. Empty when none."""
        self.flush_model()
        self.env["product.template"].flush_model(["psy_voucher_session_type_ids"])
        self.env.cr.execute(
            SQL(
                """
                SELECT v.id
                  FROM psy_voucher v
                  JOIN product_product pp ON pp.id = v.product_id
                 WHERE v.patient_id = %(patient)s
                   AND v.company_id = %(company)s
                   AND v.state = 'active'
                   AND v.remaining > 0
                   AND v.expiry_date >= %(date)s
                   AND (v.professional_id IS NULL
                        OR v.professional_id = %(professional)s)
                   AND EXISTS (
                       SELECT 1 FROM psy_voucher_product_session_type_rel r
                        WHERE r.voucher_tmpl_id = pp.product_tmpl_id
                          AND r.session_tmpl_id = %(session_type)s)
                 ORDER BY v.expiry_date, v.id
                 LIMIT 1
                   FOR UPDATE OF v
                """,
                patient=session.patient_id.id,
                company=session.company_id.id,
                date=session.start.date(),
                professional=session.professional_id.id,
                session_type=session.product_id.product_tmpl_id.id,
            )
        )
        row = self.env.cr.fetchone()
        return self.browse(row[0] if row else [])

    def _reverse_consumptions(self, lines, reason=None):
        """Give back the sessions of the consume ``lines`` (one per voucher
        and call). A session given back to an expired pack is lost again at
        once, with an expire line, as it would have been at expiry."""
        vouchers = lines.voucher_id
        states = vouchers._lock_balances()
        for line in lines:
            if states[line.voucher_id.id][1] in ("refunded", "cancelled"):
                raise UserError(
                    self.env._(
                        "The session of %(date)s was paid with the pack %(code)s, "
                        "which has been %(state)s: it cannot be given back. Keep "
                        "the session as done or ask an administrator.",
                        date=format_date(self.env, line.session_id.start),
                        code=line.voucher_id.name,
                        state=line.voucher_id._state_label(),
                    )
                )
        reversals = self._record_lines(
            [
                {
                    "voucher_id": line.voucher_id.id,
                    "type": "reverse",
                    "quantity": -line.quantity,
                    "session_id": line.session_id.id,
                    "reversed_line_id": line.id,
                    "reason": reason,
                }
                for line in lines
            ]
        )
        expired = lines.voucher_id.filtered(lambda v: v.state == "expired")
        if expired:
            self._record_lines(
                [
                    {
                        "voucher_id": voucher.id,
                        "type": "expire",
                        "quantity": -voucher.remaining,
                        "new_state": "expired",
                        "reason": self.env._("Session given back after expiry"),
                    }
                    for voucher in expired
                ]
            )
        return reversals

    # ------------------------------------------------------------------
    # Manual adjustment
    # ------------------------------------------------------------------

    def _adjust(self, quantity, reason):
        """Add (or remove, when negative) ``quantity`` sessions, with a reason.
        Psychology administrators only."""
        self.ensure_one()
        if not self.env.user.has_group("psy_patient.group_psy_manager"):
            raise AccessError(
                self.env._(
                    "Only a psychology administrator can adjust the sessions of a pack."
                )
            )
        if not (reason or "").strip():
            raise UserError(
                self.env._(
                    "Explain the adjustment of the pack %(code)s: the reason is "
                    "kept in its ledger.",
                    code=self.name,
                )
            )
        if not quantity:
            raise UserError(
                self.env._("Enter the number of sessions to add or remove.")
            )
        remaining, state = self._lock_balances()[self.id]
        if state not in OPEN_STATES:
            raise UserError(
                self.env._(
                    "The pack %(code)s is %(state)s: only active or exhausted "
                    "packs can be adjusted.",
                    code=self.name,
                    state=self._state_label(),
                )
            )
        if remaining + quantity < 0:
            raise UserError(
                self.env._(
                    "The pack %(code)s has %(remaining)s sessions left: you cannot "
                    "remove %(quantity)s. Enter at most %(remaining)s.",
                    code=self.name,
                    remaining=remaining,
                    quantity=-quantity,
                )
            )
        return self._record_lines(
            [
                {
                    "voucher_id": self.id,
                    "type": "adjust",
                    "quantity": quantity,
                    "reason": reason.strip(),
                }
            ]
        )

    # ------------------------------------------------------------------
    # Transfer
    # ------------------------------------------------------------------

    def _check_transferable(self, patient):
        self.ensure_one()
        rule = self.product_id.psy_voucher_transfer
        if rule == "no" or not rule:
            raise UserError(
                self.env._(
                    "The pack %(product)s cannot be transferred to another "
                    "patient. Refund it if the product allows it.",
                    product=self.product_id.display_name,
                )
            )
        if self.state != "active" or self.remaining <= 0:
            raise UserError(
                self.env._(
                    "The pack %(code)s is %(state)s: only an active pack with "
                    "sessions left can be transferred.",
                    code=self.name,
                    state=self._state_label(),
                )
            )
        if self.expiry_date < self._psy_today():
            raise UserError(
                self.env._(
                    "The pack %(code)s expired on %(date)s and cannot be transferred.",
                    code=self.name,
                    date=format_date(self.env, self.expiry_date),
                )
            )
        if patient == self.patient_id:
            raise UserError(
                self.env._(
                    "Choose another patient: the pack %(code)s already belongs to "
                    "%(patient)s.",
                    code=self.name,
                    patient=patient.name,
                )
            )
        if patient.company_id != self.company_id:
            raise UserError(
                self.env._(
                    "%(patient)s is a patient of %(center)s: a pack can only be "
                    "transferred within its own center (%(own)s).",
                    patient=patient.name,
                    center=patient.company_id.name,
                    own=self.company_id.name,
                )
            )

    def _prepare_transfer_target_vals(self, patient, remaining):
        """Values of the pack that receives the ``remaining`` sessions of this
        one: same product, owner and expiry, the value of those sessions as
        its price, and no sessions of its own (they come with the
        transfer-in line)."""
        self.ensure_one()
        return {
            "patient_id": patient.id,
            "product_id": self.product_id.id,
            "company_id": self.company_id.id,
            "sessions_total": 0,
            "price": self.currency_id.round(self._unit_price() * remaining),
            "start_date": self._psy_today(),
            "expiry_date": self.expiry_date,
            "professional_id": self.professional_id.id,
            "origin_voucher_id": self.id,
        }

    def _transfer_to(self, patient, reason=None):
        """Move every session left to a new pack of ``patient``: same product,
        owner and expiry, a transfer-out line here and a transfer-in line
        there. Returns the new pack. Rights are checked by the callers."""
        self.ensure_one()
        self._check_transferable(patient)
        remaining, state = self._lock_balances()[self.id]
        if state != "active" or remaining <= 0:
            raise UserError(
                self.env._(
                    "The pack %(code)s has no sessions left to transfer.",
                    code=self.name,
                )
            )
        target = self._psy_create_guarded(
            [self._prepare_transfer_target_vals(patient, remaining)]
        )
        target._psy_activate()
        target._lock_balances()
        self._record_lines(
            [
                {
                    "voucher_id": self.id,
                    "type": "transfer_out",
                    "quantity": -remaining,
                    "counterpart_voucher_id": target.id,
                    "reason": reason,
                },
                {
                    "voucher_id": target.id,
                    "type": "transfer_in",
                    "quantity": remaining,
                    "counterpart_voucher_id": self.id,
                    "reason": reason,
                },
            ]
        )
        self._psy_write_guarded(
            {
                "transfer_patient_id": False,
                "transfer_requested_by_id": False,
                "transfer_reason": False,
            }
        )
        self.message_post(
            body=self.env._(
                "%(count)s sessions transferred to %(patient)s (pack %(code)s).",
                count=remaining,
                patient=patient.name,
                code=target.name,
            ),
            subtype_xmlid="mail.mt_note",
        )
        return target

    def _request_transfer(self, patient, reason=None):
        """Transfer now when the product allows it, or record a request for a
        clinical director when it needs approval. Returns the new pack, or
        an empty recordset when the transfer waits for approval."""
        self.ensure_one()
        if not self.env.user.has_group("psy_patient.group_psy_receptionist"):
            raise AccessError(
                self.env._(
                    "Only the front desk or an administrator can transfer session "
                    "packs."
                )
            )
        self._check_transferable(patient)
        director = self.env.user.has_group("psy_patient.group_psy_director")
        if self.product_id.psy_voucher_transfer == "approval" and not director:
            self._psy_write_guarded(
                {
                    "transfer_patient_id": patient.id,
                    "transfer_requested_by_id": self.env.uid,
                    "transfer_reason": reason,
                }
            )
            directors = (
                self.env.ref("psy_patient.group_psy_director")
                .sudo()
                .users.filtered(lambda u: self.company_id in u.company_ids)
            )
            for user in directors:
                self.activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=user.id,
                    summary=self.env._("Approve a pack transfer"),
                    note=self.env._(
                        "Transfer the %(count)s sessions left of %(code)s to "
                        "%(patient)s?",
                        count=self.remaining,
                        code=self.name,
                        patient=patient.name,
                    ),
                )
            return self.browse()
        return self._transfer_to(patient, reason)

    def _check_director(self):
        if not self.env.user.has_group("psy_patient.group_psy_director"):
            raise AccessError(
                self.env._("Only a clinical director can approve pack transfers.")
            )

    def action_approve_transfer(self):
        self._approve_transfer()
        return True

    def _approve_transfer(self):
        """Director: carry out the requested transfers and return the new
        packs. The director reads packs but does not sell them, hence the
        superuser mode once the role is checked."""
        self._check_director()
        targets = self.browse()
        for voucher in self:
            if not voucher.transfer_patient_id:
                raise UserError(
                    self.env._(
                        "The pack %(code)s has no transfer waiting for approval.",
                        code=voucher.name,
                    )
                )
            sudo_voucher = voucher.sudo()
            targets |= sudo_voucher._transfer_to(
                sudo_voucher.transfer_patient_id, sudo_voucher.transfer_reason
            )
            voucher.sudo().activity_feedback(
                ["mail.mail_activity_data_todo"],
                feedback=self.env._(
                    "Transfer approved by %(user)s", user=self.env.user.name
                ),
            )
        return targets.with_env(self.env)

    def action_refuse_transfer(self):
        self._check_director()
        for voucher in self.sudo():
            voucher.message_post(
                body=self.env._(
                    "Transfer to %(patient)s refused by %(user)s.",
                    patient=voucher.transfer_patient_id.name,
                    user=self.env.user.name,
                ),
                subtype_xmlid="mail.mt_note",
            )
            voucher._psy_write_guarded(
                {
                    "transfer_patient_id": False,
                    "transfer_requested_by_id": False,
                    "transfer_reason": False,
                }
            )
            voucher.activity_unlink(["mail.mail_activity_data_todo"])
        return True

    # ------------------------------------------------------------------
    # Refund
    # ------------------------------------------------------------------

    def _sessions_received(self):
        """Sessions bought with the pack or received by transfer."""
        self.ensure_one()
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
                    "The pack %(code)s is %(state)s: only an active pack can be "
                    "refunded.",
                    code=self.name,
                    state=self._state_label(),
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

    # ------------------------------------------------------------------
    # Expiry and reminders
    # ------------------------------------------------------------------

    @api.model
    def _expire_due(self, today=None, limit=None):
        """Close the active packs whose expiry date has passed: an expire line
        takes their sessions left and they become expired. Works by chunks
        of ``EXPIRY_CHUNK`` packs: one locking selection, one UPDATE and one
        INSERT per chunk. Returns the number of packs expired."""
        today = today or self._psy_today()
        done = 0
        while limit is None or done < limit:
            size = EXPIRY_CHUNK if limit is None else min(EXPIRY_CHUNK, limit - done)
            self.env.cr.execute(
                SQL(
                    """
                    SELECT id, remaining FROM psy_voucher
                     WHERE state = 'active' AND expiry_date < %s
                     ORDER BY id
                     LIMIT %s
                       FOR UPDATE SKIP LOCKED
                    """,
                    today,
                    size,
                )
            )
            rows = self.env.cr.fetchall()
            if not rows:
                break
            self._record_lines(
                [
                    {
                        "voucher_id": voucher_id,
                        "type": "expire",
                        "quantity": -remaining,
                        "new_state": "expired",
                    }
                    for voucher_id, remaining in rows
                ]
            )
            done += len(rows)
            if len(rows) < size:
                break
        return done

    @api.model
    def _send_expiry_reminders(self, today=None):
        """E-mail the patients whose active pack expires within the days set
        by their center; each pack is reminded once."""
        today = today or self._psy_today()
        template = self.env.ref(
            "psy_voucher.mail_template_voucher_expiry", raise_if_not_found=False
        )
        if not template:
            return
        companies = self.env["res.company"].search(
            [("psy_voucher_reminder_days", ">", 0)]
        )
        for company in companies:
            vouchers = self.search(
                [
                    ("company_id", "=", company.id),
                    ("state", "=", "active"),
                    ("reminder_sent", "=", False),
                    ("expiry_date", ">=", today),
                    (
                        "expiry_date",
                        "<=",
                        fields.Date.add(today, days=company.psy_voucher_reminder_days),
                    ),
                ]
            )
            with_email = vouchers.filtered(lambda v: v.partner_id.email)
            if with_email:
                template.send_mail_batch(with_email.ids)
            vouchers._psy_write_guarded({"reminder_sent": True})

    @api.model
    def _cron_run(self):
        """Daily job: expire the packs past their date, then remind the
        patients whose packs expire soon."""
        expired = self._expire_due()
        _logger.info("Session packs: %s expired", expired)
        self._send_expiry_reminders()
        self.env["ir.cron"]._notify_progress(done=expired, remaining=0)

    # ------------------------------------------------------------------
    # Actions of the form
    # ------------------------------------------------------------------

    def _open_wizard(self, model, name):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "view_mode": "form",
            "target": "new",
            "context": {"default_voucher_id": self.id},
        }

    def action_open_transfer_wizard(self):
        return self._open_wizard(
            "psy.voucher.transfer.wizard", self.env._("Transfer the pack")
        )

    def action_open_refund_wizard(self):
        return self._open_wizard(
            "psy.voucher.refund.wizard", self.env._("Refund the pack")
        )

    def action_open_adjust_wizard(self):
        return self._open_wizard(
            "psy.voucher.adjust.wizard", self.env._("Adjust the sessions")
        )

    def action_view_sessions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "psy_session.psy_session_action_list"
        )
        action["domain"] = [("voucher_id", "=", self.id)]
        action["context"] = {}
        return action
