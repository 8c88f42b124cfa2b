from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from odoo.addons.psy_patient.models.psy_guarded_mixin import module_uninstalling


class PsyClinicalAccessLog(models.Model):
    """Append-only audit of every access to clinical content.

    Nobody has an access right to create, change or delete a line: lines are
    only written by :meth:`_write_entries`, after it checked that the user may
    read what is logged."""

    _name = "psy.clinical.access.log"
    _description = "Clinical access log"
    _order = "date desc, id desc"

    date = fields.Datetime(
        default=fields.Datetime.now, required=True, readonly=True, index=True
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        required=True,
        readonly=True,
        index=True,
        ondelete="restrict",
    )
    action = fields.Selection(
        selection=[
            ("read", "Read"),
            ("print", "Print"),
            ("export", "Export"),
            ("grant", "Temporary access granted"),
            ("block", "Blocked"),
            ("unblock", "Unblocked"),
        ],
        required=True,
        readonly=True,
    )
    clinical_record_id = fields.Many2one(
        comodel_name="psy.clinical.record",
        string="Clinical record",
        readonly=True,
        index=True,
        ondelete="restrict",
    )
    patient_id = fields.Many2one(
        comodel_name="psy.patient",
        required=True,
        readonly=True,
        index=True,
        ondelete="restrict",
    )
    res_model = fields.Char(string="Document model", readonly=True)
    res_id = fields.Integer(string="Document ID", readonly=True)
    document = fields.Char(readonly=True, help="What was accessed.")
    company_id = fields.Many2one(
        comodel_name="res.company",
        string="Center",
        required=True,
        readonly=True,
        index=True,
    )
    outside_care = fields.Boolean(
        compute="_compute_outside_care",
        search="_search_outside_care",
        string="Outside care",
        help="The user is not one of the patient's professionals (e.g. a "
        "temporary access, a shared note).",
    )

    def _compute_outside_care(self):
        for line in self:
            line.outside_care = bool(
                line.user_id and line.user_id not in line.patient_id.professional_ids
            )

    def _search_outside_care(self, operator, value):
        # Searched in SQL on the assignment table, so that writing a line
        # costs nothing more than its INSERT.
        if operator not in ("=", "!=") or not isinstance(value, bool):
            return NotImplemented
        assigned = SQL(
            "(SELECT log.id FROM psy_clinical_access_log log "
            "JOIN psy_patient_professional_rel rel "
            "ON rel.patient_id = log.patient_id AND rel.user_id = log.user_id)"
        )
        outside = (operator == "=") == value
        return [("id", "not in" if outside else "in", assigned)]

    def _psy_access_refusals(self):
        return {
            "read": self.env._(
                "You cannot read the clinical access log: only the clinical director "
                "can."
            ),
            "write": self.env._(
                "Nobody can change the clinical access log: it is the proof of who "
                "read clinical content."
            ),
            "create": self.env._(
                "Nobody can write in the clinical access log: its lines are written "
                "when clinical content is read."
            ),
            "unlink": self.env._(
                "Nobody can delete lines of the clinical access log: they are kept "
                "for the legal retention period."
            ),
        }

    @api.model
    def _write_entries(self, documents, action, access_checked=False):
        """Log that the current user accessed ``documents`` (clinical
        records, notes...) through ``action``. Checks read access first
        (unless the caller just read them as the user, ``access_checked``),
        then writes the lines as superuser: users have no right on the log."""
        if not access_checked:
            documents.check_access("read")
        # Which record each document belongs to, read as superuser once the
        # documents are known to be readable (a shared note is read by
        # psychologists who may not read the record that keeps it).
        records = documents._psy_clinical_records().sudo()
        by_id = {record.id: record for record in records}
        # A shared note concerns each of its participants: one line each, on
        # that participant's record (looked up as superuser: only which record
        # it is, for the log).
        shared = documents._psy_audit_patients()
        others = self.env["psy.patient"].browse(
            {patient.id for patients in shared.values() for patient in patients}
        )
        record_of = {
            record.patient_id.id: record
            for record in self.env["psy.clinical.record"]
            .sudo()
            .search([("patient_id", "in", others.ids)])
        }
        vals_list = []
        for document in documents:
            record = (
                document
                if documents._psy_record_field == "id"
                else document[documents._psy_record_field]
            )
            record = by_id.get(record.id, record)
            subjects = [(record, record.patient_id)]
            for patient in shared.get(document.id, ()):
                if patient != record.patient_id:
                    subjects.append(
                        (record_of.get(patient.id, record.browse()), patient)
                    )
            vals_list += [
                {
                    "user_id": self.env.uid,
                    "action": action,
                    "clinical_record_id": subject_record.id,
                    "patient_id": patient.id,
                    "company_id": record.company_id.id,
                    "res_model": document._name,
                    "res_id": document.id,
                    "document": document._description,
                }
                for subject_record, patient in subjects
            ]
        return self.sudo().create(vals_list)

    @api.model
    def _log_patient_event(self, patients, action):
        """Log an event on patients' clinical data (a temporary access given,
        a blocking or unblocking). Checks first that the user may read the
        patients and is allowed what the event records: giving a temporary
        access (create right on the accesses) or blocking (clinical
        director); then writes the lines as superuser."""
        patients.check_access("read")
        if action == "grant":
            self.env["psy.clinical.access.grant"].check_access("create")
        elif not self.env.su and not self.env.user.has_group(
            "psy_patient.group_psy_director"
        ):
            raise AccessError(
                self.env._(
                    "Only a clinical director can block or unblock clinical data."
                )
            )
        return self.sudo().create(
            [
                {
                    "user_id": self.env.uid,
                    "action": action,
                    "patient_id": patient.id,
                    "company_id": patient.company_id.id,
                    "res_model": patient._name,
                    "res_id": patient.id,
                    "document": patient._description,
                }
                for patient in patients
            ]
        )

    def write(self, vals):
        self.check_access("write")
        # As for deletion, only the uninstallation run by the server passes.
        if not module_uninstalling(self.env):
            raise UserError(
                self.env._(
                    "The clinical access log cannot be changed: it is the proof "
                    "of who read clinical content. Nothing to do."
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=True)
    def _unlink_never(self):
        # Only the uninstallation of the module (run as superuser by the
        # server) removes the log; the context flag alone, which a client can
        # send, is not enough.
        if not module_uninstalling(self.env):
            raise UserError(
                self.env._(
                    "Lines of the clinical access log cannot be deleted; they "
                    "are kept for the legal retention period."
                )
            )
