/*
 * A minimal unit-test harness for the C API: each TEST is a function, each
 * CHECK inside it either holds or marks the test failed. unit_report()
 * prints "N passed, N failed" (tests, not checks) for tests/run.sh.
 */
#ifndef CD_UNIT_H
#define CD_UNIT_H

#include <stdio.h>
#include <string.h>

static int unit_passed, unit_failed, unit_current_failed;

#define CHECK(cond)                                                          \
	do {                                                                     \
		if (!(cond)) {                                                       \
			unit_current_failed = 1;                                         \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, \
				#cond);                                                      \
		}                                                                    \
	} while (0)

#define RUN(test)                                                      \
	do {                                                               \
		unit_current_failed = 0;                                       \
		test();                                                        \
		if (unit_current_failed) {                                     \
			unit_failed++;                                             \
			fprintf(stderr, "FAIL %s\n", #test);                       \
		} else {                                                       \
			unit_passed++;                                             \
		}                                                              \
	} while (0)

static int unit_report(void)
{
	printf("%d passed, %d failed\n", unit_passed, unit_failed);
	return unit_failed != 0;
}

#endif
