/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Rules as text, in the words of DPDK testpmd's "flow create":
 *
 *   [group N] [priority N] [ingress|transfer]
 *   pattern ITEM [/ ITEM]... / end
 *   actions ACTION [/ ACTION]... / end
 *
 * e.g.  pattern port pf0vf0 / eth / ipv4 dst is 10.0.0.2 / end
 *       actions count / port pf0vf1 / end
 *
 * so that people who know rte_flow can drive the card from a shell
 * (dpuctl flow add) and tests can state rules the way the docs do. Items
 * between "eth / ipv4|ipv6 / udp" and a "vxlan" or "geneve" item are the
 * tunnel's outer headers and become the ABI's TUNNEL item. docs/rules.md
 * lists every item, field and action.
 */
#ifndef DPU_RULES_TEXT_H
#define DPU_RULES_TEXT_H

#include "dpu_rules_abi.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Port names ("pf0vf1", "p0") to the card's port ids. */
struct dpu_rules_text_ports {
	void *ctx;
	/* 0 and *port_id, or -ENOENT. NULL: only numeric ports. */
	int (*by_name)(void *ctx, const char *name, uint32_t *port_id);
};

/**
 * Parse one rule from argv-style words (a "/" must be a word of its
 * own). On success fills out (id left zero for the caller) and returns
 * 0; otherwise -EINVAL with res->reason naming the word and what was
 * expected. Rules without "transfer"/"ingress" are transfer rules.
 */
int dpu_rules_text_parse_argv(int argc, char *const *argv,
			      const struct dpu_rules_text_ports *ports,
			      struct dpu_rules_abi_flow *out,
			      struct dpu_rules_result *res);

/** The same from one line of text (split on blanks; '#' starts a comment). */
int dpu_rules_text_parse(const char *line,
			 const struct dpu_rules_text_ports *ports,
			 struct dpu_rules_abi_flow *out,
			 struct dpu_rules_result *res);

#ifdef __cplusplus
}
#endif

#endif /* DPU_RULES_TEXT_H */
