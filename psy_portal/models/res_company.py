# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    psy_portal_join_minutes = fields.Integer(
        string="Join online sessions from",
        default=10,
        help="Minutes before the start of an online session from which the "
        "patient sees the Join button on the portal.",
    )

    _sql_constraints = [
        (
            "psy_portal_join_minutes_positive",
            "CHECK(psy_portal_join_minutes >= 0)",
            "The minutes before an online session when patients may join "
            "cannot be negative.",
        ),
    ]
