/* SPDX-License-Identifier: BSD-3-Clause */
/* Valid sample messages: see codec_samples.h. */
#include "codec_samples.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#define EV DPU_ABI_F_EVENT
#define RSP DPU_ABI_F_RESPONSE

static struct dpu_abi_flow_id fid(uint64_t lo)
{
	struct dpu_abi_flow_id id = { lo, 0xabcdull };

	return id;
}

static void v4(uint8_t *a, uint8_t x, uint8_t y, uint8_t z, uint8_t w)
{
	a[0] = x, a[1] = y, a[2] = z, a[3] = w;
}

int dpu_abi_sample_flow_add(void *buf, size_t cap, unsigned n_ops)
{
	struct dpu_abi_builder b;
	unsigned i;

	dpu_abi_build_init(&b, buf, cap, DPU_ABI_OP_FLOW_BATCH, 0, 42);
	dpu_abi_flow_batch_begin(&b);
	for (i = 0; i < n_ops; i++) {
		struct dpu_abi_flow_id id = fid(i + 1);
		struct dpu_abi_item_port ps = { 1 }, pm = { 0xffffffff };
		struct dpu_abi_item_eth es = { 0 }, em = { 0 };
		struct dpu_abi_item_ipv4 is = { 0 }, im = { 0 };
		struct dpu_abi_item_tcp ts = { 0 }, tm = { 0 };
		struct dpu_abi_act_vlan push = { { DPU_ABI_ACT_VLAN_PUSH, 16 } };
		struct dpu_abi_act_port out = { { DPU_ABI_ACT_OUTPUT, 16 } };

		es.ether_type = htons(0x0800);
		em.ether_type = 0xffff;
		memset(em.dst, 0xff, 6);
		es.dst[0] = 0x02, es.dst[5] = (uint8_t)i;
		is.proto = 6, im.proto = 0xff;
		v4(is.src, 10, 0, (uint8_t)(i >> 8), (uint8_t)i);
		v4(im.src, 255, 255, 255, 255);
		v4(is.dst, 10, 1, 0, 0);
		v4(im.dst, 255, 255, 0, 0);
		ts.dst_port = htons(80), tm.dst_port = 0xffff;
		ts.src_port = htons((uint16_t)(1024 + i)), tm.src_port = 0xffff;
		push.tpid = htons(0x8100);
		push.tci = htons(100);
		out.port_id = 2;

		dpu_abi_flow_op_begin(&b, DPU_ABI_FLOW_ADD,
				      DPU_ABI_FLOWF_TRANSFER, 0, 10, &id);
		dpu_abi_flow_op_item(&b, DPU_ABI_ITEM_PORT, &ps, &pm);
		dpu_abi_flow_op_item(&b, DPU_ABI_ITEM_ETH, &es, &em);
		dpu_abi_flow_op_item(&b, DPU_ABI_ITEM_IPV4, &is, &im);
		dpu_abi_flow_op_item(&b, DPU_ABI_ITEM_TCP, &ts, &tm);
		if (i & 1)
			dpu_abi_flow_op_action(&b, &push);
		dpu_abi_flow_op_action(&b, &out);
		dpu_abi_flow_op_end(&b);
	}
	return dpu_abi_build_finish(&b);
}

