# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class PsySessionChecklistWizard(models.TransientModel):
    _name = "psy.session.checklist.wizard"
    _description = "Pre-session checklist of an online session"

    session_id = fields.Many2one(
        comodel_name="psy.session", required=True, ondelete="cascade"
    )
    identity_ok = fields.Boolean(string="Patient identity confirmed")
    location = fields.Char(
        string="Where the patient is",
        help="Address or place of the patient during the session.",
    )
    emergency_ok = fields.Boolean(string="Emergency contact at hand")
    private_ok = fields.Boolean(string="The patient is in a private space")

    def action_confirm(self):
        self.ensure_one()
        self.session_id._psy_record_checklist(
            self.identity_ok, self.location, self.emergency_ok, self.private_ok
        )
        return {"type": "ir.actions.act_window_close"}
