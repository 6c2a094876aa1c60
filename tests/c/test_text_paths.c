/*
 * The fast paths of the text checks (plain words 64 bytes at a time with
 * SSE2, or one at a time eight bytes at a time; the SSE2/SWAR printable-ASCII
 * scan) against the general path: every article here is validated three
 * ways, as usual, with CD_V_WORDWISE and with CD_V_GENERAL (every word
 * through the general path), and the reports must be the same, finding for
 * finding (code, severity, path, offsets, message, counts); one block's
 * counts and records are compared too.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "copydesk.h"
#include "validate_int.h"
#include "unit.h"

static cd_field F(const char *s, size_t len)
{
	cd_field f;
	f.s = s;
	f.len = len;
	f.state = CD_FIELD_SET;
	return f;
}

/* 1 when both reports hold the same findings in the same order. */
static int same_report(const cd_report *a, const cd_report *b)
{
	size_t i, n = cd_report_count(a);
	int s;
	if (n != cd_report_count(b) || cd_report_truncated(a) != cd_report_truncated(b))
		return 0;
	for (s = CD_SEV_INFO; s <= CD_SEV_ERROR; s++)
		if (cd_report_severity_count(a, (cd_severity)s) != cd_report_severity_count(b, (cd_severity)s))
			return 0;
	for (i = 0; i < n; i++) {
		const cd_finding *x = cd_report_get(a, i), *y = cd_report_get(b, i);
		if (x->rule != y->rule || x->severity != y->severity || x->start != y->start ||
		    x->stop != y->stop || strcmp(x->path, y->path) != 0 ||
		    strcmp(x->message, y->message) != 0)
			return 0;
	}
	return 1;
}

static void dump(const char *what, const cd_report *r)
{
	size_t i;
	fprintf(stderr, "  %s:\n", what);
	for (i = 0; i < cd_report_count(r); i++) {
		const cd_finding *f = cd_report_get(r, i);
		fprintf(stderr, "    %s %s %zu-%zu %s\n", cd_rule_code(f->rule), f->path, f->start,
			f->stop, f->message);
	}
}

static size_t compared, with_findings;

/* Validates the article every way; 1 when the reports agree. */
static int agree(const cd_article *a, const cd_policy *p, const char *text)
{
	cd_report *fast = cd_report_new(), *general = cd_report_new(), *wordwise = cd_report_new();
	int ok = fast && general && wordwise && cd_validate_opts(fast, a, p, 0) == CD_OK &&
		 cd_validate_opts(general, a, p, CD_V_GENERAL) == CD_OK &&
		 cd_validate_opts(wordwise, a, p, CD_V_WORDWISE) == CD_OK &&
		 same_report(fast, general) && same_report(wordwise, general);
	if (!ok) {
		fprintf(stderr, "the paths disagree on: [%s]\n", text);
		if (fast && general && wordwise) {
			dump("fast", fast);
			dump("wordwise", wordwise);
			dump("general", general);
		}
	}
	compared++;
	if (fast && cd_report_count(fast) > 0)
		with_findings++;
	cd_report_free(fast);
	cd_report_free(general);
	cd_report_free(wordwise);
	return ok;
}

/* One block through cd_text_block both ways: the same counts, block record
 * and quotes (what the article-wide checks later read). */
static int same_block_state(const char *text, const cd_policy *p)
{
	cd_vctx v[3]; /* general, fast, wordwise */
	cd_report *r = cd_report_new();
	size_t n = strlen(text), k;
	int i, j, ok = 1;
	for (i = 0; i < 3; i++) {
		memset(&v[i], 0, sizeof v[i]);
		v[i].r = r;
		v[i].p = p;
		v[i].stage = CD_STAGE_REVIEW;
		v[i].general = i == 0;
		v[i].wordwise = i == 2;
		cd_text_block(&v[i], "/body", text, n, 0, n, 1, CD_TB_BODY);
	}
	for (j = 1; j < 3 && ok; j++) {
		if (v[0].body_words != v[j].body_words || v[0].n_blocks != v[j].n_blocks ||
		    v[0].n_quotes != v[j].n_quotes || v[0].err != v[j].err)
			ok = 0;
		for (k = 0; ok && k < v[0].n_blocks; k++) {
			const cd_block_rec *a = &v[0].blocks[k], *b = &v[j].blocks[k];
			ok = a->words == b->words && a->nonspace == b->nonspace && a->start == b->start &&
			     a->stop == b->stop && a->h_first == b->h_first && a->h_last == b->h_last &&
			     a->dup == b->dup && a->ends_sentence == b->ends_sentence &&
			     a->related_head == b->related_head && a->placeholder_only == b->placeholder_only;
		}
		for (k = 0; ok && k < v[0].n_quotes; k++) {
			const cd_quote_pos *a = &v[0].quotes[k], *b = &v[j].quotes[k];
			ok = a->start == b->start && a->stop == b->stop && a->cls == b->cls &&
			     a->kind == b->kind;
		}
		if (!ok)
			fprintf(stderr, "the paths keep different counts for: [%s] (words %zu vs %zu, way %d)\n",
				text, v[0].body_words, v[j].body_words, j);
	}
	for (i = 0; i < 3; i++) {
		free(v[i].blocks);
		free(v[i].quotes);
	}
	cd_report_free(r);
	return ok;
}

