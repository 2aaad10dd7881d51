/* SPDX-License-Identifier: GPL-2.0-or-later */
/* tap.h: the few lines of TAP the C unit tests print for prove. */
#ifndef CFS_TAP_H
#define CFS_TAP_H

#include <stdio.h>

static int n_tests, n_failed;

#define ok(cond, ...)                                                       \
	do {                                                                \
		int ok_ = (cond);                                           \
		n_tests++;                                                  \
		if (!ok_)                                                   \
			n_failed++;                                         \
		printf("%sok %d - ", ok_ ? "" : "not ", n_tests);           \
		printf(__VA_ARGS__);                                        \
		printf("\n");                                               \
	} while (0)

#endif
