#!/usr/bin/env bash
# make demo: install what is missing, build the LuaJIT and 5.4 ABIs, run the
# sample newsroom through the workflow into an SQLite store (build/demo/),
# generate a preview key if there is none, start nginx on 127.0.0.1 and
# print a signed preview link to a draft in review. Stays in the foreground
# until Ctrl-C, then stops the nginx it started (by its pid).
#   DEMO_ONESHOT=1   print the link, fetch it and a forged copy, stop, exit
#                    (0 when the link answers 200 and the forged one 404)
#   DEMO_LINKS=FILE  also write the links the integration test uses
set -eu
cd "$(dirname "$0")/.."
ROOT=$PWD
export CD_ROOT=$ROOT
# shellcheck source=tools/nginx-lib.sh
. tools/nginx-lib.sh

make -s --no-print-directory deps
make -s --no-print-directory LUA=jit all
make -s --no-print-directory LUA=5.4 all

DEMO=${DEMO_DIR:-$ROOT/build/demo}
NGX=$DEMO/nginx
mkdir -p "$DEMO"
chmod 755 "$DEMO"
cdn_stop "$NGX"   # an earlier demo's nginx, if it still runs
new_key=no
[ -f "$DEMO/preview.key" ] || new_key=yes
cdn_newsroom "$DEMO" 2 ${DEMO_LINKS:+"$DEMO_LINKS"} || exit 1
PORT=$CDN_PORT
if [ "$new_key" = yes ]; then
  echo "demo: new preview key in $DEMO/preview.key (mode $(stat -c %a "$DEMO/preview.key"))"
fi

cat "$DEMO/report.txt"
LINK=$(sed -n 's/^LINK //p' "$DEMO/report.txt")
echo
echo "nginx (pid $(cat "$NGX/nginx.pid")) serves http://127.0.0.1:$PORT/ from $NGX"
echo "Preview link to the draft in review:"
echo
echo "  $LINK"
echo

if [ -n "${DEMO_ONESHOT:-}" ]; then
  status=0
  got=$(curl -s -o "$DEMO/page.html" -D "$DEMO/headers.txt" -w '%{http_code}' "$LINK")
  echo "GET link:         $got"
  grep -iE '^(cache-control|x-robots-tag|referrer-policy):' "$DEMO/headers.txt" | sed 's/^/  /'
  FORGED=$(cdn_forge "$LINK")
  bad=$(curl -s -o /dev/null -w '%{http_code}' "$FORGED")
  echo "GET forged link:  $bad"
  echo "  $FORGED"
  [ "$got" = 200 ] && [ "$bad" = 404 ] || status=1
  cdn_stop "$NGX"
  exit $status
fi

trap 'echo; echo "demo: stopping nginx"; cdn_stop "$NGX"; exit 0' INT TERM
echo "Open it in a browser. Ctrl-C stops the demo (and its nginx)."
pid=$(cat "$NGX/nginx.pid")
while [ -d "/proc/$pid" ]; do
  sleep 1 &
  wait $! || true
done
echo "demo: nginx exited"
