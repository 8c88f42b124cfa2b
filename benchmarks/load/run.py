#!/usr/bin/env python3
"""Load suite: the product under concurrent clients through a real
multi-worker Odoo server.

Builds (once) a scratch database with the suite installed and a load center
(psychologists, front desk, an accountant, patients who each bought a pack
with deferred revenue, sessions to complete), starts Odoo with workers on
loopback, drives it with concurrent JSON-RPC clients, each logged in as its
own user with its own session, stops the server and prints the throughput,
the p50/p95/p99 latency per operation and the invariants checked in SQL:

* completions: C clients complete the past sessions of the same patients at
  once, each session by one client -> 0 lost, 0 consumed twice, 0 negative
  balances, every ledger line traceable, deferred revenue equal to the
  prepaid liability;
* booking storm: 16 front-desk clients (JSON-RPC) and 8 patients on the
  portal (the online booking form, HTTP) book overlapping slots of the same
  professionals -> 0 double bookings, every refusal a clear message;
* mixed day: front desk booking, cancelling and selling packs,
  psychologists completing and signing their notes, the accountant running
  the monthly batch, patients reading their sessions and packs on the
  portal and booking -> 0 server errors (HTTP 500, unexpected exceptions,
  ERROR lines in the server log).

Usage::

    python3 benchmarks/load/run.py -c .local/odoo.conf            # full run
    python3 benchmarks/load/run.py -c .local/odoo.conf --smoke    # seconds

The database (default ``<db_name of the config>_load``) is dropped and made
anew at each run. Exit status 1 when an invariant fails.
"""

import argparse
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

import psycopg2
import requests

PASSWORD = "load-suite"  # noqa: S105 - scratch users of a scratch database


class RpcError(Exception):
    """A business refusal or an error the server sent as JSON-RPC error."""

    def __init__(self, name, message):
        super().__init__(message)
        self.name = name
        self.message = message


class ServerError(Exception):
    """HTTP 5xx: a server error, never acceptable."""


class Client:
    """One browser-like client: its own HTTP session, logged in as one user."""

    def __init__(self, url, db, login):
        self.url = url
        self.http = requests.Session()
        self.login = login
        self._id = 0
        result = self._post(
            "/web/session/authenticate",
            {"db": db, "login": login, "password": PASSWORD},
        )
        self.uid = result["uid"]

    def _post(self, path, params):
        self._id += 1
        response = self.http.post(
            self.url + path,
            json={"jsonrpc": "2.0", "method": "call", "params": params, "id": self._id},
            timeout=300,
        )
        if response.status_code >= 500:
            raise ServerError(f"HTTP {response.status_code} on {path}")
        data = response.json()
        if "error" in data:
            error = data["error"].get("data") or {}
            raise RpcError(error.get("name", "?"), error.get("message", str(data)))
        return data["result"]

    def call(self, model, method, *args, **kwargs):
        return self._post(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )


CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
# The free times of the booking page: <professional id>-<YYYYmmddHHMM>.
SLOT_RE = re.compile(r'name="slot"[^>]* value="\d+-(\d{12})"')
# The online booking's refusal of a slot taken meanwhile (HTTP 409).
SLOT_TAKEN = "This slot was just taken"


