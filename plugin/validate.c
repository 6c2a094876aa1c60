/*
 * The validation engine: rule table and default news profile, compiled
 * policies, the report (findings in a small arena, sorted by path, offset,
 * code) and the metadata, media and link rules over a cd_article. Text
 * checks live in text.c, HTML in html.c; this file knows nothing of Lua.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "copydesk.h"
#include "validate_int.h"

/* ---- rules ---------------------------------------------------------------- */

#define CD_RULE_NAME_(NAME, code) #code,
static const char *const rule_codes[CD_RULE_COUNT] = { CD_RULE_LIST(CD_RULE_NAME_) };
#undef CD_RULE_NAME_

const char *cd_rule_code(cd_rule rule)
{
	if ((unsigned)rule >= CD_RULE_COUNT)
		return NULL;
	return rule_codes[rule];
}

int cd_rule_lookup(const char *code, size_t len)
{
	int i;
	for (i = 0; i < CD_RULE_COUNT; i++)
		if (strlen(rule_codes[i]) == len && memcmp(rule_codes[i], code, len) == 0)
			return i;
	return -1;
}

const char *cd_severity_name(cd_severity sev)
{
	static const char *const names[] = { "off", "info", "warning", "error" };
	if ((unsigned)sev > CD_SEV_ERROR)
		return "off";
	return names[sev];
}

#define O CD_SEV_OFF
#define I CD_SEV_INFO
#define W CD_SEV_WARNING
#define E CD_SEV_ERROR
/* The default news profile: severity at draft, review, published. */
static const unsigned char default_severity[CD_RULE_COUNT][CD_STAGE_COUNT] = {
	[CD_RULE_INPUT_TYPE] = { E, E, E },
	[CD_RULE_INPUT_TOO_LARGE] = { E, E, E },
	[CD_RULE_INPUT_TOO_DEEP] = { E, E, E },
	[CD_RULE_JSON_PARSE] = { E, E, E },
	[CD_RULE_UTF8_INVALID] = { E, E, E },
	[CD_RULE_TEXT_CONTROL_CHAR] = { W, E, E },
	[CD_RULE_HEADLINE_MISSING] = { W, E, E },
	[CD_RULE_HEADLINE_LENGTH] = { I, W, W },
	[CD_RULE_DEK_LENGTH] = { I, W, W },
	[CD_RULE_DESCRIPTION_LENGTH] = { I, W, W },
	[CD_RULE_SLUG_FORMAT] = { E, E, E },
	[CD_RULE_SLUG_LENGTH] = { W, W, W },
	[CD_RULE_BYLINE_MISSING] = { I, W, E },
	[CD_RULE_DATE_MISSING] = { I, W, E },
	[CD_RULE_DATE_FORMAT] = { E, E, E },
	[CD_RULE_DATE_ORDER] = { E, E, E },
	[CD_RULE_LANGUAGE_INVALID] = { E, E, E },
	[CD_RULE_CANONICAL_URL_INVALID] = { W, E, E },
	[CD_RULE_BODY_EMPTY] = { W, E, E },
	[CD_RULE_BODY_TOO_SHORT] = { I, W, W },
	[CD_RULE_TEXT_PLACEHOLDER] = { W, E, E },
	[CD_RULE_TEXT_BOILERPLATE] = { W, W, W },
	[CD_RULE_TEXT_DUPLICATE_BLOCK] = { W, W, W },
	[CD_RULE_TEXT_DOUBLED_WORD] = { W, W, W },
	[CD_RULE_TEXT_QUOTE_MIXED] = { W, W, W },
	[CD_RULE_TEXT_WHITESPACE] = { I, I, I },
	[CD_RULE_TEXT_ALL_CAPS] = { I, W, W },
	[CD_RULE_TEXT_WORDS_GLUED] = { W, W, W },
	[CD_RULE_STRUCT_EMPTY_BLOCK] = { W, W, W },
	[CD_RULE_STRUCT_TEASERS_IN_BODY] = { W, E, E },
	[CD_RULE_STRUCT_HEADING_SKIP] = { I, W, W },
	[CD_RULE_STRUCT_H1_IN_BODY] = { W, W, W },
	[CD_RULE_MEDIA_ALT_MISSING] = { I, W, W },
	[CD_RULE_MEDIA_ALT_EQUALS_CAPTION] = { I, W, W },
	[CD_RULE_MEDIA_ALT_REUSED] = { I, W, W },
	[CD_RULE_MEDIA_CAPTION_CREDIT_GLUED] = { W, W, W },
	[CD_RULE_MEDIA_CREDIT_MISSING] = { I, W, W },
	[CD_RULE_HTML_PARSE] = { W, W, W },
	[CD_RULE_HTML_TAG_DISALLOWED] = { W, W, E },
	[CD_RULE_HTML_ATTR_DISALLOWED] = { W, W, E },
	[CD_RULE_HTML_URL_SCHEME] = { E, E, E },
	[CD_RULE_HTML_TARGET_BLANK_REL] = { W, W, W },
	[CD_RULE_HTML_ENTITY] = { W, W, W },
	[CD_RULE_LINK_URL_INVALID] = { W, E, E },
	[CD_RULE_LINK_BARE_URL] = { I, W, W },
	[CD_RULE_TEXT_STYLE_TERM] = { I, I, I },
};
#undef O
#undef I
#undef W
#undef E

static const size_t default_threshold[CD_T_COUNT] = {
	[CD_T_HEADLINE_MIN] = 10,
	[CD_T_HEADLINE_MAX] = 110,
	[CD_T_DEK_MAX] = 250,
	[CD_T_DESCRIPTION_MIN] = 50,
	[CD_T_DESCRIPTION_MAX] = 160,
	[CD_T_SLUG_MAX] = 80,
	[CD_T_BODY_MIN_WORDS] = 50,
	[CD_T_ALL_CAPS_WORDS] = 4,
	[CD_T_MAX_FINDINGS] = 500,
	[CD_T_MAX_BYTES] = 4u << 20,
	[CD_T_MAX_ITEMS] = 1000,
	[CD_T_MAX_DEPTH] = 64,
};

/* ---- policy --------------------------------------------------------------- */

typedef struct strlist {
	char **s;
	size_t *len;
	size_t n, cap;
} strlist;

struct cd_policy {
	unsigned char sev[CD_STAGE_COUNT][CD_RULE_COUNT];
	size_t thr[CD_T_COUNT];
	int quotes;
	int stage;
	strlist lists[CD_LIST_COUNT];
};

cd_policy *cd_policy_new(void)
{
	cd_policy *p = calloc(1, sizeof *p);
	int r, s;
	if (p == NULL)
		return NULL;
	for (r = 0; r < CD_RULE_COUNT; r++)
		for (s = 0; s < CD_STAGE_COUNT; s++)
			p->sev[s][r] = default_severity[r][s];
	memcpy(p->thr, default_threshold, sizeof p->thr);
	p->quotes = CD_QUOTES_CONSISTENT;
	p->stage = -1;
	return p;
}

cd_status cd_policy_list_clear(cd_policy *p, cd_policy_list list)
{
	strlist *l;
	size_t i;
	if (p == NULL || (unsigned)list >= CD_LIST_COUNT)
		return CD_ERR_ARG;
	l = &p->lists[list];
	for (i = 0; i < l->n; i++)
		free(l->s[i]);
	l->n = 0;
	if (l->s)
		l->s[0] = NULL;
	return CD_OK;
}

