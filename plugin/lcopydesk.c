/*
 * The Lua binding of copydesk (module "copydesk.core"): checks arguments,
 * calls the C core, pushes results. It holds no policy; the Lua modules in
 * lua/copydesk/ build the public API on top of it.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

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

/* Raises `bad argument #arg to 'fname' (<where>unknown option 'x')` for the
 * first key of the table at idx that is not in names (NULL-terminated). The
 * keys are read raw; fname NULL names the running function as luaL_argerror
 * does. */
static void check_option_keys(lua_State *L, int idx, int arg, const char *fname,
	const char *where, const char *const names[])
{
	lua_pushnil(L);
	while (lua_next(L, idx) != 0) {
		int i, known = 0;
		lua_pop(L, 1);
		if (lua_type(L, -1) == LUA_TSTRING) {
			const char *k = lua_tostring(L, -1);
			for (i = 0; names[i] && !known; i++)
				known = strcmp(k, names[i]) == 0;
			if (known)
				continue;
			lua_pushfstring(L, "%sunknown option '%s'", where, k);
		} else {
			lua_pushfstring(L, "%sunknown option of type %s", where, luaL_typename(L, -1));
		}
		if (fname == NULL)
			luaL_argerror(L, arg, lua_tostring(L, -1));
		luaL_error(L, "bad argument #%d to '%s' (%s)", arg, fname, lua_tostring(L, -1));
	}
}

/* The field key of the options table at arg if it has type t (or is nil:
 * returns 0); raises on another type. */
static int opt_field(lua_State *L, int arg, const char *key, int t, const char *tname)
{
	lua_getfield(L, arg, key);
	if (lua_isnil(L, -1)) {
		lua_pop(L, 1);
		return 0;
	}
	if (lua_type(L, -1) != t)
		luaL_argerror(L, arg, lua_pushfstring(L, "option '%s' must be %s, got %s", key, tname,
					      luaL_typename(L, -1)));
	return 1;
}

static const char *const slug_option_names[] = {
	"separator", "max_length", "lowercase", "locale", "stopwords", "replacements",
	"allow_unicode", NULL
};

/* Reads the options table at index 2 into *o; list arrays live in a
 * userdata left on the stack (collected by Lua, so an error leaks nothing).
 * Every string and list read stays on the stack too: an __index function
 * may have made it, and then nothing else keeps it from the collector.
 * Returns 0 when there is no table (the C defaults apply). */
static int slug_options(lua_State *L, cd_slug_options *o)
{
	if (lua_isnoneornil(L, 2))
		return 0;
	cd_slug_defaults(o);
	luaL_checktype(L, 2, LUA_TTABLE);
	check_option_keys(L, 2, 2, NULL, "", slug_option_names);
	if (opt_field(L, 2, "separator", LUA_TSTRING, "a string")) {
		o->separator = lua_tolstring(L, -1, &o->separator_len); /* stays on the stack */
	}
	if (opt_field(L, 2, "max_length", LUA_TNUMBER, "a number")) {
		lua_Number n = lua_tonumber(L, -1);
		if (!(n >= 0 && n <= 1e15) || n != (lua_Number)(lua_Integer)n)
			luaL_argerror(L, 2, "option 'max_length' must be a non-negative integer");
		o->max_length = (size_t)n;
		lua_pop(L, 1);
	}
	if (opt_field(L, 2, "lowercase", LUA_TBOOLEAN, "a boolean")) {
		o->lowercase = lua_toboolean(L, -1);
		lua_pop(L, 1);
	}
	if (opt_field(L, 2, "allow_unicode", LUA_TBOOLEAN, "a boolean")) {
		o->allow_unicode = lua_toboolean(L, -1);
		lua_pop(L, 1);
	}
	if (opt_field(L, 2, "locale", LUA_TSTRING, "a string")) {
		o->locale = lua_tolstring(L, -1, &o->locale_len); /* stays on the stack */
	}
	lua_getfield(L, 2, "stopwords");
	if (lua_isboolean(L, -1)) {
		o->stopwords = lua_toboolean(L, -1) ? 1 : 0;
	} else if (lua_istable(L, -1)) {
		size_t n = (size_t)lua_rawlen(L, -1), i;
		const char **list;
		size_t *lens;
		if (n > 100000)
			luaL_argerror(L, 2, "option 'stopwords' has too many words");
		list = (const char **)lua_newuserdata(L, (n ? n : 1) * (sizeof *list + sizeof *lens));
		lens = (size_t *)(void *)(list + (n ? n : 1));
		lua_insert(L, 3); /* keep the userdata below the work area */
		for (i = 0; i < n; i++) {
			lua_rawgeti(L, -1, (int)i + 1);
			if (lua_type(L, -1) != LUA_TSTRING)
				luaL_argerror(L, 2, "option 'stopwords' must hold strings");
			list[i] = lua_tolstring(L, -1, &lens[i]);
			lua_pop(L, 1);
		}
		o->stopwords = 2;
		o->stopword_list = list;
		o->stopword_lens = lens;
		o->stopword_count = n;
	} else if (!lua_isnil(L, -1)) {
		luaL_argerror(L, 2, lua_pushfstring(L, "option 'stopwords' must be a boolean or a "
						       "table, got %s", luaL_typename(L, -1)));
	} /* the list stays on the stack with its strings */
	if (opt_field(L, 2, "replacements", LUA_TTABLE, "a table")) {
		size_t n = (size_t)lua_rawlen(L, -1), i;
		const char **list;
		size_t *lens;
		if (n > 100000)
			luaL_argerror(L, 2, "option 'replacements' has too many pairs");
		list = (const char **)lua_newuserdata(L, (n ? 2 * n : 1) * (sizeof *list + sizeof *lens));
		lens = (size_t *)(void *)(list + (n ? 2 * n : 1));
		lua_insert(L, 3);
		for (i = 0; i < n; i++) {
			int j;
			lua_rawgeti(L, -1, (int)i + 1);
			if (!lua_istable(L, -1))
				luaL_argerror(L, 2, "option 'replacements' must hold {from, to} pairs");
			for (j = 0; j < 2; j++) {
				lua_rawgeti(L, -1, j + 1);
				if (lua_type(L, -1) != LUA_TSTRING)
					luaL_argerror(L, 2, "option 'replacements' must hold {from, to} pairs");
				list[2 * i + j] = lua_tolstring(L, -1, &lens[2 * i + j]);
				lua_pop(L, 1);
			}
			lua_pop(L, 1);
		}
		o->replacement_list = list;
		o->replacement_lens = lens;
		o->replacement_count = n; /* the pairs stay on the stack */
	}
	switch (cd_slug_check_options(o)) {
	case CD_OK:
		break;
	case CD_ERR_SEPARATOR:
		luaL_argerror(L, 2, "option 'separator' must be at most 16 bytes of UTF-8 "
				    "without letters or digits");
		break;
	default:
		luaL_argerror(L, 2, "option 'replacements' must hold UTF-8 strings");
		break;
	}
	return 1;
}

#define SLUG_STACK_BUF 1024

