/* Unit tests of the UTF-8 core: every kind of ill-formed input is rejected
 * at the right offset, every scalar value is accepted. */
#include "copydesk.h"
#include "unit.h"

static int rejects_at(const char *s, size_t len, size_t want)
{
	size_t bad = (size_t)-1;
	return cd_utf8_validate(s, len, &bad) == CD_ERR_UTF8 && bad == want;
}

#define REJECTS_AT(lit, off) rejects_at(lit, sizeof(lit) - 1, off)
#define ACCEPTS(lit) (cd_utf8_validate(lit, sizeof(lit) - 1, NULL) == CD_OK)

static void test_accepts_ascii_and_empty(void)
{
	CHECK(cd_utf8_validate("", 0, NULL) == CD_OK);
	CHECK(ACCEPTS("Seoul talks resume after a long pause"));
	CHECK(ACCEPTS("a\0b")); /* NUL is a valid code point */
}

static void test_accepts_every_scalar_value(void)
{
	uint32_t cp;
	char buf[4];
	int bad = 0;

	for (cp = 0; cp <= 0x10FFFF; cp++) {
		size_t n = cd_utf8_encode(cp, buf), pos = 0;
		uint32_t back = 0;
		if (cp >= 0xD800 && cp <= 0xDFFF) {
			if (n != 0)
				bad++;
			continue;
		}
		if (n == 0 || cd_utf8_validate(buf, n, NULL) != CD_OK)
			bad++;
		else if (cd_utf8_next(buf, n, &pos, &back) != CD_OK || back != cp || pos != n)
			bad++;
	}
	CHECK(bad == 0);
	CHECK(cd_utf8_encode(0x110000, buf) == 0);
}

static void test_accepts_noncharacters_and_planes(void)
{
	CHECK(ACCEPTS("\xEF\xBF\xBE\xEF\xBF\xBF"));   /* U+FFFE U+FFFF */
	CHECK(ACCEPTS("\xEF\xB7\x90"));               /* U+FDD0 */
	CHECK(ACCEPTS("\xF4\x8F\xBF\xBF"));           /* U+10FFFF */
	CHECK(ACCEPTS("\xF0\x9F\x98\x80 \xF3\xA0\x80\x81")); /* planes 1, 14 */
	CHECK(ACCEPTS("\xED\x9F\xBF\xEE\x80\x80"));   /* around the surrogates */
}

static void test_rejects_overlongs(void)
{
	CHECK(REJECTS_AT("ab\xC0\x80", 2));
	CHECK(REJECTS_AT("\xC1\xBF", 0));
	CHECK(REJECTS_AT("x\xE0\x80\xAF", 1));
	CHECK(REJECTS_AT("\xE0\x9F\xBF", 0));
	CHECK(REJECTS_AT("xyz\xF0\x80\x80\xAF", 3));
	CHECK(REJECTS_AT("\xF0\x8F\xBF\xBF", 0));
}

static void test_rejects_surrogates(void)
{
	CHECK(REJECTS_AT("\xED\xA0\x80", 0));        /* U+D800 */
	CHECK(REJECTS_AT("ok \xED\xBF\xBF", 3));     /* U+DFFF */
	CHECK(REJECTS_AT("\xED\xA0\xBD\xED\xB8\x80", 0)); /* CESU-8 pair */
}

static void test_rejects_beyond_unicode(void)
{
	CHECK(REJECTS_AT("\xF4\x90\x80\x80", 0));    /* U+110000 */
	CHECK(REJECTS_AT("a\xF5\x80\x80\x80", 1));
	CHECK(REJECTS_AT("\xF8\x88\x80\x80\x80", 0)); /* 5-byte form */
	CHECK(REJECTS_AT("\xFC\x84\x80\x80\x80\x80", 0));
	CHECK(REJECTS_AT("\xFE", 0));
	CHECK(REJECTS_AT("\xFF", 0));
}

