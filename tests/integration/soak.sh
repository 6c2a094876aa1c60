#!/usr/bin/env bash
# The Lua API soak (tests/soak/soak.lua) on Lua 5.4 and LuaJIT, then once more
# on Lua 5.4 under valgrind with lighter inputs: no error, no definite leak.
# Fixed seed, bounded time. Speaks TAP (one line per function and run).
set -u
cd "$(dirname "$0")/../.."
ROOT=$PWD
OUT=build/soak
mkdir -p "$OUT"
SECS=${SOAK_SECONDS:-12}
LP="$ROOT/lua/?.lua;$ROOT/lua/?/init.lua;;"
n=0 status=0
run() { # label abi lua-command...
  local label=$1 abi=$2; shift 2
  local log=$OUT/$label.log
  LUA_PATH=$LP LUA_CPATH="$ROOT/build/$abi/?.so;;" timeout 600 "$@" >"$log" 2>&1
  local rc=$?
  # Renumber the soak's TAP lines under one plan.
  while IFS= read -r line; do
    case $line in
      "ok "*) n=$((n + 1)); echo "ok $n - $label: ${line#ok * - }" ;;
      "not ok "*) n=$((n + 1)); echo "not ok $n - $label: ${line#not ok * - }" ;;
      *) echo "$line" ;;
    esac
  done <"$log"
  if [ "$rc" -ne 0 ]; then
    n=$((n + 1)); echo "not ok $n - $label exits $rc"; tail -n 20 "$log" | sed 's/^/# /'; status=1
  fi
}
for abi in 5.4 jit; do
  make --no-print-directory -s LUA=$abi all >/dev/null || { echo "not ok 1 - build $abi"; exit 1; }
done
run lua5.4 5.4 lua5.4 tests/soak/soak.lua "$SECS"
run luajit jit luajit tests/soak/soak.lua "$SECS"
run valgrind-lua5.4 5.4 valgrind -q --leak-check=full --show-possibly-lost=no --errors-for-leak-kinds=definite --error-exitcode=99 \
  lua5.4 tests/soak/soak.lua "${SOAK_VALGRIND_SECONDS:-20}" 20261128 light
exit $status