void cd_policy_free(cd_policy *p)
{
	int i;
	if (p == NULL)
		return;
	for (i = 0; i < CD_LIST_COUNT; i++) {
		cd_policy_list_clear(p, (cd_policy_list)i);
		free(p->lists[i].s);
		free(p->lists[i].len);
	}
	free(p);
}

cd_status cd_policy_set_severity(cd_policy *p, cd_rule rule, cd_stage stage, cd_severity sev)
{
	if (p == NULL || (unsigned)rule >= CD_RULE_COUNT || (unsigned)stage >= CD_STAGE_COUNT ||
	    (unsigned)sev > CD_SEV_ERROR)
		return CD_ERR_ARG;
	p->sev[stage][rule] = (unsigned char)sev;
	return CD_OK;
}

cd_severity cd_policy_severity(const cd_policy *p, cd_rule rule, cd_stage stage)
{
	if (p == NULL || (unsigned)rule >= CD_RULE_COUNT || (unsigned)stage >= CD_STAGE_COUNT)
		return CD_SEV_OFF;
	return (cd_severity)p->sev[stage][rule];
}

cd_status cd_policy_set_threshold(cd_policy *p, cd_threshold t, size_t value)
{
	if (p == NULL || (unsigned)t >= CD_T_COUNT)
		return CD_ERR_ARG;
	p->thr[t] = value;
	return CD_OK;
}

size_t cd_policy_threshold(const cd_policy *p, cd_threshold t)
{
	if ((unsigned)t >= CD_T_COUNT)
		return 0;
	return p ? p->thr[t] : default_threshold[t];
}

cd_status cd_policy_set_quotes(cd_policy *p, int style)
{
	if (p == NULL || style < CD_QUOTES_CONSISTENT || style > CD_QUOTES_STRAIGHT)
		return CD_ERR_ARG;
	p->quotes = style;
	return CD_OK;
}

int cd_policy_quotes(const cd_policy *p)
{
	return p->quotes;
}

cd_status cd_policy_set_stage(cd_policy *p, int stage)
{
	if (p == NULL || stage < -1 || stage >= CD_STAGE_COUNT)
		return CD_ERR_ARG;
	p->stage = stage;
	return CD_OK;
}

cd_status cd_policy_list_add(cd_policy *p, cd_policy_list list, const char *s, size_t len)
{
	strlist *l;
	char *copy;
	if (p == NULL || (unsigned)list >= CD_LIST_COUNT || (s == NULL && len > 0))
		return CD_ERR_ARG;
	l = &p->lists[list];
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;
		char **ns = realloc(l->s, (cap + 1) * sizeof *ns); /* NULL-terminated */
		size_t *nl;
		if (ns == NULL)
			return CD_ERR_NOMEM;
		l->s = ns;
		nl = realloc(l->len, cap * sizeof *nl);
		if (nl == NULL)
			return CD_ERR_NOMEM;
		l->len = nl;
		l->cap = cap;
	}
	copy = malloc(len + 1);
	if (copy == NULL)
		return CD_ERR_NOMEM;
	if (len)
		memcpy(copy, s, len);
	copy[len] = '\0';
	l->s[l->n] = copy;
	l->len[l->n] = len;
	l->n++;
	l->s[l->n] = NULL;
	return CD_OK;
}

size_t cd_policy_list_count(const cd_policy *p, cd_policy_list list)
{
	if (p == NULL || (unsigned)list >= CD_LIST_COUNT)
		return 0;
	return p->lists[list].n;
}

const char *cd_policy_list_get(const cd_policy *p, cd_policy_list list, size_t i, size_t *len)
{
	if (p == NULL || (unsigned)list >= CD_LIST_COUNT || i >= p->lists[list].n)
		return NULL;
	if (len)
		*len = p->lists[list].len[i];
	return p->lists[list].s[i];
}

const char *const *cd_policy_list_items(const cd_policy *p, cd_policy_list list,
	const size_t **lens, size_t *n)
{
	static const char *const none[1] = { NULL };
	static const size_t no_lens[1] = { 0 };
	if (p == NULL || (unsigned)list >= CD_LIST_COUNT || p->lists[list].n == 0) {
		*lens = no_lens;
		*n = 0;
		return none;
	}
	*lens = p->lists[list].len;
	*n = p->lists[list].n;
	return (const char *const *)p->lists[list].s;
}

/* ---- report --------------------------------------------------------------- */

typedef struct chunk {
	struct chunk *next;
	size_t used, size;
} chunk;

#define CHUNK_HEAD ((sizeof(chunk) + 15) & ~(size_t)15)
#define CHUNK_MIN 4096

struct cd_report {
	cd_finding *f;
	size_t n, cap;
	size_t counts[4];
	int truncated;
	chunk *arena;
	/* scratch of cd_validate kept for the next run into this report */
	cd_quote_pos *quotes;
	cd_block_rec *blocks;
	char *buf;
	cd_seg *segs;
	size_t cap_quotes, cap_blocks, buf_cap, cap_segs;
};

cd_report *cd_report_new(void)
{
	return calloc(1, sizeof(cd_report));
}

static void free_chunks(chunk *c)
{
	while (c) {
		chunk *next = c->next;
		free(c);
		c = next;
	}
}

void cd_report_reset(cd_report *r)
{
	if (r == NULL)
		return;
	r->n = 0;
	memset(r->counts, 0, sizeof r->counts);
	r->truncated = 0;
	if (r->arena) { /* keep the first (newest) chunk */
		free_chunks(r->arena->next);
		r->arena->next = NULL;
		r->arena->used = 0;
	}
}

void cd_report_free(cd_report *r)
{
	if (r == NULL)
		return;
	free_chunks(r->arena);
	free(r->f);
	free(r->quotes);
	free(r->blocks);
	free(r->buf);
	free(r->segs);
	free(r);
}

void *cd_report_alloc(cd_report *r, size_t size)
{
	chunk *c;
	size_t need;
	if (r == NULL || size > ((size_t)-1) / 2)
		return NULL;
	need = (size + 15) & ~(size_t)15;
	c = r->arena;
	if (c == NULL || c->size - c->used < need) {
		size_t sz = need > CHUNK_MIN ? need : CHUNK_MIN;
		c = malloc(CHUNK_HEAD + sz);
		if (c == NULL)
			return NULL;
		c->size = sz;
		c->used = 0;
		c->next = r->arena;
		r->arena = c;
	}
	c->used += need;
	return (unsigned char *)c + CHUNK_HEAD + c->used - need;
}

static char *arena_strdup(cd_report *r, const char *s, size_t len)
{
	char *d = cd_report_alloc(r, len + 1);
	if (d == NULL)
		return NULL;
	if (len)
		memcpy(d, s, len);
	d[len] = '\0';
	return d;
}

