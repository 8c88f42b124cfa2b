from odoo import api, models


class PsySessionParticipant(models.Model):
    _inherit = "psy.session.participant"

    @api.model_create_multi
    def create(self, vals_list):
        # A participant added to a booked session must hold its consents too
        # when the center gates bookings (the session's own write checks the
        # participants it is created or changed with).
        participants = super().create(vals_list)
        participants.session_id.filtered(
            lambda s: s.state == "scheduled" and s.company_id.psy_consent_gate_booking
        )._check_consents(booking=True)
        return participants

    def write(self, vals):
        res = super().write(vals)
        if "patient_id" in vals:
            self.session_id.filtered(
                lambda s: s.state == "scheduled"
                and s.company_id.psy_consent_gate_booking
            )._check_consents(booking=True)
        return res
