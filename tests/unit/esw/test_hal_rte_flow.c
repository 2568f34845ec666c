/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The rte_flow backend: every HAL item and action is translated to the
 * rte_flow arrays mlx5 expects (checked field by field), then rules are
 * created on a DPDK vdev without flow support (net_null) and must fail
 * cleanly with ENOTSUP and the rte_flow error message.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ethdev.h>
#include <rte_flow.h>

#include "dpu_hal.h"
#include "dpu_hal_rte_flow.h"
#include "esw_test_eal.h"

static int failures, checks;

#define CHECK(cond, ...)							\
	do {									\
		checks++;							\
		if (!(cond)) {							\
			failures++;						\
			printf("FAIL %s:%d: ", __func__, __LINE__);		\
			printf(__VA_ARGS__);					\
			printf("\n");						\
		}								\
	} while (0)

static const struct dpu_hal_rf_conf CF = { .port_id = 0, .sw_port = 3, .sw_queue = 1 };
static struct dpu_hal_rf_rule R;

static int
xlate(const struct dpu_hal_attr *attr, const struct dpu_hal_item *p,
      const struct dpu_hal_action *a, struct dpu_hal_error *err)
{
	memset(&R, 0, sizeof(R));
	return dpu_hal_rf_translate(&CF, attr, p, a, &R, err);
}

static const struct dpu_hal_attr TRANSFER = { .transfer = 1, .group = 1, .priority = 7 };
static const struct dpu_hal_attr INGRESS = { .ingress = 1 };
static const struct dpu_hal_action_port OUT2 = { 2 };
static const struct dpu_hal_action A_OUT[] = {
	{ DPU_HAL_ACTION_PORT, &OUT2 }, { DPU_HAL_ACTION_END, NULL },
};

