/*
 * Transliteration that needs context: Greek digraphs (ELOT 743), Hangul
 * (Revised Romanization with its sound changes between syllables), kana
 * (Hepburn), and, for allow_unicode, lowercasing and NFC composition. The
 * per-letter tables live in translit_data.c; the pipeline lives in slug.c.
 */
#include "slug_internal.h"

/* ---- Greek (ELOT 743) ----------------------------------------------------- */

static const char *const greek_letter[25] = {
	"a", "v", "g", "d", "e", "z", "i", "th", "i", "k", "l", "m", "n",
	"x", "o", "p", "r", "s", "s", "t", "y", "f", "ch", "ps", "o",
};
static const unsigned char greek_len[25] = {
	1, 1, 1, 1, 1, 1, 1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 1,
};
enum { G_ALPHA = 0, G_GAMMA = 2, G_EPSILON = 4, G_ETA = 6, G_KAPPA = 9, G_MU = 11,
	G_XI = 13, G_OMICRON = 14, G_PI = 15, G_UPSILON = 20, G_CHI = 22 };

/* The Greek letter at input offset i: 0x80 | diaeresis << 5 | base letter,
 * or 0; *k gets its size. */
static unsigned greek_at(const cd_sw *w, size_t i, size_t *k)
{
	uint32_t cp;
	*k = cd_sw_peek(w, i, &cp);
	if (*k == 0)
		return 0;
	if (cp >= 0x370 && cp < 0x400)
		return cd_tr_greek_info[cp - 0x370];
	if (cp >= 0x1F00 && cp < 0x2000)
		return cd_tr_greek_info[cp - 0x1F00 + 0x90];
	return 0;
}

size_t cd_tr_greek(cd_sw *w, uint32_t e, size_t next)
{
	unsigned b = e & 31u, upper = CD_E_UPPER(e);
	size_t k1, k2;
	unsigned e1 = greek_at(w, next, &k1), e2;
	unsigned b1 = e1 ? (e1 & 31u) : 99, dia1 = e1 ? (e1 >> 5) & 1u : 0;
	char buf[3];

	if ((b == G_ALPHA || b == G_EPSILON || b == G_ETA) && b1 == G_UPSILON && !dia1) {
		e2 = greek_at(w, next + k1, &k2);
		buf[0] = greek_letter[b][0];
		buf[1] = (e2 && cd_tr_greek_voiced[e2 & 31u]) ? 'v' : 'f';
		cd_sw_put(w, buf, 2, (int)upper);
		return next + k1;
	}
	if (b == G_OMICRON && b1 == G_UPSILON && !dia1) {
		cd_sw_put(w, "ou", 2, (int)upper);
		return next + k1;
	}
	if (b == G_GAMMA && (b1 == G_GAMMA || b1 == G_XI || b1 == G_CHI)) {
		cd_sw_put(w, "n", 1, (int)upper);
		return next;
	}
	if (b == G_MU && b1 == G_PI && !w->in_word) {
		cd_sw_put(w, "b", 1, (int)upper);
		return next + k1;
	}
	cd_sw_put(w, greek_letter[b], greek_len[b], (int)upper);
	return next;
}

/* ---- Hangul (Revised Romanization, 2000) ------------------------------------ */

#define HG_BASE 0xAC00u

size_t cd_tr_hangul(cd_sw *w, uint32_t cp, size_t next)
{
	uint32_t cp2;
	size_t k, n;
	long s2 = -1;
	char buf[16];

	if (!w->in_word)
		w->hg_init_done = 0;
	k = cd_sw_peek(w, next, &cp2);
	if (k && cp2 >= HG_BASE && cp2 <= HG_BASE + 11171)
		s2 = (long)(cp2 - HG_BASE);
	n = cd_tr_hangul_text(buf, cp - HG_BASE, w->hg_init_done, s2);
	w->hg_init_done = s2 >= 0;
	cd_sw_put(w, buf, n, 0);
	return next;
}

/* ---- kana (Hepburn) ------------------------------------------------------------ */

static int is_vowel(char c)
{
	return c == 'a' || c == 'i' || c == 'u' || c == 'e' || c == 'o';
}

size_t cd_tr_kana(cd_sw *w, uint32_t e, size_t next)
{
	const char *s = cd_tr_pool + CD_E_OFF(e);
	size_t k = CD_E_LEN(e), n2;
	uint32_t cp2, e2 = 0;
	const char *s2;
	size_t k2;
	char buf[8];

	n2 = cd_sw_peek(w, next, &cp2);
	if (n2)
		e2 = cd_tr_entry(cp2);
	s2 = cd_tr_pool + CD_E_OFF(e2);
	k2 = CD_E_LEN(e2);
	if (CD_E_KIND(e) == CD_TR_KANAMOD) {
		if (s[0] == 'q') { /* sokuon doubles the next consonant (tch for ch) */
			if (CD_E_KIND(e2) == CD_TR_KANA && k2 && !is_vowel(s2[0]))
				cd_sw_put(w, s2[0] == 'c' ? "t" : s2, 1, 0);
			return next;
		}
		if (s[0] == '-')
			return next; /* long vowel mark */
		cd_sw_put(w, s, k, 0);
		return next;
	}
	if (CD_E_KIND(e2) == CD_TR_KANAMOD && k >= 2 && k2 >= 1 && k2 <= 2 && s[k - 1] == 'i' &&
	    s2[0] == 'y') { /* kya, sha, cha, ja */
		int palatal = (k == 3 && s[1] == 'h') || (k == 2 && s[0] == 'j');
		memcpy(buf, s, k - 1);
		if (palatal) {
			buf[k - 1] = s2[1];
			cd_sw_put(w, buf, k, 0);
		} else {
			memcpy(buf + k - 1, s2, 2);
			cd_sw_put(w, buf, k + 1, 0);
		}
		return next + n2;
	}
	if (CD_E_KIND(e2) == CD_TR_KANAMOD && k >= 2 && k2 == 1 && is_vowel(s2[0])) {
		memcpy(buf, s, k - 1); /* fa, ti, she, che, je */
		buf[k - 1] = s2[0];
		cd_sw_put(w, buf, k, 0);
		return next + n2;
	}
	cd_sw_put(w, s, k, 0);
	return next;
}