/* slugify(text [, opts]) -> slug | nil, "invalid_utf8" */
static int l_slugify(lua_State *L)
{
	size_t len, out_len = 0, cap = SLUG_STACK_BUF, bound;
	const char *s = luaL_checklstring(L, 1, &len);
	cd_slug_options o;
	char stack[SLUG_STACK_BUF];
	char *buf = stack;
	cd_status st;

	const cd_slug_options *op = slug_options(L, &o) ? &o : NULL;
	/* A headline without options fits the stack buffer (at most 5 bytes per
	 * input byte + 16): no bound to compute on the common path. */
	if (op != NULL || len > (SLUG_STACK_BUF - 16) / 5) {
		bound = cd_slug_bound(len, op);
		if (bound > SLUG_STACK_BUF) { /* most slugs are shorter than their text */
			cap = len < (SIZE_MAX - 256) / 3 ? 3 * len + 256 : SIZE_MAX;
			if (bound < cap)
				cap = bound;
			if (cap > SLUG_STACK_BUF)
				buf = (char *)lua_newuserdata(L, cap);
			else
				cap = SLUG_STACK_BUF;
		}
	}
	st = cd_slugify(s, len, op, buf, cap, &out_len);
	if (st == CD_ERR_SPACE && (bound = cd_slug_bound(len, op)) > cap) {
		if (bound == SIZE_MAX)
			return luaL_error(L, "slugify: text too large");
		buf = (char *)lua_newuserdata(L, bound);
		st = cd_slugify(s, len, op, buf, bound, &out_len);
	}
	if (st == CD_ERR_UTF8) {
		lua_pushnil(L);
		lua_pushstring(L, cd_status_code(st));
		return 2;
	}
	if (st != CD_OK)
		return luaL_error(L, "slugify: %s", cd_status_code(st));
	lua_pushlstring(L, buf, out_len);
	return 1;
}

static const luaL_Reg slug_functions[] = {
	{ "slugify", l_slugify },
	{ NULL, NULL }
};

/* ---- validation --------------------------------------------------------- */

/*
 * copydesk.core validation: a compiled policy is a "copydesk.policy"
 * userdata owning a cd_policy; each validation's findings and scratch
 * (the C copy of the article's lists) live in a cd_report owned by the
 * policy (reused) or, when that one is busy, by a fresh userdata, so a Lua
 * error in between never leaks. The article is read with raw access only.
 */
#define CD_POLICY_MT "copydesk.policy"
#define CD_REPORT_MT "copydesk.report"

typedef struct lpolicy {
	cd_policy *p;
	cd_report *scratch; /* reused by validations when not busy */
	int busy;
} lpolicy;

typedef struct lreport {
	cd_report *r;
} lreport;

static int l_policy_gc(lua_State *L)
{
	lpolicy *lp = luaL_checkudata(L, 1, CD_POLICY_MT);
	cd_policy_free(lp->p);
	cd_report_free(lp->scratch);
	lp->p = NULL;
	lp->scratch = NULL;
	return 0;
}

static int l_report_gc(lua_State *L)
{
	lreport *lr = luaL_checkudata(L, 1, CD_REPORT_MT);
	cd_report_free(lr->r);
	lr->r = NULL;
	return 0;
}

static lpolicy *check_policy(lua_State *L, int idx)
{
	lpolicy *lp = luaL_checkudata(L, idx, CD_POLICY_MT);
	if (lp->p == NULL)
		luaL_argerror(L, idx, "policy is closed");
	return lp;
}

/* policy_new() -> compiled policy with the defaults of the C core */
static int l_policy_new(lua_State *L)
{
	lpolicy *lp = lua_newuserdata(L, sizeof *lp);
	lp->p = NULL;
	lp->scratch = NULL;
	lp->busy = 0;
	if (luaL_newmetatable(L, CD_POLICY_MT)) {
		lua_pushcfunction(L, l_policy_gc);
		lua_setfield(L, -2, "__gc");
		lua_pushliteral(L, "copydesk.policy");
		lua_setfield(L, -2, "__metatable");
	}
	lua_setmetatable(L, -2);
	lp->p = cd_policy_new();
	if (lp->p == NULL)
		return luaL_error(L, "out of memory");
	return 1;
}

static const char *const stage_names[] = { "draft", "review", "published", NULL };
static const char *const severity_names[] = { "off", "info", "warning", "error", NULL };

static cd_rule check_rule(lua_State *L, int idx)
{
	size_t len;
	const char *code = luaL_checklstring(L, idx, &len);
	int r = cd_rule_lookup(code, len);
	if (r < 0)
		luaL_argerror(L, idx, lua_pushfstring(L, "unknown rule '%s'", code));
	return (cd_rule)r;
}

/* policy_severity(p, code, stage [, severity]) -> severity */
static int l_policy_severity(lua_State *L)
{
	lpolicy *lp = check_policy(L, 1);
	cd_rule rule = check_rule(L, 2);
	cd_stage stage = (cd_stage)luaL_checkoption(L, 3, NULL, stage_names);
	if (!lua_isnoneornil(L, 4))
		cd_policy_set_severity(lp->p, rule, stage,
			(cd_severity)luaL_checkoption(L, 4, NULL, severity_names));
	lua_pushstring(L, cd_severity_name(cd_policy_severity(lp->p, rule, stage)));
	return 1;
}

static const char *const threshold_names[] = { "headline_min", "headline_max", "dek_max",
	"description_min", "description_max", "slug_max", "body_min_words", "all_caps_words",
	"max_findings", "max_bytes", "max_items", "max_depth", NULL };

/* policy_threshold(p, name [, value]) -> value */
static int l_policy_threshold(lua_State *L)
{
	lpolicy *lp = check_policy(L, 1);
	cd_threshold t = (cd_threshold)luaL_checkoption(L, 2, NULL, threshold_names);
	if (!lua_isnoneornil(L, 3)) {
		lua_Number n = luaL_checknumber(L, 3);
		if (!(n >= 0 && n <= 1e15) || n != (lua_Number)(lua_Integer)n)
			return luaL_argerror(L, 3, "a whole number >= 0 expected");
		cd_policy_set_threshold(lp->p, t, (size_t)n);
	}
	lua_pushnumber(L, (lua_Number)cd_policy_threshold(lp->p, t));
	return 1;
}

/* policy_quotes(p, "consistent" | "curly" | "straight") */
static int l_policy_quotes(lua_State *L)
{
	static const char *const styles[] = { "consistent", "curly", "straight", NULL };
	lpolicy *lp = check_policy(L, 1);
	cd_policy_set_quotes(lp->p, luaL_checkoption(L, 2, NULL, styles));
	return 0;
}

/* policy_stage(p, stage | nil): force a stage, or take it from the status */
static int l_policy_stage(lua_State *L)
{
	lpolicy *lp = check_policy(L, 1);
	cd_policy_set_stage(lp->p, lua_isnoneornil(L, 2) ? -1 : luaL_checkoption(L, 2, NULL, stage_names));
	return 0;
}

static const char *const list_names[] = { "placeholders", "boilerplate", "terms",
	"camel_names", "html_tags", "html_attributes", "html_schemes", NULL };

/* policy_list(p, name, array of strings): replaces the list. Returns nil, or
 * the offending entry of an HTML list. */
static int l_policy_list(lua_State *L)
{
	lpolicy *lp = check_policy(L, 1);
	cd_policy_list list = (cd_policy_list)luaL_checkoption(L, 2, NULL, list_names);
	size_t i, n;
	const char *bad = NULL;
	luaL_checktype(L, 3, LUA_TTABLE);
	n = lua_rawlen(L, 3);
	cd_policy_list_clear(lp->p, list);
	for (i = 1; i <= n; i++) {
		size_t len;
		const char *s;
		lua_rawgeti(L, 3, (int)i);
		if (lua_type(L, -1) != LUA_TSTRING)
			return luaL_argerror(L, 3, "array of strings expected");
		s = lua_tolstring(L, -1, &len);
		if (cd_policy_list_add(lp->p, list, s, len) != CD_OK)
			return luaL_error(L, "out of memory");
		lua_pop(L, 1);
	}
	if (list >= CD_LIST_HTML_TAGS && cd_policy_check_html(lp->p, &bad) != CD_OK) {
		lua_pushstring(L, bad ? bad : "?");
		return 1;
	}
	return 0;
}

/* rule_codes() -> { code, ... } in the order of the C core */
static int l_rule_codes(lua_State *L)
{
	int i;
	lua_createtable(L, CD_RULE_COUNT, 0);
	for (i = 0; i < CD_RULE_COUNT; i++) {
		lua_pushstring(L, cd_rule_code((cd_rule)i));
		lua_rawseti(L, -2, i + 1);
	}
	return 1;
}

