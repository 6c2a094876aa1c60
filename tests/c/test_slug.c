/* Unit tests of cd_slugify and its options through the C API. */
#include <stdlib.h>

#include "copydesk.h"
#include "slug_internal.h"
#include "unit.h"

static char out[8192];
static size_t out_len;

/* slug of s with opt (NULL: defaults), as a NUL-terminated string */
static const char *slug(const char *s, const cd_slug_options *opt)
{
	cd_status st = cd_slugify(s, strlen(s), opt, out, sizeof out - 1, &out_len);
	if (st != CD_OK)
		return cd_status_code(st);
	out[out_len] = '\0';
	return out;
}

#define SLUG_IS(in, opt, want) CHECK(strcmp(slug(in, opt), want) == 0)

static void test_defaults(void)
{
	SLUG_IS("Hello, World!", NULL, "hello-world");
	SLUG_IS("  --Leading and trailing--  ", NULL, "leading-and-trailing");
	SLUG_IS("Trump\xE2\x80\x99s tariffs", NULL, "trumps-tariffs");
	SLUG_IS("It's 1,000,000 votes", NULL, "its-1000000-votes");
	SLUG_IS("Tom & Jerry", NULL, "tom-jerry");
	SLUG_IS("", NULL, "");
	SLUG_IS("\xF0\x9F\x98\x80 \xE2\x9D\xA4", NULL, "");
	SLUG_IS("a\0b", NULL, "a");
}

static void test_nul_bytes(void)
{
	cd_status st = cd_slugify("a\0b", 3, NULL, out, sizeof out, &out_len);
	CHECK(st == CD_OK && out_len == 3 && memcmp(out, "a-b", 3) == 0);
}

static void test_scripts(void)
{
	SLUG_IS("\xCE\x91\xCE\xB8\xCE\xAE\xCE\xBD\xCE\xB1", NULL, "athina");
	SLUG_IS("\xD0\x95\xD0\xBB\xD1\x8C\xD1\x86\xD0\xB8\xD0\xBD", NULL, "eltsin");
	SLUG_IS("\xED\x95\x9C\xEA\xB5\xAD", NULL, "hanguk");
	SLUG_IS("\xE5\xBD\xB1\xE5\xB8\xAB\xE5\x97\x8E", NULL, "ying-shi-ma");
	SLUG_IS("Stra\xC3\x9F" "e", NULL, "strasse");
}

static void test_entities(void)
{
	SLUG_IS("caf&eacute; &amp; cr&#232;me &#x00E9;t&#xE9;", NULL, "cafe-creme-ete");
	SLUG_IS("&bogus; &#; &#xZZ;", NULL, "bogus-xzz");
}

static void test_invalid_utf8(void)
{
	CHECK(cd_slugify("ab\xFF", 3, NULL, out, sizeof out, &out_len) == CD_ERR_UTF8);
	CHECK(cd_slugify("\xED\xA0\x80", 3, NULL, out, sizeof out, &out_len) == CD_ERR_UTF8);
	CHECK(strcmp(cd_status_code(CD_ERR_UTF8), "invalid_utf8") == 0);
}

