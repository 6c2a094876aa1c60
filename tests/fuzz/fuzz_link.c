/*
 * libFuzzer harness of preview-link verification. The first byte picks how
 * the rest is used:
 *   0: the bytes are a token or URL, verified as they are;
 *   1: they patch an honest HMAC or Ed25519 token (position, byte pairs);
 *   2: they are a 46-byte body, signed here with the real key (independent
 *      of link.c), so the checks after the tag run on hostile fields.
 * Invariants: only a documented status comes back; a token that verifies
 * is exactly what the signer makes from its claims (no forgery, one
 * encoding per token); verified claims are those of the body.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "copydesk.h"

#define ORIGIN "https://news.example"
#define NOW 1764331200LL

static uint8_t master[32];
static cd_link_key ring[3];
static cd_verifier ver;
static cd_signer hmac_signer, ed_signer;
static char honest[2][CD_LINK_TOKEN_MAX];

static void setup(void)
{
	static int done;
	cd_link_claims c;
	size_t n, i;
	if (done)
		return;
	done = 1;
	if (sodium_init() < 0)
		abort();
	for (i = 0; i < 32; i++)
		master[i] = (uint8_t)(i * 7 + 1);
	if (cd_verifier_init(&ver, ORIGIN, strlen(ORIGIN), ring, 3, 60, 30 * 86400) != CD_OK ||
		cd_verifier_add_master(&ver, 1, CD_LINK_HMAC, master, 0) != CD_OK ||
		cd_verifier_add_master(&ver, 2, CD_LINK_ED25519, master, 0) != CD_OK ||
		cd_verifier_add_master(&ver, 3, CD_LINK_HMAC, master, 1) != CD_OK ||
		cd_signer_init(&hmac_signer, CD_LINK_HMAC, 1, master, ORIGIN, strlen(ORIGIN)) != CD_OK ||
		cd_signer_init(&ed_signer, CD_LINK_ED25519, 2, master, ORIGIN, strlen(ORIGIN)) != CD_OK)
		abort();
	memset(&c, 0, sizeof c);
	c.article = 42;
	c.iat = NOW;
	c.exp = NOW + 3600;
	if (cd_link_sign(&hmac_signer, &c, NULL, honest[0], CD_LINK_TOKEN_MAX, &n) != CD_OK ||
		cd_link_sign(&ed_signer, &c, NULL, honest[1], CD_LINK_TOKEN_MAX, &n) != CD_OK)
		abort();
}

static int documented(cd_status st)
{
	switch (st) {
	case CD_OK: case CD_LINK_MALFORMED: case CD_LINK_UNSUPPORTED_VERSION:
	case CD_LINK_UNKNOWN_KEY: case CD_LINK_KEY_MISMATCH: case CD_LINK_KEY_RETIRED:
	case CD_LINK_BAD_SIGNATURE: case CD_LINK_EXPIRED: case CD_LINK_NOT_YET_VALID:
	case CD_LINK_TTL_TOO_LONG:
		return 1;
	default:
		return 0;
	}
}

/* A verified token must be what its signer makes of its claims. */
static void resign_equals(const char *tok, size_t len, const cd_link_claims *c)
{
	cd_link_claims again = *c;
	char t[CD_LINK_TOKEN_MAX];
	size_t n = 0;
	const cd_signer *s = c->kid == 1 ? &hmac_signer : c->kid == 2 ? &ed_signer : NULL;
	if (s == NULL || cd_link_sign(s, &again, c->link_id, t, sizeof t, &n) != CD_OK)
		abort();
	if (n != len || memcmp(t, tok, len) != 0)
		abort();
}

static void check(const char *s, size_t len, int64_t now)
{
	cd_link_claims c;
	cd_status st = cd_link_verify(&ver, s, len, now, &c);
	if (!documented(st))
		abort();
	if (st == CD_OK) {
		/* the token is the part after the last '/' */
		size_t i = len;
		while (i > 0 && s[i - 1] != '/')
			i--;
		resign_equals(s + i, len - i, &c);
	}
}

