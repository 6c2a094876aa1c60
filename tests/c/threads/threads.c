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

/*
 * The C API directly: the same inputs must give the same answers in every
 * thread. One signer and one verifier are shared by all threads (the header
 * promises they are read-only once initialised).
 */
static cd_signer shared_signer;
static cd_verifier shared_verifier;
static cd_link_key shared_keys[2];
static char shared_token[CD_LINK_TOKEN_MAX];
static size_t shared_token_len;
#define NOW 1800000000

static int count_finding(void *ud, const char *code, size_t start, size_t stop, const char *detail)
{
	unsigned long *d = ud;
	(void)detail;
	*d = *d * 33 + strlen(code) + start * 7 + stop;
	return 0;
}

static int count_write(void *ud, const char *s, size_t len)
{
	unsigned long *d = ud;
	size_t i;
	for (i = 0; i < len; i++)
		*d = *d * 33 + (unsigned char)s[i];
	return 0;
}

static const char html_body[] = "<p>Talks &amp; <a href=\"javascript:x\" target=_blank>more</a>"
	"<script>x</script><h1>Head</h1><p><em>open</p><img src=x onerror=y>";

static cd_policy *shared_policy; /* one policy, read by every thread */

static cd_field field(const char *s)
{
	cd_field f;
	f.s = s;
	f.len = strlen(s);
	f.state = CD_FIELD_SET;
	return f;
}

static const char *const headlines[] = {
	"Seoul talks resume after a long pause", "\xce\x91\xce\xb8\xce\xae\xce\xbd\xce\xb1",
	"\xed\x95\x9c\xea\xb5\xad \xeb\xb6\x81\xed\x95\x9c", "Trump\xe2\x80\x99s 1,000 days &amp; counting",
	"Gr\xc3\xbc\xc3\x9f\x65 aus K\xc3\xb6ln", "ab\xc0\x80",
};

/* Slugs and a validation report through the C API, folded into *digest. */
static void slug_and_validate(unsigned long *digest, cd_report *r)
{
	char out[512];
	size_t k, n, i;
	cd_slug_options o;
	cd_article a;

	cd_slug_defaults(&o);
	for (k = 0; k < sizeof headlines / sizeof headlines[0]; k++) {
		n = 0;
		*digest = *digest * 33 + cd_slugify(headlines[k], strlen(headlines[k]), NULL, out, sizeof out, &n);
		for (i = 0; i < n; i++)
			*digest = *digest * 33 + (unsigned char)out[i];
		o.locale = "de";
		o.locale_len = 2;
		o.max_length = 12;
		*digest = *digest * 33 + cd_slugify(headlines[k], strlen(headlines[k]), &o, out, sizeof out, &n);
		cd_slug_defaults(&o);
	}
	memset(&a, 0, sizeof a);
	a.headline = field("SEOUL TALKS RESUME AFTER A LONG PAUSE");
	a.status = field("review");
	a.body = field(html_body);
	a.slug = field("Not A Slug");
	a.published_at = field("2026-13-45");
	cd_report_reset(r);
	*digest = *digest * 33 + cd_validate(r, &a, shared_policy);
	for (i = 0; i < cd_report_count(r); i++) {
		const cd_finding *f = cd_report_get(r, i);
		*digest = *digest * 33 + (unsigned long)f->rule * 7 + f->start * 3 + f->stop + f->path_len;
	}
}

static int shared_setup(void)
{
	uint8_t master[CD_LINK_KEY_BYTES];
	cd_link_claims c;
	shared_policy = cd_policy_new();
	if (shared_policy == NULL)
		return -1;
	memset(master, 0x2A, sizeof master);
	memset(&c, 0, sizeof c);
	c.article = 42;
	c.editor = 7;
	c.iat = NOW;
	c.exp = NOW + 7200;
	if (cd_signer_init(&shared_signer, CD_LINK_HMAC, 1, master, "https://news.example", 20) != CD_OK ||
	    cd_verifier_init(&shared_verifier, "https://news.example", 20, shared_keys, 2, 60, 86400) != CD_OK ||
	    cd_verifier_add_master(&shared_verifier, 1, CD_LINK_HMAC, master, 0) != CD_OK ||
	    cd_link_sign(&shared_signer, &c, NULL, shared_token, sizeof shared_token, &shared_token_len) != CD_OK)
		return -1;
	return 0;
}
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
	cd_report *report = cd_report_new();

	if (report == NULL)
		return NULL;

	for (i = 0; i < job->iterations; i++) {
		for (k = 0; k < sizeof c_inputs / sizeof c_inputs[0]; k++) {
			const char *s = c_inputs[k];
			size_t bad = 0, len = strlen(s) + (k == 6 ? 2 : 0);
			cd_status st = cd_utf8_validate(s, len, &bad);
			digest = digest * 33 + (unsigned long)st * 7 + bad;
			digest = digest * 33 + (unsigned long)strlen(cd_status_code(st));
		}
		{
			/* link verification with the shared verifier, then signing */
			cd_link_claims c;
			char bad[CD_LINK_TOKEN_MAX], tok[CD_LINK_TOKEN_MAX];
			size_t tlen;
			digest = digest * 33 + cd_link_verify(&shared_verifier, shared_token, shared_token_len, NOW + 5, &c);
			digest = digest * 33 + c.article + c.editor;
			memcpy(bad, shared_token, shared_token_len);
			bad[40] = bad[40] == 'A' ? 'B' : 'A';
			digest = digest * 33 + cd_link_verify(&shared_verifier, bad, shared_token_len, NOW + 5, &c);
			digest = digest * 33 + cd_link_verify(&shared_verifier, shared_token, shared_token_len, NOW + 99999, &c);
			memset(&c, 0, sizeof c);
			c.article = (uint64_t)i;
			c.iat = NOW;
			c.exp = NOW + 60;
			if (cd_link_sign(&shared_signer, &c, NULL, tok, sizeof tok, &tlen) != CD_OK ||
			    cd_link_verify(&shared_verifier, tok, tlen, NOW, &c) != CD_OK || c.article != (uint64_t)i)
				digest = 0; /* a thread that disagrees shows in the comparison */
		}
		if (i % 10 == 0) {
			slug_and_validate(&digest, report);
			/* the HTML scanner and sanitizer */
			cd_html_scan(html_body, sizeof html_body - 1, NULL, count_finding, NULL, &digest);
			cd_html_sanitize_to(html_body, sizeof html_body - 1, NULL, count_write, &digest);
		}
	}
	cd_report_free(report);
	snprintf(job->result, sizeof job->result, "utf8, slugify, validate, link sign/verify, html scan/sanitize: %lu",
		digest);
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
	if (shared_setup() != 0) {
		printf("not ok 1 - a signer and a verifier for the C API threads\n");
		return 1;
	}
	for (i = 0; i < nthreads; i++) {
		lua_jobs[i] = (struct job){ root, i + 1, iterations, 0, "" };
		c_jobs[i] = (struct job){ root, i + 1, iterations * 5, 0, "" };
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
	cd_signer_wipe(&shared_signer);
	cd_verifier_wipe(&shared_verifier);
	cd_policy_free(shared_policy);
	return !(all_ok && same);
}
