# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError


class PsyBillingDemo(models.AbstractModel):
    """What the demo data of the billing bridge calls, kept out of the
    production models. Data files load as superuser; nothing else may call
    these methods."""

    _name = "psy.billing.demo"
    _description = "Demo data of the billing bridge"

    @api.model
    def _in_center_language(self):
        """The demo documents are written in the language of the center (its
        invoice lines are stored text)."""
        lang = self.env.company.partner_id.lang
        if lang and self.env["res.lang"]._lang_get(lang):
            return self.with_context(lang=lang)
        return self

    @api.model
    def _check_demo_loader(self):
        if not self.env.su:
            raise AccessError(
                self.env._("Only the demo data of the center runs this step.")
            )

    @api.model
    def _ensure_chart(self, company_ids):
        """The demo invoices need a chart of accounts. Odoo loads it at the
        end of the installation that installs Accounting (the chart it
        chose when Accounting or the localization of the company's country,
        such as l10n_es, was installed); loading another one afterwards
        would delete the demo invoices. Load the chart Odoo chose now, and
        the generic chart for the companies still without one."""
        self._check_demo_loader()
        companies = self.env["res.company"].browse(company_ids)
        registry = self.env.registry
        pending = getattr(registry, "_auto_install_template", None)
        if pending and not self.env.company.chart_template:
            pending(self.env)
            del registry._auto_install_template
        for company in companies.filtered(lambda c: not c.chart_template):
            self.env["account.chart.template"].try_loading(
                "generic_coa", company=company, install_demo=False
            )

    @api.model
    def _tax_health_care(self):
        """Health care by psychologists is VAT-exempt: the session types and
        packs of the center carry its exempt tax (Settings > Billing, given
        by the Spanish chart with psy_billing_bridge_l10n_es), or no tax
        while the center has none, not the default sales tax of the chart."""
        self._check_demo_loader()
        company = self.env.company
        Template = self.env["product.template"]
        products = Template.with_context(active_test=False).search(
            [
                *Template._check_company_domain(company),
                "|",
                ("is_psy_session_type", "=", True),
                ("is_psy_voucher", "=", True),
            ]
        )
        products.taxes_id = company.psy_exempt_tax_id

    @api.model
    def _sell_packs(self, voucher_ids):
        """Sell the packs with posted invoices when the center has a sales
        journal (their payment is registered by :meth:`_invoice_sessions`)."""
        self._check_demo_loader()
        env = self._in_center_language().env
        journal = env["account.journal"]
        sellable = (
            env["psy.voucher"]
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
    def _history(self, plans, weeks_from=22, weeks_to=5):
        """Done sessions of the patients in treatment for months, every other
        week from ``weeks_from`` to ``weeks_to`` weeks ago, so that the demo
        invoices spread over the past months. ``plans``: list of (patient,
        session type, room or False, weekday, hour in UTC) xmlids and
        numbers; each patient keeps a slot of its own, before the agenda of
        the demo starts, so that nothing overlaps."""
        self._check_demo_loader()
        today = fields.Date.context_today(self)
        vals_list = []
        for patient_xmlid, product_xmlid, room_xmlid, weekday, hour in plans:
            patient = self.env.ref(patient_xmlid)
            product = self.env.ref(product_xmlid)
            room = self.env.ref(room_xmlid) if room_xmlid else False
            for weeks in range(weeks_from, weeks_to - 1, -2):
                day = today + relativedelta(weeks=-weeks, weekday=weekday)
                start = datetime.combine(day, time(hour))
                vals_list.append(
                    {
                        "patient_id": patient.id,
                        "professional_id": patient.professional_ids[:1].id,
                        "product_id": product.id,
                        "modality": "in_person" if room else "online",
                        "room_id": room and room.id,
                        "start": start,
                        "state": "done",
                        "done_date": start + timedelta(hours=1),
                    }
                )
        return self.env["psy.session"].create(vals_list)

    @api.model
    def _invoice_sessions(self):
        """Invoice the done and billable demo sessions of the centers that
        have a sales journal, one invoice per patient and month dated the
        last day of the month (today for the current month), post them and
        register their payment a week later: all of them but half of those
        of the last month, which stay open, and the pack invoices."""
        self._check_demo_loader()
        env = self._in_center_language().env
        sessions = env["psy.session"].search([("psy_invoice_state", "=", "to_invoice")])
        companies = sessions.company_id.filtered(
            lambda c: env["account.journal"].search_count(
                [("company_id", "=", c.id), ("type", "=", "sale")], limit=1
            )
        )
        sessions = sessions.filtered(lambda s: s.company_id in companies)
        today = fields.Date.context_today(self)
        moves = env["account.move"]
        by_month = sessions.grouped(lambda s: s.start.date().replace(day=1))
        for month, month_sessions in sorted(by_month.items()):
            invoice_date = min(month + relativedelta(months=1, days=-1), today)
            moves |= month_sessions._psy_create_invoices(
                "monthly", invoice_date=invoice_date, post=True
            )
        packs = env["account.move"].search(
            [
                ("invoice_line_ids.psy_voucher_id", "!=", False),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("payment_state", "=", "not_paid"),
            ]
        )
        recent = moves.filtered(
            lambda m: m.invoice_date > today - relativedelta(days=30)
        )
        to_pay = (moves - recent) | recent[: len(recent) // 2] | packs
        for invoice_date, invoices in to_pay.grouped("invoice_date").items():
            env["account.payment.register"].with_context(
                active_model="account.move", active_ids=invoices.ids
            ).create(
                {
                    "group_payment": False,
                    "payment_date": min(invoice_date + timedelta(days=7), today),
                }
            )._create_payments()
        return moves
