from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError


class PsySessionInvoiceWizard(models.TransientModel):
    _name = "psy.session.invoice.wizard"
    _description = "Invoice sessions"
    _order = "id desc"

    grouping = fields.Selection(
        selection=[
            ("session", "One invoice per session"),
            ("monthly", "One invoice per patient and month"),
        ],
        required=True,
        default="monthly",
    )
    date_from = fields.Date(
        string="Sessions from",
        required=True,
        default=lambda self: self._default_date_from(),
    )
    date_to = fields.Date(
        string="Sessions to",
        required=True,
        default=lambda self: self._default_date_from()
        + relativedelta(months=1, days=-1),
    )
    session_ids = fields.Many2many(
        comodel_name="psy.session",
        string="Selected sessions",
        help="Left empty, every session of the period waiting to be invoiced is "
        "invoiced.",
    )
    invoice_date = fields.Date(default=fields.Date.context_today)
    post = fields.Boolean(
        string="Post the invoices",
        help="Post them at once instead of leaving them as drafts for review.",
    )

    @api.model
    def _default_date_from(self):
        return fields.Date.context_today(self).replace(day=1) - relativedelta(months=1)

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        if self.env.context.get("active_model") == "psy.session":
            res["session_ids"] = [(6, 0, self.env.context.get("active_ids", []))]
        return res

    def _sessions(self):
        self.ensure_one()
        if self.session_ids:
            return self.session_ids.filtered(
                lambda s: s.psy_invoice_state == "to_invoice"
            )
        return self.env["psy.session"].search(
            [
                ("psy_invoice_state", "=", "to_invoice"),
                ("start", ">=", fields.Datetime.to_datetime(self.date_from)),
                (
                    "start",
                    "<",
                    fields.Datetime.to_datetime(self.date_to + relativedelta(days=1)),
                ),
            ]
        )

    def action_create_invoices(self):
        self.ensure_one()
        if self.date_to < self.date_from:
            raise UserError(
                self.env._(
                    "The period ends before it starts. Set an end date after "
                    "the start date."
                )
            )
        moves = self._sessions()._psy_create_invoices(
            self.grouping, invoice_date=self.invoice_date, post=self.post
        )
        if not moves:
            raise UserError(
                self.env._(
                    "No session of the period is waiting to be invoiced. Widen "
                    "the period or check the sessions' invoice status."
                )
            )
        return moves._get_records_action(name=self.env._("Invoices"))
