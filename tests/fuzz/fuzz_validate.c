/*
 * libFuzzer harness of the validation engine (validate.c, text.c over
 * html.c). The input is a small record format of its own standing in for
 * the JSON path: byte 0 picks policy settings and the body format, then
 * fields separated by 0x1E fill headline, dek, description, body, slug,
 * language, published_at, updated_at, embargo_until, canonical_url, status,
 * one byline, and image url/alt/caption/credit pairs. Every finding must
 * name a known rule, carry a path and a message, have start <= stop inside
 * its field, and come sorted by path, offset, code.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "copydesk.h"

#define MAX_FIELDS 24

static size_t field_len(const cd_article *a, const char *path)
{
	static const struct { const char *path; size_t off; } fields[] = {
		{ "/headline", offsetof(cd_article, headline) }, { "/dek", offsetof(cd_article, dek) },
		{ "/description", offsetof(cd_article, description) },
		{ "/body", offsetof(cd_article, body) }, { "/slug", offsetof(cd_article, slug) },
	};
	size_t i;
	for (i = 0; i < sizeof fields / sizeof fields[0]; i++)
		if (strcmp(path, fields[i].path) == 0)
			return ((const cd_field *)(const void *)((const char *)a + fields[i].off))->len;
	return (size_t)-1; /* not checked */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cd_field f[MAX_FIELDS];
	cd_image images[4];
	cd_article a;
	cd_policy *p;
	cd_report *r;
	size_t n = 0, i, start = 1, k;
	unsigned mode;
	if (size == 0)
		return 0;
	mode = data[0];
	memset(f, 0, sizeof f);
	for (i = 1; i <= size && n < MAX_FIELDS; i++) {
		if (i == size || data[i] == 0x1E) {
			f[n].s = (const char *)data + start;
			f[n].len = i - start;
			f[n].state = (mode >> (n % 8)) & 1 ? CD_FIELD_SET : (f[n].len ? CD_FIELD_SET : CD_FIELD_ABSENT);
			n++;
			start = i + 1;
		}
	}
	memset(&a, 0, sizeof a);
	a.headline = f[0];
	a.dek = f[1];
	a.description = f[2];
	a.body = f[3];
	a.slug = f[4];
	a.language = f[5];
	a.published_at = f[6];
	a.updated_at = f[7];
	a.embargo_until = f[8];
	a.canonical_url = f[9];
	a.status = f[10];
	a.byline = &f[11];
	a.n_byline = f[11].state == CD_FIELD_SET;
	a.byline_state = f[11].state;
	a.body_format = (mode & 0x40) ? CD_BODY_TEXT : CD_BODY_HTML;
	memset(images, 0, sizeof images);
	for (k = 0; k < 3 && 12 + 4 * k + 3 < MAX_FIELDS; k++) {
		images[k].url = f[12 + 4 * k];
		images[k].alt = f[13 + 4 * k];
		images[k].caption = f[14 + 4 * k];
		images[k].credit = f[15 + 4 * k];
	}
	a.images = images;
	a.n_images = n > 12 ? (n - 12 + 3) / 4 : 0;
	if (a.n_images > 3)
		a.n_images = 3;

	p = cd_policy_new();
	r = cd_report_new();
	if (p == NULL || r == NULL)
		abort();
	if (mode & 0x80) {
		cd_policy_set_quotes(p, CD_QUOTES_CURLY);
		cd_policy_set_threshold(p, CD_T_MAX_FINDINGS, 7);
		cd_policy_list_add(p, CD_LIST_BOILERPLATE, "all rights", 10);
		cd_policy_list_add(p, CD_LIST_TERMS, "e-mail", 6);
		cd_policy_list_add(p, CD_LIST_TERMS, "email", 5);
		cd_policy_list_add(p, CD_LIST_PLACEHOLDERS, "xx", 2);
	}
	if (cd_validate(r, &a, p) != CD_OK)
		abort();
	for (i = 0; i < cd_report_count(r); i++) {
		const cd_finding *x = cd_report_get(r, i);
		size_t flen;
		if (x == NULL || x->path == NULL || x->message == NULL || cd_rule_code(x->rule) == NULL)
			abort();
		if (x->severity < CD_SEV_INFO || x->severity > CD_SEV_ERROR)
			abort();
		if ((x->start == 0) != (x->stop == 0) || x->stop < x->start)
			abort();
		flen = field_len(&a, x->path);
		if (x->start && flen != (size_t)-1 && x->stop > flen)
			abort();
		if (i > 0) {
			const cd_finding *y = cd_report_get(r, i - 1);
			if (strcmp(y->path, x->path) == 0 && y->start > x->start)
				abort();
		}
	}
	cd_report_free(r);
	cd_policy_free(p);
	return 0;
}
