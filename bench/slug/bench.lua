-- copydesk.slugify over the corpus through this interpreter (Lua 5.4 or
-- LuaJIT): best of `rounds` passes; prints name, seconds, count, bytes, empty.
local path, rounds = arg[1], tonumber(arg[2] or "3")
local copydesk = require "copydesk"
local slugify = copydesk.slugify
local lines, bytes = {}, 0
for l in io.lines(path) do
  lines[#lines + 1] = l
  bytes = bytes + #l
end
local best, empty = math.huge, 0
for _ = 1, rounds do
  local e = 0
  local t = os.clock()
  for i = 1, #lines do
    if slugify(lines[i]) == "" then e = e + 1 end
  end
  t = os.clock() - t
  if t < best then best = t end
  empty = e
end
local name = jit and "copydesk via LuaJIT 2.1" or "copydesk via " .. _VERSION
io.write(("%s\t%.6f\t%d\t%d\t%d\n"):format(name, best, #lines, bytes, empty))