static void test_options(void)
{
	cd_slug_options o;
	const char *stops[] = { "news", "Today" };
	size_t stop_lens[] = { 4, 5 };
	const char *reps[] = { "&", " and ", "%", " percent" };
	size_t rep_lens[] = { 1, 5, 1, 8 };

	cd_slug_defaults(&o);
	o.separator = "_";
	o.separator_len = 1;
	SLUG_IS("Hello big World", &o, "hello_big_world");
	cd_slug_defaults(&o);
	o.lowercase = 0;
	SLUG_IS("Hello \xCE\x98\xCE\xB5\xCF\x8C\xCF\x82", &o, "Hello-Theos");
	cd_slug_defaults(&o);
	o.max_length = 12;
	SLUG_IS("Parliament passes the budget", &o, "parliament");
	SLUG_IS("Supercalifragilistic", &o, "supercalifra");
	cd_slug_defaults(&o);
	o.stopwords = 1;
	SLUG_IS("The state of the union", &o, "state-union");
	SLUG_IS("The A An", &o, "the-a-an");
	o.stopwords = 2;
	o.stopword_list = stops;
	o.stopword_lens = stop_lens;
	o.stopword_count = 2;
	SLUG_IS("News today: the budget", &o, "the-budget");
	cd_slug_defaults(&o);
	o.replacement_list = reps;
	o.replacement_lens = rep_lens;
	o.replacement_count = 2;
	SLUG_IS("Q&A: 5% &amp; more", &o, "q-and-a-5-percent-and-more");
	cd_slug_defaults(&o);
	o.allow_unicode = 1;
	SLUG_IS("\xCE\x91\xCE\xB8\xCE\xAE\xCE\xBD\xCE\xB1 Caf\x65\xCC\x81!", &o,
		"\xCE\xB1\xCE\xB8\xCE\xAE\xCE\xBD\xCE\xB1-caf\xC3\xA9");
}

static void test_option_errors(void)
{
	cd_slug_options o;
	const char *reps[] = { "", "x" };
	size_t rep_lens[] = { 0, 1 };

	cd_slug_defaults(&o);
	o.locale = "xx";
	o.locale_len = 2;
	SLUG_IS("M\xC3\xBCller", &o, "muller"); /* a language without a table */
	o.locale = "DE-at";
	o.locale_len = 5;
	SLUG_IS("M\xC3\xBCller", &o, "mueller");
	cd_slug_defaults(&o);
	o.separator = "x";
	CHECK(cd_slugify("a", 1, &o, out, sizeof out, &out_len) == CD_ERR_SEPARATOR);
	CHECK(strcmp(cd_status_code(CD_ERR_SEPARATOR), "invalid_separator") == 0);
	cd_slug_defaults(&o);
	o.replacement_list = reps;
	o.replacement_lens = rep_lens;
	o.replacement_count = 1;
	CHECK(cd_slugify("a", 1, &o, out, sizeof out, &out_len) == CD_OK); /* ignored */
	reps[0] = "\xFF";
	rep_lens[0] = 1;
	CHECK(cd_slugify("a", 1, &o, out, sizeof out, &out_len) == CD_ERR_UTF8);
	o.replacement_list = NULL;
	CHECK(cd_slugify("a", 1, &o, out, sizeof out, &out_len) == CD_ERR_ARG);
}

static void test_locales(void)
{
	cd_slug_options o;
	cd_slug_defaults(&o);
	o.locale = "de";
	o.locale_len = 2;
	SLUG_IS("M\xC3\xBCller \xC3\x96l", &o, "mueller-oel");
	o.locale = "uk";
	SLUG_IS("\xD0\x9A\xD0\xB8\xD1\x97\xD0\xB2", &o, "kyiv");
	o.locale = "bg";
	SLUG_IS("\xD0\xA1\xD0\xBE\xD1\x84\xD0\xB8\xD1\x8F", &o, "sofiya");
}

static void test_small_buffers(void)
{
	const char *s = "\xED\x95\x9C\xEA\xB5\xAD \xE5\xBD\xB1\xE5\xB8\xAB hello world";
	size_t len = strlen(s), cap, bound = cd_slug_bound(len, NULL);
	char *buf;
	/* every capacity below the need reports CD_ERR_SPACE, never overflows */
	for (cap = 0; cap <= bound; cap++) {
		cd_status st;
		buf = malloc(cap ? cap : 1);
		st = cd_slugify(s, len, NULL, buf, cap, &out_len);
		CHECK(st == CD_OK || st == CD_ERR_SPACE);
		if (cap == bound)
			CHECK(st == CD_OK);
		free(buf);
	}
}

