/*
 * cd_slugify: headline -> URL slug in one pass over the input (HTML entities,
 * UTF-8 decoding, locale pre-map, transliteration, separators, stopwords,
 * max_length), writing into the caller's buffer. It does not allocate, and
 * it leaves script rules that need context to translit.c.
 */
#include <stddef.h>
#include <stdlib.h>

#include "slug_internal.h"

/* ---- HTML entities ------------------------------------------------------ */

typedef struct entity { const char *name; uint32_t cp; } entity;

/* HTML 4 named entities plus the Latin Extended-A names of HTML 5 that
 * newsroom copy meets; sorted by name (byte order). */
static const entity entities[] = {
	{ "AElig", 0xC6 }, { "Aacute", 0xC1 }, { "Acirc", 0xC2 }, { "Agrave", 0xC0 },
	{ "Alpha", 0x391 }, { "Aogon", 0x104 }, { "Aring", 0xC5 }, { "Atilde", 0xC3 },
	{ "Auml", 0xC4 }, { "Beta", 0x392 }, { "Cacute", 0x106 }, { "Ccaron", 0x10C },
	{ "Ccedil", 0xC7 }, { "Chi", 0x3A7 }, { "Dagger", 0x2021 }, { "Delta", 0x394 },
	{ "Dstrok", 0x110 }, { "ETH", 0xD0 }, { "Eacute", 0xC9 }, { "Ecaron", 0x11A },
	{ "Ecirc", 0xCA }, { "Egrave", 0xC8 }, { "Eogon", 0x118 }, { "Epsilon", 0x395 },
	{ "Eta", 0x397 }, { "Euml", 0xCB }, { "Gamma", 0x393 }, { "Gbreve", 0x11E },
	{ "Iacute", 0xCD }, { "Icirc", 0xCE }, { "Idot", 0x130 }, { "Igrave", 0xCC },
	{ "Iota", 0x399 }, { "Iuml", 0xCF }, { "Kappa", 0x39A }, { "Lambda", 0x39B },
	{ "Lstrok", 0x141 }, { "Mu", 0x39C }, { "Nacute", 0x143 }, { "Ncaron", 0x147 },
	{ "Ntilde", 0xD1 }, { "Nu", 0x39D }, { "OElig", 0x152 }, { "Oacute", 0xD3 },
	{ "Ocirc", 0xD4 }, { "Ograve", 0xD2 }, { "Omega", 0x3A9 }, { "Omicron", 0x39F },
	{ "Oslash", 0xD8 }, { "Otilde", 0xD5 }, { "Ouml", 0xD6 }, { "Phi", 0x3A6 },
	{ "Pi", 0x3A0 }, { "Prime", 0x2033 }, { "Psi", 0x3A8 }, { "Rcaron", 0x158 },
	{ "Rho", 0x3A1 }, { "Sacute", 0x15A }, { "Scaron", 0x160 }, { "Scedil", 0x15E },
	{ "Sigma", 0x3A3 }, { "THORN", 0xDE }, { "Tau", 0x3A4 }, { "Theta", 0x398 },
	{ "Uacute", 0xDA }, { "Ucirc", 0xDB }, { "Ugrave", 0xD9 }, { "Upsilon", 0x3A5 },
	{ "Uring", 0x16E }, { "Uuml", 0xDC }, { "Xi", 0x39E }, { "Yacute", 0xDD },
	{ "Yuml", 0x178 }, { "Zacute", 0x179 }, { "Zcaron", 0x17D }, { "Zdot", 0x17B },
	{ "Zeta", 0x396 }, { "aacute", 0xE1 }, { "acirc", 0xE2 }, { "acute", 0xB4 },
	{ "aelig", 0xE6 }, { "agrave", 0xE0 }, { "alpha", 0x3B1 }, { "amp", 0x26 },
	{ "aogon", 0x105 }, { "apos", 0x27 }, { "aring", 0xE5 }, { "atilde", 0xE3 },
	{ "auml", 0xE4 }, { "bdquo", 0x201E }, { "beta", 0x3B2 }, { "brvbar", 0xA6 },
	{ "bull", 0x2022 }, { "cacute", 0x107 }, { "ccaron", 0x10D }, { "ccedil", 0xE7 },
	{ "cedil", 0xB8 }, { "cent", 0xA2 }, { "chi", 0x3C7 }, { "circ", 0x2C6 },
	{ "clubs", 0x2663 }, { "copy", 0xA9 }, { "curren", 0xA4 }, { "dagger", 0x2020 },
	{ "darr", 0x2193 }, { "deg", 0xB0 }, { "delta", 0x3B4 }, { "diams", 0x2666 },
	{ "divide", 0xF7 }, { "dstrok", 0x111 }, { "eacute", 0xE9 }, { "ecaron", 0x11B },
	{ "ecirc", 0xEA }, { "egrave", 0xE8 }, { "emsp", 0x2003 }, { "ensp", 0x2002 },
	{ "eogon", 0x119 }, { "epsilon", 0x3B5 }, { "eta", 0x3B7 }, { "eth", 0xF0 },
	{ "euml", 0xEB }, { "euro", 0x20AC }, { "fnof", 0x192 }, { "frac12", 0xBD },
	{ "frac14", 0xBC }, { "frac34", 0xBE }, { "frasl", 0x2044 }, { "gamma", 0x3B3 },
	{ "gbreve", 0x11F }, { "ge", 0x2265 }, { "gt", 0x3E }, { "harr", 0x2194 },
	{ "hearts", 0x2665 }, { "hellip", 0x2026 }, { "iacute", 0xED }, { "icirc", 0xEE },
	{ "iexcl", 0xA1 }, { "igrave", 0xEC }, { "imath", 0x131 }, { "infin", 0x221E },
	{ "iota", 0x3B9 }, { "iquest", 0xBF }, { "iuml", 0xEF }, { "kappa", 0x3BA },
	{ "lambda", 0x3BB }, { "laquo", 0xAB }, { "larr", 0x2190 }, { "ldquo", 0x201C },
	{ "le", 0x2264 }, { "lrm", 0x200E }, { "lsaquo", 0x2039 }, { "lsquo", 0x2018 },
	{ "lstrok", 0x142 }, { "lt", 0x3C }, { "macr", 0xAF }, { "mdash", 0x2014 },
	{ "micro", 0xB5 }, { "middot", 0xB7 }, { "minus", 0x2212 }, { "mu", 0x3BC },
	{ "nacute", 0x144 }, { "nbsp", 0xA0 }, { "ncaron", 0x148 }, { "ndash", 0x2013 },
	{ "ne", 0x2260 }, { "not", 0xAC }, { "ntilde", 0xF1 }, { "nu", 0x3BD },
	{ "oacute", 0xF3 }, { "ocirc", 0xF4 }, { "oelig", 0x153 }, { "ograve", 0xF2 },
	{ "oline", 0x203E }, { "omega", 0x3C9 }, { "omicron", 0x3BF }, { "ordf", 0xAA },
	{ "ordm", 0xBA }, { "oslash", 0xF8 }, { "otilde", 0xF5 }, { "ouml", 0xF6 },
	{ "para", 0xB6 }, { "permil", 0x2030 }, { "phi", 0x3C6 }, { "pi", 0x3C0 },
	{ "plusmn", 0xB1 }, { "pound", 0xA3 }, { "prime", 0x2032 }, { "psi", 0x3C8 },
	{ "quot", 0x22 }, { "raquo", 0xBB }, { "rarr", 0x2192 }, { "rcaron", 0x159 },
	{ "rdquo", 0x201D }, { "reg", 0xAE }, { "rho", 0x3C1 }, { "rlm", 0x200F },
	{ "rsaquo", 0x203A }, { "rsquo", 0x2019 }, { "sacute", 0x15B }, { "sbquo", 0x201A },
	{ "scaron", 0x161 }, { "scedil", 0x15F }, { "sect", 0xA7 }, { "shy", 0xAD },
	{ "sigma", 0x3C3 }, { "sigmaf", 0x3C2 }, { "spades", 0x2660 }, { "sup1", 0xB9 },
	{ "sup2", 0xB2 }, { "sup3", 0xB3 }, { "szlig", 0xDF }, { "tau", 0x3C4 },
	{ "theta", 0x3B8 }, { "thinsp", 0x2009 }, { "thorn", 0xFE }, { "tilde", 0x2DC },
	{ "times", 0xD7 }, { "trade", 0x2122 }, { "uacute", 0xFA }, { "uarr", 0x2191 },
	{ "ucirc", 0xFB }, { "ugrave", 0xF9 }, { "uml", 0xA8 }, { "upsilon", 0x3C5 },
	{ "uring", 0x16F }, { "uuml", 0xFC }, { "xi", 0x3BE }, { "yacute", 0xFD },
	{ "yen", 0xA5 }, { "yuml", 0xFF }, { "zacute", 0x17A }, { "zcaron", 0x17E },
	{ "zdot", 0x17C }, { "zeta", 0x3B6 }, { "zwj", 0x200D }, { "zwnj", 0x200C },
};
#define ENTITY_COUNT (sizeof entities / sizeof entities[0])
#define ENTITY_NAME_MAX 8

