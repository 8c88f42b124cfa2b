from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

# Changed only by the Block and Unblock buttons of the clinical director.
BLOCKING_FIELDS = frozenset({"psy_blocked", "psy_blocked_date"})


class PsyPatient(models.Model):
    _inherit = "psy.patient"

    psy_blocked = fields.Boolean(
        string="Clinical data blocked",
        readonly=True,
        copy=False,
        help="After an erasure request the clinical data are blocked: hidden "
        "from everyone but the clinical director and kept for the legal "
        "retention period.",
    )
    psy_blocked_date = fields.Date(string="Blocked on", readonly=True, copy=False)
    psy_blocked_reason = fields.Text(
        string="Blocking reason",
        copy=False,
        groups="psy_patient.group_psy_director",
    )
    psy_clinical_grant_ids = fields.One2many(
        comodel_name="psy.clinical.access.grant",
        inverse_name="patient_id",
        string="Temporary clinical access",
        groups="psy_patient.group_psy_director",
    )
    psy_access_log_count = fields.Integer(
        string="Clinical access log",
        compute="_compute_psy_access_log_count",
        groups="psy_patient.group_psy_director",
    )

    def _compute_psy_access_log_count(self):
        groups = self.env["psy.clinical.access.log"]._read_group(
            [("patient_id", "in", self.ids)], ["patient_id"], ["__count"]
        )
        counts = {patient.id: count for patient, count in groups}
        for patient in self:
            patient.psy_access_log_count = counts.get(patient.id, 0)

    def _get_patients_with_activity(self):
        # Whether a clinical record exists is read as superuser (the front
        # desk cannot read records), for patients the caller may read.
        self.check_access("read")
        with_records = (
            self.env["psy.clinical.record"]
            .sudo()
            ._read_group([("patient_id", "in", self.ids)], groupby=["patient_id"])
        )
        ids = {patient.id for (patient,) in with_records}
        return super()._get_patients_with_activity() | self.filtered(
            lambda p: p.id in ids
        )

    # ------------------------------------------------------------------
    # Who may open the clinical record
    # ------------------------------------------------------------------

    def _psy_may_open_clinical_record(self):
        """Whether the current user may open (read, write, create) the
        clinical record of this patient: one of the patient's psychologists,
        or a psychologist holding an active temporary access, unless the
        clinical data are blocked. Mirrors the record rules."""
        self.ensure_one()
        user = self.env.user
        if self.env.su:
            return True
        if self.psy_blocked or not user.has_group("psy_patient.group_psy_psychologist"):
            return False
        if user in self.professional_ids:
            return True
        return bool(
            self.env["psy.clinical.access.grant"].search_count(
                [
                    ("patient_id", "=", self.id),
                    ("user_id", "=", user.id),
                    ("state", "=", "active"),
                    ("date_to", ">=", fields.Date.today()),
                ],
                limit=1,
            )
        )

    def _psy_check_may_open_clinical_record(self):
        """Refuse, with one message saying who can, when the current user may
        not open the clinical record of these patients."""
        for patient in self:
            if not patient._psy_may_open_clinical_record():
                raise AccessError(patient._psy_clinical_record_refusal())

    def _psy_clinical_record_refusal(self):
        """Why the current user may not open the clinical record of this
        patient, and who can."""
        self.ensure_one()
        is_director = self.env.user.has_group("psy_patient.group_psy_director")
        names = ", ".join(self.professional_ids.mapped("name"))
        if self.psy_blocked and is_director:
            return self.env._(
                "The clinical data of %(patient)s are blocked after an erasure "
                "request: no clinical record can be opened for the patient "
                "until you unblock them.",
                patient=self.name,
            )
        if self.psy_blocked:
            return self.env._(
                "The clinical data of %(patient)s are blocked after an erasure "
                "request: only the clinical director can read them.",
                patient=self.name,
            )
        if is_director and names:
            return self.env._(
                "Only the psychologists of %(patient)s (%(names)s) open the "
                "patient's clinical record; as clinical director you read it "
                "once they have opened it.",
                patient=self.name,
                names=names,
            )
        if is_director:
            return self.env._(
                "No psychologist is assigned to %(patient)s yet, so there is no "
                "clinical record to read. The front desk assigns one in the "
                "patient's file, and that psychologist opens the record.",
                patient=self.name,
            )
        if names:
            return self.env._(
                "You cannot open the clinical record of %(patient)s: you are "
                "not one of the patient's psychologists. It can be opened by "
                "the patient's assigned psychologist (%(names)s) and read by "
                "the clinical director, who can also give you temporary access "
                "if you need it.",
                patient=self.name,
                names=names,
            )
        return self.env._(
            "You cannot open the clinical record of %(patient)s: no "
            "psychologist is assigned to this patient yet. Ask the front desk "
            "to assign you in the patient's file, or the clinical director for "
            "a temporary access.",
            patient=self.name,
        )

    def _psy_clinical_record(self):
        self.ensure_one()
        return self.env["psy.clinical.record"].search(
            [("patient_id", "=", self.id)], limit=1
        )

    def action_open_clinical_record(self):
        """Open the patient's clinical record, or a new one for a patient
        who has none, for a user who may open it; anybody else gets one
        message saying who can, and no form."""
        self.ensure_one()
        record = self.env["psy.clinical.record"]
        if record.has_access("read"):
            record = self._psy_clinical_record()
        if not record:
            self._psy_check_may_open_clinical_record()
        action = {
            "type": "ir.actions.act_window",
            "name": self.env._("Clinical record"),
            "res_model": "psy.clinical.record",
            "view_mode": "form",
            "context": {"default_patient_id": self.id},
        }
        if record:
            action["res_id"] = record.id
        return action

    def action_print_clinical_copy(self):
        self.ensure_one()
        record = self._psy_clinical_record()
        if not record:
            raise UserError(
                self.env._(
                    "%(patient)s has no clinical record you can read: there is "
                    "nothing to print.",
                    patient=self.name,
                )
            )
        return record.action_print_copy()

    def action_view_clinical_access_log(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "psy_clinical_record.psy_clinical_access_log_action"
        )
        action["domain"] = [("patient_id", "=", self.id)]
        action["context"] = {}
        return action

    # ------------------------------------------------------------------
    # Blocking (erasure request): changed only by the buttons below
    # ------------------------------------------------------------------

    @api.model
    def _psy_guarded_fields(self):
        return super()._psy_guarded_fields() | BLOCKING_FIELDS

    @api.model
    def _psy_guard_error(self, field_names):
        if set(field_names) & BLOCKING_FIELDS:
            return UserError(
                self.env._(
                    "The blocking of clinical data changes only with the Block "
                    "clinical data and Unblock buttons of the patient's file, "
                    "used by the clinical director."
                )
            )
        return super()._psy_guard_error(field_names)

    def _check_director(self):
        if not self.env.user.has_group("psy_patient.group_psy_director"):
            raise UserError(
                self.env._("Only a clinical director can block clinical data.")
            )

    def action_psy_block(self):
        self._check_director()
        for patient in self:
            if not patient.psy_blocked_reason:
                raise UserError(
                    self.env._(
                        "Write the reason of the blocking of %(patient)s (e.g. "
                        "the date of the erasure request) before blocking.",
                        patient=patient.name,
                    )
                )
        self._psy_write_guarded(
            {"psy_blocked": True, "psy_blocked_date": self._psy_today()}
        )
        self.env["psy.clinical.access.log"]._log_patient_event(self, "block")

    def action_psy_unblock(self):
        self._check_director()
        self._psy_write_guarded({"psy_blocked": False, "psy_blocked_date": False})
        self.env["psy.clinical.access.log"]._log_patient_event(self, "unblock")
