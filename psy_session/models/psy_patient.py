from odoo import api, fields, models


class PsyPatient(models.Model):
    _inherit = "psy.patient"

    session_ids = fields.One2many(
        comodel_name="psy.session",
        inverse_name="patient_id",
        string="Sessions",
        help="Sessions whose file is this patient's (individual sessions, and "
        "couple or family sessions where the patient comes first).",
    )
    participation_ids = fields.One2many(
        comodel_name="psy.session.participant",
        inverse_name="patient_id",
        string="Participations",
        help="Every session the patient takes part in, joint and group "
        "sessions included, with the patient's attendance.",
    )
    joint_participation_ids = fields.One2many(
        comodel_name="psy.session.participant",
        inverse_name="patient_id",
        string="Joint sessions",
        domain=[("session_kind", "in", ("couple", "family", "group"))],
        help="Couple, family and group sessions the patient takes part in.",
    )
    session_past_count = fields.Integer(
        string="Past sessions",
        compute="_compute_session_counts",
    )
    session_upcoming_count = fields.Integer(
        string="Upcoming sessions",
        compute="_compute_session_counts",
    )

    @api.depends("participation_ids.start", "participation_ids.session_state")
    def _compute_session_counts(self):
        now = fields.Datetime.now()
        counts = {}
        for key, operator in (("past", "<"), ("upcoming", ">=")):
            groups = self.env["psy.session.participant"]._read_group(
                [
                    ("patient_id", "in", self.ids),
                    ("session_state", "not in", ("cancelled", "late_cancelled")),
                    ("attendance", "not in", ("cancelled", "late_cancelled")),
                    ("start", operator, now),
                ],
                groupby=["patient_id"],
                aggregates=["__count"],
            )
            counts[key] = {patient.id: count for patient, count in groups}
        for patient in self:
            patient.session_past_count = counts["past"].get(patient.id, 0)
            patient.session_upcoming_count = counts["upcoming"].get(patient.id, 0)

    def write(self, vals):
        res = super().write(vals)
        if {"firstname", "lastname"} & set(vals):
            self._psy_rename_session_entries()
        return res

    def _psy_rename_session_entries(self):
        """The patients were renamed: so are the calendar entries of their
        sessions, which carry who each session is for. The caller's right to
        change the patients is checked first; the sessions are looked up as
        superuser (a professional may rename a patient whose other sessions
        they do not read)."""
        self.check_access("write")
        sessions = (
            self.env["psy.session"]
            .sudo()
            .search(
                [("patient_ids", "in", self.ids), ("calendar_event_id", "!=", False)]
            )
        )
        sessions._psy_refresh_calendar_names()

    def _get_patients_with_activity(self):
        with_sessions = (
            self.env["psy.session.participant"]
            .sudo()
            ._read_group([("patient_id", "in", self.ids)], groupby=["patient_id"])
        )
        ids = {patient.id for (patient,) in with_sessions}
        return super()._get_patients_with_activity() | self.filtered(
            lambda p: p.id in ids
        )

    def _action_sessions(self, domain):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "psy_session.psy_session_action"
        )
        action["domain"] = [("patient_ids", "in", self.id), *domain]
        action["context"] = {
            "default_patient_id": self.id,
            "search_default_filter_active": 0,
        }
        action["view_mode"] = "list,calendar,form,kanban"
        action["views"] = [
            (False, "list"),
            (False, "calendar"),
            (False, "form"),
            (False, "kanban"),
        ]
        return action

    def action_view_past_sessions(self):
        return self._action_sessions([("start", "<", fields.Datetime.now())])

    def action_view_upcoming_sessions(self):
        return self._action_sessions([("start", ">=", fields.Datetime.now())])
