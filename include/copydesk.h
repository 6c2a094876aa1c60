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

	/* validation */

	/* preview links */

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

/* ---- validation (validate.c, html.c, text.c) --------------------------- */

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

#ifdef __cplusplus
}
#endif

#endif /* COPYDESK_H */
