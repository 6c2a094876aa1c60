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


/* ---- text runs ---- */

typedef struct runs {
	char log[2048];
	size_t len;
	const char *body;
	int bad;
} runs;

static int on_run(void *ud, const cd_html_run *r)
{
	runs *x = ud;
	char piece[256];
	int k;
	switch (r->kind) {
	case CD_HTML_RUN_TEXT:
		if (r->text != x->body + r->start - 1 || r->len != r->src_len)
			x->bad = 1;
		k = snprintf(piece, sizeof piece, "T(%.*s)", (int)r->len, r->text);
		break;
	case CD_HTML_RUN_CHAR:
		k = snprintf(piece, sizeof piece, "C(%.*s@%zu+%zu)", (int)r->len, r->text, r->start, r->src_len);
		break;
	case CD_HTML_RUN_OPEN:
		k = snprintf(piece, sizeof piece, "<%s>", r->tag);
		break;
	case CD_HTML_RUN_CLOSE:
		k = snprintf(piece, sizeof piece, "</%s>", r->tag);
		break;
	default:
		k = snprintf(piece, sizeof piece, "|%s|", r->tag);
	}
	if (k > 0 && x->len + (size_t)k < sizeof x->log) {
		memcpy(x->log + x->len, piece, (size_t)k);
		x->len += (size_t)k;
		x->log[x->len] = '\0';
	}
	return 0;
}

static int runs_are(const char *html, const char *want)
{
	runs x;
	memset(&x, 0, sizeof x);
	x.body = html;
	CHECK(cd_html_scan(html, strlen(html), NULL, NULL, on_run, &x) == CD_OK);
	if (strcmp(x.log, want) != 0)
		fprintf(stderr, "runs(%s)\n  got  %s\n  want %s\n", html, x.log, want);
	return !x.bad && strcmp(x.log, want) == 0;
}

static void test_text_runs(void)
{
	CHECK(runs_are("<p>Hello &amp; <em>world</em></p><p>b</p>",
		"<p>T(Hello )C(&@10+5)T( )T(world)</p><p>T(b)</p>"));
	CHECK(runs_are("<p>a<br>b<script>x</script>c<!-- d -->e</p>", "<p>T(a)|br|T(b)T(c)T(e)</p>"));
	CHECK(runs_are("<div>a</div><div>b", "<div>T(a)</div><div>T(b)</div>"));
	CHECK(runs_are("<ul><li>a<li>b</ul>", "<ul><li>T(a)</li><li>T(b)</li></ul>"));
	CHECK(runs_are("x &eacute;", "T(x )C(\xC3\xA9@3+8)"));
}

static int stop_after_one(void *ud, const char *code, size_t start, size_t stop, const char *detail)
{
	(void)code, (void)start, (void)stop, (void)detail;
	(*(int *)ud)++;
	return 1;
}

static void test_callback_stops_the_scan(void)
{
	int calls = 0;
	CHECK(cd_html_scan("<div><div><div>", 15, NULL, stop_after_one, NULL, &calls) == CD_OK);
	CHECK(calls == 1);
}

/* ---- configuration ---- */

static void test_config_check(void)
{
	static const char *const ok_tags[] = { "p", "div", "video", "source", NULL };
	static const char *const ok_attrs[] = { "class", "video:poster", "data-id", NULL };
	static const char *const ok_schemes[] = { "https", "data", NULL };
	static const char *const bad_tags[] = { "p", "script", NULL };
	static const char *const bad_tags2[] = { "x-widget", NULL };
	static const char *const bad_attrs[] = { "onclick", NULL };
	static const char *const bad_attrs2[] = { "img:style", NULL };
	static const char *const bad_attrs3[] = { "nosuchtag:title", NULL };
	static const char *const bad_schemes[] = { "JavaScript", NULL };
	static const char *const bad_schemes2[] = { "javascript", NULL };
	cd_html_config c;
	const char *bad = NULL;

	CHECK(cd_html_config_check(NULL, &bad) == CD_OK);
	c.tags = ok_tags, c.attributes = ok_attrs, c.schemes = ok_schemes;
	CHECK(cd_html_config_check(&c, &bad) == CD_OK);
	c.tags = bad_tags;
	CHECK(cd_html_config_check(&c, &bad) == CD_ERR_ARG && strcmp(bad, "script") == 0);
	c.tags = bad_tags2;
	CHECK(cd_html_config_check(&c, &bad) == CD_ERR_ARG);
	c.tags = NULL, c.attributes = bad_attrs;
	CHECK(cd_html_config_check(&c, &bad) == CD_ERR_ARG && strcmp(bad, "onclick") == 0);
	c.attributes = bad_attrs2;
	CHECK(cd_html_config_check(&c, &bad) == CD_ERR_ARG);
	c.attributes = bad_attrs3;
	CHECK(cd_html_config_check(&c, &bad) == CD_ERR_ARG);
	c.attributes = NULL, c.schemes = bad_schemes;
	CHECK(cd_html_config_check(&c, &bad) == CD_ERR_ARG);
	c.schemes = bad_schemes2;
	CHECK(cd_html_config_check(&c, &bad) == CD_ERR_ARG);
	CHECK(cd_html_scan("x", 1, &c, NULL, NULL, NULL) == CD_ERR_ARG);
}

