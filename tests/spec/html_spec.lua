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

describe("HTML past the nesting limit and other edges", function()
  local deep = ("<i>"):rep(256)

  it("still judges tags and attributes past 256 levels", function()
    local c = codes(deep .. '<a href="javascript:alert(2)" onclick="x()">x</a><svg onload=alert(1)></svg>')
    local seen = {}
    for _, code in ipairs(c) do seen[code] = true end
    assert.is_true(seen.html_parse)
    assert.is_true(seen.html_url_scheme)
    assert.is_true(seen.html_attr_disallowed)
    assert.is_true(seen.html_tag_disallowed)
  end)

  it("drops the content of dropped elements past 256 levels too", function()
    local out = copydesk.sanitize_html(deep .. "<template>hidden</template><b>kept</b><svg>x</svg>after")
    assert.are.equal("keptafter", (out:gsub("</?i>", "")))
  end)

  it("adds noopener for every target that opens a new window, not just _blank", function()
    -- a form feed is written as a space, so "_self\f" is a named window too
    for _, t in ipairs({ "_blank ", "x", "_new", "_BLANK", "_self&#12;", "_self\f" }) do
      local html = '<a href="/x" target="' .. t .. '">a</a>'
      local out = copydesk.sanitize_html(html)
      assert.truthy(out:find('rel="noopener"', 1, true), out)
      assert.are.same({ "html_target_blank_rel" }, codes(html))
    end
    for _, t in ipairs({ "_self", "_parent", "_top", "" }) do
      local html = '<a href="/x" target="' .. t .. '">a</a>'
      assert.is_nil(copydesk.sanitize_html(html):find("noopener", 1, true))
      assert.are.same({}, codes(html))
    end
  end)

  it("writes a form feed as a space in text and attribute values", function()
    assert.are.equal("a b", copydesk.sanitize_html("a\fb"))
    assert.are.equal('<a href="/y" rel="noreferrer nofollow" target="_blank">d</a>',
      copydesk.sanitize_html('<a href="/y" target="_blank" rel="noreferrer&#x0C;nofollow">d</a>'))
  end)

  it("judges the attributes of an h1 the allow-list cannot keep", function()
    local c = codes('<h1 onmouseover="alert(1)">T</h1>', { tags = { "p" } })
    local seen = {}
    for _, code in ipairs(c) do seen[code] = true end
    assert.is_true(seen.html_attr_disallowed)
  end)
end)

describe("the sanitizer's fixed point", function()
  local function html_codes(html)
    local out = {}
    for _, f in ipairs(core.html_scan(html)) do
      if f.code ~= "struct_heading_skip" then out[#out + 1] = f.code end
    end
    return out
  end

  local bodies = {
    '<p>Seoul &amp; Pyongyang <em>resumed</em> talks.</p>',
    '<h1>Big</h1><h4>Small</h4><p></p><p>&nbsp;</p><p><br></p><blockquote><p> </p></blockquote>',
    '<p>a<p>b<ul><li>x<li>y</ul><b><i>x</b></i><table><tr><td>a<td>b<tr><td>c</table>',
    '<a href="jav&#x09;ascript:alert(1)">x</a><a href=" java\nscript:x" target=_blank>y</a>',
    '<script>alert(1)</script><style>p{}</style><iframe srcdoc="x"></iframe><svg><style></svg><img src=x>',
    '&foo; &copy 2026 &copyright &#0; &#150; &#xD800; &#x110000; AT&T &amp &lt;&gt;&quot;',
    '<!-- c --><!--><!DOCTYPE html><?php x ?><![CDATA[x]]></ ><</><p>a < b</p><!-- never',
    '<p>a\0b</p><a href="/x\0y">z</a><p title="\1\2">q</p>',
    '<div class=x id=y><p/>x<span/>y<o:p>z</o:p></div><a href=/y href=javascript:x>c</a>',
    '<p>x <a href="/y',
    string.rep("<b>", 400) .. "deep" .. string.rep("</b>", 400),
    string.rep("<p><em>&", 300),
  }

  for i, body in ipairs(bodies) do
    it("settles hostile body #" .. i .. " in one pass, leaving nothing to report", function()
      local once = copydesk.sanitize_html(body)
      assert.is_string(once)
      assert.are.equal(once, copydesk.sanitize_html(once))
      assert.are.same({}, html_codes(once))
    end)
  end

  it("keeps the text of a clean body byte for byte", function()
    local body = "<p>Ελλάδα, 北京, “quotes” — and emoji 🎉.</p>"
    assert.are.equal(body, copydesk.sanitize_html(body))
  end)

  it("rejects option lists that are not lists of strings", function()
    assert.has_error(function() copydesk.sanitize_html("x", { tags = "p" }) end)
    assert.has_error(function() copydesk.sanitize_html("x", { tags = { 1 } }) end)
    assert.has_error(function() copydesk.sanitize_html("x", { attributes = { "onclick" } }) end)
    assert.has_error(function() copydesk.sanitize_html("x", { schemes = { "javascript" } }) end)
    assert.has_error(function() copydesk.sanitize_html(42) end)
    assert.has_error(function() copydesk.sanitize_html("x", "p") end)
  end)

  it("allows a scheme only when asked to", function()
    local body = '<img src="data:image/png;base64,AAAA" alt="">'
    assert.are.equal('<img alt="">', copydesk.sanitize_html(body))
    assert.are.equal(body, copydesk.sanitize_html(body, { schemes = { "data" } }))
  end)
end)
