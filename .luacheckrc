-- Code in lua/ must run on Lua 5.1, LuaJIT and 5.4 alike.
std = "min"
max_line_length = 110
files["tests"] = { std = "+busted" }
files["tests/spec/module_spec.lua"] = { read_globals = { "setfenv", "loadstring" } }
exclude_files = { "build/" }
-- The soak and the thread workload hold long tables of hostile inputs.
files["tests/soak/soak.lua"] = { max_line_length = 132 }
files["tests/c/threads/work.lua"] = { max_line_length = 132 }
files["tests/spec/secrets_spec.lua"] = { std = "+busted", max_line_length = 132 }
files["tests/spec/limits_spec.lua"] = { std = "+busted", max_line_length = 132 }
