#!/usr/bin/env python3
"""Benchmark of the access audit of psy_clinical_record.

Builds a clinical record as a real psychologist would have it after a few
months (history filled, 3 diagnoses, 5 goals, 20 signed notes) inside a
single transaction, then measures what the audit adds to opening the record
form (the ``web_read`` the form calls, with the lists of the notebook):

* the number of SQL queries with and without the audit,
* the wall time of one form open with and without it (median of N opens),

prints the figures and rolls everything back. "Without" is the same read
with the audit's in-process marker of a nested read (a Python object no
client can send), which is how the audit keeps from logging twice.

Usage::

    python3 benchmarks/bench_psy_clinical_record.py -c odoo.conf -d DATABASE
"""

import statistics
import time
from datetime import datetime, timedelta

from _harness import main
from freezegun import freeze_time

ROUNDS = 200
NOTES = 20
FORM_SPEC = {
    "display_name": {},
    "patient_id": {"fields": {"display_name": {}}},
    "professional_id": {"fields": {"display_name": {}}},
    "open_date": {},
    "reason": {},
    "symptoms": {},
    "symptoms_onset_date": {},
    "precipitating_events": {},
    "history_illnesses": {},
    "history_medication": {},
    "family_history": {},
    "habits_sleep": {},
    "social_situation": {},
    "risk_level": {},
    "risk_notes": {},
    "retention_until": {},
    "note_count": {},
    "diagnosis_ids": {
        "fields": {
            "code_id": {"fields": {"display_name": {}}},
            "kind": {},
            "status": {},
            "date": {},
            "professional_id": {"fields": {"display_name": {}}},
        }
    },
    "goal_ids": {
        "fields": {"name": {}, "target_date": {}, "progress": {}},
    },
    "note_ids": {
        "fields": {
            "session_date": {},
            "professional_id": {"fields": {"display_name": {}}},
            "template_id": {"fields": {"display_name": {}}},
            "state": {},
        }
    },
    "private_note_ids": {"fields": {"date": {}, "content": {}}},
}


def build_fixtures(env):
    company = env["res.company"].create({"name": "Benchmark center"})
    env = env(context=dict(env.context, allowed_company_ids=[company.id]))
    psychologist = env["res.users"].create(
        {
            "name": "Bench psychologist",
            "login": "bench_clinical_psychologist",
            "company_id": company.id,
            "company_ids": [(6, 0, company.ids)],
            "groups_id": [(6, 0, env.ref("psy_patient.group_psy_psychologist").ids)],
        }
    )
    patient = env["psy.patient"].create(
        {
            "firstname": "Bench",
            "lastname": "Patient",
            "company_id": company.id,
            "professional_ids": [(6, 0, psychologist.ids)],
        }
    )
    product = env["product.product"].create(
        {
            "name": "Bench session",
            "type": "service",
            "is_psy_session_type": True,
            "psy_duration": 50 / 60,
        }
    )
    start = datetime(2025, 1, 6, 9, 0)
    sessions = env["psy.session"].create(
        [
            {
                "patient_id": patient.id,
                "professional_id": psychologist.id,
                "product_id": product.id,
                "modality": "online",
                "video_url": "https://meet.example.com/bench",
                "start": start + timedelta(weeks=i),
            }
            for i in range(NOTES)
        ]
    )
    with freeze_time(start + timedelta(weeks=NOTES), tick=True):
        sessions.action_done()
    as_psy = env(user=psychologist)
    text = "Fictional benchmark text. " * 20
    record = as_psy["psy.clinical.record"].create(
        {
            "patient_id": patient.id,
            **{
                name: text
                for name in (
                    "reason",
                    "symptoms",
                    "precipitating_events",
                    "history_illnesses",
                    "history_medication",
                    "family_history",
                    "habits_sleep",
                    "social_situation",
                    "risk_notes",
                )
            },
            "risk_level": "low",
        }
    )
    codes = env["psy.diagnosis.code"].search([("selectable", "=", True)], limit=3)
    as_psy["psy.diagnosis"].create(
        [
            {
                "record_id": record.id,
                "code_id": code.id,
                "kind": "principal" if i == 0 else "secondary",
            }
            for i, code in enumerate(codes)
        ]
    )
    as_psy["psy.treatment.goal"].create(
        [{"record_id": record.id, "name": f"Goal {i}"} for i in range(5)]
    )
    notes = as_psy["psy.session.note"].create(
        [
            {
                "record_id": record.id,
                "session_id": session.id,
                "subjective": text,
                "plan": text,
            }
            for session in sessions
        ]
    )
    notes.action_sign()
    env.flush_all()
    return record.with_user(psychologist)


def open_form(record):
    record.env.invalidate_all()
    record.web_read(FORM_SPEC)
    record.env.flush_all()


def count_queries(record):
    cr = record.env.cr
    open_form(record)  # warm-up: rules, caches
    before = cr.sql_log_count
    open_form(record)
    return cr.sql_log_count - before


def timed(record):
    started = time.perf_counter()
    open_form(record)
    return (time.perf_counter() - started) * 1000


def run(env):
    record = build_fixtures(env)
    print(
        f"Opening a clinical record form ({NOTES} notes, 3 diagnoses, 5 goals), "
        f"{ROUNDS} opens each:"
    )
    # Imported once Odoo knows the add-ons path (set by the harness).
    from odoo.addons.psy_clinical_record.models.psy_clinical_audit_mixin import (
        NESTED_READ,
    )

    quiet = record.with_context(psy_audit_nested=NESTED_READ)
    q_with, q_without = count_queries(record), count_queries(quiet)
    # Interleaved, so that the load of the machine weighs on both alike.
    with_ms, without_ms = [], []
    for _i in range(ROUNDS):
        with_ms.append(timed(record))
        without_ms.append(timed(quiet))
    t_with, t_without = statistics.median(with_ms), statistics.median(without_ms)
    print(f"with audit      {q_with:>3} queries   median {t_with:6.2f} ms")
    print(f"without audit   {q_without:>3} queries   median {t_without:6.2f} ms")
    logs = env["psy.clinical.access.log"].search_count(
        [("clinical_record_id", "=", record.id)]
    )
    print(
        f"Audit cost: +{q_with - q_without} query, +{t_with - t_without:.2f} ms "
        f"per form open ({logs} log lines written, one per open)"
    )


if __name__ == "__main__":
    main(__doc__, lambda env, args: run(env))
