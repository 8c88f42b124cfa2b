#!/usr/bin/env python3
"""Benchmark of the psy_voucher ledger.

Inside a single transaction that is rolled back at the end, measures

* the daily expiry job over 100,000 active vouchers past their date (time
  and number of SQL queries, counted with the cursor's ``sql_log_count``):
  one expire line per voucher, every voucher expired;
* the consumption rate over 10,000 completed sessions: the pack chosen,
  locked, its balance moved and the ledger line written, per session
  (sessions and vouchers are prepared beforehand);
* for reference, the end-to-end rate of ``action_done`` (calendar sync and
  consumption included) over 1,000 more sessions.

Vouchers are inserted in SQL (the ORM path of a sale is not what is
measured); sessions are created with the ORM so that their calendar events
exist.

Usage::

    python3 benchmarks/bench_psy_voucher.py -c /path/to/odoo.conf -d DATABASE
"""

import time
from datetime import date, datetime, timedelta

from _harness import main
from freezegun import freeze_time

EXPIRY_VOUCHERS = 100_000
SESSIONS = 10_000
END_TO_END = 1_000
PATIENTS = 1_100
PROFESSIONALS = 10
BATCH = 1000


def insert_vouchers(env, company, patients, product, count, expiry, sessions):
    """Active vouchers spread over the patients, inserted in one statement."""
    env.flush_all()
    env.cr.execute(
        """
        INSERT INTO psy_voucher (name, patient_id, product_id, company_id, price,
                                 sessions_total, remaining, start_date,
                                 expiry_date, state, reminder_sent,
                                 create_uid, create_date, write_uid, write_date)
        SELECT 'BENCH-' || %(tag)s || '-' || n,
               (%(patients)s::int[])[1 + (n %% %(npatients)s)],
               %(product)s, %(company)s, 500, %(sessions)s, %(sessions)s,
               %(start)s, %(expiry)s, 'active', false,
               %(uid)s, now() at time zone 'UTC', %(uid)s, now() at time zone 'UTC'
          FROM generate_series(1, %(count)s) AS n
        RETURNING id
        """,
        {
            "tag": expiry.isoformat(),
            "patients": patients.ids,
            "npatients": len(patients),
            "product": product.id,
            "company": company.id,
            "sessions": sessions,
            "start": date(2020, 1, 1),
            "expiry": expiry,
            "uid": env.uid,
            "count": count,
        },
    )
    return env["psy.voucher"].browse([row[0] for row in env.cr.fetchall()])


def build_fixtures(env):
    company = env["res.company"].create({"name": "Voucher benchmark center"})
    env = env(context=dict(env.context, allowed_company_ids=[company.id]))
    group = env.ref("psy_patient.group_psy_psychologist")
    professionals = env["res.users"].create(
        [
            {
                "name": f"Voucher bench professional {i}",
                "login": f"voucher_bench_professional_{i}",
                "company_id": company.id,
                "company_ids": [(6, 0, company.ids)],
                "groups_id": [(6, 0, group.ids)],
            }
            for i in range(PROFESSIONALS)
        ]
    )
    patients = env["psy.patient"].create(
        [
            {
                "firstname": "Bench",
                "lastname": f"Voucher patient {i:05d}",
                "company_id": company.id,
            }
            for i in range(PATIENTS)
        ]
    )
    session_type = env["product.product"].create(
        {
            "name": "Voucher bench therapy",
            "type": "service",
            "is_psy_session_type": True,
            "psy_duration": 50 / 60,
            "list_price": 60.0,
            "company_id": company.id,
        }
    )
    pack = env["product.product"].create(
        {
            "name": "Voucher bench pack",
            "type": "service",
            "list_price": 500.0,
            "is_psy_voucher": True,
            "psy_voucher_sessions": 10,
            "psy_voucher_session_type_ids": [(6, 0, session_type.product_tmpl_id.ids)],
            "company_id": company.id,
        }
    )
    return env, company, professionals, patients, session_type, pack


def session_values(patients, professionals, session_type, count, first_day):
    """``count`` sessions, one an hour per professional, patients in turn."""
    values = []
    for i in range(count):
        professional = professionals[i % PROFESSIONALS]
        slot = i // PROFESSIONALS
        values.append(
            {
                "patient_id": patients[i % len(patients)].id,
                "professional_id": professional.id,
                "product_id": session_type.id,
                "start": first_day + timedelta(hours=slot),
            }
        )
    return values


