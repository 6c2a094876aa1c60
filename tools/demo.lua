--- tools/demo.lua KEYRING [LINKS_FILE]: the newsroom part of `make demo`.
-- Creates a fresh store (the keyring's store, SQLite in build/demo/) with the
-- sample articles of examples/articles.lua, moves them through the workflow
-- printing each validation report, and prints a signed preview link to the
-- draft in review as the last line ("LINK <url>"). With LINKS_FILE it also
-- writes the links the nginx integration test needs, one "name url" a line:
-- review, once, expired, revoked, published. Run by tools/demo.sh.
local copydesk = require "copydesk"
local cdnginx = require "copydesk.nginx"
local workflow = require "copydesk.workflow"
local cms_hooks = require "cms_hooks"

local keyring_path, links_path = arg[1], arg[2]
if not keyring_path then
  io.stderr:write("usage: demo.lua KEYRING [LINKS_FILE]\n")
  os.exit(2)
end

local function fail(...)
  io.stderr:write("demo: ", table.concat({ ... }, " "), "\n")
  os.exit(1)
end

local ring = cdnginx.keyring(keyring_path)
if not ring.signer then fail("the keyring has no signing key") end
local db = ring.config.store and ring.config.store.path
if db then os.remove(db) end   -- a fresh newsroom each run
local store = ring.open_store()
local wf = workflow.new { store = store, signer = ring.signer, verifier = ring.verifier }
cms_hooks.install(wf, { canonical_base = ring.config.canonical_base,
  notify = function(line) print("  " .. line) end })

local function show_report(report)
  if type(report) ~= "table" then
    print("  (no validation report: copydesk.validate is not available)")
    return
  end
  print(string.format("  validation: %d error(s), %d warning(s), %d info(s)",
    report.errors or 0, report.warnings or 0, report.infos or 0))
  for _, f in ipairs(report.findings or {}) do
    local where = f.path or ""
    if f.start then where = string.format("%s [%d-%d]", where, f.start, f.stop or f.start) end
    print(string.format("    %-7s %-28s %-32s %s", f.severity or "?", f.code or "?", where, f.message or ""))
  end
end

local function move(id, to)
  local a, err, why = wf:transition(id, to, "desk")
  if a then
    print(string.format("  #%d -> %s", id, to))
    return a
  end
  if why == "blocked" then
    print(string.format("  #%d cannot move to %s: its findings block it", id, to))
    show_report(err)
  else
    print(string.format("  #%d cannot move to %s: %s %s", id, to, tostring(err), tostring(why or "")))
  end
  return nil
end

print("copydesk " .. copydesk.version .. ": the Porthaven newsroom (" .. tostring(db) .. ")")
local articles = dofile((os.getenv("CD_ROOT") or ".") .. "/examples/articles.lua")
local ids = {}
for _, a in ipairs(articles) do
  local role = a.role
  a.role = nil
  local saved, code, msg = wf:save(a, "reporter")
  if not saved then fail("save:", tostring(code), tostring(msg)) end
  ids[role] = saved.id
  print(string.format("\n#%d %q (slug %s)", saved.id, saved.headline, tostring(saved.slug)))
  local _, report = wf:get(saved.id)
  show_report(report)
end

print("\nworkflow:")
local links = {}
local editor = 7
local function link(name, id, opts)
  local url, code, msg = wf:preview_link(id, editor, opts)
  if not url then fail("preview_link:", name, tostring(code), tostring(msg)) end
  links[#links + 1] = name .. " " .. url
  return url
end

move(ids.defective, "review")                      -- blocked: prints the report
if not move(ids.review, "review") then fail("the clean draft could not move to review") end
if not move(ids.revoke, "review") then fail("the storm story could not move to review") end
move(ids.published, "review")

local url = link("review", ids.review)
link("once", ids.review, { once = true })
link("expired", ids.review, { now = os.time() - 7200, ttl = 3600 })
link("revoked", ids.revoke)
link("published", ids.published)
wf:revoke_previews(ids.revoke)
print(string.format("  #%d: preview links revoked", ids.revoke))
move(ids.published, "approved")
local pub = move(ids.published, "published")
if pub then print("  canonical URL: " .. tostring(pub.canonical_url)) end
store:close()

if links_path then
  local f = assert(io.open(links_path, "w"))
  f:write(table.concat(links, "\n"), "\n")
  f:close()
end
print("\nLINK " .. url)