static void
test_items(void)
{
	struct dpu_hal_item_port port = { 5 };
	struct dpu_hal_item_eth eth = { .dst = { 2, 0, 0, 0, 0, 2 }, .type = RTE_BE16(0x8100),
					.has_vlan = 1 };
	struct dpu_hal_item_eth eth_m = { .dst = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
					  .type = 0xffff, .has_vlan = 1 };
	struct dpu_hal_item_vlan vlan = { .tci = RTE_BE16(0x2064), .inner_type = RTE_BE16(0x0800) };
	struct dpu_hal_item_ipv4 ip = { .src = RTE_BE32(0x0a000001), .dst = RTE_BE32(0x0a000002),
					.tos = 0x10, .ttl = 9, .proto = 17 };
	struct dpu_hal_item_ipv4 ip_m = { .src = RTE_BE32(0xffffff00), .dst = UINT32_MAX,
					  .tos = 0xff, .ttl = 0xff, .proto = 0xff };
	struct dpu_hal_item_l4 udp = { .src = RTE_BE16(1), .dst = RTE_BE16(4789) };
	struct dpu_hal_item_tunnel vx = { .vni = 0x123456 };
	struct dpu_hal_item_eth ieth = { .type = RTE_BE16(0x86dd) };
	struct dpu_hal_item_ipv6 ip6 = { .dst = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 }, .tc = 0xb8,
					 .hop_limit = 3, .proto = 6 };
	struct dpu_hal_item_l4 tcp = { .dst = RTE_BE16(80), .tcp_flags = 0x02 };
	struct dpu_hal_item_l4 tcp_m = { .dst = 0xffff, .tcp_flags = 0x17 };
	struct dpu_hal_item_meta meta = { 0x42 };
	struct dpu_hal_item_tag tag = { .data = 7, .index = 1 };
	struct dpu_hal_item_mark mark = { 99 };
	struct dpu_hal_item p[] = {
		{ DPU_HAL_ITEM_PORT, &port, NULL }, { DPU_HAL_ITEM_ETH, &eth, &eth_m },
		{ DPU_HAL_ITEM_VLAN, &vlan, NULL }, { DPU_HAL_ITEM_IPV4, &ip, &ip_m },
		{ DPU_HAL_ITEM_UDP, &udp, NULL }, { DPU_HAL_ITEM_VXLAN, &vx, NULL },
		{ DPU_HAL_ITEM_ETH, &ieth, NULL }, { DPU_HAL_ITEM_IPV6, &ip6, NULL },
		{ DPU_HAL_ITEM_TCP, &tcp, &tcp_m }, { DPU_HAL_ITEM_META, &meta, NULL },
		{ DPU_HAL_ITEM_TAG, &tag, NULL }, { DPU_HAL_ITEM_MARK, &mark, NULL },
		{ DPU_HAL_ITEM_VOID, NULL, NULL }, { DPU_HAL_ITEM_END, NULL, NULL },
	};
	struct dpu_hal_error err = { 0 };
	const struct rte_flow_item *it = R.items;
	const struct rte_flow_item_eth *e;
	const struct rte_flow_item_ipv4 *i4, *i4m;
	const struct rte_flow_item_vxlan *v;
	const struct rte_flow_item_ipv6 *i6, *i6m;
	const struct rte_flow_item_tcp *t, *tm;

	CHECK(xlate(&TRANSFER, p, A_OUT, &err) == 0, "translate: %s", err.msg);
	CHECK(R.attr.group == 1 && R.attr.priority == 7 && R.attr.transfer == 1, "attr");
	CHECK(it[0].type == RTE_FLOW_ITEM_TYPE_REPRESENTED_PORT &&
	      ((const struct rte_flow_item_ethdev *)it[0].spec)->port_id == 5 &&
	      ((const struct rte_flow_item_ethdev *)it[0].mask)->port_id == 0xffff,
	      "PORT -> REPRESENTED_PORT 5");
	e = it[1].spec;
	CHECK(it[1].type == RTE_FLOW_ITEM_TYPE_ETH && e->hdr.dst_addr.addr_bytes[5] == 2 &&
	      e->hdr.ether_type == RTE_BE16(0x8100) && e->has_vlan == 1 &&
	      ((const struct rte_flow_item_eth *)it[1].mask)->has_vlan == 1, "ETH");
	CHECK(it[2].type == RTE_FLOW_ITEM_TYPE_VLAN &&
	      ((const struct rte_flow_item_vlan *)it[2].spec)->hdr.vlan_tci == RTE_BE16(0x2064) &&
	      ((const struct rte_flow_item_vlan *)it[2].mask)->hdr.vlan_tci == 0xffff, "VLAN");
	i4 = it[3].spec;
	i4m = it[3].mask;
	CHECK(it[3].type == RTE_FLOW_ITEM_TYPE_IPV4 && i4->hdr.src_addr == RTE_BE32(0x0a000001) &&
	      i4m->hdr.src_addr == RTE_BE32(0xffffff00) && i4->hdr.next_proto_id == 17 &&
	      i4->hdr.type_of_service == 0x10 && i4->hdr.time_to_live == 9, "IPV4 spec/mask");
	CHECK(it[4].type == RTE_FLOW_ITEM_TYPE_UDP &&
	      ((const struct rte_flow_item_udp *)it[4].spec)->hdr.dst_port == RTE_BE16(4789), "UDP");
	v = it[5].spec;
	CHECK(it[5].type == RTE_FLOW_ITEM_TYPE_VXLAN && v->vni[0] == 0x12 && v->vni[1] == 0x34 &&
	      v->vni[2] == 0x56 && ((const struct rte_flow_item_vxlan *)it[5].mask)->vni[0] == 0xff,
	      "VXLAN vni");
	CHECK(it[6].type == RTE_FLOW_ITEM_TYPE_ETH, "inner ETH");
	i6 = it[7].spec;
	i6m = it[7].mask;
	CHECK(it[7].type == RTE_FLOW_ITEM_TYPE_IPV6 && i6->hdr.dst_addr[0] == 0x20 &&
	      i6->hdr.dst_addr[15] == 2 && i6m->hdr.dst_addr[15] == 0xff &&
	      i6->hdr.vtc_flow == rte_cpu_to_be_32(0xb8u << 20) && i6->hdr.proto == 6 &&
	      i6->hdr.hop_limits == 3, "IPV6");
	t = it[8].spec;
	tm = it[8].mask;
	CHECK(it[8].type == RTE_FLOW_ITEM_TYPE_TCP && t->hdr.dst_port == RTE_BE16(80) &&
	      t->hdr.tcp_flags == 0x02 && tm->hdr.tcp_flags == 0x17 && tm->hdr.src_port == 0, "TCP");
	CHECK(it[9].type == RTE_FLOW_ITEM_TYPE_META &&
	      ((const struct rte_flow_item_meta *)it[9].spec)->data == 0x42, "META");
	CHECK(it[10].type == RTE_FLOW_ITEM_TYPE_TAG &&
	      ((const struct rte_flow_item_tag *)it[10].spec)->index == 1 &&
	      ((const struct rte_flow_item_tag *)it[10].spec)->data == 7, "TAG");
	CHECK(it[11].type == RTE_FLOW_ITEM_TYPE_MARK &&
	      ((const struct rte_flow_item_mark *)it[11].spec)->id == 99, "MARK");
	CHECK(it[12].type == RTE_FLOW_ITEM_TYPE_END && R.item_of[11] == 11, "VOID skipped, END");
	printf("items: PORT ETH VLAN IPV4 UDP VXLAN ETH IPV6 TCP META TAG MARK translated\n");

	/* frag encodings, ICMP, GENEVE + option, SCTP, CONNTRACK, ingress PORT_ID */
	{
		struct dpu_hal_item_ipv4 fs = { .frag = 0x01 }, fm = { .frag = 0x01 };
		struct dpu_hal_item_icmp ic = { 8, 0 };
		struct dpu_hal_item_tunnel gn = { .vni = 7, .proto = RTE_BE16(0x6558) };
		struct dpu_hal_item_geneve_opt go = { .opt_class = RTE_BE16(0x0102), .opt_type = 3,
						      .opt_len = 1, .data = RTE_BE32(0xabc) };
		struct dpu_hal_item_ct ct = { .state = DPU_HAL_CT_VALID };
		struct dpu_hal_item_ct ctm = { .state = DPU_HAL_CT_VALID };
		struct dpu_hal_item q[] = {
			{ DPU_HAL_ITEM_PORT, &port, NULL }, { DPU_HAL_ITEM_IPV4, &fs, &fm },
			{ DPU_HAL_ITEM_ICMP, &ic, NULL }, { DPU_HAL_ITEM_CONNTRACK, &ct, &ctm },
			{ DPU_HAL_ITEM_END, NULL, NULL },
		};
		struct dpu_hal_item g[] = {
			{ DPU_HAL_ITEM_ETH, NULL, NULL }, { DPU_HAL_ITEM_IPV4, NULL, NULL },
			{ DPU_HAL_ITEM_UDP, NULL, NULL }, { DPU_HAL_ITEM_GENEVE, &gn, NULL },
			{ DPU_HAL_ITEM_GENEVE_OPT, &go, NULL }, { DPU_HAL_ITEM_END, NULL, NULL },
		};
		const struct rte_flow_item_geneve_opt *o;

		CHECK(xlate(&INGRESS, q, A_OUT, &err) == 0, "translate: %s", err.msg);
		CHECK(R.items[0].type == RTE_FLOW_ITEM_TYPE_PORT_ID, "ingress PORT -> PORT_ID");
		CHECK(R.items[1].last != NULL &&
		      ((const struct rte_flow_item_ipv4 *)R.items[1].spec)->hdr.fragment_offset ==
		      RTE_BE16(1) &&
		      ((const struct rte_flow_item_ipv4 *)R.items[1].last)->hdr.fragment_offset ==
		      RTE_BE16(0x3fff), "IPV4 is_frag -> fragment_offset range 1..0x3fff");
		CHECK(R.items[2].type == RTE_FLOW_ITEM_TYPE_ICMP &&
		      ((const struct rte_flow_item_icmp *)R.items[2].spec)->hdr.icmp_type == 8, "ICMP");
		CHECK(R.items[3].type == RTE_FLOW_ITEM_TYPE_CONNTRACK &&
		      ((const struct rte_flow_item_conntrack *)R.items[3].spec)->flags ==
		      RTE_FLOW_CONNTRACK_PKT_STATE_VALID, "CONNTRACK valid");
		CHECK(xlate(&TRANSFER, g, A_OUT, &err) == 0, "translate: %s", err.msg);
		CHECK(R.items[0].spec == NULL && R.items[1].spec == NULL, "presence-only items");
		CHECK(R.items[3].type == RTE_FLOW_ITEM_TYPE_GENEVE &&
		      ((const struct rte_flow_item_geneve *)R.items[3].spec)->vni[2] == 7 &&
		      ((const struct rte_flow_item_geneve *)R.items[3].spec)->protocol ==
		      RTE_BE16(0x6558), "GENEVE");
		o = R.items[4].spec;
		CHECK(R.items[4].type == RTE_FLOW_ITEM_TYPE_GENEVE_OPT && o->option_type == 3 &&
		      o->option_class == RTE_BE16(0x0102) && o->data && *o->data == RTE_BE32(0xabc),
		      "GENEVE_OPT");
	}
	/* what has no rte_flow encoding fails, naming the item */
	{
		struct dpu_hal_item_ct ct = { .state = DPU_HAL_CT_ESTABLISHED, .zone = 3 };
		struct dpu_hal_item_ct ctm = { .state = 0xff, .zone = 0xffff };
		struct dpu_hal_item q[] = {
			{ DPU_HAL_ITEM_ETH, NULL, NULL }, { DPU_HAL_ITEM_CONNTRACK, &ct, &ctm },
			{ DPU_HAL_ITEM_END, NULL, NULL },
		};

		CHECK(xlate(&TRANSFER, q, A_OUT, &err) == -ENOTSUP && err.what == DPU_HAL_ERR_ITEM &&
		      err.index == 1, "CT zone -> ENOTSUP at item 1 (%s)", err.msg);
	}
}

