# shellcheck shell=bash
# tools/nginx-lib.sh: run a private nginx serving copydesk preview links, for
# `make demo`, tests/integration/nginx.sh and bench/nginx/run.sh (source it;
# ROOT must be the checkout). Each nginx has its own prefix (config, pid,
# logs, temp files), listens on 127.0.0.1 only, and is stopped by the pid it
# wrote, never by name.

CDN_MODULES=${CDN_MODULES:-/usr/share/nginx/modules}

# A TCP port nothing listens on now, from 20000-60999 (a caller retries
# with another one if nginx still cannot bind it).
cdn_port() {
  local p used
  used=$(ss -Htln 2>/dev/null | awk '{print $4}' | sed 's/.*://')
  for _ in $(seq 1 50); do
    p=$((20000 + RANDOM % 41000))
    if ! printf '%s\n' "$used" | grep -qx "$p"; then echo "$p"; return 0; fi
  done
  return 1
}

# cdn_conf PREFIX PORT [WORKERS]: write PREFIX/conf/nginx.conf. The
# copydesk part is examples/nginx/copydesk-http.conf and
# copydesk-preview.conf, included as a site would include them; /static/
# serves examples/static/ and PREFIX/html/ (the benchmark's static file).
cdn_conf() {
  local prefix=$1 port=$2 workers=${3:-2} user=""
  mkdir -p "$prefix/conf" "$prefix/logs" "$prefix/tmp" "$prefix/html"
  # As root the master drops the workers to nobody: they read the code
  # (world-readable) and the store directory, which the caller hands over.
  if [ "$(id -u)" = 0 ]; then user="user nobody nogroup;"; fi
  cat >"$prefix/conf/nginx.conf" <<EOF
# Written by tools/nginx-lib.sh for a private copydesk nginx; do not edit.
load_module $CDN_MODULES/ndk_http_module.so;
load_module $CDN_MODULES/ngx_http_lua_module.so;
$user
daemon on;
worker_processes $workers;
pid $prefix/nginx.pid;
error_log $prefix/logs/error.log info;
env COPYDESK_KEYRING;

events { worker_connections 1024; }

http {
    access_log off;
    server_tokens off;
    default_type application/octet-stream;
    types { text/html html; image/svg+xml svg; }
    client_body_temp_path $prefix/tmp/body;
    proxy_temp_path $prefix/tmp/proxy;
    fastcgi_temp_path $prefix/tmp/fastcgi;
    uwsgi_temp_path $prefix/tmp/uwsgi;
    scgi_temp_path $prefix/tmp/scgi;

    lua_package_path "$ROOT/lua/?.lua;$ROOT/lua/?/init.lua;;";
    lua_package_cpath "$ROOT/build/jit/?.so;;";
    include $ROOT/examples/nginx/copydesk-http.conf;

    server {
        listen 127.0.0.1:$port;
        include $ROOT/examples/nginx/copydesk-preview.conf;
        location /static/ { alias $ROOT/examples/static/; }
        location /bench/ { alias $prefix/html/; }
        # A stand-in CMS behind the edge below: it renders from the headers.
        location /cms/ {
            allow 127.0.0.1; deny all;
            default_type text/plain;
            add_header Cache-Control "public, max-age=600";
            return 200 "cms renders article \$http_x_copydesk_article revision \$http_x_copydesk_revision\n";
        }
    }

    # The edge variant (Host: edge.test): verify in the access phase, proxy
    # to the CMS, put the preview headers on its answer.
    server {
        listen 127.0.0.1:$port;
        server_name edge.test;
        location /preview/ {
            access_log off;
            access_by_lua_block { require("copydesk.nginx").access() }
            header_filter_by_lua_block { require("copydesk.nginx").header_filter() }
            proxy_pass http://127.0.0.1:$port/cms/;
        }
    }
}
EOF
}

