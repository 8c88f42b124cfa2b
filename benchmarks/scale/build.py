#!/usr/bin/env python3
# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Scale dataset: a network of centers with five years of history.

At ``--fraction 1``: 20 centers, 200 psychologists, 50,000 patients with a
clinical record, 1,000,000 sessions over five years (20 weekly sessions per
patient, with their participant, calendar entry and attendees), 100,000
packs of 8 sessions (two per patient) with their ledger (a consumption per
completed session paid by a pack, an expiry line for the sessions left on
an expired pack). ``--fraction 0.1`` builds a tenth of everything (2
centers, 20 psychologists, ...): each center and each psychologist has the
same density, only the database is ten times smaller.

How it is built, fast and the same as the ORM:

* the few hundred setup records (centers with their chart of accounts,
  users, products, rooms) and the patients with their clinical records are
  created with the ORM, in batches;
* a few **prototype patients** live their whole history through the ORM,
  in a savepoint, at the dates of the plan (``freezegun``): booking of
  their sessions, purchase and activation of their packs, completion and
  cancellation of each session, the expiry job. Their rows (sessions,
  participants, calendar entries and attendees, packs, ledger lines,
  patient and contact) are read, then the savepoint is rolled back;
* every patient's history (the prototypes' too) is then written with
  ``COPY``: each row is the prototype row of its kind with the columns
  that vary per row (ids, dates, people, states, names, balances) set by
  the same plan;
* finally the rows of the prototype patients written by ``COPY`` are
  compared column by column with what the ORM wrote: any difference stops
  the build (exit status 1).

Usage (the database is created and ``psy_center`` installed when missing)::

    python3 benchmarks/scale/build.py -c .local/odoo.conf -d scale_full
    python3 benchmarks/scale/build.py -c .local/odoo.conf -d scale_tenth \
        --fraction 0.1

