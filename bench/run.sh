#!/usr/bin/env bash
# Runs the side-by-side benchmarks: every bench/*/run.sh, or only those named.
# Each prints its own table; README.md's Performance tables come from here.
set -u
cd "$(dirname "$0")/.."
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  for d in bench/*/; do [ -f "$d/run.sh" ] && names+=("$(basename "$d")"); done
fi
status=0
for n in "${names[@]}"; do
  echo "== bench/$n =="
  bash "bench/$n/run.sh" || status=1
done
exit $status
