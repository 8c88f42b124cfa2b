# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64

from odoo import api, models
from odoo.exceptions import AccessError
from odoo.tools import file_open

from .psy_consent import OPEN_STATES


class PsyConsentDemo(models.AbstractModel):
    """What the demo data of the module calls: kept out of the production
    models, and refused outside the superuser environment in which data files
    load."""

    _name = "psy.consent.demo"
    _description = "Demo data of the consents"

    @api.model
    def _sign(self, consent_ids, partner_ids=None):
        """Demo data (loaded as superuser, checked): sign pending requests in
        the office with a sample signature (the minor's acceptance first),
        optionally only by the given partners. The documents are stored as
        HTML: while modules install no server answers the PDF engine's
        requests for the report's style sheets."""
        if not self.env.su:
            raise AccessError(self.env._("Only demo data signs consents this way."))
        with file_open("psy_consent/static/src/img/demo_signature.png", "rb") as f:
            signature = base64.b64encode(f.read())
        for consent in self.env["psy.consent"].browse(consent_ids):
            lines = consent._pending_signers().sorted(
                lambda s: (s.role != "minor", s.sequence, s.id)
            )
            for line in lines:
                if partner_ids and line.partner_id.id not in partner_ids:
                    continue
                if consent.state not in OPEN_STATES:
                    break
                line._record_signature(
                    line.partner_id.name,
                    signature,
                    "office",
                    False,
                    False,
                    html_document=True,
                )
