# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64
import uuid
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression
from odoo.tools import format_datetime

from odoo.addons.psy_patient.models.psy_guarded_mixin import module_uninstalling


class PsySlotTaken(ValidationError):
    """The slot chosen on the booking page is no longer free."""


class PsyBookingRequest(models.Model):
    """A session booked on the online booking page.

    Every online booking creates the session at once, so that the slot is
    held by the database's exclusion constraints (a second visitor on the
    same slot is refused), and one request that tells the front desk where
    it comes from:

    * *Confirmed*: a logged-in patient of a center that lets patients book
      directly; the confirmation e-mail (with an ``.ics`` file) is sent.
    * *To confirm*: any other booking (visitors who are not logged in always,
      whatever their e-mail: the e-mail alone never identifies a patient).
      The session is scheduled for a new patient file made from what the
      visitor typed; the front desk checks it, may choose the existing
      patient file instead (*Existing patient*), and confirms (the e-mail
      with the ``.ics`` file is sent then) or rejects (the session is
      cancelled in time, nothing is charged).
    """

    _name = "psy.booking.request"
    _description = "Online booking request"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "psy.guarded.mixin",
        "psy.record.mixin",
    ]
    _order = "start desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Title",
        compute="_compute_name",
        search="_search_name",
        help="Who asks, then the session type, in the reader's language.",
    )
    state = fields.Selection(
        selection=[
            ("requested", "To confirm"),
            ("confirmed", "Confirmed"),
            ("rejected", "Rejected"),
        ],
        string="Status",
        default="requested",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    source = fields.Selection(
        selection=[("patient", "Logged-in patient"), ("visitor", "Visitor")],
        required=True,
        readonly=True,
        default="visitor",
        help="A logged-in patient was recognised by their portal account; a "
        "visitor typed their contact details (never matched by e-mail).",
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        string="Center",
        required=True,
        readonly=True,
        index=True,
        default=lambda self: self.env.company,
    )
    session_id = fields.Many2one(
        comodel_name="psy.session",
        readonly=True,
        copy=False,
        index=True,
        check_company=True,
        ondelete="restrict",
    )
    patient_id = fields.Many2one(
        comodel_name="psy.patient",
        string="Patient file",
        readonly=True,
        copy=False,
        index=True,
        check_company=True,
        ondelete="restrict",
        help="The patient of the session: the logged-in patient, or a new file "
        "made from the visitor's details.",
    )
    patient_created = fields.Boolean(
        string="New patient file",
        readonly=True,
        copy=False,
        help="The patient file was created by this request.",
    )
    existing_patient_id = fields.Many2one(
        comodel_name="psy.patient",
        string="Existing patient",
        check_company=True,
        help="The front desk found that the visitor already has a file: on "
        "confirmation the session moves to it and the new file is archived.",
    )
    firstname = fields.Char(string="First name", readonly=True)
    lastname = fields.Char(string="Last names", readonly=True)
    email = fields.Char(readonly=True)
    phone = fields.Char(readonly=True)
    product_id = fields.Many2one(
        comodel_name="product.product",
        string="Session type",
        readonly=True,
        required=True,
    )
    professional_id = fields.Many2one(
        comodel_name="res.users",
        readonly=True,
        required=True,
    )
    modality = fields.Selection(
        selection=[("in_person", "In person"), ("online", "Online")],
        readonly=True,
        required=True,
    )
    start = fields.Datetime(readonly=True, required=True)
    stop = fields.Datetime(string="End", readonly=True, required=True)
    tz = fields.Char(
        string="Time zone of the visitor",
        readonly=True,
        help="Time zone in which the booking page showed the times.",
    )
    privacy_accepted_date = fields.Datetime(
        string="Data protection accepted on", readonly=True
    )
    decision_date = fields.Datetime(string="Decided on", readonly=True, copy=False)
    access_token = fields.Char(readonly=True, copy=False, groups="base.group_system")

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("firstname", "lastname", "product_id.name")
    @api.depends_context("lang")
    def _compute_name(self):
        """ "Ana López · Terapia individual": computed when read, the session
        type in the reader's language (never stored in the language of the
        visitor who asked)."""
        for request in self:
            who = " ".join(p for p in (request.firstname, request.lastname) if p)
            request.name = " · ".join(p for p in (who, request.product_id.name) if p)

    def _search_name(self, operator, value):
        """Requests by title: each word typed is found in the first name, the
        last names or the session type (in the reader's language)."""
        if operator not in ("ilike", "not ilike", "=", "!=") or not isinstance(
            value, str
        ):
            return NotImplemented
        positive = operator in ("ilike", "=")
        words = value.replace("·", " ").split()
        if not words:
            return [] if positive else [(0, "=", 1)]
        domain = expression.AND(
            [
                [
                    "|",
                    "|",
                    ("firstname", "ilike", word),
                    ("lastname", "ilike", word),
                    ("product_id.name", "ilike", word),
                ]
                for word in words
            ]
        )
        return domain if positive else ["!", *domain]

    # ------------------------------------------------------------------
    # Guard
    # ------------------------------------------------------------------

    @api.model
    def _psy_guarded_fields(self):
        return super()._psy_guarded_fields() | {
            "state",
            "source",
            "session_id",
            "patient_id",
            "patient_created",
            "decision_date",
            "access_token",
            "company_id",
            "start",
            "stop",
            "professional_id",
            "product_id",
            "modality",
            "firstname",
            "lastname",
            "email",
            "phone",
            "tz",
            "privacy_accepted_date",
        }

    @api.model
    def _psy_guarded_initial_values(self):
        return {**super()._psy_guarded_initial_values(), "state": ("requested",)}

    @api.model
    def _psy_guard_error(self, field_names):
        return UserError(
            self.env._(
                "Online booking requests are made by the booking page and change "
                "only with their buttons: Confirm and Reject. Choose the "
                "existing patient if the visitor already has a file, then use "
                "those buttons."
            )
        )

    @api.ondelete(at_uninstall=True)
    def _unlink_never(self):
        if module_uninstalling(self.env):
            return
        raise UserError(
            self.env._(
                "Online booking requests are kept as the record of how each "
                "session was booked. Reject the request instead of deleting it."
            )
        )

    # ------------------------------------------------------------------
    # Booking from the page
    # ------------------------------------------------------------------

    @api.model
    def _psy_book(
        self,
        company,
        product,
        modality,
        professional,
        start,
        patient=None,
        contact=None,
        tz=None,
        now=None,
    ):
        """Book ``start`` with ``professional`` for ``patient`` (recognised by
        their login) or for the visitor of ``contact`` (firstname, lastname,
        email, phone): the session and its request, in one savepoint.

        Runs as superuser, called by the booking page after it checked the
        form; it checks here that the slot is one the page offers (working
        hours, notice, buffer, free room) and lets the database decide
        between concurrent bookings. Raises :class:`PsySlotTaken` when the
        slot is no longer free: nothing is left behind."""
        now = now or fields.Datetime.now()
        Availability = self.env["psy.booking.availability"]
        duration = timedelta(hours=product.psy_duration)
        slots = Availability._psy_slots(
            company,
            product,
            modality,
            professional,
            start,
            start + timedelta(seconds=1),
            patient=patient,
            now=now,
        )
        slot = next((s for s in slots if s["start"] == start), None)
        if not slot:
            raise PsySlotTaken(self._psy_slot_taken_message())
        direct = bool(patient) and company.psy_booking_confirmation == "auto"
        try:
            with self.env.cr.savepoint():
                created = False
                if not patient:
                    patient = self._psy_new_patient(company, contact)
                    created = True
                session = (
                    self.env["psy.session"]
                    .with_company(company)
                    .create(
                        {
                            "patient_id": patient.id,
                            "professional_id": professional.id,
                            "product_id": product.id,
                            "modality": modality,
                            "room_id": slot["room"].id or False,
                            "start": start,
                            "stop": start + duration,
                            "company_id": company.id,
                        }
                    )
                )
        except ValidationError:
            raise PsySlotTaken(self._psy_slot_taken_message()) from None
        except UserError:
            # Another rule of the center refused the session (e.g. a consent
            # required before booking): the visitor is told to call.
            raise PsySlotTaken(
                self.env._(
                    "This time cannot be booked online. Please call the center "
                    "or choose another time below."
                )
            ) from None
        contact = contact or {}
        partner = patient.partner_id
        request = self.create(
            {
                "company_id": company.id,
                "state": "confirmed" if direct else "requested",
                "source": "visitor" if created else "patient",
                "session_id": session.id,
                "patient_id": patient.id,
                "patient_created": created,
                "firstname": contact.get("firstname") or patient.firstname,
                "lastname": contact.get("lastname") or patient.lastname,
                "email": contact.get("email") or partner.email,
                "phone": contact.get("phone") or partner.phone,
                "product_id": product.id,
                "professional_id": professional.id,
                "modality": modality,
                "start": session.start,
                "stop": session.stop,
                "tz": tz,
                "privacy_accepted_date": now,
                "decision_date": now if direct else False,
                "access_token": str(uuid.uuid4()),
            }
        )
        session.message_post(
            body=self.env._(
                "Booked online (%(state)s).", state=request._psy_state_label()
            ),
            subtype_xmlid="mail.mt_note",
        )
        request._psy_send_mail()
        return request

    @api.model
    def _psy_slot_taken_message(self):
        return self.env._(
            "This slot was just taken. Please choose another one among the "
            "free slots below."
        )

    @api.model
    def _psy_new_patient(self, company, contact):
        """A patient file from the visitor's details, for the front desk to
        check (never matched to an existing file by e-mail)."""
        return (
            self.env["psy.patient"]
            .with_company(company)
            .create(
                {
                    "firstname": contact["firstname"],
                    "lastname": contact["lastname"],
                    "email": contact["email"],
                    "phone": contact.get("phone") or False,
                    "company_id": company.id,
                }
            )
        )

    # ------------------------------------------------------------------
    # Front desk
    # ------------------------------------------------------------------

    def _psy_check_front_desk(self):
        if not self.env.user.has_group("psy_patient.group_psy_receptionist"):
            raise UserError(
                self.env._(
                    "Only the front desk (Receptionist role) confirms or rejects "
                    "online booking requests."
                )
            )
        for request in self.filtered(lambda r: r.state != "requested"):
            raise UserError(
                self.env._(
                    "The request %(name)s is already %(state)s: only requests to "
                    "confirm can be confirmed or rejected.",
                    name=request.name,
                    state=request._psy_state_label(),
                )
            )

    def action_confirm(self):
        """Confirm the requests: the session moves to the existing patient
        file when one was chosen, and the patient gets the e-mail with the
        calendar file."""
        self.check_access("write")
        self._psy_check_front_desk()
        for request in self.filtered(lambda r: r.session_id.state != "scheduled"):
            raise UserError(
                self.env._(
                    "The session of the request %(name)s is no longer scheduled. "
                    "Reject the request instead.",
                    name=request.name,
                )
            )
        self._action_confirm(fields.Datetime.now())
        return True

    def _action_confirm(self, now):
        for request in self:
            existing = request.existing_patient_id
            vals = {"state": "confirmed", "decision_date": now}
            if existing and existing != request.patient_id:
                provisional = request.patient_id
                request.session_id.write({"patient_id": existing.id})
                vals["patient_id"] = existing.id
                if request.patient_created:
                    provisional.active = False
            request._psy_write_guarded(vals)
            request._psy_send_mail()
        return True

    def action_reject(self):
        """Reject the requests: their sessions are cancelled in time (nothing
        is charged) and the slot is free again."""
        self.check_access("write")
        self._psy_check_front_desk()
        self._action_reject(fields.Datetime.now())
        return True

    def _action_reject(self, now):
        sessions = self.session_id.filtered(lambda s: s.state == "scheduled")
        if sessions:
            sessions.check_access("write")
            sessions._action_cancel_as("cancelled", now)
        self._psy_write_guarded({"state": "rejected", "decision_date": now})
        for request in self.filtered("patient_created"):
            patient = request.patient_id
            if not patient.session_ids.filtered(
                lambda s: s.state not in ("cancelled", "late_cancelled")
            ):
                patient.active = False
        return True

    # ------------------------------------------------------------------
    # E-mails and calendar file
    # ------------------------------------------------------------------

    def _psy_send_mail(self):
        """The e-mail of the request's state: received (to confirm) or
        confirmed, with the ``.ics`` file of the session."""
        for request in self.filtered("email"):
            if request.state == "confirmed":
                template = self.env.ref(
                    "psy_online_booking.mail_template_booking_confirmed"
                )
                email_values = {
                    "attachments": [
                        ("session.ics", base64.b64encode(request._psy_ics()))
                    ]
                }
            else:
                template = self.env.ref(
                    "psy_online_booking.mail_template_booking_received"
                )
                email_values = {}
            template.sudo().send_mail(request.id, email_values=email_values)

    def _psy_local_start(self):
        """The start as the visitor saw it on the page (their time zone,
        else the center's)."""
        self.ensure_one()
        tz = self.tz or self.env["psy.patient"]._psy_tz().zone
        return self._psy_format_in_tz(self.start, tz)

    def _psy_format_in_tz(self, value, tz):
        return format_datetime(self.env, value, tz=tz, dt_format="full")

    def _psy_professional_name(self):
        self.ensure_one()
        return self.professional_id.sudo()._psy_booking_display_name()

    def _psy_ics(self):
        """A calendar file of the session (UTC times, nothing clinical)."""
        self.ensure_one()
        stamp = "%Y%m%dT%H%M%SZ"
        if self.modality == "online":
            location = self.env._("Online session")
        else:
            room = self.session_id.sudo().room_id.name
            location = ", ".join(p for p in (self.company_id.name, room) if p)
        summary = self.env._(
            "%(service)s with %(professional)s",
            service=self.product_id.name,
            professional=self._psy_professional_name(),
        )

        def escape(text):
            return (
                text.replace("\\", "\\\\")
                .replace(";", "\\;")
                .replace(",", "\\,")
                .replace("\n", "\\n")
            )

        lines = [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//Psychology Center Add-ons//psy_online_booking//EN",
            "METHOD:PUBLISH",
            "BEGIN:VEVENT",
            f"UID:psy-session-{self.session_id.id}@{self.env.cr.dbname}",
            f"DTSTAMP:{fields.Datetime.now().strftime(stamp)}",
            f"DTSTART:{self.start.strftime(stamp)}",
            f"DTEND:{self.stop.strftime(stamp)}",
            f"SUMMARY:{escape(summary)}",
            f"LOCATION:{escape(location)}",
            "STATUS:CONFIRMED",
            "END:VEVENT",
            "END:VCALENDAR",
        ]
        return ("\r\n".join(lines) + "\r\n").encode()
