/* C unit tests of the validation engine (validate.c, text.c). */
#include <stdlib.h>
#include <string.h>

#include "copydesk.h"
#include "unit.h"

static cd_field F(const char *s)
{
	cd_field f;
	f.s = s;
	f.len = strlen(s);
	f.state = CD_FIELD_SET;
	return f;
}

static const char *BODY =
	"The harbour bridge reopened to traffic on Saturday morning, ending two years of detours.\n"
	"The repairs replaced the deck and the cables of the northern span and ran a year late.\n"
	"Shop owners on both banks said trade had fallen while the bridge was shut, and several "
	"asked the council for help with their rents and their loans.";

static void clean_article(cd_article *a, cd_field *by)
{
	memset(a, 0, sizeof *a);
	a->headline = F("Harbour bridge reopens after two years of repairs");
	a->status = F("published");
	a->body = F(BODY);
	a->body_format = CD_BODY_TEXT;
	a->published_at = F("2026-11-28T09:00:00Z");
	a->language = F("en-GB");
	by[0] = F("Mara Lindqvist");
	a->byline = by;
	a->n_byline = 1;
	a->byline_state = CD_FIELD_SET;
}

static const cd_finding *find(const cd_report *r, cd_rule rule)
{
	size_t i;
	for (i = 0; i < cd_report_count(r); i++)
		if (cd_report_get(r, i)->rule == rule)
			return cd_report_get(r, i);
	return NULL;
}

static void test_rule_codes(void)
{
	int i;
	for (i = 0; i < CD_RULE_COUNT; i++) {
		const char *c = cd_rule_code((cd_rule)i);
		CHECK(c != NULL);
		CHECK(cd_rule_lookup(c, strlen(c)) == i);
	}
	CHECK(cd_rule_lookup("nope", 4) == -1);
	CHECK(cd_rule_code(CD_RULE_COUNT) == NULL);
	CHECK(strcmp(cd_rule_code(CD_RULE_TEXT_QUOTE_MIXED), "text_quote_mixed") == 0);
}

static void test_clean_article(void)
{
	cd_article a;
	cd_field by[1];
	cd_policy *p = cd_policy_new();
	cd_report *r = cd_report_new();
	clean_article(&a, by);
	CHECK(cd_validate(r, &a, p) == CD_OK);
	CHECK(cd_report_severity_count(r, CD_SEV_ERROR) == 0);
	CHECK(cd_report_severity_count(r, CD_SEV_WARNING) == 0);
	cd_report_free(r);
	cd_policy_free(p);
}

static void test_findings_and_order(void)
{
	cd_article a;
	cd_field by[1];
	cd_policy *p = cd_policy_new();
	cd_report *r = cd_report_new();
	const cd_finding *f;
	size_t i;
	clean_article(&a, by);
	a.headline = F("Storm hits the the coast TK");
	a.n_byline = 0;
	a.slug = F("Bad Slug");
	a.published_at = F("2026-11-28T09:00:00");
	CHECK(cd_validate(r, &a, p) == CD_OK);
	f = find(r, CD_RULE_TEXT_DOUBLED_WORD);
	CHECK(f != NULL && f->start == 12 && f->stop == 18 && strcmp(f->path, "/headline") == 0);
	f = find(r, CD_RULE_TEXT_PLACEHOLDER);
	CHECK(f != NULL && f->start == 26 && f->stop == 27);
	CHECK(find(r, CD_RULE_BYLINE_MISSING) != NULL);
	CHECK(find(r, CD_RULE_SLUG_FORMAT) != NULL);
	f = find(r, CD_RULE_DATE_FORMAT);
	CHECK(f != NULL && f->severity == CD_SEV_ERROR && f->start == 0);
	for (i = 1; i < cd_report_count(r); i++)
		CHECK(strcmp(cd_report_get(r, i - 1)->path, cd_report_get(r, i)->path) <= 0);
	cd_report_free(r);
	cd_policy_free(p);
}

static void test_policy(void)
{
	cd_policy *p = cd_policy_new();
	cd_report *r = cd_report_new();
	cd_article a;
	cd_field by[1];
	size_t n;
	CHECK(cd_policy_severity(p, CD_RULE_BYLINE_MISSING, CD_STAGE_DRAFT) == CD_SEV_INFO);
	CHECK(cd_policy_severity(p, CD_RULE_BYLINE_MISSING, CD_STAGE_PUBLISHED) == CD_SEV_ERROR);
	CHECK(cd_policy_set_severity(p, CD_RULE_BYLINE_MISSING, CD_STAGE_PUBLISHED, CD_SEV_OFF) == CD_OK);
	CHECK(cd_policy_set_severity(p, CD_RULE_COUNT, CD_STAGE_PUBLISHED, CD_SEV_OFF) == CD_ERR_ARG);
	CHECK(cd_policy_set_threshold(p, CD_T_HEADLINE_MAX, 20) == CD_OK);
	CHECK(cd_policy_threshold(p, CD_T_HEADLINE_MAX) == 20);
	CHECK(cd_policy_list_add(p, CD_LIST_PLACEHOLDERS, "zzz", 3) == CD_OK);
	CHECK(cd_policy_list_count(p, CD_LIST_PLACEHOLDERS) == 1);
	CHECK(strcmp(cd_policy_list_get(p, CD_LIST_PLACEHOLDERS, 0, &n), "zzz") == 0 && n == 3);
	clean_article(&a, by);
	a.n_byline = 0;
	a.dek = F("A dek with zzz in it");
	CHECK(cd_validate(r, &a, p) == CD_OK);
	CHECK(find(r, CD_RULE_BYLINE_MISSING) == NULL);
	CHECK(find(r, CD_RULE_HEADLINE_LENGTH) != NULL);
	CHECK(find(r, CD_RULE_TEXT_PLACEHOLDER) != NULL);
	CHECK(cd_policy_list_clear(p, CD_LIST_PLACEHOLDERS) == CD_OK);
	CHECK(cd_policy_list_count(p, CD_LIST_PLACEHOLDERS) == 0);
	cd_report_free(r);
	cd_policy_free(p);
}

