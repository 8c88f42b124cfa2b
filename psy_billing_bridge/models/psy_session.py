import logging

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_amount, format_date, format_datetime

_logger = logging.getLogger(__name__)

PAID_STATES = ("paid", "in_payment")
FEE_STATES = ("late_cancelled", "no_show")
# Billing fields of a session, set by its status and its invoices only.
SESSION_BILLING_FIELDS = {"psy_billable", "psy_invoice_state", "psy_invoice_line_ids"}


class PsySession(models.Model):
    _inherit = "psy.session"

    psy_billable = fields.Boolean(
        string="Billable",
        compute="_compute_psy_billable",
        store=True,
        readonly=True,
        help="Done sessions are billed; late cancellations and no-shows are "
        "billed a fee when the center's policy says so at the time they happen.",
    )
    psy_invoice_line_ids = fields.One2many(
        comodel_name="account.move.line",
        inverse_name="psy_session_id",
        string="Invoice lines",
        readonly=True,
    )
    psy_invoice_state = fields.Selection(
        selection=[
            ("none", "Nothing to invoice"),
            ("to_invoice", "To invoice"),
            ("invoiced", "Invoiced"),
            ("paid", "Paid"),
        ],
        string="Invoice status",
        compute="_compute_psy_invoice_state",
        store=True,
        index=True,
        readonly=True,
    )
    psy_price = fields.Monetary(
        string="Price",
        compute="_compute_psy_price",
        currency_field="psy_currency_id",
        help="Amount billed for the session (or its fee), before taxes.",
    )
    psy_currency_id = fields.Many2one(related="company_id.currency_id")
    psy_booking_unpaid_amount = fields.Monetary(
        string="Unpaid by the patient",
        compute="_compute_psy_booking_unpaid",
        currency_field="psy_currency_id",
        help="What the patient (or the session's payer) still owes on posted "
        "invoices of the center.",
    )
    psy_booking_unpaid_count = fields.Integer(
        string="Unpaid invoices",
        compute="_compute_psy_booking_unpaid",
    )
    psy_booking_unpaid_info = fields.Char(
        string="Unpaid balance",
        compute="_compute_psy_booking_unpaid",
    )

    @api.depends("patient_id", "payer_id", "company_id")
    def _compute_psy_booking_unpaid(self):
        unpaid = self._psy_unpaid_invoices()
        for session in self:
            amount, count = unpaid.get(session, (0.0, 0))
            session.psy_booking_unpaid_amount = amount
            session.psy_booking_unpaid_count = count
            session.psy_booking_unpaid_info = (
                self.env._(
                    "The patient owes %(amount)s on %(count)s unpaid invoice(s).",
                    amount=format_amount(
                        self.env, amount, session.company_id.currency_id
                    ),
                    count=count,
                )
                if count
                else False
            )

    def _psy_unpaid_invoices(self):
        """``{session: (amount due, number of invoices)}``: the posted customer
        invoices of the session's center still open for its patient or its
        payer, in one grouped read.

        The front desk reads no invoice, but it must know what a patient
        owes before booking: the caller's read access to the sessions is
        checked first, then the open amounts (nothing else) are read as
        superuser."""
        self._origin.check_access("read")
        sessions = self.filtered(lambda s: s.patient_id or s.payer_id)
        if not sessions:
            return {}
        # The billing staff read no patient file: the partners are read as
        # superuser too, for the sessions whose access was checked above.
        patients = sessions.patient_id
        partners = (
            sessions.payer_id | patients.sudo().partner_id
        ).commercial_partner_id
        groups = (
            self.env["account.move"]
            .sudo()
            ._read_group(
                [
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                    ("payment_state", "in", ("not_paid", "partial")),
                    ("company_id", "in", sessions.company_id.ids),
                    "|",
                    ("psy_patient_id", "in", patients.ids),
                    ("commercial_partner_id", "in", partners.ids),
                ],
                groupby=["company_id", "psy_patient_id", "commercial_partner_id"],
                aggregates=["amount_residual:sum", "__count"],
            )
        )
        result = {}
        for session in sessions:
            own = session.payer_id.commercial_partner_id
            own |= session.patient_id.sudo().partner_id.commercial_partner_id
            amount, count = 0.0, 0
            for company, patient, partner, residual, number in groups:
                if company == session.company_id and (
                    (patient and patient == session.patient_id) or partner in own
                ):
                    amount += residual
                    count += number
            result[session] = (amount, count)
        return result

    # ------------------------------------------------------------------
    # Guarded fields
    # ------------------------------------------------------------------

    @api.model
    def _psy_guarded_fields(self):
        """What the billing says of a session follows its invoices: a direct
        write would take a done session out of the sessions to invoice, or
        show it paid."""
        return super()._psy_guarded_fields() | SESSION_BILLING_FIELDS

    @api.model
    def _psy_guard_error(self, field_names):
        if not set(field_names) & SESSION_BILLING_FIELDS:
            return super()._psy_guard_error(field_names)
        return UserError(
            self.env._(
                "Whether a session is billable, invoiced or paid follows its "
                "status and its invoices: it cannot be set by hand. Invoice the "
                "session (its Invoice button, or the monthly invoicing), or issue "
                "a credit note of its invoice."
            )
        )

    # The policy in force when the session is closed decides: changing the
    # settings later does not re-bill past cancellations.
    @api.depends("state", "voucher_id", "session_kind", "participant_ids.psy_billable")
    def _compute_psy_billable(self):
        for session in self:
            if session.session_kind == "group":
                # Each participant is billed on their own.
                session.psy_billable = any(
                    session.participant_ids.mapped("psy_billable")
                )
                continue
            voucher = session.voucher_id
            if voucher:
                # Paid with a pack: billed only when the pack is an advance
                # (approach B); invoicing the pack at sale keeps it internal.
                session.psy_billable = voucher.psy_approach == "session"
                continue
            company = session.company_id
            session.psy_billable = (
                session.state == "done"
                or (session.state == "late_cancelled" and company.psy_fee_late_cancel)
                or (session.state == "no_show" and company.psy_fee_no_show)
            )

    @api.depends(
        "psy_billable",
        "session_kind",
        "participant_ids.psy_invoice_state",
        "psy_invoice_line_ids.parent_state",
        "psy_invoice_line_ids.move_id.move_type",
        "psy_invoice_line_ids.move_id.payment_state",
    )
    def _compute_psy_invoice_state(self):
        for session in self:
            if session.session_kind == "group":
                states = set(session.participant_ids.mapped("psy_invoice_state"))
                states.discard("none")
                if not states:
                    session.psy_invoice_state = "none"
                elif "to_invoice" in states:
                    session.psy_invoice_state = "to_invoice"
                elif states == {"paid"}:
                    session.psy_invoice_state = "paid"
                else:
                    session.psy_invoice_state = "invoiced"
                continue
            session.psy_invoice_state = self._psy_invoice_state_of(
                session.psy_billable, session.psy_invoice_line_ids
            )

    # Close-out: what is billed (the session, its fee, each group
    # participant's part, the insurer's share) is paid; nothing to invoice
    # (a pack invoiced at sale, a cancellation in time) is paid already.
    @api.depends("psy_invoice_state")
    def _compute_closeout_payment_missing(self):
        for session in self:
            session.closeout_payment_missing = session.psy_invoice_state in (
                "to_invoice",
                "invoiced",
            )

    def _psy_closeout_details(self):
        """What is left to pay: to invoice, or invoiced and not paid; per
        participant of a group session (names read as superuser once the
        caller's read access to the sessions is checked)."""
        details = super()._psy_closeout_details()
        unpaid = self.filtered("closeout_payment_missing")
        if not unpaid:
            return details
        unpaid.check_access("read")
        labels = {
            "to_invoice": self.env._("to invoice"),
            "invoiced": self.env._("invoice not paid"),
        }
        for session in unpaid:
            if session.session_kind != "group":
                text = labels.get(session.psy_invoice_state)
            else:
                text = "; ".join(
                    self.env._(
                        "%(patient)s: %(state)s",
                        patient=participant.patient_id.name,
                        state=labels[participant.psy_invoice_state],
                    )
                    for participant in session.sudo().participant_ids
                    if participant.psy_invoice_state in labels
                )
            if text:
                details.setdefault(session, {})["closeout_payment_missing"] = text
        return details

    @api.model
    def _psy_invoice_state_of(self, billable, invoice_lines):
        """Invoice status of what ``invoice_lines`` bill (a session, or a
        participant's part of a group session)."""
        if not billable:
            return "none"
        moves = invoice_lines.move_id.filtered(
            lambda m: m.move_type == "out_invoice"
            and m.state != "cancel"
            and m.payment_state != "reversed"
        )
        if not moves:
            return "to_invoice"
        if all(m.payment_state in PAID_STATES for m in moves):
            return "paid"
        return "invoiced"

    def _psy_payer_locked(self):
        """The payer is fixed once the session is invoiced too."""
        return super()._psy_payer_locked() or self.psy_invoice_state in (
            "invoiced",
            "paid",
        )

    @api.depends(
        "state", "voucher_line_id", "product_id.lst_price", "company_id.psy_fee_mode"
    )
    def _compute_psy_price(self):
        for session in self:
            if session.voucher_id:
                session.psy_price = session.sudo().voucher_line_id._psy_value_moved()
            elif session.state in FEE_STATES:
                session.psy_price = session._psy_fee_price()
            else:
                session.psy_price = session.product_id.lst_price

    def _psy_fee_price(self):
        self.ensure_one()
        company = self.company_id
        if company.psy_fee_mode == "product":
            return company.psy_fee_product_id.lst_price
        return company.currency_id.round(
            self.product_id.lst_price * company.psy_fee_percent / 100.0
        )

    # ------------------------------------------------------------------
    # Invoicing
    # ------------------------------------------------------------------

    def _psy_patient_billing_info(self):
        """Billing identity of the patients of these sessions (the patient of
        an individual session, the main patient of a couple or family, each
        participant of a group).

        Billing staff invoice sessions without access to patient files: after
        checking that the user may read the sessions and create invoices, the
        few fields an invoice needs are read as superuser."""
        self.check_access("read")
        self.env["account.move"].check_access("create")
        sessions = self.sudo()
        patients = sessions.patient_id | sessions.participant_ids.patient_id
        return {
            patient.id: {
                "partner": patient.partner_id,
                "national_id": patient.national_id,
                "insurer": patient.psy_insurer_id,
                "insurance_number": patient.psy_insurance_number,
            }
            for patient in patients
        }

    def _psy_billing_units(self):
        """What is invoiced of these sessions, as ``(session, participant,
        patient, payer)``: an individual, couple or family session once, to
        its payer, for its (main) patient; a group session once per
        participant waiting to be invoiced, to the participant's payer.
        Read as superuser after the checks of
        :meth:`_psy_patient_billing_info` (the caller's)."""
        units = []
        for session in self.sorted("start"):
            sudo_session = session.sudo()
            if session.session_kind != "group":
                units.append(
                    (
                        session,
                        None,
                        sudo_session.patient_id,
                        sudo_session.payer_id or sudo_session.patient_id.partner_id,
                    )
                )
                continue
            for participant in sudo_session.participant_ids.filtered(
                lambda p: p.psy_invoice_state == "to_invoice"
            ):
                units.append(
                    (
                        session,
                        participant,
                        participant.patient_id,
                        participant.payer_id or participant.patient_id.partner_id,
                    )
                )
        return units

    def _psy_line_label(self, label=None):
        self.ensure_one()
        professional = self.professional_id
        registration = professional.psy_registration_number
        who = (
            self.env._(
                "%(name)s (reg. no. %(number)s)",
                name=professional.name,
                number=registration,
            )
            if registration
            else professional.name
        )
        return " - ".join(
            part
            for part in (
                label,
                self.product_id.name,
                format_datetime(self.env, self.start, dt_format="short"),
                who,
            )
            if part
        )

    def _psy_line_specs(self, info, coverages, participant=None, payer=None):
        """(share, partner, line values) of one session, or of one
        ``participant``'s part of a group session: the session itself (split
        with the insurer of ``info``'s patient when covered) or its
        cancellation fee. The patient's share goes to ``payer`` (the
        patient's contact when not given)."""
        self.ensure_one()
        company = self.company_id
        currency = company.currency_id
        payer = payer or info["partner"]
        if participant:
            state = participant._psy_billed_as()
            consume_line = participant.sudo().voucher_line_id
        else:
            state = self.state
            consume_line = self.sudo().voucher_line_id
        extra = {"psy_participant_id": participant.id} if participant else {}
        if consume_line:
            return [
                (share, partner, dict(vals, **extra))
                for share, partner, vals in self._psy_advance_line_specs(
                    info, consume_line=consume_line, payer=payer
                )
            ]
        if state in FEE_STATES:
            label = dict(self._fields["state"]._description_selection(self.env))[state]
            label = self.env._("%(state)s fee", state=label)
            product = (
                company.psy_fee_product_id
                if company.psy_fee_mode == "product"
                else self.product_id
            )
            return [
                (
                    "fee",
                    payer,
                    {
                        "product_id": product.id,
                        "name": self._psy_line_label(label),
                        "quantity": 1.0,
                        "price_unit": self._psy_fee_price(),
                        "psy_session_id": self.id,
                        "psy_share": "fee",
                        **extra,
                    },
                )
            ]
        price = self.product_id.lst_price
        base = {
            "product_id": self.product_id.id,
            "name": self._psy_line_label(),
            "quantity": 1.0,
            "psy_session_id": self.id,
            **extra,
        }
        coverage = coverages.get((company.id, info["insurer"].id, self.product_id.id))
        insurer_share = (
            currency.round(coverage._insurer_share(price)) if coverage else 0
        )
        specs = []
        if insurer_share:
            specs.append(
                (
                    "insurer",
                    info["insurer"],
                    dict(base, price_unit=insurer_share, psy_share="insurer"),
                )
            )
        if currency.compare_amounts(price, insurer_share) > 0 or not specs:
            specs.append(
                (
                    "patient",
                    payer,
                    dict(base, price_unit=price - insurer_share, psy_share="patient"),
                )
            )
        return specs

    def _psy_joint_line_specs(self, infos, coverages, payer):
        """(share, partner, patient, line values) of a couple or family
        session invoiced on its own, when a participant is insured: the
        price is shared equally by the participants who attended (all of
        them when nobody is marked), each insured participant's part is
        split with their insurer on the insurer's invoice for that
        participant, and the rest goes to the session's payer. Empty when
        no participant is covered: the session is then invoiced whole."""
        self.ensure_one()
        company = self.company_id
        currency = company.currency_id
        participants = self.sudo().participant_ids
        attended = participants.filtered(lambda p: p.attendance == "present")
        participants = attended or participants
        covered = {
            participant: coverages.get(
                (
                    company.id,
                    infos[participant.patient_id.id]["insurer"].id,
                    self.product_id.id,
                )
            )
            for participant in participants
        }
        if not any(covered.values()):
            return []
        price = self.product_id.lst_price
        unit = currency.round(price / len(participants))
        base = {
            "product_id": self.product_id.id,
            "quantity": 1.0,
            "psy_session_id": self.id,
        }
        specs = []
        payer_amount = 0.0
        for index, participant in enumerate(participants):
            part = price - unit * (len(participants) - 1) if index == 0 else unit
            coverage = covered[participant]
            insurer_share = (
                currency.round(coverage._insurer_share(part)) if coverage else 0.0
            )
            if insurer_share:
                info = infos[participant.patient_id.id]
                specs.append(
                    (
                        "insurer",
                        info["insurer"],
                        participant.patient_id,
                        dict(
                            base,
                            name=self._psy_line_label(participant.patient_id.name),
                            price_unit=insurer_share,
                            psy_share="insurer",
                        ),
                    )
                )
            payer_amount += part - insurer_share
        if currency.compare_amounts(payer_amount, 0.0) > 0:
            specs.append(
                (
                    "patient",
                    payer,
                    self.sudo().patient_id,
                    dict(
                        base,
                        name=self._psy_line_label(),
                        price_unit=currency.round(payer_amount),
                        psy_share="patient",
                    ),
                )
            )
        return specs

    def _psy_advance_line_specs(self, info, consume_line=None, payer=None):
        """A session paid with a pack invoiced as an advance: the session at
        the pack's unit value, and the same amount deducted from the
        advance, so the payer owes nothing more."""
        self.ensure_one()
        consume_line = consume_line or self.sudo().voucher_line_id
        payer = payer or info["partner"]
        voucher = consume_line.voucher_id
        amount = consume_line._psy_value_moved()
        session_line = {
            "product_id": self.product_id.id,
            "name": self._psy_line_label(),
            "quantity": 1.0,
            "price_unit": amount,
            "psy_session_id": self.id,
            "psy_share": "patient",
        }
        advance_line = {
            "name": self.env._("Advance paid with pack %(code)s", code=voucher.name),
            "quantity": 1.0,
            "price_unit": -amount,
            "account_id": voucher._psy_held_account().id,
            "tax_ids": [Command.clear()],
            "psy_session_id": self.id,
            "psy_voucher_id": voucher.id,
            "psy_share": "advance",
        }
        return [
            ("patient", payer, session_line),
            ("patient", payer, advance_line),
        ]

    def _psy_prepare_invoice_vals(self, grouping="session", invoice_date=None):
        """Values of the customer invoices of these sessions, one per session
        or one per patient, payer and month, the insurer's share on its own
        invoice: an individual, couple or family session to its payer, each
        participant of a group session to theirs (with their insurer's share
        when insured). Sessions already invoiced or not billable are
        skipped."""
        sessions = self.filtered(lambda s: s.psy_invoice_state == "to_invoice")
        if not sessions:
            return []
        infos = sessions._psy_patient_billing_info()
        insurers = self.env["res.partner"].union(
            *(info["insurer"] for info in infos.values())
        )
        coverages = {}
        if insurers:
            for coverage in (
                self.env["psy.insurer.coverage"]
                .sudo()
                .search(
                    [
                        ("insurer_id", "in", insurers.ids),
                        ("product_id", "in", sessions.product_id.ids),
                        ("company_id", "in", sessions.company_id.ids),
                    ]
                )
            ):
                key = (coverage.company_id.id, coverage.insurer_id.id)
                coverages[(*key, coverage.product_id.id)] = coverage
        journals = {
            company.id: self.env["account.journal"].search(
                [
                    *self.env["account.journal"]._check_company_domain(company),
                    ("type", "=", "sale"),
                ],
                limit=1,
            )
            for company in sessions.company_id
        }
        for company in sessions.company_id:
            if not journals[company.id]:
                raise UserError(
                    self.env._(
                        "%(center)s has no sales journal. Set up the accounting "
                        "of the center before invoicing sessions.",
                        center=company.name,
                    )
                )
        moves = {}
        for session, participant, patient, payer in sessions._psy_billing_units():
            info = infos[patient.id]
            if not payer:
                raise UserError(
                    self.env._(
                        "The patient of session %(session)s has no contact to "
                        "invoice. Complete the patient file first.",
                        session=session.display_name,
                    )
                )
            period = (
                session.start.strftime("%Y-%m") if grouping == "monthly" else session.id
            )
            specs = (
                session._psy_joint_line_specs(infos, coverages, payer)
                if session.session_kind in ("couple", "family")
                and not session.sudo().voucher_line_id
                and session.state not in FEE_STATES
                else []
            ) or [
                (share, partner, patient, line_vals)
                for share, partner, line_vals in session._psy_line_specs(
                    info, coverages, participant=participant, payer=payer
                )
            ]
            for share, partner, billed, line_vals in specs:
                # An insurer's share is invoiced for the participant it
                # covers; the rest to the payer, for the session's patient.
                info = infos[billed.id]
                key = (
                    session.company_id.id,
                    billed.id,
                    payer.id,
                    share == "insurer" and partner.id,
                    period,
                )
                if key not in moves:
                    moves[key] = {
                        "move_type": "out_invoice",
                        "company_id": session.company_id.id,
                        "journal_id": journals[session.company_id.id].id,
                        "partner_id": partner.id,
                        "invoice_date": invoice_date or False,
                        "psy_patient_id": billed.id,
                        "psy_patient_partner_id": info["partner"].id,
                        "psy_patient_national_id": info["national_id"],
                        "psy_insurance_number": (
                            info["insurance_number"] if share == "insurer" else False
                        ),
                        "invoice_line_ids": [],
                    }
                moves[key]["invoice_line_ids"].append(Command.create(line_vals))
        return list(moves.values())

    def _psy_invoice_blocked(self):
        """{session: reason} of the sessions of ``self`` waiting to be
        invoiced that a module vetoes (:meth:`_psy_invoice_blockers` of
        ``psy_session``; e.g. the clinical record, when the center requires
        a signed note first)."""
        return self.filtered(
            lambda s: s.psy_invoice_state == "to_invoice"
        )._psy_invoice_blockers()

    def _psy_invoice_blocked_error(self, blocked):
        lines = "\n".join(f"- {reason}" for reason in blocked.values())
        return UserError(
            self.env._(
                "These sessions cannot be invoiced yet:\n%(lines)s",
                lines=lines,
            )
        )

    def _psy_lock_for_invoicing(self):
        """Lock, for this transaction, the sessions of ``self`` waiting to be
        invoiced and their participants, without waiting for anybody.
        Returns the sessions locked and those another transaction is
        changing at this very moment (a session being completed, signed or
        invoiced elsewhere): invoicing those now would fail when both
        transactions commit, so they wait for the next run. The locks grant
        nothing: they are taken on sessions the caller reads already."""
        sessions = self.filtered(lambda s: s.psy_invoice_state == "to_invoice")
        if not sessions:
            return sessions, sessions
        self.env.cr.execute(
            "SELECT id FROM psy_session WHERE id = ANY(%s) "
            "ORDER BY id FOR NO KEY UPDATE SKIP LOCKED",
            [sessions.ids],
        )
        locked = self.browse(row[0] for row in self.env.cr.fetchall())
        participants = locked.participant_ids
        if participants:
            self.env.cr.execute(
                "SELECT id FROM psy_session_participant WHERE id = ANY(%s) "
                "ORDER BY id FOR NO KEY UPDATE SKIP LOCKED",
                [participants.ids],
            )
            free = set(row[0] for row in self.env.cr.fetchall())
            locked -= participants.filtered(lambda p: p.id not in free).session_id
        return sessions & locked, sessions - locked

    def _psy_busy_reasons(self):
        return [
            self.env._(
                "%(session)s is being changed by someone else right now: "
                "invoice it again in a moment.",
                session=session.display_name,
            )
            for session in self
        ]

    def _psy_skip_blocked(self, when):
        """The sessions of ``self`` that may be invoiced now, locked for this
        transaction, and the list of the reasons of those left out. Each one
        left out because a module vetoes it says why in its chatter,
        ``when`` naming the batch ("the invoicing of 01/12/2026"); one
        another transaction is changing right now is only reported."""
        sessions, busy = self._psy_lock_for_invoicing()
        blocked = sessions._psy_invoice_blocked()
        skipped = self.browse([session.id for session in blocked])
        skipped._psy_log_left_out(
            {
                session.id: self.env._(
                    "Left out of %(batch)s: %(reason)s",
                    batch=when,
                    reason=reason,
                )
                for session, reason in blocked.items()
            }
        )
        return sessions - skipped, [*blocked.values(), *busy._psy_busy_reasons()]

    def _psy_log_left_out(self, bodies):
        """Log in the chatter of these sessions why an invoicing left them
        out. Billing staff read sessions without writing them: once the
        caller is checked (may read the sessions and create invoices), the
        notes are logged in one batch, the caller their author."""
        if not self:
            return
        self.check_access("read")
        self.env["account.move"].check_access("create")
        self._message_log_batch(bodies, author_id=self.env.user.partner_id.id)

    def _psy_create_invoices(self, grouping="session", invoice_date=None, post=False):
        """Invoice these sessions; refused when any of them may not be
        invoiced yet, or when another transaction is changing one of them
        right now (batches leave those out first: :meth:`_psy_skip_blocked`)."""
        blocked = self._psy_invoice_blocked()
        if blocked:
            raise self._psy_invoice_blocked_error(blocked)
        busy = self._psy_lock_for_invoicing()[1]
        if busy:
            raise UserError("\n".join(busy._psy_busy_reasons()))
        vals_list = self._psy_prepare_invoice_vals(grouping, invoice_date)
        if not vals_list:
            return self.env["account.move"]
        moves = self.env["account.move"].create(vals_list)
        if post:
            moves.action_post()
        return moves

    def action_psy_create_invoice(self):
        """Invoice the selected sessions, one invoice per session."""
        if not self.env.user.has_group("account.group_account_invoice"):
            raise AccessError(
                self.env._(
                    "Only billing staff can invoice sessions. Ask the billing "
                    "department to invoice them."
                )
            )
        moves = self._psy_create_invoices("session")
        if not moves:
            raise UserError(
                self.env._(
                    "None of the selected sessions is waiting to be invoiced: "
                    "they are already invoiced, or not billable."
                )
            )
        return moves._get_records_action(name=self.env._("Invoices"))

    def psy_agenda_actions(self):
        """Take a payment from the agenda: billing staff, when the patient or
        the payer owes something."""
        actions = super().psy_agenda_actions()
        if (
            self.env.user.has_group("account.group_account_invoice")
            and self.psy_booking_unpaid_count
        ):
            actions.append(
                {
                    "name": "action_psy_take_payment",
                    "label": self.env._("Take payment"),
                    "confirm": False,
                    "primary": False,
                }
            )
        return actions

    def action_psy_take_payment(self):
        """The open invoices of the patient or payer of the session, to
        register the payment with Odoo's own button."""
        self.ensure_one()
        if not self.env.user.has_group("account.group_account_invoice"):
            raise AccessError(
                self.env._(
                    "Only billing staff register payments. Ask the billing "
                    "department to take the payment."
                )
            )
        partners = (self.payer_id | self.patient_id.partner_id).commercial_partner_id
        moves = self.env["account.move"].search(
            [
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("payment_state", "in", ("not_paid", "partial")),
                ("company_id", "=", self.company_id.id),
                "|",
                ("psy_patient_id", "=", self.patient_id.id),
                ("commercial_partner_id", "in", partners.ids),
            ]
        )
        return moves._get_records_action(name=self.env._("Unpaid invoices"))

    def action_psy_open_invoices(self):
        self.ensure_one()
        moves = self.psy_invoice_line_ids.move_id
        return moves._get_records_action(name=self.env._("Invoices"))

    @api.model
    def _cron_psy_monthly_invoicing(self, date_ref=None):
        """Invoice, one invoice per patient and month, the billable sessions
        of the months before the one of ``date_ref`` (today when not given),
        for centers invoicing monthly."""
        date_ref = date_ref or self._psy_now().date()
        first_date = date_ref.replace(day=1)
        first_day = fields.Datetime.to_datetime(first_date)
        for company in self.env["res.company"].search(
            [("psy_invoice_policy", "=", "monthly")]
        ):
            sessions = self.search(
                [
                    ("company_id", "=", company.id),
                    ("psy_invoice_state", "=", "to_invoice"),
                    ("start", "<", first_day),
                ]
            )
            invoice_date = first_date - relativedelta(days=1)
            sessions, skipped = sessions.with_company(company)._psy_skip_blocked(
                self.env._(
                    "the monthly invoicing of %(date)s",
                    date=format_date(self.env, invoice_date),
                )
            )
            if skipped:
                _logger.info(
                    "Monthly invoicing of %s: %s sessions left out (%s)",
                    company.name,
                    len(skipped),
                    "; ".join(skipped),
                )
            sessions.with_company(company)._psy_create_invoices(
                "monthly",
                invoice_date=invoice_date,
                post=company.psy_invoice_auto_post,
            )
