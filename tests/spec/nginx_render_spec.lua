-- copydesk.nginx outside nginx: the page renderer, the path rule, and the
-- decision (200 / 302 / 404) over a store, with the real copydesk.preview
-- signer and verifier when they are built in.
local nginx = require "copydesk.nginx"
local copydesk = require "copydesk"

local function html_identity(s) return s end

local article = {
  id = 42, status = "review", preview_epoch = 0, language = "en",
  headline = "Harbour <ferry> & the \"night\" crossing",
  dek = "Crews say the new timetable 'works'",
  byline = { "Ana Ruiz", "Tom <b>Lee</b>", "Mei Chen" },
  body = "<p>First paragraph.</p>",
  images = {
    { url = "https://img.example/ferry.jpg", alt = "The ferry <at> dawn", caption = "At dawn",
      credit = "Photo: Harbour & Co", width = 1200, height = 675 },
    { url = "javascript:alert(1)", alt = "bad" },
    { url = "//evil.example/x.png", alt = "protocol-relative" },
    { url = "/static/map.svg", alt = "Map of the route" },
  },
}
local claims = { article = 42, revision = 0, epoch = 0, exp = 1795867200, once = false, link_id = "00" }

describe("copydesk.nginx.render", function()
  local page = nginx.render(article, claims, { sanitize = html_identity })

  it("marks the page noindex and shows the preview banner with the expiry time in UTC", function()
    assert.truthy(page:find('<meta name="robots" content="noindex">', 1, true))
    assert.truthy(page:find("Preview — not published", 1, true))
    assert.truthy(page:find(os.date("!%Y-%m-%d %H:%M UTC", claims.exp), 1, true))
    assert.truthy(page:find('datetime="' .. os.date("!%Y-%m-%dT%H:%M:%SZ", claims.exp) .. '"', 1, true))
  end)

  it("HTML-escapes the headline, dek, byline, alt text and credit", function()
    local h1 = "<h1>Harbour &lt;ferry&gt; &amp; the &quot;night&quot; crossing</h1>"
    assert.truthy(page:find(h1, 1, true))
    assert.truthy(page:find("Crews say the new timetable &#39;works&#39;", 1, true))
    assert.truthy(page:find("By Ana Ruiz, Tom &lt;b&gt;Lee&lt;/b&gt; and Mei Chen", 1, true))
    assert.truthy(page:find('alt="The ferry &lt;at&gt; dawn"', 1, true))
    assert.truthy(page:find("Credit: Photo: Harbour &amp; Co", 1, true))
    assert.falsy(page:find("<ferry>", 1, true))
  end)

  it("keeps http(s) and site-path image URLs, drops javascript: and protocol-relative ones", function()
    assert.truthy(page:find('src="https://img.example/ferry.jpg"', 1, true))
    assert.truthy(page:find('src="/static/map.svg"', 1, true))
    assert.falsy(page:find("javascript:", 1, true))
    assert.falsy(page:find("evil.example", 1, true))
  end)

  it("writes image sizes as whole pixels, whatever number type they come as", function()
    local a = { id = 1, headline = "H", body = "",
      images = { { url = "/a.jpg", alt = "A", width = 640.5, height = 360.25 } } }
    local p = nginx.render(a, claims, { sanitize = html_identity })
    assert.truthy(p:find('width="640" height="360"', 1, true))
  end)

  it("puts the body through the sanitizer it is given", function()
    local seen
    local p = nginx.render(article, claims, { sanitize = function(s) seen = s; return "<p>CLEAN</p>" end })
    assert.are.equal(article.body, seen)
    assert.truthy(p:find("<p>CLEAN</p>", 1, true))
    assert.falsy(p:find("First paragraph", 1, true))
  end)

  it("shows no body when the sanitizer refuses it or raises", function()
    local p = nginx.render(article, claims, { sanitize = function() return nil, "html_parse" end })
    assert.falsy(p:find("First paragraph", 1, true))
    assert.truthy(p:find("could not be shown safely (html_parse)", 1, true))
    p = nginx.render(article, claims, { sanitize = function() error("boom") end })
    assert.falsy(p:find("First paragraph", 1, true))
  end)

  it("survives wrong field types, invalid UTF-8, NUL bytes and a bad language tag", function()
    local p = nginx.render({ headline = "bad \255\254 utf8\0 here", dek = {}, byline = 7, body = false,
      images = "no", language = '"><script>' }, {}, { sanitize = html_identity })
    assert.truthy(copydesk.utf8_check(p))
    assert.truthy(p:find("bad \239\191\189\239\191\189 utf8 here", 1, true))
    assert.truthy(p:find('<html lang="en">', 1, true))
    assert.falsy(p:find("<script>", 1, true))
  end)

  it("sanitizes the body with copydesk.sanitize_html by default: no script, handler, javascript:", function()
    local hostile = {
      headline = "H", body = '<p onclick="steal()">Hi <a href="jav&#x09;ascript:alert(1)">x</a></p>'
        .. '<script>alert(1)</script><img src=x onerror=alert(1)><iframe src="https://evil.example"></iframe>'
        .. '<a href="https://ok.example" target="_blank">ok</a><style>body{}</style>',
    }
    local p = nginx.render(hostile, claims)
    local body = p:match('<div class="body">(.-)</div>')
    assert.truthy(body)
    assert.truthy(body:find("Hi", 1, true))
    assert.truthy(body:find('href="https://ok.example"', 1, true))
    for _, bad in ipairs { "<script", "onclick", "onerror", "javascript", "<iframe", "<style" } do
      assert.falsy(body:lower():find(bad, 1, true), bad)
    end
  end)

  it("raises for a missing article or claims table", function()
    assert.has_error(function() nginx.render(nil, claims) end,
      "bad argument #1 to 'render' (table expected, got nil)")
    assert.has_error(function() nginx.render(article, "x") end,
      "bad argument #2 to 'render' (table expected, got string)")
  end)
end)

describe("copydesk.nginx.token_from_path", function()
  it("takes the token from /preview/<token> and ignores the query string", function()
    assert.are.equal("abc_-9", nginx.token_from_path("/preview/abc_-9?x=1"))
    assert.are.equal("abc", nginx.token_from_path("/p/abc", "/p/"))
  end)

  it("finds no token elsewhere, after another slash, or in a huge path", function()
    assert.is_nil(nginx.token_from_path("/preview/"))
    assert.is_nil(nginx.token_from_path("/other/abc"))
    assert.is_nil(nginx.token_from_path("/preview/abc/def"))
    assert.is_nil(nginx.token_from_path("/?token=abc"))
    assert.is_nil(nginx.token_from_path("/preview/" .. ("a"):rep(1000)))
    assert.is_nil(nginx.token_from_path(nil))
  end)
end)

describe("copydesk.nginx.new", function()
  local v = { verify = function() end }
  it("rejects unknown options and a missing verifier or store", function()
    assert.has_error(function() nginx.new { verifier = v, store = {}, colour = 1 } end,
      "bad argument #1 to 'new' (unknown option 'colour')")
    assert.has_error(function() nginx.new { store = {} } end,
      "bad argument #1 to 'new' (option 'verifier' is required)")
    assert.has_error(function() nginx.new { verifier = v, store = 3 } end,
      "bad argument #1 to 'new' (option 'store' must be a store or a function)")
  end)
end)

describe("copydesk.nginx server:lookup", function()
  local memory = require "copydesk.store.memory"
  local workflow = require "copydesk.workflow"
  local T0 = 1795860000

  -- The preview signer and verifier when built in; the decision logic is
  -- what these tests are about.
  local function keys()
    local preview = copydesk.preview or require "copydesk.preview"
    local k = preview.keygen()
    local signer = preview.signer { origin = "https://news.example", master_key = k, kid = 1 }
    local verifier = preview.verifier { origin = "https://news.example",
      keys = { [1] = { alg = "hmac", master_key = k } } }
    return signer, verifier
  end

  local function newsroom()
    local store = memory.new()
    local signer, verifier = keys()
    local wf = workflow.new { store = store, signer = signer, verifier = verifier,
      validator = function() return { ok = true, errors = 0, warnings = 0, infos = 0, findings = {} } end,
      slugger = function(text) return (text:lower():gsub("[^a-z0-9]+", "-")) end }
    local server = nginx.new { verifier = verifier, store = store, sanitize = html_identity,
      canonical = function(a) return "https://news.example/" .. a.slug end }
    local draft = assert(wf:save({ headline = "Draft story", body = "<p>Draft</p>" }, "r"))
    assert(wf:transition(draft.id, "review", "r"))
    return { wf = wf, store = store, server = server, draft = draft, signer = signer }
  end

  local function token(n, id, opts)
    opts = opts or {}
    opts.now = opts.now or T0
    local url = assert(n.wf:preview_link(id, 7, opts))
    return url:match("[^/]+$")
  end

  it("answers 200 with the draft and the claims for an honest link", function()
    local n = newsroom()
    local r = n.server:lookup(token(n, n.draft.id), T0 + 10)
    assert.are.equal(200, r.status)
    assert.are.equal("Draft story", r.article.headline)
    assert.are.equal(n.draft.id, r.claims.article)
    assert.truthy(n.server:page(r):find("<h1>Draft story</h1>", 1, true))
  end)

  it("answers 404 bad_signature for a token with one character changed", function()
    local n = newsroom()
    local t = token(n, n.draft.id)
    local i = 40
    local forged = t:sub(1, i - 1) .. (t:sub(i, i) == "A" and "B" or "A") .. t:sub(i + 1)
    local r = n.server:lookup(forged, T0 + 10)
    assert.are.equal(404, r.status)
    assert.are.equal("bad_signature", r.code)
  end)

  it("answers 404 expired after the link's lifetime", function()
    local n = newsroom()
    local r = n.server:lookup(token(n, n.draft.id, { ttl = 60 }), T0 + 3600)
    assert.are.same({ 404, "expired" }, { r.status, r.code })
  end)

  it("answers 404 revoked once the article's preview epoch moved on", function()
    local n = newsroom()
    local t = token(n, n.draft.id)
    n.wf:revoke_previews(n.draft.id)
    local r = n.server:lookup(t, T0 + 10)
    assert.are.same({ 404, "revoked" }, { r.status, r.code })
  end)

  it("answers a one-time link once, then 404 already_used", function()
    local n = newsroom()
    local t = token(n, n.draft.id, { once = true })
    assert.are.equal(200, n.server:lookup(t, T0 + 10).status)
    local r = n.server:lookup(t, T0 + 11)
    assert.are.same({ 404, "already_used" }, { r.status, r.code })
  end)

  it("answers 404 not_found for a signed link to an article the store does not hold", function()
    local n = newsroom()
    local _, t = n.signer:link { article = 999, revision = 0, epoch = 0, editor = 7, now = T0 }
    local r = n.server:lookup(t, T0 + 10)
    assert.are.same({ 404, "not_found" }, { r.status, r.code })
  end)

  it("opens the pinned revision of a link that pins one", function()
    local n = newsroom()
    local t = token(n, n.draft.id, { pin = true })
    local a = n.wf:get(n.draft.id)
    a.headline = "Draft story, rewritten"
    assert(n.wf:save(a, "r"))
    local r = n.server:lookup(t, T0 + 10)
    assert.are.equal("Draft story", r.article.headline)
    local latest = n.server:lookup(token(n, n.draft.id), T0 + 10)
    assert.are.equal("Draft story, rewritten", latest.article.headline)
  end)

  it("redirects a verified link to a published story to its canonical URL", function()
    local n = newsroom()
    local t = token(n, n.draft.id)
    assert(n.wf:transition(n.draft.id, "approved", "d"))
    assert(n.wf:transition(n.draft.id, "published", "d"))
    local r = n.server:lookup(t, T0 + 10)
    assert.are.equal(302, r.status)
    assert.are.equal("https://news.example/draft-story", r.location)
  end)

  it("prefers the article's own canonical_url and refuses an unsafe one", function()
    local n = newsroom()
    local t = token(n, n.draft.id)
    local a = n.wf:get(n.draft.id)
    a.canonical_url = "https://news.example/local/draft"
    assert(n.wf:save(a, "r"))
    assert(n.wf:transition(n.draft.id, "approved", "d"))
    assert(n.wf:transition(n.draft.id, "published", "d"))
    assert.are.equal("https://news.example/local/draft", n.server:lookup(t, T0 + 10).location)
    local bare = nginx.new { verifier = n.server.verifier, store = n.store, sanitize = html_identity }
    a = n.wf:get(n.draft.id)
    a.canonical_url = "javascript:alert(1)"
    assert(n.wf:save(a, "r"))
    local r = bare:lookup(t, T0 + 10)
    assert.are.same({ 404, "not_found" }, { r.status, r.code })
  end)

  it("answers 404 malformed for garbage, and opens the store once", function()
    local n = newsroom()
    local opened = 0
    local server = nginx.new { verifier = n.server.verifier, sanitize = html_identity,
      store = function() opened = opened + 1; return n.store end }
    for _, t in ipairs { "", "x", ("A"):rep(1000), "\0\255", 42 } do
      local r = server:lookup(t, T0)
      assert.are.same({ 404, "malformed" }, { r.status, r.code })
    end
    assert.are.equal(1, opened)
  end)
end)

describe("copydesk.nginx.keyring", function()
  local preview = copydesk.preview or require "copydesk.preview"

  local function tmp()
    local p = os.tmpname()
    os.remove(p)
    return p
  end

  local function write(path, text)
    local f = assert(io.open(path, "w"))
    f:write(text)
    f:close()
  end

  it("builds a signer and a verifier from key files; links minted by one verify with the other", function()
    local keyfile = tmp()
    assert(preview.write_key_file(keyfile))
    local ring = nginx.keyring { origin = "https://news.example", signer_kid = 3,
      keys = { [3] = { alg = "hmac", key_file = keyfile } } }
    os.remove(keyfile)
    local _, token = ring.signer:link { article = 5, revision = 0, epoch = 0, editor = 1 }
    local c = ring.verifier:verify(token)
    assert.are.equal(5, c.article)
    assert.are.equal(3, c.kid)
  end)

  it("reads the keyring from a Lua file run without globals", function()
    local keyfile, conf = tmp(), tmp()
    assert(preview.write_key_file(keyfile))
    write(conf, ([[return { origin = "https://news.example", signer_kid = 1,
      keys = { { key_file = %q } }, store = { driver = "memory" } }]]):format(keyfile))
    local ring = nginx.keyring(conf)
    assert.truthy(ring.signer)
    assert.are.equal("function", type(ring.open_store))
    write(conf, "os.execute('true') return {}")
    assert.has_error(function() nginx.keyring(conf) end)
    local ok, err = pcall(nginx.keyring, conf)
    assert.is_false(ok)
    assert.truthy(err:find("failed:", 1, true))
    os.remove(conf)
    os.remove(keyfile)
  end)

  it("raises naming a missing key file, never showing a key", function()
    local ok, err = pcall(nginx.keyring, { origin = "https://news.example",
      keys = { [1] = { key_file = "/nonexistent/copydesk.key" } } })
    assert.is_false(ok)
    assert.truthy(err:find("/nonexistent/copydesk.key", 1, true))
  end)

  it("configure keeps the server as the default of serve/access/content", function()
    local keyfile = tmp()
    assert(preview.write_key_file(keyfile))
    local server = nginx.configure { origin = "https://news.example",
      keys = { [1] = { key_file = keyfile } }, store = { driver = "memory" } }
    os.remove(keyfile)
    assert.are.equal(server, nginx.default)
    assert.are.same({ 404, "malformed" }, { server:lookup("nope", 0).status, server:lookup("nope", 0).code })
  end)
end)
