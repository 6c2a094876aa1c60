/* Unit tests of the HTML body scanner and sanitizer: every finding code with
 * a positive and a negative case, hostile input, and the sanitizer's
 * guarantees (idempotent, nothing the scanner rejects survives). */
#include <stdlib.h>

#include "copydesk.h"
#include "unit.h"

#define MAXF 64

typedef struct found {
	int n;
	const char *code[MAXF];
	size_t start[MAXF], stop[MAXF];
	char detail[MAXF][CD_HTML_DETAIL_MAX];
	size_t total;
} found;

static int on_finding(void *ud, const char *code, size_t start, size_t stop, const char *detail)
{
	found *f = ud;
	f->total++;
	if (f->n < MAXF) {
		f->code[f->n] = code;
		f->start[f->n] = start;
		f->stop[f->n] = stop;
		strncpy(f->detail[f->n], detail, CD_HTML_DETAIL_MAX - 1);
		f->detail[f->n][CD_HTML_DETAIL_MAX - 1] = '\0';
		f->n++;
	}
	return 0;
}

static found scan_cfg(const char *html, size_t len, const cd_html_config *cfg)
{
	found f;
	memset(&f, 0, sizeof f);
	CHECK(cd_html_scan(html, len, cfg, on_finding, NULL, &f) == CD_OK);
	return f;
}

static found scan(const char *html)
{
	return scan_cfg(html, strlen(html), NULL);
}

/* How many findings of code; where the first one is. */
static int count(const found *f, const char *code, size_t *start, size_t *stop)
{
	int i, k = 0;
	for (i = 0; i < f->n; i++)
		if (strcmp(f->code[i], code) == 0) {
			if (k == 0 && start)
				*start = f->start[i];
			if (k == 0 && stop)
				*stop = f->stop[i];
			k++;
		}
	return k;
}

static int has(const char *html, const char *code)
{
	found f = scan(html);
	return count(&f, code, NULL, NULL) > 0;
}

static int clean(const char *html)
{
	found f = scan(html);
	return f.n == 0;
}

/* sanitize into a malloc'd NUL-terminated string (the caller frees) */
static char *sanitize_cfg(const char *html, size_t len, const cd_html_config *cfg)
{
	size_t cap = cd_html_sanitize_bound(len), out_len = 0;
	char *out = malloc(cap + 1);
	cd_status st = cd_html_sanitize(html, len, cfg, out, cap, &out_len);
	CHECK(st == CD_OK);
	CHECK(out_len <= cap);
	if (st != CD_OK) {
		free(out);
		return NULL;
	}
	out[out_len] = '\0';
	return out;
}

static int sanitizes_to(const char *html, const char *want)
{
	char *got = sanitize_cfg(html, strlen(html), NULL);
	int ok = got && strcmp(got, want) == 0;
	if (!ok)
		fprintf(stderr, "sanitize(%s)\n  got  %s\n  want %s\n", html, got ? got : "(null)", want);
	free(got);
	return ok;
}

static void test_clean_body_has_no_finding(void)
{
	CHECK(clean("<p>Seoul &amp; Pyongyang resumed <em>talks</em> on Monday.</p>\n"
		"<h2>Background</h2><p>It was the <a href=\"https://news.example/x\" rel=\"noopener\" "
		"target=\"_blank\">first</a> meeting.</p><figure><img src=\"/a.jpg\" alt=\"A\" width=\"10\">"
		"<figcaption>Caption</figcaption></figure><ul><li>one</li><li>two</li></ul>"
		"<blockquote cite=\"https://x.example\"><p>Quote</p></blockquote><p>a<br>b</p>"
		"<table><thead><tr><th>x</th></tr></thead><tbody><tr><td colspan=\"2\">y</td></tr></tbody></table>"));
	CHECK(clean(""));
	CHECK(clean("plain text, no tags"));
	CHECK(clean("<p>a</p><p>b</p>")); /* optional end tags implied are fine */
	CHECK(clean("<ul><li>a<li>b</ul>"));
}

