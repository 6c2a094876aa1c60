/*
 * HTML body scanner and sanitizer: one linear pass over a body fragment with
 * a fixed stack of open elements, reporting findings and text runs, or
 * writing safe HTML. It is not a full HTML5 tree builder: it models the
 * tokenizer, implied end tags and nesting that matter for a news body, and
 * makes its own output well-formed so browsers build the tree it intends.
 */
#include <string.h>

#include "copydesk.h"
#include "cpu.h"
#include "html_data.h"

/* ---- element table ------------------------------------------------------ */

enum {
	F_VOID = 1 << 0,    /* no content, no end tag */
	F_BLOCK = 1 << 1,   /* closes an open p; a text boundary */
	F_BOUND = 1 << 2,   /* a text boundary (table parts) */
	F_RAW = 1 << 3,     /* raw text content up to its end tag */
	F_DROP = 1 << 4,    /* content is never shown nor written */
	F_NEVER = 1 << 5,   /* can never be allowed */
	F_OPTEND = 1 << 6,  /* end tag optional: implied closes are fine */
	F_LAZY = 1 << 7,    /* written only once it has content */
	F_EMPTY = 1 << 8,   /* struct_empty_block when closed without content */
	F_HEAD = 1 << 9,    /* h1..h6 */
	F_SCOPE = 1 << 10   /* bounds the search for an open p, li, td... */
};

#define PHR (F_LAZY)
#define BLK (F_BLOCK | F_BOUND)
#define NEV (F_NEVER)
#define DRP (F_NEVER | F_DROP)
#define RAW (F_NEVER | F_DROP | F_RAW)
#define HDG (BLK | F_LAZY | F_EMPTY | F_HEAD)

/* Sorted by name (bytewise): looked up by binary search. */
#define TAGS(X)                                                   \
	X(A, "a", PHR)                                                \
	X(ABBR, "abbr", PHR)                                          \
	X(ACRONYM, "acronym", PHR)                                    \
	X(ADDRESS, "address", BLK)                                    \
	X(APPLET, "applet", DRP | F_SCOPE)                            \
	X(AREA, "area", F_VOID | NEV)                                 \
	X(ARTICLE, "article", BLK)                                    \
	X(ASIDE, "aside", BLK)                                        \
	X(AUDIO, "audio", 0)                                          \
	X(B, "b", PHR)                                                \
	X(BASE, "base", F_VOID | NEV)                                 \
	X(BASEFONT, "basefont", F_VOID | NEV)                         \
	X(BDI, "bdi", PHR)                                            \
	X(BDO, "bdo", PHR)                                            \
	X(BGSOUND, "bgsound", F_VOID | NEV)                           \
	X(BIG, "big", PHR)                                            \
	X(BLINK, "blink", PHR | NEV)                                  \
	X(BLOCKQUOTE, "blockquote", BLK | F_LAZY | F_EMPTY)           \
	X(BODY, "body", NEV | F_OPTEND)                               \
	X(BR, "br", F_VOID)                                           \
	X(BUTTON, "button", NEV | F_SCOPE)                            \
	X(CANVAS, "canvas", 0)                                        \
	X(CAPTION, "caption", F_BOUND | F_OPTEND | F_SCOPE)           \
	X(CENTER, "center", BLK)                                      \
	X(CITE, "cite", PHR)                                          \
	X(CODE, "code", PHR)                                          \
	X(COL, "col", F_VOID)                                         \
	X(COLGROUP, "colgroup", F_OPTEND)                             \
	X(DATA, "data", PHR)                                          \
	X(DATALIST, "datalist", DRP)                                  \
	X(DD, "dd", BLK | F_OPTEND)                                   \
	X(DEL, "del", PHR)                                            \
	X(DETAILS, "details", BLK)                                    \
	X(DFN, "dfn", PHR)                                            \
	X(DIALOG, "dialog", BLK | NEV)                                \
	X(DIR, "dir", BLK)                                            \
	X(DIV, "div", BLK)                                            \
	X(DL, "dl", BLK)                                              \
	X(DT, "dt", BLK | F_OPTEND)                                   \
	X(EM, "em", PHR)                                              \
	X(EMBED, "embed", F_VOID | DRP)                               \
	X(FIELDSET, "fieldset", BLK)                                  \
	X(FIGCAPTION, "figcaption", BLK | F_LAZY | F_EMPTY)           \
	X(FIGURE, "figure", BLK)                                      \
	X(FONT, "font", PHR)                                          \
	X(FOOTER, "footer", BLK)                                      \
	X(FORM, "form", BLK | DRP)                                    \
	X(FRAME, "frame", F_VOID | DRP)                               \
	X(FRAMESET, "frameset", DRP)                                  \
	X(H1, "h1", HDG)                                              \
	X(H2, "h2", HDG)                                              \
	X(H3, "h3", HDG)                                              \
	X(H4, "h4", HDG)                                              \
	X(H5, "h5", HDG)                                              \
	X(H6, "h6", HDG)                                              \
	X(HEAD, "head", DRP | F_OPTEND)                               \
	X(HEADER, "header", BLK)                                      \
	X(HGROUP, "hgroup", BLK)                                      \
	X(HR, "hr", F_VOID | BLK)                                     \
	X(HTML, "html", NEV | F_OPTEND | F_SCOPE)                     \
	X(I, "i", PHR)                                                \
	X(IFRAME, "iframe", RAW)                                      \
	X(IMAGE, "image", F_VOID | NEV)                               \
	X(IMG, "img", F_VOID)                                         \
	X(INPUT, "input", F_VOID | NEV)                               \
	X(INS, "ins", PHR)                                            \
	X(ISINDEX, "isindex", F_VOID | NEV)                           \
	X(KBD, "kbd", PHR)                                            \
	X(KEYGEN, "keygen", F_VOID | NEV)                             \
	X(LABEL, "label", PHR)                                        \
	X(LEGEND, "legend", 0)                                        \
	X(LI, "li", BLK | F_OPTEND | F_LAZY | F_EMPTY)                \
	X(LINK, "link", F_VOID | NEV)                                 \
	X(LISTING, "listing", BLK | NEV)                              \
	X(MAIN, "main", BLK)                                          \
	X(MAP, "map", 0)                                              \
	X(MARK, "mark", PHR)                                          \
	X(MARQUEE, "marquee", NEV | F_SCOPE)                          \
	X(MATH, "math", DRP)                                          \
	X(MENU, "menu", BLK)                                          \
	X(META, "meta", F_VOID | NEV)                                 \
	X(METER, "meter", 0)                                          \
	X(NAV, "nav", BLK)                                            \
	X(NOBR, "nobr", PHR)                                          \
	X(NOEMBED, "noembed", RAW)                                    \
	X(NOFRAMES, "noframes", RAW)                                  \
	X(NOSCRIPT, "noscript", RAW)                                  \
	X(OBJECT, "object", DRP | F_SCOPE)                            \
	X(OL, "ol", BLK)                                              \
	X(OPTGROUP, "optgroup", DRP | F_OPTEND)                       \
	X(OPTION, "option", DRP | F_OPTEND)                           \
	X(OUTPUT, "output", PHR)                                      \
	X(P, "p", BLK | F_OPTEND | F_LAZY | F_EMPTY)                  \
	X(PARAM, "param", F_VOID | NEV)                               \
	X(PICTURE, "picture", 0)                                      \
	X(PLAINTEXT, "plaintext", RAW | F_BLOCK)                      \
	X(PORTAL, "portal", DRP)                                      \
	X(PRE, "pre", BLK)                                            \
	X(PROGRESS, "progress", 0)                                    \
	X(Q, "q", PHR)                                                \
	X(RB, "rb", PHR | F_OPTEND)                                   \
	X(RP, "rp", PHR | F_OPTEND)                                   \
	X(RT, "rt", PHR | F_OPTEND)                                   \
	X(RTC, "rtc", PHR | F_OPTEND)                                 \
	X(RUBY, "ruby", PHR)                                          \
	X(S, "s", PHR)                                                \
	X(SAMP, "samp", PHR)                                          \
	X(SCRIPT, "script", RAW)                                      \
	X(SEARCH, "search", BLK)                                      \
	X(SECTION, "section", BLK)                                    \
	X(SELECT, "select", DRP)                                      \
	X(SLOT, "slot", NEV)                                          \
	X(SMALL, "small", PHR)                                        \
	X(SOURCE, "source", F_VOID)                                   \
	X(SPAN, "span", PHR)                                          \
	X(STRIKE, "strike", PHR)                                      \
	X(STRONG, "strong", PHR)                                      \
	X(STYLE, "style", RAW)                                        \
	X(SUB, "sub", PHR)                                            \
	X(SUMMARY, "summary", BLK)                                    \
	X(SUP, "sup", PHR)                                            \
	X(SVG, "svg", DRP)                                            \
	X(TABLE, "table", BLK | F_SCOPE)                              \
	X(TBODY, "tbody", F_BOUND | F_OPTEND)                         \
	X(TD, "td", F_BOUND | F_OPTEND | F_SCOPE)                     \
	X(TEMPLATE, "template", DRP | F_SCOPE)                         \
	X(TEXTAREA, "textarea", RAW)                                  \
	X(TFOOT, "tfoot", F_BOUND | F_OPTEND)                         \
	X(TH, "th", F_BOUND | F_OPTEND | F_SCOPE)                     \
	X(THEAD, "thead", F_BOUND | F_OPTEND)                         \
	X(TIME, "time", PHR)                                          \
	X(TITLE, "title", RAW)                                        \
	X(TR, "tr", F_BOUND | F_OPTEND)                               \
	X(TRACK, "track", F_VOID)                                     \
	X(TT, "tt", PHR)                                              \
	X(U, "u", PHR)                                                \
	X(UL, "ul", BLK)                                              \
	X(VAR, "var", PHR)                                            \
	X(VIDEO, "video", 0)                                          \
	X(WBR, "wbr", F_VOID)                                         \
	X(XMP, "xmp", RAW | F_BLOCK)

