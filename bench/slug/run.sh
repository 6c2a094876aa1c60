#!/usr/bin/env bash
# Slug benchmark: a deterministic corpus of headlines in ten languages
# (tests/fixtures/headlines.lua), slugified side by side in one run by
# copydesk (Lua 5.4, LuaJIT, C) and its peers: Rust slug + deunicode (Debian,
# built offline), python-slugify and Django (Debian), npm slugify and
# @sindresorhus/slugify. Prints headlines/s, MB/s and the share of empty
# slugs of each. Every driver times CPU of its own process (os.clock, clock(),
# process_time, cpuUsage). SLUG_BENCH_N (default 100000), SLUG_BENCH_ROUNDS
# (best of 3).
set -eu
cd "$(dirname "$0")/../.."
ROOT=$PWD
OUT=$ROOT/build/bench-slug
B=$ROOT/bench/slug
N=${SLUG_BENCH_N:-100000}
ROUNDS=${SLUG_BENCH_ROUNDS:-3}
mkdir -p "$OUT"

lua5.4 "$B/gen_corpus.lua" "$ROOT" "$OUT/corpus.txt" "$N"
for v in 5.4 jit; do make -s --no-print-directory LUA=$v all; done
# shellcheck disable=SC2046
cc -std=c99 -O2 -D_POSIX_C_SOURCE=200809L -Iinclude -Iplugin "$B/driver.c" $(ls plugin/*.c | grep -v lcopydesk) \
  -o "$OUT/driver" -lsodium
(cd "$B/rust" && cargo build -q --release --target-dir "$OUT/rust")
[ -d "$B/node_modules/slugify" ] && [ -d "$B/node_modules/@sindresorhus/slugify" ] ||
  (cd "$B" && npm install --no-audit --no-fund --silent)

res=$OUT/results.tsv
: >"$res"
lp="$ROOT/lua/?.lua;$ROOT/lua/?/init.lua"
LUA_PATH="$lp" LUA_CPATH="$ROOT/build/5.4/?.so" lua5.4 "$B/bench.lua" "$OUT/corpus.txt" "$ROUNDS" >>"$res"
LUA_PATH="$lp" LUA_CPATH="$ROOT/build/jit/?.so" luajit "$B/bench.lua" "$OUT/corpus.txt" "$ROUNDS" >>"$res"
"$OUT/driver" "$OUT/corpus.txt" "$ROUNDS" >>"$res"
"$OUT/rust/release/slug-bench" "$OUT/corpus.txt" "$ROUNDS" >>"$res"
/usr/bin/python3 "$B/bench.py" "$OUT/corpus.txt" "$ROUNDS" >>"$res"
(cd "$B" && node bench.mjs "$OUT/corpus.txt" "$ROUNDS") >>"$res"

echo "corpus: $(sed -n 1p "$res" | cut -f3) headlines, $(sed -n 1p "$res" | cut -f4) bytes" \
  "(en fr de es pl vi ru el ko zh); best of $ROUNDS; $(date -u +%Y-%m-%d), $(nproc) cores"
awk -F'\t' '
  { name[NR] = $1; hs[NR] = $3 / $2; mbs[NR] = $4 / $2 / 1e6; emp[NR] = 100 * $5 / $3
    if ($1 ~ /^rust/) rust = hs[NR] }
  END {
    printf "| %-36s | %12s | %8s | %12s | %10s |\n", "implementation", "headlines/s", "MB/s", "empty slugs", "vs Rust slug"
    printf "|%s|%s|%s|%s|%s|\n", "--------------------------------------", "-------------:", "---------:", "-------------:", "-----------:"
    for (i = 1; i <= NR; i++)
      printf "| %-36s | %12.0f | %8.1f | %11.2f%% | %9.2fx |\n", name[i], hs[i], mbs[i], emp[i], hs[i] / rust
  }' "$res"
