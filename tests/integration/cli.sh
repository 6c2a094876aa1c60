#!/usr/bin/env bash
# Installs copydesk with `luarocks make` (Lua 5.4, offline) into a temporary
# tree and runs the installed `copydesk` command: the launcher LuaRocks
# writes must find the modules and the C core. Speaks TAP.
set -u
cd "$(dirname "$0")/../.."
ROOT=$PWD
export LUAROCKS_CONFIG=$ROOT/rockspec/luarocks-offline.lua
tree=$(mktemp -d)
work=$(mktemp -d)
trap 'rm -rf "$tree" "$work"' EXIT
cp -r include plugin lua rockspec bin "$work"/
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "# $l"; done; }

if (cd "$work" && luarocks --tree "$tree" --lua-version 5.4 make rockspec/copydesk-scm-1.rockspec) \
    >"$work/make.log" 2>&1; then
  ok "luarocks make installs copydesk with its command"
else
  notok "luarocks make installs copydesk with its command" "$(tail -n 20 "$work/make.log")"
fi

bin=$tree/bin/copydesk
if [ -x "$bin" ]; then ok "the command is installed as bin/copydesk"; else notok "the command is installed as bin/copydesk"; fi

got=$(cd / && env -u LUA_PATH -u LUA_CPATH "$bin" --version 2>&1)
if [ "$got" = "copydesk 0.1.0" ]; then ok "installed copydesk --version"; else notok "installed copydesk --version" "$got"; fi

got=$(cd / && env -u LUA_PATH -u LUA_CPATH "$bin" check 2>&1); rc=$?
if [ "$rc" = 2 ] && [ "$got" = "copydesk check: no FILE given (try --help)" ]; then
  ok "a usage error exits 2 with one line on stderr"
else
  notok "a usage error exits 2 with one line on stderr" "rc=$rc" "$got"
fi

got=$(cd / && env -u LUA_PATH -u LUA_CPATH "$bin" audit --help 2>&1); rc=$?
case $got in
  "Usage: copydesk audit"*) [ "$rc" = 0 ] && ok "installed copydesk audit --help" || notok "audit --help exit $rc" ;;
  *) notok "installed copydesk audit --help" "$got" ;;
esac
echo "1..$n"
