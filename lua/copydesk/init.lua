--- copydesk: article validation, slug generation and signed preview links
-- for Lua news CMSs. This module is the public face over copydesk.core.
local core = require "copydesk.core"

local M = {
  version = core.version,
}

--- Check that a string is well-formed UTF-8.
-- @return true, or nil, "invalid_utf8", offset of the first bad byte (1-based)
function M.utf8_check(s)
  if type(s) ~= "string" then
    error("bad argument #1 to 'utf8_check' (string expected, got " .. type(s) .. ")", 2)
  end
  local ok, offset = core.utf8_validate(s)
  if ok then
    return true
  end
  return nil, "invalid_utf8", offset
end

-- slugs ------------------------------------------------------------------


-- validation -------------------------------------------------------------


-- preview links ----------------------------------------------------------


-- workflow ---------------------------------------------------------------
-- copydesk.workflow, copydesk.hooks and copydesk.store.memory / .sqlite /
-- .postgres load on first use: `require "copydesk"` stays cheap, the SQL
-- stores need LuaSQL only when used, and copydesk.workflow may require
-- this module in turn.
local LAZY = { workflow = "copydesk.workflow", hooks = "copydesk.hooks" }
local STORES = { memory = true, sqlite = true, postgres = true }
M.store = setmetatable({}, {
  __index = function(t, k)
    if not STORES[k] then return nil end
    local mod = require("copydesk.store." .. k)
    rawset(t, k, mod)
    return mod
  end,
})
setmetatable(M, {
  __index = function(t, k)
    local name = LAZY[k]
    if not name then return nil end
    local mod = require(name)
    rawset(t, k, mod)
    return mod
  end,
})


return M