def bench_expiry(env, company, patients, pack):
    vouchers = insert_vouchers(
        env, company, patients, pack, EXPIRY_VOUCHERS, date(2024, 12, 31), 7
    )
    env.cr.execute("ANALYZE psy_voucher")
    env.invalidate_all()
    cr = env.cr
    queries = cr.sql_log_count
    begin = time.perf_counter()
    expired = env["psy.voucher"]._expire_due(today=date(2025, 1, 1))
    env.flush_all()
    seconds = time.perf_counter() - begin
    queries = cr.sql_log_count - queries
    cr.execute(
        "SELECT count(*) FROM psy_voucher WHERE id IN %s AND state = 'expired' "
        "AND remaining = 0",
        [tuple(vouchers.ids)],
    )
    closed = cr.fetchone()[0]
    cr.execute(
        "SELECT count(*), sum(quantity) FROM psy_voucher_line "
        "WHERE voucher_id IN %s AND type = 'expire'",
        [tuple(vouchers.ids)],
    )
    lines, quantity = cr.fetchone()
    assert expired == closed == lines == EXPIRY_VOUCHERS, (expired, closed, lines)
    assert quantity == -7 * EXPIRY_VOUCHERS
    return seconds, queries


def bench_consumption(env, company, professionals, patients, session_type, pack):
    # Two packs of 10 per patient, expiring far ahead: 22,000 sessions of room.
    vouchers = insert_vouchers(
        env, company, patients, pack, 2 * len(patients), date(2099, 12, 31), 10
    )
    Session = env["psy.session"]
    first_day = datetime(2026, 1, 5, 0, 0)
    values = session_values(
        patients, professionals, session_type, SESSIONS + END_TO_END, first_day
    )
    sessions = Session.browse()
    for start in range(0, len(values), BATCH):
        sessions |= Session.create(values[start : start + BATCH])
        env.flush_all()
    measured, end_to_end = sessions[:SESSIONS], sessions[SESSIONS:]
    # What autovacuum does for committed rows: statistics for the planner.
    env.cr.execute("ANALYZE psy_voucher, psy_voucher_line, psy_session")
    # Consumption alone: the sessions are already done.
    env.cr.execute(
        "UPDATE psy_session SET state = 'done', done_date = start WHERE id IN %s",
        [tuple(measured.ids)],
    )
    env.invalidate_all()
    queries = env.cr.sql_log_count
    begin = time.perf_counter()
    for start in range(0, SESSIONS, BATCH):
        batch = measured[start : start + BATCH]
        for session in batch:
            session._psy_voucher_consume()
        env.flush_all()
        env.invalidate_all()
    seconds = time.perf_counter() - begin
    queries = env.cr.sql_log_count - queries
    env.cr.execute(
        "SELECT count(*) FROM psy_voucher_line WHERE session_id IN %s "
        "AND type = 'consume'",
        [tuple(measured.ids)],
    )
    assert env.cr.fetchone()[0] == SESSIONS
    # End to end: action_done with its calendar sync and tracking.
    begin = time.perf_counter()
    for start in range(0, END_TO_END, 100):
        end_to_end[start : start + 100].action_done()
        env.flush_all()
    e2e_seconds = time.perf_counter() - begin
    assert all(end_to_end.mapped("voucher_id"))
    env.cr.execute(
        "SELECT count(*) FROM psy_voucher WHERE id IN %s AND remaining < 0",
        [tuple(vouchers.ids)],
    )
    assert env.cr.fetchone()[0] == 0
    return seconds, queries, e2e_seconds


def run(env):
    env, company, professionals, patients, session_type, pack = build_fixtures(env)
    env = env(
        context=dict(
            env.context,
            tracking_disable=True,
            mail_create_nolog=True,
            mail_notrack=True,
            no_mail_to_attendees=True,
        )
    )
    # The jobs run on 1 January 2027, after every pack has expired.
    # tick=True keeps time.perf_counter running for the measurements.
    with freeze_time(datetime(2027, 1, 1), tick=True):
        _run_frozen(env, company, professionals, patients, session_type, pack)


def _run_frozen(env, company, professionals, patients, session_type, pack):
    seconds, queries = bench_expiry(env, company, patients, pack)
    print(
        f"Expiry job:        {EXPIRY_VOUCHERS} vouchers expired in {seconds:.2f} s "
        f"({EXPIRY_VOUCHERS / seconds:.0f} vouchers/s), {queries} SQL queries"
    )
    consume, consume_queries, e2e = bench_consumption(
        env, company, professionals, patients, session_type, pack
    )
    print(
        f"Consumption:       {SESSIONS} sessions in {consume:.2f} s "
        f"({SESSIONS / consume:.0f} sessions/s), "
        f"{consume_queries / SESSIONS:.1f} SQL queries per session"
    )
    print(
        f"action_done (e2e): {END_TO_END} sessions in {e2e:.2f} s "
        f"({END_TO_END / e2e:.0f} sessions/s, calendar sync included)"
    )


if __name__ == "__main__":
    main(__doc__, lambda env, args: run(env))
