-- Every documented limit (README "Limits"), exercised at the limit and one
-- past it. A limit on programmer input raises "bad argument"; a limit on
-- data gives the documented code or finding.
local copydesk = require "copydesk"

local function raises(fn, ...)
  local ok, err = pcall(fn, ...)
  assert.is_false(ok, "expected a raise")
  assert.matches("bad argument", err, 1, true)
end

-- Lua 5.3+ integers hold 2^53 + 1; 5.1 and LuaJIT doubles do not.
local int64 = rawget(math, "tointeger") ~= nil

local preview = copydesk.preview
local has_preview = type(preview) == "table" and preview.signer ~= nil

describe("preview link limits", function()
  if not has_preview then
    pending("copydesk.preview is not on this branch yet")
    return
  end
  local key = string.rep("\9", 32)
  local origin = "https://news.example"
  local function signer(o)
    o.master_key = o.master_key or key
    o.kid = o.kid or 1
    o.origin = o.origin or origin
    return preview.signer(o)
  end
  local function verifier(o)
    o.origin = o.origin or origin
    o.keys = o.keys or { [1] = { alg = "hmac", master_key = key } }
    return preview.verifier(o)
  end
  local now = 1800000000

  it("accepts an origin of 256 bytes and refuses 257", function()
    local o = "https://" .. string.rep("a", 248)
    assert.are.equal(256, #o)
    assert.is_not_nil(signer { origin = o })
    assert.is_not_nil(verifier { origin = o })
    raises(signer, { origin = o .. "a" })
    raises(preview.verifier, { origin = o .. "a", keys = { [1] = { alg = "hmac", master_key = key } } })
  end)

  it("accepts key ids 1 and 2^32 - 1 and refuses 0 and 2^32", function()
    assert.is_not_nil(signer { kid = 1 })
    assert.is_not_nil(signer { kid = 2 ^ 32 - 1 })
    raises(signer, { kid = 0 })
    raises(signer, { kid = 2 ^ 32 })
    assert.is_not_nil(verifier { keys = { [2 ^ 32 - 1] = { alg = "hmac", master_key = key } } })
    raises(preview.verifier, { origin = origin, keys = { [2 ^ 32] = { alg = "hmac", master_key = key } } })
  end)

  it("accepts a master key of 32 bytes and refuses 31 and 33", function()
    assert.is_not_nil(signer { master_key = key })
    raises(signer, { master_key = key:sub(2) })
    raises(signer, { master_key = key .. "x" })
  end)

  it("signs article ids up to 2^53 and refuses one more", function()
    local s = signer {}
    local _, tok, claims = s:link { article = 2 ^ 53, now = now }
    assert.are.equal(2 ^ 53, claims.article)
    assert.are.equal(2 ^ 53, verifier {}:verify(tok, { now = now }).article)
    if int64 then raises(s.link, s, { article = rawget(math, "tointeger")(2 ^ 53) + 1, now = now }) end
    raises(s.link, s, { article = 2 ^ 54, now = now })
    raises(s.link, s, { article = -1, now = now })
  end)

  it("signs revision, epoch and editor up to 2^32 - 1 and refuses 2^32", function()
    local s = signer {}
    for _, f in ipairs({ "revision", "epoch", "editor" }) do
      local c = { article = 1, now = now }
      c[f] = 2 ^ 32 - 1
      local _, tok = s:link(c)
      assert.are.equal(2 ^ 32 - 1, verifier {}:verify(tok, { now = now })[f])
      c[f] = 2 ^ 32
      raises(s.link, s, c)
    end
  end)

  it("signs a ttl equal to max_ttl and refuses one second more", function()
    local s = signer { max_ttl = 3600 }
    assert.is_not_nil(s:link { article = 1, ttl = 3600, now = now })
    raises(s.link, s, { article = 1, ttl = 3601, now = now })
    raises(signer, { ttl = 3601, max_ttl = 3600 })
  end)

  it("signs up to the end of the 40-bit clock and refuses one second past it", function()
    local s = signer { max_ttl = 100 }
    local last = 2 ^ 40 - 1
    local _, tok, claims = s:link { article = 1, ttl = 100, now = last - 100 }
    assert.are.equal(last, claims.exp)
    assert.is_not_nil(verifier { max_ttl = 100 }:verify(tok, { now = last - 50 }))
    raises(s.link, s, { article = 1, ttl = 100, now = last - 99 })
    raises(s.link, s, { article = 1, now = 2 ^ 40 })
  end)

  it("accepts a leeway of 300 seconds and refuses 301", function()
    assert.is_not_nil(verifier { leeway = 300 })
    raises(preview.verifier, { origin = origin, leeway = 301, keys = { [1] = { alg = "hmac", master_key = key } } })
  end)

  it("accepts max_ttl up to 2^40 - 1 and refuses 0 and 2^40", function()
    assert.is_not_nil(verifier { max_ttl = 2 ^ 40 - 1 })
    raises(preview.verifier, { origin = origin, max_ttl = 0, keys = { [1] = { alg = "hmac", master_key = key } } })
    raises(preview.verifier, { origin = origin, max_ttl = 2 ^ 40, keys = { [1] = { alg = "hmac", master_key = key } } })
  end)

  it("verifies at the edges of the leeway and fails one second past them", function()
    local _, tok = signer {}:link { article = 1, ttl = 600, now = now }
    local v = verifier { leeway = 60 }
    assert.is_not_nil(v:verify(tok, { now = now - 60 }))              -- issued 60 s ahead: allowed
    assert.are.same({ nil, "not_yet_valid" }, { v:verify(tok, { now = now - 61 }) })
    assert.is_not_nil(v:verify(tok, { now = now + 600 + 59 }))        -- expired 59 s ago: allowed
    assert.are.same({ nil, "expired" }, { v:verify(tok, { now = now + 600 + 60 }) })
  end)

  it("verifies a lifetime equal to the verifier's max_ttl and refuses one second more", function()
    local s = signer { max_ttl = 7200 }
    local _, ok_tok = s:link { article = 1, ttl = 3600, now = now }
    local _, long_tok = s:link { article = 1, ttl = 3601, now = now }
    local v = verifier { max_ttl = 3600 }
    assert.is_not_nil(v:verify(ok_tok, { now = now }))
    assert.are.same({ nil, "ttl_too_long" }, { v:verify(long_tok, { now = now }) })
  end)

  it("takes tokens of exactly 104 (HMAC) and 147 (Ed25519) characters, nothing shorter or longer", function()
    local _, tok = signer {}:link { article = 1, now = now }
    local ed = signer { kid = 2, alg = "ed25519" }
    local _, etok = ed:link { article = 1, now = now }
    local v = verifier { keys = { [1] = { alg = "hmac", master_key = key },
                                  [2] = { alg = "ed25519", public_key = ed:public_key() } } }
    assert.are.equal(104, #tok)
    assert.are.equal(147, #etok)
    assert.is_not_nil(v:verify(tok, { now = now }))
    assert.is_not_nil(v:verify(etok, { now = now }))
    for _, t in ipairs({ tok:sub(1, 103), tok .. "A", etok:sub(1, 146), etok .. "A", string.rep("A", 10 ^ 6) }) do
      assert.are.same({ nil, "malformed" }, { v:verify(t, { now = now }) })
    end
  end)
end)

describe("HTML limits", function()
  if not copydesk.sanitize_html then
    pending("copydesk.sanitize_html is not on this branch yet")
    return
  end
  local function count(s, pat)
    local n = 0
    for _ in s:gmatch(pat) do n = n + 1 end
    return n
  end

  it("keeps 256 nested open elements and ignores the 257th", function()
    local at = copydesk.sanitize_html(string.rep("<blockquote>", 256) .. "x")
    local past = copydesk.sanitize_html(string.rep("<blockquote>", 257) .. "x")
    assert.are.equal(256, count(at, "<blockquote>"))
    assert.are.equal(256, count(at, "</blockquote>"))
    assert.are.equal(256, count(past, "<blockquote>"))
    assert.are.equal(256, count(past, "</blockquote>"))
  end)

  it("keeps 256 of 10^5 nested elements, balanced", function()
    local out = copydesk.sanitize_html(string.rep("<blockquote>", 100000) .. "x")
    assert.are.equal(256, count(out, "<blockquote>"))
    assert.are.equal(256, count(out, "</blockquote>"))
  end)

  it("takes allow-lists of 256 entries and refuses 257", function()
    local tags = {}
    for i = 1, 256 do tags[i] = (i % 2 == 0) and "p" or "em" end
    assert.is_string(copydesk.sanitize_html("<p>x</p>", { tags = tags }))
    tags[257] = "p"
    raises(copydesk.sanitize_html, "<p>x</p>", { tags = tags })
  end)
end)

describe("validation limits", function()
  if not copydesk.validate then
    pending("copydesk.validate is not on this branch yet")
    return
  end
  local function find(report, code)
    for _, f in ipairs(report.findings) do
      if f.code == code then return f end
    end
  end
  local small = { thresholds = { max_bytes = 1000 } }

  it("takes an article of max_bytes of text and reports one byte more as input_too_large", function()
    assert.is_nil(find(copydesk.validate({ body = string.rep("a", 1000) }, small), "input_too_large"))
    local f = find(copydesk.validate({ body = string.rep("a", 1001) }, small), "input_too_large")
    assert.are.equal("error", f.severity)
  end)

  it("counts every string of the article towards max_bytes", function()
    local a = { headline = string.rep("h", 500), body = string.rep("b", 500) }
    assert.is_nil(find(copydesk.validate(a, small), "input_too_large"))
    a.dek = "d"
    assert.is_not_nil(find(copydesk.validate(a, small), "input_too_large"))
  end)

  it("applies the default max_bytes of 4 MiB", function()
    if os.getenv("CD_VALGRIND") == "1" then return end -- 8 MB of text under valgrind: too slow
    local mib4 = 4 * 1024 * 1024
    assert.is_nil(find(copydesk.validate { body = string.rep("a", mib4) }, "input_too_large"))
    assert.is_not_nil(find(copydesk.validate { body = string.rep("a", mib4 + 1) }, "input_too_large"))
  end)

  it("takes a list of max_items (1000) and reports 1001 as input_too_large at the list", function()
    local tags = {}
    for i = 1, 1000 do tags[i] = "t" .. i end
    assert.is_nil(find(copydesk.validate { tags = tags }, "input_too_large"))
    tags[1001] = "t1001"
    assert.are.equal("/tags", find(copydesk.validate { tags = tags }, "input_too_large").path)
  end)

  it("takes JSON text of max_bytes and reports one byte more as input_too_large", function()
    local function doc(n) return '{"body":"' .. string.rep("a", n - 11) .. '"}' end
    assert.are.equal(1000, #doc(1000))
    assert.is_nil(find(copydesk.validate_json(doc(1000), small), "input_too_large"))
    local f = find(copydesk.validate_json(doc(1001), small), "input_too_large")
    assert.is_not_nil(f)
    assert.is_nil(find(copydesk.validate_json(doc(1001), small), "json_parse"))
  end)

  it("takes JSON nested max_depth (64) deep and reports 65 as input_too_deep at the 65th bracket", function()
    local function nested(n) return '{"x":' .. string.rep("[", n - 1) .. string.rep("]", n - 1) .. "}" end
    assert.is_nil(find(copydesk.validate_json(nested(64)), "input_too_deep"))
    local f = find(copydesk.validate_json(nested(65)), "input_too_deep")
    assert.are.equal(5 + 64, f.start)
    f = find(copydesk.validate_json(string.rep("[", 10 ^ 6)), "input_too_deep")
    assert.are.equal(65, f.start)
  end)

  it("reports a top-level JSON array as input_type, like any other non-object", function()
    for _, text in ipairs({ "[]", " [1, 2] ", '[{"headline":"x"}]', '"x"', "1", "null" }) do
      local r = copydesk.validate_json(text)
      assert.is_not_nil(find(r, "input_type"), text)
      assert.are.equal(1, #r.findings, text)
    end
  end)

  it("keeps max_findings findings, sets truncated one past it, and counts all", function()
    local body = string.rep("<x>", 10)
    local all = copydesk.validate { body = body }
    local n = #all.findings
    assert.is_false(all.truncated)
    local at = copydesk.validate({ body = body }, { thresholds = { max_findings = n } })
    assert.is_false(at.truncated)
    assert.are.equal(n, #at.findings)
    local past = copydesk.validate({ body = body }, { thresholds = { max_findings = n - 1 } })
    assert.is_true(past.truncated)
    assert.are.equal(n - 1, #past.findings)
    assert.are.equal(all.errors + all.warnings + all.infos, past.errors + past.warnings + past.infos)
  end)
end)

describe("slug limits", function()
  if not copydesk.slugify then
    pending("copydesk.slugify is not on this branch yet")
    return
  end

  it("takes a separator of 16 bytes and refuses 17", function()
    assert.are.equal("a" .. string.rep("_", 16) .. "b", copydesk.slugify("a b", { separator = string.rep("_", 16) }))
    raises(copydesk.slugify, "a b", { separator = string.rep("_", 17) })
  end)

  it("keeps a slug of exactly max_length and cuts one byte less at the word before", function()
    assert.are.equal("seoul-talks", copydesk.slugify("Seoul talks resume", { max_length = 11 }))
    assert.are.equal("seoul", copydesk.slugify("Seoul talks resume", { max_length = 10 }))
  end)

  it("tries suffixes up to -10000 and then gives up with no_unique_slug", function()
    local taken = { x = true }
    for i = 2, 9999 do taken["x-" .. i] = true end
    assert.are.equal("x-10000", copydesk.unique_slug("x", taken))
    taken["x-10000"] = true
    assert.are.same({ nil, "no_unique_slug" }, { copydesk.unique_slug("x", taken) })
  end)
end)