int dpu_abi_sample_flow_all(void *buf, size_t cap)
{
	struct dpu_abi_builder b;
	struct dpu_abi_flow_id id;

	dpu_abi_build_init(&b, buf, cap, DPU_ABI_OP_FLOW_BATCH, 0, 43);
	dpu_abi_flow_batch_begin(&b);

	/* op 0: tunnel + geneve + inner headers; decap, ct, jump */
	{
		struct dpu_abi_item_meta ms = { 5 }, mm = { 0xff };
		struct dpu_abi_item_tag gs = { 7, 3, { 0 } }, gm = { 0xff, 0xff, { 0 } };
		struct dpu_abi_item_mark ks = { 9 }, km = { 0xffff };
		struct dpu_abi_item_tunnel us = { 0 }, um = { 0 };
		struct dpu_abi_item_geneve_opt os = { 0 }, om = { 0 };
		struct dpu_abi_item_eth es = { 0 }, em = { 0 };
		struct dpu_abi_item_vlan vs = { 0 }, vm = { 0 };
		struct dpu_abi_item_vlan is = { 0 }, im = { 0 };
		struct dpu_abi_item_ipv6 s6 = { 0 }, m6 = { 0 };
		struct dpu_abi_item_l4 ls = { 0 }, lm = { 0 };
		struct dpu_abi_item_ct cs = { 0 }, cm = { 0 };
		struct dpu_abi_act_empty decap = { { DPU_ABI_ACT_TUNNEL_DECAP, 8 }, 0 };
		struct dpu_abi_act_u32 cnt = { { DPU_ABI_ACT_COUNT, 8 }, 0 };
		struct dpu_abi_act_ct ct = { { DPU_ABI_ACT_CT, 88 } };
		struct dpu_abi_act_u32 jump = { { DPU_ABI_ACT_JUMP, 8 }, 2 };

		us.type = DPU_ABI_TUNNEL_GENEVE, um.type = 0xff;
		us.ip_version = 4, um.ip_version = 0xff;
		us.vni = htonl(42), um.vni = htonl(0xffffff);
		v4(us.dst, 192, 0, 2, 1), v4(um.dst, 255, 255, 255, 255);
		us.dst_port = htons(6081), um.dst_port = 0xffff;
		os.opt_class = htons(0x0102), om.opt_class = 0xffff;
		os.opt_type = 1, om.opt_type = 0xff;
		os.opt_len = 1, om.opt_len = 0xff;
		os.data[0] = 0xaa, om.data[0] = 0xff;
		es.ether_type = htons(0x86dd), em.ether_type = 0xffff;
		vs.tpid = htons(0x88a8), vm.tpid = 0xffff;
		vs.tci = htons(10), vm.tci = htons(0x0fff);
		is.tci = htons(20), im.tci = htons(0x0fff);
		s6.proto = 17, m6.proto = 0xff;
		s6.flow_label = htonl(0x12345), m6.flow_label = htonl(0xfffff);
		s6.dst[0] = 0x20, s6.dst[1] = 0x01, m6.dst[0] = 0xff, m6.dst[1] = 0xff;
		ls.dst_port = htons(4791), lm.dst_port = 0xffff;
		cs.state = DPU_ABI_CT_TRACKED | DPU_ABI_CT_NEW;
		cm.state = DPU_ABI_CT_STATE_ALL;
		cs.zone = 3, cm.zone = 0xffff;
		ct.zone = 3;
		ct.flags = DPU_ABI_CTF_COMMIT | DPU_ABI_CTF_NAT | DPU_ABI_CTF_NAT_SRC;
		ct.mark = 1, ct.mark_mask = 0xff;
		ct.nat_ip_version = 4;
		v4(ct.nat_addr_min, 10, 9, 0, 1);
		v4(ct.nat_addr_max, 10, 9, 0, 9);
		ct.nat_port_min = htons(1024), ct.nat_port_max = htons(2048);

		id = fid(100);
		dpu_abi_flow_op_begin(&b, DPU_ABI_FLOW_ADD, 0, 1, 0, &id);
		dpu_abi_flow_op_item(&b, DPU_ABI_ITEM_META, &ms, &mm);
		dpu_abi_flow_op_item(&b, DPU_ABI_ITEM_TAG, &gs, &gm);
		dpu_abi_flow_op_item(&b, DPU_ABI_ITEM_MARK, &ks, &km);
		dpu_abi_flow_op_item(&b, DPU_ABI_ITEM_TUNNEL, &us, &um);
		dpu_abi_flow_op_item(&b, DPU_ABI_ITEM_GENEVE_OPT, &os, &om);
		dpu_abi_flow_op_item(&b, DPU_ABI_ITEM_ETH, &es, &em);
		dpu_abi_flow_op_item(&b, DPU_ABI_ITEM_VLAN, &vs, &vm);
		dpu_abi_flow_op_item(&b, DPU_ABI_ITEM_VLAN_INNER, &is, &im);
		dpu_abi_flow_op_item(&b, DPU_ABI_ITEM_IPV6, &s6, &m6);
		dpu_abi_flow_op_item(&b, DPU_ABI_ITEM_UDP, &ls, &lm);
		dpu_abi_flow_op_item(&b, DPU_ABI_ITEM_CT, &cs, &cm);
		dpu_abi_flow_op_action(&b, &decap);
		dpu_abi_flow_op_action(&b, &cnt);
		dpu_abi_flow_op_action(&b, &ct);
		dpu_abi_flow_op_action(&b, &jump);
		dpu_abi_flow_op_end(&b);
	}
	/* op 1: arp / sctp / icmp items are split over ops 1-3 */
	{
		struct dpu_abi_item_arp as = { 0 }, am = { 0 };
		struct dpu_abi_act_port mir = { { DPU_ABI_ACT_MIRROR, 16 }, 3, 0, 1 };
		struct dpu_abi_act_u32 mark = { { DPU_ABI_ACT_MARK, 8 }, 77 };
		struct dpu_abi_act_set_meta meta = { { DPU_ABI_ACT_SET_META, 16 },
						     0x10, 0xf0, 0 };
		struct dpu_abi_act_empty drop = { { DPU_ABI_ACT_DROP, 8 }, 0 };

		as.op = htons(1), am.op = 0xffff;
		id = fid(101);
		dpu_abi_flow_op_begin(&b, DPU_ABI_FLOW_ADD, 0, 0, 5, &id);
		dpu_abi_flow_op_item(&b, DPU_ABI_ITEM_ARP, &as, &am);
		dpu_abi_flow_op_action(&b, &mir);
		dpu_abi_flow_op_action(&b, &mark);
		dpu_abi_flow_op_action(&b, &meta);
		dpu_abi_flow_op_action(&b, &drop);
		dpu_abi_flow_op_end(&b);
	}
	/* op 2: v4 SCTP; vlan set/pop, encap, set_field, dec_ttl, meter,
	 * ipsec, age, output to the representor */
	{
		struct dpu_abi_item_ipv4 s4 = { 0 }, m4 = { 0 };
		struct dpu_abi_item_l4 ls = { 0 }, lm = { 0 };
		struct dpu_abi_act_empty pop = { { DPU_ABI_ACT_VLAN_POP, 8 }, 0 };
		struct dpu_abi_act_vlan set = { { DPU_ABI_ACT_VLAN_SET, 16 } };
		struct dpu_abi_act_tunnel_encap en = { { DPU_ABI_ACT_TUNNEL_ENCAP, 96 } };
		struct dpu_abi_act_set_field sf = { { DPU_ABI_ACT_SET_FIELD, 40 } };
		struct dpu_abi_act_empty ttl = { { DPU_ABI_ACT_DEC_TTL, 8 }, 0 };
		struct dpu_abi_act_meter me = { { DPU_ABI_ACT_METER, 48 } };
		struct dpu_abi_act_ipsec ip = { { DPU_ABI_ACT_IPSEC, 16 }, 7,
						DPU_ABI_IPSEC_OUT, 0 };
		struct dpu_abi_act_u32 age = { { DPU_ABI_ACT_AGE, 8 }, 30 };
		struct dpu_abi_act_port out = { { DPU_ABI_ACT_OUTPUT, 16 }, 4,
						DPU_ABI_OUT_TO_REPRESENTOR, 0 };

		s4.proto = 132, m4.proto = 0xff;
		s4.ip_flags = DPU_ABI_IPF_FRAG, m4.ip_flags = DPU_ABI_IPF_ALL;
		ls.src_port = htons(9), lm.src_port = 0xffff;
		set.tci = htons(5), set.tci_mask = htons(0x0fff);
		en.type = DPU_ABI_TUNNEL_GENEVE, en.ip_version = 6;
		en.vni = htonl(7), en.ttl = 64;
		en.eth_dst[0] = 0x02, en.eth_src[0] = 0x04;
		en.src[0] = 0xfd, en.dst[0] = 0xfd, en.dst[15] = 2;
		en.flags = DPU_ABI_ENCAP_UDP_CSUM;
		en.opts_len = 8;
		en.opts[0] = 1;
		sf.field = DPU_ABI_FIELD_IPV4_DST;
		v4(sf.value, 10, 0, 0, 1), v4(sf.mask, 255, 255, 255, 255);
		me.meter_id = 1, me.mode = DPU_ABI_METER_TRTCM;
		me.red = DPU_ABI_METER_V_DROP;
		me.cir = 1000000, me.cbs = 10000, me.eir = 2000000, me.ebs = 20000;
		id = fid(102);
		dpu_abi_flow_op_begin(&b, DPU_ABI_FLOW_MODIFY, 0, 2, 7, &id);
		dpu_abi_flow_op_item(&b, DPU_ABI_ITEM_IPV4, &s4, &m4);
		dpu_abi_flow_op_item(&b, DPU_ABI_ITEM_SCTP, &ls, &lm);
		dpu_abi_flow_op_action(&b, &pop);
		dpu_abi_flow_op_action(&b, &set);
		dpu_abi_flow_op_action(&b, &sf);
		dpu_abi_flow_op_action(&b, &ttl);
		dpu_abi_flow_op_action(&b, &en);
		dpu_abi_flow_op_action(&b, &me);
		dpu_abi_flow_op_action(&b, &ip);
		dpu_abi_flow_op_action(&b, &age);
		dpu_abi_flow_op_action(&b, &out);
		dpu_abi_flow_op_end(&b);
	}
	/* op 3: ICMP + ICMP6 to software */
	{
		struct dpu_abi_item_icmp s = { 8, 0, 0 }, m = { 0xff, 0, 0 };
		struct dpu_abi_item_icmp s6 = { 128, 0, 0 }, m6 = { 0xff, 0, 0 };
		struct dpu_abi_act_u32 sw = { { DPU_ABI_ACT_TO_SOFTWARE, 8 }, 1 };

		id = fid(103);
		dpu_abi_flow_op_begin(&b, DPU_ABI_FLOW_ADD, 0, 3, 1, &id);
		dpu_abi_flow_op_item(&b, DPU_ABI_ITEM_ICMP, &s, &m);
		dpu_abi_flow_op_item(&b, DPU_ABI_ITEM_ICMP6, &s6, &m6);
		dpu_abi_flow_op_action(&b, &sw);
		dpu_abi_flow_op_end(&b);
	}
	id = fid(104);
	dpu_abi_flow_op_begin(&b, DPU_ABI_FLOW_DELETE, DPU_ABI_FLOWF_TRANSFER,
			      0, 0, &id);
	dpu_abi_flow_op_end(&b);
	id = fid(105);
	dpu_abi_flow_op_begin(&b, DPU_ABI_FLOW_QUERY, DPU_ABI_FLOWF_QUERY_RESET,
			      0, 0, &id);
	dpu_abi_flow_op_end(&b);
	return dpu_abi_build_finish(&b);
}

