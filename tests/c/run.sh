#!/usr/bin/env bash
# Builds each tests/c/test_*.c against the C core (not the Lua binding) with
# ASan and UBSan, runs it, and prints the summed "N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
OUT=build/c-tests
mkdir -p "$OUT"
CC=${CC:-cc}
FLAGS="-std=c99 -Wall -Wextra -Werror -pedantic -g -O1 -fno-omit-frame-pointer
  -fsanitize=address,undefined -fno-sanitize-recover=all -D_POSIX_C_SOURCE=200809L
  -Iinclude -Iplugin -Itests/c"
core=$(ls plugin/*.c | grep -v '/lcopydesk\.c$')
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS=print_stacktrace=1

pass=0 fail=0
for t in tests/c/test_*.c; do
  bin=$OUT/$(basename "$t" .c)
  # shellcheck disable=SC2086
  if ! $CC $FLAGS "$t" $core -o "$bin" -lsodium -lpthread; then
    echo "not ok - $t does not compile"
    fail=$((fail + 1))
    continue
  fi
  line=$("$bin" | tail -n 1)
  rc=${PIPESTATUS[0]}
  echo "$(basename "$t"): $line (exit $rc)"
  p=${line%% passed*}
  f=${line#*, }; f=${f%% failed*}
  case $p$f in *[!0-9]*|'') p=0 f=1 ;; esac
  [ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
  pass=$((pass + p)); fail=$((fail + f))
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
