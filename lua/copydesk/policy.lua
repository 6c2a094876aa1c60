--- copydesk.policy: validation policies. A policy is plain data (rules and
-- their severity per workflow stage, thresholds, house style, HTML
-- allow-lists) that compile() checks and turns into a C-side object once;
-- validations then pay nothing for it.
local core = require "copydesk.core"

local M = {}

local STAGES = { "draft", "review", "published" }
local SEVERITIES = { off = true, info = true, warning = true, error = true }

local function sev(d, r, p) return { draft = d, review = r, published = p } end
local I, W, E = "info", "warning", "error"

--- The default news profile. Severity of each rule at draft, review and
-- published (the article's status picks the stage: draft -> draft;
-- review, approved -> review; scheduled, published, archived -> published;
-- no status -> review).
M.defaults = {
  rules = {
    input_type = sev(E, E, E), input_too_large = sev(E, E, E), input_too_deep = sev(E, E, E),
    json_parse = sev(E, E, E), utf8_invalid = sev(E, E, E), text_control_char = sev(W, E, E),
    headline_missing = sev(W, E, E), headline_length = sev(I, W, W), dek_length = sev(I, W, W),
    description_length = sev(I, W, W), slug_format = sev(E, E, E), slug_length = sev(W, W, W),
    byline_missing = sev(I, W, E), date_missing = sev(I, W, E), date_format = sev(E, E, E),
    date_order = sev(E, E, E), language_invalid = sev(E, E, E),
    canonical_url_invalid = sev(W, E, E),
    body_empty = sev(W, E, E), body_too_short = sev(I, W, W), text_placeholder = sev(W, E, E),
    text_boilerplate = sev(W, W, W), text_duplicate_block = sev(W, W, W),
    text_doubled_word = sev(W, W, W), text_quote_mixed = sev(W, W, W),
    text_whitespace = sev(I, I, I), text_all_caps = sev(I, W, W),
    text_words_glued = sev(W, W, W), text_style_term = sev(I, I, I),
    struct_empty_block = sev(W, W, W), struct_teasers_in_body = sev(W, E, E),
    struct_heading_skip = sev(I, W, W), struct_h1_in_body = sev(W, W, W),
    media_alt_missing = sev(I, W, W), media_alt_equals_caption = sev(I, W, W),
    media_alt_reused = sev(I, W, W), media_caption_credit_glued = sev(W, W, W),
    media_credit_missing = sev(I, W, W),
    html_parse = sev(W, W, W), html_tag_disallowed = sev(W, W, E),
    html_attr_disallowed = sev(W, W, E), html_url_scheme = sev(E, E, E),
    html_target_blank_rel = sev(W, W, W), html_entity = sev(W, W, W),
    link_url_invalid = sev(W, E, E), link_bare_url = sev(I, W, W),
  },
  thresholds = {
    headline_min = 10,        -- characters (code points)
    headline_max = 110,
    dek_max = 250,
    description_min = 50,
    description_max = 160,
    slug_max = 80,            -- bytes (a slug is ASCII)
    body_min_words = 50,
    all_caps_words = 4,       -- this many words in capitals in a row
    max_findings = 500,       -- the report is truncated beyond (counts stay exact)
    max_bytes = 4 * 1024 * 1024, -- all strings of the article (validate_json: the JSON text)
    max_items = 1000,         -- per list (byline, tags, images, related)
    max_depth = 64,           -- JSON nesting (validate_json)
  },
  style = {
    quotes = "consistent",    -- or "curly" / "straight": report every other one
    placeholders = {},        -- extra phrases, matched case-insensitively
    boilerplate = {           -- lines that do not belong in a story
      "All rights reserved",
      "Sign up for our newsletter",
      "Click here to subscribe",
      "Share this article",
    },
    terms = {},               -- { ["e-mail"] = "email" } or { { "e-mail", "email" } }
    camel_names = {},         -- extra camel-case names never taken for glued words
  },
  html = {},                  -- tags, attributes, schemes: nil = the scanner's news profile
}

local TOP = { rules = true, thresholds = true, style = true, html = true, stage = true }
local STYLE = { quotes = true, placeholders = true, boilerplate = true, terms = true,
  camel_names = true }
local HTML = { tags = "html_tags", attributes = "html_attributes", schemes = "html_schemes" }
local QUOTES = { consistent = true, curly = true, straight = true }

local KNOWN_RULES = {}
for _, code in ipairs(core.rule_codes()) do KNOWN_RULES[code] = true end

-- Raised inside compile and turned into a plain error at the caller's level.
local BadArg = {}
local function bad(argn, fname, msg)
  error(setmetatable({ msg = ("bad argument #%d to '%s' (%s)"):format(argn, fname, msg) }, BadArg))
end

local function check_table(t, allowed, argn, fname, prefix)
  if type(t) ~= "table" then
    bad(argn, fname, ("table expected for '%s', got %s"):format(prefix, type(t)))
  end
  for k in pairs(t) do
    if type(k) ~= "string" or not allowed[k] then
      local name = prefix ~= "" and (prefix .. "." .. tostring(k)) or tostring(k)
      bad(argn, fname, ("unknown option '%s'"):format(name))
    end
  end
end

local function check_strings(list, argn, fname, name)
  if type(list) ~= "table" then
    bad(argn, fname, ("array of strings expected for '%s'"):format(name))
  end
  local n = #list
  for k, s in pairs(list) do
    if type(k) ~= "number" or k < 1 or k > n or k % 1 ~= 0 or type(s) ~= "string" then
      bad(argn, fname, ("array of strings expected for '%s'"):format(name))
    end
  end
  return list
end