/* ------------------------------------------------------------------ */
/* Fixed bodies                                                        */
/* ------------------------------------------------------------------ */

/* Scratch for bodies; the sample keeps pointing at it until the next call. */
static union {
	uint8_t raw[4096];
	uint64_t align;
} scratch;

#define NQN "nqn.2026-01.org.opendpu:disk1"
#define HOSTNQN "nqn.2014-08.org.nvmexpress:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427"

static size_t body_hello(int resp)
{
	if (!resp) {
		struct dpu_abi_hello_req *r = (void *)scratch.raw;

		r->ver_major = DPU_ABI_VERSION_MAJOR;
		r->ver_minor = DPU_ABI_VERSION_MINOR;
		r->max_msg_len = DPU_ABI_MSG_MAX;
		r->features = DPU_ABI_FEAT_FLOW | DPU_ABI_FEAT_EVENTS;
		strcpy(r->host_name, "host-a");
		return sizeof(*r);
	} else {
		struct dpu_abi_hello_resp *r = (void *)scratch.raw;

		r->ver_major = DPU_ABI_VERSION_MAJOR;
		r->ver_minor = DPU_ABI_VERSION_MINOR;
		r->epoch = 3;
		r->features = DPU_ABI_FEAT_FLOW;
		strcpy(r->card_name, "dpu-sim");
		strcpy(r->fw_version, "0.1.0");
		r->caps.max_msg_len = DPU_ABI_MSG_MAX;
		r->caps.max_batch = 1024;
		r->caps.req_ring_depth = 1024;
		r->caps.cpl_ring_depth = 1024;
		r->caps.evt_ring_depth = 256;
		r->caps.n_ports = 4;
		r->caps.max_flows = 1u << 20;
		r->caps.item_types = ((1ull << DPU_ABI_ITEM_TYPE_MAX) - 1) & ~1ull;
		r->caps.action_types = ((1ull << DPU_ABI_ACT_TYPE_MAX) - 1) & ~1ull;
		return sizeof(*r);
	}
}

