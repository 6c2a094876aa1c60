/*
 * Text checks of the copy desk over blocks of plain text (headline, dek,
 * captions, paragraphs of the body): placeholders, boilerplate, doubled
 * words, quote styles, all caps, stray whitespace, glued words, repeated
 * blocks and teaser lists. It reads decoded text only; HTML is html.c's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "copydesk.h"
#include "validate_int.h"

/* ---- small helpers -------------------------------------------------------- */

static int lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}
static int is_upper(unsigned char c)
{
	return c >= 'A' && c <= 'Z';
}
static int is_lower(unsigned char c)
{
	return c >= 'a' && c <= 'z';
}
static int is_alpha(unsigned char c)
{
	return is_upper(c) || is_lower(c);
}
static int is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}
static int is_ws(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Code point at s[i] (text is well-formed UTF-8 here); *n its length. */
static uint32_t cp_at(const char *s, size_t len, size_t i, size_t *n)
{
	size_t pos = i;
	uint32_t cp = 0;
	if ((unsigned char)s[i] < 0x80) {
		*n = 1;
		return (unsigned char)s[i];
	}
	if (cd_utf8_next(s, len, &pos, &cp) != CD_OK) {
		*n = 1;
		return 0xFFFD;
	}
	*n = pos - i;
	return cp;
}

/* Letters and digits of any script, as far as a copy desk needs. */
static int is_wordcp(uint32_t cp)
{
	if (cp < 0x80)
		return is_alpha((unsigned char)cp) || is_digit((unsigned char)cp);
	if (cp < 0xC0)
		return 0; /* NBSP, Latin-1 punctuation and symbols */
	if (cp == 0xD7 || cp == 0xF7)
		return 0;
	if (cp >= 0x2000 && cp <= 0x2BFF)
		return 0; /* general punctuation, symbols, arrows */
	if (cp >= 0x3000 && cp <= 0x303F)
		return 0;
	if (cp >= 0xFE30 && cp <= 0xFE6F)
		return 0;
	if (cp >= 0xFF00 && cp <= 0xFF0F)
		return 0;
	return 1;
}

static int is_spacecp(uint32_t cp)
{
	return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0xA0 ||
	       cp == 0x202F || cp == 0x2009 || cp == 0x200A || cp == 0x3000;
}

/* Case-insensitive (ASCII) search of needle in hay from i. */
static size_t find_ci(const char *hay, size_t len, size_t from, const char *needle, size_t nl)
{
	size_t i, k;
	if (nl == 0 || nl > len)
		return (size_t)-1;
	for (i = from; i + nl <= len; i++) {
		if (lower((unsigned char)hay[i]) != lower((unsigned char)needle[0]))
			continue;
		for (k = 1; k < nl && lower((unsigned char)hay[i + k]) == lower((unsigned char)needle[k]); k++)
			;
		if (k == nl)
			return i;
	}
	return (size_t)-1;
}

static int word_boundary_after(const char *s, size_t len, size_t i)
{
	return i >= len || !(is_alpha((unsigned char)s[i]) || is_digit((unsigned char)s[i]) ||
			     (unsigned char)s[i] >= 0x80);
}

/* Offsets of a finding over s[i..i+n) of a block. */
typedef struct blockpos {
	const char *path;
	size_t base, raw_len;
	int exact;
	const cd_seg *segs;
	size_t n_segs;
} blockpos;

/* The segment holding text offset i (the last one when past the end). */
static const cd_seg *seg_of(const blockpos *b, size_t i)
{
	size_t lo = 0, hi = b->n_segs;
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		if (b->segs[mid].off <= i)
			lo = mid;
		else
			hi = mid;
	}
	return &b->segs[lo];
}

/* 1-based field offsets of text bytes s[i..i+n). */
static void map_span(const blockpos *b, size_t i, size_t n, size_t *start, size_t *stop)
{
	size_t last = i + (n ? n : 1) - 1;
	if (b->segs && b->n_segs) {
		const cd_seg *a = seg_of(b, i), *z = seg_of(b, last);
		*start = a->exact ? a->src + (i - a->off) + 1 : a->src + 1;
		*stop = z->exact ? z->src + (last - z->off) + 1 : z->src + (z->src_len ? z->src_len : 1);
		if (*stop < *start)
			*stop = *start;
	} else if (b->exact) {
		*start = b->base + i + 1;
		*stop = b->base + last + 1;
	} else {
		*start = b->base + 1;
		*stop = b->base + b->raw_len;
	}
}

static void add_at(cd_vctx *v, const blockpos *b, cd_rule rule, size_t i, size_t n,
	const char *msg)
{
	size_t start, stop;
	map_span(b, i, n, &start, &stop);
	cd_v_add(v, rule, b->path, start, stop, msg);
}

static void push_quote(cd_vctx *v, const blockpos *b, size_t i, size_t n, int cls, int kind)
{
	cd_quote_pos *q;
	if (v->n_quotes == v->cap_quotes) {
		cd_quote_pos *nq = cd_grow(v->quotes, &v->cap_quotes, v->n_quotes + 1, sizeof *nq);
		if (nq == NULL) {
			v->err = CD_ERR_NOMEM;
			return;
		}
		v->quotes = nq;
	}
	q = &v->quotes[v->n_quotes++];
	q->path = b->path;
	map_span(b, i, n, &q->start, &q->stop);
	q->cls = (unsigned char)cls;
	q->kind = (unsigned char)kind;
}

/* ---- normalised text ------------------------------------------------------ */

/* Next code point of s[*i..len) after normalising: runs of spaces become one
 * space (none at the ends), curly quotes straight ones. -1 at the end. */
static long norm_next(const char *s, size_t len, size_t *i, int *started)
{
	while (*i < len) {
		size_t n;
		uint32_t cp = cp_at(s, len, *i, &n);
		if (is_spacecp(cp)) {
			size_t j = *i + n;
			while (j < len) {
				size_t n2;
				if (!is_spacecp(cp_at(s, len, j, &n2)))
					break;
				j += n2;
			}
			*i = j;
			if (*started && j < len)
				return ' ';
			continue;
		}
		*i += n;
		*started = 1;
		if (cp == 0x2018 || cp == 0x2019)
			return '\'';
		if (cp == 0x201C || cp == 0x201D)
			return '"';
		return (long)cp;
	}
	return -1;
}

static int norm_equal(const char *a, size_t la, const char *b, size_t lb)
{
	size_t i = 0, j = 0;
	int sa = 0, sb = 0;
	for (;;) {
		long x = norm_next(a, la, &i, &sa), y = norm_next(b, lb, &j, &sb);
		if (x != y)
			return 0;
		if (x < 0)
			return 1;
	}
}