Crons other than the pack expiry job (reminders, overdue activities) are
not replayed; packs are activated without an invoice (as packs sold before
invoices were required are), sessions are not invoiced.
"""

import argparse
import io
import json
import os
import pickle
import random
import subprocess
import sys
import time
from collections import defaultdict
from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta

PACK_SESSIONS = 8
PACK_MONTHS = 12
SESSIONS_PER_PATIENT = 20
WEEKS = 260  # five years
SLOTS = 40  # 5 weekdays x 8 hours per psychologist
BATCH = 1000  # patients per COPY batch

# Tables whose rows the history of a patient writes.
# Tables of the patients themselves.
PATIENT_TABLES = [
    "res_partner",
    "psy_patient",
    "psy_patient_professional_rel",
    "psy_clinical_record",
]
HISTORY_TABLES = [
    "psy_session",
    "psy_session_participant",
    "psy_session_patient_rel",
    "calendar_event",
    "calendar_event_res_partner_rel",
    "calendar_attendee",
    "psy_voucher",
    "psy_voucher_line",
    "mail_message",
    "mail_followers",
]
# Tables the prototypes may write that the dataset does not need: the
# sequence numbers and the caches of the ORM.
ALLOWED_TABLES = ["ir_sequence", "ir_attachment"]
ID_TABLES = [t for t in PATIENT_TABLES + HISTORY_TABLES if not t.endswith("_rel")]
# Columns never compared: the ids, and the bookkeeping of each write (the
# ORM leaves the first cancelled entry of a run written by the superuser,
# the next ones by the professional who cancelled: the builder writes the
# professional).
IGNORED = {"id", "create_date", "write_date", "write_uid", "calendar_last_notif_ack"}


def log(message, start=[]):  # noqa: B006 - the clock of the whole run
    if not start:
        start.append(time.perf_counter())
    print(f"[{time.perf_counter() - start[0]:7.1f} s] {message}", flush=True)


def sizes(fraction):
    centers = max(1, round(20 * fraction))
    professionals = max(centers, round(200 * fraction))
    patients = max(professionals, round(50_000 * fraction))
    return {
        "centers": centers,
        "professionals_per_center": professionals // centers,
        "patients_per_center": patients // centers,
    }


# ----------------------------------------------------------------------
# The plan: what happens to each patient, as pure data
# ----------------------------------------------------------------------


class Plan:
    """The history of every patient, computed from its index only."""

    def __init__(self, sizes, now):
        self.sizes = sizes
        self.now = now
        self.today = now.date()
        first = self.today - timedelta(weeks=WEEKS - 13)
        self.monday = first - timedelta(days=first.weekday())

    def patient(self, center, index):
        """The history of the ``index``-th patient of ``center``: its
        psychologist (index in the center), the bookings, the packs and
        the events (completion, cancellation, expiry) in time order."""
        per_center = self.sizes["professionals_per_center"]
        professional = index % per_center
        rank = index // per_center
        ranks = -(-self.sizes["patients_per_center"] // per_center)
        week0 = rank * (WEEKS - SESSIONS_PER_PATIENT) // max(ranks, 1)
        slot = rank % SLOTS
        sessions = []
        for i in range(SESSIONS_PER_PATIENT):
            day = self.monday + timedelta(weeks=week0 + i, days=slot // 8)
            start = datetime.combine(day, datetime.min.time()) + timedelta(
                hours=8 + slot % 8
            )
            sessions.append({"i": i, "start": start, "state": "scheduled"})
        booked = min(
            sessions[0]["start"] - timedelta(days=3), self.now - timedelta(days=1)
        )
        booked = booked.replace(hour=10, minute=0)
        packs = [
            {"j": 0, "bought": booked},
            {
                "j": 1,
                "bought": min(
                    sessions[10]["start"] - timedelta(days=1),
                    self.now - timedelta(hours=2),
                ),
            },
        ]
        events = [(p["bought"], "buy", p) for p in packs]
        for s in sessions:
            start, i = s["start"], s["i"]
            stop = start + timedelta(minutes=50)
            s["stop"] = stop
            h = (index * 31 + i * 17 + center * 7) % 100
            if start >= self.now:
                continue
            if h < 8:
                events.append((start - timedelta(days=2), "cancel", s))
            elif stop > self.now - timedelta(days=14) and h < 30:
                continue  # to close: ended and still scheduled
            elif stop + timedelta(minutes=10) < self.now:
                events.append((stop + timedelta(minutes=10), "done", s))
        for p in packs:
            p["start_date"] = p["bought"].date()
            p["expiry_date"] = p["start_date"] + relativedelta(months=PACK_MONTHS)
            expires = datetime.combine(
                p["expiry_date"] + timedelta(days=1), datetime.min.time()
            ) + timedelta(hours=3)
            if expires < self.now:
                events.append((expires, "expire", p))
        order = {"buy": 0, "cancel": 1, "done": 2}
        events.sort(key=lambda e: (e[0], order.get(e[1], 3)))
        self._simulate(events, packs)
        return {
            "center": center,
            "index": index,
            "professional": professional,
            "booked": booked,
            "sessions": sessions,
            "packs": packs,
            "events": events,
        }

    @staticmethod
    def _simulate(events, packs):
        """Run the ledger of the packs through ``events`` as the ORM does:
        a completion takes the session from the active pack that expires
        first, the expiry job takes what is left on a pack past its date."""
        for p in packs:
            p.update(remaining=PACK_SESSIONS, state="draft", lines=[])
        cancelled = False
        for when, kind, obj in events:
            if kind == "buy":
                obj["state"] = "active"
            elif kind == "cancel":
                obj.update(state="cancelled", cancel_date=when)
                cancelled = True
            elif kind == "done":
                obj.update(state="done", done_date=when, pay="separately")
                Plan._consume(obj, when, packs, cancelled)
            elif kind == "expire" and obj["state"] == "active":
                Plan._expire(obj, when)

    @staticmethod
    def _consume(obj, when, packs, cancelled):
        eligible = [
            p
            for p in packs
            if p["state"] == "active"
            and p["bought"] <= when
            and p["remaining"] > 0
            and p["expiry_date"] >= obj["start"].date()
        ]
        if eligible:
            pack = min(eligible, key=lambda p: (p["expiry_date"], p["j"]))
            pack["remaining"] -= 1
            line = {
                "type": "consume",
                "date": when,
                "quantity": -1,
                "balance": pack["remaining"],
                "session": obj["i"],
            }
            pack["lines"].append(line)
            # The ORM leaves the flag NULL on the consumptions before
            # the patient's first cancellation, False after it.
            obj.update(
                pay="pack",
                pack=pack["j"],
                line=len(pack["lines"]) - 1,
                pay_flag=False if cancelled else None,
            )
            if not pack["remaining"]:
                pack["state"] = "exhausted"

    @staticmethod
    def _expire(obj, when):
        obj["lines"].append(
            {
                "type": "expire",
                "date": when,
                "quantity": -obj["remaining"],
                "balance": 0,
                "session": None,
            }
        )
        obj.update(remaining=0, state="expired")

    def kinds(self, history):
        """The kinds of rows a history writes (to choose prototypes)."""
        kinds = set()
        for s in history["sessions"]:
            kinds.add(("session", s["state"], s.get("pay")))
        for p in history["packs"]:
            kinds.add(("pack", p["state"]))
            for line in p["lines"]:
                kinds.add(("line", line["type"]))
        return kinds


# ----------------------------------------------------------------------
# COPY text format
# ----------------------------------------------------------------------


def copy_value(value):
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, dict | list):
        value = json.dumps(value)
    elif isinstance(value, datetime | date):
        value = (
            value.isoformat(sep=" ")
            if isinstance(value, datetime)
            else value.isoformat()
        )
    else:
        value = str(value)
    return (
        value.replace("\\", "\\\\")
        .replace("\t", "\\t")
        .replace("\n", "\\n")
        .replace("\r", "\\r")
    )


class Builder:
    def __init__(self, env, fraction, charts=None, seed=17):
        self.env = env
        self.cr = env.cr
        self.fraction = fraction
        self.sizes = sizes(fraction)
        self.charts = self.sizes["centers"] if charts is None else charts
        self.random = random.Random(seed)
        from odoo import fields

        self.now = fields.Datetime.now().replace(minute=0, second=0, microsecond=0)
        self.plan = Plan(self.sizes, self.now)

    # ------------------------------------------------------------------
    # Setup with the ORM
    # ------------------------------------------------------------------

    def setup(self):
        from odoo import Command

        env = self.env
        self.centers = []
        for c in range(self.sizes["centers"]):
            company = env["res.company"].create(
                {
                    "name": f"Centro {c + 1:02d}",
                    "email": f"centro{c + 1}@example.com",
                    "currency_id": env.ref("base.EUR").id,
                }
            )
            cenv = env(context=dict(env.context, allowed_company_ids=[company.id]))
            if c < self.charts:
                cenv["account.chart.template"].try_loading(
                    "generic_coa", company=company, install_demo=False
                )
            company.write({"psy_billing_approach": "pack"})
            per = self.sizes["professionals_per_center"]

            def users(kind, count, groups, company=company, c=c):
                login = f"scale_{kind.lower()}_{c + 1}"
                return env["res.users"].create(
                    [
                        {
                            "name": f"{kind} {c + 1:02d}-{i + 1:02d}",
                            "login": f"{login}_{i + 1}",
                            "email": f"{login}_{i + 1}@example.com",
                            "password": "scale",
                            "company_id": company.id,
                            "company_ids": [Command.set(company.ids)],
                            "tz": "Europe/Madrid",
                            "groups_id": [
                                Command.set(
                                    [env.ref("base.group_user").id]
                                    + [env.ref(g).id for g in groups]
                                )
                            ],
                            **(
                                {"psy_registration_number": f"M-{c:02d}{i:03d}"}
                                if kind == "Psy"
                                else {}
                            ),
                        }
                        for i in range(count)
                    ]
                )

            professionals = users("Psy", per, ["psy_patient.group_psy_psychologist"])
            users("Desk", 1, ["psy_patient.group_psy_receptionist"])
            users(
                "Acc",
                1,
                ["psy_patient.group_psy_billing", "account.group_account_invoice"],
            )
            session_type = cenv["product.product"].create(
                {
                    "name": "Terapia individual",
                    "type": "service",
                    "is_psy_session_type": True,
                    "psy_duration": 50 / 60,
                    "list_price": 60.0,
                    "company_id": company.id,
                }
            )
            pack = cenv["product.product"].create(
                {
                    "name": f"Bono {PACK_SESSIONS} sesiones",
                    "type": "service",
                    "list_price": 50.0 * PACK_SESSIONS,
                    "is_psy_voucher": True,
                    "psy_voucher_sessions": PACK_SESSIONS,
                    "psy_voucher_validity": PACK_MONTHS,
                    "psy_voucher_validity_unit": "months",
                    "company_id": company.id,
                    "psy_voucher_session_type_ids": [
                        Command.set(session_type.product_tmpl_id.ids)
                    ],
                    "psy_voucher_owner": "center",
                }
            )
            rooms = cenv["psy.room"].create(
                [
                    {"name": f"Sala {i + 1}", "company_id": company.id}
                    for i in range(per)
                ]
            )
            self.centers.append(
                {
                    "company": company,
                    "professionals": professionals,
                    "session_type": session_type,
                    "pack": pack,
                    "rooms": rooms,
                    "patients": [],
                    # The sequence of file numbers the center's first patient
                    # makes (psy.patient._next_file_number).
                    "file_sequence": env["ir.sequence"].create(
                        {
                            "name": f"Patient files ({company.name})",
                            "code": "psy.patient",
                            "company_id": company.id,
                            "prefix": "P",
                            "padding": 5,
                        }
                    ),
                }
            )
            env.cr.commit()
            log(
                f"center {c + 1}/{self.sizes['centers']}: {company.name}, "
                f"{per} psychologists"
            )
        self.cr.commit()

    def patient_vals(self, c, history):
        """What the front desk enters for the ``history["index"]``-th patient
        of center ``c``."""
        k = history["index"]
        center = self.centers[c]
        return {
            "firstname": f"Nombre{c + 1}x{k + 1}",
            "lastname": f"Apellido{k % 97} Escala{c + 1}",
            "company_id": center["company"].id,
            "professional_ids": [
                (6, 0, center["professionals"][history["professional"]].ids)
            ],
        }

    def record_vals(self, patient_id, history):
        return {
            "patient_id": patient_id,
            "open_date": history["booked"].date(),
            "reason": "Consulta inicial",
        }

    def create_patient_orm(self, history):
        """A patient and its clinical record, with the ORM (prototypes)."""
        c = history["center"]
        center = self.centers[c]
        env = self.env(
            context=dict(self.env.context, allowed_company_ids=[center["company"].id])
        )
        patient = env["psy.patient"].create(self.patient_vals(c, history))
        professional = center["professionals"][history["professional"]]
        env["psy.clinical.record"].with_user(professional).sudo().create(
            self.record_vals(patient.id, history)
        )
        return patient

    def patients_sql(self):
        """Every patient with its contact, its professional and its clinical
        record, by ``COPY`` from the prototypes' rows."""
        from odoo.addons.psy_patient.models.psy_patient import (
            psy_search_normalize as normalize,
        )

        out = defaultdict(list)
        total = 0
        for c, center in enumerate(self.centers):
            seq = center["file_sequence"]
            number = seq.number_next_actual
            for k in range(self.sizes["patients_per_center"]):
                history = self.plan.patient(c, k)
                vals = self.patient_vals(c, history)
                name = f"{vals['firstname']} {vals['lastname']}"
                partner = self.new_id("res_partner")
                patient = self.new_id("psy_patient")
                professional = center["professionals"][history["professional"]]
                out["res_partner"].append(
                    (
                        None,
                        {
                            "id": partner,
                            "name": name,
                            "complete_name": name,
                            "company_id": vals["company_id"],
                            "commercial_partner_id": partner,
                            "calendar_last_notif_ack": self.now,
                            "create_date": self.now,
                            "write_date": self.now,
                        },
                    )
                )
                out["psy_patient"].append(
                    (
                        None,
                        {
                            "id": patient,
                            "ref": f"P{number:05d}",
                            "search_key": f"{normalize(name)} p{number:05d}",
                            "name": name,
                            "firstname": vals["firstname"],
                            "lastname": vals["lastname"],
                            "company_id": vals["company_id"],
                            "partner_id": partner,
                            "national_id_country_id": center["company"].country_id.id
                            or None,
                            "create_date": self.now,
                            "write_date": self.now,
                        },
                    )
                )
                out["psy_patient_professional_rel"].append(
                    (None, {"patient_id": patient, "user_id": professional.id})
                )
                out["psy_clinical_record"].append(
                    (
                        None,
                        {
                            **self.record_vals(patient, history),
                            "id": self.new_id("psy_clinical_record"),
                            "company_id": vals["company_id"],
                            "professional_id": professional.id,
                            "create_uid": professional.id,
                            "write_uid": professional.id,
                            "create_date": self.now,
                            "write_date": self.now,
                        },
                    )
                )
                center["patients"].append(patient)
                number += 1
                total += 1
            seq.write({"number_next": number})
        self.copy(out, PATIENT_TABLES)
        self.release()
        self.cr.commit()
        log(f"patients, contacts and clinical records: {total}")

    # ------------------------------------------------------------------
    # Prototypes with the ORM, in a savepoint
    # ------------------------------------------------------------------

    def choose_prototypes(self):
        """A few patients whose histories cover every kind of row, in
        different centers and with different psychologists."""
        needed = set()
        histories = {}
        for c in range(len(self.centers)):
            for k in range(self.sizes["patients_per_center"]):
                h = self.plan.patient(c, k)
                histories[c, k] = h
                needed |= self.plan.kinds(h)
        chosen, covered = [], set()
        for key in sorted(histories, key=lambda key: (key[1] % 7, key)):
            new = self.plan.kinds(histories[key]) - covered
            if new:
                chosen.append(key)
                covered |= new
            if covered == needed:
                break
        # And one more, of the last center and another psychologist.
        last = (len(self.centers) - 1, self.sizes["patients_per_center"] - 1)
        if last not in chosen:
            chosen.append(last)
        return [histories[key] for key in chosen]

    def run_orm(self, history, patient):
        """Live ``history`` of ``patient`` through the ORM at the dates of
        the plan."""
        from freezegun import freeze_time

        center = self.centers[history["center"]]
        company = center["company"]
        professional = center["professionals"][history["professional"]]
        env = self.env(context=dict(self.env.context, allowed_company_ids=[company.id]))
        with freeze_time(history["booked"]):
            sessions = (
                env["psy.session"]
                .with_user(professional)
                .sudo()
                .create(
                    [
                        {
                            "patient_id": patient.id,
                            "professional_id": professional.id,
                            "product_id": center["session_type"].id,
                            "room_id": center["rooms"][history["professional"]].id,
                            "modality": "in_person",
                            "start": s["start"],
                            "company_id": company.id,
                        }
                        for s in history["sessions"]
                    ]
                )
            )
        vouchers = {}
        for when, kind, obj in history["events"]:
            with freeze_time(when):
                if kind == "buy":
                    voucher = env["psy.voucher"].create(
                        {
                            "patient_id": patient.id,
                            "product_id": center["pack"].id,
                            "company_id": company.id,
                            "start_date": obj["start_date"],
                        }
                    )
                    voucher._psy_activate()
                    vouchers[obj["j"]] = voucher
                elif kind == "cancel":
                    sessions[obj["i"]].with_user(professional).sudo().action_cancel()
                elif kind == "done":
                    sessions[obj["i"]].with_user(professional).sudo().action_done()
                elif kind == "expire":
                    env["psy.voucher"]._expire_due()
        self.env.flush_all()
        return sessions, vouchers

    def read_rows(self, table, where, params):
        self.cr.execute(f"SELECT * FROM {table} WHERE {where}", params)  # noqa: S608
        names = [d.name for d in self.cr.description]
        return [dict(zip(names, row, strict=True)) for row in self.cr.fetchall()]

    def snapshot(self, patient_ids):
        """Every row the histories of ``patient_ids`` wrote, per table."""
        p = (tuple(patient_ids),)
        rows = {}
        rows["psy_session"] = self.read_rows("psy_session", "patient_id IN %s", p)
        s = (tuple(r["id"] for r in rows["psy_session"]) or (0,),)
        rows["psy_session_participant"] = self.read_rows(
            "psy_session_participant", "session_id IN %s", s
        )
        rows["psy_session_patient_rel"] = self.read_rows(
            "psy_session_patient_rel", "session_id IN %s", s
        )
        rows["calendar_event"] = self.read_rows(
            "calendar_event", "psy_session_id IN %s", s
        )
        e = (tuple(r["id"] for r in rows["calendar_event"]) or (0,),)
        rows["calendar_event_res_partner_rel"] = self.read_rows(
            "calendar_event_res_partner_rel", "calendar_event_id IN %s", e
        )
        rows["calendar_attendee"] = self.read_rows(
            "calendar_attendee", "event_id IN %s", e
        )
        rows["psy_voucher"] = self.read_rows("psy_voucher", "patient_id IN %s", p)
        rows["psy_voucher_line"] = self.read_rows(
            "psy_voucher_line", "patient_id IN %s", p
        )
        rows["psy_patient"] = self.read_rows("psy_patient", "id IN %s", p)
        rows["psy_patient_professional_rel"] = self.read_rows(
            "psy_patient_professional_rel", "patient_id IN %s", p
        )
        rows["psy_clinical_record"] = self.read_rows(
            "psy_clinical_record", "patient_id IN %s", p
        )
        partners = (tuple(r["partner_id"] for r in rows["psy_patient"]),)
        rows["res_partner"] = self.read_rows("res_partner", "id IN %s", partners)
        rows["mail_message"] = self.read_rows(
            "mail_message",
            "(model = 'psy.session' AND res_id IN %s) OR "
            "(model = 'psy.voucher' AND res_id IN %s)",
            (s[0], tuple(r["id"] for r in rows["psy_voucher"]) or (0,)),
        )
        rows["mail_followers"] = self.read_rows(
            "mail_followers",
            "(res_model = 'psy.session' AND res_id IN %s) OR "
            "(res_model = 'psy.voucher' AND res_id IN %s)",
            (s[0], tuple(r["id"] for r in rows["psy_voucher"]) or (0,)),
        )
        return rows

    def prototypes(self):
        self.histories = self.choose_prototypes()
        log(
            f"prototypes: {len(self.histories)} patients live their history "
            "with the ORM"
        )
        self.cr.execute("SAVEPOINT scale_prototypes")
        before = self.max_ids()
        self.orm_patients = {}
        for history in self.histories:
            patient = self.create_patient_orm(history)
            self.orm_patients[patient.id] = (history["center"], history["index"])
            self.run_orm(history, patient)
        self.orm_rows = self.snapshot(list(self.orm_patients))
        after = self.max_ids()
        others = sorted(
            table
            for table, value in after.items()
            if value != before.get(table)
            and table not in PATIENT_TABLES + HISTORY_TABLES + ALLOWED_TABLES
        )
        if others:
            sys.exit(
                f"The ORM wrote rows in {', '.join(others)} for the prototypes: "
                "the builder does not write them. Extend it."
            )
        if os.environ.get("SCALE_DUMP"):
            with open(os.environ["SCALE_DUMP"], "wb") as dump:
                pickle.dump(self.orm_rows, dump)
        self.cr.execute("ROLLBACK TO SAVEPOINT scale_prototypes")
        self.env.invalidate_all()
        for table, rows in self.orm_rows.items():
            log(f"  {table}: {len(rows)} rows by the ORM")
        self.templates()

    def max_ids(self):
        """The largest id of every table that has one."""
        self.cr.execute(
            "SELECT table_name FROM information_schema.columns "
            "WHERE column_name = 'id' AND table_schema = 'public' "
            "AND table_name IN (SELECT tablename FROM pg_tables)"
        )
        tables = [r[0] for r in self.cr.fetchall()]
        result = {}
        for table in tables:
            self.cr.execute(f'SELECT max(id) FROM "{table}"')  # noqa: S608
            result[table] = self.cr.fetchone()[0]
        return result

    def patient_id(self, history):
        return self.centers[history["center"]]["patients"][history["index"]]

    def templates(self):
        """The first ORM row of each kind, per table."""
        rows = self.orm_rows
        self.columns = {}
        for table in PATIENT_TABLES + HISTORY_TABLES:
            self.cr.execute(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_name = %s ORDER BY ordinal_position",
                (table,),
            )
            self.columns[table] = [r[0] for r in self.cr.fetchall()]
        sessions = {r["id"]: r for r in rows["psy_session"]}
        by_kind = defaultdict(dict)

        def add(table, kind, row):
            by_kind[table].setdefault(kind, row)

        for r in rows["psy_session"]:
            add("psy_session", self.session_kind(r), r)
        for r in rows["psy_session_participant"]:
            add(
                "psy_session_participant",
                self.session_kind(sessions[r["session_id"]]),
                r,
            )
        events = {}
        for r in rows["calendar_event"]:
            events[r["id"]] = sessions[r["psy_session_id"]]
            add("calendar_event", self.session_kind(events[r["id"]]), r)
        professionals = {
            u.partner_id.id for c in self.centers for u in c["professionals"]
        }
        for r in rows["calendar_attendee"]:
            add("calendar_attendee", r["partner_id"] in professionals, r)
        for r in rows["psy_voucher"]:
            add("psy_voucher", r["state"], r)
        for r in rows["psy_voucher_line"]:
            add("psy_voucher_line", r["type"], r)
        for table in ("res_partner", "psy_patient", "psy_clinical_record"):
            for r in rows[table]:
                add(table, None, r)
        for r in rows["mail_message"]:
            add("mail_message", (r["model"], sessions[r["res_id"]]["state"]), r)
        self.by_kind = by_kind

    @staticmethod
    def session_kind(row):
        return (row["state"], bool(row.get("voucher_line_id")))

    # ------------------------------------------------------------------
    # COPY
    # ------------------------------------------------------------------

    def reserve(self):
        self.next_id = {}
        for table in ID_TABLES:
            self.cr.execute("SELECT nextval(%s)", (f"{table}_id_seq",))
            self.next_id[table] = self.cr.fetchone()[0]

    def new_id(self, table):
        value = self.next_id[table]
        self.next_id[table] += 1
        return value

    def release(self):
        for table in ID_TABLES:
            self.cr.execute(
                "SELECT setval(%s, %s)", (f"{table}_id_seq", self.next_id[table])
            )

    def history_rows(self, history, out, names):
        """Write the rows of ``history`` into ``out`` (table -> list of rows
        as dicts of the varying columns plus the template)."""
        center = self.centers[history["center"]]
        company = center["company"].id
        patient_id = self.patient_id(history)
        patient_partner, patient_name = names["patients"][patient_id]
        professional = center["professionals"][history["professional"]]
        prof_partner, prof_name, prof_email = names["professionals"][professional.id]
        room = center["rooms"][history["professional"]]
        product = center["session_type"]
        pack_product = center["pack"]
        # The session's title (psy.session._psy_title) and the name of its
        # calendar entry (_psy_calendar_name): who, then the type.
        title = f"{patient_name} · {names['products'][product.id]}"
        now = names["now"]
        vouchers = []
        for p in history["packs"]:
            vid = self.new_id("psy_voucher")
            self.voucher_number += 1
            vouchers.append(vid)
            out["psy_voucher"].append(
                (
                    p["state"],
                    {
                        "id": vid,
                        "name": f"B-{self.voucher_number:05d}",
                        "patient_id": patient_id,
                        "payer_id": patient_partner,
                        "product_id": pack_product.id,
                        "company_id": company,
                        "remaining": p["remaining"],
                        "start_date": p["start_date"],
                        "expiry_date": p["expiry_date"],
                        "state": p["state"],
                        "create_date": now,
                        "write_date": now,
                    },
                )
            )
        session_ids = [self.new_id("psy_session") for _ in history["sessions"]]
        line_ids = {}
        for p, vid in zip(history["packs"], vouchers, strict=True):
            for n, line in enumerate(p["lines"]):
                lid = self.new_id("psy_voucher_line")
                line_ids[p["j"], n] = lid
                out["psy_voucher_line"].append(
                    (
                        line["type"],
                        {
                            "id": lid,
                            "voucher_id": vid,
                            "company_id": company,
                            "patient_id": patient_id,
                            "product_id": pack_product.id,
                            "date": line["date"],
                            "user_id": professional.id
                            if line["type"] == "consume"
                            else names["superuser"],
                            "create_uid": professional.id
                            if line["type"] == "consume"
                            else names["superuser"],
                            "session_id": session_ids[line["session"]]
                            if line["session"] is not None
                            else None,
                            "quantity": line["quantity"],
                            "balance": line["balance"],
                            "create_date": now,
                            "write_date": now,
                        },
                    )
                )
        for s, sid in zip(history["sessions"], session_ids, strict=True):
            on_pack = s.get("pay") == "pack"
            kind = (s["state"], on_pack)
            eid = self.new_id("calendar_event")
            line_id = line_ids[s["pack"], s["line"]] if on_pack else None
            voucher_id = vouchers[s["pack"]] if on_pack else None
            # Booked, completed and cancelled by the professional.
            common = {
                "create_date": now,
                "write_date": now,
                "create_uid": professional.id,
            }
            out["psy_session"].append(
                (
                    kind,
                    {
                        **common,
                        "id": sid,
                        "name": title,
                        "patient_id": patient_id,
                        "professional_id": professional.id,
                        "product_id": product.id,
                        "room_id": room.id,
                        "start": s["start"],
                        "stop": s["stop"],
                        "company_id": company,
                        "state": s["state"],
                        "done_date": s.get("done_date"),
                        "cancel_date": s.get("cancel_date"),
                        "calendar_event_id": eid,
                        "voucher_line_id": line_id,
                        "voucher_id": voucher_id,
                        "payer_id": patient_partner,
                        **({"psy_pay_separately": s["pay_flag"]} if on_pack else {}),
                    },
                )
            )
            out["psy_session_participant"].append(
                (
                    kind,
                    {
                        **common,
                        "id": self.new_id("psy_session_participant"),
                        "session_id": sid,
                        "patient_id": patient_id,
                        "company_id": company,
                        "start": s["start"],
                        "stop": s["stop"],
                        "session_state": s["state"],
                        "cancel_date": s.get("cancel_date"),
                        "payer_id": patient_partner,
                    },
                )
            )
            if s["state"] == "cancelled":
                out["mail_message"].append(
                    (
                        ("psy.session", "cancelled"),
                        {
                            **common,
                            "id": self.new_id("mail_message"),
                            "res_id": sid,
                            "author_id": prof_partner,
                            "email_from": f'"{prof_name}" <{prof_email}>',
                            "reply_to": f'"{prof_name}" <{prof_email}>',
                            "date": s["cancel_date"],
                            "record_name": title,
                            "record_company_id": company,
                            "message_id": f"<{self.random.getrandbits(64)}."
                            f"{s['cancel_date'].timestamp():.6f}-openerp-"
                            f"psy.session-{sid}@scale>",
                        },
                    )
                )
            out["psy_session_patient_rel"].append(
                (None, {"session_id": sid, "patient_id": patient_id})
            )
            out["calendar_event"].append(
                (
                    kind,
                    {
                        **common,
                        "id": eid,
                        "name": patient_name,
                        "start": s["start"],
                        "stop": s["stop"],
                        "user_id": professional.id,
                        "partner_id": prof_partner,
                        "location": names["rooms"][room.id],
                        "psy_session_id": sid,
                        "write_uid": professional.id
                        if s["state"] == "cancelled"
                        else 1,
                    },
                )
            )
            attendees = [(True, prof_partner, prof_name, prof_email)]
            if s["state"] != "cancelled":
                attendees.append(
                    (False, patient_partner, patient_name, names["emails"][patient_id])
                )
            for is_prof, partner, name, email in attendees:
                out["calendar_event_res_partner_rel"].append(
                    (None, {"calendar_event_id": eid, "res_partner_id": partner})
                )
                out["calendar_attendee"].append(
                    (
                        is_prof,
                        {
                            **common,
                            "id": self.new_id("calendar_attendee"),
                            "event_id": eid,
                            "partner_id": partner,
                            "common_name": name,
                            "email": email,
                            "access_token": f"{self.random.getrandbits(128):032x}",
                        },
                    )
                )

    def names(self):
        """The names the rows repeat (patients, professionals, rooms)."""
        cr = self.cr
        ids = tuple(p for c in self.centers for p in c["patients"])
        cr.execute(
            "SELECT p.id, p.partner_id, p.name, rp.email FROM psy_patient p "
            "JOIN res_partner rp ON rp.id = p.partner_id WHERE p.id IN %s",
            (ids,),
        )
        patients, emails = {}, {}
        for pid, partner, name, email in cr.fetchall():
            patients[pid] = (partner, name)
            emails[pid] = email
        professionals = {
            u.id: (u.partner_id.id, u.partner_id.name, u.partner_id.email)
            for c in self.centers
            for u in c["professionals"]
        }
        return {
            "patients": patients,
            "emails": emails,
            "professionals": professionals,
            "products": {
                c["session_type"].id: c["session_type"].name for c in self.centers
            },
            "rooms": {r.id: r.name for c in self.centers for r in c["rooms"]},
            "superuser": self.env.uid,
            "now": self.now,
        }

    def copy(self, out, tables=HISTORY_TABLES):
        """``COPY`` the rows of ``out`` (table -> [(kind, values)]): each row
        is the prototype row of its kind with ``values`` set."""
        for table in tables:
            rows = out[table]
            if not rows:
                continue
            columns = self.columns[table]
            templates = self.by_kind.get(table, {})
            buffer = io.StringIO()
            cache = {}
            for kind, values in rows:
                key = (kind, tuple(values))
                if key not in cache:
                    if table.endswith("_rel"):
                        template = dict.fromkeys(columns)
                    elif kind in templates:
                        template = templates[kind]
                    else:
                        sys.exit(f"no prototype row of kind {kind} for {table}")
                    cache[key] = (
                        [copy_value(template[c]) for c in columns],
                        [
                            columns.index(name) if name in columns else None
                            for name in values
                        ],
                    )
                line, positions = cache[key]
                line = line[:]
                for position, value in zip(positions, values.values(), strict=True):
                    if position is not None:
                        line[position] = copy_value(value)
                buffer.write("\t".join(line))
                buffer.write("\n")
            buffer.seek(0)
            self.cr.copy_expert(
                f"COPY {table} ({', '.join(columns)}) FROM STDIN",  # noqa: S608
                buffer,
            )
            out[table] = []

    def drop_indexes(self):
        """Plain indexes of the history tables, dropped during the COPY and
        made again after (same definitions): much faster than maintaining
        them row by row."""
        self.cr.execute(
            """
            SELECT i.indexname, i.indexdef FROM pg_indexes i
             WHERE i.tablename = ANY(%s)
               AND NOT EXISTS (SELECT 1 FROM pg_constraint c
                                WHERE c.conname = i.indexname)
               AND i.indexdef NOT LIKE 'CREATE UNIQUE%%'
            """,
            (HISTORY_TABLES,),
        )
        self.indexes = self.cr.fetchall()
        for name, _definition in self.indexes:
            self.cr.execute(f'DROP INDEX "{name}"')
        # The foreign keys too (sessions and their calendar entries point at
        # each other): added back, so checked on every row, after the load.
        self.cr.execute(
            """
            SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)
              FROM pg_constraint c
             WHERE c.contype = 'f' AND c.conrelid::regclass::text = ANY(%s)
            """,
            (HISTORY_TABLES,),
        )
        self.foreign_keys = self.cr.fetchall()
        for table, name, _definition in self.foreign_keys:
            self.cr.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
        self.cr.commit()
        log(
            f"dropped {len(self.indexes)} indexes and {len(self.foreign_keys)} foreign "
            "keys of the history tables for the load"
        )

    def create_indexes(self):
        started = time.perf_counter()
        for table, name, definition in self.foreign_keys:
            self.cr.execute(
                f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}'
            )
        self.cr.commit()
        log(
            f"  {len(self.foreign_keys)} foreign keys checked in "
            f"{time.perf_counter() - started:.0f} s"
        )
        for name, definition in self.indexes:
            started = time.perf_counter()
            self.cr.execute(definition)
            self.cr.commit()
            log(f"  index {name} in {time.perf_counter() - started:.0f} s")

    def histories_all(self):
        names = self.names()
        seq = self.env["ir.sequence"].search([("code", "=", "psy.voucher")], limit=1)
        self.voucher_number = seq.number_next_actual - 1
        self.reserve()
        self.drop_indexes()
        out = defaultdict(list)
        total = self.sizes["patients_per_center"] * len(self.centers)
        count = sessions = 0
        started = time.perf_counter()
        for c in range(len(self.centers)):
            for k in range(self.sizes["patients_per_center"]):
                self.history_rows(self.plan.patient(c, k), out, names)
                count += 1
                sessions += SESSIONS_PER_PATIENT
                if count % BATCH == 0 or count == total:
                    self.copy(out)
                    self.release()
                    self.cr.commit()
                    rate = sessions / (time.perf_counter() - started)
                    log(
                        f"histories: {count}/{total} patients, {sessions} sessions "
                        f"({rate:.0f}/s)"
                    )
        seq.write({"number_next": self.voucher_number + 1})
        self.cr.commit()
        self.create_indexes()
        self.cr.execute("ANALYZE")
        self.cr.commit()

    # ------------------------------------------------------------------
    # The check: the COPY rows of the prototypes equal the ORM's
    # ------------------------------------------------------------------

    @staticmethod
    def translate(rows, patients):
        """``rows`` with the ids of the patients (``patients``: id -> key)
        and of their contacts replaced by keys."""
        partners = {
            r["partner_id"]: ("contact", patients[r["id"]]) for r in rows["psy_patient"]
        }
        patient_columns = {"patient_id"}
        partner_columns = {
            "partner_id",
            "payer_id",
            "res_partner_id",
            "author_id",
            "commercial_partner_id",
        }
        result = {}
        for table, table_rows in rows.items():
            new_rows = []
            for r in table_rows:
                r = dict(r)
                for name in patient_columns & r.keys():
                    r[name] = patients.get(r[name], r[name])
                for name in partner_columns & r.keys():
                    r[name] = partners.get(r[name], r[name])
                if table == "psy_patient":
                    r["key"] = patients[r["id"]]
                elif table == "res_partner":
                    r["key"] = partners[r["id"]]
                new_rows.append(r)
            result[table] = new_rows
        return result

    @staticmethod
    def comparable(table, name, value):
        """``value`` as compared: random tokens by their presence, sequence
        numbers (a savepoint does not give them back) by their prefix."""
        if (table, name) in (
            ("calendar_attendee", "access_token"),
            ("mail_message", "message_id"),
        ):
            return bool(value)
        if (table, name) == ("psy_voucher", "name"):
            return value[:2]
        if (table, name) == ("psy_patient", "ref"):
            return value[:1]
        if (table, name) == ("psy_patient", "search_key") and value:
            return value.rsplit(" ", 1)[0]  # ends with the file number
        return value

    def keyed(self, rows):
        """``rows`` per table, keyed by what they are (not their ids), with
        the ids of history rows replaced by those keys."""
        sessions = {r["id"]: (r["patient_id"], r["start"]) for r in rows["psy_session"]}
        events = {
            r["id"]: ("event", sessions[r["psy_session_id"]])
            for r in rows["calendar_event"]
        }
        vouchers = {}
        for r in sorted(rows["psy_voucher"], key=lambda r: r["id"]):
            vouchers[r["id"]] = (r["patient_id"], r["start_date"])
        lines = {
            r["id"]: (
                "line",
                vouchers[r["voucher_id"]],
                r["type"],
                sessions.get(r["session_id"]),
            )
            for r in rows["psy_voucher_line"]
        }
        participants = {
            r["id"]: ("participant", sessions[r["session_id"]])
            for r in rows["psy_session_participant"]
        }
        ref = {
            "session_id": sessions,
            "psy_session_id": sessions,
            "calendar_event_id": events,
            "event_id": events,
            "voucher_id": vouchers,
            "voucher_line_id": lines,
            "reversed_line_id": lines,
            "counterpart_voucher_id": vouchers,
            "origin_voucher_id": vouchers,
        }
        own = {
            "psy_session": sessions,
            "calendar_event": events,
            "psy_voucher": vouchers,
            "psy_voucher_line": lines,
            "psy_session_participant": participants,
        }
        messages = {
            r["id"]: ("message", r["model"], sessions.get(r["res_id"]), r["body"])
            for r in rows["mail_message"]
        }
        own["mail_message"] = messages
        result = {}
        for table, table_rows in rows.items():
            keyed = {}
            for r in table_rows:
                values = {}
                for name, value in r.items():
                    if name in IGNORED:
                        continue
                    if name in ref and value is not None:
                        value = ref[name].get(value, ("?", value))
                    if name == "res_id" and table == "mail_message":
                        value = sessions.get(value, value)
                    values[name] = self.comparable(table, name, value)
                if table in own:
                    key = own[table][r["id"]]
                elif "key" in r:
                    key = values.pop("key")
                elif table == "psy_clinical_record":
                    key = ("record", values["patient_id"])
                elif table == "calendar_attendee":
                    key = (values["event_id"], r["partner_id"])
                else:
                    key = r.get("id") or tuple(sorted(values.items(), key=str))
                keyed[key] = values
            result[table] = keyed
        return result

    def verify(self):
        built = {self.patient_id(h): (h["center"], h["index"]) for h in self.histories}
        orm = self.keyed(self.translate(self.orm_rows, self.orm_patients))
        built = self.keyed(self.translate(self.snapshot(list(built)), built))
        differences = []
        for table in orm:
            missing = orm[table].keys() - built[table].keys()
            extra = built[table].keys() - orm[table].keys()
            if missing or extra:
                differences.append(
                    f"{table}: {len(missing)} rows of the ORM missing, "
                    f"{len(extra)} extra"
                    + (f" (e.g. {sorted(missing, key=str)[:1]})" if missing else "")
                    + (f" (e.g. {sorted(extra, key=str)[:1]})" if extra else "")
                )
            for key in orm[table].keys() & built[table].keys():
                a, b = orm[table][key], built[table][key]
                for name in a:
                    if a[name] != b.get(name):
                        differences.append(
                            f"{table}.{name} of {key}: ORM {a[name]!r}, "
                            f"built {b.get(name)!r}"
                        )
        compared = sum(len(r) for r in orm.values())
        if differences:
            print("\n".join(differences[:60]))
            columns = defaultdict(int)
            for difference in differences:
                columns[difference.split(" ")[0]] += 1
            print("differences per column:", dict(columns))
            sys.exit(
                f"{len(differences)} differences with the ORM over {compared} rows"
            )
        log(
            f"verified: the {compared} rows of the prototypes equal the ORM's, "
            "column by column"
        )


