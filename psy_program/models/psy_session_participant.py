# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class PsySessionParticipant(models.Model):
    _inherit = "psy.session.participant"

    program_id = fields.Many2one(
        related="session_id.program_id",
        string="Program",
        store=True,
        index="btree_not_null",
    )
