from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

# What a temporary access says once given: who, for whom, when, why, by whom.
GIVEN_FIELDS = frozenset(
    {"patient_id", "user_id", "date_from", "date_to", "reason", "granted_by_id"}
)


class PsyClinicalAccessGrant(models.Model):
    """Temporary access of a psychologist to the clinical data of a patient
    who is not assigned to them, given by a clinical director."""

    _name = "psy.clinical.access.grant"
    _description = "Temporary clinical access"
    _inherit = ["psy.guarded.mixin"]
    _order = "date_to desc, id desc"
    _check_company_auto = True

    patient_id = fields.Many2one(
        comodel_name="psy.patient",
        required=True,
        index=True,
        check_company=True,
        ondelete="restrict",
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Psychologist",
        required=True,
        index=True,
        ondelete="restrict",
        domain=lambda self: [
            ("groups_id", "in", self.env.ref("psy_patient.group_psy_psychologist").ids)
        ],
    )
    date_from = fields.Date(
        string="From",
        required=True,
        default=lambda self: self.env["psy.patient"]._psy_today(),
    )
    date_to = fields.Date(
        string="Until",
        required=True,
        help="Last day of the access (included).",
    )
    reason = fields.Text(
        required=True, help="Why this psychologist needs to read the record."
    )
    granted_by_id = fields.Many2one(
        comodel_name="res.users",
        string="Granted by",
        required=True,
        readonly=True,
        default=lambda self: self.env.user,
    )
    state = fields.Selection(
        selection=[
            ("active", "Active"),
            ("expired", "Expired"),
            ("revoked", "Revoked"),
        ],
        default="active",
        required=True,
        readonly=True,
    )
    company_id = fields.Many2one(
        related="patient_id.company_id", store=True, string="Center", index=True
    )

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for grant in self:
            if grant.date_to < grant.date_from:
                raise ValidationError(
                    self.env._(
                        "The access of %(user)s ends before it starts. Set an "
                        "end date on or after %(date)s.",
                        user=grant.user_id.name,
                        date=grant.date_from,
                    )
                )

    @api.constrains("user_id")
    def _check_user_id(self):
        group = self.env.ref("psy_patient.group_psy_psychologist")
        for grant in self:
            if group not in grant.user_id.groups_id:
                raise ValidationError(
                    self.env._(
                        "%(user)s is not a psychologist: temporary access to "
                        "clinical records is only given to psychologists.",
                        user=grant.user_id.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        grants = super().create(vals_list)
        self.env["psy.clinical.access.log"]._log_patient_event(
            grants.patient_id, "grant"
        )
        return grants

    # ------------------------------------------------------------------
    # Guards: a given access is never edited; it is revoked or it expires
    # ------------------------------------------------------------------

    @api.model
    def _psy_guarded_fields(self):
        return super()._psy_guarded_fields() | {"state", "granted_by_id", "company_id"}

    @api.model
    def _psy_guarded_initial_values(self):
        return {
            **super()._psy_guarded_initial_values(),
            "state": ("active",),
            # An access is given in the name of the director who gives it.
            "granted_by_id": (self.env.uid,),
        }

    @api.model
    def _psy_check_guarded_vals(self, vals, creating=False):
        result = super()._psy_check_guarded_vals(vals, creating=creating)
        if not creating and not self.env.su and GIVEN_FIELDS & set(vals):
            raise self._psy_guard_error(GIVEN_FIELDS & set(vals))
        return result

    @api.model
    def _psy_guard_error(self, field_names):
        return UserError(
            self.env._(
                "A temporary clinical access cannot be edited once given, nor "
                "its status set by hand: end it with the Revoke button (it also "
                "expires by itself after its last day), and give a new access "
                "if other dates or another psychologist are needed."
            )
        )

    def action_revoke(self):
        if not self.env.su and not self.env.user.has_group(
            "psy_patient.group_psy_director"
        ):
            raise UserError(
                self.env._("Only a clinical director can revoke a temporary access.")
            )
        self.filtered(lambda g: g.state == "active")._psy_write_guarded(
            {"state": "revoked"}
        )

    @api.model
    def _cron_expire(self):
        self._expire(self.env["psy.patient"]._psy_today())

    @api.model
    def _expire(self, today):
        """Close the active accesses whose last day is before ``today``."""
        self.search(
            [("state", "=", "active"), ("date_to", "<", today)]
        )._psy_write_guarded({"state": "expired"})
