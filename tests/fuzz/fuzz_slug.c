/*
 * libFuzzer harness of cd_slugify. The first four bytes choose the options
 * (case, allow_unicode, stopwords, replacements, max_length, locale,
 * separator); the rest is the headline. Checks: invalid UTF-8 is reported
 * exactly when cd_utf8_validate says so; the output fits cd_slug_bound (the
 * buffer is exactly that big, so ASan sees any overflow) and max_length;
 * an ASCII slug holds only letters, digits and separator bytes, never at its
 * ends; slugify is idempotent; the hot loop agrees with the careful path; a
 * small buffer gives CD_ERR_SPACE, not harm.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "copydesk.h"

static const char *const locales[] = { NULL, "de", "da", "nb", "sv", "fi", "sr", "ru", "uk", "bg",
	"tr", "vi" };
static const char *const separators[] = { "-", "_", "", "--", "\xC2\xB7", "~.~" };
static const char *const stops[] = { "the", "a", "news" };
static const size_t stop_lens[] = { 3, 1, 4 };
static const char *const reps[] = { "&", " and ", "%", "percent", "", "x", "\xE2\x9D\xA4", "love" };
static const size_t rep_lens[] = { 1, 5, 1, 7, 0, 1, 3, 4 };

static int alnum(unsigned char c)
{
	return (c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'z');
}

/* The slug of in[0..len) in a buffer of cd_slug_bound's size (the
 * caller frees it). */
static char *slug_of(const char *in, size_t len, const cd_slug_options *o, cd_status *st,
	size_t *n)
{
	size_t bound = cd_slug_bound(len, o);
	char *buf = malloc(bound ? bound : 1);
	if (!buf)
		abort();
	*st = cd_slugify(in, len, o, buf, bound, n);
	return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cd_slug_options o;
	const char *in;
	size_t len, bound, n = 0, n2 = 0, i, small;
	char *out, *again;
	cd_status st, st2;
	int utf8_ok;

	if (size < 4)
		return 0;
	cd_slug_defaults(&o);
	o.lowercase = !(data[0] & 1);
	o.allow_unicode = (data[0] >> 1) & 1;
	o.stopwords = (data[0] >> 2) % 3;
	if (o.stopwords == 2) {
		o.stopword_list = stops;
		o.stopword_lens = stop_lens;
		o.stopword_count = 3;
	}
	if (data[0] & 0x20) {
		o.replacement_list = reps;
		o.replacement_lens = rep_lens;
		o.replacement_count = 4;
	}
	o.max_length = data[1] & 0x80 ? data[1] & 0x3F : 0;
	o.locale = locales[data[2] % (sizeof locales / sizeof locales[0])];
	o.locale_len = o.locale ? strlen(o.locale) : 0;
	o.separator = separators[data[3] % (sizeof separators / sizeof separators[0])];
	o.separator_len = strlen(o.separator);
	in = (const char *)data + 4;
	len = size - 4;

	bound = cd_slug_bound(len, &o);
	out = malloc(bound ? bound : 1);
	if (!out)
		return 0;
	st = cd_slugify(in, len, &o, out, bound, &n);
	utf8_ok = cd_utf8_validate(in, len, NULL) == CD_OK;
	if (st != CD_OK && st != CD_ERR_UTF8)
		abort();
	if ((st == CD_ERR_UTF8) == utf8_ok)
		abort();
	if (st == CD_OK) {
		if (n > bound || (o.max_length && n > o.max_length))
			abort();
		if (cd_utf8_validate(out, n, NULL) != CD_OK)
			abort();
		if (!o.allow_unicode) {
			for (i = 0; i < n; i++)
				if (!alnum((unsigned char)out[i]) && !memchr(o.separator, out[i], o.separator_len))
					abort();
			if (n && (!alnum((unsigned char)out[0]) || !alnum((unsigned char)out[n - 1])))
				abort();
			if (o.lowercase)
				for (i = 0; i < n; i++)
					if (out[i] >= 'A' && out[i] <= 'Z')
						abort();
		}
		/* idempotent (replacements may apply again, so without them) */
		if (!o.replacement_count) {
			again = slug_of(out, n, &o, &st2, &n2);
			if (st2 != CD_OK || n2 != n || memcmp(out, again, n) != 0)
				abort();
			free(again);
		}
		/* the hot loop agrees with the careful path, which a stopword that
		 * never matches selects without changing anything else */
		if (!o.stopwords && !o.allow_unicode && o.separator_len == 1) {
			static const char *const never[] = { "qqqqzzzzqqqq" };
			static const size_t never_len[] = { 12 };
			cd_slug_options c = o;
			size_t n3 = 0;
			char *ref;
			c.stopwords = 2;
			c.stopword_list = never;
			c.stopword_lens = never_len;
			c.stopword_count = 1;
			ref = slug_of(in, len, &c, &st2, &n3);
			if (st2 != CD_OK || n3 != n || memcmp(out, ref, n) != 0)
				abort();
			free(ref);
		}
		/* a buffer too small is refused, never overrun */
		small = n / 2;
		if (small < bound) {
			char *tiny = malloc(small ? small : 1);
			if (!tiny)
				abort();
			st2 = cd_slugify(in, len, &o, tiny, small, &n2);
			if (st2 != CD_OK && st2 != CD_ERR_SPACE)
				abort();
			free(tiny);
		}
	}
	free(out);
	return 0;
}
