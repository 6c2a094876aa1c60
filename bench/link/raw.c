/*
 * The floor of bench/link: libsodium's crypto_auth (HMAC-SHA-512-256) and
 * crypto_auth_verify on a message of the size a preview link signs, and the
 * same through copydesk's C API (cd_link_sign, cd_link_verify).
 * Time is process CPU time, as in the other drivers, so a busy machine
 * skews the ratios less.
 *   raw ORIGIN SECONDS  -> "name sign_per_s verify_per_s" lines
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "copydesk.h"

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static volatile unsigned sink;

int main(int argc, char **argv)
{
	const char *origin = argc > 1 ? argv[1] : "https://news.example";
	double secs = argc > 2 ? atof(argv[2]) : 1.0, t0, dt, sign_rate, verify_rate;
	uint8_t key[32], tag[32], msg[512];
	size_t mlen = 4 + 19 + 4 + strlen(origin) + 4 + 7 + 46;
	long n, i, batch = 10000;
	cd_signer s;
	cd_link_key ring[1];
	cd_verifier v;
	cd_link_claims c;
	cd_link_ids ids;
	uint8_t id[CD_LINK_ID_BYTES];
	char tok[CD_LINK_TOKEN_MAX];

	if (sodium_init() < 0 || mlen > sizeof msg)
		return 1;
	randombytes_buf(key, sizeof key);
	randombytes_buf(msg, mlen);

	for (n = 0, t0 = now_s(); (dt = now_s() - t0) < secs; n += batch)
		for (i = 0; i < batch; i++) {
			msg[0] = (uint8_t)i;
			crypto_auth(tag, msg, mlen, key);
			sink += tag[0];
		}
	sign_rate = n / dt;
	crypto_auth(tag, msg, mlen, key);
	for (n = 0, t0 = now_s(); (dt = now_s() - t0) < secs; n += batch)
		for (i = 0; i < batch; i++)
			sink += (unsigned)crypto_auth_verify(tag, msg, mlen, key);
	verify_rate = n / dt;
	printf("raw %.0f %.0f %zu\n", sign_rate, verify_rate, mlen);

	cd_signer_init(&s, CD_LINK_HMAC, 1, key, origin, strlen(origin));
	cd_verifier_init(&v, origin, strlen(origin), ring, 1, 60, 30 * 86400);
	cd_verifier_add_master(&v, 1, CD_LINK_HMAC, key, 0);
	memset(&c, 0, sizeof c);
	memset(&ids, 0, sizeof ids);
	c.article = 42;
	c.iat = (int64_t)time(NULL);
	c.exp = c.iat + 7200;
	for (n = 0, t0 = now_s(); (dt = now_s() - t0) < secs; n += batch)
		for (i = 0; i < batch; i++) {
			c.article = (uint64_t)i;
			cd_link_ids_next(&ids, id);
			cd_link_sign(&s, &c, id, tok, sizeof tok, NULL);
			sink += (unsigned)tok[60];
		}
	sign_rate = n / dt;
	for (n = 0, t0 = now_s(); (dt = now_s() - t0) < secs; n += batch)
		for (i = 0; i < batch; i++)
			sink += (unsigned)cd_link_verify(&v, tok, 104, c.iat, &c);
	verify_rate = n / dt;
	printf("capi %.0f %.0f\n", sign_rate, verify_rate);
	cd_signer_wipe(&s);
	cd_verifier_wipe(&v);
	return 0;
}