cd_status cd_report_add(cd_report *r, const cd_policy *p, cd_stage stage, cd_rule rule,
	const char *path, size_t start, size_t stop, const char *message)
{
	cd_severity sev;
	cd_finding *f;
	size_t plen;
	if (r == NULL || p == NULL || (unsigned)rule >= CD_RULE_COUNT ||
	    (unsigned)stage >= CD_STAGE_COUNT)
		return CD_ERR_ARG;
	sev = (cd_severity)p->sev[stage][rule];
	if (sev == CD_SEV_OFF)
		return CD_OK;
	r->counts[sev]++;
	if (r->n >= p->thr[CD_T_MAX_FINDINGS]) {
		r->truncated = 1;
		return CD_OK;
	}
	if (r->n == r->cap) {
		cd_finding *nf = cd_grow(r->f, &r->cap, r->n + 1, sizeof *nf);
		if (nf == NULL)
			return CD_ERR_NOMEM;
		r->f = nf;
	}
	if (path == NULL)
		path = "";
	if (message == NULL)
		message = rule_codes[rule];
	plen = strlen(path);
	f = &r->f[r->n];
	f->rule = rule;
	f->severity = sev;
	f->path = arena_strdup(r, path, plen);
	f->path_len = plen;
	f->message = arena_strdup(r, message, strlen(message));
	if (f->path == NULL || f->message == NULL)
		return CD_ERR_NOMEM;
	f->start = start;
	f->stop = stop;
	r->n++;
	return CD_OK;
}

/* JSON Pointer order: segment by segment, array indices as numbers. */
static int path_cmp(const char *a, const char *b)
{
	while (*a && *b) {
		const char *ea = a + 1, *eb = b + 1;
		size_t la, lb;
		int na = 1, nb = 1;
		while (*ea && *ea != '/')
			ea++;
		while (*eb && *eb != '/')
			eb++;
		la = (size_t)(ea - a - 1);
		lb = (size_t)(eb - b - 1);
		{
			const char *q;
			for (q = a + 1; q < ea; q++)
				if (*q < '0' || *q > '9')
					na = 0;
			for (q = b + 1; q < eb; q++)
				if (*q < '0' || *q > '9')
					nb = 0;
		}
		if (na && nb && la && lb && la != lb)
			return la < lb ? -1 : 1;
		{
			size_t m = la < lb ? la : lb;
			int c = memcmp(a + 1, b + 1, m);
			if (c)
				return c;
			if (la != lb)
				return la < lb ? -1 : 1;
		}
		a = ea;
		b = eb;
	}
	return (*a != 0) - (*b != 0);
}

static int finding_cmp(const void *pa, const void *pb)
{
	const cd_finding *a = pa, *b = pb;
	int c = path_cmp(a->path, b->path);
	if (c)
		return c;
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	c = strcmp(rule_codes[a->rule], rule_codes[b->rule]);
	if (c)
		return c;
	if (a->stop != b->stop)
		return a->stop < b->stop ? -1 : 1;
	return strcmp(a->message, b->message);
}

void cd_report_sort(cd_report *r)
{
	if (r && r->n > 1)
		qsort(r->f, r->n, sizeof *r->f, finding_cmp);
}

size_t cd_report_count(const cd_report *r)
{
	return r ? r->n : 0;
}

const cd_finding *cd_report_get(const cd_report *r, size_t i)
{
	return (r && i < r->n) ? &r->f[i] : NULL;
}

size_t cd_report_severity_count(const cd_report *r, cd_severity sev)
{
	if (r == NULL || (unsigned)sev > CD_SEV_ERROR)
		return 0;
	return r->counts[sev];
}

int cd_report_truncated(const cd_report *r)
{
	return r ? r->truncated : 0;
}

/* ---- helpers -------------------------------------------------------------- */

void cd_v_add(cd_vctx *v, cd_rule rule, const char *path, size_t start, size_t stop,
	const char *message)
{
	cd_status st = cd_report_add(v->r, v->p, v->stage, rule, path, start, stop, message);
	if (st != CD_OK && v->err == CD_OK)
		v->err = st;
}

/* Characters of well-formed UTF-8: bytes less continuation bytes. */
static size_t count_chars(const char *s, size_t len)
{
	size_t i = 0, n = len;
	for (; len - i >= 8; i += 8) {
		uint64_t w, c;
		memcpy(&w, s + i, 8);
		c = w & ~(w << 1) & CD_H8; /* 10xxxxxx */
		c = (c >> 7) * CD_L8 >> 56; /* how many */
		n -= (size_t)c;
	}
	for (; i < len; i++)
		if (((unsigned char)s[i] & 0xC0) == 0x80)
			n--;
	return n;
}

static int is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static int blank(const cd_field *f)
{
	size_t i;
	if (f->state != CD_FIELD_SET)
		return 1;
	for (i = 0; i < f->len; i++)
		if (!is_space((unsigned char)f->s[i]))
			return 0;
	return 1;
}

static int eq_nocase(const char *a, size_t la, const char *b)
{
	size_t i, lb = strlen(b);
	if (la != lb)
		return 0;
	for (i = 0; i < la; i++) {
		unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
		if (x >= 'A' && x <= 'Z')
			x = (unsigned char)(x + 32);
		if (x != y)
			return 0;
	}
	return 1;
}

/* Non-zero when one of the eight bytes of w may be a control character,
 * DEL or not ASCII (never zero when one is). */
static uint64_t odd8(uint64_t w)
{
	const uint64_t ones = CD_L8;
	return (w | (w - ones * 0x20) | ((w ^ (ones * 0x7F)) - ones)) & (ones * 0x80);
}

/*
 * Checks a string field for UTF-8 and control characters. Returns 1 when
 * the text is sound enough for the text checks.
 */
static int check_string(cd_vctx *v, const cd_field *f, const char *path, int multiline)
{
	const unsigned char *p = (const unsigned char *)f->s;
	size_t i = 0, len = f->len;
	int reported = 0;
	char msg[96];
	if (f->state != CD_FIELD_SET)
		return 0;
	while (i < len) {
		unsigned char c;
		/* printable ASCII, 16 (SSE2) or 8 bytes at a time: no control, no
		 * DEL, no high bit (a borrow may flag a good byte: the byte loop
		 * decides) */
#if CD_SSE2
		/* x + 0x60 takes 0x20..0x7E to -128..-34 (signed) and every other
		 * byte above -34: one compare finds them */
		while (len - i >= 32 && !v->general) {
			const __m128i shift = _mm_set1_epi8(0x60), top = _mm_set1_epi8(-34);
			__m128i a = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
			__m128i b = _mm_loadu_si128((const __m128i *)(const void *)(p + i + 16));
			__m128i bad = _mm_or_si128(_mm_cmpgt_epi8(_mm_add_epi8(a, shift), top),
				_mm_cmpgt_epi8(_mm_add_epi8(b, shift), top));
			if (_mm_movemask_epi8(bad))
				break;
			i += 32;
		}
		while (len - i >= 16 && !v->general) {
			__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
			int m = _mm_movemask_epi8(
				_mm_cmpgt_epi8(_mm_add_epi8(x, _mm_set1_epi8(0x60)), _mm_set1_epi8(-34)));
			if (m) {
				i += (size_t)__builtin_ctz((unsigned)m);
				break;
			}
			i += 16;
		}
#endif
		while (len - i >= 8 && !v->general) {
			uint64_t w;
			memcpy(&w, p + i, 8);
			if (odd8(w) != 0)
				break;
			i += 8;
		}
		if (i >= len)
			break;
		c = p[i];
		if (c < 0x80) {
			if (c < 0x20 || c == 0x7F) {
				if (c == '\t' || c == '\n' || c == '\r') {
					if (!multiline)
						cd_v_add(v, CD_RULE_TEXT_WHITESPACE, path, i + 1, i + 1,
							"line break or tab in a one-line field");
				} else if (reported++ < 20) {
					snprintf(msg, sizeof msg, "control character U+%04X", c);
					cd_v_add(v, CD_RULE_TEXT_CONTROL_CHAR, path, i + 1, i + 1, msg);
				}
			}
			i++;
		} else {
			size_t pos = i;
			uint32_t cp;
			if (cd_utf8_next(f->s, len, &pos, &cp) != CD_OK) {
				snprintf(msg, sizeof msg, "ill-formed UTF-8 at byte %lu", (unsigned long)(i + 1));
				cd_v_add(v, CD_RULE_UTF8_INVALID, path, i + 1, i + 1, msg);
				return 0;
			}
			if (cp >= 0x80 && cp < 0xA0 && reported++ < 20) {
				snprintf(msg, sizeof msg, "control character U+%04X", (unsigned)cp);
				cd_v_add(v, CD_RULE_TEXT_CONTROL_CHAR, path, i + 1, pos, msg);
			}
			i = pos;
		}
	}
	return 1;
}

