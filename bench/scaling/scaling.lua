-- Time against input size, 1 KB to 16 MB doubling, for copydesk's hot paths
-- through the Lua API: utf8_check (the floor), slugify, sanitize_html (the
-- HTML scanner) and validate (an article whose body is that size). Prints
-- milliseconds per call and the ratio to the previous size: a linear path
-- shows ~2.0 per doubling; a quadratic one ~4.0.
--   lua5.4 bench/scaling/scaling.lua [max_kb]
local copydesk = require "copydesk"
local max_kb = tonumber(arg and arg[1]) or 16384

-- Text of any size: mixed scripts, entities, links and inline markup, in
-- paragraphs, so every scanner state is exercised all along the input.
local para = "<p>Negotiators from Seoul and Pyongyang met on Tuesday &amp; agreed to talk again. "
  .. "Αθήνα και Київ: κυβέρνηση, Ельцин, 影師嗎 한국 — “quoted” it’s 1,000 &#x1F600; "
  .. "<a href=\"https://news.example/world/talks\">more</a> <b>bold</b> <em>and</em> "
  .. "<img src=\"https://img.example/1.jpg\" alt=\"Delegates\"> the end.</p>\n"
local words = "Seoul talks resume Αθήνα κυβέρνηση Ельцин Київ 影師嗎 한국 Trump’s 1,000 days & counting — "

local function sized(unit, n) -- whole units, padded with spaces to n bytes
  local k = math.floor(n / #unit)
  return string.rep(unit, k) .. string.rep(" ", n - k * #unit)
end

local function time(fn, arg1)
  local best = math.huge
  for _ = 1, 3 do
    local reps, t0 = 0, os.clock()
    repeat
      fn(arg1)
      reps = reps + 1
    until os.clock() - t0 > 0.05
    best = math.min(best, (os.clock() - t0) / reps)
  end
  return best * 1000
end

-- The default policy stops at 4 MiB (input_too_large); measure past it.
local big = copydesk.policy and copydesk.policy.compile { thresholds = { max_bytes = 64 * 1024 * 1024 } }

local cases = {
  { "utf8_check", copydesk.utf8_check, words },
  { "slugify", copydesk.slugify, words },
  { "sanitize_html", copydesk.sanitize_html, para },
  { "validate", copydesk.validate and function(body)
      return copydesk.validate({ id = 1, status = "draft", headline = "Seoul talks resume",
        dek = "Negotiators meet again", byline = { "Jane Doe" }, language = "en",
        published_at = "2026-11-28T12:00:00Z", body = body }, big)
    end, para },
}

local header, rule = { "size" }, { "---:" }
for _, c in ipairs(cases) do
  header[#header + 1] = c[1] .. " ms"; header[#header + 1] = "×"
  rule[#rule + 1] = "---:"; rule[#rule + 1] = "---:"
end
print("| " .. table.concat(header, " | ") .. " |")
print("|" .. table.concat(rule, "|") .. "|")
local prev, worst = {}, {}
local kb = 1
while kb <= max_kb do
  local row = { kb >= 1024 and (kb // 1024 .. " MB") or (kb .. " KB") }
  for i, c in ipairs(cases) do
    if c[2] then
      local input = sized(c[3], kb * 1024)
      local ms = time(c[2], input)
      row[#row + 1] = string.format("%.3f", ms)
      row[#row + 1] = prev[i] and string.format("%.2f", ms / prev[i]) or ""
      if prev[i] and kb >= 64 then worst[i] = math.max(worst[i] or 0, ms / prev[i]) end
      prev[i] = ms
    else
      row[#row + 1] = "n/a"; row[#row + 1] = ""
    end
  end
  print("| " .. table.concat(row, " | ") .. " |")
  io.stdout:flush()
  kb = kb * 2
end

-- Pathological shapes, where quadratic paths hide: the same time-per-doubling
-- ratio, 256 KB to 4 MB (16 MB would add minutes and nothing new).
local hostile = {
  { "sanitize_html", "nested <div>", "<div>" },
  { "sanitize_html", "nested unknown tags", "<x>" },
  { "sanitize_html", "misnested <b><i></b></i>", "<b><i>x</b></i>" },
  { "sanitize_html", "unclosed <p><li>", "<p><li>x" },
  { "sanitize_html", "stray end tags", "</x></p></b>" },
  { "sanitize_html", "entities", "&amp;&#x1F600;&bogus;" },
  { "sanitize_html", "unterminated comment", "<!--" },
  { "sanitize_html", "unterminated attribute", "<a href='x" },
  { "sanitize_html", "lone '<'", "< " },
  { "sanitize_html", "empty blocks", "<p> </p><h2></h2>" },
  { "sanitize_html", "open/close a pairs", "<a href=\"https://x.example\" target=_blank>x</a>" },
  { "slugify", "apostrophes", "a’b'" }, { "slugify", "digit groups", "1,000," },
  { "slugify", "entities", "&amp;&#39;" }, { "slugify", "separators", "- _ . " },
  { "slugify", "one long word", "a" }, { "slugify", "Greek digraphs", "αυευου" },
  { "slugify", "Hangul", "한국북한신라" }, { "slugify", "combining marks", "e\204\129\204\129" },
  { "slugify", "long entity", "&#x0000000000000041;" }, { "slugify", "stopwords", "the a of " },
  { "validate", "nested <div> body", "<div>" }, { "validate", "doubled words", "the the " },
  { "validate", "all caps", "NEWS NEWS " }, { "validate", "bare URLs", "https://x.example/a " },
  { "validate", "placeholders", "TODO lorem ipsum " }, { "validate", "quotes", "\"“'‘" },
}
local fns = {}
for _, c in ipairs(cases) do fns[c[1]] = c[2] end
print("")
print("| pathological input | function | 256 KB ms | 512 KB | 1 MB | 2 MB | 4 MB | worst × |")
print("|---|---|---:|---:|---:|---:|---:|---:|")
for _, h in ipairs(hostile) do
  local fn = fns[h[1]]
  if fn then
    local row, p, w = { h[2], h[1] }, nil, 0
    for _, k in ipairs({ 256, 512, 1024, 2048, 4096 }) do
      local ms = time(fn, sized(h[3], k * 1024))
      row[#row + 1] = string.format("%.2f", ms)
      if p then w = math.max(w, ms / p) end
      p = ms
    end
    row[#row + 1] = string.format("%.2f", w)
    print("| " .. table.concat(row, " | ") .. " |")
    io.stdout:flush()
    local key = h[1]
    for i, c in ipairs(cases) do if c[1] == key then worst[i] = math.max(worst[i] or 0, w) end end
  end
end

local summary = {}
for i, c in ipairs(cases) do
  if worst[i] then summary[#summary + 1] = string.format("%s %.2f", c[1], worst[i]) end
end
print("worst ratio per doubling (64 KB and up, pathological inputs too): " .. table.concat(summary, ", "))
