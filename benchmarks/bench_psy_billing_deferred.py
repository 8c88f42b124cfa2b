#!/usr/bin/env python3
"""Benchmark of the deferred revenue entries of session packs.

Inside one transaction that is rolled back at the end, builds a center with
deferred revenue, 1,000 patients who each bought a 10-session pack (posted
invoices) and 3,000 sessions (3 per patient) completed one by one over two
weeks, as psychologists do. Measures, each run in a savepoint rolled back
before the next one:

* at each movement: completing the sessions, each posting its entry;
* once a day: completing them with the entries left to the scheduled
  action, then the action posting them (one entry per day).

and prints wall time and SQL queries per session, the cost of the scheduled
action per movement, and the deferred-revenue balance against the prepaid
liability at the end of each run (they must be equal).

Usage::

    python3 benchmarks/bench_psy_billing_deferred.py -c odoo.conf -d DATABASE
"""

import time
from datetime import date, datetime, timedelta

from _harness import main
from bench_psy_billing import build_center, create_sessions
from freezegun import freeze_time

from odoo import Command

SESSIONS = 3000


def build(env):
    env, company, users, session_type, patients = build_center(env)
    env = env(user=env.ref("base.user_admin"), su=True)
    deferred = (
        env["account.account"]
        .with_company(company)
        .create(
            {
                "name": "Deferred revenue - session packs",
                "code": "289100",
                "account_type": "liability_current",
            }
        )
    )
    company.write(
        {
            "psy_deferred_revenue": True,
            "psy_deferred_account_id": deferred.id,
            "psy_billing_approach": "pack",
            "psy_voucher_activation": "posted",
        }
    )
    pack = env["product.product"].create(
        {
            "name": "Bench pack 10 sessions",
            "type": "service",
            "list_price": 500.0,
            "is_psy_voucher": True,
            "psy_voucher_sessions": 10,
            "psy_voucher_validity": 12,
            "psy_voucher_validity_unit": "months",
            "psy_voucher_session_type_ids": [
                Command.set(session_type.product_tmpl_id.ids)
            ],
            "psy_voucher_owner": "center",
        }
    )
    vouchers = env["psy.voucher"].create(
        [
            {
                "patient_id": patient.id,
                "product_id": pack.id,
                "company_id": company.id,
                "start_date": date(2026, 9, 1),
            }
            for patient in patients
        ]
    )
    # Sold on 1 September, before the sessions of October.
    with freeze_time(datetime(2026, 9, 1, 9, 0)):
        vouchers._psy_create_invoices(post=True)
    sessions = create_sessions(env, company, users, session_type, patients, SESSIONS)
    env.flush_all()
    return env, company, deferred, sessions


def complete(sessions):
    """Each session completed an hour after its end, one at a time. One
    frozen clock moved from session to session (starting freezegun costs
    far more than moving it). The caller reads time.perf_counter outside the
    frozen clock."""
    with freeze_time(sessions[:1].stop) as clock:
        for session in sessions:
            clock.move_to(session.stop + timedelta(hours=1))
            session.action_done()


def balances(env, company, deferred):
    env.flush_all()
    held = -sum(
        env["account.move.line"]
        .search([("account_id", "=", deferred.id), ("parent_state", "=", "posted")])
        .mapped("balance")
    )
    wizard = env["psy.voucher.liability.wizard"].create(
        {"date": date(2026, 12, 31), "company_id": company.id}
    )
    wizard._compute_lines()
    return held, wizard.amount_total


def measure(env, func):
    env.invalidate_all()
    cr = env.cr
    start_count = cr.sql_log_count
    start = time.perf_counter()
    result = func()
    env.flush_all()
    return time.perf_counter() - start, cr.sql_log_count - start_count, result


def run(env, args):
    t0 = time.perf_counter()
    env, company, deferred, sessions = build(env)
    print(
        f"setup: {len(sessions)} sessions, 1000 packs sold "
        f"in {time.perf_counter() - t0:.1f}s"
    )
    cr = env.cr
    Line = env["psy.voucher.line"]
    for mode in ("movement", "daily"):
        cr.execute("SAVEPOINT bench")
        company.psy_deferred_batch = mode
        todo = sessions.browse(sessions.ids)
        elapsed, queries, __ = measure(env, lambda todo=todo: complete(todo))
        print(
            f"{mode:8}: {len(todo)} sessions completed in {elapsed:.2f}s, "
            f"{1000 * elapsed / len(todo):.2f} ms and "
            f"{queries / len(todo):.1f} queries per session"
        )
        if mode == "daily":
            elapsed, queries, posted = measure(
                env, Line._cron_psy_post_deferred_entries
            )
            entries = posted.psy_move_line_ids.move_id
            print(
                f"          scheduled action: {len(posted)} movements in "
                f"{len(entries)} entries, {elapsed:.2f}s, {queries} queries "
                f"({1000 * elapsed / len(posted):.2f} ms per movement)"
            )
        held, liability = balances(env, company, deferred)
        print(
            f"          deferred revenue {held:.2f} = prepaid liability "
            f"{liability:.2f}: {'yes' if abs(held - liability) < 0.005 else 'NO'}"
        )
        cr.execute("ROLLBACK TO SAVEPOINT bench")
        env.invalidate_all()


if __name__ == "__main__":
    main(__doc__, run)
