// SPDX-License-Identifier: BSD-3-Clause
/*
 * libFuzzer target: what dpu-agent does with a buffer of netlink messages
 * (a recording given to --replay or to `replay PATH`, or a read from the
 * live socket): the message walk, decode, translation with the agent's
 * port map, the stored op, replace/delete in the store and the send queue.
 * The store lives across inputs so adds, replaces and deletes of the same
 * ids meet. Invariants checked after each input: every stored op is one the
 * card accepts (dpu_abi_check), the store's count matches a walk of it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent.h"
#include "agent_log.h"
#include "dpu_abi_codec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int agent_log_level = AGENT_LOG_ERR;

void agent_log(int level, const char *fmt, ...)
{
	(void)level;
	(void)fmt;
}

static struct agent a;

static void setup(void)
{
	static struct dpu_abi_port_info card[4] = {
		{ .port_id = 0, .kind = DPU_ABI_PORT_UPLINK, .mac = { 2, 0, 0, 0, 0, 1 }, .name = "p0" },
		{ .port_id = 1, .kind = DPU_ABI_PORT_PF, .name = "pf0" },
		{ .port_id = 2, .kind = DPU_ABI_PORT_VF, .name = "pf0vf0" },
		{ .port_id = 3, .kind = DPU_ABI_PORT_VF, .name = "pf0vf1" },
	};
	/* ifindexes as tests/unit/rules/capture.sh's devmap numbers them */
	static const char *const devmap =
		"3 p0\n5 pf0vf0\n7 pf0vf1\n9 pf0vf2\n10 vxlan_sys_4789\n11 genev_sys_6081\n12 host0\n";
	char path[] = "/tmp/fuzz-agent-devmap.XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;

	if (!f)
		abort();
	fputs(devmap, f);
	fclose(f);
	a.card_ports = card;
	a.n_card_ports = 4;
	a.offline = true;
	agent_resolver_init(&a);
	if (agent_store_init(&a.store) || agent_ports_load_devmap(&a, path) ||
	    agent_neigh_add(&a, "192.0.2.2=02:00:00:00:00:02") ||
	    agent_neigh_add(&a, "2001:db8::2=02:00:00:00:00:02"))
		abort();
	unlink(path);
}

static size_t walked, bad;

static void check_rule(void *arg, struct agent_rule *r)
{
	static uint8_t buf[65536];
	const struct dpu_abi_peer peer = { .role = DPU_ABI_ROLE_CARD,
					   .minor = DPU_ABI_VERSION_MINOR };
	struct dpu_abi_builder b;
	struct dpu_abi_error err;
	int n;

	(void)arg;
	walked++;
	if (!r->op_len) {
		if (r->state != AGENT_SW || !r->reason)
			bad++; /* software-only rules always say why */
		return;
	}
	dpu_abi_build_init(&b, buf, sizeof(buf), DPU_ABI_OP_FLOW_BATCH, 0, 0);
	dpu_abi_flow_batch_begin(&b);
	dpu_abi_flow_op_append(&b, (const struct dpu_abi_flow_op *)r->op);
	n = dpu_abi_build_finish(&b);
	if (n < 0 || dpu_abi_check(buf, (size_t)n, &peer, &err)) {
		fprintf(stderr, "stored op rejected: %s\n", n < 0 ? "encode" : err.msg);
		bad++;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *copy;

	if (!a.store.slots)
		setup();
	/* Netlink messages are 4-byte aligned in a receive buffer. */
	copy = malloc(size ? size : 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	agent_nl_feed(&a, copy, size, NULL);
	free(copy);
	agent_queue_clear(&a); /* no card: nothing drains it */
	walked = bad = 0;
	agent_store_foreach(&a.store, check_rule, NULL);
	if (bad || walked != a.store.n_rules)
		abort();
	if (a.store.n_rules > 20000) { /* keep memory bounded */
		agent_store_fini(&a.store);
		agent_store_init(&a.store);
		agent_meters_fini(&a);
	}
	return 0;
}
