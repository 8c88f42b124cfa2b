from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.psy_clinical_record.models.psy_clinical_audit_mixin import (
    AUDIT_LIST_FIELDS,
)

# Written only by the sending and the completion of an instrument.
RESULT_FIELDS = frozenset(
    {
        "record_id",
        "survey_id",
        "user_input_id",
        "assignment_id",
        "assigned_by_id",
        "state",
        "date_sent",
        "date_done",
        "date",
        "score",
        "band_id",
        "risk_alert",
        "reminder_count",
        "reminder_date",
        "intake_applied",
    }
)


class PsyMeasureResult(models.Model):
    """One administration of an instrument to a patient: sent with a
    personal link, then answered, scored and placed in a severity band.

    Clinical content: read by the patient's psychologists and the clinical
    director only, every reading logged in the access audit."""

    _name = "psy.measure.result"
    _description = "Instrument result"
    _inherit = [
        "psy.clinical.audit.mixin",
        "psy.guarded.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _order = "date_sent desc, id desc"
    _rec_name = "survey_id"
    _check_company_auto = True
    # The lists of results show the instrument, the dates and the score band:
    # opening a list logs nothing, opening a result (its answers) does.
    _psy_audit_list_fields = (
        *AUDIT_LIST_FIELDS,
        "survey_id",
        "survey_code",
        "kind",
        "assignment_id",
        "assigned_by_id",
        "date_sent",
        "date_done",
        "score",
        "band_id",
        "band_decoration",
        "risk_alert",
        "reminder_count",
        "reminder_date",
    )

    record_id = fields.Many2one(
        comodel_name="psy.clinical.record",
        string="Clinical record",
        required=True,
        index=True,
        readonly=True,
        ondelete="restrict",
    )
    patient_id = fields.Many2one(related="record_id.patient_id", store=True, index=True)
    company_id = fields.Many2one(
        related="record_id.company_id", store=True, index=True, string="Center"
    )
    survey_id = fields.Many2one(
        comodel_name="survey.survey",
        string="Instrument",
        required=True,
        index=True,
        readonly=True,
        ondelete="restrict",
    )
    survey_code = fields.Char(related="survey_id.psy_code", string="Code")
    kind = fields.Selection(related="survey_id.psy_kind", string="Use")
    user_input_id = fields.Many2one(
        comodel_name="survey.user_input",
        string="Answers",
        required=True,
        readonly=True,
        index=True,
        ondelete="restrict",
    )
    assignment_id = fields.Many2one(
        comodel_name="psy.measure.assignment",
        readonly=True,
        index=True,
        ondelete="set null",
    )
    assigned_by_id = fields.Many2one(
        comodel_name="res.users",
        string="Assigned by",
        required=True,
        readonly=True,
        ondelete="restrict",
    )
    state = fields.Selection(
        selection=[
            ("sent", "Waiting for answers"),
            ("done", "Answered"),
            ("cancelled", "Cancelled"),
        ],
        default="sent",
        required=True,
        readonly=True,
        index=True,
    )
    date_sent = fields.Datetime(string="Sent on", readonly=True)
    date_done = fields.Datetime(string="Answered on", readonly=True)
    date = fields.Date(readonly=True, help="Day the patient answered.")
    score = fields.Float(readonly=True, digits=(10, 2), aggregator="avg")
    band_id = fields.Many2one(
        comodel_name="psy.measure.band",
        readonly=True,
        ondelete="restrict",
    )
    band_decoration = fields.Selection(related="band_id.decoration")
    risk_alert = fields.Boolean(
        readonly=True,
        help="The risk item (PHQ-9: item 9, thoughts of self-harm) was "
        "answered above 0.",
    )
    reminder_count = fields.Integer(string="Reminders sent", readonly=True)
    reminder_date = fields.Datetime(string="Last reminder", readonly=True)
    intake_applied = fields.Boolean(
        string="Copied to the record",
        readonly=True,
        help="The answers of this intake form pre-filled the record.",
    )

    def _psy_access_refusals(self):
        return {
            "read": self.env._(
                "You cannot read the questionnaire results of a patient you do not "
                "treat: only the patient's psychologists and the clinical director can."
            ),
            "write": self.env._(
                "You cannot change the questionnaire results of a patient you do not "
                "treat: only the patient's psychologists can."
            ),
            "create": self.env._(
                "Nobody creates questionnaire results by hand: they are made when "
                "the patient answers a questionnaire a psychologist sent."
            ),
            "unlink": self.env._(
                "Nobody can delete questionnaire results: they are part of the "
                "clinical record."
            ),
        }

    @api.model
    def _psy_guarded_fields(self):
        return super()._psy_guarded_fields() | RESULT_FIELDS

    @api.model
    def _psy_guard_error(self, field_names):
        return UserError(
            self.env._(
                "The results of an instrument come from the patient's "
                "answers: they cannot be written by hand. Assign the "
                "instrument again if a new administration is needed."
            )
        )

    @api.depends("survey_id", "date", "patient_id")
    def _compute_display_name(self):
        for result in self:
            survey = result.survey_id.psy_code or result.survey_id.title or ""
            result.display_name = f"{survey} - {result.patient_id.name or ''}"

    # ------------------------------------------------------------------
    # Sending
    # ------------------------------------------------------------------

    @api.model
    def _psy_send_new(self, record, survey, assigned_by, assignment=None):
        """Create the answer (Survey's own token link) and the result of
        ``survey`` for the patient of ``record``, and e-mail the link.

        Callers check first: the assignment's actions check that the user
        may write the record, the cron and the session hook run for
        assignments a psychologist made. Runs as superuser: the answer is
        Survey's, the result is guarded."""
        record.ensure_one()
        patient = record.patient_id
        recipients = patient._psy_measure_recipients()
        if not recipients:
            raise UserError(
                self.env._(
                    "%(patient)s has no e-mail address to send %(survey)s to%(who)s. "
                    "Add one in the patient's file, then assign again.",
                    patient=patient.name,
                    survey=survey.title,
                    who=self.env._(" (nor a guardian with one)")
                    if patient.is_minor
                    else "",
                )
            )
        answer = survey.sudo()._create_answer(
            partner=recipients[0],
            check_attempts=False,
            psy_patient_id=patient.id,
        )
        result = (
            self.sudo()
            .with_context(mail_create_nolog=True, tracking_disable=True)
            .create(
                {
                    "record_id": record.id,
                    "survey_id": survey.id,
                    "user_input_id": answer.id,
                    "assignment_id": assignment.id if assignment else False,
                    "assigned_by_id": assigned_by.id,
                    "date_sent": fields.Datetime.now(),
                }
            )
        )
        result._psy_send_mail("psy_measure.mail_template_measure_request")
        return result

    def _psy_send_mail(self, template_xmlid):
        """E-mail each result's link to its recipients (the patient, or the
        guardians of a minor); called by the sending methods above, as
        superuser."""
        template = self.env.ref(template_xmlid).sudo()
        for result in self:
            partners = result.patient_id._psy_measure_recipients()
            template.send_mail(
                result.id,
                email_values={"recipient_ids": [(6, 0, partners.ids)]},
                email_layout_xmlid="mail.mail_notification_light",
            )

    def _psy_start_url(self):
        """Absolute link of the patient to the answer (Survey's token link)."""
        self.ensure_one()
        return self.get_base_url() + self.user_input_id.sudo().get_start_url()

    def _psy_recipient_name(self):
        self.ensure_one()
        return ", ".join(self.patient_id._psy_measure_recipients().mapped("name"))

    # ------------------------------------------------------------------
    # Completion
    # ------------------------------------------------------------------

    def _psy_complete(self):
        """Score, band, risk item and intake of results whose answers were
        just completed (called as superuser by the answers' completion)."""
        now = fields.Datetime.now()
        for result in self:
            answer = result.user_input_id
            survey = result.survey_id
            score = answer.scoring_total
            alert = any(
                line.answer_score >= survey.psy_alert_min_score
                for line in answer.user_input_line_ids
                if line.question_id.psy_risk_item
            )
            result.write(
                {
                    "state": "done",
                    "date_done": now,
                    "date": fields.Date.context_today(result, now),
                    "score": score,
                    "band_id": survey._psy_band_for(score).id,
                    "risk_alert": alert,
                }
            )
            answer.psy_risk_alert = alert
        self.filtered("risk_alert")._psy_raise_risk_alert()
        self.filtered(lambda r: r.kind == "intake")._psy_prefill_record()

    def _psy_raise_risk_alert(self):
        """Urgent activity for the professional and risk section flagged."""
        activity_type = self.env.ref("psy_measure.mail_activity_type_risk")
        today = fields.Date.context_today(self)
        for result in self:
            users = result.assigned_by_id | result.patient_id.professional_ids
            for user in users:
                result.activity_schedule(
                    activity_type_id=activity_type.id,
                    user_id=user.id,
                    date_deadline=today,
                    # In the language of the professional who reads it.
                    summary=result.patient_id._psy_env_of(user)._(
                        "Risk item answered above 0: contact today"
                    ),
                )
        self.record_id.write(
            {"psy_measure_risk_review": True, "psy_measure_risk_date": today}
        )

    def _psy_prefill_record(self):
        """Copy the intake answers into the empty sections of the record,
        and flag the record for the psychologist's review."""
        for result in self:
            record = result.record_id
            texts = {}
            for line in result.user_input_id.user_input_line_ids:
                field = line.question_id.psy_record_field
                if not field or line.skipped:
                    continue
                value = line._psy_answer_text()
                if value:
                    texts.setdefault(field, []).append(value)
            vals = {
                field: "\n".join(values)
                for field, values in texts.items()
                if not record[field]
            }
            vals["psy_measure_intake_review"] = True
            record.write(vals)
            result.intake_applied = True

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_cancel(self):
        """Withdraw unanswered instruments (the link stops being sent)."""
        pending = self.filtered(lambda r: r.state == "sent")
        pending._psy_write_guarded({"state": "cancelled"})
        return True

    def action_view_answers(self):
        """The answers, in Survey's own form, for a user who reads the
        result (and so, by the record rules, its answers)."""
        self.ensure_one()
        self.user_input_id.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "res_model": "survey.user_input",
            "res_id": self.user_input_id.id,
            "view_mode": "form",
            "views": [(self.env.ref("survey.survey_user_input_view_form").id, "form")],
            "target": "current",
        }

    @api.model
    def _cron_send_reminders(self):
        """Send a reminder of unanswered instruments every N days of their
        center (two at most). Runs as superuser: the cron's own job."""
        results = self.sudo().search(
            [("state", "=", "sent"), ("reminder_count", "<", 2)]
        )
        now = fields.Datetime.now()
        due = self.sudo()
        for result in results:
            days = result.company_id.psy_measure_reminder_days
            last = result.reminder_date or result.date_sent
            if days and last and (now - last).total_seconds() >= days * 86400:
                due |= result
        for result in due:
            result.write(
                {"reminder_count": result.reminder_count + 1, "reminder_date": now}
            )
        due._psy_send_mail("psy_measure.mail_template_measure_reminder")
        return due
