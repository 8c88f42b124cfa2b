# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models


class IrRule(models.Model):
    _inherit = "ir.rule"

    def _make_access_error(self, operation, records):
        """Health data say who may do what (``psy.access.refusal.mixin``)."""
        error = super()._make_access_error(operation, records)
        if hasattr(type(records), "_psy_access_refusal"):
            return records.browse()._psy_access_refusal(operation, records)
        return error
