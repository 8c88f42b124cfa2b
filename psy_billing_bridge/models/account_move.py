from odoo import api, fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    psy_patient_id = fields.Many2one(
        comodel_name="psy.patient",
        string="Patient",
        index="btree_not_null",
        readonly=True,
        copy=True,
        ondelete="restrict",
        help="Patient whose sessions or packs are invoiced.",
    )
    # Snapshots taken when the invoice is made: an issued invoice keeps the
    # identity it was issued with, and billing staff, who cannot open patient
    # files, still print it.
    psy_patient_partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Patient contact",
        readonly=True,
        copy=True,
    )
    psy_patient_national_id = fields.Char(
        string="Patient ID number",
        readonly=True,
        copy=True,
    )
    psy_insurance_number = fields.Char(
        string="Policy number",
        readonly=True,
        copy=True,
    )
    psy_session_ids = fields.Many2many(
        comodel_name="psy.session",
        string="Sessions",
        compute="_compute_psy_session_ids",
    )
    psy_professional_ids = fields.Many2many(
        comodel_name="res.users",
        string="Professionals",
        compute="_compute_psy_session_ids",
    )
    psy_exempt_note = fields.Text(
        string="Exemption note",
        compute="_compute_psy_exempt_note",
    )

    @api.depends("invoice_line_ids.psy_session_id")
    def _compute_psy_session_ids(self):
        for move in self:
            sessions = move.invoice_line_ids.psy_session_id
            move.psy_session_ids = sessions
            move.psy_professional_ids = sessions.professional_id

    @api.depends("invoice_line_ids.tax_ids", "company_id.psy_exempt_tax_id")
    def _compute_psy_exempt_note(self):
        for move in self:
            tax = move.company_id.psy_exempt_tax_id
            uses_tax = tax and tax in move.invoice_line_ids.tax_ids
            move.psy_exempt_note = (
                move.company_id.psy_exempt_note if uses_tax else False
            )

    def action_psy_open_sessions(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Sessions"),
            "res_model": "psy.session",
            "view_mode": "list,form",
            "domain": [("id", "in", self.psy_session_ids.ids)],
        }

    # ------------------------------------------------------------------
    # Session packs sold by invoice
    # ------------------------------------------------------------------

    def _psy_sold_vouchers(self):
        return (
            self.filtered(lambda m: m.move_type == "out_invoice")
            .sudo()
            .invoice_line_ids.psy_voucher_id.filtered(
                lambda v: v.psy_invoice_id.id in self.ids
            )
        )

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        vouchers = posted._psy_sold_vouchers().filtered(
            lambda v: v.company_id.psy_voucher_activation == "posted"
        )
        vouchers._psy_activate_from_invoice()
        return posted

    def _invoice_paid_hook(self):
        res = super()._invoice_paid_hook()
        self._psy_sold_vouchers()._psy_activate_from_invoice()
        return res

    def _psy_cancel_vouchers(self):
        for move in self:
            vouchers = move._psy_sold_vouchers()
            if vouchers:
                vouchers._psy_cancel_from_invoice(move)

    def button_draft(self):
        for move in self.filtered(lambda m: m.state == "posted"):
            move._psy_sold_vouchers()._psy_check_unused(move)
        return super().button_draft()

    def button_cancel(self):
        self._psy_cancel_vouchers()
        return super().button_cancel()

    def _reverse_moves(self, default_values_list=None, cancel=False):
        self._psy_cancel_vouchers()
        return super()._reverse_moves(
            default_values_list=default_values_list, cancel=cancel
        )
