/* SPDX-License-Identifier: BSD-3-Clause */
/* dpu-agent's log: stderr, one line per event, with a level. */
#ifndef DPU_AGENT_LOG_H
#define DPU_AGENT_LOG_H

enum agent_log_level { AGENT_LOG_ERR, AGENT_LOG_WARN, AGENT_LOG_INFO, AGENT_LOG_DEBUG };

extern int agent_log_level;

void agent_log(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