static void port_info(struct dpu_abi_port_info *p, uint32_t id, uint8_t kind)
{
	p->port_id = id;
	p->kind = kind;
	p->vf = kind == DPU_ABI_PORT_VF ? 1 : 0;
	p->admin_up = 1;
	p->oper_up = 1;
	p->mtu = 1500;
	p->mac[0] = 0x02, p->mac[5] = (uint8_t)id;
	p->speed_mbps = 25000;
	strcpy(p->name, kind == DPU_ABI_PORT_VF ? "pf0vf1" : "p0");
}

static void subsys(struct dpu_abi_nvmf_subsys *s)
{
	strcpy(s->nqn, NQN);
	strcpy(s->serial, "SN0001");
	strcpy(s->model, "opendpu ramdisk");
	s->flags = DPU_ABI_NVMF_ALLOW_ANY_HOST;
}

static void ns(struct dpu_abi_nvmf_ns *n)
{
	strcpy(n->nqn, NQN);
	n->nsid = 1;
	n->backend = DPU_ABI_NVMF_BDEV_RAM;
	n->block_shift = 9;
	n->size_bytes = 64ull << 20;
}

static void listener(struct dpu_abi_nvmf_listener *l)
{
	strcpy(l->nqn, NQN);
	l->adrfam = DPU_ABI_NVMF_ADRFAM_IPV4;
	l->port = 4420;
	strcpy(l->traddr, "127.0.0.1");
}

/* List response head + n entries built by fill(). */
static size_t list_of(size_t esz, unsigned n)
{
	struct dpu_abi_list_resp *l = (void *)scratch.raw;

	l->count = n;
	l->total = n + 1;
	return sizeof(*l) + esz * n;
}

