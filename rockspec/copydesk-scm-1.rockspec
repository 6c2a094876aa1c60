rockspec_format = "3.0"
package = "copydesk"
version = "scm-1"
source = {
  url = "git+https://example.invalid/copydesk.git",
}
description = {
  summary = "Article validation, slug generation and signed preview links for Lua news CMSs",
  detailed = [[
copydesk is a C library with Lua modules: it validates articles the way a
copy desk does, makes readable ASCII slugs from headlines in any script, and
mints and verifies expiring, revocable preview links with libsodium.
]],
  license = "MIT",
}
dependencies = {
  "lua >= 5.1, < 5.5",
  "lua-cjson",
}
external_dependencies = {
  SODIUM = { header = "sodium.h", library = "sodium" },
}
build = {
  type = "builtin",
  modules = {
    ["copydesk.core"] = {
      sources = {
        "plugin/lcopydesk.c",
        "plugin/status.c",
        "plugin/utf8.c",
        -- slugs
        "plugin/slug.c",
        "plugin/translit.c",
        "plugin/translit_data.c",

        -- validation
        "plugin/html.c",      -- HTML body scanner and sanitizer
        "plugin/html_data.c", -- HTML named character references (generated)
        "plugin/text.c",
        "plugin/validate.c",

        -- preview links
        "plugin/keyfile.c",
        "plugin/link.c",
      },
      defines = {},
      incdirs = { "include", "plugin", "$(SODIUM_INCDIR)" },
      libdirs = { "$(SODIUM_LIBDIR)" },
      libraries = { "sodium" },
    },
    ["copydesk"] = "lua/copydesk/init.lua",
    -- slugs

    -- validation
    ["copydesk.policy"] = "lua/copydesk/policy.lua",
    ["copydesk.ninjs"] = "lua/copydesk/ninjs.lua",

    -- preview links
    ["copydesk.preview"] = "lua/copydesk/preview.lua",

    -- workflow, stores, CLI
    ["copydesk.hooks"] = "lua/copydesk/hooks.lua",
    ["copydesk.workflow"] = "lua/copydesk/workflow.lua",
    ["copydesk.store.memory"] = "lua/copydesk/store/memory.lua",
    ["copydesk.store.sql"] = "lua/copydesk/store/sql.lua",
    ["copydesk.store.sqlite"] = "lua/copydesk/store/sqlite.lua",
    ["copydesk.store.postgres"] = "lua/copydesk/store/postgres.lua",
    ["copydesk.cli"] = "lua/copydesk/cli.lua",

    -- nginx
    ["copydesk.nginx"] = "lua/copydesk/nginx.lua",

  },
  -- workflow, stores, CLI: the copydesk command
  install = {
    bin = { copydesk = "bin/copydesk" },
  },
}
