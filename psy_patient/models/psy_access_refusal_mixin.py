# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models
from odoo.exceptions import AccessError


class PsyAccessRefusalMixin(models.AbstractModel):
    """Health data whose access refusals say, in one sentence, what the user
    cannot do and who can, instead of Odoo's generic message.

    Odoo builds its refusals in two places, both reached here: the access
    rights (``ir.model.access._make_access_error``) and the record rules
    (``ir.rule._make_access_error``, also raised when a form reads a record
    it may not read). Both ask the model for :meth:`_psy_access_refusal`;
    other models keep Odoo's message. A model inherits this mixin and
    overrides :meth:`_psy_access_refusals`."""

    _name = "psy.access.refusal.mixin"
    _description = "Health data: access refusals in one sentence"

    def _psy_access_refusals(self):
        """{operation: sentence} for ``read``, ``write``, ``create`` and
        ``unlink``: what the user cannot do and who can."""
        return {
            "read": self.env._(
                "You cannot open these records: ask the Psychology administrator "
                "of your center who can."
            ),
            "write": self.env._(
                "You cannot change these records: ask the Psychology administrator "
                "of your center who can."
            ),
            "create": self.env._(
                "You cannot create these records: ask the Psychology administrator "
                "of your center who can."
            ),
            "unlink": self.env._(
                "You cannot delete these records: ask the Psychology administrator "
                "of your center who can."
            ),
        }

    def _psy_access_refusal(self, operation, records=None):
        """The refusal of ``operation`` on ``records`` (the records a rule
        refused, or ``None`` for a missing access right), as an
        ``AccessError`` in the user's language. Records of a center the user
        is not working in get the center to switch to instead."""
        self = self.with_context(lang=self.env.user.lang or self.env.lang)
        if records:
            error = self._psy_other_center_refusal(records)
            if error:
                return error
        return AccessError(self._psy_access_refusals()[operation])

    def _psy_other_center_refusal(self, records):
        if "company_id" not in records._fields:
            return None
        # Which center the refused records belong to, read as superuser for
        # the message only (the user may not read them).
        centers = records.sudo().company_id - self.env.companies
        if not centers:
            return None
        if len(centers) == 1 and centers <= self.env.user.company_ids:
            error = AccessError(
                self.env._(
                    "This record belongs to the center %(center)s: switch to it "
                    "in the company menu at the top right to open it.",
                    center=centers.name,
                )
            )
            error.context = {
                "suggested_company": {
                    "id": centers.id,
                    "display_name": centers.display_name,
                }
            }
            return error
        return AccessError(
            self.env._(
                "This record belongs to another center, where you do not work: "
                "only that center's staff can open it."
            )
        )