#define TAG_ENUM(id, name, flags) T_##id,
enum { TAGS(TAG_ENUM) T_COUNT, T_UNKNOWN = T_COUNT, T_ANY = -1 };

typedef struct tag_info {
	const char *name;
	unsigned char len;
	unsigned short flags;
} tag_info;

#define TAG_INFO(id, name, flags) { name, sizeof(name) - 1, (unsigned short)(flags) },
static const tag_info tag_table[T_COUNT] = { TAGS(TAG_INFO) };

#define TAG_NAME_MAX 10 /* "blockquote", "figcaption" */

static unsigned tag_flags(int id)
{
	return id < T_COUNT ? tag_table[id].flags : 0;
}

static unsigned char lower(unsigned char ch)
{
	return (ch >= 'A' && ch <= 'Z') ? (unsigned char)(ch + 32) : ch;
}

/* Compares s[0..n) (any case) with a lowercase name of length m. */
static int name_cmp(const char *s, size_t n, const char *name, size_t m)
{
	size_t i, k = n < m ? n : m;
	for (i = 0; i < k; i++) {
		unsigned char a = lower((unsigned char)s[i]), b = (unsigned char)name[i];
		if (a != b)
			return a < b ? -1 : 1;
	}
	return n < m ? -1 : n > m ? 1 : 0;
}

/* Where the names of each first letter start in tag_table ('a'..'z', then
 * the end); cd_html_config_check(NULL) verifies it against the table. */
static const unsigned char tag_first[27] = {
	0, 9, 21, 28, 39, 41, 49, 49, 60, 67, 67, 69, 74, 82, 87, 92, 99, 100, 105, 122, 135, 137, 139, 140,
	141, 141, 141
};

static int tag_lookup(const char *s, size_t n)
{
	unsigned char c0;
	int i, end;
	if (n == 0 || n > TAG_NAME_MAX)
		return T_UNKNOWN;
	c0 = lower((unsigned char)s[0]);
	if (c0 < 'a' || c0 > 'z')
		return T_UNKNOWN;
	end = tag_first[c0 - 'a' + 1];
	for (i = tag_first[c0 - 'a']; i < end; i++) {
		const char *name = tag_table[i].name;
		size_t k;
		if (tag_table[i].len != n)
			continue;
		for (k = 1; k < n && lower((unsigned char)s[k]) == (unsigned char)name[k]; k++)
			;
		if (k == n)
			return i;
	}
	return T_UNKNOWN;
}

/* Whether every tag name finds its own entry (the index above is right). */
static int tag_table_ok(void)
{
	int i;
	for (i = 0; i < T_COUNT; i++)
		if (tag_lookup(tag_table[i].name, tag_table[i].len) != i
		    || (i > 0 && strcmp(tag_table[i - 1].name, tag_table[i].name) >= 0))
			return 0;
	return 1;
}

/* ---- defaults --------------------------------------------------------- */

static const char *const default_tags[] = {
	"p", "h2", "h3", "h4", "h5", "h6", "a", "em", "strong", "b", "i", "u", "s",
	"sub", "sup", "blockquote", "q", "cite", "ul", "ol", "li", "figure",
	"figcaption", "img", "br", "hr", "table", "caption", "thead", "tbody",
	"tfoot", "tr", "th", "td", "code", "pre", "span", "abbr", "time", "dl",
	"dt", "dd", NULL
};

static const char *const default_attributes[] = {
	"title", "lang", "dir",
	"a:href", "a:rel", "a:target", "a:hreflang",
	"img:src", "img:alt", "img:width", "img:height",
	"blockquote:cite", "q:cite", "time:datetime",
	"td:colspan", "td:rowspan", "th:colspan", "th:rowspan", "th:scope",
	"ol:start", "ol:reversed",
	NULL
};

static const char *const default_schemes[] = { "http", "https", "mailto", "tel", NULL };

typedef struct name_len {
	const char *name;
	size_t len;
} name_len;

#define NL(lit) { lit, sizeof(lit) - 1 }

/* Attributes that can never be allowed (besides every on* handler). */
static const name_len forbidden_attributes[] = {
	NL("style"), NL("srcdoc"), NL("srcset"), NL("formaction"), NL("action"), NL("background"),
	NL("dynsrc"), NL("lowsrc"), NL("ping"), NL("xmlns"), NL("http-equiv"), NL("is"), NL("autofocus"),
	{ NULL, 0 }
};

/* Attributes whose value is a URL: the scheme is checked. */
static const name_len url_attributes[] = {
	NL("href"), NL("src"), NL("cite"), NL("longdesc"), NL("poster"), NL("usemap"), NL("data"),
	NL("codebase"), NL("manifest"), NL("icon"), NL("profile"), NL("itemtype"), NL("archive"),
	NL("classid"), { NULL, 0 }
};

static const name_len forbidden_schemes[] = {
	NL("javascript"), NL("vbscript"), NL("livescript"), NL("mocha"), { NULL, 0 }
};

/* Whether s[0..n), lowercase, is in the list. */
static int in_list(const char *s, size_t n, const name_len *list)
{
	for (; list->name; list++)
		if (list->len == n && memcmp(s, list->name, n) == 0)
			return 1;
	return 0;
}

/* ---- configuration ------------------------------------------------------ */

typedef struct attr_rule {
	const char *name;
	size_t len;
	int tag;        /* T_ANY: every allowed element */
	int url;
} attr_rule;

typedef struct config {
	unsigned char allowed[T_COUNT];
	attr_rule attrs[CD_HTML_MAX_LIST];
	size_t nattrs;
	const char *const *schemes;
} config;

static int valid_name(const char *s, size_t n, int scheme)
{
	size_t i;
	if (n == 0 || n > 64 || !(s[0] >= 'a' && s[0] <= 'z'))
		return 0;
	for (i = 1; i < n; i++) {
		char ch = s[i];
		if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-')
			continue;
		if (scheme && (ch == '+' || ch == '.'))
			continue;
		return 0;
	}
	return 1;
}

static int list_len_ok(const char *const *list)
{
	size_t n = 0;
	for (; *list; list++)
		if (++n > CD_HTML_MAX_LIST)
			return 0;
	return 1;
}

static cd_status config_build(config *k, const cd_html_config *cfg, const char **bad)
{
	const char *const *tags = cfg && cfg->tags ? cfg->tags : default_tags;
	const char *const *attrs = cfg && cfg->attributes ? cfg->attributes : default_attributes;
	const char *const *schemes = cfg && cfg->schemes ? cfg->schemes : default_schemes;
	const char *const *p;

	memset(k->allowed, 0, sizeof k->allowed);
	k->nattrs = 0;
	k->schemes = schemes;

	if (!list_len_ok(tags)) {
		*bad = tags[0];
		return CD_ERR_ARG;
	}
	for (p = tags; *p; p++) {
		size_t n = strlen(*p);
		int id = valid_name(*p, n, 0) ? tag_lookup(*p, n) : T_UNKNOWN;
		if (id == T_UNKNOWN || (tag_flags(id) & F_NEVER)) {
			*bad = *p;
			return CD_ERR_ARG;
		}
		k->allowed[id] = 1;
	}
	if (!list_len_ok(attrs)) {
		*bad = attrs[0];
		return CD_ERR_ARG;
	}
	for (p = attrs; *p; p++) {
		const char *s = *p, *colon = strchr(s, ':');
		attr_rule *r = &k->attrs[k->nattrs];
		r->tag = T_ANY;
		if (colon) {
			r->tag = valid_name(s, (size_t)(colon - s), 0) ? tag_lookup(s, (size_t)(colon - s)) : T_UNKNOWN;
			s = colon + 1;
		}
		r->name = s;
		r->len = strlen(s);
		if (r->tag == T_UNKNOWN || !valid_name(s, r->len, 0) || (r->len >= 2 && s[0] == 'o' && s[1] == 'n')
		    || in_list(s, r->len, forbidden_attributes)) {
			*bad = *p;
			return CD_ERR_ARG;
		}
		r->url = in_list(s, r->len, url_attributes);
		k->nattrs++;
	}
	if (!list_len_ok(schemes)) {
		*bad = schemes[0];
		return CD_ERR_ARG;
	}
	for (p = schemes; *p; p++) {
		size_t n = strlen(*p);
		if (!valid_name(*p, n, 1) || in_list(*p, n, forbidden_schemes)) {
			*bad = *p;
			return CD_ERR_ARG;
		}
	}
	return CD_OK;
}

