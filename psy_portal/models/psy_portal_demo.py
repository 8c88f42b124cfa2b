# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, models
from odoo.exceptions import AccessError


class PsyPortalDemo(models.AbstractModel):
    """What the demo data of the module calls: kept out of the production
    models, and refused outside the superuser environment in which data files
    load."""

    _name = "psy.portal.demo"
    _description = "Demo data of the patient portal"

    @api.model
    def _portal_user(self, patient_xmlid, login):
        """Demo data (loaded as superuser, checked): a portal login for the
        contact of a demo patient (password = login), once."""
        if not self.env.su:
            raise AccessError(self.env._("Only demo data creates portal users."))
        Users = self.env["res.users"].with_context(
            no_reset_password=True, active_test=False
        )
        if Users.search_count([("login", "=", login)]):
            return False
        patient = self.env.ref(patient_xmlid)
        company = patient.company_id or self.env.ref("base.main_company")
        return Users.create(
            {
                "partner_id": patient.partner_id.id,
                "login": login,
                "password": login,
                "company_id": company.id,
                "company_ids": [(6, 0, company.ids)],
                "tz": "Europe/Madrid",
                "groups_id": [(6, 0, self.env.ref("base.group_portal").ids)],
            }
        ).id
