# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models

# Days ahead (today included) the front desk checks the consents of.
CONSENT_DAYS = 7
# Days back the director's home lists consent overrides.
OVERRIDE_DAYS = 30


class PsyHome(models.AbstractModel):
    _inherit = "psy.home"

    @api.model
    def _psy_home_tiles(self, home):
        tiles = super()._psy_home_tiles(home)
        if home == "front_desk":
            tiles.append(
                {
                    "key": "psy_consent.missing",
                    "sequence": 40,
                    "title": self.env._("Consents missing"),
                    "help": self.env._(
                        "Sessions of the next %(days)s days whose patient has "
                        "not signed a consent the center requires: send it or "
                        "have it signed at arrival.",
                        days=CONSENT_DAYS,
                    ),
                    "model": "psy.session",
                    "domain": [("id", "in", self._psy_home_consent_missing_ids())],
                    "action": "psy_session.psy_session_action_list",
                    "level": "warning",
                }
            )
        elif home == "director":
            now = fields.Datetime.now()
            tiles.append(
                {
                    "key": "psy_consent.overrides",
                    "sequence": 20,
                    "title": self.env._("Consent overrides"),
                    "help": self.env._(
                        "Sessions completed in the last %(days)s days without "
                        "the required consents, by a director's override.",
                        days=OVERRIDE_DAYS,
                    ),
                    "model": "psy.session",
                    "domain": [
                        ("consent_override", "=", True),
                        (
                            "consent_override_date",
                            ">=",
                            fields.Datetime.subtract(now, days=OVERRIDE_DAYS),
                        ),
                    ],
                    "action": "psy_session.psy_session_action_list",
                    "level": "info",
                }
            )
        return tiles

    @api.model
    def _psy_home_consent_missing_ids(self):
        """Ids of the scheduled sessions of the coming days (under the user's
        rights) that lack a consent their center requires."""
        today = self._psy_home_today()
        begin, end = self._psy_home_day_bounds(today, days=CONSENT_DAYS)
        sessions = self.env["psy.session"].search(
            [
                ("state", "=", "scheduled"),
                ("start", ">=", max(begin, fields.Datetime.now())),
                ("start", "<", end),
            ]
        )
        return [session.id for session in sessions._consent_missing()]