static void test_rejects_truncated_and_stray(void)
{
	CHECK(REJECTS_AT("abc\xC3", 3));
	CHECK(REJECTS_AT("abc\xE2\x82", 3));
	CHECK(REJECTS_AT("\xF0\x9F\x98", 0));
	CHECK(REJECTS_AT("\xE2\x82" "A", 0));       /* interrupted */
	CHECK(REJECTS_AT("\xC3\xA9\x80", 2));        /* stray continuation */
	CHECK(REJECTS_AT("0123456789abcdef\xBF", 16)); /* after the ASCII fast path */
	CHECK(REJECTS_AT("0123456\xC3(", 7));
}

/* Reference: decode by bit patterns, then judge the value. */
static int reference_valid(const unsigned char *p, size_t n)
{
	uint32_t cp;
	size_t i, need;

	if (p[0] < 0x80)
		return n == 1;
	if ((p[0] & 0xE0) == 0xC0)
		need = 2, cp = p[0] & 0x1F;
	else if ((p[0] & 0xF0) == 0xE0)
		need = 3, cp = p[0] & 0x0F;
	else if ((p[0] & 0xF8) == 0xF0)
		need = 4, cp = p[0] & 0x07;
	else
		return 0;
	if (n != need)
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3F);
	}
	if ((need == 2 && cp < 0x80) || (need == 3 && cp < 0x800) ||
	    (need == 4 && cp < 0x10000))
		return 0;
	return cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF);
}

static void test_agrees_with_reference_on_all_short_sequences(void)
{
	unsigned char b[3];
	unsigned long disagree = 0;
	unsigned a, c, d;

	for (a = 0; a < 256; a++) {
		b[0] = (unsigned char)a;
		if ((cd_utf8_validate((char *)b, 1, NULL) == CD_OK) != reference_valid(b, 1))
			disagree++;
		for (c = 0; c < 256; c++) {
			b[1] = (unsigned char)c;
			/* A valid 1-byte prefix followed by anything is judged per byte. */
			if (a >= 0x80 &&
			    (cd_utf8_validate((char *)b, 2, NULL) == CD_OK) != reference_valid(b, 2))
				disagree++;
			if (a < 0xE0 || a > 0xEF)
				continue;
			for (d = 0; d < 256; d++) {
				b[2] = (unsigned char)d;
				if ((cd_utf8_validate((char *)b, 3, NULL) == CD_OK) != reference_valid(b, 3))
					disagree++;
			}
		}
	}
	CHECK(disagree == 0);
}

static void test_next_leaves_position_on_error(void)
{
	const char s[] = "\xC3\xA9\xE2\x82";
	size_t pos = 0;
	uint32_t cp = 0;

	CHECK(cd_utf8_next(s, 4, &pos, &cp) == CD_OK && cp == 0xE9 && pos == 2);
	CHECK(cd_utf8_next(s, 4, &pos, &cp) == CD_ERR_UTF8 && pos == 2 && cp == 0xE9);
	pos = 4;
	CHECK(cd_utf8_next(s, 4, &pos, &cp) == CD_ERR_ARG);
}

static void test_status_codes_have_names(void)
{
	CHECK(strcmp(cd_status_code(CD_ERR_UTF8), "invalid_utf8") == 0);
	CHECK(strcmp(cd_status_code(CD_OK), "ok") == 0);
	CHECK(strcmp(cd_status_code((cd_status)999), "unknown") == 0);
}

int main(void)
{
	RUN(test_accepts_ascii_and_empty);
	RUN(test_accepts_every_scalar_value);
	RUN(test_accepts_noncharacters_and_planes);
	RUN(test_rejects_overlongs);
	RUN(test_rejects_surrogates);
	RUN(test_rejects_beyond_unicode);
	RUN(test_rejects_truncated_and_stray);
	RUN(test_agrees_with_reference_on_all_short_sequences);
	RUN(test_next_leaves_position_on_error);
	RUN(test_status_codes_have_names);
	return unit_report();
}
