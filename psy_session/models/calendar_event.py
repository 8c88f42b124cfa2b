# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.psy_patient.models.psy_guarded_mixin import module_uninstalling


class CalendarEvent(models.Model):
    _name = "calendar.event"
    _inherit = ["calendar.event", "psy.guarded.mixin"]

    psy_session_id = fields.Many2one(
        comodel_name="psy.session",
        string="Therapy session",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="cascade",
    )

    @api.model
    def _psy_guarded_fields(self):
        return super()._psy_guarded_fields() | {"psy_session_id"}

    @api.model
    def _psy_guard_error(self, field_names):
        return UserError(
            self.env._(
                "The therapy session of a calendar entry is set by the Psychology "
                "agenda and cannot be changed in the Calendar app. Book, move or "
                "cancel the session from the agenda instead."
            )
        )

    @api.depends("psy_session_id")
    @api.depends_context("lang", "uid")
    def _compute_display_name(self):
        """The entry of a session is shown with the session's title in the
        reader's language ("Ana López · Terapia individual"); its stored name
        carries only who it is for. Private entries of others stay "Busy"."""
        res = super()._compute_display_name()
        visible = self.filtered(
            lambda event: event.psy_session_id
            and not event._check_private_event_conditions()
        )
        visible._psy_set_session_titles()
        return res

    def _psy_set_session_titles(self):
        """Titles of the sessions of entries the user reads (the Calendar app
        shows them to their organizer and attendees), read as superuser: the
        title says no more than the entry's name and the session type."""
        for event in self:
            event.display_name = event.sudo().psy_session_id._psy_title()

    def write(self, vals):
        res = super().write(vals)
        if {"start", "stop"} & set(vals):
            for event in self.filtered("psy_session_id"):
                session = event.psy_session_id
                # The session's own updates write the values it already has:
                # only a move made in the Calendar app reaches it.
                if (event.start, event.stop) != (session.start, session.stop):
                    session._move_from_calendar(event.start, event.stop)
        return res

    @api.ondelete(at_uninstall=True)
    def _unlink_except_psy_session(self):
        """The agenda entry of a session goes with the session: deleting it
        in the Calendar app would leave the session booked and unseen. Holds
        for everyone; deleting the session detaches and deletes its entries
        (``psy.session._psy_unlink_calendar_events``)."""
        if module_uninstalling(self.env):
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