static int is_alnum_byte(unsigned char c)
{
	return (c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'z');
}

size_t cd_slug_entity(const unsigned char *p, size_t len, uint32_t *cp)
{
	size_t i = 1, start;
	uint32_t v = 0;

	if (len < 4)
		return 0;
	if (p[1] == '#') {
		int hex = i + 1 < len && (p[2] == 'x' || p[2] == 'X');
		i = hex ? 3 : 2;
		start = i;
		for (; i < len && i - start < 8; i++) {
			unsigned char c = p[i];
			unsigned d;
			if (c >= '0' && c <= '9')
				d = c - '0';
			else if (hex && (c | 32) >= 'a' && (c | 32) <= 'f')
				d = (c | 32) - 'a' + 10;
			else
				break;
			v = v * (hex ? 16 : 10) + d;
		}
		if (i == start || i >= len || p[i] != ';')
			return 0;
		if (v == 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
			v = 0xFFFD;
		*cp = v;
		return i + 1;
	} else {
		size_t lo = 0, hi = ENTITY_COUNT, n;
		for (; i < len && i <= ENTITY_NAME_MAX && is_alnum_byte(p[i]); i++)
			;
		if (i >= len || p[i] != ';' || i == 1)
			return 0;
		n = i - 1;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			const char *name = entities[mid].name;
			int c = strncmp(name, (const char *)p + 1, n);
			if (c == 0 && name[n] != '\0')
				c = 1;
			if (c == 0) {
				*cp = entities[mid].cp;
				return i + 1;
			}
			if (c < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		return 0;
	}
}

/* ---- options ------------------------------------------------------------- */

static const char *const english_stopwords[] = {
	"a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "has", "have",
	"in", "into", "is", "it", "its", "of", "on", "or", "that", "the", "this", "to", "was",
	"were", "will", "with",
};
#define ENGLISH_STOPWORDS (sizeof english_stopwords / sizeof english_stopwords[0])
#define ENGLISH_STOPWORD_MAX 4

void cd_slug_defaults(cd_slug_options *opt)
{
	memset(opt, 0, sizeof *opt);
	opt->separator = "-";
	opt->separator_len = 1;
	opt->lowercase = 1;
}

/* The locale of a language tag ("de", "de-AT", "sr_Latn", "UK"): its primary
 * subtag, case-insensitively; NULL for a language without letters of its own
 * here (it slugs as without a locale). */
static const cd_tr_locale *find_locale(const char *name, size_t len)
{
	unsigned i;
	size_t n = 0;
	char lang[8];

	while (n < len && n < sizeof lang && name[n] != '-' && name[n] != '_') {
		char c = name[n];
		lang[n++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	if (n == sizeof lang)
		return NULL;
	for (i = 0; i < CD_TR_LOCALE_COUNT; i++)
		if (strlen(cd_tr_locales[i].name) == n && memcmp(cd_tr_locales[i].name, lang, n) == 0)
			return &cd_tr_locales[i];
	return NULL;
}

cd_status cd_slug_check_options(const cd_slug_options *opt)
{
	size_t i;

	if (opt == NULL)
		return CD_OK;
	if (opt->separator_len > CD_SLUG_SEPARATOR_MAX ||
	    (opt->separator == NULL && opt->separator_len))
		return CD_ERR_SEPARATOR;
	for (i = 0; i < opt->separator_len; i++)
		if (is_alnum_byte((unsigned char)opt->separator[i]))
			return CD_ERR_SEPARATOR;
	if (opt->separator && cd_utf8_validate(opt->separator, opt->separator_len, NULL) != CD_OK)
		return CD_ERR_SEPARATOR;
	if (opt->stopwords < 0 || opt->stopwords > 2 ||
	    (opt->stopwords == 2 && opt->stopword_count && (!opt->stopword_list || !opt->stopword_lens)))
		return CD_ERR_ARG;
	if (opt->replacement_count && (!opt->replacement_list || !opt->replacement_lens))
		return CD_ERR_ARG;
	for (i = 0; i < opt->replacement_count; i++) {
		if (cd_utf8_validate(opt->replacement_list[2 * i], opt->replacement_lens[2 * i], NULL) ||
		    cd_utf8_validate(opt->replacement_list[2 * i + 1], opt->replacement_lens[2 * i + 1],
			    NULL))
			return CD_ERR_UTF8;
	}
	return CD_OK;
}

static size_t max_stopword(const cd_slug_options *opt)
{
	size_t i, m = 0;
	if (opt->stopwords == 1)
		return ENGLISH_STOPWORD_MAX;
	if (opt->stopwords == 2)
		for (i = 0; i < opt->stopword_count; i++)
			if (opt->stopword_lens[i] > m)
				m = opt->stopword_lens[i];
	return m;
}

/* a * b + c, or SIZE_MAX when it overflows */
static size_t mul_add(size_t a, size_t b, size_t c)
{
	if (b && a > (SIZE_MAX - c) / b)
		return SIZE_MAX;
	return a * b + c;
}

/* Bytes the replacement pass may produce from len bytes. */
static size_t replaced_bound(size_t len, const cd_slug_options *opt)
{
	size_t i, ratio = 1;
	for (i = 0; i < opt->replacement_count; i++) {
		size_t from = opt->replacement_lens[2 * i], to = opt->replacement_lens[2 * i + 1];
		size_t r = from ? (to + from - 1) / from : 1;
		if (r > ratio)
			ratio = r;
	}
	return mul_add(len, ratio, 0);
}

size_t cd_slug_bound(size_t len, const cd_slug_options *opt)
{
	cd_slug_options d;
	size_t text = len, pre = 0, main, seplen;

	if (opt == NULL) {
		cd_slug_defaults(&d);
		opt = &d;
	}
	seplen = opt->separator ? opt->separator_len : 1;
	if (opt->replacement_count) {
		text = replaced_bound(len, opt);
		pre = len;
		if (text == SIZE_MAX || text > SIZE_MAX - pre)
			return SIZE_MAX;
		pre += text;
	}
	main = mul_add(text, 4 + seplen, 16);
	if (opt->max_length) {
		size_t m = opt->max_length + max_stopword(opt) + 3 * seplen + 256;
		if (m > opt->max_length && m < main)
			main = m;
	}
	if (main > SIZE_MAX - pre)
		return SIZE_MAX;
	return main + pre;
}

/* ---- words ------------------------------------------------------------------ */

static int word_equal(const char *a, size_t n, const char *b, size_t m)
{
	size_t i;
	if (n != m)
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
		if (x >= 'A' && x <= 'Z')
			x |= 32;
		if (y >= 'A' && y <= 'Z')
			y |= 32;
		if (x != y)
			return 0;
	}
	return 1;
}

static int is_stopword(const cd_sw *w, const char *s, size_t n)
{
	size_t i;
	if (w->stop_mode == 1) {
		if (n > ENGLISH_STOPWORD_MAX)
			return 0;
		for (i = 0; i < ENGLISH_STOPWORDS; i++)
			if (word_equal(s, n, english_stopwords[i], strlen(english_stopwords[i])))
				return 1;
		return 0;
	}
	for (i = 0; i < w->opt->stopword_count; i++)
		if (word_equal(s, n, w->opt->stopword_list[i], w->opt->stopword_lens[i]))
			return 1;
	return 0;
}

void cd_sw_break(cd_sw *w)
{
	if (w->segn)
		cd_uni_flush(w);
	if (!w->in_word)
		return;
	w->in_word = 0;
	if (w->n == w->word_begin) { /* nothing written (only Hangul ㅇ, say) */
		w->n = w->word_sep;
		return;
	}
	if (w->stop_mode && is_stopword(w, w->out + w->word_begin, w->n - w->word_begin)) {
		w->n = w->word_sep;
		w->removed = 1;
		return;
	}
	if (w->n <= w->max_length)
		w->fit = w->n;
}

/* ---- the pass ----------------------------------------------------------------- */

enum { A_SEP, A_LOWER, A_UPPER, A_DIGIT, A_APOS, A_AMP, A_COMMA };
static const unsigned char ascii_class[128] = {
	['0'] = A_DIGIT, ['1'] = A_DIGIT, ['2'] = A_DIGIT, ['3'] = A_DIGIT, ['4'] = A_DIGIT,
	['5'] = A_DIGIT, ['6'] = A_DIGIT, ['7'] = A_DIGIT, ['8'] = A_DIGIT, ['9'] = A_DIGIT,
	['a'] = A_LOWER, ['b'] = A_LOWER, ['c'] = A_LOWER, ['d'] = A_LOWER, ['e'] = A_LOWER,
	['f'] = A_LOWER, ['g'] = A_LOWER, ['h'] = A_LOWER, ['i'] = A_LOWER, ['j'] = A_LOWER,
	['k'] = A_LOWER, ['l'] = A_LOWER, ['m'] = A_LOWER, ['n'] = A_LOWER, ['o'] = A_LOWER,
	['p'] = A_LOWER, ['q'] = A_LOWER, ['r'] = A_LOWER, ['s'] = A_LOWER, ['t'] = A_LOWER,
	['u'] = A_LOWER, ['v'] = A_LOWER, ['w'] = A_LOWER, ['x'] = A_LOWER, ['y'] = A_LOWER,
	['z'] = A_LOWER,
	['A'] = A_UPPER, ['B'] = A_UPPER, ['C'] = A_UPPER, ['D'] = A_UPPER, ['E'] = A_UPPER,
	['F'] = A_UPPER, ['G'] = A_UPPER, ['H'] = A_UPPER, ['I'] = A_UPPER, ['J'] = A_UPPER,
	['K'] = A_UPPER, ['L'] = A_UPPER, ['M'] = A_UPPER, ['N'] = A_UPPER, ['O'] = A_UPPER,
	['P'] = A_UPPER, ['Q'] = A_UPPER, ['R'] = A_UPPER, ['S'] = A_UPPER, ['T'] = A_UPPER,
	['U'] = A_UPPER, ['V'] = A_UPPER, ['W'] = A_UPPER, ['X'] = A_UPPER, ['Y'] = A_UPPER,
	['Z'] = A_UPPER,
	['\''] = A_APOS, ['&'] = A_AMP, [','] = A_COMMA,
};
#define IS_ALNUM_CLASS(c) ((c) >= A_LOWER && (c) <= A_DIGIT)

/* Is the code point at input offset i a letter or digit? */
static int letter_at(const cd_sw *w, size_t i)
{
	uint32_t cp;
	unsigned kind;

	if (i >= w->len)
		return 0;
	if (w->p[i] < 0x80 && w->p[i] != '&')
		return IS_ALNUM_CLASS(ascii_class[w->p[i]]);
	if (!cd_sw_peek(w, i, &cp))
		return 0;
	if (cp < 0x80)
		return IS_ALNUM_CLASS(ascii_class[cp]);
	if (w->allow_unicode)
		return cd_uni_lookup(cp)->cls == 1;
	kind = CD_E_KIND(cd_tr_entry(cp));
	return kind >= CD_TR_STR && kind != CD_TR_KANAMOD;
}

static int last_is_digit(const cd_sw *w)
{
	return w->in_word && w->segn == 0 && w->n > w->word_begin && w->out[w->n - 1] >= '0' &&
		w->out[w->n - 1] <= '9';
}

/* Punctuation that may vanish inside a word: apostrophes and & between
 * letters, commas that group digits ("1,000"). Returns 1 if it vanished. */
static int joins(const cd_sw *w, unsigned cls, size_t next)
{
	const unsigned char *p = w->p;
	if (!w->in_word)
		return 0;
	if (cls == A_APOS || cls == A_AMP)
		return letter_at(w, next);
	if (cls == A_COMMA)
		return last_is_digit(w) && next + 3 <= w->len &&
			ascii_class[p[next] & 127] == A_DIGIT && p[next] < 0x80 &&
			ascii_class[p[next + 1] & 127] == A_DIGIT && p[next + 1] < 0x80 &&
			ascii_class[p[next + 2] & 127] == A_DIGIT && p[next + 2] < 0x80 &&
			(next + 3 == w->len || p[next + 3] >= 0x80 ||
				ascii_class[p[next + 3]] != A_DIGIT);
	return 0;
}

static const cd_tr_locale_row *locale_row(const cd_tr_locale *loc, uint32_t cp)
{
	unsigned lo = 0, hi = loc->count;
	while (lo < hi) {
		unsigned mid = (lo + hi) / 2;
		if (loc->rows[mid].cp < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < loc->count && loc->rows[lo].cp == cp ? &loc->rows[lo] : NULL;
}

/* One ASCII code point that did not come in a run (entities, punctuation). */
static void ascii_one(cd_sw *w, uint32_t c, size_t next)
{
	unsigned cls = ascii_class[c];
	char ch = (char)c;

	if (IS_ALNUM_CLASS(cls)) {
		if (w->allow_unicode) {
			cd_sw_begin(w);
			cd_uni_push(w, c);
			return;
		}
		if (cls == A_UPPER && w->lower)
			ch = (char)(c | 32);
		cd_sw_put(w, &ch, 1, 0);
		return;
	}
	if (!joins(w, cls, next))
		cd_sw_break(w);
}

/* One non-ASCII code point (transliterating); returns the next offset. */
static size_t other_one(cd_sw *w, uint32_t cp, size_t next)
{
	uint32_t e;

	if (cp < 0x80) {
		ascii_one(w, cp, next);
		return next;
	}
	if (cp == 0x2019) { /* right single quotation mark, the usual apostrophe */
		if (!joins(w, A_APOS, next))
			cd_sw_break(w);
		return next;
	}
	if (w->allow_unicode) {
		unsigned cls = cd_uni_lookup(cp)->cls;
		if (cls == 1 || (cls == 2 && w->in_word)) { /* a mark needs a letter before it */
			cd_sw_begin(w);
			cd_uni_push(w, cp);
		} else {
			cd_sw_break(w);
		}
		return next;
	}
	if (w->locale) {
		const cd_tr_locale_row *row = locale_row(w->locale, cp);
		if (row) {
			e = w->in_word ? row->entry : row->initial;
			if (CD_E_KIND(e) == CD_TR_STR)
				cd_sw_put_entry(w, e);
			return next;
		}
	}
	e = cd_tr_entry(cp);
	switch (CD_E_KIND(e)) {
	case CD_TR_SEP:
		cd_sw_break(w);
		break;
	case CD_TR_JOIN:
		break;
	case CD_TR_STR:
		cd_sw_put_entry(w, e);
		break;
	case CD_TR_WORD: /* Han: one syllable per word */
		cd_sw_break(w);
		cd_sw_put_entry(w, e);
		cd_sw_break(w);
		break;
	case CD_TR_GREEK:
		return cd_tr_greek(w, e, next);
	case CD_TR_HANGUL:
		return cd_tr_hangul(w, cp, next);
	default:
		return cd_tr_kana(w, e, next);
	}
	return next;
}

/* Byte -> itself lowercased if an ASCII letter or digit, else 0 ([0]), and
 * the same keeping case ([1]). */
static const char ascii_keep[2][128] = {
	{
		['0'] = '0', ['1'] = '1', ['2'] = '2', ['3'] = '3', ['4'] = '4', ['5'] = '5',
		['6'] = '6', ['7'] = '7', ['8'] = '8', ['9'] = '9',
		['a'] = 'a', ['b'] = 'b', ['c'] = 'c', ['d'] = 'd', ['e'] = 'e', ['f'] = 'f',
		['g'] = 'g', ['h'] = 'h', ['i'] = 'i', ['j'] = 'j', ['k'] = 'k', ['l'] = 'l',
		['m'] = 'm', ['n'] = 'n', ['o'] = 'o', ['p'] = 'p', ['q'] = 'q', ['r'] = 'r',
		['s'] = 's', ['t'] = 't', ['u'] = 'u', ['v'] = 'v', ['w'] = 'w', ['x'] = 'x',
		['y'] = 'y', ['z'] = 'z',
		['A'] = 'a', ['B'] = 'b', ['C'] = 'c', ['D'] = 'd', ['E'] = 'e', ['F'] = 'f',
		['G'] = 'g', ['H'] = 'h', ['I'] = 'i', ['J'] = 'j', ['K'] = 'k', ['L'] = 'l',
		['M'] = 'm', ['N'] = 'n', ['O'] = 'o', ['P'] = 'p', ['Q'] = 'q', ['R'] = 'r',
		['S'] = 's', ['T'] = 't', ['U'] = 'u', ['V'] = 'v', ['W'] = 'w', ['X'] = 'x',
		['Y'] = 'y', ['Z'] = 'z',
	},
	{
		['0'] = '0', ['1'] = '1', ['2'] = '2', ['3'] = '3', ['4'] = '4', ['5'] = '5',
		['6'] = '6', ['7'] = '7', ['8'] = '8', ['9'] = '9',
		['a'] = 'a', ['b'] = 'b', ['c'] = 'c', ['d'] = 'd', ['e'] = 'e', ['f'] = 'f',
		['g'] = 'g', ['h'] = 'h', ['i'] = 'i', ['j'] = 'j', ['k'] = 'k', ['l'] = 'l',
		['m'] = 'm', ['n'] = 'n', ['o'] = 'o', ['p'] = 'p', ['q'] = 'q', ['r'] = 'r',
		['s'] = 's', ['t'] = 't', ['u'] = 'u', ['v'] = 'v', ['w'] = 'w', ['x'] = 'x',
		['y'] = 'y', ['z'] = 'z',
		['A'] = 'A', ['B'] = 'B', ['C'] = 'C', ['D'] = 'D', ['E'] = 'E', ['F'] = 'F',
		['G'] = 'G', ['H'] = 'H', ['I'] = 'I', ['J'] = 'J', ['K'] = 'K', ['L'] = 'L',
		['M'] = 'M', ['N'] = 'N', ['O'] = 'O', ['P'] = 'P', ['Q'] = 'Q', ['R'] = 'R',
		['S'] = 'S', ['T'] = 'T', ['U'] = 'U', ['V'] = 'V', ['W'] = 'W', ['X'] = 'X',
		['Y'] = 'Y', ['Z'] = 'Z',
	},
};

/* Byte classes of the branch-free loop: 1 letter or digit, 0 separator,
 * 2 & ' , (a look around), 3 not ASCII. */
static const unsigned char plain_class[256] = {
	['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1,
	['8'] = 1, ['9'] = 1,
	['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1,
	['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1,
	['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1,
	['y'] = 1, ['z'] = 1,
	['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1, ['H'] = 1,
	['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1,
	['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1,
	['Y'] = 1, ['Z'] = 1,
	['&'] = 2, ['\''] = 2, [','] = 2,
	[0x80] = 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
	3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
	3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
	3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
	3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
};

/* Number of leading bytes (in memory order) whose high bit is set in m. */
static inline unsigned swar_run(uint64_t m)
{
	uint64_t stop = ~m & CD_H8;
#if CD_LE
	return stop ? (unsigned)__builtin_ctzll(stop) >> 3 : 8u;
#else
	(void)stop;
	return 0;
#endif
}

/*
 * The hot loop, for one-byte separators without stopwords: plain ASCII
 * without a branch per byte (a separator byte after a word writes the
 * separator tentatively, a letter overwrites or follows it), and, when the
 * slug is lowercase without a locale, the two- and three-byte letters whose
 * table entry is a plain string, a separator or a Han syllable. Anything
 * else goes back to the careful path. Returns the offset of the first byte
 * it did not take.
 */
static size_t fast_run(cd_sw *w, size_t i, size_t hard_stop)
{
	const unsigned char *p = w->p;
	const char *keep = ascii_keep[w->lower ? 0 : 1];
	char *out = w->out;
	const char sep = w->sep[0];
	const size_t max = w->max_length, len = w->len;
	const size_t lim = hard_stop < w->cap && hard_stop + 2 < w->cap ? hard_stop + 2 : w->cap;
	const int multi = w->lower && !w->locale;
	size_t n = w->n, fit = w->fit, wb = w->word_begin;
	unsigned prev = w->in_word ? 1u : 0u;
	int hg = w->hg_init_done;
	const uint64_t lowbits = w->lower ? ~(uint64_t)0 : 0;
	if (n + 16 > lim)
		return i;
	if (!prev && n > 0)
		out[n++] = sep; /* the tentative separator after the last word */
	while (i < len && n + 16 <= lim) {
		unsigned c = p[i], a;
		uint32_t e;
		size_t k;
		if (c < 0x80) {
			size_t starts, ends;
			if (CD_LE && i + 8 <= len && plain_class[c] == 1) {
				/* a run of letters and digits, up to eight at a time: the
				 * bytes after it are written too, and overwritten later */
				uint64_t x, let, out8;
				unsigned run;
				memcpy(&x, p + i, 8);
				run = swar_run(cd_swar_alnum_letters(x, &let));
				out8 = x | (((let & lowbits) >> 2));
				memcpy(out + n, &out8, 8);
				if (!prev)
					wb = n;
				n += run;
				i += run;
				prev = 1;
				continue;
			}
			a = plain_class[c];
			if (a == 2) {
				/* an apostrophe inside a word vanishes: a letter or digit follows */
				if (c == '\'' && prev && i + 1 < len && p[i + 1] < 0x80 &&
				    plain_class[p[i + 1]] == 1) {
					i++;
					continue;
				}
				break;
			}
			/* masks, not branches: word ends are frequent and unpredictable */
			starts = (size_t)0 - (size_t)(a & ~prev);
			ends = (size_t)0 - (size_t)(prev & ~a & (unsigned)(n <= max));
			wb += (n - wb) & starts;
			fit += (n - fit) & ends;
			out[n] = (char)(keep[c] | (sep & -(int)(a ^ 1u)));
			n += a | prev;
			prev = a;
			i++;
			continue;
		}
		if (!multi)
			break;
		if (c >= 0xC2 && c < 0xE0) {
			if (i + 1 >= len || (p[i + 1] & 0xC0) != 0x80)
				break;
			e = cd_tr_low[((c & 0x1Fu) << 6) | (p[i + 1] & 0x3Fu)];
			k = 2;
			if (CD_E_KIND(e) == CD_TR_STR) {
				/* a run of two-byte letters that are plain strings
				 * (Cyrillic, most Greek, Latin with diacritics) */
				const unsigned char *q = p + i, *const qlast = p + len - 1;
				char *o = out + n, *const olim = out + lim - 16;
				if (!prev)
					wb = n;
				for (;;) {
					memcpy(o, cd_tr_pool + CD_E_OFF(e), 8);
					o += CD_E_LEN(e);
					q += 2;
					if (q >= qlast || o > olim || q[0] < 0xC2 || q[0] >= 0xE0 ||
					    (q[1] & 0xC0) != 0x80)
						break;
					e = cd_tr_low[((q[0] & 0x1Fu) << 6) | (q[1] & 0x3Fu)];
					if (CD_E_KIND(e) != CD_TR_STR)
						break;
				}
				n = (size_t)(o - out);
				i = (size_t)(q - p);
				prev = 1;
				continue;
			}
		} else if (c >= 0xE0 && c < 0xF0) {
			uint32_t cp;
			if (i + 2 >= len || (p[i + 1] & 0xC0) != 0x80 || (p[i + 2] & 0xC0) != 0x80)
				break;
			cp = ((c & 0x0Fu) << 12) | ((uint32_t)(p[i + 1] & 0x3F) << 6) | (p[i + 2] & 0x3Fu);
			if (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))
				break;
			if (cp == 0x2019) { /* ’ as an apostrophe inside a word */
				if (prev && i + 3 < len && p[i + 3] < 0x80 && plain_class[p[i + 3]] == 1) {
					i += 3;
					continue;
				}
				break;
			}
			/* Hangul syllables need no table */
			e = cp - 0xAC00u <= 11171u ? (uint32_t)CD_TR_HANGUL << 25 : cd_tr_entry(cp);
			k = 3;
		} else {
			break;
		}
		switch (CD_E_KIND(e)) {
		case CD_TR_STR:
			if (!prev)
				wb = n;
			memcpy(out + n, cd_tr_pool + CD_E_OFF(e), 8);
			n += CD_E_LEN(e);
			prev = 1;
			break;
		case CD_TR_SEP:
			if (prev && n <= max)
				fit = n;
			out[n] = sep;
			n += prev;
			prev = 0;
			break;
		case CD_TR_JOIN:
			break;
		case CD_TR_GREEK: { /* α γ ε η μ ο: plain unless a digraph follows */
			unsigned b = e & 31u, b1 = 99, info = 0;
			size_t j = i + k;
			if (j < len && p[j] >= 0x80) { /* only two-byte Greek is read here */
				unsigned cp2 = ((p[j] & 0x1Fu) << 6) | (j + 1 < len ? p[j + 1] & 0x3Fu : 0);
				if (j + 1 >= len || p[j] < 0xC2 || p[j] >= 0xE0 ||
				    (p[j + 1] & 0xC0) != 0x80)
					goto done; /* the careful path decides */
				if (cp2 >= 0x370 && cp2 < 0x400)
					info = cd_tr_greek_info[cp2 - 0x370];
			}
			if (info && !(info & 32))
				b1 = info & 31u;
			if (b1 == 20 && b != 2 && b != 11) /* αυ ευ ηυ ου */
				goto done;
			if (b == 2 && (b1 == 2 || b1 == 13 || b1 == 22)) /* γγ γξ γχ */
				goto done;
			if (b == 11 && !prev && b1 == 15) /* μπ at the start of a word */
				goto done;
			if (!prev)
				wb = n;
			out[n++] = "a?g?e?i????m??o"[b];
			prev = 1;
			break;
		}
		case CD_TR_HANGUL: {
			unsigned s = (unsigned)(((c & 0x0Fu) << 12) | ((unsigned)(p[i + 1] & 0x3F) << 6) |
				(p[i + 2] & 0x3Fu)) - 0xAC00u;
			size_t j = i + 3;
			long s2 = -1;
			if (j + 2 < len && p[j] >= 0xEA && p[j] <= 0xED) {
				uint32_t cp2 = ((p[j] & 0x0Fu) << 12) | ((uint32_t)(p[j + 1] & 0x3F) << 6) |
					(p[j + 2] & 0x3Fu);
				if ((p[j + 1] & 0xC0) == 0x80 && (p[j + 2] & 0xC0) == 0x80 &&
				    cp2 >= 0xAC00 && cp2 <= 0xD7A3)
					s2 = (long)(cp2 - 0xAC00);
			}
			if (!prev) {
				wb = n;
				hg = 0;
			}
			n += cd_tr_hangul_text(out + n, s, hg, s2); /* at most 16 bytes */
			k = 3;
			hg = s2 >= 0;
			prev = 1;
			break;
		}
		case CD_TR_WORD: /* Han: one syllable, one word */
			if (prev && n <= max)
				fit = n;
			out[n] = sep;
			n += prev;
			wb = n;
			memcpy(out + n, cd_tr_pool + CD_E_OFF(e), 8);
			n += CD_E_LEN(e);
			if (n <= max)
				fit = n;
			out[n++] = sep;
			prev = 0;
			break;
		default:
			goto done;
		}
		i += k;
	}
done:
	w->hg_init_done = hg;
	if (prev) { /* one-byte separators: the word's separator sits just before it */
		w->word_begin = wb;
		w->word_sep = wb ? wb - 1 : 0;
		w->in_word = 1;
	} else {
		if (n > 0)
			n--;
		w->in_word = 0;
	}
	w->n = n;
	w->fit = fit;
	return i;
}

/* Does the code point at p (the input, or its zero-padded tail) let an
 * apostrophe or & before it vanish (letter_at)? 1 yes, 0 no, -1 when only
 * the careful path can tell (an entity, a longer sequence). */
static inline int fast_letter(const unsigned char *p)
{
	unsigned d = p[0];
	if (d < 0x80)
		return d == '&' ? -1 : plain_class[d] == 1;
	if (d < 0xC2 || d >= 0xF5)
		return 0; /* ill-formed: not a letter (the main loop reports it) */
	if (d >= 0xC2 && d < 0xE0 && (p[1] & 0xC0) == 0x80) {
		unsigned kind = CD_E_KIND(cd_tr_low[((d & 0x1Fu) << 6) | (p[1] & 0x3Fu)]);
		return kind >= CD_TR_STR && kind != CD_TR_KANAMOD;
	}
	return -1;
}

static inline int is_digit_byte(unsigned c)
{
	return c - '0' < 10u;
}

/* The class of the two bytes at p for the Greek steps (translit_data.h). */
static inline unsigned greek_class(const unsigned char *p)
{
	return cd_tr_greek_class[((unsigned)cd_tr_greek_lead[p[0]] << 8) | p[1]];
}

/* The lowest and highest set bit of x (x != 0). */
static inline unsigned low_bit(unsigned x)
{
#if defined(__GNUC__)
	return (unsigned)__builtin_ctz(x);
#else
	unsigned k = 0;
	while (!(x & 1u)) {
		x >>= 1;
		k++;
	}
	return k;
#endif
}

static inline unsigned high_bit(unsigned x)
{
#if defined(__GNUC__)
	return 31u - (unsigned)__builtin_clz(x);
#else
	unsigned k = 0;
	while (x >>= 1)
		k++;
	return k;
#endif
}

#if defined(__GNUC__)
#define CD_HOT static inline __attribute__((always_inline))
#else
#define CD_HOT static inline
#endif

/* The hot loop's Greek, a run of Greek words (their letters and the single
 * spaces between them) in a function of its own, so that its loop has the
 * registers to itself: one table step a letter (translit_data.h) on the
 * state the letter before leaves (ELOT 743's digraphs), the letter and the
 * column of the next two bytes. Reads and updates the hot loop's variables
 * in r; returns 1 when only the careful path can tell (an entity or Greek
 * Extended next), r->i then at the letter it must start from. */
typedef struct greek_run {
	size_t i, n, fit, stop, lim, max;
	unsigned prev;
	int has_max;
	char sep;
} greek_run;

/* A word's first letter leaves the state of a word's start. */
static inline unsigned greek_first(unsigned g)
{
	return (g & ~0x700u) | ((g >> 3) & 0x700u);
}

static CD_NOINLINE int greek_words(const unsigned char *p, char *out, greek_run *r)
{
	const unsigned char *q = p + r->i, *qstop;
	char *o = out + r->n;
	unsigned g = greek_class(q), g2, sv = CD_GK_NORMAL << 8;
	uint32_t t;
	/* a letter takes two bytes and writes at most two, a space one and
	 * one: within qstop, n + 32 <= lim holds (the caller checked it first) */
	size_t room = r->lim - 32 - r->n;
	qstop = room < r->stop - r->i ? q + room : p + r->stop;
	if (!r->prev) {
		sv = CD_GK_START << 8;
		g = greek_first(g);
	}
	for (;;) {
		g2 = greek_class(q + 2);
		t = cd_tr_greek_step[sv | (g & 0xF8u) | (g2 & 7u)];
		if (t & CD_GK_CARE) {
			r->prev = sv != CD_GK_START << 8; /* a word is open before it */
			if (t & CD_GK_REWIND) { /* back to the α ε η of αυ ευ ηυ */
				q -= 2;
				o--;
				r->prev = t & 1u;
			}
			r->i = (size_t)(q - p);
			r->n = (size_t)(o - out);
			return 1;
		}
#if CD_LE
		memcpy(o, &t, 4); /* the letters, then bytes written over later */
#else
		o[0] = (char)(t & 0xFFu);
		o[1] = (char)((t >> 8) & 0xFFu);
#endif
		o += t >> 30;
		q += 2;
		sv = g & 0x700u;
		g = g2;
		if (q[0] == ' ') { /* a word's end, told by the byte alone (early) */
			g = greek_class(q + 1);
			if (!(g & 6u) || q >= qstop)
				break;
			if (r->has_max && (size_t)(o - out) <= r->max) /* a space, then a word */
				r->fit = (size_t)(o - out);
			*o++ = r->sep;
			sv = CD_GK_START << 8;
			g = greek_first(g);
			q++;
			continue;
		}
		if (!(g2 & 6u)) /* no letter next (columns 0-1) */
			break;
		if (q >= qstop && !(t & CD_GK_PEND))
			break; /* (never with a digraph half done) */
	}
	r->i = (size_t)(q - p);
	r->n = (size_t)(o - out);
	r->prev = 1;
	return 0;
}

/* Where the open word of out[lo..n) starts: after the last separator
 * written (letters never are one: a separator is not a letter or digit),
 * or at lo. The hot loop finds it once at its end instead of keeping it. */
static size_t word_start(const char *out, size_t n, size_t lo, char sep)
{
	while (n > lo && out[n - 1] != sep)
		n--;
	return n;
}

/* The separator step: a word before it ends (fit), the separator is written
 * tentatively and kept only after a word. */
#define FAST_SEP(k)                                                                  \
	do {                                                                         \
		if (has_max && prev && n <= max)                                     \
			fit = n;                                                     \
		out[n] = sep;                                                        \
		n += prev;                                                           \
		prev = 0;                                                            \
		i += (k);                                                            \
	} while (0)

/*
 * The hot loop of the default shape (lowercase, no locale, a one-byte
 * separator, no stopwords): ASCII letters, digits and separators sixteen
 * bytes at a time (cd_ascii16, with masks instead of a branch per word
 * end), Latin letters with diacritics between them, runs of two-byte
 * letters, Greek digraphs, Hangul, Han, Vietnamese and the apostrophes, &
 * and digit-group commas that vanish inside words, all without leaving the
 * loop. The last 16 bytes are read from a copy (made first, so its stores
 * are done when the loop gets there) that ends in 0xFF (never valid UTF-8)
 * and zero padding: every path stops at the 0xFF.
 * Anything it cannot decide (entities, kana, invalid UTF-8, a look-ahead
 * that meets the end, the end of the room) goes back to the careful path.
 * Returns the offset of the first byte it did not take.
 */
CD_HOT size_t fast_lower(cd_sw *w, size_t i, size_t hard_stop, const int has_max,
	const int roomy, const int no_wb)
{
	unsigned char tail[48];
	const unsigned char *p = w->p;
	char *const out = w->out;
	const char sep = w->sep[0];
	const size_t max = w->max_length, len = w->len;
	const size_t lim = hard_stop < w->cap && hard_stop + 2 < w->cap ? hard_stop + 2 : w->cap;
	const size_t tstart = len - i > 16 ? len - 16 : i, wl = len - tstart;
	size_t n = w->n, fit = w->fit, stop = tstart, off = 0, n_lo;
	unsigned prev = w->in_word ? 1u : 0u;
	int hg = w->hg_init_done;

	if (n + 32 > lim)
		return i;
	memset(tail, 0, sizeof tail);
	if (wl >= 8) {
		memcpy(tail, p + tstart, 8);
		memcpy(tail + wl - 8, p + len - 8, 8);
	} else {
		size_t k;
		for (k = 0; k < wl; k++)
			tail[k] = p[tstart + k];
	}
	tail[wl] = 0xFF;
	if (!prev && n > 0)
		out[n++] = sep; /* the tentative separator after the last word */
	n_lo = n;
	for (;;) {
		unsigned c;
		uint32_t e;
		if (i >= stop) {
			if (p == tail)
				break;
			p = tail; /* the last 16 bytes */
			off = tstart;
			i -= tstart;
			stop = 64;
		}
		if (!roomy && n + 32 > lim)
			break;
		c = p[i];
		if (c < 0x80) {
			if (plain_class[c] == 0 && plain_class[p[i + 1]] != 1) {
				FAST_SEP(1); /* a space between words of other scripts */
				continue;
			}
			if (plain_class[c] < 2) {
			ascii: /* letters, digits and separators, sixteen bytes at a time:
				* a piece ends before a separator that follows another one
				* (dropped) or a byte the loop looks at by itself */
				for (;;) {
					unsigned sp, an, r, before, drop, k, piece, c1;
					if (i >= stop || (!roomy && n + 32 > lim))
						break;
					an = cd_ascii16(p + i, out + n, sep, &sp);
					r = low_bit(sp | 0x10000u);
					/* the byte it stops at (the exit's i is i + r) and the
					 * next, loaded before the masks are done (r & 15: in
					 * the line or the tail when r is 16, and unused) */
					c = p[i + (r & 15u)];
					c1 = p[i + (r & 15u) + 1];
					before = an << 1 | prev; /* bit k: a letter or digit before byte k */
					/* k: the first dropped separator (neither it nor the
					 * byte before a letter or digit), if before r */
					drop = ~(an | before); /* bits 17 and up set */
					k = low_bit(drop);
					k = k < r ? k : r;
					piece = (1u << k) - 1;
					if (has_max && n <= max) { /* words that end in the piece */
						unsigned ends = before & ~an & piece;
						if (max - n < 16)
							ends &= (2u << (max - n)) - 1;
						if (ends)
							fit = n + high_bit(ends);
					}
					n += k;
					i += k;
					prev = before >> k & 1; /* bit 0 of before is prev */
					if (k < r) { /* separators after a separator: skipped */
						unsigned skip = low_bit((an | 1u << r) >> k);
						i += skip;
						if (k + skip < r)
							continue;
					}
					if (r == 16)
						continue;
					if (i >= stop || (!roomy && n + 32 > lim))
						break;
					/* the byte it stopped at: a Latin letter, a Vietnamese
					 * letter or punctuation (« — “) goes on with the next
					 * piece; the rest to the code for its width */
					if (c - 0xC2u < 0x1Eu) {
						if ((c1 & 0xC0) != 0x80)
							break;
						e = cd_tr_low[((c & 0x1Fu) << 6) | (c1 & 0x3Fu)];
						k = 2;
						if (CD_E_KIND(e) == CD_TR_STR && c < 0xCD) /* not Greek, Cyrillic */
							goto piece_letter;
						if (CD_E_KIND(e) == CD_TR_SEP)
							goto piece_sep;
						goto two_byte;
					}
					if (c - 0xE0u < 0x10u) {
						uint32_t cp;
						if ((c1 & 0xC0) != 0x80 || (p[i + 2] & 0xC0) != 0x80)
							break;
						cp = ((c & 0x0Fu) << 12) | ((uint32_t)(c1 & 0x3F) << 6) |
							(p[i + 2] & 0x3Fu);
						if (cp < 0x800 || cp - 0xD800u < 0x800u || cp == 0x2019)
							goto three_byte;
						e = cd_tr_entry(cp);
						k = 3;
						if (CD_E_KIND(e) == CD_TR_STR)
							goto piece_letter;
						if (CD_E_KIND(e) == CD_TR_SEP)
							goto piece_sep;
						goto three_byte;
					}
					break;
				piece_letter:
					memcpy(out + n, cd_tr_pool + CD_E_OFF(e), 8);
					n += CD_E_LEN(e);
					prev = 1;
					i += k;
					continue;
				piece_sep:
					FAST_SEP(k);
					continue;
				}
				continue;
			}
			if (c == ',') { /* "1,000" */
				if (prev && is_digit_byte((unsigned char)out[n - 1]) &&
				    is_digit_byte(p[i + 1]) && is_digit_byte(p[i + 2]) &&
				    is_digit_byte(p[i + 3])) {
					if (!is_digit_byte(p[i + 4])) {
						i++;
						continue;
					}
				}
				FAST_SEP(1);
				continue;
			}
			if (c == '\'') {
				if (prev) {
					int l = fast_letter(p + i + 1);
					if (l < 0)
						break;
					if (l) {
						i++;
						continue;
					}
				}
				FAST_SEP(1);
				continue;
			}
			{ /* & : an entity goes to the careful path, but for &amp; */
				size_t k = 1;
				if (p[i + 1] == '#')
					break;
				if (memcmp(p + i, "&amp;", 5) == 0) {
					k = 5;
				} else {
					uint64_t x;
					unsigned r;
					memcpy(&x, p + i + 1, 8);
					r = swar_run(cd_swar_alnum(x));
					if (r && p[i + 1 + r] == ';')
						break;
				}
				if (prev) {
					int l = fast_letter(p + i + k);
					if (l < 0)
						break;
					if (l) {
						i += k;
						continue;
					}
				}
				FAST_SEP(k);
				continue;
			}
		}
		if (c < 0xE0) {
		two_byte:
			if (c < 0xC2 || (p[i + 1] & 0xC0) != 0x80)
				break;
			e = cd_tr_low[((c & 0x1Fu) << 6) | (p[i + 1] & 0x3Fu)];
			switch (CD_E_KIND(e)) {
			case CD_TR_STR: /* a run of two-byte letters (and single spaces) */
				if (c >= 0xD0)
					goto cyrillic;
				if (c >= 0xCD) /* Greek and Coptic */
					goto greek;
				/* Latin: the next letter is most often ASCII */
				for (;;) {
					memcpy(out + n, cd_tr_pool + CD_E_OFF(e), 8);
					n += CD_E_LEN(e);
					prev = 1;
					i += 2;
					c = p[i];
					if (plain_class[c] < 2) /* ASCII: é then s */
						goto ascii;
					if (c - 0xC2u >= 0x1Eu || (p[i + 1] & 0xC0) != 0x80 || i >= stop ||
					    (!roomy && n + 32 > lim))
						break;
					e = cd_tr_low[((c & 0x1Fu) << 6) | (p[i + 1] & 0x3Fu)]; /* the next letter */
					if (CD_E_KIND(e) - CD_TR_JOIN < 2u) /* a joiner (soft hyphen) writes nothing */
						continue;
					if (CD_E_KIND(e) == CD_TR_GREEK)
						goto greek;
					break;
				}
				continue;
			cyrillic: /* the next letter is most often two bytes */
				for (;;) {
					memcpy(out + n, cd_tr_pool + CD_E_OFF(e), 8);
					n += CD_E_LEN(e);
					prev = 1;
					i += 2;
					c = p[i];
					if (c - 0xC2u < 0x1Eu && (p[i + 1] & 0xC0) == 0x80 && i < stop &&
					    !(!roomy && n + 32 > lim)) { /* the next letter */
						e = cd_tr_low[((c & 0x1Fu) << 6) | (p[i + 1] & 0x3Fu)];
						if (CD_E_KIND(e) - CD_TR_JOIN < 2u) /* a joiner (ь, ъ) writes nothing */
							continue;
						break;
					}
					if (i >= stop || (!roomy && n + 32 > lim))
						break;
					if (c == ' ') { /* a space, then a word */
						unsigned d = p[i + 1];
						if (d - 0xC2u < 0x1Eu && (p[i + 2] & 0xC0) == 0x80) {
							e = cd_tr_low[((d & 0x1Fu) << 6) | (p[i + 2] & 0x3Fu)];
							if (CD_E_KIND(e) != CD_TR_STR)
								break;
							if (has_max && n <= max)
								fit = n;
							out[n++] = sep;
							i++;
							continue;
						}
					}
					if (plain_class[c] < 2) /* ASCII: a space, then a word */
						goto ascii;
					break;
				}
				continue;
			case CD_TR_GREEK:
			greek: /* Greek: greek_words */
			{
				greek_run r;
				int careful;
				if ((greek_class(p + i) & 6u) == 0) { /* a letter of the block, not Greek */
					memcpy(out + n, cd_tr_pool + CD_E_OFF(e), 8);
					n += CD_E_LEN(e);
					prev = 1;
					i += 2;
					continue;
				}
				r.i = i;
				r.n = n;
				r.fit = fit;
				r.stop = p == tail ? sizeof tail : stop; /* (tail: 0xFF ends it) */
				r.lim = roomy ? SIZE_MAX : lim;
				r.max = max;
				r.prev = prev;
				r.has_max = has_max;
				r.sep = sep;
				careful = greek_words(p, out, &r);
				i = r.i;
				n = r.n;
				fit = r.fit;
				prev = r.prev;
				if (careful)
					goto done;
				continue;
			}
			case CD_TR_SEP:
				FAST_SEP(2);
				continue;
			case CD_TR_JOIN:
				i += 2;
				continue;
			default:
				break;
			}
			break;
		}
		if (c < 0xF0) {
			uint32_t cp;
		three_byte:
			if ((p[i + 1] & 0xC0) != 0x80 || (p[i + 2] & 0xC0) != 0x80)
				break;
			cp = ((c & 0x0Fu) << 12) | ((uint32_t)(p[i + 1] & 0x3F) << 6) | (p[i + 2] & 0x3Fu);
			if (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))
				break;
			if (cp - 0xAC00u <= 11171u) { /* Hangul, a word's syllables in a row */
				unsigned s = cp - 0xAC00u;
				if (!prev)
					hg = 0;
				for (;;) {
					const unsigned char *q = p + i + 3;
					long s2 = -1;
					if (q[0] == '&')
						goto done;
					if (q[0] >= 0xEA && q[0] <= 0xED && (q[1] & 0xC0) == 0x80 &&
					    (q[2] & 0xC0) == 0x80) {
						uint32_t cp2 = ((q[0] & 0x0Fu) << 12) |
							((uint32_t)(q[1] & 0x3F) << 6) | (q[2] & 0x3Fu);
						if (cp2 - 0xAC00u <= 11171u)
							s2 = (long)(cp2 - 0xAC00u);
					}
					n += cd_tr_hangul_text(out + n, s, hg, s2); /* at most 16 bytes */
					hg = s2 >= 0;
					prev = 1;
					i += 3;
					if (s2 < 0 || i >= stop || (!roomy && n + 32 > lim))
						break;
					s = (unsigned)s2;
				}
				continue;
			}
			if (cp == 0x2019) { /* ’ */
				if (prev) {
					int l = fast_letter(p + i + 3);
					if (l < 0)
						break;
					if (l) {
						i += 3;
						continue;
					}
				}
				FAST_SEP(3);
				continue;
			}
			e = cd_tr_entry(cp);
			switch (CD_E_KIND(e)) {
			case CD_TR_STR: /* Vietnamese ạ ế ộ ... */
				memcpy(out + n, cd_tr_pool + CD_E_OFF(e), 8);
				n += CD_E_LEN(e);
				prev = 1;
				i += 3;
				if (plain_class[p[i]] < 2) /* ASCII after it */
					goto ascii;
				continue;
			case CD_TR_SEP:
				FAST_SEP(3);
				continue;
			case CD_TR_JOIN:
				i += 3;
				continue;
			case CD_TR_WORD: /* Han: one syllable, one word; a run of them */
				for (;;) {
					if (has_max && prev && n <= max)
						fit = n;
					out[n] = sep;
					n += prev;
					memcpy(out + n, cd_tr_pool + CD_E_OFF(e), 8);
					n += CD_E_LEN(e);
					if (has_max && n <= max)
						fit = n;
					out[n++] = sep;
					prev = 0;
					i += 3;
					c = p[i];
					if (c - 0xE4u > 0xE9u - 0xE4u || (p[i + 1] & 0xC0) != 0x80 ||
					    (p[i + 2] & 0xC0) != 0x80 || i >= stop ||
					    (!roomy && n + 32 > lim))
						break; /* (U+4000..U+9FFF: the unified ideographs) */
					e = cd_tr_entry(((c & 0x0Fu) << 12) | ((uint32_t)(p[i + 1] & 0x3F) << 6) |
						(p[i + 2] & 0x3Fu));
					if (CD_E_KIND(e) != CD_TR_WORD)
						break;
				}
				continue;
			default:
				break;
			}
		}
		break;
	}
done:
	w->hg_init_done = hg;
	if (prev && no_wb) {
		w->in_word = 1; /* (the caller finds the word's start) */
	} else if (prev) { /* one-byte separators: the word's separator sits just before it */
		size_t wb = word_start(out, n, n_lo, sep);
		if (wb == n_lo && w->in_word)
			wb = w->word_begin; /* no separator here: the word goes on */
		w->word_begin = wb;
		w->word_sep = wb ? wb - 1 : 0;
		w->in_word = 1;
	} else {
		if (n > 0)
			n--;
		w->in_word = 0;
	}
	w->n = n;
	w->fit = fit;
	return off + i;
}

/* fast_lower without max_length, with it, and with room for anything:
 * functions of their own, so the hot loop has the registers to itself. */
static CD_NOINLINE size_t fast_lower_plain(cd_sw *w, size_t i, size_t hard_stop)
{
	return fast_lower(w, i, hard_stop, 0, 0, 0);
}

static CD_NOINLINE size_t fast_lower_max(cd_sw *w, size_t i, size_t hard_stop)
{
	return fast_lower(w, i, hard_stop, 1, 0, 0);
}

/* With room for all the rest of the input (a byte of it writes at most 4:
 * Hangul 10 for 3), no step needs to look at the room. */
static CD_NOINLINE size_t fast_lower_roomy(cd_sw *w, size_t i)
{
	return fast_lower(w, i, SIZE_MAX, 0, 1, 0);
}

/* The main pass over w->p[i..len) (i > 0 when slugify_default's first call
 * of the hot loop stopped there). Returns CD_OK or CD_ERR_UTF8. */
static cd_status run(cd_sw *w, size_t hard_stop, size_t i)
{
	const unsigned char *p = w->p;
	size_t len = w->len;
	const char *keep = ascii_keep[w->lower ? 0 : 1];
	const int uni = w->allow_unicode;
	const int fast = !uni && w->seplen == 1 && !w->stop_mode;
	const int fast_lowercase = fast && w->lower && !w->locale;
	const int has_max = w->max_length != SIZE_MAX;

	while (i < len) {
		unsigned char c = p[i];
		if (w->n > hard_stop || w->overflow)
			break;
		if (fast_lowercase) {
			size_t j = has_max ? fast_lower_max(w, i, hard_stop) :
				w->cap - w->n > 64 && (w->cap - w->n - 64) / 4 > len - i ?
					  fast_lower_roomy(w, i) :
					  fast_lower_plain(w, i, hard_stop);
			if (j != i) {
				i = j;
				continue;
			}
		} else if (fast && (c < 0x80 ? plain_class[c] != 2 : (c >= 0xC2 && c < 0xF0))) {
			size_t j = fast_run(w, i, hard_stop);
			if (j != i) {
				i = j;
				continue;
			}
		}
		if (c < 0x80) {
			if (keep[c] && !uni) {
				/* the hot loop: a run of ASCII letters and digits */
				size_t room, end;
				char *out, ch;
				cd_sw_begin(w);
				room = w->cap - w->n;
				end = len - i < room ? len : i + room;
				if (hard_stop != SIZE_MAX && w->n <= hard_stop + 1 &&
				    end - i > hard_stop + 2 - w->n)
					end = i + (hard_stop + 2 - w->n);
				out = w->out + w->n;
				while (i < end && p[i] < 0x80 && (ch = keep[p[i]]) != 0) {
					*out++ = ch;
					i++;
				}
				w->n = (size_t)(out - w->out);
				if (i < len && w->n == w->cap && p[i] < 0x80 && keep[p[i]])
					w->overflow = 1;
				continue;
			}
			if (c == '&' && w->entities) {
				uint32_t cp;
				size_t k = cd_slug_entity(p + i, len - i, &cp);
				if (k) {
					i = other_one(w, cp, i + k);
					continue;
				}
			}
			ascii_one(w, c, i + 1);
			i++;
		} else {
			uint32_t cp, e;
			size_t k = cd_dec(p + i, len - i, &cp);
			if (k == 0)
				return CD_ERR_UTF8;
			if (!uni && !w->locale && cp != 0x2019) { /* the common letters, inline */
				e = cd_tr_entry(cp);
				if (CD_E_KIND(e) == CD_TR_STR) {
					cd_sw_put_entry(w, e);
					i += k;
					continue;
				}
				if (CD_E_KIND(e) == CD_TR_SEP) {
					cd_sw_break(w);
					i += k;
					continue;
				}
			}
			i = other_one(w, cp, i + k);
		}
	}
	if (i < len && cd_utf8_validate((const char *)p + i, len - i, NULL) != CD_OK)
		return CD_ERR_UTF8;
	return CD_OK;
}

/* Decodes entities of in[0..len) into dst; returns the bytes written. */
static size_t decode_entities(const unsigned char *in, size_t len, char *dst)
{
	size_t i = 0, n = 0;
	while (i < len) {
		uint32_t cp;
		size_t k;
		if (in[i] == '&' && (k = cd_slug_entity(in + i, len - i, &cp)) != 0) {
			n += cd_utf8_encode(cp, dst + n);
			i += k;
		} else {
			dst[n++] = (char)in[i++];
		}
	}
	return n;
}

/* Applies the replacement pairs in one left-to-right pass. */
static size_t replace(const cd_slug_options *opt, const char *in, size_t len, char *dst)
{
	size_t i = 0, n = 0, r;
	while (i < len) {
		for (r = 0; r < opt->replacement_count; r++) {
			size_t fl = opt->replacement_lens[2 * r];
			if (fl && fl <= len - i && memcmp(in + i, opt->replacement_list[2 * r], fl) == 0) {
				size_t tl = opt->replacement_lens[2 * r + 1];
				memcpy(dst + n, opt->replacement_list[2 * r + 1], tl);
				n += tl;
				i += fl;
				break;
			}
		}
		if (r == opt->replacement_count)
			dst[n++] = in[i++];
	}
	return n;
}

static cd_status slugify(const char *in, size_t len, const cd_slug_options *opt, int stop_mode,
	char *out, size_t cap, size_t *out_len)
{
	cd_sw w;
	cd_status st;
	size_t hard_stop = SIZE_MAX;

	memset(&w, 0, offsetof(cd_sw, seg)); /* seg[] is written before it is read */
	w.segn = 0;
	w.turkish = 0;
	w.locale = NULL;
	w.removed = 0;
	w.out = out;
	w.cap = cap;
	w.lower = opt->lowercase != 0;
	w.allow_unicode = opt->allow_unicode != 0;
	w.sep = opt->separator ? opt->separator : "-";
	w.seplen = opt->separator ? opt->separator_len : 1;
	w.opt = opt;
	w.stop_mode = stop_mode;
	w.max_length = opt->max_length ? opt->max_length : SIZE_MAX;
	w.p = (const unsigned char *)in;
	w.len = len;
	w.entities = 1;
	if (opt->locale && opt->locale_len) {
		w.locale = find_locale(opt->locale, opt->locale_len);
		w.turkish = w.locale && strcmp(w.locale->name, "tr") == 0;
	}
	if (opt->max_length)
		hard_stop = opt->max_length + (stop_mode ? max_stopword(opt) : 0) + w.seplen + 1;

	if (opt->replacement_count) {
		/* entities, then replacements, into the tail of out; the slug is
		 * written from the front and never reaches them */
		size_t rb = replaced_bound(len, opt), dn, rn;
		char *dec, *rep;
		if (cd_utf8_validate(in, len, NULL) != CD_OK)
			return CD_ERR_UTF8;
		if (rb == SIZE_MAX || cap < len + rb || cap - len - rb < 16)
			return CD_ERR_SPACE;
		dec = out + cap - len;
		rep = dec - rb;
		dn = decode_entities((const unsigned char *)in, len, dec);
		rn = replace(opt, dec, dn, rep);
		w.p = (const unsigned char *)rep;
		w.len = rn;
		w.cap = (size_t)(rep - out);
		w.entities = 0;
		if (cd_utf8_validate(rep, rn, NULL) != CD_OK)
			return CD_ERR_UTF8;
	}
	st = run(&w, hard_stop, 0);
	if (st != CD_OK)
		return st;
	cd_sw_break(&w);
	if (w.overflow)
		return CD_ERR_SPACE;
	if (w.n > w.max_length) {
		if (w.fit) {
			w.n = w.fit;
		} else { /* one long word: cut it, never inside a character */
			size_t cut = w.max_length;
			while (cut > 0 && ((unsigned char)out[cut] & 0xC0) == 0x80)
				cut--;
			while (cut > 0 && w.allow_unicode) { /* nor before a combining mark */
				size_t j = cut;
				uint32_t cp;
				if (cd_utf8_next(out, w.n, &j, &cp) != CD_OK || cd_uni_lookup(cp)->cls != 2)
					break;
				cut--;
				while (cut > 0 && ((unsigned char)out[cut] & 0xC0) == 0x80)
					cut--;
			}
			w.n = cut;
		}
	}
	if (w.n == 0 && w.removed)
		return slugify(in, len, opt, 0, out, cap, out_len);
	*out_len = w.n;
	return CD_OK;
}

static const cd_slug_options slug_defaults = { "-", 1, 0, 1, 0, NULL, 0, 0, NULL, NULL, 0, NULL,
	NULL, 0 };

/*
 * slugify() for opt == NULL with room for anything (the common call): the
 * same writer, set up with the defaults' constants, and the hot loop called
 * first without run()'s checks; whatever it leaves goes to run() from there,
 * as run() itself would. Without max_length, stopwords or replacements, the
 * end is cd_sw_break() alone.
 */
static cd_status slugify_default(const char *in, size_t len, char *out, size_t cap,
	size_t *out_len)
{
	cd_sw w;
	cd_status st;
	size_t i;

	memset(&w, 0, offsetof(cd_sw, seg));
	w.segn = 0;
	w.turkish = 0;
	w.locale = NULL;
	w.removed = 0;
	w.out = out;
	w.cap = cap;
	w.lower = 1;
	w.sep = "-";
	w.seplen = 1;
	w.opt = &slug_defaults;
	w.stop_mode = 0;
	w.max_length = SIZE_MAX;
	w.p = (const unsigned char *)in;
	w.len = len;
	w.entities = 1;
	i = len ? fast_lower(&w, 0, SIZE_MAX, 0, 1, 1) : 0; /* inline: w is known here */
	if (i == len) { /* cd_sw_break of this state, inline: an empty word
			 * (after its separator) is dropped with it */
		*out_len = w.in_word && w.n && out[w.n - 1] == '-' ? w.n - 1 : w.n;
		return CD_OK;
	}
	if (w.in_word) { /* the word's start, for run() */
		w.word_begin = word_start(out, w.n, 0, '-');
		w.word_sep = w.word_begin ? w.word_begin - 1 : 0;
	}
	st = run(&w, SIZE_MAX, i);
	if (st != CD_OK)
		return st;
	if (w.overflow)
		return CD_ERR_SPACE;
	cd_sw_break(&w);
	*out_len = w.n;
	return CD_OK;
}

cd_status cd_slugify(const char *in, size_t len, const cd_slug_options *opt, char *out,
	size_t cap, size_t *out_len)
{
	cd_status st;

	*out_len = 0;
	if (opt == NULL) {
		if (in == NULL && len)
			return CD_ERR_ARG;
		if (cap > 64 && (cap - 64) / 4 > len) /* as run() picks fast_lower_roomy */
			return slugify_default(in ? in : "", len, out, cap, out_len);
		opt = &slug_defaults; /* valid: no check */
	} else {
		st = cd_slug_check_options(opt);
		if (st != CD_OK)
			return st;
	}
	if (in == NULL && len)
		return CD_ERR_ARG;
	if (in == NULL)
		in = "";
	return slugify(in, len, opt, opt->stopwords, out, cap, out_len);
}
