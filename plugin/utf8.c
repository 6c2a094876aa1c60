/*
 * Strict UTF-8 decoding and validation (Unicode 15, table 3-7). It rejects
 * overlongs, surrogates, code points above U+10FFFF and truncated sequences;
 * it does not normalise or judge which characters are appropriate.
 */
#include <string.h>

#include "copydesk.h"
#include "cpu.h"

/* Length of the well-formed sequence at p (0 if ill-formed); sets *cp. */
static size_t decode_one(const unsigned char *p, size_t avail, uint32_t *cp)
{
	unsigned char b0 = p[0], lo = 0x80, hi = 0xBF;
	size_t n, i;
	uint32_t c;

	if (b0 < 0x80) {
		*cp = b0;
		return 1;
	}
	if (b0 < 0xC2 || b0 > 0xF4)
		return 0;
	if (b0 < 0xE0) {
		n = 2;
		c = b0 & 0x1F;
	} else if (b0 < 0xF0) {
		n = 3;
		c = b0 & 0x0F;
		if (b0 == 0xE0)
			lo = 0xA0; /* overlong */
		else if (b0 == 0xED)
			hi = 0x9F; /* surrogates */
	} else {
		n = 4;
		c = b0 & 0x07;
		if (b0 == 0xF0)
			lo = 0x90; /* overlong */
		else if (b0 == 0xF4)
			hi = 0x8F; /* above U+10FFFF */
	}
	if (avail < n)
		return 0;
	if (p[1] < lo || p[1] > hi)
		return 0;
	c = (c << 6) | (p[1] & 0x3F);
	for (i = 2; i < n; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3F);
	}
	*cp = c;
	return n;
}

cd_status cd_utf8_validate(const char *s, size_t len, size_t *bad_offset)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n;
	uint32_t cp;

	while (i < len) {
		/* Most copy is ASCII: skip it eight bytes at a time. */
		while (len - i >= 8) {
			uint64_t word;
			memcpy(&word, p + i, 8);
			if (word & CD_H8)
				break;
			i += 8;
		}
		if (i >= len)
			break;
		n = decode_one(p + i, len - i, &cp);
		if (n == 0) {
			if (bad_offset)
				*bad_offset = i;
			return CD_ERR_UTF8;
		}
		i += n;
	}
	return CD_OK;
}

cd_status cd_utf8_next(const char *s, size_t len, size_t *pos, uint32_t *cp)
{
	size_t n;
	uint32_t c;

	if (*pos >= len)
		return CD_ERR_ARG;
	n = decode_one((const unsigned char *)s + *pos, len - *pos, &c);
	if (n == 0)
		return CD_ERR_UTF8;
	*pos += n;
	*cp = c;
	return CD_OK;
}

size_t cd_utf8_encode(uint32_t cp, char out[4])
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp >= 0xD800 && cp <= 0xDFFF)
		return 0;
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	if (cp > 0x10FFFF)
		return 0;
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}
