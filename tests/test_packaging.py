"""Every add-on builds as an OCA-style wheel and installs with pip.

Each psy_* module carries a ``pyproject.toml`` that hands the build to whool,
the build backend of the OCA 18.0 repositories: it reads the manifest (the
version, the ``depends`` as ``odoo-addon-*`` requirements, the Python
``external_dependencies``) and packs the files under git control into
``odoo/addons/<module>``. This test builds every wheel without network,
installs them into a scratch virtual environment that sees the machine's
Odoo, and checks there that Odoo finds the modules in the environment's
site-packages, as the Apps list would, and that the metadata declares what
the manifests say. No database is used.
"""

import ast
import email.parser
import json
import os
import re
import subprocess
import sys
import sysconfig
import zipfile
from importlib.util import find_spec

import pytest

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PSY_MODULES = sorted(
    name
    for name in os.listdir(REPO_ROOT)
    if name.startswith("psy_")
    and os.path.isfile(os.path.join(REPO_ROOT, name, "__manifest__.py"))
)
ODOO_DEP = "odoo==18.0.*"
TIMEOUT = 300

# Run inside the scratch environment: where do the modules, their
# distributions and Odoo's module lookup point to?
PROBE = """
import importlib, importlib.metadata, json, sys, sysconfig
import odoo
from odoo.modules import module
from odoo.tools import config

config.parse_config(["-c", sys.argv[1]])
module.initialize_sys_path()
names = json.loads(sys.argv[2])
found = set(module.get_modules())
report = {"purelib": sysconfig.get_paths()["purelib"], "odoo": odoo.__file__}
for name in names:
    try:
        addon = importlib.import_module("odoo.addons." + name)
        dist = importlib.metadata.distribution("odoo-addon-" + name)
        report[name] = {
            "file": addon.__file__ or "",
            "module_path": module.get_module_path(name),
            "listed": name in found,
            "dist_version": dist.version,
            "dist_location": str(dist.locate_file("")),
            "application": module.get_manifest(name).get("application", False),
        }
    except Exception as e:
        report[name] = {"error": repr(e)}
print(json.dumps(report))
"""


def _manifest(name):
    with open(os.path.join(REPO_ROOT, name, "__manifest__.py"), encoding="utf-8") as f:
        return ast.literal_eval(f.read())


def _run(command, **kwargs):
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=TIMEOUT, check=False, **kwargs
    )
    assert result.returncode == 0, (
        f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}"
    )
    return result.stdout