static size_t body_req(uint16_t opc)
{
	uint8_t *b = scratch.raw;

	switch (opc) {
	case DPU_ABI_OP_HELLO:
		return body_hello(0);
	case DPU_ABI_OP_KEEPALIVE: {
		struct dpu_abi_keepalive_req *r = (void *)b;

		r->seq = 1, r->host_time_ns = 123456789;
		return sizeof(*r);
	}
	case DPU_ABI_OP_CARD_RESET: {
		struct dpu_abi_card_reset_req *r = (void *)b;

		r->kind = DPU_ABI_RESET_HARD;
		return sizeof(*r);
	}
	case DPU_ABI_OP_PORT_LIST:
	case DPU_ABI_OP_FLOW_LIST:
	case DPU_ABI_OP_CT_ZONE_LIST:
	case DPU_ABI_OP_NVMF_SUBSYS_LIST: {
		struct dpu_abi_list_req *r = (void *)b;

		r->start = 2, r->max = 16;
		return sizeof(*r);
	}
	case DPU_ABI_OP_PORT_CONFIG: {
		struct dpu_abi_port_config_req *r = (void *)b;

		r->port_id = 1;
		r->set = DPU_ABI_PORT_SET_ALL;
		r->mtu = 9000;
		r->mac[0] = 0x02, r->mac[5] = 9;
		r->admin_up = 1;
		return sizeof(*r);
	}
	case DPU_ABI_OP_PORT_STATS: {
		struct dpu_abi_port_stats_req *r = (void *)b;

		r->count = 3;
		r->port_ids[0] = 1, r->port_ids[1] = 2, r->port_ids[2] = 3;
		return sizeof(*r) + 12;
	}
	case DPU_ABI_OP_FLOW_FLUSH: {
		struct dpu_abi_flow_flush_req *r = (void *)b;

		r->group = DPU_ABI_GROUP_ALL;
		return sizeof(*r);
	}
	case DPU_ABI_OP_ACL_BATCH: {
		struct dpu_abi_acl_batch_req *r = (void *)b;
		struct dpu_abi_acl_rule *a = (void *)(r + 1);

		r->n_rules = 2;
		a[0].op = DPU_ABI_ACL_ADD;
		a[0].verdict = DPU_ABI_ACL_PERMIT_TRACK;
		a[0].zone = 4;
		a[0].rule_id = 1;
		a[0].port_id = DPU_ABI_PORT_ANY;
		a[0].ip_version = 4;
		a[0].proto = 6, a[0].proto_mask = 0xff;
		a[0].src_plen = 24;
		v4(a[0].src, 10, 1, 2, 0);
		a[0].sport_hi = 65535;
		a[0].dport_lo = 80, a[0].dport_hi = 80;
		a[1].op = DPU_ABI_ACL_DELETE;
		a[1].rule_id = 2;
		a[1].ip_version = 6;
		a[1].dst_plen = 64;
		a[1].dst[0] = 0xfd;
		a[1].sport_hi = a[1].dport_hi = 65535;
		return sizeof(*r) + 2 * sizeof(*a);
	}
	case DPU_ABI_OP_CT_ZONE_SET: {
		struct dpu_abi_ct_zone *z = (void *)b;

		z->zone = 5;
		z->max_entries = 1000;
		z->timeouts[DPU_ABI_CTT_TCP_ESTABLISHED] = 3600;
		return sizeof(*z);
	}
	case DPU_ABI_OP_CT_ZONE_DEL: {
		struct dpu_abi_ct_zone_ref *r = (void *)b;

		r->zone = 5;
		return sizeof(*r);
	}
	case DPU_ABI_OP_CT_FLUSH: {
		struct dpu_abi_ct_zone_ref *r = (void *)b;

		r->flags = DPU_ABI_CT_ALL_ZONES;
		return sizeof(*r);
	}
	case DPU_ABI_OP_SA_ADD: {
		struct dpu_abi_sa *s = (void *)b;

		s->sa_id = 7;
		s->spi = htonl(0x1000);
		s->dir = DPU_ABI_IPSEC_OUT;
		s->mode = DPU_ABI_IPSEC_TUNNEL;
		s->ip_version = 4;
		s->alg = DPU_ABI_IPSEC_AES_GCM_128;
		s->flags = DPU_ABI_SAF_ESN | DPU_ABI_SAF_UDP_ENCAP;
		s->salt = 0x01020304;
		s->replay_window = 64;
		memset(s->key, 0x5a, 16);
		v4(s->src, 192, 0, 2, 1);
		v4(s->dst, 192, 0, 2, 2);
		s->encap_sport = htons(4500), s->encap_dport = htons(4500);
		s->soft_bytes = 1000, s->hard_bytes = 2000;
		return sizeof(*s);
	}
	case DPU_ABI_OP_SA_DEL:
	case DPU_ABI_OP_SA_QUERY:
	case DPU_ABI_OP_SP_DEL: {
		struct dpu_abi_id_ref *r = (void *)b;

		r->id = 7;
		return sizeof(*r);
	}
	case DPU_ABI_OP_SP_ADD: {
		struct dpu_abi_sp *s = (void *)b;

		s->policy_id = 1;
		s->priority = 10;
		s->dir = DPU_ABI_IPSEC_OUT;
		s->action = DPU_ABI_SP_PROTECT;
		s->ip_version = 4;
		s->proto = 17;
		s->src_plen = 24, v4(s->src, 10, 0, 0, 0);
		s->dst_plen = 32, v4(s->dst, 10, 0, 1, 1);
		s->sa_id = 7;
		s->sport_hi = s->dport_hi = 65535;
		return sizeof(*s);
	}
	case DPU_ABI_OP_NVMF_SUBSYS_ADD:
		subsys((void *)b);
		return sizeof(struct dpu_abi_nvmf_subsys);
	case DPU_ABI_OP_NVMF_SUBSYS_DEL:
	case DPU_ABI_OP_NVMF_NS_LIST:
	case DPU_ABI_OP_NVMF_HOST_LIST:
	case DPU_ABI_OP_NVMF_LISTENER_LIST: {
		struct dpu_abi_nvmf_subsys_ref *r = (void *)b;

		strcpy(r->nqn, NQN);
		if (opc != DPU_ABI_OP_NVMF_SUBSYS_DEL)
			r->list.max = 8;
		return sizeof(*r);
	}
	case DPU_ABI_OP_NVMF_NS_ADD:
		ns((void *)b);
		return sizeof(struct dpu_abi_nvmf_ns);
	case DPU_ABI_OP_NVMF_NS_DEL: {
		struct dpu_abi_nvmf_ns_ref *r = (void *)b;

		strcpy(r->nqn, NQN);
		r->nsid = 1;
		return sizeof(*r);
	}
	case DPU_ABI_OP_NVMF_HOST_ADD:
	case DPU_ABI_OP_NVMF_HOST_DEL: {
		struct dpu_abi_nvmf_host *h = (void *)b;

		strcpy(h->nqn, NQN);
		strcpy(h->host_nqn, HOSTNQN);
		return sizeof(*h);
	}
	case DPU_ABI_OP_NVMF_LISTENER_ADD:
	case DPU_ABI_OP_NVMF_LISTENER_DEL:
		listener((void *)b);
		return sizeof(struct dpu_abi_nvmf_listener);
	/* events */
	case DPU_ABI_OP_EVT_FLOW_AGED: {
		struct dpu_abi_evt_flow_aged *e = (void *)b;
		struct dpu_abi_flow_id *id = (void *)(e + 1);

		e->count = 2;
		id[0] = fid(1), id[1] = fid(2);
		return sizeof(*e) + 2 * sizeof(*id);
	}
	case DPU_ABI_OP_EVT_PORT_STATE: {
		struct dpu_abi_evt_port_state *e = (void *)b;

		e->port_id = 2, e->admin_up = 1;
		return sizeof(*e);
	}
	case DPU_ABI_OP_EVT_SA_EXPIRING: {
		struct dpu_abi_evt_sa_expiring *e = (void *)b;

		e->sa_id = 7, e->kind = DPU_ABI_SA_SOFT_BYTES;
		return sizeof(*e);
	}
	case DPU_ABI_OP_EVT_ERROR: {
		struct dpu_abi_evt_error *e = (void *)b;

		e->domain = DPU_ABI_ERRD_PORT;
		e->status = DPU_ABI_E_INTERNAL;
		e->object = 2;
		strcpy(e->text, "port 2: link training failed");
		return sizeof(*e);
	}
	case DPU_ABI_OP_EVT_CARD_RESET: {
		struct dpu_abi_evt_card_reset *e = (void *)b;

		e->old_epoch = 3, e->new_epoch = 4;
		e->reason = DPU_ABI_RESET_RESTART;
		return sizeof(*e);
	}
	}
	return 0;
}

