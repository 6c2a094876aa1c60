-- Writes a 1,000-word news story body (paragraphs, subheads, links,
-- emphasis, entities, curly quotes, a figure) to the file named by arg[1],
-- and its article as JSON to arg[2]: the input of every column of the table.
local cjson = require "cjson"
local vocab = { "the", "minister", "said", "talks", "would", "resume", "in", "Seoul", "on", "Monday",
  "after", "a", "long", "pause", "officials", "told", "reporters", "that", "both", "sides", "agreed",
  "Pyongyang’s", "envoy", "would", "travel", "north", "next", "week", "for", "further", "rounds" }
local seed = 7
local function rnd(n) seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n + 1 end
local parts, words = {}, 0
while words < 1000 do
  local p = {}
  for _ = 1, 50 do p[#p + 1] = vocab[rnd(#vocab)]; words = words + 1 end
  p[4] = "<em>" .. p[4] .. "</em>"
  p[17] = '<a href="https://news.example/world/' .. words .. '">' .. p[17] .. "</a>"
  p[29] = p[29] .. " &amp; “" .. p[30] .. "”"
  p[30] = "—"
  parts[#parts + 1] = "<p>" .. table.concat(p, " ") .. ".</p>"
  if #parts % 5 == 0 then parts[#parts + 1] = "<h2>Talks, day " .. #parts .. "</h2>" end
  if #parts == 8 then
    parts[#parts + 1] = '<figure><img src="https://img.example/talks.jpg" alt="Delegates at the table" '
      .. 'width="1200" height="675"><figcaption>Delegates meet in Seoul.</figcaption></figure>'
  end
end
local body = table.concat(parts, "\n")
local f = assert(io.open(arg[1], "wb"))
f:write(body)
f:close()
f = assert(io.open(arg[2], "wb"))
f:write(cjson.encode { id = 42, status = "draft", headline = "Seoul talks resume", byline = { "Jane Doe" },
  language = "en", published_at = "2026-11-28T12:00:00Z", body = body })
f:close()
