from odoo import api, fields, models
from odoo.exceptions import UserError

from .psy_clinical_audit_mixin import AUDIT_LIST_FIELDS


class PsyPrivateNote(models.Model):
    """Subjective annotations of a professional: only their author reads
    them (the clinical director too when the author shares them); they are
    left out of the patient's copy."""

    _name = "psy.private.note"
    _description = "Private note"
    _inherit = [
        "psy.clinical.audit.mixin",
        "psy.guarded.mixin",
    ]
    _order = "date desc, id desc"
    _check_company_auto = True
    _psy_audit_list_fields = (*AUDIT_LIST_FIELDS, "shared_with_director")

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
    author_id = fields.Many2one(
        comodel_name="res.users",
        required=True,
        readonly=True,
        default=lambda self: self.env.user,
        index=True,
        ondelete="restrict",
    )
    date = fields.Date(
        required=True, default=lambda self: self.env["psy.patient"]._psy_today()
    )
    content = fields.Text(required=True)
    shared_with_director = fields.Boolean(
        help="Let the clinical director read this note (supervision).",
    )

    @api.model_create_multi
    def create(self, vals_list):
        notes = super().create(vals_list)
        # A private note is written on a record its author may read.
        notes.record_id.check_access("read")
        return notes

    def _psy_access_refusals(self):
        return {
            "read": self.env._(
                "You cannot read this private note: only its author can, and the "
                "clinical director when the author shares it."
            ),
            "write": self.env._(
                "You cannot change this private note: only its author can."
            ),
            "create": self.env._(
                "You cannot write private notes in the clinical record of a patient "
                "you do not treat: only the patient's psychologists can."
            ),
            "unlink": self.env._(
                "Nobody can delete clinical content: it is kept for the legal "
                "retention period."
            ),
        }

    @api.model
    def _psy_guarded_fields(self):
        return super()._psy_guarded_fields() | {"author_id", "patient_id", "company_id"}

    @api.model
    def _psy_guarded_initial_values(self):
        # A private note is written by the user who creates it, and only
        # they read it.
        return {**super()._psy_guarded_initial_values(), "author_id": (self.env.uid,)}

    @api.model
    def _psy_guard_error(self, field_names):
        if "author_id" in field_names:
            return UserError(
                self.env._(
                    "A private note belongs to the user who writes it; its "
                    "author cannot be chosen or changed."
                )
            )
        return UserError(
            self.env._(
                "The patient and center of a private note follow its clinical "
                "record: write it in the clinical record of the right patient "
                "instead."
            )
        )
