from odoo import api, fields, models
from odoo.exceptions import UserError


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    psy_session_id = fields.Many2one(
        comodel_name="psy.session",
        string="Session",
        index="btree_not_null",
        copy=True,
        ondelete="restrict",
    )
    psy_participant_id = fields.Many2one(
        comodel_name="psy.session.participant",
        string="Participant",
        index="btree_not_null",
        copy=True,
        ondelete="restrict",
        help="Participant of a group session whose part this line bills.",
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

    # The link to a pack movement says that the movement's value is posted:
    # only the billing bridge sets it (credit notes of refunds, deferred
    # revenue entries), as superuser. A line linked by hand would leave a
    # movement without its entry.
    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any(
            vals.get("psy_voucher_line_id") for vals in vals_list
        ):
            raise self._psy_movement_link_error()
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and "psy_voucher_line_id" in vals:
            raise self._psy_movement_link_error()
        return super().write(vals)

    def _psy_movement_link_error(self):
        return UserError(
            self.env._(
                "The pack movement of a journal item is set by the session packs "
                "themselves (their refunds and deferred revenue entries). Record "
                "the movement on the pack instead of linking it by hand."
            )
        )
