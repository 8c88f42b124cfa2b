# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from werkzeug.exceptions import NotFound
from werkzeug.urls import url_encode

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

# Largest record id (PostgreSQL integer): larger ones exist nowhere.
MAX_ID = 2**31 - 1
# Longest change request accepted.
MAX_REQUEST_LENGTH = 2000
# Messages the session page knows.
SESSION_MESSAGES = (
    "cancelled",
    "cant_cancel",
    "terms_changed",
    "change_requested",
    "cant_request",
    "join_early",
    "join_consent",
    "join_closed",
    "join_no_link",
)
# What the visitor announces having read before cancelling.
ANNOUNCED = ("in_time", "late")


class PsyPortal(CustomerPortal):
    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    @staticmethod
    def _psy_portal_page(page):
        try:
            page = int(page)
        except (TypeError, ValueError):
            return 1
        return page if 0 < page <= MAX_ID else 1

    @staticmethod
    def _psy_portal_text(value, max_length):
        if isinstance(value, str) and value.strip() and len(value) <= max_length:
            return value.strip()
        return None

    @staticmethod
    def _psy_portal_now():
        return request.env["psy.session"]._psy_now()

    def _psy_portal_checked(self, model, record_id):
        """The record as the visitor reads it with their own rights (the
        portal record rules: their patients only); 404 otherwise, so that
        nobody learns what exists."""
        if not isinstance(record_id, int) or not 0 < record_id <= MAX_ID:
            raise NotFound()
        record = request.env[model].browse(record_id)
        try:
            record.check_access("read")
            if not record.exists():
                raise MissingError(model)
        except (AccessError, MissingError):
            raise NotFound() from None
        return record

    def _psy_portal_records_sudo(self, records):
        """Records the visitor found with their own rights (checked again
        here), as superuser to show the names of the professional, the
        room, the session type and the pack."""
        records.check_access("read")
        return records.sudo()

    def _psy_portal_cancel_sudo(self, participants):
        """Cancel the visitor's own participations through the
        participant's action, as superuser: the participations were found
        with the visitor's rights (checked again here), and the action
        decides late or in time by the center's window and moves the pack
        or the fee exactly as for the front desk."""
        participants.check_access("read")
        return participants.sudo().action_cancel()

    def _psy_portal_request_change_sudo(self, session, text):
        """An activity for the front desk with the visitor's request, on a
        session they may read (checked here)."""
        session.check_access("read")
        session.sudo()._psy_front_desk_activity(
            lambda env: (env._("Change requested from the portal"), text)
        )
        return True

    def _psy_portal_my_participants(self, session):
        """The visitor's participations (theirs or their minors') in the
        session, found with their own rights; a back-office user reading
        the portal acts for no patient."""
        patients = request.env["psy.patient"]._psy_portal_patients()
        return (
            request.env["psy.session.participant"]
            .search([("session_id", "=", session.id)])
            .filtered(lambda p: p.patient_id in patients)
        )

    def _psy_portal_url(self, session, message=None):
        url = f"/my/sessions/{session.id}"
        if message:
            url += "?" + url_encode({"message": message})
        return url

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "psy_session_count" in counters:
            Session = request.env["psy.session"]
            values["psy_session_count"] = (
                Session.search_count(
                    [
                        ("state", "=", "scheduled"),
                        ("stop", ">=", self._psy_portal_now()),
                    ]
                )
                if Session.has_access("read")
                else 0
            )
        if "psy_voucher_count" in counters:
            Voucher = request.env["psy.voucher"]
            values["psy_voucher_count"] = (
                Voucher.search_count([("state", "!=", "draft")])
                if Voucher.has_access("read")
                else 0
            )
        return values

    # ------------------------------------------------------------------
    # Sessions
    # ------------------------------------------------------------------

    @http.route(
        ["/my/sessions", "/my/sessions/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_psy_sessions(self, page=1, **kw):
        page = self._psy_portal_page(page)
        Session = request.env["psy.session"]
        now = self._psy_portal_now()
        readable = Session.has_access("read")
        upcoming_domain = [("state", "=", "scheduled"), ("stop", ">=", now)]
        past_domain = ["!", "&", ("state", "=", "scheduled"), ("stop", ">=", now)]
        upcoming = (
            Session.search(upcoming_domain, order="start, id") if readable else Session
        )
        count = Session.search_count(past_domain) if readable else 0
        pager = portal_pager(
            url="/my/sessions",
            total=count,
            page=page,
            step=self._items_per_page,
        )
        past = (
            Session.search(
                past_domain,
                order="start desc, id desc",
                limit=self._items_per_page,
                offset=pager["offset"],
            )
            if count
            else Session
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "upcoming": self._psy_portal_records_sudo(upcoming),
                "past": self._psy_portal_records_sudo(past),
                "page_name": "psy_session",
                "pager": pager,
                "default_url": "/my/sessions",
            }
        )
        return request.render("psy_portal.portal_my_psy_sessions", values)

    @http.route(
        ["/my/sessions/<int:session_id>"], type="http", auth="user", website=True
    )
    def portal_psy_session_page(self, session_id, message=None, **kw):
        session = self._psy_portal_checked("psy.session", session_id)
        participants = self._psy_portal_my_participants(session)
        session_sudo = self._psy_portal_records_sudo(session)
        participants_sudo = self._psy_portal_records_sudo(participants)
        now = self._psy_portal_now()
        cancellable = participants_sudo.filtered(lambda p: p.attendance == "expected")
        may_cancel = bool(
            cancellable
            and session_sudo.state == "scheduled"
            and session_sudo.start > now
        )
        terms = (
            session_sudo._psy_portal_cancel_terms(cancellable, now)
            if may_cancel
            else None
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "session": session_sudo,
                "participants": participants_sudo,
                "may_cancel": may_cancel,
                "terms": terms,
                "join_state": session_sudo._psy_portal_join_state(
                    participants_sudo.filtered(
                        lambda p: p.attendance == "expected"
                    ).patient_id,
                    now,
                ),
                "message": message if message in SESSION_MESSAGES else None,
                "page_name": "psy_session",
            }
        )
        return request.render("psy_portal.portal_psy_session_page", values)

    @http.route(
        ["/my/sessions/<int:session_id>/cancel"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_psy_session_cancel(self, session_id, announced=None, **kw):
        session = self._psy_portal_checked("psy.session", session_id)
        participants = self._psy_portal_my_participants(session).filtered(
            lambda p: p.attendance == "expected"
        )
        now = self._psy_portal_now()
        if (
            announced not in ANNOUNCED
            or not participants
            or session.state != "scheduled"
            or session.start <= now
        ):
            return request.redirect(self._psy_portal_url(session, "cant_cancel"))
        late = self._psy_portal_records_sudo(session)._is_late_cancellation(now)
        if late != (announced == "late"):
            # The page said otherwise (the deadline passed meanwhile): show
            # the new terms before anything is applied.
            return request.redirect(self._psy_portal_url(session, "terms_changed"))
        try:
            with request.env.cr.savepoint():
                self._psy_portal_cancel_sudo(participants)
        except UserError:
            return request.redirect(self._psy_portal_url(session, "cant_cancel"))
        return request.redirect(self._psy_portal_url(session, "cancelled"))

    @http.route(
        ["/my/sessions/<int:session_id>/change"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_psy_session_change(self, session_id, request_text=None, **kw):
        session = self._psy_portal_checked("psy.session", session_id)
        text = self._psy_portal_text(request_text, MAX_REQUEST_LENGTH)
        if (
            not text
            or session.state != "scheduled"
            or not self._psy_portal_my_participants(session)
        ):
            return request.redirect(self._psy_portal_url(session, "cant_request"))
        self._psy_portal_request_change_sudo(session, text)
        return request.redirect(self._psy_portal_url(session, "change_requested"))

    @http.route(
        ["/my/sessions/<int:session_id>/join"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_psy_session_join(self, session_id, **kw):
        session = self._psy_portal_checked("psy.session", session_id)
        participants = self._psy_portal_my_participants(session).filtered(
            lambda p: p.attendance == "expected"
        )
        session_sudo = self._psy_portal_records_sudo(session)
        state = (
            session_sudo._psy_portal_join_state(
                self._psy_portal_records_sudo(participants).patient_id,
                self._psy_portal_now(),
            )
            if participants
            else "closed"
        )
        if state != "open":
            return request.redirect(self._psy_portal_url(session, f"join_{state}"))
        return request.redirect(session_sudo.video_url, local=False)

    # ------------------------------------------------------------------
    # Packs
    # ------------------------------------------------------------------

    @http.route(
        ["/my/packs", "/my/packs/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_psy_packs(self, page=1, **kw):
        page = self._psy_portal_page(page)
        Voucher = request.env["psy.voucher"]
        domain = [("state", "!=", "draft")]
        count = Voucher.search_count(domain) if Voucher.has_access("read") else 0
        pager = portal_pager(
            url="/my/packs", total=count, page=page, step=self._items_per_page
        )
        vouchers = (
            Voucher.search(
                domain,
                order="expiry_date desc, id desc",
                limit=self._items_per_page,
                offset=pager["offset"],
            )
            if count
            else Voucher
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "vouchers": self._psy_portal_records_sudo(vouchers),
                "page_name": "psy_voucher",
                "pager": pager,
                "default_url": "/my/packs",
            }
        )
        return request.render("psy_portal.portal_my_psy_packs", values)

    @http.route(["/my/packs/<int:voucher_id>"], type="http", auth="user", website=True)
    def portal_psy_pack_page(self, voucher_id, **kw):
        voucher = self._psy_portal_checked("psy.voucher", voucher_id)
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "voucher": self._psy_portal_records_sudo(voucher),
                "lines": voucher._psy_portal_lines_sudo(),
                "invoices": voucher._psy_portal_invoices_sudo(),
                "page_name": "psy_voucher",
            }
        )
        return request.render("psy_portal.portal_psy_pack_page", values)
