local cli = require "copydesk.cli"
local copydesk = require "copydesk"

local ROOT = os.getenv("CD_ROOT") or "."

-- Run the CLI in-process; return status, stdout, stderr.
local function run(...)
  local o, e = {}, {}
  local so, se = cli.stdout, cli.stderr
  cli.stdout = { write = function(_, ...) for _, s in ipairs({ ... }) do o[#o + 1] = s end end }
  cli.stderr = { write = function(_, ...) for _, s in ipairs({ ... }) do e[#e + 1] = s end end }
  local ok, status = pcall(cli.main, { ... })
  cli.stdout, cli.stderr = so, se
  assert(ok, status)
  return status, table.concat(o), table.concat(e)
end

-- A fresh name no other process (another worktree's make test) uses: the
-- file os.tmpname creates reserves it; it is removed so the test can create it.
local function tmpname(tag)
  local name = os.tmpname()
  os.remove(name)
  return name .. "-cli-" .. tag
end

local function write(path, text)
  local f = assert(io.open(path, "wb"))
  f:write(text)
  f:close()
end

describe("copydesk (no command)", function()
  it("prints the command list on --help and exits 0", function()
    local status, out = run("--help")
    assert.are.equal(0, status)
    assert.matches("Usage: copydesk COMMAND", out)
    for _, c in ipairs({ "check", "slug", "keygen", "link", "verify", "audit" }) do
      assert.matches("\n  " .. c .. " ", out)
    end
  end)

  it("prints usage to stderr and exits 2 without a command", function()
    local status, out, err = run()
    assert.are.equal(2, status)
    assert.are.equal("", out)
    assert.matches("Usage:", err)
  end)

  it("names an unknown command on stderr, exit 2, no traceback", function()
    local status, out, err = run("publish-everything")
    assert.are.equal(2, status)
    assert.are.equal("", out)
    assert.are.equal("copydesk: unknown command 'publish-everything' (try --help)\n", err)
  end)

  it("prints the version", function()
    local status, out = run("--version")
    assert.are.equal(0, status)
    assert.are.equal("copydesk " .. copydesk.version .. "\n", out)
  end)
end)

describe("every copydesk command", function()
  for _, c in ipairs({ "check", "slug", "keygen", "link", "verify", "audit" }) do
    it("answers --help for " .. c, function()
      local status, out, err = run(c, "--help")
      assert.are.equal(0, status)
      assert.matches("^Usage: copydesk " .. c, out)
      assert.are.equal("", err)
    end)

    it("rejects an unknown option for " .. c .. " with status 2", function()
      local status, out, err = run(c, "--frobnicate")
      assert.are.equal(2, status)
      assert.are.equal("", out)
      assert.are.equal("copydesk " .. c .. ": unknown option '--frobnicate'\n", err)
    end)
  end
end)

describe("copydesk check", function()
  local dir

  before_each(function()
    dir = tmpname("check")
    assert(os.execute("mkdir -p " .. dir))
  end)
  after_each(function() os.execute("rm -rf " .. dir) end)

  it("needs a FILE", function()
    local status, _, err = run("check")
    assert.are.equal(2, status)
    assert.matches("no FILE given", err)
  end)

  it("reports an unreadable file on stderr with status 2", function()
    local status, _, err = run("check", dir .. "/missing.json")
    assert.are.equal(2, status)
    assert.matches("cannot read .*missing.json", err)
  end)

  it("exits 1 with one line per finding for an article with errors", function()
    write(dir .. "/bad.json", '{"headline": "", "body": "<p><a href=\\"javascript:x()\\">x</a></p>"}')
    local status, out = run("check", "--stage", "published", dir .. "/bad.json")
    assert.are.equal(1, status)
    local file_pattern = (dir .. "/bad.json"):gsub("%p", "%%%0")
    assert.matches(file_pattern .. ":/headline: error: .- %[headline_missing%]\n", out)
    assert.matches("%d+ errors?, %d+ warnings?, %d+ infos? in 1 file\n$", out)
  end)

  it("turns a JSON syntax error into a json_parse finding", function()
    write(dir .. "/broken.json", '{"headline": "x",,}')
    local status, out = run("check", dir .. "/broken.json")
    assert.are.equal(1, status)
    assert.matches("%[json_parse%]", out)
  end)

  it("prints the reports as JSON with --json", function()
    write(dir .. "/a.json", '{"headline": ""}')
    local status, out = run("check", "--json", dir .. "/a.json")
    assert.are.equal(1, status)
    local doc = require("cjson").decode(out)
    assert.are.equal(dir .. "/a.json", doc[1].file)
    assert.is_true(doc[1].report.errors >= 1)
  end)

  it("keeps empty finding lists as JSON arrays with --json", function()
    local clean = dofile(ROOT .. "/tests/fixtures/scraped_story_clean.lua") -- no findings
    write(dir .. "/clean.json", require("cjson").encode(clean))
    local _, out = run("check", "--json", "--stage", "draft", dir .. "/clean.json")
    assert.are.equal(0, #require("cjson").decode(out)[1].report.findings)
    assert.matches('"findings":%[%]', out)
    local _, none = run("check", "--json", dir .. "/missing.json")
    assert.are.equal("[]\n", none)
  end)

  it("judges a JSON array as validate_json does: not an article", function()
    write(dir .. "/arr.json", "[1, 2]")
    local _, out = run("check", dir .. "/arr.json")
    local report = copydesk.validate_json("[1, 2]")
    assert.matches("%[" .. report.findings[1].code .. "%]", out)
    assert.is_nil(out:find("headline_missing", 1, true))
  end)

  it("rejects an unknown --stage", function()
    local status, _, err = run("check", "--stage", "someday", "x.json")
    assert.are.equal(2, status)
    assert.matches("%-%-stage must be draft, review or published", err)
  end)
end)

describe("copydesk slug", function()
  it("prints the slug of the words given", function()
    local status, out = run("slug", "Trump’s", "1,000", "Days")
    assert.are.equal(0, status)
    assert.are.equal(copydesk.slugify("Trump’s 1,000 Days") .. "\n", out)
  end)

  it("needs TEXT and a whole number for --max-length", function()
    assert.are.equal(2, (run("slug")))
    local status, _, err = run("slug", "--max-length", "ten", "x")
    assert.are.equal(2, status)
    assert.matches("needs a whole number, got 'ten'", err)
    status, _, err = run("slug", "--max-length")
    assert.are.equal(2, status)
    assert.matches("needs a value", err)
  end)
end)

describe("copydesk keygen, link and verify", function()
  local key

  before_each(function() key = tmpname("key") end)
  after_each(function() os.remove(key) end)

  it("writes a key file with mode 0600 and refuses to overwrite it", function()
    local status, out = run("keygen", key)
    assert.are.equal(0, status)
    assert.matches("wrote a new key", out)
    local p = io.popen("stat -c %a " .. key)
    assert.are.equal("600", p:read("*l"))
    p:close()
    local status2, _, err = run("keygen", key)
    assert.are.equal(2, status2)
    assert.matches("key_file_exists", err)
  end)

  it("mints a link that verify accepts, and rejects a changed one", function()
    assert.are.equal(0, (run("keygen", key)))
    local status, url = run("link", "--article", "42", "--editor", "7", "--origin", "https://news.example",
      "--key-file", key, "--ttl", "600")
    assert.are.equal(0, status)
    url = url:gsub("\n$", "")
    assert.matches("^https://news.example/preview/", url)
    local vstatus, vout = run("verify", "--origin", "https://news.example", "--key-file", key, url)
    assert.are.equal(0, vstatus)
    assert.matches("article%s+42\n", vout)
    assert.matches("editor%s+7\n", vout)
    local last = url:sub(-1)
    local tampered = url:sub(1, -2) .. (last == "A" and "B" or "A")
    local tstatus, tout, terr = run("verify", "--origin", "https://news.example", "--key-file", key, tampered)
    assert.are.equal(1, tstatus)
    assert.are.equal("", tout)
    assert.matches("invalid link: ", terr)
    local ostatus = run("verify", "--origin", "https://other.example", "--key-file", key, url)
    assert.are.equal(1, ostatus)
  end)

  it("needs --article, an origin and a key", function()
    local status, _, err = run("link", "--origin", "https://x.example")
    assert.are.equal(2, status)
    assert.matches("%-%-article N is required", err)
    status, _, err = run("link", "--article", "1", "--origin", "https://x.example", "--key-file", key)
    assert.are.equal(2, status)
    assert.matches("cannot use the key", err)
  end)
end)

describe("copydesk audit", function()
  local file

  before_each(function()
    file = tmpname("audit") .. ".jsonl"
    local n = os.getenv("CD_VALGRIND") and 20 or 300
    local lua = arg and arg[-1] or "lua"
    assert(os.execute(string.format("%s %s/tools/gen_articles.lua %d 7 > %s", lua, ROOT, n, file)))
  end)
  after_each(function() os.remove(file) end)

  it("summarises findings per rule code, with plain progress lines off a terminal", function()
    local status, out, err = run("audit", file)
    assert.is_true(status == 0 or status == 1)
    local n = tonumber(out:match("^(%d+) articles: "))
    assert.is_true(n == 20 or n == 300)
    assert.matches("\nrule%s+errors%s+warnings%s+infos%s+articles\n", out)
    assert.matches("audit: 100%% %(%d+ articles%)\n$", err)
    assert.is_nil(err:find("\r", 1, true))
  end)

  it("draws a progress bar with --progress and gives JSON with --json", function()
    local _, out, err = run("audit", "--progress", "--json", file)
    assert.matches("\r%[#+%] 100%%", err)
    local doc = require("cjson").decode(out)
    assert.is_true(doc.articles > 0)
    local sum = 0
    for _, r in ipairs(doc.rules) do
      assert.is_string(r.code)
      sum = sum + r.total
    end
    assert.is_true(sum > 0)
  end)

  it("reports a file it cannot read through (a directory) with status 2, no Lua position", function()
    local status, out, err = run("audit", "--no-progress", ROOT .. "/tests")
    assert.are.equal(2, status)
    assert.are.equal("", out)
    assert.matches("^copydesk audit: cannot read ", err)
    assert.is_nil(err:find("%.lua:%d+"))
  end)

  it("writes an empty rule list as a JSON array", function()
    local empty = tmpname("empty") .. ".jsonl"
    write(empty, "")
    local _, out = run("audit", "--no-progress", "--json", empty)
    os.remove(empty)
    assert.matches('"rules":%[%]', out)
    assert.are.equal(0, require("cjson").decode(out).articles)
  end)

  it("says nothing on stderr with --no-progress, and fails on a missing file", function()
    local _, _, err = run("audit", "--no-progress", file)
    assert.are.equal("", err)
    local status, _, err2 = run("audit", file .. ".missing")
    assert.are.equal(2, status)
    assert.matches("cannot read", err2)
  end)
end)

describe("bin/copydesk", function()
  it("runs as a program: usage errors on stderr, exit status 2, no traceback", function()
    local lua = arg and arg[-1] or "lua"
    local cmd = string.format("LUA_PATH='%s/lua/?.lua;%s/lua/?/init.lua;;' LUA_CPATH='%s' "
      .. "%s %s/bin/copydesk check 2>&1; echo \"rc=$?\"", ROOT, ROOT, package.cpath, lua, ROOT)
    local p = io.popen(cmd)
    local text = p:read("*a")
    p:close()
    assert.matches("copydesk check: no FILE given", text)
    assert.matches("rc=2", text)
    assert.is_nil(text:find("traceback", 1, true))
  end)
end)
