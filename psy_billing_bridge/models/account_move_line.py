from odoo import fields, models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    psy_session_id = fields.Many2one(
        comodel_name="psy.session",
        string="Session",
        index="btree_not_null",
        copy=True,
        ondelete="restrict",
    )
    psy_voucher_id = fields.Many2one(
        comodel_name="psy.voucher",
        string="Session pack",
        index="btree_not_null",
        copy=True,
        ondelete="restrict",
    )
    psy_voucher_line_id = fields.Many2one(
        comodel_name="psy.voucher.line",
        string="Pack movement",
        index="btree_not_null",
        copy=False,
        ondelete="restrict",
        help="Ledger line of the pack that caused this journal item.",
    )
    psy_share = fields.Selection(
        selection=[
            ("patient", "Patient"),
            ("insurer", "Insurer"),
            ("fee", "Cancellation fee"),
            ("pack", "Session pack"),
            ("advance", "Advance deducted"),
        ],
        string="Billed share",
        copy=True,
    )
