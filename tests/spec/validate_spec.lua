-- luacheck: max line length 132
local copydesk = require "copydesk"

local ROOT = os.getenv("CD_ROOT") or "."

local function clean()
  return dofile(ROOT .. "/tests/fixtures/clean_story.lua")
end

-- A copy of the clean story with fields replaced (false removes a field).
local function story(changes)
  local a = clean()
  for k, v in pairs(changes or {}) do
    if v == false then a[k] = nil else a[k] = v end
  end
  return a
end

local function with_image(changes)
  local im = clean().images[1]
  for k, v in pairs(changes) do
    if v == false then im[k] = nil else im[k] = v end
  end
  return story({ images = { im } })
end

local function findings(r, code)
  local out = {}
  for _, f in ipairs(r.findings) do
    if f.code == code then out[#out + 1] = f end
  end
  return out
end

local function has(r, code, path)
  for _, f in ipairs(findings(r, code)) do
    if path == nil or f.path == path then return f end
  end
  return nil
end

local function codes(r)
  local out = {}
  for _, f in ipairs(r.findings) do out[#out + 1] = f.code .. " " .. f.path end
  return table.concat(out, ", ")
end

local function body(text)
  return story({ body = text, body_format = "text" })
end

local PAD = " The council said the work would continue through the winter months and that"
  .. " the next stage would start once the weather allowed the crews to return to the site."

describe("copydesk.validate", function()
  it("finds nothing wrong with the clean story", function()
    local r = copydesk.validate(clean())
    assert.are.equal(0, r.errors, codes(r))
    assert.are.equal(0, r.warnings, codes(r))
    assert.is_true(r.ok)
    assert.is_false(r.truncated)
    assert.are.same({}, r.findings)
  end)

  it("gives every finding code, severity, path, message and optional start/stop", function()
    local r = copydesk.validate(story({ headline = "Storm hits the the coast", status = "review" }))
    local f = assert(has(r, "text_doubled_word", "/headline"))
    assert.are.equal("warning", f.severity)
    assert.are.equal("string", type(f.message))
    assert.are.equal("the the", ("Storm hits the the coast"):sub(f.start, f.stop))
    local g = assert(has(r, "headline_length") or has(r, "byline_missing") or f)
    assert.is_truthy(g.path)
  end)

  it("orders findings by path, then offset, then code", function()
    local r = copydesk.validate(story({
      headline = "the the  LOREM IPSUM", dek = "TK TK", byline = false, status = "review",
      images = { { url = "x y" }, { url = "a b" }, { url = "c d" }, { url = "e f" }, { url = "g h" },
        { url = "i j" }, { url = "k l" }, { url = "m n" }, { url = "o p" }, { url = "q r" } } }))
    local prev
    local function key(f)
      return f.path, f.start or 0, f.code
    end
    local function seg_less(a, b)
      local as, bs = {}, {}
      for s in a:gmatch("[^/]+") do as[#as + 1] = s end
      for s in b:gmatch("[^/]+") do bs[#bs + 1] = s end
      for i = 1, math.max(#as, #bs) do
        local x, y = as[i], bs[i]
        if x == nil then return true end
        if y == nil then return false end
        if x ~= y then
          if tonumber(x) and tonumber(y) then return tonumber(x) < tonumber(y) end
          return x < y
        end
      end
      return false
    end
    for _, f in ipairs(r.findings) do
      if prev then
        local p1, s1, c1 = key(prev)
        local p2, s2, c2 = key(f)
        if p1 == p2 then
          assert.is_true(s1 < s2 or (s1 == s2 and c1 <= c2), codes(r))
        else
          assert.is_true(seg_less(p1, p2), p1 .. " before " .. p2)
        end
      end
      prev = f
    end
    -- /images/10 sorts after /images/9
    assert.is_truthy(has(r, "link_url_invalid", "/images/10/url"))
    assert.are.equal("/images/10/url", findings(r, "link_url_invalid")[10].path)
  end)

  it("counts errors, warnings and infos and sets ok from errors", function()
    local r = copydesk.validate(story({ headline = false, status = "published" }))
    assert.is_false(r.ok)
    local e, w, i = 0, 0, 0
    for _, f in ipairs(r.findings) do
      if f.severity == "error" then e = e + 1 elseif f.severity == "warning" then w = w + 1 else i = i + 1 end
    end
    assert.are.same({ e, w, i }, { r.errors, r.warnings, r.infos })
  end)

  it("truncates the report at max_findings and keeps the counts", function()
    local text = string.rep("TK ", 40)
    local r = copydesk.validate(body(text .. PAD), { thresholds = { max_findings = 5 } })
    assert.is_true(r.truncated)
    assert.are.equal(5, #r.findings)
    assert.is_true(r.errors + r.warnings + r.infos >= 40)
  end)
end)

describe("input rules", function()
  it("reports input_type for an article that is not a table", function()
    for _, v in ipairs({ 42, "story", true }) do
      local r = copydesk.validate(v)
      assert.is_truthy(has(r, "input_type", ""))
      assert.is_false(r.ok)
    end
  end)

  it("reports input_type for fields of the wrong type, NaN and infinities", function()
    local r = copydesk.validate(story({ headline = 42, byline = { "A", {} }, id = 0 / 0,
      images = { { url = "https://x.example/a.jpg", alt = "a", credit = "b", width = 1 / 0 }, "nope" } }))
    assert.is_truthy(has(r, "input_type", "/headline"))
    assert.is_truthy(has(r, "input_type", "/byline/2"))
    assert.is_truthy(has(r, "input_type", "/id"))
    assert.is_truthy(has(r, "input_type", "/images/1/width"))
    assert.is_truthy(has(r, "input_type", "/images/2"))
    assert.is_nil(has(r, "input_type", "/dek"))
  end)

  it("does not report input_type for a well-typed article", function()
    assert.is_nil(has(copydesk.validate(clean()), "input_type"))
  end)

  it("reports an unknown status as input_type", function()
    assert.is_truthy(has(copydesk.validate(story({ status = "live" })), "input_type", "/status"))
  end)

  it("reads the article raw: no metamethod runs", function()
    local ran = false
    local a = setmetatable(story({ headline = false }), {
      __index = function() ran = true; return "Surprise headline from a metamethod" end })
    local im = setmetatable({}, { __index = function() ran = true; return "x" end })
    a.images = { im }
    local r = copydesk.validate(a)
    assert.is_false(ran)
    assert.is_truthy(has(r, "headline_missing"))
  end)

  it("survives tables that refer back to the article (cycles)", function()
    local a = clean()
    a.images = a
    a.related = { a }
    local r = copydesk.validate(a)
    assert.is_truthy(has(r, "input_type", "/images"))
    assert.is_truthy(has(r, "input_type", "/related/1"))
  end)

  it("reports input_too_large for an article beyond max_bytes or a list beyond max_items", function()
    local r = copydesk.validate(story({ body = string.rep("word ", 300) }), { thresholds = { max_bytes = 1000 } })
    assert.is_truthy(has(r, "input_too_large", ""))
    local tags = {}
    for i = 1, 20 do tags[i] = "t" .. i end
    r = copydesk.validate(story({ tags = tags }), { thresholds = { max_items = 10 } })
    assert.is_truthy(has(r, "input_too_large", "/tags"))
    assert.is_nil(has(copydesk.validate(clean()), "input_too_large"))
  end)

  it("reports utf8_invalid with the offset of the bad byte", function()
    local r = copydesk.validate(story({ dek = "Caf\195 crowds \237\160\128" }))
    local f = assert(has(r, "utf8_invalid", "/dek"))
    assert.are.equal(4, f.start)
    r = copydesk.validate(story({ tags = { "ok", "bad\255" } }))
    assert.is_truthy(has(r, "utf8_invalid", "/tags/2"))
    assert.is_nil(has(copydesk.validate(clean()), "utf8_invalid"))
  end)

  it("reports text_control_char at each control character, not tabs or newlines in the body", function()
    local r = copydesk.validate(story({ headline = "Bridge\0reopens after two years", dek = "A\27[1m dek \194\133 here" }))
    local f = assert(has(r, "text_control_char", "/headline"))
    assert.are.equal(7, f.start)
    assert.are.equal(2, #findings(r, "text_control_char") - 1)
    assert.is_nil(has(copydesk.validate(body("Line one\twith a tab.\r\nLine two." .. PAD)), "text_control_char"))
  end)
end)

describe("copydesk.validate_json", function()
  it("validates an article given as JSON", function()
    local cjson = require "cjson"
    local r = copydesk.validate_json(cjson.encode(clean()))
    assert.are.equal(0, r.errors, codes(r))
    assert.are.equal(0, r.warnings, codes(r))
  end)

  it("reports json_parse with an offset instead of raising", function()
    local r = copydesk.validate_json('{"headline": "x",, }')
    local f = assert(has(r, "json_parse", ""))
    assert.is_number(f.start)
    assert.is_false(r.ok)
    assert.is_nil(has(copydesk.validate_json('{"headline": "A fine headline for a story"}'), "json_parse"))
  end)

  it("reports input_too_deep and input_too_large on the raw text before decoding", function()
    local r = copydesk.validate_json(string.rep("[", 100000))
    assert.is_truthy(has(r, "input_too_deep", ""))
    r = copydesk.validate_json('{"body":"' .. string.rep("a", 2000) .. '"}', { thresholds = { max_bytes = 1000 } })
    assert.is_truthy(has(r, "input_too_large", ""))
    r = copydesk.validate_json('{"headline":[[["deep enough"]]]}')
    assert.is_nil(has(r, "input_too_deep"))
  end)

  it("reports input_type for JSON that is not an object, and for null fields nothing", function()
    assert.is_truthy(has(copydesk.validate_json('"just a string"'), "input_type", ""))
    assert.is_truthy(has(copydesk.validate_json('null'), "input_type", ""))
    local r = copydesk.validate_json('{"headline":"A headline of some length","dek":null}')
    assert.is_nil(has(r, "input_type"))
  end)

  it("reports NaN from JSON as input_type", function()
    local r = copydesk.validate_json('{"headline":"A headline of some length","id":NaN}')
    assert.is_truthy(has(r, "input_type", "/id") or has(r, "json_parse"))
  end)

  it("raises for a non-string argument", function()
    assert.has_error(function() copydesk.validate_json({}) end,
      "bad argument #1 to 'validate_json' (string expected, got table)")
  end)
end)

describe("metadata rules", function()
  it("headline_missing: no headline, or only spaces", function()
    assert.is_truthy(has(copydesk.validate(story({ headline = false })), "headline_missing"))
    assert.is_truthy(has(copydesk.validate(story({ headline = "   " })), "headline_missing"))
    assert.is_nil(has(copydesk.validate(clean()), "headline_missing"))
  end)

  it("headline_length counts characters, not bytes", function()
    local r = copydesk.validate(story({ headline = string.rep("Á", 111) }))
    assert.is_truthy(has(r, "headline_length"))
    assert.is_nil(has(copydesk.validate(story({ headline = string.rep("Á", 100) })), "headline_length"))
    assert.is_truthy(has(copydesk.validate(story({ headline = "Short" })), "headline_length"))
    r = copydesk.validate(story({ headline = string.rep("a", 60) }), { thresholds = { headline_max = 50 } })
    assert.is_truthy(has(r, "headline_length"))
  end)

  it("dek_length and description_length", function()
    assert.is_truthy(has(copydesk.validate(story({ dek = string.rep("word ", 60) })), "dek_length"))
    assert.is_nil(has(copydesk.validate(clean()), "dek_length"))
    assert.is_truthy(has(copydesk.validate(story({ description = "Too short." })), "description_length"))
    assert.is_truthy(has(copydesk.validate(story({ description = string.rep("é", 161) })), "description_length"))
    assert.is_nil(has(copydesk.validate(story({ description = string.rep("é", 160) })), "description_length"))
  end)

  it("slug_format and slug_length", function()
    for _, s in ipairs({ "Bad Slug", "double--hyphen", "-lead", "trail-", "ünï", "" }) do
      assert.is_truthy(has(copydesk.validate(story({ slug = s })), "slug_format"), s)
    end
    assert.is_nil(has(copydesk.validate(story({ slug = "a-1-b" })), "slug_format"))
    assert.is_truthy(has(copydesk.validate(story({ slug = string.rep("a", 81) })), "slug_length"))
    assert.is_nil(has(copydesk.validate(story({ slug = string.rep("a", 80) })), "slug_length"))
  end)

  it("byline_missing: absent, empty list or blank names; its severity follows the stage", function()
    local r = copydesk.validate(story({ byline = false }))
    assert.are.equal("error", has(r, "byline_missing").severity)
    r = copydesk.validate(story({ byline = {}, status = "draft" }))
    assert.are.equal("info", has(r, "byline_missing").severity)
    r = copydesk.validate(story({ byline = { " " }, status = "review" }))
    assert.are.equal("warning", has(r, "byline_missing").severity)
    assert.is_nil(has(copydesk.validate(story({ byline = "Mara Lindqvist" })), "byline_missing"))
  end)

  it("date_missing without published_at", function()
    assert.is_truthy(has(copydesk.validate(story({ published_at = false })), "date_missing"))
    assert.is_nil(has(copydesk.validate(clean()), "date_missing"))
  end)

  it("date_format: RFC 3339 with a zone", function()
    for _, d in ipairs({ "2026-11-28", "2026-11-28T12:00:00", "2026-11-28 12:00:00Z", "2026-02-30T12:00:00Z",
      "2026-11-28T24:00:00Z", "2026-11-28T12:00:00+1:00", "28/11/2026", "2026-11-28T12:00:00Zjunk" }) do
      assert.is_truthy(has(copydesk.validate(story({ published_at = d })), "date_format"), d)
    end
    for _, d in ipairs({ "2026-11-28T12:00:00Z", "2024-02-29T23:59:60.123+05:30", "2026-11-28t12:00:00z" }) do
      assert.is_nil(has(copydesk.validate(story({ published_at = d, updated_at = false })), "date_format"), d)
    end
  end)

  it("date_order: updated before published, published before the embargo lifts", function()
    local r = copydesk.validate(story({ published_at = "2026-11-28T12:00:00Z", updated_at = "2026-11-28T12:30:00+01:00" }))
    assert.is_truthy(has(r, "date_order", "/updated_at"))
    r = copydesk.validate(story({ published_at = "2026-11-28T12:00:00Z", embargo_until = "2026-11-28T13:00:00Z" }))
    assert.is_truthy(has(r, "date_order", "/published_at"))
    r = copydesk.validate(story({ embargo_until = "2026-11-28T08:00:00Z" }))
    assert.is_nil(has(r, "date_order"))
  end)

  it("language_invalid for tags that are not BCP 47", function()
    for _, l in ipairs({ "en_US", "e1", "e", "en-", "en--GB", "a-DE", "toolongtag" }) do
      assert.is_truthy(has(copydesk.validate(story({ language = l })), "language_invalid"), l)
    end
    for _, l in ipairs({ "en", "en-GB", "zh-Hant-TW", "sr-Latn", "es-419", "de-CH-1996", "x-private", "i-klingon", "nb-NO" }) do
      assert.is_nil(has(copydesk.validate(story({ language = l })), "language_invalid"), l)
    end
  end)

  it("canonical_url_invalid for relative, non-http, spaced or fragment URLs", function()
    for _, u in ipairs({ "/local/story", "ftp://news.example/x", "https://news example/x", "https://news.example/x#top",
      "javascript:alert(1)", "https:///x", "https://user@news.example/" }) do
      assert.is_truthy(has(copydesk.validate(story({ canonical_url = u })), "canonical_url_invalid"), u)
    end
    assert.is_nil(has(copydesk.validate(story({ canonical_url = "https://news.example:8443/a?b=c%20d" })), "canonical_url_invalid"))
  end)
end)

describe("body and text rules", function()
  it("body_empty for a missing or blank body", function()
    assert.is_truthy(has(copydesk.validate(story({ body = false })), "body_empty"))
    assert.is_truthy(has(copydesk.validate(body("  \n ")), "body_empty"))
    assert.is_nil(has(copydesk.validate(clean()), "body_empty"))
  end)

  it("body_too_short under body_min_words", function()
    assert.is_truthy(has(copydesk.validate(body("Only a few words here.")), "body_too_short"))
    assert.is_nil(has(copydesk.validate(clean()), "body_too_short"))
  end)

  it("text_placeholder: Lorem ipsum, TK, No stories found., [INSERT ...], {{...}}", function()
    local text = "Lorem ipsum dolor sit amet. The mayor TK said. No stories found. Quote [INSERT QUOTE] here. Hello {{ name }}."
    local r = copydesk.validate(body(text .. PAD))
    local got = {}
    for _, f in ipairs(findings(r, "text_placeholder")) do got[#got + 1] = text:sub(f.start, f.stop) end
    assert.are.same({ "Lorem ipsum", "TK", "No stories found.", "[INSERT QUOTE]", "{{ name }}" }, got)
    assert.is_nil(has(copydesk.validate(body("TKO and the Tkachenko story." .. PAD)), "text_placeholder"))
  end)

  it("text_placeholder from the policy's own placeholders", function()
    local r = copydesk.validate(body("The XXXX council met." .. PAD), { style = { placeholders = { "xxxx" } } })
    assert.is_truthy(has(r, "text_placeholder"))
  end)

  it("text_boilerplate from policy lines", function()
    local pol = { style = { boilerplate = { "Follow News Example on social media" } } }
    local r = copydesk.validate(body("The bridge opened." .. PAD .. "\nFollow News Example on social media!"), pol)
    local f = assert(has(r, "text_boilerplate"))
    assert.is_truthy(f.start)
    assert.is_truthy(has(copydesk.validate(body("Text." .. PAD .. "\n© 2026 All rights reserved.")), "text_boilerplate"))
    assert.is_nil(has(copydesk.validate(clean(), pol), "text_boilerplate"))
  end)

  it("text_duplicate_block after normalising whitespace and quotes", function()
    local p = "The council said “the bridge is safe” and opened it to traffic again."
    local q = "The council  said \"the bridge is safe\"   and opened it to traffic again."
    local text = p .. "\n\n" .. PAD .. "\n\n" .. q
    local r = copydesk.validate(body(text), { style = { quotes = "consistent" }, rules = { text_quote_mixed = "off" } })
    local f = assert(has(r, "text_duplicate_block", "/body"))
    assert.are.equal(q, text:sub(f.start, f.stop))
    assert.is_nil(has(copydesk.validate(clean()), "text_duplicate_block"))
  end)

  it("text_duplicate_block once for each copy of a paragraph, against the first", function()
    local p = "The council said the bridge is safe and opened it to traffic again."
    local copies = {}
    for i = 1, 400 do copies[i] = p end
    local r = copydesk.validate(body(table.concat(copies, "\n\n")))
    local dups = findings(r, "text_duplicate_block")
    assert.are.equal(399, #dups)
    for _, f in ipairs(dups) do
      assert.are.equal("repeats the text at /body 1-" .. #p, f.message)
    end
  end)

  it("text_doubled_word, but not 'had had' or 'that that'", function()
    local text = "He said the the bridge was safe. She had had enough, and that that was it." .. PAD
    local r = copydesk.validate(body(text))
    local fs = findings(r, "text_doubled_word")
    assert.are.equal(1, #fs)
    assert.are.equal("the the", text:sub(fs[1].start, fs[1].stop))
    assert.is_nil(has(copydesk.validate(body("The end. The start, the finish." .. PAD)), "text_doubled_word"))
  end)

  it("text_quote_mixed points at each minority quote", function()
    local text = "It’s the city’s bridge, and the mayor's pride; it’s back." .. PAD
    local r = copydesk.validate(body(text))
    local fs = findings(r, "text_quote_mixed")
    assert.are.equal(1, #fs)
    assert.are.equal("'", text:sub(fs[1].start, fs[1].stop))
    assert.is_nil(has(copydesk.validate(clean()), "text_quote_mixed"))
    -- house style curly: every straight one
    r = copydesk.validate(body("The mayor's pride and the city's bridge." .. PAD), { style = { quotes = "curly" } })
    assert.are.equal(2, #findings(r, "text_quote_mixed"))
    -- feet and inches are not quotes
    assert.is_nil(has(copydesk.validate(body("A 6'2\" man’s bridge." .. PAD)), "text_quote_mixed"))
  end)

  it("text_quote_mixed across fields of the article", function()
    local r = copydesk.validate(story({ headline = "Bridge 'reopens' after two years of repairs" }))
    local fs = findings(r, "text_quote_mixed")
    assert.are.equal(2, #fs)
    assert.are.equal("/headline", fs[1].path)
    assert.are.equal(8, fs[1].start)
  end)

  it("text_whitespace: leading, trailing and doubled spaces", function()
    local r = copydesk.validate(story({ headline = " Bridge reopens after two years  of repairs " }))
    assert.are.equal(3, #findings(r, "text_whitespace"))
    assert.is_nil(has(copydesk.validate(clean()), "text_whitespace"))
  end)

  it("text_all_caps for runs of capitalised words, not acronyms", function()
    local r = copydesk.validate(story({ headline = "BRIDGE REOPENS AFTER REPAIRS, says council" }))
    local f = assert(has(r, "text_all_caps", "/headline"))
    assert.are.equal(1, f.start)
    assert.is_nil(has(copydesk.validate(story({ headline = "NATO and the UN back the EU plan for ASADA" })), "text_all_caps"))
  end)

  it("text_words_glued: punctuation without a space, words run together", function()
    local text = "The bridge reopened.Traffic returned at once,and the mayor spoke." .. PAD
    local r = copydesk.validate(body(text))
    assert.are.equal(2, #findings(r, "text_words_glued"))
    assert.is_nil(has(copydesk.validate(body("See news.example.com or e.g. the report, 1,000 cars." .. PAD)), "text_words_glued"))
  end)

  it("text_style_term from the policy's term substitutions", function()
    local pol = { style = { terms = { ["e-mail"] = "email" } } }
    local r = copydesk.validate(body("Send an e-mail to the council." .. PAD), pol)
    assert.is_truthy(has(r, "text_style_term"))
    assert.is_nil(has(copydesk.validate(body("Send an email to the council." .. PAD), pol), "text_style_term"))
  end)

  it("struct_empty_block: a Related Stories heading with nothing under it", function()
    local text = "The bridge reopened." .. PAD .. "\nRelated Stories\nNo stories found."
    local r = copydesk.validate(body(text))
    local f = assert(has(r, "struct_empty_block"))
    assert.are.equal("Related Stories\nNo stories found.", text:sub(f.start, f.stop))
    r = copydesk.validate(body("The bridge reopened." .. PAD .. "\nRelated Stories\nThe bridge delay explained by engineers"))
    assert.is_nil(has(r, "struct_empty_block"))
  end)

  it("struct_teasers_in_body: repeated caption + headline pairs", function()
    local cap = "The first cyclists cross the reopened harbour bridge on Saturday."
    local text = "The bridge reopened." .. PAD .. "\n" .. cap .. "\nCouncil approves new ferry line\n" .. cap
      .. "\nMarket hall to close for a month\n" .. cap .. "\nSchool strike ends after talks"
    local r = copydesk.validate(body(text))
    local f = assert(has(r, "struct_teasers_in_body", "/body"))
    assert.are.equal(cap, text:sub(f.start, f.start + #cap - 1))
    assert.are.equal(#text, f.stop)
    assert.is_nil(has(copydesk.validate(clean()), "struct_teasers_in_body"))
  end)
end)

describe("media rules", function()
  it("media_alt_missing", function()
    assert.is_truthy(has(copydesk.validate(with_image({ alt = false })), "media_alt_missing", "/images/1/alt"))
    assert.is_truthy(has(copydesk.validate(with_image({ alt = " " })), "media_alt_missing"))
    assert.is_nil(has(copydesk.validate(clean()), "media_alt_missing"))
  end)

  it("media_alt_equals_caption, ignoring case and spacing", function()
    local r = copydesk.validate(with_image({ alt = "the first cyclists cross the reopened  harbour bridge on Saturday." }))
    assert.is_truthy(has(r, "media_alt_equals_caption", "/images/1/alt"))
    assert.is_nil(has(copydesk.validate(clean()), "media_alt_equals_caption"))
  end)

  it("media_alt_reused for different images, not for the same picture twice", function()
    local a = clean()
    a.images[2] = { url = "https://cdn.news.example/img/other.jpg", alt = a.images[1].alt, credit = "X",
      caption = "Other picture of the day." }
    assert.is_truthy(has(copydesk.validate(a), "media_alt_reused", "/images/2/alt"))
    a.images[2].url = a.images[1].url
    assert.is_nil(has(copydesk.validate(a), "media_alt_reused"))
  end)

  it("media_credit_missing", function()
    assert.is_truthy(has(copydesk.validate(with_image({ credit = false })), "media_credit_missing", "/images/1/credit"))
    assert.is_nil(has(copydesk.validate(clean()), "media_credit_missing"))
  end)

  it("media_caption_credit_glued: a caption run into its credit", function()
    local cap = "North Korean leader Kim Jong UnThe White House"
    local r = copydesk.validate(with_image({ caption = cap, credit = false }))
    local f = assert(has(r, "media_caption_credit_glued", "/images/1/caption"))
    assert.are.equal("The White House", cap:sub(f.start, f.stop))
    cap = "Mourners gather outside the stadiumAP Photo/Jane Doe"
    f = assert(has(copydesk.validate(with_image({ caption = cap, credit = "AP Photo/Jane Doe" })), "media_caption_credit_glued"))
    assert.are.equal("AP Photo/Jane Doe", cap:sub(f.start, f.stop))
  end)

  it("leaves camel-case names alone: McQuaid, ProTour, iPhone, YouTube", function()
    for _, cap in ipairs({ "UCI president Pat McQuaid", "The first ProTour event in Australia",
      "A photo taken with an iPhone", "The video was posted on YouTube", "Filmed for YouTube Kids" }) do
      assert.is_nil(has(copydesk.validate(with_image({ caption = cap })), "media_caption_credit_glued"), cap)
    end
  end)
end)

describe("link rules", function()
  it("link_url_invalid for related stories and image URLs", function()
    local r = copydesk.validate(story({ related = { { headline = "A related story", url = "javascript:alert(1)" },
      { headline = "No URL" } } }))
    assert.is_truthy(has(r, "link_url_invalid", "/related/1/url"))
    assert.is_truthy(has(r, "link_url_invalid", "/related/2/url"))
    assert.is_truthy(has(copydesk.validate(with_image({ url = "https://cdn example/x.jpg" })), "link_url_invalid"))
    assert.is_nil(has(copydesk.validate(story({ related = { { headline = "Rel", url = "/local/x" } } })), "link_url_invalid"))
  end)
end)

describe("policy", function()
  it("turns a rule off, or sets its severity per stage", function()
    local a = story({ byline = false })
    assert.is_nil(has(copydesk.validate(a, { rules = { byline_missing = "off" } }), "byline_missing"))
    local pol = { rules = { byline_missing = { published = "info" } } }
    assert.are.equal("info", has(copydesk.validate(a, pol), "byline_missing").severity)
    a.status = "review"
    assert.are.equal("warning", has(copydesk.validate(a, pol), "byline_missing").severity)
  end)

  it("forces a stage", function()
    local r = copydesk.validate(story({ byline = false, status = "draft" }), { stage = "published" })
    assert.are.equal("error", has(r, "byline_missing").severity)
  end)

  it("compiles once into an object reused by validations", function()
    local pol = copydesk.policy.compile({ rules = { text_all_caps = "off" } })
    assert.is_true(copydesk.policy.is_compiled(pol))
    assert.are.equal("off", copydesk.policy.severity(pol, "text_all_caps", "review"))
    local r = copydesk.validate(story({ headline = "BRIDGE REOPENS AFTER TWO YEARS" }), pol)
    assert.is_nil(has(r, "text_all_caps"))
  end)

  it("rejects unknown options, rules, stages and severities", function()
    assert.has_error(function() copydesk.validate(clean(), { rulez = {} }) end,
      "bad argument #2 to 'validate' (unknown option 'rulez')")
    assert.has_error(function() copydesk.policy.compile({ rules = { no_such_rule = "off" } }) end,
      "bad argument #1 to 'compile' (unknown option 'rules.no_such_rule')")
    assert.has_error(function() copydesk.policy.compile({ rules = { byline_missing = { live = "off" } } }) end,
      "bad argument #1 to 'compile' (unknown stage 'live' for 'byline_missing')")
    assert.has_error(function() copydesk.policy.compile({ rules = { byline_missing = "fatal" } }) end,
      "bad argument #1 to 'compile' (bad severity 'fatal' for 'byline_missing')")
    assert.has_error(function() copydesk.policy.compile({ thresholds = { headline_max = -1 } }) end)
    assert.has_error(function() copydesk.policy.compile({ style = { quotes = "fancy" } }) end)
    assert.has_error(function() copydesk.validate(clean(), 42) end,
      "bad argument #2 to 'validate' (policy table expected, got number)")
  end)

  it("has C defaults equal to the documented Lua defaults", function()
    local core = require "copydesk.core"
    local raw = core.policy_new()
    for code, stages in pairs(copydesk.policy.defaults.rules) do
      for stage, sev in pairs(stages) do
        assert.are.equal(sev, core.policy_severity(raw, code, stage), code .. "@" .. stage)
      end
    end
    for name, v in pairs(copydesk.policy.defaults.thresholds) do
      assert.are.equal(v, core.policy_threshold(raw, name), name)
    end
  end)

  it("documents a default severity for every rule code", function()
    local core = require "copydesk.core"
    for _, code in ipairs(core.rule_codes()) do
      assert.is_table(copydesk.policy.defaults.rules[code], code)
    end
  end)
end)

describe("a story scraped together from a web page", function()
  local a = dofile(ROOT .. "/tests/fixtures/scraped_story.lua")
  local r = copydesk.validate(a)
  local cap = a.images[1].caption
  local credit_at = cap:find("Coastal Times/Ana Ruiz", 1, true)

  local function occurrences(s, needle)
    local out, at = {}, 1
    while true do
      local i, j = s:find(needle, at, true)
      if not i then return out end
      out[#out + 1] = { i, j }
      at = j + 1
    end
  end

  it("finds the caption glued to its credit, at the credit", function()
    local f = assert(has(r, "media_caption_credit_glued", "/images/1/caption"))
    assert.are.same({ credit_at, #cap }, { f.start, f.stop })
  end)

  it("finds the caption repeated through the teaser list, at each repeat", function()
    local got = {}
    for _, f in ipairs(findings(r, "text_duplicate_block")) do got[#got + 1] = { f.start, f.stop } end
    assert.are.same(occurrences(a.body, cap), got)
    local glued = findings(r, "text_words_glued")
    assert.are.equal(3, #glued)
    for i, span in ipairs(occurrences(a.body, cap)) do
      assert.are.equal(span[1] + credit_at - 2, glued[i].start)
    end
  end)

  it("finds the teaser list pasted into the body, from its first caption to its last headline", function()
    local f = assert(has(r, "struct_teasers_in_body", "/body"))
    assert.are.equal(occurrences(a.body, cap)[1][1], f.start)
    local _, last = a.body:find("Volunteers fill sandbags through the night", 1, true)
    assert.are.equal(last, f.stop)
  end)

  it("finds 'Related Stories' followed by 'No stories found.'", function()
    local head = a.body:find("Related Stories", 1, true)
    local ph, ph_end = a.body:find("No stories found.", 1, true)
    local f = assert(has(r, "struct_empty_block", "/body"))
    assert.are.same({ head, ph_end }, { f.start, f.stop })
    local p = assert(has(r, "text_placeholder", "/body"))
    assert.are.same({ ph, ph_end }, { p.start, p.stop })
  end)

  it("finds the one straight apostrophe among curly ones", function()
    local fs = findings(r, "text_quote_mixed")
    assert.are.equal(1, #fs)
    local at = a.body:find("river's", 1, true) + 5
    assert.are.same({ at, at }, { fs[1].start, fs[1].stop })
  end)

  it("finds no byline and no date", function()
    assert.is_truthy(has(r, "byline_missing", "/byline"))
    assert.is_truthy(has(r, "date_missing", "/published_at"))
  end)

  it("gives the same story written cleanly no error and no warning", function()
    local clean_r = copydesk.validate(dofile(ROOT .. "/tests/fixtures/scraped_story_clean.lua"))
    assert.are.equal(0, clean_r.errors, codes(clean_r))
    assert.are.equal(0, clean_r.warnings, codes(clean_r))
  end)
end)

describe("HTML bodies", function()
  local function html(b, extra)
    local a = story({ body = b, body_format = false })
    for k, v in pairs(extra or {}) do a[k] = v end
    return copydesk.validate(a)
  end
  local P = "<p>" .. PAD .. "</p>"

  it("reports html_tag_disallowed, html_attr_disallowed and html_url_scheme at the markup", function()
    local b = P .. "<p onclick=\"x()\">Hi <a href=\"jav&#x09;ascript:alert(1)\">there</a></p><script>alert(1)</script>"
    local r = html(b)
    local f = assert(has(r, "html_tag_disallowed"))
    assert.are.equal("<script", b:sub(f.start, f.start + 6))
    assert.is_truthy(has(r, "html_attr_disallowed"))
    assert.is_truthy(has(r, "html_url_scheme"))
    r = html(P .. "<p>Plain <a href=\"https://news.example/\">link</a>.</p>")
    assert.is_nil(has(r, "html_tag_disallowed"))
    assert.is_nil(has(r, "html_attr_disallowed"))
    assert.is_nil(has(r, "html_url_scheme"))
  end)

  it("reports html_target_blank_rel, html_entity and html_parse", function()
    local r = html(P .. "<p><a href=\"/x\" target=\"_blank\">x</a> &bogus; <em>open</p>")
    assert.is_truthy(has(r, "html_target_blank_rel"))
    assert.is_truthy(has(r, "html_entity"))
    assert.is_truthy(has(r, "html_parse"))
    r = html(P .. "<p><a href=\"/x\" target=\"_blank\" rel=\"noopener\">x</a> &amp; <em>closed</em></p>")
    assert.is_nil(has(r, "html_target_blank_rel"))
    assert.is_nil(has(r, "html_entity"))
    assert.is_nil(has(r, "html_parse"))
  end)

  it("reports struct_h1_in_body, struct_heading_skip and empty blocks", function()
    local r = html("<h1>Title</h1>" .. P .. "<h2>A</h2><h4>B</h4><p> </p>")
    assert.is_truthy(has(r, "struct_h1_in_body"))
    assert.is_truthy(has(r, "struct_heading_skip"))
    assert.is_truthy(has(r, "struct_empty_block"))
    r = html("<h2>A</h2>" .. P .. "<h3>B</h3><p>Text.</p>")
    assert.is_nil(has(r, "struct_h1_in_body"))
    assert.is_nil(has(r, "struct_heading_skip"))
    assert.is_nil(has(r, "struct_empty_block"))
  end)

  it("maps text findings through entities and inline tags to body offsets", function()
    local b = P .. "<p>The <em>the</em> &amp; it&#39;s the city’s and the town’s</p>"
    local r = html(b)
    local f = assert(has(r, "text_doubled_word"))
    assert.are.equal("The <em>the", b:sub(f.start, f.stop))
    local q = assert(has(r, "text_quote_mixed"))
    assert.are.equal("&#39;", b:sub(q.start, q.stop))
  end)

  it("reports link_bare_url for a URL in the text but not inside a link", function()
    local b = P .. "<p>Read it at https://news.example/report today.</p>"
    local f = assert(has(html(b), "link_bare_url"))
    assert.are.equal("https://news.example/report", b:sub(f.start, f.stop))
    assert.is_nil(has(html(P .. "<p>See <a href=\"https://news.example/\">https://news.example/</a>.</p>"), "link_bare_url"))
  end)

  it("passes the policy's HTML allow-lists to the scanner and rejects impossible ones", function()
    local b = P .. "<p>Text <u>underlined</u></p>"
    assert.is_nil(has(html(b), "html_tag_disallowed"))
    local r = copydesk.validate(story({ body = b, body_format = false }), { html = { tags = { "p", "a" } } })
    assert.is_truthy(has(r, "html_tag_disallowed"))
    assert.has_error(function() copydesk.policy.compile({ html = { tags = { "p", "script" } } }) end,
      "bad argument #1 to 'compile' ('html.tags' cannot allow 'script')")
  end)
end)

-- Long runs of plain words go through a fast loop in text.c; every check must
-- still fire on a word met in the middle of such a run.
describe("checks inside a run of plain words", function()
  local RUN = "and so we all went down to see it as the day came on and then"

  local function one(text, code)
    local fs = findings(copydesk.validate(body(text .. PAD)), code)
    assert.are.equal(1, #fs, code .. " in: " .. text)
    return text:sub(fs[1].start, fs[1].stop)
  end

  it("finds a doubled word, in either case, but not two words of one length", function()
    assert.are.equal("the the", one(RUN .. " the the river " .. RUN .. ".", "text_doubled_word"))
    assert.are.equal("go Go", one(RUN .. " go Go on " .. RUN .. ".", "text_doubled_word"))
    assert.is_nil(has(copydesk.validate(body(RUN .. " cat bat rat sat " .. RUN .. "." .. PAD)), "text_doubled_word"))
  end)

  it("finds placeholders and boilerplate that start mid-run", function()
    assert.are.equal("lorem ipsum", one(RUN .. " lorem ipsum " .. RUN .. ".", "text_placeholder"))
    assert.are.equal("TK", one(RUN .. " TK " .. RUN .. ".", "text_placeholder"))
    assert.are.equal("all rights reserved", one(RUN .. " all rights reserved " .. RUN .. ".", "text_boilerplate"))
  end)

  it("finds a run of capitals that starts and ends between plain words", function()
    local text = RUN .. " THE BIG RED DOG RAN " .. RUN .. "."
    assert.are.equal("THE BIG RED DOG RAN", one(text, "text_all_caps"))
  end)

  it("finds a bare URL after plain words in an HTML body", function()
    local b = "<p>" .. PAD .. "</p><p>" .. RUN .. " www.example.org " .. RUN .. " http://example.org/a " .. RUN .. ".</p>"
    local fs = findings(copydesk.validate(story({ body = b, body_format = false })), "link_bare_url")
    assert.are.equal(2, #fs)
    assert.are.equal("www.example.org", b:sub(fs[1].start, fs[1].stop))
    assert.are.equal("http://example.org/a", b:sub(fs[2].start, fs[2].stop))
  end)

  it("counts apostrophes and hyphens inside words met mid-run", function()
    local text = RUN .. " the city’s well-known bridge " .. RUN .. " the mayor's " .. RUN .. " the town’s end."
    assert.are.equal("'", one(text, "text_quote_mixed"))
  end)
end)
