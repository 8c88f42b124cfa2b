# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models

from .psy_access_refusal import psy_access_refusal, psy_has_access_refusals


class IrModelAccess(models.Model):
    _inherit = "ir.model.access"

    def _make_access_error(self, model, mode):
        """Health data say who may do what (``psy_access_refusal``)."""
        error = super()._make_access_error(model, mode)
        if model in self.env and psy_has_access_refusals(self.env[model]):
            return psy_access_refusal(self.env[model], mode)
        return error
