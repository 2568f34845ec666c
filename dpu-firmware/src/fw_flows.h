/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The ABI's flow semantics (idempotent add by host id, make-before-break
 * modify, delete, query, flush) over the record store and the HAL. Without
 * a HAL the card keeps records only, which is what a host-side test double
 * needs; with one, a rule is acknowledged only once it is in the table.
 */
#ifndef FW_FLOWS_H
#define FW_FLOWS_H

#include <stdint.h>

#include "dpu_abi_flow.h"
#include "dpu_hal.h"
#include "fw_flow_db.h"
#include "fw_flow_xlate.h"

struct fw_flows {
	struct fw_flow_db *db;
	struct dpu_hal_dev *hal;      /* NULL: records only */
	uint8_t meter_made[65536 / 8]; /* meter ids created in the HAL */
	struct fw_hal_rule scratch;
	char why[192];                /* reason of the last refusal */
	uint64_t hw_refused;          /* ops the hardware said no to */
	uint32_t db_max;
};

/** Set up for at most max_flows rules over hal (may be NULL). 0/-ENOMEM. */
int fw_flows_init(struct fw_flows *fl, uint32_t max_flows, struct dpu_hal_dev *hal);
void fw_flows_fini(struct fw_flows *fl);

/**
 * Apply one checked FLOW_BATCH op and fill its result (status, counters
 * for QUERY). When the status is not OK, fl->why says why in words.
 */
void fw_flows_apply(struct fw_flows *fl, const struct dpu_abi_flow_op *op,
		    struct dpu_abi_flow_result *res);

/** Warm the cache for op, applied next (a batch looks one op ahead). */
void fw_flows_prefetch(const struct fw_flows *fl, const struct dpu_abi_flow_op *op);

/** Remove every rule of group (DPU_ABI_GROUP_ALL: all). Returns how many. */
uint32_t fw_flows_flush(struct fw_flows *fl, uint32_t group);

#endif /* FW_FLOWS_H */
