local copydesk = require "copydesk"
local core = require "copydesk.core"

local function codes(html, opts)
  local out = {}
  for _, f in ipairs(core.html_scan(html, opts)) do out[#out + 1] = f.code end
  return out
end

describe("copydesk.sanitize_html", function()
  it("keeps a clean news body as it is", function()
    local body = '<p>Seoul &amp; Pyongyang <em>resumed</em> talks.</p><h2>Why</h2>'
      .. '<p><a href="https://news.example/x">More</a></p>'
    assert.are.equal(body, copydesk.sanitize_html(body))
  end)

  it("drops scripts with their content and event handlers", function()
    assert.are.equal("<p>x</p>", copydesk.sanitize_html('<script>alert(1)</script><p onclick="y()">x</p>'))
  end)

  it("drops a javascript: URL hidden by entities and whitespace", function()
    assert.are.equal("<a>x</a>", copydesk.sanitize_html('<a href="jav&#x09;ascript:alert(1)">x</a>'))
    assert.are.equal("<a>x</a>", copydesk.sanitize_html('<a href=" java\nscript:alert(1)">x</a>'))
  end)

  it("returns nil, invalid_utf8 for a body that is not UTF-8", function()
    local s, code = copydesk.sanitize_html("<p>\255</p>")
    assert.is_nil(s)
    assert.are.equal("invalid_utf8", code)
  end)

  it("rejects an unknown option", function()
    assert.has_error(function() copydesk.sanitize_html("x", { tag = {} }) end,
      "bad argument #2 to 'sanitize_html' (unknown option 'tag')")
  end)

  it("refuses to allow script through the options", function()
    assert.has_error(function() copydesk.sanitize_html("x", { tags = { "script" } }) end)
  end)

  it("follows caller allow-lists", function()
    assert.are.equal('<div class="k">x</div>',
      copydesk.sanitize_html('<div class="k" id="i">x</div>',
        { tags = { "div" }, attributes = { "div:class" } }))
  end)
end)

describe("core.html_scan", function()
  it("reports a disallowed tag with its offsets", function()
    local f = core.html_scan("<p>x</p><div>y</div>")
    assert.are.equal(1, #f)
    assert.are.equal("html_tag_disallowed", f[1].code)
    assert.are.equal(9, f[1].start)
    assert.are.equal(12, f[1].stop)
    assert.are.equal("div", f[1].detail)
  end)

  it("finds nothing in what the sanitizer wrote", function()
    local dirty = '<h1>T</h1><p onclick=x>a<p></p><a href=javascript:x target=_blank>b<script>c'
    assert.is_true(#codes(dirty) > 0)
    assert.are.same({}, codes(copydesk.sanitize_html(dirty)))
  end)
end)
