#!/usr/bin/env python3
"""Benchmark of the psy_session agenda.

Builds one year of agenda for a ten-professional center (about 20,000
sessions) inside a single transaction, measures

* the create rate (sessions per second, calendar events included),
* the time of one conflict check (an overlapping booking refused by the
  exclusion constraint and turned into a message) at 2,000 and at 20,000
  sessions,
* the read time of one week of the calendar view (``search_read`` of one
  week for one professional),

prints the figures and rolls everything back.

Usage::

    python3 benchmarks/bench_session.py -c /path/to/odoo.conf -d DATABASE
"""

import statistics
import time
from datetime import datetime, timedelta

from _harness import main

from odoo.exceptions import ValidationError

PROFESSIONALS = 10
SLOTS_PER_DAY = 8  # one-hour slots, 8:00 to 16:00 UTC
WEEKS = 50
BATCH = 500
REPEAT = 20
CALENDAR_FIELDS = [
    "start",
    "stop",
    "patient_id",
    "product_id",
    "professional_id",
    "room_id",
    "modality",
    "state",
    "color",
]


def build_fixtures(env):
    company = env["res.company"].create({"name": "Benchmark center"})
    env = env(context=dict(env.context, allowed_company_ids=[company.id]))
    group = env.ref("psy_patient.group_psy_psychologist")
    professionals = env["res.users"].create(
        [
            {
                "name": f"Bench professional {i}",
                "login": f"bench_professional_{i}",
                "company_id": company.id,
                "company_ids": [(6, 0, company.ids)],
                "groups_id": [(6, 0, group.ids)],
            }
            for i in range(PROFESSIONALS)
        ]
    )
    rooms = env["psy.room"].create(
        [
            {"name": f"Bench room {i}", "company_id": company.id}
            for i in range(PROFESSIONALS)
        ]
    )
    # One patient per weekly slot of each professional: 10 x 5 x 8 = 400.
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
            "company_id": company.id,
        }
    )
    return env, professionals, rooms, patients, product


def agenda_values(professionals, rooms, patients, product, monday):
    """Weekday sessions, 8 a day per professional, for WEEKS weeks."""
    values = []
    for week in range(WEEKS):
        for day in range(5):
            date = monday + timedelta(weeks=week, days=day)
            for slot in range(SLOTS_PER_DAY):
                start = date.replace(hour=8 + slot)
                for k, professional in enumerate(professionals):
                    patient = patients[(k * 5 + day) * SLOTS_PER_DAY + slot]
                    values.append(
                        {
                            "patient_id": patient.id,
                            "professional_id": professional.id,
                            "product_id": product.id,
                            "room_id": rooms[k].id,
                            "start": start,
                        }
                    )
    values.sort(key=lambda v: v["start"])
    return values


def time_conflict(env, values):
    """Average time of an overlapping booking refused with a message."""
    Session = env["psy.session"]
    timings = []
    message = ""
    for i in range(REPEAT):
        vals = dict(values[i * 37 % len(values)])
        vals["start"] += timedelta(minutes=20)
        begin = time.perf_counter()
        try:
            with env.cr.savepoint():
                Session.create(vals)
        except ValidationError as error:
            message = error.args[0]
        else:
            raise RuntimeError("an overlapping session was accepted")
        timings.append(time.perf_counter() - begin)
    return statistics.median(timings), message


def time_week_read(env, professional, monday):
    Session = env["psy.session"]
    domain = [
        ("professional_id", "=", professional.id),
        ("start", "<", monday + timedelta(days=7)),
        ("stop", ">", monday),
    ]
    timings = []
    rows = []
    for _i in range(REPEAT):
        env.invalidate_all()
        begin = time.perf_counter()
        rows = Session.search_read(domain, CALENDAR_FIELDS)
        timings.append(time.perf_counter() - begin)
    return statistics.median(timings), len(rows)


def run(env):
    env, professionals, rooms, patients, product = build_fixtures(env)
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
    values = agenda_values(professionals, rooms, patients, product, monday)
    Session = env["psy.session"]
    results = {}
    created = 0
    create_time = 0.0
    for checkpoint in (2000, len(values)):
        while created < checkpoint:
            batch = values[created : min(created + BATCH, checkpoint)]
            begin = time.perf_counter()
            Session.create(batch)
            env.flush_all()
            create_time += time.perf_counter() - begin
            created += len(batch)
            env.invalidate_all()
        results[checkpoint] = time_conflict(env, values[:checkpoint])
    week_time, week_rows = time_week_read(
        env, professionals[3], monday + timedelta(weeks=26)
    )
    print(f"Sessions created:        {created} ({PROFESSIONALS} professionals)")
    print(f"Create rate:             {created / create_time:.0f} sessions/s")
    for checkpoint, (seconds, _message) in results.items():
        print(
            f"Conflict check at {checkpoint:>6}: {seconds * 1000:.1f} ms "
            f"(median of {REPEAT} refused overlapping bookings)"
        )
    print(
        f"Week read (calendar):    {week_time * 1000:.1f} ms "
        f"({week_rows} sessions of one professional, median of {REPEAT})"
    )
    print(f"Sample message:          {results[len(values)][1]}")


if __name__ == "__main__":
    main(__doc__, lambda env, args: run(env))
