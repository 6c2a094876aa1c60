local copydesk = require "copydesk"
local preview = copydesk.preview

local ORIGIN = "https://news.example"
local NOW = 1764331200
local VALGRIND = os.getenv("CD_VALGRIND") == "1"

local function unhex(h)
  return (h:gsub("..", function(x) return string.char(tonumber(x, 16)) end))
end

local function root()
  return os.getenv("CD_ROOT") or "."
end

local MASTER = unhex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")
local OTHER = string.rep("\171", 32)

local function hmac_signer(opts)
  local o = { origin = ORIGIN, master_key = MASTER, kid = 1 }
  for k, v in pairs(opts or {}) do o[k] = v end
  return preview.signer(o)
end

local function ed_signer(kid)
  return preview.signer{ origin = ORIGIN, master_key = MASTER, kid = kid or 2, alg = "ed25519" }
end

-- kid 1 hmac, kid 2 ed25519 public key only, kid 3 hmac retired, kid 4 ed25519 from master
local function keyring_verifier(opts)
  local o = {
    origin = ORIGIN,
    keys = {
      [1] = { alg = "hmac", master_key = MASTER },
      [2] = { alg = "ed25519", public_key = ed_signer(2):public_key() },
      [3] = { alg = "hmac", master_key = MASTER, retired = true },
      [4] = { alg = "ed25519", master_key = MASTER },
    },
  }
  for k, v in pairs(opts or {}) do o[k] = v end
  return preview.verifier(o)
end

local function b64_chars()
  local t = {}
  local s = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
  for i = 1, #s do t[i] = s:sub(i, i) end
  return t
end

