"""A center upgrades in place to sessions with participants (psy_session
18.0.2.0.0), then to titles in the reader's language and the close-out
(18.0.2.1.0, 18.0.2.2.0), with its data: nothing is lost, and the close-out
filled by batches is what the ORM computes.

The database is installed with the suite as it was before participants
(commit ``BASE``, read from the repository's own history), with its demo
center: sessions done, cancelled and no-show, packs consumed, notes signed.
It is then upgraded with the code of this checkout, the way a center runs
``odoo -u``, and every session, consumption and note is compared.
"""

import os
import shutil
import subprocess
import sys
import tempfile

import psycopg2
import pytest

import odoo
from odoo.tools import config

# The last commit of main before sessions had participants.
BASE = "5e24807"
SCRATCH_DB = f"{config['db_name'] or 'psy'}_upgrade_check"
REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# The upgrade also installs the suite's new modules, with their demo data:
# the comparison covers the rows that existed before it (ids up to %s).
SESSIONS = """
    SELECT id, patient_id, state, start, stop, cancel_date, done_date,
           voucher_line_id, company_id
      FROM psy_session WHERE id <= %s ORDER BY id
"""
LEDGER = """
    SELECT l.id, l.voucher_id, l.type, l.quantity, l.session_id, v.remaining,
           v.state
      FROM psy_voucher_line l JOIN psy_voucher v ON v.id = l.voucher_id
     WHERE l.id <= %s ORDER BY l.id
"""
NOTES = """
    SELECT id, session_id, patient_id, record_id, state, signed_date,
           signed_by_id, content_hash,
           md5(concat_ws('|', subjective, objective, data, behavior,
                         intervention, response, assessment, plan, free_text))
      FROM psy_session_note WHERE id <= %s ORDER BY id
"""
PARTICIPANTS = """
    SELECT p.session_id, p.patient_id, p.attendance, p.cancel_date, p.start,
           p.stop, p.session_state, p.company_id, s.participant_count
      FROM psy_session_participant p JOIN psy_session s ON s.id = p.session_id
     WHERE p.session_id <= %s ORDER BY p.session_id
"""
ATTENDANCE = {
    "scheduled": "expected",
    "done": "present",
    "no_show": "no_show",
    "cancelled": "cancelled",
    "late_cancelled": "late_cancelled",
}

# Run in the upgraded database: the ORM sees the migrated sessions, and the
# database still refuses a patient booked twice, now through participants.
CHECK_SCRIPT = """
from odoo.exceptions import ValidationError
session = env["psy.session"].search(
    [("state", "=", "scheduled"), ("id", "<=", LAST_SESSION)], limit=1
)
assert session
assert session.participant_ids.patient_id == session.patient_id
assert session.patient_ids == session.patient_id
try:
    with env.cr.savepoint():
        env["psy.session"].create({
            "patient_id": session.patient_id.id,
            "professional_id": env["psy.session"].search(
                [("professional_id", "!=", session.professional_id.id)], limit=1
            ).professional_id.id,
            "product_id": session.product_id.id,
            "modality": "online",
            "start": session.start,
        })
except ValidationError as error:
    assert "is already booked" in str(error), error
else:
    raise AssertionError("double booking of a migrated patient accepted")
# The close-out columns, created empty and filled by batches, hold what the
# ORM computes for the same sessions.
Session = env["psy.session"]
columns = ["closeout_state", *Session._psy_closeout_flags()]
env.cr.execute(
    "SELECT count(*) FROM psy_session WHERE "
    + " OR ".join(f"{column} IS NULL" for column in columns)
)
assert env.cr.fetchone()[0] == 0, "close-out left empty"
migrated = Session.search([("id", "<=", LAST_SESSION)], order="id")
stored = migrated.read(columns)
for column in columns:
    env.add_to_compute(Session._fields[column], migrated)
env.flush_all()
env.invalidate_all()
assert migrated.read(columns) == stored, "close-out differs from the ORM's"
assert {row["closeout_state"] for row in stored} == {"open", "closed"}, stored
print("UPGRADE-CHECK-OK")
"""


def _connect(dbname="postgres"):
    kwargs = {"dbname": dbname}
    for key in ("host", "port", "user", "password"):
        value = config.get(f"db_{key}")
        if value:
            kwargs[key] = value
    return psycopg2.connect(**kwargs)


def _drop_scratch():
    odoo.sql_db.close_db(SCRATCH_DB)
    conn = _connect()
    conn.autocommit = True
    with conn.cursor() as cr:
        cr.execute(f'DROP DATABASE IF EXISTS "{SCRATCH_DB}" WITH (FORCE)')
    conn.close()


