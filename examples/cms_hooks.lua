--- examples/cms_hooks.lua: a newsroom's own hooks on copydesk's workflow.
-- Copy and adapt. The built-in hooks (normalise, slug, validate, block,
-- mint, revoke on publish) stay; these add the site's rules around them.
--
--   local wf = require("copydesk.workflow").new{ store = store, signer = ring.signer,
--                                                verifier = ring.verifier }
--   require("cms_hooks").install(wf, { canonical_base = "https://news.example/",
--                                      notify = function(line) ... end })
local M = {}

function M.install(wf, opts)
  opts = opts or {}
  local base = opts.canonical_base or "https://news.example/"
  local notify = opts.notify or function(line) io.stderr:write(line, "\n") end
  local max_link_ttl = opts.max_link_ttl or 2 * 86400

  -- House rule: nothing goes to the desk without a dek.
  wf:on("before_transition", function(article, ctx)
    if ctx.to == "review" and (type(article.dek) ~= "string" or article.dek == "") then
      return false, "a dek is required before review"
    end
  end, { name = "site.dek_required", priority = 50 })

  -- The canonical URL is fixed at publication, from the slug that is frozen then.
  wf:on("before_publish", function(article)
    if article.canonical_url == nil and type(article.slug) == "string" then
      local section = type(article.section) == "string" and article.section ~= ""
        and (article.section .. "/") or ""
      article.canonical_url = base .. section .. article.slug
    end
  end, { name = "site.canonical_url", priority = 100 })

  -- Preview links for the desk live two days at most, whatever the caller asks.
  wf:on("preview_link", function(_, ctx)
    local ttl = ctx.link.ttl
    if ttl == nil or ttl > max_link_ttl then ctx.link.ttl = max_link_ttl end
  end, { name = "site.link_ttl", priority = 100 })   -- before copydesk.mint (-1000)

  -- Tell the desk when a story arrives in review, and who opened which preview.
  wf:on("after_transition", function(article, ctx)
    if ctx.to == "review" then
      notify(string.format("desk: \"%s\" (#%d) is ready for review", tostring(article.headline), article.id))
    end
  end, { name = "site.notify_review" })

  wf:on("open_preview", function(article, ctx)
    notify(string.format("desk: preview of #%d opened through editor %s's link", article.id,
      tostring(ctx.actor)))
  end, { name = "site.log_open" })

  return wf
end

return M
