#!/usr/bin/env bash
# Linear cost: time against input size (1 KB .. 16 MB, doubling) for
# utf8_check, slugify, sanitize_html and validate through Lua 5.4; one table.
#   bench/scaling/run.sh [max_kb]
set -u
cd "$(dirname "$0")/../.."
ROOT=$PWD
make --no-print-directory -s LUA=5.4 all >/dev/null || exit 1
echo "# $(date -u +%F) $(uname -m), $(nproc) cores, $(lua5.4 -v 2>&1 | cut -d' ' -f1-2), CPU time per call (best of 3)"
LUA_PATH="$ROOT/lua/?.lua;$ROOT/lua/?/init.lua;;" LUA_CPATH="$ROOT/build/5.4/?.so;;" \
  exec lua5.4 bench/scaling/scaling.lua "${1:-16384}"
