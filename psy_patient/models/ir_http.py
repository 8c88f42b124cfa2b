# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    def session_info(self):
        """Staff of the center land on the home of their role (the web client
        opens ``home_action_id`` when the address names no action), unless an
        administrator set another home action on the user."""
        info = super().session_info()
        if info.get("uid") and self.env.user._is_internal():
            info["home_action_id"] = self.env["psy.home"]._psy_home_action_id(
                self.env.user
            )
        return info
