from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.psy_patient.models.psy_guarded_mixin import module_uninstalling

LINE_TYPES = [
    ("consume", "Consumed"),
    ("reverse", "Reversed"),
    ("transfer_out", "Transferred out"),
    ("transfer_in", "Transferred in"),
    ("expire", "Expired"),
    ("refund", "Refunded"),
    ("adjust", "Manual adjustment"),
]


class PsyVoucherLine(models.Model):
    """One movement of a session pack. Append-only: lines are written by
    :meth:`psy.voucher._record_lines` and never changed or deleted;
    corrections are new lines."""

    _name = "psy.voucher.line"
    _description = "Session pack ledger line"
    _order = "voucher_id, id"
    _rec_name = "voucher_id"

    voucher_id = fields.Many2one(
        comodel_name="psy.voucher",
        string="Pack",
        required=True,
        readonly=True,
        index=True,
        ondelete="restrict",
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        string="Center",
        required=True,
        readonly=True,
        index=True,
        ondelete="restrict",
    )
    patient_id = fields.Many2one(
        comodel_name="psy.patient",
        required=True,
        readonly=True,
        index=True,
        ondelete="restrict",
    )
    product_id = fields.Many2one(
        comodel_name="product.product",
        string="Pack product",
        required=True,
        readonly=True,
        ondelete="restrict",
    )
    type = fields.Selection(
        selection=LINE_TYPES,
        required=True,
        readonly=True,
    )
    date = fields.Datetime(required=True, readonly=True, index=True)
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Recorded by",
        required=True,
        readonly=True,
        ondelete="restrict",
    )
    session_id = fields.Many2one(
        comodel_name="psy.session",
        readonly=True,
        index="btree_not_null",
        ondelete="restrict",
    )
    quantity = fields.Integer(
        string="Sessions",
        required=True,
        readonly=True,
        help="Sessions added (positive) or taken (negative) by this line.",
    )
    balance = fields.Integer(
        string="Sessions left after",
        required=True,
        readonly=True,
    )
    reason = fields.Text(readonly=True)
    amount = fields.Monetary(
        string="Refunded amount",
        readonly=True,
        currency_field="currency_id",
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    reversed_line_id = fields.Many2one(
        comodel_name="psy.voucher.line",
        string="Reverses",
        readonly=True,
        index="btree_not_null",
        ondelete="restrict",
    )
    counterpart_voucher_id = fields.Many2one(
        comodel_name="psy.voucher",
        string="Other pack",
        readonly=True,
        ondelete="restrict",
        help="For transfers: the pack on the other side.",
    )

    _sql_constraints = [
        (
            "quantity_not_zero",
            "CHECK(quantity <> 0)",
            "A ledger line must move at least one session.",
        ),
        (
            "balance_not_negative",
            "CHECK(balance >= 0)",
            "A session pack cannot have fewer than 0 sessions left.",
        ),
        (
            "adjust_has_reason",
            "CHECK(type <> 'adjust' OR length(btrim(coalesce(reason, ''))) > 0)",
            "A manual adjustment needs a reason.",
        ),
        (
            "reversed_once",
            "UNIQUE(reversed_line_id)",
            "A consumption can only be reversed once.",
        ),
    ]

    @api.depends("voucher_id.name", "type", "quantity")
    def _compute_display_name(self):
        types = dict(self._fields["type"]._description_selection(self.env))
        for line in self:
            line.display_name = (
                f"{line.voucher_id.name} · {types.get(line.type, '')} "
                f"{line.quantity:+d}"
            )

    @api.model_create_multi
    def create(self, vals_list):
        # Only psy.voucher._record_lines creates lines, as superuser once it
        # has checked that the caller may write the packs; no context opens
        # this door.
        if not self.env.su:
            raise UserError(
                self.env._(
                    "Ledger lines are recorded by the pack itself (sale, session "
                    "completed, transfer, refund, expiry, adjustment). Use those "
                    "actions instead."
                )
            )
        return super().create(vals_list)

    def write(self, vals):
        if vals:
            raise UserError(
                self.env._(
                    "A ledger line can never be changed. Record a correcting "
                    "line instead (manual adjustment with a reason)."
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=True)
    def _unlink_never(self):
        if module_uninstalling(self.env):
            return
        raise UserError(
            self.env._(
                "A ledger line can never be deleted. Record a correcting line "
                "instead (manual adjustment with a reason)."
            )
        )