/* Hash of the first or last word, normalised (curly quotes straight). */
static uint32_t word_hash(const char *s, size_t len, int last)
{
	size_t a = 0, z = len;
	uint32_t h = 2166136261u;
	if (last) {
		while (z > 0 && is_ws((unsigned char)s[z - 1]))
			z--;
		a = z;
		while (a > 0 && !is_ws((unsigned char)s[a - 1]))
			a--;
	} else {
		while (a < z && is_ws((unsigned char)s[a]))
			a++;
		z = a;
		while (z < len && !is_ws((unsigned char)s[z]))
			z++;
	}
	while (a < z) {
		size_t n;
		uint32_t cp = cp_at(s, len, a, &n);
		if (cp == 0x2018 || cp == 0x2019)
			cp = '\'';
		else if (cp == 0x201C || cp == 0x201D)
			cp = '"';
		h = (h ^ cp) * 16777619u;
		a += n;
	}
	return h;
}

/* ---- phrases -------------------------------------------------------------- */

static const char *const related_heads[] = {
	"related stories", "related articles", "related", "related content", "related news",
	"read more", "more stories", "more on this story", "you may also like", "see also",
	"more from", "recommended", NULL
};

static const char *const empty_lists[] = {
	"no stories found", "no related stories", "no results", "no results found",
	"no articles found", "nothing found", NULL
};

/* s, trimmed of spaces, a trailing colon or full stop, equals a phrase (ci). */
static int is_phrase(const char *s, size_t len, const char *const *list)
{
	size_t a = 0, b = len, k;
	while (a < b && is_ws((unsigned char)s[a]))
		a++;
	while (b > a && (is_ws((unsigned char)s[b - 1]) || s[b - 1] == ':' || s[b - 1] == '.'))
		b--;
	if (a == b)
		return 0;
	for (k = 0; list[k]; k++) {
		size_t n;
		if (list[k][0] != lower((unsigned char)s[a])) /* the lists are lowercase */
			continue;
		n = strlen(list[k]);
		if (n == b - a && find_ci(s + a, n, 0, list[k], n) == 0)
			return 1;
	}
	return 0;
}

/* Known camel-case names: never a caption glued to its credit. */
static const char *const camel_names[] = {
	"YouTube", "ProTour", "iPhone", "iPad", "iPod", "eBay", "PayPal", "LinkedIn",
	"WhatsApp", "JavaScript", "PowerPoint", "FedEx", "PlayStation", "BlackBerry",
	"DreamWorks", "WordPress", "GitHub", "OpenAI", "TikTok", "SoundCloud", "MasterCard",
	"PricewaterhouseCoopers", "ExxonMobil", "GlaxoSmithKline", "HarperCollins",
	"McQuaid", "McDonald", "MacArthur", "DeSantis", "LeBron", "DiCaprio", "LaGuardia", NULL
};

/* Name prefixes after which a capital letter is expected (McQuaid, O'Neill). */
static const char *const name_prefixes[] = {
	"Mc", "Mac", "De", "Di", "Da", "Du", "La", "Le", "Van", "Von", "Fitz", NULL
};

/* Words that make up a credit line on their own. */
static const char *const credit_words[] = {
	"Reuters", "AFP", "AP", "Getty", "EPA", "Shutterstock", "Xinhua", "Bloomberg", "Pool",
	"Photo", "Handout", "Alamy", "Kyodo", "Yonhap", "ANSA", "DPA", "NTB", "TT", "Scanpix",
	"Sipa", "Zuma", "PA", "NurPhoto", "Imago", NULL
};

static int in_list(const char *s, size_t n, const char *const *list)
{
	size_t k;
	for (k = 0; list[k]; k++)
		if (strlen(list[k]) == n && memcmp(list[k], s, n) == 0)
			return 1;
	return 0;
}

static int in_policy_list(const cd_policy *p, cd_policy_list l, const char *s, size_t n)
{
	size_t k, cnt = cd_policy_list_count(p, l);
	for (k = 0; k < cnt; k++) {
		size_t ln;
		const char *e = cd_policy_list_get(p, l, k, &ln);
		if (ln == n && memcmp(e, s, n) == 0)
			return 1;
	}
	return 0;
}

/*
 * Where s[i] is a capital directly after a lowercase letter, decides whether
 * s[i..end) reads like a credit line run into the text before it.
 */
static int credit_tail(const cd_policy *p, const char *s, size_t len, size_t i)
{
	size_t t = i, e = i, words = 0, k;
	size_t first_end = 0;
	/* the word the glue sits in */
	while (t > 0 && (is_alpha((unsigned char)s[t - 1]) || (unsigned char)s[t - 1] >= 0x80))
		t--;
	while (e < len && (is_alpha((unsigned char)s[e]) || (unsigned char)s[e] >= 0x80))
		e++;
	if (i - t < 2)
		return 0; /* iPhone, eBay */
	if (in_list(s + t, i - t, name_prefixes))
		return 0; /* McQuaid, MacArthur, DeSantis */
	if (in_list(s + t, e - t, camel_names) || in_policy_list(p, CD_LIST_CAMEL_NAMES, s + t, e - t))
		return 0;
	/* the tail: capitalised words (or connectors) up to the end of the block */
	k = i;
	while (k < len) {
		size_t ws = k;
		while (k < len && !is_ws((unsigned char)s[k]))
			k++;
		/* a word: capitalised, or a connector, or has a slash */
		{
			size_t n = k - ws;
			const char *w = s + ws;
			int ok = is_upper((unsigned char)w[0]) || memchr(w, '/', n) != NULL ||
				 (n <= 3 && is_lower((unsigned char)w[0]) &&
					 (n == 2 ? (w[0] == 'o' && w[1] == 'f') || (w[0] == 'd' && w[1] == 'e') :
						   n == 3 && ((w[0] == 't' && w[1] == 'h' && w[2] == 'e') ||
								     (w[0] == 'f' && w[1] == 'o' && w[2] == 'r') ||
								     (w[0] == 'v' && w[1] == 'i' && w[2] == 'a') ||
								     (w[0] == 'a' && w[1] == 'n' && w[2] == 'd'))));
			if (n && !ok)
				return 0;
			if (n) {
				words++;
				if (words == 1)
					first_end = k;
			}
		}
		while (k < len && is_ws((unsigned char)s[k]))
			k++;
	}
	if (words == 0 || words > 7)
		return 0;
	if (words == 1) {
		size_t n = first_end - i;
		while (n > 0 && (s[i + n - 1] == '.' || s[i + n - 1] == ','))
			n--;
		if (!in_list(s + i, n, credit_words) && memchr(s + i, '/', n) == NULL)
			return 0;
	}
	return 1;
}

