#!/usr/bin/env bash
# The HTML body engine on a 1,000-word story: copydesk's scanner (what
# validate runs over a body) and sanitizer through Lua 5.4 and LuaJIT, next
# to lua-cjson decoding the same article (the floor) and sanitize-html (npm)
# with an equivalent allow-list. One table, calls per second.
set -u
cd "$(dirname "$0")/../.."
ROOT=$PWD
OUT=$ROOT/build/bench-html
mkdir -p "$OUT"
for v in 5.4 jit; do make --no-print-directory -s LUA=$v all >/dev/null || exit 1; done
if [ ! -d bench/html/node_modules/sanitize-html ]; then
  (cd bench/html && npm install --no-audit --no-fund --silent >/dev/null 2>&1) || echo "# npm install failed: no sanitize-html column"
fi
lua5.4 bench/html/story.lua "$OUT/story.html" "$OUT/story.json"
run_lua() { # interp abi
  LUA_PATH="$ROOT/lua/?.lua;$ROOT/lua/?/init.lua;;" LUA_CPATH="$ROOT/build/$2/?.so;;" \
    "$1" bench/html/bench.lua "$OUT/story.html" "$OUT/story.json"
}
run_lua lua5.4 5.4 >"$OUT/lua54.tsv" || exit 1
run_lua luajit jit >"$OUT/luajit.tsv" || exit 1
peer=""
if [ -d bench/html/node_modules/sanitize-html ]; then
  peer=$(node bench/html/peer.js "$OUT/story.html" | cut -f2)
fi
get() { grep "^$2	" "$1" | cut -f2; }
words=$(sed 's/<[^>]*>/ /g' "$OUT/story.html" | wc -w)
echo "# $(date -u +%F) $(uname -m), $(nproc) cores; story: $(wc -c <"$OUT/story.html") bytes, $words words"
echo
echo "| calls/s (story of $words words) | Lua 5.4 | LuaJIT | vs cjson.decode (5.4) |"
echo "|---|---:|---:|---:|"
c54=$(get "$OUT/lua54.tsv" cjson.decode)
for name in cjson.decode html_scan sanitize_html; do
  a=$(get "$OUT/lua54.tsv" $name); b=$(get "$OUT/luajit.tsv" $name)
  printf '| %s | %.0f | %.0f | %.2fx |\n' "$name" "$a" "$b" "$(awk "BEGIN { print $a / $c54 }")"
done
if [ -n "$peer" ]; then
  s54=$(get "$OUT/lua54.tsv" sanitize_html)
  printf '| sanitize-html (npm, Node %s) | %.0f | | copydesk.sanitize_html is %.1fx faster |\n' \
    "$(node --version)" "$peer" "$(awk "BEGIN { print $s54 / $peer }")"
fi
