-- LuaRocks configuration for installing copydesk without a rocks server:
-- lua-cjson comes from the system (Debian's lua-cjson package).
-- Use: LUAROCKS_CONFIG=rockspec/luarocks-offline.lua luarocks --lua-version 5.4 make ...
rocks_servers = {}
rocks_provided = { ["lua-cjson"] = "2.1.0-1" }
