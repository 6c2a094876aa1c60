-- Writes the benchmark corpus: N headlines (default 100000) in ten
-- languages, one per line, from tests/fixtures/headlines.lua (seed 2026).
local root, out, n = arg[1], arg[2], tonumber(arg[3] or "100000")
local gen = dofile(root .. "/tests/fixtures/headlines.lua")
local f = assert(io.open(out, "wb"))
for _, h in ipairs(gen.generate(n, 2026)) do
  f:write(h, "\n")
end
f:close()
