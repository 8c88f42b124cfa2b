from odoo import api, fields, models
from odoo.exceptions import ValidationError


class PsyClinicalAccessGrant(models.Model):
    """Temporary access of a psychologist to the clinical data of a patient
    who is not assigned to them, given by a clinical director."""

    _name = "psy.clinical.access.grant"
    _description = "Temporary clinical access"
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
        string="From", required=True, default=fields.Date.context_today
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

    def action_revoke(self):
        self.filtered(lambda g: g.state == "active").write({"state": "revoked"})

    @api.model
    def _cron_expire(self):
        today = fields.Date.context_today(self)
        self.search([("state", "=", "active"), ("date_to", "<", today)]).write(
            {"state": "expired"}
        )
