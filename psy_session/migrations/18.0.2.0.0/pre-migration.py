# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""18.0.2.0.0: sessions have participants.

The patients' slots are now held by the participants, whose table has its
own exclusion constraint: drop the one of the sessions' table, which would
keep refusing couples and groups on the main patient alone."""


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        "ALTER TABLE psy_session "
        "DROP CONSTRAINT IF EXISTS psy_session_patient_no_overlap"
    )
    cr.execute(
        """
        DELETE FROM ir_model_data
         WHERE module = 'psy_session'
           AND model = 'ir.model.constraint'
           AND name = 'constraint_psy_session_patient_no_overlap'
        """
    )
    cr.execute(
        "DELETE FROM ir_model_constraint WHERE name = 'psy_session_patient_no_overlap'"
    )
