--- copydesk.workflow: the editorial state machine over a store, with hooks.
-- Saving normalises, slugs and validates an article; transitions move it
-- between states when the policy allows and its findings do not block;
-- preview links are minted and opened against the store's revisions and
-- preview epochs. Every operation runs in one store transaction: a hook
-- that fails leaves nothing half-written. It does no I/O of its own.
local cjson = require "cjson"
local hooks = require "copydesk.hooks"

local M = {}

M.STATES = { "draft", "review", "approved", "scheduled", "published", "archived" }
M.EVENTS = {
  "before_save", "after_save", "before_transition", "after_transition",
  "before_publish", "after_publish", "preview_link", "open_preview",
}

local STATE = {}
for _, s in ipairs(M.STATES) do STATE[s] = true end

--- The default workflow policy: allowed transitions and the severity that
-- blocks a move into each state ("error", "warning", "info" or false).
function M.default_policy()
  return {
    transitions = {
      draft = { "review" },
      review = { "approved", "draft" },
      approved = { "scheduled", "published", "draft" },
      scheduled = { "published", "approved" },
      published = { "archived" },
      archived = {},
    },
    block = {
      draft = false, review = "error", approved = "error", scheduled = "error",
      published = "error", archived = false,
    },
  }
end

local W = setmetatable({}, { __index = hooks.Registry })
W.__index = W
W.__tostring = function() return "copydesk.workflow" end

local json = cjson.new()

local function copy(v)
  local ok, text = pcall(json.encode, v)
  if not ok then return nil, text end
  return json.decode(text)
end

local function is_int(v, min)
  return type(v) == "number" and v == v and v >= (min or 0) and v < 1e14 and v == math.floor(v)
end

local function iso(t)
  return os.date("!%Y-%m-%dT%H:%M:%SZ", t)
end

-- The copydesk module, loaded when first needed (it loads this module too).
local function copydesk()
  return package.loaded.copydesk or require "copydesk"
end

-- Store results come back from JSON: ids and revisions as numbers that
-- may be floats on Lua 5.3+. Make them integers again.
local function fix_ints(article)
  if article then
    if type(article.id) == "number" then article.id = math.floor(article.id) end
    if type(article.revision) == "number" then article.revision = math.floor(article.revision) end
  end
  return article
end

-- Runs fn(store) in one transaction. fn returns its results, or calls
-- abort(...) to roll back everything and return those values instead.
local ABORT = {}
local function abort(a, b, c)
  error({ [ABORT] = true, a, b, c }, 0)
end

local function finish(ok, ...)
  if ok then return ... end
  local e = ...
  if type(e) == "table" and e[ABORT] then return e[1], e[2], e[3] end
  local msg = type(e) == "string" and e or tostring(e)
  return nil, "store_error", msg
end

local function atomic(self, fn)
  local store = self.store
  return finish(pcall(store.transaction, store, fn))
end

local function check_policy(p)
  local out = M.default_policy()
  if p == nil then return out end
  if type(p) ~= "table" then
    error("bad argument #1 to 'new' (option 'workflow' must be a table)", 3)
  end
  for k, v in pairs(p) do
    if k ~= "transitions" and k ~= "block" then
      error("bad argument #1 to 'new' (unknown workflow option '" .. tostring(k) .. "')", 3)
    end
    if type(v) ~= "table" then
      error("bad argument #1 to 'new' (workflow option '" .. k .. "' must be a table)", 3)
    end
  end
  if p.transitions then
    out.transitions = {}
    for from, tos in pairs(p.transitions) do
      if not STATE[from] or type(tos) ~= "table" then
        error("bad argument #1 to 'new' (bad transitions for '" .. tostring(from) .. "')", 3)
      end
      for _, to in ipairs(tos) do
        if not STATE[to] then
          error("bad argument #1 to 'new' (unknown state '" .. tostring(to) .. "')", 3)
        end
      end
      out.transitions[from] = tos
    end
  end
  if p.block then
    for state, sev in pairs(p.block) do
      if not STATE[state] or not (sev == false or sev == "error" or sev == "warning" or sev == "info") then
        error("bad argument #1 to 'new' (bad block severity for '" .. tostring(state) .. "')", 3)
      end
      out.block[state] = sev
    end
  end
  return out
