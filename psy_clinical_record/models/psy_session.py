from odoo import api, fields, models
from odoo.exceptions import UserError


class PsySession(models.Model):
    _inherit = "psy.session"

    psy_note_ids = fields.One2many(
        comodel_name="psy.session.note",
        inverse_name="session_id",
        string="Session notes",
        readonly=True,
        groups="psy_patient.group_psy_psychologist",
    )
    closeout_note_missing = fields.Boolean(
        string="Note to sign",
        compute="_compute_closeout_note_missing",
        store=True,
        readonly=True,
        help="The session is done and its note is not written or not signed.",
    )

    # ------------------------------------------------------------------
    # Close-out: a done session needs its signed note
    # ------------------------------------------------------------------

    @api.model
    def _psy_guarded_fields(self):
        """The notes are written from the note itself (Session note
        button), never through the session."""
        return super()._psy_guarded_fields() | {"psy_note_ids"}

    @api.model
    def _psy_guard_error(self, field_names):
        if set(field_names) == {"psy_note_ids"}:
            return UserError(
                self.env._(
                    "The note of a session is written and signed from its "
                    "Session note button, not changed from the session."
                )
            )
        return super()._psy_guard_error(field_names)

    @api.model
    def _psy_closeout_flags(self):
        return [*super()._psy_closeout_flags(), "closeout_note_missing"]

    def _psy_closeout_labels(self):
        return {
            **super()._psy_closeout_labels(),
            "closeout_note_missing": self.env._("signed note"),
        }

    # Computed as superuser (a stored field): the front desk reads whether
    # the note is signed, never the note.
    @api.depends("state", "psy_note_ids.state")
    def _compute_closeout_note_missing(self):
        for session in self:
            session.closeout_note_missing = session.state == "done" and not any(
                note.state == "signed" for note in session.psy_note_ids
            )

    def _psy_invoice_blockers(self):
        """A center that requires a signed note before invoicing keeps the
        done sessions whose note is not signed out of every invoice."""
        blockers = super()._psy_invoice_blockers()
        for session in self.filtered(
            lambda s: s.closeout_note_missing
            and s.company_id.psy_invoice_requires_signed_note
        ):
            blockers[session] = self.env._(
                "the session of %(who)s on %(date)s has no signed note, and "
                "%(center)s requires one before a session is invoiced: "
                "%(professional)s signs it first.",
                who=session.participants_label,
                date=session._psy_format_datetime(session.start),
                center=session.company_id.name,
                professional=session.professional_id.name,
            )
        return blockers

    def write(self, vals):
        # A session with a clinical note stays with its patient, whoever
        # writes and whatever the context: the note (and its signature) is
        # about this patient.
        if "patient_id" in vals:
            self._psy_check_patient_kept(vals["patient_id"])
        return super().write(vals)

    def _psy_check_patient_kept(self, patient_id):
        moved = self.filtered(lambda s: s.patient_id.id != (patient_id or False))
        if not moved:
            return
        moved.check_access("write")
        # Whether a note exists is read as superuser (the front desk cannot
        # read notes); nothing of the note is shown.
        noted = (
            self.env["psy.session.note"]
            .sudo()
            .search_count([("session_id", "in", moved.ids)], limit=1)
        )
        if noted:
            raise UserError(
                self.env._(
                    "This session has a clinical note about %(patient)s: its "
                    "patient cannot change. Book a new session for the other "
                    "patient instead.",
                    patient=moved[0].patient_id.name,
                )
            )

    def _psy_note_record(self):
        """The clinical record that keeps the note of this session, created
        when it has none: the patient's for an individual session; for a
        couple, family or group session, the record of the first participant
        who attended and whose record the user may open."""
        self.ensure_one()
        Record = self.env["psy.clinical.record"]
        if self.session_kind in (False, "individual"):
            patients = self.patient_id
        else:
            patients = self.participant_ids.filtered(
                lambda p: p.attendance == "present"
            ).patient_id
            if not patients:
                raise UserError(
                    self.env._(
                        "Nobody attended the session of %(who)s: there is no "
                        "participant to write a shared note about.",
                        who=self._psy_who(),
                    )
                )
            readable = Record.search([("patient_id", "in", patients.ids)])
            for patient in patients:
                record = readable.filtered(lambda r, p=patient: r.patient_id == p)
                if record:
                    return record[:1]
            openable = patients.filtered(lambda p: p._psy_may_open_clinical_record())
            if not openable and self.professional_id == self.env.user:
                return self._psy_note_record_of_attendee(patients)
            patients = openable[:1] or patients[:1]
        record = patients._psy_clinical_record()
        if not record:
            # Refuses with a message saying who can when the user may not.
            record = Record.create({"patient_id": patients.id})
        return record

    def _psy_note_record_of_attendee(self, patients):
        """For the professional of a joint session who treats none of the
        ``patients`` who attended (e.g. who runs a group): the existing
        record of the first of them, to keep the shared note in. Checked
        first: the caller is the session's professional and the patients
        attended it; the records are looked up as superuser and only the one
        that keeps the note is returned (its content stays unreadable)."""
        self.ensure_one()
        attended = self.participant_ids.filtered(
            lambda p: p.attendance == "present"
        ).patient_id
        if self.professional_id != self.env.user or patients - attended:
            raise UserError(
                self.env._(
                    "Only %(professional)s, who ran the session, writes its "
                    "shared note.",
                    professional=self.professional_id.name,
                )
            )
        records = (
            self.env["psy.clinical.record"]
            .sudo()
            .search([("patient_id", "in", patients.ids)])
        )
        for patient in patients:
            record = records.filtered(lambda r, p=patient: r.patient_id == p)
            if record:
                return record[:1].sudo(False)
        raise UserError(
            self.env._(
                "None of the participants who attended the session of %(who)s "
                "has a clinical record yet, and you are not the psychologist "
                "of any of them: ask the psychologist of one of them to open "
                "the record, then write the shared note.",
                who=self._psy_who(),
            )
        )

    def psy_agenda_actions(self):
        """Open the note of a done session from the agenda: the psychologists."""
        actions = super().psy_agenda_actions()
        if self.state == "done" and self.env.user.has_group(
            "psy_patient.group_psy_psychologist"
        ):
            actions.append(
                {
                    "name": "action_open_clinical_note",
                    "label": self.env._("Open the note"),
                    "confirm": False,
                    "primary": True,
                }
            )
        return actions

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
        record = self._psy_note_record()
        action["context"] = {
            "default_record_id": record.id,
            "default_session_id": self.id,
        }
        return action