/* The defaults, prebuilt: the same as config_build over the default lists
 * (cd_html_config_check(NULL) verifies it). */
static const config default_config = {
	{ [T_P] = 1, [T_H2] = 1, [T_H3] = 1, [T_H4] = 1, [T_H5] = 1, [T_H6] = 1, [T_A] = 1, [T_EM] = 1,
	  [T_STRONG] = 1, [T_B] = 1, [T_I] = 1, [T_U] = 1, [T_S] = 1, [T_SUB] = 1, [T_SUP] = 1,
	  [T_BLOCKQUOTE] = 1, [T_Q] = 1, [T_CITE] = 1, [T_UL] = 1, [T_OL] = 1, [T_LI] = 1, [T_FIGURE] = 1,
	  [T_FIGCAPTION] = 1, [T_IMG] = 1, [T_BR] = 1, [T_HR] = 1, [T_TABLE] = 1, [T_CAPTION] = 1,
	  [T_THEAD] = 1, [T_TBODY] = 1, [T_TFOOT] = 1, [T_TR] = 1, [T_TH] = 1, [T_TD] = 1, [T_CODE] = 1,
	  [T_PRE] = 1, [T_SPAN] = 1, [T_ABBR] = 1, [T_TIME] = 1, [T_DL] = 1, [T_DT] = 1, [T_DD] = 1 },
	{ { "title", 5, T_ANY, 0 }, { "lang", 4, T_ANY, 0 }, { "dir", 3, T_ANY, 0 },
	  { "href", 4, T_A, 1 }, { "rel", 3, T_A, 0 }, { "target", 6, T_A, 0 }, { "hreflang", 8, T_A, 0 },
	  { "src", 3, T_IMG, 1 }, { "alt", 3, T_IMG, 0 }, { "width", 5, T_IMG, 0 }, { "height", 6, T_IMG, 0 },
	  { "cite", 4, T_BLOCKQUOTE, 1 }, { "cite", 4, T_Q, 1 }, { "datetime", 8, T_TIME, 0 },
	  { "colspan", 7, T_TD, 0 }, { "rowspan", 7, T_TD, 0 }, { "colspan", 7, T_TH, 0 },
	  { "rowspan", 7, T_TH, 0 }, { "scope", 5, T_TH, 0 }, { "start", 5, T_OL, 0 },
	  { "reversed", 8, T_OL, 0 } },
	21,
	default_schemes
};

static int same_config(const config *a, const config *b)
{
	size_t i;
	if (memcmp(a->allowed, b->allowed, sizeof a->allowed) != 0 || a->nattrs != b->nattrs)
		return 0;
	for (i = 0; i < a->nattrs; i++) {
		const attr_rule *x = &a->attrs[i], *y = &b->attrs[i];
		if (x->len != y->len || x->tag != y->tag || x->url != y->url || memcmp(x->name, y->name, x->len) != 0)
			return 0;
	}
	return a->schemes == b->schemes;
}

cd_status cd_html_config_check(const cd_html_config *cfg, const char **bad)
{
	config k;
	const char *b = NULL;
	cd_status st = config_build(&k, cfg, &b);
	if (st == CD_OK && cfg == NULL && (!same_config(&k, &default_config) || !tag_table_ok()))
		st = CD_ERR_ARG; /* the prebuilt defaults drifted from the lists */
	if (bad)
		*bad = b;
	return st;
}

/* ---- the engine ------------------------------------------------------- */

enum { E_EMIT = 1, E_OPENED = 2 };

typedef struct open_el {
	int id;            /* T_* or T_UNKNOWN */
	int out;           /* the element written for it (h1 may become h2) */
	unsigned flags;    /* E_* */
	size_t name, nlen; /* its name in the body (for unknown elements) */
	size_t start, end; /* the start tag: '<' .. past '>' (0-based) */
	size_t attrs;      /* where its attributes begin */
} open_el;

#define NONE ((size_t)-1)
#define OUT_STAGE 1024

typedef struct engine {
	const char *s;
	size_t n;
	const config *cfg; /* the defaults, or own */
	config own;
	cd_html_finding_fn on_finding;
	cd_html_text_fn on_text;
	void *ud;
	int stop;
	/* the tree */
	open_el stack[CD_HTML_MAX_DEPTH];
	size_t depth;
	size_t marked;   /* stack[0..marked) has content (and is written) */
	size_t drop_at;  /* index of the outermost dropped element, or NONE */
	size_t overflow; /* start tags ignored beyond the depth limit */
	size_t overflow_drop; /* overflow count at a dropped element opened there, or 0 */
	int overflow_reported;
	unsigned count[T_COUNT + 1];
	int last_heading;
	/* output (sanitizer only) */
	int emit;
	cd_html_write_fn write;
	void *wud;
	int write_failed;
	size_t total;
	size_t stage_len;
	char stage[OUT_STAGE];
} engine;

/* -- findings and text runs -- */

static void finding(engine *e, const char *code, size_t from, size_t to,
	const char *what, const char *name, size_t nlen)
{
	char detail[CD_HTML_DETAIL_MAX];
	size_t d = 0, i;
	if (!e->on_finding || e->stop)
		return;
	for (; what && *what && d < CD_HTML_DETAIL_MAX - 1; what++)
		detail[d++] = *what;
	for (i = 0; name && i < nlen && d < CD_HTML_DETAIL_MAX - 1; i++) {
		unsigned char ch = (unsigned char)name[i];
		detail[d++] = (ch > 0x20 && ch < 0x7F) ? (char)lower(ch) : '?';
	}
	detail[d] = '\0';
	if (to <= from)
		to = from + 1;
	if (to > e->n && e->n > 0)
		to = e->n;
	if (from >= to)
		from = to - 1;
	if (e->on_finding(e->ud, code, from + 1, to, detail))
		e->stop = 1;
}

static void run(engine *e, cd_html_run_kind kind, const char *text, size_t len,
	size_t start, size_t src_len, const char *tag)
{
	cd_html_run r;
	if (!e->on_text || e->stop)
		return;
	r.kind = kind;
	r.text = text ? text : "";
	r.len = len;
	r.start = start + 1;
	r.src_len = src_len;
	r.tag = tag;
	if (e->on_text(e->ud, &r))
		e->stop = 1;
}

/* -- output -- */

static void out_flush(engine *e)
{
	if (e->stage_len && !e->write_failed && e->write(e->wud, e->stage, e->stage_len))
		e->write_failed = 1;
	e->stage_len = 0;
}

static void out(engine *e, const char *s, size_t n)
{
	if (!e->emit)
		return;
	e->total += n;
	if (e->write_failed)
		return;
	if (n > OUT_STAGE - e->stage_len) {
		out_flush(e);
		if (n >= OUT_STAGE) {
			if (e->write(e->wud, s, n))
				e->write_failed = 1;
			return;
		}
	}
	memcpy(e->stage + e->stage_len, s, n);
	e->stage_len += n;
}

#define OUTS(e, lit) out((e), (lit), sizeof(lit) - 1)

static void out_cp(engine *e, uint32_t cp)
{
	char buf[4];
	size_t k = cd_utf8_encode(cp, buf);
	out(e, buf, k);
}

/* Bytes text output must escape or drop: & < > and C0 controls but TAB LF CR, DEL. */
static const unsigned char text_special[256] = {
	1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	['&'] = 1, ['<'] = 1, ['>'] = 1, [0x7F] = 1
};

#define HAS_ZERO(x) (((x) - CD_L8) & ~(x) & CD_H8)

/* How many bytes from s[i] on need no escaping (text_special; with quote,
 * '"' too; with quote == 2, a URL, TAB LF CR too), eight at a time where it
 * can. */
static size_t plain_run(const char *s, size_t i, size_t n, int quote)
{
	size_t j = i;
	while (j + 8 <= n) {
		uint64_t x, ctl;
		memcpy(&x, s + j, 8);
		/* bytes below 0x20 (TAB LF CR included: checked bytewise below) */
		ctl = (x - 0x2020202020202020ull) & ~x & CD_H8;
		if (ctl || HAS_ZERO(x ^ (CD_L8 * '&')) || HAS_ZERO(x ^ (CD_L8 * '<')) || HAS_ZERO(x ^ (CD_L8 * '>'))
		    || HAS_ZERO(x ^ (CD_L8 * 0x7F)) || (quote && HAS_ZERO(x ^ (CD_L8 * '"'))))
			break;
		j += 8;
	}
	while (j < n && !text_special[(unsigned char)s[j]] && !(quote && s[j] == '"')
	       && !(quote == 2 && (unsigned char)s[j] < 0x20))
		j++;
	return j - i;
}

