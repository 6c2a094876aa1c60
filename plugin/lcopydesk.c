/*
 * The Lua binding of copydesk (module "copydesk.core"): checks arguments,
 * calls the C core, pushes results. It holds no policy; the Lua modules in
 * lua/copydesk/ build the public API on top of it.
 */
#include <string.h>

#include "copydesk.h"
#include "lcompat.h"

#if defined(__GNUC__)
#define CD_EXPORT __attribute__((visibility("default")))
#else
#define CD_EXPORT
#endif

/* ---- UTF-8 ------------------------------------------------------------ */

/* utf8_validate(s) -> true | false, offset (1-based, first bad byte) */
static int l_utf8_validate(lua_State *L)
{
	size_t len, bad = 0;
	const char *s = luaL_checklstring(L, 1, &len);

	if (cd_utf8_validate(s, len, &bad) == CD_OK) {
		lua_pushboolean(L, 1);
		return 1;
	}
	lua_pushboolean(L, 0);
	lua_pushinteger(L, (lua_Integer)bad + 1);
	return 2;
}

static const luaL_Reg utf8_functions[] = {
	{ "utf8_validate", l_utf8_validate },
	{ NULL, NULL }
};

/* ---- slugs -------------------------------------------------------------- */

static const luaL_Reg slug_functions[] = {
	{ NULL, NULL }
};

/* ---- validation --------------------------------------------------------- */

static const luaL_Reg validate_functions[] = {
	{ NULL, NULL }
};

/* ---- preview links ------------------------------------------------------ */

static const luaL_Reg link_functions[] = {
	{ NULL, NULL }
};

/* ---- HTML ---- */

static const char *const html_option_names[] = { "tags", "attributes", "schemes", NULL };

/* Rejects any key of the options table at arg that is not in names. */
static void html_check_options(lua_State *L, int arg, const char *fn)
{
	lua_pushnil(L);
	while (lua_next(L, arg)) {
		int i, known = 0;
		lua_pop(L, 1);
		if (lua_type(L, -1) == LUA_TSTRING) {
			const char *key = lua_tostring(L, -1);
			for (i = 0; html_option_names[i]; i++)
				if (strcmp(key, html_option_names[i]) == 0)
					known = 1;
			if (!known)
				luaL_error(L, "bad argument #%d to '%s' (unknown option '%s')", arg, fn, key);
		} else {
			luaL_error(L, "bad argument #%d to '%s' (unknown option of type %s)", arg, fn,
				luaL_typename(L, -1));
		}
	}
}

/*
 * Reads list option key of the table at arg into a NULL-terminated array
 * owned by a userdata left on the stack (the strings stay anchored by the
 * options table). Returns NULL, pushing nothing, when the option is absent.
 */
static const char *const *html_list(lua_State *L, int arg, const char *key, const char *fn)
{
	size_t n, i;
	const char **list;
	lua_pushstring(L, key);
	lua_rawget(L, arg);
	if (lua_isnil(L, -1)) {
		lua_pop(L, 1);
		return NULL;
	}
	if (!lua_istable(L, -1))
		luaL_error(L, "bad argument #%d to '%s' (option '%s' must be a list of strings)", arg, fn, key);
	n = lua_rawlen(L, -1);
	if (n > CD_HTML_MAX_LIST)
		luaL_error(L, "bad argument #%d to '%s' (option '%s' has more than %d entries)", arg, fn, key,
			CD_HTML_MAX_LIST);
	list = (const char **)lua_newuserdata(L, (n + 1) * sizeof *list);
	for (i = 0; i < n; i++) {
		size_t len;
		lua_rawgeti(L, -2, (int)i + 1);
		if (lua_type(L, -1) != LUA_TSTRING)
			luaL_error(L, "bad argument #%d to '%s' (option '%s' must be a list of strings)", arg, fn, key);
		list[i] = lua_tolstring(L, -1, &len);
		if (strlen(list[i]) != len)
			luaL_error(L, "bad argument #%d to '%s' (option '%s' holds a NUL byte)", arg, fn, key);
		lua_pop(L, 1);
	}
	list[n] = NULL;
	lua_remove(L, -2);
	return list;
}

