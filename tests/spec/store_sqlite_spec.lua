local sqlite = require "copydesk.store.sqlite"

local busted = {
  describe = describe, it = it, assert = assert, before_each = before_each, after_each = after_each,
}

dofile("tests/spec/store_contract.lua")("sqlite", function()
  return assert(sqlite.new({ path = ":memory:" }))
end, busted)

describe("copydesk.store.sqlite", function()
  -- os.tmpname reserves a name no other process (another worktree's make
  -- test) uses; SQLite takes the empty file as a new database.
  local path
  before_each(function() path = os.tmpname() end)
  after_each(function() os.remove(path) end)

  it("creates its schema on first use and finds its data again after reopening", function()
    local s = assert(sqlite.new({ path = path }))
    local id = s:next_id()
    s:put({ id = id, status = "draft", headline = "Kept", slug = "kept" })
    s:bump_epoch(id)
    s:close()
    s = assert(sqlite.new({ path = path }))
    assert.are.equal("Kept", s:get(id).headline)
    assert.are.equal(1, s:epoch(id))
    assert.is_true(s:next_id() > id)
    s:close()
  end)

  it("keeps stores with different prefixes apart in one file", function()
    local a = assert(sqlite.new({ path = path, prefix = "site_a_" }))
    local b = assert(sqlite.new({ path = path, prefix = "site_b_" }))
    a:put({ id = a:next_id(), status = "draft", slug = "x" })
    assert.is_nil(b:slug_owner("x"))
    assert.are.equal(1, a:slug_owner("x"))
    a:close()
    b:close()
  end)

  it("answers store_unavailable for a path it cannot open", function()
    local s, code, msg = sqlite.new({ path = "/nonexistent-dir/x/y.db" })
    assert.is_nil(s)
    assert.are.equal("store_unavailable", code)
    assert.is_string(msg)
  end)

  it("rejects bad options", function()
    assert.has_error(function() sqlite.new({}) end, "bad argument #1 to 'new' (option 'path' is required)")
    assert.has_error(function() sqlite.new({ path = "x", prefix = "a; DROP" }) end,
      "bad argument #1 to 'new' (option 'prefix' must match [a-z_][a-z0-9_]*)")
    assert.has_error(function() sqlite.new({ path = "x", file = "y" }) end,
      "bad argument #1 to 'new' (unknown option 'file')")
  end)
end)

describe("a workflow on the sqlite store", function()
  local workflow = require "copydesk.workflow"

  local function wf(store)
    return workflow.new({
      store = store,
      validator = function() return { ok = true, errors = 0, warnings = 0, infos = 0, findings = {} } end,
      slugger = function(text, taken)
        local s, n = text:lower():gsub("[^a-z0-9]+", "-"), 1
        local base = s
        while taken(s) do n = n + 1; s = base .. "-" .. n end
        return s
      end,
    })
  end

  it("rolls back a transition whose hook fails, then moves once it is gone", function()
    local store = assert(sqlite.new({ path = ":memory:" }))
    local w = wf(store)
    local a = assert(w:save({ headline = "Flood", body = "<p>x</p>" }, "jane"))
    w:on("after_transition", function() error("webhook down") end, { name = "notify" })
    local ok, code, msg = w:transition(a.id, "review", "jane")
    assert.is_nil(ok)
    assert.are.equal("hook_failed", code)
    assert.matches("notify", msg)
    assert.are.equal("draft", w:get(a.id).status)
    assert.are.equal(1, w:get(a.id).revision)
    assert.are.same({}, w:audit(a.id))
    w:off("after_transition", "notify")
    assert.are.equal("review", w:transition(a.id, "review", "jane").status)
    assert.are.equal(1, #w:audit(a.id))
    assert.are.equal("flood", w:get(a.id).slug)
    store:close()
  end)
end)
