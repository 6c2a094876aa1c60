local copydesk = require "copydesk"

local function read(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("*a")
  f:close()
  return s
end

local function load_rockspec(path)
  local env = {}
  local chunk
  if setfenv then
    chunk = assert(loadstring(read(path), path))
    setfenv(chunk, env)
  else
    chunk = assert(load(read(path), path, "t", env))
  end
  chunk()
  return env
end

local function list(cmd)
  local out = {}
  local p = assert(io.popen(cmd))
  for line in p:lines() do out[#out + 1] = line end
  p:close()
  return out
end

describe("the copydesk module", function()
  it("reports version 0.1.0 from the Lua face and the C core alike", function()
    assert.are.equal("0.1.0", copydesk.version)
    assert.are.equal(copydesk.version, require("copydesk.core").version)
  end)

  it("sets no globals when loaded", function()
    local before = {}
    for k in pairs(_G) do before[k] = true end
    package.loaded.copydesk = nil
    require "copydesk"
    for k in pairs(_G) do
      assert.is_true(before[k], "new global " .. tostring(k))
    end
  end)
end)

describe("the rockspec", function()
  local spec = load_rockspec("rockspec/copydesk-scm-1.rockspec")
  local modules = spec.build.modules

  it("builds every C source of plugin/ into copydesk.core", function()
    local listed = {}
    for _, src in ipairs(modules["copydesk.core"].sources) do listed[src] = true end
    for _, src in ipairs(list("ls plugin/*.c")) do
      assert.is_true(listed[src], src .. " is missing from the rockspec")
    end
  end)

  it("installs every Lua module of lua/copydesk/", function()
    local listed = {}
    for _, path in pairs(modules) do
      if type(path) == "string" then listed[path] = true end
    end
    for _, path in ipairs(list("find lua/copydesk -name '*.lua' | sort")) do
      assert.is_true(listed[path], path .. " is missing from the rockspec")
    end
  end)

  it("depends on Lua 5.1 to 5.4, lua-cjson and libsodium", function()
    assert.are.same({ "lua >= 5.1, < 5.5", "lua-cjson" }, spec.dependencies)
    assert.are.equal("sodium", spec.external_dependencies.SODIUM.library)
    assert.are.equal("builtin", spec.build.type)
  end)
end)
