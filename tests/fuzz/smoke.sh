#!/usr/bin/env bash
# The `make test` share of fuzzing: builds every tests/fuzz/fuzz_*.c and runs
# each for a short time (15 s, less when there are many, about 80 s in all),
# one TAP line per harness. `make fuzz SECONDS=600` is the long run.
set -u
cd "$(dirname "$0")/../.."
count=$(ls tests/fuzz/fuzz_*.c 2>/dev/null | wc -l)
if [ "$count" -eq 0 ]; then echo "not ok 1 - no harness in tests/fuzz/"; exit 1; fi
secs=$((80 / count)); [ "$secs" -gt 15 ] && secs=15; [ "$secs" -lt 5 ] && secs=5
mkdir -p build
if ! make --no-print-directory -s fuzz-build >build/fuzz-build.log 2>&1; then
  echo "not ok 1 - make fuzz-build"; sed 's/^/# /' build/fuzz-build.log | tail -n 30; exit 1
fi
exec bash tests/fuzz/run.sh "$secs"