static void test_tag_disallowed(void)
{
	size_t a = 0, b = 0;
	found f = scan("<p>x</p><div>y</div>");
	CHECK(count(&f, "html_tag_disallowed", &a, &b) == 1);
	CHECK(a == 9 && b == 12);
	CHECK(strcmp(f.detail[0], "div") == 0);
	CHECK(has("<script>alert(1)</script>", "html_tag_disallowed"));
	CHECK(has("<IFRAME src=x></iframe>", "html_tag_disallowed"));
	CHECK(!has("<p>x</p>", "html_tag_disallowed"));
}

static void test_attr_disallowed(void)
{
	size_t a = 0, b = 0;
	found f = scan("<p onclick=\"x()\">y</p>");
	CHECK(count(&f, "html_attr_disallowed", &a, &b) == 1);
	CHECK(a == 4 && b == 16);
	CHECK(has("<p style=\"color:red\">y</p>", "html_attr_disallowed"));
	CHECK(has("<img src=x.jpg srcdoc=x>", "html_attr_disallowed"));
	CHECK(has("<img src=x.jpg OnError=alert(1)>", "html_attr_disallowed"));
	CHECK(!has("<a href=\"/x\" title=\"t\">y</a>", "html_attr_disallowed"));
}

static void test_url_scheme(void)
{
	CHECK(has("<a href=\"javascript:alert(1)\">x</a>", "html_url_scheme"));
	CHECK(has("<a href=\"jav&#x09;ascript:alert(1)\">x</a>", "html_url_scheme"));
	CHECK(has("<a href=\"&#106;avascript:alert(1)\">x</a>", "html_url_scheme"));
	CHECK(has("<a href=\" java\nscript:alert(1)\">x</a>", "html_url_scheme"));
	CHECK(has("<a href=\"JaVaScRiPt:alert(1)\">x</a>", "html_url_scheme"));
	CHECK(has("<a href=\"javascript&colon;alert(1)\">x</a>", "html_url_scheme"));
	CHECK(has("<img src=\"data:image/png;base64,AAAA\">", "html_url_scheme"));
	CHECK(has("<a href=\"vbscript:x\">x</a>", "html_url_scheme"));
	CHECK(!has("<a href=\"https://x.example/a:b\">x</a>", "html_url_scheme"));
	CHECK(!has("<a href=\"mailto:desk@x.example\">x</a><a href=\"tel:+100\">y</a>", "html_url_scheme"));
	CHECK(!has("<a href=\"/path?q=a:b#c:d\">x</a><a href=\"//cdn.example/x\">y</a>", "html_url_scheme"));
}

static void test_target_blank_rel(void)
{
	CHECK(has("<a href=\"/x\" target=\"_blank\">x</a>", "html_target_blank_rel"));
	CHECK(has("<a href=\"/x\" target=\"_BLANK\" rel=\"nofollow\">x</a>", "html_target_blank_rel"));
	CHECK(!has("<a href=\"/x\" target=\"_blank\" rel=\"nofollow noopener\">x</a>", "html_target_blank_rel"));
	CHECK(!has("<a href=\"/x\" target=\"_blank\" rel=\"noreferrer\">x</a>", "html_target_blank_rel"));
	CHECK(!has("<a href=\"/x\" target=\"_self\">x</a>", "html_target_blank_rel"));
}

static void test_parse(void)
{
	CHECK(has("<p><em>x</p>", "html_parse"));
	CHECK(has("<b><i>x</b></i>", "html_parse"));
	CHECK(has("<p>x</em></p>", "html_parse"));
	CHECK(has("<p>x<!-- never closed", "html_parse"));
	CHECK(has("<p>x <a href=\"/y", "html_parse"));
	CHECK(has("<p>a < b</p>", "html_parse"));
	CHECK(has("<!DOCTYPE html><p>x</p>", "html_parse"));
	CHECK(has("<a href=/x><a href=/y>z</a></a>", "html_parse"));
	CHECK(has("<p>x</p><script>never ends", "html_parse"));
	CHECK(has("<a href=/x href=/y>z</a>", "html_parse"));
	CHECK(!has("<p>x<!-- a comment --></p>", "html_parse"));
}

