/*
 * Internal interface between the validation engine (validate.c) and the
 * text checks (text.c). Not part of the public C API.
 */
#ifndef CD_VALIDATE_INT_H
#define CD_VALIDATE_INT_H

#include <stdint.h>

#include "copydesk.h"
#include "cpu.h" /* SSE2 for the hot scans; tests/c/test_text_paths.c compares the paths */

/* Kinds of text block handed to cd_text_block. */
enum {
	CD_TB_BODY = 1,     /* a paragraph or line of the body */
	CD_TB_CAPTION = 2,  /* an image caption */
	CD_TB_FIELD = 4,    /* a one-line metadata field (headline, dek, ...) */
	CD_TB_HEADING = 8,  /* a heading of the body */
	CD_TB_LINKED = 16,  /* text inside a link: a URL there is not bare */
	CD_TB_CAPS_OK = 32  /* skip all-caps (bylines, credits) */
};

typedef struct cd_quote_pos {
	const char *path;
	size_t start, stop;
	unsigned char cls;  /* 0 single/apostrophe, 1 double */
	unsigned char kind; /* 0 straight, 1 curly */
} cd_quote_pos;

typedef struct cd_block_rec {
	const char *path;
	size_t start, stop; /* finding offsets of the block */
	const char *text;   /* the block's text, or NULL: at text_off in the vctx buffer */
	size_t text_off, text_len;
	size_t words, nonspace;      /* nonspace: bytes, a curly quote counted as one */
	uint32_t h_first, h_last;    /* of the first and last words, normalised */
	unsigned flags;
	unsigned char dup;           /* long enough to count as a repeated block */
	unsigned char ends_sentence, related_head, placeholder_only;
	unsigned char rep;           /* repeats another block (cd_text_finish) */
} cd_block_rec;

/* Where a piece of block text came from: text[off..off+len) stands for
 * field bytes src..src+src_len (equal lengths when exact). */
typedef struct cd_seg {
	size_t off, len, src, src_len;
	int exact;
	int linked; /* the text right after an <a ...> tag */
} cd_seg;

typedef struct cd_vctx {
	cd_report *r;
	const cd_policy *p;
	const cd_article *a;
	cd_stage stage;
	cd_status err;
	cd_quote_pos *quotes;
	size_t n_quotes, cap_quotes;
	cd_block_rec *blocks;
	size_t n_blocks, cap_blocks;
	size_t body_words;
	size_t body_chars;
	/* scratch for HTML blocks */
	char *buf;
	size_t buf_len, buf_cap;
	cd_seg *segs;
	size_t n_segs, cap_segs;
	size_t block_start; /* where the block being gathered starts in buf */
	unsigned block_flags;
	/* bitmaps of phrases' first bytes, folded with | 32 and hashed: [0, 32)
	 * the first two bytes, [32, 64) those of phrases shorter than three
	 * bytes, [64, 96) the first three bytes of the others */
	uint32_t pairs[96];
	int firsts_ready;
	int general;              /* CD_V_GENERAL: no fast paths (tests compare the two) */
	int wordwise;             /* CD_V_WORDWISE: plain words one at a time, not by 64 bytes */
} cd_vctx;

/* Options of cd_validate_opts (for tests: every way gives the same report). */
enum {
	CD_V_GENERAL = 1, /* every word through the general path of the text checks */
	CD_V_WORDWISE = 2 /* plain words one at a time (the portable fast path) */
};

/* cd_validate with options; cd_validate(r, a, p) is cd_validate_opts(r, a, p, 0). */
cd_status cd_validate_opts(cd_report *r, const cd_article *a, const cd_policy *p, unsigned opts);

/* Reports a finding through the policy; records the first failure. */
void cd_v_add(cd_vctx *v, cd_rule rule, const char *path, size_t start, size_t stop,
	const char *message);

/*
 * Checks one block of plain text. s[0..len) is the text a reader sees;
 * when exact, s[i] sits at byte base + i of the field, otherwise findings
 * cover the raw span base .. base + raw_len.
 */
void cd_text_block(cd_vctx *v, const char *path, const char *s, size_t len, size_t base,
	size_t raw_len, int exact, unsigned flags);
/* A caption run into its credit (…Kim Jong UnThe White House). */
void cd_text_caption_glued(cd_vctx *v, const char *path, const cd_field *caption,
	const cd_field *credit);
/* Feeds the text of an HTML body to cd_text_block (validate.c, over html.c). */
void cd_body_html(cd_vctx *v, const cd_field *body);
/* The same for text gathered from pieces of the field (segs in order). */
void cd_text_block_mapped(cd_vctx *v, const char *path, const char *s, size_t len,
	const cd_seg *segs, size_t n_segs, unsigned flags);
/* Article-wide text checks once every block is in. */
void cd_text_finish(cd_vctx *v);

/* Policy internals text.c reads. */
size_t cd_policy_threshold(const cd_policy *p, cd_threshold t);
/* p grown (realloc) to hold at least need elements of size bytes, doubling
 * *cap from 32; p itself when it already does; NULL when out of memory (p
 * is then still valid and *cap unchanged). */
void *cd_grow(void *p, size_t *cap, size_t need, size_t size);

int cd_policy_quotes(const cd_policy *p);
/* The entries of a policy list and their lengths (*n of them). */
const char *const *cd_policy_list_items(const cd_policy *p, cd_policy_list list,
	const size_t **lens, size_t *n);

#endif
