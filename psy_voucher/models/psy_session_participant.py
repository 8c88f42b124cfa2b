# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError

# What each attendance of a group participant means for their pack: the
# session state it consumes as.
EVENT_OF_ATTENDANCE = {
    "present": "done",
    "late_cancelled": "late_cancelled",
    "no_show": "no_show",
}
CONSUMPTION_FIELDS = {"voucher_line_id", "voucher_id", "psy_pay_separately"}


class PsySessionParticipant(models.Model):
    """In a group session each participant consumes from their own pack,
    with their attendance: present consumes, a late cancellation or a
    no-show consumes when the pack's (or the center's) policy says so, back
    to expected gives the session back. Couple and family sessions consume
    once for the whole session (``psy.session``)."""

    _name = "psy.session.participant"
    _inherit = ["psy.session.participant", "psy.voucher.consumer.mixin"]

    voucher_line_id = fields.Many2one(
        comodel_name="psy.voucher.line",
        string="Pack consumption",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="restrict",
        help="Ledger line that took this participant's session from their pack "
        "(group sessions).",
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
        help="No pack of the participant covers this group session: it is "
        "invoiced on its own.",
    )
    payer_id = fields.Many2one(
        comodel_name="res.partner",
        compute="_compute_payer_id",
        store=True,
        readonly=False,
        precompute=True,
        index="btree_not_null",
        ondelete="restrict",
        help="Who pays this participant's part of a group session: the "
        "patient, a guardian or a third party.",
    )

    @api.depends("patient_id")
    def _compute_payer_id(self):
        for participant in self:
            participant.payer_id = participant.patient_id.partner_id

    @api.model
    def _psy_guarded_fields(self):
        """The participant's consumption is written by the attendance only."""
        return super()._psy_guarded_fields() | CONSUMPTION_FIELDS

    @api.model
    def _psy_guard_error(self, field_names):
        if set(field_names) <= CONSUMPTION_FIELDS:
            return UserError(
                self.env._(
                    "The pack that pays a participant of a group session is "
                    "chosen when their attendance is recorded (Present, "
                    "No-show, Cancel attendance) and given back with Reset "
                    "attendance. Use those buttons instead of changing it."
                )
            )
        return super()._psy_guard_error(field_names)

    def write(self, vals):
        if "payer_id" in vals:
            self._psy_check_payer_editable(vals["payer_id"])
        return super().write(vals)

    def _psy_write_attendance(self, vals):
        """A group participant's attendance moves their pack (once: the link
        to the consume line is the guard, as for a session)."""
        res = super()._psy_write_attendance(vals)
        if "attendance" in vals:
            self.filtered(
                lambda p: p.session_id.session_kind == "group"
            )._psy_voucher_apply_state()
        return res

    # ------------------------------------------------------------------
    # psy.voucher.consumer.mixin
    # ------------------------------------------------------------------

    def _psy_voucher_event(self):
        """Only group participants consume; a group session cancelled by
        the center takes nothing from anyone."""
        self.ensure_one()
        session = self.session_id
        if session.session_kind != "group" or session.state == "cancelled":
            return False
        return EVENT_OF_ATTENDANCE.get(self.attendance, False)

    def _psy_voucher_session(self):
        return self.session_id

    def _psy_voucher_consume_all(self):
        """The participants of a group session consume together: one locking
        selection finds each one's pack, one ledger call takes a session
        from each (a pack belongs to one patient, and a patient takes part
        once in a session)."""
        Voucher = self.env["psy.voucher"]
        for session in self.session_id:
            participants = self.filtered(lambda p, s=session: p.session_id == s)
            vouchers = Voucher._find_eligible_vouchers(session, participants.patient_id)
            company = session.company_id
            consuming = []
            for participant in participants:
                event = participant._psy_voucher_event()
                voucher = vouchers.get(participant.patient_id.id, Voucher)
                template = voucher.product_id.product_tmpl_id
                if voucher and template._psy_voucher_consumes(event, company):
                    consuming.append((participant, voucher))
                    continue
                pay = not voucher and company._psy_voucher_consumes(event)
                if participant.psy_pay_separately != pay:
                    participant.psy_pay_separately = pay
            if not consuming:
                continue
            lines = Voucher._record_lines(
                [
                    {
                        "voucher_id": voucher.id,
                        "type": "consume",
                        "quantity": -1,
                        "session_id": session.id,
                    }
                    for __, voucher in consuming
                ]
            )
            for (participant, __), line in zip(consuming, lines, strict=True):
                participant.write(
                    {"voucher_line_id": line.id, "psy_pay_separately": False}
                )

    def _psy_voucher_patient(self):
        return self.patient_id

    def _psy_payer_locked(self):
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
