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
