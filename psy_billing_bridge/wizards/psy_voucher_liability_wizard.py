from datetime import timedelta

from odoo import Command, api, fields, models


class PsyVoucherLiabilityWizard(models.TransientModel):
    _name = "psy.voucher.liability.wizard"
    _description = "Prepaid sessions liability at a date"
    _order = "id desc"

    date = fields.Date(
        string="At",
        required=True,
        default=fields.Date.context_today,
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        string="Center",
        required=True,
        default=lambda self: self.env.company,
    )
    line_ids = fields.One2many(
        comodel_name="psy.voucher.liability.line",
        inverse_name="wizard_id",
        readonly=True,
    )
    amount_total = fields.Monetary(
        string="Total liability",
        compute="_compute_amount_total",
        currency_field="currency_id",
    )
    currency_id = fields.Many2one(related="company_id.currency_id")

    @api.depends("line_ids.amount")
    def _compute_amount_total(self):
        for wizard in self:
            wizard.amount_total = sum(wizard.line_ids.mapped("amount"))

    def _compute_lines(self):
        """Sessions left per pack at the end of the day, and their value.

        Packs sold by a posted invoice carry the share of its price of the
        sessions left (what the account holding it says). Every other pack
        in use is listed too, so that nothing active is missing: a
        complimentary pack, and a pack activated without an invoice before
        packs were sold only through their invoice, are worth 0 (nobody
        prepaid them)."""
        self.ensure_one()
        Voucher = self.env["psy.voucher"]
        company = [("company_id", "=", self.company_id.id)]
        invoiced = Voucher.search(
            [
                *company,
                ("psy_invoice_id.state", "=", "posted"),
                ("psy_invoice_id.invoice_date", "<=", self.date),
            ]
        )
        others = Voucher.search(
            [
                *company,
                "|",
                ("psy_invoice_id", "=", False),
                ("psy_invoice_id.state", "!=", "posted"),
                ("state", "not in", ("draft", "cancelled")),
                ("start_date", "<=", self.date),
            ]
        )
        vouchers = invoiced | others
        end = fields.Datetime.to_datetime(self.date) + timedelta(days=1)
        moved = dict(
            self.env["psy.voucher.line"]
            .sudo()
            ._read_group(
                [("voucher_id", "in", vouchers.ids), ("date", "<", end)],
                ["voucher_id"],
                ["quantity:sum"],
            )
        )
        commands = []
        for voucher in vouchers:
            remaining = voucher.sessions_total + moved.get(voucher, 0)
            if remaining <= 0:
                continue
            if voucher in invoiced:
                billing = "invoiced"
                unit_value = voucher._psy_value(1)
                amount = voucher._psy_value(remaining)
            else:
                billing = "complimentary" if voucher.complimentary else "not_invoiced"
                unit_value = amount = 0.0
            commands.append(
                Command.create(
                    {
                        "voucher_id": voucher.id,
                        "remaining": remaining,
                        "billing": billing,
                        "unit_value": unit_value,
                        "amount": amount,
                    }
                )
            )
        self.line_ids = [Command.clear(), *commands]

    def action_open(self):
        self._compute_lines()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Prepaid sessions at %(date)s", date=self.date),
            "res_model": "psy.voucher.liability.line",
            "view_mode": "list,pivot",
            "domain": [("wizard_id", "=", self.id)],
        }