static cd_policy *test_policy(void)
{
	cd_policy *p = cd_policy_new();
	cd_policy_list_add(p, CD_LIST_PLACEHOLDERS, "xxx", 3);
	cd_policy_list_add(p, CD_LIST_BOILERPLATE, "Share this article", 18);
	cd_policy_list_add(p, CD_LIST_TERMS, "e-mail", 6);
	cd_policy_list_add(p, CD_LIST_TERMS, "email", 5);
	cd_policy_list_add(p, CD_LIST_TERMS, "harbor", 6);
	cd_policy_list_add(p, CD_LIST_TERMS, "harbour", 7);
	cd_policy_set_threshold(p, CD_T_BODY_MIN_WORDS, 100000);
	return p;
}

/* An article whose body (as text and as HTML) and dek are the text; the
 * word count shows in the message of body_too_short (threshold raised). */
static int agree_on(const char *text, const cd_policy *p)
{
	cd_article a;
	cd_field by[1];
	char html[1200];
	int ok;
	size_t n = strlen(text);
	memset(&a, 0, sizeof a);
	a.headline = F("Harbour bridge repairs will run into the spring", 48);
	a.status = F("published", 9);
	a.published_at = F("2026-11-28T09:00:00Z", 20);
	by[0] = F("Mara Lindqvist", 14);
	a.byline = by;
	a.n_byline = 1;
	a.byline_state = CD_FIELD_SET;
	a.dek = F(text, n);
	a.body = F(text, n);
	a.body_format = CD_BODY_TEXT;
	ok = agree(&a, p, text) && same_block_state(text, p);
	if (2 * n + 20 < sizeof html) {
		snprintf(html, sizeof html, "<p>%s</p><h2>%s</h2>", text, text);
		a.body = F(html, strlen(html));
		a.body_format = CD_BODY_HTML;
		ok &= agree(&a, p, html);
	}
	return ok;
}

/* Bytes that can start a finding or end a plain word. */
static const char *const specials[] = { "'", "-", "\xE2\x80\x99", "\xC3\xA9", "A", "Z", "7", ",",
	".", "!", ";", ":", "  ", "\t", "\xC2\xA0", "\"", "\xE2\x80\x9C", "[", "{{", "@", "/", "`",
	"{", "\x7F", "\x01", NULL };

/* A special byte at every position of words of 1 to 18 letters, the word at
 * every offset of an 8-byte window and at the end of the text. */
static void test_special_at_every_position(void)
{
	cd_policy *p = test_policy();
	char word[40], text[160];
	size_t s, wl, k, shift;
	int ok = 1;
	for (s = 0; specials[s]; s++) {
		for (wl = 1; wl <= 18; wl++) {
			for (k = 0; k <= wl; k++) {
				size_t sl = strlen(specials[s]);
				memset(word, 'm', wl);
				word[0] = 'h'; /* not a phrase's first two letters */
				memmove(word + k + sl, word + k, wl - k);
				memcpy(word + k, specials[s], sl);
				word[wl + sl] = '\0';
				for (shift = 0; shift < 8; shift++) {
					snprintf(text, sizeof text, "Ships %.*sleft the quay %s and sailed away", (int)shift,
						"abcdefg ", word);
					ok &= agree_on(text, p);
					snprintf(text, sizeof text, "Ships %.*sleft the quay %s", (int)shift, "abcdefg ",
						word);
					ok &= agree_on(text, p);
				}
			}
		}
	}
	CHECK(ok);
	cd_policy_free(p);
}