static void test_idempotent(void)
{
	static const char *const samples[] = {
		"Hello, World!", "\xCE\x91\xCE\xB8\xCE\xAE\xCE\xBD\xCE\xB1 2026", "a--b__c",
		"\xED\x95\x9C\xEA\xB5\xAD \xEC\x8B\xA0\xEB\x9D\xBC", "x&amp;y",
	};
	size_t i;
	char first[256];
	for (i = 0; i < sizeof samples / sizeof samples[0]; i++) {
		strcpy(first, slug(samples[i], NULL));
		CHECK(strcmp(slug(first, NULL), first) == 0);
	}
}

/* The hot loop (runs of ASCII letters eight at a time, runs of two-byte
 * letters) agrees with the careful path (taken for two-byte separators) on
 * every prefix of mixed text, runs ending at every offset. */
static void test_fast_runs_agree(void)
{
	static const char *const samples[] = {
		"ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghijklmnopqrstuvwxyz 0123456789x",
		"Stra\xC3\x9F" "enbahnHaltestelleN \xC3\x89t\xC3\xA9 Wa\xC5\x82" "brzych",
		"\xD0\xBC\xD0\xB8\xD0\xBD\xD0\xB8\xD1\x81\xD1\x82\xD1\x80\xD0\xB0\xD1\x81" "ABC"
		"\xD0\xA9\xD0\xB8 \xCE\xB8\xCE\xB5\xCF\x83\xCF\x83\xCE\xB1\xCE\xBB\xCE\xBF\xCE\xBD"
		"\xCE\xAF\xCE\xBA\xCE\xB7x",
		"it's l\xE2\x80\x99" "arm\xC3\xA9" "e  --  a,b 1,000,000 &amp; \xD0\xB6\xC3\x28 z",
		"\xED\x95\x9C\xEA\xB5\xAD \xEB\xB6\x81\xED\x95\x9C \xEC\xA2\x85\xEB\xA1\x9C \xEC"
		"\x8B\xA0\xEB\x9D\xBC \xEA\xB0\x99\xEC\x9D\xB4 \xEC\x97\x86\xEC\x96\xB4 \xEC\x9D"
		"\xBD\xEB\x8B\xA4 \xEA\xB0\x92\xEC\x9D\xB4 \xEB\x8B\xAD\xEA\xB3\xA0\xEA\xB8\xB0 "
		"\xEC\xA2\x8B\xEC\x95\x84\xEC\x9A\x94" "A",
	};
	cd_slug_options wide;
	char a[512], b[512], c[512];
	size_t i, k, j, n, an, bn;
	cd_slug_defaults(&wide);
	wide.separator = "--";
	wide.separator_len = 2;
	for (i = 0; i < sizeof samples / sizeof samples[0]; i++) {
		size_t len = strlen(samples[i]);
		for (k = 0; k <= len; k++) {
			cd_status sa = cd_slugify(samples[i], k, NULL, a, sizeof a, &an);
			cd_status sb = cd_slugify(samples[i], k, &wide, b, sizeof b, &bn);
			CHECK(sa == sb);
			for (j = 0, n = 0; j < bn; j++) { /* "--" -> "-" */
				c[n++] = b[j];
				if (b[j] == '-')
					j++;
			}
			CHECK(sa != CD_OK || (an == n && memcmp(a, c, n) == 0));
		}
	}
}

/* The careful path with the default shape: a stopword list (one that never
 * matches) turns the hot loop off and changes nothing else. */
static cd_status careful(const char *s, size_t len, size_t max_length, char *buf, size_t cap,
	size_t *n)
{
	static const char *const never[] = { "qqqqzzzzqqqq" };
	static const size_t never_len[] = { 12 };
	cd_slug_options o;
	cd_slug_defaults(&o);
	o.stopwords = 2;
	o.stopword_list = never;
	o.stopword_lens = never_len;
	o.stopword_count = 1;
	o.max_length = max_length;
	return cd_slugify(s, len, &o, buf, cap, n);
}

/* The hot loop and the careful path give the same slug (and status) for s
 * cut at every length, with and without max_length. */
