#!/usr/bin/env bash
# Verified preview requests per second through nginx (one worker, LuaJIT,
# SQLite store) next to the same nginx serving a static file of the same
# size, and the one 404 a forged link gets. wrk on 127.0.0.1 only, bounded
# duration (BENCH_SECONDS, default 10), one table from one run.
set -eu
cd "$(dirname "$0")/../.."
ROOT=$PWD
# shellcheck source=tools/nginx-lib.sh
. tools/nginx-lib.sh

SECONDS_EACH=${BENCH_SECONDS:-10}
CONNS=${BENCH_CONNECTIONS:-32}
command -v wrk >/dev/null || { echo "bench/nginx: wrk is not installed (make deps: tools/deps.sh bench)" >&2; exit 1; }
for abi in jit 5.4; do make -s --no-print-directory LUA=$abi all; done

WORK=$(mktemp -d /tmp/copydesk-nginx-bench.XXXXXX)
chmod 755 "$WORK"
trap 'cdn_stop "$WORK/nginx"; rm -rf "$WORK"' EXIT
cdn_newsroom "$WORK" 1 "$WORK/links.txt"
LINK=$(sed -n 's/^review //p' "$WORK/links.txt")
BASE=http://127.0.0.1:$CDN_PORT

# The static peer: the preview page itself, saved as a file nginx serves.
curl -s -o "$WORK/nginx/html/page.html" "$LINK"
SIZE=$(stat -c %s "$WORK/nginx/html/page.html")
FORGED=$(cdn_forge "$LINK")
test "$(curl -s -o /dev/null -w '%{http_code}' "$LINK")" = 200
test "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/bench/page.html")" = 200
test "$(curl -s -o /dev/null -w '%{http_code}' "$FORGED")" = 404

run() { # url -> "rps p50 p99"
  local out
  out=$(wrk -t1 -c"$CONNS" -d"${SECONDS_EACH}s" --latency "$1")
  if printf '%s\n' "$out" | grep -q "Non-2xx or 3xx responses"; then
    [ "${2:-}" = expect404 ] || { echo "bench/nginx: error responses from $1" >&2; exit 1; }
  fi
  printf '%s\n' "$out" | grep -q "Socket errors" && { echo "bench/nginx: socket errors on $1" >&2; exit 1; }
  printf '%s %s %s\n' \
    "$(printf '%s\n' "$out" | awk '/^Requests\/sec:/ {print $2}')" \
    "$(printf '%s\n' "$out" | awk '$1 == "50%" {print $2}')" \
    "$(printf '%s\n' "$out" | awk '$1 == "99%" {print $2}')"
}

# Warm up both paths (LuaJIT traces, page cache).
wrk -t1 -c"$CONNS" -d2s "$LINK" >/dev/null
wrk -t1 -c"$CONNS" -d2s "$BASE/bench/page.html" >/dev/null

read -r s_rps s_p50 s_p99 <<<"$(run "$BASE/bench/page.html")"
read -r v_rps v_p50 v_p99 <<<"$(run "$LINK")"
read -r f_rps f_p50 f_p99 <<<"$(run "$FORGED" expect404)"

echo "nginx $(nginx -v 2>&1 | sed 's/.*\///'), 1 worker, wrk -t1 -c$CONNS -d${SECONDS_EACH}s on 127.0.0.1, $(nproc) cores, $(date -u +%Y-%m-%d)"
echo
printf '| %-52s | %10s | %8s | %8s | %9s |\n' "request" "req/s" "p50" "p99" "vs static"
printf '|%s|%s|%s|%s|%s|\n' "------------------------------------------------------" "-----------:" "---------:" "---------:" "----------:"
row() { printf '| %-52s | %10.0f | %8s | %8s | %9s |\n' "$1" "$2" "$3" "$4" "$(awk -v a="$2" -v b="$s_rps" 'BEGIN{printf "%.2f", a/b}')"; }
row "static file, same size ($SIZE bytes)" "$s_rps" "$s_p50" "$s_p99"
row "verified preview: verify + SQLite + sanitize + render" "$v_rps" "$v_p50" "$v_p99"
row "forged link: 404 (bad_signature)" "$f_rps" "$f_p50" "$f_p99"