static void test_caller_lists(void)
{
	static const char *const tags[] = { "p", "div", NULL };
	static const char *const attrs[] = { "div:class", NULL };
	static const char *const schemes[] = { "https", NULL };
	cd_html_config c;
	found f;
	char *out;
	const char *html = "<div class=k id=i><p>x <a href=y>z</a></p></div>";

	c.tags = tags, c.attributes = attrs, c.schemes = schemes;
	f = scan_cfg(html, strlen(html), &c);
	CHECK(count(&f, "html_attr_disallowed", NULL, NULL) == 1);
	CHECK(count(&f, "html_tag_disallowed", NULL, NULL) == 1);
	out = sanitize_cfg(html, strlen(html), &c);
	CHECK(out && strcmp(out, "<div class=\"k\"><p>x z</p></div>") == 0);
	free(out);
	/* without p allowed, </p> still closes its p */
	c.tags = tags + 1, c.attributes = NULL;
	html = "<p>a</p><p>b</p>";
	f = scan_cfg(html, strlen(html), &c);
	CHECK(count(&f, "html_tag_disallowed", NULL, NULL) == 2 && count(&f, "html_parse", NULL, NULL) == 0);
	c.tags = tags;
	html = "<p><img src=\"http://x.example/a.jpg\"></p>";
	c.tags = NULL, c.attributes = NULL;
	f = scan_cfg(html, strlen(html), &c);
	CHECK(count(&f, "html_url_scheme", NULL, NULL) == 1);
}

/* ---- the sanitizer's contract ---- */

static void test_sanitize_buffer_and_utf8(void)
{
	char small[4];
	size_t len = 0;
	CHECK(cd_html_sanitize("<p>hello</p>", 12, NULL, small, sizeof small, &len) == CD_ERR_SPACE);
	CHECK(len == 12);
	CHECK(cd_html_sanitize("<p>\xFF</p>", 8, NULL, small, sizeof small, &len) == CD_ERR_UTF8);
	CHECK(cd_html_sanitize("", 0, NULL, NULL, 0, &len) == CD_OK && len == 0);
	CHECK(cd_html_sanitize_bound(10) >= 60);
	CHECK(cd_html_sanitize_bound((size_t)-1 / 2) == (size_t)-1);
}

static int contains_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle), i, j;
	for (i = 0; hay[i]; i++) {
		for (j = 0; j < n && hay[i + j]; j++) {
			char a = hay[i + j], b = needle[j];
			if (a >= 'A' && a <= 'Z')
				a = (char)(a + 32);
			if (a != b)
				break;
		}
		if (j == n)
			return 1;
	}
	return 0;
}

/* The sanitizer's output: a fixed point, nothing left for the scanner but
 * heading skips. */
static int settled(const char *html, size_t len, const cd_html_config *cfg, char **keep)
{
	char *a = sanitize_cfg(html, len, cfg), *b;
	found f;
	int ok;
	if (!a)
		return 0;
	b = sanitize_cfg(a, strlen(a), cfg);
	f = scan_cfg(a, strlen(a), cfg);
	ok = b && strcmp(a, b) == 0 && (size_t)count(&f, "struct_heading_skip", NULL, NULL) == f.total;
	if (!ok)
		fprintf(stderr, "not settled: %s\n  -> %s\n  -> %s\n", html, a, b ? b : "(null)");
	free(b);
	if (keep)
		*keep = a;
	else
		free(a);
	return ok;
}

