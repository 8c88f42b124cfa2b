# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models


class PsyClinicalRefusalMixin(models.AbstractModel):
    """Refusals of the clinical record and what it holds (diagnoses, goals,
    session notes and their addenda), in one sentence: who may read and
    change it."""

    _name = "psy.clinical.refusal.mixin"
    _inherit = ["psy.access.refusal.mixin"]
    _description = "Clinical content: access refusals in one sentence"

    def _psy_access_refusals(self):
        return {
            "read": self.env._(
                "You cannot read the clinical record of a patient you do not "
                "treat: only the patient's psychologists and the clinical "
                "director can, or a psychologist the director gives temporary "
                "access."
            ),
            "write": self.env._(
                "You cannot change the clinical record of a patient you do not "
                "treat: only the patient's psychologists can."
            ),
            "create": self.env._(
                "You cannot add to the clinical record of a patient you do not "
                "treat: only the patient's psychologists can."
            ),
            "unlink": self.env._(
                "Nobody can delete clinical content: it is kept for the legal "
                "retention period; correct a signed note with an addendum."
            ),
        }
