#!/usr/bin/env python3
"""Benchmark of the monthly batch invoicing of psy_billing_bridge.

Inside one transaction that is rolled back at the end, builds a center with
a generic chart of accounts, 1,000 patients, 10 psychologists and 5,000
done sessions in one month, then measures in the same run:

* baseline: ``account.move.create(vals_list)`` with the very same invoice
  values (prepared beforehand, not timed), i.e. Odoo's own cost;
* ours: ``psy.session._psy_create_invoices("monthly")``, which reads the
  sessions, builds the values and makes the one ``create`` call;

and prints wall time, SQL queries, the figures per invoice line and the
ratio ours / baseline. Each run happens in a savepoint rolled back before
the next one, with the caches cleared.

Usage::

    python3 benchmarks/bench_psy_billing.py -c odoo.conf -d DATABASE
"""

import time
from datetime import datetime, timedelta

from _harness import main
from freezegun import freeze_time

from odoo import Command

PATIENTS = 1000
SESSIONS = 5000
PROFESSIONALS = 10


def build_center(env):
    """A center with a generic chart, its psychologists, a session type and
    its patients. Returns (env, company, professionals, session type,
    patients)."""
    company = env["res.company"].create({"name": "Bench center"})
    env = env(context=dict(env.context, allowed_company_ids=[company.id]))
    env["account.chart.template"].try_loading(
        "generic_coa", company=company, install_demo=False
    )
    group = env.ref("psy_patient.group_psy_psychologist")
    users = env["res.users"].create(
        [
            {
                "name": f"Bench psychologist {i}",
                "login": f"bench_psy_{i}",
                "company_id": company.id,
                "company_ids": [Command.set(company.ids)],
                "groups_id": [Command.set([env.ref("base.group_user").id, group.id])],
                "psy_registration_number": f"M-{10000 + i}",
            }
            for i in range(PROFESSIONALS)
        ]
    )
    product = env["product.product"].create(
        {
            "name": "Bench therapy",
            "type": "service",
            "is_psy_session_type": True,
            "psy_duration": 50 / 60,
            "list_price": 60.0,
        }
    )
    patients = env["psy.patient"].create(
        [
            {
                "firstname": f"Patient{i}",
                "lastname": "Bench",
                "company_id": company.id,
            }
            for i in range(PATIENTS)
        ]
    )
    return env, company, users, product, patients


def create_sessions(env, company, users, product, patients, count=SESSIONS):
    """``count`` sessions in October 2026, round-robin over the patients and
    the professionals, none overlapping."""
    base = datetime(2026, 10, 1, 0, 0)
    return (
        env["psy.session"]
        .with_context(tracking_disable=True, mail_create_nolog=True)
        .create(
            [
                {
                    "patient_id": patients[k % len(patients)].id,
                    "professional_id": users[k % len(users)].id,
                    "product_id": product.id,
                    "modality": "in_person",
                    "start": base + timedelta(hours=k // len(users)),
                    "company_id": company.id,
                }
                for k in range(count)
            ]
        )
    )


def build(env):
    env, company, users, product, patients = build_center(env)
    sessions = create_sessions(env, company, users, product, patients)
    # Completed on 2 November, after every session of October.
    with freeze_time(datetime(2026, 11, 2)):
        sessions.action_done()
    env.flush_all()
    return env, sessions


def measure(env, func):
    env.invalidate_all()
    cr = env.cr
    cr.execute("SAVEPOINT bench")
    start_count = cr.sql_log_count
    start = time.perf_counter()
    moves = func()
    env.flush_all()
    elapsed = time.perf_counter() - start
    queries = cr.sql_log_count - start_count
    lines = len(moves.invoice_line_ids)
    cr.execute("ROLLBACK TO SAVEPOINT bench")
    env.invalidate_all()
    return elapsed, queries, len(moves), lines


def add_arguments(parser):
    parser.add_argument(
        "--ours-first",
        action="store_true",
        help="Run our batch before the baseline (to see order effects).",
    )


def run(env, args):
    t0 = time.perf_counter()
    env, sessions = build(env)
    print(
        f"setup: {SESSIONS} sessions, {PATIENTS} patients "
        f"in {time.perf_counter() - t0:.1f}s"
    )
    env.invalidate_all()
    t0 = time.perf_counter()
    vals_list = sessions._psy_prepare_invoice_vals("monthly")
    print(f"building the invoice values alone: {time.perf_counter() - t0:.2f}s")
    runs = {}
    order = ("ours", "base") if args.ours_first else ("base", "ours")
    for name in order:
        if name == "base":
            runs[name] = measure(env, lambda: env["account.move"].create(vals_list))
            continue
        runs[name] = measure(
            env,
            lambda: sessions.browse(sessions.ids)._psy_create_invoices("monthly"),
        )
    base, ours = runs["base"], runs["ours"]
    for label, (elapsed, queries, moves, lines) in (
        ("account.move.create", base),
        ("psy monthly batch  ", ours),
    ):
        print(
            f"{label}: {moves} invoices, {lines} lines, {elapsed:.2f}s, "
            f"{queries} queries, {1000 * elapsed / lines:.2f} ms/line, "
            f"{queries / lines:.2f} queries/line"
        )
    print(
        f"ratio ours/baseline: time {ours[0] / base[0]:.2f}, "
        f"queries {ours[1] / base[1]:.2f}"
    )


if __name__ == "__main__":
    main(__doc__, run, add_arguments=add_arguments)
