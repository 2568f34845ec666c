/* SPDX-License-Identifier: BSD-3-Clause */
/* dpu-fw logging: one line per event on stderr, with the card's name. */
#ifndef FW_LOG_H
#define FW_LOG_H

#include <stdio.h>

extern int fw_log_verbose;

#define fw_log_err(fmt, ...) fprintf(stderr, "dpu-fw: error: " fmt "\n", ##__VA_ARGS__)
#define fw_log_warn(fmt, ...) fprintf(stderr, "dpu-fw: warning: " fmt "\n", ##__VA_ARGS__)
#define fw_log_info(fmt, ...) fprintf(stderr, "dpu-fw: " fmt "\n", ##__VA_ARGS__)
#define fw_log_dbg(fmt, ...)                                                   \
	do {                                                                   \
		if (fw_log_verbose)                                            \
			fprintf(stderr, "dpu-fw: " fmt "\n", ##__VA_ARGS__);   \
	} while (0)

#endif /* FW_LOG_H */