/* ---- dates (RFC 3339) ----------------------------------------------------- */

typedef struct instant {
	long long secs;
	long nanos;
} instant;

static int digits(const char *s, size_t n, int *out)
{
	size_t i;
	int v = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 1;
}

static long long days_from_civil(int y, int m, int d)
{
	long long era, yoe, doy, doe;
	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* NULL when s is a full RFC 3339 date-time with a zone, else why not. */
static const char *parse_date(const char *s, size_t len, instant *out)
{
	int y, mo, d, h, mi, se, zh = 0, zm = 0, sign = 0;
	size_t i = 19;
	long nanos = 0, scale = 100000000;
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int dim;
	if (len >= 10 && digits(s, 4, &y) && s[4] == '-' && digits(s + 5, 2, &mo) && s[7] == '-' &&
	    digits(s + 8, 2, &d) && len == 10)
		return "a date without a time; RFC 3339 wants a date-time with a zone";
	if (len < 19)
		return "not an RFC 3339 date-time (2026-11-28T12:00:00Z)";
	if (!digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &mo) || s[7] != '-' ||
	    !digits(s + 8, 2, &d) || (s[10] != 'T' && s[10] != 't') || !digits(s + 11, 2, &h) ||
	    s[13] != ':' || !digits(s + 14, 2, &mi) || s[16] != ':' || !digits(s + 17, 2, &se))
		return "not an RFC 3339 date-time (2026-11-28T12:00:00Z)";
	if (mo < 1 || mo > 12)
		return "month out of range";
	dim = mdays[mo - 1] + (mo == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
	if (d < 1 || d > dim)
		return "day out of range";
	if (h > 23 || mi > 59 || se > 60)
		return "time out of range";
	if (i < len && s[i] == '.') {
		size_t start = ++i;
		while (i < len && s[i] >= '0' && s[i] <= '9') {
			if (scale) {
				nanos += (s[i] - '0') * scale;
				scale /= 10;
			}
			i++;
		}
		if (i == start)
			return "empty fraction of a second";
	}
	if (i >= len)
		return "no time zone (end with Z or an offset such as +01:00)";
	if (s[i] == 'Z' || s[i] == 'z') {
		i++;
	} else if (s[i] == '+' || s[i] == '-') {
		sign = s[i] == '-' ? -1 : 1;
		if (len - i != 6 || !digits(s + i + 1, 2, &zh) || s[i + 3] != ':' ||
		    !digits(s + i + 4, 2, &zm) || zh > 23 || zm > 59)
			return "bad time zone offset (use +HH:MM)";
		i += 6;
	} else {
		return "no time zone (end with Z or an offset such as +01:00)";
	}
	if (i != len)
		return "trailing characters after the date-time";
	out->secs = days_from_civil(y, mo, d) * 86400LL + h * 3600LL + mi * 60LL + se -
		sign * (zh * 3600LL + zm * 60LL);
	out->nanos = nanos;
	return NULL;
}

static int instant_before(const instant *a, const instant *b)
{
	return a->secs < b->secs || (a->secs == b->secs && a->nanos < b->nanos);
}

static int check_date(cd_vctx *v, const cd_field *f, const char *path, instant *out)
{
	const char *why;
	if (!check_string(v, f, path, 0))
		return 0;
	why = parse_date(f->s, f->len, out);
	if (why) {
		cd_v_add(v, CD_RULE_DATE_FORMAT, path, 0, 0, why);
		return 0;
	}
	return 1;
}

/* ---- BCP 47 (RFC 5646, well-formed) -------------------------------------- */

static int all_of(const char *s, size_t n, int kind) /* 0 alpha, 1 digit, 2 alnum */
{
	size_t i;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		int a = (c | 32) >= 'a' && (c | 32) <= 'z', d = c >= '0' && c <= '9';
		if (kind == 0 ? !a : kind == 1 ? !d : !(a || d))
			return 0;
	}
	return 1;
}

static const char *const grandfathered[] = {
	"en-GB-oed", "i-ami", "i-bnn", "i-default", "i-enochian", "i-hak", "i-klingon", "i-lux",
	"i-mingo", "i-navajo", "i-pwn", "i-tao", "i-tay", "i-tsu", "sgn-BE-FR", "sgn-BE-NL",
	"sgn-CH-DE", "art-lojban", "cel-gaulish", "no-bok", "no-nyn", "zh-guoyu", "zh-hakka",
	"zh-min", "zh-min-nan", "zh-xiang", NULL
};

static int bcp47_ok(const char *s, size_t len)
{
	size_t pos = 0, n;
	int state = 0; /* 0 language, 1 extlang, 2 script, 3 region, 4 variant, 5 extension */
	int extlangs = 0, in_ext = 0, i;
	for (i = 0; grandfathered[i]; i++) {
		const char *g = grandfathered[i];
		size_t gl = strlen(g), k;
		if (gl == len) {
			for (k = 0; k < len && ((s[k] | 32) == (g[k] | 32)); k++)
				;
			if (k == len)
				return 1;
		}
	}
	if (len == 0 || len > 128)
		return 0;
	while (pos <= len) {
		const char *t = s + pos;
		n = 0;
		while (pos + n < len && s[pos + n] != '-')
			n++;
		if (n == 0 || n > 8 || !all_of(t, n, 2))
			return 0;
		if (state == 0) {
			if ((t[0] | 32) == 'x' && n == 1) { /* private use only */
				state = 6;
			} else if (!all_of(t, n, 0) || n == 4 || (n != 2 && n != 3 && n < 5)) {
				if (!(all_of(t, n, 0) && n >= 5))
					return 0;
				state = 2;
			} else {
				state = (n <= 3) ? 1 : 2;
			}
		} else if (state == 6) {
			/* private use subtags: 1-8 alnum, already checked */
		} else if (n == 1) {
			if ((t[0] | 32) == 'x')
				state = 6;
			else
				state = 5;
			in_ext = 1;
		} else if (state == 5) {
			if (n < 2)
				return 0;
			in_ext = 0;
		} else if (state == 1 && n == 3 && all_of(t, 3, 0) && extlangs < 3) {
			extlangs++;
		} else if (state <= 2 && n == 4 && all_of(t, 4, 0)) {
			state = 3;
		} else if (state <= 3 && ((n == 2 && all_of(t, 2, 0)) || (n == 3 && all_of(t, 3, 1)))) {
			state = 4;
		} else if ((n >= 5) || (n == 4 && t[0] >= '0' && t[0] <= '9')) {
			state = 4;
		} else {
			return 0;
		}
		pos += n + 1;
	}
	if (in_ext)
		return 0; /* a singleton with nothing after it */
	return s[len - 1] != '-';
}

