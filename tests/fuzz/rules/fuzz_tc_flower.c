// SPDX-License-Identifier: BSD-3-Clause
/*
 * libFuzzer target: one raw netlink message through the whole rule path
 * (and through the shared-action decoder, for RTM_NEWACTION).
 * Decoding must never crash; whatever decodes must translate without
 * crashing, and whatever translates must encode into a FLOW_BATCH that the
 * card-side dpu_abi_check accepts (our own output being rejected is a bug,
 * so it aborts) and that decodes back to the same rule.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dpu_abi_codec.h"
#include "dpu_rules.h"
#include "dpu_rules_abi.h"
#include "dpu_rules_print.h"
#include "dpu_rules_tc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* ifindex 1..8: card ports; 9: vxlan, 10: geneve; others: not the card's. */
static int port(void *ctx, uint32_t ifindex, struct dpu_rules_port_info *out)
{
	(void)ctx;
	if (ifindex >= 1 && ifindex <= 8) {
		out->kind = DPU_RULES_PORT_CARD;
		out->port_id = ifindex;
	} else if (ifindex == 9 || ifindex == 10) {
		out->kind = DPU_RULES_PORT_TUNNEL;
		out->tunnel_type = ifindex == 9 ? DPU_ABI_TUNNEL_VXLAN :
						  DPU_ABI_TUNNEL_GENEVE;
		out->udp_port = ifindex == 9 ? 4789 : 6081;
		out->port_id = 1;
	} else {
		return -ENODEV;
	}
	return 0;
}

static int neigh(void *ctx, uint8_t v, const uint8_t dst[16],
		 uint8_t src_mac[6], uint8_t dst_mac[6], uint32_t *uplink)
{
	(void)ctx;
	(void)v;
	memset(src_mac, 2, 6);
	memcpy(dst_mac, dst, 6);
	dst_mac[0] = 2;
	*uplink = 1;
	return 0;
}

static int meter(void *ctx, uint32_t index, struct dpu_rules_act_police *out)
{
	(void)ctx;
	out->rate = index;
	out->burst = 1000;
	out->exceed = DPU_ABI_METER_V_DROP;
	return index ? 0 : -ENOENT;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t buf[DPU_ABI_MSG_MAX];
	static const struct dpu_rules_resolver r = {
		.port = port, .neigh = neigh, .meter = meter,
	};
	struct dpu_abi_peer peer = { .role = DPU_ABI_ROLE_CARD,
				     .minor = DPU_ABI_VERSION_MINOR };
	struct dpu_rules_abi_flow abi, back;
	struct dpu_rules_result res;
	struct dpu_rules_flow f;
	struct dpu_abi_error err;
	struct dpu_abi_builder b;
	struct dpu_abi_caps caps;
	char line[2048], line2[2048];
	uint8_t *copy;
	int n;

	/* A private copy sized exactly: reads past it are ASan errors. */
	copy = malloc(size ? size : 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	/* The same bytes as a shared-action message (meters). */
	dpu_rules_tc_decode_actions(copy, size, &f, &res, NULL);
	dpu_rules_format_actions(&f, line, sizeof(line));
	dpu_rules_tc_decode(copy, size, &f, &res, NULL);
	dpu_rules_format(&f, line, sizeof(line));
	if (res.verdict != DPU_RULES_OK ||
	    dpu_rules_to_abi(&f, &r, &abi, &res) != 0)
		goto out;

	memset(&caps, 0xff, sizeof(caps));
	caps.max_groups = 0;
	caps.max_meters = 0;
	if (dpu_rules_caps_check(&abi, &caps, &res))
		goto out;
	dpu_abi_build_init(&b, buf, sizeof(buf), DPU_ABI_OP_FLOW_BATCH, 0, 1);
	dpu_abi_flow_batch_begin(&b);
	dpu_rules_abi_emit(&b, f.op == DPU_RULES_OP_DEL ? DPU_ABI_FLOW_DELETE :
						      DPU_ABI_FLOW_ADD, &abi);
	n = dpu_abi_build_finish(&b);
	if (n < 0 || dpu_abi_check(buf, (size_t)n, &peer, &err)) {
		dpu_rules_format_abi(&abi, line2, sizeof(line2));
		fprintf(stderr, "encoded rule rejected: %s\n  %s\n",
			n < 0 ? dpu_abi_status_name((uint16_t)-n) : err.msg, line2);
		abort();
	}
	if (dpu_rules_abi_from_op(dpu_abi_flow_batch_first((const void *)buf), &back)) {
		fprintf(stderr, "checked op does not decode back\n");
		abort();
	}
	if (memcmp(&abi.id, &back.id, sizeof(abi.id)))
		abort();
	if (f.op == DPU_RULES_OP_DEL)
		goto out; /* a delete names the flow by id alone */
	dpu_rules_format_abi(&abi, line, sizeof(line));
	dpu_rules_format_abi(&back, line2, sizeof(line2));
	if (strcmp(line, line2)) {
		fprintf(stderr, "round trip differs:\n  sent %s\n  back %s\n",
			line, line2);
		abort();
	}
out:
	free(copy);
	return 0;
}