static size_t body_resp(uint16_t opc)
{
	uint8_t *b = scratch.raw;
	void *e = b + sizeof(struct dpu_abi_list_resp);

	switch (opc) {
	case DPU_ABI_OP_HELLO:
		return body_hello(1);
	case DPU_ABI_OP_KEEPALIVE: {
		struct dpu_abi_keepalive_resp *r = (void *)b;

		r->seq = 1, r->host_time_ns = 123456789, r->uptime_ms = 5000;
		r->health = DPU_ABI_HEALTH_DEGRADED;
		r->n_flows = 10;
		return sizeof(*r);
	}
	case DPU_ABI_OP_CARD_RESET: {
		struct dpu_abi_card_reset_resp *r = (void *)b;

		r->old_epoch = 3, r->new_epoch = 4;
		return sizeof(*r);
	}
	case DPU_ABI_OP_PORT_LIST: {
		struct dpu_abi_port_info *p = e;

		port_info(&p[0], 0, DPU_ABI_PORT_UPLINK);
		port_info(&p[1], 5, DPU_ABI_PORT_VF);
		return list_of(sizeof(*p), 2);
	}
	case DPU_ABI_OP_PORT_STATS: {
		struct dpu_abi_port_stats *s = e;

		s->port_id = 1, s->rx_packets = 10, s->hw_hits = 9;
		return list_of(sizeof(*s), 1);
	}
	case DPU_ABI_OP_FLOW_BATCH: {
		struct dpu_abi_flow_batch_resp *r = (void *)b;
		struct dpu_abi_flow_result *x = (void *)(r + 1);

		r->n_results = 2;
		x[0].id = fid(1), x[0].op = DPU_ABI_FLOW_ADD;
		x[1].id = fid(2), x[1].op = DPU_ABI_FLOW_QUERY;
		x[1].packets = 100, x[1].bytes = 6400, x[1].idle_ms = 5;
		return sizeof(*r) + 2 * sizeof(*x);
	}
	case DPU_ABI_OP_FLOW_FLUSH: {
		struct dpu_abi_flow_flush_resp *r = (void *)b;

		r->n_flushed = 12;
		return sizeof(*r);
	}
	case DPU_ABI_OP_FLOW_LIST: {
		struct dpu_abi_flow_id *id = e;

		id[0] = fid(1), id[1] = fid(2), id[2] = fid(3);
		return list_of(sizeof(*id), 3);
	}
	case DPU_ABI_OP_ACL_BATCH: {
		struct dpu_abi_acl_batch_resp *r = (void *)b;
		struct dpu_abi_acl_result *x = (void *)(r + 1);

		r->n_results = 3;
		x[0].rule_id = 1, x[1].rule_id = 2, x[2].rule_id = 3;
		return sizeof(*r) + 3 * sizeof(*x);
	}
	case DPU_ABI_OP_CT_ZONE_DEL:
	case DPU_ABI_OP_CT_FLUSH: {
		struct dpu_abi_count_resp *r = (void *)b;

		r->count = 17;
		return sizeof(*r);
	}
	case DPU_ABI_OP_CT_ZONE_LIST: {
		struct dpu_abi_ct_zone *z = e;

		z->zone = 5, z->timeouts[DPU_ABI_CTT_ICMP] = 30;
		return list_of(sizeof(*z), 1);
	}
	case DPU_ABI_OP_SA_QUERY: {
		struct dpu_abi_sa_stats *s = (void *)b;

		s->sa_id = 7, s->packets = 5, s->soft_expired = 1;
		return sizeof(*s);
	}
	case DPU_ABI_OP_NVMF_SUBSYS_LIST: {
		struct dpu_abi_nvmf_subsys *s = e;

		subsys(s);
		s->n_namespaces = 1, s->n_listeners = 1;
		return list_of(sizeof(*s), 1);
	}
	case DPU_ABI_OP_NVMF_NS_LIST:
		ns(e);
		return list_of(sizeof(struct dpu_abi_nvmf_ns), 1);
	case DPU_ABI_OP_NVMF_HOST_LIST: {
		struct dpu_abi_nvmf_host *h = e;

		strcpy(h->nqn, NQN);
		strcpy(h->host_nqn, HOSTNQN);
		return list_of(sizeof(*h), 1);
	}
	case DPU_ABI_OP_NVMF_LISTENER_LIST:
		listener(e);
		return list_of(sizeof(struct dpu_abi_nvmf_listener), 1);
	}
	return 0; /* empty response body */
}

