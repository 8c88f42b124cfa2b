"""Shared entry point of the benchmark scripts.

Each script builds its data inside one transaction, measures, and rolls the
transaction back, so the database is left unchanged:

    python3 benchmarks/bench_<module>.py -c <odoo.conf> -d <database>
"""

import argparse

import odoo
from odoo import SUPERUSER_ID, api
from odoo.tools import config


def main(doc, run, add_arguments=None):
    """Parse ``-c``/``-d`` (plus ``add_arguments``), open the registry and call
    ``run(env, args)`` as superuser in a transaction that is rolled back."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("-c", "--config", required=True, help="Odoo config file")
    parser.add_argument("-d", "--database", required=True, help="database")
    if add_arguments:
        add_arguments(parser)
    args = parser.parse_args()
    config.parse_config(
        ["-c", args.config, "-d", args.database, "--log-level=warn"]
        + ["--log-handler=py.warnings:ERROR"]
    )
    odoo.service.server.load_server_wide_modules()
    registry = odoo.modules.registry.Registry(args.database)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        try:
            run(env, args)
        finally:
            cr.rollback()
            print("Rolled back: the database is unchanged.")