end

-- Whether report holds findings at or above severity sev.
local function blocks(report, sev)
  if not sev or type(report) ~= "table" then return false end
  local errors, warnings, infos = report.errors or 0, report.warnings or 0, report.infos or 0
  if sev == "error" then return errors > 0 end
  if sev == "warning" then return errors + warnings > 0 end
  return errors + warnings + infos > 0
end

-- Validate article for a stage. copydesk.validate picks the stage from the
-- article's status, which the workflow sets to the target state first.
local function validate(self, article, stage)
  if self.validator then return self.validator(article, stage) end
  local v = copydesk().validate
  if type(v) ~= "function" then
    error("copydesk.validate is not available (give the workflow a 'validator')", 0)
  end
  return v(article, self.validation_policy)
end

local function slugify(self, text, taken)
  if self.slugger then return self.slugger(text, taken) end
  local u = copydesk().unique_slug
  if type(u) ~= "function" then
    error("copydesk.unique_slug is not available (give the workflow a 'slugger')", 0)
  end
  return u(text, taken, self.slug_options)
end

local function count(report)
  if type(report) ~= "table" then return 0, 0 end
  local n = type(report.findings) == "table" and #report.findings or 0
  return n, report.errors or 0
end

local function actor_text(actor)
  if type(actor) == "table" then actor = actor.name or actor.id end
  if actor == nil then return nil end
  local s = tostring(actor)
  if #s > 200 then s = s:sub(1, 200) end
  -- Keep audit text plain: control bytes and non-ASCII become '?', so any
  -- database accepts it whatever its encoding.
  return (s:gsub("[%z\1-\31\127-\255]", "?"))
end

-- Built-in hooks ---------------------------------------------------------

local WS = "[ \t\r\n\f\v]"

local function trim(s)
  return (s:gsub("^" .. WS .. "+", ""):gsub(WS .. "+$", ""))
end

local function normalise(article)
  for _, k in ipairs({ "headline", "dek", "description", "section", "language", "slug",
                       "canonical_url" }) do
    if type(article[k]) == "string" then article[k] = trim(article[k]) end
  end
  if type(article.headline) == "string" then
    article.headline = article.headline:gsub(WS .. "+", " ")
  end
  if type(article.body) == "string" then
    article.body = article.body:gsub("\r\n?", "\n")
  end
  if type(article.language) == "string" then article.language = article.language:lower() end
  for _, k in ipairs({ "byline", "tags" }) do
    local list = article[k]
    if type(list) == "table" then
      for i, v in ipairs(list) do
        if type(v) == "string" then list[i] = trim(v) end
      end
    end
  end
  if article.slug == "" then article.slug = nil end
end

-- Published once: the slug is part of a public URL and never changes.
local function slug_frozen(existing)
  return existing ~= nil and existing.slug ~= nil and (existing.status == "published"
    or existing.status == "archived" or existing.published_at ~= nil)
end

