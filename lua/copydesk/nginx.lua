--- copydesk.nginx: serves signed preview links from nginx's Lua module
-- (access_by_lua* / content_by_lua* / header_filter_by_lua*). It takes the
-- token from the request path only, verifies it with a copydesk.preview
-- verifier, checks the article's state through the store, and renders the
-- preview page. It never mints links and never writes articles; the page
-- renderer (M.render) and the decision (server:lookup) are plain Lua so they
-- can be tested outside nginx.
local M = {}

-- Sent with every preview response, success, redirect or failure alike.
M.headers = {
  ["Cache-Control"] = "private, no-store",
  ["X-Robots-Tag"] = "noindex, nofollow",
  ["Referrer-Policy"] = "no-referrer",
  ["X-Content-Type-Options"] = "nosniff",
  ["Content-Security-Policy"] = "default-src 'none'; img-src 'self' https: data:; "
    .. "style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
}

-- The one failure page: the same bytes whatever went wrong.
M.not_found_page = table.concat {
  '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">',
  '<meta name="robots" content="noindex"><title>Not found</title></head>\n',
  '<body><h1>Not found</h1><p>This preview link is not valid.</p></body></html>\n',
}

-- Verification codes that point at a forged or broken link (logged at warn);
-- the others are the ordinary life of a link (expired, revoked, used: info).
local SUSPICIOUS = {
  malformed = true, unsupported_version = true, unknown_key = true, key_mismatch = true,
  bad_signature = true, not_yet_valid = true, ttl_too_long = true,
}

local TOKEN_MAX = 200   -- longer than any token (104 or 147 characters)

---------------------------------------------------------------------------
-- Text helpers
---------------------------------------------------------------------------

local REPLACEMENT = "\239\191\189"   -- U+FFFD