/* 0-based offset of the glued capital, or (size_t)-1. */
static size_t find_credit_glue(const cd_policy *p, const char *s, size_t len)
{
	size_t i;
	for (i = 1; i + 1 < len; i++) {
		if (is_upper((unsigned char)s[i]) && is_lower((unsigned char)s[i - 1]) &&
		    (is_alpha((unsigned char)s[i + 1])) && credit_tail(p, s, len, i))
			return i;
	}
	return (size_t)-1;
}

void cd_text_caption_glued(cd_vctx *v, const char *path, const cd_field *cap,
	const cd_field *credit)
{
	size_t end = cap->len, i;
	while (end > 0 && (is_ws((unsigned char)cap->s[end - 1]) || cap->s[end - 1] == '.'))
		end--;
	/* the credit field itself sits at the end with nothing between */
	if (credit->state == CD_FIELD_SET && credit->len > 0 && credit->len < end) {
		size_t at = end - credit->len;
		unsigned char before = (unsigned char)cap->s[at - 1];
		if (memcmp(cap->s + at, credit->s, credit->len) == 0 &&
		    (is_alpha(before) || is_digit(before) || before >= 0x80)) {
			cd_v_add(v, CD_RULE_MEDIA_CAPTION_CREDIT_GLUED, path, at + 1, end,
				"the caption runs into its credit with no space or separator");
			return;
		}
	}
	i = find_credit_glue(v->p, cap->s, end);
	if (i != (size_t)-1)
		cd_v_add(v, CD_RULE_MEDIA_CAPTION_CREDIT_GLUED, path, i + 1, end,
			"the caption runs into its credit with no space or separator");
}

/* ---- the block pass ------------------------------------------------------- */

static const unsigned char kind[256] = {
	32, 32, 32, 32, 32, 32, 32, 32, 32, 16, 16, 16, 16, 16, 32, 32,
	32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32,
	16,  0,  0,  0,  0,  0,  0, 64,  0,  0,  0,  0,  0, 64,  0,  0,
	 4,  4,  4,  4,  4,  4,  4,  4,  4,  4,  0,  0,  0,  0,  0,  0,
	 0,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,
	 2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  0,  0,  0,  0,  0,
	 0,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,
	 1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  0,  0,  0,  0, 32,
	 8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,
	 8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,
	 8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,
	 8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,
	 8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,
	 8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,
	 8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,
	 8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,
};

enum { K_LOW = 1, K_UP = 2, K_DIG = 4, K_HIGH = 8, K_WS = 16, K_CTL = 32, K_JOIN = 64 };
#define K_WORD (K_LOW | K_UP | K_DIG)

/* Eight bytes at a time (SWAR) on little-endian machines (CD_LE, cpu.h);
 * elsewhere the byte loops alone, with the same results. */
#if CD_LE
static uint64_t load8(const unsigned char *p)
{
	uint64_t w;
	memcpy(&w, p, 8);
	return w;
}

/* The high bit of every byte of x that is not a lowercase ASCII letter
 * (exact per byte: the sums stay below 0x100, so nothing carries over). */
static uint64_t not_lower8(uint64_t x)
{
	const uint64_t t = x & 0x7F7F7F7F7F7F7F7FULL;
	const uint64_t ge_a = t + 0x1F1F1F1F1F1F1F1FULL; /* t >= 0x61 'a' */
	const uint64_t gt_z = t + 0x0505050505050505ULL; /* t >= 0x7B, past 'z' */
	return (~ge_a | gt_z | x) & CD_H8;
}
#endif

/* The bit of the pairs bitmap for two bytes folded with | 32. */
static unsigned pair_slot(unsigned a0, unsigned a1)
{
	return ((a0 | a1 << 8) * 0x9E3779B1u) >> 22;
}

/* The bit of the triples bitmap for three bytes folded with | 32. */
static unsigned triple_slot(unsigned a0, unsigned a1, unsigned a2)
{
	return ((a0 | a1 << 8 | a2 << 16) * 0x9E3779B1u) >> 22;
}

/* The first two (and three) bytes of a phrase, folded with | 32 (as
 * text_block does). */
static void add_pair(cd_vctx *v, const char *e, size_t n)
{
	unsigned slot;
	if (n == 0)
		return;
	slot = pair_slot((unsigned char)e[0] | 32u, (n > 1 ? (unsigned char)e[1] : 0u) | 32u);
	v->pairs[slot >> 5] |= 1u << (slot & 31);
	if (n < 3) {
		v->pairs[32 + (slot >> 5)] |= 1u << (slot & 31);
	} else {
		unsigned t = triple_slot((unsigned char)e[0] | 32u, (unsigned char)e[1] | 32u,
			(unsigned char)e[2] | 32u);
		v->pairs[64 + (t >> 5)] |= 1u << (t & 31);
	}
	if (n == 1) /* a one-letter phrase: any second byte, all short */
		memset(v->pairs, 0xFF, 64 * sizeof v->pairs[0]);
}

/* First bytes of every phrase checked at word starts, once per validation. */
static void ready_firsts(cd_vctx *v)
{
	static const cd_policy_list lists[] = { CD_LIST_PLACEHOLDERS, CD_LIST_BOILERPLATE,
		CD_LIST_TERMS };
	size_t k, l;
	if (v->firsts_ready)
		return;
	memset(v->pairs, 0, sizeof v->pairs);
	add_pair(v, "lor", 3); /* Lorem ipsum */
	add_pair(v, "tk", 2);  /* TK */
	add_pair(v, "no ", 3); /* no stories found, ... (the word "no") */
	add_pair(v, "htt", 3); /* http:// and https:// (bare URLs) */
	add_pair(v, "www", 3); /* www. */
	for (l = 0; l < 3; l++) {
		size_t cnt = cd_policy_list_count(v->p, lists[l]);
		for (k = 0; k < cnt; k += (lists[l] == CD_LIST_TERMS ? 2 : 1)) {
			size_t n;
			const char *e = cd_policy_list_get(v->p, lists[l], k, &n);
			add_pair(v, e, n);
		}
	}
	v->firsts_ready = 1;
}

static int prefix_ci(const char *s, size_t len, size_t at, const char *e, size_t n)
{
	size_t k;
	if (n == 0 || at + n > len)
		return 0;
	for (k = 0; k < n; k++)
		if (lower((unsigned char)s[at + k]) != lower((unsigned char)e[k]))
			return 0;
	return 1;
}

/* Whether phrase e can start with the bytes a0 a1 (folded with | 32): a
 * necessary condition of prefix_ci, which folds A-Z only. */
static int first_two(const char *e, size_t n, unsigned a0, unsigned a1)
{
	return n && ((unsigned char)e[0] | 32u) == a0 &&
	       (n == 1 || ((unsigned char)e[1] | 32u) == a1);
}