/* Text: escapes & < >, drops NUL and other C0 controls but TAB LF CR. */
static void out_text(engine *e, const char *s, size_t n)
{
	size_t i = 0, j;
	if (!e->emit)
		return;
	while (i < n) {
		j = i + plain_run(s, i, n, 0);
		if (j > i)
			out(e, s + i, j - i);
		if (j >= n)
			break;
		switch (s[j]) {
		case '&': OUTS(e, "&amp;"); break;
		case '<': OUTS(e, "&lt;"); break;
		case '>': OUTS(e, "&gt;"); break;
		case '\f': OUTS(e, " "); break; /* white space: keep the words apart */
		default: break; /* dropped control */
		}
		i = j + 1;
	}
}

/* Whether out_char drops this value (controls other than TAB LF CR FF:
 * it writes FF as a space). */
static int dropped_cp(long v)
{
	return (v < 0x20 && v != '\t' && v != '\n' && v != '\r' && v != '\f') || v == 0x7F;
}

/* One decoded code point of text or of an attribute value. */
static void out_char(engine *e, uint32_t cp, int in_attr)
{
	switch (cp) {
	case '&': OUTS(e, "&amp;"); return;
	case '<': OUTS(e, "&lt;"); return;
	case '>': OUTS(e, "&gt;"); return;
	case '"':
		if (in_attr) {
			OUTS(e, "&quot;");
			return;
		}
		break;
	case '\f': /* HTML whitespace: dropping it would join two words or rel tokens */
		OUTS(e, " ");
		return;
	default:
		if (dropped_cp((long)cp))
			return;
	}
	out_cp(e, cp);
}

/* -- character references -- */

typedef struct ref {
	size_t end;       /* past the reference; == '&' + 1 for a literal '&' */
	uint32_t cp[2];
	int ncp;          /* 0: a literal '&' */
	const char *err;  /* a finding's detail prefix, or NULL */
	size_t name, nlen;/* what to show in the detail */
} ref;

static const uint16_t cp1252[32] = {
	0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
	0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178
};

static int is_alnum(unsigned char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
}

static const cd_html_entity *entity_lookup(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	size_t i;
	if (n == 0 || n > CD_HTML_ENTITY_NAME_MAX)
		return NULL;
	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	for (h &= CD_HTML_ENTITY_HASH_SIZE - 1; cd_html_entity_hash[h]; h = (h + 1) & (CD_HTML_ENTITY_HASH_SIZE - 1)) {
		const cd_html_entity *ent = &cd_html_entities[cd_html_entity_hash[h] - 1];
		if (strncmp(s, ent->name, n) == 0 && ent->name[n] == '\0') /* s is alphanumeric */
			return ent;
	}
	return NULL;
}

/* Parses the reference at s[p] == '&', within s[..end), as HTML does. */
static void parse_ref(const char *s, size_t p, size_t end, int in_attr, ref *r)
{
	size_t q = p + 1;
	r->end = p + 1;
	r->ncp = 0;
	r->err = NULL;
	r->name = p;
	r->nlen = 0;
	if (q < end && s[q] == '#') {
		int hex = q + 1 < end && (s[q + 1] == 'x' || s[q + 1] == 'X');
		size_t d = q + 1 + (size_t)hex, i = d;
		uint32_t v = 0;
		for (; i < end; i++) {
			unsigned char ch = (unsigned char)s[i];
			int dv;
			if (ch >= '0' && ch <= '9')
				dv = ch - '0';
			else if (hex && (lower(ch) >= 'a' && lower(ch) <= 'f'))
				dv = lower(ch) - 'a' + 10;
			else
				break;
			v = v * (hex ? 16u : 10u) + (uint32_t)dv;
			if (v > 0x110000)
				v = 0x110000;
		}
		r->nlen = (i < end ? i + 1 : i) - p;
		if (r->nlen > 12)
			r->nlen = 12;
		if (i == d) {
			r->err = "no digits ";
			return; /* literal '&' */
		}
		r->end = i;
		if (i < end && s[i] == ';')
			r->end = i + 1;
		else
			r->err = "missing ; ";
		if (v == 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
			r->err = "invalid ";
			v = 0xFFFD;
		} else if (v >= 0x80 && v <= 0x9F) {
			r->err = "windows-1252 ";
			v = cp1252[v - 0x80];
		} else if ((v < 0x20 && v != '\t' && v != '\n' && v != '\f') || v == 0x7F
		           || (v >= 0xFDD0 && v <= 0xFDEF) || (v & 0xFFFE) == 0xFFFE) {
			r->err = "control ";
		}
		r->cp[0] = v;
		r->ncp = 1;
		return;
	} else {
		size_t i = q, lim = q + CD_HTML_ENTITY_NAME_MAX + 1, k;
		const cd_html_entity *ent;
		while (i < end && i < lim && is_alnum((unsigned char)s[i]))
			i++;
		if (i == q)
			return; /* "& " or "&;": a plain ampersand */
		r->nlen = i - p;
		if (i < end && s[i] == ';' && (ent = entity_lookup(s + q, i - q)) != NULL) {
			r->end = i + 1;
			r->cp[0] = ent->cp1;
			r->cp[1] = ent->cp2;
			r->ncp = ent->cp2 ? 2 : 1;
			return;
		}
		/* the legacy names, recognised without ';' (longest first) */
		for (k = i - q < 6 ? i - q : 6; k >= 2; k--) {
			ent = entity_lookup(s + q, k);
			if (ent && ent->legacy) {
				unsigned char next = q + k < end ? (unsigned char)s[q + k] : 0;
				if (in_attr && (is_alnum(next) || next == '='))
					return; /* "?a=1&copy=2" stays as written */
				r->end = q + k;
				r->cp[0] = ent->cp1;
				r->ncp = 1;
				r->err = "missing ; ";
				r->nlen = k + 1;
				return;
			}
		}
		if (i < end && s[i] == ';' && i < lim) {
			r->err = "unknown ";
			r->nlen = i + 1 - p;
		}
	}
}

static size_t utf8_of_ref(const ref *r, char buf[8])
{
	size_t k = 0;
	int i;
	for (i = 0; i < r->ncp; i++)
		k += cd_utf8_encode(r->cp[i], buf + k);
	return k;
}

/* Whitespace for emptiness: ASCII space, NBSP and the Unicode spaces. */
static int is_space_cp(uint32_t cp)
{
	return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' || cp == 0xA0
	    || (cp >= 0x2000 && cp <= 0x200B) || cp == 0x202F || cp == 0x205F || cp == 0x3000
	    || cp == 0xFEFF || cp == 0x1680 || cp == 0x2060;
}

/* Where the first byte of s[0..n) that is not white space or a control
 * is, or n (UTF-8, bytewise). */
static size_t first_content(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned char ch = (unsigned char)s[i];
		if (ch <= 0x20 || ch == 0x7F) { /* white space, or controls (never written) */
			i++;
			continue;
		}
		if (ch < 0x80)
			return i;
		{
			size_t pos = i;
			uint32_t cp;
			if (cd_utf8_next(s, n, &pos, &cp) != CD_OK)
				return i;
			if (!is_space_cp(cp) && !(cp >= 0x80 && cp < 0xA0))
				return i;
			i = pos;
		}
	}
	return n;
}

/* -- attribute values: a decoder over s[p..end) -- */

#define RAWBYTE 0x40000000L

typedef struct valdec {
	const char *s;
	size_t p, end;
	uint32_t pending;  /* second code point of a reference, or 0 */
	engine *report;    /* report bad references here, or NULL */
} valdec;

static void dec_init(valdec *d, const char *s, size_t p, size_t end, engine *report)
{
	d->s = s;
	d->p = p;
	d->end = end;
	d->pending = 0;
	d->report = report;
}

/* The next code point (or RAWBYTE|byte for a byte >= 0x80), or -1 at the end. */
static long dec_next(valdec *d)
{
	unsigned char ch;
	if (d->pending) {
		uint32_t cp = d->pending;
		d->pending = 0;
		return (long)cp;
	}
	if (d->p >= d->end)
		return -1;
	ch = (unsigned char)d->s[d->p];
	if (ch == '&') {
		ref r;
		parse_ref(d->s, d->p, d->end, 1, &r);
		if (r.err && d->report)
			finding(d->report, "html_entity", d->p, r.end > d->p + 1 ? r.end : d->p + r.nlen,
				r.err, d->s + r.name, r.nlen);
		d->p = r.end;
		if (r.ncp == 0)
			return '&';
		if (r.ncp == 2)
			d->pending = r.cp[1];
		return (long)r.cp[0];
	}
	d->p++;
	return ch < 0x80 ? (long)ch : (long)(RAWBYTE | ch);
}

static void out_value_cp(engine *e, long v)
{
	if ((uint32_t)v & RAWBYTE) {
		char b = (char)(v & 0xFF);
		out(e, &b, 1);
	} else {
		out_char(e, (uint32_t)v, 1);
	}
}

/* Whether a URL value's scheme is acceptable: entities decoded, ASCII
 * whitespace and controls removed, then the scheme up to ':' (if ':' comes
 * before any '/', '?' or '#') must be in the list. *scheme gets it. */
