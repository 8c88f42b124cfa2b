"""The short version of the load suite (``benchmarks/load/run.py --smoke``):
a real Odoo server with two workers, concurrent JSON-RPC clients of several
roles and patients on the portal, and the invariants checked in SQL at the
end.

The full load suite is a benchmark, not a test: see the README.
"""

import os
import subprocess
import sys

from odoo.tools import config

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_load_smoke_keeps_every_invariant():
    database = f"{config['db_name'] or 'psy'}_load_smoke"
    result = subprocess.run(
        [
            sys.executable,
            os.path.join(REPO_ROOT, "benchmarks", "load", "run.py"),
            "-c",
            config.rcfile,
            "-d",
            database,
            "--smoke",
        ],
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    print(result.stdout[-6000:])
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    assert "All invariants hold." in result.stdout
