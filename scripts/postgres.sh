#!/usr/bin/env bash
# Prints the URL of a PostgreSQL server the tests may create databases on,
# starting or installing one when none answers. Order:
#   1. FRONTLINE_TEST_POSTGRES_URL, if set (must answer);
#   2. the local server on 127.0.0.1:5432 as user postgres (started if stopped);
#   3. a private trust-auth cluster under /tmp on port 55432 (installing
#      Debian's postgresql package if needed).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

answers() { psql "$1" -Atqc 'SELECT 1' >/dev/null 2>&1; }

sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
apt_install() {
    say "Installing $* (Debian)" >&2
    $sudo apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null \
        || die "could not install $*; set FRONTLINE_TEST_POSTGRES_URL to a PostgreSQL server, or FRONTLINE_SKIP_POSTGRES=1"
}
command -v psql >/dev/null 2>&1 || apt_install postgresql-client

if [ -n "${FRONTLINE_TEST_POSTGRES_URL:-}" ]; then
    answers "$FRONTLINE_TEST_POSTGRES_URL" || die "FRONTLINE_TEST_POSTGRES_URL does not answer: $FRONTLINE_TEST_POSTGRES_URL"
    echo "$FRONTLINE_TEST_POSTGRES_URL"; exit 0
fi

local_url="postgres://postgres@127.0.0.1:5432/postgres"
if command -v psql >/dev/null 2>&1 && answers "$local_url"; then
    echo "$local_url"; exit 0
fi
if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    for version in $(ls /etc/postgresql); do
        pg_ctlcluster --skip-systemctl-redirect "$version" main start >/dev/null 2>&1 || true
    done
    for _ in $(seq 1 30); do
        answers "$local_url" && { echo "$local_url"; exit 0; }
        sleep 0.5
    done
fi

# A private cluster with trust auth on loopback only, owned by the postgres user.
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || apt_install postgresql
bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)"
data="/tmp/frontline-test-postgres"
port=55432
private_url="postgres://postgres@127.0.0.1:$port/postgres"
answers "$private_url" && { echo "$private_url"; exit 0; }
as_postgres=()
if [ "$(id -u)" -eq 0 ]; then as_postgres=(runuser -u postgres --); fi
if [ ! -f "$data/PG_VERSION" ]; then
    mkdir -p "$data"; [ "$(id -u)" -ne 0 ] || chown postgres: "$data"
    "${as_postgres[@]}" "$bin/initdb" -D "$data" -U postgres --auth=trust >/dev/null \
        || die "initdb failed for the private test cluster in $data"
fi
"${as_postgres[@]}" "$bin/pg_ctl" -D "$data" -o "-p $port -k /tmp -c listen_addresses=127.0.0.1" -l "$data/server.log" -w start >/dev/null \
    || die "the private test cluster did not start; see $data/server.log"
answers "$private_url" || die "the private test cluster does not answer on port $port"
echo "$private_url"
