/* SPDX-License-Identifier: BSD-3-Clause */
/* Human-readable one-line renderings (for dpuctl flow show, logs, tests). */
#ifndef DPU_RULES_PRINT_H
#define DPU_RULES_PRINT_H

#include <stddef.h>

#include "dpu_rules.h"
#include "dpu_rules_abi.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * The model in `tc filter show` words, on one line:
 * "ingress if 3 chain 0 prio 1 handle 0x1 protocol 0x0800 flower skip_sw
 *  eth_type 0x0800 ip_proto 6 dst_ip 10.0.0.1 action redirect if 4".
 * snprintf semantics: returns the length it needed, always terminates.
 */
size_t dpu_rules_format(const struct dpu_rules_flow *f, char *buf, size_t len);

/** Only the action list of the model (" action police index 7 ..."). */
size_t dpu_rules_format_actions(const struct dpu_rules_flow *f, char *buf,
				size_t len);

/**
 * An ABI rule (what goes on the wire) on one line:
 * "group 0 prio 1 transfer: in_port 1 eth_type 0x0800 ... / count output 2".
 */
size_t dpu_rules_format_abi(const struct dpu_rules_abi_flow *a, char *buf,
			    size_t len);

#ifdef __cplusplus
}
#endif

#endif
