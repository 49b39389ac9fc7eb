#!/usr/bin/env bash
# Makes a PostgreSQL server available for the storage tests and prints the URL tests connect
# to (TEST_DATABASE_URL) on stdout; everything else goes to stderr. Each test file creates its
# own randomly named database there and drops it afterwards.
#
# - TEST_DATABASE_URL already set: used as is (checked).
# - A server on 127.0.0.1:5432 that lets `postgres` in without a password (these machines): used.
# - Otherwise, as root on Debian: installs `postgresql` when missing, starts (or creates) its
#   cluster without systemd, and creates a login role `busboard_test` allowed to create
#   databases. Not root: says what to run.
set -euo pipefail

log() { printf '%s\n' "$*" >&2; }
accepts() { command -v psql >/dev/null && PGCONNECT_TIMEOUT=5 psql "$1" -Atqc 'select 1' >/dev/null 2>&1; }

if [ -n "${TEST_DATABASE_URL:-}" ]; then
  accepts "$TEST_DATABASE_URL" || { log "busboard: TEST_DATABASE_URL does not accept connections (is PostgreSQL running?)"; exit 1; }
  echo "$TEST_DATABASE_URL"
  exit 0
fi

TRUSTED=postgres://postgres@127.0.0.1:5432/test
if accepts "$TRUSTED"; then
  echo "$TRUSTED"
  exit 0
fi

ROLE_URL=postgres://busboard_test:busboard_test@127.0.0.1:5432/postgres
if accepts "$ROLE_URL"; then
  echo "$ROLE_URL"
  exit 0
fi

if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  log "busboard: the storage tests need PostgreSQL on 127.0.0.1:5432; install it (sudo apt-get install -y postgresql),"
  log "  start it (sudo pg_ctlcluster <version> main start), and create a role that may create databases:"
  log "  sudo -u postgres psql -c \"CREATE ROLE busboard_test LOGIN CREATEDB PASSWORD 'busboard_test'\""
  log "  or point TEST_DATABASE_URL at a server where the tests may create and drop databases."
  exit 1
fi

if ! command -v pg_ctlcluster >/dev/null; then
  log "== installing postgresql from Debian's packages"
  apt-get install -y --no-install-recommends postgresql >&2 || { apt-get update >&2 && apt-get install -y --no-install-recommends postgresql >&2; }
fi

version=$(ls /usr/lib/postgresql | sort -V | tail -1)
if ! pg_lsclusters -h 2>/dev/null | awk '{print $1, $2}' | grep -qx "$version main"; then
  log "== creating PostgreSQL $version cluster 'main'"
  pg_createcluster "$version" main >&2
fi
if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" {print $4}' | grep -q online; then
  log "== starting PostgreSQL $version (no systemd: pg_ctlcluster)"
  pg_ctlcluster "$version" main start >&2
fi
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p 5432 && break
  sleep 1
done

# The role the tests log in as: over TCP with a password (Debian's default pg_hba for 127.0.0.1).
runuser -u postgres -- psql -v ON_ERROR_STOP=1 -qc "DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'busboard_test') THEN
    CREATE ROLE busboard_test LOGIN CREATEDB PASSWORD 'busboard_test';
  END IF;
END \$\$;" >&2

accepts "$ROLE_URL" || { log "busboard: PostgreSQL started but does not accept $ROLE_URL; check pg_hba.conf"; exit 1; }
echo "$ROLE_URL"
