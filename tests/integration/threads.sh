#!/usr/bin/env bash
# Builds tests/c/threads/threads.c with copydesk's sources (binding included)
# under ThreadSanitizer against Lua 5.4, runs it with 4 threads, and fails on
# any TSan report. Speaks TAP.
set -u
cd "$(dirname "$0")/../.."
OUT=build/threads
mkdir -p "$OUT"
CC=${TSAN_CC:-clang}
# shellcheck disable=SC2046
if ! $CC -std=c99 -Wall -Wextra -Werror -pedantic -g -O1 -fsanitize=thread -D_POSIX_C_SOURCE=200809L \
    -Iinclude -Iplugin -I/usr/include/lua5.4 tests/c/threads/threads.c $(ls plugin/*.c) \
    -o "$OUT/threads" -llua5.4 -lsodium -lpthread -lm >"$OUT/build.log" 2>&1; then
  echo "not ok 1 - threads.c builds under ThreadSanitizer"; sed 's/^/# /' "$OUT/build.log"; exit 1
fi
rm -f "$OUT"/tsan.*
iters=40
[ "${CD_VALGRIND:-}" = 1 ] && iters=10
TSAN_OPTIONS="halt_on_error=0 exitcode=66 log_path=$OUT/tsan" "$OUT/threads" "$PWD" 4 "$iters" >"$OUT/out.tap"
rc=$?
cat "$OUT/out.tap"
n=$(grep -cE '^(ok|not ok) ' "$OUT/out.tap")
reports=$(cat "$OUT"/tsan.* 2>/dev/null | grep -c 'WARNING: ThreadSanitizer')
if [ "$reports" -eq 0 ] && [ "$rc" -eq 0 ]; then
  echo "ok $((n + 1)) - ThreadSanitizer reports nothing"
else
  echo "not ok $((n + 1)) - ThreadSanitizer: $reports report(s), exit $rc"
  cat "$OUT"/tsan.* 2>/dev/null | head -n 60 | sed 's/^/# /'
fi
rm -f "$OUT"/tsan.*
