# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError

# Billing fields of a participant, set by their attendance and invoices only.
PARTICIPANT_BILLING_FIELDS = {
    "psy_billable",
    "psy_invoice_state",
    "psy_invoice_line_ids",
}
# The session state a group participant's attendance is billed as.
BILLED_AS = {
    "present": "done",
    "late_cancelled": "late_cancelled",
    "no_show": "no_show",
}


class PsySessionParticipant(models.Model):
    """Each participant of a group session is billed on their own: to their
    payer, with their insurer's share when they are insured. Couple and
    family sessions are billed once, as a session."""

    _inherit = "psy.session.participant"

    psy_billable = fields.Boolean(
        string="Billable",
        compute="_compute_psy_billable",
        store=True,
        readonly=True,
        help="Group sessions: the participant's part is billed once the "
        "session is done and they attended, or as a fee for a late "
        "cancellation or a no-show when the center's policy says so.",
    )
    psy_invoice_line_ids = fields.One2many(
        comodel_name="account.move.line",
        inverse_name="psy_participant_id",
        string="Invoice lines",
        readonly=True,
    )
    psy_invoice_state = fields.Selection(
        selection=[
            ("none", "Nothing to invoice"),
            ("to_invoice", "To invoice"),
            ("invoiced", "Invoiced"),
            ("paid", "Paid"),
        ],
        string="Invoice status",
        compute="_compute_psy_invoice_state",
        store=True,
        index=True,
        readonly=True,
    )

    @api.model
    def _psy_guarded_fields(self):
        return super()._psy_guarded_fields() | PARTICIPANT_BILLING_FIELDS

    @api.model
    def _psy_guard_error(self, field_names):
        if not set(field_names) & PARTICIPANT_BILLING_FIELDS:
            return super()._psy_guard_error(field_names)
        return UserError(
            self.env._(
                "Whether a participant's part is billable, invoiced or paid "
                "follows their attendance and their invoices: it cannot be set "
                "by hand. Invoice the session, or issue a credit note of its "
                "invoice."
            )
        )

    def _psy_billed_as(self):
        """The session state this participant's part is billed as (done,
        late_cancelled, no_show), or ``False``: only participants of group
        sessions are billed on their own, and nothing of a session the
        center cancelled."""
        self.ensure_one()
        session = self.session_id
        if session.session_kind != "group" or session.state == "cancelled":
            return False
        state = BILLED_AS.get(self.attendance, False)
        if state == "done" and session.state != "done":
            # Present at a session not completed yet.
            return False
        return state

    # The policy in force when the attendance is recorded decides.
    @api.depends("attendance", "session_state", "session_id.session_kind", "voucher_id")
    def _compute_psy_billable(self):
        for participant in self:
            state = participant._psy_billed_as()
            voucher = participant.voucher_id
            company = participant.company_id
            if not state:
                participant.psy_billable = False
            elif voucher:
                participant.psy_billable = voucher.psy_approach == "session"
            else:
                participant.psy_billable = (
                    state == "done"
                    or (state == "late_cancelled" and company.psy_fee_late_cancel)
                    or (state == "no_show" and company.psy_fee_no_show)
                )

    @api.depends(
        "psy_billable",
        "psy_invoice_line_ids.parent_state",
        "psy_invoice_line_ids.move_id.move_type",
        "psy_invoice_line_ids.move_id.payment_state",
    )
    def _compute_psy_invoice_state(self):
        for participant in self:
            participant.psy_invoice_state = self.env[
                "psy.session"
            ]._psy_invoice_state_of(
                participant.psy_billable, participant.psy_invoice_line_ids
            )

    def _psy_payer_locked(self):
        return super()._psy_payer_locked() or self.psy_invoice_state in (
            "invoiced",
            "paid",
        )
