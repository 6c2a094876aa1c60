-- Runs against the server tests/integration/postgres.sh starts, which sets
-- CD_PG_CONNINFO; in the plain busted runs the suite is pending.
local postgres = require "copydesk.store.postgres"
local conninfo = os.getenv("CD_PG_CONNINFO")

describe("copydesk.store.postgres.new", function()
  it("answers store_unavailable when it cannot connect, without the password", function()
    local s, code, msg = postgres.new({ database = "nope", host = "127.0.0.1", port = 1,
                                        user = "x", password = "s3cr3t-pw" })
    assert.is_nil(s)
    assert.are.equal("store_unavailable", code)
    assert.is_nil(msg:find("s3cr3t-pw", 1, true))
  end)

  it("answers at once for an empty password (nothing to hide)", function()
    local s, code = postgres.new({ database = "nope", host = "127.0.0.1", port = 1, password = "" })
    assert.is_nil(s)
    assert.are.equal("store_unavailable", code)
  end)

  it("keeps the password of a conninfo string out of the message, even a malformed one", function()
    for _, c in ipairs({
      { "postgresql://cms:hunter2@[::1/news", { "hunter2" } },
      { "postgresql://cms:hunter2@127.0.0.1:1/news?password=zz9x", { "hunter2", "zz9x" } },
      { "host=127.0.0.1 port=1 password=hunter 22", { "hunter", "22" } },
      { "host=127.0.0.1 port=1 password='hunter two' dbname=x", { "hunter two" } },
    }) do
      local s, code, msg = postgres.new({ conninfo = c[1] })
      assert.is_nil(s)
      assert.are.equal("store_unavailable", code)
      for _, secret in ipairs(c[2]) do
        assert.is_nil(msg:find(secret, 1, true), msg)
      end
    end
  end)

  it("rejects bad options", function()
    assert.has_error(function() postgres.new({}) end,
      "bad argument #1 to 'new' (option 'conninfo' or 'database' is required)")
    assert.has_error(function() postgres.new({ conninfo = "x", host = "y" }) end,
      "bad argument #1 to 'new' (give either 'conninfo' or the separate connection options)")
    assert.has_error(function() postgres.new({ database = "x", prefix = "Robert'); --" }) end,
      "bad argument #1 to 'new' (option 'prefix' must match [a-z_][a-z0-9_]*)")
    assert.has_error(function() postgres.new({ database = "x", port = "5432" }) end,
      "bad argument #1 to 'new' (option 'port' must be a number)")
  end)
end)

if not conninfo then
  describe("the postgres store", function()
    it("runs under tests/integration/postgres.sh", function()
      pending("CD_PG_CONNINFO is not set: tests/integration/postgres.sh runs this suite on a real server")
    end)
  end)
  return
end

local busted = {
  describe = describe, it = it, assert = assert, before_each = before_each, after_each = after_each,
}

-- A fresh store per test: its own table prefix in the one database.
local n = 0
local run = tostring(os.time())
dofile("tests/spec/store_contract.lua")("postgres", function()
  n = n + 1
  return assert(postgres.new({ conninfo = conninfo, prefix = "t" .. run .. "_" .. n .. "_" }))
end, busted)

describe("copydesk.store.postgres", function()
  it("finds its data again from a second connection", function()
    local a = assert(postgres.new({ conninfo = conninfo, prefix = "shared_" }))
    local b = assert(postgres.new({ conninfo = conninfo, prefix = "shared_" }))
    local id = a:next_id()
    a:put({ id = id, status = "draft", slug = "from-a-" .. id, headline = "Ελλάδα \255" })
    assert.are.equal("Ελλάδα \255", b:get(id).headline)
    assert.is_true(b:next_id() > id)
    a:close()
    b:close()
  end)

  it("runs a workflow: a failing hook rolls the transition back", function()
    local workflow = require "copydesk.workflow"
    local store = assert(postgres.new({ conninfo = conninfo, prefix = "wf" .. run .. "_" }))
    local w = workflow.new({
      store = store,
      validator = function() return { ok = true, errors = 0, warnings = 0, infos = 0, findings = {} } end,
      slugger = function(text) return (text:lower():gsub("[^a-z0-9]+", "-")) end,
    })
    local a = assert(w:save({ headline = "Flood", body = "<p>x</p>" }, "jane"))
    w:on("after_transition", function() error("webhook down") end, { name = "notify" })
    local ok, code = w:transition(a.id, "review", "jane")
    assert.is_nil(ok)
    assert.are.equal("hook_failed", code)
    assert.are.equal("draft", w:get(a.id).status)
    assert.are.same({}, w:audit(a.id))
    w:off("after_transition", "notify")
    assert.are.equal("review", w:transition(a.id, "review", "o'hara").status)
    assert.are.equal("o'hara", w:audit(a.id)[1].actor)
    store:close()
  end)
end)
