from odoo import models
from odoo.exceptions import UserError


class PsySession(models.Model):
    _inherit = "psy.session"

    def action_open_clinical_note(self):
        """Open the note of this completed session, creating the patient's
        clinical record first when it has none."""
        self.ensure_one()
        if self.state != "done":
            raise UserError(
                self.env._("Mark the session as done before writing its note.")
            )
        note = self.env["psy.session.note"].search(
            [("session_id", "=", self.id)], limit=1
        )
        action = {
            "type": "ir.actions.act_window",
            "name": self.env._("Session note"),
            "res_model": "psy.session.note",
            "view_mode": "form",
        }
        if note:
            action["res_id"] = note.id
            return action
        record = self.patient_id._psy_clinical_record()
        if not record:
            record = self.env["psy.clinical.record"].create(
                {"patient_id": self.patient_id.id}
            )
        action["context"] = {
            "default_record_id": record.id,
            "default_session_id": self.id,
        }
        return action
