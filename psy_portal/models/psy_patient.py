# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, models


class PsyPatient(models.Model):
    _inherit = "psy.patient"

    @api.model
    def _psy_portal_patients(self):
        """The patients whose portal the current user opens: themselves (their
        contact is the patient's) and the patients they are a guardian of.

        Portal users cannot read patient files: this returns the records as
        superuser, checked by identity only (the user's own contact), for
        their names on the portal pages. Nothing else is read from them."""
        user = self.env.user
        if user._is_public():
            return self.browse()
        partner = user.partner_id
        return (
            self.sudo()
            .with_context(active_test=False)
            .search(
                [
                    "|",
                    ("partner_id", "=", partner.id),
                    ("guardian_ids.partner_id", "=", partner.id),
                ]
            )
        )
