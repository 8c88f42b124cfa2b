import hashlib
import json
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import RedirectWarning, UserError, ValidationError

from odoo.addons.psy_patient.models.psy_guarded_mixin import module_uninstalling

from .psy_clinical_record import SECTION_FIELDS
from .psy_clinical_refusals import psy_clinical_refusals
from .psy_note_template import NOTE_FORMATS

# Content of a note, in the order of the canonical form that is hashed.
CONTENT_FIELDS = (
    "subjective",
    "objective",
    "data",
    "behavior",
    "intervention",
    "response",
    "assessment",
    "plan",
    "free_text",
)

# Set by the Sign button (and the reminder job) only.
SIGNATURE_FIELDS = frozenset(
    {"state", "signed_by_id", "signed_date", "content_hash", "overdue_flagged"}
)
# Follow the record, the session and the template; never written directly.
DERIVED_FIELDS = frozenset(
    {"patient_id", "company_id", "session_date", "note_format"}
    | {"patient_ids", "is_shared"}
)
# Attendances of the participants a shared note is about (``expected`` while
# a reopened session waits to be completed again).
ATTENDING = ("expected", "present")


def without_guarded_defaults(model):
    """``model`` without the defaults of its guarded fields in the context.

    The guard checks the values sent to ``create``; a default sent in the
    context (``default_state``, ``default_patient_ids``...) is added after
    it, so such defaults are dropped, whoever creates."""
    guarded = {f"default_{name}" for name in model._psy_guarded_fields()}
    if not guarded & set(model.env.context):
        return model
    # Replacing the context is the point: the keys must be gone, not False.
    # pylint: disable-next=context-overridden
    return model.with_context(
        {key: value for key, value in model.env.context.items() if key not in guarded}
    )


def sha256_of(payload):
    return hashlib.sha256(
        json.dumps(
            payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")
        ).encode("utf-8")
    ).hexdigest()


