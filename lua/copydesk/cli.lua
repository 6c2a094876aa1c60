--- copydesk.cli: the `copydesk` command (bin/copydesk calls main).
-- Subcommands check, slug, keygen, link, verify and audit over the public
-- Lua API. User mistakes and unreadable files go to stderr with a non-zero
-- status, never a traceback. main() returns the exit status; it does not
-- call os.exit, so tests can run it in-process.
local M = {}

local EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2

local function copydesk() return require "copydesk" end

local function json()
  return require("cjson.safe").new()
end

-- JSON output whose lists stay lists when empty (lua-cjson 2.1.0 writes an
-- empty table as {} and has no switch for it): tables marked with LIST
-- are arrays, other tables objects with sorted keys, the rest cjson's.
local LIST = {}
local function list(t) return setmetatable(t, LIST) end

local function encode(v, j)
  if type(v) ~= "table" then return assert(j.encode(v)) end
  local parts = {}
  if getmetatable(v) == LIST then
    for i = 1, #v do parts[i] = encode(v[i], j) end
    return "[" .. table.concat(parts, ",") .. "]"
  end
  local keys = {}
  for k in pairs(v) do keys[#keys + 1] = k end
  table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
  for i, k in ipairs(keys) do
    parts[i] = assert(j.encode(tostring(k))) .. ":" .. encode(v[k], j)
  end
  return "{" .. table.concat(parts, ",") .. "}"
end

-- Raised for a user mistake: message to stderr, exit status 2.
local USAGE = {}
local function usage_error(msg)
  error({ [USAGE] = true, msg = msg }, 0)
end

local HELP = {
  main = [[
Usage: copydesk COMMAND [OPTIONS] [ARGS]

Editorial checks, slugs and signed preview links (copydesk %s).

Commands:
  check FILE...        validate articles (JSON or ninjs); exit 1 on errors
  slug TEXT...         print the slug of a headline
  keygen FILE          write a new preview master key to FILE (mode 0600)
  link --article N     mint a signed preview link
  verify URL           verify a preview link or token
  audit FILE.jsonl     validate a JSON-lines archive; summary per rule code

Run `copydesk COMMAND --help` for the options of a command.
Exit status: 0 clean, 1 findings at error severity (or an invalid link),
2 usage or I/O error.
]],
  check = [[
Usage: copydesk check [--json] [--stage STAGE] FILE...

Validates each FILE (a JSON article in copydesk's model, or an IPTC ninjs
document; "-" reads standard input) and prints one line per finding:
  FILE:POINTER[:START-STOP]: SEVERITY: MESSAGE [CODE]

Options:
  --json          print one JSON array of { file, report } instead
  --stage STAGE   validate as at draft, review or published (default: from
                  the article's status)
  -h, --help      show this help

Exit status: 0 no findings at error severity, 1 some, 2 usage or I/O error.
]],
  slug = [[
Usage: copydesk slug [--separator S] [--max-length N] [--locale L] TEXT...

Prints the slug of TEXT (the words are joined with spaces).

Options:
  --separator S    separator between words (default "-")
  --max-length N   cut at a word boundary to at most N bytes
  --locale L       language-specific letters (de, da, nb, sv, fi, sr, uk, bg, ru, tr, vi)
  -h, --help       show this help
]],
  keygen = [[
Usage: copydesk keygen FILE

Writes a new random 32-byte preview master key to FILE, readable by its
owner only (mode 0600). Never replaces an existing file.
]],
  link = [[
Usage: copydesk link --article N --origin URL [OPTIONS]

Mints a signed preview link and prints its URL.

Options:
  --article N      article id (required)
  --origin URL     site origin, e.g. https://news.example (or env COPYDESK_ORIGIN)
  --key-file FILE  master key file (default: env COPYDESK_KEY, base64url)
  --kid N          key id (default 1)
  --alg ALG        hmac (default) or ed25519
  --revision N     pin revision N (default 0: the latest draft)
  --epoch N        the article's preview epoch (default 0)
  --editor N       editor id (default 0)
  --ttl SECONDS    lifetime (default 86400)
  --once           a one-time link
  --json           print { url, token, claims } as JSON
  -h, --help       show this help
]],
  verify = [[
Usage: copydesk verify --origin URL [OPTIONS] URL_OR_TOKEN

Verifies a preview link and prints its claims. Checks signature and time
only (the article's state lives in the CMS).

Options:
  --origin URL     site origin (or env COPYDESK_ORIGIN)
  --key-file FILE  master key file (default: env COPYDESK_KEY, base64url)
  --kid N          key id of that key (default 1)
  --alg ALG        hmac (default) or ed25519
  --json           print the claims as JSON
  -h, --help       show this help

Exit status: 0 valid, 1 invalid (the reason code on stderr), 2 usage error.
]],
  audit = [[
Usage: copydesk audit [--json] [--progress | --no-progress] FILE.jsonl

Validates every line of FILE.jsonl (one article or ninjs document per line)
and prints a summary per rule code. Shows a progress bar when standard
error is a terminal, plain progress lines otherwise.

Options:
  --json           print the summary as JSON
  --progress       force the progress bar
  --no-progress    no progress output
  --stage STAGE    validate as at draft, review or published
  -h, --help       show this help

Exit status: 0 no findings at error severity, 1 some, 2 usage or I/O error.
]],
}

-- Output streams, replaceable by tests.
M.stdout = io.stdout
M.stderr = io.stderr

local function out(...) M.stdout:write(...) end
local function err(...) M.stderr:write(...) end

-- Option parsing ----------------------------------------------------------

-- spec: name -> "flag" | "string" | "integer". Returns opts, positional.
local function parse(cmd, args, spec)
  local opts, pos = {}, {}
  local i = 1
  while i <= #args do
    local a = args[i]
    if a == "--" then
      for j = i + 1, #args do pos[#pos + 1] = args[j] end
      break
    elseif a == "-h" or a == "--help" then
      opts.help = true
    elseif a:sub(1, 2) == "--" then
      local name, value = a:match("^%-%-([%w%-]+)=(.*)$")
      name = name or a:sub(3)
      local kind = spec[name]
      if not kind then usage_error("copydesk " .. cmd .. ": unknown option '--" .. name .. "'") end
      if kind == "flag" then
        if value then usage_error("copydesk " .. cmd .. ": option '--" .. name .. "' takes no value") end
        opts[name] = true
      else
        if not value then
          i = i + 1
          value = args[i]
          if value == nil then
            usage_error("copydesk " .. cmd .. ": option '--" .. name .. "' needs a value")
          end
        end
        if kind == "integer" then
          local n = value:match("^%d+$") and tonumber(value)
          if not n or n >= 2 ^ 53 then
            usage_error("copydesk " .. cmd .. ": option '--" .. name .. "' needs a whole number, got '"
              .. value .. "'")
          end
          value = n
        end
        opts[name] = value
      end
    elseif a:sub(1, 1) == "-" and a ~= "-" then
      usage_error("copydesk " .. cmd .. ": unknown option '" .. a .. "'")
    else
      pos[#pos + 1] = a
    end
    i = i + 1
  end
  return opts, pos
end

local function read_file(path)
  local f, e
  if path == "-" then f = io.stdin else f, e = io.open(path, "rb") end
  if not f then return nil, e end
  local s, re = f:read("*a")
  if f ~= io.stdin then f:close() end
  if not s then return nil, path .. ": " .. tostring(re) end
  return s
end

local STAGES = { draft = true, review = true, published = true }

local function policy_for(opts, cmd)
  if opts.stage == nil then return nil end
  if not STAGES[opts.stage] then
    usage_error("copydesk " .. cmd .. ": --stage must be draft, review or published")
  end
  return { stage = opts.stage }
end

-- A decoded JSON document as an article: ninjs documents (ninjs requires
-- "uri", copydesk's article model has none) go through copydesk.ninjs.
local function as_article(doc)
  if type(doc) == "table" and type(doc.uri) == "string" then
    local ninjs = copydesk().ninjs
    if ninjs and ninjs.to_article then
      local ok, a = pcall(ninjs.to_article, doc)
      if ok and type(a) == "table" then return a end
    end
  end
  return doc
end

-- Validate JSON text. @return report, whether the text is a JSON object
local function validate_text(text, policy, j)
  local cd = copydesk()
  -- not an object (an array, a syntax error, a scalar): validate_json says why
  local doc = not text:match("^%s*%[") and j.decode(text)
  if type(doc) ~= "table" then
    return cd.validate_json(text, policy), false
  end
  return cd.validate(as_article(doc), policy), true
end

local function need(fn, what)
  if type(fn) ~= "function" then
    error({ [USAGE] = true, msg = "copydesk: this build has no " .. what, status = EXIT_USAGE }, 0)
  end
  return fn
end

-- check -------------------------------------------------------------------

local function finding_line(file, f)
  local where = tostring(f.path or "")
  if f.start then where = where .. ":" .. tostring(f.start) .. "-" .. tostring(f.stop or f.start) end
  local msg = tostring(f.message or ""):gsub("[%c]", " ")
  return string.format("%s:%s: %s: %s [%s]\n", file, where, tostring(f.severity), msg, tostring(f.code))
end

function M.check(args)
  local opts, files = parse("check", args, { json = "flag", stage = "string" })
  if opts.help then out(HELP.check) return EXIT_OK end
  if #files == 0 then usage_error("copydesk check: no FILE given (try --help)") end
  local policy = policy_for(opts, "check")
  need(copydesk().validate, "validation")
  local status, results, j = EXIT_OK, {}, json()
  local totals = { errors = 0, warnings = 0, infos = 0 }
  for _, file in ipairs(files) do
    local text, e = read_file(file)
    if not text then
      err("copydesk check: cannot read ", tostring(e), "\n")
      status = EXIT_USAGE
    else
      local report = validate_text(text, policy, j)
      report.findings = list(type(report.findings) == "table" and report.findings or {})
      results[#results + 1] = { file = file, report = report }
      totals.errors = totals.errors + (report.errors or 0)
      totals.warnings = totals.warnings + (report.warnings or 0)
      totals.infos = totals.infos + (report.infos or 0)
      if (report.errors or 0) > 0 and status == EXIT_OK then status = EXIT_FINDINGS end
      if not opts.json then
        for _, f in ipairs(report.findings) do out(finding_line(file, f)) end
      end
    end
  end
  if opts.json then
    out(encode(list(results), j), "\n")
  else
    out(string.format("%d error%s, %d warning%s, %d info%s in %d file%s\n",
      totals.errors, totals.errors == 1 and "" or "s", totals.warnings, totals.warnings == 1 and "" or "s",
      totals.infos, totals.infos == 1 and "" or "s", #results, #results == 1 and "" or "s"))
  end
  return status
end

-- slug --------------------------------------------------------------------

function M.slug(args)
  local opts, words = parse("slug", args, {
    separator = "string", ["max-length"] = "integer", locale = "string",
  })
  if opts.help then out(HELP.slug) return EXIT_OK end
  if #words == 0 then usage_error("copydesk slug: no TEXT given (try --help)") end
  local slugify = need(copydesk().slugify, "slugs")
  local so = { separator = opts.separator, max_length = opts["max-length"], locale = opts.locale }
  local ok, s, code = pcall(slugify, table.concat(words, " "), so)
  if not ok then usage_error("copydesk slug: " .. tostring(s):gsub("^.-:%d+: ", "")) end
  if not s then
    err("copydesk slug: ", tostring(code), "\n")
    return EXIT_FINDINGS
  end
  out(s, "\n")
  return EXIT_OK
end

-- keygen, link, verify ----------------------------------------------------

local function preview()
  local p = copydesk().preview
  if type(p) ~= "table" or type(p.signer) ~= "function" then need(nil, "preview links") end
  return p
end

function M.keygen(args)
  local opts, pos = parse("keygen", args, {})
  if opts.help then out(HELP.keygen) return EXIT_OK end
  if #pos ~= 1 then usage_error("copydesk keygen: give exactly one FILE (try --help)") end
  local ok, code = preview().write_key_file(pos[1])
  if not ok then
    local why = code == "key_file_exists" and "exists already; not replacing it" or "cannot be written"
    err("copydesk keygen: ", pos[1], " ", why, " (", tostring(code), ")\n")
    return EXIT_USAGE
  end
  out("wrote a new key to ", pos[1], "\n")
  return EXIT_OK
end

local function load_key(cmd, opts)
  local p = preview()
  local key, code
  if opts["key-file"] then
    key, code = p.read_key_file(opts["key-file"])
  else
    key, code = p.key_from_env("COPYDESK_KEY")
    if code == "key_missing" then
      usage_error("copydesk " .. cmd .. ": no key: give --key-file FILE or set COPYDESK_KEY")
    end
  end
  if not key then usage_error("copydesk " .. cmd .. ": cannot use the key (" .. tostring(code) .. ")") end
  return key
end

local function origin_of(cmd, opts)
  local o = opts.origin or os.getenv("COPYDESK_ORIGIN")
  if not o or o == "" then usage_error("copydesk " .. cmd .. ": give --origin URL or set COPYDESK_ORIGIN") end
  return o
end

-- Call a constructor or method that raises on bad values; a raise is the
-- user's mistake here (a bad --ttl, origin, ...), reported without position.
local function try(cmd, fn, ...)
  local res = { pcall(fn, ...) }
  if not res[1] then
    usage_error("copydesk " .. cmd .. ": " .. (tostring(res[2]):gsub("^[^:]*:%d+: ", "")))
  end
  return res[2], res[3], res[4]
end

local function print_claims(claims)
  local keys = { "article", "revision", "epoch", "editor", "kid", "alg", "iat", "exp", "once", "link_id" }
  for _, k in ipairs(keys) do
    if claims[k] ~= nil then
      local v = claims[k]
      if type(v) == "number" then v = string.format("%d", v) end
      out(string.format("%-9s %s\n", k, tostring(v)))
    end
  end
end

local LINK_SPEC = {
  article = "integer", origin = "string", ["key-file"] = "string", kid = "integer", alg = "string",
  revision = "integer", epoch = "integer", editor = "integer", ttl = "integer", once = "flag", json = "flag",
}

function M.link(args)
  local opts, pos = parse("link", args, LINK_SPEC)
  if opts.help then out(HELP.link) return EXIT_OK end
  if #pos > 0 then usage_error("copydesk link: unexpected argument '" .. pos[1] .. "'") end
  if not opts.article then usage_error("copydesk link: --article N is required (try --help)") end
  local origin = origin_of("link", opts)
  local key = load_key("link", opts)
  local signer = try("link", preview().signer, {
    origin = origin, master_key = key, kid = opts.kid or 1, alg = opts.alg or "hmac",
  })
  local url, token, claims = try("link", signer.link, signer, {
    article = opts.article, revision = opts.revision or 0, epoch = opts.epoch or 0,
    editor = opts.editor or 0, ttl = opts.ttl, once = opts.once or false,
  })
  if not url then
    err("copydesk link: ", tostring(token), "\n")
    return EXIT_FINDINGS
  end
  if opts.json then
    out(assert(json().encode({ url = url, token = token, claims = claims })), "\n")
  else
    out(url, "\n")
  end
  return EXIT_OK
end

function M.verify(args)
  local opts, pos = parse("verify", args, {
    origin = "string", ["key-file"] = "string", kid = "integer", alg = "string", json = "flag",
  })
  if opts.help then out(HELP.verify) return EXIT_OK end
  if #pos ~= 1 then usage_error("copydesk verify: give exactly one URL or token (try --help)") end
  local origin = origin_of("verify", opts)
  local key = load_key("verify", opts)
  local verifier = try("verify", preview().verifier, {
    origin = origin, keys = { [opts.kid or 1] = { alg = opts.alg or "hmac", master_key = key } },
  })
  local claims, code = try("verify", verifier.verify, verifier, pos[1])
  if not claims then
    err("copydesk verify: invalid link: ", tostring(code), "\n")
    return EXIT_FINDINGS
  end
  if opts.json then
    out(assert(json().encode(claims)), "\n")
  else
    out("valid\n")
    print_claims(claims)
  end
  return EXIT_OK
end

-- audit -------------------------------------------------------------------

local function stderr_is_tty()
  local r = os.execute("[ -t 2 ]")
  return r == true or r == 0
end

local function bar(done, total, n, elapsed)
  local width = 30
  local frac = total > 0 and math.min(done / total, 1) or 0
  local fill = math.floor(frac * width + 0.5)
  local rate = elapsed > 0 and n / elapsed or 0
  return string.format("\r[%s%s] %3d%%  %d articles  %.0f/s ", string.rep("#", fill),
    string.rep(".", width - fill), math.floor(frac * 100), n, rate)
end

function M.audit(args)
  local opts, pos = parse("audit", args, {
    json = "flag", progress = "flag", ["no-progress"] = "flag", stage = "string",
  })
  if opts.help then out(HELP.audit) return EXIT_OK end
  if #pos ~= 1 then usage_error("copydesk audit: give exactly one FILE.jsonl (try --help)") end
  local policy = policy_for(opts, "audit")
  local cd = copydesk()
  need(cd.validate, "validation")
  local path = pos[1]
  local f, e
  if path == "-" then f = io.stdin else f, e = io.open(path, "rb") end
  if not f then
    err("copydesk audit: cannot read ", tostring(e), "\n")
    return EXIT_USAGE
  end
  local total = f:seek("end") or 0 -- 0: a pipe, no percentages
  f:seek("set", 0)
  local mode = "lines"
  if opts["no-progress"] then mode = "none"
  elseif opts.progress or stderr_is_tty() then mode = "bar" end

  local j = json()
  local codes = {}           -- code -> { code, severity counts, articles }
  local n, bad_lines, with_errors, clean, done = 0, 0, 0, 0, 0
  local clock = os.clock
  local started = clock()
  local next_tick, next_line_pct = started, 10
  while true do
    -- read errors (a directory, EIO) come back as nil, message: exit 2
    local line, rerr = f:read("*l")
    if line == nil then
      if rerr then
        if f ~= io.stdin then f:close() end
        err("copydesk audit: cannot read ", path, ": ", tostring(rerr), "\n")
        return EXIT_USAGE
      end
      break
    end
    done = done + #line + 1
    if line:find("%S") then
      n = n + 1
      local report, object = validate_text(line, policy, j)
      if not object then bad_lines = bad_lines + 1 end
      if (report.errors or 0) > 0 then with_errors = with_errors + 1 end
      if #(report.findings or {}) == 0 then clean = clean + 1 end
      local seen = {}
      for _, fd in ipairs(report.findings or {}) do
        local c = codes[fd.code]
        if not c then
          c = { code = fd.code, error = 0, warning = 0, info = 0, articles = 0 }
          codes[fd.code] = c
        end
        c[fd.severity] = (c[fd.severity] or 0) + 1
        if not seen[fd.code] then seen[fd.code] = true; c.articles = c.articles + 1 end
      end
      if mode ~= "none" then
        local now = clock()
        if mode == "bar" and now >= next_tick then
          err(bar(done, total, n, now - started))
          next_tick = now + 0.1
        elseif mode == "lines" and total > 0 and done * 100 >= next_line_pct * total then
          err(string.format("audit: %d%% (%d articles)\n", math.floor(done * 100 / total), n))
          next_line_pct = next_line_pct + 10
        end
      end
    end
  end
  if f ~= io.stdin then f:close() end
  local elapsed = clock() - started
  if mode == "bar" then err(bar(total, total, n, elapsed), "\n") end

  local rules = {}
  for _, c in pairs(codes) do
    c.total = c.error + c.warning + c.info
    rules[#rules + 1] = c
  end
  table.sort(rules, function(a, b)
    if a.total ~= b.total then return a.total > b.total end
    return a.code < b.code
  end)
  if opts.json then
    out(encode({
      articles = n, clean = clean, with_errors = with_errors, unparsable = bad_lines,
      seconds = elapsed, rules = list(rules),
    }, j), "\n")
  else
    out(string.format("%d articles: %d clean, %d with errors, %d unparsable (%.1f s CPU)\n",
      n, clean, with_errors, bad_lines, elapsed))
    if #rules > 0 then
      out(string.format("%-28s %9s %9s %9s %9s\n", "rule", "errors", "warnings", "infos", "articles"))
      for _, c in ipairs(rules) do
        out(string.format("%-28s %9d %9d %9d %9d\n", c.code, c.error, c.warning, c.info, c.articles))
      end
    end
  end
  return with_errors > 0 and EXIT_FINDINGS or EXIT_OK
end

-- main --------------------------------------------------------------------

local COMMANDS = {
  check = M.check, slug = M.slug, keygen = M.keygen, link = M.link, verify = M.verify, audit = M.audit,
}

--- Run the command line args (a list of strings, as in `arg`).
-- @return exit status
function M.main(args)
  args = args or {}
  local ok, status = pcall(function()
    local cmd = args[1]
    if cmd == nil then
      err(string.format(HELP.main, tostring(copydesk().version)))
      return EXIT_USAGE
    end
    if cmd == "-h" or cmd == "--help" or cmd == "help" then
      out(string.format(HELP.main, tostring(copydesk().version)))
      return EXIT_OK
    end
    if cmd == "--version" then
      out("copydesk ", tostring(copydesk().version), "\n")
      return EXIT_OK
    end
    local fn = COMMANDS[cmd]
    if not fn then usage_error("copydesk: unknown command '" .. tostring(cmd) .. "' (try --help)") end
    local rest = {}
    for i = 2, #args do rest[#rest + 1] = args[i] end
    return fn(rest)
  end)
  if ok then return status end
  if type(status) == "table" and status[USAGE] then
    err(status.msg, "\n")
    return status.status or EXIT_USAGE
  end
  err("copydesk: internal error: ", tostring(status), "\n")
  return 70
end

return M
