#!/usr/bin/env bash
# Runs every copydesk test suite and ends with one line "N passed, N failed"
# summing them all. A suite speaks TAP ("ok"/"not ok" lines) or prints its
# own "N passed, N failed" line; a suite that exits non-zero without
# reporting a failure counts one. Logs go to build/test-logs/.
set -u
cd "$(dirname "$0")/.."
ROOT=$PWD
LOGS=$ROOT/build/test-logs
mkdir -p "$LOGS"
export CD_ROOT=$ROOT

total_pass=0
total_fail=0

run_suite() {
  local name=$1; shift
  local log=$LOGS/$name.log rc pass fail summary
  "$@" >"$log" 2>&1
  rc=$?
  summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
  if [ -n "$summary" ]; then
    pass=${summary%% passed*}
    fail=${summary#*, }; fail=${fail%% failed*}
  else
    pass=$(grep -cE '^ok ' "$log")
    fail=$(grep -cE '^not ok ' "$log")
  fi
  if [ "$rc" -ne 0 ] && [ "$fail" -eq 0 ]; then fail=1; fi
  if [ "$pass" -eq 0 ] && [ "$fail" -eq 0 ]; then fail=1; fi  # a suite that ran nothing
  total_pass=$((total_pass + pass))
  total_fail=$((total_fail + fail))
  printf '%-28s %5d ok %5d not ok\n' "$name" "$pass" "$fail"
  if [ "$fail" -ne 0 ]; then
    echo "---- $name (exit $rc): last lines of $log"
    grep -vE '^ok ' "$log" | tail -n 40
    echo "----"
  fi
}

busted_args() { # ABI
  echo -o TAP --lpath="$ROOT/lua/?.lua;$ROOT/lua/?/init.lua" \
    --cpath="$ROOT/build/$1/?.so" tests/spec
}

interp() { case $1 in jit) echo luajit ;; *) echo "lua$1" ;; esac; }

# C unit tests, under AddressSanitizer and UndefinedBehaviorSanitizer.
run_suite c-unit bash tests/c/run.sh

# Each libFuzzer harness of tests/fuzz/ for a short smoke (make fuzz runs long).
run_suite fuzz-smoke bash tests/fuzz/smoke.sh

# Lua specs on every supported interpreter.
for abi in 5.1 5.3 5.4 jit; do
  # shellcheck disable=SC2046
  run_suite "busted-lua$abi" "$(interp $abi)" /usr/bin/busted $(busted_args $abi)
done

# The Lua specs once more under valgrind: any error or definite leak fails.
# shellcheck disable=SC2046
CD_VALGRIND=1 run_suite valgrind-lua5.4 valgrind -q --leak-check=full --errors-for-leak-kinds=definite \
  --error-exitcode=99 lua5.4 /usr/bin/busted $(busted_args 5.4)

run_suite luacheck luacheck --formatter TAP lua tests

for t in tests/integration/*.sh; do
  run_suite "integration-$(basename "$t" .sh)" bash "$t"
done

echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
