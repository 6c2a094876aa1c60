-- Runs body() `rounds` times under a collector that starts a cycle at once
-- and works in big steps, with garbage made before each round, so that a
-- value a C function holds only by pointer is freed under it (ASan and
-- valgrind then see the read after free). Restores the collector after.
-- Used by specs: dofile(root .. "/tests/spec/hurried_gc.lua")(rounds, body)
return function(rounds, body)
  local pause, stepmul = collectgarbage("setpause", 1), collectgarbage("setstepmul", 1000)
  local ok, err = pcall(function()
    for _ = 1, rounds do
      local junk = {}
      for j = 1, 50 do junk[j] = ("y"):rep(200) .. j end
      assert(#junk == 50)
      body()
    end
  end)
  collectgarbage("setpause", pause)
  collectgarbage("setstepmul", stepmul)
  if not ok then error(err, 0) end
end
