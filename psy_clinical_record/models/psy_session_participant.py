from odoo import api, models
from odoo.exceptions import UserError

# Attendances that take a participant out of the session.
ABSENT = ("cancelled", "late_cancelled", "no_show")


class PsySessionParticipant(models.Model):
    _inherit = "psy.session.participant"

    @api.model
    def _psy_noted_sessions(self, sessions):
        """The notes of ``sessions``, looked up as superuser (the front desk
        cannot read notes) for sessions the caller may change; nothing of
        the notes is shown."""
        sessions.check_access("read")
        return (
            self.env["psy.session.note"]
            .sudo()
            .search([("session_id", "in", sessions.ids)])
        )

    def _psy_check_no_note(self, sessions):
        notes = self._psy_noted_sessions(sessions)
        if notes:
            raise UserError(
                self.env._(
                    "The session of %(date)s has a clinical note about its "
                    "participants: who took part can no longer change. Book a "
                    "new session for other patients instead.",
                    date=notes[0].session_id._psy_format_datetime(
                        notes[0].session_id.start
                    ),
                )
            )

    # Whoever writes (superuser included) and whatever the context: a note,
    # and its signature, are about the participants of the session.
    @api.model_create_multi
    def create(self, vals_list):
        session_ids = {vals.get("session_id") for vals in vals_list} - {False, None}
        if session_ids:
            self._psy_check_no_note(self.env["psy.session"].browse(session_ids))
        return super().create(vals_list)

    def write(self, vals):
        if {"patient_id", "session_id"} & set(vals):
            self._psy_check_no_note(self.session_id)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_noted(self):
        self._psy_check_no_note(self.session_id)

    def _psy_write_attendance(self, vals):
        """A participant a note is about attended: they cannot be marked
        absent or cancelled afterwards."""
        if vals.get("attendance") in ABSENT:
            notes = self._psy_noted_sessions(self.session_id)
            for participant in self:
                note = notes.filtered(
                    lambda n, p=participant: n.session_id == p.session_id
                    and p.patient_id in n.patient_ids
                )
                if note:
                    raise UserError(
                        self.env._(
                            "The note of the session of %(date)s is about "
                            "%(patient)s, who attended: the attendance cannot "
                            "change to absent or cancelled.",
                            date=participant.session_id._psy_format_datetime(
                                participant.session_id.start
                            ),
                            patient=participant.patient_id.name,
                        )
                    )
        return super()._psy_write_attendance(vals)
