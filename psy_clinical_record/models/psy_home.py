# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

from odoo import api, fields, models
from odoo.osv import expression

# Days of the access log the director's home looks at.
ACCESS_LOG_DAYS = 7


class PsyHome(models.AbstractModel):
    _inherit = "psy.home"

    @api.model
    def _psy_home_tiles(self, home):
        tiles = super()._psy_home_tiles(home)
        if home == "psychologist":
            tiles += self._psy_home_clinical_psychologist_tiles()
        elif home == "director":
            tiles += self._psy_home_clinical_director_tiles()
        return tiles

    @api.model
    def _psy_home_clinical_psychologist_tiles(self):
        """The psychologist's own notes and patients only: a temporary access
        to another psychologist's patient, or a shared file, counts nothing
        of the other psychologist's work."""
        uid = self.env.uid
        return [
            {
                "key": "psy_clinical_record.notes_to_sign",
                "sequence": 20,
                "title": self.env._("Notes to sign"),
                "help": self.env._("Your session notes still in draft."),
                "model": "psy.session.note",
                "domain": [("professional_id", "=", uid), ("state", "=", "draft")],
                "action": "psy_clinical_record.psy_session_note_action_to_sign",
                "level": "warning",
            },
            {
                "key": "psy_clinical_record.done_without_note",
                "sequence": 30,
                "title": self.env._("Done sessions without a note"),
                "help": self.env._(
                    "Your completed sessions that have no note yet: open one "
                    "and click Session note."
                ),
                "model": "psy.session",
                "domain": [
                    ("professional_id", "=", uid),
                    ("state", "=", "done"),
                    ("psy_note_ids", "=", False),
                ],
                "action": "psy_session.psy_session_action_list",
                "level": "warning",
            },
            {
                "key": "psy_clinical_record.high_risk",
                "sequence": 40,
                "title": self.env._("Patients at high risk"),
                "help": self.env._(
                    "Your patients whose record says high or imminent risk."
                ),
                "model": "psy.clinical.record",
                "domain": [
                    ("patient_id.professional_ids", "in", [uid]),
                    ("risk_level", "in", ("high", "imminent")),
                ],
                "action": "psy_clinical_record.psy_clinical_record_action",
                "level": "danger",
            },
        ]

    @api.model
    def _psy_home_clinical_director_tiles(self):
        now = fields.Datetime.now()
        # Each center has its own delay to sign (Settings > Psychology).
        overdue = expression.OR(
            [
                [
                    ("company_id", "=", company.id),
                    (
                        "session_date",
                        "<",
                        now - timedelta(days=company.psy_unsigned_note_days),
                    ),
                ]
                for company in self.env.companies
            ]
        )
        director = self.env.ref("psy_patient.group_psy_director")
        return [
            {
                "key": "psy_clinical_record.unsigned_overdue",
                "sequence": 10,
                "title": self.env._("Unsigned notes overdue"),
                "help": self.env._(
                    "Notes still unsigned %(days)s days after their session "
                    "(the delay to sign is set in Settings).",
                    days=self.env.company.psy_unsigned_note_days,
                ),
                "model": "psy.session.note",
                "domain": expression.AND([[("state", "=", "draft")], overdue]),
                "action": "psy_clinical_record.psy_session_note_action",
                "level": "danger",
            },
            {
                "key": "psy_clinical_record.access_grants",
                "sequence": 30,
                "title": self.env._("Temporary clinical accesses"),
                "help": self.env._(
                    "Psychologists who may read, for now, the records of "
                    "patients they do not treat."
                ),
                "model": "psy.clinical.access.grant",
                "domain": [
                    ("state", "=", "active"),
                    ("date_to", ">=", self._psy_home_today()),
                ],
                "action": "psy_clinical_record.psy_clinical_access_grant_action",
                "level": "info",
            },
            {
                "key": "psy_clinical_record.access_outside_care",
                "sequence": 40,
                "title": self.env._("Reads outside care"),
                "help": self.env._(
                    "Clinical content opened in the last %(days)s days by staff "
                    "who do not treat the patient (temporary accesses, shared "
                    "notes), by user.",
                    days=ACCESS_LOG_DAYS,
                ),
                "model": "psy.clinical.access.log",
                "domain": [
                    ("date", ">=", now - timedelta(days=ACCESS_LOG_DAYS)),
                    ("outside_care", "=", True),
                    ("action", "in", ("read", "print", "export")),
                    ("user_id.groups_id", "not in", director.ids),
                ],
                "action": "psy_clinical_record.psy_clinical_access_log_action",
                "context": {"search_default_groupby_user": 1},
                "level": "danger",
            },
        ]
