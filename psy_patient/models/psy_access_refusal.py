# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Access refusals on health data, in one sentence: what the user cannot do
and who can, instead of Odoo's generic message.

Odoo builds its refusals in two places, both reached here: the access rights
(``ir.model.access._make_access_error``) and the record rules
(``ir.rule._make_access_error``, also raised when a form reads a record it
may not read). A model of health data defines ``_psy_access_refusals()``,
``{operation: sentence}`` for ``read``, ``write``, ``create`` and ``unlink``;
both hooks then use :func:`psy_access_refusal`; other models keep Odoo's
message. (A method each model defines rather than an abstract model they
inherit: adding a new parent to existing models breaks their upgrade in
Odoo 18's reflection of inherits.)"""

from odoo.exceptions import AccessError


def psy_has_access_refusals(model):
    return hasattr(type(model), "_psy_access_refusals")


def psy_access_refusal(model, operation, records=None):
    """The refusal of ``operation`` on ``records`` of ``model`` (the records a
    rule refused, or ``None`` for a missing access right), as an
    ``AccessError`` in the user's language. Records of a center the user is
    not working in get the center to switch to instead."""
    model = model.with_context(lang=model.env.user.lang or model.env.lang)
    if records:
        error = _psy_other_center_refusal(model, records)
        if error:
            return error
    return AccessError(model._psy_access_refusals()[operation])


def _psy_other_center_refusal(model, records):
    if "company_id" not in records._fields:
        return None
    env = model.env
    # Which center the refused records belong to, read as superuser for the
    # message only (the user may not read them).
    centers = records.sudo().company_id - env.companies
    if not centers:
        return None
    if len(centers) == 1 and centers <= env.user.company_ids:
        error = AccessError(
            env._(
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
        env._(
            "This record belongs to another center, where you do not work: "
            "only that center's staff can open it."
        )
    )
