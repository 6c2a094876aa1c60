/* Unit tests of the preview-link core: golden vectors, the documented
 * message and key derivation rebuilt independently here, every negative
 * case with its code, key text and key files. */
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sodium.h>

#include "copydesk.h"
#include "unit.h"

#define ORIGIN "https://news.example"
#define NOW 1764331200LL

static uint8_t master[32], other_master[32];

static void init_keys(void)
{
	int i;
	for (i = 0; i < 32; i++) {
		master[i] = (uint8_t)i;
		other_master[i] = (uint8_t)(0xA0 + i);
	}
}

/* ---- an independent implementation of the documented format ---------- */

static void put_be(uint8_t *p, uint64_t v, int n)
{
	while (n-- > 0) {
		p[n] = (uint8_t)v;
		v >>= 8;
	}
}

/* len||"copydesk-preview-v1" || len||origin || len||"preview" || body */
static size_t message(uint8_t *m, const char *origin, const uint8_t *body)
{
	size_t n = 0, olen = strlen(origin);
	put_be(m + n, 19, 4), n += 4;
	memcpy(m + n, "copydesk-preview-v1", 19), n += 19;
	put_be(m + n, olen, 4), n += 4;
	memcpy(m + n, origin, olen), n += olen;
	put_be(m + n, 7, 4), n += 4;
	memcpy(m + n, "preview", 7), n += 7;
	memcpy(m + n, body, 46), n += 46;
	return n;
}

static void body_of(uint8_t body[46], int version, int alg, uint32_t kid, uint64_t article,
	int64_t iat, int64_t exp, int flags)
{
	memset(body, 0, 46);
	body[0] = (uint8_t)version;
	body[1] = (uint8_t)alg;
	put_be(body + 2, kid, 4);
	put_be(body + 6, article, 8);
	put_be(body + 22, 7, 4); /* editor */
	put_be(body + 26, (uint64_t)iat, 5);
	put_be(body + 31, (uint64_t)exp, 5);
	body[36] = (uint8_t)flags;
	memset(body + 37, 0x5A, 9);
}

