# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.psy_clinical_record import RISK_LEVELS, SECTION_FIELDS


class PsySessionNoteSign(models.TransientModel):
    """Signing the first note of a record whose required sections are
    empty: the dialog asks for them, writes them in the record (with the
    user's own rights on it) and signs the note, in one pass."""

    _name = "psy.session.note.sign"
    _description = "Complete the clinical record and sign the note"

    note_id = fields.Many2one(
        comodel_name="psy.session.note",
        string="Session note",
        required=True,
        readonly=True,
        ondelete="cascade",
    )
    patient_id = fields.Many2one(
        comodel_name="psy.patient", compute="_compute_missing_sections"
    )
    missing_sections = fields.Char(
        string="Sections to fill",
        compute="_compute_missing_sections",
        help="Technical names of the sections to fill, between commas.",
    )
    # The sections a center may require (see SECTION_FIELDS), as in the record.
    reason = fields.Text(string="Reason for consultation")
    symptoms = fields.Text(string="Current symptoms")
    symptoms_onset_date = fields.Date(string="Onset of symptoms")
    precipitating_events = fields.Text(string="Precipitating events")
    history_illnesses = fields.Text(string="Illnesses")
    history_surgeries = fields.Text(string="Surgeries")
    history_medication = fields.Text(string="Medication")
    history_traumas = fields.Text(string="Traumas")
    family_history = fields.Text(string="Family history")
    habits_sleep = fields.Text(string="Sleep")
    habits_eating = fields.Text(string="Eating")
    habits_substances = fields.Text(string="Substance use")
    social_situation = fields.Text(string="Social situation")
    occupational_situation = fields.Text(string="Occupational situation")
    risk_level = fields.Selection(selection=RISK_LEVELS, string="Risk level")

    @api.depends("note_id")
    def _compute_missing_sections(self):
        for wizard in self:
            note = wizard.note_id
            names = note._psy_first_note_missing_sections() if note else []
            wizard.missing_sections = "," + ",".join(names) + "," if names else False
            wizard.patient_id = note.patient_id

    def action_open_record(self):
        """Open the whole record instead (the note stays a draft)."""
        self.ensure_one()
        record = self.note_id._psy_readable_record()
        if not record:
            raise UserError(
                self.env._(
                    "You cannot read the clinical record of %(note)s: ask the "
                    "psychologist of the patient to fill its sections.",
                    note=self.note_id.display_name,
                )
            )
        return record.action_open_sections()

    def action_fill_and_sign(self):
        """Write the sections in the record, as the user (the record's access
        rules, guards and audit apply), then sign the note."""
        self.ensure_one()
        note = self.note_id
        note._check_can_sign(sections=False)
        record = note._psy_readable_record()
        if not record:
            raise UserError(
                self.env._(
                    "You cannot read the clinical record of %(note)s: ask the "
                    "psychologist of the patient to fill its sections.",
                    note=note.display_name,
                )
            )
        names = note._psy_first_note_missing_sections()
        vals = {name: self[name] for name in names if name in SECTION_FIELDS}
        empty = [name for name, value in vals.items() if not value]
        if empty:
            raise UserError(
                self.env._(
                    "Fill these sections before signing: %(sections)s.",
                    sections=", ".join(record._psy_section_labels(empty)),
                )
            )
        if vals:
            record.write(vals)
        note._check_can_sign()
        note._action_sign()
        return {"type": "ir.actions.act_window_close"}