/* Phrases that start at the word s[ws..we): placeholders, boilerplate, terms. */
static void phrases_at(cd_vctx *v, const blockpos *b, const char *s, size_t len, size_t ws,
	size_t we)
{
	unsigned char c = (unsigned char)s[ws];
	size_t k, cnt, n;
	const char *const *items;
	const size_t *lens;
	unsigned a0, a1;
	char msg[160];
	if ((c == 'l' || c == 'L') && we - ws == 5 && prefix_ci(s, len, ws, "lorem ipsum", 11)) {
		add_at(v, b, CD_RULE_TEXT_PLACEHOLDER, ws, 11, "placeholder text 'Lorem ipsum'");
	} else if (c == 'T' && we - ws >= 2 && (we - ws) % 2 == 0) {
		for (k = ws; k < we && s[k] == 'T' && s[k + 1] == 'K'; k += 2)
			;
		if (k == we)
			add_at(v, b, CD_RULE_TEXT_PLACEHOLDER, ws, we - ws, "placeholder 'TK' (to come)");
	} else if ((c == 'n' || c == 'N') && we - ws == 2) {
		for (k = 0; empty_lists[k]; k++) {
			n = strlen(empty_lists[k]);
			if (prefix_ci(s, len, ws, empty_lists[k], n) && word_boundary_after(s, len, ws + n)) {
				if (ws + n < len && s[ws + n] == '.')
					n++;
				snprintf(msg, sizeof msg, "placeholder text '%.*s'", (int)n, s + ws);
				add_at(v, b, CD_RULE_TEXT_PLACEHOLDER, ws, n, msg);
				break;
			}
		}
	}
	/* the policy's phrases; the first two bytes, folded as for the pairs,
	 * rule most of them out before the full comparison */
	a0 = c | 32u;
	a1 = (ws + 1 < len ? (unsigned char)s[ws + 1] : 0u) | 32u;
	items = cd_policy_list_items(v->p, CD_LIST_PLACEHOLDERS, &lens, &cnt);
	for (k = 0; k < cnt; k++) {
		const char *e = items[k];
		n = lens[k];
		if (first_two(e, n, a0, a1) && prefix_ci(s, len, ws, e, n)) {
			snprintf(msg, sizeof msg, "placeholder text '%.*s'", (int)(n > 60 ? 60 : n), e);
			add_at(v, b, CD_RULE_TEXT_PLACEHOLDER, ws, n, msg);
		}
	}
	items = cd_policy_list_items(v->p, CD_LIST_BOILERPLATE, &lens, &cnt);
	for (k = 0; k < cnt; k++) {
		const char *e = items[k];
		n = lens[k];
		if (first_two(e, n, a0, a1) && prefix_ci(s, len, ws, e, n)) {
			snprintf(msg, sizeof msg, "boilerplate '%.*s'", (int)(n > 60 ? 60 : n), e);
			add_at(v, b, CD_RULE_TEXT_BOILERPLATE, ws, n, msg);
		}
	}
	items = cd_policy_list_items(v->p, CD_LIST_TERMS, &lens, &cnt);
	for (k = 0; k + 1 < cnt; k += 2) {
		size_t rn = lens[k + 1];
		const char *wrong = items[k], *right = items[k + 1];
		n = lens[k];
		if (first_two(wrong, n, a0, a1) && prefix_ci(s, len, ws, wrong, n) &&
		    word_boundary_after(s, len, ws + n)) {
			snprintf(msg, sizeof msg, "house style: '%.*s', not '%.*s'",
				(int)(rn > 60 ? 60 : rn), right, (int)(n > 60 ? 60 : n), wrong);
			add_at(v, b, CD_RULE_TEXT_STYLE_TERM, ws, n, msg);
		}
	}
}

static int url_at(const char *s, size_t len, size_t i)
{
	return (i + 7 <= len && prefix_ci(s, len, i, "http://", 7)) ||
	       (i + 8 <= len && prefix_ci(s, len, i, "https://", 8)) ||
	       (i + 5 <= len && prefix_ci(s, len, i, "www.", 4) && is_alpha((unsigned char)s[i + 4]));
}

static int doubled_ok(const char *w, size_t n)
{
	return (n == 3 && prefix_ci(w, 3, 0, "had", 3)) || (n == 4 && prefix_ci(w, 4, 0, "that", 4));
}

static void record_block(cd_vctx *v, const blockpos *b, const char *s, size_t len,
	unsigned flags, size_t words, size_t nonspace)
{
	cd_block_rec *r;
	size_t a = 0, z = len;
	if (v->n_blocks == v->cap_blocks) {
		cd_block_rec *nb = cd_grow(v->blocks, &v->cap_blocks, v->n_blocks + 1, sizeof *nb);
		if (nb == NULL) {
			v->err = CD_ERR_NOMEM;
			return;
		}
		v->blocks = nb;
	}
	r = &v->blocks[v->n_blocks++];
	r->path = b->path;
	while (a < z && is_ws((unsigned char)s[a]))
		a++;
	while (z > a && is_ws((unsigned char)s[z - 1]))
		z--;
	map_span(b, a, z > a ? z - a : 1, &r->start, &r->stop);
	if (v->buf && s >= v->buf && s < v->buf + v->buf_cap) {
		r->text = NULL; /* the buffer may move: keep an offset */
		r->text_off = (size_t)(s - v->buf);
	} else {
		r->text = s;
		r->text_off = 0;
	}
	r->text_len = len;
	r->words = words;
	r->nonspace = nonspace;
	r->dup = words >= 4 && nonspace >= 20;
	r->rep = 0; /* cd_text_finish marks repeats */
	if (r->dup) {
		r->h_first = word_hash(s, len, 0);
		r->h_last = word_hash(s, len, 1);
	} else {
		r->h_first = r->h_last = 0;
	}
	r->flags = flags;
	{
		unsigned char last = z ? (unsigned char)s[z - 1] : 0;
		r->ends_sentence = last == '.' || last == '!' || last == '?' || last == 0x9D;
	}
	r->related_head = (unsigned char)(words <= 6 && is_phrase(s, len, related_heads));
	r->placeholder_only = (unsigned char)(words <= 6 && is_phrase(s, len, empty_lists));
}


/* What the block pass keeps about the words it has seen. */
typedef struct wordstate {
	size_t words, nonspace;
	size_t prev_ws, prev_we; /* the previous word */
	int sep_space;           /* 0: a punctuation mark came after it */
} wordstate;

/*
 * The common case of the block pass, at a plain space: plain words (an ASCII
 * letter or digit, then lowercase letters only) between single spaces that
 * need no closer look: no phrase starts with their first two letters, and
 * they cannot double the word before them. It takes them as the general path
 * would (counts and the previous word) and returns where it stopped: after
 * the last word it took, or at the space before a word it leaves to the
 * general path (a capital, digit, apostrophe, hyphen or non-ASCII byte in or
 * right after it, or a word that needs the closer look). Its own function,
 * so that its few variables stay in registers.
 */
