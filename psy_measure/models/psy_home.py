# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, models


class PsyHome(models.AbstractModel):
    _inherit = "psy.home"

    @api.model
    def _psy_home_tiles(self, home):
        tiles = super()._psy_home_tiles(home)
        if home == "psychologist":
            tiles.append(
                {
                    "key": "psy_measure.risk_alerts",
                    "sequence": 45,
                    "title": self.env._("Risk alerts to review"),
                    "help": self.env._(
                        "Your patients who answered a risk item of a "
                        "questionnaire above 0: review their risk assessment."
                    ),
                    "model": "psy.clinical.record",
                    "domain": [
                        ("patient_id.professional_ids", "in", [self.env.uid]),
                        ("psy_measure_risk_review", "=", True),
                    ],
                    "action": "psy_clinical_record.psy_clinical_record_action",
                    "level": "danger",
                }
            )
        return tiles
