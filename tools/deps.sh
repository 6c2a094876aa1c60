#!/bin/sh
# Installs the Debian packages copydesk needs that are missing, in order:
# nginx's Lua module may pull a LuaJIT that luajit2 must then replace, so
# luajit2 comes last. Quick (dpkg queries only) when all are present.
#   tools/deps.sh          what building, `make test` and `make demo` need
#   tools/deps.sh bench    that, plus the peers `make bench` measures against
set -eu

BASE="make gcc clang pkg-config valgrind curl
  lua5.1 lua5.3 lua5.4 liblua5.1-0-dev liblua5.3-dev liblua5.4-dev
  lua-cjson libsodium-dev luarocks lua-busted lua-check lua-sql-sqlite3
  libclang-rt-14-dev nginx-light libnginx-mod-http-lua chromium
  postgresql lua-sql-postgres"
BENCH="wrk hyperfine python3-slugify python3-django python3-itsdangerous librust-slug-dev"
LUAJIT="luajit2 libluajit2-5.1-dev"

updated=no
install_missing() {
  missing=""
  for p in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed'; then
      missing="$missing $p"
    fi
  done
  [ -z "$missing" ] && return 0
  if [ "$(id -u)" != 0 ]; then
    echo "copydesk: missing Debian packages:$missing" >&2
    echo "copydesk: run 'make deps' as root, or install them yourself" >&2
    exit 1
  fi
  echo "copydesk: installing$missing"
  if [ "$updated" = no ]; then
    apt-get update -qq
    updated=yes
  fi
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
}

# shellcheck disable=SC2086
install_missing $BASE
if [ "${1:-}" = bench ]; then
  # shellcheck disable=SC2086
  install_missing $BENCH
  # Node.js and cargo may come from elsewhere than Debian; install only if absent.
  command -v node >/dev/null 2>&1 || install_missing nodejs npm
  command -v cargo >/dev/null 2>&1 || install_missing cargo
fi
# shellcheck disable=SC2086
install_missing $LUAJIT
