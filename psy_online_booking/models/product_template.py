from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ProductTemplate(models.Model):
    _inherit = "product.template"

    psy_online_booking = fields.Boolean(
        string="Bookable online",
        help="Patients can book sessions of this type on the booking page. "
        "Only individual session types can be booked online.",
    )

    @api.constrains("psy_online_booking", "is_psy_session_type", "psy_session_kind")
    def _check_psy_online_booking(self):
        for template in self.filtered("psy_online_booking"):
            if (
                not template.is_psy_session_type
                or template.psy_session_kind != "individual"
            ):
                raise ValidationError(
                    self.env._(
                        "%(name)s cannot be booked online: only individual "
                        "session types can. Make it an individual session type "
                        "or untick Bookable online.",
                        name=template.display_name,
                    )
                )
