/*
 * copydesk: article validation, slug generation and signed preview links
 * for news CMSs. The public C API: plain C99, no Lua types, one prefix cd_.
 *
 * Conventions: functions take pointers and lengths, write into buffers the
 * caller owns, and return a cd_status. Nothing here keeps global mutable
 * state, so any number of threads may call it at once.
 */
#ifndef COPYDESK_H
#define COPYDESK_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CD_VERSION "0.1.0"

/* ---- status codes ---------------------------------------------------- */

typedef enum cd_status {
	CD_OK = 0,
	CD_ERR_UTF8,    /* input is not well-formed UTF-8 */
	CD_ERR_SPACE,   /* the output buffer is too small */
	CD_ERR_ARG,     /* an argument is out of its domain */
	CD_ERR_NOMEM,   /* an allocation failed */
	/* slugs */
	CD_ERR_SEPARATOR, /* slug separator holds a letter or digit, or is too long */

	/* validation */

	/* preview links: the names are the Lua codes (see status.c) */
	CD_LINK_MALFORMED,           /* "malformed": not a well-formed v1 token */
	CD_LINK_UNSUPPORTED_VERSION, /* "unsupported_version" */
	CD_LINK_UNKNOWN_KEY,         /* "unknown_key": no key with that id */
	CD_LINK_KEY_MISMATCH,        /* "key_mismatch": token alg is not its key's */
	CD_LINK_KEY_RETIRED,         /* "key_retired" */
	CD_LINK_BAD_SIGNATURE,       /* "bad_signature" */
	CD_LINK_EXPIRED,             /* "expired" */
	CD_LINK_NOT_YET_VALID,       /* "not_yet_valid": issued in the future */
	CD_LINK_TTL_TOO_LONG,        /* "ttl_too_long": lifetime over max_ttl */
	CD_LINK_REVOKED,             /* "revoked" (state callbacks) */
	CD_LINK_NOT_FOUND,           /* "not_found" (state callbacks) */
	CD_LINK_ALREADY_USED,        /* "already_used" (state callbacks) */
	CD_KEY_INVALID,              /* "invalid_key": not the text of a key */
	CD_KEY_FILE_EXISTS,          /* "key_file_exists": will not overwrite */
	CD_KEY_FILE_ERROR,           /* "key_file_error": cannot open/read/write */

	CD_STATUS_COUNT
} cd_status;

/* The snake_case code of a status, as the Lua API reports it. */
const char *cd_status_code(cd_status status);

/* ---- UTF-8 (utf8.c) -------------------------------------------------- */

/*
 * Checks that s[0..len) is well-formed UTF-8 as Unicode defines it: no
 * overlong forms, no surrogates, nothing above U+10FFFF, no truncated
 * sequence. Noncharacters are valid. On CD_ERR_UTF8, *bad_offset (if not
 * NULL) receives the 0-based offset of the first byte of the first
 * ill-formed sequence.
 */
cd_status cd_utf8_validate(const char *s, size_t len, size_t *bad_offset);

/*
 * Decodes the code point that starts at s[*pos], stores it in *cp and
 * advances *pos past it. On CD_ERR_UTF8 neither *pos nor *cp changes.
 */
cd_status cd_utf8_next(const char *s, size_t len, size_t *pos, uint32_t *cp);

/* Encodes cp (a scalar value) into out; returns the byte count, 0 if cp is
 * a surrogate or above U+10FFFF. */
size_t cd_utf8_encode(uint32_t cp, char out[4]);

/* ---- slugs (slug.c, translit.c) ---------------------------------------- */

/*
 * Options of cd_slugify. Start from cd_slug_defaults() and change fields;
 * all strings are pointer + length and need not be NUL-terminated.
 */
