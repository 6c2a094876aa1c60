/*
 * libFuzzer harness of the UTF-8 core: cd_utf8_validate must agree, result
 * and offset, with a reference decoder written here a different way (count
 * the lead byte's ones, gather, then reject overlong/surrogate/too-large
 * values); cd_utf8_next must walk the same code points and cd_utf8_encode
 * must give their bytes back. The ASCII fast path is checked at every
 * alignment.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "copydesk.h"

/* Length of the well-formed sequence at s (0 if ill-formed); sets *cp. */
static size_t ref_decode(const uint8_t *s, size_t avail, uint32_t *cp)
{
	static const uint32_t min_for_len[5] = { 0, 0, 0x80, 0x800, 0x10000 };
	size_t n = 0, i;
	uint32_t c;

	while (n < 8 && (s[0] & (0x80u >> n)))
		n++;
	if (n == 0) {
		*cp = s[0];
		return 1;
	}
	if (n == 1 || n > 4 || avail < n)
		return 0;
	c = s[0] & (0xFFu >> (n + 1));
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	if (c < min_for_len[n] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return n;
}

/*
 * The reference treats a truncated sequence as ill-formed at its lead byte,
 * like Unicode's "maximal subpart" rule does for the first error, so the
 * first bad offset is where ref_decode first returns 0.
 */
static int ref_validate(const uint8_t *s, size_t len, size_t *bad)
{
	size_t i = 0, n;
	uint32_t cp;

	while (i < len) {
		n = ref_decode(s + i, len - i, &cp);
		if (n == 0) {
			*bad = i;
			return 0;
		}
		i += n;
	}
	return 1;
}

static void check_walk(const char *s, size_t len, int valid, size_t ref_bad)
{
	size_t pos = 0, before, n;
	uint32_t cp, ref_cp;
	char enc[4];

	while (pos < len) {
		before = pos;
		cp = 0xFFFFFFFFu;
		if (cd_utf8_next(s, len, &pos, &cp) != CD_OK) {
			/* stops exactly at the first bad byte, state untouched */
			if (valid || before != ref_bad || pos != before || cp != 0xFFFFFFFFu)
				abort();
			return;
		}
		n = ref_decode((const uint8_t *)s + before, len - before, &ref_cp);
		if (n == 0 || n != pos - before || ref_cp != cp)
			abort();
		if (cd_utf8_encode(cp, enc) != n || memcmp(enc, s + before, n) != 0)
			abort();
	}
	if (!valid)
		abort(); /* walked past the first bad offset */
	if (cd_utf8_next(s, len, &pos, &cp) != CD_ERR_ARG)
		abort();
}

/* Every 4 bytes of input as a code point: encode and decode it back. */
static void check_encode(const uint8_t *data, size_t size)
{
	size_t i, n, pos;
	uint32_t cp, back;
	char enc[4];

	for (i = 0; i + 4 <= size; i += 4) {
		memcpy(&cp, data + i, 4);
		if (i % 8 == 0)
			cp &= 0x1FFFFF; /* half of them near the valid range */
		n = cd_utf8_encode(cp, enc);
		if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
			if (n != 0)
				abort();
			continue;
		}
		if (n < 1 || n > 4 || cd_utf8_validate(enc, n, NULL) != CD_OK)
			abort();
		pos = 0;
		if (cd_utf8_next(enc, n, &pos, &back) != CD_OK || back != cp || pos != n)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t bad = (size_t)-1, ref_bad = (size_t)-1, shift;
	int valid = ref_validate(data, size, &ref_bad);
	cd_status st = cd_utf8_validate((const char *)data, size, &bad);
	char *copy;

	if (valid ? st != CD_OK : (st != CD_ERR_UTF8 || bad != ref_bad))
		abort();
	if (cd_utf8_validate((const char *)data, size, NULL) != st)
		abort();
	check_walk((const char *)data, size, valid, ref_bad);
	check_encode(data, size);

	/* The eight-bytes-at-a-time ASCII skip must not depend on alignment. */
	copy = malloc(size + 8);
	if (copy == NULL)
		return 0;
	for (shift = 1; shift < 8; shift++) {
		memcpy(copy + shift, data, size);
		bad = (size_t)-1;
		if (cd_utf8_validate(copy + shift, size, &bad) != st || (!valid && bad != ref_bad))
			abort();
	}
	free(copy);
	return 0;
}
