#!/usr/bin/env bash
# Runs each libFuzzer harness built by `make fuzz-build` for N seconds:
#   tests/fuzz/run.sh SECONDS [topic ...]     (topic = utf8 for fuzz_utf8.c)
# A harness fuzzes a copy of its committed seeds, build/fuzz/corpus-<topic>/,
# so libFuzzer never writes into tests/fuzz/corpus/. Any crash, leak, timeout
# or out-of-memory fails; reproducers land in build/fuzz/artifacts/. Prints
# one TAP line per harness with its exec count; logs in build/fuzz/<topic>.log.
# FUZZ_WORK=dir puts corpus copies, logs and artifacts there instead (a long
# run in the background then does not share them with `make test`'s smoke).
set -u
cd "$(dirname "$0")/../.."
secs=${1:?usage: tests/fuzz/run.sh SECONDS [topic ...]}
shift
topics=("$@")
if [ ${#topics[@]} -eq 0 ]; then
  for f in tests/fuzz/fuzz_*.c; do
    [ -e "$f" ] || continue
    t=${f#tests/fuzz/fuzz_}; topics+=("${t%.c}")
  done
fi
work=${FUZZ_WORK:-build/fuzz}
mkdir -p "$work/artifacts"
n=0 failed=0
for t in "${topics[@]}"; do
  n=$((n + 1))
  bin=build/fuzz/fuzz_$t
  log=$work/$t.log
  corpus=$work/corpus-$t
  if [ ! -x "$bin" ]; then
    echo "not ok $n - fuzz_$t: not built (make fuzz-build)"; failed=$((failed + 1)); continue
  fi
  mkdir -p "$corpus"
  if [ -d "tests/fuzz/corpus/$t" ]; then
    cp -n tests/fuzz/corpus/"$t"/* "$corpus"/ 2>/dev/null
  fi
  # -timeout: one input may take at most 10 s; -rss_limit_mb: 2 GB.
  ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=0} \
  UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
    "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="$work/artifacts/$t-" "$corpus" >"$log" 2>&1
  rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -n 1)
  if [ "$rc" -eq 0 ] && ! grep -qE '^(==[0-9]+==ERROR|SUMMARY: |.*runtime error:)' "$log"; then
    echo "ok $n - fuzz_$t: ${execs:-?} execs in ${secs}s, ${cov:-cov: ?}, no finding"
  else
    failed=$((failed + 1))
    echo "not ok $n - fuzz_$t: finding after ${execs:-?} execs (exit $rc), see $log"
    grep -E 'ERROR|SUMMARY|runtime error|Test unit written' "$log" | head -n 5 | sed 's/^/# /'
  fi
  echo "$(date -u +%FT%TZ) fuzz_$t secs=$secs execs=${execs:-?} ${cov:-} rc=$rc" >>"$work/history.txt"
done
[ "$failed" -eq 0 ]
