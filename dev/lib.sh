# shellcheck shell=bash
# Shared helpers of dev/start and dev/test: find Odoo 18, find or start
# PostgreSQL, and write the Odoo configuration used by both commands.
#
# Environment:
#   PSY_PYTHON   interpreter that imports Odoo 18 (default: python3)
#   PGHOST, PGPORT, PGUSER, PGPASSWORD
#                the PostgreSQL server to use (default: local socket)

set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCAL_DIR="$REPO_ROOT/.local"
PYTHON="${PSY_PYTHON:-python3}"
ODOO_CONF="$LOCAL_DIR/odoo.conf"

die() {
    printf '\n%s\n\n' "$*" >&2
    exit 2
}

psy_modules() {
    # Every add-on of the repository, psy_center last.
    local manifest module list=()
    for manifest in "$REPO_ROOT"/psy_*/__manifest__.py; do
        module="$(basename "$(dirname "$manifest")")"
        [ "$module" = psy_center ] || list+=("$module")
    done
    [ -f "$REPO_ROOT/psy_center/__manifest__.py" ] && list+=(psy_center)
    (IFS=,; echo "${list[*]}")
}

require_odoo() {
    local series
    if ! command -v "$PYTHON" >/dev/null 2>&1; then
        die "Python interpreter '$PYTHON' not found. Set PSY_PYTHON to the interpreter that runs Odoo 18."
    fi
    series="$("$PYTHON" -c 'import odoo.release as r; print(r.series)' 2>/dev/null || true)"
    if [ "$series" != "18.0" ]; then
        die "Odoo 18.0 is required but '$PYTHON' cannot import it (found: '${series:-nothing}').
Install Odoo 18.0 Community from source as described in
https://www.odoo.com/documentation/18.0/administration/on_premise/source.html
(clone branch 18.0, 'pip install -r requirements.txt'), then make it importable,
for instance with 'pip install -e <odoo checkout>' or by adding the checkout to
PYTHONPATH; or set PSY_PYTHON to the interpreter of the virtualenv that has it."
    fi
    ODOO_ADDONS="$("$PYTHON" - <<'PY'
import os
import odoo
package = os.path.dirname(odoo.__file__)
paths = [os.path.join(package, "addons")]
sibling = os.path.join(os.path.dirname(package), "addons")
if os.path.isdir(sibling):
    paths.insert(0, sibling)
print(",".join(paths))
PY
)"
}

pg_reachable() {
    "$PYTHON" - "$@" <<'PY' >/dev/null 2>&1
import sys
import psycopg2
kwargs = dict(dbname="postgres", connect_timeout=3)
host, port, user = sys.argv[1:4]
if host:
    kwargs["host"] = host
if port:
    kwargs["port"] = port
if user:
    kwargs["user"] = user
psycopg2.connect(**kwargs).close()
PY
}

start_local_cluster() {
    # A project-local PostgreSQL cluster in .local/pgdata, listening on a
    # Unix socket in .local only (no TCP port is opened).
    local bindir pgdata="$LOCAL_DIR/pgdata" run_as=()
    bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
    if [ -z "$bindir" ] && command -v pg_ctl >/dev/null 2>&1; then
        bindir="$(dirname "$(command -v pg_ctl)")"
    fi
    if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
        die "PostgreSQL is required but no server answers (host '${PGHOST:-local socket}', port ${PGPORT:-5432})
and no PostgreSQL server binaries are installed to start one.
Install PostgreSQL 12 or newer (Debian/Ubuntu: 'apt-get install postgresql'), or
point PGHOST, PGPORT, PGUSER and PGPASSWORD to a running server."
    fi
    mkdir -p "$LOCAL_DIR"
    if [ "$(id -u)" = 0 ]; then
        # PostgreSQL refuses to run as root: run the cluster as 'postgres'.
        id postgres >/dev/null 2>&1 || die "Running as root and no 'postgres' system user exists to run a local PostgreSQL cluster."
        run_as=(runuser -u postgres --)
        mkdir -p "$pgdata"
        chown postgres "$pgdata" "$LOCAL_DIR"
    fi
    if [ ! -f "$pgdata/PG_VERSION" ]; then
        echo "Creating a project-local PostgreSQL cluster in $pgdata"
        "${run_as[@]}" "$bindir/initdb" -D "$pgdata" -U odoo --auth=trust -E UTF8 >"$LOCAL_DIR/initdb.log" 2>&1 \
            || die "initdb failed, see $LOCAL_DIR/initdb.log"
    fi
    if ! "${run_as[@]}" "$bindir/pg_ctl" -D "$pgdata" status >/dev/null 2>&1; then
        echo "Starting the project-local PostgreSQL cluster"
        "${run_as[@]}" "$bindir/pg_ctl" -D "$pgdata" -l "$LOCAL_DIR/postgresql.log" -w \
            -o "-k $LOCAL_DIR -p 5499 -c listen_addresses=''" start >/dev/null \
            || die "PostgreSQL did not start, see $LOCAL_DIR/postgresql.log"
    fi
    DB_HOST="$LOCAL_DIR"
    DB_PORT=5499
    DB_USER=odoo
}

