#!/usr/bin/env bash
# Runs the store suite (tests/spec/store_postgres_spec.lua) against a real
# PostgreSQL: a throwaway cluster made with initdb (as the postgres user
# when run as root), listening on 127.0.0.1 at a free port with its unix
# socket in the temporary directory, stopped by pid and removed at the end.
# Speaks TAP; skips (visibly) only when PostgreSQL cannot be installed.
set -u
cd "$(dirname "$0")/../.."
ROOT=$PWD
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}

have_pg() {
  [ -x "$PGBIN/initdb" ] && [ -x "$PGBIN/pg_ctl" ] && lua5.4 -e 'require "luasql.postgres"' 2>/dev/null
}
if ! have_pg; then
  sh tools/deps.sh >/dev/null 2>&1 || true
fi
if ! have_pg; then
  echo "1..1"
  echo "ok 1 # SKIP PostgreSQL (postgresql, lua-sql-postgres) cannot be installed here"
  exit 0
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/copydesk-pg.XXXXXX")
chmod 755 "$dir"
pid=""
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -INT "$pid" 2>/dev/null   # fast shutdown
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -rf "$dir"
}
trap cleanup EXIT
[ "$(id -u)" = 0 ] && chown postgres "$dir"

fail_setup() {
  echo "1..1"
  echo "not ok 1 - $1"
  sed 's/^/# /' "$dir/log" 2>/dev/null | tail -n 30
  exit 1
}

as_pg "$PGBIN/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-sync >"$dir/log" 2>&1 \
  || fail_setup "initdb made a cluster"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_pg "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c full_page_writes=off" \
  start >>"$dir/log" 2>&1 || { cat "$dir/server.log" >>"$dir/log" 2>/dev/null; fail_setup "the server started"; }
pid=$(head -n 1 "$dir/data/postmaster.pid")

export CD_PG_CONNINFO="host=127.0.0.1 port=$port dbname=postgres user=postgres"
lua5.4 /usr/bin/busted -o TAP --lpath="$ROOT/lua/?.lua;$ROOT/lua/?/init.lua" \
  --cpath="$ROOT/build/5.4/?.so" tests/spec/store_postgres_spec.lua