/* ------------------------------------------------------------------ */
/* The catalogue                                                       */
/* ------------------------------------------------------------------ */

static const uint16_t opcodes[] = {
	DPU_ABI_OP_HELLO, DPU_ABI_OP_KEEPALIVE, DPU_ABI_OP_CARD_RESET,
	DPU_ABI_OP_PORT_LIST, DPU_ABI_OP_PORT_CONFIG, DPU_ABI_OP_PORT_STATS,
	DPU_ABI_OP_FLOW_BATCH, DPU_ABI_OP_FLOW_FLUSH, DPU_ABI_OP_FLOW_LIST,
	DPU_ABI_OP_ACL_BATCH, DPU_ABI_OP_CT_ZONE_SET, DPU_ABI_OP_CT_ZONE_DEL,
	DPU_ABI_OP_CT_ZONE_LIST, DPU_ABI_OP_CT_FLUSH, DPU_ABI_OP_SA_ADD,
	DPU_ABI_OP_SA_DEL, DPU_ABI_OP_SA_QUERY, DPU_ABI_OP_SP_ADD,
	DPU_ABI_OP_SP_DEL, DPU_ABI_OP_NVMF_SUBSYS_ADD,
	DPU_ABI_OP_NVMF_SUBSYS_DEL, DPU_ABI_OP_NVMF_SUBSYS_LIST,
	DPU_ABI_OP_NVMF_NS_ADD, DPU_ABI_OP_NVMF_NS_DEL, DPU_ABI_OP_NVMF_NS_LIST,
	DPU_ABI_OP_NVMF_HOST_ADD, DPU_ABI_OP_NVMF_HOST_DEL,
	DPU_ABI_OP_NVMF_HOST_LIST, DPU_ABI_OP_NVMF_LISTENER_ADD,
	DPU_ABI_OP_NVMF_LISTENER_DEL, DPU_ABI_OP_NVMF_LISTENER_LIST,
};
#define N_OPCODES (sizeof(opcodes) / sizeof(opcodes[0]))

static const uint16_t events[] = {
	DPU_ABI_OP_EVT_FLOW_AGED, DPU_ABI_OP_EVT_PORT_STATE,
	DPU_ABI_OP_EVT_SA_EXPIRING, DPU_ABI_OP_EVT_ERROR,
	DPU_ABI_OP_EVT_CARD_RESET,
};
#define N_EVENTS (sizeof(events) / sizeof(events[0]))

/* Extra samples past requests, responses and events. */
enum { X_FLOW_ADD, X_FLOW_ALL, X_ERROR_RESP, X_SEMANTIC_RESP, X_PARTIAL_RESP,
       X_MORE_RESP, X_N };

static char names[64];

