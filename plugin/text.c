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

static int word_boundary_before(const char *s, size_t i)
{
	return i == 0 || !(is_alpha((unsigned char)s[i - 1]) || is_digit((unsigned char)s[i - 1]) ||
			   (unsigned char)s[i - 1] >= 0x80);
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
		size_t cap = v->cap_quotes ? v->cap_quotes * 2 : 32;
		cd_quote_pos *nq = realloc(v->quotes, cap * sizeof *nq);
		if (nq == NULL) {
			v->err = CD_ERR_NOMEM;
			return;
		}
		v->quotes = nq;
		v->cap_quotes = cap;
	}
	q = &v->quotes[v->n_quotes++];
	q->path = b->path;
	map_span(b, i, n, &q->start, &q->stop);
	q->cls = (unsigned char)cls;
	q->kind = (unsigned char)kind;
}

/* ---- normalised hashes ---------------------------------------------------- */

uint64_t cd_text_norm_hash(const char *s, size_t len, size_t *words)
{
	uint64_t h = 14695981039346656037ULL;
	size_t i = 0, w = 0, chars = 0;
	int pending_space = 0, in_word = 0;
	while (i < len) {
		size_t n;
		uint32_t cp = cp_at(s, len, i, &n);
		if (is_spacecp(cp)) {
			pending_space = chars > 0;
			in_word = 0;
			i += n;
			continue;
		}
		if (cp == 0x2018 || cp == 0x2019)
			cp = '\'';
		else if (cp == 0x201C || cp == 0x201D)
			cp = '"';
		if (pending_space) {
			h = (h ^ ' ') * 1099511628211ULL;
			pending_space = 0;
		}
		if (is_wordcp(cp) && !in_word) {
			w++;
			in_word = 1;
		} else if (!is_wordcp(cp) && cp != '\'') {
			in_word = 0;
		}
		h = (h ^ (cp & 0xFF)) * 1099511628211ULL;
		h = (h ^ (cp >> 8)) * 1099511628211ULL;
		chars++;
		i += n;
	}
	if (words)
		*words = w;
	if (w < 4 || chars < 20)
		return 0;
	return h ? h : 1;
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
	for (k = 0; list[k]; k++) {
		size_t n = strlen(list[k]);
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

static void placeholders(cd_vctx *v, const blockpos *b, const char *s, size_t len)
{
	size_t i, k, cnt;
	char msg[96];
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c == 'l' || c == 'L') && i + 11 <= len && find_ci(s + i, 11, 0, "lorem ipsum", 11) == 0) {
			add_at(v, b, CD_RULE_TEXT_PLACEHOLDER, i, 11, "placeholder text 'Lorem ipsum'");
			i += 10;
		} else if (c == 'T' && i + 1 < len && s[i + 1] == 'K' && word_boundary_before(s, i)) {
			size_t n = 2;
			while (i + n + 1 < len && s[i + n] == 'T' && s[i + n + 1] == 'K')
				n += 2;
			if (word_boundary_after(s, len, i + n)) {
				add_at(v, b, CD_RULE_TEXT_PLACEHOLDER, i, n, "placeholder 'TK' (to come)");
				i += n - 1;
			}
		} else if ((c == 'n' || c == 'N') && word_boundary_before(s, i)) {
			for (k = 0; empty_lists[k]; k++) {
				size_t n = strlen(empty_lists[k]);
				if (i + n <= len && find_ci(s + i, n, 0, empty_lists[k], n) == 0 &&
				    word_boundary_after(s, len, i + n)) {
					if (i + n < len && s[i + n] == '.')
						n++;
					snprintf(msg, sizeof msg, "placeholder text '%.*s'", (int)n, s + i);
					add_at(v, b, CD_RULE_TEXT_PLACEHOLDER, i, n, msg);
					i += n - 1;
					break;
				}
			}
		} else if (c == '[' && i + 7 <= len && find_ci(s + i, 7, 0, "[insert", 7) == 0) {
			size_t e = i + 7;
			while (e < len && s[e] != ']' && s[e] != '\n')
				e++;
			if (e < len && s[e] == ']')
				e++;
			add_at(v, b, CD_RULE_TEXT_PLACEHOLDER, i, e - i, "placeholder '[INSERT …]'");
			i = e - 1;
		} else if (c == '{' && i + 1 < len && (s[i + 1] == '{' || s[i + 1] == '%')) {
			size_t e = i + 2;
			char close = s[i + 1] == '{' ? '}' : '%';
			while (e + 1 < len && !(s[e] == close && s[e + 1] == '}'))
				e++;
			if (e + 1 < len) {
				add_at(v, b, CD_RULE_TEXT_PLACEHOLDER, i, e + 2 - i,
					"unrendered template tag");
				i = e + 1;
			}
		}
	}
	cnt = cd_policy_list_count(v->p, CD_LIST_PLACEHOLDERS);
	for (k = 0; k < cnt; k++) {
		size_t n, at = 0;
		const char *ph = cd_policy_list_get(v->p, CD_LIST_PLACEHOLDERS, k, &n);
		while ((at = find_ci(s, len, at, ph, n)) != (size_t)-1) {
			snprintf(msg, sizeof msg, "placeholder text '%.*s'", (int)(n > 60 ? 60 : n), ph);
			add_at(v, b, CD_RULE_TEXT_PLACEHOLDER, at, n, msg);
			at += n;
		}
	}
}

