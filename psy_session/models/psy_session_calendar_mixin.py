# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError

from .psy_session_booking_mixin import FREE_STATES

# Fields of a session copied to its calendar entry.
CALENDAR_FIELDS = {
    "start",
    "stop",
    "patient_id",
    "participant_ids",
    "professional_id",
    "product_id",
    "room_id",
    "modality",
    "video_url",
    "state",
}


class PsySessionCalendarMixin(models.AbstractModel):
    """A session's entry in Odoo Calendar, kept in step with the session.

    The entry is created with the session, follows every change of it (time,
    attendees, room, video link; archived while the session is cancelled)
    and is deleted with it. Moving the entry in the Calendar app moves the
    session. No flag is involved: each side writes the other only when their
    values differ, so the two writes meet and stop.
    """

    _name = "psy.session.calendar.mixin"
    _inherit = ["psy.guarded.mixin", "psy.record.mixin"]
    _description = "Calendar entry kept in step with a session"

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        records._psy_create_calendar_events()
        return records

    def write(self, vals):
        res = super().write(vals)
        if CALENDAR_FIELDS & set(vals):
            self._psy_sync_calendar_events()
        return res

    def unlink(self):
        self._psy_unlink_calendar_events()
        return super().unlink()

    # ------------------------------------------------------------------
    # The one door to the calendar entries
    # ------------------------------------------------------------------

    def _psy_calendar_event_model(self):
        """``calendar.event`` as superuser, for the entries of ``self``.

        Whoever may change a session may move its entry, even when the entry
        belongs to the professional's calendar: the caller's right to write
        the sessions is checked first. Attendees are not notified of these
        technical updates (Odoo Calendar's own context keys)."""
        self.check_access("write")
        return (
            self.env["calendar.event"]
            .sudo()
            .with_context(
                active_test=False,
                no_mail_to_attendees=True,
                dont_notify=True,
            )
        )

    def _calendar_event_values(self):
        self.ensure_one()
        partners = (
            self.professional_id.partner_id
            | self.participant_ids.filtered(
                lambda p: p.attendance not in ("cancelled", "late_cancelled")
            ).patient_id.partner_id
        )
        return {
            "name": self._psy_calendar_name(),
            "start": self.start,
            "stop": self.stop,
            "user_id": self.professional_id.id,
            "partner_ids": [fields.Command.set(partners.ids)],
            "privacy": "private",
            "show_as": "busy",
            "location": self.room_id.name or False,
            "psy_session_id": self.id,
        }

    def _psy_calendar_name(self):
        """The name stored on the calendar entry, the same for every reader
        and in no one's language: who the session is for ("Ana López", "Ana
        & Luis", a program). Only a group session without a program is named
        after its type, in the center's language. Each reader sees the full
        title in their own language (``calendar.event._compute_display_name``);
        invitations and other calendars get this name."""
        self.ensure_one()
        session = self.sudo().with_context(
            lang=self.company_id.partner_id.lang or self.env.lang
        )
        return session._psy_who() or session._psy_title()

    def _psy_refresh_calendar_names(self):
        """Rename the calendar entries of the sessions whose participants were
        renamed. The caller must be allowed to read the sessions; only the
        names of their entries are written, as superuser."""
        self.check_access("read")
        events = self.sudo().calendar_event_id.with_context(
            active_test=False, no_mail_to_attendees=True, dont_notify=True
        )
        for event in events:
            name = event.psy_session_id._psy_calendar_name()
            if event.psy_session_id and event.name != name:
                event.name = name

    def _psy_create_calendar_events(self):
        Event = self._psy_calendar_event_model()
        vals_list = []
        for session in self:
            vals = session._calendar_event_values()
            if session.modality == "online":
                vals["videocall_location"] = (
                    session.video_url or Event.get_discuss_videocall_location()
                )
            vals["active"] = session.state not in FREE_STATES
            vals_list.append(vals)
        events = Event.create(vals_list)
        for session, event in zip(self, events, strict=True):
            vals = {"calendar_event_id": event.id}
            if session.modality == "online" and not session.video_url:
                vals["video_url"] = event.videocall_location
            session._psy_write_guarded(vals)

    @api.model
    def _psy_calendar_changes(self, event, vals):
        """The values of ``vals`` that differ from ``event``."""
        changes = {}
        for name, value in vals.items():
            if name == "partner_ids":
                if set(value[0][2]) != set(event.partner_ids.ids):
                    changes[name] = value
            elif name == "user_id":
                if event.user_id.id != value:
                    changes[name] = value
            elif (event[name] or False) != (value or False):
                changes[name] = value
        return changes

    def _psy_sync_calendar_events(self):
        Event = self._psy_calendar_event_model()
        for session in self:
            event = Event.browse(session.calendar_event_id.id)
            if not event.exists():
                session._psy_create_calendar_events()
                continue
            vals = session._calendar_event_values()
            vals.pop("psy_session_id")
            vals["active"] = session.state not in FREE_STATES
            if session.modality == "online":
                vals["videocall_location"] = (
                    session.video_url
                    or event.videocall_location
                    or Event.get_discuss_videocall_location()
                )
            else:
                vals["videocall_location"] = False
            changes = self._psy_calendar_changes(event, vals)
            if changes:
                event.write(changes)
            if session.modality == "online" and not session.video_url:
                session.video_url = event.videocall_location

    def _psy_unlink_calendar_events(self):
        """Delete the calendar entries of the sessions being deleted.

        The caller must be allowed to delete the sessions. The Calendar app
        refuses to delete an entry that belongs to a session (for everyone),
        so the entries are detached from their sessions first — a change only
        the superuser may make — and then deleted, archived ones included."""
        self.check_access("unlink")
        events = (
            self.env["calendar.event"]
            .sudo()
            .with_context(active_test=False)
            .search([("psy_session_id", "in", self.ids)])
        )
        events.write({"psy_session_id": False})
        events.unlink()

    # ------------------------------------------------------------------
    # From the Calendar app to the session
    # ------------------------------------------------------------------

    def _move_from_calendar(self, start, stop):
        """The entry was moved in the Calendar app: move the session, with the
        rights of the user who moved it."""
        for session in self:
            if session.state != "scheduled":
                raise UserError(
                    self.env._(
                        "The session of %(patient)s is %(state)s and cannot be "
                        "moved. Only scheduled sessions can be moved.",
                        patient=session._psy_who(),
                        state=session._psy_state_label(),
                    )
                )
        self.write({"start": start, "stop": stop})

    def action_open_calendar_event(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "calendar.event",
            "res_id": self.calendar_event_id.id,
            "view_mode": "form",
        }