/* ---- URLs ----------------------------------------------------------------- */

/* Bytes a URL may hold as they are: not controls, space or DEL, not
 * < > " \\ ^ ` { | } (non-ASCII bytes pass). */
#define U1 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1
static const unsigned char url_byte[256] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,   /* space " */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 0, 1,   /* < > */
	U1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 0, 1,   /* \\ ^ */
	0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,   /* ` */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 0,   /* { | } DEL */
	U1, U1, U1, U1, U1, U1, U1, U1
};
#undef U1

/* NULL when s is a usable link, else why not. absolute: http(s) only. */
static const char *url_problem(const char *s, size_t len, int absolute, int canonical)
{
	size_t i = 0, host;
	if (len == 0)
		return "empty URL";
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (!url_byte[c])
			return "space or a character URLs must escape";
		if (c == '%' && (i + 2 >= len || !all_of(s + i + 1, 2, 2) ||
			    !(((s[i + 1] | 32) >= 'a' && (s[i + 1] | 32) <= 'f') || (s[i + 1] >= '0' && s[i + 1] <= '9')) ||
			    !(((s[i + 2] | 32) >= 'a' && (s[i + 2] | 32) <= 'f') || (s[i + 2] >= '0' && s[i + 2] <= '9'))))
			return "bad percent-escape";
		if (canonical && c == '#')
			return "a canonical URL has no fragment";
	}
	if (!absolute && s[0] == '/' && (len == 1 || s[1] != '/'))
		return NULL; /* root-relative path */
	if (len >= 7 && eq_nocase(s, 7, "http://"))
		i = 7;
	else if (len >= 8 && eq_nocase(s, 8, "https://"))
		i = 8;
	else if (!absolute && len >= 2 && s[0] == '/' && s[1] == '/')
		i = 2;
	else
		return absolute ? "not an absolute http(s) URL" : "not an http(s) URL or a path";
	host = i;
	while (i < len && s[i] != '/' && s[i] != '?' && s[i] != '#')
		i++;
	{
		size_t h = host, end = i, k;
		for (k = h; k < end; k++)
			if (s[k] == '@')
				return "user name or password in the URL";
		if (end > h && s[h] == '[') {
			while (h < end && s[h] != ']')
				h++;
			if (h == end)
				return "bad IPv6 host";
			h++;
		} else {
			size_t hs = h;
			while (h < end && s[h] != ':') {
				unsigned char c = (unsigned char)s[h];
				if (!(c >= 0x80 || all_of((const char *)&s[h], 1, 2) || c == '-' || c == '.'))
					return "bad character in the host name";
				h++;
			}
			if (h == hs)
				return "no host name";
			if (s[hs] == '.' || s[hs] == '-' || s[h - 1] == '-')
				return "bad host name";
			for (k = hs; k + 1 < h; k++)
				if (s[k] == '.' && s[k + 1] == '.')
					return "bad host name";
		}
		if (h < end) {
			if (s[h] != ':' || end - h - 1 > 5 || end - h - 1 == 0 ||
			    !all_of(s + h + 1, end - h - 1, 1))
				return "bad port";
		}
	}
	return NULL;
}

/* ---- slug ----------------------------------------------------------------- */

static int slug_ok(const char *s, size_t len)
{
	size_t i;
	if (len == 0 || s[0] == '-' || s[len - 1] == '-')
		return 0;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '-') {
			if (s[i + 1] == '-')
				return 0;
		} else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
			return 0;
		}
	}
	return 1;
}

/* ---- the engine ----------------------------------------------------------- */

cd_stage cd_validate_stage(const cd_policy *p, const cd_article *a)
{
	const cd_field *st;
	if (p && p->stage >= 0)
		return (cd_stage)p->stage;
	if (a == NULL)
		return CD_STAGE_REVIEW;
	st = &a->status;
	if (st->state != CD_FIELD_SET)
		return CD_STAGE_REVIEW;
	if (eq_nocase(st->s, st->len, "draft"))
		return CD_STAGE_DRAFT;
	if (eq_nocase(st->s, st->len, "scheduled") || eq_nocase(st->s, st->len, "published") ||
	    eq_nocase(st->s, st->len, "archived"))
		return CD_STAGE_PUBLISHED;
	return CD_STAGE_REVIEW;
}

static void length_rule(cd_vctx *v, const cd_field *f, const char *path, cd_rule rule,
	const char *what, size_t min, size_t max)
{
	size_t n;
	char msg[128];
	if (f->state != CD_FIELD_SET)
		return;
	n = count_chars(f->s, f->len);
	if (max && n > max) {
		snprintf(msg, sizeof msg, "%s is %zu characters; the limit is %zu", what, n, max);
		cd_v_add(v, rule, path, 0, 0, msg);
	} else if (min && n < min) {
		snprintf(msg, sizeof msg, "%s is %zu characters; at least %zu expected", what, n, min);
		cd_v_add(v, rule, path, 0, 0, msg);
	}
}

static void text_field(cd_vctx *v, const cd_field *f, const char *path, unsigned flags,
	int multiline)
{
	if (check_string(v, f, path, multiline))
		cd_text_block(v, path, f->s, f->len, 0, f->len, 1, flags);
}

char *cd_report_path(cd_report *r, const char *list, size_t i, const char *leaf)
{
	char num[24], *out, *o;
	size_t nd = 0, ll = strlen(list), lf = leaf ? strlen(leaf) + 1 : 0;
	i++;
	do {
		num[nd++] = (char)('0' + i % 10);
		i /= 10;
	} while (i);
	out = cd_report_alloc(r, ll + nd + lf + 3);
	if (out == NULL)
		return NULL;
	o = out;
	*o++ = '/';
	memcpy(o, list, ll);
	o += ll;
	*o++ = '/';
	while (nd)
		*o++ = num[--nd];
	if (leaf) {
		*o++ = '/';
		memcpy(o, leaf, lf - 1);
		o += lf - 1;
	}
	*o = '\0';
	return out;
}

static char *fmt_path(cd_vctx *v, const char *list, size_t i, const char *leaf)
{
	return cd_report_path(v->r, list, i, leaf);
}

/* ---- HTML bodies (over html.c) ------------------------------------------- */

static void html_config(const cd_policy *p, cd_html_config *cfg)
{
	cfg->tags = p->lists[CD_LIST_HTML_TAGS].n ? (const char *const *)p->lists[CD_LIST_HTML_TAGS].s : NULL;
	cfg->attributes = p->lists[CD_LIST_HTML_ATTRS].n ? (const char *const *)p->lists[CD_LIST_HTML_ATTRS].s : NULL;
	cfg->schemes = p->lists[CD_LIST_HTML_SCHEMES].n ? (const char *const *)p->lists[CD_LIST_HTML_SCHEMES].s : NULL;
}