def install(args):
    result = subprocess.run(
        ["psql", "-lqt"], capture_output=True, text=True, check=False
    ).stdout
    if any(line.split("|")[0].strip() == args.database for line in result.splitlines()):
        return
    log(f"installing psy_center in {args.database}")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "odoo",
            "-c",
            args.config,
            "-d",
            args.database,
            "-i",
            "psy_center",
            "--without-demo=all",
            "--stop-after-init",
            "--log-level=warn",
            "--max-cron-threads=0",
            "--no-http",
        ],
        check=True,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", required=True, help="Odoo config file")
    parser.add_argument("-d", "--database", required=True, help="database")
    parser.add_argument("--fraction", type=float, default=1.0, help="0.1: a tenth")
    parser.add_argument(
        "--charts",
        type=int,
        help="centers given a chart of accounts (default: all; the screens "
        "measure the first center)",
    )
    args = parser.parse_args()
    log(f"scale dataset {sizes(args.fraction)} into {args.database}")
    install(args)

    import odoo
    from odoo import SUPERUSER_ID, api
    from odoo.tools import config

    config.parse_config(
        ["-c", args.config, "-d", args.database, "--log-level=warn"]
        + ["--log-handler=py.warnings:ERROR"]
    )
    odoo.service.server.load_server_wide_modules()
    registry = odoo.modules.registry.Registry(args.database)
    with registry.cursor() as cr:
        env = api.Environment(
            cr,
            SUPERUSER_ID,
            {
                "tracking_disable": True,
                "mail_create_nolog": True,
                "mail_create_nosubscribe": True,
                "mail_notrack": True,
                "no_reset_password": True,
            },
        )
        cr.execute("SELECT count(*) FROM psy_session")
        if cr.fetchone()[0]:
            sys.exit(
                f"{args.database} already holds sessions: build into a new database"
            )
        builder = Builder(env, args.fraction, charts=args.charts)
        builder.setup()
        builder.prototypes()
        builder.reserve()
        builder.patients_sql()
        builder.histories_all()
        builder.verify()
        for name in sorted(PATIENT_TABLES + HISTORY_TABLES):
            cr.execute(f'SELECT count(*) FROM "{name}"')  # noqa: S608
            log(f"  {name}: {cr.fetchone()[0]} rows")
        cr.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        log(f"done: database size {cr.fetchone()[0]}")


if __name__ == "__main__":
    main()
