--- copydesk.hooks: a registry of named, prioritised handlers per event.
-- Handlers run highest priority first, ties by name (byte order). A handler
-- that raises is caught and reported with its name; it never escapes `run`.
-- The registry holds no workflow knowledge: copydesk.workflow gives it meaning.
local M = {}

local Registry = {}
Registry.__index = Registry

local function sorted_copy(list)
  local out = {}
  for i = 1, #list do out[i] = list[i] end
  table.sort(out, function(a, b)
    if a.priority ~= b.priority then return a.priority > b.priority end
    return a.name < b.name
  end)
  return out
end

local function check_event(self, event, fname)
  if type(event) ~= "string" then
    error("bad argument #1 to '" .. fname .. "' (string expected, got " .. type(event) .. ")", 3)
  end
  if self.events and not self.events[event] then
    error("bad argument #1 to '" .. fname .. "' (unknown event '" .. event .. "')", 3)
  end
end

--- A new registry. opts.events: optional list of the event names it accepts.
function M.new(opts)
  if opts ~= nil and type(opts) ~= "table" then
    error("bad argument #1 to 'new' (table expected, got " .. type(opts) .. ")", 2)
  end
  local self = setmetatable({ lists = {}, seq = 0 }, Registry)
  if opts then
    for k in pairs(opts) do
      if k ~= "events" then
        error("bad argument #1 to 'new' (unknown option '" .. tostring(k) .. "')", 2)
      end
    end
    if opts.events ~= nil then
      if type(opts.events) ~= "table" then
        error("bad argument #1 to 'new' (option 'events' must be a table)", 2)
      end
      self.events = {}
      for _, e in ipairs(opts.events) do self.events[e] = true end
    end
  end
  return self
end

--- Register fn for event. opts: { priority = number (default 0), name = string }.
-- Without a name the hook is called "hook-<n>" in registration order.
-- Raises on a name already registered for that event.
-- @return self
function Registry:on(event, fn, opts)
  check_event(self, event, "on")
  if type(fn) ~= "function" then
    error("bad argument #2 to 'on' (function expected, got " .. type(fn) .. ")", 2)
  end
  if opts ~= nil and type(opts) ~= "table" then
    error("bad argument #3 to 'on' (table expected, got " .. type(opts) .. ")", 2)
  end
  opts = opts or {}
  for k in pairs(opts) do
    if k ~= "priority" and k ~= "name" then
      error("bad argument #3 to 'on' (unknown option '" .. tostring(k) .. "')", 2)
    end
  end
  local priority = opts.priority
  if priority == nil then
    priority = 0
  elseif type(priority) ~= "number" or priority ~= priority then
    error("bad argument #3 to 'on' (option 'priority' must be a number)", 2)
  end
  self.seq = self.seq + 1
  local name = opts.name
  if name == nil then
    name = string.format("hook-%06d", self.seq)
  elseif type(name) ~= "string" or name == "" then
    error("bad argument #3 to 'on' (option 'name' must be a non-empty string)", 2)
  end
  local list = self.lists[event] or {}
  for _, h in ipairs(list) do
    if h.name == name then
      error("bad argument #3 to 'on' (hook '" .. name .. "' is already registered for '" .. event .. "')", 2)
    end
  end
  -- Copy on write: a run in progress keeps iterating the list it started with.
  local new = { { name = name, priority = priority, fn = fn } }
  for i = 1, #list do new[i + 1] = list[i] end
  self.lists[event] = sorted_copy(new)
  return self
end

--- Remove the hook called name from event. @return true if one was removed, false otherwise.
function Registry:off(event, name)
  check_event(self, event, "off")
  if type(name) ~= "string" then
    error("bad argument #2 to 'off' (string expected, got " .. type(name) .. ")", 2)
  end
  local list = self.lists[event]
  if not list then return false end
  local new, removed = {}, false
  for _, h in ipairs(list) do
    if h.name == name then removed = true else new[#new + 1] = h end
  end
  self.lists[event] = new
  return removed
end

--- The hooks of event in run order: a list of { name = , priority = } (copies).
function Registry:list(event)
  check_event(self, event, "list")
  local out = {}
  for i, h in ipairs(self.lists[event] or {}) do
    out[i] = { name = h.name, priority = h.priority }
  end
  return out
end

local function describe(err)
  if type(err) == "string" then return err end
  if type(err) == "table" and type(err.message) == "string" then return err.message end
  return tostring(err)
end

--- Run the hooks of event with (...) in order.
-- A hook that raises stops the run: nil, "hook_failed", message, hook name.
-- A hook that returns false (and optionally a reason) stops it too:
-- nil, "hook_rejected", reason, hook name. Otherwise true.
function Registry:run(event, ...)
  check_event(self, event, "run")
  local list = self.lists[event]
  if not list then return true end
  for i = 1, #list do
    local h = list[i]
    local ok, r1, r2 = pcall(h.fn, ...)
    if not ok then
      return nil, "hook_failed",
        "hook '" .. h.name .. "' failed on " .. event .. ": " .. describe(r1), h.name
    end
    if r1 == false then
      local reason = r2 ~= nil and describe(r2) or "rejected"
      return nil, "hook_rejected", "hook '" .. h.name .. "' rejected " .. event .. ": " .. reason, h.name
    end
  end
  return true
end

M.Registry = Registry

return M