cd_status cd_policy_check_html(const cd_policy *p, const char **bad)
{
	cd_html_config cfg;
	if (p == NULL)
		return CD_ERR_ARG;
	html_config(p, &cfg);
	return cd_html_config_check(&cfg, bad);
}

typedef struct html_walk {
	cd_vctx *v;
	const cd_field *body;
} html_walk;

void *cd_grow(void *p, size_t *cap, size_t need, size_t size)
{
	size_t c = *cap ? *cap : 32;
	void *np;
	if (need <= *cap)
		return p;
	if (need > SIZE_MAX / 2 / size)
		return NULL; /* (doubling or the byte count would overflow) */
	while (c < need)
		c *= 2;
	np = realloc(p, c * size);
	if (np != NULL)
		*cap = c;
	return np;
}

static void flush_block(cd_vctx *v)
{
	size_t i;
	for (i = v->block_start; i < v->buf_len; i++)
		if (!is_space((unsigned char)v->buf[i]))
			break;
	if (i < v->buf_len)
		cd_text_block_mapped(v, "/body", v->buf + v->block_start, v->buf_len - v->block_start,
			v->segs, v->n_segs, CD_TB_BODY | v->block_flags);
	else
		v->buf_len = v->block_start; /* blank: drop it */
	v->block_start = v->buf_len;
	v->n_segs = 0;
}

/* Whether the tag that ends right before body offset at (0-based) is <a ...>. */
static int after_anchor(const cd_field *body, size_t at)
{
	size_t k, lim = at > 2048 ? at - 2048 : 0;
	if (at == 0 || body->s[at - 1] != '>')
		return 0;
	for (k = at - 1; k > lim; k--) {
		if (body->s[k - 1] == '<') {
			unsigned char c = (unsigned char)body->s[k];
			return (c == 'a' || c == 'A') && k + 1 < at &&
			       (body->s[k + 1] == ' ' || body->s[k + 1] == '>' || body->s[k + 1] == '\t' ||
				       body->s[k + 1] == '\n');
		}
	}
	return 0;
}

static int on_html_text(void *ud, const cd_html_run *run)
{
	html_walk *w = ud;
	cd_vctx *v = w->v;
	switch (run->kind) {
	case CD_HTML_RUN_TEXT:
	case CD_HTML_RUN_CHAR: {
		cd_seg *sg;
		if (run->len == 0)
			return 0;
		char *nb = cd_grow(v->buf, &v->buf_cap, v->buf_len + run->len, 1);
		cd_seg *ns;
		if (nb != NULL)
			v->buf = nb;
		ns = nb ? cd_grow(v->segs, &v->cap_segs, v->n_segs + 1, sizeof *ns) : NULL;
		if (ns == NULL) {
			v->err = CD_ERR_NOMEM;
			return 1;
		}
		v->segs = ns;
		sg = &v->segs[v->n_segs++];
		sg->off = v->buf_len - v->block_start;
		sg->linked = run->kind == CD_HTML_RUN_TEXT && run->start >= 1 &&
			     after_anchor(w->body, run->start - 1);
		sg->len = run->len;
		sg->src = run->start ? run->start - 1 : 0;
		sg->src_len = run->src_len;
		sg->exact = run->kind == CD_HTML_RUN_TEXT && run->len == run->src_len;
		memcpy(v->buf + v->buf_len, run->text, run->len);
		v->buf_len += run->len;
		break;
	}
	case CD_HTML_RUN_OPEN:
		flush_block(v);
		v->block_flags = (run->tag && run->tag[0] == 'h' && run->tag[1] >= '1' &&
					 run->tag[1] <= '6' && run->tag[2] == 0)
			? CD_TB_HEADING : 0;
		break;
	case CD_HTML_RUN_CLOSE:
		flush_block(v);
		v->block_flags = 0;
		break;
	case CD_HTML_RUN_BREAK:
		flush_block(v);
		break;
	}
	return v->err != CD_OK;
}

static int on_html_finding(void *ud, const char *code, size_t start, size_t stop,
	const char *detail)
{
	html_walk *w = ud;
	int rule = cd_rule_lookup(code, strlen(code));
	char msg[128];
	const char *what;
	if (rule < 0)
		return 0;
	switch (rule) {
	case CD_RULE_HTML_PARSE: what = "malformed HTML"; break;
	case CD_RULE_HTML_TAG_DISALLOWED: what = "element not allowed"; break;
	case CD_RULE_HTML_ATTR_DISALLOWED: what = "attribute not allowed"; break;
	case CD_RULE_HTML_URL_SCHEME: what = "URL scheme not allowed"; break;
	case CD_RULE_HTML_TARGET_BLANK_REL: what = "target=_blank without rel=noopener"; break;
	case CD_RULE_HTML_ENTITY: what = "bad character reference"; break;
	case CD_RULE_STRUCT_H1_IN_BODY: what = "an h1 in the body (the headline is the page's h1)"; break;
	case CD_RULE_STRUCT_HEADING_SKIP: what = "a heading level skipped"; break;
	case CD_RULE_STRUCT_EMPTY_BLOCK: what = "an empty block"; break;
	default: what = code; break;
	}
	if (detail && detail[0])
		snprintf(msg, sizeof msg, "%s: %s", what, detail);
	else
		snprintf(msg, sizeof msg, "%s", what);
	cd_v_add(w->v, (cd_rule)rule, "/body", start, stop, msg);
	return w->v->err != CD_OK;
}

void cd_body_html(cd_vctx *v, const cd_field *body)
{
	cd_html_config cfg;
	html_walk w;
	w.v = v;
	w.body = body;
	html_config(v->p, &cfg);
	v->block_flags = 0;
	if (cd_html_scan(body->s, body->len, &cfg, on_html_finding, on_html_text, &w) != CD_OK &&
	    v->err == CD_OK)
		v->err = CD_ERR_ARG;
	flush_block(v);
}

/* The body as plain text: one block per line; blank lines separate. */
static void body_text(cd_vctx *v, const cd_field *f)
{
	size_t i = 0;
	while (i < f->len) {
		size_t j = i;
		while (j < f->len && f->s[j] != '\n')
			j++;
		{
			size_t a = i, b = j;
			while (a < b && is_space((unsigned char)f->s[a]))
				a++;
			while (b > a && is_space((unsigned char)f->s[b - 1]))
				b--;
			if (b > a)
				cd_text_block(v, "/body", f->s + i, j - i, i, j - i, 1, CD_TB_BODY);
		}
		i = j + 1;
	}
}

static void body_rules(cd_vctx *v, const cd_article *a)
{
	const cd_field *f = &a->body;
	size_t min = v->p->thr[CD_T_BODY_MIN_WORDS];
	char msg[96];
	if (f->state == CD_FIELD_BAD)
		return;
	if (blank(f)) {
		cd_v_add(v, CD_RULE_BODY_EMPTY, "/body", 0, 0, "the body is empty");
		return;
	}
	if (!check_string(v, f, "/body", 1))
		return;
	if (a->body_format == CD_BODY_TEXT)
		body_text(v, f);
	else
		cd_body_html(v, f);
	if (v->body_words == 0) {
		cd_v_add(v, CD_RULE_BODY_EMPTY, "/body", 0, 0, "the body has no text");
	} else if (v->body_words < min) {
		snprintf(msg, sizeof msg, "the body has %zu words; at least %zu expected",
			v->body_words, min);
		cd_v_add(v, CD_RULE_BODY_TOO_SHORT, "/body", 0, 0, msg);
	}
}

