local copydesk = require "copydesk"

describe("copydesk.utf8_check", function()
  it("accepts ASCII, the empty string and NUL bytes", function()
    assert.is_true(copydesk.utf8_check(""))
    assert.is_true(copydesk.utf8_check("Parliament passes the budget"))
    assert.is_true(copydesk.utf8_check("a\0b"))
  end)

  it("accepts text from every plane, noncharacters included", function()
    assert.is_true(copydesk.utf8_check("Αθήνα Київ 한국 影師嗎 \240\159\152\128"))
    assert.is_true(copydesk.utf8_check("\239\191\190\239\191\191\244\143\191\191"))
  end)

  local cases = {
    { "an overlong NUL", "ab\192\128", 3 },
    { "an overlong three-byte form", "x\224\128\175", 2 },
    { "an overlong four-byte form", "\240\128\128\175", 1 },
    { "a high surrogate", "ok \237\160\128", 4 },
    { "a low surrogate", "\237\191\191", 1 },
    { "a code point above U+10FFFF", "a\244\144\128\128", 2 },
    { "a five-byte form", "\248\136\128\128\128", 1 },
    { "a truncated sequence at the end", "abc\226\130", 4 },
    { "an interrupted sequence", "\226\130A", 1 },
    { "a stray continuation byte", "\195\169\128", 3 },
    { "a bad byte after a long ASCII run", "0123456789abcdef\255", 17 },
  }
  for _, case in ipairs(cases) do
    it("rejects " .. case[1] .. " at the offset of the first bad byte", function()
      local ok, code, offset = copydesk.utf8_check(case[2])
      assert.is_nil(ok)
      assert.are.equal("invalid_utf8", code)
      assert.are.equal(case[3], offset)
    end)
  end

  it("raises on a non-string argument", function()
    assert.has_error(function() copydesk.utf8_check(42) end,
      "bad argument #1 to 'utf8_check' (string expected, got number)")
  end)

  it("checks a megabyte without trouble", function()
    local big = string.rep("é", 500000)
    assert.is_true(copydesk.utf8_check(big))
    local ok, _, offset = copydesk.utf8_check(big .. "\255")
    assert.is_nil(ok)
    assert.are.equal(#big + 1, offset)
  end)
end)
