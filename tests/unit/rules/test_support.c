// SPDX-License-Identifier: BSD-3-Clause
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"

int test_devmap_load(struct test_devmap *m, const char *path)
{
	FILE *fp = fopen(path, "r");
	unsigned int idx;
	char name[16];

	memset(m, 0, sizeof(*m));
	if (!fp)
		return -errno;
	while (m->n < 64 && fscanf(fp, "%u %15s", &idx, name) == 2) {
		m->dev[m->n].ifindex = idx;
		snprintf(m->dev[m->n].name, sizeof(m->dev[m->n].name), "%s", name);
		m->n++;
	}
	fclose(fp);
	return 0;
}

static const char *dev_name(struct test_devmap *m, uint32_t ifindex)
{
	unsigned int i;

	for (i = 0; i < m->n; i++)
		if (m->dev[i].ifindex == ifindex)
			return m->dev[i].name;
	return NULL;
}

static int port(void *ctx, uint32_t ifindex, struct dpu_rules_port_info *out)
{
	const char *n = dev_name(ctx, ifindex);
	unsigned int vf;

	if (!n)
		return -ENODEV;
	if (!strcmp(n, "p0")) {
		out->kind = DPU_RULES_PORT_CARD;
		out->port_id = 1;
	} else if (sscanf(n, "pf0vf%u", &vf) == 1 && !strchr(n, '_')) {
		out->kind = DPU_RULES_PORT_CARD;
		out->port_id = vf + 2;
	} else if (!strcmp(n, "vxlan_sys_4789")) {
		out->kind = DPU_RULES_PORT_TUNNEL;
		out->tunnel_type = DPU_ABI_TUNNEL_VXLAN;
		out->udp_port = 4789;
		out->port_id = 1;
	} else if (!strcmp(n, "genev_sys_6081")) {
		out->kind = DPU_RULES_PORT_TUNNEL;
		out->tunnel_type = DPU_ABI_TUNNEL_GENEVE;
		out->udp_port = 6081;
		out->port_id = 1;
	} else {
		out->kind = DPU_RULES_PORT_NONE;
	}
	return 0;
}

static int neigh(void *ctx, uint8_t ip_version, const uint8_t dst[16],
		 uint8_t eth_src[6], uint8_t eth_dst[6], uint32_t *uplink)
{
	static const uint8_t src[6] = { 2, 0, 0, 0, 0, 1 };

	(void)ctx;
	memcpy(eth_src, src, 6);
	memcpy(eth_dst, src, 6);
	eth_dst[5] = dst[ip_version == 6 ? 15 : 3];
	*uplink = 1;
	return 0;
}

static int meter(void *ctx, uint32_t index, struct dpu_rules_act_police *out)
{
	struct test_devmap *m = ctx;
	unsigned int i;

	for (i = 0; i < m->n_meters; i++) {
		if (m->meters[i].index == index) {
			*out = m->meters[i];
			return 0;
		}
	}
	return -ENOENT;
}

void test_resolver(struct dpu_rules_resolver *r, struct test_devmap *m)
{
	memset(r, 0, sizeof(*r));
	r->ctx = m;
	r->port = port;
	r->neigh = neigh;
	r->meter = meter;
}

void test_full_caps(struct dpu_abi_caps *caps)
{
	memset(caps, 0, sizeof(*caps));
	caps->item_types = ((1ull << DPU_ABI_ITEM_TYPE_MAX) - 1) & ~1ull;
	caps->action_types = ((1ull << DPU_ABI_ACT_TYPE_MAX) - 1) & ~1ull;
}

uint8_t *test_read_file(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	uint8_t *buf = NULL;
	long n;

	if (!fp)
		return NULL;
	if (fseek(fp, 0, SEEK_END) == 0 && (n = ftell(fp)) >= 0 &&
	    fseek(fp, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)n + 1);
		if (buf && fread(buf, 1, (size_t)n, fp) != (size_t)n) {
			free(buf);
			buf = NULL;
		}
		*len = (size_t)n;
	}
	fclose(fp);
	return buf;
}

int test_abi_round_trip(const struct dpu_rules_abi_flow *abi, char *line, size_t len,
			char *why, size_t why_len)
{
	static uint8_t buf[DPU_ABI_MSG_MAX];
	struct dpu_rules_abi_flow back;
	struct dpu_abi_peer peer = { .role = DPU_ABI_ROLE_CARD,
				     .minor = DPU_ABI_VERSION_MINOR };
	struct dpu_abi_error err;
	struct dpu_abi_builder b;
	char direct[1024];
	int n;

	why[0] = 0;
	dpu_abi_build_init(&b, buf, sizeof(buf), DPU_ABI_OP_FLOW_BATCH, 0, 7);
	dpu_abi_flow_batch_begin(&b);
	dpu_rules_abi_emit(&b, DPU_ABI_FLOW_ADD, abi);
	n = dpu_abi_build_finish(&b);
	if (n < 0) {
		snprintf(why, why_len, "builder: %s", dpu_abi_status_name((uint16_t)-n));
		return -2;
	}
	if (dpu_abi_check(buf, (size_t)n, &peer, &err)) {
		snprintf(why, why_len, "dpu_abi_check: %s", err.msg);
		return -2;
	}
	if (dpu_rules_abi_from_op(dpu_abi_flow_batch_first((const void *)buf),
				  &back)) {
		snprintf(why, why_len, "abi_from_op failed");
		return -2;
	}
	dpu_rules_format_abi(&back, line, len);
	dpu_rules_format_abi(abi, direct, sizeof(direct));
	if (strcmp(direct, line)) {
		snprintf(why, why_len, "round trip differs: %s", direct);
		return -2;
	}
	return 0;
}

int test_encode(const struct dpu_rules_flow *f,
		const struct dpu_rules_resolver *r, struct dpu_rules_result *res,
		char *line, size_t len, char *why, size_t why_len)
{
	struct dpu_rules_abi_flow abi;
	struct dpu_abi_caps caps;

	why[0] = 0;
	if (dpu_rules_to_abi(f, r, &abi, res))
		return -1;
	test_full_caps(&caps);
	if (dpu_rules_caps_check(&abi, &caps, res))
		return -1;
	return test_abi_round_trip(&abi, line, len, why, why_len);
}
