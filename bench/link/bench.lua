-- Sign and verify preview links through the Lua API for SECONDS each;
-- prints "lua sign_per_s verify_per_s ed_sign_per_s ed_verify_per_s".
--   lua bench.lua ORIGIN SECONDS
local preview = require "copydesk.preview"
local origin, secs = arg[1] or "https://news.example", tonumber(arg[2]) or 1

local key = preview.keygen()
local now = os.time()

local function rate(fn)
  local n, batch = 0, 1000
  local t0 = os.clock()
  local dt
  repeat
    for i = 1, batch do fn(i) end
    n = n + batch
    dt = os.clock() - t0
  until dt >= secs
  return n / dt
end

local function measure(alg, kid)
  local signer = preview.signer{ origin = origin, master_key = key, kid = kid, alg = alg }
  local verifier = preview.verifier{ origin = origin, keys = { [kid] = { alg = alg, master_key = key } } }
  local sign = rate(function(i)
    local _, token = signer:link{ article = i, editor = 7, ttl = 7200 }
    return token
  end)
  local _, token = signer:link{ article = 42, editor = 7, ttl = 7200, now = now }
  local bad = 0
  local verify = rate(function()
    local claims = verifier:verify(token)
    if not claims then bad = bad + 1 end
  end)
  assert(bad == 0, "an honest link failed")
  return sign, verify
end

local hs, hv = measure("hmac", 1)
local es, ev = measure("ed25519", 2)
print(string.format("lua %.0f %.0f %.0f %.0f", hs, hv, es, ev))
