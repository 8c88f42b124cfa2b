"""manifestoo's check-licenses and check-dev-status, offline (a pre-commit hook).

    python dev/manifestoo_offline.py check-licenses|check-dev-status

Checks every installable add-on of the repository against its direct
dependencies, as ``manifestoo --select-found --odoo-series 18.0 <command>``
does. manifestoo reads the manifest of each dependency; a dependency that is
one of Odoo's core add-ons of the series (the lists that manifestoo-core ships)
needs no Odoo checkout here: manifestoo gives core add-ons their license
(LGPL-3 for Community) and the "core" development status by name, whatever
their manifest says. An unknown dependency is still reported as not found.
"""

import sys
from pathlib import Path

from manifestoo.addons_selection import AddonsSelection
from manifestoo.commands.check_dev_status import check_dev_status_command
from manifestoo.commands.check_licenses import check_licenses_command
from manifestoo_core.addon import Addon
from manifestoo_core.addons_set import AddonsSet
from manifestoo_core.core_addons import is_core_addon
from manifestoo_core.manifest import Manifest
from manifestoo_core.odoo_series import OdooSeries

ODOO_SERIES = OdooSeries.v18_0
REPOSITORY = Path(__file__).resolve().parent.parent


def _addons_set():
    addons = AddonsSet()
    addons.add_from_addons_dir(REPOSITORY)
    selection = AddonsSelection(addons)
    for addon in list(addons.values()):
        for depend in addon.manifest.depends:
            if depend not in addons and is_core_addon(depend, ODOO_SERIES):
                path = Path("odoo", "addons", depend, "__manifest__.py")
                addons[depend] = Addon(Manifest.from_dict({"name": depend}), path)
    return selection, addons


def main(argv):
    commands = {
        "check-licenses": lambda selection, addons: check_licenses_command(
            selection, addons, False, ODOO_SERIES
        ),
        "check-dev-status": lambda selection, addons: check_dev_status_command(
            selection, addons, None, False, ODOO_SERIES
        ),
    }
    if len(argv) < 2 or argv[1] not in commands:
        sys.stderr.write(f"usage: {argv[0]} {'|'.join(commands)}\n")
        return 2
    selection, addons = _addons_set()
    errors = commands[argv[1]](selection, addons)
    for error in errors:
        sys.stdout.write(f"{error}\n")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