-- Replace ill-formed UTF-8 with U+FFFD (at most 64 repairs, then the rest
-- is dropped: a hostile string cannot make this loop long).
local function clean_utf8(s)
  local check = require("copydesk").utf8_check
  if check(s) then return s end
  local out, n = {}, 0
  while n < 64 do
    local ok, _, at = check(s)
    if ok then out[#out + 1] = s; return table.concat(out) end
    out[#out + 1] = s:sub(1, at - 1)
    out[#out + 1] = REPLACEMENT
    s = s:sub(at + 1)
    n = n + 1
  end
  return table.concat(out)
end

local ESCAPES = { ["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;", ['"'] = "&quot;", ["'"] = "&#39;" }

--- HTML-escape a value for text or a quoted attribute. Non-strings other
-- than numbers become "". Control characters (but tab and newline) are
-- dropped and ill-formed UTF-8 becomes U+FFFD.
function M.escape(v)
  if type(v) == "number" then v = tostring(v) end
  if type(v) ~= "string" then return "" end
  v = v:gsub("[%z\1-\8\11-\31\127]", "")
  v = clean_utf8(v)
  return (v:gsub("[&<>\"']", ESCAPES))
end
local escape = M.escape

local function text_of(v)
  if type(v) == "string" then return v end
  if type(v) == "number" then return tostring(v) end
  return nil
end

-- An image or canonical URL we are willing to emit: absolute http(s), or a
-- path on this site. Anything else (javascript:, data:, protocol-relative
-- "//host") is refused.
local function safe_url(u, allow_path)
  if type(u) ~= "string" or #u > 2048 or u:find("[%z\1-\32\127\"'<>\\]") then return nil end
  local scheme = u:match("^(%a[%w+.-]*):")
  if scheme then
    scheme = scheme:lower()
    if (scheme == "https" or scheme == "http") and u:find("^%a+://[^/]") then return u end
    return nil
  end
  if allow_path and u:find("^/[^/]") then return u end
  return nil
end
M.safe_url = safe_url

local function byline_text(b)
  local names = {}
  if type(b) == "string" then
    names[1] = b
  elseif type(b) == "table" then
    for i = 1, math.min(#b, 50) do
      local n = text_of(b[i])
      if n and n:find("%S") then names[#names + 1] = n end
    end
  end
  if #names == 0 then return nil end
  if #names == 1 then return names[1] end
  return table.concat(names, ", ", 1, #names - 1) .. " and " .. names[#names]
end

local function utc(t, fmt)
  return os.date("!" .. fmt, math.floor(t))
end

---------------------------------------------------------------------------
-- The page
---------------------------------------------------------------------------

local STYLE = [[
body{margin:0;font:18px/1.55 Georgia,"Times New Roman",serif;color:#1a1a1a;background:#fafafa}
.cd-banner{position:sticky;top:0;z-index:10;background:#b3261e;color:#fff;
font:600 16px/1.4 system-ui,sans-serif;padding:.7em 1em;text-align:center}
.cd-banner time{font-weight:400}
article{max-width:44rem;margin:2rem auto;padding:0 1rem}
h1{font-size:2.2rem;line-height:1.2;margin:.2em 0}
.dek{font-size:1.25rem;color:#444;margin:.2em 0 1em}
.byline{font:14px system-ui,sans-serif;color:#555;text-transform:uppercase;letter-spacing:.04em}
figure{margin:1.5em 0}figure img{max-width:100%;height:auto;display:block}
figcaption{font:14px/1.4 system-ui,sans-serif;color:#555;margin-top:.4em}
.credit{color:#777}.cd-withheld{font-style:italic;color:#777}
]]

local function default_sanitize()
  local copydesk = require "copydesk"
  if type(copydesk.sanitize_html) == "function" then
    return copydesk.sanitize_html
  end
  error("copydesk.nginx: copydesk.sanitize_html is not available", 3)
end

local function figure(img)
  if type(img) ~= "table" then return nil end
  local src = safe_url(img.url, true)
  if not src then return nil end
  local parts = { '<figure><img src="', escape(src), '" alt="', escape(text_of(img.alt) or ""), '"' }
  local w, h = tonumber(img.width), tonumber(img.height)
  if w and h and w >= 1 and h >= 1 and w < 100000 and h < 100000 then
    -- whole pixels: %d raises on 1.5 in Lua 5.3+
    parts[#parts + 1] = string.format(' width="%d" height="%d"', math.floor(w), math.floor(h))
  end
  parts[#parts + 1] = ' loading="lazy">'
  local caption, credit = text_of(img.caption), text_of(img.credit)
  if caption or credit then
    parts[#parts + 1] = "<figcaption>"
    if caption then parts[#parts + 1] = escape(caption) end
    if credit then
      parts[#parts + 1] = (caption and " " or "")
        .. '<span class="credit">Credit: ' .. escape(credit) .. "</span>"
    end
    parts[#parts + 1] = "</figcaption>"
  end
  parts[#parts + 1] = "</figure>"
  return table.concat(parts)
end

--- Render the preview page of an article.
-- @param article the article table (DESIGN.md's model)
-- @param claims  the verified claims (exp is shown in the banner)
-- @param opts    { sanitize = function(html) -> html | nil, code
--                  (default copydesk.sanitize_html), site_name = "…" }
-- @return the page (a string)
function M.render(article, claims, opts)
  if type(article) ~= "table" then
    error("bad argument #1 to 'render' (table expected, got " .. type(article) .. ")", 2)
  end
  if type(claims) ~= "table" then
    error("bad argument #2 to 'render' (table expected, got " .. type(claims) .. ")", 2)
  end
  opts = opts or {}
  local sanitize = opts.sanitize or default_sanitize()
  local out = {}
  local function put(s) out[#out + 1] = s end

  local lang = text_of(article.language)
  if not (lang and #lang <= 35 and lang:find("^%a[%w-]*$")) then lang = "en" end
  local headline = text_of(article.headline) or ""
  local exp = tonumber(claims.exp)

  put('<!DOCTYPE html>\n<html lang="' .. escape(lang) .. '">\n<head>\n<meta charset="utf-8">\n')
  put('<meta name="robots" content="noindex">\n<meta name="referrer" content="no-referrer">\n')
  put('<meta name="viewport" content="width=device-width, initial-scale=1">\n')
  put("<title>Preview: " .. escape(headline) .. "</title>\n<style>" .. STYLE .. "</style>\n</head>\n<body>\n")

  put('<div class="cd-banner" role="status">Preview — not published')
  if exp then
    put(' · link expires <time datetime="' .. utc(exp, "%Y-%m-%dT%H:%M:%SZ") .. '">'
      .. utc(exp, "%Y-%m-%d %H:%M UTC") .. "</time>")
  end
  local site = text_of(opts.site_name)
  if site then put(" · " .. escape(site)) end
  put("</div>\n<article>\n")

  put("<h1>" .. escape(headline) .. "</h1>\n")
  local dek = text_of(article.dek)
  if dek and dek:find("%S") then put('<p class="dek">' .. escape(dek) .. "</p>\n") end
  local by = byline_text(article.byline)
  if by then put('<p class="byline">By ' .. escape(by) .. "</p>\n") end

  local images = type(article.images) == "table" and article.images or {}
  local lead = figure(images[1])
  if lead then put(lead .. "\n") end

  local body = text_of(article.body)
  if body and body:find("%S") then
    local ok, html, code = pcall(sanitize, body)
    if ok and type(html) == "string" then
      put('<div class="body">\n' .. html .. "\n</div>\n")
    else
      put('<p class="cd-withheld">The body could not be shown safely ('
        .. escape(ok and code or "sanitize_error") .. ").</p>\n")
    end
  end

  for i = 2, math.min(#images, 100) do
    local f = figure(images[i])
    if f then put(f .. "\n") end
  end
  put("</article>\n</body>\n</html>\n")
  return table.concat(out)
end

---------------------------------------------------------------------------
-- The decision: token -> 200 page, 302 redirect or 404
---------------------------------------------------------------------------

--- The token of a request path: "<prefix><token>" exactly (no further
-- slash). A query string is ignored: the token comes from the path only.
function M.token_from_path(path, prefix)
  if type(path) ~= "string" then return nil end
  prefix = prefix or "/preview/"
  path = path:match("^[^?#]*")
  if path:sub(1, #prefix) ~= prefix then return nil end
  local token = path:sub(#prefix + 1)
  if token == "" or #token > TOKEN_MAX or token:find("/", 1, true) then return nil end
  return token
end

local Server = {}
Server.__index = Server

local function call_store(store, method, ...)
  local fn = store[method]
  if type(fn) ~= "function" then
    error("copydesk.nginx: the store has no method '" .. method .. "'", 0)
  end
  return fn(store, ...)
end

--- A preview server.
-- opts: verifier (required: an object with :verify(token, { now, check })),
--       store (required: a store object, or a function returning one, called
--              once per worker on first use),
--       prefix = "/preview/", sanitize, site_name,
--       canonical = function(article) -> url (when the article has no
--              canonical_url), log = function(level, code, detail).
function M.new(opts)
  if type(opts) ~= "table" then
    error("bad argument #1 to 'new' (table expected, got " .. type(opts) .. ")", 2)
  end
  local known = { verifier = "table", store = true, prefix = "string", sanitize = "function",
    site_name = "string", canonical = "function", log = "function" }
  for k, v in pairs(opts) do
    if not known[k] then
      error("bad argument #1 to 'new' (unknown option '" .. tostring(k) .. "')", 2)
    end
    if known[k] ~= true and type(v) ~= known[k] and not (k == "verifier" and type(v) == "userdata") then
      error("bad argument #1 to 'new' (option '" .. k .. "' must be a " .. known[k] .. ")", 2)
    end
  end
  if not opts.verifier then error("bad argument #1 to 'new' (option 'verifier' is required)", 2) end
  local st = type(opts.store)
  if st ~= "table" and st ~= "function" and st ~= "userdata" then
    error("bad argument #1 to 'new' (option 'store' must be a store or a function)", 2)
  end
  return setmetatable({
    verifier = opts.verifier,
    store_or_factory = opts.store,
    prefix = opts.prefix or "/preview/",
    sanitize = opts.sanitize,
    site_name = opts.site_name,
    canonical = opts.canonical,
    log = opts.log,
  }, Server)
end

function Server:store()
  local s = self.opened
  if not s then
    local f = self.store_or_factory
    if type(f) == "function" then s = f() else s = f end
    if s == nil then error("copydesk.nginx: the store factory returned nothing", 0) end
    self.opened = s
  end
  return s
end

local function canonical_of(self, article)
  local u = safe_url(article.canonical_url, false)
  if u then return u end
  if self.canonical then
    local ok, v = pcall(self.canonical, article)
    if ok then return safe_url(v, true) end
  end
  return nil
end

--- Decide what a token answers. Pure Lua: no ngx.
-- @return a result table: { status = 200, article, claims } |
--         { status = 302, location, claims } | { status = 404, code }
function Server:lookup(token, now)
  if type(token) ~= "string" then return { status = 404, code = "malformed" } end
  local store = self:store()
  local found, published
  local function check(claims)
    local article = call_store(store, "get", claims.article)
    if type(article) ~= "table" then return "not_found" end
    -- A deny list is optional in the store interface.
    if type(store.is_denied) == "function" and store:is_denied(claims.link_id) then return "revoked" end
    if article.status == "published" then
      -- The content is public: no epoch, no one-time use, just the way out.
      published = article
      return nil
    end
    if article.status == "archived" then return "not_found" end
    if call_store(store, "epoch", claims.article) ~= claims.epoch then return "revoked" end
    if claims.revision and claims.revision ~= 0 then
      article = call_store(store, "get_revision", claims.article, claims.revision)
      if type(article) ~= "table" then return "not_found" end
    end
    if claims.once and not call_store(store, "use_link", claims.link_id) then
      return "already_used"
    end
    found = article
    return nil
  end
  local claims, code = self.verifier:verify(token, { now = now, check = check })
  if not claims then return { status = 404, code = code or "malformed" } end
  if published then
    local location = canonical_of(self, published)
    if not location then
      return { status = 404, code = "not_found", detail = "published, no canonical URL" }
    end
    return { status = 302, location = location, claims = claims }
  end
  return { status = 200, article = found, claims = claims }
end

function Server:page(result)
  return M.render(result.article, result.claims, { sanitize = self.sanitize, site_name = self.site_name })
end

---------------------------------------------------------------------------
-- The nginx side
---------------------------------------------------------------------------

local function ngx_api()
  local ngx = rawget(_G, "ngx")
  if type(ngx) ~= "table" then error("copydesk.nginx: not running inside nginx's Lua module", 3) end
  return ngx
end

--- Set the preview headers on the current response (any phase that may
-- set headers, header_filter_by_lua* included).
function M.set_headers()
  local ngx = ngx_api()
  for k, v in pairs(M.headers) do ngx.header[k] = v end
end

-- nginx appends the request line, token included, to whatever a request
-- logs; a zero-delay timer logs outside the request, so the log gets the
-- code and never the token. (Under a flood of bad links the timers may run
-- out, and those lines are dropped rather than delaying the answer.)
local function log_line(level, msg)
  local ngx = ngx_api()
  ngx.timer.at(0, function(premature)
    if not premature then ngx.log(level, msg) end
  end)
end

local function log_result(self, ngx, r)
  local c = r.claims
  local detail = c and string.format("article=%s link=%s", tostring(c.article), tostring(c.link_id)) or ""
  if self.log then return self.log(r.status, r.code, detail) end
  if r.status == 404 then
    local level = SUSPICIOUS[r.code] and ngx.WARN or ngx.INFO
    log_line(level, "copydesk preview 404: " .. tostring(r.code)
      .. (r.detail and (" (" .. r.detail .. ")") or "") .. " client=" .. tostring(ngx.var.remote_addr))
  elseif r.status == 302 then
    log_line(ngx.INFO, "copydesk preview 302 to canonical: " .. detail)
  end
end

function Server:decide(ngx)
  local method = ngx.req.get_method()
  local token = M.token_from_path(ngx.var.request_uri, self.prefix)
  if method ~= "GET" and method ~= "HEAD" then
    return { status = 404, code = "method_not_allowed" }
  end
  if not token then return { status = 404, code = "malformed" } end
  local ok, r = pcall(self.lookup, self, token, ngx.time())
  if not ok then
    log_line(ngx.ERR, "copydesk preview: " .. tostring(r))
    return { status = 404, code = "internal_error" }
  end
  return r
end

local function finish(ngx, status, body)
  ngx.status = status
  ngx.header["Content-Type"] = "text/html; charset=utf-8"
  ngx.print(body)
  return ngx.exit(ngx.HTTP_OK)
end

local function respond_failure_or_redirect(ngx, r)
  M.set_headers()
  if r.status == 302 then
    ngx.header["Location"] = r.location
    return finish(ngx, 302, "")
  end
  return finish(ngx, 404, M.not_found_page)
end

--- access_by_lua*: verify; on failure answer 404 (or 302 for a published
-- story) and end the request; on success leave the verified article in
-- ngx.ctx.copydesk and, for a proxied CMS, the request headers
-- X-Copydesk-Article and X-Copydesk-Revision.
function Server:access()
  local ngx = ngx_api()
  local r = self:decide(ngx)
  log_result(self, ngx, r)
  if r.status ~= 200 then return respond_failure_or_redirect(ngx, r) end
  ngx.ctx.copydesk = r
  ngx.req.set_header("X-Copydesk-Article", tostring(r.claims.article))
  ngx.req.set_header("X-Copydesk-Revision", tostring(r.claims.revision or 0))
end

--- content_by_lua*: render the page verified by access(), or verify here
-- when there is no access phase.
function Server:content()
  local ngx = ngx_api()
  local r = ngx.ctx.copydesk
  if not r then
    r = self:decide(ngx)
    log_result(self, ngx, r)
  end
  if r.status ~= 200 then return respond_failure_or_redirect(ngx, r) end
  local ok, page = pcall(self.page, self, r)
  M.set_headers()
  if not ok then
    log_line(ngx.ERR, "copydesk preview: render failed: " .. tostring(page))
    return finish(ngx, 404, M.not_found_page)
  end
  return finish(ngx, 200, page)
end
Server.serve = Server.content

---------------------------------------------------------------------------
-- Configuration from files (init_by_lua*), the default server
---------------------------------------------------------------------------

local function read_file(path)
  local f, err = io.open(path, "rb")
  if not f then return nil, err end
  local s = f:read("*a")
  f:close()
  return s
end

local function preview_module()
  local copydesk = require "copydesk"
  if type(copydesk.preview) == "table" then return copydesk.preview end
  return require "copydesk.preview"
end

--- Read a 32-byte key from a file holding its base64url text (what
-- `copydesk keygen` writes), through copydesk.preview.read_key_file.
-- Raises naming the file and the code, never the file's content.
function M.read_key(path, what)
  what = what or "key file"
  if type(path) ~= "string" then
    error("copydesk.nginx: " .. what .. " path expected, got " .. type(path), 2)
  end
  local key, code = preview_module().read_key_file(path)
  if not key then
    error("copydesk.nginx: cannot use " .. what .. " " .. path .. " (" .. tostring(code) .. ")", 2)
  end
  return key
end

-- Load a Lua data file (the keyring config) with no access to globals.
local function load_data(path)
  local src, err = read_file(path)
  if not src then error("copydesk.nginx: cannot read config " .. path .. " (" .. tostring(err) .. ")", 3) end
  local env = {}
  local chunk, perr
  local setfenv = rawget(_G, "setfenv")
  if setfenv then   -- Lua 5.1 and LuaJIT
    chunk, perr = rawget(_G, "loadstring")(src, "=" .. path)
    if chunk then setfenv(chunk, env) end
  else
    chunk, perr = load(src, "=" .. path, "t", env)
  end
  if not chunk then error("copydesk.nginx: " .. tostring(perr), 3) end
  local ok, t = pcall(chunk)
  if not ok then error("copydesk.nginx: config " .. path .. " failed: " .. tostring(t), 3) end
  if type(t) ~= "table" then error("copydesk.nginx: config " .. path .. " must return a table", 3) end
  return t
end

local function store_opener(store_cfg)
  store_cfg = store_cfg or {}
  return function()
    local opts = {}
    for k, v in pairs(store_cfg) do
      if k ~= "driver" then opts[k] = v end
    end
    local driver = store_cfg.driver or "sqlite"
    local store, code, msg = require("copydesk.store." .. driver).new(opts)
    if not store then
      error("copydesk.nginx: cannot open the " .. driver .. " store: " .. tostring(code)
        .. (msg and (" (" .. tostring(msg) .. ")") or ""), 0)
    end
    return store
  end
end

--- Load a keyring config (a Lua file returning a table, or the table; see
-- examples/keyring.lua) and build from it what a site needs.
-- @return { config = the table, verifier = copydesk.preview verifier,
--   signer = signer of signer_kid (nil when that key is not a master key
--   here), open_store = function() -> a new store of config.store }
function M.keyring(path_or_table)
  local cfg = path_or_table
  if type(cfg) == "string" then cfg = load_data(cfg) end
  if type(cfg) ~= "table" then
    error("bad argument #1 to 'keyring' (config path or table expected)", 2)
  end
  if type(cfg.keys) ~= "table" then error("copydesk.nginx: the keyring config has no keys", 2) end
  local preview = preview_module()
  local keys, signer = {}, nil
  for kid, k in pairs(cfg.keys) do
    local entry = { alg = k.alg or "hmac", retired = k.retired or nil }
    if k.public_key_file then entry.public_key = M.read_key(k.public_key_file, "public key file") end
    if k.key_file then entry.master_key = M.read_key(k.key_file, "key file") end
    if kid == cfg.signer_kid and entry.master_key then
      signer = preview.signer { origin = cfg.origin, master_key = entry.master_key, kid = kid,
        alg = entry.alg, ttl = cfg.ttl, max_ttl = cfg.max_ttl }
    end
    keys[kid] = entry
  end
  local verifier = preview.verifier { origin = cfg.origin, keys = keys,
    leeway = cfg.leeway, max_ttl = cfg.max_ttl }
  for _, k in pairs(keys) do   -- the verifier and signer hold their own copies
    k.master_key, k.public_key = nil, nil
  end
  return { config = cfg, verifier = verifier, signer = signer, open_store = store_opener(cfg.store) }
end

--- Configure the default server (M.serve, M.access, M.content) from a
-- keyring config. Key files are read here: call it from init_by_lua*,
-- where the master may still read a root-only key file; workers inherit
-- the keys and open their own store on start (M.init_worker) or first use.
-- @return the server
function M.configure(path_or_table)
  local ring = M.keyring(path_or_table)
  local cfg = ring.config
  local base = cfg.canonical_base
  local server = M.new {
    verifier = ring.verifier, store = ring.open_store, prefix = cfg.prefix, site_name = cfg.site_name,
    canonical = base and function(a)
      return type(a.slug) == "string" and (base .. a.slug) or nil
    end or nil,
  }
  M.default = server
  return server
end

local function default_server()
  local s = M.default
  if not s then error("copydesk.nginx: call configure() in init_by_lua* first", 3) end
  return s
end

--- init_worker_by_lua*: open this worker's store now rather than on the
-- first request (each worker is its own process with its own connection).
function M.init_worker()
  local s = default_server()
  local ok, err = pcall(s.store, s)
  if not ok then ngx_api().log(ngx_api().ERR, "copydesk preview: cannot open the store: ", tostring(err)) end
end

function M.access() return default_server():access() end
function M.content() return default_server():content() end
M.serve = M.content
--- header_filter_by_lua*: the preview headers on a proxied response.
function M.header_filter() return M.set_headers() end

return M