static void put_be(uint8_t *p, uint64_t v, int n)
{
	while (n-- > 0) {
		p[n] = (uint8_t)v;
		v >>= 8;
	}
}

static void forge_and_check(const uint8_t *body_in, size_t n, int64_t now)
{
	uint8_t body[110], m[128 + 46], sub[32], pk[32], sk[64];
	char tok[CD_LINK_TOKEN_MAX];
	size_t mlen = 0, olen = strlen(ORIGIN);
	cd_link_claims c;
	cd_status st;
	int ed;

	memset(body, 0, sizeof body);
	memcpy(body, body_in, n < 46 ? n : 46);
	ed = body[1] == CD_LINK_ED25519;
	put_be(m, 19, 4), mlen = 4;
	memcpy(m + mlen, "copydesk-preview-v1", 19), mlen += 19;
	put_be(m + mlen, olen, 4), mlen += 4;
	memcpy(m + mlen, ORIGIN, olen), mlen += olen;
	put_be(m + mlen, 7, 4), mlen += 4;
	memcpy(m + mlen, "preview", 7), mlen += 7;
	memcpy(m + mlen, body, 46), mlen += 46;
	{
		uint32_t kid = (uint32_t)body[2] << 24 | (uint32_t)body[3] << 16 |
			(uint32_t)body[4] << 8 | body[5];
		if (ed) {
			crypto_kdf_derive_from_key(sub, 32, kid, "cdprvsig", master);
			crypto_sign_seed_keypair(pk, sk, sub);
			crypto_sign_detached(body + 46, NULL, m, mlen, sk);
		} else {
			crypto_kdf_derive_from_key(sub, 32, kid, "cdprvmac", master);
			crypto_auth(body + 46, m, mlen, sub);
		}
	}
	sodium_bin2base64(tok, sizeof tok, body, ed ? 110 : 78,
		sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	st = cd_link_verify(&ver, tok, strlen(tok), now, &c);
	if (!documented(st))
		abort();
	if (st == CD_OK) {
		int64_t iat = 0, exp = 0;
		int i;
		for (i = 0; i < 5; i++) {
			iat = iat << 8 | body[26 + i];
			exp = exp << 8 | body[31 + i];
		}
		if (body[0] != 1 || (body[36] & 0xFE) != 0 || c.iat != iat || c.exp != exp ||
			c.once != (body[36] & 1) || memcmp(c.link_id, body + 37, 9) != 0 ||
			c.exp <= c.iat || c.iat > now + 60 || now >= c.exp + 60 || c.exp - c.iat > 30 * 86400)
			abort();
		resign_equals(tok, strlen(tok), &c);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int64_t now = NOW;
	setup();
	if (size == 0) {
		check("", 0, now);
		return 0;
	}
	switch (data[0] % 3) {
	case 0:
		check((const char *)data + 1, size - 1, now);
		break;
	case 1: {
		char t[CD_LINK_TOKEN_MAX + 8];
		size_t len, i;
		const char *src = honest[size > 1 ? data[1] & 1 : 0];
		len = strlen(src);
		memcpy(t, src, len + 1);
		for (i = 2; i + 1 < size; i += 2) {
			size_t pos = data[i] % (len + 2);
			if (pos < len)
				t[pos] = (char)data[i + 1];
			else if (pos == len && len < sizeof t - 1)
				t[len++] = (char)data[i + 1]; /* append */
			else if (len > 0)
				len--;                         /* truncate */
		}
		check(t, len, now + (size > 1 ? data[1] >> 1 : 0) * 100);
		break;
	}
	default:
		if (size >= 5) {
			/* 4 bytes of clock offset, then the body */
			int64_t off = 0;
			int i;
			for (i = 1; i < 5; i++)
				off = off << 8 | data[i];
			forge_and_check(data + 5, size - 5, NOW + off - 0x7FFFFFFF);
		}
	}
	return 0;
}
