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

--- Slug of a headline: copydesk.core.slugify, unwrapped (the speed matters).
-- @return slug, or nil, "invalid_utf8"
M.slugify = core.slugify

-- unique_slug gives up (nil, "no_unique_slug") after this many candidates,
-- or once the candidates tried add up to MAX_BYTES (very long slugs)
local MAX_SUFFIX, MAX_BYTES = 10000, 2 ^ 24

--- A slug that `taken` does not hold: the slug itself, else slug-2, slug-3, ...
-- trimmed at a word boundary so that it stays within opts.max_length.
-- @param taken function(slug) -> truthy when used, or a set table { [slug] = true }
-- @return slug, or nil, "invalid_utf8" | "no_unique_slug"
function M.unique_slug(text, taken, opts)
  local kind = type(taken)
  if kind ~= "function" and kind ~= "table" then
    error("bad argument #2 to 'unique_slug' (function or table expected, got " .. kind .. ")", 2)
  end
  if opts ~= nil and type(opts) ~= "table" then
    error("bad argument #3 to 'unique_slug' (table expected, got " .. type(opts) .. ")", 2)
  end
  local ok, base, err = pcall(core.slugify, text, opts)
  if not ok then
    error((tostring(base):gsub("#2 to '[^']*'", "#3 to 'unique_slug'")), 2)
  end
  if not base then
    return nil, err
  end
  local function used(s)
    if kind == "function" then
      return taken(s)
    end
    return taken[s]
  end
  if not used(base) then
    return base
  end
  local sep = opts and opts.separator or "-"
  local max = opts and opts.max_length or 0
  local trimmed, trimmed_for = base, nil
  local spent = #base
  for i = 2, MAX_SUFFIX do
    local suffix = tostring(i)
    if max > 0 and #base + #sep + #suffix > max then
      local room = max - #sep - #suffix
      if room ~= trimmed_for then
        trimmed_for = room
        if room <= 0 then
          trimmed = ""
        else
          -- cut the finished slug at a word boundary: only the options
          -- that shape words again, never replacements, locale or stopwords
          -- a second time
          trimmed = core.slugify(base, { separator = opts.separator, max_length = room,
                                         lowercase = false, allow_unicode = opts.allow_unicode })
        end
      end
    end
    local candidate = trimmed == "" and suffix or trimmed .. sep .. suffix
    spent = spent + #candidate
    if (max > 0 and #candidate > max) or spent > MAX_BYTES then
      return nil, "no_unique_slug"
    end
    if not used(candidate) then
      return candidate
    end
  end
  return nil, "no_unique_slug"
end


-- validation -------------------------------------------------------------
-- copydesk.validate / validate_json run the C engine under a compiled
-- policy (copydesk.policy); copydesk.ninjs maps IPTC ninjs onto articles.
local policy = require "copydesk.policy"
M.policy = policy
M.ninjs = require "copydesk.ninjs"

--- Validate an article table. @return report (see README)
function M.validate(article, pol)
  local p, err = policy.resolve(pol, 2, "validate")
  if not p then error(err, 2) end
  return core.validate(article, p)
end

local cjson_safe
local json_limits = setmetatable({}, { __mode = "k" })

--- Validate an article given as JSON text; parse errors are findings.
function M.validate_json(text, pol)
  if type(text) ~= "string" then
    error("bad argument #1 to 'validate_json' (string expected, got " .. type(text) .. ")", 2)
  end
  local p, err = policy.resolve(pol, 2, "validate_json")
  if not p then error(err, 2) end
  local lim = json_limits[p]
  if not lim then
    lim = { core.policy_threshold(p, "max_bytes"), core.policy_threshold(p, "max_depth") }
    json_limits[p] = lim
  end
  local ok, code, offset = core.json_precheck(text, lim[1], lim[2])
  if not ok then
    local msg = code == "input_too_large" and "the JSON text is larger than max_bytes"
      or "the JSON text nests deeper than max_depth"
    return core.validate(nil, p, code, msg, offset)
  end
  if not cjson_safe then cjson_safe = require("cjson.safe").new() end
  local doc, perr = cjson_safe.decode(text)
  if doc == nil then
    perr = tostring(perr)
    if perr:find("nothing", 1, true) and text:find("^%s*null%s*$") then
      return core.validate(nil, p, "input_type", "object expected, got null")
    end
    return core.validate(nil, p, "json_parse", perr, tonumber(perr:match("character (%d+)")))
  end
  if text:find("^%s*%[") then -- lua-cjson decodes an array to a table too
    return core.validate(nil, p, "input_type", "object expected, got array")
  end
  return core.validate(doc, p)
end

--- Sanitize an HTML body fragment for display (the preview page).
-- @param html string (UTF-8)
-- @param opts optional { tags = {...}, attributes = {...}, schemes = {...} }
-- @return safe HTML, or nil, "invalid_utf8"
function M.sanitize_html(html, opts)
  if type(html) ~= "string" then
    error("bad argument #1 to 'sanitize_html' (string expected, got " .. type(html) .. ")", 2)
  end
  if opts ~= nil and type(opts) ~= "table" then
    error("bad argument #2 to 'sanitize_html' (table expected, got " .. type(opts) .. ")", 2)
  end
  local ok, out, code = pcall(core.html_sanitize, html, opts)
  if not ok then
    error(out, 2)
  end
  if out == nil then
    return nil, code
  end
  return out
end


-- preview links ----------------------------------------------------------

M.preview = require "copydesk.preview"

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