static int url_ok(engine *e, const char *s, size_t p, size_t end, char scheme[33], size_t *slen)
{
	valdec d;
	long v;
	size_t n = 0;
	int overlong = 0;
	int raw = !memchr(s + p, '&', end - p); /* no reference: read the bytes */
	size_t i = p;
	dec_init(&d, s, p, end, NULL);
	for (;;) {
		if (raw) {
			if (i >= end)
				break;
			v = (unsigned char)s[i++];
			if (v >= 0x80)
				v |= RAWBYTE;
		} else if ((v = dec_next(&d)) < 0) {
			break;
		}
		if (v <= 0x20 || v == 0x7F)
			continue;
		if (v == ':') {
			const char *const *sc;
			*slen = n;
			if (overlong)
				return 0;
			for (sc = e->cfg->schemes; *sc; sc++)
				if (name_cmp(scheme, n, *sc, strlen(*sc)) == 0)
					return 1;
			return 0;
		}
		if (v == '/' || v == '?' || v == '#')
			return 1;
		if (n < 32)
			scheme[n++] = ((uint32_t)v & RAWBYTE) || v > 0x7E ? '?' : (char)lower((unsigned char)v);
		else
			overlong = 1;
	}
	return 1; /* no scheme: a relative URL */
}

/* Writes a URL value: controls and ASCII whitespace other than inner spaces
 * dropped, leading and trailing spaces trimmed. */
static void out_url(engine *e, const char *s, size_t p, size_t end)
{
	valdec d;
	long v;
	size_t spaces = 0;
	int started = 0;
	if (end > p && s[p] != ' ' && s[end - 1] != ' ' && p + plain_run(s, p, end, 2) == end) {
		out(e, s + p, end - p); /* nothing to decode, drop, trim or escape */
		return;
	}
	dec_init(&d, s, p, end, NULL);
	while ((v = dec_next(&d)) >= 0) {
		if (v < 0x20 || v == 0x7F)
			continue;
		if (v == ' ') {
			if (started)
				spaces++;
			continue;
		}
		for (; spaces; spaces--)
			OUTS(e, " ");
		started = 1;
		out_value_cp(e, v);
	}
}

static void out_value(engine *e, const char *s, size_t p, size_t end)
{
	valdec d;
	long v;
	if (p + plain_run(s, p, end, 1) == end) {
		out(e, s + p, end - p);
		return;
	}
	dec_init(&d, s, p, end, NULL);
	while ((v = dec_next(&d)) >= 0)
		out_value_cp(e, v);
}

/* Decodes up to cap-1 bytes of a value, lowercased ASCII; 0 if it is longer. */
static int small_value(const char *s, size_t p, size_t end, char *buf, size_t cap, size_t *len)
{
	valdec d;
	long v;
	size_t n = 0;
	dec_init(&d, s, p, end, NULL);
	while ((v = dec_next(&d)) >= 0) {
		if (dropped_cp(v))
			continue; /* compare what is written */
		if (n + 1 >= cap)
			return 0;
		buf[n++] = ((uint32_t)v & RAWBYTE) || v > 0x7E ? '?' : (char)lower((unsigned char)v);
	}
	*len = n;
	return 1;
}

/* Whether a rel value holds the token noopener or noreferrer. */
static int rel_safe(const char *s, size_t p, size_t end)
{
	valdec d;
	long v;
	char tok[11];
	size_t n = 0;
	int too_long = 0;
	dec_init(&d, s, p, end, NULL);
	for (;;) {
		v = dec_next(&d);
		if (v >= 0 && dropped_cp(v))
			continue;
		if (v < 0 || v == ' ' || v == '\t' || v == '\n' || v == '\r' || v == '\f') {
			if (!too_long && ((n == 8 && memcmp(tok, "noopener", 8) == 0)
			                  || (n == 10 && memcmp(tok, "noreferrer", 10) == 0)))
				return 1;
			n = 0;
			too_long = 0;
			if (v < 0)
				return 0;
			continue;
		}
		if (n < sizeof tok)
			tok[n++] = ((uint32_t)v & RAWBYTE) || v > 0x7E ? '?' : (char)lower((unsigned char)v);
		else
			too_long = 1;
	}
}

/* -- tags: the attribute tokenizer -- */

static int is_ws(unsigned char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f';
}

typedef struct attr_tok {
	size_t name, nlen;  /* the name */
	size_t vstart, vend;/* the value's bytes (quotes excluded) */
	size_t end;         /* past the attribute (quote included) */
	int has_value;
} attr_tok;

/*
 * Reads the next attribute from *p. Returns 1 with *a filled, 0 at the end
 * of the tag (*p then past '>', *selfclose set for "/>"), -1 at the end of
 * the body (an unterminated tag).
 */
static int next_attr(const char *s, size_t n, size_t *p, attr_tok *a, int *selfclose)
{
	size_t i = *p;
	for (;;) {
		while (i < n && is_ws((unsigned char)s[i]))
			i++;
		if (i >= n)
			return -1;
		if (s[i] == '>') {
			*p = i + 1;
			return 0;
		}
		if (s[i] == '/') {
			if (i + 1 < n && s[i + 1] == '>') {
				*selfclose = 1;
				*p = i + 2;
				return 0;
			}
			i++;
			continue;
		}
		break;
	}
	a->name = i;
	i++; /* the first character may be '=' */
	while (i < n && !is_ws((unsigned char)s[i]) && s[i] != '/' && s[i] != '>' && s[i] != '=')
		i++;
	a->nlen = i - a->name;
	a->has_value = 0;
	a->vstart = a->vend = i;
	{
		size_t j = i;
		while (j < n && is_ws((unsigned char)s[j]))
			j++;
		if (j < n && s[j] == '=') {
			j++;
			while (j < n && is_ws((unsigned char)s[j]))
				j++;
			if (j >= n)
				return -1;
			a->has_value = 1;
			if (s[j] == '"' || s[j] == '\'') {
				const char *q = memchr(s + j + 1, s[j], n - j - 1);
				if (!q)
					return -1;
				a->vstart = j + 1;
				a->vend = (size_t)(q - s);
				i = a->vend + 1;
			} else if (s[j] == '>') {
				a->vstart = a->vend = j;
				i = j;
			} else {
				a->vstart = j;
				while (j < n && !is_ws((unsigned char)s[j]) && s[j] != '>')
					j++;
				a->vend = j;
				i = j;
			}
		}
	}
	a->end = i;
	*p = i;
	return 1;
}

/* The rule allowing attribute name on element id, or -1. */
static int attr_rule_of(const engine *e, int id, const char *name, size_t nlen)
{
	size_t i;
	if (nlen >= 2 && lower((unsigned char)name[0]) == 'o' && lower((unsigned char)name[1]) == 'n')
		return -1;
	for (i = 0; i < e->cfg->nattrs; i++) {
		const attr_rule *r = &e->cfg->attrs[i];
		if ((r->tag == T_ANY || r->tag == id) && r->len == nlen && name_cmp(name, nlen, r->name, r->len) == 0)
			return (int)i;
	}
	return -1;
}

enum { A_REPORT, A_EMIT, A_SKIP };

/*
 * Walks the attributes of a start tag from p: reports (A_REPORT) or writes
 * (A_EMIT) those of element id (its rules), or just finds the end (A_SKIP).
 * Returns the position past '>', or NONE for an unterminated tag.
 */
