--- copydesk.store.sql: the store interface over a LuaSQL connection, shared
-- by copydesk.store.sqlite and copydesk.store.postgres, which supply the
-- dialect (quoting, schema, id source). Articles are kept as JSON text.
-- Not meant to be used directly; it opens no connection of its own.
local cjson = require "cjson"

local M = {}

local Store = {}
Store.__index = Store
Store.__tostring = function(s) return "copydesk.store." .. s.kind end

local json = cjson.new()

local function int(v)
  v = tonumber(v)
  return v and math.floor(v)
end

local function num(n)
  return string.format("%d", n)
end

local function fail(self, what, err)
  error("copydesk.store." .. self.kind .. ": " .. what .. ": " .. tostring(err), 0)
end

-- Run a statement that returns no rows. @return rows affected
local function exec(self, sql)
  local res, err = self.con:execute(sql)
  if not res then fail(self, "query failed", err) end
  if type(res) ~= "number" then
    res:close()
    return 0
  end
  return res
end

-- Run a query. @return list of rows (tables with named fields)
local function query(self, sql)
  local cur, err = self.con:execute(sql)
  if not cur then fail(self, "query failed", err) end
  if type(cur) == "number" then return {} end
  local rows = {}
  while true do
    local row = cur:fetch({}, "a")
    if not row then break end
    rows[#rows + 1] = row
  end
  cur:close()
  return rows
end

local function first(self, sql)
  return query(self, sql)[1]
end

--- Wrap an open LuaSQL connection. d (the dialect) holds:
-- kind, text(self, s) -> SQL literal, doc(self, s) -> SQL literal for a
-- document, undoc(v) -> document text, doc_column(name) -> select
-- expression, schema(prefix) -> list of statements, begin (statement),
-- schema_lock (statement or nil, run before creating the schema),
-- next_id(self) -> id, for_update (suffix or "").
--- Check the options table of a store constructor against `options` (name
-- -> Lua type) and its table prefix; raises at the constructor's caller.
-- @return the table prefix
function M.check_options(opts, options)
  if type(opts) ~= "table" then
    error("bad argument #1 to 'new' (table expected, got " .. type(opts) .. ")", 3)
  end
  for k, v in pairs(opts) do
    if not options[k] then error("bad argument #1 to 'new' (unknown option '" .. tostring(k) .. "')", 3) end
    if type(v) ~= options[k] then
      error("bad argument #1 to 'new' (option '" .. k .. "' must be a " .. options[k] .. ")", 3)
    end
  end
  local prefix = opts.prefix or "copydesk_"
  if not prefix:match("^[a-z_][a-z0-9_]*$") or #prefix > 40 then
    error("bad argument #1 to 'new' (option 'prefix' must match [a-z_][a-z0-9_]*)", 3)
  end
  return prefix
end

--- A store over a fresh connection of LuaSQL environment env: runs
-- setup(con) (or nothing) and creates the schema; on any failure closes
-- both and returns nil, "store_unavailable", message.
function M.open(env, con, d, prefix, setup)
  local store = setmetatable({
    con = con, env = env, d = d, kind = d.kind, p = prefix, depth = 0,
  }, Store)
  local ok, err = pcall(function()
    if setup then setup(con) end
    store:init_schema()
  end)
  if not ok then
    store:close()
    return nil, "store_unavailable", tostring(err)
  end
  return store
end

--- Create the tables when missing (idempotent).
function Store:init_schema()
  self:transaction(function()
    if self.d.schema_lock then query(self, self.d.schema_lock) end
    for _, sql in ipairs(self.d.schema(self.p)) do exec(self, sql) end
  end)
  return self
end

local function finish(self, ok, ...)
  self.depth = 0
  if not ok then
    local err = ...
    local rok, rerr = self.con:execute("ROLLBACK")
    if not rok then err = tostring(err) .. " (and rollback failed: " .. tostring(rerr) .. ")" end
    error(err, 0)
  end
  local cok, cerr = self.con:execute("COMMIT")
  if not cok then
    self.con:execute("ROLLBACK")
    fail(self, "commit failed", cerr)
  end
  return ...
end

-- A nested transaction is a savepoint: if it raises, the database goes back
-- to where it began and the enclosing transaction carries on.
local function finish_nested(self, sp, ok, ...)
  self.depth = self.depth - 1
  if not ok then
    local err = ...
    local rok, rerr = self.con:execute("ROLLBACK TO SAVEPOINT " .. sp)
    if rok then rok, rerr = self.con:execute("RELEASE SAVEPOINT " .. sp) end
    if not rok then err = tostring(err) .. " (and rollback failed: " .. tostring(rerr) .. ")" end
    error(err, 0)
  end
  exec(self, "RELEASE SAVEPOINT " .. sp)
  return ...
end

--- Run fn(store, ...) in one database transaction: committed if fn
-- returns, rolled back (and the error raised again) if it raises. A nested
-- call is a savepoint: if it raises, only its own changes are rolled back.
function Store:transaction(fn, ...)
  if self.depth > 0 then
    local sp = "copydesk_sp" .. string.format("%d", self.depth)
    exec(self, "SAVEPOINT " .. sp)
    self.depth = self.depth + 1
    return finish_nested(self, sp, pcall(fn, self, ...))
  end
  exec(self, self.d.begin)
  self.depth = 1
  return finish(self, pcall(fn, self, ...))
end

-- Each method runs in its own transaction when called outside one.
local function atomic(self, fn, ...)
  if self.depth > 0 then return fn(self, ...) end
  return self:transaction(fn, ...)
end

function Store:next_id()
  return atomic(self, function() return self.d.next_id(self) end)
end

function Store:put(article, report)
  return atomic(self, function()
    local p, t = self.p, self.d.text
    local id = article.id
    local row = first(self, "SELECT revision FROM " .. p .. "articles WHERE id = " .. num(id)
      .. self.d.for_update)
    local rev = (row and int(row.revision) or 0) + 1
    article.revision = rev
    local doc = self.d.doc(self, json.encode(article))
    local rep = report and self.d.doc(self, json.encode(report)) or "NULL"
    local slug = article.slug ~= nil and t(self, tostring(article.slug)) or "NULL"
    local status = t(self, tostring(article.status or "draft"))
    exec(self, "INSERT INTO " .. p .. "articles (id, slug, status, revision, epoch, doc, report) VALUES ("
      .. num(id) .. ", " .. slug .. ", " .. status .. ", " .. num(rev) .. ", 0, " .. doc .. ", " .. rep
      .. ") ON CONFLICT (id) DO UPDATE SET slug = excluded.slug, status = excluded.status, "
      .. "revision = excluded.revision, doc = excluded.doc, report = excluded.report")
    exec(self, "INSERT INTO " .. p .. "revisions (article, revision, doc) VALUES (" .. num(id) .. ", "
      .. num(rev) .. ", " .. doc .. ")")
    return rev
  end)
end

local function decode(self, v)
  if v == nil then return nil end
  return json.decode(self.d.undoc(v))
end

function Store:get(id, lock)
  local dc = self.d.doc_column
  -- With lock, inside a transaction, the read locks the row until it ends
  -- (PostgreSQL; SQLite's BEGIN IMMEDIATE already serialises writers): a save
  -- and a publish of one article cannot both start from the same revision and
  -- lose one update. Reads that write nothing back (previews) take no lock.
  local row = first(self, "SELECT " .. dc("doc") .. " AS doc, " .. dc("report") .. " AS report FROM "
    .. self.p .. "articles WHERE id = " .. num(id) .. ((lock and self.depth > 0) and self.d.for_update or ""))
  if not row then return nil end
  return decode(self, row.doc), decode(self, row.report)
end

function Store:get_revision(id, n)
  local row = first(self, "SELECT " .. self.d.doc_column("doc") .. " AS doc FROM " .. self.p
    .. "revisions WHERE article = " .. num(id) .. " AND revision = " .. num(n))
  return row and decode(self, row.doc) or nil
end

function Store:slug_owner(slug)
  local row = first(self, "SELECT id FROM " .. self.p .. "articles WHERE slug = " .. self.d.text(self, slug))
  return row and int(row.id) or nil
end

function Store:epoch(id)
  local row = first(self, "SELECT epoch FROM " .. self.p .. "articles WHERE id = " .. num(id))
  return row and int(row.epoch) or nil
end

function Store:bump_epoch(id)
  return atomic(self, function()
    local n = exec(self, "UPDATE " .. self.p .. "articles SET epoch = epoch + 1 WHERE id = " .. num(id))
    if int(n) == 0 then return nil end
    return self:epoch(id)
  end)
end

function Store:append_audit(e)
  local t = self.d.text
  local function opt(v) return v ~= nil and t(self, tostring(v)) or "NULL" end
  exec(self, "INSERT INTO " .. self.p .. "audit (article, actor, at, from_state, to_state, findings, errors)"
    .. " VALUES (" .. num(e.article) .. ", " .. opt(e.actor) .. ", " .. opt(e.at) .. ", " .. opt(e.from)
    .. ", " .. opt(e.to) .. ", " .. num(e.findings or 0) .. ", " .. num(e.errors or 0) .. ")")
end

function Store:audit(id)
  local out = {}
  for i, r in ipairs(query(self, "SELECT article, actor, at, from_state, to_state, findings, errors FROM "
      .. self.p .. "audit WHERE article = " .. num(id) .. " ORDER BY seq")) do
    out[i] = {
      article = int(r.article), actor = r.actor, at = r.at, from = r.from_state, to = r.to_state,
      findings = int(r.findings), errors = int(r.errors),
    }
  end
  return out
end

function Store:use_link(link_id)
  local n = exec(self, "INSERT INTO " .. self.p .. "used_links (link_id) VALUES ("
    .. self.d.text(self, link_id) .. ") ON CONFLICT (link_id) DO NOTHING")
  return int(n) == 1
end

function Store:close()
  if self.closed then return true end
  self.closed = true
  self.con:close()
  self.env:close()
  return true
end

return M
