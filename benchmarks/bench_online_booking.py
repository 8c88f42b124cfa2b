#!/usr/bin/env python3
"""Benchmark of the online booking availability (psy_online_booking).

Builds a ten-professional center (working hours Monday to Friday, 9:00-14:00
and 16:00-20:00 in Madrid, three rooms) inside a single transaction, with 200
sessions in the next four weeks and the rest of the agenda in the past, and
measures the server time of one availability request: the free slots of the
ten professionals over four weeks, in person (a free room is needed), with
2,000 and then 20,000 booked sessions. The window holds the same sessions at
both sizes: the time must not grow with the history. Prints the figures and
rolls everything back.

Usage::

    python3 benchmarks/bench_online_booking.py -c /path/to/odoo.conf -d DATABASE
"""

import statistics
import time
from datetime import datetime, timedelta

from _harness import main

from odoo import Command

PROFESSIONALS = 10
SLOTS_PER_DAY = 8  # one-hour sessions in the past, 8:00 to 16:00 UTC
BATCH = 500
REPEAT = 10
SIZES = (2000, 20000)


def build_fixtures(env):
    company = env["res.company"].create(
        {
            "name": "Benchmark booking center",
            "psy_booking_enabled": True,
            "psy_booking_notice_hours": 24,
            "psy_booking_horizon_days": 35,
        }
    )
    company.partner_id.tz = "Europe/Madrid"
    env = env(context=dict(env.context, allowed_company_ids=[company.id]))
    group = env.ref("psy_patient.group_psy_psychologist")
    calendars = env["resource.calendar"].create(
        [
            {
                "name": f"Bench hours {i}",
                "tz": "Europe/Madrid",
                "company_id": company.id,
                "attendance_ids": [Command.clear()]
                + [
                    Command.create(
                        {
                            "name": f"{day} {start}",
                            "dayofweek": str(day),
                            "hour_from": start,
                            "hour_to": stop,
                            "day_period": period,
                        }
                    )
                    for day in range(5)
                    for start, stop, period in (
                        (9, 14, "morning"),
                        (16, 20, "afternoon"),
                    )
                ],
            }
            for i in range(PROFESSIONALS)
        ]
    )
    professionals = env["res.users"].create(
        [
            {
                "name": f"Bench professional {i}",
                "login": f"bench_booking_professional_{i}",
                "company_id": company.id,
                "company_ids": [(6, 0, company.ids)],
                "groups_id": [(6, 0, group.ids)],
                "psy_booking_calendar_id": calendars[i].id,
            }
            for i in range(PROFESSIONALS)
        ]
    )
    rooms = env["psy.room"].create(
        [{"name": f"Bench room {i}", "company_id": company.id} for i in range(3)]
    )
    patients = env["psy.patient"].create(
        [
            {
                "firstname": "Bench",
                "lastname": f"Patient {i:04d}",
                "company_id": company.id,
            }
            for i in range(PROFESSIONALS * 5 * SLOTS_PER_DAY)
        ]
    )
    product = env["product.product"].create(
        {
            "name": "Bench therapy",
            "type": "service",
            "is_psy_session_type": True,
            "psy_duration": 50 / 60,
            "psy_online_booking": True,
            "company_id": company.id,
        }
    )
    return env, company, professionals, rooms, patients, product


def window_values(professionals, rooms, patients, product, monday):
    """One session a day per professional in the four weeks offered (10:00
    UTC, the first three in a room): 200 sessions."""
    values = []
    for day in range(28):
        date = monday + timedelta(days=day)
        if date.weekday() >= 5:
            continue
        for k, professional in enumerate(professionals):
            values.append(
                {
                    "patient_id": patients[k].id,
                    "professional_id": professional.id,
                    "product_id": product.id,
                    "modality": "in_person" if k < 3 else "online",
                    "room_id": rooms[k].id if k < 3 else False,
                    "start": date.replace(hour=10),
                }
            )
    return values


def history_values(professionals, patients, product, monday, count):
    """``count`` online sessions in the weeks before ``monday``, 8 a day per
    professional, going back in time."""
    values = []
    week = 1
    while len(values) < count:
        for day in range(5):
            date = monday - timedelta(weeks=week) + timedelta(days=day)
            for slot in range(SLOTS_PER_DAY):
                for k, professional in enumerate(professionals):
                    patient = patients[(k * 5 + day) * SLOTS_PER_DAY + slot]
                    values.append(
                        {
                            "patient_id": patient.id,
                            "professional_id": professional.id,
                            "product_id": product.id,
                            "modality": "online",
                            "start": date.replace(hour=8 + slot),
                        }
                    )
        week += 1
    return values[:count]


def create(env, values):
    Session = env["psy.session"]
    for i in range(0, len(values), BATCH):
        Session.create(values[i : i + BATCH])
        env.flush_all()
        env.invalidate_all()


def time_availability(env, company, product, professionals, monday):
    Availability = env["psy.booking.availability"]
    timings = []
    queries = []
    slots = []
    for _i in range(REPEAT):
        env.invalidate_all()
        count = env.cr.sql_log_count
        begin = time.perf_counter()
        slots = Availability._psy_slots(
            company,
            product,
            "in_person",
            professionals,
            monday,
            monday + timedelta(weeks=4),
        )
        timings.append(time.perf_counter() - begin)
        queries.append(env.cr.sql_log_count - count)
    return statistics.median(timings), len(slots), max(queries)


def run(env):
    env, company, professionals, rooms, patients, product = build_fixtures(env)
    env = env(
        context=dict(
            env.context,
            tracking_disable=True,
            mail_create_nolog=True,
            mail_notrack=True,
            no_mail_to_attendees=True,
        )
    )
    today = datetime.now().replace(hour=0, minute=0, second=0, microsecond=0)
    monday = today + timedelta(days=7 - today.weekday())
    window = window_values(professionals, rooms, patients, product, monday)
    history = history_values(
        professionals, patients, product, monday, SIZES[-1] - len(window)
    )
    create(env, window)
    created = len(window)
    results = {}
    for size in SIZES:
        create(env, history[created - len(window) : size - len(window)])
        created = size
        total = env["psy.session"].search_count(
            [("professional_id", "in", professionals.ids)]
        )
        results[size] = (
            total,
            *time_availability(env, company, product, professionals, monday),
        )
    print(
        f"Availability of {PROFESSIONALS} professionals over 4 weeks, in person "
        f"(3 rooms), {len(window)} sessions in the window:"
    )
    for total, seconds, slots, queries in results.values():
        print(
            f"  {total:>6} booked sessions: {seconds * 1000:7.1f} ms "
            f"(median of {REPEAT}), {slots} free slots, {queries} queries"
        )


if __name__ == "__main__":
    main(__doc__, lambda env, args: run(env))