require_postgres() {
    DB_HOST="${PGHOST:-}"
    DB_PORT="${PGPORT:-}"
    DB_USER="${PGUSER:-}"
    if pg_reachable "$DB_HOST" "$DB_PORT" "$DB_USER"; then
        return
    fi
    if [ -z "$DB_HOST" ] && pg_reachable 127.0.0.1 "$DB_PORT" "$DB_USER"; then
        DB_HOST=127.0.0.1
        return
    fi
    start_local_cluster
    pg_reachable "$DB_HOST" "$DB_PORT" "$DB_USER" \
        || die "The project-local PostgreSQL cluster does not answer, see $LOCAL_DIR/postgresql.log"
}

write_odoo_conf() {
    # $1: extra lines for the [options] section
    mkdir -p "$LOCAL_DIR/data"
    {
        echo "[options]"
        echo "addons_path = $REPO_ROOT,$ODOO_ADDONS"
        echo "data_dir = $LOCAL_DIR/data"
        echo "db_host = ${DB_HOST:-False}"
        echo "db_port = ${DB_PORT:-False}"
        echo "db_user = ${DB_USER:-False}"
        echo "db_password = ${PGPASSWORD:-False}"
        echo "admin_passwd = admin"
        echo "${1:-}"
    } >"$ODOO_CONF"
}

odoo() {
    # Odoo 18 on its pinned Werkzeug logs Werkzeug's own deprecation
    # warnings with stack traces; they say nothing about our modules.
    "$PYTHON" -m odoo -c "$ODOO_CONF" --log-handler=py.warnings:ERROR "$@"
}

create_db() {
    # $1: database, $2: language (es_ES), $3: country code (es).
    # Creates the database the way Odoo's database manager does
    # (odoo.service.db.exp_create_database): base with its demo data, the
    # language loaded and made the default language of partners, users and
    # the company, the company in the country and in its currency. The
    # accounting modules installed afterwards then pick the country's chart
    # of accounts and localization (l10n_es for Spain).
    "$PYTHON" - "$ODOO_CONF" "$@" <<'PY'
import sys
import odoo
from odoo.service import db as service_db

conf, name, lang, country = sys.argv[1:5]
odoo.tools.config.parse_config(["-c", conf, "--log-level=warn", "--log-handler=py.warnings:ERROR"])
# This process is the command line, not the web database manager that
# list_db = False closes on the served instance.
odoo.tools.config["list_db"] = True
service_db.exp_create_database(name, True, lang, "admin", "admin", country)
registry = odoo.modules.registry.Registry(name)
with registry.cursor() as cr:
    env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
    company = env.ref("base.main_company")
    if company.country_id.code != country.upper() or env.ref("base.user_admin").lang != lang:
        sys.exit(f"Creating database {name!r} in {lang} for country {country!r} failed (see the log above).")
PY
}

db_exists() {
    "$PYTHON" - "$1" <<PY
import sys
import psycopg2
kwargs = dict(dbname="postgres")
for key, value in (("host", "${DB_HOST:-}"), ("port", "${DB_PORT:-}"), ("user", "${DB_USER:-}")):
    if value:
        kwargs[key] = value
with psycopg2.connect(**kwargs) as conn, conn.cursor() as cr:
    cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", (sys.argv[1],))
    sys.exit(0 if cr.fetchone() else 1)
PY
}

drop_db() {
    "$PYTHON" - "$1" <<PY
import sys
import psycopg2
kwargs = dict(dbname="postgres")
for key, value in (("host", "${DB_HOST:-}"), ("port", "${DB_PORT:-}"), ("user", "${DB_USER:-}")):
    if value:
        kwargs[key] = value
conn = psycopg2.connect(**kwargs)
conn.autocommit = True
with conn.cursor() as cr:
    cr.execute('DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % sys.argv[1].replace('"', ""))
conn.close()
PY
}
