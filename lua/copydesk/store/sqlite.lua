--- copydesk.store.sqlite: the store interface on SQLite through LuaSQL
-- (luasql.sqlite3), the embedded default. The schema is created on first
-- use; every write runs in a transaction (BEGIN IMMEDIATE, so writers queue
-- rather than fail). One connection per store object: not for sharing
-- between threads.
local sql = require "copydesk.store.sql"

local M = {}

local function text(_, s)
  -- JSON and slugs never hold NUL; anything else must not reach the
  -- statement text, where it would end the string early.
  s = s:gsub("%z", "")
  return "'" .. s:gsub("'", "''") .. "'"
end

local dialect = {
  kind = "sqlite",
  text = text,
  doc = text,                       -- cjson escapes NUL as \u0000
  undoc = function(v) return v end,
  doc_column = function(c) return c end,
  begin = "BEGIN IMMEDIATE",
  for_update = "",
  next_id = function(self)
    local cur = assert(self.con:execute("SELECT value FROM " .. self.p .. "ids WHERE name = 'article'"))
    local v = cur:fetch()
    cur:close()
    local id = math.floor(tonumber(v)) + 1
    assert(self.con:execute("UPDATE " .. self.p .. "ids SET value = " .. string.format("%d", id)
      .. " WHERE name = 'article'"))
    return id
  end,
  schema = function(p)
    return {
      "CREATE TABLE IF NOT EXISTS " .. p .. "articles (id INTEGER PRIMARY KEY, slug TEXT UNIQUE, "
        .. "status TEXT NOT NULL, revision INTEGER NOT NULL, epoch INTEGER NOT NULL DEFAULT 0, "
        .. "doc TEXT NOT NULL, report TEXT)",
      "CREATE TABLE IF NOT EXISTS " .. p .. "revisions (article INTEGER NOT NULL, "
        .. "revision INTEGER NOT NULL, doc TEXT NOT NULL, PRIMARY KEY (article, revision))",
      "CREATE TABLE IF NOT EXISTS " .. p .. "audit (seq INTEGER PRIMARY KEY AUTOINCREMENT, "
        .. "article INTEGER NOT NULL, actor TEXT, at TEXT, from_state TEXT, to_state TEXT, "
        .. "findings INTEGER NOT NULL, errors INTEGER NOT NULL)",
      "CREATE INDEX IF NOT EXISTS " .. p .. "audit_article ON " .. p .. "audit (article, seq)",
      "CREATE TABLE IF NOT EXISTS " .. p .. "used_links (link_id TEXT PRIMARY KEY, "
        .. "used_at TEXT DEFAULT CURRENT_TIMESTAMP)",
      "CREATE TABLE IF NOT EXISTS " .. p .. "ids (name TEXT PRIMARY KEY, value INTEGER NOT NULL)",
      "INSERT OR IGNORE INTO " .. p .. "ids (name, value) VALUES ('article', 0)",
    }
  end,
}

local OPTIONS = { path = "string", prefix = "string", busy_timeout = "number" }

--- Open (creating if needed) an SQLite store.
-- opts: path (file name, or ":memory:"; required), prefix (table name
-- prefix, default "copydesk_"), busy_timeout (milliseconds to wait for a
-- lock held by another process, default 5000).
-- @return store | nil, "store_unavailable", message
function M.new(opts)
  local prefix = sql.check_options(opts, OPTIONS)
  if not opts.path then error("bad argument #1 to 'new' (option 'path' is required)", 2) end
  local ok, driver = pcall(require, "luasql.sqlite3")
  if not ok then return nil, "store_unavailable", "LuaSQL's sqlite3 driver is not installed" end
  local env = driver.sqlite3()
  local con, err = env:connect(opts.path)
  if not con then
    env:close()
    return nil, "store_unavailable", tostring(err)
  end
  local timeout = opts.busy_timeout or 5000
  return sql.open(env, con, dialect, prefix, function()
    local cur = assert(con:execute("PRAGMA busy_timeout = " .. string.format("%d", math.floor(timeout))))
    if type(cur) ~= "number" then cur:close() end
  end)
end

return M
