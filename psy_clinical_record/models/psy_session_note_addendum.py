from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.psy_patient.models.psy_guarded_mixin import module_uninstalling

from .psy_clinical_refusals import psy_clinical_refusals
from .psy_session_note import sha256_of, without_guarded_defaults

# Set by the Sign button only.
SIGNATURE_FIELDS = frozenset({"state", "signed_date", "content_hash"})
# Follow the note; never written directly.
DERIVED_FIELDS = frozenset({"record_id", "patient_id", "company_id"})


class PsySessionNoteAddendum(models.Model):
    """Correction or complement of a signed note: the note itself never
    changes."""

    _name = "psy.session.note.addendum"
    _description = "Session note addendum"
    _inherit = [
        "psy.clinical.audit.mixin",
        "psy.guarded.mixin",
    ]
    _order = "date, id"
    _check_company_auto = True

    note_id = fields.Many2one(
        comodel_name="psy.session.note",
        required=True,
        index=True,
        ondelete="restrict",
    )
    record_id = fields.Many2one(
        related="note_id.record_id", store=True, index=True, string="Clinical record"
    )
    patient_id = fields.Many2one(related="note_id.patient_id", store=True, index=True)
    company_id = fields.Many2one(
        related="note_id.company_id", store=True, index=True, string="Center"
    )
    date = fields.Datetime(
        required=True,
        readonly=True,
        default=fields.Datetime.now,
        help="When the addendum was written: set when it is created, never "
        "changed (it is part of the signed content).",
    )
    reason = fields.Char(required=True, help="Why the note is corrected.")
    content = fields.Text(required=True)
    author_id = fields.Many2one(
        comodel_name="res.users",
        required=True,
        readonly=True,
        default=lambda self: self.env.user,
        ondelete="restrict",
    )
    state = fields.Selection(
        selection=[("draft", "Draft"), ("signed", "Signed")],
        string="Status",
        default="draft",
        required=True,
        readonly=True,
        copy=False,
    )
    signed_date = fields.Datetime(string="Signed on", readonly=True, copy=False)
    content_hash = fields.Char(string="SHA-256", readonly=True, copy=False)

    @api.constrains("note_id")
    def _check_note_signed(self):
        for addendum in self:
            if addendum.note_id.state != "signed":
                raise ValidationError(
                    self.env._(
                        "%(note)s is not signed yet: edit the note itself "
                        "instead of adding an addendum.",
                        note=addendum.note_id.display_name,
                    )
                )

    def _canonical_content(self, signed_date=None):
        self.ensure_one()
        signed_date = signed_date if signed_date is not None else self.signed_date
        return {
            "model": self._name,
            "id": self.id,
            "note": self.note_id.id,
            "note_hash": self.note_id.content_hash or "",
            "date": fields.Datetime.to_string(self.date),
            "reason": self.reason or "",
            "content": self.content or "",
            "author": self.author_id.id,
            "signed_date": fields.Datetime.to_string(signed_date) or "",
        }

    def _content_hash(self, signed_date=None):
        return sha256_of(self._canonical_content(signed_date))

    def action_sign(self):
        for addendum in self:
            if addendum.state == "signed":
                raise UserError(self.env._("This addendum is already signed."))
            if not self.env.su and addendum.author_id != self.env.user:
                raise UserError(
                    self.env._(
                        "Only %(author)s, who wrote this addendum, can sign it.",
                        author=addendum.author_id.name,
                    )
                )
        now = fields.Datetime.now().replace(microsecond=0)
        for addendum in self:
            addendum._psy_write_guarded(
                {
                    "state": "signed",
                    "signed_date": now,
                    "content_hash": addendum._content_hash(now),
                }
            )
        return True

    # ------------------------------------------------------------------
    # Guards
    # ------------------------------------------------------------------

    def _psy_access_refusals(self):
        return psy_clinical_refusals(self.env)

    @api.model
    def _psy_guarded_fields(self):
        return (
            super()._psy_guarded_fields()
            | SIGNATURE_FIELDS
            | DERIVED_FIELDS
            | {"author_id", "date"}
        )

    @api.model
    def _psy_guarded_initial_values(self):
        return {
            **super()._psy_guarded_initial_values(),
            "state": ("draft",),
            # An addendum is written by the user who creates it.
            "author_id": (self.env.uid,),
        }

    @api.model
    def _psy_guard_error(self, field_names):
        if set(field_names) & SIGNATURE_FIELDS:
            return UserError(
                self.env._(
                    "The status, signature date and fingerprint of an addendum "
                    "are set only by its Sign button: write the addendum, then "
                    "click Sign."
                )
            )
        if "date" in field_names:
            return UserError(
                self.env._(
                    "An addendum is dated when it is written; its date cannot be "
                    "chosen or changed. Write a new addendum instead."
                )
            )
        if "author_id" in field_names:
            return UserError(
                self.env._(
                    "An addendum is always written in the name of the user who "
                    "creates it; its author cannot be chosen or changed."
                )
            )
        return UserError(
            self.env._(
                "The clinical record, patient and center of an addendum follow "
                "its note: choose the note instead."
            )
        )

    @api.model_create_multi
    def create(self, vals_list):
        return super(PsySessionNoteAddendum, without_guarded_defaults(self)).create(
            vals_list
        )

    def write(self, vals):
        # Keyed on the addendum's own state, whoever writes (superuser
        # included) and whatever the context.
        if self.filtered(lambda a: a.state == "signed"):
            raise UserError(
                self.env._(
                    "A signed addendum can no longer be changed. Add another "
                    "addendum to the note."
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=True)
    def _unlink_except_signed(self):
        # Only the uninstallation of the module, run as superuser by the
        # server, removes signed addenda; the context flag alone (which a
        # client can send) is not enough.
        if module_uninstalling(self.env):
            return
        if self.filtered(lambda a: a.state == "signed"):
            raise UserError(
                self.env._("Signed addenda are part of the record and are kept.")
            )

    def _psy_audit_patients(self):
        """An addendum of a shared note is read about each participant."""
        return {
            addendum.id: addendum.note_id.patient_ids
            for addendum in self
            if addendum.note_id.is_shared
        }
