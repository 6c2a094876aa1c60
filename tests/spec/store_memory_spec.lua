local memory = require "copydesk.store.memory"

dofile("tests/spec/store_contract.lua")("memory", function() return memory.new() end, {
  describe = describe, it = it, assert = assert, before_each = before_each, after_each = after_each,
})

describe("copydesk.store.memory.new", function()
  it("rejects an unknown option", function()
    assert.has_error(function() memory.new({ path = "x" }) end,
      "bad argument #1 to 'new' (unknown option 'path')")
  end)
end)