/* Words the fast path must hand over: doubled words, phrases, URLs, capitals. */
static void test_words_that_need_a_closer_look(void)
{
	static const char *const texts[] = {
		"the council said the the repairs would run into the spring",
		"the council said that that the repairs had had to wait",
		"the council said The the repairs would run into the spring",
		"the harbor authority wrote an e-mail to the harbour master",
		"see http://example.com and www.example.com for the plans",
		"the council said lorem ipsum dolor and then TK TK again",
		"no stories found here and no results found there either",
		"the council said xxx and q and share this article twice",
		"THE COUNCIL SAID THAT THE REPAIRS would run into the spring",
		"Yang Yang met the the mayor and Kim Jong UnThe White House",
		"the council saidand the repairs end.Next the spring,and more",
		"the council said  the repairs , would run into the spring ",
		"abcdefghijklmnopqrstuvwxyz abcdefghijklmnopqrstuvwxyz zz zz a a b",
		"caf\xC3\xA9 caf\xC3\xA9 na\xC3\xAFve it\xE2\x80\x99s don't co-op 2026 1,000 x1y2",
		"shop owners shared the sharp news, although all of it was no secret to nobody",
		"the harbo harbor lot lore loremipsum lorem ipsum htx http www.x wwx no, no. no stories",
		"a no", "the lorem", "see www", "ab http", "x no",
		NULL
	};
	cd_policy *p = test_policy();
	size_t i, wl;
	int ok = 1;
	char text[256];
	for (i = 0; texts[i]; i++)
		ok &= agree_on(texts[i], p);
	/* words that outrun a 64-byte window, at its every offset */
	for (wl = 50; wl <= 140; wl++) {
		for (i = 0; i < 70; i += 3) {
			size_t n;
			memset(text, 'a', i);
			text[0] = 'B';
			text[i] = ' ';
			n = i + 1;
			memset(text + n, 'k', wl);
			n += wl;
			memcpy(text + n, " the end", 9);
			ok &= agree_on(text, p);
		}
	}
	CHECK(ok);
	cd_policy_free(p);
}

/* Random sentences from words, capitals, phrases and odd bytes. */
static void test_random_text(void)
{
	static const char *const tokens[] = { "the", "the", "a", "council", "said", "repairs",
		"spokeswoman", "considered", "quay", "The", "Shop", "owners", "had", "that", "TK",
		"lorem", "ipsum", "no", "stories", "found", "NASA", "US", "UN", "McQuaid", "UnThe",
		"it's", "don\xE2\x80\x99t", "co-op", "\xE2\x80\x99", "'", "\"", "\xE2\x80\x9C", "\xE2\x80\x9D",
		"caf\xC3\xA9", "2026", "1,000", "x1", "http://example.com", "www.example.com", ",", ".",
		"!", "?", "[INSERT NAME]", "{{name}}", "e-mail", "harbor", "xxx", "q", "Share", "this",
		"article", "end.Next", "said,and", "abcdefgh", "abcdefghijklmnopq", "X", "WORD", "\xC2\xA0",
		"\t", "www", "ht", "hi", "ww", "nobody", "no", "lot", "lore", "Lorem", "http", "htx",
		"wwx", "shop", "Shop", "shared", "sharp", "harbo", "although", "all", "email", "tkx", NULL };
	static const char *const seps[] = { " ", " ", " ", " ", " ", " ", " ", "", "  ", ", ", ". ", NULL };
	size_t nt = 0, ns = 0, round;
	unsigned long seed = 20261128;
	cd_policy *p = test_policy(), *one = test_policy();
	cd_policy_list_add(one, CD_LIST_PLACEHOLDERS, "q", 1);
	char text[800];
	int ok = 1;
	while (tokens[nt])
		nt++;
	while (seps[ns])
		ns++;
	for (round = 0; round < 400; round++) {
		size_t len = 0, w, words = 5 + round % 60;
		for (w = 0; w < words; w++) {
			const char *t, *sep;
			seed = seed * 1103515245ul + 12345ul;
			t = tokens[(seed >> 16) % nt];
			seed = seed * 1103515245ul + 12345ul;
			sep = w ? seps[(seed >> 16) % ns] : "";
			if (len + strlen(t) + strlen(sep) + 1 >= sizeof text)
				break;
			len += (size_t)sprintf(text + len, "%s%s", sep, t);
		}
		/* a one-letter phrase sends every word to the closer look */
		ok &= agree_on(text, round % 4 == 3 ? one : p);
	}
	CHECK(ok);
	cd_policy_free(p);
	cd_policy_free(one);
}

/* A report validated into again (its scratch kept from the run before)
 * gives what a fresh report gives. */
