/*
 * Shared between slug.c (the pipeline) and translit.c (scripts that need
 * context): the slug writer, table lookups and input peeking. Not public:
 * nothing here is part of include/copydesk.h.
 */
#ifndef CD_SLUG_INTERNAL_H
#define CD_SLUG_INTERNAL_H

#include <string.h>

#include "copydesk.h"
#include "cpu.h"
#include "translit_data.h"

#define CD_SEG_MAX 32

/* The output side of one cd_slugify call; lives on the caller's stack. */
typedef struct cd_sw {
	char *out;
	size_t cap, n;
	size_t word_begin; /* where the current word's letters start */
	size_t word_sep;   /* output length before the current word's separator */
	size_t fit;        /* end of the last complete word within max_length */
	int in_word, lower, overflow, entities, allow_unicode;
	int hg_init_done;  /* Hangul: the next syllable's initial is written */
	const char *sep;
	size_t seplen;
	/* input */
	const unsigned char *p;
	size_t len;
	/* allow_unicode: the current segment (starter + marks), NFC pending */
	uint32_t seg[CD_SEG_MAX];
	int segn;
	int turkish;
	const cd_tr_locale *locale;
	/* stopwords and max_length */
	const cd_slug_options *opt;
	int stop_mode, removed;
	size_t max_length;
} cd_sw;

static inline uint32_t cd_tr_entry(uint32_t cp)
{
	if (cp < 0x800)
		return cd_tr_low[cp];
	if (cp >= CD_TR_MAXCP)
		return 0;
	return cd_tr_entries[cd_tr_stage2[((size_t)cd_tr_stage1[cp >> CD_TR_SHIFT] << CD_TR_SHIFT) |
		(cp & ((1u << CD_TR_SHIFT) - 1))]];
}

#define CD_E_KIND(e) (((e) >> 25) & 7u)
#define CD_E_LEN(e) (((e) >> 20) & 31u)
#define CD_E_OFF(e) ((e) & 0xFFFFFu)
#define CD_E_UPPER(e) (((e) >> 28) & 1u)

static inline const cd_uni_record *cd_uni_lookup(uint32_t cp)
{
	if (cp >= CD_TR_MAXCP)
		return &cd_uni_records[0];
	return &cd_uni_records[cd_uni_stage2[((size_t)cd_uni_stage1[cp >> CD_TR_SHIFT]
		<< CD_TR_SHIFT) | (cp & ((1u << CD_TR_SHIFT) - 1))]];
}

/* Strict UTF-8 decoding of one code point (as utf8.c, inlined for the hot
 * loop): bytes used, 0 if ill-formed or truncated. */
static inline size_t cd_dec(const unsigned char *p, size_t avail, uint32_t *cp)
{
	unsigned c0 = p[0];
	uint32_t c;

	if (c0 < 0x80) {
		*cp = c0;
		return 1;
	}
	if (c0 < 0xE0) {
		if (c0 < 0xC2 || avail < 2 || (p[1] & 0xC0) != 0x80)
			return 0;
		*cp = ((uint32_t)(c0 & 0x1F) << 6) | (p[1] & 0x3Fu);
		return 2;
	}
	if (c0 < 0xF0) {
		if (avail < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80)
			return 0;
		c = ((uint32_t)(c0 & 0x0F) << 12) | ((uint32_t)(p[1] & 0x3F) << 6) | (p[2] & 0x3Fu);
		if (c < 0x800 || (c >= 0xD800 && c <= 0xDFFF))
			return 0;
		*cp = c;
		return 3;
	}
	if (c0 > 0xF4 || avail < 4 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 ||
	    (p[3] & 0xC0) != 0x80)
		return 0;
	c = ((uint32_t)(c0 & 0x07) << 18) | ((uint32_t)(p[1] & 0x3F) << 12) |
		((uint32_t)(p[2] & 0x3F) << 6) | (p[3] & 0x3Fu);
	if (c < 0x10000 || c > 0x10FFFF)
		return 0;
	*cp = c;
	return 4;
}

/*
 * Sixteen ASCII bytes at once, for the hot loop: writes them to dst
 * lowercased where they are letters or digits and as the separator byte
 * elsewhere, and returns the mask of letters and digits (bit k: src[k]);
 * *special gets the mask of the bytes the loop must look at one by one
 * (>= 0x80, & ' ,). SSE2 where every x86-64 has it, eight bytes at a time
 * on other little-endian machines, a byte at a time elsewhere; all three
 * give the same (tests/c/test_slug.c compares them).
 */

/* High bits of the bytes of x that are ASCII letters or digits, and of
 * the letters alone in *letters; bytes >= 0x80 are neither (masked first,
 * so no carry crosses a byte). */
