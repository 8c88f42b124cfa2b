# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, models
from odoo.exceptions import AccessError


class PsyBillingDemo(models.AbstractModel):
    """What the demo data of the billing bridge calls, kept out of the
    production models. Data files load as superuser; nothing else may call
    these methods."""

    _name = "psy.billing.demo"
    _description = "Demo data of the billing bridge"

    @api.model
    def _check_demo_loader(self):
        if not self.env.su:
            raise AccessError(
                self.env._("Only the demo data of the center runs this step.")
            )

    @api.model
    def _ensure_chart(self, company_ids):
        """The demo invoices need a chart of accounts. When Odoo has not
        loaded one yet (it does so at the end of the installation that
        installs Accounting), load the generic chart it would load anyway."""
        self._check_demo_loader()
        companies = self.env["res.company"].browse(company_ids)
        for company in companies.filtered(lambda c: not c.chart_template):
            self.env["account.chart.template"].try_loading(
                "generic_coa", company=company, install_demo=False
            )

    @api.model
    def _sell_packs(self, voucher_ids):
        """Sell the packs with posted invoices when the center has a sales
        journal (their payment is registered by :meth:`_invoice_sessions`)."""
        self._check_demo_loader()
        journal = self.env["account.journal"]
        sellable = (
            self.env["psy.voucher"]
            .browse(voucher_ids)
            .filtered(
                lambda v: not v.psy_invoice_id
                and v.state == "draft"
                and journal.search_count(
                    [
                        *journal._check_company_domain(v.company_id),
                        ("type", "=", "sale"),
                    ],
                    limit=1,
                )
            )
        )
        if sellable:
            sellable._psy_create_invoices(post=True)

    @api.model
    def _invoice_sessions(self):
        """Invoice the done and billable demo sessions of the centers that
        have a sales journal, one invoice per patient and month, post them and
        register the payment of half of them and of the pack invoices."""
        self._check_demo_loader()
        sessions = self.env["psy.session"].search(
            [("psy_invoice_state", "=", "to_invoice")]
        )
        companies = sessions.company_id.filtered(
            lambda c: self.env["account.journal"].search_count(
                [("company_id", "=", c.id), ("type", "=", "sale")], limit=1
            )
        )
        sessions = sessions.filtered(lambda s: s.company_id in companies)
        moves = sessions._psy_create_invoices("monthly", post=True)
        packs = self.env["account.move"].search(
            [
                ("invoice_line_ids.psy_voucher_id", "!=", False),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("payment_state", "=", "not_paid"),
            ]
        )
        to_pay = moves[: len(moves) // 2] | packs
        if to_pay:
            self.env["account.payment.register"].with_context(
                active_model="account.move", active_ids=to_pay.ids
            ).create({"group_payment": False})._create_payments()
        return moves
