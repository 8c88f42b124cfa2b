# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.osv import expression

# Days ahead a pack counts as expiring soon when its center sends no
# expiry reminder (Settings > Psychology > Pack expiry reminder).
EXPIRING_DAYS = 30


class PsyHome(models.AbstractModel):
    _inherit = "psy.home"

    @api.model
    def _psy_home_tiles(self, home):
        tiles = super()._psy_home_tiles(home)
        if home == "front_desk":
            today = self._psy_home_today()
            # Each center warns its patients so many days before expiry.
            expiring = expression.OR(
                [
                    [
                        ("company_id", "=", company.id),
                        (
                            "expiry_date",
                            "<=",
                            fields.Date.add(
                                today,
                                days=company.psy_voucher_reminder_days or EXPIRING_DAYS,
                            ),
                        ),
                    ]
                    for company in self.env.companies
                ]
            )
            tiles.append(
                {
                    "key": "psy_voucher.expiring",
                    "sequence": 30,
                    "title": self.env._("Packs expiring soon"),
                    "help": self.env._(
                        "Active packs with sessions left that expire before the "
                        "patient's reminder period ends: offer to book them."
                    ),
                    "model": "psy.voucher",
                    "domain": expression.AND(
                        [
                            [
                                ("state", "=", "active"),
                                ("remaining", ">", 0),
                                ("expiry_date", ">=", today),
                            ],
                            expiring,
                        ]
                    ),
                    "action": "psy_voucher.psy_voucher_action",
                    "level": "warning",
                }
            )
        return tiles
