/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Fuzz the card's ABI -> HAL translation: for every FLOW_BATCH the codec
 * accepts, each ADD/MODIFY op must either be refused with a reason or
 * become a HAL rule that passes the HAL's structural checks (one fate,
 * END-terminated lists, well-formed SAMPLE) — never crash, never a rule the
 * hardware layer would have to reject for being malformed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dpu_abi_codec.h"
#include "dpu_hal.h"
#include "fw_flow_xlate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fw_hal_rule rule;
	struct dpu_abi_peer peer = { .role = DPU_ABI_ROLE_CARD,
				     .minor = DPU_ABI_VERSION_MINOR };
	const struct dpu_abi_hdr *h;
	const struct dpu_abi_flow_op *op;
	uint64_t *buf;
	char why[192];

	if (size < sizeof(struct dpu_abi_hdr) || size > DPU_ABI_MSG_MAX)
		return 0;
	/* The checker wants an 8-byte aligned message, as transports give. */
	buf = malloc((size + 7) & ~(size_t)7);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	h = (const void *)buf;
	if (dpu_abi_check(buf, size, &peer, NULL) != 0 ||
	    h->opcode != DPU_ABI_OP_FLOW_BATCH) {
		free(buf);
		return 0;
	}
	op = dpu_abi_flow_batch_first(h);
	for (uint32_t i = 0; op && i < ((const struct dpu_abi_flow_batch_req *)
						dpu_abi_body(h))->n_ops;
	     i++, op = dpu_abi_flow_op_next(op)) {
		struct dpu_hal_error err;

		if (op->op != DPU_ABI_FLOW_ADD && op->op != DPU_ABI_FLOW_MODIFY)
			continue;
		if (fw_flow_to_hal(op, NULL, &rule, why, sizeof(why)) != DPU_ABI_OK) {
			if (!why[0])
				abort(); /* a refusal must say why */
			continue;
		}
		if (dpu_hal_check_rule(&rule.attr, rule.pattern, rule.actions, &err) < 0) {
			fprintf(stderr, "translated rule fails HAL checks: %s\n", err.msg);
			abort();
		}
	}
	free(buf);
	return 0;
}
