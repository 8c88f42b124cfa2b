#!/usr/bin/env python3
"""Benchmark of the deferred revenue entries of session packs.

Inside one transaction that is rolled back at the end, builds a center with
deferred revenue, 1,000 patients who each bought a 10-session pack (posted
invoices) and 3,000 sessions (3 per patient) completed one by one over two
weeks, as psychologists do. Measures, each run in a savepoint rolled back
before the next one:

* at each movement: completing the sessions, each posting its entry;
* once a day: completing them with the entries left to the scheduled
  action, then the action posting them (one entry per day);
* native: for reference, Odoo's own cost of the entry alone, in the same run
  and by the same user: ``account.move.create`` then ``action_post`` of the
  same two-line entry (deferred revenue to income, same journal and date),
  one per session.

and prints wall time and SQL queries per session, the cost of the scheduled
action per movement, the deferred-revenue balance against the prepaid
liability at the end of each run (they must be equal), and the ratio of a
completion at each movement to the native entry.

Usage::

    python3 benchmarks/bench_psy_billing_deferred.py -c odoo.conf -d DATABASE \
        [--sessions 3000] [--modes native,movement,daily]
"""

import time
from datetime import date, datetime, timedelta

from _harness import main
from bench_psy_billing import build_center, create_sessions
from freezegun import freeze_time

from odoo import Command

SESSIONS = 3000
# Completions (and native entries) run first to warm the caches, not measured.
WARM = 50


def build(env, count=SESSIONS):
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
    sessions = create_sessions(env, company, users, session_type, patients, count)
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


def native_entries(env, company, deferred, sessions):
    """The same two-line entry as a completion posts (the value of one
    session of the pack, from deferred revenue to income), created and
    posted through the ORM one at a time, on the session's day."""
    Move = env["account.move"]
    journal = (
        company.psy_deferred_journal_id
        or Move.with_company(company)._search_default_journal()
    )
    income = (
        sessions[:1]
        .product_id.product_tmpl_id.with_company(company)
        ._get_product_accounts()["income"]
    )
    with freeze_time(sessions[:1].stop) as clock:
        for session in sessions:
            clock.move_to(session.stop + timedelta(hours=1))
            common = {"name": f"Native entry - {session.name}"}
            Move.create(
                {
                    "move_type": "entry",
                    "company_id": company.id,
                    "journal_id": journal.id,
                    "date": session.stop.date(),
                    "ref": "Session packs: deferred revenue",
                    "line_ids": [
                        Command.create(
                            dict(common, account_id=deferred.id, debit=50.0)
                        ),
                        Command.create(dict(common, account_id=income.id, credit=50.0)),
                    ],
                }
            ).action_post()


def add_arguments(parser):
    parser.add_argument(
        "--sessions", type=int, default=SESSIONS, help="sessions completed per run"
    )
    parser.add_argument(
        "--modes",
        default="native,movement,daily",
        help="comma-separated runs among native, movement and daily",
    )


def run(env, args):
    t0 = time.perf_counter()
    env, company, deferred, sessions = build(env, args.sessions + WARM)
    print(
        f"setup: {len(sessions)} sessions, 1000 packs sold "
        f"in {time.perf_counter() - t0:.1f}s"
    )
    cr = env.cr
    Line = env["psy.voucher.line"]
    figures = {}
    # Warm up the caches (registry, ormcache, statements) on sessions that
    # are not measured, then measure each run on the same sessions.
    warm, sessions = sessions[:WARM], sessions[WARM:]
    cr.execute("SAVEPOINT bench")
    company.psy_deferred_batch = "movement"
    complete(warm)
    native_entries(env, company, deferred, warm)
    env.flush_all()
    cr.execute("ROLLBACK TO SAVEPOINT bench")
    env.invalidate_all()
    for mode in args.modes.split(","):
        cr.execute("SAVEPOINT bench")
        todo = sessions.browse(sessions.ids)
        if mode == "native":
            elapsed, queries, __ = measure(
                env, lambda todo=todo: native_entries(env, company, deferred, todo)
            )
            figures[mode] = (elapsed / len(todo), queries / len(todo))
            print(
                f"{mode:8}: {len(todo)} two-line entries created and posted in "
                f"{elapsed:.2f}s, {1000 * elapsed / len(todo):.2f} ms and "
                f"{queries / len(todo):.1f} queries per entry"
            )
            cr.execute("ROLLBACK TO SAVEPOINT bench")
            env.invalidate_all()
            continue
        company.psy_deferred_batch = mode
        elapsed, queries, __ = measure(env, lambda todo=todo: complete(todo))
        figures[mode] = (elapsed / len(todo), queries / len(todo))
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
    if "native" in figures and "movement" in figures:
        (ours, ours_q), (base, base_q) = figures["movement"], figures["native"]
        print(
            f"ratio movement/native: time {ours / base:.2f}, "
            f"queries {ours_q / base_q:.2f}"
        )


if __name__ == "__main__":
    main(__doc__, run, add_arguments=add_arguments)