static void test_report_reused(void)
{
	static const char *const bodies[] = {
		"<p>The council said the the repairs would run into the spring, TK.</p><p>Related stories</p>",
		"<p>Short.</p>",
		"<p>A spokeswoman for the port said it\xE2\x80\x99s late, and it's costly.</p><h2>Next</h2>"
		"<p>A spokeswoman for the port said it\xE2\x80\x99s late, and it's costly.</p>",
		"", NULL };
	cd_policy *p = cd_policy_new();
	cd_report *kept = cd_report_new();
	size_t round, k;
	int ok = 1;
	for (round = 0; round < 3; round++) {
		for (k = 0; bodies[k]; k++) {
			cd_article a;
			cd_report *fresh = cd_report_new();
			memset(&a, 0, sizeof a);
			a.headline = F("Harbour bridge repairs will run into the spring", 48);
			a.body = F(bodies[k], strlen(bodies[k]));
			a.body_format = CD_BODY_HTML;
			cd_report_reset(kept);
			ok &= cd_validate(kept, &a, p) == CD_OK && cd_validate(fresh, &a, p) == CD_OK &&
			      same_report(kept, fresh) && cd_report_count(fresh) > 0;
			cd_report_free(fresh);
		}
	}
	CHECK(ok);
	cd_report_free(kept);
	cd_policy_free(p);
}

/* Headline lengths count characters (eight bytes at a time): k two-byte
 * letters and m ASCII ones are k + m characters. */
static void test_character_count(void)
{
	cd_policy *p = cd_policy_new();
	size_t k, m;
	int ok = 1;
	char head[128], want[96];
	cd_policy_set_threshold(p, CD_T_HEADLINE_MAX, 1);
	cd_policy_set_threshold(p, CD_T_HEADLINE_MIN, 0);
	for (k = 0; k < 20; k++) {
		for (m = 2; m < 30; m++) {
			cd_article a;
			cd_report *r = cd_report_new();
			size_t n = 0, i;
			const cd_finding *f = NULL;
			for (i = 0; i < k + m; i++) {
				if (i % 3 == 1 && k > i / 3) { /* é */
					head[n++] = (char)0xC3;
					head[n++] = (char)0xA9;
				} else {
					head[n++] = 'a';
				}
			}
			memset(&a, 0, sizeof a);
			a.headline = F(head, n);
			cd_validate(r, &a, p);
			for (i = 0; i < cd_report_count(r); i++)
				if (cd_report_get(r, i)->rule == CD_RULE_HEADLINE_LENGTH)
					f = cd_report_get(r, i);
			snprintf(want, sizeof want, "the headline is %zu characters; the limit is 1", k + m);
			ok &= f != NULL && strcmp(f->message, want) == 0;
			cd_report_free(r);
		}
	}
	CHECK(ok);
	cd_policy_free(p);
}

/* Every byte after a URL's path: link_url_invalid exactly for controls,
 * space, DEL and < > " \\ ^ ` { | }. */
static void test_url_bytes(void)
{
	cd_policy *p = cd_policy_new();
	int c, ok = 1;
	for (c = 1; c < 256; c++) {
		char url[64];
		cd_article a;
		cd_image im;
		cd_report *r = cd_report_new();
		size_t i, n;
		int bad = 0, want = c <= 0x20 || c == 0x7F || c == '<' || c == '>' || c == '"' ||
				    c == '\\' || c == '^' || c == '`' || c == '{' || c == '|' || c == '}';
		n = (size_t)snprintf(url, sizeof url, "https://cdn.example/a%cb.jpg", c);
		if (c >= 0x80) { /* keep it UTF-8: a two-byte letter around the byte */
			n = (size_t)snprintf(url, sizeof url, "https://cdn.example/a\xC3\xA9" "b.jpg");
			want = 0;
		}
		if (c == '%') {
			n = (size_t)snprintf(url, sizeof url, "https://cdn.example/a%%20b.jpg");
			want = 0;
		}
		memset(&a, 0, sizeof a);
		memset(&im, 0, sizeof im);
		im.url = F(url, n);
		a.images = &im;
		a.n_images = 1;
		cd_validate(r, &a, p);
		for (i = 0; i < cd_report_count(r); i++)
			if (cd_report_get(r, i)->rule == CD_RULE_LINK_URL_INVALID ||
			    cd_report_get(r, i)->rule == CD_RULE_TEXT_CONTROL_CHAR ||
			    cd_report_get(r, i)->rule == CD_RULE_TEXT_WHITESPACE)
				bad = 1;
		if (bad != want)
			fprintf(stderr, "byte 0x%02X in a URL: %s\n", c, bad ? "rejected" : "accepted");
		ok &= bad == want;
		cd_report_free(r);
	}
	CHECK(ok);
	cd_policy_free(p);
}

/* Not vacuous: many of the texts above have findings. */
static void test_comparisons_ran(void)
{
	CHECK(compared > 10000);
	CHECK(with_findings > compared / 4);
}

int main(void)
{
	RUN(test_special_at_every_position);
	RUN(test_words_that_need_a_closer_look);
	RUN(test_random_text);
	RUN(test_comparisons_ran);
	RUN(test_report_reused);
	RUN(test_character_count);
	RUN(test_url_bytes);
	return unit_report();
}
