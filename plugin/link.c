/*
 * Preview-link tokens: key derivation, signing (HMAC-SHA-512-256 or Ed25519),
 * strict base64url and fail-closed verification with an injected clock.
 * It does not know URLs beyond "/preview/<token>", nor article state, nor Lua.
 */
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "copydesk.h"

#define VERSION 1
#define MAC_BYTES crypto_auth_hmacsha512256_BYTES /* 32 */
#define SIG_BYTES crypto_sign_BYTES               /* 64 */
#define CTX_MAC "cdprvmac"
#define CTX_SIG "cdprvsig"
#define DOMAIN "copydesk-preview-v1"
#define PURPOSE "preview"
/* u32 len, domain, u32 len, origin, u32 len, purpose */
#define PREFIX_FIXED (4 + (sizeof DOMAIN - 1) + 4 + 4 + (sizeof PURPOSE - 1))
#define PREFIX_MAX (PREFIX_FIXED + CD_LINK_ORIGIN_MAX)

/* Body offsets. */
enum { B_VER = 0, B_ALG = 1, B_KID = 2, B_ARTICLE = 6, B_REV = 14, B_EPOCH = 18,
	B_EDITOR = 22, B_IAT = 26, B_EXP = 31, B_FLAGS = 36, B_ID = 37, B_END = 46 };

struct key_impl {
	crypto_auth_hmacsha512256_state mac; /* keyed, prefix absorbed (HMAC keys) */
	uint8_t pk[crypto_sign_PUBLICKEYBYTES]; /* Ed25519 keys */
	uint32_t kid;
	uint8_t alg, retired;
};

struct signer_impl {
	crypto_auth_hmacsha512256_state mac;
	uint8_t sk[crypto_sign_SECRETKEYBYTES];
	uint8_t pk[crypto_sign_PUBLICKEYBYTES];
	uint8_t prefix[PREFIX_MAX];
	size_t prefix_len;
	uint32_t kid;
	uint8_t alg;
};

struct verifier_impl {
	uint8_t prefix[PREFIX_MAX];
	size_t prefix_len;
	struct key_impl *keys;
	size_t count, capacity;
	int64_t max_ttl;
	uint32_t leeway;
};

/* The public opaque structs must hold the internals, suitably aligned. */
typedef char assert_signer_fits[sizeof(struct signer_impl) <= sizeof(cd_signer) ? 1 : -1];
typedef char assert_key_fits[sizeof(struct key_impl) <= sizeof(cd_link_key) ? 1 : -1];
typedef char assert_verifier_fits[sizeof(struct verifier_impl) <= sizeof(cd_verifier) ? 1 : -1];

/* 0..63 for base64url characters, 0xFF for any other byte. */
static const uint8_t b64url_value[256] = {
	['A'] = 0, ['B'] = 1, ['C'] = 2, ['D'] = 3, ['E'] = 4, ['F'] = 5, ['G'] = 6,
	['H'] = 7, ['I'] = 8, ['J'] = 9, ['K'] = 10, ['L'] = 11, ['M'] = 12, ['N'] = 13,
	['O'] = 14, ['P'] = 15, ['Q'] = 16, ['R'] = 17, ['S'] = 18, ['T'] = 19, ['U'] = 20,
	['V'] = 21, ['W'] = 22, ['X'] = 23, ['Y'] = 24, ['Z'] = 25,
	['a'] = 26, ['b'] = 27, ['c'] = 28, ['d'] = 29, ['e'] = 30, ['f'] = 31, ['g'] = 32,
	['h'] = 33, ['i'] = 34, ['j'] = 35, ['k'] = 36, ['l'] = 37, ['m'] = 38, ['n'] = 39,
	['o'] = 40, ['p'] = 41, ['q'] = 42, ['r'] = 43, ['s'] = 44, ['t'] = 45, ['u'] = 46,
	['v'] = 47, ['w'] = 48, ['x'] = 49, ['y'] = 50, ['z'] = 51,
	['0'] = 52, ['1'] = 53, ['2'] = 54, ['3'] = 55, ['4'] = 56, ['5'] = 57, ['6'] = 58,
	['7'] = 59, ['8'] = 60, ['9'] = 61, ['-'] = 62, ['_'] = 63,
};

/* b64url_value maps every other byte to 0 too; this tells 'A' from junk. */
static int is_b64url(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		c == '-' || c == '_';
}