static void agree_on_prefixes(const char *s, size_t len)
{
	char a[2048], b[2048];
	size_t k, an, bn;
	cd_slug_options o;
	cd_slug_defaults(&o);
	for (k = 0; k <= len; k++) {
		cd_status sa = cd_slugify(s, k, NULL, a, sizeof a, &an);
		cd_status sb = careful(s, k, 0, b, sizeof b, &bn);
		CHECK(sa == sb && (sa != CD_OK || (an == bn && memcmp(a, b, an) == 0)));
		if (sa != sb || (sa == CD_OK && (an != bn || memcmp(a, b, an) != 0)))
			fprintf(stderr, "  differs on %.*s\n", (int)k, s);
		/* the smallest buffer cd_slug_bound allows: the room is checked */
		sa = cd_slugify(s, k, NULL, a, cd_slug_bound(k, NULL), &an);
		CHECK(sa == sb && (sa != CD_OK || (an == bn && memcmp(a, b, an) == 0)));
		/* the defaults spelled out take run() from the start, NULL its
		 * shortcut (slugify_default): the same slug */
		o.max_length = 0;
		sa = cd_slugify(s, k, &o, a, sizeof a, &an);
		CHECK(sa == sb && (sa != CD_OK || (an == bn && memcmp(a, b, an) == 0)));
		o.max_length = 24;
		sa = cd_slugify(s, k, &o, a, sizeof a, &an);
		sb = careful(s, k, 24, b, sizeof b, &bn);
		CHECK(sa == sb && (sa != CD_OK || (an == bn && memcmp(a, b, an) == 0)));
	}
}

/* Greek digraphs (αυ ευ ηυ before voiced and voiceless letters, ου, αϋ,
 * γγ γξ γχ, μπ at a word's start and inside it, next letters from entities
 * and Greek Extended), Hangul pairs across every sound change, apostrophes,
 * & and digit commas before letters of every width, at every offset: the
 * ASCII prefix shifts each one across the hot loop's 16-byte tail. */
