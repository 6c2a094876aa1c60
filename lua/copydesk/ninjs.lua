--- copydesk.ninjs: maps IPTC ninjs documents (1.x, 2.x and 3.x) onto
-- copydesk's article model, so agency copy can be validated. It reads with
-- raw access, ignores values of the wrong type, and never raises on data.
local M = {}

local rawget, type, pairs, ipairs = rawget, type, pairs, ipairs

local function str(v)
  if type(v) == "string" then return v end
  return nil
end

-- The value of the first key present (ninjs 3.x uses camelCase, 1.x/2.x lowercase).
local function get(t, ...)
  if type(t) ~= "table" then return nil end
  for i = 1, select("#", ...) do
    local v = rawget(t, (select(i, ...)))
    if v ~= nil then return v end
  end
  return nil
end

-- An array part (raw), or nothing.
local function items(t)
  local out = {}
  if type(t) ~= "table" then return out end
  local i = 1
  while true do
    local v = rawget(t, i)
    if v == nil then break end
    out[i] = v
    i = i + 1
  end
  return out
end

-- The value of the entry with a preferred role from headlines/descriptions arrays.
local function by_role(list, roles)
  local all = items(list)
  for _, role in ipairs(roles) do
    for _, e in ipairs(all) do
      if type(e) == "table" and str(rawget(e, "role")) == role and str(rawget(e, "value")) then
        return rawget(e, "value"), e
      end
    end
  end
  for _, e in ipairs(all) do
    if type(e) == "table" and str(rawget(e, "value")) then return rawget(e, "value"), e end
  end
  return nil
end

local function content_type(e)
  local ct = str(get(e, "contentType", "contenttype", "content_type")) or ""
  return ct:lower()
end

-- NITF: keep the paragraphs of body.content, drop NITF's own block markup.
local function nitf_body(s)
  local inner = s:match("<body%.content>(.-)</body%.content>") or s:match("<body[^>]*>(.-)</body>") or s
  inner = inner:gsub("</?block[^>]*>", ""):gsub("<p%s[^>]*>", "<p>")
  return inner
end

local HTML_TYPES = { ["text/html"] = true, ["application/xhtml+xml"] = true, ["text/xhtml"] = true }

-- body and its format, from 1.x body_* fields or the bodies array of 2.x/3.x.
local function body_of(doc)
  local html = str(get(doc, "body_html", "body_xhtml", "body_richtext"))
  if html then return html, "html" end
  local text = str(get(doc, "body_text"))
  if text then return text, "text" end
  local bodies = items(get(doc, "bodies"))
  local best, best_rank, best_fmt
  for _, e in ipairs(bodies) do
    local v = type(e) == "table" and str(rawget(e, "value"))
    if v then
      local ct, role = content_type(e), str(rawget(e, "role")) or ""
      local rank, fmt
      if HTML_TYPES[ct] then
        rank, fmt = 3, "html"
      elseif ct:find("nitf", 1, true) or role == "nitf" then
        rank, fmt, v = 2, "html", nitf_body(v)
      elseif ct == "text/plain" or ct == "" then
        rank, fmt = 1, "text"
      else
        rank, fmt = 0, "html"
      end
      if not best or rank > best_rank then best, best_rank, best_fmt = v, rank, fmt end
    end
  end
  return best, best_fmt
end

local function rendition_href(r)
  local list = {}
  if type(r) == "table" then
    local arr = items(r)
    if #arr > 0 then
      list = arr
    else -- 1.x: a map of name -> rendition; prefer the original
      for _, name in ipairs({ "original", "highres", "hires", "baseImage", "preview", "thumbnail" }) do
        if type(rawget(r, name)) == "table" then list[#list + 1] = rawget(r, name) end
      end
      for k, v in pairs(r) do
        if type(k) == "string" and type(v) == "table" then list[#list + 1] = v end
      end
    end
  end
  for _, e in ipairs(list) do
    if type(e) == "table" and str(rawget(e, "href")) then
      local w, h = rawget(e, "width"), rawget(e, "height")
      return rawget(e, "href"), type(w) == "number" and w or nil, type(h) == "number" and h or nil
    end
  end
  return nil
end

local PICTURE = { picture = true, graphic = true, image = true }

local function image_of(assoc)
  if type(assoc) ~= "table" then return nil end
  local t = str(rawget(assoc, "type"))
  if t and not PICTURE[t] then return nil end
  local href, w, h = rendition_href(rawget(assoc, "renditions"))
  local caption = str(get(assoc, "description_text", "body_text"))
    or by_role(get(assoc, "descriptions"), { "caption", "summary", "text" })
    or str(get(assoc, "headline")) or by_role(get(assoc, "headlines"), { "main" })
  local credit = str(get(assoc, "by", "byline"))
    or str(get(assoc, "copyrightHolder", "copyrightholder"))
  return { url = href or str(rawget(assoc, "uri")), caption = caption, credit = credit,
    width = w, height = h }
end

local function images_of(doc)
  local out = {}
  local assoc = get(doc, "associations")
  if type(assoc) ~= "table" then return out end
  local arr = items(assoc)
  if #arr == 0 then -- 1.x: a map of name -> item, in name order
    local names = {}
    for k, v in pairs(assoc) do
      if type(k) == "string" and type(v) == "table" then names[#names + 1] = k end
    end
    table.sort(names)
    for _, k in ipairs(names) do arr[#arr + 1] = rawget(assoc, k) end
  end
  for _, a in ipairs(arr) do
    local im = image_of(a)
    if im then out[#out + 1] = im end
  end
  return out
end

--- Map a decoded ninjs document (1.x, 2.x or 3.x) onto an article table.
function M.to_article(doc)
  if type(doc) ~= "table" then
    error("bad argument #1 to 'to_article' (table expected, got " .. type(doc) .. ")", 2)
  end
  local a = {}
  local uri = str(get(doc, "uri"))
  a.id = uri
  if uri and (uri:find("^https?://")) then a.canonical_url = uri end
  a.headline = str(get(doc, "headline")) or by_role(get(doc, "headlines"), { "main", "headline" })
  a.dek = str(get(doc, "description_text"))
    or by_role(get(doc, "descriptions"), { "summary", "lead", "abstract", "main", "text" })
  a.body, a.body_format = body_of(doc)
  local by = str(get(doc, "by", "byline"))
  if by then a.byline = { by } end
  local first = str(get(doc, "firstCreated", "firstcreated"))
  local version = str(get(doc, "versionCreated", "versioncreated"))
  a.published_at = first or version
  if first and version then a.updated_at = version end
  a.embargo_until = str(get(doc, "embargoed"))
  a.language = str(get(doc, "language"))
  a.images = images_of(doc)
  return a
end

return M