static int fold_eq(const cd_field *a, const cd_field *b)
{
	/* equal after trimming, ASCII case folding and collapsing whitespace */
	size_t i = 0, j = 0;
	while (i < a->len && is_space((unsigned char)a->s[i]))
		i++;
	while (j < b->len && is_space((unsigned char)b->s[j]))
		j++;
	for (;;) {
		int ea, eb;
		while (i < a->len && is_space((unsigned char)a->s[i]) &&
		       (i + 1 >= a->len || is_space((unsigned char)a->s[i + 1])))
			i++;
		while (j < b->len && is_space((unsigned char)b->s[j]) &&
		       (j + 1 >= b->len || is_space((unsigned char)b->s[j + 1])))
			j++;
		ea = i >= a->len;
		eb = j >= b->len;
		if (ea || eb)
			return ea && eb;
		{
			unsigned char x = (unsigned char)a->s[i], y = (unsigned char)b->s[j];
			if (is_space(x) && is_space(y)) {
				i++;
				j++;
				continue;
			}
			if (x >= 'A' && x <= 'Z')
				x = (unsigned char)(x + 32);
			if (y >= 'A' && y <= 'Z')
				y = (unsigned char)(y + 32);
			if (x != y)
				return 0;
		}
		i++;
		j++;
	}
}

static void media_rules(cd_vctx *v, const cd_article *a)
{
	size_t i, k;
	char msg[128];
	for (i = 0; i < a->n_images; i++) {
		const cd_image *im = &a->images[i];
		char *p_url = fmt_path(v, "images", i, "url");
		char *p_alt = fmt_path(v, "images", i, "alt");
		char *p_cap = fmt_path(v, "images", i, "caption");
		char *p_cred = fmt_path(v, "images", i, "credit");
		int cap_ok, alt_ok;
		if (!p_url || !p_alt || !p_cap || !p_cred) {
			v->err = CD_ERR_NOMEM;
			return;
		}
		if (check_string(v, &im->url, p_url, 0)) {
			const char *why = url_problem(im->url.s, im->url.len, 0, 0);
			if (why)
				cd_v_add(v, CD_RULE_LINK_URL_INVALID, p_url, 0, 0, why);
		}
		alt_ok = check_string(v, &im->alt, p_alt, 0);
		if (im->alt.state != CD_FIELD_BAD && blank(&im->alt))
			cd_v_add(v, CD_RULE_MEDIA_ALT_MISSING, p_alt, 0, 0, "the image has no alt text");
		else if (alt_ok)
			cd_text_block(v, p_alt, im->alt.s, im->alt.len, 0, im->alt.len, 1, CD_TB_FIELD);
		cap_ok = check_string(v, &im->caption, p_cap, 1);
		if (cap_ok)
			cd_text_block(v, p_cap, im->caption.s, im->caption.len, 0, im->caption.len, 1,
				CD_TB_CAPTION);
		if (check_string(v, &im->credit, p_cred, 0))
			cd_text_block(v, p_cred, im->credit.s, im->credit.len, 0, im->credit.len, 1,
				CD_TB_FIELD | CD_TB_CAPS_OK);
		if (im->credit.state != CD_FIELD_BAD && blank(&im->credit))
			cd_v_add(v, CD_RULE_MEDIA_CREDIT_MISSING, p_cred, 0, 0, "the image has no credit");
		if (cap_ok)
			cd_text_caption_glued(v, p_cap, &im->caption, &im->credit);
		if (alt_ok && !blank(&im->alt)) {
			if (cap_ok && fold_eq(&im->alt, &im->caption))
				cd_v_add(v, CD_RULE_MEDIA_ALT_EQUALS_CAPTION, p_alt, 0, 0,
					"the alt text repeats the caption; describe the picture instead");
			for (k = 0; k < i; k++) {
				const cd_image *o = &a->images[k];
				if (o->alt.state == CD_FIELD_SET && fold_eq(&im->alt, &o->alt) &&
				    !(o->url.state == CD_FIELD_SET && im->url.state == CD_FIELD_SET &&
					    o->url.len == im->url.len &&
					    memcmp(o->url.s, im->url.s, im->url.len) == 0)) {
					snprintf(msg, sizeof msg,
						"the same alt text as /images/%zu/alt for a different image",
						k + 1);
					cd_v_add(v, CD_RULE_MEDIA_ALT_REUSED, p_alt, 0, 0, msg);
					break;
				}
			}
		}
	}
}

static void link_rules(cd_vctx *v, const cd_article *a)
{
	size_t i;
	for (i = 0; i < a->n_related; i++) {
		const cd_related *rel = &a->related[i];
		char *p_url = fmt_path(v, "related", i, "url");
		char *p_head = fmt_path(v, "related", i, "headline");
		if (!p_url || !p_head) {
			v->err = CD_ERR_NOMEM;
			return;
		}
		if (check_string(v, &rel->url, p_url, 0)) {
			const char *why = url_problem(rel->url.s, rel->url.len, 0, 0);
			if (why)
				cd_v_add(v, CD_RULE_LINK_URL_INVALID, p_url, 0, 0, why);
		} else if (rel->url.state == CD_FIELD_ABSENT) {
			cd_v_add(v, CD_RULE_LINK_URL_INVALID, p_url, 0, 0, "a related story without a URL");
		}
		text_field(v, &rel->headline, p_head, CD_TB_FIELD, 0);
	}
}

