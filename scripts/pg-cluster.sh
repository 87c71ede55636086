#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster for the test suite and prints its URL.
#   scripts/pg-cluster.sh start DIR   -> prints postgres://… on stdout
#   scripts/pg-cluster.sh stop DIR
#   PG_CLUSTER_OPTS="-c shared_buffers=2GB …"  more server settings (the scale bench sets its own)
# Installs Debian's postgresql with apt-get when missing and running as root.
# initdb and postgres refuse to run as root, so as root they run as the
# "postgres" user that the package creates.
set -euo pipefail

cmd=${1:?usage: pg-cluster.sh start|stop DIR}
dir=${2:?usage: pg-cluster.sh start|stop DIR}

find_bin() {
  local b
  for b in /usr/lib/postgresql/*/bin; do
    [ -x "$b/initdb" ] && { echo "$b"; return 0; }
  done
  command -v initdb >/dev/null 2>&1 && { dirname "$(command -v initdb)"; return 0; }
  return 1
}

as_pg() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

case "$cmd" in
start)
  if ! bin=$(find_bin); then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      echo "pg-cluster: installing postgresql with apt-get" >&2
      (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql) >&2
      bin=$(find_bin)
    else
      echo "pg-cluster: PostgreSQL is not installed and this is not root; install Debian's postgresql package" >&2
      exit 3
    fi
  fi
  mkdir -p "$dir"
  [ "$(id -u)" = 0 ] && chown postgres: "$dir"
  port=$(( 20000 + RANDOM % 20000 ))
  as_pg "$bin/initdb" -D "$dir/data" -U portal --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-k $dir -p $port -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300 ${PG_CLUSTER_OPTS:-}" \
    start >&2 || { cat "$dir/server.log" >&2; exit 1; }
  echo "postgres://portal@127.0.0.1:$port/postgres?sslmode=disable"
  ;;
stop)
  bin=$(find_bin) || exit 0
  [ -d "$dir/data" ] && as_pg "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
  ;;
*)
  echo "usage: pg-cluster.sh start|stop DIR" >&2; exit 2 ;;
esac