int dpu_abi_sample(unsigned idx, void *buf, size_t cap, struct dpu_abi_sample *s)
{
	struct dpu_abi_hdr req = { 0 };
	uint16_t opc;
	size_t n;

	memset(&scratch, 0, sizeof(scratch));
	memset(s, 0, sizeof(*s));
	if (idx < N_OPCODES) {
		opc = opcodes[idx];
		snprintf(names, sizeof(names), "%s.req", dpu_abi_opcode_name(opc));
		s->name = names;
		s->role = DPU_ABI_ROLE_CARD;
		if (opc == DPU_ABI_OP_FLOW_BATCH) {
			s->len = dpu_abi_sample_flow_add(buf, cap, 2);
			return 1;
		}
		n = body_req(opc);
		s->body = scratch.raw, s->body_len = n;
		s->len = dpu_abi_encode(buf, cap, opc, 0, 1000 + idx,
					scratch.raw, n);
		return 1;
	}
	idx -= N_OPCODES;
	if (idx < N_OPCODES) {
		opc = opcodes[idx];
		snprintf(names, sizeof(names), "%s.resp", dpu_abi_opcode_name(opc));
		s->name = names;
		s->role = DPU_ABI_ROLE_HOST;
		req.opcode = opc, req.req_id = 2000 + idx;
		n = body_resp(opc);
		s->body = scratch.raw, s->body_len = n;
		s->len = dpu_abi_encode_response(buf, cap, &req, DPU_ABI_OK, 3,
						 scratch.raw, n);
		return 1;
	}
	idx -= N_OPCODES;
	if (idx < N_EVENTS) {
		opc = events[idx];
		snprintf(names, sizeof(names), "%s.evt", dpu_abi_opcode_name(opc));
		s->name = names;
		s->role = DPU_ABI_ROLE_HOST;
		n = body_req(opc);
		s->body = scratch.raw, s->body_len = n;
		s->len = dpu_abi_encode(buf, cap, opc, EV, 0, scratch.raw, n);
		return 1;
	}
	idx -= N_EVENTS;
	s->role = DPU_ABI_ROLE_HOST;
	switch (idx) {
	case X_FLOW_ADD:
		s->name = "flow_batch.req.typical64";
		s->role = DPU_ABI_ROLE_CARD;
		s->len = dpu_abi_sample_flow_add(buf, cap, 64);
		return 1;
	case X_FLOW_ALL:
		s->name = "flow_batch.req.every_type";
		s->role = DPU_ABI_ROLE_CARD;
		s->len = dpu_abi_sample_flow_all(buf, cap);
		return 1;
	case X_ERROR_RESP: {
		struct dpu_abi_error e = { DPU_ABI_E_ENUM, 44,
					   "flow_batch.ops[0].op",
					   "flow_batch.ops[0].op: 9 not in 1..4" };
		uint8_t r[64] __attribute__((aligned(8)));

		dpu_abi_encode(r, sizeof(r), DPU_ABI_OP_FLOW_BATCH, 0, 77, NULL, 0);
		s->name = "flow_batch.resp.error";
		s->len = dpu_abi_encode_error(buf, cap, r, 32, &e, 3);
		return 1;
	}
	case X_SEMANTIC_RESP:
		req.opcode = DPU_ABI_OP_SA_DEL, req.req_id = 5;
		s->name = "sa_del.resp.not_found";
		s->len = dpu_abi_encode_response(buf, cap, &req,
						 DPU_ABI_E_NOT_FOUND, 3, NULL, 0);
		return 1;
	case X_PARTIAL_RESP: {
		struct dpu_abi_flow_batch_resp *r = (void *)scratch.raw;
		struct dpu_abi_flow_result *x = (void *)(r + 1);

		r->n_results = 2, r->n_failed = 1;
		x[0].id = fid(1), x[0].op = DPU_ABI_FLOW_ADD;
		x[1].id = fid(2), x[1].op = DPU_ABI_FLOW_ADD;
		x[1].status = DPU_ABI_E_NO_SPACE;
		req.opcode = DPU_ABI_OP_FLOW_BATCH, req.req_id = 6;
		s->name = "flow_batch.resp.partial";
		s->body = scratch.raw, s->body_len = sizeof(*r) + 2 * sizeof(*x);
		s->len = dpu_abi_encode_response(buf, cap, &req,
						 DPU_ABI_E_PARTIAL, 3,
						 scratch.raw, s->body_len);
		return 1;
	}
	case X_MORE_RESP: {
		struct dpu_abi_builder b;
		size_t n2 = body_resp(DPU_ABI_OP_FLOW_LIST);

		dpu_abi_build_init(&b, buf, cap, DPU_ABI_OP_FLOW_LIST,
				   DPU_ABI_F_RESPONSE | DPU_ABI_F_MORE, 9);
		dpu_abi_build_append(&b, scratch.raw, n2);
		s->name = "flow_list.resp.more";
		s->body = scratch.raw, s->body_len = n2;
		s->len = dpu_abi_build_finish(&b);
		return 1;
	}
	}
	return 0;
}
