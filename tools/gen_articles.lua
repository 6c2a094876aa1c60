#!/usr/bin/env lua
-- Writes N generated articles as JSON lines (copydesk's article model, some
-- as ninjs 2.x) to standard output, for `copydesk audit` tests and timing.
-- Deterministic for a given seed on every Lua; nothing here is real text.
--   lua tools/gen_articles.lua N [SEED] > archive.jsonl
local cjson = require "cjson"

local n = tonumber(arg[1] or "")
if not n then
  io.stderr:write("usage: lua tools/gen_articles.lua N [SEED]\n")
  os.exit(2)
end
local state = tonumber(arg[2] or "20261128") % 2147483647
if state <= 0 then state = 1 end
-- Park-Miller minimal standard generator: same numbers on every interpreter.
local function rand(m)
  state = (state * 16807) % 2147483647
  return state % m + 1
end
local function pick(t) return t[rand(#t)] end

local WORDS = {
  "council", "budget", "storm", "harbour", "election", "minister", "school", "river", "bridge",
  "market", "festival", "court", "hospital", "rail", "strike", "museum", "vote", "coast", "energy",
  "police", "farmers", "housing", "water", "tram", "library", "tax", "port", "airport", "union",
}
local NAMES = { "Jane Doe", "Ola Nordmann", "Μαρία Παπαδοπούλου", "Иван Петров", "Kim Min-jun", "José Álvarez" }
local SECTIONS = { "world", "politics", "business", "culture", "sport", "local" }
local LANGS = { "en", "en", "en", "de", "fr", "el", "xx-invalid" }

-- k words, never the same word twice in a row (doubled words are a defect
-- the generator adds on purpose, below).
local function words(k)
  local t = {}
  for i = 1, k do
    local w = pick(WORDS)
    while w == t[i - 1] do w = pick(WORDS) end
    t[i] = w
  end
  return t
end

local function sentence()
  local w = words(rand(10) + 6)
  w[1] = w[1]:sub(1, 1):upper() .. w[1]:sub(2)
  return table.concat(w, " ") .. "."
end

local function body(defect)
  local paras = {}
  for i = 1, rand(6) + 1 do
    local s = {}
    for j = 1, rand(4) + 1 do s[j] = sentence() end
    paras[i] = "<p>" .. table.concat(s, " ") .. "</p>"
  end
  if defect == 1 then paras[#paras + 1] = "<p>the the vote was close.</p>" end
  if defect == 2 then paras[#paras + 1] = "<p></p>" end
  if defect == 3 then paras[#paras + 1] = '<p><a href="javascript:alert(1)">x</a></p>' end
  if defect == 4 then paras[#paras + 1] = "<h1>Second title</h1>" end
  if defect == 5 then paras[#paras + 1] = "<p>Lorem ipsum TK</p>" end
  if defect == 6 then paras[#paras + 1] = "<p>Sign up for our newsletter</p>" end
  return table.concat(paras, "\n")
end

local function date(i)
  local day = 1 + i % 28
  return string.format("2026-%02d-%02dT%02d:%02d:00Z", 1 + i % 12, day, i % 24, i % 60)
end

local out = io.stdout
for i = 1, n do
  local defect = rand(12)
  local headline = table.concat(words(rand(8) + 3), " ")
  headline = headline:sub(1, 1):upper() .. headline:sub(2)
  if defect == 7 then headline = "" end
  if defect == 8 then headline = string.rep("very long headline ", 10) end
  local a = {
    id = i, status = pick({ "draft", "review", "published" }), headline = headline,
    dek = sentence(), description = sentence() .. " " .. sentence(),
    body = body(defect), byline = { pick(NAMES) }, section = pick(SECTIONS),
    tags = { pick(WORDS), pick(WORDS) }, language = pick(LANGS),
    published_at = date(i), updated_at = date(i + 1),
    images = { { url = "https://img.example/" .. i .. ".jpg", alt = defect == 9 and "" or sentence(),
                 caption = sentence(), credit = defect == 10 and "" or pick(NAMES),
                 width = 1200, height = 675 } },
  }
  if defect == 11 then a.byline = {} end
  local doc = a
  if i % 10 == 0 then
    -- one in ten as an IPTC ninjs 2.x document
    doc = {
      uri = "urn:example:" .. i, type = "text", version = "1", language = a.language,
      headline = a.headline, body_html = a.body, byline = a.byline[1],
      versioncreated = a.updated_at, firstcreated = a.published_at,
      subject = { { name = a.section } },
    }
  end
  out:write(cjson.encode(doc), "\n")
end