static inline uint64_t cd_swar_alnum_letters(uint64_t x, uint64_t *letters)
{
	uint64_t a = ~x & CD_H8, y = x & ~CD_H8, l = y | (0x20 * CD_L8);
	uint64_t let = (l + 0x1F * CD_L8) & ~(l + 0x05 * CD_L8) & a;
	*letters = let;
	return let | ((y + 0x50 * CD_L8) & ~(y + 0x46 * CD_L8) & a);
}

static inline uint64_t cd_swar_alnum(uint64_t x)
{
	uint64_t letters;
	return cd_swar_alnum_letters(x, &letters);
}

/* High bits of the bytes of x equal to b. */
static inline uint64_t cd_swar_eq(uint64_t x, unsigned char b)
{
	uint64_t t = x ^ (b * CD_L8);
	return ~(((t & ~CD_H8) + ~CD_H8) | t) & CD_H8;
}

/* The high bits of the eight bytes of m as bits 0..7 (byte k to bit k on a
 * little-endian machine). */
static inline unsigned cd_swar_bits(uint64_t m)
{
	return (unsigned)(((m >> 7) * 0x0102040810204080ull) >> 56);
}

static inline unsigned cd_ascii8_swar(uint64_t x, unsigned char *dst, char sep, unsigned *special)
{
	uint64_t an = cd_swar_alnum(x), full = (an >> 7) * 0xFF, o;
	uint64_t sp = (x & CD_H8) | cd_swar_eq(x, '&') | cd_swar_eq(x, '\'') | cd_swar_eq(x, ',');
	o = ((x | 0x20 * CD_L8) & full) | ((unsigned char)sep * CD_L8 & ~full);
	memcpy(dst, &o, 8);
	*special = cd_swar_bits(sp);
	return cd_swar_bits(an);
}

/* Eight bytes at a time: for little-endian machines (the tests run it on
 * x86-64 too). */
static inline unsigned cd_ascii16_swar(const unsigned char *src, char *dst, char sep,
	unsigned *special)
{
	uint64_t x0, x1;
	unsigned s0, s1, a0, a1;
	memcpy(&x0, src, 8);
	memcpy(&x1, src + 8, 8);
	a0 = cd_ascii8_swar(x0, (unsigned char *)dst, sep, &s0);
	a1 = cd_ascii8_swar(x1, (unsigned char *)dst + 8, sep, &s1);
	*special = s0 | s1 << 8;
	return a0 | a1 << 8;
}

/* The reference, a byte at a time (and the loop's on big-endian machines). */
static inline unsigned cd_ascii16_scalar(const unsigned char *src, char *dst, char sep,
	unsigned *special)
{
	unsigned k, an = 0, sp = 0;
	for (k = 0; k < 16; k++) {
		unsigned c = src[k], l = c | 0x20;
		unsigned a = (l >= 'a' && l <= 'z') || (c >= '0' && c <= '9');
		dst[k] = a ? (char)l : sep;
		an |= a << k;
		sp |= (unsigned)(c >= 0x80 || c == '&' || c == '\'' || c == ',') << k;
	}
	*special = sp;
	return an;
}

#if CD_SSE2
static inline unsigned cd_ascii16_sse2(const unsigned char *src, char *dst, char sep,
	unsigned *special)
{
	/* x in [lo, lo + n) as one signed compare: x - lo + 0x80 < n - 0x80;
	 * bytes >= 0x80 never fall in an ASCII range that way */
	__m128i v = _mm_loadu_si128((const __m128i *)(const void *)src);
	__m128i lo = _mm_or_si128(v, _mm_set1_epi8(0x20));
	__m128i let = _mm_cmplt_epi8(_mm_add_epi8(lo, _mm_set1_epi8(0x80 - 'a')),
		_mm_set1_epi8(26 - 0x80));
	__m128i dig = _mm_cmplt_epi8(_mm_add_epi8(v, _mm_set1_epi8(0x80 - '0')),
		_mm_set1_epi8(10 - 0x80));
	__m128i an = _mm_or_si128(let, dig);
	__m128i punct = _mm_or_si128(_mm_cmpeq_epi8(_mm_or_si128(v, _mm_set1_epi8(1)),
		_mm_set1_epi8('\'')), _mm_cmpeq_epi8(v, _mm_set1_epi8(','))); /* & ' , */
	_mm_storeu_si128((__m128i *)(void *)dst,
		_mm_or_si128(_mm_and_si128(an, lo), _mm_andnot_si128(an, _mm_set1_epi8(sep))));
	*special = (unsigned)_mm_movemask_epi8(_mm_or_si128(v, punct)); /* v: bytes >= 0x80 */
	return (unsigned)_mm_movemask_epi8(an);
}
#define cd_ascii16 cd_ascii16_sse2
#elif CD_LE
#define cd_ascii16 cd_ascii16_swar
#else
#define cd_ascii16 cd_ascii16_scalar
#endif