typedef struct cd_slug_options {
	const char *separator;       /* between words; NULL: "-" (no letters or digits) */
	size_t separator_len;
	size_t max_length;           /* bytes, cut at a word boundary; 0: no limit */
	int lowercase;               /* 1 (default): lowercase the slug */
	int allow_unicode;           /* 1: keep letters/digits of any script (NFC) */
	const char *locale;          /* NULL or a language tag; de da nb sv fi sr ru uk bg tr vi
	                                change letters, any other slugs as without one */
	size_t locale_len;
	int stopwords;               /* 0 none, 1 built-in English list, 2 the list below */
	const char *const *stopword_list;
	const size_t *stopword_lens;
	size_t stopword_count;
	/* pairs (from, to): replacement_list[2k] -> replacement_list[2k+1] */
	const char *const *replacement_list;
	const size_t *replacement_lens;
	size_t replacement_count;    /* number of pairs */
} cd_slug_options;

#define CD_SLUG_SEPARATOR_MAX 16

/* Fills *opt with the defaults: "-", no limit, lowercase, ASCII, no locale. */
void cd_slug_defaults(cd_slug_options *opt);

/*
 * Checks the options: CD_ERR_SEPARATOR
 * for a separator with a letter or digit (or longer than
 * CD_SLUG_SEPARATOR_MAX), CD_ERR_UTF8 for a replacement that is not
 * UTF-8, CD_ERR_ARG for NULL lists. A pair with an empty source is ignored.
 */
cd_status cd_slug_check_options(const cd_slug_options *opt);

/* A capacity for which cd_slugify never returns CD_ERR_SPACE on len bytes. */
size_t cd_slug_bound(size_t len, const cd_slug_options *opt);

/*
 * Writes the slug of in[0..len) into out[0..cap) (not NUL-terminated) and
 * its length into *out_len. opt may be NULL for the defaults. No
 * allocation. Returns CD_ERR_UTF8 for ill-formed input, CD_ERR_SPACE when
 * cap is too small (cd_slug_bound() is always enough), or an option error.
 */
cd_status cd_slugify(const char *in, size_t len, const cd_slug_options *opt, char *out,
	size_t cap, size_t *out_len);

/* ---- validation (validate.c, html.c, text.c) --------------------------- */

/*
 * Article validation. The caller fills a cd_article (pointers into its own
 * strings), compiles a cd_policy once, and runs cd_validate into a
 * cd_report that owns the findings. Findings are sorted by path, offset,
 * code. Offsets are 1-based inclusive byte offsets inside the field, as in
 * Lua's string.sub; 0/0 means the whole field.
 */
typedef enum cd_severity {
	CD_SEV_OFF = 0,
	CD_SEV_INFO,
	CD_SEV_WARNING,
	CD_SEV_ERROR
} cd_severity;

/* Workflow stages a policy sets severities for. */
typedef enum cd_stage {
	CD_STAGE_DRAFT = 0,
	CD_STAGE_REVIEW,
	CD_STAGE_PUBLISHED,
	CD_STAGE_COUNT
} cd_stage;

