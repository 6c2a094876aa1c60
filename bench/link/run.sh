#!/usr/bin/env bash
# Preview links, signed and verified per second (process CPU time, one run):
# copydesk through Lua 5.4 and LuaJIT, its C API, raw libsodium crypto_auth
# on a message of the same size (the limit), itsdangerous and Django signing
# (Debian's python3), Node's crypto HMAC and jose (npm, bench/link/package.json).
#   bench/link/run.sh [SECONDS per measurement, default 1]
set -u
cd "$(dirname "$0")/../.."
ROOT=$PWD
SECS=${1:-1}
ORIGIN=https://news.example
OUT=build/bench-link
mkdir -p "$OUT"

core=$(ls plugin/*.c | grep -v '/lcopydesk\.c$')
# shellcheck disable=SC2086
cc -O2 -std=c99 -D_POSIX_C_SOURCE=200809L -Iinclude -Iplugin bench/link/raw.c $core \
  -o "$OUT/raw" -lsodium || exit 1
for abi in 5.4 jit; do
  [ -f "build/$abi/copydesk/core.so" ] || make --no-print-directory -s LUA=$abi all || exit 1
done
if [ ! -d bench/link/node_modules/jose ]; then
  (cd bench/link && npm install --no-audit --no-fund --silent >/dev/null 2>&1) ||
    echo "bench/link: npm install failed; jose rows will be missing" >&2
fi

lua_run() { # interpreter abi
  LUA_PATH="$ROOT/lua/?.lua;$ROOT/lua/?/init.lua;;" LUA_CPATH="$ROOT/build/$2/?.so;;" \
    "$1" bench/link/bench.lua "$ORIGIN" "$SECS"
}

{
  "$OUT/raw" "$ORIGIN" "$SECS"
  lua_run lua5.4 5.4 | sed 's/^lua /lua54 /'
  lua_run luajit jit | sed 's/^lua /luajit /'
  /usr/bin/python3 bench/link/peers.py "$SECS"
  (cd bench/link && node peers.mjs "$ORIGIN" "$SECS")
} >"$OUT/results.txt" 2>"$OUT/errors.txt"
status=$?
[ -s "$OUT/errors.txt" ] && sed 's/^/# /' "$OUT/errors.txt" >&2

awk -v date="$(date -u +%Y-%m-%d)" -v cpu="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')" \
  -v cores="$(nproc)" '
  { r[$1] = $0; s[$1] = $2; v[$1] = $3 }
  $1 == "raw" { msg = $4 }
  $1 == "lua54" { es = $4; ev = $5 }
  function row(name, alg, sg, vf, base_s, base_v) {
    printf "| %s | %s | %.0f | %.0f | %.2f | %.2f |\n", name, alg, sg, vf, base_s / sg, base_v / vf
  }
  END {
    printf "Preview links, %s, %s (%d cores), process CPU time, one run; ratio = copydesk Lua 5.4 over the row (same algorithm)\n\n", date, cpu, cores
    print "| implementation | algorithm | sign/s | verify/s | sign ratio | verify ratio |"
    print "|---|---|---:|---:|---:|---:|"
    L = s["lua54"]; V = v["lua54"]
    row("copydesk, Lua 5.4", "HMAC-SHA-512-256", L, V, L, V)
    if ("luajit" in s) row("copydesk, LuaJIT 2.1", "HMAC-SHA-512-256", s["luajit"], v["luajit"], L, V)
    if ("capi" in s) row("copydesk, C API", "HMAC-SHA-512-256", s["capi"], v["capi"], L, V)
    if ("raw" in s) row("libsodium crypto_auth, " msg "-byte message (the limit)", "HMAC-SHA-512-256", s["raw"], v["raw"], L, V)
    if ("itsdangerous" in s) row("itsdangerous TimestampSigner", "HMAC-SHA-1", s["itsdangerous"], v["itsdangerous"], L, V)
    if ("django" in s) row("Django signing.TimestampSigner", "HMAC-SHA-256", s["django"], v["django"], L, V)
    if ("node-hmac" in s) row("Node crypto.createHmac", "HMAC-SHA-512/256", s["node-hmac"], v["node-hmac"], L, V)
    if ("jose-hs256" in s) row("jose SignJWT / jwtVerify", "HS256", s["jose-hs256"], v["jose-hs256"], L, V)
    split(r["lua54"], a, " "); split(r["luajit"], b, " ")
    row("copydesk, Lua 5.4", "Ed25519", a[4], a[5], a[4], a[5])
    if ("luajit" in s) row("copydesk, LuaJIT 2.1", "Ed25519", b[4], b[5], a[4], a[5])
    if ("jose-eddsa" in s) { split(r["jose-eddsa"], c, " "); row("jose SignJWT / jwtVerify", "EdDSA (Ed25519)", c[2], c[3], a[4], a[5]) }
    if ("raw" in s) printf "\nLua 5.4 over raw crypto_auth: sign %.2f, verify %.2f (the goal: at least 0.50 each)\n", L / s["raw"], V / v["raw"]
  }' "$OUT/results.txt"
exit $status
