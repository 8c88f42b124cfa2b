# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models


class PsySession(models.Model):
    _inherit = "psy.session"

    program_id = fields.Many2one(
        comodel_name="psy.program",
        readonly=True,
        index="btree_not_null",
        tracking=True,
        check_company=True,
        ondelete="restrict",
        help="The group program this session belongs to; set when the program "
        "books its sessions.",
    )

    @api.depends("program_id.name")
    def _compute_name(self):
        return super()._compute_name()

    def _psy_title(self):
        """A session of a program is titled as the agenda shows it: the
        program and its number of participants."""
        self.ensure_one()
        if self.program_id:
            return self._psy_who()
        return super()._psy_title()

    @api.depends("program_id.name")
    def _compute_participants_label(self):
        return super()._compute_participants_label()

    def _psy_who(self):
        """A session of a program is named after the program and its number
        of participants: "Mindfulness group (8)"."""
        self.ensure_one()
        if self.program_id:
            return self.env._(
                "%(program)s (%(count)s)",
                program=self.program_id.name,
                count=len(self.participant_ids),
            )
        return super()._psy_who()

    @api.model
    def _psy_guarded_fields(self):
        return super()._psy_guarded_fields() | {"program_id"}
