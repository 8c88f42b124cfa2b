import re
import unicodedata

import pytz
from dateutil.relativedelta import relativedelta
from stdnum import exceptions as stdnum_exceptions
from stdnum.es import dni, nie

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression

from .psy_guarded_mixin import module_uninstalling

GENERIC_ID_RE = re.compile(r"^[A-Z0-9]{4,20}$")
PHONE_RE = re.compile(r"^[\d\s+().-]+$")


def compact_national_id(value):
    """Upper-case the identifier and drop blanks, dots, dashes and slashes."""
    return re.sub(r"[\s.\-/]", "", value or "").upper()


def psy_search_normalize(value):
    """``value`` in lower case, without accents and with single spaces: "Ana
    LÓPEZ  Núñez" gives "ana lopez nunez". The same on both sides of the
    patient search, so that it needs no ``unaccent`` in the database."""
    decomposed = unicodedata.normalize("NFKD", value or "")
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.casefold().split())


def psy_search_digits(value):
    """The digits of ``value``: a phone number as it is compared."""
    return re.sub(r"\D", "", value or "")


class PsyPatient(models.Model):
    _name = "psy.patient"
    _description = "Patient"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "psy.guarded.mixin",
        "psy.record.mixin",
    ]
    _order = "lastname, firstname, id"
    _rec_names_search = ["name", "ref", "national_id"]
    _check_company_auto = True

    ref = fields.Char(
        string="File number",
        readonly=True,
        copy=False,
        index=True,
        help="Number of the patient file, given by the center when the patient "
        "is registered.",
    )
    name = fields.Char(
        compute="_compute_name",
        store=True,
        index="trigram",
    )
    search_key = fields.Char(
        string="Search key",
        compute="_compute_search_key",
        store=True,
        index="trigram",
        help="Name, file number, national ID and phone numbers, in lower case "
        "without accents (and the phones as digits only): what the patient "
        'search compares, so that "lopez" finds "Ana López".',
    )
    firstname = fields.Char(string="First name", required=True, tracking=True)
    lastname = fields.Char(string="Last names", required=True, tracking=True)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        string="Center",
        required=True,
        default=lambda self: self.env.company,
        index=True,
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Contact",
        required=True,
        ondelete="restrict",
        index=True,
        copy=False,
        check_company=True,
        help="Contact that carries the billing identity of the patient "
        "(name, address, tax ID, e-mail): invoices are addressed to it.",
    )
    avatar_128 = fields.Image(related="partner_id.avatar_128")
    email = fields.Char(related="partner_id.email", readonly=False)
    phone = fields.Char(related="partner_id.phone", readonly=False)
    mobile = fields.Char(related="partner_id.mobile", readonly=False)
    street = fields.Char(related="partner_id.street", readonly=False)
    street2 = fields.Char(related="partner_id.street2", readonly=False)
    zip = fields.Char(related="partner_id.zip", readonly=False)
    city = fields.Char(related="partner_id.city", readonly=False)
    state_id = fields.Many2one(related="partner_id.state_id", readonly=False)
    country_id = fields.Many2one(related="partner_id.country_id", readonly=False)
    lang = fields.Selection(related="partner_id.lang", readonly=False)

    birthdate = fields.Date(string="Birth date", tracking=True)
    age = fields.Integer(compute="_compute_age", help="Age in years today.")
    is_minor = fields.Boolean(
        string="Minor",
        compute="_compute_age",
        search="_search_is_minor",
        help="Younger than the age of majority set in the settings of the center.",
    )
    national_id = fields.Char(
        string="National ID",
        tracking=True,
        copy=False,
        help="Identity document number: DNI or NIE for Spain.",
    )
    national_id_country_id = fields.Many2one(
        comodel_name="res.country",
        string="ID issued by",
        default=lambda self: self.env.company.country_id,
        help="Country that issued the identity document; it decides how the "
        "number is checked.",
    )
    gender = fields.Selection(
        selection=[
            ("female", "Female"),
            ("male", "Male"),
            ("non_binary", "Non-binary"),
            ("other", "Other"),
        ],
    )
    profession = fields.Char()
    marital_status = fields.Selection(
        selection=[
            ("single", "Single"),
            ("married", "Married"),
            ("civil_union", "Civil union"),
            ("separated", "Separated"),
            ("divorced", "Divorced"),
            ("widowed", "Widowed"),
        ],
    )
    emergency_contact_name = fields.Char(string="Emergency contact")
    emergency_contact_phone = fields.Char(string="Emergency phone")
    emergency_contact_relation = fields.Char(string="Relationship to patient")
    guardian_ids = fields.One2many(
        comodel_name="psy.patient.guardian",
        inverse_name="patient_id",
        string="Guardians",
        copy=False,
    )
    guardian_missing = fields.Boolean(compute="_compute_guardian_missing")
    referral_source_id = fields.Many2one(
        comodel_name="psy.referral.source",
        string="Referral source",
        help="How the patient came to the center.",
    )
    referred_by_id = fields.Many2one(
        comodel_name="res.partner",
        string="Referred by",
        help="Doctor, school or person who referred the patient, if any.",
    )
    professional_ids = fields.Many2many(
        comodel_name="res.users",
        relation="psy_patient_professional_rel",
        column1="patient_id",
        column2="user_id",
        string="Assigned professionals",
        default=lambda self: self._default_professional_ids(),
        domain=lambda self: self.env["res.users"]._psy_psychologist_domain(),
        help="Psychologists who treat this patient.",
    )
    state = fields.Selection(
        selection=[("active", "In care"), ("discharged", "Discharged")],
        string="Status",
        default="active",
        required=True,
        readonly=True,
        tracking=True,
    )
    discharge_date = fields.Date(readonly=True, copy=False)
    note = fields.Text(
        string="Administrative note",
        help="Practical information for the front desk (availability, billing "
        "preferences...). Never write clinical content here.",
    )
    duplicate_patient_ids = fields.Many2many(
        comodel_name="psy.patient",
        compute="_compute_duplicate_patient_ids",
        string="Possible duplicates",
    )

    _sql_constraints = [
        (
            "ref_company_unique",
            "UNIQUE(company_id, ref)",
            "Each patient file number is unique within a center.",
        ),
        (
            "national_id_company_unique",
            "UNIQUE(company_id, national_id)",
            "Another patient of this center already has this national ID.",
        ),
    ]

    @api.model
    def _default_professional_ids(self):
        if self.env.user.has_group("psy_patient.group_psy_psychologist"):
            return self.env.user
        return self.env["res.users"]

    @api.depends("firstname", "lastname")
    def _compute_name(self):
        for patient in self:
            patient.name = " ".join(
                p for p in (patient.firstname, patient.lastname) if p
            )

    @api.depends("name", "ref", "national_id", "partner_id.phone", "partner_id.mobile")
    def _compute_search_key(self):
        for patient in self:
            words = [
                psy_search_normalize(value)
                for value in (
                    patient.name,
                    patient.ref,
                    compact_national_id(patient.national_id),
                )
                if value
            ]
            words += [
                psy_search_digits(phone)
                for phone in (patient.partner_id.phone, patient.partner_id.mobile)
                if phone and psy_search_digits(phone)
            ]
            patient.search_key = " ".join(words) or False

    @api.model
    def _search_display_name(self, operator, value):
        """Patients are found by name without accents or case ("lopez" finds
        "Ana López"), file number, national ID or phone (with or without
        spaces), whether or not the database has the ``unaccent`` extension:
        the search compares :attr:`search_key`, kept normalized."""
        if (
            operator not in ("ilike", "not ilike", "=ilike", "like", "=like")
            or not isinstance(value, str)
            or not value.strip()
        ):
            return super()._search_display_name(operator, value)
        positive = operator != "not ilike"
        op = "ilike" if operator in ("ilike", "not ilike") else operator
        domains = []
        for term in psy_search_normalize(value).split():
            alternatives = [[("search_key", op, term)]]
            compact = compact_national_id(term).casefold()
            if compact and compact != term:
                alternatives.append([("search_key", op, compact)])
            digits = psy_search_digits(term)
            if PHONE_RE.match(term) and len(digits) >= 3 and digits != term:
                alternatives.append([("search_key", op, digits)])
            domains.append(expression.OR(alternatives))
        # A phone typed with spaces ("600 12 34 56") is also one number.
        digits = psy_search_digits(value)
        if PHONE_RE.match(value) and len(digits) >= 6 and len(value.split()) > 1:
            domains = [
                expression.OR([expression.AND(domains), [("search_key", op, digits)]])
            ]
        domain = expression.AND(domains)
        return domain if positive else ["!", *domain]

    @api.depends("birthdate", "company_id.psy_minor_age")
    def _compute_age(self):
        today = self._psy_today()
        for patient in self:
            if patient.birthdate:
                patient.age = relativedelta(today, patient.birthdate).years
                patient.is_minor = patient.age < patient.company_id.psy_minor_age
            else:
                patient.age = 0
                patient.is_minor = False

    def _search_is_minor(self, operator, value):
        if operator not in ("=", "!="):
            return NotImplemented
        today = self._psy_today()
        minor_domains = []
        for company in self.env.companies:
            limit = today - relativedelta(years=company.psy_minor_age)
            minor_domains.append(
                ["&", ("company_id", "=", company.id), ("birthdate", ">", limit)]
            )
        domain = ["|"] * (len(minor_domains) - 1)
        for minor_domain in minor_domains:
            domain += minor_domain
        if (operator == "=") != bool(value):
            domain = ["!", *domain]
        return domain

    @api.model
    def _psy_today(self):
        """Today in the user's time zone, else the center's.

        The time zone is the user's own setting, not the ``tz`` of the context
        a client sends, so no client can move the date. Tests move the clock
        with ``freezegun``."""
        now = pytz.utc.localize(fields.Datetime.now())
        return now.astimezone(self._psy_tz()).date()

    @api.model
    def _psy_tz(self):
        """The time zone of the reader: the user's setting, else the center's
        (its partner's), else UTC. Never the ``tz`` key of the context."""
        name = self.env.user.tz or self.env.company.partner_id.tz
        return pytz.timezone(name) if name in pytz.all_timezones_set else pytz.utc

    @api.depends("is_minor", "guardian_ids")
    def _compute_guardian_missing(self):
        for patient in self:
            patient.guardian_missing = patient.is_minor and not patient.guardian_ids

    @api.depends("firstname", "lastname", "birthdate", "company_id")
    def _compute_duplicate_patient_ids(self):
        candidates = self.filtered(lambda p: p.birthdate and p.firstname and p.lastname)
        others = self.browse()
        if candidates:
            others = self.with_context(active_test=False).search(
                [
                    ("birthdate", "in", list(set(candidates.mapped("birthdate")))),
                    ("company_id", "in", candidates.company_id.ids),
                ]
            )
        for patient in self:
            key = patient._duplicate_key()
            patient.duplicate_patient_ids = others.filtered(
                lambda other, key=key, patient=patient: other._duplicate_key() == key
                and other.id != patient._origin.id
            )

    def _duplicate_key(self):
        self.ensure_one()
        return (
            " ".join((self.firstname or "").split()).casefold(),
            " ".join((self.lastname or "").split()).casefold(),
            self.birthdate,
            self.company_id.id,
        )

    @api.constrains("national_id", "national_id_country_id")
    def _check_national_id(self):
        for patient in self.filtered("national_id"):
            patient._validate_national_id()

    def _validate_national_id(self):
        self.ensure_one()
        number = self.national_id
        if self.national_id_country_id.code == "ES":
            validator = nie if number[:1] in "XYZ" else dni
            kind = self.env._("NIE") if validator is nie else self.env._("DNI")
            try:
                validator.validate(number)
            except stdnum_exceptions.InvalidChecksum:
                raise ValidationError(
                    self.env._(
                        "%(number)s is not a valid %(kind)s: the control letter "
                        "does not match the number. Check the identity document "
                        "of %(patient)s and type it again.",
                        number=number,
                        kind=kind,
                        patient=self.name,
                    )
                )
            except stdnum_exceptions.ValidationError:
                raise ValidationError(
                    self.env._(
                        "%(number)s is not a valid %(kind)s: a DNI has 8 digits "
                        "and a letter (12345678Z), a NIE starts with X, Y or Z, "
                        "then 7 digits and a letter (X1234567L).",
                        number=number,
                        kind=kind,
                    )
                )
        elif not GENERIC_ID_RE.match(number):
            raise ValidationError(
                self.env._(
                    "%(number)s does not look like an identity document number: "
                    "use 4 to 20 letters and digits, without other signs.",
                    number=number,
                )
            )

    def _check_national_id_available(self, pairs):
        """Refuse an ID already registered in the same center, naming the file
        that holds it. ``pairs`` are (company id, national ID) about to be
        stored on ``self``; the unique index still guards concurrent saves."""
        pairs = [(company, number) for company, number in pairs if number]
        if not pairs:
            return
        seen = {}
        for company, number in pairs:
            if (company, number) in seen:
                raise ValidationError(
                    self.env._(
                        "The national ID %(number)s appears twice in the patients "
                        "you are saving. Each person has one file per center.",
                        number=number,
                    )
                )
            seen[(company, number)] = True
        holders = self.with_context(active_test=False).search(
            [
                ("national_id", "in", [number for __, number in pairs]),
                ("company_id", "in", [company for company, __ in pairs]),
                ("id", "not in", self.ids),
            ]
        )
        for holder in holders:
            if (holder.company_id.id, holder.national_id) in seen:
                raise ValidationError(
                    self.env._(
                        "The national ID %(number)s is already registered for "
                        "patient %(other)s (file %(ref)s) in this center. Open "
                        "that file instead of creating a new one.",
                        number=holder.national_id,
                        other=holder.name,
                        ref=holder.ref or "-",
                    )
                )

    @api.constrains("birthdate")
    def _check_birthdate(self):
        today = self._psy_today()
        for patient in self:
            if patient.birthdate and patient.birthdate > today:
                raise ValidationError(
                    self.env._(
                        "The birth date of %(patient)s is in the future (%(date)s). "
                        "Correct it.",
                        patient=patient.name,
                        date=patient.birthdate,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        partners_vals = []
        for vals in vals_list:
            self._normalize_vals(vals)
        self._check_national_id_available(
            (vals.get("company_id") or self.env.company.id, vals.get("national_id"))
            for vals in vals_list
        )
        for vals in vals_list:
            if not vals.get("ref"):
                company = self.env["res.company"].browse(
                    vals.get("company_id") or self.env.company.id
                )
                vals["ref"] = self._next_file_number(company)
            if not vals.get("partner_id"):
                partners_vals.append(vals)
        if partners_vals:
            partners = (
                self.env["res.partner"]
                .with_context(tracking_disable=True)
                .create(
                    [
                        {
                            "name": " ".join(
                                filter(None, (v.get("firstname"), v.get("lastname")))
                            ),
                            "company_id": v.get("company_id") or self.env.company.id,
                            "type": "contact",
                        }
                        for v in partners_vals
                    ]
                )
            )
            for vals, partner in zip(partners_vals, partners, strict=True):
                vals["partner_id"] = partner.id
        return super().create(vals_list)

    def write(self, vals):
        self._normalize_vals(vals)
        if {"national_id", "company_id"} & set(vals):
            self._check_national_id_available(
                (
                    vals.get("company_id", patient.company_id.id),
                    vals.get("national_id", patient.national_id),
                )
                for patient in self
            )
        res = super().write(vals)
        if {"firstname", "lastname"} & set(vals):
            for patient in self:
                if patient.partner_id.name != patient.name:
                    patient.partner_id.name = patient.name
        return res

    @api.model
    def _normalize_vals(self, vals):
        if vals.get("national_id"):
            vals["national_id"] = compact_national_id(vals["national_id"])
        for key in ("firstname", "lastname"):
            if vals.get(key):
                vals[key] = " ".join(vals[key].split())

    @api.model
    def _next_file_number(self, company):
        """Next file number of ``company``; each center has its own sequence,
        created the first time it registers a patient. The caller must be
        allowed to register patients; the sequence is then read and created
        as superuser (users have no rights on sequences)."""
        self.check_access("create")
        sequence_model = self.env["ir.sequence"].sudo()
        sequence = sequence_model.search(
            [("code", "=", "psy.patient"), ("company_id", "=", company.id)],
            limit=1,
        )
        if not sequence:
            sequence = sequence_model.create(
                {
                    "name": f"Patient files ({company.name})",
                    "code": "psy.patient",
                    "company_id": company.id,
                    "prefix": "P",
                    "padding": 5,
                }
            )
        return sequence.next_by_id()

    def _get_patients_with_activity(self):
        """Patients of ``self`` whose file has a history that must be kept.

        Modules that attach records to patients (sessions, vouchers,
        clinical records, consents) extend this method. The caller must be
        allowed to read the files; the history is then counted as superuser
        (only whether it exists is told, nothing of its content)."""
        self.check_access("read")
        messages = (
            self.env["mail.message"]
            .sudo()
            ._read_group(
                [
                    ("model", "=", self._name),
                    ("res_id", "in", self.ids),
                    ("message_type", "in", ("comment", "email")),
                ],
                groupby=["res_id"],
            )
        )
        with_messages = {res_id for (res_id,) in messages}
        return self.filtered(
            lambda p: p.id in with_messages or p.activity_ids or p.state == "discharged"
        )

    def unlink(self):
        # Checked here rather than in an @api.ondelete method: mail.thread
        # deletes the chatter before those methods run. Only the uninstall
        # of the module (run as superuser) skips the check: a client that
        # sends the flag in its context does not.
        if not module_uninstalling(self.env):
            self._check_no_history()
        return super().unlink()

    def _check_no_history(self):
        blocked = self._get_patients_with_activity()
        if blocked:
            raise UserError(
                self.env._(
                    "Patient files with a history cannot be deleted: %(names)s. "
                    "Archive them instead; they stay available for the legal "
                    "retention period.",
                    names=", ".join(blocked.mapped("display_name")),
                )
            )

    # ------------------------------------------------------------------
    # Status: changed only by the buttons below
    # ------------------------------------------------------------------

    def _psy_access_refusals(self):
        return {
            "read": self.env._(
                "You cannot open patient files: only the front desk, the "
                "psychologists and the clinical director can."
            ),
            "write": self.env._(
                "You cannot change this patient's file: only the front desk, the "
                "clinical director and the psychologists who treat the patient can."
            ),
            "create": self.env._(
                "You cannot register patients: only the front desk, the "
                "psychologists and the clinical director can."
            ),
            "unlink": self.env._(
                "You cannot delete patient files: only the Psychology administrator "
                "can; archive the file instead."
            ),
        }

    @api.model
    def _psy_guarded_fields(self):
        return super()._psy_guarded_fields() | {"state", "discharge_date"}

    @api.model
    def _psy_guarded_initial_values(self):
        return {**super()._psy_guarded_initial_values(), "state": ("active",)}

    @api.model
    def _psy_guard_error(self, field_names):
        return UserError(
            self.env._(
                "The status and the discharge date of a patient file change only "
                "with the Discharge and Reopen file buttons of the file. Use "
                "those buttons instead."
            )
        )

    def action_discharge(self):
        self.filtered(lambda p: p.state == "active")._action_discharge(
            self._psy_today()
        )
        return True

    def _action_discharge(self, date):
        """Close the files on ``date``; modules extend it to react to a
        discharge."""
        return self._psy_write_guarded({"state": "discharged", "discharge_date": date})

    def action_reopen(self):
        self.filtered(lambda p: p.state == "discharged")._action_reopen()
        return True

    def _action_reopen(self):
        return self._psy_write_guarded({"state": "active", "discharge_date": False})
