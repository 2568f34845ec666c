/* SPDX-License-Identifier: BSD-3-Clause */
/* Internal: the flower attribute table and the tunnel-key decoder. */
#ifndef DPU_RULES_TC_FLOWER_H
#define DPU_RULES_TC_FLOWER_H

#include "tc_nl.h"

extern const struct tc_attr tc_flower_attrs[];

/* "TCA_FLOWER_KEY_x" for a type (a fixed string for unknown ones). */
const char *flower_attr_name(int type);

int tc_flower_enc_keys(struct tc_ctx *c, struct nlattr **tb);
/* Decode TCA_OPTIONS of a flower filter into c->f. */
int tc_flower_options(struct tc_ctx *c, const struct nlattr *opts);

#endif