class PortalClient(Client):
    """A patient in a browser: logged in to the portal, reading its pages
    and booking on the online booking form (HTTP, not JSON-RPC)."""

    def page(self, path, **params):
        response = self.http.get(self.url + path, params=params, timeout=300)
        if response.status_code >= 500:
            raise ServerError(f"HTTP {response.status_code} on {path}")
        if response.status_code != 200:
            raise RpcError(str(response.status_code), f"HTTP {response.status_code}")
        return response.text

    def booking_page(self, center, service, professional):
        """Open the booking page of ``professional``: the form's choices, its
        CSRF token and the free times it offers (UTC)."""
        choice = {
            "center": str(center),
            "service": str(service),
            "modality": "online",
            "professional": str(professional),
            "tz": "UTC",
            "week": "0",
        }
        page = self.page("/my/booking", **choice)
        token = CSRF_RE.search(page)
        if not token:
            raise RpcError("page", "no booking form on /my/booking")
        offered = [datetime.strptime(v, "%Y%m%d%H%M") for v in SLOT_RE.findall(page)]
        return choice, token[1], offered

    def submit(self, choice, token, start):
        """Send the booking form for ``start``: True once booked; a slot
        taken meanwhile is the 409 page that says so."""
        response = self.http.post(
            self.url + "/booking/submit",
            data={
                **choice,
                "slot": f"{choice['professional']}-{start:%Y%m%d%H%M}",
                "privacy": "1",
                "csrf_token": token,
            },
            allow_redirects=False,
            timeout=300,
        )
        if response.status_code >= 500:
            raise ServerError(f"HTTP {response.status_code} on /booking/submit")
        if response.status_code in (302, 303) and "/booking/done/" in (
            response.headers.get("Location") or ""
        ):
            return True
        if response.status_code == 409 and SLOT_TAKEN in response.text:
            raise RpcError("409", SLOT_TAKEN)
        raise RpcError(str(response.status_code), response.text[-300:])

    def book(self, center, service, professional, start):
        choice, token, _offered = self.booking_page(center, service, professional)
        return self.submit(choice, token, start)


