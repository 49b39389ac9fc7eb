#!/usr/bin/env bash
# `npm test`: everything the tests need, then every test (check, unit + API + live, e2e).
# Works from a clean clone: installs npm dependencies when missing, and Debian's
# nats-server, prometheus, chromium and postgresql when missing (apt as root; otherwise says what to install).
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

missing=()
NATS_BIN=$(command -v nats-server || true)
[ -n "$NATS_BIN" ] || { [ -x /usr/sbin/nats-server ] && NATS_BIN=/usr/sbin/nats-server; } || true
[ -n "$NATS_BIN" ] || missing+=(nats-server)
# Prometheus for the rehearsal/calibration test (started by the test on its own port; never the system service).
PROM_BIN=$(command -v prometheus || true)
[ -n "$PROM_BIN" ] || missing+=(prometheus)
[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing ${missing[*]} from Debian's packages"
    apt-get install -y --no-install-recommends "${missing[@]}" || { apt-get update && apt-get install -y --no-install-recommends "${missing[@]}"; }
  else
    echo "busboard: the tests need ${missing[*]}; install with: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi
export NATS_SERVER_BIN="${NATS_BIN:-$(command -v nats-server || echo /usr/sbin/nats-server)}"
export PROMETHEUS_BIN="${PROM_BIN:-$(command -v prometheus || echo /usr/bin/prometheus)}"

# PostgreSQL for the storage suite (installed and started when missing; see the script).
TEST_DATABASE_URL=$(bash scripts/ensure-postgres.sh)
export TEST_DATABASE_URL

if [ ! -d node_modules ] || [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm dependencies (npm ci)"
  npm ci
fi

say "typecheck and lint"
npm run --silent check

# The web build (a few seconds of vite) runs beside the unit tests: none of them reads apps/web/dist.
say "building the web app (in the background) and unit, API and live tests (vitest)"
build_log=$(mktemp)
npm run --silent build >"$build_log" 2>&1 &
build_pid=$!
npx vitest run
if ! wait "$build_pid"; then
  cat "$build_log" >&2
  echo "busboard: the web build failed" >&2
  exit 1
fi
rm -f "$build_log"

say "end-to-end journeys (Playwright, Debian chromium)"
npx playwright test

say "all tests passed"