# cdn_start PREFIX KEYRING: start it; 0 when it answers on its port.
cdn_start() {
  local prefix=$1 keyring=$2 port
  port=$(sed -n 's/^ *listen 127.0.0.1:\([0-9]*\);/\1/p' "$prefix/conf/nginx.conf" | head -n 1)
  rm -f "$prefix/nginx.pid"
  COPYDESK_KEYRING=$keyring nginx -p "$prefix/" -c conf/nginx.conf -e "$prefix/logs/error.log" \
    2>>"$prefix/logs/start.log" || return 1
  for _ in $(seq 1 50); do
    if [ -s "$prefix/nginx.pid" ] && curl -s -o /dev/null "http://127.0.0.1:$port/static/ferry.svg"; then
      return 0
    fi
    sleep 0.1
  done
  return 1
}

# cdn_stop PREFIX: stop the nginx whose pid PREFIX/nginx.pid names, if it is
# still the master started with that prefix; wait until it is gone.
cdn_stop() {
  local prefix=$1 pid
  [ -s "$prefix/nginx.pid" ] || return 0
  pid=$(cat "$prefix/nginx.pid")
  if [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "-p $prefix/"; then
    kill -QUIT "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do
      [ -d "/proc/$pid" ] || break
      sleep 0.1
    done
  fi
  rm -f "$prefix/nginx.pid"
}

# cdn_keyring FILE ORIGIN KEYFILE DB: the keyring config of a private nginx.
cdn_keyring() {
  cat >"$1" <<EOF
-- Written by tools/nginx-lib.sh (see examples/keyring.lua for a site's).
return {
  origin = "$2",
  signer_kid = 1,
  keys = { [1] = { alg = "hmac", key_file = "$3" } },
  leeway = 60, max_ttl = 30 * 86400, ttl = 7200,
  store = { driver = "sqlite", path = "$4" },
  canonical_base = "https://news.example/",
  site_name = "The Porthaven Courier (copydesk demo)",
}
EOF
}

# cdn_forge URL: the same link with one character of its token changed.
cdn_forge() {
  local url=$1 tok i c r
  tok=${url##*/}
  i=$(( ${#tok} / 2 ))
  c=${tok:i:1}
  r=A; [ "$c" = A ] && r=B
  echo "${url%/*}/${tok:0:i}$r${tok:i+1}"
}

# cdn_newsroom DIR WORKERS [LINKS_FILE]: the demo newsroom served by nginx.
# Makes DIR/preview.key if there is none (mode 0600), writes the keyring,
# runs tools/demo.lua (a fresh SQLite store in DIR/store/, its report in
# DIR/report.txt, LINKS_FILE if given) and starts nginx under DIR/nginx on
# a free port (CDN_PORT). Returns non-zero, with the reason on stderr, when
# any step fails.
cdn_newsroom() {
  local dir=$1 workers=$2 links=${3:-}
  export LUA_PATH="$ROOT/lua/?.lua;$ROOT/lua/?/init.lua;$ROOT/examples/?.lua;;"
  export LUA_CPATH="$ROOT/build/5.4/?.so;;"
  export CD_ROOT=$ROOT
  mkdir -p "$dir/store"
  if [ ! -f "$dir/preview.key" ]; then
    lua5.4 - "$dir/preview.key" <<'EOF' || return 1
local p = require("copydesk").preview or require("copydesk.preview")
assert(p.write_key_file(arg[1]))
EOF
  fi
  for _ in 1 2 3 4 5; do
    CDN_PORT=$(cdn_port)
    cdn_keyring "$dir/keyring.lua" "http://127.0.0.1:$CDN_PORT" "$dir/preview.key" "$dir/store/newsroom.db"
    if ! lua5.4 "$ROOT/tools/demo.lua" "$dir/keyring.lua" ${links:+"$links"} >"$dir/report.txt" 2>&1; then
      echo "copydesk: the demo newsroom failed:" >&2
      tail -n 20 "$dir/report.txt" >&2
      return 2
    fi
    # As root, nginx's workers run as nobody: hand them the store.
    if [ "$(id -u)" = 0 ]; then chown -R nobody:nogroup "$dir/store"; fi
    cdn_conf "$dir/nginx" "$CDN_PORT" "$workers"
    if cdn_start "$dir/nginx" "$dir/keyring.lua"; then return 0; fi
    cdn_stop "$dir/nginx"
  done
  echo "copydesk: nginx did not start; see $dir/nginx/logs/" >&2
  tail -n 20 "$dir/nginx/logs/error.log" "$dir/nginx/logs/start.log" >&2 2>/dev/null
  return 3
}
