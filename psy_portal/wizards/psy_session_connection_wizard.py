# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models

from ..models.psy_session import FALLBACKS


class PsySessionConnectionWizard(models.TransientModel):
    _name = "psy.session.connection.wizard"
    _description = "Connection failure of an online session"

    session_id = fields.Many2one(
        comodel_name="psy.session", required=True, ondelete="cascade"
    )
    fallback = fields.Selection(
        selection=FALLBACKS, required=True, default="reschedule"
    )
    note = fields.Text()

    def action_confirm(self):
        self.ensure_one()
        self.session_id._psy_record_connection_failed(self.fallback, self.note)
        return {"type": "ir.actions.act_window_close"}
