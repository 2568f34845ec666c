/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tc flower netlink -> rule model.
 *
 * The decoder takes one raw netlink message (struct nlmsghdr and what
 * follows), exactly as read from a NETLINK_ROUTE socket or from a capture,
 * so live watching and replaying recorded messages share one code path.
 * Everything in it is treated as hostile: lengths, nesting, sizes and enum
 * values are checked and a failure names the TCA_* attribute.
 */
#ifndef DPU_RULES_TC_H
#define DPU_RULES_TC_H

#include <stddef.h>

#include "dpu_rules.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Decode one RTM_NEWTFILTER / RTM_DELTFILTER message of at most len bytes
 * at buf into f.
 *
 * @return 0 when f is an offload candidate; otherwise res->verdict says
 * why not (MALFORMED: -EINVAL, REFUSED / SW_ONLY: -EOPNOTSUPP, IGNORED:
 * -ENOENT for messages that are not tc filters). f is filled as far as
 * decoding got (identity always, when the header was readable), so a
 * refused filter can still be listed with its reason. st, when not NULL,
 * counts the outcome.
 */
int dpu_rules_tc_decode(const void *buf, size_t len, struct dpu_rules_flow *f,
			struct dpu_rules_result *res,
			struct dpu_rules_stats *st);

/**
 * Decode one RTM_NEWACTION / RTM_DELACTION message (shared tc actions,
 * made with `tc actions add`; OVS creates its meters this way) into
 * f->actions, in table order, f->op ADD or DEL. Each police action is
 * complete (index, rates, verdicts): it is what a filter's
 * "police index N" reference binds to, and what the agent's resolver
 * meter() callback should answer from. Same verdicts as
 * dpu_rules_tc_decode(); only f->actions and f->op are meaningful.
 */
int dpu_rules_tc_decode_actions(const void *buf, size_t len,
				struct dpu_rules_flow *f,
				struct dpu_rules_result *res,
				struct dpu_rules_stats *st);

#ifdef __cplusplus
}
#endif

#endif /* DPU_RULES_TC_H */