static CD_NOINLINE size_t plain_words(const unsigned char *u, size_t len, size_t i,
	const uint32_t *pairs, wordstate *st)
{
	const size_t from = i;
	size_t n = 0, plen = st->prev_we - st->prev_ws;
	unsigned pfirst = u[st->prev_ws] | 32u;
	if (i >= len || u[i] != ' ')
		return i;
	while (i + 1 < len) {
		size_t q = i + 2;
		unsigned b0 = u[i + 1], b1, c, sl;
		if (!(kind[b0] & K_WORD))
			break;
		b0 |= 32u;
		b1 = (q < len ? u[q] : 0u) | 32u;
#if CD_LE
		while (len - q >= 8) {
			uint64_t m = not_lower8(load8(u + q));
			if (m) {
				q += (size_t)__builtin_ctzll(m) >> 3;
				goto scanned;
			}
			q += 8;
		}
#endif
		while (q < len && (kind[u[q]] & K_LOW))
			q++;
#if CD_LE
	scanned:
#endif
		c = q < len ? u[q] : 0u;
		if (kind[c] & (K_UP | K_DIG | K_HIGH | K_JOIN))
			break;
		sl = pair_slot(b0, b1);
		if (((pairs[sl >> 5] >> (sl & 31)) & 1u) |
		    ((unsigned)(q - i - 1 == plen) & (unsigned)(b0 == pfirst)))
			break;
		n++;
		plen = q - i - 1;
		pfirst = b0;
		i = q;
		if (c != ' ')
			break;
	}
	if (n) { /* each word took one space before it */
		st->words += n;
		st->nonspace += i - from - n;
		st->prev_ws = i - plen;
		st->prev_we = i;
	}
	return i;
}

#if CD_SSE2
/* Bits of the 64 bytes at w (bit j for w[j]): spaces, lowercase ASCII
 * letters, ASCII letters, commas and full stops. A range test is one signed
 * compare after shifting the range to the bottom of the signed bytes. */
static void masks64(const unsigned char *w, uint64_t *sp, uint64_t *lo, uint64_t *al,
	uint64_t *pu)
{
	const __m128i space = _mm_set1_epi8(' '), shift = _mm_set1_epi8((char)(0x80 - 'a'));
	const __m128i below = _mm_set1_epi8((char)(0x80 + 26 - 256)), fold = _mm_set1_epi8(0x20);
	const __m128i comma = _mm_set1_epi8(','), stop = _mm_set1_epi8('.');
	uint64_t s = 0, l = 0, a = 0, p = 0;
	int k;
	for (k = 0; k < 4; k++) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(w + 16 * k));
		__m128i il = _mm_cmplt_epi8(_mm_add_epi8(x, shift), below);
		__m128i ia = _mm_cmplt_epi8(_mm_add_epi8(_mm_or_si128(x, fold), shift), below);
		__m128i ip = _mm_or_si128(_mm_cmpeq_epi8(x, comma), _mm_cmpeq_epi8(x, stop));
		s |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, space)) << (16 * k);
		l |= (uint64_t)(unsigned)_mm_movemask_epi8(il) << (16 * k);
		a |= (uint64_t)(unsigned)_mm_movemask_epi8(ia) << (16 * k);
		p |= (uint64_t)(unsigned)_mm_movemask_epi8(ip) << (16 * k);
	}
	*sp = s;
	*lo = l;
	*al = a;
	*pu = p;
}

static int end_punct(unsigned char c)
{
	return c == ',' || c == '.';
}

/*
 * plain_words over 64 bytes at a time, and on across a comma or full stop
 * that ends a word when a space and the next word follow (the general path only
 * counts such a mark: the glued-word check wants a letter after it). A
 * window's words come from its bit masks (a word starts at a letter after a
 * space and runs on in lowercase letters); only their first two letters and
 * lengths are looked at one by one. The same contract and results as
 * plain_words; st->sep_space tells whether a mark came last.
 */
static CD_NOINLINE size_t plain_words64(const unsigned char *u, size_t len, size_t i,
	const uint32_t *pairs, wordstate *st)
{
	const size_t from = i;
	size_t n = 0, stop, last = 0;
	/* the previous word's first letter and length: a word with the same
	 * may double it. A length that does not fit stands for no word. */
	size_t plen = st->prev_we - st->prev_ws;
	unsigned pkey = plen < 0xFFFFFFu ? (u[st->prev_ws] | 32u) | (unsigned)plen << 8 : 0u;
	unsigned char pad[72]; /* a window and the three bytes after its last start */
	if (i >= len || u[i] != ' ')
		return i;
	for (;;) {
		const unsigned char *w = u + i; /* w[0] is a space */
		uint64_t sp, lo, al, pu, starts, word, good;
		unsigned f;
		if (len - i < sizeof pad) { /* the end of the text reads as NUL bytes */
			memset(pad, 0, sizeof pad);
			memcpy(pad, u + i, len - i);
			w = pad;
		}
		masks64(w, &sp, &lo, &al, &pu);
		starts = (sp << 1) & al;
		word = lo | starts;
		/* letters of words, a space right before a word, a mark right
		 * after a word with a space and a word after it */
		good = word | (sp & (starts >> 1)) | (pu & (word << 1) & (sp >> 1) & (starts >> 2));
		f = ~good ? (unsigned)__builtin_ctzll(~good) : 64u; /* the first other byte */
		if (f < 64)
			starts &= ((uint64_t)1 << f) - 1;
		while (starts) {
			unsigned p = (unsigned)__builtin_ctzll(starts), e, sl;
			uint64_t rest = starts & (starts - 1);
			if (rest) {
				e = p + (unsigned)__builtin_ctzll(~word >> p); /* a space or a mark */
			} else if (f == 64) {
				break; /* the word may run on past the window */
			} else {
				e = f; /* what ends the last word decides whether it is plain */
				if (kind[w[f]] & (K_UP | K_DIG | K_HIGH | K_JOIN)) {
					stop = i + p - 1;
					goto done;
				}
			}
			{
				/* the first letters (little-endian), folded */
				uint32_t four;
				unsigned ab, key;
				memcpy(&four, w + p, 4);
				ab = (four & 0xFFFFu) | 0x2020u;
				key = (ab & 0xFFu) | (e - p) << 8; /* first letter and length */
				sl = (ab * 0x9E3779B1u) >> 22;     /* pair_slot */
				if (key == pkey) {
					stop = i + p - 1;
					goto done;
				}
				if ((pairs[sl >> 5] >> (sl & 31)) & 1u) {
					/* a phrase starts with these two letters: with these
					 * three, or is it shorter (a closer look either way)? */
					unsigned t = (((four & 0xFFFFFFu) | 0x202020u) * 0x9E3779B1u) >> 22;
					if (((pairs[32 + (sl >> 5)] >> (sl & 31)) & 1u) |
					    ((pairs[64 + (t >> 5)] >> (t & 31)) & 1u)) {
						stop = i + p - 1;
						goto done;
					}
				}
				pkey = key;
			}
			n++;
			last = i + e;
			starts = rest;
		}
		if (starts) { /* a word runs to the end of the window: go on from its space */
			unsigned p = (unsigned)__builtin_ctzll(starts);
			if (p == 1) { /* 63 letters and more: the general path's */
				stop = i;
				goto done;
			}
			i += p - 1;
			continue;
		}
		if (f == 63 && (sp >> 63) && w != pad) { /* a space at the end of the window */
			i += 63;
			continue;
		}
		stop = i + f;
		goto done;
	}
done:
	if (n) { /* each word took the one space before it */
		st->words += n;
		st->nonspace += stop - from - n;
		st->prev_ws = last - (pkey >> 8);
		st->prev_we = last;
		st->sep_space = !end_punct(u[stop - 1]);
	}
	return stop;
}
#endif