/* The markup of sanitized HTML without text and attribute values: what a
 * browser could run. */
static char *skeleton(const char *html)
{
	char *out = malloc(strlen(html) + 1), quote = 0;
	size_t o = 0;
	int in_tag = 0;
	for (; *html; html++) {
		char ch = *html;
		if (!in_tag) {
			if (ch == '<') {
				in_tag = 1;
				out[o++] = ch;
			}
			continue;
		}
		if (quote) {
			if (ch == quote)
				quote = 0;
			continue;
		}
		if (ch == '"' || ch == '\'')
			quote = ch;
		else if (ch == '>')
			in_tag = 0;
		out[o++] = ch;
	}
	out[o] = '\0';
	return out;
}

static const char *const xss[] = {
	"<script>alert(1)</script>",
	"<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
	"<IMG SRC=\"javascript:alert('XSS');\">",
	"<IMG SRC=javascript:alert('XSS')>",
	"<IMG SRC=JaVaScRiPt:alert('XSS')>",
	"<IMG SRC=`javascript:alert(\"RSnake says, 'XSS'\")`>",
	"<a onmouseover=\"alert(document.cookie)\">xxs link</a>",
	"<IMG \"\"\"><SCRIPT>alert(\"XSS\")</SCRIPT>\">",
	"<IMG SRC=# onmouseover=\"alert('xxs')\">",
	"<IMG SRC= onmouseover=\"alert('xxs')\">",
	"<IMG onmouseover=\"alert('xxs')\">",
	"<IMG SRC=/ onerror=\"alert(String.fromCharCode(88,83,83))\"></img>",
	"<img src=x onerror=\"&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058&#0000097\">",
	"<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>",
	"<IMG SRC=&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058&#0000097>",
	"<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65&#x72&#x74&#x28&#x27&#x58&#x53&#x53&#x27&#x29>",
	"<IMG SRC=\"jav\tascript:alert('XSS');\">",
	"<IMG SRC=\"jav&#x09;ascript:alert('XSS');\">",
	"<IMG SRC=\"jav&#x0A;ascript:alert('XSS');\">",
	"<IMG SRC=\"jav&#x0D;ascript:alert('XSS');\">",
	"<IMG SRC=\" &#14;  javascript:alert('XSS');\">",
	"<SCRIPT/XSS SRC=\"http://xss.rocks/xss.js\"></SCRIPT>",
	"<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert(\"XSS\")>",
	"<<SCRIPT>alert(\"XSS\");//\\<</SCRIPT>",
	"<SCRIPT SRC=http://xss.rocks/xss.js?< B >",
	"<IMG SRC=\"`<javascript:alert>`('XSS')\"",
	"<iframe src=http://xss.rocks/scriptlet.html <",
	"</TITLE><SCRIPT>alert(\"XSS\");</SCRIPT>",
	"<INPUT TYPE=\"IMAGE\" SRC=\"javascript:alert('XSS');\">",
	"<BODY BACKGROUND=\"javascript:alert('XSS')\">",
	"<IMG DYNSRC=\"javascript:alert('XSS')\">",
	"<STYLE>li {list-style-image: url(\"javascript:alert('XSS')\");}</STYLE><UL><LI>XSS</br>",
	"<svg/onload=alert('XSS')>",
	"<svg><style></svg><img src=x onerror=alert(1)></style>",
	"<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
	"<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
	"<a href=\"javascript&colon;alert(1)\">x</a>",
	"<a href=\"java&Tab;script:alert(1)\">x</a>",
	"<a href=\"&#x6A;avascript&#x3A;alert(1)\">x</a>",
	"<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>",
	"<a href=\"vbscript:msgbox(1)\">x</a>",
	"<a href=\"\x01javascript:alert(1)\">x</a>",
	"<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
	"<object data=\"javascript:alert(1)\"></object><embed src=\"javascript:alert(1)\">",
	"<form action=\"javascript:alert(1)\"><button formaction=javascript:alert(1)>x</button></form>",
	"<META HTTP-EQUIV=\"refresh\" CONTENT=\"0;url=javascript:alert('XSS');\">",
	"<LINK REL=\"stylesheet\" HREF=\"javascript:alert('XSS');\">",
	"<BASE HREF=\"javascript:alert('XSS');//\">",
	"<TABLE BACKGROUND=\"javascript:alert('XSS')\"><TD BACKGROUND=\"javascript:alert('XSS')\">",
	"<DIV STYLE=\"background-image: url(javascript:alert('XSS'))\">",
	"<p style=\"x:expression(alert(1))\">x</p>",
	"<!--[if gte IE 4]><SCRIPT>alert('XSS');</SCRIPT><![endif]-->",
	"<a href=\"/x\" target=\"_blank\">tabnabbing</a>",
	"<p title=\"&quot;><script>alert(1)</script>\">x</p>",
	"<p title='\"><img src=x onerror=alert(1)>'>x</p>",
	"<a title=x\"onclick=alert(1)>x</a>",
	"<xmp><p title=\"</xmp><img src=x onerror=alert(1)>\"></xmp>",
	"<template><img src=x onerror=alert(1)></template>",
	"<textarea></textarea><img src=x onerror=alert(1)>",
	"<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>",
	"<img src=\"x\" alt=\"<script>alert(1)</script>\">",
	NULL
};

