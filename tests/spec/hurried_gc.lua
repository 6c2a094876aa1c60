-- Runs body() `rounds` times under a collector that starts a cycle at once
-- and works in big steps, with garbage made before each round, so that a
-- value a C function holds only by pointer is freed under it (ASan and
-- valgrind then see the read after free). Restores the collector after.
-- Used by specs: dofile(root .. "/tests/spec/hurried_gc.lua")(rounds, body)
return function(rounds, body)
  local pause, stepmul = collectgarbage("setpause", 1), collectgarbage("setstepmul", 1000)
  local ok, err = pcall(function()
    for r = 1, rounds do
      -- a varying amount of garbage: the collector meets the body at a
      -- different point of its cycle in each round
      local junk = {}
      for j = 1, 20 + r % 61 do junk[j] = ("y"):rep(100 + r % 173) .. j end
      assert(#junk > 0)
      body()
    end
  end)
  collectgarbage("setpause", pause)
  collectgarbage("setstepmul", stepmul)
  if not ok then error(err, 0) end
end