local function install_builtins(self)
  self:on("before_save", function(article)
    normalise(article)
  end, { name = "copydesk.normalise", priority = 1000 })

  self:on("before_save", function(article, ctx)
    if slug_frozen(ctx.existing) then
      article.slug = ctx.existing.slug
      return
    end
    local store, id = ctx.store, article.id
    local function taken(s)
      local owner = store:slug_owner(s)
      return owner ~= nil and owner ~= id
    end
    local base = article.slug
    if type(base) ~= "string" or base == "" then base = article.headline end
    local slug
    if type(base) == "string" and base ~= "" then slug = slugify(self, base, taken) end
    if type(slug) ~= "string" or slug == "" then
      slug = slugify(self, string.format("article-%d", id), taken) or string.format("article-%d", id)
    end
    article.slug = slug
  end, { name = "copydesk.slug", priority = -900 })

  self:on("before_save", function(article, ctx)
    ctx.report = validate(self, article, article.status)
  end, { name = "copydesk.validate", priority = -1000 })

  -- Content that is live, or goes live without another move, keeps the bar
  -- it had to pass to get there: an edit with blocking findings is refused.
  self:on("before_save", function(_, ctx)
    local state = ctx.existing and ctx.existing.status
    if (state == "published" or state == "scheduled")
        and blocks(ctx.report, self.workflow_policy.block[state]) then
      ctx.blocked = true
      return false, "findings block this edit of a " .. state .. " story"
    end
  end, { name = "copydesk.block_live", priority = -1001 })

  self:on("before_transition", function(_, ctx)
    if blocks(ctx.report, self.workflow_policy.block[ctx.to]) then
      ctx.blocked = true
      return false, "findings block the move to " .. ctx.to
    end
  end, { name = "copydesk.block", priority = 1000 })

  self:on("after_publish", function(article, ctx)
    ctx.epoch = ctx.store:bump_epoch(article.id)
  end, { name = "copydesk.revoke_previews", priority = 1000 })

  self:on("preview_link", function(_, ctx)
    local s = self.signer
    ctx.url, ctx.token, ctx.claims = s:link(ctx.link)
    if not ctx.url then return false, ctx.token end
  end, { name = "copydesk.mint", priority = -1000 })
end

-- Constructor ------------------------------------------------------------

local OPTIONS = {
  store = "table", policy = "table", workflow = "table", signer = "table", verifier = "table",
  now = "function", slug_options = "table", validator = "function", slugger = "function",
}

--- A new workflow. opts: store (required), policy (the validation policy,
-- passed to copydesk.validate), workflow ({ transitions, block }; defaults
-- from M.default_policy()), signer and verifier (copydesk.preview objects,
-- needed for preview links), now (clock, seconds), slug_options (passed to
-- copydesk.unique_slug), validator(article, stage) -> report and
-- slugger(text, taken) -> slug (replace copydesk.validate / unique_slug).
function M.new(opts)
  if type(opts) ~= "table" then
    error("bad argument #1 to 'new' (table expected, got " .. type(opts) .. ")", 2)
  end
  for k, v in pairs(opts) do
    local want = OPTIONS[k]
    if not want then
      error("bad argument #1 to 'new' (unknown option '" .. tostring(k) .. "')", 2)
    end
    -- signer/verifier are userdata or tables depending on the implementation
    if type(v) ~= want and not ((k == "signer" or k == "verifier" or k == "store" or k == "policy")
        and type(v) == "userdata") then
      error("bad argument #1 to 'new' (option '" .. k .. "' must be a " .. want .. ")", 2)
    end
  end
  if opts.store == nil then
    error("bad argument #1 to 'new' (option 'store' is required)", 2)
  end
  local wp = check_policy(opts.workflow or (type(opts.policy) == "table" and opts.policy.workflow or nil))
  local self = hooks.new({ events = M.EVENTS })
  self.store = opts.store
  self.policy = opts.policy
  -- copydesk.validate rejects keys it does not know: it gets the policy
  -- without the workflow's own part.
  local vp = opts.policy
  if type(vp) == "table" and vp.workflow ~= nil then
    vp = {}
    for k, v in pairs(opts.policy) do
      if k ~= "workflow" then vp[k] = v end
    end
  end
  self.validation_policy = vp
  self.workflow_policy = wp
  self.signer = opts.signer
  self.verifier = opts.verifier
  self.now = opts.now or os.time
  self.slug_options = opts.slug_options
  self.validator = opts.validator
  self.slugger = opts.slugger
  setmetatable(self, W)
  install_builtins(self)
  return self
end

-- Methods ----------------------------------------------------------------

local function run(self, event, article, ctx)
  ctx.event = event
  local ok, code, msg, name = self:run(event, article, ctx)
  if ok then return true end
  if ctx.blocked then abort(nil, ctx.report, "blocked") end
  abort(nil, code, msg, name)
end