static void
test_actions(void)
{
	struct dpu_hal_action_jump jump = { 3 };
	struct dpu_hal_action_mark mark = { 77 };
	struct dpu_hal_action_set_meta meta = { 0x10, 0xff };
	struct dpu_hal_action_set_tag tag = { 5, 0xf, 1 };
	struct dpu_hal_action_push_vlan push = { RTE_BE16(0x8100), RTE_BE16((5 << 13) | 100) };
	struct dpu_hal_action_set_vlan_vid vid = { RTE_BE16(200) };
	struct dpu_hal_action_set_mac mac = { { 1, 2, 3, 4, 5, 6 } };
	struct dpu_hal_action_set_ipv4 a4 = { RTE_BE32(0x01020304) };
	struct dpu_hal_action_set_ipv6 a6 = { { 0x20, 1, [15] = 9 } };
	struct dpu_hal_action_set_tp tp = { RTE_BE16(8080) };
	struct dpu_hal_action_meter mt = { 4 };
	struct dpu_hal_action_age age = { 30, (void *)0x1234 };
	struct dpu_hal_action_port mport = { 6 };
	struct dpu_hal_action sub[] = { { DPU_HAL_ACTION_PORT, &mport }, { DPU_HAL_ACTION_END, NULL } };
	struct dpu_hal_action_sample smp = { 1, sub };
	struct dpu_hal_action_encap vx = {
		.type = DPU_HAL_TUNNEL_VXLAN, .eth_dst = { 0xa, 0, 0, 0, 0, 2 },
		.ipv4_src = RTE_BE32(0xc0000201), .ipv4_dst = RTE_BE32(0xc0000202),
		.udp_src = RTE_BE16(5000), .vni = 0x10203,
	};
	struct dpu_hal_action_encap gn = {
		.type = DPU_HAL_TUNNEL_GENEVE, .ipv4_src = RTE_BE32(0xc0000201),
		.ipv4_dst = RTE_BE32(0xc0000202), .vni = 42, .opt_len = 8,
		.opts = { 1, 2, 3, 1, 0, 0, 0xa, 0xbc },
	};
	struct dpu_hal_action a1[] = {
		{ DPU_HAL_ACTION_COUNT, NULL }, { DPU_HAL_ACTION_MARK, &mark },
		{ DPU_HAL_ACTION_SET_META, &meta }, { DPU_HAL_ACTION_SET_TAG, &tag },
		{ DPU_HAL_ACTION_PUSH_VLAN, &push }, { DPU_HAL_ACTION_SET_VLAN_VID, &vid },
		{ DPU_HAL_ACTION_SET_MAC_DST, &mac }, { DPU_HAL_ACTION_SET_IPV4_SRC, &a4 },
		{ DPU_HAL_ACTION_SET_TP_DST, &tp }, { DPU_HAL_ACTION_DEC_TTL, NULL },
		{ DPU_HAL_ACTION_METER, &mt }, { DPU_HAL_ACTION_AGE, &age },
		{ DPU_HAL_ACTION_SAMPLE, &smp }, { DPU_HAL_ACTION_JUMP, &jump },
		{ DPU_HAL_ACTION_END, NULL },
	};
	static const enum rte_flow_action_type want1[] = {
		RTE_FLOW_ACTION_TYPE_COUNT, RTE_FLOW_ACTION_TYPE_MARK, RTE_FLOW_ACTION_TYPE_SET_META,
		RTE_FLOW_ACTION_TYPE_SET_TAG, RTE_FLOW_ACTION_TYPE_OF_PUSH_VLAN,
		RTE_FLOW_ACTION_TYPE_OF_SET_VLAN_VID, RTE_FLOW_ACTION_TYPE_OF_SET_VLAN_PCP,
		RTE_FLOW_ACTION_TYPE_OF_SET_VLAN_VID, RTE_FLOW_ACTION_TYPE_SET_MAC_DST,
		RTE_FLOW_ACTION_TYPE_SET_IPV4_SRC, RTE_FLOW_ACTION_TYPE_SET_TP_DST,
		RTE_FLOW_ACTION_TYPE_DEC_TTL, RTE_FLOW_ACTION_TYPE_METER, RTE_FLOW_ACTION_TYPE_AGE,
		RTE_FLOW_ACTION_TYPE_SAMPLE, RTE_FLOW_ACTION_TYPE_JUMP, RTE_FLOW_ACTION_TYPE_END,
	};
	struct dpu_hal_item p_eth[] = {
		{ DPU_HAL_ITEM_ETH, NULL, NULL }, { DPU_HAL_ITEM_END, NULL, NULL },
	};
	struct dpu_hal_error err = { 0 };
	const struct rte_flow_action *a = R.actions;
	bool types_ok = true;

	CHECK(xlate(&TRANSFER, p_eth, a1, &err) == 0, "translate: %s", err.msg);
	for (size_t i = 0; i < RTE_DIM(want1); i++)
		if (a[i].type != want1[i]) {
			types_ok = false;
			printf("  action %zu: type %d, want %d\n", i, a[i].type, want1[i]);
		}
	CHECK(types_ok, "action type sequence");
	CHECK(R.has_count, "COUNT noted for queries");
	CHECK(((const struct rte_flow_action_mark *)a[1].conf)->id == 77, "MARK id");
	CHECK(((const struct rte_flow_action_set_meta *)a[2].conf)->mask == 0xff, "SET_META mask");
	CHECK(((const struct rte_flow_action_set_tag *)a[3].conf)->index == 1, "SET_TAG index");
	CHECK(((const struct rte_flow_action_of_push_vlan *)a[4].conf)->ethertype == RTE_BE16(0x8100) &&
	      ((const struct rte_flow_action_of_set_vlan_vid *)a[5].conf)->vlan_vid == RTE_BE16(100) &&
	      ((const struct rte_flow_action_of_set_vlan_pcp *)a[6].conf)->vlan_pcp == 5,
	      "PUSH_VLAN split into push + vid + pcp");
	CHECK(((const struct rte_flow_action_set_mac *)a[8].conf)->mac_addr[5] == 6, "SET_MAC_DST");
	CHECK(((const struct rte_flow_action_set_ipv4 *)a[9].conf)->ipv4_addr == RTE_BE32(0x01020304),
	      "SET_IPV4_SRC");
	CHECK(((const struct rte_flow_action_set_tp *)a[10].conf)->port == RTE_BE16(8080), "SET_TP_DST");
	CHECK(((const struct rte_flow_action_meter *)a[12].conf)->mtr_id == 4, "METER id");
	CHECK(((const struct rte_flow_action_age *)a[13].conf)->timeout == 30 &&
	      ((const struct rte_flow_action_age *)a[13].conf)->context == (void *)0x1234, "AGE");
	{
		const struct rte_flow_action_sample *s = a[14].conf;

		CHECK(s->ratio == 1 && s->actions[0].type == RTE_FLOW_ACTION_TYPE_REPRESENTED_PORT &&
		      ((const struct rte_flow_action_ethdev *)s->actions[0].conf)->port_id == 6 &&
		      s->actions[1].type == RTE_FLOW_ACTION_TYPE_END, "SAMPLE -> mirror to port 6");
	}
	CHECK(((const struct rte_flow_action_jump *)a[15].conf)->group == 3, "JUMP group");
	CHECK(R.action_of[6] == 4 && R.action_of[7] == 5, "rte action -> HAL action index map");
	printf("actions: COUNT MARK SET_META SET_TAG PUSH_VLAN SET_VLAN_VID SET_MAC SET_IPV4 SET_TP DEC_TTL METER AGE SAMPLE JUMP translated\n");

	/* encap/decap, IPv6 rewrite, TO_SW in both domains, DROP, POP_VLAN */
	{
		struct dpu_hal_action b[] = {
			{ DPU_HAL_ACTION_TUNNEL_DECAP, NULL }, { DPU_HAL_ACTION_SET_IPV6_DST, &a6 },
			{ DPU_HAL_ACTION_TUNNEL_ENCAP, &vx }, { DPU_HAL_ACTION_PORT, &OUT2 },
			{ DPU_HAL_ACTION_END, NULL },
		};
		const struct rte_flow_action_vxlan_encap *ve;
		const struct rte_flow_item *d;

		CHECK(xlate(&TRANSFER, p_eth, b, &err) == 0, "translate: %s", err.msg);
		CHECK(R.actions[0].type == RTE_FLOW_ACTION_TYPE_VXLAN_DECAP, "DECAP -> VXLAN_DECAP");
		CHECK(R.actions[1].type == RTE_FLOW_ACTION_TYPE_SET_IPV6_DST &&
		      ((const struct rte_flow_action_set_ipv6 *)R.actions[1].conf)->ipv6_addr[15] == 9,
		      "SET_IPV6_DST");
		CHECK(R.actions[2].type == RTE_FLOW_ACTION_TYPE_VXLAN_ENCAP, "VXLAN_ENCAP");
		ve = R.actions[2].conf;
		d = ve->definition;
		CHECK(d[0].type == RTE_FLOW_ITEM_TYPE_ETH && d[1].type == RTE_FLOW_ITEM_TYPE_IPV4 &&
		      d[2].type == RTE_FLOW_ITEM_TYPE_UDP && d[3].type == RTE_FLOW_ITEM_TYPE_VXLAN &&
		      d[4].type == RTE_FLOW_ITEM_TYPE_END, "encap definition ETH/IPV4/UDP/VXLAN");
		CHECK(((const struct rte_flow_item_ipv4 *)d[1].spec)->hdr.dst_addr == RTE_BE32(0xc0000202) &&
		      ((const struct rte_flow_item_udp *)d[2].spec)->hdr.dst_port == RTE_BE16(4789) &&
		      ((const struct rte_flow_item_udp *)d[2].spec)->hdr.src_port == RTE_BE16(5000) &&
		      ((const struct rte_flow_item_vxlan *)d[3].spec)->vni[0] == 1 &&
		      ((const struct rte_flow_item_vxlan *)d[3].spec)->vni[2] == 3,
		      "encap outer addresses, ports, vni");
		CHECK(R.actions[3].type == RTE_FLOW_ACTION_TYPE_REPRESENTED_PORT, "PORT");
	}
	{
		struct dpu_hal_action_decap gd = { DPU_HAL_TUNNEL_GENEVE };
		struct dpu_hal_action b[] = {
			{ DPU_HAL_ACTION_TUNNEL_DECAP, &gd }, { DPU_HAL_ACTION_TUNNEL_ENCAP, &gn },
			{ DPU_HAL_ACTION_PORT, &OUT2 }, { DPU_HAL_ACTION_END, NULL },
		};
		const struct rte_flow_action_raw_encap *re;

		CHECK(xlate(&TRANSFER, p_eth, b, &err) == 0, "translate: %s", err.msg);
		CHECK(R.actions[0].type == RTE_FLOW_ACTION_TYPE_RAW_DECAP &&
		      ((const struct rte_flow_action_raw_decap *)R.actions[0].conf)->size == 50,
		      "GENEVE decap -> RAW_DECAP 50 bytes");
		re = R.actions[1].conf;
		CHECK(R.actions[1].type == RTE_FLOW_ACTION_TYPE_RAW_ENCAP && re->size == 14 + 20 + 8 + 8 + 8,
		      "GENEVE encap -> RAW_ENCAP (%zu bytes)", re->size);
		CHECK(re->data[14 + 20 + 2] == 0x17 && re->data[14 + 20 + 3] == 0xc1 &&
		      re->data[42] == 2 && re->data[46] == 0 && re->data[48] == 42 &&
		      re->data[50] == 1 && re->data[57] == 0xbc,
		      "GENEVE raw header: dport 6081, optlen 2 words, vni 42, option bytes");
	}
	{
		struct dpu_hal_action_to_sw sw = { 9, 0 };
		struct dpu_hal_action b[] = { { DPU_HAL_ACTION_TO_SW, &sw }, { DPU_HAL_ACTION_END, NULL } };

		CHECK(xlate(&TRANSFER, p_eth, b, &err) == 0, "translate: %s", err.msg);
		CHECK(R.actions[0].type == RTE_FLOW_ACTION_TYPE_MARK &&
		      ((const struct rte_flow_action_mark *)R.actions[0].conf)->id == 9 &&
		      R.actions[1].type == RTE_FLOW_ACTION_TYPE_REPRESENTED_PORT &&
		      ((const struct rte_flow_action_ethdev *)R.actions[1].conf)->port_id == 3,
		      "TO_SW (transfer) -> MARK reason + to eSwitch manager port");
		CHECK(xlate(&INGRESS, p_eth, b, &err) == 0, "translate: %s", err.msg);
		CHECK(R.actions[1].type == RTE_FLOW_ACTION_TYPE_QUEUE &&
		      ((const struct rte_flow_action_queue *)R.actions[1].conf)->index == 1,
		      "TO_SW (ingress) -> MARK + QUEUE");
	}
	{
		struct dpu_hal_action_ipsec sa = { 1 };
		struct dpu_hal_action b[] = {
			{ DPU_HAL_ACTION_IPSEC_ENCRYPT, &sa }, { DPU_HAL_ACTION_DROP, NULL },
			{ DPU_HAL_ACTION_END, NULL },
		};
		struct dpu_hal_action c[] = {
			{ DPU_HAL_ACTION_DROP, NULL }, { DPU_HAL_ACTION_PORT, &OUT2 },
			{ DPU_HAL_ACTION_END, NULL },
		};

		CHECK(xlate(&TRANSFER, p_eth, b, &err) == -ENOTSUP && err.index == 0,
		      "IPSEC placeholder -> ENOTSUP at action 0 (%s)", err.msg);
		CHECK(xlate(&TRANSFER, p_eth, c, &err) == -EINVAL && err.index == 1,
		      "two fates rejected before DPDK sees them (%s)", err.msg);
	}
}

