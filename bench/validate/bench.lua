-- copydesk.validate on the 1,000-word story next to lua-cjson decoding the
-- same story as JSON: calls per second (best of three runs of ~0.3 s) as
-- "name<TAB>rate" lines, for bench/validate/run.sh.
local dir = assert(arg[1], "usage: bench.lua DIR")
package.path = dir .. "/?.lua;" .. package.path
local copydesk = require "copydesk"
local cjson = require "cjson"
local story = dofile(dir .. "/story.lua")

local article = story.article()
local json = cjson.encode(article)
local policy = copydesk.policy.compile()
local report = copydesk.validate(article, policy)
assert(report.errors == 0 and report.warnings == 0, "the bench story is not clean")

local clock = os.clock
local function rate(fn)
  local best = 0
  for _ = 1, 3 do
    local n, t0 = 0, clock()
    repeat
      for _ = 1, 50 do fn() end
      n = n + 50
    until clock() - t0 >= 0.3
    local r = n / (clock() - t0)
    if r > best then best = r end
  end
  return best
end

print("cjson.decode\t" .. rate(function() return cjson.decode(json) end))
print("validate\t" .. rate(function() return copydesk.validate(article, policy) end))
print("validate_json\t" .. rate(function() return copydesk.validate_json(json, policy) end))
local ninjs = story.ninjs(article)
print("to_article+validate\t" .. rate(function()
  return copydesk.validate(copydesk.ninjs.to_article(ninjs), policy)
end))