static int sodium_ready(void)
{
	/* Thread-safe and idempotent: 0 the first time, 1 afterwards. */
	return sodium_init() >= 0;
}

static void put_be(uint8_t *p, uint64_t v, int n)
{
	while (n-- > 0) {
		p[n] = (uint8_t)(v & 0xFF);
		v >>= 8;
	}
}

static uint64_t get_be(const uint8_t *p, int n)
{
	uint64_t v = 0;
	int i;
	for (i = 0; i < n; i++)
		v = (v << 8) | p[i];
	return v;
}

static size_t tag_bytes(int alg)
{
	return alg == CD_LINK_HMAC ? MAC_BYTES : SIG_BYTES;
}

static size_t make_prefix(uint8_t *p, const char *origin, size_t origin_len)
{
	size_t n = 0;
	put_be(p + n, sizeof DOMAIN - 1, 4), n += 4;
	memcpy(p + n, DOMAIN, sizeof DOMAIN - 1), n += sizeof DOMAIN - 1;
	put_be(p + n, origin_len, 4), n += 4;
	memcpy(p + n, origin, origin_len), n += origin_len;
	put_be(p + n, sizeof PURPOSE - 1, 4), n += 4;
	memcpy(p + n, PURPOSE, sizeof PURPOSE - 1), n += sizeof PURPOSE - 1;
	return n;
}

static int origin_ok(const char *origin, size_t len)
{
	return origin != NULL && len >= 1 && len <= CD_LINK_ORIGIN_MAX;
}

static int alg_ok(int alg)
{
	return alg == CD_LINK_HMAC || alg == CD_LINK_ED25519;
}

/* The HMAC key of (master, kid), keyed and with the prefix absorbed. */
static void mac_state(crypto_auth_hmacsha512256_state *st, const uint8_t master[32],
	uint32_t kid, const uint8_t *prefix, size_t prefix_len)
{
	uint8_t k[crypto_auth_hmacsha512256_KEYBYTES];
	crypto_kdf_derive_from_key(k, sizeof k, kid, CTX_MAC, master);
	crypto_auth_hmacsha512256_init(st, k, sizeof k);
	crypto_auth_hmacsha512256_update(st, prefix, prefix_len);
	sodium_memzero(k, sizeof k);
}

static void ed_keypair(uint8_t pk[32], uint8_t sk[64], const uint8_t master[32], uint32_t kid)
{
	uint8_t seed[crypto_sign_SEEDBYTES];
	crypto_kdf_derive_from_key(seed, sizeof seed, kid, CTX_SIG, master);
	crypto_sign_seed_keypair(pk, sk, seed);
	sodium_memzero(seed, sizeof seed);
}

cd_status cd_link_keygen(uint8_t key[CD_LINK_KEY_BYTES])
{
	if (key == NULL || !sodium_ready())
		return CD_ERR_ARG;
	do
		randombytes_buf(key, CD_LINK_KEY_BYTES);
	while (sodium_is_zero(key, CD_LINK_KEY_BYTES));
	return CD_OK;
}

/* ---- signing ------------------------------------------------------------ */

cd_status cd_signer_init(cd_signer *s, cd_link_alg alg, uint32_t kid,
	const uint8_t master[CD_LINK_KEY_BYTES], const char *origin, size_t origin_len)
{
	struct signer_impl *si = (struct signer_impl *)(void *)s;

	if (s == NULL)
		return CD_ERR_ARG;
	sodium_memzero(s, sizeof *s);
	if (!sodium_ready() || !alg_ok(alg) || kid == 0 || master == NULL ||
		sodium_is_zero(master, CD_LINK_KEY_BYTES) || !origin_ok(origin, origin_len))
		return CD_ERR_ARG;
	si->kid = kid;
	si->alg = (uint8_t)alg;
	si->prefix_len = make_prefix(si->prefix, origin, origin_len);
	if (alg == CD_LINK_HMAC)
		mac_state(&si->mac, master, kid, si->prefix, si->prefix_len);
	else
		ed_keypair(si->pk, si->sk, master, kid);
	return CD_OK;
}

