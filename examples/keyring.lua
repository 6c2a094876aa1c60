-- copydesk preview keyring: which keys mint and verify preview links.
-- Read by copydesk.nginx.configure() (nginx's init_by_lua*) and by CMS
-- scripts through copydesk.nginx.keyring(). It names key files; keys are
-- never written here. Each key file holds one key as base64url text
-- (`copydesk keygen FILE` writes one with mode 0600).
--
-- Rotation: add a key id, point `signer_kid` at it, mark the old id
-- `retired = true` once max_ttl has passed since the switch.
return {
  origin = "https://news.example",      -- signed into every link, never sent
  signer_kid = 2,                       -- the key that mints new links
  keys = {
    [1] = { alg = "hmac", key_file = "/etc/copydesk/keys/preview-1.key", retired = true },
    [2] = { alg = "hmac", key_file = "/etc/copydesk/keys/preview-2.key" },
    -- An edge that verifies Ed25519 links holds only the public key:
    -- [3] = { alg = "ed25519", public_key_file = "/etc/copydesk/keys/preview-3.pub" },
  },
  leeway = 60,                          -- seconds of clock skew allowed
  max_ttl = 30 * 86400,                 -- no link lives longer
  ttl = 2 * 86400,                      -- default lifetime of a new link
  store = { driver = "sqlite", path = "/var/lib/copydesk/newsroom.db" },
  canonical_base = "https://news.example/",   -- published story without canonical_url: base .. slug
  site_name = "The Porthaven Courier",
}
