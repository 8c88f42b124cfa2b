from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date


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
        sessions, skipped = self._sessions()._psy_skip_blocked(
            self.env._(
                "the invoicing of %(date)s",
                date=format_date(self.env, fields.Date.context_today(self)),
            )
        )
        moves = sessions._psy_create_invoices(
            self.grouping, invoice_date=self.invoice_date, post=self.post
        )
        if not moves:
            if skipped:
                raise UserError(
                    self.env._(
                        "No session was invoiced. Left out:\n%(lines)s",
                        lines="\n".join(f"- {reason}" for reason in skipped),
                    )
                )
            raise UserError(
                self.env._(
                    "No session of the period is waiting to be invoiced. Widen "
                    "the period or check the sessions' invoice status."
                )
            )
        action = moves._get_records_action(name=self.env._("Invoices"))
        if not skipped:
            return action
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Sessions left out of the invoicing"),
                "message": self.env._(
                    "Invoices created: %(count)s. Left out:\n%(lines)s",
                    count=len(moves),
                    lines="\n".join(f"- {reason}" for reason in skipped),
                ),
                "type": "warning",
                "sticky": True,
                "next": action,
            },
        }