static size_t attributes(engine *e, int id, size_t p, int mode, int *selfclose)
{
	const char *s = e->s;
	attr_tok a;
	unsigned char seen[CD_HTML_MAX_LIST / 8];
	int r, rule;
	int has_target = 0, has_rel = 0, rel_rule = -1, target_rule = -1;
	size_t target_v0 = 0, target_v1 = 0, rel_v0 = 0, rel_v1 = 0, target_at = 0, target_end = 0;

	memset(seen, 0, sizeof seen);
	*selfclose = 0;
	while ((r = next_attr(s, e->n, &p, &a, selfclose)) == 1) {
		if (mode == A_SKIP || e->stop)
			continue;
		rule = attr_rule_of(e, id, s + a.name, a.nlen);
		if (rule < 0) {
			if (mode == A_REPORT)
				finding(e, "html_attr_disallowed", a.name, a.end, NULL, s + a.name, a.nlen);
			continue;
		}
		if (seen[rule / 8] & (1u << (rule % 8))) {
			if (mode == A_REPORT)
				finding(e, "html_parse", a.name, a.end, "duplicate ", s + a.name, a.nlen);
			continue;
		}
		seen[rule / 8] |= (unsigned char)(1u << (rule % 8));
		if (mode == A_REPORT && memchr(s + a.vstart, '&', a.vend - a.vstart)) {
			valdec d;
			dec_init(&d, s, a.vstart, a.vend, e);
			while (dec_next(&d) >= 0)
				;
		}
		if (e->cfg->attrs[rule].url) {
			char scheme[33];
			size_t slen = 0;
			if (!url_ok(e, s, a.vstart, a.vend, scheme, &slen)) {
				if (mode == A_REPORT)
					finding(e, "html_url_scheme", a.vstart, a.vend > a.vstart ? a.vend : a.end, NULL, scheme,
						slen);
				continue;
			}
		}
		if (name_cmp(s + a.name, a.nlen, "target", 6) == 0) {
			has_target = 1;
			target_rule = rule;
			target_v0 = a.vstart;
			target_v1 = a.vend;
			target_at = a.name;
			target_end = a.end;
			continue;
		}
		if (name_cmp(s + a.name, a.nlen, "rel", 3) == 0) {
			has_rel = 1;
			rel_rule = rule;
			rel_v0 = a.vstart;
			rel_v1 = a.vend;
			continue;
		}
		if (mode == A_EMIT) {
			const attr_rule *ar = &e->cfg->attrs[rule];
			OUTS(e, " ");
			out(e, ar->name, ar->len);
			OUTS(e, "=\"");
			if (ar->url)
				out_url(e, s, a.vstart, a.vend);
			else
				out_value(e, s, a.vstart, a.vend);
			OUTS(e, "\"");
		}
	}
	if (r < 0)
		return NONE;
	if (mode == A_SKIP || e->stop)
		return p;
	{
		/* blank: the link opens a new browsing context. Browsers imply
		 * noopener for _blank only; a named target ("x", "_new", "_blank ")
		 * opens a window that can reach window.opener as well. */
		int blank = 0, safe = has_rel && rel_safe(s, rel_v0, rel_v1);
		if (has_target) {
			char buf[8];
			size_t len = 0;
			blank = !small_value(s, target_v0, target_v1, buf, sizeof buf, &len) ||
				!(len == 0 || (len == 5 && memcmp(buf, "_self", 5) == 0) ||
				  (len == 7 && memcmp(buf, "_parent", 7) == 0) ||
				  (len == 4 && memcmp(buf, "_top", 4) == 0));
		}
		if (mode == A_REPORT) {
			if (blank && !safe)
				finding(e, "html_target_blank_rel", target_at, target_end, NULL, NULL, 0);
			return p;
		}
		if (blank && !safe)
			rel_rule = attr_rule_of(e, id, "rel", 3);
		if (rel_rule >= 0 && (has_rel || (blank && !safe))) {
			OUTS(e, " rel=\"");
			if (has_rel)
				out_value(e, s, rel_v0, rel_v1);
			if (blank && !safe)
				out(e, has_rel && rel_v1 > rel_v0 ? " noopener" : "noopener", has_rel && rel_v1 > rel_v0 ? 9 : 8);
			OUTS(e, "\"");
		}
		if (has_target && (!blank || safe || rel_rule >= 0)) {
			const attr_rule *ar = &e->cfg->attrs[target_rule];
			OUTS(e, " ");
			out(e, ar->name, ar->len);
			OUTS(e, "=\"");
			out_value(e, s, target_v0, target_v1);
			OUTS(e, "\"");
		}
	}
	return p;
}

/* -- the tree -- */

static const char *out_name(int out_id)
{
	return tag_table[out_id].name;
}

/* Writes the start tags of the open elements not yet written, and marks
 * everything open as having content. */
static void content(engine *e)
{
	size_t i;
	if (e->emit) {
		for (i = e->marked; i < e->depth; i++) {
			open_el *el = &e->stack[i];
			if (el->flags & E_EMIT) {
				int sc;
				OUTS(e, "<");
				out(e, out_name(el->out), tag_table[el->out].len);
				attributes(e, el->out, el->attrs, A_EMIT, &sc);
				OUTS(e, ">");
				el->flags |= E_OPENED;
			}
		}
	}
	e->marked = e->depth;
}

static int in_drop(const engine *e)
{
	return e->drop_at != NONE || e->overflow_drop != 0;
}

/*
 * Pops stack[k..depth). at/at_end locate what closes them: an end tag for
 * stack[k] when explicit, else the tag (or the end of the body) implying
 * the closes. Elements without an optional end tag closed implicitly are
 * reported as unclosed.
 */
static void pop_to(engine *e, size_t k, size_t at, size_t at_end, int explicit_close)
{
	while (e->depth > k && !e->stop) {
		size_t i = e->depth - 1;
		open_el *el = &e->stack[i];
		unsigned f = tag_flags(el->id);
		int dropped = in_drop(e) && e->drop_at <= i;
		int outer_drop = in_drop(e) && e->drop_at < i;
		int is_target = explicit_close && i == k;

		if (!is_target && !(f & F_OPTEND) && !outer_drop)
			finding(e, "html_parse", el->start, el->end, "unclosed ",
				el->id == T_UNKNOWN ? e->s + el->name : tag_table[el->id].name,
				el->id == T_UNKNOWN ? el->nlen : tag_table[el->id].len);
		if ((f & F_EMPTY) && !dropped && i >= e->marked)
			finding(e, "struct_empty_block", el->start, is_target ? at_end : (at > el->end ? at : el->end), NULL,
				tag_table[el->id].name, tag_table[el->id].len);
		if ((f & (F_BLOCK | F_BOUND)) && !dropped)
			run(e, CD_HTML_RUN_CLOSE, NULL, 0, is_target ? at : (at < e->n ? at : e->n),
				is_target ? at_end - at : 0, tag_table[el->id].name);
		if (el->flags & E_OPENED) {
			OUTS(e, "</");
			out(e, out_name(el->out), tag_table[el->out].len);
			OUTS(e, ">");
		}
		e->count[el->id]--;
		e->depth = i;
		if (e->marked > i)
			e->marked = i;
		if (e->drop_at == i)
			e->drop_at = NONE;
	}
}

/*
 * Finds the topmost open element that is one of `want` (by id), searching
 * down from the top and stopping at any of `stop` or a scope boundary;
 * returns its index or NONE.
 */
static size_t find_open(const engine *e, const int *want, size_t nwant, const int *stop, size_t nstop,
	int scope_stops)
{
	size_t i, j;
	for (i = e->depth; i-- > 0;) {
		int id = e->stack[i].id;
		if (!(e->stack[i].flags & E_EMIT))
			continue; /* what is not written must not change the tree */
		for (j = 0; j < nwant; j++)
			if (id == want[j])
				return i;
		for (j = 0; j < nstop; j++)
			if (id == stop[j])
				return NONE;
		if (scope_stops && (tag_flags(id) & F_SCOPE))
			return NONE;
	}
	return NONE;
}

/* The implied end tags of HTML that a start tag of id causes. */
static void implied_closes(engine *e, int id, size_t at)
{
	static const int p_[] = { T_P };
	static const int li_[] = { T_LI }, li_stop[] = { T_UL, T_OL, T_MENU, T_DIR };
	static const int dd_[] = { T_DD, T_DT }, dd_stop[] = { T_DL };
	static const int cell_[] = { T_TD, T_TH }, cell_stop[] = { T_TR, T_TABLE, T_TBODY, T_THEAD, T_TFOOT };
	static const int tr_[] = { T_TR }, tr_stop[] = { T_TABLE, T_TBODY, T_THEAD, T_TFOOT };
	static const int sect_[] = { T_TBODY, T_THEAD, T_TFOOT }, sect_stop[] = { T_TABLE };
	static const int a_[] = { T_A };
	unsigned f = tag_flags(id);
	size_t k;

	if (id == T_LI && e->count[T_LI] && (k = find_open(e, li_, 1, li_stop, 4, 1)) != NONE)
		pop_to(e, k, at, at, 0);
	if ((id == T_DD || id == T_DT) && (e->count[T_DD] || e->count[T_DT])
	    && (k = find_open(e, dd_, 2, dd_stop, 1, 1)) != NONE)
		pop_to(e, k, at, at, 0);
	if ((id == T_TD || id == T_TH) && (e->count[T_TD] || e->count[T_TH])
	    && (k = find_open(e, cell_, 2, cell_stop, 5, 0)) != NONE)
		pop_to(e, k, at, at, 0);
	if (id == T_TR && e->count[T_TR] && (k = find_open(e, tr_, 1, tr_stop, 4, 0)) != NONE)
		pop_to(e, k, at, at, 0);
	if ((id == T_TBODY || id == T_THEAD || id == T_TFOOT)
	    && (e->count[T_TBODY] || e->count[T_THEAD] || e->count[T_TFOOT])
	    && (k = find_open(e, sect_, 3, sect_stop, 1, 0)) != NONE)
		pop_to(e, k, at, at, 0);
	if ((f & F_BLOCK) && e->count[T_P] && (k = find_open(e, p_, 1, NULL, 0, 1)) != NONE)
		pop_to(e, k, at, at, 0);
	if (f & F_HEAD) {
		for (k = e->depth; k-- > 0 && !(e->stack[k].flags & E_EMIT);)
			;
		if (k != NONE && (tag_flags(e->stack[k].id) & F_HEAD)) {
			open_el *top = &e->stack[k];
			finding(e, "html_parse", top->start, top->end, "unclosed ", tag_table[top->id].name,
				tag_table[top->id].len);
			pop_to(e, k, at, at, 1);
		}
	}
	if (id == T_A && e->count[T_A] && (k = find_open(e, a_, 1, NULL, 0, 1)) != NONE) {
		if (!in_drop(e))
			finding(e, "html_parse", e->stack[k].start, e->stack[k].end, "nested a", NULL, 0);
		pop_to(e, k, at, at, 1); /* reported above as nested, not unclosed */
	}
}

