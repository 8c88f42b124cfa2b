# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import re
from collections import OrderedDict
from datetime import datetime, timedelta
from urllib.parse import urlencode

import pytz
from werkzeug.exceptions import BadRequest, NotFound

from odoo import fields, http
from odoo.http import request
from odoo.tools import consteq, email_normalize, format_date, format_time

from ..models.psy_booking_request import PsySlotTaken

# Largest record id (PostgreSQL integer).
MAX_ID = 2**31 - 1
# Longest text accepted in a field of the form.
MAX_TEXT = 120
MAX_TOKEN_LENGTH = 64
# A slot as the page sends it: professional id and start (UTC) to the minute.
SLOT_RE = re.compile(r"^(\d{1,10})-(\d{12})$")
PHONE_RE = re.compile(r"^[0-9+()./\- ]{6,30}$")
MODALITIES = ("in_person", "online")


class PsyOnlineBooking(http.Controller):
    """The public booking page.

    It shows only what a visitor may know: the centers that take online
    bookings, their bookable session types, the public names of the
    bookable professionals and their free times. Every value the visitor
    sends is checked here (wrong ones give a 4xx page); the models read as
    superuser only in the named helpers below, after those checks."""

    # ------------------------------------------------------------------
    # Input
    # ------------------------------------------------------------------

    @staticmethod
    def _psy_id(value, required=False):
        """A record id sent by the page, else None (400 when required)."""
        if isinstance(value, str) and value.isdigit() and len(value) <= 10:
            number = int(value)
            if 0 < number <= MAX_ID:
                return number
        if value in (None, "") and not required:
            return None
        raise BadRequest()

    @staticmethod
    def _psy_text(value, max_length=MAX_TEXT):
        if value is None:
            return ""
        if not isinstance(value, str) or len(value) > max_length:
            raise BadRequest()
        text = " ".join(value.split())
        if any(ord(char) < 32 for char in text):
            raise BadRequest()
        return text

    def _psy_tz(self, value, center):
        """The visitor's time zone (sent by the page from the browser), else
        the center's; an unknown name is refused."""
        if value in (None, ""):
            return center.partner_id.tz or "UTC"
        if not isinstance(value, str) or value not in pytz.all_timezones_set:
            raise BadRequest()
        return value

    # ------------------------------------------------------------------
    # What the visitor may see (read as superuser after the checks)
    # ------------------------------------------------------------------

    def _psy_centers_sudo(self):
        """Centers taking online bookings: their names are public."""
        return (
            request.env["res.company"]
            .sudo()
            .search([("psy_booking_enabled", "=", True)], order="sequence, id")
        )

    def _psy_center(self, center_id):
        centers = self._psy_centers_sudo()
        if not centers:
            raise NotFound()
        if center_id is None:
            return centers[0]
        center = centers.filtered(lambda c: c.id == center_id)
        if not center:
            raise NotFound()
        return center

    def _psy_choices_sudo(self, center):
        """Bookable session types and professionals of ``center`` (the page
        shows their names only)."""
        Availability = (
            request.env["psy.booking.availability"].sudo().with_company(center)
        )
        return (
            Availability._psy_bookable_products(center),
            Availability._psy_bookable_professionals(center),
        )

    def _psy_booking_patient(self, center):
        """The patient file of the logged-in user at ``center``: the portal
        user's own contact is the patient's (never matched by e-mail). Reads
        as superuser only the file whose contact is the user's."""
        user = request.env.user
        if user._is_public():
            return request.env["psy.patient"]
        return (
            request.env["psy.patient"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", user.partner_id.id),
                    ("company_id", "=", center.id),
                ],
                limit=1,
            )
        )

    def _psy_selection(self, params):
        """The visitor's choices, checked against what the center offers."""
        center = self._psy_center(self._psy_id(params.get("center")))
        products, professionals = self._psy_choices_sudo(center)
        product = products.browse()
        product_id = self._psy_id(params.get("service"))
        if product_id is not None:
            product = products.filtered(lambda p: p.id == product_id)
            if not product:
                raise NotFound()
        modality = params.get("modality") or None
        if modality is not None and modality not in MODALITIES:
            raise BadRequest()
        if product and product.psy_modality in MODALITIES:
            modality = product.psy_modality
        professional_id = self._psy_id(params.get("professional"))
        chosen = professionals
        if professional_id is not None:
            chosen = professionals.filtered(lambda u: u.id == professional_id)
            if not chosen:
                raise NotFound()
        week = params.get("week") or "0"
        if not (isinstance(week, str) and week.isdigit() and len(week) <= 2):
            raise BadRequest()
        week = int(week)
        if week * 7 > center.psy_booking_horizon_days:
            raise BadRequest()
        return {
            "center": center,
            "products": products,
            "professionals": professionals,
            "product": product,
            "modality": modality or "in_person",
            "professional_id": professional_id,
            "chosen": chosen,
            "week": week,
            "tz": self._psy_tz(params.get("tz"), center),
        }

    def _psy_slots_sudo(self, selection, patient):
        """Free slots of the week shown, as superuser: busy times are read
        but only free start times and public names leave this method."""
        center = selection["center"]
        if not selection["product"]:
            return []
        now = fields.Datetime.now()
        start = now + timedelta(days=7 * selection["week"])
        Availability = (
            request.env["psy.booking.availability"].sudo().with_company(center)
        )
        return Availability._psy_slots(
            center,
            selection["product"],
            selection["modality"],
            selection["chosen"],
            start,
            start + timedelta(days=7),
            patient=patient.sudo() or None,
            now=now,
        )

    def _psy_days(self, slots, tz_name, any_professional):
        """Slots grouped by local day, one per start when any professional
        will do (the first free one is chosen)."""
        tz = pytz.timezone(tz_name)
        env = request.env
        days = OrderedDict()
        seen = set()
        for slot in slots:
            if any_professional and slot["start"] in seen:
                continue
            seen.add(slot["start"])
            local = pytz.utc.localize(slot["start"]).astimezone(tz)
            day = days.setdefault(
                local.date(),
                {
                    "label": format_date(env, local.date(), date_format="full"),
                    "slots": [],
                },
            )
            day["slots"].append(
                {
                    "value": f"{slot['professional'].id}-"
                    f"{slot['start'].strftime('%Y%m%d%H%M')}",
                    "time": format_time(env, local.time(), time_format="short"),
                    "professional": slot["professional"]._psy_booking_display_name(),
                }
            )
        return list(days.values())

    # ------------------------------------------------------------------
    # Pages
    # ------------------------------------------------------------------

    def _psy_render(
        self, params, selection=None, message=None, errors=None, status=200
    ):
        selection = selection or self._psy_selection(params)
        patient = self._psy_booking_patient(selection["center"])
        slots = self._psy_slots_sudo(selection, patient)
        values = {
            **selection,
            "page_name": "psy_online_booking",
            "centers_list": self._psy_centers_sudo(),
            "patient": patient,
            "professional_names": [
                (user.id, user._psy_booking_display_name())
                for user in selection["professionals"]
            ],
            "days": self._psy_days(
                slots, selection["tz"], selection["professional_id"] is None
            ),
            "message": message,
            "errors": errors or {},
            "form": {
                key: params.get(key) if isinstance(params.get(key), str) else ""
                for key in ("firstname", "lastname", "email", "phone")
            },
            "privacy_notice": selection["center"].psy_booking_privacy_notice,
            "max_week": selection["center"].psy_booking_horizon_days // 7,
            "week_url": self._psy_week_url(selection),
        }
        response = request.render("psy_online_booking.booking_page", values)
        response.status_code = status
        return response

    @staticmethod
    def _psy_week_url(selection):
        """Link to another week of the same choices."""

        def url(week):
            query = {
                "center": selection["center"].id,
                "service": selection["product"].id or "",
                "modality": selection["modality"],
                "professional": selection["professional_id"] or "",
                "tz": selection["tz"],
                "week": week,
            }
            return f"/booking?{urlencode(query)}"

        return url

    @http.route(
        "/booking",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
        sitemap=False,
    )
    def psy_booking(self, **params):
        return self._psy_render(params)

    @http.route(
        "/my/booking",
        type="http",
        auth="user",
        methods=["GET"],
        website=True,
        sitemap=False,
    )
    def psy_my_booking(self, **params):
        """The same page from the patient portal (logged in)."""
        return self._psy_render(params)

    @http.route(
        "/booking/submit",
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
        sitemap=False,
    )
    def psy_booking_submit(self, **params):
        selection = self._psy_selection(params)
        center = selection["center"]
        if params.get("website_url"):
            # The honeypot: a field people never see, that robots fill in.
            raise BadRequest()
        if not selection["product"]:
            raise BadRequest()
        match = (
            SLOT_RE.match(params.get("slot") or "")
            if isinstance(params.get("slot"), str)
            else None
        )
        if not match:
            return self._psy_render(
                params,
                selection,
                errors={"slot": request.env._("Choose one of the free times.")},
                status=422,
            )
        professional = selection["professionals"].filtered(
            lambda u: u.id == int(match.group(1))
        )
        if not professional or (
            selection["professional_id"] is not None
            and professional.id != selection["professional_id"]
        ):
            raise NotFound()
        try:
            start = datetime.strptime(match.group(2), "%Y%m%d%H%M")
        except ValueError:
            raise BadRequest() from None
        patient = self._psy_booking_patient(center)
        contact = None
        errors = {}
        if not patient:
            contact, errors = self._psy_contact(params)
        if params.get("privacy") != "1":
            errors["privacy"] = request.env._(
                "Please read and accept the data-protection notice."
            )
        if errors:
            return self._psy_render(params, selection, errors=errors, status=422)
        if not self._psy_throttle(center):
            return self._psy_error(
                request.env._(
                    "Too many booking attempts from this connection. Please try "
                    "again later or call the center."
                ),
                status=429,
            )
        try:
            booking = self._psy_book_sudo(
                selection, professional, start, patient, contact
            )
        except PsySlotTaken as error:
            return self._psy_render(
                params, selection, message=error.args[0], status=409
            )
        return request.redirect(f"/booking/done/{booking.sudo().access_token}")

    def _psy_contact(self, params):
        """The visitor's details, or the errors to show next to them."""
        env = request.env
        contact = {
            "firstname": self._psy_text(params.get("firstname")),
            "lastname": self._psy_text(params.get("lastname")),
            "email": email_normalize(self._psy_text(params.get("email"))) or "",
            "phone": self._psy_text(params.get("phone"), 30),
        }
        errors = {}
        if not contact["firstname"]:
            errors["firstname"] = env._("Please give your first name.")
        if not contact["lastname"]:
            errors["lastname"] = env._("Please give your last names.")
        if not contact["email"]:
            errors["email"] = env._("Please give a valid e-mail address.")
        if not contact["phone"] or not PHONE_RE.match(contact["phone"]):
            errors["phone"] = env._(
                "Please give a phone number (digits, + and spaces)."
            )
        return contact, errors

    def _psy_throttle(self, center):
        """Count this submission for the visitor's address and browser
        session; False when one of them is over the center's limit."""
        Attempt = request.env["psy.booking.attempt"]
        keys = [Attempt._psy_key("ip", request.httprequest.remote_addr or "")]
        if request.session.sid:
            keys.append(Attempt._psy_key("session", request.session.sid))
        return Attempt._psy_register(center, keys)

    def _psy_book_sudo(self, selection, professional, start, patient, contact):
        """Book as superuser what the visitor chose, after the form was
        checked (center, type, professional and slot format offered by the
        page, contact details, privacy, throttling); the request model
        checks the slot is free and the database decides between rivals."""
        center = selection["center"]
        return (
            request.env["psy.booking.request"]
            .sudo()
            .with_company(center)
            ._psy_book(
                center,
                selection["product"],
                selection["modality"],
                professional,
                start,
                patient=patient.sudo() or None,
                contact=contact,
                tz=selection["tz"],
            )
        )

    def _psy_error(self, message, status=400):
        response = request.render(
            "psy_online_booking.booking_error", {"message": message}
        )
        response.status_code = status
        return response

    @http.route(
        "/booking/done/<string:token>",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
        sitemap=False,
    )
    def psy_booking_done(self, token, **params):
        booking = self._psy_booking_by_token_sudo(token)
        tz = booking.tz or booking.company_id.partner_id.tz or "UTC"
        local = pytz.utc.localize(booking.start).astimezone(pytz.timezone(tz))
        return request.render(
            "psy_online_booking.booking_done",
            {
                "booking": booking,
                "when": " ".join(
                    (
                        format_date(request.env, local.date(), date_format="full"),
                        format_time(request.env, local.time(), time_format="short"),
                    )
                ),
                "tz": tz,
                "professional_name": (
                    booking.professional_id._psy_booking_display_name()
                ),
            },
        )

    def _psy_booking_by_token_sudo(self, token):
        """The request whose token the visitor holds (the link of the page
        they were sent to after booking), else 404."""
        if not isinstance(token, str) or not 0 < len(token) <= MAX_TOKEN_LENGTH:
            raise NotFound()
        booking = (
            request.env["psy.booking.request"]
            .sudo()
            .search([("access_token", "=", token)], limit=1)
        )
        if not booking or not consteq(booking.access_token, token):
            raise NotFound()
        return booking
