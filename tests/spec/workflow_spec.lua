local workflow = require "copydesk.workflow"
local memory = require "copydesk.store.memory"

-- The state machine, tested apart from the real rules: a validator that
-- finds one error in an empty body, and a plain ASCII slugger.
local function test_validator(article)
  local findings = {}
  if type(article.body) ~= "string" or article.body == "" then
    findings[1] = { code = "body_empty", severity = "error", path = "/body", message = "empty" }
  end
  if type(article.dek) ~= "string" then
    findings[#findings + 1] = { code = "dek_length", severity = "warning", path = "/dek", message = "no dek" }
  end
  local errors, warnings = 0, 0
  for _, f in ipairs(findings) do
    if f.severity == "error" then errors = errors + 1 else warnings = warnings + 1 end
  end
  return { ok = errors == 0, errors = errors, warnings = warnings, infos = 0, truncated = false,
           findings = findings }
end

local function test_slugger(text, taken)
  local base = text:lower():gsub("[^a-z0-9]+", "-"):gsub("^-+", ""):gsub("-+$", "")
  local s, n = base, 1
  while taken(s) do n = n + 1; s = base .. "-" .. n end
  return s
end

local function new(opts)
  opts = opts or {}
  opts.store = opts.store or memory.new()
  opts.validator = opts.validator or test_validator
  opts.slugger = opts.slugger or test_slugger
  return workflow.new(opts)
end

local function story(over)
  local a = { headline = "Council approves budget", dek = "A dek", body = "<p>Text.</p>",
              byline = { "Jane Doe" }, language = "en" }
  for k, v in pairs(over or {}) do a[k] = v end
  return a
end

describe("workflow:save", function()
  it("gives a new article an id, state draft, revision 1 and a slug", function()
    local wf = new()
    local a = assert(wf:save(story(), "jane"))
    assert.are.equal(1, a.id)
    assert.are.equal("draft", a.status)
    assert.are.equal(1, a.revision)
    assert.are.equal("council-approves-budget", a.slug)
  end)

  it("never changes the state, whatever the table says", function()
    local wf = new()
    local a = assert(wf:save(story({ status = "published" })))
    assert.are.equal("draft", a.status)
    a.status = "approved"
    a = assert(wf:save(a))
    assert.are.equal("draft", a.status)
    assert.are.equal(2, a.revision)
  end)

  it("does not touch the caller's table", function()
    local wf = new()
    local mine = story({ headline = "  Padded   headline " })
    wf:save(mine)
    assert.is_nil(mine.id)
    assert.are.equal("  Padded   headline ", mine.headline)
  end)

  it("normalises whitespace in headline and list fields", function()
    local wf = new()
    local a = wf:save(story({ headline = "  Padded \t\n headline ", byline = { " Jane Doe " },
                              body = "<p>a</p>\r\n<p>b</p>", language = "EN" }))
    assert.are.equal("Padded headline", a.headline)
    assert.are.same({ "Jane Doe" }, a.byline)
    assert.are.equal("<p>a</p>\n<p>b</p>", a.body)
    assert.are.equal("en", a.language)
  end)

  it("keeps the validation report with the article", function()
    local wf = new()
    local a = wf:save(story({ body = "" }))
    local _, report = wf:get(a.id)
    assert.are.equal(1, report.errors)
    assert.are.equal("body_empty", report.findings[1].code)
  end)

  it("keeps an editor's slug and makes it unique", function()
    local wf = new()
    local a = wf:save(story({ slug = "budget" }))
    local b = wf:save(story({ slug = "budget" }))
    assert.are.equal("budget", a.slug)
    assert.are.equal("budget-2", b.slug)
    b = wf:save(b)
    assert.are.equal("budget-2", b.slug)
  end)

  it("falls back to article-<id> when the headline gives no slug", function()
    local wf = new()
    local a = wf:save(story({ headline = "!!!" }))
    assert.are.equal("article-1", a.slug)
  end)

  it("answers not_found for an id it does not hold, invalid_article for a bad one", function()
    local wf = new()
    local ok, code = wf:save(story({ id = 77 }))
    assert.is_nil(ok)
    assert.are.equal("not_found", code)
    ok, code = wf:save(story({ id = -1 }))
    assert.is_nil(ok)
    assert.are.equal("invalid_article", code)
    ok, code = wf:save({ headline = "x", body = function() end })
    assert.is_nil(ok)
    assert.are.equal("invalid_article", code)
  end)

  it("returns invalid_article for a self-referencing table instead of hanging", function()
    local wf = new()
    local a = story()
    a.related = { a }
    local ok, code = wf:save(a)
    assert.is_nil(ok)
    assert.are.equal("invalid_article", code)
  end)

  it("raises for a non-table", function()
    local wf = new()
    assert.has_error(function() wf:save("story") end,
      "bad argument #1 to 'save' (table expected, got string)")
  end)
end)

describe("workflow:save on hostile input", function()
  it("stores invalid UTF-8, NUL bytes and markup byte for byte", function()
    local wf = new()
    local nasty = "Bad \255\254 bytes\0 and <script>alert(1)</script> O'Brien"
    local a = assert(wf:save(story({ headline = nasty, body = nasty })))
    local got = wf:get(a.id)
    assert.are.equal(nasty, got.body)
    assert.are.equal(a.headline, got.headline)
  end)

  it("answers invalid_article for a table nested too deep to store", function()
    local wf = new()
    local deep = {}
    local t = deep
    for _ = 1, 5000 do t.x = {}; t = t.x end
    local ok, code = wf:save(story({ related = deep }))
    assert.is_nil(ok)
    assert.are.equal("invalid_article", code)
  end)

  it("stores a 4 MB body", function()
    local wf = new()
    local big = string.rep("<p>word word word</p>", 200000)
    local a = assert(wf:save(story({ body = big })))
    assert.are.equal(#big, #wf:get(a.id).body)
  end)

  it("saves odd field types and leaves them to validation", function()
    local wf = new()
    local a = assert(wf:save({ headline = 42, byline = "not a list", tags = { 1, true }, body = false }))
    assert.are.equal("draft", a.status)
  end)
end)

describe("workflow:transition", function()
  it("moves a clean story draft -> review -> approved -> published -> archived", function()
    local wf = new({ now = function() return 1795000000 end })
    local a = wf:save(story())
    for _, to in ipairs({ "review", "approved", "published", "archived" }) do
      local moved, err = wf:transition(a.id, to, "desk")
      assert.is_table(moved, tostring(err))
      assert.are.equal(to, moved.status)
    end
    local got = wf:get(a.id)
    assert.are.equal("archived", got.status)
    assert.are.equal(os.date("!%Y-%m-%dT%H:%M:%SZ", 1795000000), got.published_at)
  end)

  it("refuses a move the policy does not allow", function()
    local wf = new()
    local a = wf:save(story())
    local ok, code, msg = wf:transition(a.id, "published")
    assert.is_nil(ok)
    assert.are.equal("invalid_transition", code)
    assert.matches("draft to published", msg)
    ok, code = wf:transition(a.id, "limbo")
    assert.is_nil(ok)
    assert.are.equal("unknown_state", code)
    ok, code = wf:transition(999, "review")
    assert.is_nil(ok)
    assert.are.equal("not_found", code)
  end)

  it("blocks a story with errors and hands the caller the report", function()
    local wf = new()
    local a = wf:save(story({ body = "" }))
    local ok, report, code = wf:transition(a.id, "review")
    assert.is_nil(ok)
    assert.are.equal("blocked", code)
    assert.are.equal(1, report.errors)
    assert.are.equal("body_empty", report.findings[1].code)
    assert.are.equal("draft", wf:get(a.id).status)
    assert.are.same({}, wf:audit(a.id))
  end)

  it("blocks on the severity the policy sets for the target state", function()
    local wf = new({ workflow = { block = { review = "warning" } } })
    local a = wf:save(story({ dek = false }))
    local ok, report = wf:transition(a.id, "review")
    assert.is_nil(ok)
    assert.are.equal(1, report.warnings)
    local lax = new({ workflow = { block = { review = false } } })
    a = lax:save(story({ body = "" }))
    assert.is_table((lax:transition(a.id, "review")))
  end)

  it("follows transitions the policy sets", function()
    local wf = new({ workflow = { transitions = { draft = { "published" } } } })
    local a = wf:save(story())
    assert.is_table((wf:transition(a.id, "published")))
    local ok, code = wf:transition(a.id, "archived")
    assert.is_nil(ok)
    assert.are.equal("invalid_transition", code)
  end)

  it("lets review and approved go back to draft", function()
    local wf = new()
    local a = wf:save(story())
    wf:transition(a.id, "review")
    assert.are.equal("draft", wf:transition(a.id, "draft").status)
    wf:transition(a.id, "review")
    wf:transition(a.id, "approved")
    assert.are.equal("draft", wf:transition(a.id, "draft").status)
  end)

  it("writes who, when, from, to and the findings count to the audit trail", function()
    local wf = new({ now = function() return 1795000000 end })
    local a = wf:save(story({ dek = false }))
    wf:transition(a.id, "review", "jane")
    wf:transition(a.id, "approved", { id = 7, name = "Chief\nEditor" })
    local trail = wf:audit(a.id)
    assert.are.equal(2, #trail)
    local at = os.date("!%Y-%m-%dT%H:%M:%SZ", 1795000000)
    assert.are.same({ article = a.id, actor = "jane", at = at, from = "draft",
                      to = "review", findings = 1, errors = 0 }, trail[1])
    assert.are.equal("Chief?Editor", trail[2].actor)
  end)

  it("raises for a bad id or state argument", function()
    local wf = new()
    assert.has_error(function() wf:transition("1", "review") end,
      "bad argument #1 to 'transition' (article id expected)")
    assert.has_error(function() wf:transition(1, nil) end,
      "bad argument #2 to 'transition' (string expected, got nil)")
  end)
end)

describe("workflow hooks", function()
  it("runs built-in and own hooks in priority order, then by name", function()
    local wf = new()
    local seen = {}
    wf:on("before_save", function(a) seen[#seen + 1] = "b:" .. a.headline end, { name = "b" })
    wf:on("before_save", function(a) seen[#seen + 1] = "a:" .. tostring(a.slug) end, { name = "a" })
    wf:on("before_save", function() seen[#seen + 1] = "first" end, { name = "z", priority = 2000 })
    wf:save(story({ headline = " Spaced " }))
    -- z runs before normalisation (priority 2000 > 1000); a and b after it, before the slug
    assert.are.same({ "first", "a:nil", "b:Spaced" }, seen)
    local names = {}
    for _, h in ipairs(wf:list("before_save")) do names[#names + 1] = h.name end
    assert.are.same({ "z", "copydesk.normalise", "a", "b", "copydesk.slug", "copydesk.validate",
                      "copydesk.block_live" }, names)
  end)

  it("gives handlers the actor, from, to and the latest report", function()
    local wf = new()
    local got
    wf:on("after_transition", function(a, ctx)
      got = { id = a.id, actor = ctx.actor, from = ctx.from, to = ctx.to, warnings = ctx.report.warnings }
    end)
    local a = wf:save(story({ dek = false }))
    wf:transition(a.id, "review", "jane")
    assert.are.same({ id = a.id, actor = "jane", from = "draft", to = "review", warnings = 1 }, got)
  end)

  it("runs the publish events only on publication", function()
    local wf = new()
    local seen = {}
    wf:on("before_publish", function(_, ctx) seen[#seen + 1] = "before:" .. ctx.to end)
    wf:on("after_publish", function(a) seen[#seen + 1] = "after:" .. a.status end)
    local a = wf:save(story())
    wf:transition(a.id, "review")
    wf:transition(a.id, "approved")
    assert.are.same({}, seen)
    wf:transition(a.id, "published")
    assert.are.same({ "before:published", "after:published" }, seen)
  end)

  it("fails the transition of a raising hook, names it, and writes nothing", function()
    local wf = new()
    local a = wf:save(story())
    wf:transition(a.id, "review")
    wf:transition(a.id, "approved")
    wf:on("after_publish", function() error("CDN purge failed") end, { name = "purge-cdn", priority = -5 })
    local ok, code, msg = wf:transition(a.id, "published", "jane")
    assert.is_nil(ok)
    assert.are.equal("hook_failed", code)
    assert.matches("hook 'purge%-cdn' failed on after_publish", msg)
    local got = wf:get(a.id)
    assert.are.equal("approved", got.status)
    assert.is_nil(got.published_at)
    assert.are.equal(3, got.revision)
    assert.are.equal(2, #wf:audit(a.id))
    assert.are.equal(0, wf.store:epoch(a.id))
    -- only that transition failed: the next one works once the hook is gone
    assert.is_true(wf:off("after_publish", "purge-cdn"))
    assert.are.equal("published", wf:transition(a.id, "published").status)
    assert.are.equal(1, wf.store:epoch(a.id))
  end)

  it("writes nothing of a workflow call a hook makes that fails, and keeps the outer move", function()
    local sqlite_ok = pcall(require, "luasql.sqlite3")
    local stores = { memory.new() }
    if sqlite_ok then stores[2] = require("copydesk.store.sqlite").new({ path = ":memory:" }) end
    for _, store in ipairs(stores) do
      local wf = new({ store = store })
      local a = wf:save(story())
      local inner_result
      wf:on("before_transition", function(_, ctx)
        inner_result = { ctx.workflow:save(story({ headline = "Inner story from a hook" }), "bot") }
      end, { name = "spawn" })
      wf:on("after_save", function(art)
        if art.headline == "Inner story from a hook" then error("inner hook fails") end
      end, { name = "picky" })
      local moved = assert(wf:transition(a.id, "review", "jane"))
      assert.are.equal("review", moved.status)
      assert.is_nil(inner_result[1])
      assert.are.equal("hook_failed", inner_result[2])
      assert.is_nil(wf:get(2), store.kind)
      assert.is_nil(store:slug_owner("inner-story-from-a-hook"), store.kind)
      assert.are.equal("review", wf:get(a.id).status)
      store:close()
    end
  end)

  it("fails a save whose hook raises, leaving no article and no id used", function()
    local wf = new()
    wf:on("after_save", function() error("index down") end, { name = "search-index" })
    local ok, code, msg = wf:save(story())
    assert.is_nil(ok)
    assert.are.equal("hook_failed", code)
    assert.matches("search%-index", msg)
    assert.is_nil(wf:get(1))
    assert.is_nil(wf.store:slug_owner("council-approves-budget"))
    wf:off("after_save", "search-index")
    assert.are.equal(1, wf:save(story()).id)
  end)

  it("lets a before hook veto with a reason", function()
    local wf = new()
    wf:on("before_transition", function(_, ctx)
      if ctx.to == "review" and ctx.actor ~= "editor" then return false, "only editors" end
    end, { name = "acl" })
    local a = wf:save(story())
    local ok, code, msg = wf:transition(a.id, "review", "intern")
    assert.is_nil(ok)
    assert.are.equal("hook_rejected", code)
    assert.matches("only editors", msg)
    assert.is_table((wf:transition(a.id, "review", "editor")))
  end)

  it("lets a built-in hook be replaced", function()
    local wf = new()
    assert.is_true(wf:off("before_save", "copydesk.slug"))
    wf:on("before_save", function(a) a.slug = "fixed-" .. a.id end, { name = "my-slug", priority = -900 })
    assert.are.equal("fixed-1", wf:save(story()).slug)
  end)

  it("rejects an unknown event", function()
    local wf = new()
    assert.has_error(function() wf:on("before_lunch", function() end) end,
      "bad argument #1 to 'on' (unknown event 'before_lunch')")
  end)
end)

describe("workflow.new", function()
  it("needs a store and rejects unknown options and bad policies", function()
    assert.has_error(function() workflow.new({}) end, "bad argument #1 to 'new' (option 'store' is required)")
    assert.has_error(function() workflow.new({ store = memory.new(), stor = 1 }) end,
      "bad argument #1 to 'new' (unknown option 'stor')")
    assert.has_error(function()
      workflow.new({ store = memory.new(), workflow = { transitions = { draft = { "limbo" } } } })
    end, "bad argument #1 to 'new' (unknown state 'limbo')")
    assert.has_error(function()
      workflow.new({ store = memory.new(), workflow = { block = { review = "fatal" } } })
    end, "bad argument #1 to 'new' (bad block severity for 'review')")
  end)
end)

-- The real thing: copydesk.validate, copydesk.unique_slug and preview links.
describe("a scripted newsroom day", function()
  local copydesk = require "copydesk"

  local ORIGIN = "https://news.example"
  local clock = 1795000000
  local wf, signer, key

  local BODY = "<p>The city council voted on Tuesday to approve next year's budget after a debate that "
    .. "ran late into the evening, with members arguing over the cost of repairs to the harbour wall "
    .. "and the river bridge.</p>\n<p>The mayor said the plan would keep the libraries open and add "
    .. "two new tram lines by the end of the decade, while the opposition warned that the numbers for "
    .. "energy and housing were too optimistic.</p>"

  local function day_story(over)
    local a = {
      headline = "Council approves budget after long debate",
      dek = "Harbour repairs and tram lines win money",
      description = "The city council approved next year's budget after a long debate over harbour repairs.",
      body = BODY, byline = { "Jane Doe" }, section = "local", tags = { "council" }, language = "en",
    }
    for k, v in pairs(over or {}) do a[k] = v end
    return a
  end

  before_each(function()
    key = copydesk.preview.keygen()
    signer = copydesk.preview.signer({ origin = ORIGIN, master_key = key, kid = 1 })
    local verifier = copydesk.preview.verifier({
      origin = ORIGIN, keys = { [1] = { alg = "hmac", master_key = key } },
    })
    wf = workflow.new({ store = memory.new(), signer = signer, verifier = verifier,
                        now = function() return clock end })
  end)

  it("gives two stories with the same headline distinct slugs", function()
    local a = assert(wf:save(day_story({ headline = "Storm closes the harbour for a week" }), "jane"))
    local b = assert(wf:save(day_story({ headline = "Storm closes the harbour for a week" }), "omar"))
    assert.are.equal(copydesk.slugify("Storm closes the harbour for a week"), a.slug)
    assert.are_not.equal(a.slug, b.slug)
    assert.are.equal(a.slug .. "-2", b.slug)
  end)

  it("keeps a story with errors out of review and hands back the report", function()
    local a = assert(wf:save(day_story({ headline = "", body = "" }), "jane"))
    local moved, report, code = wf:transition(a.id, "review", "jane")
    assert.is_nil(moved)
    assert.are.equal("blocked", code)
    assert.is_table(report)
    assert.is_true(report.errors > 0)
    local codes = {}
    for _, f in ipairs(report.findings) do codes[f.code] = f.severity end
    assert.are.equal("error", codes.headline_missing)
    assert.are.equal("draft", wf:get(a.id).status)
  end)

  it("moves a clean story draft -> review -> approved -> published, with an audit trail", function()
    local a = assert(wf:save(day_story(), "jane"))
    for _, to in ipairs({ "review", "approved", "published" }) do
      local moved, err = wf:transition(a.id, to, "desk")
      assert.is_table(moved, type(err) == "table" and (err.findings[1] or {}).code or tostring(err))
      assert.are.equal(to, moved.status)
    end
    local trail = wf:audit(a.id)
    assert.are.equal(3, #trail)
    assert.are.same({ "draft", "review", "approved" }, { trail[1].from, trail[2].from, trail[3].from })
    assert.are.equal("desk", trail[3].actor)
  end)

  it("opens a preview minted in review, and answers revoked after publication", function()
    local a = assert(wf:save(day_story(), "jane"))
    assert(wf:transition(a.id, "review", "jane"))
    local url = assert(wf:preview_link(a.id, 7, { now = clock }))
    assert.matches("^" .. ORIGIN:gsub("%p", "%%%0") .. "/preview/", url)
    local seen, claims = wf:open_preview(url, { now = clock + 60 })
    assert.is_table(seen, tostring(claims))
    assert.are.equal("review", seen.status)
    assert.are.equal(a.headline, seen.headline)
    assert.are.equal(7, claims.editor)
    assert(wf:transition(a.id, "approved", "desk"))
    assert(wf:transition(a.id, "published", "desk"))
    local none, code = wf:open_preview(url, { now = clock + 120 })
    assert.is_nil(none)
    assert.are.equal("revoked", code)
  end)

  it("answers not_found for a link to a story archived after it was minted, as nginx does", function()
    local a = assert(wf:save(day_story(), "jane"))
    for _, to in ipairs({ "review", "approved", "published" }) do assert(wf:transition(a.id, to, "desk")) end
    local url = assert(wf:preview_link(a.id, 7, { now = clock }))
    assert.are.equal("published", wf:open_preview(url, { now = clock }).status)
    assert(wf:transition(a.id, "archived", "desk"))
    local none, code = wf:open_preview(url, { now = clock })
    assert.is_nil(none)
    assert.are.equal("not_found", code)
  end)

  it("locks the article row for a save and a move, not to open a preview", function()
    local store = memory.new()
    local locks = {}
    local get = store.get
    function store.get(self, id, lock)
      locks[#locks + 1] = lock == true
      return get(self, id, lock)
    end
    local verifier = copydesk.preview.verifier({ origin = ORIGIN, keys = { [1] = { master_key = key } } })
    local w = workflow.new({ store = store, signer = signer, verifier = verifier,
                             now = function() return clock end })
    local a = assert(w:save(day_story(), "jane"))
    assert(w:save(a, "jane"))
    assert(w:transition(a.id, "review", "jane"))
    assert.are.same({ true, true }, locks)
    locks = {}
    local url = assert(w:preview_link(a.id, 7, { now = clock }))
    assert.is_table((w:open_preview(url, { now = clock })))
    assert.are.same({ false, false }, locks)
  end)

  it("answers revoked for a link the store's optional deny list holds", function()
    local store = memory.new()
    local denied = {}
    function store.is_denied(_, link_id) return denied[link_id] == true end
    local verifier = copydesk.preview.verifier({ origin = ORIGIN, keys = { [1] = { master_key = key } } })
    local w = workflow.new({ store = store, signer = signer, verifier = verifier,
                             now = function() return clock end })
    local a = assert(w:save(day_story(), "jane"))
    local url, _, claims = assert(w:preview_link(a.id, 7, { now = clock }))
    assert.is_table((w:open_preview(url, { now = clock })))
    denied[claims.link_id] = true
    local none, code = w:open_preview(url, { now = clock })
    assert.is_nil(none)
    assert.are.equal("revoked", code)
  end)

  it("opens the pinned revision of a pinned link, the latest of an unpinned one", function()
    local a = assert(wf:save(day_story({ headline = "First version of the budget story" })))
    local pinned = assert(wf:preview_link(a.id, 3, { pin = true, now = clock }))
    local latest = assert(wf:preview_link(a.id, 3, { now = clock }))
    assert(wf:save(day_story({ id = a.id, headline = "Second version of the budget story" })))
    assert.are.equal("First version of the budget story", wf:open_preview(pinned, { now = clock }).headline)
    assert.are.equal("Second version of the budget story", wf:open_preview(latest, { now = clock }).headline)
  end)

  it("uses a one-time link once", function()
    local a = assert(wf:save(day_story()))
    local url = assert(wf:preview_link(a.id, 3, { once = true, now = clock }))
    assert.is_table((wf:open_preview(url, { now = clock })))
    local none, code = wf:open_preview(url, { now = clock })
    assert.is_nil(none)
    assert.are.equal("already_used", code)
  end)

  it("answers revoked after a revocation by hand, and malformed for a broken link", function()
    local a = assert(wf:save(day_story()))
    local url = assert(wf:preview_link(a.id, 3, { now = clock }))
    assert.are.equal(1, wf:revoke_previews(a.id))
    assert.are.equal("revoked", select(2, wf:open_preview(url, { now = clock })))
    local none, code = wf:open_preview(url:gsub("/preview/.*", "/preview/xyz"), { now = clock })
    assert.is_nil(none)
    assert.are.equal("malformed", code)
  end)

  it("refuses an edit of a published story that publishing would have blocked", function()
    local a = assert(wf:save(day_story(), "jane"))
    for _, to in ipairs({ "review", "approved", "published" }) do assert(wf:transition(a.id, to, "desk")) end
    local live = wf:get(a.id)
    local broken = wf:get(a.id)
    broken.body = ""
    local none, report, code = wf:save(broken, "jane")
    assert.is_nil(none)
    assert.are.equal("blocked", code)
    assert.is_true(report.errors > 0)
    local now = wf:get(a.id)
    assert.are.equal(live.revision, now.revision)
    assert.are.equal(live.body, now.body)
    -- a clean edit goes through, and a draft may hold errors while it is written
    local fixed = wf:get(a.id)
    fixed.dek = "A new dek for the story"
    assert.are.equal("published", assert(wf:save(fixed, "jane")).status)
    assert.is_table((wf:save(day_story({ body = "" }), "jane")))
  end)

  it("keeps the slug when the headline changes after publication", function()
    local a = assert(wf:save(day_story({ headline = "Council approves budget after long debate" })))
    for _, to in ipairs({ "review", "approved", "published" }) do assert(wf:transition(a.id, to, "desk")) end
    local before = wf:get(a.id).slug
    local changed = wf:get(a.id)
    changed.headline = "Council approves a smaller budget after a very long debate"
    changed.slug = nil
    local saved = assert(wf:save(changed, "jane"))
    assert.are.equal(before, saved.slug)
    assert.are.equal("Council approves a smaller budget after a very long debate", saved.headline)
    assert.are.equal("published", saved.status)
  end)

  it("runs hooks in order and keeps a failing hook to its own story", function()
    local order = {}
    wf:on("after_transition", function() order[#order + 1] = "low" end, { name = "low", priority = -10 })
    wf:on("after_transition", function() order[#order + 1] = "b" end, { name = "b" })
    wf:on("after_transition", function() order[#order + 1] = "a" end, { name = "a" })
    wf:on("after_transition", function() order[#order + 1] = "high" end, { name = "high", priority = 10 })
    wf:on("before_transition", function(art)
      if art.headline:find("cursed", 1, true) then error("wire feed down") end
    end, { name = "wire" })
    local good = assert(wf:save(day_story()))
    local bad = assert(wf:save(day_story({ headline = "A cursed story about the council budget" })))
    local ok, code, msg = wf:transition(bad.id, "review", "jane")
    assert.is_nil(ok)
    assert.are.equal("hook_failed", code)
    assert.matches("hook 'wire'", msg)
    assert.are.equal("draft", wf:get(bad.id).status)
    assert.are.same({}, order)
    assert(wf:transition(good.id, "review", "jane"))
    assert.are.same({ "high", "a", "b", "low" }, order)
  end)
end)