/* --- reading the article --- */

typedef struct reader {
	lua_State *L;
	cd_report *r;
	const cd_policy *p;
	cd_stage stage;
	size_t bytes;
	int article; /* stack index of the article */
	int failed;  /* out of memory */
} reader;

static void rd_add(reader *rd, cd_rule rule, const char *path, const char *msg)
{
	if (cd_report_add(rd->r, rd->p, rd->stage, rule, path, 0, 0, msg) != CD_OK)
		rd->failed = 1;
}

static void rd_type(reader *rd, const char *path, const char *want, int got)
{
	char msg[96];
	snprintf(msg, sizeof msg, "%s expected, got %s", want, lua_typename(rd->L, got));
	rd_add(rd, CD_RULE_INPUT_TYPE, path, msg);
}

/* Reads the value on top of the stack (popped) as a string field. */
static void rd_string(reader *rd, cd_field *f, const char *path)
{
	lua_State *L = rd->L;
	int t = lua_type(L, -1);
	f->s = NULL;
	f->len = 0;
	f->state = CD_FIELD_ABSENT;
	if (t == LUA_TSTRING) {
		f->s = lua_tolstring(L, -1, &f->len);
		f->state = CD_FIELD_SET;
		rd->bytes += f->len;
	} else if (t != LUA_TNIL && t != LUA_TLIGHTUSERDATA) { /* JSON null: absent */
		rd_type(rd, path, "string", t);
		f->state = CD_FIELD_BAD;
	}
	lua_pop(L, 1);
}

static void rd_key(reader *rd, int tidx, const char *key)
{
	lua_pushstring(rd->L, key);
	lua_rawget(rd->L, tidx);
}

static void rd_number(reader *rd, int tidx, const char *key, const char *path)
{
	lua_State *L = rd->L;
	int t;
	rd_key(rd, tidx, key);
	t = lua_type(L, -1);
	if (t == LUA_TNUMBER) {
		lua_Number n = lua_tonumber(L, -1);
		if (n != n || n - n != 0)
			rd_add(rd, CD_RULE_INPUT_TYPE, path, "a finite number expected, got NaN or infinity");
		else if (n < 0)
			rd_add(rd, CD_RULE_INPUT_TYPE, path, "a number >= 0 expected");
	} else if (t != LUA_TNIL && t != LUA_TLIGHTUSERDATA) {
		rd_type(rd, path, "number", t);
	}
	lua_pop(L, 1);
}

static char *rd_path(reader *rd, const char *list, size_t i, const char *leaf)
{
	char *out = cd_report_path(rd->r, list, i, leaf);
	if (out == NULL)
		rd->failed = 1;
	return out;
}

/*
 * Reads the array on top of the stack (left there): returns its length, 0
 * with a finding when it is not a table, is too long, or is the article
 * itself (a cycle).
 */
static size_t rd_array(reader *rd, const char *path, int *state)
{
	lua_State *L = rd->L;
	int t = lua_type(L, -1);
	size_t n;
	*state = CD_FIELD_ABSENT;
	if (t == LUA_TNIL || t == LUA_TLIGHTUSERDATA)
		return 0;
	if (t != LUA_TTABLE) {
		rd_type(rd, path, "array", t);
		*state = CD_FIELD_BAD;
		return 0;
	}
	if (lua_rawequal(L, -1, rd->article)) {
		rd_add(rd, CD_RULE_INPUT_TYPE, path, "the table refers back to the article (a cycle)");
		*state = CD_FIELD_BAD;
		return 0;
	}
	n = lua_rawlen(L, -1);
	if (n > cd_policy_threshold(rd->p, CD_T_MAX_ITEMS)) {
		rd_add(rd, CD_RULE_INPUT_TOO_LARGE, path, "too many items");
		*state = CD_FIELD_BAD;
		return 0;
	}
	*state = CD_FIELD_SET;
	return n;
}

/* An element of a list that must be an object: pushed; 0 when not. */
static int rd_object(reader *rd, int arr, size_t i, const char *path)
{
	lua_State *L = rd->L;
	int t;
	lua_rawgeti(L, arr, (int)(i + 1));
	t = lua_type(L, -1);
	if (t != LUA_TTABLE) {
		if (t != LUA_TNIL && t != LUA_TLIGHTUSERDATA)
			rd_type(rd, path, "object", t);
		lua_pop(L, 1);
		return 0;
	}
	if (lua_rawequal(L, -1, rd->article) || lua_rawequal(L, -1, arr)) {
		rd_add(rd, CD_RULE_INPUT_TYPE, path, "the table refers back to its parent (a cycle)");
		lua_pop(L, 1);
		return 0;
	}
	return 1;
}

/* The n strings of the array on top of the stack into fields the report
 * owns; pops the array. NULL when n is 0, or with rd->failed. */
static cd_field *rd_strings(reader *rd, const char *list, size_t n)
{
	lua_State *L = rd->L;
	cd_field *fs = n ? cd_report_alloc(rd->r, n * sizeof *fs) : NULL;
	size_t i;
	if (fs == NULL) {
		rd->failed |= n != 0;
		lua_pop(L, 1);
		return NULL;
	}
	for (i = 0; i < n; i++) {
		lua_rawgeti(L, -1, (int)(i + 1));
		rd_string(rd, &fs[i], rd_path(rd, list, i, NULL));
	}
	lua_pop(L, 1);
	return fs;
}

typedef struct field_at {
	const char *key;
	size_t off; /* of its cd_field in the entry */
} field_at;

static const field_at image_fields[] = {
	{ "url", offsetof(cd_image, url) }, { "alt", offsetof(cd_image, alt) },
	{ "caption", offsetof(cd_image, caption) }, { "credit", offsetof(cd_image, credit) },
};
static const field_at related_fields[] = {
	{ "url", offsetof(cd_related, url) }, { "headline", offsetof(cd_related, headline) },
};

/* The n objects of the array on top of the stack into entries of size
 * bytes the report owns: the string fields fs (all BAD for an entry that is
 * not an object) and, with sizes, width and height checked as numbers;
 * pops the array. NULL when n is 0, or with rd->failed. */