static void test_truncation_and_reset(void)
{
	cd_policy *p = cd_policy_new();
	cd_report *r = cd_report_new();
	int i;
	cd_policy_set_threshold(p, CD_T_MAX_FINDINGS, 3);
	for (i = 0; i < 10; i++)
		CHECK(cd_report_add(r, p, CD_STAGE_REVIEW, CD_RULE_TEXT_PLACEHOLDER, "/body", 10 - i, 10 - i, "x") == CD_OK);
	CHECK(cd_report_count(r) == 3);
	CHECK(cd_report_truncated(r));
	CHECK(cd_report_severity_count(r, CD_SEV_ERROR) == 10);
	cd_report_sort(r);
	CHECK(cd_report_get(r, 0)->start < cd_report_get(r, 1)->start);
	cd_report_reset(r);
	CHECK(cd_report_count(r) == 0 && !cd_report_truncated(r));
	CHECK(cd_report_alloc(r, 100000) != NULL);
	cd_report_free(r);
	cd_policy_free(p);
}

static void test_path_order(void)
{
	cd_policy *p = cd_policy_new();
	cd_report *r = cd_report_new();
	cd_report_add(r, p, CD_STAGE_REVIEW, CD_RULE_LINK_URL_INVALID, "/images/10/url", 0, 0, NULL);
	cd_report_add(r, p, CD_STAGE_REVIEW, CD_RULE_LINK_URL_INVALID, "/images/9/url", 0, 0, NULL);
	cd_report_add(r, p, CD_STAGE_REVIEW, CD_RULE_HEADLINE_MISSING, "/headline", 0, 0, NULL);
	cd_report_sort(r);
	CHECK(strcmp(cd_report_get(r, 0)->path, "/headline") == 0);
	CHECK(strcmp(cd_report_get(r, 1)->path, "/images/9/url") == 0);
	CHECK(strcmp(cd_report_get(r, 2)->path, "/images/10/url") == 0);
	cd_report_free(r);
	cd_policy_free(p);
}

static void test_json_precheck(void)
{
	size_t off = 0;
	char deep[200];
	memset(deep, '[', sizeof deep);
	CHECK(cd_json_precheck("{\"a\":[1,2]}", 11, 100, 2, &off) == CD_OK);
	CHECK(cd_json_precheck("{\"a\":[[1]]}", 11, 100, 2, &off) == CD_ERR_ARG && off == 6);
	CHECK(cd_json_precheck("\"[[[[\"", 6, 100, 1, &off) == CD_OK);
	CHECK(cd_json_precheck("{\"a\":\"x\\\"[[\"}", 13, 100, 1, &off) == CD_OK);
	CHECK(cd_json_precheck("{\"a\":\"x\\\\\"[[\"}", 14, 100, 2, &off) == CD_ERR_ARG);
	CHECK(cd_json_precheck("[\"unterminated", 14, 100, 1, &off) == CD_OK);
	CHECK(cd_json_precheck(deep, sizeof deep, 1000, 64, &off) == CD_ERR_ARG && off == 64);
	CHECK(cd_json_precheck(deep, sizeof deep, 100, 64, &off) == CD_ERR_SPACE);
}

static void test_hostile_bytes(void)
{
	cd_article a;
	cd_field by[1];
	cd_policy *p = cd_policy_new();
	cd_report *r = cd_report_new();
	static const char junk[] = "\xff\xfe\0\x01 TK \xe2\x80";
	clean_article(&a, by);
	a.headline.s = junk;
	a.headline.len = sizeof junk - 1;
	a.body.s = junk;
	a.body.len = sizeof junk - 1;
	CHECK(cd_validate(r, &a, p) == CD_OK);
	CHECK(find(r, CD_RULE_UTF8_INVALID) != NULL);
	cd_report_free(r);
	cd_policy_free(p);
}

int main(void)
{
	RUN(test_rule_codes);
	RUN(test_clean_article);
	RUN(test_findings_and_order);
	RUN(test_policy);
	RUN(test_truncation_and_reset);
	RUN(test_path_order);
	RUN(test_json_precheck);
	RUN(test_hostile_bytes);
	return unit_report();
}
