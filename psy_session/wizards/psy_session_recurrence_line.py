from odoo import fields, models


class PsySessionRecurrenceLine(models.TransientModel):
    _name = "psy.session.recurrence.line"
    _description = "Occurrence of a series of sessions"
    _order = "start"

    wizard_id = fields.Many2one(
        comodel_name="psy.session.recurrence.wizard",
        required=True,
        ondelete="cascade",
    )
    start = fields.Datetime(readonly=True)
    result = fields.Selection(
        selection=[("created", "Booked"), ("conflict", "Not booked")],
        readonly=True,
    )
    session_id = fields.Many2one(
        comodel_name="psy.session",
        readonly=True,
    )
    message = fields.Char(string="Reason", readonly=True)
