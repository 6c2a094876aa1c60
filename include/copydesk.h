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

/* ---- preview links (link.c) -------------------------------------------- */

#ifdef __cplusplus
}
#endif

#endif /* COPYDESK_H */