static void boilerplate_and_terms(cd_vctx *v, const blockpos *b, const char *s, size_t len)
{
	size_t k, cnt = cd_policy_list_count(v->p, CD_LIST_BOILERPLATE);
	char msg[160];
	for (k = 0; k < cnt; k++) {
		size_t n, at;
		const char *bp = cd_policy_list_get(v->p, CD_LIST_BOILERPLATE, k, &n);
		at = find_ci(s, len, 0, bp, n);
		if (at != (size_t)-1) {
			snprintf(msg, sizeof msg, "boilerplate '%.*s'", (int)(n > 60 ? 60 : n), bp);
			add_at(v, b, CD_RULE_TEXT_BOILERPLATE, at, n, msg);
		}
	}
	cnt = cd_policy_list_count(v->p, CD_LIST_TERMS);
	for (k = 0; k + 1 < cnt; k += 2) {
		size_t n, rn, at = 0;
		const char *wrong = cd_policy_list_get(v->p, CD_LIST_TERMS, k, &n);
		const char *right = cd_policy_list_get(v->p, CD_LIST_TERMS, k + 1, &rn);
		while ((at = find_ci(s, len, at, wrong, n)) != (size_t)-1) {
			if (word_boundary_before(s, at) && word_boundary_after(s, len, at + n)) {
				snprintf(msg, sizeof msg, "house style: '%.*s', not '%.*s'",
					(int)(rn > 60 ? 60 : rn), right, (int)(n > 60 ? 60 : n), wrong);
				add_at(v, b, CD_RULE_TEXT_STYLE_TERM, at, n, msg);
			}
			at += n;
		}
	}
}

static int url_at(const char *s, size_t len, size_t i)
{
	if (!word_boundary_before(s, i))
		return 0;
	return (i + 7 <= len && find_ci(s + i, 7, 0, "http://", 7) == 0) ||
	       (i + 8 <= len && find_ci(s + i, 8, 0, "https://", 8) == 0) ||
	       (i + 5 <= len && find_ci(s + i, 4, 0, "www.", 4) == 0 && is_alpha((unsigned char)s[i + 4]));
}

static int doubled_ok(const char *w, size_t n)
{
	return (n == 3 && find_ci(w, 3, 0, "had", 3) == 0) ||
	       (n == 4 && find_ci(w, 4, 0, "that", 4) == 0);
}

static void record_block(cd_vctx *v, const blockpos *b, const char *s, size_t len,
	unsigned flags, size_t words)
{
	cd_block_rec *r;
	size_t e = len, hw;
	if (v->n_blocks == v->cap_blocks) {
		size_t cap = v->cap_blocks ? v->cap_blocks * 2 : 32;
		cd_block_rec *nb = realloc(v->blocks, cap * sizeof *nb);
		if (nb == NULL) {
			v->err = CD_ERR_NOMEM;
			return;
		}
		v->blocks = nb;
		v->cap_blocks = cap;
	}
	r = &v->blocks[v->n_blocks++];
	r->path = b->path;
	{
		size_t a = 0, z = len;
		while (a < z && is_ws((unsigned char)s[a]))
			a++;
		while (z > a && is_ws((unsigned char)s[z - 1]))
			z--;
		map_span(b, a, z > a ? z - a : 1, &r->start, &r->stop);
		e = z;
	}
	r->hash = cd_text_norm_hash(s, len, &hw);
	r->words = words;
	r->flags = flags;
	{
		unsigned char last = e ? (unsigned char)s[e - 1] : 0;
		r->ends_sentence = last == '.' || last == '!' || last == '?' || last == 0x9D;
	}
	r->related_head = (unsigned char)is_phrase(s, len, related_heads);
	r->placeholder_only = (unsigned char)is_phrase(s, len, empty_lists);
}

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