/* ---- allow_unicode: lowercase + NFC ---------------------------------------------- */

static uint32_t compose_pair(uint32_t a, uint32_t b)
{
	size_t lo = 0, hi = CD_UNI_COMPOSE_COUNT;
	uint64_t key;

	if (a >= 0x1100 && a <= 0x1112 && b >= 0x1161 && b <= 0x1175)
		return HG_BASE + ((a - 0x1100) * 21 + (b - 0x1161)) * 28;
	if (a >= HG_BASE && a <= HG_BASE + 11171 && (a - HG_BASE) % 28 == 0 && b >= 0x11A8 &&
	    b <= 0x11C2)
		return a + (b - 0x11A7);
	key = ((uint64_t)a << 21) | b;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cd_uni_compose_keys[mid] < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < CD_UNI_COMPOSE_COUNT && cd_uni_compose_keys[lo] == key)
		return cd_uni_compose_values[lo];
	return 0;
}

static void put_cp(cd_sw *w, uint32_t cp)
{
	char buf[4];
	size_t k = cd_utf8_encode(cp, buf);
	cd_sw_put(w, buf, k, 0);
}

void cd_uni_flush(cd_sw *w)
{
	int n = w->segn, i, j, last = -1;
	uint32_t *s = w->seg;

	if (n == 0)
		return;
	/* canonical order of the marks after the starter (stable insertion) */
	for (i = 2; i < n; i++) {
		uint32_t c = s[i];
		uint8_t cc = cd_uni_lookup(c)->ccc;
		for (j = i; j > 1 && cd_uni_lookup(s[j - 1])->ccc > cc; j--)
			s[j] = s[j - 1];
		s[j] = c;
	}
	if (cd_uni_lookup(s[0])->ccc == 0) {
		int m = 1;
		for (i = 1; i < n; i++) {
			int cc = cd_uni_lookup(s[i])->ccc;
			uint32_t c = (last < cc || last == -1) ? compose_pair(s[0], s[i]) : 0;
			if (c && (last == -1 || last < cc)) {
				s[0] = c;
				continue;
			}
			last = cc;
			s[m++] = s[i];
		}
		n = m;
	}
	for (i = 0; i < n; i++)
		put_cp(w, s[i]);
	w->segn = 0;
}

/* With an empty separator, a word's first starter may compose with the
 * last character of the word before (Hangul jamo): compose it now, or the
 * slug of the slug would differ. */
static int rejoin(cd_sw *w, uint32_t c)
{
	size_t start = w->n - 1, j;
	uint32_t last, k;

	while (start > 0 && ((unsigned char)w->out[start] & 0xC0) == 0x80)
		start--;
	j = start;
	if (cd_utf8_next(w->out, w->n, &j, &last) != CD_OK || cd_uni_lookup(last)->ccc != 0)
		return 0;
	k = compose_pair(last, c);
	if (!k)
		return 0;
	w->n = start;
	w->word_begin = start;
	w->word_sep = start;
	w->seg[0] = k;
	w->segn = 1;
	return 1;
}

static void push_one(cd_sw *w, uint32_t c)
{
	const cd_uni_record *r = cd_uni_lookup(c);
	if (w->lower)
		c = (uint32_t)((int32_t)c + r->lower_delta);
	if (r->ccc == 0) {
		uint32_t k;
		if (w->segn == 1 && (k = compose_pair(w->seg[0], c)) != 0) {
			w->seg[0] = k;
			return;
		}
		cd_uni_flush(w);
		if (w->seplen == 0 && w->n > 0 && w->n == w->word_begin && rejoin(w, c))
			return;
	} else if (w->segn == CD_SEG_MAX) {
		cd_uni_flush(w);
	}
	w->seg[w->segn++] = c;
}

void cd_uni_push(cd_sw *w, uint32_t cp)
{
	const cd_uni_record *r;
	unsigned i;

	if (w->turkish && w->lower) {
		if (cp == 'I')
			cp = 0x131;
		else if (cp == 0x130)
			cp = 'i';
	}
	r = cd_uni_lookup(cp);
	if (r->decomp_len == 0) {
		push_one(w, cp);
		return;
	}
	for (i = 0; i < r->decomp_len; i++)
		push_one(w, cd_uni_decomp[r->decomp + i]);
}
