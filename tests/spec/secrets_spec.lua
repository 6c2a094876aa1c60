-- Key material never reaches an error, a code, a message or tostring: every
-- preview error is provoked with a known master key, and everything the
-- library says back is searched for the key's bytes, base64, base64url and hex.
local copydesk = require "copydesk"
local unpack = rawget(table, "unpack") or rawget(_G, "unpack")

local B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

local function b64(s, url)
  local out, bits, nbits = {}, 0, 0
  for i = 1, #s do
    bits = bits * 256 + s:byte(i)
    nbits = nbits + 8
    while nbits >= 6 do
      nbits = nbits - 6
      local v = math.floor(bits / 2 ^ nbits)
      bits = bits - v * 2 ^ nbits
      out[#out + 1] = B64:sub(v + 1, v + 1)
    end
  end
  if nbits > 0 then
    local v = bits * 2 ^ (6 - nbits)
    out[#out + 1] = B64:sub(v + 1, v + 1)
  end
  local r = table.concat(out)
  if url then return (r:gsub("+", "-"):gsub("/", "_")) end
  return r .. string.rep("=", (4 - #r % 4) % 4)
end

local function unb64url(s)
  local out, bits, nbits = {}, 0, 0
  for i = 1, #s do
    local c = s:sub(i, i):gsub("-", "+"):gsub("_", "/")
    local v = B64:find(c, 1, true) - 1
    bits = bits * 64 + v
    nbits = nbits + 6
    if nbits >= 8 then
      nbits = nbits - 8
      local byte = math.floor(bits / 2 ^ nbits)
      bits = bits - byte * 2 ^ nbits
      out[#out + 1] = string.char(byte)
    end
  end
  return table.concat(out)
end

local function hex(s, fmt)
  return (s:gsub(".", function(c) return string.format(fmt, c:byte()) end))
end

-- A master key with no byte in common with ordinary text.
local KEY = {}
for i = 1, 32 do KEY[i] = string.char(0x80 + i * 3) end
KEY = table.concat(KEY)

local function forms(k)
  return { raw = k, base64 = b64(k), base64url = b64(k, true), hex = hex(k, "%02x"), HEX = hex(k, "%02X"),
           -- a leak of a prefix is a leak too: 12 bytes of key in any form
           raw_prefix = k:sub(1, 12), base64url_prefix = b64(k, true):sub(1, 16), hex_prefix = hex(k, "%02x"):sub(1, 24) }
end

local forbidden = { forms(KEY), forms(KEY:sub(1, 31)), forms(KEY .. "\1") }

local said = {} -- everything the library said: { what, text }
local function record(what, ...)
  for i = 1, select("#", ...) do
    local v = select(i, ...)
    if type(v) == "string" then
      said[#said + 1] = { what, v }
    elseif type(v) == "table" then
      for k, x in pairs(v) do
        if type(x) == "string" and k ~= "link_id" then said[#said + 1] = { what .. "." .. tostring(k), x } end
      end
      said[#said + 1] = { what .. " tostring", tostring(v) }
    elseif v ~= nil then
      said[#said + 1] = { what .. " tostring", tostring(v) }
    end
  end
end
local function call(what, fn, ...)
  local res = { pcall(fn, ...) }
  if res[1] then
    record(what, select(2, unpack(res, 1, 4)))
  else
    record(what .. " error", res[2])
  end
  return res
end

local function assert_no_key()
  assert.is_true(#said > 0)
  for _, s in ipairs(said) do
    for _, f in ipairs(forbidden) do
      for form, needle in pairs(f) do
        assert.is_nil(s[2]:find(needle, 1, true), s[1] .. " contains the key (" .. form .. "): " .. s[2])
      end
    end
  end
end

local preview = copydesk.preview
local has_preview = type(preview) == "table" and preview.signer ~= nil and preview.verifier ~= nil

describe("preview errors", function()
  if not has_preview then
    pending("copydesk.preview is not on this branch yet")
    return
  end
  local origin = "https://news.example"
  local now = 1800000000

  it("never show the master key in any error, code, message or tostring", function()
    local hmac = preview.signer { origin = origin, master_key = KEY, kid = 1, max_ttl = 30 * 86400 }
    local ed = preview.signer { origin = origin, master_key = KEY, kid = 2, alg = "ed25519" }
    record("signer", hmac, ed)
    local pk = ed:public_key()
    local verifier = preview.verifier { origin = origin, leeway = 60, max_ttl = 86400,
      keys = { [1] = { alg = "hmac", master_key = KEY }, [2] = { alg = "ed25519", public_key = pk },
               [3] = { alg = "hmac", master_key = KEY, retired = true } } }
    record("verifier", verifier)
    local mismatch = preview.verifier { origin = origin,
      keys = { [1] = { alg = "ed25519", public_key = pk }, [2] = { alg = "hmac", master_key = KEY } } }
    local claims = { article = 42, revision = 0, epoch = 0, editor = 7, ttl = 7200, now = now }
    local _, tok = hmac:link(claims)
    local _, edtok = ed:link(claims)
    local codes = {}
    local function verify(v, t, opts)
      local res = call("verify", v.verify, v, t, opts or { now = now + 1 })
      if res[1] and res[2] == nil then codes[res[3]] = true end
    end
    -- each code of the verification order
    verify(verifier, tok:sub(2))                                              -- malformed
    verify(verifier, tok .. "=")                                              -- malformed
    local body = unb64url(tok)
    verify(verifier, b64("\2" .. body:sub(2), true))                          -- unsupported_version
    local r3 = preview.signer { origin = origin, master_key = KEY, kid = 3 }
    local _, tok3 = r3:link(claims)
    verify(verifier, tok3)                                                    -- key_retired
    local r9 = preview.signer { origin = origin, master_key = KEY, kid = 9 }
    local _, tok9 = r9:link(claims)
    verify(verifier, tok9)                                                    -- unknown_key
    verify(mismatch, tok)                                                     -- key_mismatch
    verify(mismatch, edtok)                                                   -- key_mismatch
    local flip = tok:sub(1, 60) .. (tok:sub(61, 61) == "A" and "B" or "A") .. tok:sub(62)
    verify(verifier, flip)                                                    -- bad_signature
    verify(verifier, edtok:sub(1, 100) .. (edtok:sub(101, 101) == "A" and "B" or "A") .. edtok:sub(102))
    verify(verifier, tok, { now = now + 7200 + 3600 })                        -- expired
    verify(verifier, tok, { now = now - 3600 })                               -- not_yet_valid
    local _, long = hmac:link { article = 42, revision = 0, epoch = 0, editor = 7, ttl = 20 * 86400, now = now }
    verify(verifier, long)                                                    -- ttl_too_long
    for _, c in ipairs({ "revoked", "not_found", "already_used" }) do
      verify(verifier, tok, { now = now + 1, check = function() return c end })
    end
    verify(verifier, origin .. "/preview/" .. tok:sub(1, 50))
    for _, c in ipairs({ "malformed", "unsupported_version", "unknown_key", "key_mismatch", "key_retired",
      "bad_signature", "expired", "not_yet_valid", "ttl_too_long", "revoked", "not_found", "already_used" }) do
      assert.is_true(codes[c], "no test input produced " .. c)
    end

    -- programmer errors that carry the key or something close to it
    call("signer short key", preview.signer, { origin = origin, master_key = KEY:sub(1, 31), kid = 1 })
    call("signer long key", preview.signer, { origin = origin, master_key = KEY .. "\1", kid = 1 })
    call("signer bad kid", preview.signer, { origin = origin, master_key = KEY, kid = 0 })
    call("signer unknown option", preview.signer, { origin = origin, master_key = KEY, kid = 1, secret = 1 })
    call("verifier short key", preview.verifier, { origin = origin, keys = { { alg = "hmac", master_key = KEY:sub(1, 31) } } })
    call("verifier bad public key", preview.verifier, { origin = origin, keys = { { alg = "ed25519", public_key = KEY .. "\1" } } })
    call("verifier key as public key", preview.verifier, { origin = origin, keys = { { alg = "hmac", public_key = KEY } } })
    call("link bad claims", hmac.link, hmac, { article = KEY })
    call("link unknown claim", hmac.link, hmac, { article = 1, key = true })
    call("verify with a key as token", verifier.verify, verifier, KEY)
    call("verify with the base64url key as token", verifier.verify, verifier, b64(KEY, true))
    if preview.key_from_text then
      call("key_from_text short", preview.key_from_text, b64(KEY, true):sub(2))
      call("key_from_text bad char", preview.key_from_text, b64(KEY, true):sub(1, 42) .. "!")
      call("key_from_text hex", preview.key_from_text, hex(KEY, "%02x") .. "0")
    end
    if preview.write_key_file and preview.read_key_file then
      local dir = os.tmpname()
      os.remove(dir)
      local path = dir .. ".key"
      call("write_key_file", preview.write_key_file, path, KEY)
      call("write_key_file again", preview.write_key_file, path, KEY)       -- key_file_exists
      local f = assert(io.open(path, "rb"))
      local text = f:read("*a")
      f:close()
      -- a damaged key file: one character changed, cut short, garbage appended
      for _, bad in ipairs({ text:sub(1, 10) .. "!" .. text:sub(12), text:sub(1, 30), text .. "xyz", "\0" .. text }) do
        f = assert(io.open(path, "wb"))
        f:write(bad)
        f:close()
        call("read_key_file damaged", preview.read_key_file, path)
      end
      os.remove(path)
      call("read_key_file missing", preview.read_key_file, path)
    end
    assert_no_key()
  end)
end)