local function read_vectors()
  local f = assert(io.open(root() .. "/tests/fixtures/preview_vectors.txt", "r"))
  local out = {}
  for line in f:lines() do
    if line:sub(1, 1) ~= "#" and line ~= "" then
      local v = {}
      for w in line:gmatch("%S+") do v[#v + 1] = w end
      out[#out + 1] = {
        name = v[1], alg = v[2], kid = tonumber(v[3]), origin = v[4], article = tonumber(v[5]),
        revision = tonumber(v[6]), epoch = tonumber(v[7]), editor = tonumber(v[8]),
        iat = tonumber(v[9]), exp = tonumber(v[10]), once = v[11] == "true", link_id = v[12],
        token = v[13],
      }
    end
  end
  f:close()
  return out
end

describe("copydesk.preview", function()
  it("is reachable as copydesk.preview and require 'copydesk.preview'", function()
    assert.are.equal(preview, require("copydesk.preview"))
    assert.are.equal("function", type(preview.signer))
    assert.are.equal("function", type(preview.verifier))
  end)

  it("makes 32-byte master keys that differ", function()
    local a, b = preview.keygen(), preview.keygen()
    assert.are.equal(32, #a)
    assert.are_not.equal(a, b)
  end)

  it("names the headers of every preview response", function()
    assert.are.same({
      ["Cache-Control"] = "private, no-store",
      ["X-Robots-Tag"] = "noindex, nofollow",
      ["Referrer-Policy"] = "no-referrer",
    }, preview.headers)
  end)
end)

describe("preview golden vectors", function()
  local vectors = read_vectors()

  it("are present", function()
    assert.is_true(#vectors >= 4)
  end)

  for _, v in ipairs(vectors) do
    it("re-signs and verifies vector " .. v.name .. " byte for byte", function()
      local s = preview.signer{ origin = v.origin, master_key = MASTER, kid = v.kid, alg = v.alg }
      local url, token, claims = s:link{
        article = v.article, revision = v.revision, epoch = v.epoch, editor = v.editor,
        now = v.iat, ttl = v.exp - v.iat, once = v.once, _link_id = v.link_id,
      }
      assert.are.equal(v.token, token)
      assert.are.equal(v.origin .. "/preview/" .. v.token, url)
      local verifier = preview.verifier{ origin = v.origin,
        keys = { [v.kid] = { alg = v.alg, master_key = MASTER } } }
      local got, code = verifier:verify(v.token, { now = v.iat })
      assert.is_nil(code)
      assert.are.same(claims, got)
      assert.are.same({
        article = v.article, revision = v.revision, epoch = v.epoch, editor = v.editor,
        kid = v.kid, alg = v.alg, iat = v.iat, exp = v.exp, once = v.once, link_id = v.link_id,
      }, got)
    end)
  end
end)

describe("preview signer:link", function()
  it("makes HMAC links of 104 characters and Ed25519 links of 147", function()
    local _, t1 = hmac_signer():link{ article = 42, now = NOW }
    local _, t2 = ed_signer():link{ article = 42, now = NOW }
    assert.are.equal(104, #t1)
    assert.are.equal(147, #t2)
    assert.is_truthy(t1:match("^[%w_%-]+$"))
    assert.is_truthy(t2:match("^[%w_%-]+$"))
  end)

  it("returns the url, the token and the claims", function()
    local url, token, claims = hmac_signer{ ttl = 600 }:link{
      article = 42, revision = 3, epoch = 2, editor = 7, once = true, now = NOW }
    assert.are.equal(ORIGIN .. "/preview/" .. token, url)
    assert.are.equal(42, claims.article)
    assert.are.equal(3, claims.revision)
    assert.are.equal(2, claims.epoch)
    assert.are.equal(7, claims.editor)
    assert.are.equal(1, claims.kid)
    assert.are.equal("hmac", claims.alg)
    assert.are.equal(NOW, claims.iat)
    assert.are.equal(NOW + 600, claims.exp)
    assert.is_true(claims.once)
    assert.is_truthy(claims.link_id:match("^%x+$"))
    assert.are.equal(18, #claims.link_id)
  end)

  it("gives each link its own random link id", function()
    local s = hmac_signer()
    local _, a, ca = s:link{ article = 1, now = NOW }
    local _, b, cb = s:link{ article = 1, now = NOW }
    assert.are_not.equal(a, b)
    assert.are_not.equal(ca.link_id, cb.link_id)
  end)

  it("uses the clock when no time is given", function()
    local _, _, claims = hmac_signer():link{ article = 1 }
    assert.is_true(math.abs(claims.iat - os.time()) <= 2)
    assert.are.equal(86400, claims.exp - claims.iat)
  end)

  it("rejects misuse with clear errors", function()
    local s = hmac_signer()
    local cases = {
      { {}, "'article' is required" },
      { { article = -1 }, "'article' must be an integer from 0 to 9007199254740992" },
      { { article = 2 ^ 53 + 2 }, "'article' must be an integer" },
      { { article = 1.5 }, "'article' must be an integer" },
      { { article = "1" }, "'article' must be an integer" },
      { { article = 1, revision = -1 }, "'revision' must be an integer" },
      { { article = 1, ttl = 31 * 86400 }, "'ttl' exceeds the signer's 'max_ttl'" },
      { { article = 1, once = 1 }, "'once' must be a boolean" },
      { { article = 1, expires = 5 }, "unknown option 'expires'" },
      { { article = 1, _link_id = "xyz" }, "'_link_id' must be 18 hex digits" },
    }
    for _, c in ipairs(cases) do
      local ok, err = pcall(s.link, s, c[1])
      assert.is_false(ok)
      assert.is_truthy(err:find("bad argument #1 to 'link' (" .. c[2], 1, true), err)
    end
    assert.has_error(function() s:link(42) end, "bad argument #1 to 'link' (options table expected)")
  end)
end)

describe("preview.signer options", function()
  local function err_of(opts)
    local ok, err = pcall(preview.signer, opts)
    assert.is_false(ok)
    return err
  end

  local cases = {
    { "an unknown option", { origin = ORIGIN, master_key = MASTER, kid = 1, kdi = 2 },
      "unknown option 'kdi'" },
    { "a missing origin", { master_key = MASTER, kid = 1 }, "'origin' is required" },
    { "an empty origin", { origin = "", master_key = MASTER, kid = 1 }, "'origin' must be" },
    { "an origin with a final slash", { origin = ORIGIN .. "/", master_key = MASTER, kid = 1 },
      "'origin' must be" },
    { "a missing master key", { origin = ORIGIN, kid = 1 }, "'master_key' is required" },
    { "a short master key", { origin = ORIGIN, master_key = ("k"):rep(31), kid = 1 },
      "'master_key' must be 32 bytes, got 31" },
    { "a long master key", { origin = ORIGIN, master_key = ("k"):rep(33), kid = 1 },
      "'master_key' must be 32 bytes, got 33" },
    { "an all-zero master key", { origin = ORIGIN, master_key = ("\0"):rep(32), kid = 1 },
      "'master_key' is all zero" },
    { "kid 0", { origin = ORIGIN, master_key = MASTER, kid = 0 }, "'kid' must be an integer" },
    { "a missing kid", { origin = ORIGIN, master_key = MASTER }, "'kid' is required" },
    { "an unknown algorithm", { origin = ORIGIN, master_key = MASTER, kid = 1, alg = "rsa" },
      "'alg' must be \"hmac\" or \"ed25519\"" },
    { "a public key (a signer needs the master key)",
      { origin = ORIGIN, public_key = MASTER, kid = 1, alg = "ed25519" }, "'master_key' is required" },
    { "ttl over max_ttl", { origin = ORIGIN, master_key = MASTER, kid = 1, ttl = 100, max_ttl = 10 },
      "'ttl' exceeds 'max_ttl'" },
  }
  for _, c in ipairs(cases) do
    it("rejects " .. c[1], function()
      local err = err_of(c[2])
      assert.is_truthy(err:find("bad argument #1 to 'signer' (" .. c[3], 1, true), err)
    end)
  end

  it("never shows key bytes in errors or tostring", function()
    local key = "SECRETKEYSECRETKEYSECRETKEYSECR" -- 31 bytes
    local err = err_of{ origin = ORIGIN, master_key = key, kid = 1 }
    assert.is_nil(err:find("SECRET", 1, true))
    local s = preview.signer{ origin = ORIGIN, master_key = key .. "!", kid = 9, alg = "ed25519" }
    assert.are.equal("copydesk.preview.signer (kid 9, ed25519)", tostring(s))
    local v = preview.verifier{ origin = ORIGIN,
      keys = { [9] = { alg = "ed25519", master_key = key .. "!" } } }
    assert.are.equal("copydesk.preview.verifier (kid 9 ed25519)", tostring(v))
    assert.is_nil(tostring(v):find("SECRET", 1, true))
  end)

  it("prints key ids up to 2^32-1 as unsigned numbers", function()
    local key = preview.keygen()
    assert.are.equal("copydesk.preview.signer (kid 4294967295, hmac)",
      tostring(preview.signer{ origin = ORIGIN, master_key = key, kid = 4294967295 }))
    assert.are.equal("copydesk.preview.verifier (kid 4294967295 hmac)",
      tostring(preview.verifier{ origin = ORIGIN, keys = { [4294967295] = { master_key = key } } }))
  end)

  it("keeps an origin that only the options' metatable supplies while the collector runs", function()
    -- the origin string is held by nothing but the stack: the binding must
    -- keep it there until it is copied (valgrind sees a read after free)
    local key = preview.keygen()
    local long = ORIGIN .. ("x"):rep(200)
    local mt = { __index = function(_, k) if k == "origin" then return ORIGIN .. ("x"):rep(200) end end }
    dofile((os.getenv("CD_ROOT") or ".") .. "/tests/spec/hurried_gc.lua")(200, function()
      local s = preview.signer(setmetatable({ master_key = key, kid = 1 }, mt))
      local v = preview.verifier(setmetatable({ keys = { [1] = { master_key = key } } }, mt))
      local url = s:link{ article = 1 }
      assert.are.equal(long .. "/preview/", url:sub(1, #long + 9))
      assert.is_table((v:verify(url)))
    end)
  end)

  it("gives a public key only for Ed25519 signers", function()
    assert.are.equal(32, #ed_signer():public_key())
    assert.has_error(function() hmac_signer():public_key() end,
      "public_key: only an ed25519 signer has a public key")
  end)
end)

describe("preview.verifier options", function()
  local function err_of(opts)
    local ok, err = pcall(preview.verifier, opts)
    assert.is_false(ok)
    return err
  end
  local one = { [1] = { master_key = MASTER } }
  local cases = {
    { "a missing origin", { keys = one }, "'origin' is required" },
    { "missing keys", { origin = ORIGIN }, "'keys' is required" },
    { "an empty keyring", { origin = ORIGIN, keys = {} }, "'keys' holds no key" },
    { "leeway over 300", { origin = ORIGIN, keys = one, leeway = 301 }, "'leeway' must be an integer" },
    { "a negative leeway", { origin = ORIGIN, keys = one, leeway = -1 }, "'leeway' must be an integer" },
    { "an unknown option", { origin = ORIGIN, keys = one, ttl = 5 }, "unknown option 'ttl'" },
    { "key id 0", { origin = ORIGIN, keys = { [0] = { master_key = MASTER } } }, "'keys' must map key ids" },
    { "a string key id", { origin = ORIGIN, keys = { a = { master_key = MASTER } } },
      "'keys' must map key ids" },
    { "a key with an unknown option", { origin = ORIGIN, keys = { [1] = { master_key = MASTER, x = 1 } } },
      "keys[1]: unknown option 'x'" },
    { "a key with both master and public key",
      { origin = ORIGIN, keys = { [1] = { alg = "ed25519", master_key = MASTER, public_key = MASTER } } },
      "keys[1]: give either 'master_key' or 'public_key'" },
    { "a key with neither", { origin = ORIGIN, keys = { [1] = { alg = "hmac" } } },
      "keys[1]: give either" },
    { "an HMAC public key", { origin = ORIGIN, keys = { [1] = { alg = "hmac", public_key = MASTER } } },
      "keys[1]: 'public_key' needs alg \"ed25519\"" },
    { "a short public key", { origin = ORIGIN, keys = { [2] = { public_key = "abc" } } },
      "keys[2]: 'public_key' must be 32 bytes, got 3" },
    { "an all-zero public key", { origin = ORIGIN, keys = { [2] = { public_key = ("\0"):rep(32) } } },
      "keys[2]: 'public_key' is all zero" },
    { "an all-zero master key", { origin = ORIGIN, keys = { [2] = { master_key = ("\0"):rep(32) } } },
      "keys[2]: 'master_key' is all zero" },
  }
  for _, c in ipairs(cases) do
    it("rejects " .. c[1], function()
      local err = err_of(c[2])
      assert.is_truthy(err:find("bad argument #1 to 'verifier' (" .. c[3], 1, true), err)
    end)
  end

  it("rejects a bad verify call", function()
    local v = keyring_verifier()
    assert.has_error(function() v:verify(42) end, "bad argument #1 to 'verify' (string expected, got number)")
    assert.has_error(function() v:verify("x", { when = 1 }) end,
      "bad argument #2 to 'verify' (unknown option 'when')")
    assert.has_error(function() v:verify("x", { check = 1 }) end,
      "bad argument #2 to 'verify' ('check' must be a function)")
  end)

  it("rejects an unknown option beside fields an __index gives", function()
    local v = keyring_verifier()
    local opts = setmetatable({ when = 1 }, { __index = { now = 1 } })
    assert.has_error(function() v:verify("x", opts) end,
      "bad argument #2 to 'verify' (unknown option 'when')")
    local s = hmac_signer()
    local ok, err = pcall(s.link, s, setmetatable({ expires = 5 }, { __index = { article = 1 } }))
    assert.is_false(ok)
    assert.is_truthy(err:find("bad argument #1 to 'link' (unknown option 'expires')", 1, true), err)
  end)
end)

describe("preview verifier:verify", function()
  local v = keyring_verifier()

  it("verifies honest HMAC and Ed25519 links, as url or token", function()
    for _, s in ipairs{ hmac_signer(), ed_signer(2), ed_signer(4) } do
      for i = 0, 20 do
        local url, token, claims = s:link{ article = 1000 + i, editor = i, ttl = 1 + i * 997,
          once = i % 2 == 0, now = NOW + i }
        assert.are.same(claims, (v:verify(url, { now = NOW + i })))
        assert.are.same(claims, (v:verify(token, { now = NOW + i })))
      end
    end
  end)

  it("lets an edge holding only the public key verify Ed25519 links, and not mint them", function()
    local pk = ed_signer(2):public_key()
    local edge = preview.verifier{ origin = ORIGIN, keys = { [2] = { alg = "ed25519", public_key = pk } } }
    local _, token = ed_signer(2):link{ article = 5, now = NOW }
    assert.are.equal(5, edge:verify(token, { now = NOW }).article)
    assert.is_nil(edge.link)
    assert.has_error(function()
      preview.signer{ origin = ORIGIN, public_key = pk, kid = 2, alg = "ed25519" }
    end)
    -- a public key passed off as a master key derives some other key pair
    local _, forged = preview.signer{ origin = ORIGIN, master_key = pk, kid = 2, alg = "ed25519" }
      :link{ article = 5, now = NOW }
    assert.are.same({ nil, "bad_signature" }, { edge:verify(forged, { now = NOW }) })
  end)

  it("rejects every single-character substitution of a token", function()
    local chars = b64_chars()
    for _, extra in ipairs{ "+", "/", "=", " ", ".", "\0", "\195" } do chars[#chars + 1] = extra end
    local accepted, tried = 0, 0
    local signers = { hmac_signer(), ed_signer(2) }
    for _, s in ipairs(signers) do
      local _, t = s:link{ article = 42, now = NOW }
      local step = VALGRIND and 7 or 1
      for i = 1, #t, step do
        local orig = t:sub(i, i)
        for _, c in ipairs(chars) do
          if c ~= orig then
            tried = tried + 1
            local claims, code = v:verify(t:sub(1, i - 1) .. c .. t:sub(i + 1), { now = NOW })
            if claims or type(code) ~= "string" then accepted = accepted + 1 end
          end
        end
      end
    end
    assert.is_true(tried > 1000)
    assert.are.equal(0, accepted)
  end)

  describe("reports the code of each broken token", function()
    local _, t = hmac_signer():link{ article = 42, now = NOW }
    local _, e = ed_signer(2):link{ article = 42, now = NOW }
    local function code_of(s, now)
      local claims, code = v:verify(s, { now = now or NOW })
      assert.is_nil(claims)
      return code
    end
    local cases = {
      { "truncated", t:sub(1, -2) },
      { "truncated Ed25519", e:sub(1, -2) },
      { "with an extra character", t .. "A" },
      { "with padding", t .. "=" },
      { "with '+' (standard alphabet)", t:sub(1, 9) .. "+" .. t:sub(11) },
      { "with '/' (standard alphabet)", t:sub(1, 9) .. "/" .. t:sub(11) },
      { "with a space", t:sub(1, 50) .. " " .. t:sub(52) },
      { "with a trailing newline", t .. "\n" },
      { "with leading whitespace", " " .. t },
      { "with a NUL", t:sub(1, 50) .. "\0" .. t:sub(52) },
      { "with a trailing NUL", t .. "\0" },
      { "with non-ASCII", t:sub(1, 50) .. "\195\169" .. t:sub(53) },
      { "empty", "" },
      { "of 1 MB", ("A"):rep(1024 * 1024) },
      { "of 1 MB of slashes", ("/"):rep(1024 * 1024) },
      { "with a query string", ORIGIN .. "/preview/" .. t .. "?a=1" },
      { "under another path", ORIGIN .. "/draft/" .. t },
    }
    for _, c in ipairs(cases) do
      it("malformed: " .. c[1], function()
        assert.are.equal("malformed", code_of(c[2]))
      end)
    end

    it("malformed: spare bits set in the last character of an Ed25519 token", function()
      local chars = b64_chars()
      local bad = 0
      for i, c in ipairs(chars) do
        local code = select(2, v:verify(e:sub(1, -2) .. c, { now = NOW }))
        if (i - 1) % 4 ~= 0 and code == "malformed" then bad = bad + 1 end
        if (i - 1) % 4 == 0 then assert.are_not.equal("malformed", code) end
      end
      assert.are.equal(48, bad)
    end)

    -- Rewrites body bytes: decode the 6-bit groups by hand, patch, re-encode.
    local alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    local function decode(s)
      local bits, out = {}, {}
      for i = 1, #s do
        local n = alphabet:find(s:sub(i, i), 1, true) - 1
        for b = 5, 0, -1 do bits[#bits + 1] = math.floor(n / 2 ^ b) % 2 end
      end
      for i = 1, #bits - 7, 8 do
        local n = 0
        for b = 0, 7 do n = n * 2 + bits[i + b] end
        out[#out + 1] = n
      end
      return out
    end
    local function encode(bytes)
      local bits, out = {}, {}
      for _, n in ipairs(bytes) do
        for b = 7, 0, -1 do bits[#bits + 1] = math.floor(n / 2 ^ b) % 2 end
      end
      while #bits % 6 ~= 0 do bits[#bits + 1] = 0 end
      for i = 1, #bits, 6 do
        local n = 0
        for b = 0, 5 do n = n * 2 + bits[i + b] end
        out[#out + 1] = alphabet:sub(n + 1, n + 1)
      end
      return table.concat(out)
    end
    local function patch(s, offset, byte)
      local bytes = decode(s)
      bytes[offset + 1] = byte
      return encode(bytes)
    end
    local function flip(s, offset) -- changes the lowest bit of one byte
      local bytes = decode(s)
      local b = bytes[offset + 1]
      bytes[offset + 1] = b % 2 == 0 and b + 1 or b - 1
      return encode(bytes)
    end

    it("round-trips the test codec", function()
      assert.are.equal(t, encode(decode(t)))
      assert.are.equal(e, encode(decode(e)))
    end)

    it("unsupported_version: version byte 0, 2 and 255", function()
      for _, b in ipairs{ 0, 2, 255 } do
        assert.are.equal("unsupported_version", code_of(patch(t, 0, b)))
        assert.are.equal("unsupported_version", code_of(patch(e, 0, b)))
      end
    end)

    it("key_mismatch: an algorithm byte that is not the key's", function()
      assert.are.equal("key_mismatch", code_of(patch(t, 1, 2)))
      assert.are.equal("key_mismatch", code_of(patch(t, 1, 0)))
      assert.are.equal("key_mismatch", code_of(patch(t, 1, 3)))
      assert.are.equal("key_mismatch", code_of(patch(e, 1, 1)))
      -- an HMAC-sized token under an Ed25519 key id, and the reverse
      assert.are.equal("key_mismatch", code_of(patch(t, 5, 2)))
      assert.are.equal("key_mismatch", code_of(patch(e, 5, 1)))
    end)

    it("unknown_key: a key id the keyring lacks", function()
      assert.are.equal("unknown_key", code_of(patch(t, 5, 9)))
      assert.are.equal("unknown_key", code_of(patch(t, 2, 1)))
      local _, other = hmac_signer{ kid = 77 }:link{ article = 1, now = NOW }
      assert.are.equal("unknown_key", code_of(other))
    end)

    it("key_retired: a link of a retired key id", function()
      local _, old = hmac_signer{ kid = 3 }:link{ article = 1, now = NOW }
      assert.are.equal("key_retired", code_of(old))
    end)

    it("malformed: unknown flag bits, even under a valid tag", function()
      for bit = 1, 7 do
        assert.are.equal("malformed", code_of(patch(t, 36, 2 ^ bit)))
      end
    end)

    it("bad_signature: another origin, another key, any changed field", function()
      local _, foreign = preview.signer{ origin = "https://other.example", master_key = MASTER, kid = 1 }
        :link{ article = 42, now = NOW }
      assert.are.equal("bad_signature", code_of(foreign))
      local _, other_key = preview.signer{ origin = ORIGIN, master_key = OTHER, kid = 1 }
        :link{ article = 42, now = NOW }
      assert.are.equal("bad_signature", code_of(other_key))
      local _, other_ed = preview.signer{ origin = ORIGIN, master_key = OTHER, kid = 2, alg = "ed25519" }
        :link{ article = 42, now = NOW }
      assert.are.equal("bad_signature", code_of(other_ed))
      assert.are.equal("bad_signature", code_of(patch(t, 13, 43)))  -- article
      assert.are.equal("bad_signature", code_of(patch(e, 21, 1)))   -- epoch
      assert.are.equal("bad_signature", code_of(patch(t, 35, 255))) -- exp
      assert.are.equal("bad_signature", code_of(patch(t, 36, 1)))   -- once flag
      assert.are.equal("bad_signature", code_of(flip(t, 77)))       -- tag
      assert.are.equal("bad_signature", code_of(flip(e, 100)))      -- signature
      assert.are.equal("bad_signature", code_of(flip(t, 40)))       -- link id
    end)
  end)

  describe("time rules", function()
    local _, t = hmac_signer():link{ article = 1, ttl = 3600, now = NOW }

    it("accepts up to the last second of exp plus leeway and rejects the next", function()
      assert.is_table(v:verify(t, { now = NOW + 3600 + 59 }))
      assert.are.same({ nil, "expired" }, { v:verify(t, { now = NOW + 3600 + 60 }) })
      local strict = keyring_verifier{ leeway = 0 }
      assert.is_table(strict:verify(t, { now = NOW + 3599 }))
      assert.are.same({ nil, "expired" }, { strict:verify(t, { now = NOW + 3600 }) })
    end)

    it("rejects an issue time in the future beyond leeway", function()
      assert.is_table(v:verify(t, { now = NOW - 60 }))
      assert.are.same({ nil, "not_yet_valid" }, { v:verify(t, { now = NOW - 61 }) })
      local strict = keyring_verifier{ leeway = 0 }
      assert.are.same({ nil, "not_yet_valid" }, { strict:verify(t, { now = NOW - 1 }) })
    end)

    it("rejects a lifetime over the verifier's max_ttl", function()
      assert.is_table(keyring_verifier{ max_ttl = 3600 }:verify(t, { now = NOW }))
      local short = keyring_verifier{ max_ttl = 3599 }
      assert.are.same({ nil, "ttl_too_long" }, { short:verify(t, { now = NOW }) })
      local _, long = hmac_signer{ max_ttl = 60 * 86400 }:link{ article = 1, ttl = 31 * 86400, now = NOW }
      assert.are.same({ nil, "ttl_too_long" }, { v:verify(long, { now = NOW }) })
    end)
  end)

  describe("state callbacks", function()
    local _, t, claims = hmac_signer():link{ article = 42, epoch = 3, once = true, now = NOW }

    it("passes the claims to check and returns its code", function()
      local seen
      local got = v:verify(t, { now = NOW, check = function(c) seen = c end })
      assert.are.same(claims, seen)
      assert.are.same(claims, got)
      for _, code in ipairs{ "revoked", "not_found", "already_used" } do
        assert.are.same({ nil, code }, { v:verify(t, { now = NOW, check = function() return code end }) })
      end
    end)

    it("revokes every link of an article when its epoch moves on", function()
      local epochs = { [42] = 4 }
      local function check(c)
        if epochs[c.article] ~= c.epoch then return "revoked" end
      end
      assert.are.same({ nil, "revoked" }, { v:verify(t, { now = NOW, check = check }) })
      epochs[42] = 3
      assert.is_table(v:verify(t, { now = NOW, check = check }))
    end)

    it("does not call check for a token that fails", function()
      local called = false
      local _, code = v:verify(t:sub(2), { now = NOW, check = function() called = true end })
      assert.are.equal("malformed", code)
      assert.is_false(called)
    end)

    it("raises when check returns something else than nil or a code", function()
      assert.has_error(function()
        v:verify(t, { now = NOW, check = function() return 1 end })
      end, "verify: 'check' must return nil or a code string, got number")
    end)
  end)

  it("never reports key bytes in a code", function()
    local _, code = v:verify(MASTER)
    assert.are.equal("malformed", code)
  end)
end)

describe("preview key material", function()
  local key = preview.keygen()
  local text = preview.key_to_text(key)

  it("reads a key from base64url text, with surrounding whitespace", function()
    assert.are.equal(43, #text)
    assert.are.equal(key, preview.key_from_text(text))
    assert.are.equal(key, preview.key_from_text(" " .. text .. "\n"))
  end)

  it("returns invalid_key for text that is not a key, without echoing it", function()
    local bad = { text:sub(2), text .. "A", text .. "=", text:gsub("[%-_]", "+"), ("A"):rep(43),
      "not a key", "", text:sub(1, 20) .. "\0" .. text:sub(22) }
    for _, s in ipairs(bad) do
      if s ~= text then
        local k, code, extra = preview.key_from_text(s)
        assert.is_nil(k)
        assert.are.equal("invalid_key", code)
        assert.is_nil(extra)
      end
    end
    assert.has_error(function() preview.key_from_text(nil) end,
      "bad argument #1 to 'key_from_text' (string expected, got nil)")
  end)

  it("reads a key from an environment variable", function()
    assert.are.same({ nil, "key_missing" }, { preview.key_from_env("COPYDESK_TEST_NO_SUCH_VARIABLE") })
    local path = os.getenv("PATH")
    assert.is_string(path)
    assert.are.same({ nil, "invalid_key" }, { preview.key_from_env("PATH") })
  end)

  it("writes a new key file with mode 0600 and never overwrites one", function()
    local path = os.tmpname()
    os.remove(path)
    assert.is_true(preview.write_key_file(path))
    local k = preview.read_key_file(path)
    assert.are.equal(32, #k)
    local p = io.popen("stat -c %a " .. path)
    assert.are.equal("600", p:read("*l"))
    p:close()
    assert.are.same({ nil, "key_file_exists" }, { preview.write_key_file(path) })
    assert.are.equal(k, preview.read_key_file(path))
    os.remove(path)
    assert.is_true(preview.write_key_file(path, key))
    assert.are.equal(key, preview.read_key_file(path))
    os.remove(path)
    assert.are.same({ nil, "key_file_error" }, { preview.read_key_file(path) })
    assert.are.same({ nil, "key_file_error" }, { preview.write_key_file("/nonexistent-dir/key") })
    assert.has_error(function() preview.write_key_file(path, "short") end,
      "bad argument #2 to 'write_key_file' (key must be 32 bytes, not all zero)")
  end)

  it("rejects a key file that does not hold a key", function()
    assert.are.same({ nil, "invalid_key" },
      { preview.read_key_file(root() .. "/tests/fixtures/preview_vectors.txt") })
  end)
end)