/* On a port without rte_flow (net_null) everything fails cleanly. */
static void
test_on_port(void)
{
	struct rte_eth_conf pc = { 0 };
	struct dpu_hal_dev *dev = NULL;
	struct dpu_hal_error err = { 0 };
	struct dpu_hal_flow *f = NULL;
	struct dpu_hal_item p[] = {
		{ DPU_HAL_ITEM_ETH, NULL, NULL }, { DPU_HAL_ITEM_IPV4, NULL, NULL },
		{ DPU_HAL_ITEM_END, NULL, NULL },
	};
	struct dpu_hal_meter_conf mc = { .alg = DPU_HAL_METER_SRTCM, .cir = 1000, .cbs = 100 };
	struct dpu_hal_caps caps;
	uint16_t port;
	int ret;

	CHECK(rte_eth_dev_count_avail() >= 1, "a vdev port exists");
	port = 0;
	CHECK(rte_eth_dev_configure(port, 1, 1, &pc) == 0, "configure");
	CHECK(dpu_hal_register(&dpu_hal_rte_flow_class) == 0, "register rte_flow provider");
	CHECK(dpu_hal_open("rte_flow", "port=9", &dev, &err) == -ENODEV, "open bad port: %s", err.msg);
	CHECK(dpu_hal_open("rte_flow", "port=0,sw_port=0", &dev, &err) == 0, "open: %s", err.msg);
	if (dev == NULL)
		return;
	dpu_hal_caps(dev, &caps);
	CHECK(caps.async_native == 0, "async reported as emulated");
	ret = dpu_hal_flow_validate(dev, &TRANSFER, p, A_OUT, &err);
	CHECK(ret == -ENOTSUP && err.msg[0], "validate -> %d (%s)", ret, err.msg);
	printf("validate on %s: %s\n", "net_null", err.msg);
	ret = dpu_hal_flow_create(dev, &TRANSFER, p, A_OUT, &f, &err);
	CHECK(ret == -ENOTSUP && f == NULL, "create -> %d (%s)", ret, err.msg);
	printf("create on net_null: %s\n", err.msg);
	ret = dpu_hal_async_create(dev, 0, &TRANSFER, p, A_OUT, NULL, &f, &err);
	CHECK(ret == -ENOTSUP, "async create -> %d (%s)", ret, err.msg);
	CHECK(dpu_hal_pull(dev, 0, (struct dpu_hal_op_result[1]){ 0 }, 1, &err) == 0,
	      "no completion for a failed emulated async create");
	ret = dpu_hal_flow_flush(dev, &err);
	CHECK(ret == -ENOTSUP, "flush -> %d (%s)", ret, err.msg);
	ret = dpu_hal_meter_create(dev, 1, &mc, &err);
	CHECK(ret == -ENOTSUP, "meter create -> %d (%s)", ret, err.msg);
	printf("meter on net_null: %s\n", err.msg);
	ret = dpu_hal_aged_flows(dev, NULL, 0, &err);
	CHECK(ret == -ENOTSUP, "aged flows -> %d (%s)", ret, err.msg);
	dpu_hal_close(dev);
	dpu_hal_unregister("rte_flow");
}

int
main(int argc, char **argv)
{
	struct rte_mempool *mp;

	(void)argc;
	test_items();
	test_actions();
	mp = esw_test_eal_init_vdev(argv[0], 1024, 128, "net_null0");
	if (mp == NULL)
		return 1;
	test_on_port();
	printf("hal rte_flow: %d checks, %d failed\n", checks, failures);
	rte_eth_dev_close(0);
	esw_test_eal_fini(mp);
	return failures ? 1 : 0;
}
