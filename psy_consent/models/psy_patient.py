from odoo import api, fields, models
from odoo.exceptions import UserError

# What the consents of the patient take from the patient file.
CONSENT_FROZEN_FIELDS = {"partner_id", "company_id"}


class PsyPatient(models.Model):
    _inherit = "psy.patient"

    consent_ids = fields.One2many(
        comodel_name="psy.consent",
        inverse_name="patient_id",
        string="Consents",
    )
    consent_valid_count = fields.Integer(
        string="Valid consents", compute="_compute_consent_status"
    )
    consent_current_ids = fields.Many2many(
        comodel_name="psy.consent",
        string="Current consents",
        compute="_compute_consent_status",
        help="The latest consent of each type: valid, pending, refused, "
        "revoked or expired.",
    )
    consent_missing_type_ids = fields.Many2many(
        comodel_name="psy.consent.type",
        string="Missing consents",
        compute="_compute_consent_status",
        help="Consent types the center needs for sessions (online ones "
        "included) that the patient has not validly signed.",
    )
    consent_expiring_count = fields.Integer(
        string="Expiring consents", compute="_compute_consent_status"
    )
    consent_renewal_count = fields.Integer(
        string="Consents to renew", compute="_compute_consent_status"
    )

    def write(self, vals):
        if CONSENT_FROZEN_FIELDS & set(vals):
            self._check_no_answered_consent()
        return super().write(vals)

    def _check_no_answered_consent(self):
        """The contact and the center of a patient are those of the consents
        signed or refused: they no longer change once there is one (the
        consent's contact, who sees it on the portal, and its center follow
        the patient).

        The caller is changing the patient (checked first); the consents are
        counted as superuser, since not every role may read them."""
        self.check_access("write")
        if self.env["psy.consent"]._psy_answered_exists(
            [("patient_id", "in", self.ids)]
        ):
            raise UserError(
                self.env._(
                    "The patient has signed or refused consents: the contact and "
                    "the center of the patient file can no longer change. Create "
                    "a new patient file in the other center instead."
                )
            )

    @api.depends(
        "consent_ids.state",
        "consent_ids.signed_date",
        "consent_ids.revocation_date",
        "consent_ids.superseded_date",
        "consent_ids.expiry_date",
        "consent_ids.needs_renewal",
        "company_id.psy_consent_type_ids",
        "company_id.psy_consent_online_type_ids",
    )
    def _compute_consent_status(self):
        now = self.env["psy.consent"]._psy_now()
        requests = []
        for patient in self:
            company = patient.company_id
            needed = company.psy_consent_type_ids | company.psy_consent_online_type_ids
            requests.append((patient, needed, now))
        missing = self.env["psy.consent"]._missing_types(requests, self)
        for patient, missing_types in zip(self, missing, strict=True):
            consents = patient.consent_ids
            latest = self.env["psy.consent"]
            for consent_type in consents.type_id:
                of_type = consents.filtered(
                    lambda c, t=consent_type: c.type_id == t and c.state != "superseded"
                )
                alive = of_type.filtered(
                    lambda c: c.state in ("draft", "sent", "signed")
                )
                latest |= alive or of_type.sorted("id")[-1:]
            valid = consents.filtered(lambda c: c.state == "signed")
            patient.consent_current_ids = latest
            patient.consent_valid_count = len(valid)
            patient.consent_missing_type_ids = missing_types
            patient.consent_expiring_count = len(valid.filtered("is_expiring"))
            patient.consent_renewal_count = len(valid.filtered("needs_renewal"))

    def action_view_consents(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "psy_consent.psy_consent_action"
        )
        action["domain"] = [("patient_id", "=", self.id)]
        action["context"] = {
            "default_patient_id": self.id,
            "search_default_filter_current": 1,
        }
        return action

    def action_request_consent(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Request a consent"),
            "res_model": "psy.consent",
            "view_mode": "form",
            "target": "current",
            "context": {
                "default_patient_id": self.id,
                "default_professional_id": (
                    self.env["psy.consent"]._default_professional_id().id
                    or self.professional_ids[:1].id
                ),
            },
        }

    def action_request_missing_consents(self):
        """Prepare a request for each missing consent type that has no open
        request yet, with the template in the patient's language."""
        Consent = self.env["psy.consent"]
        Template = self.env["psy.consent.template"]
        created = Consent
        for patient in self:
            open_types = patient.consent_ids.filtered(
                lambda c: c.state in ("draft", "sent")
            ).type_id
            for consent_type in patient.consent_missing_type_ids - open_types:
                template = Template._find_for(consent_type, patient)
                if not template:
                    raise UserError(
                        self.env._(
                            "There is no published %(type)s template for "
                            "%(center)s. Write one in Configuration > Consent "
                            "templates.",
                            type=consent_type.name,
                            center=patient.company_id.name,
                        )
                    )
                created |= Consent.create(
                    {
                        "patient_id": patient.id,
                        "template_id": template.id,
                        "professional_id": (
                            Consent._default_professional_id().id
                            or patient.professional_ids[:1].id
                        ),
                    }
                )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "psy_consent.psy_consent_action"
        )
        action["domain"] = [("patient_id", "in", self.ids), ("state", "=", "draft")]
        action["context"] = {}
        return action