local function apply_rules(pol, rules, argn, fname)
  for code, v in pairs(rules) do
    if type(code) ~= "string" or not KNOWN_RULES[code] then
      bad(argn, fname, ("unknown rule '%s'"):format(tostring(code)))
    end
    if type(v) == "string" then
      if not SEVERITIES[v] then bad(argn, fname, ("bad severity '%s' for '%s'"):format(v, code)) end
      for _, st in ipairs(STAGES) do core.policy_severity(pol, code, st, v) end
    elseif type(v) == "table" then
      for st, s in pairs(v) do
        if st ~= "draft" and st ~= "review" and st ~= "published" then
          bad(argn, fname, ("unknown stage '%s' for '%s'"):format(tostring(st), code))
        end
        if not SEVERITIES[s] then
          bad(argn, fname, ("bad severity '%s' for '%s'"):format(tostring(s), code))
        end
        core.policy_severity(pol, code, st, s)
      end
    else
      bad(argn, fname, ("severity or table of stages expected for '%s'"):format(code))
    end
  end
end

local function terms_list(terms, argn, fname)
  if type(terms) ~= "table" then bad(argn, fname, "table expected for 'style.terms'") end
  local flat, pairs_ = {}, {}
  for k, v in pairs(terms) do
    if type(k) == "string" and type(v) == "string" then
      pairs_[#pairs_ + 1] = { k, v }
    elseif type(k) == "number" and type(v) == "table" and type(v[1]) == "string"
        and type(v[2]) == "string" then
      pairs_[#pairs_ + 1] = { v[1], v[2] }
    else
      bad(argn, fname, "'style.terms' maps a wrong term to the right one")
    end
  end
  table.sort(pairs_, function(a, b) return a[1] < b[1] end)
  for _, p in ipairs(pairs_) do
    flat[#flat + 1] = p[1]
    flat[#flat + 1] = p[2]
  end
  return flat
end

local function apply(pol, t, argn, fname)
  check_table(t, TOP, argn, fname, "")
  if t.rules ~= nil then
    check_table(t.rules, KNOWN_RULES, argn, fname, "rules")
    apply_rules(pol, t.rules, argn, fname)
  end
  if t.thresholds ~= nil then
    check_table(t.thresholds, M.defaults.thresholds, argn, fname, "thresholds")
    for k, v in pairs(t.thresholds) do
      if type(v) ~= "number" or v < 0 or v % 1 ~= 0 or v ~= v or v > 1e15 then
        bad(argn, fname, ("whole number >= 0 expected for 'thresholds.%s'"):format(k))
      end
      core.policy_threshold(pol, k, v)
    end
  end
  if t.style ~= nil then
    local s = t.style
    check_table(s, STYLE, argn, fname, "style")
    if s.quotes ~= nil then
      if not QUOTES[s.quotes] then
        bad(argn, fname, "'style.quotes' is consistent, curly or straight")
      end
      core.policy_quotes(pol, s.quotes)
    end
    for _, name in ipairs({ "placeholders", "boilerplate", "camel_names" }) do
      if s[name] ~= nil then
        core.policy_list(pol, name, check_strings(s[name], argn, fname, "style." .. name))
      end
    end
    if s.terms ~= nil then core.policy_list(pol, "terms", terms_list(s.terms, argn, fname)) end
  end
  if t.html ~= nil then
    check_table(t.html, HTML, argn, fname, "html")
    for k, list in pairs(t.html) do
      local badentry = core.policy_list(pol, HTML[k], check_strings(list, argn, fname, "html." .. k))
      if badentry then
        bad(argn, fname, ("'html.%s' cannot allow '%s'"):format(k, badentry))
      end
    end
  end
  if t.stage ~= nil then
    if t.stage ~= "draft" and t.stage ~= "review" and t.stage ~= "published" then
      bad(argn, fname, "'stage' is draft, review or published")
    end
    core.policy_stage(pol, t.stage)
  end
end

local function compile_raw(t, argn, fname)
  local pol = core.policy_new()
  apply(pol, M.defaults, argn, fname)
  if t ~= nil then apply(pol, t, argn, fname) end
  return pol
end

-- The compiled policy, or nil and the error message.
local function compile(t, argn, fname)
  local ok, res = pcall(compile_raw, t, argn, fname)
  if ok then return res end
  if getmetatable(res) == BadArg then return nil, res.msg end
  error(res, 0)
end

--- Compile a policy table (merged over the defaults) into a policy object.
function M.compile(t)
  if t ~= nil and type(t) ~= "table" then
    error("bad argument #1 to 'compile' (table expected, got " .. type(t) .. ")", 2)
  end
  local pol, err = compile(t, 1, "compile")
  if not pol then error(err, 2) end
  return pol
end

--- Whether x is a compiled policy.
function M.is_compiled(x)
  return type(x) == "userdata" and getmetatable(x) == "copydesk.policy"
end

--- Severity of a rule at a stage under a compiled policy (for tools and docs).
function M.severity(pol, code, stage)
  return core.policy_severity(pol, code, stage)
end

local default_policy
local cache = setmetatable({}, { __mode = "k" })

--- The compiled policy for what the caller passed (nil, a table, or a
-- compiled policy), or nil and a "bad argument" message; tables are
-- compiled once and cached (weakly), so a policy table must not change
-- after its first use.
function M.resolve(p, argn, fname)
  if p == nil then
    if not default_policy then default_policy = assert(compile(nil, argn, fname)) end
    return default_policy
  end
  if type(p) == "table" then
    local c = cache[p]
    if not c then
      local err
      c, err = compile(p, argn, fname)
      if not c then return nil, err end
      cache[p] = c
    end
    return c
  end
  if M.is_compiled(p) then return p end
  return nil, ("bad argument #%d to '%s' (policy table expected, got %s)"):format(argn, fname, type(p))
end

return M
