#!/usr/bin/env bash
# make test: the whole suite, three ways.
#   1. unit, HTTP and browser tests on SQLite;
#   2. the same suite on a throwaway PostgreSQL cluster started here;
#   3. browser tests run in both, in Debian's headless Chromium.
# What is missing (chromium, postgresql) is installed with apt-get when this
# runs as root. Otherwise those parts skip, loudly; with CI=true nothing may skip.
set -euo pipefail
cd "$(dirname "$0")/.."
export GOFLAGS=-buildvcs=false

ci=${CI:-false}
warn() { printf '\n*** %s ***\n\n' "$*" >&2; }
is_root() { [ "$(id -u)" = 0 ]; }

have_chromium() { command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; }
if ! have_chromium; then
  if is_root && command -v apt-get >/dev/null; then
    echo "test: installing chromium with apt-get" >&2
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >&2
  elif [ "$ci" = true ]; then
    echo "test: chromium is missing and cannot be installed (not root); CI=true forbids skipping" >&2; exit 1
  else
    warn "chromium is missing and this is not root: BROWSER TESTS WILL BE SKIPPED (apt-get install chromium)"
  fi
fi

pgdir=$(mktemp -d /tmp/portal-pg.XXXXXX)
cleanup() { bash scripts/pg-cluster.sh stop "$pgdir" || true; }
trap cleanup EXIT
pgurl=""
if pgurl=$(bash scripts/pg-cluster.sh start "$pgdir"); then
  echo "test: PostgreSQL test cluster at $pgurl" >&2
elif [ "$ci" = true ]; then
  echo "test: could not start PostgreSQL; CI=true forbids skipping" >&2; exit 1
else
  warn "PostgreSQL could not be started: THE POSTGRESQL RUN WILL BE SKIPPED"
fi

mkdir -p test-output
echo "=== go test (SQLite) ==="
go test -count=1 -timeout 50m ./... 2>&1 | tee test-output/sqlite.log
if [ -n "$pgurl" ]; then
  echo "=== go test (PostgreSQL) ==="
  PORTAL_TEST_DATABASE_URL="$pgurl" go test -count=1 -timeout 50m ./... 2>&1 | tee test-output/postgres.log
fi
echo "test: all suites passed"
