from odoo import api, fields, models
from odoo.exceptions import UserError


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

    @api.ondelete(at_uninstall=False)
    def _unlink_except_psy_session(self):
        """The agenda entry of a session goes with the session: deleting it
        in the Calendar app would leave the session booked and unseen."""
        if self.env.context.get("psy_session_sync"):
            return
        event = self.filtered("psy_session_id")[:1]
        if event:
            raise UserError(
                self.env._(
                    "“%(event)s” is the calendar entry of a therapy session and "
                    "cannot be deleted. Cancel the session (or mark it as a "
                    "no-show) from the Psychology agenda instead: its cancellation "
                    "rules and session packs apply there.",
                    event=event.name,
                )
            )