/* Skips the raw text of element id that starts at p: returns the position
 * past its end tag, or NONE when the body ends first. */
static size_t skip_raw(engine *e, int id, size_t p)
{
	const char *s = e->s;
	size_t n = e->n, len = tag_table[id].len;
	if (id == T_PLAINTEXT)
		return NONE;
	while (p < n) {
		const char *lt = memchr(s + p, '<', n - p);
		size_t i;
		if (!lt)
			return NONE;
		i = (size_t)(lt - s);
		if (i + 2 + len <= n && s[i + 1] == '/' && name_cmp(s + i + 2, len, tag_table[id].name, len) == 0
		    && (i + 2 + len == n || is_ws((unsigned char)s[i + 2 + len]) || s[i + 2 + len] == '/'
		        || s[i + 2 + len] == '>')) {
			int sc;
			size_t end = attributes(e, id, i + 2 + len, A_SKIP, &sc);
			return end;
		}
		p = i + 1;
	}
	return NONE;
}

static size_t name_end(const char *s, size_t n, size_t i)
{
	while (i < n && !is_ws((unsigned char)s[i]) && s[i] != '/' && s[i] != '>')
		i++;
	return i;
}

static int allowed_out(const engine *e, int id)
{
	if (id == T_UNKNOWN)
		return -1;
	if (e->cfg->allowed[id])
		return id;
	if (id == T_H1 && e->cfg->allowed[T_H2])
		return T_H2;
	return -1;
}

/* A void element: br, img, hr, ... */
static void void_element(engine *e, int id, int out_id, size_t lt, size_t end, size_t attrs_at)
{
	int sc;
	if (in_drop(e))
		return;
	if (id == T_BR) {
		run(e, CD_HTML_RUN_BREAK, NULL, 0, lt, end - lt, "br");
		if (out_id >= 0 && e->marked == e->depth)
			OUTS(e, "<br>");
		return;
	}
	if (tag_flags(id) & F_BLOCK) {
		run(e, CD_HTML_RUN_OPEN, NULL, 0, lt, end - lt, tag_table[id].name);
		run(e, CD_HTML_RUN_CLOSE, NULL, 0, lt, end - lt, tag_table[id].name);
	}
	if (out_id < 0)
		return;
	if (id != T_WBR && id != T_COL && id != T_SOURCE && id != T_TRACK)
		content(e); /* an image or a rule is content; the others are not */
	if (e->emit && e->marked == e->depth) {
		OUTS(e, "<");
		out(e, out_name(out_id), tag_table[out_id].len);
		attributes(e, out_id, attrs_at, A_EMIT, &sc);
		OUTS(e, ">");
	}
}

static void heading(engine *e, int id, size_t lt, size_t end)
{
	int level = tag_table[id].name[1] - '0';
	if (in_drop(e))
		return;
	if (level == 1)
		finding(e, "struct_h1_in_body", lt, end, NULL, "h1", 2);
	else if (level > e->last_heading + 1) {
		char what[16];
		what[0] = 'h';
		what[1] = (char)('0' + e->last_heading);
		memcpy(what + 2, " to ", 5);
		finding(e, "struct_heading_skip", lt, end, what, tag_table[id].name, 2);
	}
	e->last_heading = level;
}

/* A start tag's name and attributes at lt (name up to ne): the element it
 * writes (*out_id, -1 for none), html_tag_disallowed, and its attributes
 * judged (A_REPORT) or skipped. An h1 the config cannot keep gets no tag
 * finding (struct_h1_in_body says it), but its attributes are judged all
 * the same. Returns the end of the tag, NONE if unterminated. */
static size_t judge_tag(engine *e, int id, size_t lt, size_t ne, int *out_id, int *sc)
{
	const char *s = e->s;
	int drop = in_drop(e), o = drop ? -1 : allowed_out(e, id);
	if (!drop && o < 0 && id != T_H1)
		finding(e, "html_tag_disallowed", lt, ne, NULL, s + lt + 1, ne - lt - 1);
	*out_id = o;
	return attributes(e, o >= 0 ? o : id, ne, o >= 0 || (id == T_H1 && !drop) ? A_REPORT : A_SKIP,
		sc);
}

/* A start tag at s[lt] == '<' (s[lt+1] a letter). Returns where to go on. */
static size_t start_tag(engine *e, size_t lt)
{
	const char *s = e->s;
	size_t n = e->n, ne = name_end(s, n, lt + 1), end;
	int id = tag_lookup(s + lt + 1, ne - lt - 1);
	unsigned f = tag_flags(id);
	int out_id, sc;

	if (e->depth >= CD_HTML_MAX_DEPTH && !(f & (F_VOID | F_RAW))) {
		/* past the limit nothing more is opened or written, but the tag
		 * and its attributes are judged as anywhere else, and a dropped
		 * element's content stays dropped */
		end = judge_tag(e, id, lt, ne, &out_id, &sc);
		if (end == NONE) {
			finding(e, "html_parse", lt, n, "unterminated tag", NULL, 0);
			return n;
		}
		if (!e->overflow_reported) {
			finding(e, "html_parse", lt, end, "nesting deeper than 256", NULL, 0);
			e->overflow_reported = 1;
		}
		e->overflow++;
		if ((f & F_DROP) && !in_drop(e))
			e->overflow_drop = e->overflow;
		return end;
	}

	implied_closes(e, id, lt);
	end = judge_tag(e, id, lt, ne, &out_id, &sc);
	if (end == NONE) {
		finding(e, "html_parse", lt, n, "unterminated tag ", s + lt + 1, ne - lt - 1);
		return n;
	}
	if (f & F_HEAD)
		heading(e, id, lt, end);
	if (sc && !(f & F_VOID) && !in_drop(e))
		finding(e, "html_parse", lt, end, "self-closing ", s + lt + 1, ne - lt - 1);

	if (f & F_VOID) {
		void_element(e, id, out_id, lt, end, ne);
		return end;
	}
	if (f & F_RAW) {
		size_t after = skip_raw(e, id, end);
		if (after == NONE) {
			if (id != T_PLAINTEXT && !in_drop(e))
				finding(e, "html_parse", lt, end, "unterminated ", tag_table[id].name, tag_table[id].len);
			return n;
		}
		return after;
	}

	/* push */
	{
		open_el *el = &e->stack[e->depth];
		el->id = id;
		el->out = out_id >= 0 ? out_id : id;
		el->flags = out_id >= 0 ? E_EMIT : 0;
		el->name = lt + 1;
		el->nlen = ne - lt - 1;
		el->start = lt;
		el->end = end;
		el->attrs = ne;
		e->count[id]++;
		if ((f & F_DROP) && !in_drop(e))
			e->drop_at = e->depth;
		e->depth++;
		if ((f & (F_BLOCK | F_BOUND)) && !in_drop(e))
			run(e, CD_HTML_RUN_OPEN, NULL, 0, lt, end - lt, tag_table[id].name);
		if (out_id >= 0 && !(f & F_LAZY))
			content(e);
	}
	return end;
}

/* An end tag at s[lt] == '<', s[lt+1] == '/', s[lt+2] a letter. */
static size_t end_tag(engine *e, size_t lt)
{
	const char *s = e->s;
	size_t n = e->n, ne = name_end(s, n, lt + 2), end, k = NONE, i;
	int id = tag_lookup(s + lt + 2, ne - lt - 2), sc;

	end = attributes(e, id, ne, A_SKIP, &sc);
	if (end == NONE) {
		finding(e, "html_parse", lt, n, "unterminated tag /", s + lt + 2, ne - lt - 2);
		return n;
	}
	if (id == T_BR) {
		if (!in_drop(e))
			finding(e, "html_parse", lt, end, "end tag /br", NULL, 0);
		void_element(e, id, allowed_out(e, id), lt, end, end - 1);
		return end;
	}
	if (e->overflow) {
		if (e->overflow == e->overflow_drop)
			e->overflow_drop = 0;
		e->overflow--;
		return end;
	}
	if (id != T_UNKNOWN) {
		if (e->count[id]) {
			if (id == T_P && (e->cfg->allowed[T_P] || in_drop(e))) {
				static const int p_[] = { T_P };
				k = find_open(e, p_, 1, NULL, 0, 1);
			} else {
				for (i = e->depth; i-- > 0;)
					if (e->stack[i].id == id) {
						k = i;
						break;
					}
			}
		}
	} else if (e->count[T_UNKNOWN]) {
		for (i = e->depth; i-- > 0;) {
			const open_el *el = &e->stack[i];
			if (el->id == T_UNKNOWN && el->nlen == ne - lt - 2) {
				size_t j;
				for (j = 0; j < el->nlen; j++)
					if (lower((unsigned char)s[el->name + j]) != lower((unsigned char)s[lt + 2 + j]))
						break;
				if (j == el->nlen) {
					k = i;
					break;
				}
			}
		}
	}
	if (k == NONE) {
		if (!in_drop(e))
			finding(e, "html_parse", lt, end, "stray /", s + lt + 2, ne - lt - 2);
		return end;
	}
	pop_to(e, k, lt, end, 1);
	return end;
}

