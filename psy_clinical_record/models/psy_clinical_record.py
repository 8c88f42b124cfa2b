from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from .psy_clinical_audit_mixin import AUDIT_LIST_FIELDS
from .psy_clinical_refusals import psy_clinical_refusals

# Sections of the record a center may require before the first note is
# signed (company setting).
SECTION_FIELDS = (
    "reason",
    "symptoms",
    "symptoms_onset_date",
    "precipitating_events",
    "history_illnesses",
    "history_surgeries",
    "history_medication",
    "history_traumas",
    "family_history",
    "habits_sleep",
    "habits_eating",
    "habits_substances",
    "social_situation",
    "occupational_situation",
    "risk_level",
)
RISK_LEVELS = [
    ("none", "No risk identified"),
    ("low", "Low"),
    ("moderate", "Moderate"),
    ("high", "High"),
    ("imminent", "Imminent"),
]


class PsyClinicalRecord(models.Model):
    _name = "psy.clinical.record"
    _description = "Clinical record"
    _inherit = [
        "psy.clinical.audit.mixin",
        "psy.guarded.mixin",
    ]
    _order = "patient_id, id"
    _check_company_auto = True
    _psy_record_field = "id"
    _psy_audit_list_fields = (
        *AUDIT_LIST_FIELDS,
        "open_date",
        "risk_level",
        "note_count",
        "patient_blocked",
        "end_of_care_date",
        "retention_until",
    )

    patient_id = fields.Many2one(
        comodel_name="psy.patient",
        required=True,
        index=True,
        check_company=True,
        ondelete="restrict",
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        string="Center",
        required=True,
        index=True,
        compute="_compute_company_id",
        store=True,
        precompute=True,
    )
    professional_id = fields.Many2one(
        comodel_name="res.users",
        string="Opened by",
        required=True,
        readonly=True,
        default=lambda self: self.env.user,
        ondelete="restrict",
    )
    open_date = fields.Date(
        string="Opened on",
        required=True,
        default=lambda self: self.env["psy.patient"]._psy_today(),
    )
    # Sections
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
    risk_date = fields.Date(string="Risk assessed on")
    risk_notes = fields.Text(string="Risk assessment notes")
    # Lines
    diagnosis_ids = fields.One2many(
        comodel_name="psy.diagnosis", inverse_name="record_id", string="Diagnoses"
    )
    goal_ids = fields.One2many(
        comodel_name="psy.treatment.goal",
        inverse_name="record_id",
        string="Treatment goals",
    )
    treatment_plan = fields.Text(
        string="Treatment approach",
        help="Therapeutic approach, frequency of sessions, coordination with "
        "other professionals.",
    )
    note_ids = fields.One2many(
        comodel_name="psy.session.note",
        inverse_name="record_id",
        string="Session notes",
    )
    shared_note_ids = fields.Many2many(
        comodel_name="psy.session.note",
        string="Shared notes",
        compute="_compute_shared_note_ids",
        help="Notes of the couple, family or group sessions the patient "
        "attended that are kept in another participant's record.",
    )
    note_count = fields.Integer(compute="_compute_note_count")
    private_note_ids = fields.One2many(
        comodel_name="psy.private.note",
        inverse_name="record_id",
        string="Private notes",
        help="Your own annotations; nobody else reads them.",
    )
    # Retention
    end_of_care_date = fields.Date(
        string="End of care",
        compute="_compute_retention",
        help="Discharge date of the patient, or date of the last completed "
        "session while the patient is in care.",
    )
    retention_until = fields.Date(
        string="Keep until",
        compute="_compute_retention",
        help="End of care plus the retention period of the center.",
    )
    past_retention = fields.Boolean(
        string="Past retention",
        compute="_compute_retention",
        search="_search_past_retention",
    )
    patient_blocked = fields.Boolean(related="patient_id.psy_blocked", string="Blocked")
    # Sections the center requires before the first note is signed
    psy_required_sections = fields.Char(
        string="Required sections",
        compute="_compute_psy_required_sections",
        help="Technical names of the sections the center requires while no "
        "note of the record is signed, between commas (marks the fields as "
        "required in the form).",
    )
    psy_missing_sections = fields.Char(
        string="Sections to fill",
        compute="_compute_psy_required_sections",
        help="The required sections that are still empty.",
    )

    _sql_constraints = [
        (
            "patient_company_unique",
            "UNIQUE(patient_id, company_id)",
            "A patient has one clinical record per center: open the existing one.",
        ),
    ]

    # ------------------------------------------------------------------
    # Guards
    # ------------------------------------------------------------------

    def _psy_access_refusals(self):
        return psy_clinical_refusals(self.env)

    @api.model
    def _psy_guarded_fields(self):
        return super()._psy_guarded_fields() | {"company_id", "professional_id"}

    @api.model
    def _psy_guarded_initial_values(self):
        # The record is opened in the name of the user who opens it.
        return {
            **super()._psy_guarded_initial_values(),
            "professional_id": (self.env.uid,),
        }

    @api.model
    def _psy_guard_error(self, field_names):
        if "company_id" in field_names:
            return UserError(
                self.env._(
                    "The center of a clinical record is the center of its "
                    "patient; it cannot be chosen or changed."
                )
            )
        return UserError(
            self.env._(
                "A clinical record is opened in the name of the user who opens "
                "it; who opened it cannot be chosen or changed."
            )
        )

    def _psy_check_read_access(self):
        """The records the caller works on are records they may read (new
        records, being filled in a form, have nothing to check yet)."""
        real = self.browse([id_ for id_ in self._ids if isinstance(id_, int)])
        real.check_access("read")

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            self.check_access("create")
            patients = self.env["psy.patient"].browse(
                [vals["patient_id"] for vals in vals_list if vals.get("patient_id")]
            )
            self._psy_check_no_record_yet(patients)
        return super().create(vals_list)

    @api.model
    def _psy_check_no_record_yet(self, patients):
        """Refuse a second record for a patient, with a message instead of
        the database's error. Checks first that the user may open the
        records of these patients, then looks as superuser (the existing
        record may belong to a center the user has not selected)."""
        patients._psy_check_may_open_clinical_record()
        existing = self.sudo().search([("patient_id", "in", patients.ids)], limit=1)
        if existing:
            raise UserError(
                self.env._(
                    "%(patient)s already has a clinical record: open it with "
                    "the Clinical record button of the patient's file.",
                    patient=existing.patient_id.name,
                )
            )

    def write(self, vals):
        # Keyed on the records themselves, whoever writes (superuser
        # included) and whatever the context: a record, its notes and their
        # signatures belong to one patient and one center for good.
        for name in ("patient_id", "company_id"):
            if name in vals and self.filtered(
                lambda r, name=name: r[name].id != (vals[name] or False)
            ):
                raise UserError(
                    self.env._(
                        "The clinical record of %(patient)s stays with this "
                        "patient and this center: its notes are signed for them. "
                        "To write the history of another patient, open the "
                        "clinical record from that patient's file.",
                        patient=self[:1].patient_id.name,
                    )
                )
        return super().write(vals)

    @api.depends("patient_id")
    def _compute_company_id(self):
        for record in self:
            record.company_id = record.patient_id.company_id or self.env.company

    @api.depends("patient_id")
    def _compute_display_name(self):
        for record in self:
            record.display_name = self.env._(
                "Clinical record of %(patient)s", patient=record.patient_id.name
            )

    @api.depends("patient_id")
    def _compute_shared_note_ids(self):
        # The shared notes the user may read (record rules apply).
        notes = self.env["psy.session.note"].search(
            [
                ("is_shared", "=", True),
                ("patient_ids", "in", self.patient_id.ids),
                ("record_id", "not in", self.ids),
            ]
        )
        for record in self:
            record.shared_note_ids = notes.filtered(
                lambda n, record=record: record.patient_id in n.patient_ids
                and n.record_id != record
            )

    @api.depends("note_ids", "shared_note_ids")
    def _compute_note_count(self):
        for record in self:
            record.note_count = len(record.note_ids) + len(record.shared_note_ids)

    def _psy_copy_notes(self):
        """The signed notes of the patient's copy: their own notes and the
        shared notes of the joint sessions they attended; never a note of
        another participant's individual sessions."""
        self.ensure_one()
        return (
            (self.note_ids | self.shared_note_ids)
            .filtered(
                lambda n: n.state == "signed" and self.patient_id in n.patient_ids
            )
            .sorted("session_date")
        )

    def _end_of_care_dates(self):
        """End of care of each record: the discharge date, else the day of
        the last completed session (read as superuser: a date only, of the
        patients of records the user may read)."""
        self._psy_check_read_access()
        groups = (
            self.env["psy.session"]
            .sudo()
            ._read_group(
                [
                    ("patient_id", "in", self.patient_id.ids),
                    ("state", "=", "done"),
                ],
                groupby=["patient_id"],
                aggregates=["start:max"],
            )
        )
        last = {patient.id: start for patient, start in groups}
        result = {}
        for record in self:
            patient = record.patient_id
            if patient.discharge_date:
                result[record.id] = patient.discharge_date
            elif last.get(patient.id):
                result[record.id] = last[patient.id].date()
            else:
                result[record.id] = False
        return result

    @api.depends("patient_id.discharge_date", "company_id.psy_retention_years")
    def _compute_retention(self):
        ends = self._end_of_care_dates()
        today = self.env["psy.patient"]._psy_today()
        for record in self:
            end = ends.get(record.id)
            record.end_of_care_date = end
            if end:
                record.retention_until = end + relativedelta(
                    years=record.company_id.psy_retention_years
                )
                record.past_retention = record.retention_until < today
            else:
                record.retention_until = False
                record.past_retention = False

    def _search_past_retention(self, operator, value):
        if operator not in ("=", "!="):
            return NotImplemented
        # Only records with an end of care can be past retention.
        records = self.search(
            [
                "|",
                ("patient_id.discharge_date", "!=", False),
                ("patient_id.session_ids.state", "=", "done"),
            ]
        )
        past = records.filtered("past_retention")
        if (operator == "=") == bool(value):
            return [("id", "in", past.ids)]
        return [("id", "not in", past.ids)]

    @api.depends(
        "company_id.psy_clinical_mandatory_field_ids", "note_ids.state", *SECTION_FIELDS
    )
    def _compute_psy_required_sections(self):
        for record in self:
            signed = record.note_ids.filtered(lambda n: n.state == "signed")
            names = [] if signed else record._psy_mandatory_section_names()
            record.psy_required_sections = (
                "," + ",".join(names) + "," if names else False
            )
            missing = record._psy_section_labels(
                [name for name in names if not record[name]]
            )
            record.psy_missing_sections = ", ".join(missing) or False

    def _psy_mandatory_section_names(self):
        """Names of the sections the center of the record requires (the list
        is configuration: read as superuser)."""
        self.ensure_one()
        sections = self.company_id.sudo().psy_clinical_mandatory_field_ids
        return [name for name in sections.mapped("name") if name in SECTION_FIELDS]

    def _psy_section_labels(self, names):
        return [
            self._fields[name].get_description(self.env)["string"] for name in names
        ]

    def _missing_mandatory_section_names(self):
        """Names of the sections the center requires that are empty."""
        self.ensure_one()
        self._psy_check_read_access()
        return [name for name in self._psy_mandatory_section_names() if not self[name]]

    def _missing_mandatory_sections(self):
        """Labels of the sections the center requires that are empty."""
        return self._psy_section_labels(self._missing_mandatory_section_names())

    def action_open_sections(self):
        """Open the record on its history, where the required sections are."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.display_name,
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }

    def action_view_notes(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "psy_clinical_record.psy_session_note_action"
        )
        action["domain"] = [
            "|",
            ("record_id", "=", self.id),
            ("id", "in", self.shared_note_ids.ids),
        ]
        action["context"] = {"default_record_id": self.id}
        return action

    def action_print_copy(self):
        return self.env.ref(
            "psy_clinical_record.action_report_clinical_record"
        ).report_action(self)