static void *rd_objects(reader *rd, const char *list, size_t n, size_t size,
	const field_at *fs, size_t nf, int sizes)
{
	lua_State *L = rd->L;
	int arr = lua_gettop(L);
	char *out = n ? cd_report_alloc(rd->r, n * size) : NULL;
	size_t i, k;
	if (out == NULL) {
		rd->failed |= n != 0;
		lua_pop(L, 1);
		return NULL;
	}
	memset(out, 0, n * size);
	for (i = 0; i < n; i++) {
		char *entry = out + i * size;
		int obj;
		if (!rd_object(rd, arr, i, rd_path(rd, list, i, NULL))) {
			for (k = 0; k < nf; k++)
				((cd_field *)(void *)(entry + fs[k].off))->state = CD_FIELD_BAD;
			continue;
		}
		obj = lua_gettop(L);
		for (k = 0; k < nf; k++) {
			rd_key(rd, obj, fs[k].key);
			rd_string(rd, (cd_field *)(void *)(entry + fs[k].off), rd_path(rd, list, i, fs[k].key));
		}
		if (sizes) {
			rd_number(rd, obj, "width", rd_path(rd, list, i, "width"));
			rd_number(rd, obj, "height", rd_path(rd, list, i, "height"));
		}
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
	return out;
}

static void read_article(reader *rd, cd_article *a)
{
	lua_State *L = rd->L;
	int ai = rd->article, st;
	size_t i, n;
	/* path: the JSON Pointer, "/" and the key */
	static const struct { const char *path; size_t off; } strings[] = {
		{ "/slug", offsetof(cd_article, slug) },
		{ "/status", offsetof(cd_article, status) },
		{ "/headline", offsetof(cd_article, headline) },
		{ "/dek", offsetof(cd_article, dek) },
		{ "/description", offsetof(cd_article, description) },
		{ "/body", offsetof(cd_article, body) },
		{ "/language", offsetof(cd_article, language) },
		{ "/section", offsetof(cd_article, section) },
		{ "/published_at", offsetof(cd_article, published_at) },
		{ "/updated_at", offsetof(cd_article, updated_at) },
		{ "/embargo_until", offsetof(cd_article, embargo_until) },
		{ "/canonical_url", offsetof(cd_article, canonical_url) },
	};

	memset(a, 0, sizeof *a);
	for (i = 0; i < sizeof strings / sizeof strings[0]; i++) {
		rd_key(rd, ai, strings[i].path + 1);
		rd_string(rd, (cd_field *)(void *)((char *)a + strings[i].off), strings[i].path);
	}
	/* id: a number or a string */
	rd_key(rd, ai, "id");
	if (lua_type(L, -1) == LUA_TSTRING) {
		cd_field f;
		rd_string(rd, &f, "/id");
		if (cd_utf8_validate(f.s, f.len, NULL) != CD_OK)
			rd_add(rd, CD_RULE_UTF8_INVALID, "/id", "ill-formed UTF-8");
	} else {
		lua_pop(L, 1);
		rd_number(rd, ai, "id", "/id");
	}
	/* body_format */
	rd_key(rd, ai, "body_format");
	{
		cd_field f;
		rd_string(rd, &f, "/body_format");
		if (f.state == CD_FIELD_SET) {
			if (f.len == 4 && memcmp(f.s, "text", 4) == 0)
				a->body_format = CD_BODY_TEXT;
			else if (!(f.len == 4 && memcmp(f.s, "html", 4) == 0))
				rd_add(rd, CD_RULE_INPUT_TYPE, "/body_format", "\"html\" or \"text\" expected");
		}
	}
	/* byline: a string or an array of strings */
	rd_key(rd, ai, "byline");
	if (lua_type(L, -1) == LUA_TSTRING) {
		cd_field *f = cd_report_alloc(rd->r, sizeof *f);
		if (f == NULL) {
			rd->failed = 1;
			lua_pop(L, 1);
			return;
		}
		rd_string(rd, f, "/byline");
		a->byline = f;
		a->n_byline = 1;
		a->byline_state = CD_FIELD_SET;
	} else {
		n = rd_array(rd, "/byline", &st);
		a->byline_state = st;
		a->byline = rd_strings(rd, "byline", n);
		a->n_byline = a->byline ? n : 0;
	}
	rd_key(rd, ai, "tags");
	n = rd_array(rd, "/tags", &st);
	a->tags = rd_strings(rd, "tags", n);
	a->n_tags = a->tags ? n : 0;
	rd_key(rd, ai, "images");
	n = rd_array(rd, "/images", &st);
	a->images = rd_objects(rd, "images", n, sizeof *a->images, image_fields,
		sizeof image_fields / sizeof image_fields[0], 1);
	a->n_images = a->images ? n : 0;
	rd_key(rd, ai, "related");
	n = rd_array(rd, "/related", &st);
	a->related = rd_objects(rd, "related", n, sizeof *a->related, related_fields,
		sizeof related_fields / sizeof related_fields[0], 0);
	a->n_related = a->related ? n : 0;
}

/* Pushes the report table of r. */
static void push_report(lua_State *L, const cd_report *r)
{
	size_t i, n = cd_report_count(r);
	size_t errors = cd_report_severity_count(r, CD_SEV_ERROR);
	lua_createtable(L, 0, 6);
	lua_pushboolean(L, errors == 0);
	lua_setfield(L, -2, "ok");
	lua_pushinteger(L, (lua_Integer)errors);
	lua_setfield(L, -2, "errors");
	lua_pushinteger(L, (lua_Integer)cd_report_severity_count(r, CD_SEV_WARNING));
	lua_setfield(L, -2, "warnings");
	lua_pushinteger(L, (lua_Integer)cd_report_severity_count(r, CD_SEV_INFO));
	lua_setfield(L, -2, "infos");
	lua_pushboolean(L, cd_report_truncated(r));
	lua_setfield(L, -2, "truncated");
	lua_createtable(L, (int)n, 0);
	for (i = 0; i < n; i++) {
		const cd_finding *f = cd_report_get(r, i);
		lua_createtable(L, 0, 6);
		lua_pushstring(L, cd_rule_code(f->rule));
		lua_setfield(L, -2, "code");
		lua_pushstring(L, cd_severity_name(f->severity));
		lua_setfield(L, -2, "severity");
		lua_pushlstring(L, f->path, f->path_len);
		lua_setfield(L, -2, "path");
		lua_pushstring(L, f->message);
		lua_setfield(L, -2, "message");
		if (f->start) {
			lua_pushinteger(L, (lua_Integer)f->start);
			lua_setfield(L, -2, "start");
			lua_pushinteger(L, (lua_Integer)f->stop);
			lua_setfield(L, -2, "stop");
		}
		lua_rawseti(L, -2, (int)(i + 1));
	}
	lua_setfield(L, -2, "findings");
}

/* The report to fill: the policy's scratch, or a fresh userdata's. */
static cd_report *take_report(lua_State *L, lpolicy *lp, int *borrowed)
{
	lreport *lr;
	if (!lp->busy) {
		if (lp->scratch == NULL) {
			lp->scratch = cd_report_new();
			if (lp->scratch == NULL)
				luaL_error(L, "out of memory");
		}
		cd_report_reset(lp->scratch);
		lp->busy = 1;
		*borrowed = 1;
		return lp->scratch;
	}
	lr = lua_newuserdata(L, sizeof *lr);
	lr->r = NULL;
	if (luaL_newmetatable(L, CD_REPORT_MT)) {
		lua_pushcfunction(L, l_report_gc);
		lua_setfield(L, -2, "__gc");
	}
	lua_setmetatable(L, -2);
	lr->r = cd_report_new();
	if (lr->r == NULL)
		luaL_error(L, "out of memory");
	*borrowed = 0;
	return lr->r;
}

/*
 * validate(article, policy) -> report
 * validate(nil, policy, code, message [, start]) -> a report of that finding
 */
static int l_validate(lua_State *L)
{
	lpolicy *lp = check_policy(L, 2);
	int borrowed = 0, t = lua_type(L, 1);
	cd_report *r;
	reader rd;
	cd_article a;
	cd_status st = CD_OK;

	cd_rule rule = CD_RULE_COUNT;
	size_t start = 0;
	const char *message = NULL;

	lua_settop(L, 5);
	if (!lua_isnil(L, 3)) { /* argument errors before the policy's report is taken */
		rule = check_rule(L, 3);
		start = (size_t)luaL_optinteger(L, 5, 0);
		message = luaL_optstring(L, 4, NULL);
	}
	r = take_report(L, lp, &borrowed);
	memset(&rd, 0, sizeof rd);
	rd.L = L;
	rd.r = r;
	rd.p = lp->p;
	rd.article = 1;
	if (rule != CD_RULE_COUNT) {
		rd.stage = cd_validate_stage(lp->p, NULL);
		st = cd_report_add(r, lp->p, rd.stage, rule, "", start, start, message);
	} else if (t != LUA_TTABLE) {
		rd.stage = cd_validate_stage(lp->p, NULL);
		rd_type(&rd, "", "table", t);
	} else {
		memset(&a, 0, sizeof a);
		/* the stage needs the status first */
		rd_key(&rd, 1, "status");
		rd_string(&rd, &a.status, "/status");
		cd_report_reset(r); /* findings come again from read_article */
		rd.stage = cd_validate_stage(lp->p, &a);
		rd.bytes = 0;
		read_article(&rd, &a);
		if (rd.failed) {
			st = CD_ERR_NOMEM;
		} else if (rd.bytes > cd_policy_threshold(lp->p, CD_T_MAX_BYTES)) {
			rd_add(&rd, CD_RULE_INPUT_TOO_LARGE, "", "the article is larger than max_bytes");
		} else {
			st = cd_validate(r, &a, lp->p);
		}
	}
	if (st == CD_OK && rd.failed)
		st = CD_ERR_NOMEM;
	cd_report_sort(r);
	if (st != CD_OK) {
		if (borrowed)
			lp->busy = 0;
		return luaL_error(L, "validate: %s", cd_status_code(st));
	}
	push_report(L, r);
	if (borrowed) {
		cd_report_reset(r);
		lp->busy = 0;
	}
	return 1;
}

/* json_precheck(text, max_bytes, max_depth) -> true | nil, code, offset */
static int l_json_precheck(lua_State *L)
{
	size_t len, off = 0;
	const char *s = luaL_checklstring(L, 1, &len);
	lua_Number mb = luaL_checknumber(L, 2), md = luaL_checknumber(L, 3);
	cd_status st = cd_json_precheck(s, len, mb < 0 ? 0 : (size_t)mb, md < 0 ? 0 : (size_t)md, &off);
	if (st == CD_OK) {
		lua_pushboolean(L, 1);
		return 1;
	}
	lua_pushnil(L);
	lua_pushstring(L, st == CD_ERR_SPACE ? "input_too_large" : "input_too_deep");
	lua_pushinteger(L, (lua_Integer)off + 1);
	return 3;
}

static const luaL_Reg validate_functions[] = {
	{ "policy_new", l_policy_new },
	{ "policy_severity", l_policy_severity },
	{ "policy_threshold", l_policy_threshold },
	{ "policy_quotes", l_policy_quotes },
	{ "policy_stage", l_policy_stage },
	{ "policy_list", l_policy_list },
	{ "rule_codes", l_rule_codes },
	{ "validate", l_validate },
	{ "json_precheck", l_json_precheck },
	{ NULL, NULL }
};

/* ---- preview links ------------------------------------------------------ */

#define SIGNER_MT "copydesk.preview.signer"
#define VERIFIER_MT "copydesk.preview.verifier"
#define DEFAULT_TTL 86400
#define DEFAULT_MAX_TTL (30 * 86400)
#define DEFAULT_LEEWAY 60

typedef struct lsigner {
	cd_signer s;
	cd_link_ids ids; /* a Lua state runs one thread at a time */
	int64_t ttl, max_ttl;
	size_t origin_len;
	char origin[CD_LINK_ORIGIN_MAX];
	uint32_t kid;
	int alg, ready;
} lsigner;

typedef struct lverifier {
	cd_verifier v;
	size_t capacity;
	int ready;
	cd_link_key keys[1]; /* capacity entries follow */
} lverifier;

static void link_metatables(lua_State *L);

static int link_argerror(lua_State *L, int arg, const char *fname, const char *msg)
{
	return luaL_error(L, "bad argument #%d to '%s' (%s)", arg, fname, msg);
}

/* Rejects unknown keys. Cheap check first: a plain table with as many
 * entries as fields the reader found has no other key; with a metatable,
 * fields may come from __index, so every key is checked. */
static void link_check_options(lua_State *L, int idx, int arg, const char *fname,
	const char *where, const char *const known[], int found)
{
	int n = 0;
	if (lua_getmetatable(L, idx)) {
		lua_pop(L, 1);
		n = -1;
	} else {
		lua_pushnil(L);
		while (lua_next(L, idx) != 0) {
			lua_pop(L, 1);
			n++;
		}
	}
	if (n != found)
		check_option_keys(L, idx, arg, fname, where, known);
}

/* Reads the integer at the top of the stack; 0 when it is not one. */
static int link_toint(lua_State *L, int64_t *out)
{
	lua_Number d;
	if (lua_type(L, -1) != LUA_TNUMBER)
		return 0;
#if defined(LUA_VERSION_NUM) && LUA_VERSION_NUM >= 503
	if (lua_isinteger(L, -1)) {
		*out = (int64_t)lua_tointeger(L, -1);
		return 1;
	}
#endif
	d = lua_tonumber(L, -1);
	if (!(d >= -9007199254740992.0 && d <= 9007199254740992.0) || d != (lua_Number)(int64_t)d)
		return 0;
	*out = (int64_t)d;
	return 1;
}

/* Field name of table idx as an integer in [min, max], or def when nil.
 * Counts present fields into *found. */
static int64_t link_optint(lua_State *L, int idx, const char *name, int64_t min, int64_t max,
	int64_t def, int *found, int arg, const char *fname)
{
	int64_t v = def;
	lua_getfield(L, idx, name);
	if (!lua_isnil(L, -1)) {
		(*found)++;
		if (!link_toint(L, &v) || v < min || v > max) {
			char msg[128];
			snprintf(msg, sizeof msg, "'%s' must be an integer from %lld to %lld", name,
				(long long)min, (long long)max);
			link_argerror(L, arg, fname, msg);
		}
	}
	lua_pop(L, 1);
	return v;
}

static int link_optbool(lua_State *L, int idx, const char *name, int *found, int arg,
	const char *fname)
{
	int v = 0;
	lua_getfield(L, idx, name);
	if (!lua_isnil(L, -1)) {
		(*found)++;
		if (lua_type(L, -1) != LUA_TBOOLEAN) {
			lua_pushfstring(L, "'%s' must be a boolean", name);
			link_argerror(L, arg, fname, lua_tostring(L, -1));
		}
		v = lua_toboolean(L, -1);
	}
	lua_pop(L, 1);
	return v;
}

/* A 32-byte key string (left on the stack, so the pointer stays valid). */
static const uint8_t *link_optkey(lua_State *L, int idx, const char *name, int *found,
	int arg, const char *fname, const char *where)
{
	size_t len;
	const char *k;
	lua_getfield(L, idx, name);
	if (lua_isnil(L, -1))
		return NULL;
	(*found)++;
	if (lua_type(L, -1) != LUA_TSTRING) {
		lua_pushfstring(L, "%s'%s' must be a string of 32 bytes", where, name);
		link_argerror(L, arg, fname, lua_tostring(L, -1));
	}
	k = lua_tolstring(L, -1, &len);
	if (len != 32) {
		lua_pushfstring(L, "%s'%s' must be 32 bytes, got %d", where, name, (int)len);
		link_argerror(L, arg, fname, lua_tostring(L, -1));
	}
	if (sodium_is_zero((const unsigned char *)k, 32)) {
		lua_pushfstring(L, "%s'%s' is all zero", where, name);
		link_argerror(L, arg, fname, lua_tostring(L, -1));
	}
	return (const uint8_t *)k;
}

static const char *link_origin(lua_State *L, int idx, size_t *len, int *found, const char *fname)
{
	const char *o;
	lua_getfield(L, idx, "origin");
	if (lua_type(L, -1) != LUA_TSTRING)
		link_argerror(L, 1, fname, "'origin' is required (a string such as \"https://news.example\")");
	(*found)++;
	o = lua_tolstring(L, -1, len);
	if (*len < 1 || *len > CD_LINK_ORIGIN_MAX || o[*len - 1] == '/' || memchr(o, '\0', *len))
		link_argerror(L, 1, fname, "'origin' must be 1 to 256 bytes, without a final '/' or NUL");
	return o; /* left on the stack: the table may not hold it (__index) */
}

static int link_optalg(lua_State *L, int idx, int def, int *found, int arg, const char *fname,
	const char *where)
{
	int alg = def;
	lua_getfield(L, idx, "alg");
	if (!lua_isnil(L, -1)) {
		const char *a = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "";
		(*found)++;
		if (strcmp(a, "hmac") == 0)
			alg = CD_LINK_HMAC;
		else if (strcmp(a, "ed25519") == 0)
			alg = CD_LINK_ED25519;
		else {
			lua_pushfstring(L, "%s'alg' must be \"hmac\" or \"ed25519\"", where);
			link_argerror(L, arg, fname, lua_tostring(L, -1));
		}
	}
	lua_pop(L, 1);
	return alg;
}

static const char *link_alg_name(int alg)
{
	return alg == CD_LINK_ED25519 ? "ed25519" : "hmac";
}

static void link_push_claims(lua_State *L, const cd_link_claims *c)
{
	char hex[2 * CD_LINK_ID_BYTES + 1];
	lua_createtable(L, 0, 10);
	lua_pushinteger(L, (lua_Integer)c->article);
	lua_setfield(L, -2, "article");
	lua_pushinteger(L, (lua_Integer)c->revision);
	lua_setfield(L, -2, "revision");
	lua_pushinteger(L, (lua_Integer)c->epoch);
	lua_setfield(L, -2, "epoch");
	lua_pushinteger(L, (lua_Integer)c->editor);
	lua_setfield(L, -2, "editor");
	lua_pushinteger(L, (lua_Integer)c->kid);
	lua_setfield(L, -2, "kid");
	lua_pushstring(L, link_alg_name(c->alg));
	lua_setfield(L, -2, "alg");
	lua_pushinteger(L, (lua_Integer)c->iat);
	lua_setfield(L, -2, "iat");
	lua_pushinteger(L, (lua_Integer)c->exp);
	lua_setfield(L, -2, "exp");
	lua_pushboolean(L, c->once);
	lua_setfield(L, -2, "once");
	sodium_bin2hex(hex, sizeof hex, c->link_id, CD_LINK_ID_BYTES);
	lua_pushlstring(L, hex, 2 * CD_LINK_ID_BYTES);
	lua_setfield(L, -2, "link_id");
}

static int64_t link_now(lua_State *L, int idx, int *found, int arg, const char *fname)
{
	int64_t now = link_optint(L, idx, "now", 0, CD_LINK_TIME_MAX, -1, found, arg, fname);
	return now >= 0 ? now : (int64_t)time(NULL);
}

static const char *const signer_options[] = {
	"origin", "master_key", "kid", "alg", "ttl", "max_ttl", NULL
};

/* signer{origin, master_key, kid, alg, ttl, max_ttl} -> signer */
static int l_link_signer(lua_State *L)
{
	const char *fn = "signer";
	const uint8_t *master;
	const char *origin;
	size_t olen;
	int found = 0, alg;
	int64_t kid, ttl, max_ttl;
	lsigner *ls;

	if (lua_type(L, 1) != LUA_TTABLE)
		link_argerror(L, 1, fn, "options table expected");
	lua_settop(L, 1);
	origin = link_origin(L, 1, &olen, &found, fn);
	master = link_optkey(L, 1, "master_key", &found, 1, fn, "");
	if (master == NULL)
		link_argerror(L, 1, fn, "'master_key' is required (32 bytes)");
	kid = link_optint(L, 1, "kid", 1, 0xFFFFFFFFLL, 0, &found, 1, fn);
	if (kid == 0)
		link_argerror(L, 1, fn, "'kid' is required (an integer >= 1)");
	alg = link_optalg(L, 1, CD_LINK_HMAC, &found, 1, fn, "");
	max_ttl = link_optint(L, 1, "max_ttl", 1, CD_LINK_TIME_MAX, DEFAULT_MAX_TTL, &found, 1, fn);
	ttl = link_optint(L, 1, "ttl", 1, CD_LINK_TIME_MAX, DEFAULT_TTL < max_ttl ? DEFAULT_TTL : max_ttl,
		&found, 1, fn);
	if (ttl > max_ttl)
		link_argerror(L, 1, fn, "'ttl' exceeds 'max_ttl'");
	link_check_options(L, 1, 1, fn, "", signer_options, found);

	link_metatables(L);
	ls = (lsigner *)lua_newuserdata(L, sizeof *ls);
	memset(ls, 0, sizeof *ls);
	luaL_getmetatable(L, SIGNER_MT);
	lua_setmetatable(L, -2);
	if (cd_signer_init(&ls->s, (cd_link_alg)alg, (uint32_t)kid, master, origin, olen) != CD_OK)
		return luaL_error(L, "signer: cannot initialise libsodium");
	ls->ttl = ttl;
	ls->max_ttl = max_ttl;
	ls->origin_len = olen;
	memcpy(ls->origin, origin, olen);
	ls->kid = (uint32_t)kid;
	ls->alg = alg;
	ls->ready = 1;
	return 1;
}

static const char *const link_options[] = {
	"article", "revision", "epoch", "editor", "ttl", "once", "now", "_link_id", NULL
};

/* signer:link{article, revision, epoch, editor, ttl, once, now} -> url, token, claims */
static int l_signer_link(lua_State *L)
{
	const char *fn = "link";
	lsigner *ls = (lsigner *)luaL_checkudata(L, 1, SIGNER_MT);
	cd_link_claims c;
	uint8_t id[CD_LINK_ID_BYTES];
	const uint8_t *idp = NULL;
	char url[CD_LINK_ORIGIN_MAX + 9 + CD_LINK_TOKEN_MAX];
	size_t tlen;
	int found = 0;
	int64_t ttl, now;

	if (lua_type(L, 2) != LUA_TTABLE)
		link_argerror(L, 1, fn, "options table expected");
	if (!ls->ready)
		return luaL_error(L, "link: the signer is not initialised");
	memset(&c, 0, sizeof c);
	ttl = link_optint(L, 2, "article", 0, CD_LINK_ARTICLE_MAX, -1, &found, 1, fn);
	if (ttl < 0)
		link_argerror(L, 1, fn, "'article' is required");
	c.article = (uint64_t)ttl;
	c.revision = (uint32_t)link_optint(L, 2, "revision", 0, 0xFFFFFFFFLL, 0, &found, 1, fn);
	c.epoch = (uint32_t)link_optint(L, 2, "epoch", 0, 0xFFFFFFFFLL, 0, &found, 1, fn);
	c.editor = (uint32_t)link_optint(L, 2, "editor", 0, 0xFFFFFFFFLL, 0, &found, 1, fn);
	ttl = link_optint(L, 2, "ttl", 1, CD_LINK_TIME_MAX, ls->ttl, &found, 1, fn);
	if (ttl > ls->max_ttl)
		link_argerror(L, 1, fn, "'ttl' exceeds the signer's 'max_ttl'");
	c.once = link_optbool(L, 2, "once", &found, 1, fn);
	now = link_now(L, 2, &found, 1, fn);
	lua_getfield(L, 2, "_link_id"); /* tests only: 18 hex digits */
	if (!lua_isnil(L, -1)) {
		size_t hlen, blen = 0;
		const char *hex = lua_type(L, -1) == LUA_TSTRING ? lua_tolstring(L, -1, &hlen) : NULL;
		found++;
		if (hex == NULL || hlen != 2 * CD_LINK_ID_BYTES ||
			sodium_hex2bin(id, sizeof id, hex, hlen, NULL, &blen, NULL) != 0 ||
			blen != CD_LINK_ID_BYTES)
			link_argerror(L, 1, fn, "'_link_id' must be 18 hex digits");
		idp = id;
	}
	lua_pop(L, 1);
	if (idp == NULL) {
		cd_link_ids_next(&ls->ids, id);
		idp = id;
	}
	if (found != 8)
		link_check_options(L, 2, 1, fn, "", link_options, found);
	c.iat = now;
	c.exp = now + ttl;
	if (c.exp > CD_LINK_TIME_MAX)
		link_argerror(L, 1, fn, "'now' + 'ttl' is beyond the 40-bit clock");

	memcpy(url, ls->origin, ls->origin_len);
	memcpy(url + ls->origin_len, "/preview/", 9);
	if (cd_link_sign(&ls->s, &c, idp, url + ls->origin_len + 9, CD_LINK_TOKEN_MAX, &tlen) != CD_OK)
		return luaL_error(L, "link: cannot sign");
	lua_pushlstring(L, url, ls->origin_len + 9 + tlen);
	lua_pushlstring(L, url + ls->origin_len + 9, tlen);
	link_push_claims(L, &c);
	return 3;
}

/* signer:public_key() -> 32 bytes (Ed25519 signers) */
static int l_signer_public_key(lua_State *L)
{
	lsigner *ls = (lsigner *)luaL_checkudata(L, 1, SIGNER_MT);
	uint8_t pk[CD_LINK_PUBLIC_KEY_BYTES];
	if (!ls->ready || cd_signer_public_key(&ls->s, pk) != CD_OK)
		return luaL_error(L, "public_key: only an ed25519 signer has a public key");
	lua_pushlstring(L, (const char *)pk, sizeof pk);
	return 1;
}

static int l_signer_gc(lua_State *L)
{
	lsigner *ls = (lsigner *)luaL_checkudata(L, 1, SIGNER_MT);
	sodium_memzero(ls, sizeof *ls);
	return 0;
}

static int l_signer_tostring(lua_State *L)
{
	lsigner *ls = (lsigner *)luaL_checkudata(L, 1, SIGNER_MT);
	char kid[16]; /* key ids are 32-bit unsigned: not %d */
	if (!ls->ready) {
		lua_pushliteral(L, "copydesk.preview.signer (closed)");
		return 1;
	}
	snprintf(kid, sizeof kid, "%lu", (unsigned long)ls->kid);
	lua_pushfstring(L, "copydesk.preview.signer (kid %s, %s)", kid, link_alg_name(ls->alg));
	return 1;
}

static const char *const verifier_options[] = { "origin", "keys", "leeway", "max_ttl", NULL };
static const char *const key_options[] = { "alg", "master_key", "public_key", "retired", NULL };

/* Checks keys[kid] = {...} entry at the top of the stack (kid below it);
 * with v, adds it. Leaves the stack as it found it. */
static void link_key_entry(lua_State *L, lverifier *lv, const char *fn)
{
	int t = lua_gettop(L), found = 0, alg, retired;
	int64_t kid;
	const uint8_t *master, *pk;
	char where[32];
	cd_status st;

	lua_pushvalue(L, t - 1);
	if (!link_toint(L, &kid) || kid < 1 || kid > 0xFFFFFFFFLL)
		link_argerror(L, 1, fn, "'keys' must map key ids (integers >= 1) to tables");
	lua_pop(L, 1);
	snprintf(where, sizeof where, "keys[%ld]: ", (long)kid);
	if (lua_type(L, t) != LUA_TTABLE) {
		lua_pushfstring(L, "%stable expected", where);
		link_argerror(L, 1, fn, lua_tostring(L, -1));
	}
	master = link_optkey(L, t, "master_key", &found, 1, fn, where);
	pk = link_optkey(L, t, "public_key", &found, 1, fn, where);
	alg = link_optalg(L, t, pk != NULL ? CD_LINK_ED25519 : CD_LINK_HMAC, &found, 1, fn, where);
	retired = link_optbool(L, t, "retired", &found, 1, fn);
	if ((master == NULL) == (pk == NULL)) {
		lua_pushfstring(L, "%sgive either 'master_key' or 'public_key'", where);
		link_argerror(L, 1, fn, lua_tostring(L, -1));
	}
	if (pk != NULL && alg != CD_LINK_ED25519) {
		lua_pushfstring(L, "%s'public_key' needs alg \"ed25519\"", where);
		link_argerror(L, 1, fn, lua_tostring(L, -1));
	}
	link_check_options(L, t, 1, fn, where, key_options, found);
	if (lv != NULL) { /* the key strings are still on the stack */
		st = master != NULL
			? cd_verifier_add_master(&lv->v, (uint32_t)kid, (cd_link_alg)alg, master, retired)
			: cd_verifier_add_public(&lv->v, (uint32_t)kid, pk, retired);
		if (st != CD_OK) {
			lua_pushfstring(L, "%sthe key cannot be added (%s)", where, cd_status_code(st));
			link_argerror(L, 1, fn, lua_tostring(L, -1));
		}
	}
	lua_settop(L, t);
}

/* Walks keys (at index k): checks every entry, or adds them to lv. */
static size_t link_keyring(lua_State *L, int k, lverifier *lv, const char *fn)
{
	size_t n = 0;
	lua_pushnil(L);
	while (lua_next(L, k) != 0) {
		link_key_entry(L, lv, fn);
		lua_pop(L, 1);
		n++;
	}
	return n;
}

/* verifier{origin, keys, leeway, max_ttl} -> verifier */
static int l_link_verifier(lua_State *L)
{
	const char *fn = "verifier";
	const char *origin;
	size_t olen, n;
	int found = 0;
	int64_t leeway, max_ttl;
	lverifier *lv;

	if (lua_type(L, 1) != LUA_TTABLE)
		link_argerror(L, 1, fn, "options table expected");
	lua_settop(L, 1);
	origin = link_origin(L, 1, &olen, &found, fn);
	leeway = link_optint(L, 1, "leeway", 0, CD_LINK_LEEWAY_MAX, DEFAULT_LEEWAY, &found, 1, fn);
	max_ttl = link_optint(L, 1, "max_ttl", 1, CD_LINK_TIME_MAX, DEFAULT_MAX_TTL, &found, 1, fn);
	lua_getfield(L, 1, "keys"); /* index 3, above the origin */
	if (lua_type(L, 3) != LUA_TTABLE)
		link_argerror(L, 1, fn, "'keys' is required (a table of key id -> key)");
	found++;
	link_check_options(L, 1, 1, fn, "", verifier_options, found);
	n = link_keyring(L, 3, NULL, fn);
	if (n == 0)
		link_argerror(L, 1, fn, "'keys' holds no key");
	if (n > 4096)
		link_argerror(L, 1, fn, "'keys' holds more than 4096 keys");

	link_metatables(L);
	lv = (lverifier *)lua_newuserdata(L, sizeof *lv + (n - 1) * sizeof(cd_link_key));
	memset(lv, 0, sizeof *lv);
	lv->capacity = n;
	luaL_getmetatable(L, VERIFIER_MT);
	lua_setmetatable(L, -2);
	if (cd_verifier_init(&lv->v, origin, olen, lv->keys, n, (uint32_t)leeway, max_ttl) != CD_OK)
		return luaL_error(L, "verifier: cannot initialise libsodium");
	lv->ready = 1;
	link_keyring(L, 3, lv, fn);
	return 1;
}

static const char *const verify_options[] = { "now", "check", NULL };

/* verifier:verify(url_or_token [, {now, check}]) -> claims | nil, code */
static int l_verifier_verify(lua_State *L)
{
	const char *fn = "verify";
	lverifier *lv = (lverifier *)luaL_checkudata(L, 1, VERIFIER_MT);
	size_t len;
	const char *s;
	int64_t now = -1;
	int found = 0, check = 0;
	cd_link_claims c;
	cd_status st;

	if (lua_type(L, 2) != LUA_TSTRING)
		return link_argerror(L, 1, fn, lua_pushfstring(L, "string expected, got %s",
			luaL_typename(L, 2)));
	s = lua_tolstring(L, 2, &len);
	if (!lv->ready)
		return luaL_error(L, "verify: the verifier is not initialised");
	if (!lua_isnoneornil(L, 3)) {
		if (lua_type(L, 3) != LUA_TTABLE)
			link_argerror(L, 2, fn, "options table expected");
		now = link_optint(L, 3, "now", 0, CD_LINK_TIME_MAX, -1, &found, 2, fn);
		lua_getfield(L, 3, "check");
		if (!lua_isnil(L, -1)) {
			found++;
			if (lua_type(L, -1) != LUA_TFUNCTION)
				link_argerror(L, 2, fn, "'check' must be a function");
			check = 1;
		}
		lua_pop(L, 1);
		if (found != 2)
			link_check_options(L, 3, 2, fn, "", verify_options, found);
	}
	if (now < 0)
		now = (int64_t)time(NULL);
	st = cd_link_verify(&lv->v, s, len, now, &c);
	if (st != CD_OK) {
		lua_pushnil(L);
		lua_pushstring(L, cd_status_code(st));
		return 2;
	}
	link_push_claims(L, &c);
	if (check) {
		int r = lua_gettop(L);
		lua_getfield(L, 3, "check");
		lua_pushvalue(L, r);
		lua_call(L, 1, 1);
		if (lua_type(L, -1) == LUA_TSTRING) {
			lua_pushnil(L);
			lua_insert(L, -2);
			return 2;
		}
		if (lua_toboolean(L, -1))
			return luaL_error(L, "verify: 'check' must return nil or a code string, got %s",
				luaL_typename(L, -1));
		lua_settop(L, r);
	}
	return 1;
}

static int l_verifier_gc(lua_State *L)
{
	lverifier *lv = (lverifier *)luaL_checkudata(L, 1, VERIFIER_MT);
	if (lv->ready)
		cd_verifier_wipe(&lv->v);
	sodium_memzero(lv->keys, lv->capacity * sizeof(cd_link_key));
	lv->ready = 0;
	return 0;
}

static int l_verifier_tostring(lua_State *L)
{
	lverifier *lv = (lverifier *)luaL_checkudata(L, 1, VERIFIER_MT);
	luaL_Buffer b;
	size_t i, n = lv->ready ? cd_verifier_key_count(&lv->v) : 0;
	luaL_buffinit(L, &b);
	luaL_addstring(&b, "copydesk.preview.verifier (");
	for (i = 0; i < n; i++) {
		uint32_t kid;
		cd_link_alg alg;
		int retired;
		char num[16];
		cd_verifier_key_info(&lv->v, i, &kid, &alg, &retired);
		snprintf(num, sizeof num, "%lu", (unsigned long)kid);
		lua_pushfstring(L, "%skid %s %s%s", i ? ", " : "", num, link_alg_name(alg),
			retired ? " retired" : "");
		luaL_addvalue(&b);
	}
	luaL_addstring(&b, n ? ")" : "closed)");
	luaL_pushresult(&b);
	return 1;
}

/* keygen() -> 32 random bytes */
static int l_link_keygen(lua_State *L)
{
	uint8_t k[CD_LINK_KEY_BYTES];
	if (cd_link_keygen(k) != CD_OK)
		return luaL_error(L, "keygen: cannot initialise libsodium");
	lua_pushlstring(L, (const char *)k, sizeof k);
	sodium_memzero(k, sizeof k);
	return 1;
}

/* key_from_text(s) -> key | nil, "invalid_key" */
static int l_link_key_from_text(lua_State *L)
{
	size_t len;
	const char *s = luaL_checklstring(L, 1, &len);
	uint8_t k[CD_LINK_KEY_BYTES];
	cd_status st = cd_link_key_from_text(s, len, k);
	if (st != CD_OK) {
		lua_pushnil(L);
		lua_pushstring(L, cd_status_code(st));
		return 2;
	}
	lua_pushlstring(L, (const char *)k, sizeof k);
	sodium_memzero(k, sizeof k);
	return 1;
}

/* key_to_text(key) -> 43 characters of base64url */
static int l_link_key_to_text(lua_State *L)
{
	size_t len;
	const char *k = luaL_checklstring(L, 1, &len);
	char text[44];
	if (len != CD_LINK_KEY_BYTES)
		return link_argerror(L, 1, "key_to_text", "key must be 32 bytes");
	cd_link_key_to_text((const uint8_t *)k, text);
	lua_pushlstring(L, text, 43);
	sodium_memzero(text, sizeof text);
	return 1;
}

/* read_key_file(path) -> key | nil, code */
static int l_link_read_key_file(lua_State *L)
{
	size_t len;
	const char *path = luaL_checklstring(L, 1, &len);
	uint8_t k[CD_LINK_KEY_BYTES];
	cd_status st = memchr(path, '\0', len) ? CD_KEY_FILE_ERROR : cd_key_file_read(path, k);
	if (st != CD_OK) {
		lua_pushnil(L);
		lua_pushstring(L, cd_status_code(st));
		return 2;
	}
	lua_pushlstring(L, (const char *)k, sizeof k);
	sodium_memzero(k, sizeof k);
	return 1;
}

/* write_key_file(path [, key]) -> true | nil, code */
static int l_link_write_key_file(lua_State *L)
{
	size_t len, klen = 0;
	const char *path = luaL_checklstring(L, 1, &len);
	const char *given = luaL_optlstring(L, 2, NULL, &klen);
	uint8_t k[CD_LINK_KEY_BYTES];
	cd_status st;
	if (len == 0 || memchr(path, '\0', len))
		return link_argerror(L, 1, "write_key_file", "a path without NUL bytes expected");
	if (given != NULL && (klen != CD_LINK_KEY_BYTES ||
			sodium_is_zero((const unsigned char *)given, klen)))
		return link_argerror(L, 2, "write_key_file", "key must be 32 bytes, not all zero");
	if (given != NULL)
		memcpy(k, given, sizeof k);
	else if (cd_link_keygen(k) != CD_OK)
		return luaL_error(L, "write_key_file: cannot initialise libsodium");
	st = cd_key_file_write(path, k);
	sodium_memzero(k, sizeof k);
	if (st != CD_OK) {
		lua_pushnil(L);
		lua_pushstring(L, cd_status_code(st));
		return 2;
	}
	lua_pushboolean(L, 1);
	return 1;
}

static const luaL_Reg signer_methods[] = {
	{ "link", l_signer_link },
	{ "public_key", l_signer_public_key },
	{ NULL, NULL }
};

static const luaL_Reg verifier_methods[] = {
	{ "verify", l_verifier_verify },
	{ NULL, NULL }
};

static void link_metatable(lua_State *L, const char *name, const luaL_Reg *methods,
	lua_CFunction gc, lua_CFunction tostring)
{
	if (!luaL_newmetatable(L, name)) {
		lua_pop(L, 1);
		return;
	}
	lua_newtable(L);
	luaL_setfuncs(L, methods, 0);
	lua_setfield(L, -2, "__index");
	lua_pushcfunction(L, gc);
	lua_setfield(L, -2, "__gc");
	lua_pushcfunction(L, tostring);
	lua_setfield(L, -2, "__tostring");
	lua_pushstring(L, name);
	lua_setfield(L, -2, "__metatable");
	lua_pop(L, 1);
}

/* Creates the two metatables in this Lua state the first time. */
static void link_metatables(lua_State *L)
{
	link_metatable(L, SIGNER_MT, signer_methods, l_signer_gc, l_signer_tostring);
	link_metatable(L, VERIFIER_MT, verifier_methods, l_verifier_gc, l_verifier_tostring);
}

static const luaL_Reg link_functions[] = {
	{ "link_keygen", l_link_keygen },
	{ "link_signer", l_link_signer },
	{ "link_verifier", l_link_verifier },
	{ "link_key_from_text", l_link_key_from_text },
	{ "link_key_to_text", l_link_key_to_text },
	{ "link_read_key_file", l_link_read_key_file },
	{ "link_write_key_file", l_link_write_key_file },
	{ NULL, NULL }
};

/* ---- HTML ---- */

static const char *const html_option_names[] = { "tags", "attributes", "schemes", NULL };


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
	check_option_keys(L, arg, arg, fn, "", html_option_names);
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
	luaL_buffinit(L, &b);
	/* checks UTF-8 before it writes anything */
	st = cd_html_sanitize_to(html, len, &cfg, html_buffer_write, &b);
	if (st != CD_OK) {
		lua_pushnil(L);
		lua_pushstring(L, cd_status_code(st));
		return 2;
	}
	luaL_pushresult(&b);
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