/* Rule codes, in the order of DESIGN.md's table (extras at the end). */
#define CD_RULE_LIST(X)                                                     \
	X(INPUT_TYPE, input_type)                                               \
	X(INPUT_TOO_LARGE, input_too_large)                                     \
	X(INPUT_TOO_DEEP, input_too_deep)                                       \
	X(JSON_PARSE, json_parse)                                               \
	X(UTF8_INVALID, utf8_invalid)                                           \
	X(TEXT_CONTROL_CHAR, text_control_char)                                 \
	X(HEADLINE_MISSING, headline_missing)                                   \
	X(HEADLINE_LENGTH, headline_length)                                     \
	X(DEK_LENGTH, dek_length)                                               \
	X(DESCRIPTION_LENGTH, description_length)                               \
	X(SLUG_FORMAT, slug_format)                                             \
	X(SLUG_LENGTH, slug_length)                                             \
	X(BYLINE_MISSING, byline_missing)                                       \
	X(DATE_MISSING, date_missing)                                           \
	X(DATE_FORMAT, date_format)                                             \
	X(DATE_ORDER, date_order)                                               \
	X(LANGUAGE_INVALID, language_invalid)                                   \
	X(CANONICAL_URL_INVALID, canonical_url_invalid)                         \
	X(BODY_EMPTY, body_empty)                                               \
	X(BODY_TOO_SHORT, body_too_short)                                       \
	X(TEXT_PLACEHOLDER, text_placeholder)                                   \
	X(TEXT_BOILERPLATE, text_boilerplate)                                   \
	X(TEXT_DUPLICATE_BLOCK, text_duplicate_block)                           \
	X(TEXT_DOUBLED_WORD, text_doubled_word)                                 \
	X(TEXT_QUOTE_MIXED, text_quote_mixed)                                   \
	X(TEXT_WHITESPACE, text_whitespace)                                     \
	X(TEXT_ALL_CAPS, text_all_caps)                                         \
	X(TEXT_WORDS_GLUED, text_words_glued)                                   \
	X(STRUCT_EMPTY_BLOCK, struct_empty_block)                               \
	X(STRUCT_TEASERS_IN_BODY, struct_teasers_in_body)                       \
	X(STRUCT_HEADING_SKIP, struct_heading_skip)                             \
	X(STRUCT_H1_IN_BODY, struct_h1_in_body)                                 \
	X(MEDIA_ALT_MISSING, media_alt_missing)                                 \
	X(MEDIA_ALT_EQUALS_CAPTION, media_alt_equals_caption)                   \
	X(MEDIA_ALT_REUSED, media_alt_reused)                                   \
	X(MEDIA_CAPTION_CREDIT_GLUED, media_caption_credit_glued)               \
	X(MEDIA_CREDIT_MISSING, media_credit_missing)                           \
	X(HTML_PARSE, html_parse)                                               \
	X(HTML_TAG_DISALLOWED, html_tag_disallowed)                             \
	X(HTML_ATTR_DISALLOWED, html_attr_disallowed)                           \
	X(HTML_URL_SCHEME, html_url_scheme)                                     \
	X(HTML_TARGET_BLANK_REL, html_target_blank_rel)                         \
	X(HTML_ENTITY, html_entity)                                             \
	X(LINK_URL_INVALID, link_url_invalid)                                   \
	X(LINK_BARE_URL, link_bare_url)                                         \
	X(TEXT_STYLE_TERM, text_style_term)

#define CD_RULE_ENUM_(NAME, code) CD_RULE_##NAME,
typedef enum cd_rule {
	CD_RULE_LIST(CD_RULE_ENUM_)
	CD_RULE_COUNT
} cd_rule;
#undef CD_RULE_ENUM_

/* The snake_case code of a rule; NULL if out of range. */
const char *cd_rule_code(cd_rule rule);
/* The rule of a code, or -1 if there is none. */
int cd_rule_lookup(const char *code, size_t len);
/* "off", "info", "warning", "error". */
const char *cd_severity_name(cd_severity sev);

/* A string field of the article: s[0..len) when state is CD_FIELD_SET. */
enum { CD_FIELD_ABSENT = 0, CD_FIELD_SET, CD_FIELD_BAD };
typedef struct cd_field {
	const char *s;
	size_t len;
	int state; /* CD_FIELD_BAD: the caller already reported it (wrong type) */
} cd_field;

typedef struct cd_image {
	cd_field url, alt, caption, credit;
} cd_image;

typedef struct cd_related {
	cd_field headline, url;
} cd_related;

enum { CD_BODY_HTML = 0, CD_BODY_TEXT };

typedef struct cd_article {
	cd_field slug, status, headline, dek, description, body, language, section;
	cd_field published_at, updated_at, embargo_until, canonical_url;
	const cd_field *tags;
	size_t n_tags;
	int body_format;               /* CD_BODY_HTML (default) or CD_BODY_TEXT */
	int byline_state;              /* CD_FIELD_*: the list as a whole */
	const cd_field *byline;
	size_t n_byline;
	const cd_image *images;
	size_t n_images;
	const cd_related *related;
	size_t n_related;
} cd_article;

