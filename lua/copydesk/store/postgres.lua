--- copydesk.store.postgres: the store interface on PostgreSQL through
-- LuaSQL (luasql.postgres), for sites whose web nodes share one database.
-- Documents are bytea (exact bytes, whatever the database encoding); text
-- values go through libpq's escaping. The schema is created on first use
-- under an advisory lock; ids come from a sequence. One connection per
-- store object.
local sql = require "copydesk.store.sql"

local M = {}

local HEX, UNHEX = {}, {}
for i = 0, 255 do
  local c, h = string.char(i), string.format("%02x", i)
  HEX[c] = h
  UNHEX[h] = c
  UNHEX[h:upper()] = c
end

local function text(self, s)
  s = s:gsub("%z", "")
  local e, err = self.con:escape(s)
  if not e then error("copydesk.store.postgres: cannot escape text: " .. tostring(err), 0) end
  return "'" .. e .. "'"
end

local dialect = {
  kind = "postgres",
  text = text,
  doc = function(_, s) return "decode('" .. s:gsub(".", HEX) .. "', 'hex')" end,
  undoc = function(v) return (v:gsub("%x%x", UNHEX)) end,
  doc_column = function(c) return "encode(" .. c .. ", 'hex')" end,
  begin = "BEGIN",
  for_update = " FOR UPDATE",
  schema_lock = "SELECT pg_advisory_xact_lock(4242424242)",
  next_id = function(self)
    local cur = assert(self.con:execute("SELECT nextval('" .. self.p .. "article_ids')"))
    local v = cur:fetch()
    cur:close()
    return math.floor(tonumber(v))
  end,
  schema = function(p)
    return {
      "CREATE TABLE IF NOT EXISTS " .. p .. "articles (id bigint PRIMARY KEY, slug text UNIQUE, "
        .. "status text NOT NULL, revision integer NOT NULL, epoch integer NOT NULL DEFAULT 0, "
        .. "doc bytea NOT NULL, report bytea)",
      "CREATE TABLE IF NOT EXISTS " .. p .. "revisions (article bigint NOT NULL, "
        .. "revision integer NOT NULL, doc bytea NOT NULL, PRIMARY KEY (article, revision))",
      "CREATE TABLE IF NOT EXISTS " .. p .. "audit (seq bigserial PRIMARY KEY, "
        .. "article bigint NOT NULL, actor text, at text, from_state text, to_state text, "
        .. "findings integer NOT NULL, errors integer NOT NULL)",
      "CREATE INDEX IF NOT EXISTS " .. p .. "audit_article ON " .. p .. "audit (article, seq)",
      "CREATE TABLE IF NOT EXISTS " .. p .. "used_links (link_id text PRIMARY KEY, "
        .. "used_at timestamptz DEFAULT now())",
      "CREATE SEQUENCE IF NOT EXISTS " .. p .. "article_ids",
    }
  end,
}

local OPTIONS = {
  conninfo = "string", database = "string", user = "string", password = "string",
  host = "string", port = "number", prefix = "string",
}

-- Every text of opts a connection error could echo that may be a secret:
-- the password option; in a conninfo string the value after "password="
-- (up to the next keyword, quotes off) and a URI's user-info. Each whole,
-- and word by word: libpq quotes a malformed value in pieces.
local function secrets(opts)
  local list = {}
  local function add(v)
    if not v or v == "" then return end
    list[#list + 1] = v
    for w in v:gmatch("[^%s&]+") do list[#list + 1] = w end
  end
  add(opts.password)
  local ci = opts.conninfo
  if ci then
    local lower = ci:lower()
    local from = 1
    while true do
      local _, e = lower:find("password%s*=%s*", from)
      if not e then break end
      local rest = ci:sub(e + 1)
      local v = rest:match("^(.-)%s+[%a_]+%s*=") or rest
      add((v:gsub("^'(.*)'$", "%1")))
      from = e + 1
    end
    local userinfo = ci:match("^%a[%w+.-]*://([^/?#]*)@")
    if userinfo then
      add(userinfo)
      add(userinfo:match(":(.*)$"))
    end
  end
  table.sort(list, function(a, b) return #a > #b end)
  return list
end

-- err with every secret of opts replaced by "***" (libpq does not echo
-- passwords, but a conninfo it cannot parse comes back in its message).
local function redact(err, opts)
  for _, secret in ipairs(secrets(opts)) do
    local out, at = {}, 1
    while true do
      local i, j = err:find(secret, at, true)
      if not i then break end
      out[#out + 1] = err:sub(at, i - 1) .. "***"
      at = j + 1
    end
    out[#out + 1] = err:sub(at)
    err = table.concat(out)
  end
  return err
end

--- Connect to PostgreSQL and create the schema when missing.
-- opts: conninfo (a libpq connection string, e.g. "host=127.0.0.1 port=5432
-- dbname=news user=cms"), or database, user, password, host, port;
-- prefix (table name prefix, default "copydesk_").
-- @return store | nil, "store_unavailable", message (never holding the password)
function M.new(opts)
  local prefix = sql.check_options(opts, OPTIONS)
  if opts.conninfo and (opts.database or opts.user or opts.password or opts.host or opts.port) then
    error("bad argument #1 to 'new' (give either 'conninfo' or the separate connection options)", 2)
  end
  if not opts.conninfo and not opts.database then
    error("bad argument #1 to 'new' (option 'conninfo' or 'database' is required)", 2)
  end
  local ok, driver = pcall(require, "luasql.postgres")
  if not ok then return nil, "store_unavailable", "LuaSQL's postgres driver is not installed" end
  local env = driver.postgres()
  local con, err
  if opts.conninfo then
    con, err = env:connect(opts.conninfo)
  else
    con, err = env:connect(opts.database, opts.user, opts.password, opts.host,
      opts.port and string.format("%d", opts.port) or nil)
  end
  if not con then
    env:close()
    return nil, "store_unavailable", redact(tostring(err), opts)
  end
  return sql.open(env, con, dialect, prefix)
end

return M
