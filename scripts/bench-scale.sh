#!/usr/bin/env bash
# The scale bench (issue 11): seeds BENCH_SCALE orders with `portal seed --scale`
# (idempotent), serves the portal and measures every list, search and API page
# with concurrent users beside a static file of the same server in the same run
# (scripts/loadbench), on PostgreSQL (50 users) and SQLite (10 users).
# Writes test-output/bench.md and test-output/bench.json.
#   BENCH_SCALE=20000          orders to seed (the README quotes the largest run)
#   BENCH_REQUESTS=300         requests per page on PostgreSQL (50 users)
#   BENCH_SQLITE_REQUESTS=60   requests per page on SQLite (10 users: a third of the pages a second)
#   BENCH_PAGES=core           the pages of the scale issue and the cockpit (loadbench's corePages);
#                              BENCH_PAGES= (empty) every page loadbench knows, or a list of name parts
#   BENCH_PG_URL=postgres://…  an already seeded database (else a throwaway cluster)
#   BENCH_SQLITE=path          an already seeded SQLite file (else a new one)
#   BENCH_SKIP_SQLITE=1        PostgreSQL only; BENCH_SKIP_PG=1 SQLite only
#   BENCH_KEEP=1               append to an existing bench.json instead of starting afresh
#   PG_CLUSTER_OPTS="-c …"     settings of the throwaway cluster (default: sized for a million
#                              orders, below; the report lists the settings the run used)
# The seed's own timing (orders, rows, seconds, rows/s per database) goes to
# test-output/bench-seed.tsv, which scripts/benchsections turns into the
# "## Seed" section of bench.md and the "seed" key of bench.json.
set -euo pipefail
cd "$(dirname "$0")/.."
export GOFLAGS=-buildvcs=false
scale=${BENCH_SCALE:-20000}
out=test-output
mkdir -p "$out" bin
[ -n "${BENCH_KEEP:-}" ] || rm -f "$out/bench.json" "$out/bench.md" "$out/bench-seed.tsv"
export PG_CLUSTER_OPTS=${PG_CLUSTER_OPTS:-"-c shared_buffers=2GB -c work_mem=32MB -c maintenance_work_mem=1GB -c max_wal_size=4GB -c effective_cache_size=12GB -c random_page_cost=1.1"}
go build -o bin/portal ./cmd/portal
go build -o bin/loadbench ./scripts/loadbench
work=$(mktemp -d /tmp/portal-bench.XXXXXX)
pgdir=""
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null || true
  [ -n "$pgdir" ] && bash scripts/pg-cluster.sh stop "$pgdir" || true
  rm -rf "$work"
}
trap cleanup EXIT

bench_one() { # url users label requests
  local db=$1 users=$2 label=$3 reqs=$4 port
  port=$(( 30000 + RANDOM % 20000 ))
  echo "=== seeding $label ($scale orders) ==="
  local t0 t1 line
  t0=$(date +%s.%N)
  bin/portal --database-url "$db" --data-dir "$work/files" seed --scale "$scale" 2>&1 | grep -v 'level=INFO' | tee "$work/seed.log" || true
  t1=$(date +%s.%N)
  # "Carga de escala pronta: N pedidos de venda, P pedidos de compra, R linhas em …"
  line=$(grep -o 'pronta: [0-9]* pedidos de venda, [0-9]* pedidos de compra, [0-9]* linhas' "$work/seed.log" || true)
  if [ -n "$line" ]; then
    printf '%s\t%s\t%s\t%s\n' "${label%%,*}" "$(echo "$line" | awk '{print $2}')" "$(echo "$line" | awk '{print $10}')" \
      "$(echo "$t1 - $t0" | bc)" >>"$out/bench-seed.tsv"
  else
    printf '%s\t%s\t\t\n' "${label%%,*}" "already seeded: not measured" >>"$out/bench-seed.tsv"
  fi
  local tok stok
  tok=$(bin/portal --database-url "$db" --data-dir "$work/files" token create --email admin@escala.example --label bench 2>/dev/null | grep -Eo '[A-Za-z0-9_-]{30,}' | tail -1)
  stok=$(bin/portal --database-url "$db" --data-dir "$work/files" token create --email fornecedor01@escala.example --label bench 2>/dev/null | grep -Eo '[A-Za-z0-9_-]{30,}' | tail -1)
  PORTAL_WORKERS=false PORTAL_LOG_LEVEL=warn bin/portal --database-url "$db" --data-dir "$work/files" --addr "127.0.0.1:$port" serve >"$work/serve.log" 2>&1 &
  server=$!
  for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.3; done
  echo "=== measuring $label with $users users ==="
  BENCH_PAGES=${BENCH_PAGES-core} BENCH_URL="http://127.0.0.1:$port" BENCH_PID=$server BENCH_USERS=$users BENCH_REQUESTS=$reqs \
    BENCH_TOKEN=$tok BENCH_SUPPLIER_TOKEN=$stok BENCH_LABEL="$label" BENCH_OUT=$out bin/loadbench
  kill "$server"; wait "$server" 2>/dev/null || true; server=""
}

pgurl=${BENCH_PG_URL:-}
if [ -z "$pgurl" ] && [ -z "${BENCH_SKIP_PG:-}" ]; then
  pgdir=$(mktemp -d /tmp/portal-benchpg.XXXXXX)
  pgurl=$(bash scripts/pg-cluster.sh start "$pgdir") || pgurl=""
fi
if [ -n "$pgurl" ]; then
  n=$(psql "$pgurl" -Atc "SELECT COALESCE((SELECT value FROM settings WHERE key = 'seed.scale'), '')" 2>/dev/null || true)
  label="PostgreSQL, ${scale} orders"
  [ -n "$n" ] && label="PostgreSQL, seeded with $(echo "$n" | grep -o '"orders":[0-9]*' | cut -d: -f2) orders"
  bench_one "$pgurl" 50 "$label" "${BENCH_REQUESTS:-300}"
  opts="throwaway cluster of scripts/pg-cluster.sh (fsync, synchronous_commit and full_page_writes off) with PG_CLUSTER_OPTS: $PG_CLUSTER_OPTS"
  [ -n "${BENCH_PG_URL:-}" ] && opts="the server of BENCH_PG_URL, as configured there"
  printf '\nPostgreSQL settings of this run (%s):\n\n' "$opts" >>"$out/bench.md"
  psql "$pgurl" -Atc "SELECT name || ' = ' || current_setting(name) FROM pg_settings WHERE name IN ('server_version','shared_buffers','work_mem','maintenance_work_mem','max_wal_size','effective_cache_size','max_connections','fsync','synchronous_commit','full_page_writes','random_page_cost','jit','max_parallel_maintenance_workers') ORDER BY name" \
    | sed 's/^/    /' >>"$out/bench.md" || true
elif [ -z "${BENCH_SKIP_PG:-}" ]; then
  echo "*** PostgreSQL could not be started: THE POSTGRESQL SCALE BENCH WAS SKIPPED ***" >&2
fi
if [ -z "${BENCH_SKIP_SQLITE:-}" ]; then
  bench_one "${BENCH_SQLITE:-$work/scale.db}" 10 "SQLite, ${scale} orders" "${BENCH_SQLITE_REQUESTS:-60}"
fi
go run ./scripts/benchsections
echo "wrote $out/bench.md and $out/bench.json"
