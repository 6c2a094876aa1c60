-- Calls per second through Lua on the story of story.lua: the HTML scanner
-- (core.html_scan, what validate runs over a body), the sanitizer
-- (copydesk.sanitize_html) and, as the floor every host already pays,
-- lua-cjson decoding the article. Prints "name<TAB>calls/s" lines.
local copydesk = require "copydesk"
local core = require "copydesk.core"
local cjson = require "cjson"
local function read(p) local f = assert(io.open(p, "rb")); local s = f:read("*a"); f:close(); return s end
local body, json = read(arg[1]), read(arg[2])
assert(#core.html_scan(body) == 0, "the story should be clean")

local function rate(fn)
  local best = 0
  for _ = 1, 3 do
    local n, t0 = 0, os.clock()
    repeat for _ = 1, 50 do fn() end n = n + 50 until os.clock() - t0 > 0.3
    best = math.max(best, n / (os.clock() - t0))
  end
  return best
end

print("cjson.decode\t" .. rate(function() return cjson.decode(json) end))
print("html_scan\t" .. rate(function() return core.html_scan(body) end))
print("sanitize_html\t" .. rate(function() return copydesk.sanitize_html(body) end))
