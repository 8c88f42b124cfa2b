# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models


class IrModelAccess(models.Model):
    _inherit = "ir.model.access"

    def _make_access_error(self, model, mode):
        """Health data say who may do what (``psy.access.refusal.mixin``)."""
        error = super()._make_access_error(model, mode)
        if model in self.env and hasattr(type(self.env[model]), "_psy_access_refusal"):
            return self.env[model]._psy_access_refusal(mode)
        return error