/* Markup at s[lt] == '<'. Returns where to go on. */
static size_t markup(engine *e, size_t lt);

static void text(engine *e, size_t a, size_t b)
{
	size_t c;
	if (in_drop(e) || b <= a)
		return;
	run(e, CD_HTML_RUN_TEXT, e->s + a, b - a, a, b - a, NULL);
	c = a + first_content(e->s + a, b - a);
	if (c == b || e->marked == e->depth) {
		if (c < b)
			content(e);
		out_text(e, e->s + a, b - a);
		return;
	}
	/* white space before the content of elements not yet written goes
	 * before them, however the text is cut into runs */
	out_text(e, e->s + a, c - a);
	content(e);
	out_text(e, e->s + c, b - c);
}

static size_t reference(engine *e, size_t amp)
{
	ref r;
	char buf[8];
	size_t k, i;
	int ws = 1;
	parse_ref(e->s, amp, e->n, 0, &r);
	if (in_drop(e))
		return r.end;
	if (r.err)
		finding(e, "html_entity", amp, r.end > amp + 1 ? r.end : amp + r.nlen, r.err, e->s + r.name, r.nlen);
	if (r.ncp == 0) {
		text(e, amp, amp + 1);
		return amp + 1;
	}
	for (i = 0; i < (size_t)r.ncp; i++)
		if (!is_space_cp(r.cp[i]) && r.cp[i] >= 0x20 && r.cp[i] != 0x7F)
			ws = 0;
	if (!ws)
		content(e);
	k = utf8_of_ref(&r, buf);
	run(e, CD_HTML_RUN_CHAR, buf, k, amp, r.end - amp, NULL);
	if (e->emit)
		for (i = 0; i < (size_t)r.ncp; i++)
			out_char(e, r.cp[i], 0);
	return r.end;
}

static int is_alpha(unsigned char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

static size_t markup(engine *e, size_t lt)
{
	const char *s = e->s;
	size_t n = e->n;
	unsigned char c1 = lt + 1 < n ? (unsigned char)s[lt + 1] : 0;

	if (lt + 1 < n && is_alpha(c1))
		return start_tag(e, lt);
	if (c1 == '/' && lt + 2 < n) {
		unsigned char c2 = (unsigned char)s[lt + 2];
		if (is_alpha(c2))
			return end_tag(e, lt);
		if (c2 == '>') {
			if (!in_drop(e))
				finding(e, "html_parse", lt, lt + 3, "empty end tag", NULL, 0);
			return lt + 3;
		}
	}
	if (lt + 3 < n && c1 == '!' && s[lt + 2] == '-' && s[lt + 3] == '-') {
		size_t i = lt + 4;
		if (i < n && s[i] == '>') {
			if (!in_drop(e))
				finding(e, "html_parse", lt, i + 1, "abrupt comment", NULL, 0);
			return i + 1;
		}
		if (i + 1 < n && s[i] == '-' && s[i + 1] == '>') {
			if (!in_drop(e))
				finding(e, "html_parse", lt, i + 2, "abrupt comment", NULL, 0);
			return i + 2;
		}
		while (i < n) {
			const char *gt = memchr(s + i, '>', n - i);
			size_t g;
			if (!gt)
				break;
			g = (size_t)(gt - s);
			if (g >= lt + 6 && s[g - 1] == '-' && s[g - 2] == '-')
				return g + 1;
			if (g >= lt + 7 && s[g - 1] == '!' && s[g - 2] == '-' && s[g - 3] == '-')
				return g + 1;
			i = g + 1;
		}
		if (!in_drop(e))
			finding(e, "html_parse", lt, n, "unterminated comment", NULL, 0);
		return n;
	}
	if (c1 == '!' || c1 == '?' || (c1 == '/' && lt + 2 < n)) {
		const char *gt = memchr(s + lt + 1, '>', n - lt - 1);
		size_t end = gt ? (size_t)(gt - s) + 1 : n;
		if (!in_drop(e))
			finding(e, "html_parse", lt, end,
				c1 == '!' && lt + 2 < n && lower((unsigned char)s[lt + 2]) == 'd' ? "doctype" : "bogus comment",
				NULL, 0);
		return end;
	}
	/* a '<' that starts nothing is text */
	if (!in_drop(e))
		finding(e, "html_parse", lt, lt + 1, "bare <", NULL, 0);
	text(e, lt, lt + 1);
	return lt + 1;
}

static void engine_run(engine *e)
{
	const char *s = e->s;
	size_t n = e->n, i = 0;

	const char *lt0 = n ? memchr(s, '<', n) : NULL, *amp0 = n ? memchr(s, '&', n) : NULL;
	size_t next_lt = lt0 ? (size_t)(lt0 - s) : n; /* cached: next '<' and '&' at or after i */
	size_t next_amp = amp0 ? (size_t)(amp0 - s) : n;

	while (i < n && !e->stop) {
		size_t j;
		if (next_lt < i) {
			const char *p = memchr(s + i, '<', n - i);
			next_lt = p ? (size_t)(p - s) : n;
		}
		if (next_amp < i) {
			const char *p = memchr(s + i, '&', n - i);
			next_amp = p ? (size_t)(p - s) : n;
		}
		j = next_lt < next_amp ? next_lt : next_amp;
		if (j > i)
			text(e, i, j);
		if (j >= n)
			break;
		i = s[j] == '<' ? markup(e, j) : reference(e, j);
	}
	if (!e->stop)
		pop_to(e, 0, n, n, 0);
}

static cd_status engine_init(engine *e, const char *html, size_t len, const cd_html_config *cfg)
{
	const char *bad;
	cd_status st;
	e->s = html;
	e->n = len;
	if (cfg == NULL || (!cfg->tags && !cfg->attributes && !cfg->schemes)) {
		e->cfg = &default_config;
	} else {
		st = config_build(&e->own, cfg, &bad);
		if (st != CD_OK)
			return st;
		e->cfg = &e->own;
	}
	e->on_finding = NULL;
	e->on_text = NULL;
	e->ud = NULL;
	e->stop = 0;
	e->depth = 0;
	e->marked = 0;
	e->drop_at = NONE;
	e->overflow = 0;
	e->overflow_drop = 0;
	e->overflow_reported = 0;
	memset(e->count, 0, sizeof e->count);
	e->last_heading = 1;
	e->emit = 0;
	e->write = NULL;
	e->wud = NULL;
	e->write_failed = 0;
	e->total = 0;
	e->stage_len = 0;
	return CD_OK;
}

/* ---- public API -------------------------------------------------------- */

cd_status cd_html_scan(const char *html, size_t len, const cd_html_config *cfg,
	cd_html_finding_fn on_finding, cd_html_text_fn on_text, void *ud)
{
	engine e;
	cd_status st;
	if (!html && len)
		return CD_ERR_ARG;
	st = engine_init(&e, html ? html : "", len, cfg);
	if (st != CD_OK)
		return st;
	e.on_finding = on_finding;
	e.on_text = on_text;
	e.ud = ud;
	engine_run(&e);
	return CD_OK;
}

cd_status cd_html_sanitize_to(const char *html, size_t len, const cd_html_config *cfg,
	cd_html_write_fn write, void *ud)
{
	engine e;
	cd_status st;
	if ((!html && len) || !write)
		return CD_ERR_ARG;
	if (!html)
		html = "";
	st = engine_init(&e, html, len, cfg);
	if (st != CD_OK)
		return st;
	if (cd_utf8_validate(html, len, NULL) != CD_OK)
		return CD_ERR_UTF8;
	e.emit = 1;
	e.write = write;
	e.wud = ud;
	engine_run(&e);
	out_flush(&e);
	return e.write_failed ? CD_ERR_NOMEM : CD_OK;
}

typedef struct fixed_out {
	char *buf;
	size_t cap, len;
} fixed_out;

static int fixed_write(void *ud, const char *s, size_t n)
{
	fixed_out *f = ud;
	if (f->len < f->cap) {
		size_t k = f->cap - f->len < n ? f->cap - f->len : n;
		memcpy(f->buf + f->len, s, k);
	}
	f->len += n;
	return 0;
}

cd_status cd_html_sanitize(const char *html, size_t len, const cd_html_config *cfg,
	char *out, size_t cap, size_t *out_len)
{
	fixed_out f;
	cd_status st;
	if (!out && cap)
		return CD_ERR_ARG;
	f.buf = out;
	f.cap = cap;
	f.len = 0;
	st = cd_html_sanitize_to(html, len, cfg, fixed_write, &f);
	if (out_len)
		*out_len = f.len;
	if (st == CD_OK && f.len > cap)
		return CD_ERR_SPACE;
	return st;
}

size_t cd_html_sanitize_bound(size_t len)
{
	size_t extra = (size_t)CD_HTML_MAX_DEPTH * 16 + 64;
	if (len > (((size_t)-1) - extra) / 6)
		return (size_t)-1;
	return len * 6 + extra;
}