cd_status cd_signer_public_key(const cd_signer *s, uint8_t pk[CD_LINK_PUBLIC_KEY_BYTES])
{
	const struct signer_impl *si = (const struct signer_impl *)(const void *)s;
	if (s == NULL || pk == NULL || si->alg != CD_LINK_ED25519)
		return CD_ERR_ARG;
	memcpy(pk, si->pk, CD_LINK_PUBLIC_KEY_BYTES);
	return CD_OK;
}

/*
 * Unpadded base64url, the same characters as sodium_bin2base64 (the golden
 * vectors were made with it), by table: a token is public once issued, so
 * unlike libsodium's encoder this one need not run in constant time, and it
 * is four times faster. out has room for the characters and a NUL.
 */
static void encode(char *out, const uint8_t *bin, size_t n)
{
	static const char abc[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	size_t i = 0;
	for (; i + 3 <= n; i += 3) {
		uint32_t v = (uint32_t)bin[i] << 16 | (uint32_t)bin[i + 1] << 8 | bin[i + 2];
		*out++ = abc[v >> 18];
		*out++ = abc[(v >> 12) & 63];
		*out++ = abc[(v >> 6) & 63];
		*out++ = abc[v & 63];
	}
	if (n - i == 1) {
		*out++ = abc[bin[i] >> 2];
		*out++ = abc[(bin[i] & 3) << 4];
	} else if (n - i == 2) {
		uint32_t v = (uint32_t)bin[i] << 8 | bin[i + 1];
		*out++ = abc[v >> 10];
		*out++ = abc[(v >> 4) & 63];
		*out++ = abc[(v & 15) << 2];
	}
	*out = '\0';
}

void cd_link_ids_next(cd_link_ids *ids, uint8_t id[CD_LINK_ID_BYTES])
{
	long pid = (long)getpid();
	/* A forked child must not hand out its parent's remaining ids. */
	if (ids->left == 0 || ids->pid != pid) {
		randombytes_buf(ids->pool, sizeof ids->pool);
		ids->left = sizeof ids->pool / CD_LINK_ID_BYTES;
		ids->pid = pid;
	}
	ids->left--;
	memcpy(id, ids->pool + ids->left * CD_LINK_ID_BYTES, CD_LINK_ID_BYTES);
	sodium_memzero(ids->pool + ids->left * CD_LINK_ID_BYTES, CD_LINK_ID_BYTES);
}

cd_status cd_link_sign(const cd_signer *s, cd_link_claims *c, const uint8_t *link_id,
	char *token, size_t token_size, size_t *token_len)
{
	const struct signer_impl *si = (const struct signer_impl *)(const void *)s;
	uint8_t buf[PREFIX_MAX + B_END + SIG_BYTES];
	uint8_t *body;
	size_t tlen;

	if (s == NULL || c == NULL || token == NULL || !alg_ok(si->alg))
		return CD_ERR_ARG;
	if (c->iat < 0 || c->exp <= c->iat || c->exp > CD_LINK_TIME_MAX ||
		c->article > (uint64_t)CD_LINK_ARTICLE_MAX)
		return CD_ERR_ARG;
	tlen = si->alg == CD_LINK_HMAC ? CD_LINK_HMAC_CHARS : CD_LINK_ED25519_CHARS;
	if (token_size < tlen + 1)
		return CD_ERR_SPACE;

	c->kid = si->kid;
	c->alg = (cd_link_alg)si->alg;
	if (link_id != NULL)
		memcpy(c->link_id, link_id, CD_LINK_ID_BYTES);
	else
		randombytes_buf(c->link_id, CD_LINK_ID_BYTES);

	/* The body sits right after the prefix so Ed25519 signs one buffer. */
	body = buf + si->prefix_len;
	body[B_VER] = VERSION;
	body[B_ALG] = si->alg;
	put_be(body + B_KID, si->kid, 4);
	put_be(body + B_ARTICLE, c->article, 8);
	put_be(body + B_REV, c->revision, 4);
	put_be(body + B_EPOCH, c->epoch, 4);
	put_be(body + B_EDITOR, c->editor, 4);
	put_be(body + B_IAT, (uint64_t)c->iat, 5);
	put_be(body + B_EXP, (uint64_t)c->exp, 5);
	body[B_FLAGS] = c->once ? CD_LINK_FLAG_ONCE : 0;
	memcpy(body + B_ID, c->link_id, CD_LINK_ID_BYTES);

	if (si->alg == CD_LINK_HMAC) {
		crypto_auth_hmacsha512256_state st = si->mac;
		crypto_auth_hmacsha512256_update(&st, body, B_END);
		crypto_auth_hmacsha512256_final(&st, body + B_END);
		sodium_memzero(&st, sizeof st);
	} else {
		memcpy(buf, si->prefix, si->prefix_len);
		crypto_sign_detached(body + B_END, NULL, buf, si->prefix_len + B_END, si->sk);
	}
	encode(token, body, B_END + tag_bytes(si->alg));
	if (token_len != NULL)
		*token_len = tlen;
	return CD_OK;
}

void cd_signer_wipe(cd_signer *s)
{
	if (s != NULL)
		sodium_memzero(s, sizeof *s);
}

/* ---- verifying ---------------------------------------------------------- */

cd_status cd_verifier_init(cd_verifier *v, const char *origin, size_t origin_len,
	cd_link_key *keys, size_t capacity, uint32_t leeway, int64_t max_ttl)
{
	struct verifier_impl *vi = (struct verifier_impl *)(void *)v;

	if (v == NULL)
		return CD_ERR_ARG;
	sodium_memzero(v, sizeof *v);
	if (!sodium_ready() || !origin_ok(origin, origin_len) || (keys == NULL && capacity > 0) ||
		leeway > CD_LINK_LEEWAY_MAX || max_ttl < 1 || max_ttl > CD_LINK_TIME_MAX)
		return CD_ERR_ARG;
	vi->prefix_len = make_prefix(vi->prefix, origin, origin_len);
	vi->keys = (struct key_impl *)(void *)keys;
	vi->capacity = capacity;
	vi->leeway = leeway;
	vi->max_ttl = max_ttl;
	return CD_OK;
}

static const struct key_impl *find_key(const struct verifier_impl *vi, uint32_t kid)
{
	size_t i;
	for (i = 0; i < vi->count; i++)
		if (vi->keys[i].kid == kid)
			return &vi->keys[i];
	return NULL;
}

static struct key_impl *new_key(struct verifier_impl *vi, uint32_t kid, int alg, cd_status *st)
{
	struct key_impl *k;
	if (vi == NULL || kid == 0 || !alg_ok(alg) || find_key(vi, kid) != NULL) {
		*st = CD_ERR_ARG;
		return NULL;
	}
	if (vi->count >= vi->capacity) {
		*st = CD_ERR_SPACE;
		return NULL;
	}
	k = &vi->keys[vi->count];
	sodium_memzero(k, sizeof(cd_link_key));
	k->kid = kid;
	k->alg = (uint8_t)alg;
	*st = CD_OK;
	return k;
}

cd_status cd_verifier_add_master(cd_verifier *v, uint32_t kid, cd_link_alg alg,
	const uint8_t master[CD_LINK_KEY_BYTES], int retired)
{
	struct verifier_impl *vi = (struct verifier_impl *)(void *)v;
	struct key_impl *k;
	cd_status st;

	if (master == NULL || sodium_is_zero(master, CD_LINK_KEY_BYTES))
		return CD_ERR_ARG;
	if ((k = new_key(vi, kid, alg, &st)) == NULL)
		return st;
	k->retired = retired != 0;
	if (alg == CD_LINK_HMAC) {
		mac_state(&k->mac, master, kid, vi->prefix, vi->prefix_len);
	} else {
		uint8_t sk[crypto_sign_SECRETKEYBYTES];
		ed_keypair(k->pk, sk, master, kid);
		sodium_memzero(sk, sizeof sk); /* a verifier never signs */
	}
	vi->count++;
	return CD_OK;
}

cd_status cd_verifier_add_public(cd_verifier *v, uint32_t kid,
	const uint8_t pk[CD_LINK_PUBLIC_KEY_BYTES], int retired)
{
	struct verifier_impl *vi = (struct verifier_impl *)(void *)v;
	struct key_impl *k;
	cd_status st;

	if (pk == NULL || sodium_is_zero(pk, CD_LINK_PUBLIC_KEY_BYTES))
		return CD_ERR_ARG;
	if ((k = new_key(vi, kid, CD_LINK_ED25519, &st)) == NULL)
		return st;
	k->retired = retired != 0;
	memcpy(k->pk, pk, CD_LINK_PUBLIC_KEY_BYTES);
	vi->count++;
	return CD_OK;
}

size_t cd_verifier_key_count(const cd_verifier *v)
{
	return v == NULL ? 0 : ((const struct verifier_impl *)(const void *)v)->count;
}

cd_status cd_verifier_key_info(const cd_verifier *v, size_t i, uint32_t *kid,
	cd_link_alg *alg, int *retired)
{
	const struct verifier_impl *vi = (const struct verifier_impl *)(const void *)v;
	if (v == NULL || i >= vi->count)
		return CD_ERR_ARG;
	if (kid != NULL)
		*kid = vi->keys[i].kid;
	if (alg != NULL)
		*alg = (cd_link_alg)vi->keys[i].alg;
	if (retired != NULL)
		*retired = vi->keys[i].retired;
	return CD_OK;
}

void cd_verifier_wipe(cd_verifier *v)
{
	struct verifier_impl *vi = (struct verifier_impl *)(void *)v;
	if (v == NULL)
		return;
	if (vi->keys != NULL && vi->capacity > 0)
		sodium_memzero(vi->keys, vi->capacity * sizeof(cd_link_key));
	sodium_memzero(v, sizeof *v);
}

/*
 * Finds the token in s: s itself when it holds no '/', else what follows a
 * final "/preview/". Any other shape is malformed (no query, no fragment).
 */
static int token_span(const char *s, size_t len, const char **tok, size_t *tlen)
{
	static const char marker[] = "/preview/";
	const size_t mlen = sizeof marker - 1;
	const char *slash = len > 0 ? memchr(s, '/', len) : NULL;
	size_t i;

	if (slash == NULL) {
		*tok = s;
		*tlen = len;
		return 1;
	}
	for (i = len; i > 0 && s[i - 1] != '/'; i--)
		;
	if (i < mlen || memcmp(s + i - mlen, marker, mlen) != 0)
		return 0;
	*tok = s + i;
	*tlen = len - i;
	return 1;
}

/*
 * Exact length, alphabet and the stray-bits rule, then libsodium's strict
 * decoder. Writes the bytes and returns their count, 0 when malformed.
 */
static size_t strict_decode(const char *t, size_t tlen, uint8_t *bin, size_t bin_max)
{
	size_t i, n = 0;

	if (tlen != CD_LINK_HMAC_CHARS && tlen != CD_LINK_ED25519_CHARS)
		return 0;
	for (i = 0; i < tlen; i++)
		if (!is_b64url((unsigned char)t[i]))
			return 0;
	/* 147 characters carry 110 bytes and 2 spare bits, which must be 0. */
	if (tlen == CD_LINK_ED25519_CHARS && (b64url_value[(unsigned char)t[tlen - 1]] & 3) != 0)
		return 0;
	if (sodium_base642bin(bin, bin_max, t, tlen, NULL, &n, NULL,
			sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
		return 0;
	if (n != (tlen == CD_LINK_HMAC_CHARS ? B_END + MAC_BYTES : B_END + SIG_BYTES))
		return 0;
	return n;
}

static void read_claims(const uint8_t *body, cd_link_claims *c)
{
	c->alg = (cd_link_alg)body[B_ALG];
	c->kid = (uint32_t)get_be(body + B_KID, 4);
	c->article = get_be(body + B_ARTICLE, 8);
	c->revision = (uint32_t)get_be(body + B_REV, 4);
	c->epoch = (uint32_t)get_be(body + B_EPOCH, 4);
	c->editor = (uint32_t)get_be(body + B_EDITOR, 4);
	c->iat = (int64_t)get_be(body + B_IAT, 5);
	c->exp = (int64_t)get_be(body + B_EXP, 5);
	c->once = (body[B_FLAGS] & CD_LINK_FLAG_ONCE) != 0;
	memcpy(c->link_id, body + B_ID, CD_LINK_ID_BYTES);
}

static cd_status check_tag(const struct verifier_impl *vi, const struct key_impl *k,
	uint8_t *buf, const uint8_t *body)
{
	if (k->alg == CD_LINK_HMAC) {
		uint8_t want[MAC_BYTES];
		crypto_auth_hmacsha512256_state st = k->mac;
		int bad;
		crypto_auth_hmacsha512256_update(&st, body, B_END);
		crypto_auth_hmacsha512256_final(&st, want);
		bad = crypto_verify_32(want, body + B_END);
		sodium_memzero(&st, sizeof st);
		sodium_memzero(want, sizeof want); /* the valid tag for this body */
		return bad == 0 ? CD_OK : CD_LINK_BAD_SIGNATURE;
	}
	/* buf holds the prefix; the decoded body was written right after it. */
	memcpy(buf, vi->prefix, vi->prefix_len);
	return crypto_sign_verify_detached(body + B_END, buf, vi->prefix_len + B_END, k->pk) == 0
		? CD_OK : CD_LINK_BAD_SIGNATURE;
}

cd_status cd_link_verify(const cd_verifier *v, const char *s, size_t len, int64_t now,
	cd_link_claims *out)
{
	const struct verifier_impl *vi = (const struct verifier_impl *)(const void *)v;
	uint8_t buf[PREFIX_MAX + B_END + SIG_BYTES];
	uint8_t *body;
	const struct key_impl *k;
	const char *tok;
	size_t tlen, n;
	cd_link_claims c;
	cd_status st;

	if (out != NULL)
		memset(out, 0, sizeof *out);
	if (v == NULL || (s == NULL && len > 0))
		return CD_ERR_ARG;
	if (s == NULL || !token_span(s, len, &tok, &tlen))
		return CD_LINK_MALFORMED;
	body = buf + vi->prefix_len;
	n = strict_decode(tok, tlen, body, sizeof buf - vi->prefix_len);
	if (n == 0)
		return CD_LINK_MALFORMED;
	if (body[B_VER] != VERSION)
		return CD_LINK_UNSUPPORTED_VERSION;

	memset(&c, 0, sizeof c);
	read_claims(body, &c);
	if ((body[B_FLAGS] & ~CD_LINK_FLAG_ONCE) != 0 || c.article > (uint64_t)CD_LINK_ARTICLE_MAX ||
		c.exp <= c.iat)
		return CD_LINK_MALFORMED;

	/* The key id picks the key; the key, not the token, fixes the algorithm. */
	if ((k = find_key(vi, c.kid)) == NULL)
		return CD_LINK_UNKNOWN_KEY;
	if (body[B_ALG] != k->alg || n != B_END + tag_bytes(k->alg))
		return CD_LINK_KEY_MISMATCH;
	if (k->retired)
		return CD_LINK_KEY_RETIRED;
	if ((st = check_tag(vi, k, buf, body)) != CD_OK)
		return st;

	/* iat and exp are 40-bit: these forms cannot overflow for any now */
	if (c.iat - (int64_t)vi->leeway > now)
		return CD_LINK_NOT_YET_VALID;
	if (now >= c.exp + (int64_t)vi->leeway)
		return CD_LINK_EXPIRED;
	if (c.exp - c.iat > vi->max_ttl)
		return CD_LINK_TTL_TOO_LONG;
	if (out != NULL)
		*out = c;
	return CD_OK;
}

/* ---- key text ------------------------------------------------------------ */

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

cd_status cd_link_key_from_text(const char *text, size_t len, uint8_t key[CD_LINK_KEY_BYTES])
{
	size_t i, n = 0;

	if (key == NULL || (text == NULL && len > 0))
		return CD_ERR_ARG;
	memset(key, 0, CD_LINK_KEY_BYTES);
	while (len > 0 && is_space(text[0]))
		text++, len--;
	while (len > 0 && is_space(text[len - 1]))
		len--;
	/* 43 characters: 32 bytes and 2 spare bits, which must be 0. */
	if (len != 43 || !sodium_ready())
		return CD_KEY_INVALID;
	for (i = 0; i < len; i++)
		if (!is_b64url((unsigned char)text[i]))
			return CD_KEY_INVALID;
	if ((b64url_value[(unsigned char)text[42]] & 3) != 0 ||
		sodium_base642bin(key, CD_LINK_KEY_BYTES, text, len, NULL, &n, NULL,
			sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
		n != CD_LINK_KEY_BYTES || sodium_is_zero(key, CD_LINK_KEY_BYTES)) {
		sodium_memzero(key, CD_LINK_KEY_BYTES);
		return CD_KEY_INVALID;
	}
	return CD_OK;
}

cd_status cd_link_key_to_text(const uint8_t key[CD_LINK_KEY_BYTES], char text[44])
{
	if (key == NULL || text == NULL || !sodium_ready())
		return CD_ERR_ARG;
	encode(text, key, CD_LINK_KEY_BYTES);
	return CD_OK;
}