/* Lists of strings a policy holds. */
typedef enum cd_policy_list {
	CD_LIST_PLACEHOLDERS = 0, /* extra placeholder phrases (ASCII case-folded) */
	CD_LIST_BOILERPLATE,      /* boilerplate lines: site name, "All rights reserved" */
	CD_LIST_TERMS,            /* term substitutions: pairs wrong, right */
	CD_LIST_CAMEL_NAMES,      /* extra camel-case names (McQuaid, ProTour) */
	CD_LIST_HTML_TAGS,        /* HTML allow-list, given to the HTML scanner */
	CD_LIST_HTML_ATTRS,
	CD_LIST_HTML_SCHEMES,
	CD_LIST_COUNT
} cd_policy_list;

typedef enum cd_threshold {
	CD_T_HEADLINE_MIN = 0, /* characters */
	CD_T_HEADLINE_MAX,
	CD_T_DEK_MAX,
	CD_T_DESCRIPTION_MIN,
	CD_T_DESCRIPTION_MAX,
	CD_T_SLUG_MAX,
	CD_T_BODY_MIN_WORDS,
	CD_T_ALL_CAPS_WORDS,   /* this many capitalised words in a row */
	CD_T_MAX_FINDINGS,     /* the report is truncated beyond */
	CD_T_MAX_BYTES,        /* input_too_large beyond (all strings together) */
	CD_T_MAX_ITEMS,        /* input_too_large beyond, per list */
	CD_T_MAX_DEPTH,        /* input_too_deep beyond (JSON nesting) */
	CD_T_COUNT
} cd_threshold;

enum { CD_QUOTES_CONSISTENT = 0, CD_QUOTES_CURLY, CD_QUOTES_STRAIGHT };

typedef struct cd_policy cd_policy;

/* A policy with the default news profile; NULL when out of memory. */
cd_policy *cd_policy_new(void);
void cd_policy_free(cd_policy *p);
cd_status cd_policy_set_severity(cd_policy *p, cd_rule rule, cd_stage stage, cd_severity sev);
cd_severity cd_policy_severity(const cd_policy *p, cd_rule rule, cd_stage stage);
cd_status cd_policy_set_threshold(cd_policy *p, cd_threshold t, size_t value);
size_t cd_policy_threshold(const cd_policy *p, cd_threshold t);
cd_status cd_policy_set_quotes(cd_policy *p, int style);
/* Forces a stage (-1: take it from the article's status). */
cd_status cd_policy_set_stage(cd_policy *p, int stage);
/* Replaces (clear = 1) or extends a list with a copy of s[0..len). */
cd_status cd_policy_list_clear(cd_policy *p, cd_policy_list list);
cd_status cd_policy_list_add(cd_policy *p, cd_policy_list list, const char *s, size_t len);
size_t cd_policy_list_count(const cd_policy *p, cd_policy_list list);
/* Checks the HTML allow-lists (CD_ERR_ARG, *bad the offending entry). */
cd_status cd_policy_check_html(const cd_policy *p, const char **bad);
const char *cd_policy_list_get(const cd_policy *p, cd_policy_list list, size_t i, size_t *len);

typedef struct cd_finding {
	cd_rule rule;
	cd_severity severity;
	const char *path; /* JSON Pointer, NUL-terminated; "" is the whole input */
	size_t path_len;
	size_t start, stop; /* 1-based inclusive; 0 when about the whole field */
	const char *message; /* NUL-terminated */
} cd_finding;

typedef struct cd_report cd_report;

cd_report *cd_report_new(void);
void cd_report_free(cd_report *r);
/* Empties the report for reuse (keeps its memory). */
void cd_report_reset(cd_report *r);
/* Scratch memory that lives as long as the report (until reset/free). */
void *cd_report_alloc(cd_report *r, size_t size);

/* "/list/N" or "/list/N/leaf" with N = i + 1 (a JSON Pointer into an
 * article list, 1-based as in Lua), in the report's arena; NULL on failure. */
char *cd_report_path(cd_report *r, const char *list, size_t i, const char *leaf);
/*
 * Adds a finding at the severity the policy gives the rule at the stage
 * (nothing when off). path is copied. Used by cd_validate and by callers
 * that find input problems (wrong types) before it.
 */
