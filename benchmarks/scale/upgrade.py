#!/usr/bin/env python3
# Copyright 2026 Psychology Center Add-ons
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Upgrade of a scale database (``build.py``) to the close-out: the time,
the peak memory of the server process and the check of what it filled.

The database is first put back to what a center had before the close-out
(psy_session 18.0.2.1.0, the other modules 18.0.1.0.0): its close-out
columns and the arrival time of its sessions are dropped, the installed
versions set back. It is then upgraded the way a center upgrades
(``odoo -u psy_session``, which upgrades every module that depends on it),
and checked in SQL: no session left without its close-out, and the state
of each session open exactly when one of its conditions is missing::

    python3 benchmarks/scale/upgrade.py -c .local/odoo.conf -d scale_tenth

The database is changed in place: it ends on this checkout's schema, ready
for ``screens.py``.
"""

import argparse
import re
import subprocess
import sys
import time

import psycopg2

FLAGS = (
    "closeout_attendance_missing",
    "closeout_note_missing",
    "closeout_consent_missing",
    "closeout_payment_missing",
)
DROPPED = ("closeout_state", *FLAGS, "arrived_at")
VERSIONS = {
    "psy_session": "18.0.2.1.0",
    "psy_clinical_record": "18.0.1.0.0",
    "psy_consent": "18.0.1.0.0",
    "psy_voucher": "18.0.1.0.0",
}


def query(cr, sql, params=None):
    cr.execute(sql, params)
    return cr.fetchall()


def downgrade(cr):
    for column in DROPPED:
        cr.execute(f"ALTER TABLE psy_session DROP COLUMN IF EXISTS {column}")
    for module, version in VERSIONS.items():
        cr.execute(
            "UPDATE ir_module_module SET latest_version = %s WHERE name = %s",
            (version, module),
        )


def check(cr):
    empty = " OR ".join(f"{column} IS NULL" for column in ("closeout_state", *FLAGS))
    [(left,)] = query(cr, f"SELECT count(*) FROM psy_session WHERE {empty}")  # noqa: S608
    missing = " OR ".join(FLAGS)
    [(wrong,)] = query(
        cr,
        "SELECT count(*) FROM psy_session WHERE closeout_state"  # noqa: S608
        f" <> CASE WHEN {missing} THEN 'open' ELSE 'closed' END",
    )
    states = dict(
        query(cr, "SELECT closeout_state, count(*) FROM psy_session GROUP BY 1")
    )
    return left, wrong, states


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", required=True, help="Odoo config file")
    parser.add_argument("-d", "--database", required=True, help="scale database")
    args = parser.parse_args()

    conn = psycopg2.connect(dbname=args.database)
    with conn, conn.cursor() as cr:
        [(sessions,)] = query(cr, "SELECT count(*) FROM psy_session")
        downgrade(cr)
    print(f"{args.database}: {sessions} sessions, put back before the close-out")

    start = time.perf_counter()
    result = subprocess.run(
        ["/usr/bin/time", "-v", sys.executable, "-m", "odoo", "-c", args.config]
        + ["-d", args.database, "-u", "psy_session", "--stop-after-init"]
        + ["--log-level=info", "--max-cron-threads=0", "--no-http"],
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - start
    if result.returncode:
        print(result.stderr[-4000:])
        sys.exit(f"the upgrade failed (exit status {result.returncode})")
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr)
    # The last line of each fill: "close-out: N of N sessions computed".
    fills = re.findall(r"close-out: (\d+) of \1 sessions computed", result.stderr)
    print(f"upgrade: {elapsed:.1f} s, peak memory {int(peak[1]) / 1024:.0f} MiB")
    for count in fills:
        print(f"  close-out of {count} sessions filled by batches")

    with conn, conn.cursor() as cr:
        left, wrong, states = check(cr)
    conn.close()
    print(f"sessions without close-out: {left}; state not following its flags: {wrong}")
    print(f"close-out states: {states}")
    sys.exit(1 if left or wrong else 0)


if __name__ == "__main__":
    main()
