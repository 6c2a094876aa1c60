-- Runs copydesk over the IPTC ninjs corpus (examples, doc-examples and the
-- conformance test_suite) read from ../shared/corpus/ninjs at test time;
-- none of its text is copied into the project.
local copydesk = require "copydesk"
local cjson = require "cjson.safe"

local ROOT = os.getenv("CD_ROOT") or "."

local function corpus_dir()
  for _, d in ipairs({ ROOT .. "/../shared/corpus/ninjs", ROOT .. "/../../shared/corpus/ninjs" }) do
    local f = io.open(d .. "/README.md", "rb")
    if f then
      f:close()
      return d
    end
  end
  return nil
end

local DIR = corpus_dir()

local function lines(cmd)
  local out = {}
  local p = assert(io.popen(cmd))
  for line in p:lines() do out[#out + 1] = line end
  p:close()
  return out
end

local function read(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("*a")
  f:close()
  return s
end

-- Every document of a file: a file holds one document or an array of them.
local function documents(text)
  local doc = cjson.decode(text)
  if type(doc) ~= "table" then return {} end
  if doc[1] ~= nil then
    local out = {}
    for _, d in ipairs(doc) do
      if type(d) == "table" then out[#out + 1] = d end
    end
    return out
  end
  return { doc }
end

local function nonblank(s)
  return type(s) == "string" and s:find("%S") ~= nil
end

describe("the IPTC ninjs corpus", function()
  if not DIR then
    it("is not beside this checkout (../shared/corpus/ninjs)", function()
      pending("no ../shared/corpus/ninjs")
    end)
    return
  end

  local files = lines("find '" .. DIR .. "' -name '*.json' | sort")

  it("holds JSON files to read", function()
    assert.is_true(#files > 100)
  end)

  it("never raises: validate_json on every file, to_article and validate on every document", function()
    local docs = 0
    for _, file in ipairs(files) do
      local text = read(file)
      local ok, r = pcall(copydesk.validate_json, text)
      assert.is_true(ok, file .. ": " .. tostring(r))
      assert.is_boolean(r.ok)
      for _, d in ipairs(documents(text)) do
        local ok2, a = pcall(copydesk.ninjs.to_article, d)
        assert.is_true(ok2, file .. ": " .. tostring(a))
        local ok3, r2 = pcall(copydesk.validate, a)
        assert.is_true(ok3, file .. ": " .. tostring(r2))
        assert.is_table(r2.findings)
        docs = docs + 1
      end
    end
    assert.is_true(docs > 100)
  end)

  it("gives complete agency stories (headline, body, byline, date) no errors", function()
    local complete = 0
    for _, file in ipairs(files) do
      for _, d in ipairs(documents(read(file))) do
        local a = copydesk.ninjs.to_article(d)
        if nonblank(a.headline) and nonblank(a.body) and a.byline and nonblank(a.byline[1])
            and nonblank(a.published_at) then
          complete = complete + 1
          local r = copydesk.validate(a)
          local errors = {}
          for _, f in ipairs(r.findings) do
            if f.severity == "error" then
              errors[#errors + 1] = f.code .. " " .. f.path .. ": " .. f.message
            end
          end
          assert.are.equal(0, r.errors, file .. ": " .. table.concat(errors, "; "))
        end
      end
    end
    assert.is_true(complete >= 10, "complete stories: " .. complete)
  end)

  it("finds the mixed apostrophes in the Tour Down Under anti-doping story", function()
    local found = lines("grep -rli --include='*.json' 'tour down under' '" .. DIR .. "'")
    local story
    for _, file in ipairs(found) do
      for _, d in ipairs(documents(read(file))) do
        local a = copydesk.ninjs.to_article(d)
        if type(a.headline) == "string" and a.headline:lower():find("tour down under", 1, true)
            and a.headline:lower():find("anti%-doping") then
          story = a
        end
      end
    end
    assert.is_table(story, "the Tour Down Under anti-doping story is not in the corpus")
    local r = copydesk.validate(story)
    local mixed = 0
    for _, f in ipairs(r.findings) do
      if f.code == "text_quote_mixed" then
        mixed = mixed + 1
        local field = story[f.path:match("^/(%a+)$")]
        assert.is_string(field, f.path)
        -- each finding points at one straight quote: the minority in this story
        assert.are.equal("'", field:sub(f.start, f.stop))
      end
    end
    assert.is_true(mixed >= 1)
    assert.are.equal(0, r.errors)
  end)
end)
