/* SPDX-License-Identifier: BSD-3-Clause */
/* dpuctl internals shared by its command files. */
#ifndef DPUCTL_H
#define DPUCTL_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "dpu_host.h"

enum {
	DPUCTL_EXIT_OK = 0,
	DPUCTL_EXIT_FAIL = 1,
	DPUCTL_EXIT_USAGE = 2,
	DPUCTL_EXIT_UNREACHABLE = 3,
};

extern bool dpuctl_json;

/** Print "dpuctl: what: <card->err>" and return DPUCTL_EXIT_FAIL. */
int dpuctl_fail(struct dpu_host_card *card, const char *what);
/** Print o (pretty) and drop the reference. */
void dpuctl_print_json(struct json_object *o);
/** Comma-separated DPU_ABI_FEAT_* names. */
const char *dpuctl_feature_names(uint64_t f, char *buf, size_t cap);

/**
 * `dpuctl nvmf ...`: the card's NVMe-oF/TCP target, over the ABI to the
 * card at addr, or through the agent at agent_path when that is set.
 */
int dpuctl_nvmf(const char *addr, int timeout, const char *agent_path, int argc, char **argv);
int dpuctl_nvmf_usage(FILE *f, int rc);

/** `dpuctl flow ...`: add/load/del/query/list/flush rules on the card. */
int dpuctl_flow(struct dpu_host_card *card, int argc, char **argv);

/** `dpuctl -a PATH ...`: ask dpu-agent instead of the card. */
int dpuctl_agent(const char *path, int argc, char **argv);
/** One request line to the agent; its JSON answer, or NULL (reason printed). */
struct json_object *dpuctl_agent_ask(const char *path, const char *req);

/** `dpuctl selftest`: a round of every basic request, each result checked. */
int dpuctl_selftest(struct dpu_host_card *card, int argc, char **argv);

#endif /* DPUCTL_H */
