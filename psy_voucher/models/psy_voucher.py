# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import logging

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, format_amount
from odoo.tools.sql import create_index

from odoo.addons.psy_patient.models.psy_guarded_mixin import module_uninstalling

_logger = logging.getLogger(__name__)

# Packs expired per call of the daily job, committed by the scheduler between
# calls (the progress API of ir.cron).
EXPIRY_BATCH = 20000

# Fields fixed once the voucher is sold.
SOLD_FIELDS = {
    "name",
    "patient_id",
    "product_id",
    "company_id",
    "sessions_total",
    "price",
    "start_date",
    "professional_id",
    "origin_voucher_id",
    "payer_id",
}


class PsyVoucher(models.Model):
    """A session pack sold to a patient. Its balance moves only through the
    ledger engine (:class:`psy.voucher.ledger.mixin`); transfers and refunds
    live in their own mixins; the status, the balance and the links written
    by the actions are guarded (:class:`psy.guarded.mixin`)."""

    _name = "psy.voucher"
    _description = "Session pack (voucher)"
    _inherit = [
        "psy.guarded.mixin",
        "psy.voucher.ledger.mixin",
        "psy.voucher.transfer.mixin",
        "psy.voucher.refund.mixin",
        "psy.record.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
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
    payer_id = fields.Many2one(
        comodel_name="res.partner",
        compute="_compute_payer_id",
        store=True,
        readonly=False,
        precompute=True,
        index="btree_not_null",
        tracking=True,
        ondelete="restrict",
        help="Who pays the pack: the patient, a guardian or a third party. "
        "The pack is invoiced to them, and a couple or family session whose "
        "payer they are can consume it. Fixed once the pack is sold.",
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
        domain=lambda self: self.env["res.users"]._psy_psychologist_field_domain(),
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

    def init(self):
        res = super().init()
        # The packs a completed session may take from
        # (_find_eligible_voucher): a patient's active packs, the one that
        # expires first. On the patient or expiry index alone, Postgres reads
        # every pack the patient ever had, or every pack expiring later.
        create_index(
            self.env.cr,
            "psy_voucher_active_patient_expiry_index",
            self._table,
            ["patient_id", "expiry_date", "id"],
            where="state = 'active'",
        )
        return res

    # ------------------------------------------------------------------
    # Defaults and computes
    # ------------------------------------------------------------------

    @api.model
    def _psy_today(self):
        return self.env["psy.patient"]._psy_today()

    @api.depends("patient_id")
    def _compute_company_id(self):
        self._psy_compute_company_from_patient()

    @api.depends("patient_id")
    def _compute_payer_id(self):
        # What the invoices used before the payer existed: the patient's
        # own contact.
        for voucher in self:
            voucher.payer_id = voucher.patient_id.partner_id

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
                    "The pack %(code)s is already sold: its code, patient, "
                    "payer, product, sessions, price, start and owner can no longer "
                    "change. Record a transfer, a refund or an adjustment "
                    "instead.",
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
                "UPDATE %s SET remaining = sessions_total WHERE id IN %s",
                SQL.identifier(self._table),
                tuple(self.ids),
            )
        )
        self.invalidate_recordset(["remaining"])

    @api.ondelete(at_uninstall=True)
    def _unlink_except_sold(self):
        if module_uninstalling(self.env):
            return
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
        """The packs can be sold: drafts with sessions."""
        for voucher in self:
            if voucher.state != "draft":
                raise UserError(
                    self.env._(
                        "%(status)s Only draft packs can be activated.",
                        status=voucher._psy_state_sentence(),
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
                        "%(status)s Only draft packs can be cancelled: refund a "
                        "sold pack instead.",
                        status=voucher._psy_state_sentence(),
                    )
                )
        self._psy_cancel()
        return True

    # ------------------------------------------------------------------
    # Complimentary packs
    # ------------------------------------------------------------------

    def _psy_check_can_give(self):
        if not self.env.user.has_group("psy_patient.group_psy_manager"):
            raise AccessError(
                self.env._(
                    "Only a psychology administrator can give a session pack "
                    "for free. Ask one to make the pack complimentary, or sell "
                    "it with its invoice."
                )
            )

    def action_open_complimentary_wizard(self):
        self._psy_check_can_give()
        return self._open_wizard(
            "psy.voucher.complimentary.wizard",
            self.env._("Make the pack complimentary"),
        )

    def _psy_make_complimentary(self, reason):
        """Give the draft packs for free and activate them: a psychology
        administrator only, with a reason kept on the pack and in its
        chatter. The price paid becomes 0 (nothing to refund, nothing
        deferred); the message keeps the list price."""
        self._psy_check_can_give()
        reason = (reason or "").strip()
        if not reason:
            raise UserError(
                self.env._(
                    "Explain why the pack is given for free: the reason is kept "
                    "on the pack and in its history."
                )
            )
        self._psy_check_draft_sellable()
        for voucher in self:
            price = format_amount(self.env, voucher.price, voucher.currency_id)
            voucher._psy_write_guarded(
                {
                    "complimentary": True,
                    "complimentary_reason": reason,
                    "price": 0.0,
                }
            )
            voucher.message_post(
                body=self.env._(
                    "Pack given for free by %(user)s (its price was %(price)s). "
                    "Reason: %(reason)s",
                    user=self.env.user.name,
                    price=price,
                    reason=reason,
                ),
                subtype_xmlid="mail.mt_note",
            )
        self._psy_activate()
        return True

    # ------------------------------------------------------------------
    # Words
    # ------------------------------------------------------------------

    def _psy_state_sentence(self, state=None):
        """One whole sentence saying where the pack stands (its ``state``, or
        the one given), for the messages that explain a refusal."""
        self.ensure_one()
        state = state or self.state
        code = self.name
        if state == "draft":
            return self.env._("The pack %(code)s is not sold yet.", code=code)
        if state == "active":
            return self.env._("The pack %(code)s is active.", code=code)
        if state == "exhausted":
            return self.env._("The pack %(code)s has no sessions left.", code=code)
        if state == "expired":
            return self.env._("The pack %(code)s has expired.", code=code)
        if state == "refunded":
            return self.env._("The pack %(code)s has been refunded.", code=code)
        return self.env._("The pack %(code)s has been cancelled.", code=code)

    def _state_label(self):
        """Kept for the modules that called it: see ``_psy_state_label``. In
        messages, use the whole sentence of :meth:`_psy_state_sentence`."""
        return self._psy_state_label()

    # ------------------------------------------------------------------
    # Reminders and the daily job
    # ------------------------------------------------------------------

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
        patients whose packs expire soon.

        Odoo's progress API of scheduled actions: each call expires at most
        ``EXPIRY_BATCH`` packs and says how many are left; the scheduler
        commits the batch and calls again (up to ten times a run, then again
        as soon as a worker is free), so that a large expiry day never holds
        one long transaction. The reminders go once nothing is left to
        expire. Run by hand (no scheduler around it), the job triggers itself
        again while packs are left."""
        expired = self._expire_due(limit=EXPIRY_BATCH)
        remaining = self._expire_due_count()
        _logger.info("Session packs: %s expired, %s left", expired, remaining)
        if not remaining:
            self._send_expiry_reminders()
        self.env["ir.cron"]._notify_progress(done=expired, remaining=remaining)
        if remaining and not self.env.context.get("ir_cron_progress_id"):
            cron = self.env.ref(
                "psy_voucher.ir_cron_psy_voucher", raise_if_not_found=False
            )
            if cron:
                cron._trigger()
        return expired

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