static void test_fast_shapes_agree(void)
{
	static const char *const shapes[] = {
		"\xCE\xB1\xCF\x85\xCE\xB3\xCE\xAE \xCE\xB5\xCF\x85\xCF\x81\xCF\x8E "
		"\xCE\xB7\xCF\x8D\xCF\x81\xCE\xB1 \xCE\xB1\xCF\x85\xCF\x84\xCF\x8C "
		"\xCE\xB5\xCF\x85\xCF\x87\xCE\xAE \xCE\xB1\xCF\x8B\xCE\xBB\xCE\xB1",
		"\xCE\xBF\xCF\x85\xCF\x81\xCE\xB1\xCE\xBD\xCF\x8C\xCF\x82 \xCE\xAC\xCE\xB3\xCE\xB3"
		"\xCE\xB5\xCE\xBB\xCE\xBF\xCF\x82 \xCF\x83\xCF\x86\xCE\xB9\xCE\xB3\xCE\xBE "
		"\xCE\xB3\xCF\x87 \xCE\xBC\xCF\x80\xCE\xAC\xCE\xBB\xCE\xB1 \xCE\x9C\xCF\x80 "
		"\xCE\xBB\xCE\xB1\xCE\xBC\xCF\x80 \xCE\xB1\xCF\x85",
		"\xCF\x8C&upsilon;\xCE\xBC&pi; \xCE\xB3&xi; \xCE\xB1\xCF\x85&alpha; "
		"\xCE\xB1\xE1\xBD\x91 \xCE\xB1\xCF\x85\xE1\xBC\x80 \xCE\xB1\xCF\x85\xE2\x80\x94"
		"\xCE\xBF\xCE\xB5\xCE\xB7",
		"\xED\x95\x9C\xEA\xB5\xAD\xEB\xB6\x81\xED\x95\x9C\xEC\xA2\x85\xEB\xA1\x9C\xEC\x8B"
		"\xA0\xEB\x9D\xBC\xEA\xB0\x99\xEC\x9D\xB4\xEC\x97\x86\xEC\x96\xB4\xEC\x9D\xBD\xEB"
		"\x8B\xA4\xEA\xB0\x92\xEC\x9D\xB4\xEB\x8B\xAD\xEA\xB3\xA0\xEC\xA2\x8B\xEC\x95\x84"
		"\xEC\x9A\x94\xEB\xAC\xBC\xEB\x86\x80\xEC\x9D\xB4 \xEA\xB0\x80&#xAC00;\xEA\xB0\x81"
		"&amp;\xEA\xB0\x80",
		"l'\xC3\xA9t\xC3\xA9 l\xE2\x80\x99\xC3\x89t\xC3\xA9 d'\xE1\xBA\xA1 x'\xE4\xB8\xAD "
		"y\xE2\x80\x99\xE3\x82\xA2 a&b a&\xC3\xA9 a&amp;b a&amp;\xD0\xB6 &eacute;t "
		"1,000 1,0000 a,000 9,99 x&#233; 1,000,",
		"march\xC3\xA9s \xC3\xA9lection : vote -- x \xE2\x80\x94 y  \xC3\xA9t\xC3\xA9 Trump\xE2\x80\x99s "
		"it's \xC3\xA9'a l\xE2\x80\x99\xC3\xA9 \xD0\xBC\xD0\xB8 \xD1\x80 ab\xD0\xB6" "cd\xC3\xA9 ..x.. ,y, "
		"&#33; 12345678901234567890abc \xC3\xA9\xC3\xA9 a",
		"\xE4\xB8\xAD\xE5\x9C\x8B\xE5\xBD\xB1 \xE3\x82\xAD\xE3\x83\xA3\xE3\x83\x83\xE3\x83"
		"\x88 \xE1\xBA\xBF\xE1\xBB\x99 \xC2\xAD\xE2\x80\x8B \xC3\x28 \xE2\x80 \xFF \xED\xA0"
		"\x80 \xC0\xAF \xF0\x9F\x98\x80\xF0\xA0\x80\x80",
	};
	static const char pad[] = "Abcdefghijklmnopqrs ";
	char buf[600];
	size_t i, k;
	for (i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
		for (k = 0; k < 20; k++) {
			size_t len = strlen(shapes[i]);
			memcpy(buf, pad + 20 - k, k);
			memcpy(buf + k, shapes[i], len);
			agree_on_prefixes(buf, k + len);
		}
	}
}

/* The hot loop and the careful path agree on s as a whole: with room for
 * anything, with the smallest buffer, through run() and with max_length. */
static int agree_once(const char *s, size_t len)
{
	char a[512], b[512];
	size_t an, bn;
	cd_status sa, sb;
	cd_slug_options o;
	int ok;
	cd_slug_defaults(&o);
	sb = careful(s, len, 0, b, sizeof b, &bn);
	sa = cd_slugify(s, len, NULL, a, sizeof a, &an);
	ok = sa == sb && (sa != CD_OK || (an == bn && memcmp(a, b, an) == 0));
	sa = cd_slugify(s, len, NULL, a, cd_slug_bound(len, NULL), &an);
	ok = ok && sa == sb && (sa != CD_OK || (an == bn && memcmp(a, b, an) == 0));
	sa = cd_slugify(s, len, &o, a, sizeof a, &an);
	ok = ok && sa == sb && (sa != CD_OK || (an == bn && memcmp(a, b, an) == 0));
	o.max_length = 7;
	sa = cd_slugify(s, len, &o, a, sizeof a, &an);
	sb = careful(s, len, 7, b, sizeof b, &bn);
	ok = ok && sa == sb && (sa != CD_OK || (an == bn && memcmp(a, b, an) == 0));
	if (!ok)
		fprintf(stderr, "  differs on %.*s\n", (int)len, s);
	return ok;
}