/* Signs body as the format says, with keys derived here, never by link.c. */
static void forge(char *token, const uint8_t *key, uint32_t kid, int alg, const char *origin,
	const uint8_t body[46])
{
	uint8_t m[512], bin[110], sub[32], pk[32], sk[64];
	size_t n = message(m, origin, body);
	memcpy(bin, body, 46);
	if (alg == CD_LINK_HMAC) {
		crypto_kdf_derive_from_key(sub, 32, kid, "cdprvmac", key);
		crypto_auth(bin + 46, m, n, sub);
		sodium_bin2base64(token, 105, bin, 78, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	} else {
		crypto_kdf_derive_from_key(sub, 32, kid, "cdprvsig", key);
		crypto_sign_seed_keypair(pk, sk, sub);
		crypto_sign_detached(bin + 46, NULL, m, n, sk);
		sodium_bin2base64(token, 148, bin, 110, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	}
}

/* ---- fixtures -------------------------------------------------------- */

static cd_link_key ring[4];
static cd_verifier ver;

/* kid 1 hmac, kid 2 ed25519 (public key only), kid 3 hmac retired,
 * kid 4 ed25519 from the master key. */
static void make_verifier(uint32_t leeway, int64_t max_ttl)
{
	cd_signer s;
	uint8_t pk[32];
	CHECK(cd_verifier_init(&ver, ORIGIN, strlen(ORIGIN), ring, 4, leeway, max_ttl) == CD_OK);
	CHECK(cd_verifier_add_master(&ver, 1, CD_LINK_HMAC, master, 0) == CD_OK);
	CHECK(cd_signer_init(&s, CD_LINK_ED25519, 2, master, ORIGIN, strlen(ORIGIN)) == CD_OK);
	CHECK(cd_signer_public_key(&s, pk) == CD_OK);
	cd_signer_wipe(&s);
	CHECK(cd_verifier_add_public(&ver, 2, pk, 0) == CD_OK);
	CHECK(cd_verifier_add_master(&ver, 3, CD_LINK_HMAC, master, 1) == CD_OK);
	CHECK(cd_verifier_add_master(&ver, 4, CD_LINK_ED25519, master, 0) == CD_OK);
}

static cd_status verify(const char *t, size_t len, int64_t now)
{
	cd_link_claims c;
	return cd_link_verify(&ver, t, len, now, &c);
}

#define VERIFY(t, now) verify((t), strlen(t), (now))

static void honest(char *token, int alg, uint32_t kid, int64_t iat, int64_t ttl, int once)
{
	cd_signer s;
	cd_link_claims c;
	size_t n = 0;
	memset(&c, 0, sizeof c);
	c.article = 42;
	c.editor = 7;
	c.iat = iat;
	c.exp = iat + ttl;
	c.once = once;
	CHECK(cd_signer_init(&s, (cd_link_alg)alg, kid, master, ORIGIN, strlen(ORIGIN)) == CD_OK);
	CHECK(cd_link_sign(&s, &c, NULL, token, CD_LINK_TOKEN_MAX, &n) == CD_OK);
	CHECK(n == strlen(token));
	cd_signer_wipe(&s);
}

/* ---- tests ----------------------------------------------------------- */

static int unhex(const char *h, uint8_t *out, size_t n)
{
	size_t got = 0;
	return sodium_hex2bin(out, n, h, strlen(h), NULL, &got, NULL) == 0 && got == n;
}

static void test_golden_vectors(void)
{
	FILE *f = fopen("tests/fixtures/preview_vectors.txt", "r");
	char line[1024];
	int seen = 0;

	CHECK(f != NULL);
	if (f == NULL)
		return;
	while (fgets(line, sizeof line, f) != NULL) {
		char name[64], alg[16], origin[300], once[8], id_hex[32], tok[200], got[CD_LINK_TOKEN_MAX];
		unsigned long long kid, article, rev, epoch, editor;
		long long iat, exp;
		uint8_t id[9], m[512], bin[110], sub[32], pk[32], sk[64];
		cd_signer s;
		cd_link_claims c, out;
		cd_verifier v;
		cd_link_key k[1];
		size_t n = 0, len;
		int a;

		if (line[0] == '#' || line[0] == '\n')
			continue;
		if (sscanf(line, "%63s %15s %llu %299s %llu %llu %llu %llu %lld %lld %7s %31s %199s",
				name, alg, &kid, origin, &article, &rev, &epoch, &editor, &iat, &exp, once,
				id_hex, tok) != 13) {
			CHECK(!"vector line parses");
			continue;
		}
		seen++;
		a = strcmp(alg, "hmac") == 0 ? CD_LINK_HMAC : CD_LINK_ED25519;
		CHECK(unhex(id_hex, id, 9));
		memset(&c, 0, sizeof c);
		c.article = article;
		c.revision = (uint32_t)rev;
		c.epoch = (uint32_t)epoch;
		c.editor = (uint32_t)editor;
		c.iat = iat;
		c.exp = exp;
		c.once = strcmp(once, "true") == 0;
		CHECK(cd_signer_init(&s, (cd_link_alg)a, (uint32_t)kid, master, origin, strlen(origin)) == CD_OK);
		CHECK(cd_link_sign(&s, &c, id, got, sizeof got, &n) == CD_OK);
		CHECK(strcmp(got, tok) == 0);
		CHECK(n == (a == CD_LINK_HMAC ? 104u : 147u));

		/* The tag is what the documented message and derivation give. */
		len = 0;
		CHECK(sodium_base642bin(bin, sizeof bin, tok, strlen(tok), NULL, &len, NULL,
			sodium_base64_VARIANT_URLSAFE_NO_PADDING) == 0);
		n = message(m, origin, bin);
		if (a == CD_LINK_HMAC) {
			crypto_kdf_derive_from_key(sub, 32, kid, "cdprvmac", master);
			CHECK(len == 78 && crypto_auth_verify(bin + 46, m, n, sub) == 0);
		} else {
			crypto_kdf_derive_from_key(sub, 32, kid, "cdprvsig", master);
			crypto_sign_seed_keypair(pk, sk, sub);
			CHECK(len == 110 && crypto_sign_verify_detached(bin + 46, m, n, pk) == 0);
		}

		CHECK(cd_verifier_init(&v, origin, strlen(origin), k, 1, 60, 30 * 86400) == CD_OK);
		CHECK(cd_verifier_add_master(&v, (uint32_t)kid, (cd_link_alg)a, master, 0) == CD_OK);
		CHECK(cd_link_verify(&v, tok, strlen(tok), iat, &out) == CD_OK);
		CHECK(out.article == article && out.revision == rev && out.epoch == epoch &&
			out.editor == editor && out.kid == kid && out.iat == iat && out.exp == exp &&
			out.once == c.once && (int)out.alg == a && memcmp(out.link_id, id, 9) == 0);
		cd_verifier_wipe(&v);
		cd_signer_wipe(&s);
	}
	fclose(f);
	CHECK(seen >= 4);
}

static void test_lengths_are_104_and_147(void)
{
	char t[CD_LINK_TOKEN_MAX];
	honest(t, CD_LINK_HMAC, 1, NOW, 3600, 0);
	CHECK(strlen(t) == 104);
	honest(t, CD_LINK_ED25519, 2, NOW, 3600, 0);
	CHECK(strlen(t) == 147);
}

static void test_honest_links_verify(void)
{
	char t[CD_LINK_TOKEN_MAX], url[512];
	cd_link_claims c;
	int i;
	make_verifier(60, 30 * 86400);
	for (i = 0; i < 50; i++) {
		honest(t, CD_LINK_HMAC, 1, NOW + i, 1 + i * 1000, i & 1);
		CHECK(cd_link_verify(&ver, t, strlen(t), NOW + i, &c) == CD_OK && c.once == (i & 1));
		honest(t, CD_LINK_ED25519, 2, NOW + i, 1 + i * 1000, 0);
		CHECK(VERIFY(t, NOW + i) == CD_OK);
		honest(t, CD_LINK_ED25519, 4, NOW + i, 1 + i * 1000, 0);
		CHECK(VERIFY(t, NOW + i) == CD_OK);
	}
	snprintf(url, sizeof url, "%s/preview/%s", ORIGIN, t);
	CHECK(VERIFY(url, NOW) == CD_OK);
	snprintf(url, sizeof url, "/preview/%s", t);
	CHECK(VERIFY(url, NOW) == CD_OK);
}

static void test_each_substitution_fails(void)
{
	static const char alphabet[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_+/= .\n\t";
	char t[CD_LINK_TOKEN_MAX], m[CD_LINK_TOKEN_MAX];
	int algs[2] = { CD_LINK_HMAC, CD_LINK_ED25519 }, a, accepted = 0, tried = 0;
	size_t i, j, len;
	make_verifier(60, 30 * 86400);
	for (a = 0; a < 2; a++) {
		honest(t, algs[a], a == 0 ? 1 : 2, NOW, 3600, 0);
		len = strlen(t);
		for (i = 0; i < len; i++)
			for (j = 0; alphabet[j] != '\0'; j++) {
				if (alphabet[j] == t[i])
					continue;
				memcpy(m, t, len + 1);
				m[i] = alphabet[j];
				tried++;
				if (verify(m, len, NOW) == CD_OK)
					accepted++;
			}
	}
	CHECK(tried > 10000);
	CHECK(accepted == 0);
}

static void test_shape_is_strict(void)
{
	char t[CD_LINK_TOKEN_MAX], m[400];
	char *big;
	size_t len;
	make_verifier(60, 30 * 86400);
	honest(t, CD_LINK_HMAC, 1, NOW, 3600, 0);
	len = strlen(t);
	CHECK(verify(t, len - 1, NOW) == CD_LINK_MALFORMED);             /* truncated */
	CHECK(verify(t, 0, NOW) == CD_LINK_MALFORMED);
	CHECK(verify(NULL, 0, NOW) == CD_LINK_MALFORMED);
	snprintf(m, sizeof m, "%sA", t);
	CHECK(VERIFY(m, NOW) == CD_LINK_MALFORMED);                       /* extra */
	snprintf(m, sizeof m, "%s==", t);
	CHECK(VERIFY(m, NOW) == CD_LINK_MALFORMED);                       /* padding */
	snprintf(m, sizeof m, "%s ", t);
	CHECK(VERIFY(m, NOW) == CD_LINK_MALFORMED);                       /* whitespace */
	snprintf(m, sizeof m, " %s", t);
	CHECK(VERIFY(m, NOW) == CD_LINK_MALFORMED);
	snprintf(m, sizeof m, "%s\n", t);
	CHECK(VERIFY(m, NOW) == CD_LINK_MALFORMED);
	memcpy(m, t, len + 1);
	m[50] = '\0';
	CHECK(verify(m, len, NOW) == CD_LINK_MALFORMED);                  /* NUL inside */
	memcpy(m, t, len + 1);
	m[len] = '\0';
	CHECK(verify(m, len + 1, NOW) == CD_LINK_MALFORMED);              /* NUL after */
	memcpy(m, t, len + 1);
	m[10] = '+';
	CHECK(VERIFY(m, NOW) == CD_LINK_MALFORMED);                       /* standard alphabet */
	m[10] = '/';
	CHECK(VERIFY(m, NOW) == CD_LINK_MALFORMED);
	memcpy(m, t, len + 1);
	m[20] = (char)0xC3;
	m[21] = (char)0xA9;
	CHECK(VERIFY(m, NOW) == CD_LINK_MALFORMED);                       /* non-ASCII */
	snprintf(m, sizeof m, "%s/preview/%s?x=1", ORIGIN, t);
	CHECK(VERIFY(m, NOW) == CD_LINK_MALFORMED);                       /* query */
	snprintf(m, sizeof m, "%s/draft/%s", ORIGIN, t);
	CHECK(VERIFY(m, NOW) == CD_LINK_MALFORMED);                       /* other path */
	snprintf(m, sizeof m, "%s/preview/%s/", ORIGIN, t);
	CHECK(VERIFY(m, NOW) == CD_LINK_MALFORMED);
	big = malloc(1 << 20);
	CHECK(big != NULL);
	if (big != NULL) {
		memset(big, 'A', 1 << 20);
		CHECK(verify(big, 1 << 20, NOW) == CD_LINK_MALFORMED);      /* 1 MB */
		memset(big, '/', 1 << 20);
		CHECK(verify(big, 1 << 20, NOW) == CD_LINK_MALFORMED);
		free(big);
	}
}

static void test_ed25519_spare_bits_are_zero(void)
{
	static const char alphabet[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	char t[CD_LINK_TOKEN_MAX];
	int j, ok = 0, bad = 0;
	make_verifier(60, 30 * 86400);
	honest(t, CD_LINK_ED25519, 2, NOW, 3600, 0);
	for (j = 0; j < 64; j++) {
		t[146] = alphabet[j];
		if ((j & 3) != 0 && VERIFY(t, NOW) == CD_LINK_MALFORMED)
			bad++;
		if ((j & 3) == 0 && VERIFY(t, NOW) != CD_LINK_MALFORMED)
			ok++;
	}
	CHECK(bad == 48); /* every non-zero spare-bit pattern is malformed */
	CHECK(ok == 16);  /* the others decode (and then fail or pass the signature) */
}

static void test_version_alg_and_keys(void)
{
	uint8_t body[46];
	char t[CD_LINK_TOKEN_MAX];
	make_verifier(60, 30 * 86400);

	body_of(body, 2, CD_LINK_HMAC, 1, 42, NOW, NOW + 60, 0);
	forge(t, master, 1, CD_LINK_HMAC, ORIGIN, body);
	CHECK(VERIFY(t, NOW) == CD_LINK_UNSUPPORTED_VERSION);
	body_of(body, 0, CD_LINK_HMAC, 1, 42, NOW, NOW + 60, 0);
	forge(t, master, 1, CD_LINK_HMAC, ORIGIN, body);
	CHECK(VERIFY(t, NOW) == CD_LINK_UNSUPPORTED_VERSION);

	/* alg byte disagrees with the key (either way), or names no algorithm */
	body_of(body, 1, CD_LINK_ED25519, 1, 42, NOW, NOW + 60, 0);
	forge(t, master, 1, CD_LINK_HMAC, ORIGIN, body);
	CHECK(VERIFY(t, NOW) == CD_LINK_KEY_MISMATCH);
	body_of(body, 1, 3, 1, 42, NOW, NOW + 60, 0);
	forge(t, master, 1, CD_LINK_HMAC, ORIGIN, body);
	CHECK(VERIFY(t, NOW) == CD_LINK_KEY_MISMATCH);
	body_of(body, 1, CD_LINK_HMAC, 2, 42, NOW, NOW + 60, 0);
	forge(t, master, 2, CD_LINK_HMAC, ORIGIN, body);           /* HMAC under an Ed25519 kid */
	CHECK(VERIFY(t, NOW) == CD_LINK_KEY_MISMATCH);
	body_of(body, 1, CD_LINK_ED25519, 1, 42, NOW, NOW + 60, 0);
	forge(t, master, 1, CD_LINK_ED25519, ORIGIN, body);        /* Ed25519 under an HMAC kid */
	CHECK(VERIFY(t, NOW) == CD_LINK_KEY_MISMATCH);

	body_of(body, 1, CD_LINK_HMAC, 9, 42, NOW, NOW + 60, 0);
	forge(t, master, 9, CD_LINK_HMAC, ORIGIN, body);
	CHECK(VERIFY(t, NOW) == CD_LINK_UNKNOWN_KEY);
	body_of(body, 1, CD_LINK_HMAC, 3, 42, NOW, NOW + 60, 0);
	forge(t, master, 3, CD_LINK_HMAC, ORIGIN, body);
	CHECK(VERIFY(t, NOW) == CD_LINK_KEY_RETIRED);

	/* another origin, another master key, another key id's key */
	body_of(body, 1, CD_LINK_HMAC, 1, 42, NOW, NOW + 60, 0);
	forge(t, master, 1, CD_LINK_HMAC, "https://other.example", body);
	CHECK(VERIFY(t, NOW) == CD_LINK_BAD_SIGNATURE);
	forge(t, other_master, 1, CD_LINK_HMAC, ORIGIN, body);
	CHECK(VERIFY(t, NOW) == CD_LINK_BAD_SIGNATURE);
	forge(t, master, 3, CD_LINK_HMAC, ORIGIN, body);
	CHECK(VERIFY(t, NOW) == CD_LINK_BAD_SIGNATURE);
	body_of(body, 1, CD_LINK_ED25519, 2, 42, NOW, NOW + 60, 0);
	forge(t, other_master, 2, CD_LINK_ED25519, ORIGIN, body);
	CHECK(VERIFY(t, NOW) == CD_LINK_BAD_SIGNATURE);
	forge(t, master, 2, CD_LINK_ED25519, "https://other.example", body);
	CHECK(VERIFY(t, NOW) == CD_LINK_BAD_SIGNATURE);
	forge(t, master, 2, CD_LINK_ED25519, ORIGIN, body);
	CHECK(VERIFY(t, NOW) == CD_OK);
}

static void test_layout_rules(void)
{
	uint8_t body[46];
	char t[CD_LINK_TOKEN_MAX];
	int bit;
	make_verifier(60, 30 * 86400);
	for (bit = 1; bit < 8; bit++) {
		body_of(body, 1, CD_LINK_HMAC, 1, 42, NOW, NOW + 60, 1 << bit);
		forge(t, master, 1, CD_LINK_HMAC, ORIGIN, body);
		CHECK(VERIFY(t, NOW) == CD_LINK_MALFORMED);
	}
	body_of(body, 1, CD_LINK_HMAC, 1, 42, NOW, NOW + 60, 1);
	forge(t, master, 1, CD_LINK_HMAC, ORIGIN, body);
	CHECK(VERIFY(t, NOW) == CD_OK);
	body_of(body, 1, CD_LINK_HMAC, 1, (1ULL << 53) + 1, NOW, NOW + 60, 0);
	forge(t, master, 1, CD_LINK_HMAC, ORIGIN, body);
	CHECK(VERIFY(t, NOW) == CD_LINK_MALFORMED);
	body_of(body, 1, CD_LINK_HMAC, 1, 42, NOW, NOW, 0);
	forge(t, master, 1, CD_LINK_HMAC, ORIGIN, body);
	CHECK(VERIFY(t, NOW) == CD_LINK_MALFORMED);
}

static void test_time_rules(void)
{
	char t[CD_LINK_TOKEN_MAX];
	uint8_t body[46];
	make_verifier(60, 30 * 86400);
	honest(t, CD_LINK_HMAC, 1, NOW, 3600, 0);
	CHECK(VERIFY(t, NOW + 3600 + 59) == CD_OK);             /* last second with leeway */
	CHECK(VERIFY(t, NOW + 3600 + 60) == CD_LINK_EXPIRED);   /* first second past it */
	CHECK(VERIFY(t, NOW + 100000) == CD_LINK_EXPIRED);
	CHECK(VERIFY(t, NOW - 60) == CD_OK);                    /* issued within leeway */
	CHECK(VERIFY(t, NOW - 61) == CD_LINK_NOT_YET_VALID);    /* issued in the future */
	make_verifier(0, 30 * 86400);
	CHECK(VERIFY(t, NOW + 3599) == CD_OK);
	CHECK(VERIFY(t, NOW + 3600) == CD_LINK_EXPIRED);
	CHECK(VERIFY(t, NOW - 1) == CD_LINK_NOT_YET_VALID);
	make_verifier(300, 30 * 86400); /* clocks at the ends of int64_t: no overflow (UBSan) */
	CHECK(VERIFY(t, INT64_MAX) == CD_LINK_EXPIRED);
	CHECK(VERIFY(t, INT64_MIN) == CD_LINK_NOT_YET_VALID);
	make_verifier(60, 3600);
	CHECK(VERIFY(t, NOW) == CD_OK);                          /* lifetime == max_ttl */
	make_verifier(60, 3599);
	CHECK(VERIFY(t, NOW) == CD_LINK_TTL_TOO_LONG);
	body_of(body, 1, CD_LINK_HMAC, 1, 42, NOW, NOW + 31 * 86400, 0);
	make_verifier(60, 30 * 86400);
	forge(t, master, 1, CD_LINK_HMAC, ORIGIN, body);
	CHECK(VERIFY(t, NOW) == CD_LINK_TTL_TOO_LONG);
}

static void test_bad_keys_and_arguments(void)
{
	cd_signer s;
	cd_link_key k[2];
	cd_verifier v;
	uint8_t zero[32], pk[32];
	cd_link_claims c;
	char t[CD_LINK_TOKEN_MAX];
	size_t n;
	memset(zero, 0, sizeof zero);
	CHECK(cd_signer_init(&s, CD_LINK_HMAC, 1, zero, ORIGIN, strlen(ORIGIN)) == CD_ERR_ARG);
	CHECK(cd_signer_init(&s, CD_LINK_HMAC, 0, master, ORIGIN, strlen(ORIGIN)) == CD_ERR_ARG);
	CHECK(cd_signer_init(&s, CD_LINK_HMAC, 1, master, ORIGIN, 0) == CD_ERR_ARG);
	CHECK(cd_signer_init(&s, CD_LINK_HMAC, 1, master, NULL, 5) == CD_ERR_ARG);
	CHECK(cd_signer_init(&s, (cd_link_alg)3, 1, master, ORIGIN, strlen(ORIGIN)) == CD_ERR_ARG);
	CHECK(cd_signer_init(&s, CD_LINK_HMAC, 1, master, ORIGIN, CD_LINK_ORIGIN_MAX + 1) == CD_ERR_ARG);
	CHECK(cd_signer_init(&s, CD_LINK_HMAC, 1, master, ORIGIN, strlen(ORIGIN)) == CD_OK);
	CHECK(cd_signer_public_key(&s, pk) == CD_ERR_ARG);
	memset(&c, 0, sizeof c);
	c.article = 1, c.iat = 10, c.exp = 10;
	CHECK(cd_link_sign(&s, &c, NULL, t, sizeof t, &n) == CD_ERR_ARG);
	c.exp = CD_LINK_TIME_MAX + 1;
	CHECK(cd_link_sign(&s, &c, NULL, t, sizeof t, &n) == CD_ERR_ARG);
	c.exp = 20, c.article = (uint64_t)CD_LINK_ARTICLE_MAX + 1;
	CHECK(cd_link_sign(&s, &c, NULL, t, sizeof t, &n) == CD_ERR_ARG);
	c.article = 1;
	CHECK(cd_link_sign(&s, &c, NULL, t, 104, &n) == CD_ERR_SPACE);
	CHECK(cd_link_sign(&s, &c, NULL, t, 105, &n) == CD_OK);
	cd_signer_wipe(&s);
	CHECK(sodium_is_zero((const unsigned char *)&s, sizeof s));

	CHECK(cd_verifier_init(&v, ORIGIN, strlen(ORIGIN), k, 2, 301, 100) == CD_ERR_ARG);
	CHECK(cd_verifier_init(&v, ORIGIN, strlen(ORIGIN), k, 2, 60, 0) == CD_ERR_ARG);
	CHECK(cd_verifier_init(&v, "", 0, k, 2, 60, 100) == CD_ERR_ARG);
	CHECK(cd_verifier_init(&v, ORIGIN, strlen(ORIGIN), k, 2, 60, 100) == CD_OK);
	CHECK(cd_verifier_add_master(&v, 1, CD_LINK_HMAC, zero, 0) == CD_ERR_ARG);
	CHECK(cd_verifier_add_public(&v, 1, zero, 0) == CD_ERR_ARG);
	CHECK(cd_verifier_add_master(&v, 0, CD_LINK_HMAC, master, 0) == CD_ERR_ARG);
	CHECK(cd_verifier_add_master(&v, 1, CD_LINK_HMAC, master, 0) == CD_OK);
	CHECK(cd_verifier_add_master(&v, 1, CD_LINK_HMAC, master, 0) == CD_ERR_ARG); /* twice */
	CHECK(cd_verifier_add_master(&v, 2, CD_LINK_ED25519, master, 0) == CD_OK);
	CHECK(cd_verifier_add_master(&v, 3, CD_LINK_HMAC, master, 0) == CD_ERR_SPACE);
	CHECK(cd_verifier_key_count(&v) == 2);
	cd_verifier_wipe(&v);
	CHECK(sodium_is_zero((const unsigned char *)k, sizeof k));
	CHECK(cd_verifier_key_count(&v) == 0);
}

static void test_public_key_verifier_holds_no_secret(void)
{
	cd_link_key k[1];
	cd_verifier v;
	cd_signer s;
	uint8_t pk[32];
	char t[CD_LINK_TOKEN_MAX];
	size_t i;
	int found = 0;
	CHECK(cd_signer_init(&s, CD_LINK_ED25519, 5, master, ORIGIN, strlen(ORIGIN)) == CD_OK);
	CHECK(cd_signer_public_key(&s, pk) == CD_OK);
	cd_signer_wipe(&s);
	CHECK(cd_verifier_init(&v, ORIGIN, strlen(ORIGIN), k, 1, 60, 86400) == CD_OK);
	CHECK(cd_verifier_add_master(&v, 5, CD_LINK_ED25519, master, 0) == CD_OK);
	/* nothing of the master key or the seed stays in the keyring */
	for (i = 0; i + 32 <= sizeof k; i++)
		if (memcmp((const uint8_t *)k + i, master, 32) == 0)
			found = 1;
	CHECK(!found);
	honest(t, CD_LINK_ED25519, 5, NOW, 60, 0);
	CHECK(cd_link_verify(&v, t, strlen(t), NOW, NULL) == CD_OK);
	cd_verifier_wipe(&v);
}

static void test_key_text_and_files(void)
{
	char text[44], path[64];
	uint8_t k[32], back[32];
	struct stat st;
	CHECK(cd_link_keygen(k) == CD_OK);
	CHECK(cd_link_key_to_text(k, text) == CD_OK && strlen(text) == 43);
	CHECK(cd_link_key_from_text(text, 43, back) == CD_OK && memcmp(k, back, 32) == 0);
	CHECK(cd_link_key_from_text(text, 42, back) == CD_KEY_INVALID);
	CHECK(cd_link_key_from_text("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", 43, back) == CD_KEY_INVALID);
	text[42] = 'B'; /* a spare bit set */
	CHECK(cd_link_key_from_text(text, 43, back) == CD_KEY_INVALID);
	CHECK(sodium_is_zero(back, 32));

	snprintf(path, sizeof path, "build/c-tests/key-%ld", (long)getpid());
	unlink(path);
	CHECK(cd_key_file_write(path, k) == CD_OK);
	CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600);
	CHECK(cd_key_file_write(path, k) == CD_KEY_FILE_EXISTS);
	CHECK(cd_key_file_read(path, back) == CD_OK && memcmp(k, back, 32) == 0);
	unlink(path);
	CHECK(cd_key_file_read(path, back) == CD_KEY_FILE_ERROR);
	CHECK(cd_key_file_read("tests/fixtures/preview_vectors.txt", back) == CD_KEY_INVALID);
	/* not a regular file: fails at once (a FIFO without a writer would block) */
	CHECK(mkfifo(path, 0600) == 0);
	CHECK(cd_key_file_read(path, back) == CD_KEY_FILE_ERROR);
	unlink(path);
	CHECK(cd_key_file_read("tests", back) == CD_KEY_FILE_ERROR);
}

/* Ids differ within a process, and a forked child draws fresh ones
 * instead of the parent's pooled ids. */
static void test_link_ids_are_unique_across_fork(void)
{
	cd_link_ids ids;
	uint8_t a[9], b[9], mine[9], theirs[9];
	int fds[2], status = 0, i, same = 0;
	pid_t pid;
	memset(&ids, 0, sizeof ids);
	cd_link_ids_next(&ids, a);
	for (i = 0; i < 100; i++) {
		cd_link_ids_next(&ids, b);
		if (memcmp(a, b, 9) == 0)
			same++;
		memcpy(a, b, 9);
	}
	CHECK(same == 0);
	CHECK(pipe(fds) == 0);
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		cd_link_ids_next(&ids, theirs);
		_exit(write(fds[1], theirs, 9) == 9 ? 0 : 1);
	}
	cd_link_ids_next(&ids, mine);
	CHECK(read(fds[0], theirs, 9) == 9);
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK(memcmp(mine, theirs, 9) != 0);
	close(fds[0]);
	close(fds[1]);
}

static void test_status_names(void)
{
	CHECK(strcmp(cd_status_code(CD_LINK_MALFORMED), "malformed") == 0);
	CHECK(strcmp(cd_status_code(CD_LINK_TTL_TOO_LONG), "ttl_too_long") == 0);
	CHECK(strcmp(cd_status_code(CD_LINK_ALREADY_USED), "already_used") == 0);
	CHECK(strcmp(cd_status_code(CD_KEY_FILE_EXISTS), "key_file_exists") == 0);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	init_keys();
	RUN(test_golden_vectors);
	RUN(test_lengths_are_104_and_147);
	RUN(test_honest_links_verify);
	RUN(test_each_substitution_fails);
	RUN(test_shape_is_strict);
	RUN(test_ed25519_spare_bits_are_zero);
	RUN(test_version_alg_and_keys);
	RUN(test_layout_rules);
	RUN(test_time_rules);
	RUN(test_bad_keys_and_arguments);
	RUN(test_public_key_verifier_holds_no_secret);
	RUN(test_key_text_and_files);
	RUN(test_link_ids_are_unique_across_fork);
	RUN(test_status_names);
	return unit_report();
}