static void metadata_rules(cd_vctx *v, const cd_article *a)
{
	const cd_policy *p = v->p;
	instant pub, upd, emb;
	int has_pub, has_upd, has_emb;
	size_t i;
	int any_byline = 0;

	if (a->headline.state != CD_FIELD_BAD && blank(&a->headline))
		cd_v_add(v, CD_RULE_HEADLINE_MISSING, "/headline", 0, 0, "the story has no headline");
	else
		length_rule(v, &a->headline, "/headline", CD_RULE_HEADLINE_LENGTH, "the headline",
			p->thr[CD_T_HEADLINE_MIN], p->thr[CD_T_HEADLINE_MAX]);
	text_field(v, &a->headline, "/headline", CD_TB_FIELD, 0);
	length_rule(v, &a->dek, "/dek", CD_RULE_DEK_LENGTH, "the dek", 0, p->thr[CD_T_DEK_MAX]);
	text_field(v, &a->dek, "/dek", CD_TB_FIELD, 0);
	length_rule(v, &a->description, "/description", CD_RULE_DESCRIPTION_LENGTH,
		"the description", p->thr[CD_T_DESCRIPTION_MIN], p->thr[CD_T_DESCRIPTION_MAX]);
	text_field(v, &a->description, "/description", CD_TB_FIELD, 0);

	if (check_string(v, &a->slug, "/slug", 0)) {
		if (!slug_ok(a->slug.s, a->slug.len))
			cd_v_add(v, CD_RULE_SLUG_FORMAT, "/slug", 0, 0,
				"a slug is lowercase a-z and 0-9 words joined by single hyphens");
		if (a->slug.len > p->thr[CD_T_SLUG_MAX]) {
			char msg[96];
			snprintf(msg, sizeof msg, "the slug is %zu characters; the limit is %zu",
				a->slug.len, p->thr[CD_T_SLUG_MAX]);
			cd_v_add(v, CD_RULE_SLUG_LENGTH, "/slug", 0, 0, msg);
		}
	}

	for (i = 0; i < a->n_byline; i++) {
		char *path = fmt_path(v, "byline", i, NULL);
		if (path == NULL) {
			v->err = CD_ERR_NOMEM;
			return;
		}
		if (!blank(&a->byline[i]))
			any_byline = 1;
		text_field(v, &a->byline[i], path, CD_TB_FIELD | CD_TB_CAPS_OK, 0);
	}
	if (a->byline_state != CD_FIELD_BAD && !any_byline)
		cd_v_add(v, CD_RULE_BYLINE_MISSING, "/byline", 0, 0, "the story has no byline");

	check_string(v, &a->section, "/section", 0);
	for (i = 0; i < a->n_tags; i++) {
		char *path = fmt_path(v, "tags", i, NULL);
		if (path == NULL) {
			v->err = CD_ERR_NOMEM;
			return;
		}
		check_string(v, &a->tags[i], path, 0);
	}

	if (a->published_at.state == CD_FIELD_ABSENT)
		cd_v_add(v, CD_RULE_DATE_MISSING, "/published_at", 0, 0,
			"the story has no publication date");
	has_pub = check_date(v, &a->published_at, "/published_at", &pub);
	has_upd = check_date(v, &a->updated_at, "/updated_at", &upd);
	has_emb = check_date(v, &a->embargo_until, "/embargo_until", &emb);
	if (has_pub && has_upd && instant_before(&upd, &pub))
		cd_v_add(v, CD_RULE_DATE_ORDER, "/updated_at", 0, 0,
			"updated before it was published");
	if (has_pub && has_emb && instant_before(&pub, &emb))
		cd_v_add(v, CD_RULE_DATE_ORDER, "/published_at", 0, 0,
			"published before its embargo lifts");

	if (check_string(v, &a->language, "/language", 0) &&
	    !bcp47_ok(a->language.s, a->language.len))
		cd_v_add(v, CD_RULE_LANGUAGE_INVALID, "/language", 0, 0,
			"not a BCP 47 language tag (en, en-GB, pt-BR, zh-Hant)");
	if (check_string(v, &a->canonical_url, "/canonical_url", 0)) {
		const char *why = url_problem(a->canonical_url.s, a->canonical_url.len, 1, 1);
		if (why)
			cd_v_add(v, CD_RULE_CANONICAL_URL_INVALID, "/canonical_url", 0, 0, why);
	}
	if (check_string(v, &a->status, "/status", 0)) {
		static const char *const states[] = { "draft", "review", "approved", "scheduled",
			"published", "archived", NULL };
		int k, known = 0;
		for (k = 0; states[k]; k++)
			if (a->status.len == strlen(states[k]) &&
			    memcmp(a->status.s, states[k], a->status.len) == 0)
				known = 1;
		if (!known)
			cd_v_add(v, CD_RULE_INPUT_TYPE, "/status", 0, 0,
				"status is one of draft, review, approved, scheduled, published, archived");
	}
}

/* Hands the scratch buffers of v back to r for its next run; big ones
 * (a huge article) are freed rather than kept. */
#define KEEP_MAX ((size_t)256 * 1024)
/* One scratch buffer of a finished run: what r keeps for the next run (its
 * capacity in *keep_cap), or NULL when it is over KEEP_MAX bytes (freed). */
static void *keep_buf(void *p, size_t cap, size_t size, size_t *keep_cap)
{
	if (cap * size <= KEEP_MAX) {
		*keep_cap = cap;
		return p;
	}
	free(p);
	*keep_cap = 0;
	return NULL;
}

static void keep_scratch(cd_report *r, cd_vctx *v)
{
	r->quotes = keep_buf(v->quotes, v->cap_quotes, sizeof *v->quotes, &r->cap_quotes);
	r->blocks = keep_buf(v->blocks, v->cap_blocks, sizeof *v->blocks, &r->cap_blocks);
	r->buf = keep_buf(v->buf, v->buf_cap, 1, &r->buf_cap);
	r->segs = keep_buf(v->segs, v->cap_segs, sizeof *v->segs, &r->cap_segs);
}

cd_status cd_validate(cd_report *r, const cd_article *a, const cd_policy *p)
{
	return cd_validate_opts(r, a, p, 0);
}

cd_status cd_validate_opts(cd_report *r, const cd_article *a, const cd_policy *p, unsigned opts)
{
	cd_vctx v;
	if (r == NULL || a == NULL || p == NULL)
		return CD_ERR_ARG;
	memset(&v, 0, sizeof v);
	/* the scratch of the last run into r, if any: no allocation once warm */
	v.quotes = r->quotes;
	v.cap_quotes = r->cap_quotes;
	v.blocks = r->blocks;
	v.cap_blocks = r->cap_blocks;
	v.buf = r->buf;
	v.buf_cap = r->buf_cap;
	v.segs = r->segs;
	v.cap_segs = r->cap_segs;
	r->quotes = NULL;
	r->blocks = NULL;
	r->buf = NULL;
	r->segs = NULL;
	r->cap_quotes = r->cap_blocks = r->buf_cap = r->cap_segs = 0;
	v.general = (opts & CD_V_GENERAL) != 0;
	v.wordwise = (opts & CD_V_WORDWISE) != 0;
	v.r = r;
	v.p = p;
	v.a = a;
	v.stage = cd_validate_stage(p, a);
	metadata_rules(&v, a);
	media_rules(&v, a);
	link_rules(&v, a);
	body_rules(&v, a);
	cd_text_finish(&v);
	keep_scratch(r, &v);
	cd_report_sort(r);
	return v.err;
}

/* ---- raw JSON limits ------------------------------------------------------ */

cd_status cd_json_precheck(const char *s, size_t len, size_t max_bytes, size_t max_depth,
	size_t *offset)
{
	size_t i, depth = 0;
	if (len > max_bytes) {
		if (offset)
			*offset = max_bytes;
		return CD_ERR_SPACE;
	}
	for (i = 0; i < len; i++) {
		char c = s[i];
		if (c == '"') {
			/* to the closing quote: one not preceded by an odd run of backslashes */
			for (;;) {
				const char *q = memchr(s + i + 1, '"', len - i - 1);
				size_t k, bs = 0;
				if (q == NULL) {
					i = len;
					break;
				}
				i = (size_t)(q - s);
				for (k = i; k > 0 && s[k - 1] == '\\'; k--)
					bs++;
				if (bs % 2 == 0)
					break;
			}
		} else if (c == '[' || c == '{') {
			if (++depth > max_depth) {
				if (offset)
					*offset = i;
				return CD_ERR_ARG;
			}
		} else if ((c == ']' || c == '}') && depth > 0) {
			depth--;
		}
	}
	return CD_OK;
}