--- Save an article (a table in the article model). A new article (no id)
-- gets an id and state "draft"; an existing one keeps its stored state
-- whatever the table says. Runs before_save hooks (normalise, slug,
-- validate, and for a published or scheduled story the block of its
-- state), writes a new revision with the report, runs after_save.
-- @return the stored article (with id, slug, status, revision), or nil,
-- report, "blocked", or nil, code, message
function W:save(article, actor)
  if type(article) ~= "table" then
    error("bad argument #1 to 'save' (table expected, got " .. type(article) .. ")", 2)
  end
  local a, err = copy(article)
  if type(a) ~= "table" then return nil, "invalid_article", err end
  if a.id ~= nil and not is_int(a.id, 1) then
    return nil, "invalid_article", "id must be an integer from 1 to 10^14"
  end
  return atomic(self, function(store)
    local existing, report
    if a.id ~= nil then
      existing, report = store:get(a.id, true) -- locked until the save commits
      if not existing then abort(nil, "not_found", "no article " .. string.format("%d", a.id)) end
      fix_ints(existing)
      a.status = existing.status
    else
      a.id = store:next_id()
      a.status = "draft"
    end
    local ctx = {
      actor = actor, from = existing and existing.status, to = a.status, report = report,
      existing = existing, store = store, workflow = self,
    }
    run(self, "before_save", a, ctx)
    a.id = existing and existing.id or a.id
    a.status = existing and existing.status or "draft"
    store:put(a, ctx.report)
    run(self, "after_save", a, ctx)
    return a
  end)
end

--- The latest revision of article id and its report, or revision n: article, report | nil, "not_found".
function W:get(id, revision)
  if not is_int(id, 1) then
    error("bad argument #1 to 'get' (article id expected)", 2)
  end
  if revision ~= nil and not is_int(revision, 1) then
    error("bad argument #2 to 'get' (revision number expected)", 2)
  end
  local a, r
  if revision then a = self.store:get_revision(id, revision) else a, r = self.store:get(id) end
  if not a then return nil, "not_found" end
  return fix_ints(a), r
end

--- Whether the policy lets an article move from one state to another.
function W:allowed(from, to)
  for _, s in ipairs(self.workflow_policy.transitions[from] or {}) do
    if s == to then return true end
  end
  return false
end

--- Move article id to state `to`. The article is validated for that stage;
-- findings at the policy's blocking severity stop the move.
-- @return the article, or nil, report, "blocked", or nil, code, message
function W:transition(id, to, actor)
  if not is_int(id, 1) then
    error("bad argument #1 to 'transition' (article id expected)", 2)
  end
  if type(to) ~= "string" then
    error("bad argument #2 to 'transition' (string expected, got " .. type(to) .. ")", 2)
  end
  if not STATE[to] then return nil, "unknown_state", "no state '" .. to .. "'" end
  return atomic(self, function(store)
    local a = fix_ints(store:get(id, true)) -- locked until the move commits
    if not a then abort(nil, "not_found", "no article " .. string.format("%d", id)) end
    local from = a.status
    if not self:allowed(from, to) then
      abort(nil, "invalid_transition", "cannot move from " .. tostring(from) .. " to " .. to)
    end
    a.status = to
    if to == "published" and a.published_at == nil then a.published_at = iso(self.now()) end
    local report = validate(self, a, to)
    local ctx = { actor = actor, from = from, to = to, report = report, store = store, workflow = self }
    run(self, "before_transition", a, ctx)
    if to == "published" then run(self, "before_publish", a, ctx) end
    a.id, a.status = id, to
    store:put(a, ctx.report)
    local findings, errors = count(ctx.report)
    store:append_audit({
      article = id, actor = actor_text(actor), at = iso(self.now()), from = from, to = to,
      findings = findings, errors = errors,
    })
    run(self, "after_transition", a, ctx)
    if to == "published" then run(self, "after_publish", a, ctx) end
    return a
  end)
end

--- The audit trail of article id, oldest first: { article, actor, at, from, to, findings, errors }.
function W:audit(id)
  if not is_int(id, 1) then
    error("bad argument #1 to 'audit' (article id expected)", 2)
  end
  return self.store:audit(id)
end

--- Bump the preview epoch of article id: every earlier link answers "revoked".
-- @return the new epoch, or nil, "not_found"
function W:revoke_previews(id)
  if not is_int(id, 1) then
    error("bad argument #1 to 'revoke_previews' (article id expected)", 2)
  end
  return atomic(self, function(store)
    local e = store:bump_epoch(id)
    if not e then abort(nil, "not_found") end
    return e
  end)
