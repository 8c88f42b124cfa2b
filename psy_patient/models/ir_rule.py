# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models

from .psy_access_refusal import psy_access_refusal, psy_has_access_refusals


class IrRule(models.Model):
    _inherit = "ir.rule"

    def _make_access_error(self, operation, records):
        """Health data say who may do what (``psy_access_refusal``)."""
        error = super()._make_access_error(operation, records)
        if psy_has_access_refusals(records):
            return psy_access_refusal(records.browse(), operation, records)
        return error