cd_status cd_report_add(cd_report *r, const cd_policy *p, cd_stage stage, cd_rule rule,
	const char *path, size_t start, size_t stop, const char *message);
/* The stage cd_validate uses for an article under a policy. */
cd_stage cd_validate_stage(const cd_policy *p, const cd_article *a);
/* Runs every rule over the article, then sorts the findings. */
cd_status cd_validate(cd_report *r, const cd_article *a, const cd_policy *p);
/* Sorts the findings (cd_validate does it; for callers that add only). */
void cd_report_sort(cd_report *r);

size_t cd_report_count(const cd_report *r);
const cd_finding *cd_report_get(const cd_report *r, size_t i);
/* Counts by severity (index: cd_severity) and whether findings were dropped. */
size_t cd_report_severity_count(const cd_report *r, cd_severity sev);
int cd_report_truncated(const cd_report *r);

/*
 * Checks raw JSON text before decoding: size against max_bytes and nesting
 * of arrays/objects against max_depth (strings are skipped). Returns CD_OK,
 * or CD_ERR_SPACE (too large) / CD_ERR_ARG (too deep) with *offset the
 * 0-based offset where the limit was passed.
 */
cd_status cd_json_precheck(const char *s, size_t len, size_t max_bytes, size_t max_depth,
	size_t *offset);

/* ---- HTML bodies (html.c): cd_html_*, owned by the HTML engineer -------
 *
 * One linear pass over an HTML body fragment, no recursion, no allocation:
 * a fixed stack of CD_HTML_MAX_DEPTH open elements (deeper tags are
 * reported once as html_parse and ignored). The same engine drives the
 * scanner (findings and text runs) and the sanitizer (safe HTML out), so
 * nothing the scanner reports as html_* survives the sanitizer.
 */

#define CD_HTML_MAX_DEPTH 256   /* open elements kept; deeper tags are ignored */
#define CD_HTML_MAX_LIST 256    /* entries per allow-list in cd_html_config */
#define CD_HTML_DETAIL_MAX 48   /* bytes of a finding's detail, NUL included */

/*
 * Allow-lists. Each list is NULL-terminated; a NULL list means the default
 * news-body profile (see README "HTML bodies"). Names are lowercase ASCII.
 *   tags:       element names ("p", "a", ...). Elements that can never be
 *               allowed (script, style, iframe, object, embed, form, svg,
 *               ...) make the configuration invalid.
 *   attributes: "name" (allowed on every allowed element) or "tag:name".
 *               on*, style, srcdoc, srcset, formaction, ... can never be
 *               allowed.
 *   schemes:    URL schemes accepted in URL attributes (href, src, cite,
 *               ...), without ':'. Relative URLs are always accepted.
 */
typedef struct cd_html_config {
	const char *const *tags;
	const char *const *attributes;
	const char *const *schemes;
} cd_html_config;

/*
 * Checks a configuration: CD_OK, or CD_ERR_ARG with *bad (if not NULL)
 * pointing at the first offending entry (unknown or forbidden tag, bad
 * attribute syntax or forbidden attribute, bad scheme, list too long: then
 * *bad is the list's first entry). cfg may be NULL (the defaults).
 */
cd_status cd_html_config_check(const cd_html_config *cfg, const char **bad);

/*
 * A finding. code is a static string, one of: html_parse,
 * html_tag_disallowed, html_attr_disallowed, html_url_scheme,
 * html_target_blank_rel, html_entity, struct_h1_in_body,
 * struct_heading_skip, struct_empty_block. start/stop are 1-based inclusive
 * byte offsets into the body (as string.sub), start <= stop. detail is a
 * short NUL-terminated ASCII string (a tag or attribute name, "unclosed em",
 * ...), at most CD_HTML_DETAIL_MAX bytes with the NUL, valid only during the
 * call. Return nonzero to stop the scan.
 */
typedef int (*cd_html_finding_fn)(void *ud, const char *code, size_t start,
	size_t stop, const char *detail);

/* The text of a body, as runs in document order (cd_html_scan's on_text). */
typedef enum cd_html_run_kind {
	CD_HTML_RUN_TEXT,   /* literal text: text == body + start - 1, len == src_len */
	CD_HTML_RUN_CHAR,   /* a character reference decoded to UTF-8 (text/len);
	                       it spans src_len body bytes from start */
	CD_HTML_RUN_OPEN,   /* a block-level element opens (tag names it); no text */
	CD_HTML_RUN_CLOSE,  /* a block-level element closes, explicitly or not */
	CD_HTML_RUN_BREAK   /* <br> (tag "br"): a line break inside a block */
} cd_html_run_kind;

typedef struct cd_html_run {
	cd_html_run_kind kind;
	const char *text;  /* TEXT/CHAR: the bytes; "" otherwise */
	size_t len;        /* bytes at text */
	size_t start;      /* 1-based body offset of the run's first source byte
	                      (for OPEN/CLOSE/BREAK: of the tag's '<', or of the
	                      tag that closed it implicitly; at the end of the
	                      body: len + 1) */
	size_t src_len;    /* body bytes the run stands for (0 for implicit closes) */
	const char *tag;   /* OPEN/CLOSE/BREAK: lowercase static name; NULL otherwise */
} cd_html_run;

/* Return nonzero to stop the scan. */
typedef int (*cd_html_text_fn)(void *ud, const cd_html_run *run);

/*
 * Scans html[0..len) (any bytes: UTF-8 is the caller's concern, NUL and
 * invalid bytes are text) and reports findings to on_finding and text runs
 * to on_text; either may be NULL. Text inside dropped elements (script,
 * style, iframe, object, ...) and comments is not reported as text. Returns
 * CD_OK (also when a callback stopped it) or CD_ERR_ARG for a bad cfg.
 */
cd_status cd_html_scan(const char *html, size_t len, const cd_html_config *cfg,
	cd_html_finding_fn on_finding, cd_html_text_fn on_text, void *ud);

/*
 * The sanitizer: writes HTML holding only allowed elements and attributes,
 * safe URLs, balanced and properly nested tags, escaped text, character
 * references decoded to UTF-8 (only &amp; &lt; &gt; &quot; remain), no
 * comments, nothing of script/style/iframe/object/... and their content,
 * no empty blocks, rel="noopener" added to target=_blank links (or target
 * dropped when rel is not allowed), h1 turned into h2 when h1 is not allowed.
 * The input must be UTF-8 (else CD_ERR_UTF8, nothing written).
 *
 * cd_html_sanitize_to streams the output through write (return nonzero from
 * it to abort: CD_ERR_NOMEM). cd_html_sanitize writes into out[0..cap): on
 * CD_OK or CD_ERR_SPACE *out_len is the full output length (no NUL added).
 * The output never exceeds cd_html_sanitize_bound(len) bytes (SIZE_MAX on
 * overflow).
 */
typedef int (*cd_html_write_fn)(void *ud, const char *s, size_t len);

cd_status cd_html_sanitize_to(const char *html, size_t len, const cd_html_config *cfg,
	cd_html_write_fn write, void *ud);
cd_status cd_html_sanitize(const char *html, size_t len, const cd_html_config *cfg,
	char *out, size_t cap, size_t *out_len);
size_t cd_html_sanitize_bound(size_t len);

/* ---- end of HTML bodies ------------------------------------------------- */

/* ---- preview links (link.c) -------------------------------------------- */

/*
 * A preview link is <origin>/preview/<token>; the token is unpadded
 * base64url of a 46-byte body and a tag (32 bytes HMAC-SHA-512-256, 64 bytes
 * Ed25519), 104 or 147 characters. Integers in the body are big-endian:
 *
 *   version(1)=1 alg(1) kid(4) article(8) revision(4) epoch(4) editor(4)
 *   iat(5) exp(5) flags(1, bit 0 one-time) link_id(9)
 *
 * The tag covers u32be(19) "copydesk-preview-v1" u32be(|origin|) origin
 * u32be(7) "preview" body, so the origin and purpose are signed, never sent.
 * Keys derive from a 32-byte master key with crypto_kdf_derive_from_key,
 * subkey id = key id, context "cdprvmac" (the 32-byte HMAC key) or
 * "cdprvsig" (the 32-byte Ed25519 seed).
 *
 * Signers and verifiers are structs the caller allocates (stack, heap, a
 * Lua userdata); they hold secrets, so wipe them with cd_signer_wipe and
 * cd_verifier_wipe. Once initialised they are read-only: any number of
 * threads may sign or verify with one at once.
 */
#define CD_LINK_KEY_BYTES 32
#define CD_LINK_PUBLIC_KEY_BYTES 32
#define CD_LINK_ID_BYTES 9
#define CD_LINK_BODY_BYTES 46
#define CD_LINK_HMAC_CHARS 104
#define CD_LINK_ED25519_CHARS 147
#define CD_LINK_TOKEN_MAX 148            /* a token and its NUL */
#define CD_LINK_ORIGIN_MAX 256           /* bytes of an origin */
#define CD_LINK_TIME_MAX 0xFFFFFFFFFFLL  /* 40-bit seconds */
#define CD_LINK_ARTICLE_MAX 0x20000000000000LL /* 2^53: exact in any Lua */
#define CD_LINK_LEEWAY_MAX 300
#define CD_LINK_FLAG_ONCE 0x01

typedef enum cd_link_alg {
	CD_LINK_HMAC = 1,    /* HMAC-SHA-512-256, libsodium crypto_auth */
	CD_LINK_ED25519 = 2  /* Ed25519 detached signature */
} cd_link_alg;

/* What a token says. Times are Unix seconds. */
typedef struct cd_link_claims {
	uint64_t article;
	uint32_t revision, epoch, editor, kid;
	int64_t iat, exp;
	int once;
	cd_link_alg alg;
	uint8_t link_id[CD_LINK_ID_BYTES];
} cd_link_claims;

/* Opaque storage; sizes are checked against the internals at compile time. */
typedef struct cd_signer { uint64_t opaque_[104]; } cd_signer;
typedef struct cd_link_key { uint64_t opaque_[58]; } cd_link_key;
typedef struct cd_verifier { uint64_t opaque_[44]; } cd_verifier;

/* 32 random bytes, never all zero. */
cd_status cd_link_keygen(uint8_t key[CD_LINK_KEY_BYTES]);

/*
 * Derives the key of id kid (>= 1) for alg from master (32 bytes, not all
 * zero) and binds it to origin (1..CD_LINK_ORIGIN_MAX bytes). CD_ERR_ARG on
 * any bad argument; s is then wiped.
 */
cd_status cd_signer_init(cd_signer *s, cd_link_alg alg, uint32_t kid,
	const uint8_t master[CD_LINK_KEY_BYTES], const char *origin, size_t origin_len);

/* The Ed25519 public key of an Ed25519 signer; CD_ERR_ARG for HMAC. */
cd_status cd_signer_public_key(const cd_signer *s, uint8_t pk[CD_LINK_PUBLIC_KEY_BYTES]);

/*
 * Mints a token for c->article, revision, epoch, editor, iat, exp, once
 * (kid and alg are the signer's and are written back). link_id is 9 bytes
 * for reproducible tests, or NULL for random ones (written to c->link_id).
 * Needs 0 <= iat < exp <= CD_LINK_TIME_MAX and article <=
 * CD_LINK_ARTICLE_MAX (else CD_ERR_ARG); token gets the NUL-terminated
 * token (token_size >= CD_LINK_TOKEN_MAX, else CD_ERR_SPACE).
 */
cd_status cd_link_sign(const cd_signer *s, cd_link_claims *c, const uint8_t *link_id,
	char *token, size_t token_size, size_t *token_len);

void cd_signer_wipe(cd_signer *s);

/*
 * Random link ids from a pool refilled by randombytes_buf 28 ids at a time
 * (a syscall per link otherwise), and refilled after a fork so that no two
 * processes share ids. Zero it before first use; one per thread.
 */
