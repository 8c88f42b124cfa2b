# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models
from odoo.tools import format_datetime


class PsyRecordMixin(models.AbstractModel):
    """Helpers shared by the records of a psychology center (sessions, packs,
    consents, clinical records...), written once here instead of in each
    module.

    - :meth:`_psy_compute_company_from_patient`: the center of a record is the
      center of its patient;
    - :meth:`_psy_selection_label` and :meth:`_psy_state_label`: the label of a
      selection value in the reader's language, for messages;
    - :meth:`_psy_format_datetime`: a date and time printed in the reader's
      time zone (the user's, else the center's), whatever the ``tz`` of the
      context;
    - :meth:`_psy_env_of`: the environment in the language of the one user
      who will read a stored text (an activity's summary), not of the user
      or cron that writes it.

    The psychologists a record may name are given by
    ``res.users._psy_psychologist_domain()``.
    """

    _name = "psy.record.mixin"
    _description = "Helpers shared by the records of a psychology center"

    def _psy_compute_company_from_patient(self):
        """Set ``company_id`` from ``patient_id`` (else the current center).
        Models call it from their ``_compute_company_id``, which declares
        ``@api.depends("patient_id")``."""
        for record in self:
            record.company_id = record.patient_id.company_id or self.env.company

    def _psy_env_of(self, user):
        """The environment in ``user``'s language: ``env._(...)`` on it writes
        a text stored for ``user`` alone (an activity assigned to them) in
        their language, whoever creates it."""
        lang = user.sudo().lang or self.env.lang
        return self.with_context(lang=lang).env

    def _psy_selection_label(self, field_name, value=None):
        """Label of ``value`` (default: the record's value) of the selection
        field ``field_name``, in the language of the reader."""
        if value is None:
            self.ensure_one()
            value = self[field_name]
        labels = dict(self._fields[field_name]._description_selection(self.env))
        return labels.get(value, value or "")

    def _psy_state_label(self):
        """The record's status as a word inside a sentence ("is done")."""
        self.ensure_one()
        return self._psy_selection_label("state").lower()

    def _psy_format_datetime(self, value, dt_format="short"):
        """``value`` (UTC, naive) as the reader reads it: in the user's time
        zone, else the center's, across summer time changes."""
        tz = self.env["psy.patient"]._psy_tz()
        return format_datetime(self.env, value, tz=tz.zone, dt_format=dt_format)
