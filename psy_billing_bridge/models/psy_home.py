# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, models
from odoo.tools.misc import format_amount


class PsyHome(models.AbstractModel):
    _inherit = "psy.home"

    @api.model
    def _psy_home_tiles(self, home):
        tiles = super()._psy_home_tiles(home)
        if home == "front_desk":
            tiles.append(
                {
                    "key": "psy_billing_bridge.to_collect",
                    "sequence": 20,
                    "title": self.env._("Sessions to collect"),
                    "help": self.env._(
                        "Done sessions not paid yet (not covered by a pack)."
                    ),
                    "model": "psy.session",
                    "domain": [
                        ("state", "=", "done"),
                        ("psy_invoice_state", "in", ("to_invoice", "invoiced")),
                    ],
                    "action": "psy_billing_bridge.psy_session_action_to_invoice",
                    "context": {"search_default_groupby_patient": 1},
                    "level": "warning",
                }
            )
        elif home == "accountant":
            tiles += self._psy_home_billing_accountant_tiles()
        return tiles

    @api.model
    def _psy_home_billing_accountant_tiles(self):
        company = self.env.company
        prepaid = [
            ("company_id", "=", company.id),
            ("state", "=", "active"),
            ("remaining", ">", 0),
            ("psy_invoice_id.state", "=", "posted"),
        ]
        return [
            {
                "key": "psy_billing_bridge.prepaid_liability",
                "sequence": 10,
                "title": self.env._("Prepaid liability"),
                "help": self.env._(
                    "Sessions paid in advance by packs of %(center)s and not "
                    "used yet, at their pack price (Reporting > Prepaid sessions "
                    "at a date for another day).",
                    center=company.name,
                ),
                "model": "psy.voucher",
                "domain": prepaid,
                "value": self._psy_home_prepaid_liability(prepaid),
                "action": "psy_billing_bridge.psy_voucher_action_billing",
                "level": "info",
            },
            {
                "key": "psy_billing_bridge.to_invoice",
                "sequence": 20,
                "title": self.env._("Done, not invoiced"),
                "help": self.env._(
                    "Done sessions, and billable late cancellations and "
                    "no-shows, waiting for their invoice."
                ),
                "model": "psy.session",
                "domain": [("psy_invoice_state", "=", "to_invoice")],
                "action": "psy_billing_bridge.psy_session_action_to_invoice",
                "context": {"search_default_groupby_patient": 1},
                "level": "warning",
            },
            {
                "key": "psy_billing_bridge.unpaid",
                "sequence": 30,
                "title": self.env._("Unpaid invoices"),
                "help": self.env._("Posted customer invoices not fully paid."),
                "model": "account.move",
                "domain": [
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                    ("payment_state", "in", ("not_paid", "partial")),
                ],
                "action": "account.action_move_out_invoice_type",
                "level": "warning",
            },
        ]

    @api.model
    def _psy_home_prepaid_liability(self, domain):
        """What the packs of ``domain`` are worth in sessions left, formatted
        in the center's currency, under the user's own rights."""
        if not self.env["psy.voucher"].has_access("read"):
            return ""
        vouchers = self.env["psy.voucher"].search(domain)
        amount = sum(voucher._psy_value(voucher.remaining) for voucher in vouchers)
        return format_amount(self.env, amount, self.env.company.currency_id)
