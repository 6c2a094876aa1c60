-- Soak test of copydesk's public Lua API: hostile strings, hostile tables and
-- random options into every public function that exists, for a bounded time
-- with a fixed seed. A call must return a well-formed answer, or raise only
-- for a programmer error (a "bad argument" on a wrong type, an unknown option,
-- an out-of-domain option), or re-raise an error thrown by the caller's own
-- callback or metamethod. Anything else (another error, a hang, a malformed
-- answer) is a failure. Prints TAP, one line per function, and the list of
-- functions it covered and those it found missing.
--   lua soak.lua [seconds] [seed] [light]     (light: fewer huge inputs, for valgrind)
local budget = tonumber(arg and arg[1]) or 20
local seed = tonumber(arg and arg[2]) or 20261128
local light = (arg and arg[3]) == "light"

local copydesk = require "copydesk"
local unpack = rawget(table, "unpack") or rawget(_G, "unpack")
local has_cjson, cjson = pcall(require, "cjson")
local jnull = has_cjson and cjson.null or nil

-- Deterministic generator (Park-Miller), exact in doubles on every Lua.
local state = seed % 2147483646 + 1
local function rnd(n) -- 1..n
  if n < 1 then return 1 end
  state = state * 16807 % 2147483647
  return state % n + 1