/* Starts a word if none is open: writes the separator after earlier words. */
static inline void cd_sw_begin(cd_sw *w)
{
	if (w->in_word)
		return;
	w->word_sep = w->n;
	if (w->n && w->seplen) {
		if (w->cap - w->n < w->seplen) {
			w->overflow = 1;
			return;
		}
		if (w->seplen == 1)
			w->out[w->n] = w->sep[0];
		else
			memcpy(w->out + w->n, w->sep, w->seplen);
		w->n += w->seplen;
	}
	w->word_begin = w->n;
	w->in_word = 1;
}

/* Appends ASCII letters s[0..k) to the current word (lowercase in the
 * tables); upper capitalises the first one when the slug keeps case. */
static inline void cd_sw_put(cd_sw *w, const char *s, size_t k, int upper)
{
	cd_sw_begin(w);
	if (w->cap - w->n < k) {
		w->overflow = 1;
		return;
	}
	memcpy(w->out + w->n, s, k);
	if (upper && !w->lower && k && s[0] >= 'a' && s[0] <= 'z')
		w->out[w->n] = (char)(s[0] - 32);
	w->n += k;
}

/* A string of the pool: the pool is padded, so 8 bytes may always be read. */
static inline void cd_sw_put_entry(cd_sw *w, uint32_t e)
{
	size_t k = CD_E_LEN(e);
	cd_sw_begin(w);
	if (k <= 8 && w->cap - w->n >= 8) {
		memcpy(w->out + w->n, cd_tr_pool + CD_E_OFF(e), 8);
		if (CD_E_UPPER(e) && !w->lower && w->out[w->n] >= 'a' && w->out[w->n] <= 'z')
			w->out[w->n] = (char)(w->out[w->n] - 32);
		w->n += k;
		return;
	}
	cd_sw_put(w, cd_tr_pool + CD_E_OFF(e), k, (int)CD_E_UPPER(e));
}

/* Ends the current word (stopwords, max_length bookkeeping): slug.c. */
void cd_sw_break(cd_sw *w);

/* Decodes the HTML entity at p (p[0] == '&'): bytes used, 0 if none. */
size_t cd_slug_entity(const unsigned char *p, size_t len, uint32_t *cp);

/* The code point at input offset i: bytes it takes, 0 at the end or on
 * ill-formed input (the main loop reports that when it gets there). */
static inline size_t cd_sw_peek(const cd_sw *w, size_t i, uint32_t *cp)
{
	if (i >= w->len)
		return 0;
	if (w->p[i] == '&' && w->entities) {
		size_t k = cd_slug_entity(w->p + i, w->len - i, cp);
		if (k)
			return k;
	}
	return cd_dec(w->p + i, w->len - i, cp);
}

/* translit.c: scripts whose letters depend on their neighbours. Each gets
 * the code point (and its entry) and the input offset after it, and returns
 * the offset after everything it consumed. */
size_t cd_tr_greek(cd_sw *w, uint32_t e, size_t next);
size_t cd_tr_hangul(cd_sw *w, uint32_t cp, size_t next);
/* The letters of Hangul syllable s (0..11171): its initial unless
 * init_done, its vowel, and its final as heard before syllable s2 (the next
 * one in the word; -1 if none) followed by s2's initial (the next call gets
 * init_done = 1). Writes up to 16 bytes of buf, returns the letters. */
static inline size_t cd_tr_hangul_text(char buf[16], unsigned s, int init_done, long s2)
{
	/* the letters and sound changes are tables of translit_data.c
	 * (tools/gen_translit.py), letters packed with their count on top */
	unsigned l = s / (21 * 28), v = (s / 28) % 21, t = s % 28;
	uint64_t a = init_done ? cd_tr_hangul_v[v] : cd_tr_hangul_lv[l * 21 + v], b;
	size_t n = (size_t)(a >> 56);

	memcpy(buf, &a, 8);
	if (s2 >= 0) {
		unsigned l2 = (unsigned)s2 / (21 * 28), col = l2;
		if (((unsigned)s2 / 28) % 21 == 20 && (l2 == 11 || l2 == 18))
			col = l2 == 11 ? 19 : 20; /* ㅇ and ㅎ before ㅣ */
		b = cd_tr_hangul_pair[t * 21 + col];
	} else {
		b = cd_tr_hangul_coda[t];
	}
	memcpy(buf + n, &b, 8);
	return n + (size_t)(b >> 56);
}
size_t cd_tr_kana(cd_sw *w, uint32_t e, size_t next);

/* translit.c, allow_unicode: a letter, digit or mark joins the segment;
 * cd_uni_flush writes the segment, lowercased and composed (NFC). */
void cd_uni_push(cd_sw *w, uint32_t cp);
void cd_uni_flush(cd_sw *w);

#endif
