local hooks = require "copydesk.hooks"

describe("copydesk.hooks", function()
  it("runs hooks highest priority first, ties by name", function()
    local r = hooks.new()
    local seen = {}
    local function rec(tag) return function() seen[#seen + 1] = tag end end
    r:on("e", rec("b0"), { name = "b", priority = 0 })
    r:on("e", rec("a0"), { name = "a", priority = 0 })
    r:on("e", rec("z10"), { name = "z", priority = 10 })
    r:on("e", rec("m-5"), { name = "m", priority = -5 })
    assert.is_true(r:run("e"))
    assert.are.same({ "z10", "a0", "b0", "m-5" }, seen)
    assert.are.same({ { name = "z", priority = 10 }, { name = "a", priority = 0 },
                      { name = "b", priority = 0 }, { name = "m", priority = -5 } }, r:list("e"))
  end)

  it("passes the same arguments to every hook, which may change them", function()
    local r = hooks.new()
    r:on("e", function(a, ctx) a.n = a.n + 1; ctx.first = true end, { name = "one", priority = 2 })
    r:on("e", function(a, ctx) assert(ctx.first); a.n = a.n * 10 end, { name = "two" })
    local a = { n = 1 }
    r:run("e", a, {})
    assert.are.equal(20, a.n)
  end)

  it("catches a hook that raises, names it and runs none after it", function()
    local r = hooks.new()
    local after = false
    r:on("e", function() error("disk full") end, { name = "purge-cdn", priority = 5 })
    r:on("e", function() after = true end, { name = "later" })
    local ok, code, msg, name = r:run("e")
    assert.is_nil(ok)
    assert.are.equal("hook_failed", code)
    assert.are.equal("purge-cdn", name)
    assert.matches("hook 'purge%-cdn' failed on e: .*disk full", msg)
    assert.is_false(after)
  end)

  it("reports a hook that raises a table or nil without crashing", function()
    local r = hooks.new()
    r:on("e", function() error({ message = "as table" }) end, { name = "t" })
    local _, code, msg = r:run("e")
    assert.are.equal("hook_failed", code)
    assert.matches("as table", msg)
    r:off("e", "t")
    r:on("e", function() error(nil) end, { name = "n" })
    _, code, msg = r:run("e")
    assert.are.equal("hook_failed", code)
    assert.matches("hook 'n'", msg)
  end)

  it("stops at a hook that returns false, with its reason", function()
    local r = hooks.new()
    r:on("e", function() return false, "embargoed" end, { name = "legal" })
    local ok, code, msg, name = r:run("e")
    assert.is_nil(ok)
    assert.are.equal("hook_rejected", code)
    assert.are.equal("legal", name)
    assert.matches("embargoed", msg)
  end)

  it("removes a hook by name and says whether it did", function()
    local r = hooks.new()
    local ran = false
    r:on("e", function() ran = true end, { name = "x" })
    assert.is_true(r:off("e", "x"))
    assert.is_false(r:off("e", "x"))
    assert.is_false(r:off("other", "x"))
    r:run("e")
    assert.is_false(ran)
  end)

  it("lets a hook remove another during a run without disturbing that run", function()
    local r = hooks.new()
    local seen = {}
    r:on("e", function() seen[#seen + 1] = 1; r:off("e", "second") end, { name = "first", priority = 1 })
    r:on("e", function() seen[#seen + 1] = 2 end, { name = "second" })
    r:run("e")
    assert.are.same({ 1, 2 }, seen)
    r:run("e")
    assert.are.same({ 1, 2, 1 }, seen)
  end)

  it("names unnamed hooks in registration order", function()
    local r = hooks.new()
    r:on("e", function() end)
    r:on("e", function() end)
    local l = r:list("e")
    assert.are.equal("hook-000001", l[1].name)
    assert.are.equal("hook-000002", l[2].name)
  end)

  it("raises on misuse with the caller's argument number", function()
    local r = hooks.new({ events = { "e" } })
    assert.has_error(function() r:on("nope", function() end) end,
      "bad argument #1 to 'on' (unknown event 'nope')")
    assert.has_error(function() r:on("e", "not a function") end,
      "bad argument #2 to 'on' (function expected, got string)")
    assert.has_error(function() r:on("e", function() end, { prio = 1 }) end,
      "bad argument #3 to 'on' (unknown option 'prio')")
    assert.has_error(function() r:on("e", function() end, { priority = "high" }) end,
      "bad argument #3 to 'on' (option 'priority' must be a number)")
    assert.has_error(function() r:on("e", function() end, { priority = 0 / 0 }) end,
      "bad argument #3 to 'on' (option 'priority' must be a number)")
    r:on("e", function() end, { name = "dup" })
    assert.has_error(function() r:on("e", function() end, { name = "dup" }) end,
      "bad argument #3 to 'on' (hook 'dup' is already registered for 'e')")
    assert.has_error(function() r:off("e", 3) end, "bad argument #2 to 'off' (string expected, got number)")
    assert.has_error(function() hooks.new({ event = {} }) end,
      "bad argument #1 to 'new' (unknown option 'event')")
  end)
end)