/* Every pair of Greek letters that may make a digraph or not (bare, with
 * tonos, diaeresis, capitals, symbol forms), followed by every one of them,
 * by the end of input, an entity, Greek Extended, a space and a word, a
 * non-Greek letter, a mark, punctuation of the Greek block, invalid bytes;
 * at a word's start, inside a word, after a space, and with Greek after it
 * so that the hot loop's 16-byte tail falls at each of the letters. */
static void test_fast_greek_pairs_agree(void)
{
	static const char *const letters[] = {
		"\xCE\xB1", "\xCE\xAC", "\xCE\x91", "\xCE\x86", "\xCE\xB5", "\xCE\xAD", "\xCE\xB7",
		"\xCE\xAE", "\xCE\x97", "\xCE\xBF", "\xCF\x8C", "\xCE\x9F", "\xCF\x85", "\xCF\x8D",
		"\xCF\x8B", "\xCE\xB0", "\xCE\xA5", "\xCE\xAB", "\xCF\x92", "\xCF\x94", "\xCE\xB3",
		"\xCE\x93", "\xCE\xBE", "\xCF\x87", "\xCF\x80", "\xCE\xA0", "\xCF\x96", "\xCE\xBC",
		"\xCE\x9C", "\xCE\xB2", "\xCE\xBA", "\xCE\xB9", "\xCF\x8A", "\xCF\x89", "\xCF\x82",
		"\xCE\xB8", "\xCF\x88", "\xCE\xB4",
	};
	static const char *const others[] = {
		"", "&upsilon;", "&pi;", "&gamma;", "&amp;", "&", "&#965;", "\xE1\xBD\x91",
		"\xE1\xBC\x80", "\xE1\xBA\xA1", " \xCE\xB1", " \xCE\xBC\xCF\x80", "  \xCE\xBF", " a", "a",
		"1", "\xC3\xA9", "\xD0\xB6", "\xCC\x81", "\xCE", "\xCE\x28", "\xCD\xBE", "\xCE\x87",
		"\xCD\xB1", "-", "'", "\xE2\x80\x99", "\xE2\x80\x94",
	};
	static const char *const before[] = { "", "\xCE\xBB", "ab ", "\xCE\xB1", "\xCE\xBF " };
	static const char tail[] = "\xCE\xBB\xCE\xBB\xCE\xBB\xCE\xBB\xCE\xBB\xCE\xBB\xCE\xBB";
	const size_t nl = sizeof letters / sizeof letters[0], no = sizeof others / sizeof others[0];
	size_t x, y, z, b, k, bad = 0;
	char buf[128];
	for (x = 0; x < nl; x++)
		for (y = 0; y <= nl; y++) /* (nl: the letter alone) */
			for (z = 0; z < nl + no; z++) {
				const char *third = z < nl ? letters[z] : others[z - nl];
				for (b = 0; b < sizeof before / sizeof before[0]; b++) {
					size_t len = 0;
					k = (x + y + z + b) % 8; /* Greek letters after: 0..7 */
					len += (size_t)sprintf(buf, "%s%s%s%s", before[b], letters[x],
						y < nl ? letters[y] : "", third);
					memcpy(buf + len, tail, 2 * k);
					if (!agree_once(buf, len) || !agree_once(buf, len + 2 * k))
						bad++;
				}
			}
	CHECK(bad == 0);
}

