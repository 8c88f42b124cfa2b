"""The suite installs beside Odoo's own apps and leaves nothing behind.

These tests drive real Odoo processes on a scratch database, the way a
center administrator installs and removes apps; they do not use the test
database of the suite.
"""

import os
import subprocess
import sys
import time

import psycopg2
import pytest

import odoo
from odoo.tools import config

# Named after the test database, so that suites run at the same time from
# several checkouts do not drop each other's scratch database.
SCRATCH_DB = f"{config['db_name'] or 'psy'}_install_check"
REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PSY_MODULES = sorted(
    name
    for name in os.listdir(REPO_ROOT)
    if name.startswith("psy_")
    and os.path.isfile(os.path.join(REPO_ROOT, name, "__manifest__.py"))
)

UNINSTALL_SCRIPT = """
modules = env["ir.module.module"].search(
    [("name", "in", %(modules)r), ("state", "=", "installed")]
)
modules.button_immediate_uninstall()
env.cr.commit()
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


def _odoo(*args, command="server", stdin=None):
    command = [sys.executable, "-m", "odoo", command, "-c", config.rcfile]
    command += ["-d", SCRATCH_DB, "--log-level=warn", "--max-cron-threads=0"]
    command += ["--no-http", *args]
    started = time.monotonic()
    result = subprocess.run(
        command, input=stdin, capture_output=True, text=True, timeout=1200, check=False
    )
    assert result.returncode == 0, result.stderr[-4000:]
    return time.monotonic() - started


def _query(sql, params=None):
    conn = _connect(SCRATCH_DB)
    with conn.cursor() as cr:
        cr.execute(sql, params)
        rows = cr.fetchall()
    conn.close()
    return rows


@pytest.fixture
def scratch_db():
    _drop_scratch()
    yield
    _drop_scratch()


def test_install_beside_account_and_calendar_then_uninstall(scratch_db):
    _odoo("-i", "account,calendar", "--stop-after-init", "--without-demo=all")
    seconds = _odoo("-i", "psy_center", "--stop-after-init", "--without-demo=all")
    print(f"\npsy_center installed in {seconds:.1f} s on a database with account")
    states = dict(
        _query(
            "SELECT name, state FROM ir_module_module WHERE name = ANY(%s)",
            (PSY_MODULES,),
        )
    )
    # A localization module (psy_*_l10n_*) comes only with its Odoo
    # localization, which a database without a country does not install.
    assert states == {
        name: "uninstalled" if "_l10n_" in name else "installed" for name in PSY_MODULES
    }

    _odoo(command="shell", stdin=UNINSTALL_SCRIPT % {"modules": PSY_MODULES})
    states = dict(
        _query(
            "SELECT name, state FROM ir_module_module WHERE name = ANY(%s)",
            (PSY_MODULES,),
        )
    )
    assert states == {name: "uninstalled" for name in PSY_MODULES}
    leftovers = _query(
        "SELECT table_name FROM information_schema.tables"
        " WHERE table_name LIKE 'psy\\_%%'"
    )
    assert leftovers == [], f"tables left behind: {leftovers}"
    models = _query("SELECT model FROM ir_model WHERE model LIKE 'psy.%%'")
    assert models == [], f"models left behind: {models}"
    assert _query(
        "SELECT count(*) FROM ir_module_module WHERE name IN ('account', 'calendar')"
        " AND state = 'installed'"
    ) == [(2,)]
