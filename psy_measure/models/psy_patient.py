from odoo import models


class PsyPatient(models.Model):
    _inherit = "psy.patient"

    def _psy_measure_recipients(self):
        """Who answers the instruments of this patient: the guardians of a
        minor (those with an e-mail), else the patient."""
        self.ensure_one()
        if self.is_minor and self.guardian_ids:
            return self.guardian_ids.partner_id.filtered("email")
        return self.partner_id.filtered("email")
