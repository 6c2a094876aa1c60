/*
 * The few Lua C API differences copydesk meets across 5.1, 5.3, 5.4 and
 * LuaJIT 2.1. Shims are guarded by the symbols the headers provide, not by
 * LUA_VERSION_NUM alone: LuaJIT 2.1 reports 501 yet has luaL_setfuncs.
 */
#ifndef CD_LCOMPAT_H
#define CD_LCOMPAT_H

#include "lua.h"
#include "lauxlib.h"

#ifndef luaL_newlib /* Lua 5.1 proper */
static void cd_compat_setfuncs(lua_State *L, const luaL_Reg *l, int nup)
{
	int i;
	luaL_checkstack(L, nup + 1, "too many upvalues");
	for (; l->name != NULL; l++) {
		for (i = 0; i < nup; i++)
			lua_pushvalue(L, -nup);
		lua_pushcclosure(L, l->func, nup);
		lua_setfield(L, -(nup + 2), l->name);
	}
	lua_pop(L, nup);
}
#define luaL_setfuncs(L, l, nup) cd_compat_setfuncs((L), (l), (nup))
#define luaL_newlib(L, l) (lua_newtable(L), luaL_setfuncs((L), (l), 0))
#endif

#if !defined(LUA_VERSION_NUM) || LUA_VERSION_NUM < 502
#define lua_rawlen(L, i) lua_objlen((L), (i))
#endif

#endif /* CD_LCOMPAT_H */
