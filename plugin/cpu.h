/*
 * What the compiler targets, for the hot loops of slug.c, text.c and
 * validate.c: SSE2 (every x86-64), a little-endian byte order for eight
 * bytes at a time, and a way to keep a function out of line. Each loop has
 * a portable variant with the same results; the C tests compare them.
 */
#ifndef CD_CPU_H
#define CD_CPU_H

#if defined(__SSE2__) && defined(__GNUC__)
#include <emmintrin.h>
#define CD_SSE2 1
#else
#define CD_SSE2 0
#endif

#if defined(__GNUC__) && defined(__BYTE_ORDER__) && defined(__ORDER_LITTLE_ENDIAN__) && \
	__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define CD_LE 1
#else
#define CD_LE 0
#endif

/* The high bit, and the low bit, of each of eight bytes (SWAR masks). */
#define CD_H8 0x8080808080808080ull
#define CD_L8 0x0101010101010101ull

#if defined(__GNUC__)
#define CD_NOINLINE __attribute__((noinline))
#else
#define CD_NOINLINE
#endif

#endif