static void text_block(cd_vctx *v, const blockpos *bp, const char *s, size_t len,
	unsigned flags);

void cd_text_block(cd_vctx *v, const char *path, const char *s, size_t len, size_t base,
	size_t raw_len, int exact, unsigned flags)
{
	blockpos b;
	b.path = path;
	b.base = base;
	b.raw_len = raw_len;
	b.exact = exact;
	b.segs = NULL;
	b.n_segs = 0;
	text_block(v, &b, s, len, flags);
}

void cd_text_block_mapped(cd_vctx *v, const char *path, const char *s, size_t len,
	const cd_seg *segs, size_t n_segs, unsigned flags)
{
	blockpos b;
	b.path = path;
	b.base = 0;
	b.raw_len = 0;
	b.exact = 0;
	b.segs = segs;
	b.n_segs = n_segs;
	text_block(v, &b, s, len, flags);
}

/* The one pass over a block: words, quotes, spaces and punctuation. */
static void text_block(cd_vctx *v, const blockpos *bp, const char *s, size_t len,
	unsigned flags)
{
	blockpos b = *bp;
	size_t i = 0, words = 0, nonspace = 0;
	size_t prev_ws = 0, prev_we = 0; /* previous word */
	int prev_sep_space = 0, have_prev = 0, glue_done = 0;
	size_t caps_run = 0, caps_start = 0, caps_end = 0;
	size_t caps_min = cd_policy_threshold(v->p, CD_T_ALL_CAPS_WORDS);
	int caps_check = caps_min && !(flags & CD_TB_CAPS_OK);
	int bare_check = (flags & CD_TB_BODY) && !(flags & CD_TB_LINKED) && v->a &&
			 v->a->body_format == CD_BODY_HTML;
	char msg[128];

	ready_firsts(v);
	if (flags & CD_TB_FIELD) {
		if (len && is_ws((unsigned char)s[0]))
			add_at(v, &b, CD_RULE_TEXT_WHITESPACE, 0, 1, "leading whitespace");
		if (len > 1 && is_ws((unsigned char)s[len - 1]))
			add_at(v, &b, CD_RULE_TEXT_WHITESPACE, len - 1, 1, "trailing whitespace");
	}

	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		unsigned k = kind[c];
		size_t n = 1;
		uint32_t cp = c;
		if (k & K_HIGH)
			cp = cp_at(s, len, i, &n);
		if ((k & K_WORD) || ((k & K_HIGH) && is_wordcp(cp))) {
			size_t ws, we;
			unsigned acc, first;
		word:
			ws = i;
			first = kind[(unsigned char)s[i]];
			acc = 0;
			if (first & K_WORD)
				i++; /* acc: what follows the first character */
			/* a word: letters, digits, apostrophes and hyphens between them */
			for (;;) {
				const unsigned char *q = (const unsigned char *)s + i;
				const unsigned char *end = (const unsigned char *)s + len;
					while (q < end && (kind[*q] & K_WORD))
						acc |= kind[*q++];
				i = (size_t)(q - (const unsigned char *)s);
				if (i >= len)
					break;
				c = (unsigned char)s[i];
				k = kind[c];
				if (k & K_HIGH) {
					cp = cp_at(s, len, i, &n);
					if (is_wordcp(cp)) {
						acc |= K_HIGH;
						i += n;
						continue;
					}
					if (cp == 0x2019 && i + n < len &&
					    ((kind[(unsigned char)s[i + n]] & (K_WORD | K_HIGH)))) {
						push_quote(v, &b, i, n, 0, 1);
						nonspace -= 2;
						i += n;
						continue;
					}
					break;
				}
				if ((c == '\'' || c == '-') && i + 1 < len &&
				    (kind[(unsigned char)s[i + 1]] & (K_WORD | K_HIGH))) {
					if (c == '\'' && !is_digit((unsigned char)s[i - 1]))
						push_quote(v, &b, i, 1, 0, 0);
					i++;
					continue;
				}
				break;
			}
			we = i;
			words++;
			nonspace += we - ws;
			{
				/* Most words need nothing more: one test decides. The first two
				 * letters index the phrases (and "ht"/"ww", which may start a
				 * URL); inner capitals, and the length and first letter of the
				 * last word (a doubled word?), need a closer look. */
				unsigned a0 = (unsigned char)s[ws] | 32u;
				unsigned a1 = (ws + 1 < len ? (unsigned char)s[ws + 1] : 0u) | 32u;
				unsigned slot = pair_slot(a0, a1);
				unsigned pbit = (v->pairs[slot >> 5] >> (slot & 31)) & 1u;
				unsigned rare = pbit | (acc & K_UP) |
						((unsigned)(we - ws == prev_we - prev_ws) &
							(unsigned)(a0 == ((unsigned char)s[prev_ws] | 32u)));
				if (rare) {
					if (bare_check && we - ws >= 3 && (((s[ws] | 32) == 'h' && (s[ws + 1] | 32) == 't') ||
							      ((s[ws] | 32) == 'w' && (s[ws + 1] | 32) == 'w')) && url_at(s, len, ws) &&
					    !(b.segs && seg_of(&b, ws)->linked)) {
						size_t e = ws;
						while (e < len && !is_ws((unsigned char)s[e]))
							e++;
						while (e > ws && (s[e - 1] == '.' || s[e - 1] == ',' || s[e - 1] == ')'))
							e--;
						add_at(v, &b, CD_RULE_LINK_BARE_URL, ws, e - ws,
							"a bare URL in the text; make it a link");
						nonspace += e > i ? e - i : 0;
						i = e > i ? e : i;
						have_prev = 0;
						prev_sep_space = 0;
						continue;
					}
					/* doubled words (not names: "Yang Yang", not "had had") */
					if (have_prev && prev_sep_space && we - ws == prev_we - prev_ws &&
					    (acc & (K_LOW | K_UP | K_HIGH)) && prefix_ci(s, len, ws, s + prev_ws, we - ws) &&
					    !doubled_ok(s + ws, we - ws) &&
					    !(is_upper((unsigned char)s[ws]) && is_upper((unsigned char)s[prev_ws]) &&
						    (acc & K_LOW))) {
						snprintf(msg, sizeof msg, "doubled word '%.*s'",
							(int)(we - ws > 40 ? 40 : we - ws), s + ws);
						add_at(v, &b, CD_RULE_TEXT_DOUBLED_WORD, prev_ws, we - prev_ws, msg);
					}
					/* runs of words in capitals */
					if (caps_check) {
						unsigned all = acc | first;
						if ((all & K_UP) && !(all & (K_LOW | K_HIGH | K_DIG)) && we - ws >= 2) {
							if (caps_run == 0)
								caps_start = ws;
							caps_run++;
							caps_end = we;
						} else {
							if (caps_run >= caps_min)
								add_at(v, &b, CD_RULE_TEXT_ALL_CAPS, caps_start,
									caps_end - caps_start, "a run of words in capitals");
							caps_run = 0;
						}
					}
					/* a caption run into its credit, pasted into the body */
					if ((acc & K_UP) && ((acc | first) & K_LOW) && !glue_done &&
					    (flags & CD_TB_BODY) && we - ws >= 4) {
						size_t q;
						for (q = ws + 1; q + 1 < we; q++) {
							if (is_upper((unsigned char)s[q]) && is_lower((unsigned char)s[q - 1]) &&
							    is_alpha((unsigned char)s[q + 1]) && credit_tail(v->p, s, len, q)) {
								add_at(v, &b, CD_RULE_TEXT_WORDS_GLUED, q - 1, 2,
									"two words run together (a caption and its credit?)");
								glue_done = 1;
								break;
							}
						}
					}
					if (pbit)
						phrases_at(v, &b, s, len, ws, we);
				} else if (caps_run) {
					if (caps_run >= caps_min && caps_check)
						add_at(v, &b, CD_RULE_TEXT_ALL_CAPS, caps_start,
							caps_end - caps_start, "a run of words in capitals");
					caps_run = 0;
				}
			}
			prev_ws = ws;
			prev_we = we;
			have_prev = 1;
			prev_sep_space = 1;
			/* The common case, plain words between single spaces, takes its
			 * own loop (plain_words); anything else comes back here. */
		fast:
			if (caps_run == 0 && !v->general) {
				wordstate st;
				size_t at = i;
				st.words = words;
				st.nonspace = nonspace;
				st.prev_ws = prev_ws;
				st.prev_we = prev_we;
				st.sep_space = 1;
#if CD_SSE2
				if (!v->wordwise)
					i = plain_words64((const unsigned char *)s, len, i, v->pairs, &st);
				else
#endif
					i = plain_words((const unsigned char *)s, len, i, v->pairs, &st);
				if (i != at) {
					words = st.words;
					nonspace = st.nonspace;
					prev_ws = st.prev_ws;
					prev_we = st.prev_we;
					have_prev = 1;
					prev_sep_space = st.sep_space;
				}
			}
			if (i + 1 < len && s[i] == ' ' && (kind[(unsigned char)s[i + 1]] & K_WORD)) {
				i++;
				goto word;
			}
			continue;
		}
		if ((k & K_WS) || ((k & K_HIGH) && (cp == 0xA0 || cp == 0x202F || cp == 0x2009 || cp == 0x3000))) {
			size_t e = i + n;
			int plain;
			if (c == ' ' && e < len && !(kind[(unsigned char)s[e]] & K_WS) && s[e] != ',' &&
			    (unsigned char)s[e] != 0xC2) {
				if (kind[(unsigned char)s[e]] & K_WORD)
					goto fast; /* one plain space, then a word */
				i = e; /* one plain space */
				continue;
			}
			plain = c != '\n' && c != '\r' && c != '\t';
			while (e < len) {
				size_t n2;
				uint32_t c2 = cp_at(s, len, e, &n2);
				if (!is_spacecp(c2))
					break;
				if (c2 == '\n' || c2 == '\r' || c2 == '\t')
					plain = 0;
				e += n2;
			}
			if (plain && e < len && have_prev && prev_we == i && e - i > n)
				add_at(v, &b, CD_RULE_TEXT_WHITESPACE, i, e - i, "more than one space");
			else if (plain && e < len && s[e] == ',' && have_prev && prev_we == i)
				add_at(v, &b, CD_RULE_TEXT_WHITESPACE, i, e - i, "space before a comma");
			i = e;
			continue;
		}
		/* punctuation and symbols */
		nonspace += (cp >= 0x2018 && cp <= 0x201D) ? 1 : n;
		if (c == '\'' || cp == 0x2018 || cp == 0x2019) {
			if (!(c == '\'' && i > 0 && is_digit((unsigned char)s[i - 1])))
				push_quote(v, &b, i, n, 0, c != '\'');
		} else if (c == '"' || cp == 0x201C || cp == 0x201D) {
			if (!(c == '"' && i > 0 && is_digit((unsigned char)s[i - 1])))
				push_quote(v, &b, i, n, 1, c != '"');
		} else if (c == '.' || c == '!' || c == '?' || c == ',' || c == ';' || c == ':') {
			/* punctuation glued to the next word: "end.Next", "said,and" */
			if (i >= 2 && i + 2 < len && is_lower((unsigned char)s[i - 1]) &&
			    is_lower((unsigned char)s[i - 2]) &&
			    ((c == '.' || c == '!' || c == '?') ? is_upper((unsigned char)s[i + 1])
								: is_alpha((unsigned char)s[i + 1])) &&
			    is_lower((unsigned char)s[i + 2])) {
				size_t t = i, q;
				int urlish = 0;
				while (t > 0 && !is_ws((unsigned char)s[t - 1]))
					t--;
				for (q = t; q < i; q++)
					if (s[q] == '@' || s[q] == '/' || (q + 3 < len && s[q] == 'w' &&
									      s[q + 1] == 'w' && s[q + 2] == 'w'))
						urlish = 1;
				if (!urlish)
					add_at(v, &b, CD_RULE_TEXT_WORDS_GLUED, i, 2,
						"no space after punctuation");
			}
		} else if (c == '[' && prefix_ci(s, len, i, "[insert", 7)) {
			size_t e = i + 7;
			while (e < len && s[e] != ']' && s[e] != '\n')
				e++;
			if (e < len && s[e] == ']')
				e++;
			add_at(v, &b, CD_RULE_TEXT_PLACEHOLDER, i, e - i, "placeholder '[INSERT …]'");
		} else if (c == '{' && i + 1 < len && (s[i + 1] == '{' || s[i + 1] == '%')) {
			size_t e = i + 2;
			char close = s[i + 1] == '{' ? '}' : '%';
			while (e + 1 < len && !(s[e] == close && s[e + 1] == '}'))
				e++;
			if (e + 1 < len) {
				add_at(v, &b, CD_RULE_TEXT_PLACEHOLDER, i, e + 2 - i,
					"unrendered template tag");
				nonspace += e + 2 - i - n;
				i = e + 2;
				prev_sep_space = 0;
				continue;
			}
		}
		prev_sep_space = 0;
		i += n;
	}
	if (caps_check && caps_run >= caps_min)
		add_at(v, &b, CD_RULE_TEXT_ALL_CAPS, caps_start, caps_end - caps_start,
			"a run of words in capitals");
	if (flags & CD_TB_BODY) {
		v->body_words += words;
		v->body_chars += len;
	}
	if (flags & (CD_TB_BODY | CD_TB_CAPTION))
		record_block(v, &b, s, len, flags, words, nonspace);
}

