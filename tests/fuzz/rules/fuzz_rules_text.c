// SPDX-License-Identifier: BSD-3-Clause
/*
 * libFuzzer target: rule text (dpuctl flow add / flow load lines).
 * Parsing must never crash; whatever parses must encode into a FLOW_BATCH
 * the card's dpu_abi_check accepts (the parser producing a rule the card
 * rejects as malformed is a bug, so it aborts) and print without overrun.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dpu_abi_codec.h"
#include "dpu_rules_print.h"
#include "dpu_rules_text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int by_name(void *ctx, const char *name, uint32_t *id)
{
	(void)ctx;
	if (!strcmp(name, "pf0vf0") || !strcmp(name, "pf0vf1")) {
		*id = name[5] == '0' ? 2 : 3;
		return 0;
	}
	return -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct dpu_rules_text_ports ports = { .by_name = by_name };
	static uint8_t buf[16384];
	struct dpu_abi_peer peer = { .role = DPU_ABI_ROLE_CARD,
				     .minor = DPU_ABI_VERSION_MINOR };
	struct dpu_rules_abi_flow a;
	struct dpu_rules_result res;
	struct dpu_abi_builder b;
	struct dpu_abi_error err;
	char *text, out[2048];
	int n;

	if (size > 8192)
		return 0;
	text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = 0;
	if (dpu_rules_text_parse(text, &ports, &a, &res)) {
		if (!res.reason[0])
			abort(); /* every refusal explains itself */
		free(text);
		return 0;
	}
	free(text);
	a.id.lo = 1;
	dpu_rules_format_abi(&a, out, sizeof(out));
	dpu_abi_build_init(&b, buf, sizeof(buf), DPU_ABI_OP_FLOW_BATCH, 0, 0);
	dpu_abi_flow_batch_begin(&b);
	dpu_rules_abi_emit(&b, DPU_ABI_FLOW_ADD, &a);
	n = dpu_abi_build_finish(&b);
	if (n < 0)
		abort();
	if (dpu_abi_check(buf, (size_t)n, &peer, &err)) {
		fprintf(stderr, "parsed rule rejected by the card: %s\n  rule: %s\n", err.msg, out);
		abort();
	}
	return 0;
}
