from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class PsyMeasureAssignment(models.Model):
    """An instrument a psychologist gives a patient: once, or again every N
    completed sessions or every N weeks. Each administration is a result
    with its own link, e-mailed to the patient (or the guardians)."""

    _name = "psy.measure.assignment"
    _description = "Instrument assignment"
    _inherit = ["psy.guarded.mixin"]
    _order = "id desc"
    _check_company_auto = True

    patient_id = fields.Many2one(
        comodel_name="psy.patient",
        required=True,
        index=True,
        check_company=True,
        ondelete="restrict",
    )
    record_id = fields.Many2one(
        comodel_name="psy.clinical.record",
        string="Clinical record",
        readonly=True,
        index=True,
        ondelete="restrict",
    )
    company_id = fields.Many2one(
        related="patient_id.company_id", store=True, index=True, string="Center"
    )
    survey_id = fields.Many2one(
        comodel_name="survey.survey",
        string="Instrument",
        required=True,
        domain=[("psy_is_clinical", "=", True), ("active", "=", True)],
        ondelete="restrict",
    )
    professional_id = fields.Many2one(
        comodel_name="res.users",
        string="Assigned by",
        required=True,
        readonly=True,
        default=lambda self: self.env.user,
        ondelete="restrict",
    )
    recurrence = fields.Selection(
        selection=[
            ("once", "Once"),
            ("sessions", "Every N sessions"),
            ("weeks", "Every N weeks"),
        ],
        required=True,
        default="once",
    )
    interval = fields.Integer(
        string="Every",
        default=1,
        help="Number of completed sessions, or of weeks, between two administrations.",
    )
    next_date = fields.Date(
        string="Next sending", readonly=True, help="For weekly recurrences."
    )
    sessions_at_last = fields.Integer(
        string="Sessions at last sending",
        readonly=True,
        help="Completed sessions of the patient when it was last sent.",
    )
    state = fields.Selection(
        selection=[("active", "Active"), ("done", "Done"), ("cancelled", "Stopped")],
        default="active",
        required=True,
        readonly=True,
    )
    result_ids = fields.One2many(
        comodel_name="psy.measure.result",
        inverse_name="assignment_id",
        string="Results",
    )

    @api.model
    def _psy_guarded_fields(self):
        return super()._psy_guarded_fields() | {
            "professional_id",
            "record_id",
            "next_date",
            "sessions_at_last",
            "state",
        }

    @api.model
    def _psy_guarded_initial_values(self):
        return {
            **super()._psy_guarded_initial_values(),
            "professional_id": (self.env.uid,),
            "state": ("active",),
        }

    @api.constrains("recurrence", "interval")
    def _check_interval(self):
        for assignment in self:
            if assignment.recurrence != "once" and assignment.interval < 1:
                raise ValidationError(
                    self.env._(
                        "Say every how many sessions or weeks %(survey)s is sent "
                        "again: at least 1.",
                        survey=assignment.survey_id.title,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            # Guarded fields take their initial values here, so that no
            # ``default_*`` key of the context fills them in after the guard.
            for vals in vals_list:
                vals.setdefault("professional_id", self.env.uid)
                vals.setdefault("state", "active")
                for name in ("record_id", "next_date", "sessions_at_last"):
                    vals.setdefault(name, False)
        assignments = super().create(vals_list)
        assignments._psy_start()
        return assignments

    def write(self, vals):
        if {"patient_id", "survey_id"} & set(vals) and not self.env.su:
            raise UserError(
                self.env._(
                    "An assignment stays with its patient and instrument: stop "
                    "it and assign the other instrument or patient anew."
                )
            )
        return super().write(vals)

    def _psy_start(self):
        """Open (or find) the clinical record of the patient and send the
        first administration. Only a psychologist who may open the record
        of the patient assigns instruments."""
        for assignment in self:
            patient = assignment.patient_id
            patient._psy_check_may_open_clinical_record()
            survey = assignment.survey_id.sudo()
            if not survey.psy_is_clinical:
                raise UserError(
                    self.env._(
                        "%(survey)s is not a clinical instrument: only clinical "
                        "instruments are assigned to patients.",
                        survey=survey.title,
                    )
                )
            record = patient._psy_clinical_record() or self.env[
                "psy.clinical.record"
            ].create({"patient_id": patient.id})
            record.check_access("write")
            assignment.sudo().record_id = record
            assignment._psy_send()

    def _psy_send(self):
        """Send one administration of each assignment and plan the next
        (as superuser: the callers checked the user or are the cron)."""
        today = fields.Date.context_today(self)
        counts = self._psy_sessions_attended(self.patient_id)
        for assignment in self.sudo():
            self.env["psy.measure.result"]._psy_send_new(
                assignment.record_id,
                assignment.survey_id,
                assignment.professional_id,
                assignment=assignment,
            )
            vals = {"sessions_at_last": counts.get(assignment.patient_id.id, 0)}
            if assignment.recurrence == "once":
                vals["state"] = "done"
            elif assignment.recurrence == "weeks":
                vals["next_date"] = today + relativedelta(weeks=assignment.interval)
            assignment.write(vals)

    @api.model
    def _psy_sessions_attended(self, patients):
        """Completed sessions of each patient, ``{patient id: count}``.

        The one place that knows how a patient takes part in a session (a
        participant of a completed session, individual or joint). Counted as
        superuser: a number, for patients of assignments."""
        sessions = (
            self.env["psy.session"]
            .sudo()
            .search([("patient_ids", "in", patients.ids), ("state", "=", "done")])
        )
        counts = dict.fromkeys(patients.ids, 0)
        for session in sessions:
            for patient in session.patient_ids & patients:
                counts[patient.id] += 1
        return counts

    @api.model
    def _psy_on_sessions_done(self, sessions):
        """Send the instruments due every N sessions after ``sessions`` were
        completed. The caller just completed them (it may write them); the
        assignments are read as superuser: the front desk completes sessions
        but cannot read clinical assignments."""
        sessions.check_access("write")
        patients = sessions.sudo().patient_ids
        assignments = self.sudo().search(
            [
                ("patient_id", "in", patients.ids),
                ("state", "=", "active"),
                ("recurrence", "=", "sessions"),
            ]
        )
        if not assignments:
            return assignments
        counts = self._psy_sessions_attended(assignments.patient_id)
        due = assignments.filtered(
            lambda a: counts.get(a.patient_id.id, 0) - a.sessions_at_last >= a.interval
        )
        due._psy_send()
        return due

    @api.model
    def _cron_send_due(self):
        """Send the weekly instruments whose day has come (the cron's job,
        as superuser)."""
        today = fields.Date.context_today(self)
        due = self.sudo().search(
            [
                ("state", "=", "active"),
                ("recurrence", "=", "weeks"),
                ("next_date", "<=", today),
            ]
        )
        due._psy_send()
        return due

    def action_stop(self):
        """Stop sending the instrument again (results already sent stay)."""
        self.check_access("write")
        self.filtered(lambda a: a.state == "active")._psy_write_guarded(
            {"state": "cancelled"}
        )
        return True

    def action_send_now(self):
        """Send one more administration now, outside the recurrence."""
        self.check_access("write")
        for assignment in self:
            if assignment.state != "active":
                raise UserError(
                    self.env._(
                        "The assignment of %(survey)s is not active: assign the "
                        "instrument again.",
                        survey=assignment.survey_id.title,
                    )
                )
            assignment.record_id.check_access("write")
        self._psy_send()
        return True
