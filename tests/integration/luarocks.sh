#!/usr/bin/env bash
# Installs copydesk with `luarocks make` into a fresh temporary tree for each
# supported interpreter, offline (lua-cjson from Debian), and requires it
# from a clean process. Speaks TAP.
set -u
cd "$(dirname "$0")/../.."
ROOT=$PWD
export LUAROCKS_CONFIG=$ROOT/rockspec/luarocks-offline.lua
n=0
for abi in 5.1 5.3 5.4 jit; do
  tree=$(mktemp -d)
  work=$(mktemp -d)
  # luarocks builds in the source folder; a copy keeps the checkout clean.
  cp -r include plugin lua rockspec "$work"/
  [ -d bin ] && cp -r bin "$work"/
  if [ "$abi" = jit ]; then
    rv=5.1 lua=luajit extra="LUA_INCDIR=/usr/include/luajit-2.1"
  else
    rv=$abi lua=lua$abi extra=""
  fi
  n=$((n + 1))
  # shellcheck disable=SC2086
  if (cd "$work" && luarocks --tree "$tree" --lua-version "$rv" make \
        rockspec/copydesk-scm-1.rockspec $extra) >"$tree.log" 2>&1; then
    echo "ok $n - luarocks make for $lua"
  else
    echo "not ok $n - luarocks make for $lua"; sed 's/^/# /' "$tree.log"
  fi
  n=$((n + 1))
  lpath="$tree/share/lua/$rv/?.lua;$tree/share/lua/$rv/?/init.lua"
  cpath="$tree/lib/lua/$rv/?.so"
  got=$(cd / && env -u LUA_PATH -u LUA_CPATH "$lua" -e "
    package.path = '$lpath;' .. package.path
    package.cpath = '$cpath'
    local cd = require 'copydesk'
    assert(package.searchpath == nil or package.searchpath('copydesk.core', package.cpath))
    io.write(cd.version, ' ', tostring(cd.utf8_check('\237\160\128') == nil))" 2>&1)
  if [ "$got" = "0.1.0 true" ]; then
    echo "ok $n - $lua requires the installed copydesk ($got)"
  else
    echo "not ok $n - $lua requires the installed copydesk"; echo "# $got"
  fi
  rm -rf "$tree" "$tree.log" "$work"
done