def _wheel_metadata(path):
    with zipfile.ZipFile(path) as wheel:
        names = wheel.namelist()
        (metadata_name,) = [n for n in names if n.endswith(".dist-info/METADATA")]
        metadata = email.parser.HeaderParser().parsestr(
            wheel.read(metadata_name).decode()
        )
    return names, metadata


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The wheels of every module, and a scratch venv that has them installed."""
    if find_spec("whool") is None or find_spec("wheel") is None:
        pytest.skip("whool is not installed (pip install -r requirements-test.txt)")
    if find_spec("pip") is None or find_spec("venv") is None:
        pytest.skip("pip and venv are needed to build and install the wheels")
    tmp = tmp_path_factory.mktemp("packaging")
    wheel_dir = tmp / "wheels"
    # The installed whool builds them, so nothing is fetched from an index.
    _run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-index"]
        + ["--no-build-isolation", "--disable-pip-version-check"]
        + ["--wheel-dir", str(wheel_dir)]
        + [os.path.join(REPO_ROOT, name) for name in PSY_MODULES],
        cwd=str(tmp),
    )
    wheels = {}
    for path in sorted(wheel_dir.glob("*.whl")):
        names, metadata = _wheel_metadata(path)
        wheels[metadata["Name"]] = (path, names, metadata)
    venv = tmp / "venv"
    # --system-site-packages: the environment sees the machine's Odoo and
    # its libraries; the pip of the machine installs into it.
    _run(
        [sys.executable, "-m", "venv", "--system-site-packages", "--without-pip"]
        + [str(venv)]
    )
    python = str(venv / ("Scripts" if os.name == "nt" else "bin") / "python")
    _run(
        [python, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index"]
        + ["--disable-pip-version-check"]
        + [str(w[0]) for w in wheels.values()],
        cwd=str(tmp),
    )
    conf = tmp / "odoo.conf"
    conf.write_text("[options]\n", encoding="utf-8")
    probe = _run(
        [python, "-c", PROBE, str(conf), json.dumps(PSY_MODULES)], cwd=str(tmp)
    )
    return {"wheels": wheels, "probe": json.loads(probe.splitlines()[-1])}


def test_every_module_has_its_pyproject():
    for name in PSY_MODULES:
        path = os.path.join(REPO_ROOT, name, "pyproject.toml")
        assert os.path.isfile(path), f"{name} has no pyproject.toml"
        with open(path, encoding="utf-8") as f:
            text = f.read()
        assert 'build-backend = "whool.buildapi"' in text, name
        assert 'requires = ["whool"]' in text, name


@pytest.mark.parametrize("name", PSY_MODULES)
def test_wheel_metadata_follows_the_manifest(built, name):
    dist_name = f"odoo-addon-{name}"
    assert dist_name in built["wheels"], f"no wheel for {name}"
    path, files, metadata = built["wheels"][dist_name]
    manifest = _manifest(name)
    # The manifest version, plus the number of commits since it last changed
    # when built from a git checkout (whool's ".N" strategy of 18.0).
    version_re = re.escape(manifest["version"]) + r"(\.\d+|\.dev\d+)?"
    assert re.fullmatch(version_re, metadata["Version"]), metadata["Version"]
    normalised = re.sub(r"[-_.]+", "_", dist_name).lower()
    assert path.name == f"{normalised}-{metadata['Version']}-py3-none-any.whl"
    assert metadata["License"] == manifest["license"]

    requires = set(metadata.get_all("Requires-Dist") or [])
    expected = {ODOO_DEP}
    expected |= {
        f"odoo-addon-{dep}==18.0.*" for dep in manifest["depends"] if dep in PSY_MODULES
    }
    expected |= set(manifest.get("external_dependencies", {}).get("python", []))
    # Odoo's own modules (mail, account, ...) come with Odoo, not as wheels.
    assert requires == expected

    prefix = f"odoo/addons/{name}/"
    # whool packs only the files under git control: commit new modules.
    assert f"{prefix}__manifest__.py" in files, f"{name}: are its files committed?"
    assert f"{prefix}__init__.py" in files
    # The wheel must not shadow Odoo's packages, nor carry build leftovers.
    assert "odoo/__init__.py" not in files
    assert "odoo/addons/__init__.py" not in files
    outside = [f for f in files if not f.startswith(prefix) and ".dist-info/" not in f]
    assert not outside, outside
    assert not [f for f in files if "__pycache__" in f or f.endswith((".pyc", ".toml"))]


@pytest.mark.parametrize("name", PSY_MODULES)
def test_installed_module_is_found_by_odoo(built, name):
    probe = built["probe"]
    purelib = probe["purelib"]
    installed = os.path.join(purelib, "odoo", "addons", name)
    info = probe[name]
    assert "error" not in info, f"{name} does not import from the environment: {info}"
    # Odoo itself is the machine's, the module comes from the environment.
    assert not probe["odoo"].startswith(purelib)
    assert os.path.dirname(info["file"]) == installed
    assert info["module_path"] == installed
    assert info["listed"], f"{name} is not in Odoo's list of modules"
    assert info["dist_location"].rstrip(os.sep) == purelib.rstrip(os.sep)
    assert info["dist_version"] == built["wheels"][f"odoo-addon-{name}"][2]["Version"]
    assert not installed.startswith(REPO_ROOT)
    assert not purelib.startswith(sysconfig.get_paths()["purelib"])


def test_center_is_the_application(built):
    assert built["probe"]["psy_center"]["application"] is True