end

local LINK_OPTS = { revision = true, pin = true, ttl = true, once = true, now = true }

--- Mint a preview link to article id for editor (an integer id).
-- opts: revision = n (pin that revision), pin = true (pin the current
-- revision), ttl, once, now (passed to signer:link). Without a pin the link
-- opens the latest revision. Runs the preview_link hooks (a hook may veto).
-- @return url, token, claims | nil, code, message
function W:preview_link(id, editor, opts)
  if not self.signer then error("preview_link: this workflow has no signer", 2) end
  if not is_int(id, 1) then
    error("bad argument #1 to 'preview_link' (article id expected)", 2)
  end
  if not is_int(editor, 0) then
    error("bad argument #2 to 'preview_link' (editor id expected)", 2)
  end
  if opts ~= nil and type(opts) ~= "table" then
    error("bad argument #3 to 'preview_link' (table expected, got " .. type(opts) .. ")", 2)
  end
  opts = opts or {}
  for k in pairs(opts) do
    if not LINK_OPTS[k] then
      error("bad argument #3 to 'preview_link' (unknown option '" .. tostring(k) .. "')", 2)
    end
  end
  if opts.revision ~= nil and not is_int(opts.revision, 0) then
    error("bad argument #3 to 'preview_link' (option 'revision' must be an integer >= 0)", 2)
  end
  return atomic(self, function(store)
    local a, report = store:get(id)
    a = fix_ints(a)
    if not a then abort(nil, "not_found") end
    local rev = opts.revision or (opts.pin and a.revision) or 0
    if rev > 0 and not store:get_revision(id, rev) then abort(nil, "not_found", "no such revision") end
    local ctx = {
      actor = editor, from = a.status, to = a.status, report = report, store = store, workflow = self,
      link = {
        article = id, revision = rev, epoch = store:epoch(id), editor = editor,
        ttl = opts.ttl, once = opts.once, now = opts.now,
      },
    }
    run(self, "preview_link", a, ctx)
    if not ctx.url then abort(nil, "no_link", "no preview_link hook minted a link") end
    return ctx.url, ctx.token, ctx.claims
  end)
end

--- Open a preview link (URL or token): verify it with the verifier, check it
-- against the store in the order nginx does (article exists, link not
-- denied, article not archived, epoch current, pinned revision exists,
-- one-time link unused), run the open_preview hooks. opts: now (seconds,
-- for the verifier).
-- @return article (the pinned revision if the link pins one), claims | nil, code
function W:open_preview(url_or_token, opts)
  if not self.verifier then error("open_preview: this workflow has no verifier", 2) end
  if type(url_or_token) ~= "string" then
    error("bad argument #1 to 'open_preview' (string expected, got " .. type(url_or_token) .. ")", 2)
  end
  if opts ~= nil and type(opts) ~= "table" then
    error("bad argument #2 to 'open_preview' (table expected, got " .. type(opts) .. ")", 2)
  end
  local now = opts and opts.now
  return atomic(self, function(store)
    local a, report
    local claims, code = self.verifier:verify(url_or_token, {
      now = now,
      check = function(c)
        a, report = store:get(c.article)
        if a == nil then return "not_found" end
        -- A deny list is optional in the store interface.
        if type(store.is_denied) == "function" and store:is_denied(c.link_id) then return "revoked" end
        if a.status == "archived" then return "not_found" end
        if c.epoch ~= store:epoch(c.article) then return "revoked" end
        if c.revision > 0 then
          a, report = store:get_revision(c.article, c.revision), nil
          if a == nil then return "not_found" end
        end
        if c.once and not store:use_link(c.link_id) then return "already_used" end
        return nil
      end,
    })
    if not claims then abort(nil, code) end
    a = fix_ints(a)
    local ctx = {
      actor = claims.editor, from = a.status, to = a.status, report = report, claims = claims,
      store = store, workflow = self,
    }
    run(self, "open_preview", a, ctx)
    return a, claims
  end)
end

return M
