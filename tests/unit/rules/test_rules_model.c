// SPDX-License-Identifier: BSD-3-Clause
/* The model pieces the corpus does not reach: flow ids, deletes, caps,
 * resolver refusals, action limits, printer bounds. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "test_support.h"

static int failures, passes;

#define CHECK(cond, ...)                                                       \
	do {                                                                   \
		if (cond) {                                                    \
			passes++;                                              \
		} else {                                                       \
			failures++;                                            \
			printf("not ok - line %d: ", __LINE__);                \
			printf(__VA_ARGS__);                                   \
			printf("\n");                                          \
		}                                                              \
	} while (0)

static int port(void *ctx, uint32_t ifindex, struct dpu_rules_port_info *out)
{
	(void)ctx;
	if (ifindex == 99)
		return -ENODEV;
	out->kind = ifindex == 50 ? DPU_RULES_PORT_TUNNEL : DPU_RULES_PORT_CARD;
	out->tunnel_type = DPU_ABI_TUNNEL_VXLAN;
	out->port_id = ifindex;
	return 0;
}

static void base(struct dpu_rules_flow *f)
{
	dpu_rules_flow_init(f);
	f->id.dir = DPU_RULES_DIR_INGRESS;
	f->id.ifindex = 5;
	f->id.chain = 3;
	f->id.prio = 7;
	f->id.handle = 0x10;
	f->id.protocol = 0x0800;
}

static void flow_ids(void)
{
	struct dpu_rules_id a = { .source = DPU_RULES_SRC_TC, .ifindex = 5,
				  .chain = 0xfffe, .prio = 0xffff,
				  .handle = 0xffffffff }, b;
	struct dpu_abi_flow_id fa, fb;

	dpu_rules_tc_flow_id(&a, &fa);
	CHECK(dpu_rules_tc_id_from_flow_id(&fa, &b) == 0 &&
	      b.ifindex == a.ifindex && b.chain == a.chain &&
	      b.prio == a.prio && b.handle == a.handle && b.dir == a.dir,
	      "flow id round trip");
	b = a;
	b.dir = DPU_RULES_DIR_EGRESS;
	dpu_rules_tc_flow_id(&b, &fb);
	CHECK(memcmp(&fa, &fb, sizeof(fa)), "direction changes the id");
	b = a;
	b.protocol = 0x86dd;
	dpu_rules_tc_flow_id(&b, &fb);
	CHECK(!memcmp(&fa, &fb, sizeof(fa)), "protocol is not identity");
	fb.lo &= ~(0xffull << 56);
	CHECK(dpu_rules_tc_id_from_flow_id(&fb, &b) == -EINVAL,
	      "ids without the tc tag are not tc's");
}

static void deletes_and_refusals(void)
{
	struct dpu_rules_resolver r = { .port = port };
	struct dpu_rules_abi_flow abi;
	struct dpu_rules_result res;
	struct dpu_rules_flow f;
	struct dpu_rules_action *a;
	unsigned int i;

	base(&f);
	f.op = DPU_RULES_OP_DEL;
	CHECK(dpu_rules_to_abi(&f, &r, &abi, &res) == 0 && abi.group == 3 &&
	      abi.priority == 7 && abi.n_actions == 0 && abi.match.items == 0,
	      "delete carries identity only");

	base(&f);
	f.id.ifindex = 99;
	dpu_rules_add_action(&f, DPU_RULES_ACT_DROP, 1, &res);
	CHECK(dpu_rules_to_abi(&f, &r, &abi, &res) == -EOPNOTSUPP &&
	      strstr(res.reason, "if 99 is not a port of the card"),
	      "ingress on a foreign netdev: %s", res.reason);

	base(&f);
	a = dpu_rules_add_action(&f, DPU_RULES_ACT_TUNNEL_SET, 1, &res);
	a->u.encap.ip_version = 4;
	a->u.encap.dst[0] = 192;
	a = dpu_rules_add_action(&f, DPU_RULES_ACT_REDIRECT, 2, &res);
	a->u.port.ifindex = 50;
	CHECK(dpu_rules_to_abi(&f, &r, &abi, &res) == -EOPNOTSUPP &&
	      strstr(res.reason, "no neighbour resolver"),
	      "encap without a neighbour resolver: %s", res.reason);
	f.actions[0].u.encap.dst[0] = 0;
	CHECK(dpu_rules_to_abi(&f, &r, &abi, &res) == -EOPNOTSUPP &&
	      strstr(res.reason, "unspecified destination"),
	      "encap to 0.0.0.0: %s", res.reason);

	base(&f);
	dpu_rules_add_action(&f, DPU_RULES_ACT_JUMP, 1, &res)->u.chain = 3;
	CHECK(dpu_rules_to_abi(&f, &r, &abi, &res) == -EOPNOTSUPP &&
	      strstr(res.reason, "own chain"), "goto own chain: %s", res.reason);

	base(&f);
	dpu_rules_add_action(&f, DPU_RULES_ACT_VLAN_POP, 1, &res);
	CHECK(dpu_rules_to_abi(&f, &r, &abi, &res) == -EOPNOTSUPP &&
	      strstr(res.reason, "without a fate"), "no fate: %s", res.reason);

	base(&f);
	memset(&res, 0, sizeof(res));
	for (i = 0; i < 16; i++) {
		a = dpu_rules_add_action(&f, DPU_RULES_ACT_VLAN_POP, 1, &res);
		CHECK(a != NULL, "model holds action %u", i);
	}
	dpu_rules_add_action(&f, DPU_RULES_ACT_DROP, 2, &res);
	CHECK(dpu_rules_to_abi(&f, &r, &abi, &res) == -EOPNOTSUPP &&
	      strstr(res.reason, "more than 16 ABI actions"),
	      "ABI action limit: %s", res.reason);

	base(&f);
	memset(&res, 0, sizeof(res));
	for (i = 0; i < DPU_RULES_MAX_ACTIONS; i++)
		dpu_rules_add_action(&f, DPU_RULES_ACT_DROP, 1, &res);
	CHECK(dpu_rules_add_action(&f, DPU_RULES_ACT_DROP, 33, &res) == NULL &&
	      res.verdict == DPU_RULES_REFUSED, "model action limit");
}

static void caps(void)
{
	struct dpu_rules_resolver r = { .port = port };
	struct dpu_rules_abi_flow abi;
	struct dpu_rules_result res;
	struct dpu_rules_flow f;
	struct dpu_rules_action *a;
	struct dpu_abi_caps c;

	base(&f);
	f.match.items |= 1u << DPU_ABI_ITEM_IPV4;
	f.match.ipv4.proto = 6;
	f.match.ipv4_mask.proto = 0xff;
	a = dpu_rules_add_action(&f, DPU_RULES_ACT_POLICE, 1, &res);
	a->u.police.index = 9;
	a->u.police.rate = 1000;
	a->u.police.burst = 100;
	a->u.police.exceed = DPU_ABI_METER_V_DROP;
	dpu_rules_add_action(&f, DPU_RULES_ACT_JUMP, 2, &res)->u.chain = 40;
	CHECK(dpu_rules_to_abi(&f, &r, &abi, &res) == 0, "translate: %s", res.reason);

	test_full_caps(&c);
	memset(&res, 0, sizeof(res));
	CHECK(dpu_rules_caps_check(&abi, &c, &res) == 0, "full caps");
	c.item_types &= ~(1ull << DPU_ABI_ITEM_IPV4);
	CHECK(dpu_rules_caps_check(&abi, &c, &res) == -EOPNOTSUPP &&
	      strstr(res.reason, "IPV4") != NULL, "no IPv4 item: %s", res.reason);
	test_full_caps(&c);
	c.action_types &= ~(1ull << DPU_ABI_ACT_METER);
	memset(&res, 0, sizeof(res));
	CHECK(dpu_rules_caps_check(&abi, &c, &res) == -EOPNOTSUPP &&
	      strstr(res.reason, "action") != NULL, "no meter: %s", res.reason);
	test_full_caps(&c);
	c.max_groups = 10;
	memset(&res, 0, sizeof(res));
	CHECK(dpu_rules_caps_check(&abi, &c, &res) == -EOPNOTSUPP &&
	      strstr(res.reason, "jump to group 40"), "groups: %s", res.reason);
	test_full_caps(&c);
	c.max_meters = 4;
	memset(&res, 0, sizeof(res));
	CHECK(dpu_rules_caps_check(&abi, &c, &res) == -EOPNOTSUPP &&
	      strstr(res.reason, "meter 9"), "meters: %s", res.reason);
}

static void printers(void)
{
	struct dpu_rules_flow f;
	char small[16], big[512];
	size_t need;

	base(&f);
	f.match.items |= 1u << DPU_ABI_ITEM_IPV4;
	inet_pton(AF_INET, "10.1.2.3", f.match.ipv4.dst);
	memset(f.match.ipv4_mask.dst, 0xff, 4);
	need = dpu_rules_format(&f, big, sizeof(big));
	CHECK(need == strlen(big) && strstr(big, "dst_ip 10.1.2.3"), "%s", big);
	CHECK(dpu_rules_format(&f, small, sizeof(small)) == need &&
	      strlen(small) == sizeof(small) - 1, "truncated print");
	CHECK(dpu_rules_format(&f, NULL, 0) == need, "length only");
}

int main(void)
{
	flow_ids();
	deletes_and_refusals();
	caps();
	printers();
	printf("%d passed, %d failed\n", passes, failures);
	return failures != 0;
}
