# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
# ruff: noqa: F821 - run by ``odoo shell``, which binds ``env``; run.py binds
# ``params``.
"""The prepaid liability of the load center today, as the liability view
computes it: prints ``LIABILITY <amount>`` for run.py."""

import json

from odoo import fields

company = env["res.company"].browse(params)
env = env(context=dict(env.context, allowed_company_ids=[company.id]))
wizard = env["psy.voucher.liability.wizard"].create(
    {"date": fields.Date.context_today(env.user), "company_id": company.id}
)
wizard._compute_lines()
print("LIABILITY " + json.dumps(wizard.amount_total))
