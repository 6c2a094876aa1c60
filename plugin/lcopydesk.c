/*
 * The Lua binding of copydesk (module "copydesk.core"): checks arguments,
 * calls the C core, pushes results. It holds no policy; the Lua modules in
 * lua/copydesk/ build the public API on top of it.
 */
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

/* ---- module ------------------------------------------------------------ */

CD_EXPORT int luaopen_copydesk_core(lua_State *L);

int luaopen_copydesk_core(lua_State *L)
{
	lua_newtable(L);
	luaL_setfuncs(L, utf8_functions, 0);
	luaL_setfuncs(L, slug_functions, 0);
	luaL_setfuncs(L, validate_functions, 0);
	luaL_setfuncs(L, link_functions, 0);
	lua_pushliteral(L, CD_VERSION);
	lua_setfield(L, -2, "version");
	return 1;
}
