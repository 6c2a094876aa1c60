-- luacheck: max line length 132
-- Builds the 1,000-word benchmark story (written for copydesk): a news
-- article with an HTML body of varied sentences, made deterministically.
local M = {}

local subjects = { "The council", "The harbour authority", "A spokeswoman for the port", "Local traders",
  "The transport minister", "Engineers on the site", "Residents of the old town", "The opposition leader",
  "A report published on Monday", "The regional police", "Shop owners near the quay", "The ferry operator" }
local verbs = { "said", "warned", "confirmed", "argued", "told reporters", "wrote in a statement",
  "suggested", "insisted", "admitted", "explained" }
local objects = { "that the repairs would run into the spring", "that the costs had doubled since the first estimate",
  "that traffic on the bridge would be limited to buses", "that the budget for the works was already spent",
  "that a second crossing was being considered", "that the delays had hurt trade along the waterfront",
  "that the inspection found rust in the northern cables", "that the night closures would end in March",
  "that cyclists would get their own lane", "that the tender would be published before the summer",
  "that nobody had been hurt during the works", "that the old toll booths would be removed" }
local tails = { "", ", according to figures seen by this newspaper", " after a meeting that lasted late into the night",
  ", although details were still being worked out", " in an interview on Tuesday", "" }

function M.body(words)
  local seed = 12345
  local function rnd(n)
    seed = (seed * 1103515245 + 12345) % 2147483648
    return seed % n + 1
  end
  local paras, count = {}, 0
  while count < words do
    local sentences = {}
    for _ = 1, 4 do
      local s = subjects[rnd(#subjects)] .. " " .. verbs[rnd(#verbs)] .. " " .. objects[rnd(#objects)]
        .. tails[rnd(#tails)] .. "."
      sentences[#sentences + 1] = s
      for _ in s:gmatch("%S+") do count = count + 1 end
    end
    paras[#paras + 1] = "<p>" .. table.concat(sentences, " ") .. "</p>"
    if #paras % 4 == 0 then paras[#paras + 1] = "<h2>What happens next</h2>" end
  end
  return table.concat(paras, "\n"), count
end

function M.article()
  local body, words = M.body(1000)
  return {
    id = 4242, slug = "harbour-bridge-repairs-run-into-spring", status = "published",
    headline = "Harbour bridge repairs will run into the spring, council says",
    dek = "The cost of the works has doubled and traders on the waterfront say they are losing business",
    description = "The harbour bridge will stay partly closed until the spring after inspectors found rust in its cables.",
    byline = { "Mara Lindqvist", "Jonas Berg" }, section = "local", tags = { "transport", "harbour" },
    language = "en-GB", published_at = "2026-11-28T09:00:00Z", updated_at = "2026-11-28T12:15:00Z",
    canonical_url = "https://news.example/local/harbour-bridge-repairs-run-into-spring",
    body = body,
    images = { { url = "https://cdn.news.example/img/bridge.jpg", alt = "Scaffolding under a steel bridge",
      caption = "Scaffolding under the northern span of the harbour bridge.", credit = "Jonas Berg/News Example",
      width = 1200, height = 675 } },
    related = { { headline = "Why the bridge repairs took so long", url = "https://news.example/local/bridge-delay" } },
  }, words
end

-- The same story as an IPTC ninjs 2.2 document (for ajv and the schema).
function M.ninjs(a)
  return {
    uri = a.canonical_url, type = "text", version = "1", pubstatus = "usable",
    versioncreated = a.updated_at, firstcreated = a.published_at, language = a.language,
    standard = { name = "ninjs", version = "2.2", schema = "http://www.iptc.org/std/ninjs/ninjs-schema_2.2.json" },
    headlines = { { role = "main", value = a.headline } },
    descriptions = { { role = "summary", value = a.dek } },
    bodies = { { role = "main", contenttype = "text/html", value = a.body } },
    by = table.concat(a.byline, " and "),
    subjects = { { name = "transport", uri = "http://cv.iptc.org/newscodes/mediatopic/20000615" } },
    associations = { { name = "image1", type = "picture", uri = a.images[1].url,
      descriptions = { { role = "caption", value = a.images[1].caption } }, by = a.images[1].credit,
      renditions = { { name = "original", href = a.images[1].url, width = 1200, height = 675,
        contenttype = "image/jpeg" } } } },
  }
end

-- Writes story.json (the article) and story.ninjs.json when run as a script.
if arg and arg[0] and arg[0]:find("story%.lua$") and arg[1] then
  local cjson = require "cjson"
  local a = M.article()
  local f = assert(io.open(arg[1] .. "/story.json", "wb"))
  f:write(cjson.encode(a))
  f:close()
  f = assert(io.open(arg[1] .. "/story.ninjs.json", "wb"))
  f:write(cjson.encode(M.ninjs(a)))
  f:close()
end

return M
