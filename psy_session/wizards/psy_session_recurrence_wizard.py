from datetime import datetime, time
from itertools import islice

import pytz
from dateutil.relativedelta import relativedelta
from dateutil.rrule import WEEKLY, rrule

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

MAX_OCCURRENCES = 104


class PsySessionRecurrenceWizard(models.TransientModel):
    _name = "psy.session.recurrence.wizard"
    _description = "Book a series of weekly sessions"

    patient_id = fields.Many2one(
        comodel_name="psy.patient",
        help="The patient of an individual series.",
    )
    patient_ids = fields.Many2many(
        comodel_name="psy.patient",
        string="Participants",
        help="The patients of a couple, family or group series (the patient "
        "above when empty).",
    )
    company_id = fields.Many2one(
        comodel_name="res.company", compute="_compute_company_id"
    )
    professional_id = fields.Many2one(
        comodel_name="res.users",
        required=True,
        default=lambda self: self.env["psy.session"]._default_professional_id(),
        domain=lambda self: self.env["res.users"]._psy_psychologist_field_domain(),
    )
    product_id = fields.Many2one(
        comodel_name="product.product",
        string="Session type",
        required=True,
        domain=[("is_psy_session_type", "=", True)],
    )
    modality = fields.Selection(
        selection=[("in_person", "In person"), ("online", "Online")],
        required=True,
        default="in_person",
    )
    room_id = fields.Many2one(comodel_name="psy.room")
    start = fields.Datetime(string="First session", required=True)
    interval = fields.Integer(
        string="Every",
        default=1,
        required=True,
        help="Number of weeks between two sessions.",
    )
    end_type = fields.Selection(
        selection=[("count", "Number of sessions"), ("until", "Until a date")],
        string="Ends",
        default="count",
        required=True,
    )
    count = fields.Integer(string="Number of sessions", default=10)
    until = fields.Date(string="Last date")
    state = fields.Selection(
        selection=[("draft", "Draft"), ("done", "Done")],
        default="draft",
    )
    line_ids = fields.One2many(
        comodel_name="psy.session.recurrence.line",
        inverse_name="wizard_id",
        string="Occurrences",
        readonly=True,
    )
    created_count = fields.Integer(compute="_compute_result_counts")
    conflict_count = fields.Integer(compute="_compute_result_counts")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        session = self.env["psy.session"].browse(
            self.env.context.get("default_session_id")
        )
        if session.exists():
            values.update(
                patient_id=session.patient_id.id,
                patient_ids=[
                    fields.Command.set(session.participant_ids.patient_id.ids)
                ],
                professional_id=session.professional_id.id,
                product_id=session.product_id.id,
                modality=session.modality,
                room_id=session.room_id.id,
                start=self._psy_shift_local(session.start, weeks=1),
            )
        return values

    @api.depends("patient_id", "patient_ids")
    def _compute_company_id(self):
        for wizard in self:
            wizard.company_id = (
                wizard.patient_ids[:1].company_id or wizard.patient_id.company_id
            )

    def _psy_patients(self):
        """The participants of every session of the series, in order."""
        self.ensure_one()
        patients = self.patient_ids or self.patient_id
        if not patients and self.product_id.psy_session_kind != "group":
            raise UserError(
                self.env._("Choose the patient of the series, or its participants.")
            )
        return patients

    @api.depends("line_ids.result")
    def _compute_result_counts(self):
        for wizard in self:
            results = wizard.line_ids.mapped("result")
            wizard.created_count = results.count("created")
            wizard.conflict_count = results.count("conflict")

    @api.onchange("modality")
    def _onchange_modality(self):
        if self.modality == "online":
            self.room_id = False

    @api.model
    def _psy_to_local(self, value):
        """Naive UTC ``value`` as naive local time of the reader (the user's
        time zone, else the center's)."""
        tz = self.env["psy.patient"]._psy_tz()
        return pytz.utc.localize(value).astimezone(tz).replace(tzinfo=None)

    @api.model
    def _psy_to_utc(self, value):
        """Naive local ``value`` of the reader as naive UTC (a time the clocks
        skip in spring is read as the hour after it)."""
        tz = self.env["psy.patient"]._psy_tz()
        localized = tz.normalize(tz.localize(value))
        return localized.astimezone(pytz.utc).replace(tzinfo=None)

    @api.model
    def _psy_shift_local(self, value, **delta):
        """``value`` moved by ``delta`` on the local clock: a week after
        Tuesday 10:00 is Tuesday 10:00, whether the clocks changed or not."""
        return self._psy_to_utc(self._psy_to_local(value) + relativedelta(**delta))

    def _occurrence_starts(self):
        """Starts (naive UTC) of the series: weekly on the local clock of the
        reader, then converted to UTC, so that "Tuesdays 10:00" stays 10:00
        across the summer time changes."""
        self.ensure_one()
        if self.interval < 1:
            raise UserError(
                self.env._("Repeat at least every week: set Every to 1 or more.")
            )
        first = self._psy_to_local(self.start)
        if self.end_type == "count":
            if not 1 <= self.count <= MAX_OCCURRENCES:
                raise UserError(
                    self.env._(
                        "A series has between 1 and %(max)s sessions. Change the "
                        "number of sessions.",
                        max=MAX_OCCURRENCES,
                    )
                )
            rule = rrule(
                WEEKLY, interval=self.interval, dtstart=first, count=self.count
            )
        else:
            if not self.until or self.until < first.date():
                raise UserError(
                    self.env._(
                        "Set a last date on or after the first session to end the "
                        "series."
                    )
                )
            rule = rrule(
                WEEKLY,
                interval=self.interval,
                dtstart=first,
                until=datetime.combine(self.until, time.max),
            )
        return [self._psy_to_utc(start) for start in islice(rule, MAX_OCCURRENCES)]

    def action_create(self):
        self.ensure_one()
        Session = self.env["psy.session"]
        patients = self._psy_patients()
        lines = []
        for start in self._occurrence_starts():
            values = {
                "participant_ids": [
                    fields.Command.create({"patient_id": patient.id})
                    for patient in patients
                ],
                "professional_id": self.professional_id.id,
                "product_id": self.product_id.id,
                "modality": self.modality,
                "room_id": self.room_id.id,
                "start": start,
            }
            try:
                with self.env.cr.savepoint():
                    session = Session.create(values)
            except ValidationError as error:
                lines.append(
                    {"start": start, "result": "conflict", "message": error.args[0]}
                )
            else:
                lines.append(
                    {"start": start, "result": "created", "session_id": session.id}
                )
        self.write(
            {
                "state": "done",
                "line_ids": [fields.Command.create(line) for line in lines],
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Series booked"),
        }

    def action_view_sessions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "psy_session.psy_session_action"
        )
        action["domain"] = [("id", "in", self.line_ids.session_id.ids)]
        action["context"] = {}
        return action
