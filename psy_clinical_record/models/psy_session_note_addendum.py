from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.base.models.ir_model import MODULE_UNINSTALL_FLAG

from .psy_session_note import sha256_of


class PsySessionNoteAddendum(models.Model):
    """Correction or complement of a signed note: the note itself never
    changes."""

    _name = "psy.session.note.addendum"
    _description = "Session note addendum"
    _inherit = ["psy.clinical.audit.mixin"]
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
    date = fields.Datetime(required=True, default=fields.Datetime.now)
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
            addendum.write(
                {
                    "state": "signed",
                    "signed_date": now,
                    "content_hash": addendum._content_hash(now),
                }
            )
        return True

    def write(self, vals):
        if self.filtered(lambda a: a.state == "signed"):
            raise UserError(
                self.env._(
                    "A signed addendum can no longer be changed. Add another "
                    "addendum to the note."
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_signed(self):
        if self.filtered(lambda a: a.state == "signed") and not self.env.context.get(
            MODULE_UNINSTALL_FLAG
        ):
            raise UserError(
                self.env._("Signed addenda are part of the record and are kept.")
            )