/* ---- article-wide checks -------------------------------------------------- */

static void quotes_finish(cd_vctx *v)
{
	int cls, style = cd_policy_quotes(v->p);
	size_t k;
	char msg[128];
	static const char *const names[2][2] = { { "straight apostrophe or single quote",
						   "curly apostrophe or single quote" },
		{ "straight double quote", "curly double quote" } };
	for (cls = 0; cls < 2; cls++) {
		size_t count[2] = { 0, 0 };
		int report;
		for (k = 0; k < v->n_quotes; k++)
			if (v->quotes[k].cls == cls)
				count[v->quotes[k].kind]++;
		if (style == CD_QUOTES_CURLY)
			report = 0;
		else if (style == CD_QUOTES_STRAIGHT)
			report = 1;
		else if (count[0] && count[1])
			report = count[0] <= count[1] ? 0 : 1;
		else
			continue;
		if (count[report] == 0)
			continue;
		if (style == CD_QUOTES_CONSISTENT)
			snprintf(msg, sizeof msg, "%s where the story mostly uses the other kind (%zu vs %zu)",
				names[cls][report], count[report], count[!report]);
		else
			snprintf(msg, sizeof msg, "%s; house style is %s", names[cls][report],
				report ? "straight" : "curly");
		for (k = 0; k < v->n_quotes; k++) {
			const cd_quote_pos *q = &v->quotes[k];
			if (q->cls == cls && q->kind == report)
				cd_v_add(v, CD_RULE_TEXT_QUOTE_MIXED, q->path, q->start, q->stop, msg);
		}
	}
}

