# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, models

CANCELLED = ("cancelled", "late_cancelled")


class PsyHome(models.AbstractModel):
    _inherit = "psy.home"

    @api.model
    def _psy_home_tiles(self, home):
        tiles = super()._psy_home_tiles(home)
        begin, end = self._psy_home_day_bounds(self._psy_home_today())
        today = [
            ("start", ">=", begin),
            ("start", "<", end),
            ("state", "not in", CANCELLED),
        ]
        if home == "front_desk":
            tiles.append(
                {
                    "key": "psy_session.arrivals",
                    "sequence": 10,
                    "title": self.env._("Today's arrivals"),
                    "help": self.env._("Sessions of the day, in order."),
                    "model": "psy.session",
                    "domain": today,
                    "action": "psy_session.psy_session_action_today",
                    "context": {"search_default_groupby_room": 1},
                }
            )
        elif home == "psychologist":
            tiles.append(
                {
                    "key": "psy_session.my_day",
                    "sequence": 10,
                    "title": self.env._("My day"),
                    "help": self.env._("Your sessions of the day, in order."),
                    "model": "psy.session",
                    "domain": [("professional_id", "=", self.env.uid), *today],
                    "action": "psy_session.psy_session_action_today",
                }
            )
        return tiles + self._psy_home_to_close_tiles(home)

    @api.model
    def _psy_home_to_close_tiles(self, home):
        """The sessions to close: the psychologist's own on their day, the
        center's on the front desk and the supervision homes."""
        tiles = []
        if home not in ("front_desk", "psychologist", "director"):
            return tiles
        own = home == "psychologist"
        tiles.append(
            {
                "key": "psy_session.to_close",
                "sequence": 40,
                "title": self.env._("Sessions to close"),
                "help": (
                    self.env._(
                        "Your sessions that took place and still miss their "
                        "attendance, signed note, consents or payment."
                    )
                    if own
                    else self.env._(
                        "Sessions that took place and still miss their "
                        "attendance, signed note, consents or payment."
                    )
                ),
                "model": "psy.session",
                "domain": self.env["psy.session"]._psy_to_close_domain(own),
                "action": "psy_session.psy_session_action_to_close",
                "context": {} if own else {"search_default_groupby_professional": 1},
                "level": "warning",
            }
        )
        return tiles
