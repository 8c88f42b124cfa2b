# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.psy_patient.models.psy_guarded_mixin import module_uninstalling


class PsyProgramEnrolment(models.Model):
    """A patient's place in a program: enrolled, on the waiting list or
    withdrawn.

    Every new enrolment starts on the waiting list and the program then gives
    it a place if one is free and nobody waits before it
    (:meth:`psy.program._psy_fill_seats`), all under the lock of the program
    row: two enrolments for the last place cannot both get it. The status
    moves only through the actions (``action_withdraw``, ``action_reenrol``);
    an enrolled patient takes part in the program's sessions still to come
    and leaves them when withdrawn, and the first patient waiting takes the
    place."""

    _name = "psy.program.enrolment"
    _description = "Program enrolment"
    _inherit = ["mail.thread", "psy.guarded.mixin", "psy.record.mixin"]
    _order = "program_id, state_order, request_date, id"
    _rec_name = "patient_id"
    _check_company_auto = True

    program_id = fields.Many2one(
        comodel_name="psy.program",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    patient_id = fields.Many2one(
        comodel_name="psy.patient",
        required=True,
        index=True,
        check_company=True,
        ondelete="restrict",
        tracking=True,
    )
    company_id = fields.Many2one(
        related="program_id.company_id",
        string="Center",
        store=True,
        index=True,
    )
    professional_id = fields.Many2one(related="program_id.professional_id")
    program_state = fields.Selection(
        related="program_id.state", string="Program status"
    )
    state = fields.Selection(
        selection=[
            ("enrolled", "Enrolled"),
            ("waiting", "Waiting list"),
            ("withdrawn", "Withdrawn"),
        ],
        string="Status",
        default="waiting",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    state_order = fields.Integer(
        compute="_compute_state_order",
        store=True,
        help="Enrolled first, then the waiting list, then the withdrawn.",
    )
    request_date = fields.Datetime(
        string="Requested on",
        required=True,
        readonly=True,
        copy=False,
        default=lambda self: fields.Datetime.now(),
        help="When the patient asked for a place: the waiting list is served "
        "in this order.",
    )
    enrol_date = fields.Datetime(string="Enrolled on", readonly=True, copy=False)
    withdraw_date = fields.Datetime(string="Withdrawn on", readonly=True, copy=False)
    waiting_position = fields.Integer(
        string="Position",
        compute="_compute_waiting_position",
        help="Place on the waiting list (1: next to get a place).",
    )
    voucher_id = fields.Many2one(
        comodel_name="psy.voucher",
        string="Program pack",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        help="The pack of the program sold to the patient.",
    )
    voucher_state = fields.Selection(related="voucher_id.state", string="Pack status")
    pack_product_id = fields.Many2one(
        related="program_id.pack_product_id", string="Pack of the program"
    )
    note = fields.Char(
        string="Administrative note",
        help="Practical information for the front desk. Never write clinical "
        "content here.",
    )

    _sql_constraints = [
        (
            "program_patient_unique",
            "UNIQUE(program_id, patient_id)",
            "A patient is enrolled in a program only once: re-enrol the "
            "withdrawn enrolment instead.",
        ),
    ]

    @api.depends("state")
    def _compute_state_order(self):
        order = {"enrolled": 1, "waiting": 2, "withdrawn": 3}
        for enrolment in self:
            enrolment.state_order = order.get(enrolment.state, 9)

    @api.depends("state", "request_date", "program_id.waiting_count")
    def _compute_waiting_position(self):
        self.waiting_position = 0
        waiting = self.filtered(lambda e: e.state == "waiting")
        for program in waiting.program_id:
            queue = program.enrolment_ids.filtered(
                lambda e: e.state == "waiting"
            ).sorted(lambda e: (e.request_date, e.id))
            for position, enrolment in enumerate(queue, start=1):
                if enrolment in waiting:
                    enrolment.waiting_position = position

    # ------------------------------------------------------------------
    # Guarded fields and write paths
    # ------------------------------------------------------------------

    @api.model
    def _psy_guarded_fields(self):
        return super()._psy_guarded_fields() | {
            "state",
            "request_date",
            "enrol_date",
            "withdraw_date",
            "voucher_id",
        }

    @api.model
    def _psy_guarded_initial_values(self):
        return {**super()._psy_guarded_initial_values(), "state": ("waiting",)}

    @api.model
    def _psy_guard_error(self, field_names):
        return UserError(
            self.env._(
                "The status of an enrolment, its dates and its pack change only "
                "with the buttons of the enrolment: Withdraw, Re-enrol and Sell "
                "the program pack. The program itself gives the places, first "
                "come first served. Use those buttons instead."
            )
        )

    @api.model_create_multi
    def create(self, vals_list):
        programs = self.env["psy.program"].browse(
            {vals["program_id"] for vals in vals_list if vals.get("program_id")}
        )
        programs._psy_lock()
        programs._psy_check_enrolment_open()
        self._psy_check_not_enrolled(vals_list)
        enrolments = super().create(vals_list)
        enrolments.program_id._psy_fill_seats()
        return enrolments

    @api.model
    def _psy_check_not_enrolled(self, vals_list):
        """A patient asks for a place once per program (the database refuses
        a second enrolment too; this says it in words)."""
        pairs = {(vals.get("program_id"), vals.get("patient_id")) for vals in vals_list}
        existing = self.search(
            [
                ("program_id", "in", [program for program, _patient in pairs]),
                ("patient_id", "in", [patient for _program, patient in pairs]),
            ]
        ).filtered(lambda e: (e.program_id.id, e.patient_id.id) in pairs)
        if existing:
            raise UserError(
                self.env._(
                    "%(patient)s already has an enrolment in %(program)s "
                    "(%(state)s). Re-enrol it if they withdrew.",
                    patient=existing[0].patient_id.name,
                    program=existing[0].program_id.name,
                    state=existing[0]._psy_selection_label("state").lower(),
                )
            )

    def write(self, vals):
        if {"program_id", "patient_id"} & set(vals):
            for enrolment in self:
                if enrolment._psy_differs(vals, "program_id") or (
                    enrolment._psy_differs(vals, "patient_id")
                ):
                    raise UserError(
                        self.env._(
                            "The enrolment of %(patient)s in %(program)s cannot "
                            "be moved to another patient or program. Withdraw "
                            "it and enrol the patient where they belong.",
                            patient=enrolment.patient_id.name,
                            program=enrolment.program_id.name,
                        )
                    )
        return super().write(vals)

    def _psy_differs(self, vals, name):
        return name in vals and self[name].id != vals[name]

    @api.ondelete(at_uninstall=True)
    def _unlink_except_enrolled(self):
        if module_uninstalling(self.env):
            return
        for enrolment in self:
            if enrolment.state == "enrolled" or enrolment.voucher_id:
                raise UserError(
                    self.env._(
                        "%(patient)s is enrolled in %(program)s or has bought "
                        "its pack: the enrolment cannot be deleted. Withdraw it "
                        "instead.",
                        patient=enrolment.patient_id.name,
                        program=enrolment.program_id.name,
                    )
                )

    # ------------------------------------------------------------------
    # Places and sessions
    # ------------------------------------------------------------------

    def _psy_enrol(self):
        """Private: these enrolments take a place (the caller holds the lock
        of their programs and has counted the places) and join the sessions
        still to come."""
        if not self:
            return
        now = self.env["psy.session"]._psy_now()
        self._psy_write_guarded({"state": "enrolled", "enrol_date": now})
        self._psy_join_sessions(now)
        for enrolment in self:
            enrolment.program_id.message_post(
                body=self.env._(
                    "%(patient)s has a place in the program.",
                    patient=enrolment.patient_id.name,
                ),
                subtype_xmlid="mail.mt_note",
            )

    def _psy_join_sessions(self, now):
        """Add the patients as participants of their program's scheduled
        sessions that have not started at ``now``."""
        values = []
        for enrolment in self:
            patient = enrolment.patient_id
            for session in enrolment.program_id.session_ids:
                if (
                    session.state == "scheduled"
                    and session.start > now
                    and patient not in session.participant_ids.patient_id
                ):
                    values.append({"session_id": session.id, "patient_id": patient.id})
        if values:
            self.env["psy.session.participant"].create(values)

    def _psy_leave_sessions(self, now):
        """Remove the patients from their program's scheduled sessions that
        have not started at ``now`` and where their attendance is still
        expected (an attendance already recorded stays)."""
        participants = self.program_id.participant_ids.filtered(
            lambda p: p.session_state == "scheduled"
            and p.start > now
            and p.attendance == "expected"
            and any(
                e.program_id == p.program_id and e.patient_id == p.patient_id
                for e in self
            )
        )
        if participants:
            participants.unlink()

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_withdraw(self):
        """The patient leaves the program (or the waiting list); an enrolled
        patient's place goes to the first patient waiting."""
        self.program_id._psy_lock()
        for enrolment in self:
            if enrolment.state == "withdrawn":
                raise UserError(
                    self.env._(
                        "%(patient)s has already withdrawn from %(program)s.",
                        patient=enrolment.patient_id.name,
                        program=enrolment.program_id.name,
                    )
                )
        self._action_withdraw(self.env["psy.session"]._psy_now())
        return True

    def _action_withdraw(self, now):
        """Withdraw the enrolments at ``now`` (the caller holds the lock of
        their programs) and give the freed places to the waiting list."""
        freed = self.filtered(lambda e: e.state == "enrolled")
        self._psy_write_guarded({"state": "withdrawn", "withdraw_date": now})
        freed._psy_leave_sessions(now)
        for enrolment in self:
            enrolment.program_id.message_post(
                body=self.env._(
                    "%(patient)s withdrew from the program.",
                    patient=enrolment.patient_id.name,
                ),
                subtype_xmlid="mail.mt_note",
            )
        self.program_id._psy_fill_seats()
        return True

    def action_reenrol(self):
        """A withdrawn patient asks again: back at the end of the waiting
        list, with a place at once if one is free."""
        programs = self.program_id
        programs._psy_lock()
        programs._psy_check_enrolment_open()
        for enrolment in self:
            if enrolment.state != "withdrawn":
                raise UserError(
                    self.env._(
                        "%(patient)s is %(state)s in %(program)s: only a "
                        "withdrawn enrolment can be re-enrolled.",
                        patient=enrolment.patient_id.name,
                        state=enrolment._psy_selection_label("state").lower(),
                        program=enrolment.program_id.name,
                    )
                )
        self._psy_write_guarded(
            {
                "state": "waiting",
                "request_date": fields.Datetime.now(),
                "enrol_date": False,
                "withdraw_date": False,
            }
        )
        programs._psy_fill_seats()
        return True

    def action_sell_pack(self):
        """Sell the program pack to the enrolled patient: a draft pack is
        created, to be activated as every pack is (its invoice, or Sell and
        activate when it has no price)."""
        self.ensure_one()
        Voucher = self.env["psy.voucher"]
        Voucher._check_can_sell()
        if self.state != "enrolled":
            raise UserError(
                self.env._(
                    "%(patient)s has no place in %(program)s yet: sell the "
                    "program pack once they are enrolled.",
                    patient=self.patient_id.name,
                    program=self.program_id.name,
                )
            )
        if not self.program_id.pack_product_id:
            raise UserError(
                self.env._(
                    "The program %(program)s has no pack. Choose its program "
                    "pack on the program first.",
                    program=self.program_id.name,
                )
            )
        if self.voucher_id and self.voucher_id.state != "cancelled":
            raise UserError(
                self.env._(
                    "%(patient)s already has the pack %(code)s of this program.",
                    patient=self.patient_id.name,
                    code=self.voucher_id.name,
                )
            )
        voucher = self._psy_sell_pack()
        return {
            "type": "ir.actions.act_window",
            "res_model": "psy.voucher",
            "res_id": voucher.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def _psy_sell_pack(self):
        """Private: create the draft program pack of the patient and link it
        to the enrolment (after the checks of :meth:`action_sell_pack`)."""
        self.ensure_one()
        program = self.program_id
        voucher = (
            self.env["psy.voucher"]
            .with_company(program.company_id)
            .create(
                {
                    "patient_id": self.patient_id.id,
                    "product_id": program.pack_product_id.id,
                    "company_id": program.company_id.id,
                }
            )
        )
        self._psy_write_guarded({"voucher_id": voucher.id})
        program.message_post(
            body=self.env._(
                "Program pack %(code)s prepared for %(patient)s.",
                code=voucher.name,
                patient=self.patient_id.name,
            ),
            subtype_xmlid="mail.mt_note",
        )
        return voucher

    def action_view_voucher(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "psy.voucher",
            "res_id": self.voucher_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }
