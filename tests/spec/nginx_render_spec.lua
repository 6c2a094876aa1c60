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
    assert.truthy(page:find("<h1>Harbour &lt;ferry&gt; &amp; the &quot;night&quot; crossing</h1>", 1, true))
    assert.truthy(page:find("Crews say the new timetable &#39;works&#39;", 1, true))
    assert.truthy(page:find("By Ana Ruiz, Tom &lt;b&gt;Lee&lt;/b&gt; and Mei Chen", 1, true))
    assert.truthy(page:find('alt="The ferry &lt;at&gt; dawn"', 1, true))
    assert.truthy(page:find("Credit: Photo: Harbour &amp; Co", 1, true))
    assert.falsy(page:find("<ferry>", 1, true))
  end)

  it("keeps images with http(s) or site-path URLs and drops javascript: and protocol-relative ones", function()
    assert.truthy(page:find('src="https://img.example/ferry.jpg"', 1, true))
    assert.truthy(page:find('src="/static/map.svg"', 1, true))
    assert.falsy(page:find("javascript:", 1, true))
    assert.falsy(page:find("evil.example", 1, true))
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

describe("copydesk.nginx.b64url_decode", function()
  it("decodes strict base64url and refuses padding, other alphabets and stray bits", function()
    assert.are.equal("hello", nginx.b64url_decode("aGVsbG8"))
    assert.are.equal("\251\255", nginx.b64url_decode("-_8"))
    assert.is_nil(nginx.b64url_decode("aGVsbG8="))
    assert.is_nil(nginx.b64url_decode("+/8"))
    assert.is_nil(nginx.b64url_decode("aGVsbG9"))   -- stray bits in the last character
    assert.is_nil(nginx.b64url_decode("a"))
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