static void test_xss_vectors_do_not_survive(void)
{
	size_t i;
	for (i = 0; xss[i]; i++) {
		char *out = NULL, *skel;
		CHECK(settled(xss[i], strlen(xss[i]), NULL, &out));
		if (!out)
			continue;
		skel = skeleton(out);
		if (contains_ci(skel, "<script") || contains_ci(skel, "javascript:") || contains_ci(skel, "onerror")
		    || contains_ci(skel, "onload") || contains_ci(skel, "onmouseover") || contains_ci(skel, "<iframe")
		    || contains_ci(skel, "<svg") || contains_ci(skel, "<style") || contains_ci(skel, "style=")
		    || contains_ci(skel, "vbscript") || contains_ci(skel, "data:") || contains_ci(skel, "<img src=x on")
		    || contains_ci(skel, "<meta") || contains_ci(skel, "<base") || contains_ci(skel, "<object")) {
			fprintf(stderr, "survived: %s\n  -> %s\n", xss[i], out);
			CHECK(0);
		}
		CHECK(!contains_ci(out, "=\"javascript:") && !contains_ci(out, "=\"vbscript:") && !contains_ci(out, "=\"data:"));
		free(skel);
		free(out);
	}
}

/* ---- hostile input ---- */

static char *repeat(const char *piece, size_t times, const char *middle, size_t *len)
{
	size_t k = strlen(piece), m = strlen(middle), i;
	char *s = malloc(k * times + m + 1);
	for (i = 0; i < times; i++)
		memcpy(s + i * k, piece, k);
	memcpy(s + k * times, middle, m + 1);
	*len = k * times + m;
	return s;
}

static void test_deep_nesting_is_bounded(void)
{
	size_t n = 100000, len, i, opens = 0;
	char *s = malloc(n * 7 + 2), *out;
	found f;
	for (i = 0; i < n; i++)
		memcpy(s + i * 3, "<b>", 3);
	s[n * 3] = 'x';
	for (i = 0; i < n; i++)
		memcpy(s + n * 3 + 1 + i * 4, "</b>", 4);
	len = n * 7 + 1;
	s[len] = '\0';
	f = scan_cfg(s, len, NULL);
	CHECK(f.total == 1 && strcmp(f.code[0], "html_parse") == 0);
	out = sanitize_cfg(s, len, NULL);
	for (i = 0; out && out[i]; i++)
		if (strncmp(out + i, "<b>", 3) == 0)
			opens++;
	CHECK(opens == CD_HTML_MAX_DEPTH);
	CHECK(settled(s, len, NULL, NULL));
	free(out);
	free(s);
}

static void test_hostile_repetitions(void)
{
	static const char *const pieces[] = {
		"<p>", "</p>", "<div>", "</div>", "<a href=x>", "</x>", "<!--", "-->", "&", "&amp;", "&#", "&#x",
		"<", "</", "<!", "<?", "<a ", "\"", "'", "=", "<li>", "<td>", "<table>", "<h2>", "<h1>", "<br>",
		"<script>", "</script>", "<x:y>", "&copy", "<p></p>", "<a href=\"javascript:x\" target=_blank>",
		"<a title=", NULL
	};
	size_t i, len;
	for (i = 0; pieces[i]; i++) {
		char *s = repeat(pieces[i], 20000, "x", &len);
		found f = scan_cfg(s, len, NULL);
		(void)f;
		CHECK(settled(s, len, NULL, NULL));
		free(s);
	}
}