class Stats:
    """Latencies and outcomes per operation, shared by the client threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.latencies = defaultdict(list)
        self.outcomes = defaultdict(lambda: defaultdict(int))
        self.unexpected = []

    def record(self, operation, seconds, outcome):
        with self.lock:
            self.latencies[operation].append(seconds)
            self.outcomes[operation][outcome] += 1

    def timed(self, operation, func, expected=()):
        """Run ``func``; a JSON-RPC error whose message contains one of
        ``expected`` is a refusal the user reads, anything else unexpected."""
        start = time.perf_counter()
        try:
            result = func()
        except RpcError as error:
            elapsed = time.perf_counter() - start
            if any(text in error.message for text in expected):
                self.record(operation, elapsed, "refused")
                return error
            self.record(operation, elapsed, "error")
            with self.lock:
                self.unexpected.append(f"{operation}: {error.name}: {error.message}")
            return error
        except (ServerError, requests.RequestException) as error:
            self.record(operation, time.perf_counter() - start, "error")
            with self.lock:
                self.unexpected.append(f"{operation}: {error}")
            return error
        self.record(operation, time.perf_counter() - start, "ok")
        return result

    def report(self, title, wall):
        total = sum(len(v) for v in self.latencies.values())
        print(
            f"\n== {title}: {total} operations in {wall:.1f} s "
            f"({total / wall:.1f} op/s)"
        )
        print(
            f"   {'operation':<22}{'count':>7}{'ok':>7}{'refused':>8}{'error':>7}"
            f"{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
        )
        for operation, values in sorted(self.latencies.items()):
            values = sorted(values)
            outcomes = self.outcomes[operation]

            def pct(p, values=values):
                return 1000 * values[min(len(values) - 1, int(p * len(values)))]

            print(
                f"   {operation:<22}{len(values):>7}{outcomes['ok']:>7}"
                f"{outcomes['refused']:>8}{outcomes['error']:>7}"
                f"{1000 * statistics.median(values):>9.1f}{pct(0.95):>9.1f}"
                f"{pct(0.99):>9.1f}"
            )
        for line in self.unexpected[:10]:
            print(f"   UNEXPECTED {line[:300]}")


def run_threads(targets):
    threads = [threading.Thread(target=target) for target in targets]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - start


# ----------------------------------------------------------------------
# The database and its load center
# ----------------------------------------------------------------------

HERE = os.path.dirname(os.path.abspath(__file__))
# Scripts run by ``odoo shell`` (as superuser), with ``params`` bound.
BUILD_SCRIPT = os.path.join(HERE, "build_center.py")
LIABILITY_SCRIPT = os.path.join(HERE, "liability.py")


def odoo_command(args, *extra, stdin=None, command="server"):
    cmd = [
        sys.executable,
        "-m",
        "odoo",
        command,
        "-c",
        args.config,
        "-d",
        args.database,
    ]
    cmd += ["--log-level=warn", "--max-cron-threads=0", "--no-http", *extra]
    result = subprocess.run(
        cmd, input=stdin, capture_output=True, text=True, timeout=3600, check=False
    )
    if result.returncode:
        sys.exit(f"odoo {' '.join(extra)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


def shell(args, script, params, marker):
    """Run ``script`` in ``odoo shell`` with ``params`` bound, and return the
    JSON the script printed after ``marker``."""
    with open(script) as source:
        code = source.read()
    stdin = f"import json\nparams = json.loads({json.dumps(params)!r})\n"
    output = odoo_command(args, stdin=stdin + code, command="shell")
    for line in output.splitlines():
        if line.startswith(marker + " "):
            return json.loads(line[len(marker) + 1 :])
    sys.exit(f"no {marker} in the output of the shell:\n{output[-3000:]}")


def build(args, sizes):
    conn = connect(args, "postgres")
    conn.autocommit = True
    with conn.cursor() as cr:
        cr.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
    conn.close()
    start = time.perf_counter()
    odoo_command(args, "-i", "psy_center", "--without-demo=all", "--stop-after-init")
    installed = time.perf_counter() - start
    center = shell(args, BUILD_SCRIPT, {**sizes, "password": PASSWORD}, "LOAD-CENTER")
    print(
        f"database {args.database}: installed in {installed:.0f} s, load center "
        f"({sizes['patients']} patients with a pack, {len(center['sessions'])} "
        f"sessions) in {time.perf_counter() - start - installed:.0f} s"
    )
    return center


def connect(args, dbname=None):
    from odoo.tools import config

    config.parse_config(["-c", args.config])
    kwargs = {"dbname": dbname or args.database}
    for key in ("host", "port", "user", "password"):
        if config.get(f"db_{key}"):
            kwargs[key] = config[f"db_{key}"]
    return psycopg2.connect(**kwargs)


# PostgreSQL's refusals that Odoo retries (psycopg2.errorcodes
# SERIALIZATION_FAILURE, DEADLOCK_DETECTED, LOCK_NOT_AVAILABLE).
RETRIED_CONFLICTS = (
    "could not serialize access",
    "deadlock detected",
    "could not obtain lock",
)


class Server:
    """Odoo with workers on loopback, its log in a file."""

    def __init__(self, args):
        self.url = f"http://127.0.0.1:{args.port}"
        self.log = os.path.join(tempfile.gettempdir(), f"psy-load-{args.database}.log")
        if os.path.exists(self.log):
            os.unlink(self.log)
        launcher = os.path.join(
            os.path.dirname(os.path.abspath(__file__)), "odoo_server.py"
        )
        cmd = [sys.executable, launcher, "-c", args.config, "-d", args.database]
        cmd += [f"--db-filter=^{args.database}$", f"--workers={args.workers}"]
        cmd += ["--max-cron-threads=0", f"--http-port={args.port}"]
        cmd += ["--http-interface=127.0.0.1", "--limit-time-real=900"]
        cmd += ["--limit-time-cpu=900", "--limit-request=100000"]
        cmd += ["--log-level=warn", f"--logfile={self.log}"]
        self.process = subprocess.Popen(cmd)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if requests.get(self.url + "/web/login", timeout=5).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.5)
        self.stop()
        sys.exit("the Odoo server did not start")

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()

    def errors(self):
        """ERROR and CRITICAL lines of the server log, each with the line
        that follows (the database's own message for a refused query), and
        the number of concurrency conflicts among them.

        A query refused because another transaction changed the same rows
        since this one started (serialization failure, deadlock, lock not
        available) is logged by Odoo's cursor as a "bad query" and the whole
        request is retried by Odoo (``odoo.service.model.retrying``): such
        conflicts are counted apart, as retried, not as server errors. The
        clients' own checks catch a request that failed after all."""
        with open(self.log) as log:
            lines = log.read().splitlines()
        errors, conflicts = [], 0
        for k, line in enumerate(lines):
            if " ERROR " in line or " CRITICAL " in line:
                following = lines[k + 1] if k + 1 < len(lines) else ""
                if " odoo.sql_db: bad query" in line and any(
                    text in following for text in RETRIED_CONFLICTS
                ):
                    conflicts += 1
                    continue
                errors.append(f"{line} | {following}")
            elif line.startswith("Traceback"):
                errors.append(" | ".join(lines[k : k + 3]))
        return errors, conflicts


# ----------------------------------------------------------------------
# Scenarios
# ----------------------------------------------------------------------


def scenario_completions(server, args, center):
    """Every client completes its share of the past sessions, ordered by
    patient so that the clients hit the same packs at the same time."""
    by_professional = center["session_professional"]
    logins = dict(zip(center["professional_ids"], center["professionals"], strict=True))
    # Each psychologist completes only their own sessions: one client per
    # professional group, C clients in all.
    patient_of = center["session_patient"]
    groups = defaultdict(list)
    for session_id in sorted(center["sessions"], key=lambda s: patient_of[str(s)]):
        professional = by_professional[str(session_id)]
        groups[professional % args.clients].append((professional, session_id))
    stats = Stats()

    def client(index):
        todo = groups[index]
        clients = {}
        for professional, session_id in todo:
            if professional not in clients:
                clients[professional] = Client(
                    server.url, args.database, logins[professional]
                )
            stats.timed(
                "complete session",
                lambda c=clients[professional], s=session_id: c.call(
                    "psy.session", "action_done", [s]
                ),
            )

    wall = run_threads([lambda i=i: client(i) for i in range(args.clients)])
    stats.report(f"completions ({args.clients} clients)", wall)
    return stats


def scenario_booking_storm(server, args, center):
    """16 front-desk clients book the same overlapping slots: sessions of 50
    minutes every 30 minutes, for 3 professionals in 2 rooms."""
    stats = Stats()
    start_day = datetime.combine(date.today() + timedelta(days=2), datetime.min.time())
    starts = [start_day + timedelta(hours=8, minutes=30 * k) for k in range(args.slots)]
    professionals = center["professional_ids"][:3]
    rooms = center["rooms"][:2]
    desks = center["desk"]
    patients = center["patients"]

    def client(index):
        c = Client(server.url, args.database, desks[index % len(desks)])
        attempts = [(s, p) for s in starts for p in professionals]
        random.Random(index).shuffle(attempts)
        for k, (start, professional) in enumerate(attempts):
            stats.timed(
                "book session",
                lambda start=start, professional=professional, k=k: c.call(
                    "psy.session",
                    "create",
                    {
                        "patient_id": patients[(index * 997 + k) % len(patients)],
                        "professional_id": professional,
                        "product_id": center["session_type"],
                        "room_id": rooms[k % len(rooms)],
                        "start": start.strftime("%Y-%m-%d %H:%M:%S"),
                    },
                ),
                expected=("is already booked", "already taken"),
            )

    def patient(index):
        """A patient books from the portal, in the same hours: one of the
        free times the booking page offers, as long as it offers some."""
        c = PortalClient(server.url, args.database, center["portal"][index])
        rng = random.Random(1000 + index)
        for _attempt in range(len(starts)):
            professional = rng.choice(professionals)
            page = stats.timed(
                "portal: booking page",
                lambda professional=professional: c.booking_page(
                    center["company"], center["session_type"], professional
                ),
            )
            if isinstance(page, Exception):
                continue
            choice, token, offered = page
            times = [t for t in offered if starts[0] <= t <= starts[-1]]
            if not times:
                continue
            start = rng.choice(times)
            stats.timed(
                "book from the portal",
                lambda choice=choice, token=token, start=start: c.submit(
                    choice, token, start
                ),
                expected=(SLOT_TAKEN,),
            )

    targets = [lambda i=i: client(i) for i in range(args.storm_clients)]
    targets += [lambda i=i: patient(i) for i in range(args.portal_clients)]
    wall = run_threads(targets)
    stats.report(
        f"booking storm ({args.storm_clients} front desk, "
        f"{args.portal_clients} portal clients)",
        wall,
    )
    return stats


def scenario_mixed_day(server, args, center):
    """Front desk books and cancels, psychologists complete, the accountant
    runs the monthly batch: a fixed number of operations."""
    stats = Stats()
    day = datetime.combine(date.today() + timedelta(days=10), datetime.min.time())
    logins = dict(zip(center["professional_ids"], center["professionals"], strict=True))

    def desk(index):
        c = Client(
            server.url, args.database, center["desk"][index % len(center["desk"])]
        )
        for k in range(args.mixed_ops):
            professional = center["professional_ids"][(index + k) % len(logins)]
            start = day + timedelta(days=index, hours=8 + k % 10)
            result = stats.timed(
                "book session",
                lambda professional=professional, start=start, k=k: c.call(
                    "psy.session",
                    "create",
                    {
                        "patient_id": center["patients"][
                            (index * 31 + k) % len(center["patients"])
                        ],
                        "professional_id": professional,
                        "product_id": center["session_type"],
                        "modality": "online",
                        "start": start.strftime("%Y-%m-%d %H:%M:%S"),
                    },
                ),
                expected=("is already booked",),
            )
            if isinstance(result, int) and k % 3 == 0:
                stats.timed(
                    "cancel session",
                    lambda result=result: c.call(
                        "psy.session", "action_cancel", [result]
                    ),
                )
            if k % 5 == 0:
                stats.timed(
                    "sell pack",
                    lambda k=k: c.call(
                        "psy.voucher",
                        "action_psy_sell",
                        [
                            c.call(
                                "psy.voucher",
                                "create",
                                {
                                    "patient_id": center["patients"][
                                        (index * 53 + k) % len(center["patients"])
                                    ],
                                    "product_id": center["packs"][k % 2],
                                },
                            )
                        ],
                    ),
                )
            stats.timed(
                "read agenda week",
                lambda: c.call(
                    "psy.session",
                    "search_read",
                    [["start", ">=", day.strftime("%Y-%m-%d")]],
                    ["name", "start", "stop", "state", "participants_label"],
                    limit=200,
                ),
            )

    def psychologist(index):
        professional = center["professional_ids"][index % len(logins)]
        c = Client(server.url, args.database, logins[professional])
        todo = c.call(
            "psy.session",
            "search",
            [
                ["professional_id", "=", professional],
                ["state", "=", "scheduled"],
                [
                    "start",
                    "<",
                    datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S"),
                ],
            ],
            limit=args.mixed_ops,
        )
        patients = {
            row["id"]: row["patient_id"][0]
            for row in c.call("psy.session", "read", todo, ["patient_id"])
        }
        for session_id in todo:
            done = stats.timed(
                "complete session",
                lambda s=session_id: c.call("psy.session", "action_done", [s]),
            )
            if isinstance(done, Exception):
                continue
            stats.timed(
                "write and sign note",
                lambda s=session_id: c.call(
                    "psy.session.note",
                    "action_sign",
                    [
                        c.call(
                            "psy.session.note",
                            "create",
                            {
                                "session_id": s,
                                "record_id": center["records"][str(patients[s])],
                                "template_id": center["note_template"],
                                "subjective": "Refiere menos ansiedad esta semana.",
                                "plan": "Continuar con exposición gradual.",
                            },
                        )
                    ],
                ),
            )

    def accountant():
        c = Client(server.url, args.database, center["accountant"])
        for _k in range(max(1, args.mixed_ops // 10)):
            stats.timed(
                "monthly batch",
                lambda: c.call(
                    "psy.session.invoice.wizard",
                    "action_create_invoices",
                    [
                        c.call(
                            "psy.session.invoice.wizard",
                            "create",
                            {
                                "date_from": (
                                    date.today() - timedelta(days=40)
                                ).isoformat(),
                                "date_to": date.today().isoformat(),
                                "post": True,
                            },
                        )
                    ],
                ),
                expected=("Nothing to invoice", "nothing to invoice", "No session"),
            )

    def patient(index):
        c = PortalClient(server.url, args.database, center["portal"][index])
        professional = center["professional_ids"][index % len(logins)]
        for k in range(max(1, args.mixed_ops // 4)):
            stats.timed("portal: my sessions", lambda: c.page("/my/sessions"))
            stats.timed("portal: my packs", lambda: c.page("/my/packs"))
            start = day + timedelta(days=4 + index % 7, hours=k % 20, minutes=30)
            stats.timed(
                "book from the portal",
                lambda start=start: c.book(
                    center["company"], center["session_type"], professional, start
                ),
                expected=(SLOT_TAKEN,),
            )

    targets = [lambda i=i: desk(i) for i in range(args.clients // 2 or 1)]
    targets += [lambda i=i: patient(i) for i in range(args.portal_clients // 2 or 1)]
    targets += [lambda i=i: psychologist(i) for i in range(args.clients // 2 or 1)]
    targets.append(accountant)
    wall = run_threads(targets)
    stats.report(f"mixed day ({len(targets)} clients)", wall)
    return stats


# ----------------------------------------------------------------------
# Invariants, in SQL
# ----------------------------------------------------------------------

INVARIANTS = {
    "sessions consumed twice": """
        SELECT count(*) FROM (
            SELECT session_id FROM psy_voucher_line
             WHERE type = 'consume' AND session_id IS NOT NULL
             GROUP BY session_id
            HAVING count(*) - (
                SELECT count(*) FROM psy_voucher_line r
                 WHERE r.type = 'reverse' AND r.session_id = psy_voucher_line.session_id
            ) > 1
        ) twice
    """,
    "negative balances": "SELECT count(*) FROM psy_voucher WHERE remaining < 0",
    "balances not equal to their ledger": """
        SELECT count(*) FROM psy_voucher v
         WHERE v.state <> 'draft' AND v.remaining <> v.sessions_total + (
               SELECT coalesce(sum(quantity), 0) FROM psy_voucher_line l
                WHERE l.voucher_id = v.id)
    """,
    "consumptions without their session": """
        SELECT count(*) FROM psy_voucher_line
         WHERE type = 'consume' AND session_id IS NULL
    """,
    "done sessions neither paid by a pack nor to be paid": """
        SELECT count(*) FROM psy_session
         WHERE state = 'done' AND voucher_line_id IS NULL
           AND NOT psy_pay_separately AND session_kind <> 'group'
    """,
    "double bookings of a professional": """
        SELECT count(*) FROM psy_session a JOIN psy_session b
          ON a.professional_id = b.professional_id AND a.id < b.id
         AND tsrange(a.start, a.stop, '[)') && tsrange(b.start, b.stop, '[)')
         WHERE a.state NOT IN ('cancelled', 'late_cancelled')
           AND b.state NOT IN ('cancelled', 'late_cancelled')
    """,
    "double bookings of a room": """
        SELECT count(*) FROM psy_session a JOIN psy_session b
          ON a.room_id = b.room_id AND a.id < b.id
         AND tsrange(a.start, a.stop, '[)') && tsrange(b.start, b.stop, '[)')
         WHERE a.state NOT IN ('cancelled', 'late_cancelled')
           AND b.state NOT IN ('cancelled', 'late_cancelled')
    """,
    "double bookings of a patient": """
        SELECT count(*) FROM psy_session_participant a
          JOIN psy_session_participant b
            ON a.patient_id = b.patient_id AND a.id < b.id
           AND tsrange(a.start, a.stop, '[)') && tsrange(b.start, b.stop, '[)')
         WHERE a.session_state NOT IN ('cancelled', 'late_cancelled')
           AND b.session_state NOT IN ('cancelled', 'late_cancelled')
           AND a.attendance NOT IN ('cancelled', 'late_cancelled')
           AND b.attendance NOT IN ('cancelled', 'late_cancelled')
    """,
}


def check_invariants(args, center, completions):
    failures = []
    conn = connect(args)
    with conn.cursor() as cr:
        print("\n== Invariants (SQL)")
        for name, query in INVARIANTS.items():
            cr.execute(query)
            count = cr.fetchone()[0]
            print(f"   {name:<55}{count:>8}  {'ok' if count == 0 else 'FAILED'}")
            if count:
                failures.append(name)
        if completions is not None:
            cr.execute(
                "SELECT count(*) FROM psy_session"
                " WHERE id = ANY(%s) AND state = 'done'",
                (center["sessions"],),
            )
            done = cr.fetchone()[0]
            ok = completions.outcomes["complete session"]["ok"]
            lost = ok - done
            print(
                f"   {'completions lost (acknowledged, not done)':<55}{lost:>8}  "
                f"{'ok' if lost == 0 else 'FAILED'}"
            )
            if lost:
                failures.append("completions lost")
        cr.execute(
            "SELECT coalesce(-sum(balance), 0) FROM account_move_line "
            "WHERE account_id = %s AND parent_state = 'posted'",
            (center["deferred"],),
        )
        held = float(cr.fetchone()[0])
    conn.close()
    liability = shell(args, LIABILITY_SCRIPT, center["company"], "LIABILITY")
    equal = abs(held - liability) < 0.005
    print(
        f"   {'deferred revenue = prepaid liability':<55}"
        f"{held:>10.2f} = {liability:.2f}  {'ok' if equal else 'FAILED'}"
    )
    if not equal:
        failures.append("deferred revenue")
    return failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", required=True, help="Odoo config file")
    parser.add_argument("-d", "--database", help="scratch database (dropped first)")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=0, help="default: a free one")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--completions", type=int, default=1000, help="per client")
    parser.add_argument("--slots", type=int, default=16, help="booking storm slots")
    parser.add_argument("--storm-clients", type=int, default=16)
    parser.add_argument("--mixed-ops", type=int, default=60, help="per client")
    parser.add_argument(
        "--portal-clients", type=int, default=8, help="patients on the portal"
    )
    parser.add_argument("--smoke", action="store_true", help="a few seconds, 2 workers")
    args = parser.parse_args()
    if args.smoke:
        args.workers, args.clients, args.completions = 2, 2, 10
        args.slots, args.mixed_ops, args.storm_clients = 3, 4, 4
        args.portal_clients = 2
    if not args.port:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            args.port = probe.getsockname()[1]
    if not args.database:
        from odoo.tools import config

        config.parse_config(["-c", args.config])
        args.database = f"{config['db_name'] or 'psy'}_load"
    total = args.clients * args.completions
    professionals = max(2, min(40, total // 25))
    sizes = {
        "sessions": total,
        # 12 sessions per patient: with a pack of 10 two are paid
        # separately; with a pack of 16 four are left (a liability).
        "patients": max(professionals + 1, total // 12),
        "professionals": professionals,
        "desk": 16,
        "portal": args.portal_clients,
        # Past sessions the psychologists of the mixed day complete and sign.
        "mixed_professionals": args.clients // 2 or 1,
        "mixed_sessions": args.mixed_ops,
    }
    center = build(args, sizes)
    server = Server(args)
    try:
        completions = scenario_completions(server, args, center)
        storm = scenario_booking_storm(server, args, center)
        mixed = scenario_mixed_day(server, args, center)
    finally:
        server.stop()
    failures = check_invariants(args, center, completions)
    for stats, name in (
        (completions, "completions"),
        (storm, "booking storm"),
        (mixed, "mixed day"),
    ):
        if stats.unexpected:
            failures.append(f"{name}: {len(stats.unexpected)} unexpected errors")
    log_errors, conflicts = server.errors()
    print(
        f"   {'server errors in the log':<55}{len(log_errors):>8}  "
        f"{'ok' if not log_errors else 'FAILED'}"
    )
    print(
        f"   {'concurrency conflicts retried by Odoo (not errors)':<55}{conflicts:>8}"
    )
    for line in log_errors[:10]:
        print(f"   LOG {line[:300]}")
    if log_errors:
        failures.append("server log errors")
    for operation in ("book session", "book from the portal"):
        outcome = storm.outcomes[operation]
        print(
            f"\nbooking storm, {operation}: {outcome['ok']} booked, "
            f"{outcome['refused']} refused with a clear message",
            end="",
        )
    print()
    print(f"server log: {server.log}")
    if failures:
        print("FAILED: " + ", ".join(failures))
        return 1
    print("All invariants hold.")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONWARNINGS", "ignore")
    sys.exit(main())
