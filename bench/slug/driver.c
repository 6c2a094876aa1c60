/* copydesk's C core over the corpus: best of `rounds` passes; prints name,
 * seconds, count, bytes, empty. One output buffer for every call. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "copydesk.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts); /* CPU time, as os.clock */
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	FILE *f;
	char *text, **lines, out[65536];
	long size;
	size_t n = 0, i, bytes = 0, empty = 0, *lens, out_len;
	int r, rounds = argc > 2 ? atoi(argv[2]) : 3;
	double best = 1e30;

	if (argc < 2 || !(f = fopen(argv[1], "rb")))
		return 1;
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	fseek(f, 0, SEEK_SET);
	text = malloc((size_t)size + 1);
	if (!text || fread(text, 1, (size_t)size, f) != (size_t)size)
		return 1;
	fclose(f);
	for (i = 0; i < (size_t)size; i++)
		n += text[i] == '\n';
	lines = malloc(n * sizeof *lines);
	lens = malloc(n * sizeof *lens);
	n = 0;
	for (i = 0; i < (size_t)size;) {
		char *nl = memchr(text + i, '\n', (size_t)size - i);
		size_t end = nl ? (size_t)(nl - text) : (size_t)size;
		lines[n] = text + i;
		lens[n] = end - i;
		bytes += lens[n++];
		i = end + 1;
	}
	for (r = 0; r < rounds; r++) {
		size_t e = 0;
		double t = now();
		for (i = 0; i < n; i++) {
			if (lens[i] * 8 + 64 > sizeof out)
				continue;
			if (cd_slugify(lines[i], lens[i], NULL, out, sizeof out, &out_len) != CD_OK)
				return 2;
			e += out_len == 0;
		}
		t = now() - t;
		if (t < best)
			best = t;
		empty = e;
	}
	printf("copydesk via C\t%.6f\t%zu\t%zu\t%zu\n", best, n, bytes, empty);
	return 0;
}
