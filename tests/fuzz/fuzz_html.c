/*
 * libFuzzer harness of the HTML scanner and sanitizer. On any bytes the
 * scanner stays within the body (findings and text runs), with short ASCII
 * details. On UTF-8 input the sanitizer's output is UTF-8, within
 * cd_html_sanitize_bound, a fixed point (sanitize(sanitize(x)) ==
 * sanitize(x)), and the scanner finds nothing in it but heading skips
 * (and h1 where the profile allows h1), under the default profile and
 * under a caller profile.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "copydesk.h"

typedef struct scan_state {
	const char *body;
	size_t len;
	int unexpected; /* findings other than struct_heading_skip (and h1 when allowed) */
	int h1_allowed;
} scan_state;

static int on_finding(void *ud, const char *code, size_t start, size_t stop, const char *detail)
{
	scan_state *s = ud;
	size_t i, n = strlen(detail);
	if (start < 1 || stop < start || stop > s->len)
		abort();
	if (n >= CD_HTML_DETAIL_MAX)
		abort();
	for (i = 0; i < n; i++)
		if ((unsigned char)detail[i] < 0x20 || (unsigned char)detail[i] > 0x7E)
			abort();
	if (strcmp(code, "struct_heading_skip") != 0 && !(s->h1_allowed && strcmp(code, "struct_h1_in_body") == 0))
		s->unexpected++;
	return 0;
}

static int on_text(void *ud, const cd_html_run *r)
{
	scan_state *s = ud;
	if (r->start < 1 || r->start > s->len + 1 || r->src_len > s->len + 1 - r->start)
		abort();
	switch (r->kind) {
	case CD_HTML_RUN_TEXT:
		if (r->text != s->body + r->start - 1 || r->len != r->src_len || r->len == 0)
			abort();
		break;
	case CD_HTML_RUN_CHAR:
		if (r->len < 1 || r->len > 8 || r->src_len < 2 || cd_utf8_validate(r->text, r->len, NULL) != CD_OK)
			abort();
		break;
	default:
		if (r->tag == NULL || r->len != 0)
			abort();
	}
	return 0;
}

typedef struct buf {
	char *p;
	size_t len, cap;
} buf;

static int grow_write(void *ud, const char *s, size_t n)
{
	buf *b = ud;
	if (b->len + n > b->cap) {
		size_t cap = (b->len + n) * 2;
		char *p = realloc(b->p, cap);
		if (!p)
			return 1;
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	return 0;
}

static void check_profile(const char *html, size_t len, const cd_html_config *cfg, int h1_allowed)
{
	buf a = { NULL, 0, 0 }, b = { NULL, 0, 0 };
	scan_state st;
	size_t fixed_len = 0;
	char *fixed;

	if (cd_html_sanitize_to(html, len, cfg, grow_write, &a) != CD_OK)
		abort();
	if (a.len > cd_html_sanitize_bound(len))
		abort();
	if (cd_utf8_validate(a.p ? a.p : "", a.len, NULL) != CD_OK)
		abort();
	/* the fixed-buffer form agrees, and reports the size it needs */
	fixed = malloc(a.len + 1);
	if (!fixed || cd_html_sanitize(html, len, cfg, fixed, a.len, &fixed_len) != CD_OK || fixed_len != a.len
	    || (a.len && memcmp(fixed, a.p, a.len) != 0))
		abort();
	if (a.len && (cd_html_sanitize(html, len, cfg, fixed, a.len - 1, &fixed_len) != CD_ERR_SPACE
	              || fixed_len != a.len))
		abort();
	free(fixed);
	/* a fixed point */
	if (cd_html_sanitize_to(a.p ? a.p : "", a.len, cfg, grow_write, &b) != CD_OK)
		abort();
	if (a.len != b.len || (a.len && memcmp(a.p, b.p, a.len) != 0))
		abort();
	/* nothing left to report */
	st.body = a.p ? a.p : "";
	st.len = a.len;
	st.unexpected = 0;
	st.h1_allowed = h1_allowed;
	if (cd_html_scan(st.body, st.len, cfg, on_finding, on_text, &st) != CD_OK)
		abort();
	if (st.unexpected)
		abort();
	free(a.p);
	free(b.p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const tags[] = { "div", "p", "a", "img", "span", "table", "tr", "td", "h1", "ul", "li",
		"video", "source", NULL };
	static const char *const attrs[] = { "class", "id", "a:href", "a:target", "img:src", "video:poster",
		"source:src", NULL };
	static const char *const schemes[] = { "https", "data", NULL };
	cd_html_config custom;
	const char *html = (const char *)data;
	scan_state st;

	st.body = html;
	st.len = size;
	st.unexpected = 0;
	st.h1_allowed = 0;
	if (cd_html_scan(html, size, NULL, on_finding, on_text, &st) != CD_OK)
		abort();
	if (cd_utf8_validate(html, size, NULL) != CD_OK) {
		buf a = { NULL, 0, 0 };
		if (cd_html_sanitize_to(html, size, NULL, grow_write, &a) != CD_ERR_UTF8 || a.len != 0)
			abort();
		free(a.p);
		return 0;
	}
	check_profile(html, size, NULL, 0);
	custom.tags = tags;
	custom.attributes = attrs;
	custom.schemes = schemes;
	if (cd_html_config_check(&custom, NULL) != CD_OK)
		abort();
	check_profile(html, size, &custom, 1);
	return 0;
}