def _query(sql, params=None):
    conn = _connect(SCRATCH_DB)
    with conn.cursor() as cr:
        cr.execute(sql, params)
        rows = cr.fetchall()
    conn.close()
    return rows


def _odoo(rcfile, *args, command="server", stdin=None):
    cmd = [sys.executable, "-m", "odoo", command, "-c", rcfile, "-d", SCRATCH_DB]
    cmd += ["--log-level=warn", "--max-cron-threads=0", "--no-http", *args]
    result = subprocess.run(
        cmd, input=stdin, capture_output=True, text=True, timeout=1500, check=False
    )
    assert result.returncode == 0, result.stderr[-4000:]
    return result.stdout


@pytest.fixture
def base_checkout():
    """The add-ons of ``BASE``, from the repository's history, and an Odoo
    configuration that loads them instead of this checkout's."""
    found = subprocess.run(
        ["git", "-C", REPO_ROOT, "cat-file", "-e", f"{BASE}^{{commit}}"],
        capture_output=True,
        check=False,
    )
    if found.returncode:
        pytest.skip(f"commit {BASE} is not in this clone's history")
    workdir = tempfile.mkdtemp(prefix="psy-upgrade-")
    addons = os.path.join(workdir, "addons")
    os.mkdir(addons)
    archive = subprocess.run(
        ["git", "-C", REPO_ROOT, "archive", BASE],
        capture_output=True,
        check=True,
    )
    subprocess.run(["tar", "-x", "-C", addons], input=archive.stdout, check=True)
    paths = [
        addons if os.path.realpath(path) == os.path.realpath(REPO_ROOT) else path
        for path in config["addons_path"].split(",")
    ]
    rcfile = os.path.join(workdir, "odoo.conf")
    with open(config.rcfile) as source, open(rcfile, "w") as target:
        for line in source:
            if line.startswith("addons_path"):
                line = f"addons_path = {','.join(paths)}\n"
            elif line.startswith("data_dir"):
                line = f"data_dir = {os.path.join(workdir, 'data')}\n"
            target.write(line)
    _drop_scratch()
    yield rcfile
    _drop_scratch()
    shutil.rmtree(workdir, ignore_errors=True)


def test_upgrade_keeps_sessions_consumptions_and_notes(base_checkout):
    _odoo(base_checkout, "-i", "psy_center", "--stop-after-init")
    last = {
        table: _query(f"SELECT coalesce(max(id), 0) FROM {table}")[0][0]  # noqa: S608
        for table in ("psy_session", "psy_voucher_line", "psy_session_note")
    }
    sessions = _query(SESSIONS, (last["psy_session"],))
    ledger = _query(LEDGER, (last["psy_voucher_line"],))
    notes = _query(NOTES, (last["psy_session_note"],))
    # The demo center has history worth keeping.
    states = {row[2] for row in sessions}
    assert {"scheduled", "done", "cancelled"} <= states, states
    assert any(row[7] for row in sessions), "no session paid with a pack"
    assert any(row[4] == "signed" for row in notes), "no signed note"

    _odoo(config.rcfile, "-u", "psy_session", "--stop-after-init")

    assert _query(SESSIONS, (last["psy_session"],)) == sessions
    assert _query(LEDGER, (last["psy_voucher_line"],)) == ledger
    assert _query(NOTES, (last["psy_session_note"],)) == notes
    expected = [
        (sid, patient, ATTENDANCE[state], cancel, start, stop, state, company, 1)
        for (sid, patient, state, start, stop, cancel, _d, _l, company) in sessions
    ]
    assert _query(PARTICIPANTS, (last["psy_session"],)) == expected
    assert _query(
        "SELECT session_id, patient_id FROM psy_session_patient_rel"
        " WHERE session_id <= %s ORDER BY session_id",
        (last["psy_session"],),
    ) == [(row[0], row[1]) for row in sessions]
    constraints = _query(
        "SELECT conname FROM pg_constraint WHERE contype = 'x' AND conrelid IN"
        " ('psy_session'::regclass, 'psy_session_participant'::regclass)"
        " ORDER BY conname"
    )
    assert constraints == [
        ("psy_session_participant_patient_no_overlap",),
        ("psy_session_professional_no_overlap",),
        ("psy_session_room_no_overlap",),
    ]
    script = f"LAST_SESSION = {last['psy_session']}\n{CHECK_SCRIPT}"
    output = _odoo(config.rcfile, command="shell", stdin=script)
    assert "UPGRADE-CHECK-OK" in output, output[-2000:]
