from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from odoo.addons.psy_patient.models.psy_guarded_mixin import module_uninstalling

X2MANY = ("one2many", "many2many")

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

    @api.model
    def _psy_insert(self, vals_list):
        """Insert the lines of :meth:`psy.voucher._record_lines` in one
        statement: what ``create`` does for these plain stored columns (no
        default, no computed or translated field, no constraint in Python),
        without its per-record cost, which dominates the expiry job over
        thousands of packs. Superuser only, like :meth:`create`: the ledger
        checked the caller's right to write the packs. The new lines are put
        in the cache with their values and the fields that depend on them
        are marked as modified, as ``create`` does."""
        if not self.env.su:
            return self.create(vals_list)
        if not vals_list:
            return self.browse()
        names = sorted({name for vals in vals_list for name in vals})
        fields_ = [self._fields[name] for name in names]
        if any(
            not field.store or field.compute or field.translate or field.type in X2MANY
            for field in fields_
        ):
            return self.create(vals_list)
        now = self.env.cr.now()
        uid = self.env.uid
        rows = [
            SQL(
                "(%s)",
                SQL(", ").join(
                    [
                        *(
                            field.convert_to_column_insert(
                                vals.get(field.name, False), self, vals
                            )
                            for field in fields_
                        ),
                        uid,
                        now,
                        uid,
                        now,
                    ]
                ),
            )
            for vals in vals_list
        ]
        columns = [*names, "create_uid", "create_date", "write_uid", "write_date"]
        self.env.cr.execute(
            SQL(
                "INSERT INTO %s (%s) VALUES %s RETURNING id",
                SQL.identifier(self._table),
                SQL(", ").join(SQL.identifier(name) for name in columns),
                SQL(", ").join(rows),
            )
        )
        lines = self.browse([row[0] for row in self.env.cr.fetchall()])
        # The one2many fields whose inverse is set (the packs' ledgers), before
        # the new lines are cached: invalidating a one2many invalidates its
        # inverse many2one as well.
        for name in names:
            for inverse in self.pool.field_inverses[self._fields[name]]:
                self.env[inverse.model_name].invalidate_model([inverse.name])
        cache = self.env.cache
        for name in self._fields:
            field = self._fields[name]
            if not field.store or field.compute or field.type in X2MANY:
                continue
            if name in ("create_uid", "write_uid"):
                values = [uid] * len(lines)
            elif name in ("create_date", "write_date"):
                values = [now] * len(lines)
            elif name == "id":
                continue
            else:
                values = [
                    field.convert_to_cache(vals.get(name, False), lines, validate=False)
                    for vals in vals_list
                ]
            cache.update(lines, field, values)
        lines.modified(names, create=True)
        return lines

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
