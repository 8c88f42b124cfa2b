from odoo import fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    psy_booking_calendar_id = fields.Many2one(
        comodel_name="resource.calendar",
        string="Online booking hours",
        help="Working hours (and leaves) of this professional offered for "
        "online booking. Empty: the professional is not bookable online. Give "
        "each professional their own working hours to record personal leaves.",
    )
    psy_booking_public_name = fields.Char(
        string="Name on the booking page",
        help="Name the booking page shows for this professional (e.g. 'Dr. "
        "Ana Ruiz'). Empty: the user's name.",
    )

    def _psy_booking_display_name(self):
        """The only thing the booking page tells about a professional."""
        self.ensure_one()
        return self.psy_booking_public_name or self.name