static const char *rec_text(const cd_vctx *v, const cd_block_rec *r)
{
	return r->text ? r->text : v->buf + r->text_off;
}

static int same_block(const cd_vctx *v, const cd_block_rec *a, const cd_block_rec *b)
{
	return a->h_first == b->h_first && a->dup && b->dup && a->words == b->words &&
	       a->nonspace == b->nonspace && a->h_last == b->h_last &&
	       norm_equal(rec_text(v, a), a->text_len, rec_text(v, b), b->text_len);
}

/* A block that repeats (an image caption, or a body block seen twice):
 * marked by the pass over repeated blocks in cd_text_finish. */
static int caption_like(const cd_vctx *v, size_t i)
{
	return v->blocks[i].rep;
}

void cd_text_finish(cd_vctx *v)
{
	size_t i, k, n = v->n_blocks;
	char msg[160];
	quotes_finish(v);
	/* repeated blocks: a block repeating an earlier one is reported against
	 * the first of them, and both are marked. Being the same block is an
	 * equivalence, so stopping at the first match still marks every member
	 * of a group (each later one marks the first), and N copies cost N
	 * comparisons after the first, not N * N / 2. */
	for (i = 0; i < n; i++) {
		cd_block_rec *b = &v->blocks[i];
		if (!b->dup)
			continue;
		for (k = 0; k < i; k++) {
			if (!same_block(v, b, &v->blocks[k]))
				continue;
			b->rep = v->blocks[k].rep = 1;
			if (v->blocks[k].start)
				snprintf(msg, sizeof msg, "repeats the text at %s %zu-%zu",
					v->blocks[k].path, v->blocks[k].start, v->blocks[k].stop);
			else
				snprintf(msg, sizeof msg, "repeats %s", v->blocks[k].path);
			cd_v_add(v, CD_RULE_TEXT_DUPLICATE_BLOCK, b->path, b->start, b->stop, msg);
			break;
		}
	}
	/* teaser lists: caption-like block + short headline, at least twice */
	for (i = 0; i < n;) {
		size_t j = i, pairs = 0;
		while (j + 1 < n && (v->blocks[j].flags & CD_TB_BODY) &&
		       (v->blocks[j + 1].flags & CD_TB_BODY) && caption_like(v, j) &&
		       !caption_like(v, j + 1) && v->blocks[j + 1].words > 0 &&
		       v->blocks[j + 1].words <= 20 && !v->blocks[j + 1].related_head) {
			pairs++;
			j += 2;
		}
		if (pairs >= 2) {
			snprintf(msg, sizeof msg,
				"%zu teasers (an image caption and a headline each) pasted into the body",
				pairs);
			cd_v_add(v, CD_RULE_STRUCT_TEASERS_IN_BODY, v->blocks[i].path,
				v->blocks[i].start, v->blocks[j - 1].stop, msg);
			i = j;
		} else {
			i++;
		}
	}
	/* "Related Stories" with nothing (or "No stories found.") under it */
	for (i = 0; i < n; i++) {
		const cd_block_rec *b = &v->blocks[i];
		const cd_block_rec *next;
		if (!(b->flags & CD_TB_BODY) || !b->related_head)
			continue;
		next = (i + 1 < n && (v->blocks[i + 1].flags & CD_TB_BODY)) ? &v->blocks[i + 1] : NULL;
		if (next == NULL)
			cd_v_add(v, CD_RULE_STRUCT_EMPTY_BLOCK, b->path, b->start, b->stop,
				"a related-stories heading with nothing under it");
		else if (next->placeholder_only || next->related_head ||
			 (next->flags & CD_TB_HEADING))
			cd_v_add(v, CD_RULE_STRUCT_EMPTY_BLOCK, b->path, b->start,
				next->placeholder_only ? next->stop : b->stop,
				"a related-stories heading with no stories under it");
	}
}
