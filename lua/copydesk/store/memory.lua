--- copydesk.store.memory: the store interface over Lua tables, for tests
-- and one-process tools. Articles are kept as JSON text, as the SQL stores
-- keep them, so a caller never shares a table with the store. Nothing
-- survives the process. The interface is described in README ("Stores").
local cjson = require "cjson"

local M = {}

local Store = {}
Store.__index = Store
Store.__tostring = function() return "copydesk.store.memory" end

--- A new, empty memory store. Takes no options (an empty table is accepted).
function M.new(opts)
  if opts ~= nil and type(opts) ~= "table" then
    error("bad argument #1 to 'new' (table expected, got " .. type(opts) .. ")", 2)
  end
  for k in pairs(opts or {}) do
    error("bad argument #1 to 'new' (unknown option '" .. tostring(k) .. "')", 2)
  end
  return setmetatable({
    kind = "memory",
    rows = {},        -- id -> { doc, report, slug, status, revision, epoch }
    revisions = {},   -- id -> { [n] = doc }
    slugs = {},       -- slug -> id
    audits = {},      -- list of entries, oldest first
    used = {},        -- link id -> true
    last_id = 0,
    depth = 0,        -- transaction nesting
    undo = nil,       -- closures undoing this transaction's changes
  }, Store)
end

local function journal(self, fn)
  if self.undo then self.undo[#self.undo + 1] = fn end
end

local function finish(self, ok, ...)
  self.depth = 0
  local undo = self.undo
  self.undo = nil
  if not ok then
    for i = #undo, 1, -1 do undo[i]() end
    error((...), 0)
  end
  return ...
end

-- A nested transaction that raises undoes its own changes (back to mark)
-- and nothing of the enclosing one, as an SQL savepoint does.
local function finish_nested(self, mark, ok, ...)
  self.depth = self.depth - 1
  if not ok then
    local undo = self.undo
    for i = #undo, mark + 1, -1 do
      undo[i]()
      undo[i] = nil
    end
    error((...), 0)
  end
  return ...
end

--- Run fn(store, ...) atomically: its changes stay if it returns, and are
-- all undone if it raises (the error is then raised again). A nested call
-- is a savepoint within the transaction already running: if it raises,
-- only its own changes are undone.
function Store:transaction(fn, ...)
  if self.depth > 0 then
    self.depth = self.depth + 1
    return finish_nested(self, #self.undo, pcall(fn, self, ...))
  end
  self.undo = {}
  self.depth = 1
  return finish(self, pcall(fn, self, ...))
end

--- A fresh article id (integer >= 1), above every committed one (a rolled-back
-- transaction gives its ids back).
function Store:next_id()
  local old = self.last_id
  self.last_id = old + 1
  journal(self, function() self.last_id = old end)
  return self.last_id
end

--- Write article (article.id set) as its next revision, with its latest
-- validation report (a table or nil). Sets article.revision.
-- @return the revision number (1 for the first write)
function Store:put(article, report)
  local id = article.id
  local row = self.rows[id]
  local rev = (row and row.revision or 0) + 1
  article.revision = rev
  local doc = cjson.encode(article)
  local slug = article.slug
  if slug ~= nil and self.slugs[slug] ~= nil and self.slugs[slug] ~= id then
    error("copydesk.store.memory: slug '" .. tostring(slug) .. "' is taken", 0)
  end
  local new = {
    doc = doc, report = report and cjson.encode(report) or nil, slug = slug,
    status = article.status, revision = rev, epoch = row and row.epoch or 0,
  }
  local old_slug = row and row.slug
  self.rows[id] = new
  if old_slug ~= nil then self.slugs[old_slug] = nil end
  if slug ~= nil then self.slugs[slug] = id end
  local revs = self.revisions[id]
  if not revs then revs = {}; self.revisions[id] = revs end
  revs[rev] = doc
  journal(self, function()
    revs[rev] = nil
    if slug ~= nil then self.slugs[slug] = nil end
    if old_slug ~= nil then self.slugs[old_slug] = id end
    self.rows[id] = row
  end)
  return rev
end

--- The latest revision of article id and its report: article, report | nil.
-- (A second argument asks SQL stores to lock the row; one process has
-- nothing to lock here.)
function Store:get(id)
  local row = self.rows[id]
  if not row then return nil end
  return cjson.decode(row.doc), row.report and cjson.decode(row.report) or nil
end

--- Revision n of article id: article | nil.
function Store:get_revision(id, n)
  local revs = self.revisions[id]
  local doc = revs and revs[n]
  if not doc then return nil end
  return cjson.decode(doc)
end

--- The id of the article holding slug, or nil.
function Store:slug_owner(slug)
  return self.slugs[slug]
end

--- The preview epoch of article id (0 until bumped), or nil without such article.
function Store:epoch(id)
  local row = self.rows[id]
  return row and row.epoch
end

--- Add one to the preview epoch of article id. @return the new epoch, or nil.
function Store:bump_epoch(id)
  local row = self.rows[id]
  if not row then return nil end
  local old = row.epoch
  row.epoch = old + 1
  journal(self, function() row.epoch = old end)
  return row.epoch
end

--- Append an audit entry { article, actor, at, from, to, findings, errors }.
function Store:append_audit(e)
  local list = self.audits
  list[#list + 1] = {
    article = e.article, actor = e.actor, at = e.at, from = e.from, to = e.to,
    findings = e.findings, errors = e.errors,
  }
  local n = #list
  journal(self, function() list[n] = nil end)
end

--- The audit entries of article id, oldest first.
function Store:audit(id)
  local out = {}
  for _, e in ipairs(self.audits) do
    if e.article == id then
      out[#out + 1] = {
        article = e.article, actor = e.actor, at = e.at, from = e.from, to = e.to,
        findings = e.findings, errors = e.errors,
      }
    end
  end
  return out
end

--- Mark a one-time link id as used. @return true the first time, false after.
function Store:use_link(link_id)
  if self.used[link_id] then return false end
  self.used[link_id] = true
  journal(self, function() self.used[link_id] = nil end)
  return true
end

--- Release the store. Further use raises.
function Store:close()
  setmetatable(self, { __index = function() error("copydesk.store.memory: store is closed", 2) end })
  return true
end

return M