typedef struct cd_link_ids {
	uint8_t pool[28 * CD_LINK_ID_BYTES];
	unsigned left;
	long pid;
} cd_link_ids;
void cd_link_ids_next(cd_link_ids *ids, uint8_t id[CD_LINK_ID_BYTES]);

/*
 * A verifier for origin with room for capacity keys in keys[] (the caller's
 * memory, which must outlive v). leeway <= CD_LINK_LEEWAY_MAX seconds,
 * 1 <= max_ttl <= CD_LINK_TIME_MAX.
 */
cd_status cd_verifier_init(cd_verifier *v, const char *origin, size_t origin_len,
	cd_link_key *keys, size_t capacity, uint32_t leeway, int64_t max_ttl);

/* Adds key id kid, derived from a master key (HMAC or Ed25519; an Ed25519
 * verifier keeps only the public key) or given as an Ed25519 public key.
 * CD_ERR_ARG for kid 0, a duplicate kid, an all-zero or invalid key;
 * CD_ERR_SPACE when the keyring is full. */
cd_status cd_verifier_add_master(cd_verifier *v, uint32_t kid, cd_link_alg alg,
	const uint8_t master[CD_LINK_KEY_BYTES], int retired);
cd_status cd_verifier_add_public(cd_verifier *v, uint32_t kid,
	const uint8_t pk[CD_LINK_PUBLIC_KEY_BYTES], int retired);

/*
 * Verifies a token, or a URL ending in "/preview/<token>", at time now.
 * Fails closed, in this order: length and alphabet, strict decode
 * (CD_LINK_MALFORMED) -> version (CD_LINK_UNSUPPORTED_VERSION) -> v1 layout:
 * flags, article range, iat < exp (CD_LINK_MALFORMED) -> key id
 * (CD_LINK_UNKNOWN_KEY), algorithm (CD_LINK_KEY_MISMATCH), retired
 * (CD_LINK_KEY_RETIRED) -> constant-time tag (CD_LINK_BAD_SIGNATURE) ->
 * iat > now + leeway (CD_LINK_NOT_YET_VALID), now >= exp + leeway
 * (CD_LINK_EXPIRED), exp - iat > max_ttl (CD_LINK_TTL_TOO_LONG). On CD_OK
 * *out holds the claims; on failure *out is zeroed. State checks (epoch,
 * deny list, one-time use) are the caller's.
 */
cd_status cd_link_verify(const cd_verifier *v, const char *s, size_t len, int64_t now,
	cd_link_claims *out);

/* The number of keys, and key i's id, algorithm and retired flag. */
size_t cd_verifier_key_count(const cd_verifier *v);
cd_status cd_verifier_key_info(const cd_verifier *v, size_t i, uint32_t *kid,
	cd_link_alg *alg, int *retired);

void cd_verifier_wipe(cd_verifier *v);

/* Key text: unpadded base64url of the 32 key bytes, 43 characters (spare
 * bits zero); from_text allows surrounding whitespace and rejects anything
 * else, and an all-zero key, with CD_KEY_INVALID. to_text writes a NUL too. */
cd_status cd_link_key_from_text(const char *text, size_t len, uint8_t key[CD_LINK_KEY_BYTES]);
cd_status cd_link_key_to_text(const uint8_t key[CD_LINK_KEY_BYTES], char text[44]);

/* ---- key files (keyfile.c) ---------------------------------------------- */

/*
 * A key file holds the key text and a newline. cd_key_file_write creates
 * path with mode 0600 and never replaces anything (CD_KEY_FILE_EXISTS);
 * cd_key_file_read reads one (CD_KEY_FILE_ERROR when it cannot be opened
 * or read, CD_KEY_INVALID when its content is not key text).
 */
cd_status cd_key_file_write(const char *path, const uint8_t key[CD_LINK_KEY_BYTES]);
cd_status cd_key_file_read(const char *path, uint8_t key[CD_LINK_KEY_BYTES]);

#ifdef __cplusplus
}
#endif

#endif /* COPYDESK_H */
