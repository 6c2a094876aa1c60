#!/usr/bin/env bash
# Validation of a 1,000-word story (bench/validate/story.lua, written for
# copydesk): copydesk.validate through Lua 5.4 and LuaJIT next to lua-cjson
# decoding the same story as JSON (the floor the host already pays), and ajv
# (npm) with IPTC's ninjs 2.2 schema on the same story in ninjs form. One
# table, calls per second.
set -u
cd "$(dirname "$0")/../.."
ROOT=$PWD
OUT=$ROOT/build/bench-validate
mkdir -p "$OUT"
for v in 5.4 jit; do make --no-print-directory -s LUA=$v all >/dev/null || exit 1; done
SCHEMA=""
for d in "$ROOT/../shared" "$ROOT/../../shared"; do
  [ -f "$d/corpus/ninjs/specification/ninjs-schema_2.2.json" ] && SCHEMA="$d/corpus/ninjs/specification/ninjs-schema_2.2.json" && break
done
if [ ! -d bench/validate/node_modules/ajv ]; then
  (cd bench/validate && npm install --no-audit --no-fund --silent >/dev/null 2>&1) || echo "# npm install failed: no ajv column"
fi
LUA_PATH="$ROOT/lua/?.lua;$ROOT/lua/?/init.lua;;" LUA_CPATH="$ROOT/build/5.4/?.so;;" \
  lua5.4 bench/validate/story.lua "$OUT" || exit 1
run_lua() { # interp abi
  LUA_PATH="$ROOT/lua/?.lua;$ROOT/lua/?/init.lua;;" LUA_CPATH="$ROOT/build/$2/?.so;;" \
    "$1" bench/validate/bench.lua "$ROOT/bench/validate"
}
run_lua lua5.4 5.4 >"$OUT/lua54.tsv" || exit 1
run_lua luajit jit >"$OUT/luajit.tsv" || exit 1
: >"$OUT/ajv.tsv"
if [ -n "$SCHEMA" ] && [ -d bench/validate/node_modules/ajv ]; then
  node bench/validate/peer.js "$SCHEMA" "$OUT/story.ninjs.json" \
    "$(dirname "$SCHEMA")/../test_suite/GeoJSON-schema.json" >"$OUT/ajv.tsv" || : >"$OUT/ajv.tsv"
fi
get() { grep "^$2	" "$1" | cut -f2; }
words=$(LUA_PATH="$ROOT/bench/validate/?.lua;;" lua5.4 -e 'local _, w = require("story").article(); io.write(w)')
echo "# $(date -u +%F) $(uname -m), $(nproc) cores; story: $words words, $(wc -c <"$OUT/story.json") bytes of JSON"
echo
echo "| calls/s (story of $words words) | Lua 5.4 | LuaJIT | Lua 5.4 vs cjson.decode |"
echo "|---|---:|---:|---:|"
c54=$(get "$OUT/lua54.tsv" cjson.decode)
for name in cjson.decode validate validate_json to_article+validate; do
  a=$(get "$OUT/lua54.tsv" "$name"); b=$(get "$OUT/luajit.tsv" "$name")
  printf '| %s | %.0f | %.0f | %.2fx |\n' "$name" "$a" "$b" "$(awk "BEGIN { print $a / $c54 }")"
done
if [ -s "$OUT/ajv.tsv" ]; then
  for name in ajv ajv+parse; do
    a=$(get "$OUT/ajv.tsv" "$name")
    printf '| %s (npm, ninjs 2.2 schema, Node %s) | %.0f | | %.2fx |\n' "$name" "$(node --version)" "$a" \
      "$(awk "BEGIN { print $a / $c54 }")"
  done
fi