static void test_entity(void)
{
	size_t a = 0, b = 0;
	found f = scan("<p>AT&amp;T &bogus; x</p>");
	CHECK(count(&f, "html_entity", &a, &b) == 1);
	CHECK(a == 13 && b == 19);
	CHECK(has("<p>&copy 2026</p>", "html_entity"));
	CHECK(has("<p>&#0;</p>", "html_entity"));
	CHECK(has("<p>&#xD800;</p>", "html_entity"));
	CHECK(has("<p>&#x110000;</p>", "html_entity"));
	CHECK(has("<p>&#146;</p>", "html_entity"));
	CHECK(!has("<p>AT&T &amp; &eacute; &#233; &#xE9; &hellip; a & b</p>", "html_entity"));
	CHECK(!has("<a href=\"/s?a=1&copy=2\">x</a>", "html_entity"));
}

static void test_structure(void)
{
	CHECK(has("<h1>Title</h1><p>x</p>", "struct_h1_in_body"));
	CHECK(!has("<h2>Title</h2><p>x</p>", "struct_h1_in_body"));
	CHECK(has("<h2>a</h2><h4>b</h4>", "struct_heading_skip"));
	CHECK(has("<h3>a</h3>", "struct_heading_skip"));
	CHECK(!has("<h2>a</h2><h3>b</h3><h2>c</h2><h3>d</h3><h4>e</h4><h2>f</h2>", "struct_heading_skip"));
	CHECK(has("<p></p>", "struct_empty_block"));
	CHECK(has("<p>&nbsp;</p>", "struct_empty_block"));
	CHECK(has("<p> <br> </p>", "struct_empty_block"));
	CHECK(has("<p><em> </em></p>", "struct_empty_block"));
	CHECK(!has("<p><img src=\"/a.jpg\" alt=\"\"></p>", "struct_empty_block"));
	CHECK(!has("<p>x</p>", "struct_empty_block"));
}

static void test_sanitizer_basics(void)
{
	CHECK(sanitizes_to("<p>Hello &amp; <em>world</em></p>", "<p>Hello &amp; <em>world</em></p>"));
	CHECK(sanitizes_to("<script>alert(1)</script><p>x</p>", "<p>x</p>"));
	CHECK(sanitizes_to("<p onclick=\"x()\" style=\"a\">y</p>", "<p>y</p>"));
	CHECK(sanitizes_to("<a href=\"javascript:alert(1)\">x</a>", "<a>x</a>"));
	CHECK(sanitizes_to("<a href=\"/x\" target=_blank>x</a>", "<a href=\"/x\" rel=\"noopener\" target=\"_blank\">x</a>"));
	CHECK(sanitizes_to("<p>a<p>b", "<p>a</p><p>b</p>"));
	CHECK(sanitizes_to("<b><i>x</b></i>", "<b><i>x</i></b>"));
	CHECK(sanitizes_to("<p></p><p>x</p>", "<p>x</p>"));
	CHECK(sanitizes_to("&eacute;&#233;&lt;&quot;", "\xC3\xA9\xC3\xA9&lt;\""));
	CHECK(sanitizes_to("<h1>T</h1>", "<h2>T</h2>"));
	CHECK(sanitizes_to("a<!-- c -->b", "ab"));
	CHECK(sanitizes_to("<img src=x onerror=alert(1)>", "<img src=\"x\">"));
	CHECK(sanitizes_to("<div>x</div>", "x"));
}

int main(void)
{
	RUN(test_clean_body_has_no_finding);
	RUN(test_tag_disallowed);
	RUN(test_attr_disallowed);
	RUN(test_url_scheme);
	RUN(test_target_blank_rel);
	RUN(test_parse);
	RUN(test_entity);
	RUN(test_structure);
	RUN(test_sanitizer_basics);
	return unit_report();
}