/* Random mixes of the same pieces, with invalid bytes now and then. */
static void test_fast_random_mixes_agree(void)
{
	static const char *const pieces[] = {
		"a", "Bc", "Z", "0", "9", "word", "  ", " ", ",", "'", "\xE2\x80\x99", "&", "&amp;",
		"&eacute;", "&#233;", "&pi;", ";", "#", "1,000", "-", "!", "\x01",
		"\xCE\xB1", "\xCE\xB3", "\xCE\xB5", "\xCE\xB7", "\xCE\xBC", "\xCE\xBF", "\xCF\x85",
		"\xCF\x8D", "\xCF\x8B", "\xCF\x80", "\xCE\xBE", "\xCF\x87", "\xCE\xB2", "\xCE\x91",
		"\xE1\xBC\x80", "\xED\x95\x9C", "\xEA\xB5\xAD", "\xEB\xB6\x81", "\xEB\x9D\xBC",
		"\xEC\x9D\xB4", "\xEA\xB0\x99", "\xEC\xA2\x8B", "\xE4\xB8\xAD", "\xE3\x82\xA2",
		"\xE3\x83\x83", "\xC3\xA9", "\xC3\x9F", "\xC5\x82", "\xC4\x91", "\xE1\xBA\xA1",
		"\xD0\xB6", "\xD1\x8A", "\xD1\x8C", "\xD0\xB4\xD1\x8C\xD0\xB5", "\xC3\xA9\xC2\xAD",
		"\xE2\x80\x94", "\xC2\xAB", "\xC2\xAD", "\xF0\x9F\x98\x80",
		"\xC3", "\xFF", "\xE2\x80",
	};
	const size_t np = sizeof pieces / sizeof pieces[0];
	unsigned long x = 2026;
	char buf[400];
	char a[2048], b[2048];
	int t, rounds = getenv("CD_VALGRIND") ? 300 : 3000;
	cd_slug_options o;
	cd_slug_defaults(&o);
	for (t = 0; t < rounds; t++) {
		size_t len = 0, an, bn;
		int m, parts;
		cd_status sa, sb;
		x = x * 6364136223846793005ul + 1442695040888963407ul;
		parts = (int)((x >> 33) % 40);
		for (m = 0; m < parts; m++) {
			const char *pc;
			x = x * 6364136223846793005ul + 1442695040888963407ul;
			pc = pieces[(x >> 33) % np];
			if (len + strlen(pc) >= sizeof buf)
				break;
			memcpy(buf + len, pc, strlen(pc));
			len += strlen(pc);
		}
		sa = cd_slugify(buf, len, NULL, a, sizeof a, &an);
		sb = careful(buf, len, 0, b, sizeof b, &bn);
		CHECK(sa == sb && (sa != CD_OK || (an == bn && memcmp(a, b, an) == 0)));
		sa = cd_slugify(buf, len, &o, a, sizeof a, &an); /* run() from the start */
		CHECK(sa == sb && (sa != CD_OK || (an == bn && memcmp(a, b, an) == 0)));
		o.max_length = 1 + (size_t)(x >> 40) % 70; /* word ends inside 16-byte pieces */
		sa = cd_slugify(buf, len, &o, a, sizeof a, &an);
		sb = careful(buf, len, o.max_length, b, sizeof b, &bn);
		CHECK(sa == sb && (sa != CD_OK || (an == bn && memcmp(a, b, an) == 0)));
		o.max_length = 0;
	}
}

/* max_length where the last word that fits ends in the hot loop, in a
 * sixteen-byte piece with other word ends, and a long word follows. */
static void test_fast_max_length_agree(void)
{
	static const char *const heads[] = { "ab cd ef gh ij ", "a b c d e f g h i j k l ",
		"x y zz, w--v u: ", "\xC3\xA9t\xC3\xA9 ab cd ef ", "one two  three four five six " };
	char buf[200], a[512], b[512];
	size_t h, m, an, bn;
	cd_slug_options o;
	cd_slug_defaults(&o);
	for (h = 0; h < sizeof heads / sizeof heads[0]; h++) {
		size_t len = strlen(heads[h]);
		memcpy(buf, heads[h], len);
		memset(buf + len, 'q', 60);
		for (m = 1; m < len + 70; m++) {
			cd_status sa, sb;
			o.max_length = m;
			sa = cd_slugify(buf, len + 60, &o, a, sizeof a, &an);
			sb = careful(buf, len + 60, m, b, sizeof b, &bn);
			CHECK(sa == sb && an == bn && memcmp(a, b, an) == 0);
		}
	}
}

