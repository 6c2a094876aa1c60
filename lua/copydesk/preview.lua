--- copydesk.preview: signed, expiring, revocable preview links.
-- Signers and verifiers are C objects (copydesk.core); this module names
-- them, adds the key-material helpers and the response headers. The token
-- format, key derivation and verification order are described in
-- include/copydesk.h and README.md.
local core = require "copydesk.core"

local M = {}

--- The headers every preview response carries, success or failure.
M.headers = {
  ["Cache-Control"] = "private, no-store",
  ["X-Robots-Tag"] = "noindex, nofollow",
  ["Referrer-Policy"] = "no-referrer",
}

--- Every code verify() can return, in verification order.
M.codes = {
  "malformed", "unsupported_version", "unknown_key", "key_mismatch", "key_retired",
  "bad_signature", "not_yet_valid", "expired", "ttl_too_long",
  "revoked", "not_found", "already_used",
}

--- keygen() -> a new 32-byte master key (raw bytes).
M.keygen = core.link_keygen

--- signer{origin, master_key, kid, alg, ttl, max_ttl} -> signer
-- signer:link{article, revision, epoch, editor, ttl, once, now} -> url, token, claims
-- signer:public_key() -> 32-byte Ed25519 public key
M.signer = core.link_signer

--- verifier{origin, keys, leeway, max_ttl} -> verifier
-- verifier:verify(url_or_token [, {now, check}]) -> claims | nil, code
M.verifier = core.link_verifier

local function string_arg(fn, v, n)
  if type(v) ~= "string" then
    error("bad argument #" .. n .. " to '" .. fn .. "' (string expected, got " .. type(v) .. ")", 3)
  end
end

--- key_from_text(text) -> key | nil, "invalid_key"
-- text: the key as unpadded base64url (43 characters), surrounding whitespace allowed.
function M.key_from_text(text)
  string_arg("key_from_text", text, 1)
  return core.link_key_from_text(text)
end

--- key_to_text(key) -> the 43-character base64url text of a 32-byte key.
function M.key_to_text(key)
  string_arg("key_to_text", key, 1)
  return core.link_key_to_text(key)
end

--- read_key_file(path) -> key | nil, "key_file_error" | "invalid_key"
function M.read_key_file(path)
  string_arg("read_key_file", path, 1)
  return core.link_read_key_file(path)
end

--- key_from_env(name) -> key | nil, "key_missing" | "invalid_key"
function M.key_from_env(name)
  string_arg("key_from_env", name, 1)
  local text = os.getenv(name)
  if text == nil or text == "" then
    return nil, "key_missing"
  end
  return core.link_key_from_text(text)
end

--- write_key_file(path [, key]) -> true | nil, "key_file_exists" | "key_file_error"
-- Creates path with mode 0600 holding a new key (or the given one); never
-- replaces an existing file.
function M.write_key_file(path, key)
  string_arg("write_key_file", path, 1)
  if key ~= nil then string_arg("write_key_file", key, 2) end
  return core.link_write_key_file(path, key)
end

return M