static void test_entity_bombs(void)
{
	size_t len, i;
	char *s = malloc(200010);
	found f;
	memcpy(s, "&#", 2);
	memset(s + 2, '9', 200000);
	memcpy(s + 200002, ";x", 3);
	len = 200004;
	f = scan_cfg(s, len, NULL);
	CHECK(f.total == 1 && strcmp(f.code[0], "html_entity") == 0);
	CHECK(settled(s, len, NULL, NULL));
	s[0] = '&';
	memset(s + 1, 'a', 200000);
	memcpy(s + 200001, ";", 2);
	len = 200002;
	f = scan_cfg(s, len, NULL);
	CHECK(f.total == 0); /* too long to be a name: a plain ampersand */
	CHECK(settled(s, len, NULL, NULL));
	for (i = 0; i + 6 <= 200000; i += 6)
		memcpy(s + i, "&#x0;", 5), s[i + 5] = 'a';
	len = i;
	f = scan_cfg(s, len, NULL);
	CHECK(f.total == len / 6);
	CHECK(settled(s, len, NULL, NULL));
	free(s);
}

static void test_unterminated_everything(void)
{
	static const char *const cases[] = {
		"<p>x<", "<p>x</", "<p>x<!", "<p>x<!-", "<p>x<!--", "<p>x<!-- -", "<p>x<a", "<p>x<a href",
		"<p>x<a href=", "<p>x<a href=\"", "<p>x<a href='y", "<p>x</p", "<p>x&", "<p>x&#", "<p>x&#x",
		"<p>x&am", "<p>x<script>", "<p>x<style>a", "<p>x<textarea>", "<p>x<title>", "<p>x<iframe>",
		"<p>x<noscript>", "<p>x<plaintext>y", "<p>x<xmp>", "<p>x<?", "<p>x<![CDATA[", "<p>x<em><b><i>",
		NULL
	};
	size_t i;
	for (i = 0; cases[i]; i++) {
		found f = scan(cases[i]);
		CHECK(f.total > 0 || strcmp(cases[i], "<p>x&") == 0 || strcmp(cases[i], "<p>x&am") == 0);
		CHECK(settled(cases[i], strlen(cases[i]), NULL, NULL));
	}
}

/* Inputs the fuzzer once found unsettled. */
static void test_fuzz_regressions(void)
{
	static const char heading[] = "<h1>Why</h2=x>More<cb//p> talks.</p><h1>Why</h2><p><a href=\"https:p>x\">y</a>";
	static const char target[] = "<a href=x target=\0\0\0_BLANK>b</a>";
	static const char space[] = "<p>\t\0>\t\0Ey&gt;\tEy";
	CHECK(settled(heading, sizeof heading - 1, NULL, NULL));
	CHECK(settled(target, sizeof target - 1, NULL, NULL));
	CHECK(settled(space, sizeof space - 1, NULL, NULL));
}

static void test_nul_bytes(void)
{
	static const char body[] = "<p>a\0b</p><a href=\"/x\0y\">z</a><p\0 title=\"\1\2\">q</p><\0p>&#0;";
	size_t len = sizeof body - 1;
	char *out;
	found f = scan_cfg(body, len, NULL);
	CHECK(f.total > 0);
	CHECK(settled(body, len, NULL, &out));
	CHECK(out && strlen(out) > 0);
	free(out);
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
	RUN(test_text_runs);
	RUN(test_callback_stops_the_scan);
	RUN(test_config_check);
	RUN(test_caller_lists);
	RUN(test_sanitize_buffer_and_utf8);
	RUN(test_xss_vectors_do_not_survive);
	RUN(test_deep_nesting_is_bounded);
	RUN(test_hostile_repetitions);
	RUN(test_entity_bombs);
	RUN(test_unterminated_everything);
	RUN(test_nul_bytes);
	RUN(test_fuzz_regressions);
	return unit_report();
}
