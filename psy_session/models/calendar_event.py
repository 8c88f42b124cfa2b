from odoo import fields, models


class CalendarEvent(models.Model):
    _inherit = "calendar.event"

    psy_session_id = fields.Many2one(
        comodel_name="psy.session",
        string="Therapy session",
        readonly=True,
        index="btree_not_null",
        ondelete="cascade",
    )

    def write(self, vals):
        res = super().write(vals)
        if (
            not self.env.context.get("psy_session_sync")
            and {"start", "stop"} & set(vals)
            and self.psy_session_id
        ):
            for event in self.filtered("psy_session_id"):
                event.psy_session_id._move_from_calendar(event.start, event.stop)
        return res