/* Fills cfg from the options at arg (none or nil: the defaults). */
static void html_config(lua_State *L, int arg, cd_html_config *cfg, const char *fn)
{
	const char *bad = NULL;
	cfg->tags = cfg->attributes = cfg->schemes = NULL;
	if (lua_isnoneornil(L, arg))
		return;
	luaL_checktype(L, arg, LUA_TTABLE);
	html_check_options(L, arg, fn);
	cfg->tags = html_list(L, arg, "tags", fn);
	cfg->attributes = html_list(L, arg, "attributes", fn);
	cfg->schemes = html_list(L, arg, "schemes", fn);
	if (cd_html_config_check(cfg, &bad) != CD_OK)
		luaL_error(L, "bad argument #%d to '%s' (cannot allow '%s')", arg, fn, bad ? bad : "?");
}

static int html_buffer_write(void *ud, const char *s, size_t len)
{
	luaL_addlstring((luaL_Buffer *)ud, s, len);
	return 0;
}

/* html_sanitize(html [, opts]) -> string | nil, "invalid_utf8" */
static int l_html_sanitize(lua_State *L)
{
	size_t len;
	const char *html = luaL_checklstring(L, 1, &len);
	cd_html_config cfg;
	luaL_Buffer b;
	cd_status st;

	html_config(L, 2, &cfg, "sanitize_html");
	if (cd_utf8_validate(html, len, NULL) != CD_OK) {
		lua_pushnil(L);
		lua_pushstring(L, cd_status_code(CD_ERR_UTF8));
		return 2;
	}
	luaL_buffinit(L, &b);
	st = cd_html_sanitize_to(html, len, &cfg, html_buffer_write, &b);
	luaL_pushresult(&b);
	if (st != CD_OK) {
		lua_pushnil(L);
		lua_pushstring(L, cd_status_code(st));
		return 2;
	}
	return 1;
}

static int html_scan_finding(void *ud, const char *code, size_t start, size_t stop, const char *detail)
{
	lua_State *L = ud;
	lua_createtable(L, 0, 4);
	lua_pushstring(L, code);
	lua_setfield(L, -2, "code");
	lua_pushinteger(L, (lua_Integer)start);
	lua_setfield(L, -2, "start");
	lua_pushinteger(L, (lua_Integer)stop);
	lua_setfield(L, -2, "stop");
	lua_pushstring(L, detail);
	lua_setfield(L, -2, "detail");
	lua_rawseti(L, -2, (int)lua_rawlen(L, -2) + 1);
	return 0;
}

/* html_scan(html [, opts]) -> { { code, start, stop, detail }, ... } (for tests and tools) */
static int l_html_scan(lua_State *L)
{
	size_t len;
	const char *html = luaL_checklstring(L, 1, &len);
	cd_html_config cfg;

	html_config(L, 2, &cfg, "html_scan");
	lua_newtable(L);
	cd_html_scan(html, len, &cfg, html_scan_finding, NULL, L);
	return 1;
}

static const luaL_Reg html_functions[] = {
	{ "html_sanitize", l_html_sanitize },
	{ "html_scan", l_html_scan },
	{ NULL, NULL }
};

/* ---- module ------------------------------------------------------------ */

CD_EXPORT int luaopen_copydesk_core(lua_State *L);

int luaopen_copydesk_core(lua_State *L)
{
	lua_newtable(L);
	luaL_setfuncs(L, utf8_functions, 0);
	luaL_setfuncs(L, slug_functions, 0);
	luaL_setfuncs(L, validate_functions, 0);
	luaL_setfuncs(L, link_functions, 0);
	luaL_setfuncs(L, html_functions, 0);
	lua_pushliteral(L, CD_VERSION);
	lua_setfield(L, -2, "version");
	return 1;
}