class PsySessionNote(models.Model):
    _name = "psy.session.note"
    _description = "Session note"
    _inherit = [
        "psy.clinical.audit.mixin",
        "psy.guarded.mixin",
    ]
    _order = "session_date desc, id desc"
    _check_company_auto = True

    record_id = fields.Many2one(
        comodel_name="psy.clinical.record",
        string="Clinical record",
        required=True,
        index=True,
        ondelete="restrict",
    )
    patient_id = fields.Many2one(related="record_id.patient_id", store=True, index=True)
    company_id = fields.Many2one(
        related="record_id.company_id", store=True, index=True, string="Center"
    )
    session_id = fields.Many2one(
        comodel_name="psy.session",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
        domain="[('patient_ids', 'in', patient_id), ('state', '=', 'done')]",
    )
    session_kind = fields.Selection(related="session_id.session_kind")
    is_shared = fields.Boolean(
        string="Shared note",
        compute="_compute_participants",
        store=True,
        index=True,
        help="Note of a couple, family or group session: read by the "
        "professionals of any of its participants and part of the copy of "
        "each of them.",
    )
    patient_ids = fields.Many2many(
        comodel_name="psy.patient",
        relation="psy_session_note_patient_rel",
        column1="note_id",
        column2="patient_id",
        string="Participants",
        compute="_compute_participants",
        store=True,
        help="The patients the note is about: the patient of an individual "
        "session; the participants who attended a joint session (kept as "
        "they were when the note was signed).",
    )
    session_date = fields.Datetime(
        related="session_id.start", store=True, string="Session date"
    )
    professional_id = fields.Many2one(
        comodel_name="res.users",
        required=True,
        ondelete="restrict",
        compute="_compute_professional_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    template_id = fields.Many2one(
        comodel_name="psy.note.template",
        required=True,
        ondelete="restrict",
        default=lambda self: self.env["psy.note.template"].search([], limit=1),
    )
    # The format the note was written in: taken from the template when the
    # template is chosen, and kept when the template is edited later (it is
    # part of what a signature covers).
    note_format = fields.Selection(
        selection=NOTE_FORMATS,
        string="Format",
        compute="_compute_note_format",
        store=True,
        precompute=True,
    )
    guidance = fields.Text(related="template_id.guidance")
    subjective = fields.Text(help="What the patient reports.")
    objective = fields.Text(help="What the professional observes.")
    data = fields.Text(help="What was said and observed in the session.")
    behavior = fields.Text(help="Behaviour and presentation of the patient.")
    intervention = fields.Text(help="What the professional did.")
    response = fields.Text(help="How the patient responded.")
    assessment = fields.Text(help="The professional's assessment.")
    plan = fields.Text(help="Next steps, tasks and next session.")
    free_text = fields.Text(string="Note")
    state = fields.Selection(
        selection=[("draft", "Draft"), ("signed", "Signed")],
        string="Status",
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        index=True,
    )
    signed_by_id = fields.Many2one(
        comodel_name="res.users", string="Signed by", readonly=True, copy=False
    )
    signed_date = fields.Datetime(string="Signed on", readonly=True, copy=False)
    content_hash = fields.Char(
        string="SHA-256",
        readonly=True,
        copy=False,
        help="Fingerprint of the content at signature: any later change of "
        "the stored content would no longer match it.",
    )
    hash_valid = fields.Boolean(
        string="Content matches signature", compute="_compute_hash_valid"
    )
    addendum_ids = fields.One2many(
        comodel_name="psy.session.note.addendum",
        inverse_name="note_id",
        string="Addenda",
    )
    psy_missing_sections = fields.Char(
        string="Record sections to fill",
        compute="_compute_psy_missing_sections",
        help="Sections of the clinical record the center requires before the "
        "first note is signed and that are still empty: signing asks for them.",
    )
    overdue_flagged = fields.Boolean(
        readonly=True,
        copy=False,
        help="The professional was asked to sign this note.",
    )

    _sql_constraints = [
        (
            "session_unique",
            "UNIQUE(session_id)",
            "A session has one note: open it to complete it, or add an addendum "
            "if it is signed.",
        ),
    ]

    @api.depends("session_id")
    def _compute_professional_id(self):
        for note in self:
            note.professional_id = note.session_id.professional_id or self.env.user

    @api.depends(
        "record_id.patient_id",
        "session_id.session_kind",
        "session_id.participant_ids.patient_id",
        "session_id.participant_ids.attendance",
    )
    def _compute_participants(self):
        for note in self:
            if note.state == "signed" and note.id and note._origin.patient_ids:
                # What a signature covers never follows the session again.
                note.is_shared = note._origin.is_shared
                note.patient_ids = note._origin.patient_ids
                continue
            session = note.session_id
            note.is_shared = bool(session) and session.session_kind not in (
                False,
                "individual",
            )
            if note.is_shared:
                note.patient_ids = session.participant_ids.filtered(
                    lambda p: p.attendance in ATTENDING
                ).patient_id
            else:
                note.patient_ids = note.record_id.patient_id

    @api.depends("template_id")
    def _compute_note_format(self):
        for note in self:
            note.note_format = note.template_id.note_format

    @api.depends("patient_id", "session_date", "is_shared", "session_id")
    def _compute_display_name(self):
        for note in self:
            patient = note.patient_id.name or ""
            if note.is_shared:
                # The label of the session (first names of a couple, name of
                # a group), read as superuser: it is shown on the agenda.
                patient = note.session_id.sudo().participants_label or patient
            note.display_name = self.env._(
                "Note of %(date)s - %(patient)s",
                date=note.session_date and note.session_date.date() or "",
                patient=patient,
            )

    @api.depends("content_hash", "state")
    def _compute_hash_valid(self):
        for note in self:
            note.hash_valid = (
                note.state == "signed" and note.content_hash == note._content_hash()
            )

    @api.constrains("session_id", "record_id")
    def _check_session(self):
        for note in self:
            session = note.session_id
            if session.state != "done":
                raise ValidationError(
                    self.env._(
                        "The session of %(date)s is not completed: mark it as "
                        "done before writing its note.",
                        date=session.start,
                    )
                )
            if note.is_shared:
                # The patient of the record only (read as superuser: the
                # professional of a group may not read the record itself).
                if note.record_id.sudo().patient_id not in note.patient_ids:
                    raise ValidationError(
                        self.env._(
                            "%(patient)s did not attend the session of "
                            "%(date)s: keep its shared note in the clinical "
                            "record of a participant who attended.",
                            patient=note.record_id.sudo().patient_id.name,
                            date=session.start,
                        )
                    )
                continue
            if session.patient_id != note.record_id.patient_id:
                raise ValidationError(
                    self.env._(
                        "The session belongs to %(session_patient)s, not to "
                        "%(patient)s. Choose a session of this patient.",
                        session_patient=session.patient_id.name,
                        patient=note.record_id.patient_id.name,
                    )
                )

    # ------------------------------------------------------------------
    # Signature
    # ------------------------------------------------------------------

    def _canonical_content(self, signer=None, signed_date=None):
        """What the signature covers, in a stable form."""
        self.ensure_one()
        signer = signer if signer is not None else self.signed_by_id
        signed_date = signed_date if signed_date is not None else self.signed_date
        content = {
            "model": self._name,
            "id": self.id,
            "record": self.record_id.id,
            "patient": self.patient_id.id,
            "session": self.session_id.id,
            "professional": self.professional_id.id,
            "format": self.note_format or "",
            "content": {name: self[name] or "" for name in CONTENT_FIELDS},
            "signed_by": signer.id,
            "signed_date": fields.Datetime.to_string(signed_date) or "",
        }
        if self.is_shared:
            # Who a shared note is about is part of what is signed (an
            # individual note keeps the form it was always signed in).
            content["participants"] = sorted(self.patient_ids.ids)
        return content

    def _content_hash(self, signer=None, signed_date=None):
        return sha256_of(self._canonical_content(signer, signed_date))

    def _check_can_sign(self, sections=True):
        """Refuse to sign what cannot be signed; ``sections``: also check the
        sections of the record the center requires before a first note."""
        for note in self:
            if note.state == "signed":
                raise UserError(
                    self.env._(
                        "%(note)s is already signed. Add an addendum to correct it.",
                        note=note.display_name,
                    )
                )
            if not self.env.su and note.professional_id != self.env.user:
                raise UserError(
                    self.env._(
                        "Only %(professional)s, who ran the session, can sign "
                        "%(note)s.",
                        professional=note.professional_id.name,
                        note=note.display_name,
                    )
                )
            if not any(note[name] for name in CONTENT_FIELDS):
                raise UserError(
                    self.env._(
                        "%(note)s is empty. Write the note before signing it.",
                        note=note.display_name,
                    )
                )
            if sections:
                note._check_record_sections()

    def _psy_readable_record(self):
        """The record that keeps the note, if the user may read it."""
        self.ensure_one()
        record = self.record_id
        return record if record.has_access("read") else record.browse()

    def _psy_first_note_missing_sections(self):
        """Names of the sections the center requires that are empty in the
        record, when this note would be its first signed note. On a shared
        note whose record the user may not read (the professional of a
        group), the names are read as superuser: only names, never content."""
        self.ensure_one()
        record = self._psy_readable_record() or self.record_id.sudo()
        if record.note_ids.filtered(lambda n: n.state == "signed"):
            return []
        return record._missing_mandatory_section_names()

    def _check_record_sections(self):
        self.ensure_one()
        names = self._psy_first_note_missing_sections()
        if not names:
            return
        record = self._psy_readable_record()
        labels = self.record_id._psy_section_labels(names)
        if not record:
            raise UserError(
                self.env._(
                    "Before the first note of %(patient)s can be signed, the "
                    "psychologist of %(patient)s must fill these sections of "
                    "the clinical record: %(sections)s.",
                    patient=self.record_id.sudo().patient_id.name,
                    sections=", ".join(labels),
                )
            )
        raise RedirectWarning(
            self.env._(
                "Before the first note of %(patient)s can be signed, fill these "
                "sections of the clinical record: %(sections)s.",
                patient=record.patient_id.name,
                sections=", ".join(labels),
            ),
            record.action_open_sections(),
            self.env._("Open the clinical record"),
        )

    @api.depends(
        "record_id.company_id.psy_clinical_mandatory_field_ids",
        "record_id.note_ids.state",
        "state",
        *(f"record_id.{name}" for name in SECTION_FIELDS),
    )
    def _compute_psy_missing_sections(self):
        for note in self:
            names = []
            if note.state == "draft" and note.record_id:
                names = note._psy_first_note_missing_sections()
            labels = note.record_id._psy_section_labels(names)
            note.psy_missing_sections = ", ".join(labels) or False

    def action_sign(self):
        """Sign the notes; for a user, the first note of a record whose
        required sections are empty opens a dialog asking for them first
        (elsewhere the refusal links to the record)."""
        self._check_can_sign(sections=False)
        if len(self) == 1 and not self.env.su:
            wizard = self._psy_sections_wizard_action()
            if wizard:
                return wizard
        self._check_can_sign()
        self._action_sign()
        return True

    def _psy_sections_wizard_action(self):
        """The dialog asking for the missing sections before signing, when
        the user may write them in the record."""
        self.ensure_one()
        record = self._psy_readable_record()
        if (
            not record
            or not record.has_access("write")
            or not self._psy_first_note_missing_sections()
        ):
            return False
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Complete the clinical record and sign"),
            "res_model": "psy.session.note.sign",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_note_id": self.id},
        }

    def _action_sign(self):
        now = fields.Datetime.now().replace(microsecond=0)
        for note in self:
            signer = note.professional_id if self.env.su else self.env.user
            note._psy_write_guarded(
                {
                    "state": "signed",
                    "signed_by_id": signer.id,
                    "signed_date": now,
                    "content_hash": note._content_hash(signer, now),
                }
            )

    # ------------------------------------------------------------------
    # Guards
    # ------------------------------------------------------------------

    def _psy_access_refusals(self):
        return psy_clinical_refusals(self.env)

    @api.model
    def _psy_guarded_fields(self):
        return super()._psy_guarded_fields() | SIGNATURE_FIELDS | DERIVED_FIELDS

    @api.model
    def _psy_guarded_initial_values(self):
        return {**super()._psy_guarded_initial_values(), "state": ("draft",)}

    @api.model
    def _psy_guard_error(self, field_names):
        if set(field_names) & SIGNATURE_FIELDS:
            return UserError(
                self.env._(
                    "The status, signature, fingerprint and signing reminder of "
                    "a session note are set only by the application: write the "
                    "note, then click Sign. A signed note is corrected with an "
                    "addendum."
                )
            )
        return UserError(
            self.env._(
                "The patient, center, date and format of a session note follow "
                "its clinical record, its session and its template: choose "
                "those instead."
            )
        )

    @api.model_create_multi
    def create(self, vals_list):
        return super(PsySessionNote, without_guarded_defaults(self)).create(vals_list)

    def write(self, vals):
        # Keyed on the note's own state, whoever writes (superuser included)
        # and whatever the context: a signed note never changes.
        signed = self.filtered(lambda n: n.state == "signed")
        if signed:
            raise UserError(
                self.env._(
                    "%(note)s is signed and can no longer be changed. To correct "
                    "or complete it, add an addendum.",
                    note=signed[0].display_name,
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=True)
    def _unlink_except_signed(self):
        # Only the uninstallation of the module, run as superuser by the
        # server, removes signed notes; the context flag alone (which a
        # client can send) is not enough.
        if module_uninstalling(self.env):
            return
        if self.filtered(lambda n: n.state == "signed"):
            raise UserError(
                self.env._(
                    "Signed notes are part of the clinical record and are never "
                    "deleted."
                )
            )

    def action_add_addendum(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Addendum"),
            "res_model": "psy.session.note.addendum",
            "view_mode": "form",
            "target": "new",
            "context": {"default_note_id": self.id},
        }

    # ------------------------------------------------------------------
    # Unsigned notes
    # ------------------------------------------------------------------

    @api.model
    def _cron_flag_unsigned(self):
        """Ask the professional to sign notes left unsigned too long."""
        now = fields.Datetime.now()
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        companies = self.env["res.company"].search(
            [("id", "in", self.search([("state", "=", "draft")]).company_id.ids)]
        )
        for company in companies:
            limit = now - timedelta(days=company.psy_unsigned_note_days)
            notes = self.search(
                [
                    ("company_id", "=", company.id),
                    ("state", "=", "draft"),
                    ("overdue_flagged", "=", False),
                    ("session_date", "<", limit),
                ]
            )
            for note in notes:
                # Written in the language of the professional who reads it.
                env = note.session_id._psy_env_of(note.professional_id)
                note.session_id.activity_schedule(
                    activity_type_id=activity_type.id,
                    summary=env._("Sign the session note"),
                    note=env._(
                        "The note of this session is still unsigned. Complete "
                        "and sign it in the clinical record."
                    ),
                    user_id=note.professional_id.id,
                )
            notes._psy_write_guarded({"overdue_flagged": True})

    def _psy_audit_patients(self):
        """A shared note is read about each of its participants."""
        return {note.id: note.patient_ids for note in self if note.is_shared}
