-- The behaviour every copydesk store shares. Used by store_*_spec.lua:
--   dofile("tests/spec/store_contract.lua")(name, make, busted)
-- make() returns a fresh, empty store; busted holds the spec's describe, it,
-- before_each, after_each and assert (spec files see them, modules do not)
-- (loaded with dofile by the caller, which decides whether the store is
-- available at all).
return function(name, make, busted)
  local describe, it, assert = busted.describe, busted.it, busted.assert
  local before_each, after_each = busted.before_each, busted.after_each
  describe("the " .. name .. " store", function()
    local store

    before_each(function()
      store = make()
    end)

    after_each(function()
      store:close()
    end)

    local function article(id, over)
      local a = { id = id, status = "draft", headline = "Storm hits coast", slug = "storm-" .. id,
                  body = "<p>Rain.</p>", byline = { "Jane Doe" }, tags = { "weather" } }
      for k, v in pairs(over or {}) do a[k] = v end
      return a
    end

    it("hands out increasing ids that are never reused", function()
      local a = store:next_id()
      local b = store:next_id()
      assert.is_true(b > a and a >= 1)
      assert.are.equal(math.floor(a), a)
    end)

    it("returns nil for an article it does not hold", function()
      assert.is_nil(store:get(999))
      assert.is_nil(store:get_revision(999, 1))
      assert.is_nil(store:epoch(999))
      assert.is_nil(store:bump_epoch(999))
      assert.is_nil(store:slug_owner("nothing-here"))
    end)

    it("stores an article and gives back an equal copy with its report", function()
      local id = store:next_id()
      local report = { ok = false, errors = 1, warnings = 0, infos = 0,
                       findings = { { code = "body_too_short", severity = "error", path = "/body" } } }
      local a = article(id)
      assert.are.equal(1, store:put(a, report))
      assert.are.equal(1, a.revision)
      local got, rep = store:get(id)
      assert.are.equal("Storm hits coast", got.headline)
      assert.are.same({ "Jane Doe" }, got.byline)
      assert.are.equal(id, got.id)
      assert.are.equal(1, got.revision)
      assert.are.equal("body_too_short", rep.findings[1].code)
      got.headline = "changed"
      assert.are.equal("Storm hits coast", (store:get(id)).headline)
    end)

    it("keeps every revision and the latest as current", function()
      local id = store:next_id()
      store:put(article(id, { headline = "one" }))
      assert.are.equal(2, store:put(article(id, { headline = "two" })))
      assert.are.equal(3, store:put(article(id, { headline = "three" })))
      assert.are.equal("three", (store:get(id)).headline)
      assert.are.equal("one", store:get_revision(id, 1).headline)
      assert.are.equal("two", store:get_revision(id, 2).headline)
      assert.is_nil(store:get_revision(id, 4))
    end)

    it("keeps bytes exactly: quotes, backslashes, NUL, invalid UTF-8, non-ASCII", function()
      local id = store:next_id()
      local nasty = "O'Brien \"said\" \\ '); DROP TABLE x; -- \0 \255\254 Αθήνα 影師 \240\159\152\128"
      store:put(article(id, { headline = nasty, body = string.rep("x", 100000) }))
      local got = store:get(id)
      assert.are.equal(nasty, got.headline)
      assert.are.equal(100000, #got.body)
    end)

    it("knows which article holds a slug, and frees a slug its article gave up", function()
      local a, b = store:next_id(), store:next_id()
      store:put(article(a, { slug = "same-o'slug" }))
      assert.are.equal(a, store:slug_owner("same-o'slug"))
      store:put(article(a, { slug = "renamed" }))
      assert.is_nil(store:slug_owner("same-o'slug"))
      store:put(article(b, { slug = "same-o'slug" }))
      assert.are.equal(b, store:slug_owner("same-o'slug"))
      assert.are.equal(a, store:slug_owner("renamed"))
    end)

    it("refuses a slug another article holds", function()
      local a, b = store:next_id(), store:next_id()
      store:put(article(a, { slug = "taken" }))
      assert.has_error(function() store:put(article(b, { slug = "taken" })) end)
    end)

    it("counts the preview epoch from 0 and bumps it by one", function()
      local id = store:next_id()
      store:put(article(id))
      assert.are.equal(0, store:epoch(id))
      assert.are.equal(1, store:bump_epoch(id))
      assert.are.equal(2, store:bump_epoch(id))
      store:put(article(id, { headline = "later" }))
      assert.are.equal(2, store:epoch(id))
    end)

    it("keeps the audit trail of each article in order", function()
      local a, b = store:next_id(), store:next_id()
      store:append_audit({ article = a, actor = "jane", at = "2026-11-28T12:00:00Z",
                           from = "draft", to = "review", findings = 3, errors = 0 })
      store:append_audit({ article = b, actor = "o'hara", at = "2026-11-28T12:01:00Z",
                           from = "draft", to = "review", findings = 0, errors = 0 })
      store:append_audit({ article = a, actor = nil, at = "2026-11-28T12:02:00Z",
                           from = "review", to = "approved", findings = 1, errors = 0 })
      local trail = store:audit(a)
      assert.are.equal(2, #trail)
      assert.are.same({ article = a, actor = "jane", at = "2026-11-28T12:00:00Z", from = "draft",
                        to = "review", findings = 3, errors = 0 }, trail[1])
      assert.are.equal("approved", trail[2].to)
      assert.is_nil(trail[2].actor)
      assert.are.equal("o'hara", store:audit(b)[1].actor)
      assert.are.same({}, store:audit(12345))
    end)

    it("marks a one-time link used exactly once", function()
      assert.is_true(store:use_link("00112233445566778899"))
      assert.is_false(store:use_link("00112233445566778899"))
      assert.is_true(store:use_link("aabbccddeeff00112233"))
    end)

    it("commits a transaction that returns, and passes its results through", function()
      local id, x, y = store:transaction(function(s, p)
        local i = s:next_id()
        s:put(article(i))
        s:bump_epoch(i)
        return i, p, "two"
      end, "one")
      assert.are.equal("one", x)
      assert.are.equal("two", y)
      assert.are.equal(1, store:epoch(id))
    end)

    it("undoes every change of a transaction that raises, and raises again", function()
      local id = store:next_id()
      store:put(article(id, { headline = "before", slug = "before" }))
      store:use_link("ffeeddccbbaa99887766")
      local ok, err = pcall(store.transaction, store, function(s)
        s:put(article(id, { headline = "after", slug = "after" }))
        s:bump_epoch(id)
        s:append_audit({ article = id, at = "2026-11-28T12:00:00Z", from = "draft", to = "review",
                         findings = 0, errors = 0 })
        s:use_link("00000000000000000001")
        local other = s:next_id()
        s:put(article(other, { slug = "other" }))
        error("boom")
      end)
      assert.is_false(ok)
      assert.matches("boom", tostring(err))
      local got = store:get(id)
      assert.are.equal("before", got.headline)
      assert.are.equal(1, got.revision)
      assert.is_nil(store:get_revision(id, 2))
      assert.are.equal(0, store:epoch(id))
      assert.are.same({}, store:audit(id))
      assert.are.equal(id, store:slug_owner("before"))
      assert.is_nil(store:slug_owner("after"))
      assert.is_nil(store:slug_owner("other"))
      assert.is_true(store:use_link("00000000000000000001"))
      assert.is_false(store:use_link("ffeeddccbbaa99887766"))
    end)

    it("joins a nested transaction to the outer one", function()
      local id = store:next_id()
      store:put(article(id, { headline = "before" }))
      pcall(store.transaction, store, function(s)
        s:transaction(function(inner) inner:put(article(id, { headline = "inner" })) end)
        error("outer fails")
      end)
      assert.are.equal("before", (store:get(id)).headline)
    end)

    it("rolls back only a nested transaction that raises, as a savepoint", function()
      local id = store:next_id()
      store:put(article(id, { headline = "before", slug = "before" }))
      local other
      local r = store:transaction(function(s)
        s:put(article(id, { headline = "outer", slug = "outer" }))
        local ok, err = pcall(s.transaction, s, function(inner)
          other = inner:next_id()
          inner:put(article(other, { slug = "inner" }))
          inner:bump_epoch(id)
          inner:use_link("0000000000000000000a")
          inner:transaction(function(deeper) deeper:put(article(id, { headline = "deeper" })) end)
          error("inner fails")
        end)
        assert.is_false(ok)
        assert.matches("inner fails", tostring(err))
        s:append_audit({ article = id, at = "2026-11-28T12:00:00Z", from = "draft", to = "review",
                         findings = 0, errors = 0 })
        return "outer done"
      end)
      assert.are.equal("outer done", r)
      local got = store:get(id)
      assert.are.equal("outer", got.headline)
      assert.are.equal(2, got.revision)
      assert.are.equal(0, store:epoch(id))
      assert.is_nil(store:get(other))
      assert.is_nil(store:slug_owner("inner"))
      assert.are.equal(id, store:slug_owner("outer"))
      assert.are.equal(1, #store:audit(id))
      assert.is_true(store:use_link("0000000000000000000a"))
    end)
  end)
end
