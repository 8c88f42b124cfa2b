#!/usr/bin/env python3
# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Server time of the screens people open all day, on a scale dataset
(``build.py``): each screen is called the way the web client calls it, as
the user of the right role (never the superuser), in a new cursor each run
(a cold ORM cache, as each request has), and rolled back. Prints the median
and the queries of each screen; with ``--large``, a second database is
measured in turn, run by run (both share the load of the machine), and the
scale table (screen x small x large x ratio) is printed, exit status 1 when
a screen takes more than twice its time on the small database::

    python3 benchmarks/scale/screens.py -c .local/odoo.conf -d scale_tenth \
        --large scale_full --json scale.json

``--compare small.json large.json`` prints the table of saved runs.
"""

import argparse
import json
import statistics
import time
from datetime import datetime, timedelta

from dateutil.relativedelta import relativedelta
from lxml import etree

SCREENS = [
    ("agenda", "One psychologist's agenda week (calendar search_read)"),
    ("patient_form", "Patient form with its smart buttons (web_read)"),
    ("packs_expiring", 'Packs list, "expiring within 30 days" (web_search_read)'),
    ("liability", "Prepaid liability at a date, one center (wizard + list)"),
    ("to_close", 'The "to close" list of one center (web_search_read)'),
    ("monthly_batch", "Monthly invoicing batch of one center (wizard)"),
]


def field_spec(model, node, fields):
    """The specification the web client sends for the fields of ``node``
    (a list or form arch) of ``model``: many2one with their display name,
    x2many with the fields of their inline list."""
    spec = {}
    for child in node.iter("field"):
        # Only the fields of this level: not those of an inline sub-view.
        parent = child.getparent()
        while parent is not None and parent is not node:
            if parent.tag in ("list", "form", "kanban"):
                break
            parent = parent.getparent()
        if parent is not node:
            continue
        name = child.get("name")
        field = fields.get(name)
        if field is None:
            continue
        if field.type == "many2one":
            spec[name] = {"fields": {"display_name": {}}}
        elif field.type in ("one2many", "many2many"):
            comodel = model.env[field.comodel_name]
            sub = child.find("list")
            sub_spec = (
                field_spec(comodel, sub, comodel._fields)
                if sub is not None
                else {"display_name": {}}
            )
            spec[name] = {"fields": sub_spec, "limit": 40}
        else:
            spec[name] = {}
    return spec


def view_spec(model, view_type):
    view = model.get_views([(False, view_type)])["views"][view_type]
    arch = etree.fromstring(view["arch"])
    return field_spec(model, arch, model._fields)


class Screens:
    """The screens, each a function of an environment of the right user."""

    def __init__(self, env):
        self.env = env
        su = env
        company = su["res.company"].search(
            [("name", "=like", "Centro %")], order="id", limit=1
        )
        self.company = company
        self.professional = su["res.users"].search(
            [("login", "=like", "scale_psy_1_%")], order="id", limit=1
        )
        self.desk = su["res.users"].search([("login", "=", "scale_desk_1_1")])
        self.accountant = su["res.users"].search([("login", "=", "scale_acc_1_1")])
        # A patient of that psychologist whose weeks of therapy include today.
        now = datetime.now()
        session = su["psy.session"].search(
            [
                ("professional_id", "=", self.professional.id),
                ("start", ">=", now - timedelta(days=7)),
            ],
            order="start",
            limit=1,
        )
        self.patient = session.patient_id
        self.now = now

    def user_env(self, env, user):
        return env(
            user=user.id,
            su=False,
            context={
                "lang": "en_US",
                "tz": "Europe/Madrid",
                "uid": user.id,
                "allowed_company_ids": [self.company.id],
            },
        )

    def agenda(self, env):
        env = self.user_env(env, self.professional)
        Session = env["psy.session"]
        monday = (self.now - timedelta(days=self.now.weekday())).replace(
            hour=0, minute=0, second=0, microsecond=0
        )
        domain = [
            ("start", "<=", monday + timedelta(days=7)),
            ("stop", ">=", monday),
            ("professional_id", "in", [self.professional.id]),
        ]
        fields = [
            "participants_label",
            "product_id",
            "professional_id",
            "room_id",
            "modality",
            "state",
            "start",
            "stop",
            "color",
            "display_name",
        ]
        return len(Session.search_read(domain, fields))

    def patient_form(self, env):
        env = self.user_env(env, self.professional)
        Patient = env["psy.patient"]
        spec = self._spec(Patient, "form")
        return len(Patient.browse(self.patient.id).web_read(spec))

    def packs_expiring(self, env):
        env = self.user_env(env, self.desk)
        Voucher = env["psy.voucher"]
        today = env["psy.patient"]._psy_today()
        domain = [
            ("state", "=", "active"),
            (
                "expiry_date",
                "<=",
                (today + relativedelta(days=30)).strftime("%Y-%m-%d"),
            ),
        ]
        spec = self._spec(Voucher, "list")
        result = Voucher.web_search_read(domain, spec, limit=80, count_limit=10001)
        return result["length"]

    def liability(self, env):
        env = self.user_env(env, self.accountant)
        wizard = env["psy.voucher.liability.wizard"].create(
            {"date": env["psy.patient"]._psy_today(), "company_id": self.company.id}
        )
        action = wizard.action_open()
        Line = env["psy.voucher.liability.line"]
        spec = self._spec(Line, "list")
        result = Line.web_search_read(
            action["domain"], spec, limit=80, count_limit=10001
        )
        return result["length"]

    def to_close(self, env):
        env = self.user_env(env, self.desk)
        Session = env["psy.session"]
        if hasattr(Session, "action_open_to_close"):
            domain = Session.action_open_to_close()["domain"]
        else:
            # The close-out list is not there yet: its equivalent, the
            # sessions that started and are still scheduled.
            domain = [
                ("state", "=", "scheduled"),
                ("start", "<=", self.now.strftime("%Y-%m-%d %H:%M:%S")),
            ]
        spec = self._spec(Session, "list")
        result = Session.web_search_read(domain, spec, limit=80, count_limit=10001)
        return result["length"]

    def monthly_batch(self, env):
        env = self.user_env(env, self.accountant)
        first = env["psy.patient"]._psy_today().replace(day=1) - relativedelta(months=1)
        wizard = env["psy.session.invoice.wizard"].create(
            {
                "grouping": "monthly",
                "date_from": first,
                "date_to": first + relativedelta(months=1, days=-1),
            }
        )
        action = wizard.action_create_invoices()
        domain = action.get("domain") or [("id", "=", action.get("res_id"))]
        return env["account.move"].sudo().search_count(domain)

    _specs = {}

    def _spec(self, model, view_type):
        key = (model._name, view_type)
        if key not in self._specs:
            self._specs[key] = view_spec(model, view_type)
        return self._specs[key]


def prepare(registry):
    """The screens of ``registry`` and the ids of their users and patient
    (each run opens its own cursor)."""
    from odoo import SUPERUSER_ID, api

    with registry.cursor() as cr:
        screens = Screens(api.Environment(cr, SUPERUSER_ID, {}))
        ids = {
            "company": ("res.company", screens.company.id),
            "professional": ("res.users", screens.professional.id),
            "desk": ("res.users", screens.desk.id),
            "accountant": ("res.users", screens.accountant.id),
            "patient": ("psy.patient", screens.patient.id),
        }
    screens.env = None
    return screens, ids


def run_once(registry, screens, ids, name):
    """One run of screen ``name`` in a new cursor, rolled back: (ms,
    queries, rows)."""
    from odoo import SUPERUSER_ID, api

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        for attr, (model, rid) in ids.items():
            setattr(screens, attr, env[model].browse(rid))
        before = cr.sql_log_count
        started = time.perf_counter()
        size = getattr(screens, name)(env)
        elapsed = time.perf_counter() - started
        count = cr.sql_log_count - before
        cr.rollback()
    return elapsed * 1000, count, size


def measure(registries, runs):
    """Median time and queries of each screen on each registry; the
    registries are measured in turn, run by run, so that they share the
    load of the machine."""
    prepared = [prepare(registry) for registry in registries]
    results = [{} for _ in registries]
    for name, label in SCREENS:
        samples = [([], [], None) for _ in registries]
        for run in range(runs + 1):
            for index, registry in enumerate(registries):
                ms, count, size = run_once(registry, *prepared[index], name)
                if run:  # the first run warms the registry caches
                    samples[index][0].append(ms)
                    samples[index][1].append(count)
                samples[index] = (samples[index][0], samples[index][1], size)
        line = f"{label:60s}"
        for index, (times, queries, size) in enumerate(samples):
            results[index][name] = {
                "label": label,
                "ms": statistics.median(times),
                "queries": statistics.median(queries),
                "rows": size,
            }
            line += f" {results[index][name]['ms']:9.1f} ms {queries[0]:4d} q ({size})"
        print(line, flush=True)
    return results


def compare(small_path, large_path):
    with open(small_path) as f:
        small = json.load(f)
    with open(large_path) as f:
        large = json.load(f)
    return table(
        small[0] if isinstance(small, list) else small,
        large[-1] if isinstance(large, list) else large,
    )


def table(small, large):
    """Print the scale table; return the worst ratio."""
    print("| Screen | small (ms, q) | large (ms, q) | ratio |\n|---|---|---|---|")
    worst = 0
    for name, label in SCREENS:
        s, big = small["screens"][name], large["screens"][name]
        ratio = big["ms"] / s["ms"] if s["ms"] else float("inf")
        worst = max(worst, ratio)
        print(
            f"| {label} | {s['ms']:.1f} ms, {s['queries']:.0f} q | "
            f"{big['ms']:.1f} ms, {big['queries']:.0f} q | {ratio:.2f}x |"
        )
    return worst


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", help="Odoo config file")
    parser.add_argument("-d", "--database", help="database")
    parser.add_argument(
        "--large", help="a larger database, measured in turn with --database"
    )
    parser.add_argument("--runs", type=int, default=7, help="runs per screen")
    parser.add_argument("--json", help="write the figures to this file")
    parser.add_argument("--compare", nargs=2, metavar=("SMALL", "LARGE"))
    args = parser.parse_args()
    if args.compare:
        worst = compare(*args.compare)
        raise SystemExit(0 if worst <= 2 else 1)

    import odoo
    from odoo.tools import config

    config.parse_config(
        ["-c", args.config, "-d", args.database, "--log-level=warn"]
        + ["--log-handler=py.warnings:ERROR"]
    )
    odoo.service.server.load_server_wide_modules()
    databases = [args.database] + ([args.large] if args.large else [])
    registries = [odoo.modules.registry.Registry(db) for db in databases]
    figures = []
    for db, registry in zip(databases, registries, strict=True):
        with registry.cursor() as cr:
            cr.execute("SELECT count(*) FROM psy_session")
            figures.append({"database": db, "sessions": cr.fetchone()[0]})
        print(f"{db}: {figures[-1]['sessions']} sessions")
    print(f"median of {args.runs} runs per screen")
    for entry, result in zip(figures, measure(registries, args.runs), strict=True):
        entry["screens"] = result
    if args.json:
        with open(args.json, "w") as f:
            json.dump(figures, f, indent=1)
    if args.large:
        worst = table(*figures)
        raise SystemExit(0 if worst <= 2 else 1)


if __name__ == "__main__":
    main()
