/* SPDX-License-Identifier: BSD-3-Clause */
/* Minimal checks for the nvmf tests: count failures, keep going. */
#ifndef NVMF_TEST_UTIL_H
#define NVMF_TEST_UTIL_H

#include <stdio.h>

static int t_fail, t_pass;

#define CHECK(cond)                                                                  \
	do {                                                                         \
		if (cond) {                                                          \
			t_pass++;                                                    \
		} else {                                                             \
			t_fail++;                                                    \
			fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); \
		}                                                                    \
	} while (0)

#define CHECK_EQ(a, b)                                                                    \
	do {                                                                              \
		long long a_ = (long long)(a), b_ = (long long)(b);                       \
		if (a_ == b_) {                                                           \
			t_pass++;                                                         \
		} else {                                                                  \
			t_fail++;                                                         \
			fprintf(stderr, "FAIL %s:%d: %s == %s (0x%llx != 0x%llx)\n", __FILE__, \
				__LINE__, #a, #b, a_, b_);                                \
		}                                                                         \
	} while (0)

#define T_SUMMARY()                                                                 \
	(printf("%d checks passed, %d failed\n", t_pass, t_fail), t_fail ? 1 : 0)

#endif
