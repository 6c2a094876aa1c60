-- One thread's share of tests/c/threads/threads.c: calls every public
-- function of copydesk that exists on a fixed set of inputs, `iterations`
-- times, and returns the names it covered and a digest of all answers
-- (link ids are random, so links are minted and verified within the thread).
local _, iterations = ... -- thread id, rounds
local copydesk = require "copydesk"

local function ser(v, out, seen)
  local t = type(v)
  if t == "table" then
    if seen[v] then out[#out + 1] = "<cycle>" return end
    seen[v] = true
    local keys = {}
    for k in pairs(v) do keys[#keys + 1] = k end
    table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
    out[#out + 1] = "{"
    for _, k in ipairs(keys) do
      if k ~= "link_id" then
        out[#out + 1] = tostring(k) .. "="
        ser(v[k], out, seen)
        out[#out + 1] = ","
      end
    end
    out[#out + 1] = "}"
    seen[v] = nil
  else
    out[#out + 1] = t == "string" and string.format("%q", v) or tostring(v)
  end
end

local digest = 5381
local function feed(...)
  local out = {}
  for i = 1, select("#", ...) do ser((select(i, ...)), out, {}) ; out[#out + 1] = ";" end
  local s = table.concat(out)
  for i = 1, #s do digest = (digest * 33 + s:byte(i)) % 2147483647 end
end

local headlines = {
  "Seoul talks resume after a long pause", "Αθήνα: η κυβέρνηση", "Ельцин и Київ",
  "影師嗎 한국 북한 신라", "Trump’s 1,000 days & counting", "ab\192\128", "\237\160\128", "a\0b",
  string.rep("word ", 200), "<b>Tom &amp; Jerry</b> &#x1F600;",
}
local article = {
  id = 42, status = "draft", headline = "Talks resume in Seoul", dek = "A short dek",
  body = "<p>Negotiators met on Tuesday.</p><p><a href=\"javascript:x\">x</a> the the</p>",
  byline = { "Jane Doe" }, section = "world", tags = { "north-korea" }, language = "en",
  published_at = "2026-11-28T12:00:00Z",
  images = { { url = "https://img.example/1.jpg", alt = "", caption = "Seoul", width = 1200, height = 675 } },
}

local covered, seen_names = {}, {}
local function cover(name) if not seen_names[name] then seen_names[name] = true covered[#covered + 1] = name end end

local signer, verifier
local preview = copydesk.preview
if type(preview) == "table" and preview.signer and preview.verifier then
  local key = string.rep("\7", 32)
  signer = preview.signer { origin = "https://news.example", master_key = key, kid = 1 }
  verifier = preview.verifier { origin = "https://news.example",
    keys = { [1] = { alg = "hmac", master_key = key } } }
end

for _ = 1, iterations do
  for _, h in ipairs(headlines) do
    feed(copydesk.utf8_check(h)); cover("utf8_check")
    if copydesk.slugify then feed(copydesk.slugify(h)); cover("slugify") end
    if copydesk.slugify then feed(copydesk.slugify(h, { max_length = 20, separator = "_" })) end
  end
  if copydesk.unique_slug then
    feed(copydesk.unique_slug("Seoul talks", { ["seoul-talks"] = true })); cover("unique_slug")
  end
  if copydesk.sanitize_html then
    feed(copydesk.sanitize_html(article.body)); cover("sanitize_html")
    feed(copydesk.sanitize_html("<h1>x</h1><p><em>y</p>", { tags = { "p", "h2" } }))
  end
  if copydesk.validate then feed(copydesk.validate(article)); cover("validate") end
  if copydesk.validate_json then
    feed(copydesk.validate_json('{"headline":"Talks","body":"<p>x</p>","status":"draft"}'))
    feed(copydesk.validate_json('{"headline":'))
    cover("validate_json")
  end
  if signer then
    local now = 1800000000
    local url, token = signer:link { article = 42, revision = 0, epoch = 0, editor = 7, ttl = 7200, now = now }
    feed(type(url), #token)
    feed(verifier:verify(token, { now = now + 10 }))
    local bad = token:sub(1, 30) .. (token:sub(31, 31) == "A" and "B" or "A") .. token:sub(32)
    feed(verifier:verify(bad, { now = now + 10 }))
    feed(verifier:verify(token, { now = now + 7200 * 10 }))
    cover("preview.signer:link"); cover("preview.verifier:verify")
  end
end
return table.concat(covered, ", ") .. " (" .. iterations .. " rounds, digest " .. digest .. ")"
