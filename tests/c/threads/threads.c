/*
 * Runs copydesk from several threads at once, each with its own lua_State
 * (Lua 5.4, copydesk.core linked in and preloaded), plus the C API directly,
 * so ThreadSanitizer sees any shared mutable state. Prints TAP.
 *   threads <repo root> [threads] [iterations]
 * Each thread runs tests/c/threads/work.lua, which calls whatever public
 * functions exist and checks that every thread got the same answers.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "copydesk.h"
#include "lua.h"
#include "lauxlib.h"
#include "lualib.h"

int luaopen_copydesk_core(lua_State *L);

#define MAX_THREADS 16

struct job {
	const char *root;
	int id, iterations;
	int ok;
	char result[4096]; /* what work.lua returned: covered functions and a digest */
};

static void *lua_worker(void *arg)
{
	struct job *job = arg;
	lua_State *L = luaL_newstate();
	char script[1024];

	if (L == NULL)
		return NULL;
	luaL_openlibs(L);
	lua_getglobal(L, "package");
	lua_getfield(L, -1, "preload");
	lua_pushcfunction(L, luaopen_copydesk_core);
	lua_setfield(L, -2, "copydesk.core");
	lua_pop(L, 1);
	lua_pushfstring(L, "%s/lua/?.lua;%s/lua/?/init.lua;", job->root, job->root);
	lua_getfield(L, -2, "path");
	lua_concat(L, 2);
	lua_setfield(L, -2, "path");
	lua_pop(L, 1);

	snprintf(script, sizeof script, "%s/tests/c/threads/work.lua", job->root);
	if (luaL_loadfile(L, script) != LUA_OK) {
		snprintf(job->result, sizeof job->result, "load: %s", lua_tostring(L, -1));
	} else {
		lua_pushinteger(L, job->id);
		lua_pushinteger(L, job->iterations);
		if (lua_pcall(L, 2, 1, 0) != LUA_OK) {
			snprintf(job->result, sizeof job->result, "error: %s", lua_tostring(L, -1));
		} else {
			snprintf(job->result, sizeof job->result, "%s", lua_tostring(L, -1));
			job->ok = 1;
		}
	}
	lua_close(L);
	return NULL;
}

/* The C API directly: the same inputs must give the same answers in every thread. */
static const char *const c_inputs[] = {
	"Seoul talks resume", "\xce\x91\xce\xb8\xce\xae\xce\xbd\xce\xb1", "ab\xc0\x80",
	"\xed\xa0\x80", "\xf4\x90\x80\x80", "x\xe2\x82", "a\0b",
};

static void *c_worker(void *arg)
{
	struct job *job = arg;
	unsigned long digest = 5381;
	int i;
	size_t k;

	for (i = 0; i < job->iterations; i++) {
		for (k = 0; k < sizeof c_inputs / sizeof c_inputs[0]; k++) {
			const char *s = c_inputs[k];
			size_t bad = 0, len = strlen(s) + (k == 6 ? 2 : 0);
			cd_status st = cd_utf8_validate(s, len, &bad);
			digest = digest * 33 + (unsigned long)st * 7 + bad;
			digest = digest * 33 + (unsigned long)strlen(cd_status_code(st));
		}
	}
	snprintf(job->result, sizeof job->result, "c-api utf8 %lu", digest);
	job->ok = 1;
	return NULL;
}

int main(int argc, char **argv)
{
	const char *root = argc > 1 ? argv[1] : ".";
	int nthreads = argc > 2 ? atoi(argv[2]) : 4;
	int iterations = argc > 3 ? atoi(argv[3]) : 50;
	static struct job lua_jobs[MAX_THREADS], c_jobs[MAX_THREADS];
	pthread_t lt[MAX_THREADS], ct[MAX_THREADS];
	int i, same = 1, all_ok = 1, n = 0;

	if (nthreads < 1 || nthreads > MAX_THREADS)
		nthreads = 4;
	for (i = 0; i < nthreads; i++) {
		lua_jobs[i] = (struct job){ root, i + 1, iterations, 0, "" };
		c_jobs[i] = (struct job){ root, i + 1, iterations * 20, 0, "" };
		if (pthread_create(&lt[i], NULL, lua_worker, &lua_jobs[i]) != 0 ||
		    pthread_create(&ct[i], NULL, c_worker, &c_jobs[i]) != 0) {
			printf("not ok 1 - pthread_create\n");
			return 1;
		}
	}
	for (i = 0; i < nthreads; i++) {
		pthread_join(lt[i], NULL);
		pthread_join(ct[i], NULL);
	}
	for (i = 0; i < nthreads; i++) {
		if (!lua_jobs[i].ok || !c_jobs[i].ok)
			all_ok = 0;
		if (strcmp(lua_jobs[i].result, lua_jobs[0].result) != 0 ||
		    strcmp(c_jobs[i].result, c_jobs[0].result) != 0)
			same = 0;
	}
	printf("%sok %d - %d Lua states in %d threads at once ran: %s\n",
		all_ok ? "" : "not ", ++n, nthreads, nthreads, lua_jobs[0].result);
	for (i = 1; i < nthreads && !all_ok; i++)
		printf("# thread %d: %s\n", i + 1, lua_jobs[i].result);
	printf("%sok %d - %d threads called the C API directly at the same time (%s)\n",
		all_ok ? "" : "not ", ++n, nthreads, c_jobs[0].result);
	printf("%sok %d - every thread got the same answers\n", same ? "" : "not ", ++n);
	return !(all_ok && same);
}
