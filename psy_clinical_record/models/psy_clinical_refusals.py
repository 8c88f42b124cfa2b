# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Refusals of the clinical record and what it holds (diagnoses, goals,
session notes and their addenda), in one sentence: who may read and change
it. Each of these models returns them from ``_psy_access_refusals`` (see
``psy_patient.models.psy_access_refusal``)."""


def psy_clinical_refusals(env):
    return {
        "read": env._(
            "You cannot read the clinical record of a patient you do not "
            "treat: only the patient's psychologists and the clinical "
            "director can, or a psychologist the director gives temporary "
            "access."
        ),
        "write": env._(
            "You cannot change the clinical record of a patient you do not "
            "treat: only the patient's psychologists can."
        ),
        "create": env._(
            "You cannot add to the clinical record of a patient you do not "
            "treat: only the patient's psychologists can."
        ),
        "unlink": env._(
            "Nobody can delete clinical content: it is kept for the legal "
            "retention period; correct a signed note with an addendum."
        ),
    }
