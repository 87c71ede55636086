#!/usr/bin/env bash
# make bench: every Go benchmark of the repository, once on SQLite and once on
# PostgreSQL (PORTAL_TEST_DATABASE_URL when set, else a throwaway cluster
# started by scripts/pg-cluster.sh; skipped, loudly, when none can be had).
#   BENCH=regexp      which benchmarks (default: all)
#   BENCHTIME=1x      -benchtime (default: 1x; the 100k-line ones take seconds each)
#   BENCH_SKIP=Polling  -skip (default: the polling benchmark, a minute or two per run)
# Results are also written to test-output/bench-{sqlite,postgres}.txt.
# The sync engine's targets (internal/syncengine/bench_test.go), e.g. BENCH='VTEX|StockPush' BENCHTIME=1x:
#   BenchmarkImportVTEXRateLimited  1,000 orders at VTEX's 6,000 GET/min: %ceiling within 10 % of 100
#   BenchmarkStockPush10kMovements  10,000 movements over 500 SKUs: pushes/cycle ≤ 500
#   BenchmarkImportVsFetch10k       10,000 orders from the local fake VTEX, rate limit off (s/import ≤ 60),
#                                   beside their raw fetch from the same double (no database) in the same
#                                   run: x-fetch ≤ 3 (issue 11); figures also to
#                                   test-output/bench-ingest.json, which `make bench` then puts in bench.md
#                                   and bench.json ("## Import", scripts/benchsections)
# The price tables (internal/pricetable), BENCH=VsBulkLoad BENCHTIME=1x:
#   BenchmarkPriceTableVsBulkLoad100k a 100,000-line table submitted beside the bulk load of the rows it
#                                   stored (pgx COPY on PostgreSQL, sqlite3 .import on SQLite): x-bulk ≤ 3
#                                   ("## Price table" of the report)
# Purchase order creation's target (internal/app/bench_test.go), BENCH=PaymentApproval BENCHTIME=1x:
#   BenchmarkPaymentApprovalToInbox 500 orders of 2 suppliers (1–3 items) paid over 5 s on the local fake
#                                   VTEX, the whole portal running (River import job, workers, web server):
#                                   from the engine seeing the payment approval (the fake answering the GET
#                                   order with ready-for-handling) to the PO in the supplier's inbox (its API
#                                   token polling GET /api/v1/purchase-orders): p99_s ≤ 10 (also p50_s,
#                                   max_s, orders); the verdict is logged, not enforced
# The document store (internal/docstore/bench_test.go), BENCH=StoreAndReadBack: a 5 MB price table and a
#                                   200 KB label stored in the database and read back whole (ns/op, MB/s)
# Uploads (scripts/bench-uploads.sh, run after the SQLite benchmarks): peak RSS of the real binary per input
#                                   kind, one maximum-size body each (stock, catalog, price table, NF-e, label): < 200 MB
# Orders pushed in (internal/app/bench_notify_test.go), BENCH=PaymentToInbox BENCHTIME=1x:
#   BenchmarkPaymentToInboxNotified 200 orders moved to ready-for-handling on the local fake VTEX over 5 s,
#                                   its orders hook registered (POST /hooks/vtex/{id} → import_order job):
#                                   from the fake's status change to the PO in the inbox: p99_s ≤ 5
#   BenchmarkPaymentToInboxPolling  the same with the hook off: only the scheduler's import (every
#                                   minute): p99_s ≤ 70 (takes a minute or two)
set -euo pipefail
cd "$(dirname "$0")/.."
export GOFLAGS=-buildvcs=false

bench=${BENCH:-.}
benchtime=${BENCHTIME:-1x}
# BenchmarkPaymentToInboxPolling waits for the scheduler's minute twice over:
# run it by name (BENCH=Polling BENCH_SKIP=) rather than in every make bench.
skip=${BENCH_SKIP-Polling}
pkgs=$(grep -rl --include='*_test.go' '^func Benchmark' . | xargs -n1 dirname | sort -u | sed 's|^\./|./|')
if [ -z "$pkgs" ]; then echo "bench: no benchmarks found"; exit 0; fi

run() {
  go test -run '^$' -bench "$bench" -skip "${skip:-^$}" -benchtime "$benchtime" -benchmem -timeout 30m $pkgs
}

mkdir -p test-output
echo "=== benchmarks (SQLite) ==="
echo "packages: $pkgs"
PORTAL_TEST_DATABASE_URL= run 2>&1 | tee test-output/bench-sqlite.txt

# Peak RSS of the real binary per upload kind (scripts/bench-uploads.sh).
bash scripts/bench-uploads.sh

pgurl=${PORTAL_TEST_DATABASE_URL:-}
if [ -z "$pgurl" ]; then
  pgdir=$(mktemp -d /tmp/portal-pg.XXXXXX)
  trap 'bash scripts/pg-cluster.sh stop "$pgdir" || true' EXIT
  pgurl=$(bash scripts/pg-cluster.sh start "$pgdir") || pgurl=""
fi
if [ -z "$pgurl" ]; then
  printf '\n*** PostgreSQL could not be started: THE POSTGRESQL BENCHMARKS WERE SKIPPED ***\n\n' >&2
  exit 0
fi
echo "=== benchmarks (PostgreSQL) ==="
PORTAL_TEST_DATABASE_URL="$pgurl" run 2>&1 | tee test-output/bench-postgres.txt
