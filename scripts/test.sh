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

# npm's record of what it installed (node_modules/.package-lock.json) against the lockfile: the same
# packages at the same versions (optional ones for other platforms may be absent). Asked only when the
# lockfile is newer: a checkout or a worktree touches it without changing what it locks.
installed_matches_lock() {
  node -e '
const lock = require("./package-lock.json").packages;
const installed = require("./node_modules/.package-lock.json").packages;
const same = (a, b) => a.version === b.version && Boolean(a.link) === Boolean(b.link) && a.resolved === b.resolved;
const ok =
  Object.entries(lock).every(([k, v]) => !k || (installed[k] ? same(v, installed[k]) : v.optional)) &&
  Object.entries(installed).every(([k, v]) => lock[k] && same(lock[k], v));
process.exit(ok ? 0 : 1);' 2>/dev/null
}
if [ ! -d node_modules ] || [ ! -f node_modules/.package-lock.json ] ||
  { [ package-lock.json -nt node_modules/.package-lock.json ] && ! installed_matches_lock; }; then
  say "installing npm dependencies (npm ci)"
  npm ci
fi

# The typecheck and lint and the web build run in the background beside the vitest run (which keeps
# about a third of the 2 cores idle: its API and live files mostly wait on the processes they start);
# their output is shown at the end. None of the tests reads apps/web/dist.
pids=()
logs=()
names=()
background() {
  local name=$1 log
  shift
  log=$(mktemp)
  "$@" >"$log" 2>&1 &
  pids+=("$!")
  logs+=("$log")
  names+=("$name")
}
say "typecheck and lint, web build (in the background); unit, API and live tests (vitest)"
background "typecheck and lint" npm run --silent check
background "web build" npm run --silent build
vitest_status=0
npx vitest run || vitest_status=$?
failed=0
for i in "${!pids[@]}"; do
  if wait "${pids[$i]}"; then
    [ "${names[$i]}" = "typecheck and lint" ] && { say "typecheck and lint (ran beside vitest)"; cat "${logs[$i]}"; }
  else
    say "${names[$i]} failed"
    cat "${logs[$i]}" >&2
    failed=1
  fi
  rm -f "${logs[$i]}"
done
[ "$vitest_status" = 0 ] && [ "$failed" = 0 ] || { echo "busboard: see the failures above" >&2; exit 1; }

say "end-to-end journeys (Playwright, Debian chromium)"
npx playwright test

say "all tests passed"
