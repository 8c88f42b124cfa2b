# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from odoo.addons.psy_patient.models.psy_guarded_mixin import module_uninstalling

# Most sessions of a program: the limit of a series of the agenda.
MAX_PROGRAM_SESSIONS = 104

# Fields fixing the series: they cannot change once the sessions exist.
SERIES_FIELDS = (
    "product_id",
    "professional_id",
    "room_id",
    "modality",
    "first_start",
    "planned_count",
    "company_id",
)


class PsyProgram(models.Model):
    """A program: a series of weekly group sessions (e.g. an 8-week
    mindfulness group) with its enrolments and waiting list.

    The status moves only through the actions (``action_open``,
    ``action_start``, ``action_done``, ``action_cancel``). Places are decided
    under a lock of the program row (:meth:`_psy_lock`, ``SELECT ... FOR
    UPDATE``): every enrolment, withdrawal or change of capacity takes it
    first, then :meth:`_psy_fill_seats` gives the free places to the waiting
    list, first come first served. The counters stored on the program change
    with every such decision, so a concurrent transaction that read the
    program before cannot decide on a stale count: PostgreSQL refuses its
    lock with a serialization failure and Odoo retries it."""

    _name = "psy.program"
    _description = "Group program"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "psy.guarded.mixin",
        "psy.record.mixin",
    ]
    _order = "first_start desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        string="Center",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    professional_id = fields.Many2one(
        comodel_name="res.users",
        required=True,
        index=True,
        tracking=True,
        default=lambda self: self.env["psy.session"]._default_professional_id(),
        domain=lambda self: self.env["res.users"]._psy_psychologist_field_domain(),
        ondelete="restrict",
        help="Psychologist who runs the sessions of the program.",
    )
    product_id = fields.Many2one(
        comodel_name="product.product",
        string="Group session type",
        required=True,
        tracking=True,
        check_company=True,
        domain=[("is_psy_session_type", "=", True), ("psy_session_kind", "=", "group")],
        ondelete="restrict",
        help="The group session type of every session of the program: it fixes "
        "their duration, their price and the largest group.",
    )
    capacity = fields.Integer(
        compute="_compute_capacity",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        help="Places of the program. At most the capacity of the group session "
        "type; when every place is taken, new enrolments go to the waiting "
        "list.",
    )
    modality = fields.Selection(
        selection=[("in_person", "In person"), ("online", "Online")],
        required=True,
        default="in_person",
    )
    room_id = fields.Many2one(
        comodel_name="psy.room",
        check_company=True,
        ondelete="restrict",
    )
    first_start = fields.Datetime(
        string="First session",
        required=True,
        tracking=True,
        help="Day and time of the first session; the others follow every week "
        "on the same weekday and local time.",
    )
    weekday = fields.Selection(
        selection=[
            ("0", "Monday"),
            ("1", "Tuesday"),
            ("2", "Wednesday"),
            ("3", "Thursday"),
            ("4", "Friday"),
            ("5", "Saturday"),
            ("6", "Sunday"),
        ],
        compute="_compute_weekday",
        help="Weekday of the sessions, on the local clock.",
    )
    planned_count = fields.Integer(
        string="Number of sessions",
        default=8,
        required=True,
        tracking=True,
    )
    description = fields.Text(
        help="What the program offers, for the front desk and the patients. "
        "Never write clinical content here.",
    )
    state = fields.Selection(
        selection=[
            ("draft", "Draft"),
            ("open", "Open for enrolment"),
            ("running", "Running"),
            ("done", "Done"),
            ("cancelled", "Cancelled"),
        ],
        string="Status",
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    session_ids = fields.One2many(
        comodel_name="psy.session",
        inverse_name="program_id",
        string="Sessions",
        readonly=True,
    )
    session_count = fields.Integer(compute="_compute_session_counts")
    session_done_count = fields.Integer(
        string="Sessions done", compute="_compute_session_counts"
    )
    last_start = fields.Datetime(
        string="Last session", compute="_compute_session_counts"
    )
    enrolment_ids = fields.One2many(
        comodel_name="psy.program.enrolment",
        inverse_name="program_id",
        string="Enrolments",
    )
    waiting_ids = fields.One2many(
        comodel_name="psy.program.enrolment",
        inverse_name="program_id",
        string="Waiting list",
        domain=[("state", "=", "waiting")],
        readonly=True,
    )
    enrolled_count = fields.Integer(
        string="Enrolled",
        compute="_compute_enrolment_counts",
        store=True,
    )
    waiting_count = fields.Integer(
        string="Waiting",
        compute="_compute_enrolment_counts",
        store=True,
    )
    seats_left = fields.Integer(
        string="Places left", compute="_compute_enrolment_counts", store=True
    )
    participant_ids = fields.One2many(
        comodel_name="psy.session.participant",
        inverse_name="program_id",
        string="Attendance",
        readonly=True,
    )
    pack_product_id = fields.Many2one(
        comodel_name="product.product",
        string="Program pack",
        check_company=True,
        domain=[("is_psy_voucher", "=", True)],
        ondelete="restrict",
        tracking=True,
        help="Session pack sold to the participants: it covers the group "
        "session type with as many sessions as the program.",
    )
    color = fields.Integer(compute="_compute_color")

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("product_id")
    def _compute_capacity(self):
        for program in self:
            if program.product_id:
                program.capacity = program.product_id.product_tmpl_id._psy_capacity()

    @api.depends("first_start")
    def _compute_weekday(self):
        to_local = self.env["psy.session.recurrence.wizard"]._psy_to_local
        for program in self:
            program.weekday = (
                str(to_local(program.first_start).weekday())
                if program.first_start
                else False
            )

    @api.depends("session_ids.state", "session_ids.start")
    def _compute_session_counts(self):
        for program in self:
            sessions = program.session_ids
            program.session_count = len(sessions)
            program.session_done_count = len(
                sessions.filtered(lambda s: s.state == "done")
            )
            program.last_start = max(sessions.mapped("start"), default=False)

    @api.depends("enrolment_ids.state", "capacity")
    def _compute_enrolment_counts(self):
        for program in self:
            states = program.enrolment_ids.mapped("state")
            program.enrolled_count = states.count("enrolled")
            program.waiting_count = states.count("waiting")
            program.seats_left = max(program.capacity - program.enrolled_count, 0)

    @api.depends("state")
    def _compute_color(self):
        colors = {"draft": 0, "open": 4, "running": 10, "done": 7, "cancelled": 1}
        for program in self:
            program.color = colors.get(program.state, 0)

    @api.onchange("modality")
    def _onchange_modality(self):
        if self.modality == "online":
            self.room_id = False

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------

    @api.constrains("product_id", "capacity")
    def _check_capacity(self):
        for program in self:
            template = program.product_id.product_tmpl_id
            if template.psy_session_kind != "group":
                raise ValidationError(
                    self.env._(
                        "%(type)s is not a group session type. Choose a session "
                        "type of kind Group for the program %(program)s.",
                        type=program.product_id.display_name,
                        program=program.name,
                    )
                )
            limit = template._psy_capacity()
            if program.capacity <= 0 or (limit and program.capacity > limit):
                raise ValidationError(
                    self.env._(
                        "The program %(program)s takes between 1 and %(limit)s "
                        "participants (the capacity of %(type)s). Change its "
                        "capacity.",
                        program=program.name,
                        limit=limit,
                        type=program.product_id.display_name,
                    )
                )

    @api.constrains("planned_count")
    def _check_planned_count(self):
        for program in self:
            if not 1 <= program.planned_count <= MAX_PROGRAM_SESSIONS:
                raise ValidationError(
                    self.env._(
                        "A program has between 1 and %(max)s sessions. Change "
                        "the number of sessions of %(program)s.",
                        max=MAX_PROGRAM_SESSIONS,
                        program=program.name,
                    )
                )

    @api.constrains("modality", "room_id")
    def _check_room(self):
        for program in self:
            if program.modality == "online" and program.room_id:
                raise ValidationError(
                    self.env._(
                        "An online program does not use a room. Remove the room "
                        "%(room)s or make the program in person.",
                        room=program.room_id.name,
                    )
                )

    @api.constrains("pack_product_id", "product_id", "planned_count")
    def _check_pack_product(self):
        for program in self.filtered("pack_product_id"):
            pack = program.pack_product_id.product_tmpl_id
            if program.product_id.product_tmpl_id not in (
                pack.psy_voucher_session_type_ids
            ) or (pack.psy_voucher_sessions != program.planned_count):
                raise ValidationError(
                    self.env._(
                        "The pack %(pack)s does not fit the program %(program)s: "
                        "a program pack covers %(type)s with %(count)s sessions. "
                        "Choose another pack or change this one.",
                        pack=pack.display_name,
                        program=program.name,
                        type=program.product_id.display_name,
                        count=program.planned_count,
                    )
                )

    # ------------------------------------------------------------------
    # Guarded status and write paths
    # ------------------------------------------------------------------

    @api.model
    def _psy_guarded_fields(self):
        return super()._psy_guarded_fields() | {"state"}

    @api.model
    def _psy_guarded_initial_values(self):
        return {**super()._psy_guarded_initial_values(), "state": ("draft",)}

    @api.model
    def _psy_guard_error(self, field_names):
        return UserError(
            self.env._(
                "The status of a program changes only with its buttons: Open "
                "enrolment, Start, Mark as done and Cancel. A new program is "
                "always a draft. Use those buttons instead."
            )
        )

    def write(self, vals):
        if set(SERIES_FIELDS) & set(vals):
            for program in self.filtered("session_ids"):
                changed = [
                    name
                    for name in SERIES_FIELDS
                    if name in vals and program._psy_differs(name, vals[name])
                ]
                if changed:
                    raise UserError(
                        self.env._(
                            "The program %(program)s already has its sessions: "
                            "its session type, professional, room, modality, "
                            "schedule and center cannot change any more. Change "
                            "the sessions themselves in the agenda.",
                            program=program.name,
                        )
                    )
        if "capacity" in vals:
            self._psy_lock()
            self._psy_check_capacity_taken(vals["capacity"])
        res = super().write(vals)
        if "capacity" in vals:
            self._psy_fill_seats()
        return res

    def _psy_differs(self, name, value):
        """Whether ``value`` (as sent to ``write``) differs from the field."""
        field = self._fields[name]
        new = field.convert_to_record(field.convert_to_cache(value, self), self)
        return new != self[name]

    def _psy_check_capacity_taken(self, capacity):
        """Refuse a new ``capacity`` below the patients already enrolled (the
        caller holds the lock of the programs)."""
        for program in self:
            enrolled = program.enrolment_ids.filtered(lambda e: e.state == "enrolled")
            if (capacity or 0) < len(enrolled):
                raise ValidationError(
                    self.env._(
                        "%(count)s patients are enrolled in %(program)s: its "
                        "capacity cannot go below that. Withdraw enrolments "
                        "first.",
                        count=len(enrolled),
                        program=program.name,
                    )
                )

    @api.ondelete(at_uninstall=True)
    def _unlink_except_started(self):
        if module_uninstalling(self.env):
            return
        for program in self:
            if program.state != "draft" or program.session_ids:
                raise UserError(
                    self.env._(
                        "The program %(program)s has sessions or has been "
                        "opened: it cannot be deleted. Cancel it instead.",
                        program=program.name,
                    )
                )

    # ------------------------------------------------------------------
    # Places: decided under the lock of the program row
    # ------------------------------------------------------------------

    def _psy_lock(self):
        """Lock the rows of these programs until the end of the transaction
        (``SELECT ... FOR UPDATE``) and forget what the cache knows of their
        enrolments, so that the places are counted from the database. A
        concurrent transaction waits here; if the other one changed the
        program meanwhile, PostgreSQL refuses this lock with a serialization
        failure and Odoo retries the whole call on fresh data."""
        if not self.ids:
            return
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT id FROM %s WHERE id IN %s ORDER BY id FOR UPDATE",
                SQL.identifier(self._table),
                tuple(self.ids),
            )
        )
        self.invalidate_recordset(
            ["enrolment_ids", "enrolled_count", "waiting_count", "seats_left"]
        )
        self.env["psy.program.enrolment"].invalidate_model(["state", "request_date"])

    def _psy_fill_seats(self):
        """Give the free places of the programs (locked by the caller) to the
        waiting list, first come first served (request date). Programs not
        open nor running keep their waiting list."""
        Enrolment = self.env["psy.program.enrolment"]
        promoted = Enrolment
        for program in self.filtered(lambda p: p.state in ("open", "running")):
            enrolments = program.enrolment_ids
            free = program.capacity - len(
                enrolments.filtered(lambda e: e.state == "enrolled")
            )
            if free <= 0:
                continue
            waiting = enrolments.filtered(lambda e: e.state == "waiting").sorted(
                lambda e: (e.request_date, e.id)
            )
            promoted |= waiting[:free]
        promoted._psy_enrol()
        return promoted

    def _psy_check_enrolment_open(self):
        for program in self:
            if program.state not in ("open", "running"):
                raise UserError(
                    self.env._(
                        "The program %(program)s is %(state)s: it takes no "
                        "enrolments. Open it for enrolment first.",
                        program=program.name,
                        state=program._psy_selection_label("state").lower(),
                    )
                )

    # ------------------------------------------------------------------
    # Sessions of the program
    # ------------------------------------------------------------------

    def _psy_session_starts(self):
        """Starts (naive UTC) of the sessions: weekly from the first one, on
        the local clock (a group on Thursdays at 19:00 stays at 19:00 when
        the clocks change)."""
        self.ensure_one()
        shift = self.env["psy.session.recurrence.wizard"]._psy_shift_local
        return [
            shift(self.first_start, weeks=week) for week in range(self.planned_count)
        ]

    def action_generate_sessions(self):
        """Book the series of group sessions of the program in the agenda."""
        for program in self:
            if program.state not in ("draft", "open"):
                raise UserError(
                    self.env._(
                        "The program %(program)s is %(state)s: its sessions are "
                        "booked while it is a draft or open for enrolment.",
                        program=program.name,
                        state=program._psy_selection_label("state").lower(),
                    )
                )
            if program.session_ids:
                raise UserError(
                    self.env._(
                        "The sessions of %(program)s are already booked. Change "
                        "them in the agenda.",
                        program=program.name,
                    )
                )
        self.check_access("write")
        self._psy_generate_sessions()
        return True

    def _psy_generate_sessions(self):
        """Create the sessions of the programs with their enrolled patients as
        participants; a slot taken in the agenda stops the whole series with
        the agenda's message (nothing is booked)."""
        Session = self.env["psy.session"]
        for program in self:
            patients = program.enrolment_ids.filtered(
                lambda e: e.state == "enrolled"
            ).patient_id
            values = [
                {
                    "product_id": program.product_id.id,
                    "professional_id": program.professional_id.id,
                    "company_id": program.company_id.id,
                    "modality": program.modality,
                    "room_id": program.room_id.id,
                    "start": start,
                    "participant_ids": [
                        Command.create({"patient_id": patient.id})
                        for patient in patients
                    ],
                }
                for start in program._psy_session_starts()
            ]
            sessions = Session.with_company(program.company_id).create(values)
            sessions._psy_write_guarded({"program_id": program.id})
            program.message_post(
                body=self.env._(
                    "%(count)s sessions booked in the agenda.", count=len(sessions)
                ),
                subtype_xmlid="mail.mt_note",
            )

    # ------------------------------------------------------------------
    # Status
    # ------------------------------------------------------------------

    def _psy_check_state(self, allowed, message):
        """Refuse the programs whose status is not in ``allowed``, with the
        sentence ``message(program, state_label)``."""
        for program in self.filtered(lambda p: p.state not in allowed):
            raise UserError(
                message(program.name, program._psy_selection_label("state").lower())
            )

    def action_open(self):
        """Open the program for enrolment."""
        self._psy_check_state(
            ("draft",),
            lambda program, state: self.env._(
                "The program %(program)s is %(state)s: only a draft program "
                "can be opened for enrolment.",
                program=program,
                state=state,
            ),
        )
        self._psy_write_guarded({"state": "open"})
        self._psy_lock()
        self._psy_fill_seats()
        return True

    def action_start(self):
        """The program has begun: it keeps taking enrolments for the sessions
        still to come."""
        self._psy_check_state(
            ("open",),
            lambda program, state: self.env._(
                "The program %(program)s is %(state)s: only a program open for "
                "enrolment can start.",
                program=program,
                state=state,
            ),
        )
        for program in self.filtered(lambda p: not p.session_ids):
            raise UserError(
                self.env._(
                    "The program %(program)s has no sessions. Book its sessions "
                    "before starting it.",
                    program=program.name,
                )
            )
        self._psy_write_guarded({"state": "running"})
        return True

    def action_done(self):
        """Close the program once every session is closed."""
        self._psy_check_state(
            ("running",),
            lambda program, state: self.env._(
                "The program %(program)s is %(state)s: only a running program "
                "can be marked as done.",
                program=program,
                state=state,
            ),
        )
        for program in self:
            pending = program.session_ids.filtered(lambda s: s.state == "scheduled")
            if pending:
                raise UserError(
                    self.env._(
                        "%(count)s sessions of %(program)s are still scheduled. "
                        "Mark them as done, no-show or cancelled first.",
                        count=len(pending),
                        program=program.name,
                    )
                )
        self._psy_write_guarded({"state": "done"})
        return True

    def action_cancel(self):
        """Cancel the program and its sessions still to come (the center's
        cancellation window decides, session by session, if it is late)."""
        self._psy_check_state(
            ("draft", "open", "running"),
            lambda program, state: self.env._(
                "The program %(program)s is %(state)s: it can no longer be cancelled.",
                program=program,
                state=state,
            ),
        )
        now = self.env["psy.session"]._psy_now()
        sessions = self.session_ids.filtered(
            lambda s: s.state == "scheduled" and s.start > now
        )
        if sessions:
            sessions.action_cancel()
        self._psy_write_guarded({"state": "cancelled"})
        return True

    # ------------------------------------------------------------------
    # Pack and smart buttons
    # ------------------------------------------------------------------

    def action_create_pack_product(self):
        """Create the program pack: a session pack covering the group session
        type with as many sessions as the program, at the price of the
        sessions (the administrator may change it)."""
        self.ensure_one()
        if self.pack_product_id:
            raise UserError(
                self.env._(
                    "The program %(program)s already has its pack %(pack)s.",
                    program=self.name,
                    pack=self.pack_product_id.display_name,
                )
            )
        pack = self.env["product.product"].create(
            {
                "name": self.env._("%(program)s (pack)", program=self.name),
                "type": "service",
                "is_psy_voucher": True,
                "psy_voucher_sessions": self.planned_count,
                "psy_voucher_session_type_ids": [
                    Command.set(self.product_id.product_tmpl_id.ids)
                ],
                "list_price": self.product_id.list_price * self.planned_count,
                "company_id": self.product_id.company_id.id,
            }
        )
        self.pack_product_id = pack
        return True

    def action_view_sessions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "psy_session.psy_session_action_list"
        )
        action["domain"] = [("program_id", "=", self.id)]
        action["context"] = {}
        return action

    def action_view_attendance(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "psy_program.psy_session_participant_action_attendance"
        )
        action["domain"] = [("program_id", "=", self.id)]
        action["display_name"] = self.env._(
            "Attendance: %(program)s", program=self.name
        )
        return action

    def action_view_enrolments(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "psy_program.psy_program_enrolment_action"
        )
        action["domain"] = [("program_id", "=", self.id)]
        action["context"] = {"default_program_id": self.id}
        return action