/* The hot loop's sixteen-byte step: the SSE2 and eight-byte variants give
 * what the byte-at-a-time reference gives, for every kind of byte. */
static void test_ascii16_variants_agree(void)
{
	static const unsigned char pick[] = { 0, 1, ' ', '!', '&', '\'', ',', '-', '.', '/', '0',
		'5', '9', ':', '@', 'A', 'M', 'Z', '[', '`', 'a', 'q', 'z', '{', 0x7F, 0x80, 0xBF,
		0xC3, 0xD0, 0xE1, 0xFF };
	unsigned long x = 16;
	int t, k;
	for (t = 0; t < 20000; t++) {
		unsigned char src[16];
		char want[16], got[16];
		unsigned ws, gs, wa, ga;
		for (k = 0; k < 16; k++) {
			x = x * 6364136223846793005ul + 1442695040888963407ul;
			src[k] = (x >> 60) < 12 ? pick[(x >> 33) % sizeof pick] : (unsigned char)(x >> 41);
		}
		wa = cd_ascii16_scalar(src, want, '_', &ws);
#if CD_LE
		ga = cd_ascii16_swar(src, got, '_', &gs);
		CHECK(ga == wa && gs == ws && memcmp(got, want, 16) == 0);
#endif
#if CD_SSE2
		ga = cd_ascii16_sse2(src, got, '_', &gs);
		CHECK(ga == wa && gs == ws && memcmp(got, want, 16) == 0);
#endif
	}
}

/* The hot loop reads the byte a sixteen-byte step stops at, and the one
 * after it, before it knows the step stops: every prefix of these lines,
 * in a buffer of exactly its length (ASan sees a byte read past it), gives
 * the slug of the same bytes read from a longer buffer. */
static void test_exact_buffers(void)
{
	static const char *const lines[] = {
		"Milliers logement march\xC3\xA9s priv\xC3\xA9s O\xC3\xB9 gar\xC3\xA7on \xC3\xA9lection",
		"B\xC3\xA3o v\xC3\xAC th\xE1\xBB\x8B v\xC3\xAC ch\xE1\xBB\xA9\x63 h\xC3\xA0ng ph\xC3\xAA Nam",
		"abcdefghijklmno\xC3\xA9pqrstuvwxyzabcd\xE2\x80\x94\xC3\xA9 it\xE2\x80\x99s 1,000 &amp; x",
		"\xD0\xBC\xD0\xB8\xD0\xBD\xD0\xB8\xD1\x81\xD1\x82\xD1\x80 abcdefghijklmnop\xC5\x82",
	};
	size_t l, k;
	for (l = 0; l < sizeof lines / sizeof lines[0]; l++) {
		size_t len = strlen(lines[l]);
		for (k = 0; k <= len; k++) {
			char *copy = malloc(k ? k : 1), a[512], b[512];
			size_t an, bn;
			cd_status sa, sb;
			memcpy(copy, lines[l], k);
			sa = cd_slugify(copy, k, NULL, a, sizeof a, &an);
			sb = cd_slugify(lines[l], k, NULL, b, sizeof b, &bn);
			CHECK(sa == sb && (sa != CD_OK || (an == bn && memcmp(a, b, an) == 0)));
			free(copy);
		}
	}
}

int main(void)
{
	RUN(test_defaults);
	RUN(test_nul_bytes);
	RUN(test_scripts);
	RUN(test_entities);
	RUN(test_invalid_utf8);
	RUN(test_options);
	RUN(test_option_errors);
	RUN(test_locales);
	RUN(test_small_buffers);
	RUN(test_idempotent);
	RUN(test_fast_runs_agree);
	RUN(test_fast_shapes_agree);
	RUN(test_fast_greek_pairs_agree);
	RUN(test_fast_random_mixes_agree);
	RUN(test_fast_max_length_agree);
	RUN(test_ascii16_variants_agree);
	RUN(test_exact_buffers);
	return unit_report();
}
