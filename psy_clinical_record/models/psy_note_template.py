from odoo import fields, models

NOTE_FORMATS = [
    ("soap", "SOAP"),
    ("dap", "DAP"),
    ("birp", "BIRP"),
    ("free", "Free text"),
]


class PsyNoteTemplate(models.Model):
    """Note formats offered to the psychologists, set by the direction."""

    _name = "psy.note.template"
    _description = "Session note template"
    _order = "sequence, id"

    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    note_format = fields.Selection(
        selection=NOTE_FORMATS, string="Format", required=True, default="soap"
    )
    guidance = fields.Text(
        translate=True,
        help="Shown on the note: what to write in each part.",
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        string="Center",
        help="Leave empty to offer the template in every center.",
    )
