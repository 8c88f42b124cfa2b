from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ProductTemplate(models.Model):
    _inherit = "product.template"

    is_psy_session_type = fields.Boolean(
        string="Session type",
        help="This service can be booked as a therapy session in the agenda.",
    )
    psy_duration = fields.Float(
        string="Session duration",
        default=0.0,
        help="Length of a session of this type, in hours (0:50 for 50 minutes).",
    )
    psy_modality = fields.Selection(
        selection=[
            ("both", "In person or online"),
            ("in_person", "In person only"),
            ("online", "Online only"),
        ],
        string="Allowed modalities",
        default="both",
        help="Whether sessions of this type take place in a room, by video "
        "call, or both.",
    )

    psy_session_kind = fields.Selection(
        selection=[
            ("individual", "Individual"),
            ("couple", "Couple"),
            ("family", "Family"),
            ("group", "Group"),
        ],
        string="Session kind",
        default="individual",
        required=True,
        help="Who takes part: one patient, a couple, a family, or a group run "
        "for several patients at once.",
    )
    psy_capacity = fields.Integer(
        string="Capacity",
        help="Most participants a session of this type takes. Required for "
        "groups; for a couple it is 2, and 0 means no limit for a family.",
    )

    def _psy_capacity(self):
        """Most participants of a session of this type (0: no limit)."""
        self.ensure_one()
        return {"individual": 1, "couple": 2}.get(
            self.psy_session_kind, self.psy_capacity
        )

    @api.constrains("is_psy_session_type", "psy_session_kind", "psy_capacity")
    def _check_psy_capacity(self):
        for template in self.filtered("is_psy_session_type"):
            if template.psy_session_kind == "group" and template.psy_capacity <= 0:
                raise ValidationError(
                    self.env._(
                        "The group session type %(name)s has no capacity. Set "
                        "how many participants a group takes.",
                        name=template.display_name,
                    )
                )
            if template.psy_capacity < 0:
                raise ValidationError(
                    self.env._(
                        "The capacity of %(name)s cannot be negative.",
                        name=template.display_name,
                    )
                )

    @api.constrains("is_psy_session_type", "psy_duration", "type")
    def _check_psy_session_type(self):
        for template in self.filtered("is_psy_session_type"):
            if template.psy_duration <= 0:
                raise ValidationError(
                    self.env._(
                        "The session type %(name)s has no duration. Set how long "
                        "a session lasts (for example 0:50).",
                        name=template.display_name,
                    )
                )
            if template.type != "service":
                raise ValidationError(
                    self.env._(
                        "The session type %(name)s must be a service product. "
                        "Change its product type to Service.",
                        name=template.display_name,
                    )
                )