end
local function pick(t) return t[rnd(#t)] end
local function chance(p) return rnd(1000) <= p * 1000 end

-- ---------------------------------------------------------------- strings --

local pieces = {
  "Seoul", "talks", "resume", " ", "  ", "-", "_", ".", ",", "1,000", "2026", "’", "'", "\"",
  "Αθήνα", "κυβέρνηση", "Ельцин", "Київ", "影師嗎", "한국", "북한", "ß", "æøå", "İı", "Đđ", "ﬁ",
  "e\204\129", "\217\133\216\177\216\173\216\168\216\167", "\215\169\215\156\215\149\215\157",
  "😀", "👩‍👩‍👧", "\226\128\174", "\226\128\139", "\239\187\191", "\194\160", "\t", "\n", "\r\n",
  "&amp;", "&lt;", "&#39;", "&#x1F600;", "&#0;", "&#xD800;", "&#1114112;", "&nbsp;", "&bogus;",
  "&", "&#", "&#x;", "<", ">", "<b>", "</b>", "<p>", "</p>", "<h1>", "<h3>", "<script>alert(1)</script>",
  "<a href=\"javascript:alert(1)\">", "<a href='https://x.example' target=_blank>", "</a>",
  "<img src=x onerror=alert(1)>", "<!--", "-->", "<![CDATA[", "]]>", "<!DOCTYPE html>", "<?xml?>",
  "<style>", "<iframe src=//x>", "<svg><script>", "<p style=\"x:expression(1)\">", "<a href=\"jav&#x09;ascript:1\">",
  "\0", "\192\128", "\193\191", "\224\128\128", "\237\160\128", "\237\191\191", "\237\160\189\237\184\128",
  "\244\144\128\128", "\248\136\128\128\128", "\255", "\254", "\128", "\191", "\226\130", "\240\159\152",
  "TODO", "lorem ipsum", "the the", "ALL CAPS HEADLINE", "https://news.example/a?b=c", "www.example.com",
  "%", "%s", "\\", "/", "\"quoted\"", "“curly”", "…",
}

local function rand_bytes(n)
  local t = {}
  for i = 1, n do t[i] = string.char(rnd(256) - 1) end
  return table.concat(t)
end

local function rand_string()
  local k = rnd(12) - 1
  local t = {}
  for i = 1, k do
    if chance(0.1) then t[i] = rand_bytes(rnd(8)) else t[i] = pick(pieces) end
  end
  return table.concat(t)
end

-- Inputs big enough to find quadratic paths, deep recursion and overflows.
local function huge_strings()
  local mb = 2 ^ 20
  local list = {
    { "1 MB word", string.rep("a", mb) },
    { "1 MB of é", string.rep("\195\169", mb / 2) },
    { "1 MB of invalid bytes", string.rep("\255", mb) },
    { "1 MB of NUL", string.rep("\0", mb) },
    { "10^5 nested tags", string.rep("<div>", 100000) },
    { "10^5 nested inline tags", string.rep("<b><i>", 50000) .. "x" },
    { "entity bomb", string.rep("&amp;", 200000) },
    { "long numeric entity", "&#x" .. string.rep("0", 100000) .. "41;" },
    { "nested entity text", string.rep("&amp;amp;", 50000) },
    { "10^5 ampersands", string.rep("&", 100000) },
    { "unterminated tag", "<" .. string.rep("a", mb) },
    { "unterminated attribute", "<a href=\"" .. string.rep("x", mb) },
    { "10^5 comments", string.rep("<!--", 100000) },
    { "many words", string.rep("word ", 200000) },
    { "many separators", string.rep("- ", 300000) },
    { "lone surrogates", string.rep("\237\160\128", 100000) },
    { "many apostrophes", string.rep("a’", 200000) },
  }
  if light then
    for i = 1, #list do list[i][2] = list[i][2]:sub(1, 65536) end
  end
  return list
end

-- ----------------------------------------------------------------- values --

local weird_numbers = { 0 / 0, 1 / 0, -1 / 0, -0.0, 2 ^ 53, 2 ^ 63, -2 ^ 63, 2 ^ 64, 1e308, -1, 0, 1.5, 4294967296 }

local function rand_scalar()
  local r = rnd(10)
  if r <= 4 then return rand_string()
  elseif r == 5 then return pick(weird_numbers)
  elseif r == 6 then return rnd(100000)
  elseif r == 7 then return chance(0.5)
  elseif r == 8 then return jnull or false
  elseif r == 9 then return function() return "x" end
  else return io.stdout
  end
end

local function rand_value(depth)
  depth = depth or 0
  if depth < 3 and chance(0.25) then
    local t = {}
    for i = 1, rnd(4) do t[i] = rand_value(depth + 1) end
    if chance(0.3) then t[rand_string()] = rand_value(depth + 1) end
    return t
  end
  return rand_scalar()
end

local function nest(n, leaf)
  local t = leaf
  for _ = 1, n do t = { t } end
  return t
end

-- A table whose every integer index has a value: ipairs never ends on it
-- unless the reader bounds itself or reads raw.
local function endless()
  return setmetatable({}, { __index = function(_, k)
    if type(k) == "number" then return "x" end
  end, __len = function() return 2 ^ 40 end })
end

local function raising_table()
  return setmetatable({}, {
    __index = function() error("soak-metamethod", 0) end,
    __pairs = function() error("soak-metamethod", 0) end,
  })
end

local fields = {
  "id", "slug", "status", "headline", "dek", "description", "body", "byline", "section", "tags",
  "language", "published_at", "updated_at", "embargo_until", "canonical_url", "images", "related",
}
local statuses = { "draft", "review", "approved", "scheduled", "published", "archived" }

local function good_article()
  return {
    id = rnd(1000), slug = "seoul-talks-resume", status = pick(statuses),
    headline = "Seoul talks resume after a long pause", dek = "Negotiators meet again",
    description = "Talks between the two Koreas resume in Seoul on Tuesday.",
    body = "<p>Negotiators met on Tuesday.</p><h2>Next</h2><p>They will meet again.</p>",
    byline = { "Jane Doe" }, section = "world", tags = { "north-korea", "talks" }, language = "en",
    published_at = "2026-11-28T12:00:00Z", updated_at = "2026-11-28T13:00:00Z",
    canonical_url = "https://news.example/world/seoul-talks",
    images = { { url = "https://img.example/1.jpg", alt = "Delegates", caption = "Seoul",
                 credit = "AP", width = 1200, height = 675 } },
    related = { { headline = "Earlier talks", url = "https://news.example/earlier" } },
  }
end

local function rand_article()
  local a = good_article()
  for _ = 1, rnd(6) do
    local f = pick(fields)
    local r = rnd(6)
    if r == 1 then a[f] = nil
    elseif r <= 4 then a[f] = rand_value()
    elseif r == 5 then a[f] = rand_string()
    else a[f] = { rand_value(), rand_value() } end
  end
  if chance(0.3) then a.images = { { url = rand_value(), alt = rand_value(), caption = rand_value(),
    credit = rand_value(), width = rand_value(), height = rand_value() } } end
  if chance(0.2) then a[rand_string()] = rand_value() end
  return a
end

local function hostile_articles()
  local n = light and 2000 or 100000
  local list = {}
  local function add(name, a) list[#list + 1] = { name, a } end
  local a = good_article(); a.related = { a }; a.images[2] = a; add("cycle through related/images", a)
  a = good_article(); a.byline = {}; a.byline[1] = a.byline; add("self-containing byline", a)
  a = good_article(); a.images = nest(5000, { url = "x" }); add("images nested 5,000 deep", a)
  a = good_article(); a.tags = nest(5000, "x"); add("tags nested 5,000 deep", a)
  a = good_article(); a.body = nest(5000, "x"); add("body nested 5,000 deep", a)
  a = good_article(); a.extra = nest(5000, {}); add("unknown field nested 5,000 deep", a)
  a = good_article(); a.tags = {}; for i = 1, n do a.tags[i] = "tag" .. i end; add("huge tags array", a)
  a = good_article(); a.images = {}
  for i = 1, n / 5 do a.images[i] = { url = "https://img.example/" .. i, alt = "a" } end
  add("huge images array", a)
  a = good_article(); a.byline = { [1] = "A", [3] = "C", [2 ^ 40] = "far" }; add("sparse byline", a)
  a = good_article(); a.tags = endless(); add("tags with an endless __index", a)
  a = good_article(); a.images = endless(); add("images with an endless __index", a)
  a = good_article(); setmetatable(a, { __index = function() return "inherited" end }); add("__index on article", a)
  a = good_article(); a.images = raising_table(); add("images whose metamethods raise", a)
  a = setmetatable(good_article(), { __index = function() error("soak-metamethod", 0) end })
  add("article whose __index raises", a)
  a = good_article(); a.id = 0 / 0; a.images[1].width = 0 / 0; a.images[1].height = 1 / 0
  add("NaN and inf numbers", a)
  a = good_article(); for _, f in ipairs(fields) do a[f] = jnull end; add("every field cjson.null", a)
  a = good_article(); for _, f in ipairs(fields) do a[f] = function() end end; add("every field a function", a)
  a = good_article(); for _, f in ipairs(fields) do a[f] = 0 / 0 end; add("every field NaN", a)
  a = good_article(); a.body = huge_strings()[5][2]; add("body with 10^5 nested tags", a)
  a = good_article(); a.headline = string.rep("\237\160\128", 1000); add("headline of lone surrogates", a)
  a = good_article(); a[1] = "array part"; a[true] = 1; a[a] = a; add("odd keys", a)
  add("empty table", {})
  return list
end

-- --------------------------------------------------------- classification --

local failures, counts, order = {}, {}, {}
local function tally(name)
  if not counts[name] then counts[name] = { calls = 0, raised = 0, fail = 0 }; order[#order + 1] = name end
  return counts[name]
end

local function show(v)
  if type(v) == "string" then
    local s = v:sub(1, 40):gsub("[^%w%p ]", function(c) return string.format("\\x%02X", c:byte()) end)
    return '"' .. s .. '"' .. (#v > 40 and ("..(" .. #v .. " bytes)") or "")
  end
  return tostring(v)
end

-- Notes: properties worth knowing that the design does not promise (so no
-- failure), e.g. that sanitizing twice changes nothing.
local notes, note_count = {}, {}
local function note(name, what, input)
  note_count[name] = (note_count[name] or 0) + 1
  if note_count[name] <= 3 then notes[#notes + 1] = name .. ": " .. what .. " on " .. show(input) end
end

local function fail(name, what, input)
  local c = tally(name)
  c.fail = c.fail + 1
  if c.fail <= 5 then failures[#failures + 1] = name .. ": " .. what .. " on " .. show(input) end
end

local call_seconds = light and 60 or 20
local function watchdog()
  local limit = os.clock() + call_seconds
  debug.sethook(function()
    if os.clock() > limit then error("soak-timeout", 0) end
  end, "", 100000)
end

-- Calls fn(...) and classifies the outcome. `wrong` says the call carries a
-- deliberate programmer error, so a "bad argument" raise is allowed; `check`
-- judges a normal return (returns an error text or nil).
local function try(name, input, wrong, check, fn, ...)
  local c = tally(name)
  c.calls = c.calls + 1
  watchdog()
  local res = { pcall(fn, ...) }
  debug.sethook()
  if res[1] then
    local bad = check(unpack(res, 2, 4))
    if bad then fail(name, bad, input) end
    return res[2], res[3]
  end
  local msg = res[2]
  if type(msg) ~= "string" then
    fail(name, "raised a non-string error (" .. type(msg) .. ")", input)
  elseif msg:find("soak-timeout", 1, true) then
    fail(name, "took longer than " .. call_seconds .. " s", input)
  elseif msg:find("soak-metamethod", 1, true) or msg:find("soak-callback", 1, true) then
    c.raised = c.raised + 1 -- the caller's own error, passed through
  elseif wrong and msg:find("bad argument", 1, true) then
    c.raised = c.raised + 1
  elseif msg:find("not enough memory", 1, true) then
    fail(name, "ran out of memory", input)
  else
    fail(name, "raised: " .. msg:sub(1, 200), input)
  end
end

local function is_code(v) return type(v) == "string" and v:find("^[a-z][a-z0-9_]*$") ~= nil end

local function check_nil_code(v, code)
  if v == nil and not is_code(code) then return "nil without a snake_case code: " .. show(code) end
end

local function check_report(r)
  if type(r) ~= "table" then return "report is a " .. type(r) end
  if type(r.ok) ~= "boolean" or type(r.findings) ~= "table" then return "report lacks ok/findings" end
  for k = 1, #r.findings do
    local f = r.findings[k]
    if type(f) ~= "table" or not is_code(f.code) then return "finding " .. k .. " has no code" end
    if f.severity ~= "error" and f.severity ~= "warning" and f.severity ~= "info" then
      return "finding " .. f.code .. " has severity " .. show(f.severity)
    end
    if type(f.path) ~= "string" then return "finding " .. f.code .. " has no path" end
    if (f.start == nil) ~= (f.stop == nil) then return "finding " .. f.code .. " has start without stop" end
    if f.start and not (f.start >= 1 and f.stop >= f.start - 1) then
      return "finding " .. f.code .. " has span " .. f.start .. ".." .. f.stop
    end
  end
  if r.ok ~= ((r.errors or 0) == 0) then return "ok disagrees with the error count" end
end

-- ---------------------------------------------------------------- drivers --

local drivers, covered, missing = {}, {}, {}

local function string_driver(name, fn, check, opts_gen)
  return function(s)
    try(name, s, false, check, fn, s)
    if opts_gen and chance(0.5) then
      local opts, wrong = opts_gen()
      try(name, s, wrong, check, fn, s, opts)
    end
    if chance(0.05) then try(name, "(wrong type)", true, check, fn, rand_scalar()) end
  end
end

-- utf8_check
if copydesk.utf8_check then
  drivers[#drivers + 1] = { "utf8_check", string_driver("utf8_check", copydesk.utf8_check,
    function(ok, code, off)
      if ok == true then return nil end
      if ok ~= nil or code ~= "invalid_utf8" or type(off) ~= "number" then return "bad answer" end
    end) }
end

-- slugify / unique_slug
local slug_options = {
  separator = { "-", "_", "", ".", "--", "é", "\0", 1, true },
  max_length = { 0, 1, 5, 20, 80, -1, 0 / 0, 2 ^ 40, "10", 1.5 },
  lowercase = { true, false, "yes" },
  locale = { "de", "da", "nb", "sv", "fi", "sr", "uk", "bg", "ru", "tr", "vi", "xx", "", 7 },
  stopwords = { true, false, { "the", "a" }, { 1, 2 }, "the" },
  replacements = { { { "&", "and" } }, { { "", "x" } }, { "bad" }, 5 },
  allow_unicode = { true, false, 0 },
  bogus_option = { 1 },
}
local slug_good = {
  separator = { true, true, true, true, true, true, true, false, false },
  max_length = { true, true, true, true, true, false, false, true, false, false },
  lowercase = { true, true, false }, locale = { true, true, true, true, true, true, true, true, true, true,
    true, true, true, false },
  stopwords = { true, true, true, false, false }, replacements = { true, true, false, false },
  allow_unicode = { true, true, false }, bogus_option = { false },
}
local function slug_opts()
  local o, wrong = {}, false
  for _ = 1, rnd(3) do
    local k = pick({ "separator", "max_length", "lowercase", "locale", "stopwords", "replacements",
      "allow_unicode", "max_length", "locale", "bogus_option" })
    local i = rnd(#slug_options[k])
    o[k] = slug_options[k][i]
    if not slug_good[k][i] then wrong = true end
  end
  -- out-of-domain but well-typed values may also be refused as bad arguments
  local mx = o.max_length
  if type(mx) == "number" and (mx ~= mx or mx < 1 or mx > 2 ^ 31 or mx % 1 ~= 0) then wrong = true end
  if o.separator ~= nil and type(o.separator) == "string" and not o.separator:find("^[%w%-_.~]*$") then wrong = true end
  if type(o.locale) == "string" and not o.locale:find("^%l%l$") then wrong = true end
  return o, wrong
end

if copydesk.slugify then
  local slugify = copydesk.slugify
  local function check(s, code)
    if s == nil then return check_nil_code(s, code) end
    if type(s) ~= "string" then return "returned a " .. type(s) end
  end
  drivers[#drivers + 1] = { "slugify", function(s)
    local out = try("slugify", s, false, function(r, code)
      local bad = check(r, code)
      if bad then return bad end
      if r and not r:find("^[a-z0-9%-]*$") then return "default slug not [a-z0-9-]: " .. show(r) end
      if r and (r:find("^%-") or r:find("%-$") or r:find("%-%-")) then return "stray separator: " .. show(r) end
    end, slugify, s)
    if type(out) == "string" then
      try("slugify", out, false, function(again)
        if again ~= out then return "not idempotent: " .. show(out) .. " -> " .. show(again) end
      end, slugify, out)
    end
    if chance(0.5) then
      local o, wrong = slug_opts()
      try("slugify", s, wrong, check, slugify, s, o)
    end
    if chance(0.05) then try("slugify", "(wrong type)", true, check, slugify, rand_scalar()) end
  end }
end

if copydesk.unique_slug then
  drivers[#drivers + 1] = { "unique_slug", function(s)
    local taken
    local r = rnd(5)
    if r == 1 then taken = {}
    elseif r == 2 then taken = setmetatable({}, { __index = function() return true end })
    elseif r == 3 then
      local n = 0
      taken = function() n = n + 1; return n < 50 end
    elseif r == 4 then taken = function() error("soak-callback", 0) end
    else taken = { [s] = true, ["seoul-talks"] = true } end
    local o, wrong = {}, false
    if chance(0.5) then o, wrong = slug_opts() end
    try("unique_slug", s, wrong, function(v, code)
      if v == nil then return check_nil_code(v, code) end
      if type(v) ~= "string" then return "returned a " .. type(v) end
    end, copydesk.unique_slug, s, taken, o)
    if chance(0.05) then try("unique_slug", "(wrong type)", true, function() end, copydesk.unique_slug, s, 42) end
  end }
end

-- validation
local json_pieces = { "{", "}", "[", "]", ",", ":", "\"headline\"", "\"body\"", "\"images\"", "\"x\"",
  "null", "true", "1e999999", "-", "0.5", "\"\\u0000\"", "\"\\ud800\"", "\"\\udc00\\ud800\"", "\"\\u00e9\"",
  "\"\237\160\128\"", "\"\255\"", "\"<script>\"", " ", "\"", "\\", "NaN", "Infinity", "//", "/*" }

local function rand_json()
  local r = rnd(6)
  if r == 1 and has_cjson then
    local ok, s = pcall(cjson.encode, good_article())
    if ok then
      local i = rnd(#s)
      if chance(0.5) then return s:sub(1, i) end
      return s:sub(1, i - 1) .. string.char(rnd(256) - 1) .. s:sub(i + 1)
    end
  end
  local t = {}
  for i = 1, rnd(20) do t[i] = pick(json_pieces) end
  return table.concat(t)
end

local function hostile_json()
  local depth = 5000
  return {
    { "arrays nested 5,000 deep", string.rep("[", depth) .. string.rep("]", depth) },
    { "objects nested 5,000 deep", string.rep("{\"a\":", depth) .. "1" .. string.rep("}", depth) },
    { "10^6 open brackets", string.rep("[", light and 65536 or 1000000) },
    { "body nested 5,000 deep", "{\"headline\":\"x\",\"body\":" .. string.rep("[", depth) .. string.rep("]", depth) .. "}" },
    { "huge string", "{\"headline\":\"" .. string.rep("a", light and 65536 or 2 ^ 20) .. "\"}" },
    { "huge array", "{\"tags\":[" .. string.rep("\"t\",", light and 5000 or 100000) .. "\"t\"]}" },
    { "duplicate keys", "{\"headline\":\"a\",\"headline\":\"b\",\"headline\":1}" },
    { "top-level string", "\"just a string\"" },
    { "top-level number", "1e999999" },
    { "empty", "" },
    { "NUL inside", "{\"headline\":\"a\0b\"}" },
    { "escaped surrogates", "{\"headline\":\"\\ud800\\udfff\\ud800x\"}" },
  }
end

if copydesk.validate then
  drivers[#drivers + 1] = { "validate", function(s)
    local a = rand_article()
    if chance(0.3) then a.body = s elseif chance(0.3) then a.headline = s end
    try("validate", "(random article)", false, check_report, copydesk.validate, a)
    if chance(0.05) then
      local v = rand_scalar()
      try("validate", "(non-table article)", type(v) ~= "table", function(r) return check_report(r) end,
        copydesk.validate, v)
    end
    if chance(0.05) then try("validate", "(bad policy)", true, check_report, copydesk.validate, a, rand_scalar()) end
  end }
end

if copydesk.validate_json then
  drivers[#drivers + 1] = { "validate_json", function(s)
    try("validate_json", s, false, check_report, copydesk.validate_json, s)
    local j = rand_json()
    try("validate_json", j, false, check_report, copydesk.validate_json, j)
    if chance(0.05) then try("validate_json", "(wrong type)", true, check_report, copydesk.validate_json, {}) end
  end }
end

-- What a sanitizer must never let out: active elements, event handlers,
-- script URLs. Text is escaped, so every '<' in the output opens a tag.
local active = { script = true, style = true, iframe = true, object = true, embed = true, svg = true,
  math = true, form = true, frame = true, frameset = true, base = true, link = true, meta = true }
local function unsafe_html(out)
  for tag in out:gmatch("<[^>]*>?") do
    local low = tag:lower()
    local name = low:match("^</?([%w:-]+)")
    if not name then return "a '<' that opens no tag: " .. show(tag) end
    if active[name] then return "active element kept: " .. show(tag) end
    if low:find("[%s/\"']on%a+%s*=") then return "event handler kept: " .. show(tag) end
    for _, v in low:gmatch("([%w-]+)%s*=%s*\"([^\"]*)\"") do
      local u = v:gsub("[%c%s]", "")
      if u:find("^javascript:") or u:find("^vbscript:") or u:find("^data:") then
        return "script URL kept: " .. show(tag)
      end
    end
  end
end

if copydesk.sanitize_html then
  drivers[#drivers + 1] = { "sanitize_html", function(s)
    local out = try("sanitize_html", s, false, function(o, code)
      if o == nil then return check_nil_code(o, code) end
      if type(o) ~= "string" then return "returned a " .. type(o) end
      return unsafe_html(o)
    end, copydesk.sanitize_html, s)
    if type(out) == "string" and #out < 100000 then
      local again = copydesk.sanitize_html(out)
      if again ~= out then note("sanitize_html", "a second pass changes " .. show(out) .. " into " .. show(again), s) end
    end
    if chance(0.05) then try("sanitize_html", "(wrong type)", true, function() end, copydesk.sanitize_html, {}) end
  end }
end

-- ninjs
local ninjs = copydesk.ninjs
if type(ninjs) == "table" and ninjs.to_article then
  drivers[#drivers + 1] = { "ninjs.to_article", function(s)
    local doc = { uri = s, type = pick({ "text", "picture", s }), headline = s,
      headlines = { { value = s, role = "main" } }, body_html = s, body_text = s,
      bodies = { { value = s, role = "main", contenttype = "text/html" } },
      versioncreated = s, firstcreated = rand_scalar(), language = rand_scalar(),
      byline = rand_value(), subject = { { name = s, uri = rand_scalar() } },
      associations = { featureimage = { uri = s, renditions = { original = { href = s, width = 0 / 0 } } } },
      descriptions = { { value = s, role = rand_scalar() } } }
    for _ = 1, rnd(4) do doc[pick({ "headline", "body_html", "headlines", "bodies", "associations", "subject",
      "byline", "language", "uri", "version" })] = rand_value() end
    try("ninjs.to_article", "(ninjs doc)", false, function(a, code)
      if a == nil then return check_nil_code(a, code) end
      if type(a) ~= "table" then return "returned a " .. type(a) end
    end, ninjs.to_article, doc)
    if chance(0.05) then try("ninjs.to_article", "(wrong type)", true, function() end, ninjs.to_article, s) end
  end }
end

-- preview links
local preview = copydesk.preview
local codes = {}
for c in ("malformed unsupported_version unknown_key key_mismatch key_retired bad_signature expired "
  .. "not_yet_valid ttl_too_long revoked not_found already_used"):gmatch("%S+") do codes[c] = true end

if type(preview) == "table" and preview.signer and preview.verifier then
  local key = string.rep("\42", 32)
  local origin = "https://news.example"
  local now = 1800000000
  local hmac = preview.signer { origin = origin, master_key = key, kid = 1 }
  local ed = preview.signer { origin = origin, master_key = key, kid = 2, alg = "ed25519" }
  local verifier = preview.verifier { origin = origin, leeway = 60,
    keys = { [1] = { alg = "hmac", master_key = key }, [2] = { alg = "ed25519", public_key = ed:public_key() },
             [3] = { alg = "hmac", master_key = key, retired = true } } }
  local tokens = {}
  for _, s in ipairs({ hmac, ed }) do
    local _, tok = s:link { article = 42, revision = 0, epoch = 0, editor = 7, ttl = 7200, now = now }
    tokens[#tokens + 1] = tok
  end
  local b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
  local function mutate(tok)
    local r = rnd(8)
    local i = rnd(#tok)
    if r == 1 then return tok:sub(1, i - 1) .. b64:sub(rnd(64), rnd(64)) .. tok:sub(i + 1)
    elseif r == 2 then return tok:sub(1, i - 1)
    elseif r == 3 then return tok .. b64:sub(rnd(64), rnd(64))
    elseif r == 4 then return tok:sub(1, i - 1) .. pick({ "=", "+", "/", " ", "\0", "é", "%", "." }) .. tok:sub(i + 1)
    elseif r == 5 then return origin .. "/preview/" .. tok .. pick({ "", "?a=1", "#x", "/", "/../x" })
    elseif r == 6 then return pick({ "http://evil.example", origin, "" }) .. "/preview/" .. tok
    elseif r == 7 then return rand_string()
    else return tok:sub(i) .. tok:sub(1, i - 1) end
  end
  local function check_verify(claims, code)
    if claims == nil then
      if not codes[code] then return "unknown verify code " .. show(code) end
    elseif type(claims) ~= "table" then return "returned a " .. type(claims) end
  end
  local function vopts()
    local r = rnd(8)
    if r == 1 then return nil, false end
    if r == 2 then return { now = pick(weird_numbers) }, true end
    if r == 3 then return { now = now, check = function() error("soak-callback", 0) end }, false end
    if r == 4 then return { now = now, check = function() return pick({ "revoked", "not_found", "already_used" }) end }, false end
    if r == 5 then return { now = now, bogus = 1 }, true end
    return { now = now + rnd(20000) - 100 }, false
  end
  drivers[#drivers + 1] = { "preview.verifier:verify", function(s)
    local tok = mutate(pick(tokens))
    local o, wrong = vopts()
    try("preview.verifier:verify", tok, wrong, check_verify, verifier.verify, verifier, tok, o)
    o, wrong = vopts()
    try("preview.verifier:verify", s, wrong, check_verify, verifier.verify, verifier, s, o)
    if chance(0.05) then try("preview.verifier:verify", "(wrong type)", true, check_verify, verifier.verify, verifier, {}) end
  end }
  local claim_values = { 0, 1, 42, 2 ^ 32 - 1, 2 ^ 32, 2 ^ 40 - 1, 2 ^ 53, 2 ^ 64, -1, 1.5, 0 / 0, 1 / 0, "42", true }
  local function in_domain(v, max) return type(v) == "number" and v == v and v >= 0 and v <= max and v % 1 == 0 end
  drivers[#drivers + 1] = { "preview.signer:link", function()
    local function v(good, any) if chance(0.85) then return good end return pick(any) end
    local c = { article = v(rnd(2 ^ 31), claim_values), revision = v(rnd(100) - 1, claim_values),
      epoch = v(rnd(10) - 1, claim_values), editor = v(rnd(1000), claim_values),
      ttl = v(rnd(30 * 86400), { 1, 60, 7200, 30 * 86400, 30 * 86400 + 1, 0, -5, 0 / 0, 1e12 }),
      once = v(chance(0.5), { true, false, "yes" }), now = v(now + rnd(1000), { now, 0, -1, 2 ^ 40 - 1, 2 ^ 40, 0 / 0 }) }
    if chance(0.1) then c.bogus = 1 end
    local wrong = not (in_domain(c.article, 2 ^ 53) and in_domain(c.revision, 2 ^ 32 - 1)
      and in_domain(c.epoch, 2 ^ 32 - 1) and in_domain(c.editor, 2 ^ 32 - 1) and in_domain(c.ttl, 30 * 86400)
      and c.ttl > 0 and type(c.once) == "boolean" and in_domain(c.now, 2 ^ 40 - 30 * 86400 - 2) and c.bogus == nil)
    local signer = chance(0.5) and hmac or ed
    try("preview.signer:link", "(random claims)", wrong, function(url, tok, claims)
      if url == nil then return check_nil_code(url, tok) end
      if type(url) ~= "string" or type(tok) ~= "string" or type(claims) ~= "table" then return "bad answer" end
      local back, code = verifier:verify(tok, { now = c.now })
      if not back then return "a fresh link fails to verify: " .. tostring(code) end
    end, signer.link, signer, c)
  end }
  drivers[#drivers + 1] = { "preview.signer", function(s)
    local function v(good, any) if chance(0.8) then return good end return pick(any) end
    local o = { origin = v(origin, { origin, s, "", 5 }), master_key = v(key, { key, s, key .. "x", key:sub(2), 32 }),
      kid = v(rnd(1000), { 1, 0, -1, 2 ^ 32, 1.5, 0 / 0, "1" }), alg = v(false, { "hmac", "ed25519", s, 1, false }),
      ttl = v(false, { 60, -1, 0 / 0, 1e15, false }), max_ttl = v(false, { 86400, 0, -1, false }) }
    for name, x in pairs(o) do if x == false then o[name] = nil end end
    if chance(0.1) then o[s] = 1 end
    try("preview.signer", "(random options)", true, function(r)
      if type(r) ~= "table" and type(r) ~= "userdata" then return "returned a " .. type(r) end
    end, preview.signer, o)
    local k = { [v(rnd(9), { 1, 2, 0, -1, "1", 1.5 })] = { alg = v("hmac", { "hmac", "ed25519", s }),
      master_key = v(key, { key, s, false }) or nil, public_key = v(false, { key, s }) or nil,
      retired = v(false, { true, 1 }) or nil } }
    try("preview.verifier", "(random options)", true, function(r)
      if type(r) ~= "table" and type(r) ~= "userdata" then return "returned a " .. type(r) end
    end, preview.verifier, { origin = origin, keys = k, leeway = v(60, { 0, 60, -1, 0 / 0, 301 }) })
  end }
  if preview.key_from_text and preview.key_to_text then
    drivers[#drivers + 1] = { "preview.key_from_text", function(str)
      local text = chance(0.5) and preview.key_to_text(key) or str
      if chance(0.5) then text = mutate(text) end
      try("preview.key_from_text", text, false, function(k, code)
        if k == nil then return check_nil_code(k, code) end
        if type(k) ~= "string" or #k ~= 32 then return "a key that is not 32 bytes" end
        if preview.key_to_text(k) ~= text:match("^%s*(.-)%s*$") then return "key_to_text does not give the text back" end
      end, preview.key_from_text, text)
      if chance(0.05) then try("preview.key_from_text", "(wrong type)", true, function() end, preview.key_from_text, {}) end
      try("preview.key_to_text", str, #str ~= 32, function(t)
        if type(t) ~= "string" or #t ~= 43 then return "key text is not 43 characters" end
      end, preview.key_to_text, str)
    end }
  end
  if preview.keygen then
    drivers[#drivers + 1] = { "preview.keygen", function()
      try("preview.keygen", "()", false, function(k)
        if type(k) ~= "string" or #k ~= 32 then return "key is not 32 bytes" end
      end, preview.keygen)
    end }
  end
end

-- Functions that exist but no driver knows: call them with strings, and
-- allow only "bad argument" raises.
local known = { version = true }
for _, d in ipairs(drivers) do known[d[1]:match("^[^.:]+")] = true end
local extra = {}
for name, fn in pairs(copydesk) do
  if type(fn) == "function" and not known[name] then extra[#extra + 1] = name end
end
table.sort(extra)
for _, name in ipairs(extra) do
  drivers[#drivers + 1] = { name .. " (no driver)", function(s)
    try(name .. " (no driver)", s, true, function() end, copydesk[name], s)
  end }
end

for _, name in ipairs({ "utf8_check", "slugify", "unique_slug", "validate", "validate_json", "sanitize_html",
  "ninjs.to_article", "preview.signer", "preview.signer:link", "preview.verifier:verify", "preview.keygen",
  "preview.key_from_text" }) do
  local found = false
  for _, d in ipairs(drivers) do if d[1] == name then found = true end end
  if found then covered[#covered + 1] = name else missing[#missing + 1] = name end
end

-- ------------------------------------------------------------------- run --

local started = os.clock()
-- 1. the huge and hostile inputs, once into every driver
for _, h in ipairs(huge_strings()) do
  for _, d in ipairs(drivers) do d[2](h[2]) end
end
if copydesk.validate then
  for _, h in ipairs(hostile_articles()) do
    try("validate", h[1], false, check_report, copydesk.validate, h[2])
  end
end
if copydesk.validate_json then
  for _, h in ipairs(hostile_json()) do
    try("validate_json", h[1], false, check_report, copydesk.validate_json, h[2])
  end
end
if ninjs and ninjs.to_article then
  for _, h in ipairs(hostile_articles()) do
    try("ninjs.to_article", h[1], false, function(a, code)
      if a == nil then return check_nil_code(a, code) end
    end, ninjs.to_article, h[2])
  end
end
local hostile_seconds = os.clock() - started

-- 2. random inputs until the budget is spent
local rounds = 0
while os.clock() - started < budget do
  local s = rand_string()
  for _, d in ipairs(drivers) do d[2](s) end
  rounds = rounds + 1
  if rounds % 50 == 0 then collectgarbage() end
end

local n, total_fail = 0, 0
for _, name in ipairs(order) do
  local c = counts[name]
  n = n + 1
  total_fail = total_fail + c.fail
  print(string.format("%sok %d - %s: %d calls, %d raised for programmer errors, %d failures",
    c.fail == 0 and "" or "not ", n, name, c.calls, c.raised, c.fail))
end
for _, f in ipairs(failures) do print("# " .. f) end
for name, c in pairs(note_count) do print("# note: " .. name .. " " .. c .. " times") end
for _, f in ipairs(notes) do print("# note: " .. f) end
print(string.format("# seed %d, %d random rounds, hostile inputs %.1f s, total %.1f s CPU (%s)", seed, rounds,
  hostile_seconds, os.clock() - started, rawget(_G, "jit") and rawget(_G, "jit").version or _VERSION))
print("# covered: " .. table.concat(covered, ", "))
print("# not on this branch yet: " .. (#missing > 0 and table.concat(missing, ", ") or "none"))
if #extra > 0 then print("# without a driver: " .. table.concat(extra, ", ")) end
os.exit(total_fail == 0 and n > 0 and 0 or 1, true)
