# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import logging

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

_logger = logging.getLogger(__name__)


class PsySessionCloseoutMixin(models.AbstractModel):
    """The close-out of a session: what is still missing before nothing
    more has to be done about it.

    Each module contributes its own condition as a stored boolean field
    ``closeout_<what>_missing`` with exact ``@api.depends``, and names it in
    :meth:`_psy_closeout_flags` with its label in
    :meth:`_psy_closeout_labels`. The session is ``closed`` when none of the
    flags is set (``closeout_state``, stored and indexed, so that lists
    filter and group on it without reading the sessions one by one), and
    ``closeout_missing`` says what is left, in the reader's language.

    This module contributes the attendance: recorded once the session is no
    longer scheduled and no participant is still expected. The clinical
    record adds the signed note of a done session, the consents the
    consents valid at its start, the packs and the billing its payment.
    """

    _name = "psy.session.closeout.mixin"
    _inherit = ["psy.guarded.mixin"]
    _description = "Close-out of a session"

    closeout_state = fields.Selection(
        selection=[("open", "To close"), ("closed", "Closed")],
        string="Close-out",
        compute="_compute_closeout_state",
        store=True,
        index=True,
        readonly=True,
        help="Closed once the attendance is recorded and, where they apply, "
        "the note is signed, the consents were valid and the session is paid.",
    )
    closeout_attendance_missing = fields.Boolean(
        string="Attendance to record",
        compute="_compute_closeout_attendance_missing",
        store=True,
        readonly=True,
        help="The session is still scheduled, or a participant's attendance "
        "is not recorded.",
    )
    closeout_missing = fields.Char(
        string="Missing to close",
        compute="_compute_closeout_missing",
        help="What is still to be done before the session is closed.",
    )

    @api.model
    def _psy_closeout_flags(self):
        """Names of the stored boolean fields that keep a session open while
        set, in the order they are shown. Modules add their own."""
        return ["closeout_attendance_missing"]

    def _psy_closeout_labels(self):
        """{flag: label} of :meth:`_psy_closeout_flags`, in the reader's
        language."""
        return {"closeout_attendance_missing": self.env._("attendance")}

    @api.depends("state", "participant_ids.attendance")
    def _compute_closeout_attendance_missing(self):
        for session in self:
            session.closeout_attendance_missing = session.state == "scheduled" or any(
                p.attendance == "expected" for p in session.participant_ids
            )

    @api.depends(lambda self: self._psy_closeout_flags())
    def _compute_closeout_state(self):
        flags = self._psy_closeout_flags()
        for session in self:
            missing = any(session[flag] for flag in flags)
            session.closeout_state = "open" if missing else "closed"

    def _psy_closeout_details(self):
        """{session: {flag: text}}: what a condition misses in detail (who,
        which consents), for the sessions of ``self`` that miss it; read
        for the whole batch at once. Modules add theirs."""
        return {}

    @api.depends(lambda self: self._psy_closeout_flags())
    @api.depends_context("lang")
    def _compute_closeout_missing(self):
        flags = self._psy_closeout_flags()
        labels = self._psy_closeout_labels()
        details = self.filtered("id")._psy_closeout_details()
        for session in self:
            detail = details.get(session, {})
            text = ", ".join(
                self.env._(
                    "%(what)s (%(detail)s)", what=labels[flag], detail=detail[flag]
                )
                if detail.get(flag)
                else labels[flag]
                for flag in flags
                if session[flag]
            )
            session.closeout_missing = text[:1].upper() + text[1:] if text else False

    @api.model
    def _psy_closeout_fields(self):
        """The stored close-out fields: computed from the session, its note,
        its consents and its payment, never written by hand."""
        return {"closeout_state", *self._psy_closeout_flags()}

    @api.model
    def _psy_guarded_fields(self):
        return super()._psy_guarded_fields() | self._psy_closeout_fields()

    @api.model_create_multi
    def create(self, vals_list):
        # The guard lets a guarded field be created empty; a close-out flag
        # given empty would be taken as computed and close the session:
        # refused whatever its value, from the values or the context.
        if not self.env.su:
            fields_ = self._psy_closeout_fields()
            given = {key[8:] for key in self.env.context if key.startswith("default_")}
            for vals in vals_list:
                if fields_ & (given | set(vals)):
                    raise self._psy_closeout_guard_error()
        return super().create(vals_list)

    @api.model
    def _psy_closeout_guard_error(self):
        return UserError(
            self.env._(
                "Whether a session is closed, and what it still misses, follows "
                "its attendance, its note, its consents and its payment: it "
                "cannot be set by hand. Record the attendance, sign the note, "
                "have the consents signed or invoice the session instead."
            )
        )

    # ------------------------------------------------------------------
    # Upgrades: a new condition on a history of sessions
    # ------------------------------------------------------------------

    @api.model
    def _psy_closeout_fill(self, batch_size=5000):
        """Compute the close-out of the sessions that have an empty close-out
        column, ``batch_size`` sessions at a time; return how many.

        A module that adds a condition creates its column empty before its
        upgrade, and its end-migration calls this once every module's code
        is loaded (the payment flag of the packs is the billing's once it is
        installed), through ``psy_session.upgrades``: a network of centers
        has a million sessions, which one recordset does not hold in memory.
        The first call fills every empty column of a session in one write,
        the next ones find nothing left. Upgrades run it as superuser; it is
        private, never called from a request."""
        columns = ["closeout_state", *self._psy_closeout_flags()]
        cr = self.env.cr
        cr.execute(
            SQL(
                "SELECT id FROM %s WHERE %s ORDER BY id",
                SQL.identifier(self._table),
                SQL(" OR ").join(
                    SQL("%s IS NULL", SQL.identifier(column)) for column in columns
                ),
            )
        )
        ids = [row[0] for row in cr.fetchall()]
        for start in range(0, len(ids), batch_size):
            sessions = self.browse(ids[start : start + batch_size])
            for column in columns:
                self.env.add_to_compute(self._fields[column], sessions)
            self.env.flush_all()
            self.env.invalidate_all()
            _logger.info(
                "close-out: %d of %d sessions computed",
                min(start + batch_size, len(ids)),
                len(ids),
            )
        return len(ids)

    # ------------------------------------------------------------------
    # Invoicing: what a module may veto
    # ------------------------------------------------------------------

    def _psy_invoice_blockers(self):
        """{session: reason} of the sessions of ``self`` that may not be
        invoiced yet, each reason one sentence in the reader's language.
        None here; the clinical record adds sessions without a signed note
        when the center requires one before invoicing. The billing asks it
        before it invoices, without knowing who vetoes."""
        return {}

    # ------------------------------------------------------------------
    # The "to close" list
    # ------------------------------------------------------------------

    @api.model
    def _psy_to_close_domain(self, own):
        """The sessions that have started and are not closed; with ``own``,
        those of the current user only."""
        domain = [
            ("closeout_state", "=", "open"),
            ("start", "<=", fields.Datetime.to_string(self._psy_now())),
        ]
        if own:
            domain.append(("professional_id", "=", self.env.uid))
        return domain

    @api.model
    def _psy_to_close_own_only(self):
        """A psychologist (without a front desk or direction role) closes
        their own sessions: their list shows only those."""
        user = self.env.user
        return user.has_group("psy_patient.group_psy_psychologist") and not (
            user.has_group("psy_patient.group_psy_receptionist")
            or user.has_group("psy_patient.group_psy_director")
        )

    @api.model
    def action_open_to_close(self):
        """The sessions that have started and are not closed: a
        psychologist's own; everyone's (of the centers open in the user's
        session) for the front desk, the direction and billing."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "psy_session.psy_session_action_to_close"
        )
        action["domain"] = self._psy_to_close_domain(self._psy_to_close_own_only())
        return action