static void text_block(cd_vctx *v, const blockpos *bp, const char *s, size_t len,
	unsigned flags)
{
	blockpos b = *bp;
	size_t i = 0, words = 0;
	size_t prev_ws = 0, prev_we = 0; /* previous word */
	int prev_sep_space = 0, have_prev = 0;
	size_t caps_run = 0, caps_start = 0, caps_end = 0;
	size_t caps_min = cd_policy_threshold(v->p, CD_T_ALL_CAPS_WORDS);
	int glue_reported = 0;
	char msg[128];

	/* stray whitespace at the ends of a one-line field */
	if (flags & CD_TB_FIELD) {
		if (len && is_ws((unsigned char)s[0]))
			add_at(v, &b, CD_RULE_TEXT_WHITESPACE, 0, 1, "leading whitespace");
		if (len > 1 && is_ws((unsigned char)s[len - 1]))
			add_at(v, &b, CD_RULE_TEXT_WHITESPACE, len - 1, 1, "trailing whitespace");
	}

	while (i < len) {
		size_t n;
		uint32_t cp = cp_at(s, len, i, &n);
		if (is_wordcp(cp)) {
			size_t ws = i, we;
			int all_upper = 1, letters = 0;
			/* a word: letters, digits and apostrophes between letters */
			while (i < len) {
				cp = cp_at(s, len, i, &n);
				if (is_wordcp(cp)) {
					if (cp < 0x80 && is_alpha((unsigned char)cp)) {
						letters++;
						if (!is_upper((unsigned char)cp))
							all_upper = 0;
					} else if (cp >= 0x80) {
						all_upper = 0;
					}
					i += n;
				} else if ((cp == '\'' || cp == 0x2019 || cp == '-') && i + n < len) {
					size_t n2;
					uint32_t nx = cp_at(s, len, i + n, &n2);
					if (!is_wordcp(nx))
						break;
					if (cp == '\'' && !is_digit((unsigned char)s[i - 1]))
						push_quote(v, &b, i, n, 0, 0);
					else if (cp == 0x2019)
						push_quote(v, &b, i, n, 0, 1);
					i += n;
				} else {
					break;
				}
			}
			we = i;
			words++;
			if (url_at(s, len, ws) && (flags & CD_TB_BODY) && !(flags & CD_TB_LINKED) &&
			    !(b.segs && seg_of(&b, ws)->linked) &&
			    v->a && v->a->body_format == CD_BODY_HTML) {
				size_t e = ws;
				while (e < len && !is_ws((unsigned char)s[e]))
					e++;
				while (e > ws && (s[e - 1] == '.' || s[e - 1] == ',' || s[e - 1] == ')'))
					e--;
				add_at(v, &b, CD_RULE_LINK_BARE_URL, ws, e - ws,
					"a bare URL in the text; make it a link");
				i = e > i ? e : i;
				have_prev = 0;
				continue;
			}
			/* doubled words */
			if (have_prev && prev_sep_space && we - ws == prev_we - prev_ws && letters > 0 &&
			    find_ci(s + ws, we - ws, 0, s + prev_ws, we - ws) == 0 &&
			    !doubled_ok(s + ws, we - ws)) {
				snprintf(msg, sizeof msg, "doubled word '%.*s'",
					(int)(we - ws > 40 ? 40 : we - ws), s + ws);
				add_at(v, &b, CD_RULE_TEXT_DOUBLED_WORD, prev_ws, we - prev_ws, msg);
			}
			/* all caps */
			if (all_upper && letters >= 2) {
				if (caps_run == 0)
					caps_start = ws;
				caps_run++;
				caps_end = we;
			} else {
				if (caps_run >= caps_min && caps_min && !(flags & CD_TB_CAPS_OK))
					add_at(v, &b, CD_RULE_TEXT_ALL_CAPS, caps_start, caps_end - caps_start,
						"a run of words in capitals");
				caps_run = 0;
			}
			/* camel glue in the body: a caption run into its credit */
			if (!glue_reported && (flags & CD_TB_BODY) && we - ws >= 4) {
				size_t k;
				for (k = ws + 1; k + 1 < we; k++) {
					if (is_upper((unsigned char)s[k]) && is_lower((unsigned char)s[k - 1]) &&
					    is_alpha((unsigned char)s[k + 1]) && credit_tail(v->p, s, len, k)) {
						add_at(v, &b, CD_RULE_TEXT_WORDS_GLUED, k - 1, 2,
							"two words run together (a caption and its credit?)");
						glue_reported = 1;
						break;
					}
				}
			}
			prev_ws = ws;
			prev_we = we;
			have_prev = 1;
			prev_sep_space = 1;
			continue;
		}
		/* not a word character */
		if (cp == '\'' || cp == 0x2018 || cp == 0x2019) {
			int after_digit = i > 0 && is_digit((unsigned char)s[i - 1]);
			if (!(cp == '\'' && after_digit))
				push_quote(v, &b, i, n, 0, cp != '\'');
		} else if (cp == '"' || cp == 0x201C || cp == 0x201D) {
			int after_digit = i > 0 && is_digit((unsigned char)s[i - 1]);
			if (!(cp == '"' && after_digit))
				push_quote(v, &b, i, n, 1, cp != '"');
		}
		if (is_spacecp(cp)) {
			/* two or more spaces between words */
			size_t e = i;
			int plain = 1;
			while (e < len) {
				size_t n2;
				uint32_t c2 = cp_at(s, len, e, &n2);
				if (!is_spacecp(c2))
					break;
				if (c2 == '\n' || c2 == '\r' || c2 == '\t')
					plain = 0;
				e += n2;
			}
			if (plain && e - i >= 2 && i > 0 && e < len && have_prev && prev_we == i &&
			    (e - i > n)) {
				add_at(v, &b, CD_RULE_TEXT_WHITESPACE, i, e - i, "more than one space");
			} else if (plain && e < len && i > 0 && s[e] == ',' && prev_we == i) {
				add_at(v, &b, CD_RULE_TEXT_WHITESPACE, i, e - i, "space before a comma");
			}
			i = e;
			continue; /* spaces keep prev_sep_space */
		}
		/* punctuation glued to the next word: "end.Next", "said,and" */
		if ((cp == '.' || cp == '!' || cp == '?' || cp == ',' || cp == ';' || cp == ':') &&
		    i >= 2 && i + 2 < len && is_lower((unsigned char)s[i - 1]) &&
		    is_lower((unsigned char)s[i - 2]) &&
		    ((cp == '.' || cp == '!' || cp == '?') ? is_upper((unsigned char)s[i + 1])
							 : is_alpha((unsigned char)s[i + 1])) &&
		    is_lower((unsigned char)s[i + 2])) {
			/* not inside a URL, an e-mail address or a file name */
			size_t t = i;
			int urlish = 0;
			while (t > 0 && !is_ws((unsigned char)s[t - 1]))
				t--;
			{
				size_t k;
				for (k = t; k < i; k++)
					if (s[k] == '@' || s[k] == '/' || (k + 3 < len && s[k] == 'w' && s[k + 1] == 'w' && s[k + 2] == 'w'))
						urlish = 1;
			}
			if (!urlish)
				add_at(v, &b, CD_RULE_TEXT_WORDS_GLUED, i, 2, "no space after punctuation");
		}
		prev_sep_space = 0;
		i += n;
	}
	if (caps_run >= caps_min && caps_min && !(flags & CD_TB_CAPS_OK))
		add_at(v, &b, CD_RULE_TEXT_ALL_CAPS, caps_start, caps_end - caps_start,
			"a run of words in capitals");

	placeholders(v, &b, s, len);
	boilerplate_and_terms(v, &b, s, len);
	if (flags & CD_TB_BODY) {
		v->body_words += words;
		v->body_chars += len;
	}
	if (flags & (CD_TB_BODY | CD_TB_CAPTION))
		record_block(v, &b, s, len, flags, words);
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

static int caption_like(const cd_vctx *v, size_t i)
{
	size_t k;
	const cd_block_rec *b = &v->blocks[i];
	if (b->hash == 0)
		return 0;
	for (k = 0; k < v->n_blocks; k++)
		if (k != i && v->blocks[k].hash == b->hash)
			return 1;
	return 0;
}

void cd_text_finish(cd_vctx *v)
{
	size_t i, k, n = v->n_blocks;
	char msg[160];
	quotes_finish(v);
	/* repeated blocks */
	for (i = 0; i < n; i++) {
		const cd_block_rec *b = &v->blocks[i];
		if (b->hash == 0)
			continue;
		for (k = 0; k < i; k++) {
			if (v->blocks[k].hash == b->hash) {
				if (v->blocks[k].start)
					snprintf(msg, sizeof msg, "repeats the text at %s %zu-%zu",
						v->blocks[k].path, v->blocks[k].start, v->blocks[k].stop);
				else
					snprintf(msg, sizeof msg, "repeats %s", v->blocks[k].path);
				cd_v_add(v, CD_RULE_TEXT_DUPLICATE_BLOCK, b->path, b->start, b->stop, msg);
				break;
			}
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
