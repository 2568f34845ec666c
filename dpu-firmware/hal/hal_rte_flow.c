/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * HAL provider "rte_flow": HAL rules -> rte_flow_attr / rte_flow_item[] /
 * rte_flow_action[] on a DPDK port, for the real card (mlx5 eSwitch).
 *
 * Asynchronous insertion: rte_flow's template API needs pattern/actions
 * templates known up front, which the HAL's open rule model does not give
 * us, so the async path is emulated with synchronous rte_flow_create()
 * calls and completions queued for pull (caps.async_native = 0).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ethdev.h>
#include <rte_ether.h>
#include <rte_flow.h>
#include <rte_ip.h>
#include <rte_mtr.h>
#include <rte_udp.h>

#include "dpu_hal.h"
#include "dpu_hal_rte_flow.h"

#define IERR(code, i, ...) dpu_hal_set_error(err, code, DPU_HAL_ERR_ITEM, i, __VA_ARGS__)
#define AERR(code, i, ...) dpu_hal_set_error(err, code, DPU_HAL_ERR_ACTION, i, __VA_ARGS__)

static void
vni_to(uint8_t *b, uint32_t vni)
{
	b[0] = vni >> 16;
	b[1] = vni >> 8;
	b[2] = vni;
}

/* Fill spec (and mask) of one item; s/m are the HAL spec/mask (non-NULL). */
static int
item_fill(const struct dpu_hal_rf_conf *cf, bool transfer, const struct dpu_hal_item *it,
	  int i, struct rte_flow_item *ri, union dpu_hal_rf_item_store *rs,
	  union dpu_hal_rf_item_store *rm, union dpu_hal_rf_item_store *rl,
	  struct dpu_hal_rf_rule *out, struct dpu_hal_error *err)
{
	const void *sv = it->spec;
	const void *mv = it->mask ? it->mask : dpu_hal_item_default_mask(it->type);
	bool have = sv != NULL;

	(void)cf;
	memset(rs, 0, sizeof(*rs));
	memset(rm, 0, sizeof(*rm));
	memset(rl, 0, sizeof(*rl));
	ri->spec = have ? rs : NULL;
	ri->mask = have ? rm : NULL;
	ri->last = NULL;
	switch (it->type) {
	case DPU_HAL_ITEM_PORT: {
		const struct dpu_hal_item_port *s = sv, *m = mv;

		if (!have)
			return IERR(-EINVAL, i, "item %d (PORT): spec is required", i);
		if (s->port_id > UINT16_MAX)
			return IERR(-EINVAL, i, "item %d (PORT): port %u is not a DPDK port id", i,
				    s->port_id);
		if (transfer) {
			ri->type = RTE_FLOW_ITEM_TYPE_REPRESENTED_PORT;
			rs->ethdev.port_id = s->port_id;
			rm->ethdev.port_id = m->port_id ? UINT16_MAX : 0;
		} else {
			ri->type = RTE_FLOW_ITEM_TYPE_PORT_ID;
			rs->port_id.id = s->port_id;
			rm->port_id.id = m->port_id;
		}
		return 0;
	}
	case DPU_HAL_ITEM_ETH: {
		const struct dpu_hal_item_eth *s = sv, *m = mv;

		ri->type = RTE_FLOW_ITEM_TYPE_ETH;
		if (!have)
			return 0;
		memcpy(rs->eth.hdr.dst_addr.addr_bytes, s->dst, 6);
		memcpy(rs->eth.hdr.src_addr.addr_bytes, s->src, 6);
		rs->eth.hdr.ether_type = s->type;
		rs->eth.has_vlan = s->has_vlan;
		memcpy(rm->eth.hdr.dst_addr.addr_bytes, m->dst, 6);
		memcpy(rm->eth.hdr.src_addr.addr_bytes, m->src, 6);
		rm->eth.hdr.ether_type = m->type;
		rm->eth.has_vlan = m->has_vlan ? 1 : 0;
		return 0;
	}
	case DPU_HAL_ITEM_VLAN: {
		const struct dpu_hal_item_vlan *s = sv, *m = mv;

		ri->type = RTE_FLOW_ITEM_TYPE_VLAN;
		if (!have)
			return 0;
		rs->vlan.hdr.vlan_tci = s->tci;
		rs->vlan.hdr.eth_proto = s->inner_type;
		rs->vlan.has_more_vlan = s->has_more_vlan;
		rm->vlan.hdr.vlan_tci = m->tci;
		rm->vlan.hdr.eth_proto = m->inner_type;
		rm->vlan.has_more_vlan = m->has_more_vlan ? 1 : 0;
		return 0;
	}
	case DPU_HAL_ITEM_IPV4: {
		const struct dpu_hal_item_ipv4 *s = sv, *m = mv;
		uint8_t fs, fm;

		ri->type = RTE_FLOW_ITEM_TYPE_IPV4;
		if (!have)
			return 0;
		rs->ipv4.hdr.src_addr = s->src;
		rs->ipv4.hdr.dst_addr = s->dst;
		rs->ipv4.hdr.type_of_service = s->tos;
		rs->ipv4.hdr.time_to_live = s->ttl;
		rs->ipv4.hdr.next_proto_id = s->proto;
		rm->ipv4.hdr.src_addr = m->src;
		rm->ipv4.hdr.dst_addr = m->dst;
		rm->ipv4.hdr.type_of_service = m->tos;
		rm->ipv4.hdr.time_to_live = m->ttl;
		rm->ipv4.hdr.next_proto_id = m->proto;
		fm = m->frag;
		fs = s->frag & fm;
		if (fm == 0)
			return 0;
		/* the fragment_offset encodings mlx5 documents */
		if (fm == 0x01 && fs == 0) {
			rm->ipv4.hdr.fragment_offset = RTE_BE16(0x3fff);
		} else if (fm == 0x01 && fs == 0x01) {
			rs->ipv4.hdr.fragment_offset = RTE_BE16(0x0001);
			rl->ipv4.hdr.fragment_offset = RTE_BE16(0x3fff);
			rm->ipv4.hdr.fragment_offset = RTE_BE16(0x3fff);
			ri->last = rl;
		} else if ((fs & 0x02) && !(fs & 0x04)) {
			rs->ipv4.hdr.fragment_offset = RTE_BE16(RTE_IPV4_HDR_MF_FLAG);
			rm->ipv4.hdr.fragment_offset = RTE_BE16(0x3fff);
		} else if (fs & 0x04) {
			rs->ipv4.hdr.fragment_offset = RTE_BE16(0x0001);
			rl->ipv4.hdr.fragment_offset = RTE_BE16(0x1fff);
			rm->ipv4.hdr.fragment_offset = RTE_BE16(0x1fff);
			ri->last = rl;
		} else {
			return IERR(-ENOTSUP, i, "item %d (IPV4): frag 0x%x/0x%x has no rte_flow encoding",
				    i, fs, fm);
		}
		return 0;
	}
	case DPU_HAL_ITEM_IPV6: {
		const struct dpu_hal_item_ipv6 *s = sv, *m = mv;

		ri->type = RTE_FLOW_ITEM_TYPE_IPV6;
		if (!have)
			return 0;
		memcpy(rs->ipv6.hdr.src_addr, s->src, 16);
		memcpy(rs->ipv6.hdr.dst_addr, s->dst, 16);
		rs->ipv6.hdr.vtc_flow = rte_cpu_to_be_32((uint32_t)s->tc << 20);
		rs->ipv6.hdr.hop_limits = s->hop_limit;
		rs->ipv6.hdr.proto = s->proto;
		memcpy(rm->ipv6.hdr.src_addr, m->src, 16);
		memcpy(rm->ipv6.hdr.dst_addr, m->dst, 16);
		rm->ipv6.hdr.vtc_flow = rte_cpu_to_be_32((uint32_t)m->tc << 20);
		rm->ipv6.hdr.hop_limits = m->hop_limit;
		rm->ipv6.hdr.proto = m->proto;
		if (m->frag & ~0x01)
			return IERR(-ENOTSUP, i, "item %d (IPV6): first/later fragment match has no rte_flow encoding",
				    i);
		if (m->frag) {
			rs->ipv6.has_frag_ext = s->frag & 1;
			rm->ipv6.has_frag_ext = 1;
		}
		return 0;
	}
	case DPU_HAL_ITEM_TCP:
	case DPU_HAL_ITEM_UDP:
	case DPU_HAL_ITEM_SCTP: {
		const struct dpu_hal_item_l4 *s = sv, *m = mv;

		ri->type = it->type == DPU_HAL_ITEM_TCP ? RTE_FLOW_ITEM_TYPE_TCP :
			   it->type == DPU_HAL_ITEM_UDP ? RTE_FLOW_ITEM_TYPE_UDP :
							  RTE_FLOW_ITEM_TYPE_SCTP;
		if (!have)
			return 0;
		if (it->type == DPU_HAL_ITEM_TCP) {
			rs->tcp.hdr.src_port = s->src;
			rs->tcp.hdr.dst_port = s->dst;
			rs->tcp.hdr.tcp_flags = s->tcp_flags;
			rm->tcp.hdr.src_port = m->src;
			rm->tcp.hdr.dst_port = m->dst;
			rm->tcp.hdr.tcp_flags = m->tcp_flags;
		} else if (it->type == DPU_HAL_ITEM_UDP) {
			rs->udp.hdr.src_port = s->src;
			rs->udp.hdr.dst_port = s->dst;
			rm->udp.hdr.src_port = m->src;
			rm->udp.hdr.dst_port = m->dst;
		} else {
			rs->sctp.hdr.src_port = s->src;
			rs->sctp.hdr.dst_port = s->dst;
			rm->sctp.hdr.src_port = m->src;
			rm->sctp.hdr.dst_port = m->dst;
		}
		return 0;
	}
	case DPU_HAL_ITEM_ICMP:
	case DPU_HAL_ITEM_ICMP6: {
		const struct dpu_hal_item_icmp *s = sv, *m = mv;

		if (it->type == DPU_HAL_ITEM_ICMP) {
			ri->type = RTE_FLOW_ITEM_TYPE_ICMP;
			if (!have)
				return 0;
			rs->icmp.hdr.icmp_type = s->type;
			rs->icmp.hdr.icmp_code = s->code;
			rm->icmp.hdr.icmp_type = m->type;
			rm->icmp.hdr.icmp_code = m->code;
		} else {
			ri->type = RTE_FLOW_ITEM_TYPE_ICMP6;
			if (!have)
				return 0;
			rs->icmp6.type = s->type;
			rs->icmp6.code = s->code;
			rm->icmp6.type = m->type;
			rm->icmp6.code = m->code;
		}
		return 0;
	}
	case DPU_HAL_ITEM_VXLAN:
	case DPU_HAL_ITEM_GENEVE: {
		const struct dpu_hal_item_tunnel *s = sv, *m = mv;

		if (it->type == DPU_HAL_ITEM_VXLAN) {
			ri->type = RTE_FLOW_ITEM_TYPE_VXLAN;
			if (!have)
				return 0;
			vni_to(rs->vxlan.vni, s->vni);
			vni_to(rm->vxlan.vni, m->vni);
		} else {
			ri->type = RTE_FLOW_ITEM_TYPE_GENEVE;
			if (!have)
				return 0;
			vni_to(rs->geneve.vni, s->vni);
			vni_to(rm->geneve.vni, m->vni);
			rs->geneve.protocol = s->proto;
			rm->geneve.protocol = m->proto;
		}
		return 0;
	}
	case DPU_HAL_ITEM_GENEVE_OPT: {
		const struct dpu_hal_item_geneve_opt *s = sv, *m = mv;

		ri->type = RTE_FLOW_ITEM_TYPE_GENEVE_OPT;
		if (!have)
			return IERR(-EINVAL, i, "item %d (GENEVE_OPT): spec is required", i);
		rs->gopt.option_class = s->opt_class;
		rs->gopt.option_type = s->opt_type;
		rs->gopt.option_len = s->opt_len ? s->opt_len : 1;
		rm->gopt.option_class = m->opt_class;
		rm->gopt.option_type = m->opt_type;
		rm->gopt.option_len = m->opt_len;
		out->gopt_data[0] = s->data;
		out->gopt_data[1] = m->data;
		rs->gopt.data = &out->gopt_data[0];
		rm->gopt.data = &out->gopt_data[1];
		return 0;
	}
	case DPU_HAL_ITEM_META: {
		const struct dpu_hal_item_meta *s = sv, *m = mv;

		ri->type = RTE_FLOW_ITEM_TYPE_META;
		if (!have)
			return IERR(-EINVAL, i, "item %d (META): spec is required", i);
		rs->meta.data = s->data;
		rm->meta.data = m->data;
		return 0;
	}
	case DPU_HAL_ITEM_TAG: {
		const struct dpu_hal_item_tag *s = sv, *m = mv;

		ri->type = RTE_FLOW_ITEM_TYPE_TAG;
		if (!have)
			return IERR(-EINVAL, i, "item %d (TAG): spec is required", i);
		rs->tag.data = s->data;
		rs->tag.index = s->index;
		rm->tag.data = m->data;
		rm->tag.index = 0xff;
		return 0;
	}
	case DPU_HAL_ITEM_MARK: {
		const struct dpu_hal_item_mark *s = sv, *m = mv;

		ri->type = RTE_FLOW_ITEM_TYPE_MARK;
		if (!have)
			return IERR(-EINVAL, i, "item %d (MARK): spec is required", i);
		rs->mark.id = s->id;
		rm->mark.id = m->id;
		return 0;
	}
	case DPU_HAL_ITEM_CONNTRACK: {
		const struct dpu_hal_item_ct *s = sv, *m = mv;
		uint32_t fs = 0, fm = 0;

		ri->type = RTE_FLOW_ITEM_TYPE_CONNTRACK;
		if (!have)
			return IERR(-EINVAL, i, "item %d (CONNTRACK): spec is required", i);
		if (m->zone || m->mark ||
		    (m->state & ~(DPU_HAL_CT_VALID | DPU_HAL_CT_INVALID)))
			return IERR(-ENOTSUP, i,
				    "item %d (CONNTRACK): only VALID/INVALID state map to rte_flow (zone/mark/new/est need the CT action)",
				    i);
		if (m->state & DPU_HAL_CT_VALID) {
			fm |= RTE_FLOW_CONNTRACK_PKT_STATE_VALID;
			if (s->state & DPU_HAL_CT_VALID)
				fs |= RTE_FLOW_CONNTRACK_PKT_STATE_VALID;
		}
		if (m->state & DPU_HAL_CT_INVALID) {
			fm |= RTE_FLOW_CONNTRACK_PKT_STATE_INVALID;
			if (s->state & DPU_HAL_CT_INVALID)
				fs |= RTE_FLOW_CONNTRACK_PKT_STATE_INVALID;
		}
		rs->ct.flags = fs;
		rm->ct.flags = fm;
		return 0;
	}
	default:
		return IERR(-ENOTSUP, i, "item %d (%s): no rte_flow equivalent", i,
			    dpu_hal_item_name(it->type));
	}
}

/* Outer headers of an encap as raw bytes (GENEVE) or VXLAN_ENCAP items. */
static int
encap_vxlan(const struct dpu_hal_action_encap *e, struct dpu_hal_rf_rule *out,
	    struct rte_flow_action_vxlan_encap *vc)
{
	union dpu_hal_rf_item_store *st = out->encap_spec;
	int n = 0;

	memset(out->encap_items, 0, sizeof(out->encap_items));
	memset(st, 0, sizeof(out->encap_spec));
	memcpy(st[n].eth.hdr.dst_addr.addr_bytes, e->eth_dst, 6);
	memcpy(st[n].eth.hdr.src_addr.addr_bytes, e->eth_src, 6);
	st[n].eth.hdr.ether_type = e->vlan_tci ? RTE_BE16(RTE_ETHER_TYPE_VLAN) :
				   e->is_ipv6 ? RTE_BE16(RTE_ETHER_TYPE_IPV6) :
						RTE_BE16(RTE_ETHER_TYPE_IPV4);
	out->encap_items[n] = (struct rte_flow_item){ RTE_FLOW_ITEM_TYPE_ETH, &st[n], NULL, NULL };
	n++;
	if (e->vlan_tci) {
		st[n].vlan.hdr.vlan_tci = e->vlan_tci;
		st[n].vlan.hdr.eth_proto = e->is_ipv6 ? RTE_BE16(RTE_ETHER_TYPE_IPV6) :
					   RTE_BE16(RTE_ETHER_TYPE_IPV4);
		out->encap_items[n] = (struct rte_flow_item){ RTE_FLOW_ITEM_TYPE_VLAN, &st[n], NULL, NULL };
		n++;
	}
	if (!e->is_ipv6) {
		st[n].ipv4.hdr.version_ihl = RTE_IPV4_VHL_DEF;
		st[n].ipv4.hdr.src_addr = e->ipv4_src;
		st[n].ipv4.hdr.dst_addr = e->ipv4_dst;
		st[n].ipv4.hdr.type_of_service = e->tos;
		st[n].ipv4.hdr.time_to_live = e->ttl ? e->ttl : 64;
		st[n].ipv4.hdr.next_proto_id = IPPROTO_UDP;
		out->encap_items[n] = (struct rte_flow_item){ RTE_FLOW_ITEM_TYPE_IPV4, &st[n], NULL, NULL };
	} else {
		memcpy(st[n].ipv6.hdr.src_addr, e->ipv6_src, 16);
		memcpy(st[n].ipv6.hdr.dst_addr, e->ipv6_dst, 16);
		st[n].ipv6.hdr.vtc_flow = rte_cpu_to_be_32(6u << 28 | (uint32_t)e->tos << 20);
		st[n].ipv6.hdr.hop_limits = e->ttl ? e->ttl : 64;
		st[n].ipv6.hdr.proto = IPPROTO_UDP;
		out->encap_items[n] = (struct rte_flow_item){ RTE_FLOW_ITEM_TYPE_IPV6, &st[n], NULL, NULL };
	}
	n++;
	st[n].udp.hdr.src_port = e->udp_src;
	st[n].udp.hdr.dst_port = e->udp_dst ? e->udp_dst : RTE_BE16(4789);
	out->encap_items[n] = (struct rte_flow_item){ RTE_FLOW_ITEM_TYPE_UDP, &st[n], NULL, NULL };
	n++;
	st[n].vxlan.flags = 0x08;
	vni_to(st[n].vxlan.vni, e->vni);
	out->encap_items[n] = (struct rte_flow_item){ RTE_FLOW_ITEM_TYPE_VXLAN, &st[n], NULL, NULL };
	n++;
	out->encap_items[n].type = RTE_FLOW_ITEM_TYPE_END;
	vc->definition = out->encap_items;
	return 0;
}

static size_t
encap_geneve_raw(const struct dpu_hal_action_encap *e, uint8_t *b)
{
	size_t off = 12;
	uint16_t v;

	memcpy(b, e->eth_dst, 6);
	memcpy(b + 6, e->eth_src, 6);
	if (e->vlan_tci) {
		v = RTE_BE16(RTE_ETHER_TYPE_VLAN);
		memcpy(b + off, &v, 2);
		memcpy(b + off + 2, &e->vlan_tci, 2);
		off += 4;
	}
	v = e->is_ipv6 ? RTE_BE16(RTE_ETHER_TYPE_IPV6) : RTE_BE16(RTE_ETHER_TYPE_IPV4);
	memcpy(b + off, &v, 2);
	off += 2;
	if (!e->is_ipv6) {
		struct rte_ipv4_hdr ip = {
			.version_ihl = RTE_IPV4_VHL_DEF, .type_of_service = e->tos,
			.fragment_offset = RTE_BE16(RTE_IPV4_HDR_DF_FLAG),
			.time_to_live = e->ttl ? e->ttl : 64, .next_proto_id = IPPROTO_UDP,
			.src_addr = e->ipv4_src, .dst_addr = e->ipv4_dst,
		};

		memcpy(b + off, &ip, sizeof(ip));
		off += sizeof(ip);
	} else {
		struct rte_ipv6_hdr ip = {
			.vtc_flow = rte_cpu_to_be_32(6u << 28 | (uint32_t)e->tos << 20),
			.proto = IPPROTO_UDP, .hop_limits = e->ttl ? e->ttl : 64,
		};

		memcpy(ip.src_addr, e->ipv6_src, 16);
		memcpy(ip.dst_addr, e->ipv6_dst, 16);
		memcpy(b + off, &ip, sizeof(ip));
		off += sizeof(ip);
	}
	{
		struct rte_udp_hdr uh = {
			.src_port = e->udp_src,
			.dst_port = e->udp_dst ? e->udp_dst : RTE_BE16(6081),
		};

		memcpy(b + off, &uh, sizeof(uh));
		off += sizeof(uh);
	}
	b[off] = e->opt_len / 4;
	b[off + 1] = 0;
	v = RTE_BE16(RTE_ETHER_TYPE_TEB);
	memcpy(b + off + 2, &v, 2);
	vni_to(b + off + 4, e->vni);
	b[off + 7] = 0;
	memcpy(b + off + 8, e->opts, e->opt_len);
	return off + 8 + e->opt_len;
}

struct abuild {
	struct dpu_hal_rf_rule *out;
	int n;
};

static struct rte_flow_action *
aput(struct abuild *ab, int hal_idx, enum rte_flow_action_type t, bool conf)
{
	struct rte_flow_action *a = &ab->out->actions[ab->n];

	if (ab->n >= DPU_HAL_RF_MAX_ACTIONS - 1)
		return NULL;
	memset(&ab->out->conf[ab->n], 0, sizeof(ab->out->conf[0]));
	a->type = t;
	a->conf = conf ? &ab->out->conf[ab->n] : NULL;
	ab->out->action_of[ab->n] = hal_idx;
	ab->n++;
	return a;
}

#define CONF(a, field) (&((union dpu_hal_rf_action_store *)(uintptr_t)(a)->conf)->field)

static int
act_fill(const struct dpu_hal_rf_conf *cf, const struct dpu_hal_attr *attr,
	 const struct dpu_hal_action *ha, int i, struct abuild *ab, struct dpu_hal_error *err)
{
	const char *name = dpu_hal_action_name(ha->type);
	struct rte_flow_action *a = NULL;

	switch (ha->type) {
	case DPU_HAL_ACTION_VOID:
		return 0;
	case DPU_HAL_ACTION_PORT: {
		const struct dpu_hal_action_port *p = ha->conf;

		if (p->port_id > UINT16_MAX)
			return AERR(-EINVAL, i, "action %d (PORT): %u is not a DPDK port id", i, p->port_id);
		if (attr->transfer) {
			a = aput(ab, i, RTE_FLOW_ACTION_TYPE_REPRESENTED_PORT, true);
			if (a)
				CONF(a, ethdev)->port_id = p->port_id;
		} else {
			a = aput(ab, i, RTE_FLOW_ACTION_TYPE_PORT_ID, true);
			if (a)
				CONF(a, port_id)->id = p->port_id;
		}
		break;
	}
	case DPU_HAL_ACTION_DROP:
		a = aput(ab, i, RTE_FLOW_ACTION_TYPE_DROP, false);
		break;
	case DPU_HAL_ACTION_JUMP:
		a = aput(ab, i, RTE_FLOW_ACTION_TYPE_JUMP, true);
		if (a)
			CONF(a, jump)->group = ((const struct dpu_hal_action_jump *)ha->conf)->group;
		break;
	case DPU_HAL_ACTION_TO_SW: {
		const struct dpu_hal_action_to_sw *t = ha->conf;

		/* the reason travels as the MARK the software reads from the mbuf */
		a = aput(ab, i, RTE_FLOW_ACTION_TYPE_MARK, true);
		if (a)
			CONF(a, mark)->id = t ? t->reason : 0;
		if (attr->transfer) {
			a = aput(ab, i, RTE_FLOW_ACTION_TYPE_REPRESENTED_PORT, true);
			if (a)
				CONF(a, ethdev)->port_id = cf->sw_port;
		} else {
			a = aput(ab, i, RTE_FLOW_ACTION_TYPE_QUEUE, true);
			if (a)
				CONF(a, queue)->index = cf->sw_queue;
		}
		break;
	}
	case DPU_HAL_ACTION_COUNT:
		a = aput(ab, i, RTE_FLOW_ACTION_TYPE_COUNT, true);
		ab->out->has_count = true;
		break;
	case DPU_HAL_ACTION_MARK:
		a = aput(ab, i, RTE_FLOW_ACTION_TYPE_MARK, true);
		if (a)
			CONF(a, mark)->id = ((const struct dpu_hal_action_mark *)ha->conf)->id;
		break;
	case DPU_HAL_ACTION_SET_META: {
		const struct dpu_hal_action_set_meta *m = ha->conf;

		a = aput(ab, i, RTE_FLOW_ACTION_TYPE_SET_META, true);
		if (a) {
			CONF(a, meta)->data = m->data;
			CONF(a, meta)->mask = m->mask;
		}
		break;
	}
	case DPU_HAL_ACTION_SET_TAG: {
		const struct dpu_hal_action_set_tag *t = ha->conf;

		a = aput(ab, i, RTE_FLOW_ACTION_TYPE_SET_TAG, true);
		if (a) {
			CONF(a, tag)->data = t->data;
			CONF(a, tag)->mask = t->mask;
			CONF(a, tag)->index = t->index;
		}
		break;
	}
	case DPU_HAL_ACTION_PUSH_VLAN: {
		const struct dpu_hal_action_push_vlan *p = ha->conf;
		uint16_t tci = rte_be_to_cpu_16(p->tci);

		a = aput(ab, i, RTE_FLOW_ACTION_TYPE_OF_PUSH_VLAN, true);
		if (a)
			CONF(a, push)->ethertype = p->tpid;
		if (a && (a = aput(ab, i, RTE_FLOW_ACTION_TYPE_OF_SET_VLAN_VID, true)))
			CONF(a, vid)->vlan_vid = rte_cpu_to_be_16(tci & 0xfff);
		if (a && (a = aput(ab, i, RTE_FLOW_ACTION_TYPE_OF_SET_VLAN_PCP, true)))
			CONF(a, pcp)->vlan_pcp = tci >> 13;
		break;
	}
	case DPU_HAL_ACTION_POP_VLAN:
		a = aput(ab, i, RTE_FLOW_ACTION_TYPE_OF_POP_VLAN, false);
		break;
	case DPU_HAL_ACTION_SET_VLAN_VID:
		a = aput(ab, i, RTE_FLOW_ACTION_TYPE_OF_SET_VLAN_VID, true);
		if (a)
			CONF(a, vid)->vlan_vid = ((const struct dpu_hal_action_set_vlan_vid *)ha->conf)->vid;
		break;
	case DPU_HAL_ACTION_SET_VLAN_PCP:
		a = aput(ab, i, RTE_FLOW_ACTION_TYPE_OF_SET_VLAN_PCP, true);
		if (a)
			CONF(a, pcp)->vlan_pcp = ((const struct dpu_hal_action_set_vlan_pcp *)ha->conf)->pcp;
		break;
	case DPU_HAL_ACTION_TUNNEL_ENCAP: {
		const struct dpu_hal_action_encap *e = ha->conf;

		if (e->vni > 0xffffff || e->opt_len % 4 || e->opt_len > DPU_HAL_GENEVE_OPT_MAX)
			return AERR(-EINVAL, i, "action %d (TUNNEL_ENCAP): bad vni/opt_len", i);
		if (e->type == DPU_HAL_TUNNEL_VXLAN) {
			if (e->opt_len)
				return AERR(-EINVAL, i, "action %d (TUNNEL_ENCAP): VXLAN has no options", i);
			a = aput(ab, i, RTE_FLOW_ACTION_TYPE_VXLAN_ENCAP, true);
			if (a)
				encap_vxlan(e, ab->out, CONF(a, vxlan));
		} else if (e->type == DPU_HAL_TUNNEL_GENEVE) {
			a = aput(ab, i, RTE_FLOW_ACTION_TYPE_RAW_ENCAP, true);
			if (a) {
				CONF(a, raw_encap)->size = encap_geneve_raw(e, ab->out->raw);
				CONF(a, raw_encap)->data = ab->out->raw;
			}
		} else {
			return AERR(-EINVAL, i, "action %d (TUNNEL_ENCAP): unknown tunnel type %d", i,
				    e->type);
		}
		break;
	}
	case DPU_HAL_ACTION_TUNNEL_DECAP: {
		const struct dpu_hal_action_decap *d = ha->conf;

		if (d == NULL || d->type == DPU_HAL_TUNNEL_VXLAN) {
			a = aput(ab, i, RTE_FLOW_ACTION_TYPE_VXLAN_DECAP, false);
		} else {
			/* mlx5 strips the whole outer stack for RAW_DECAP of L2 tunnels */
			a = aput(ab, i, RTE_FLOW_ACTION_TYPE_RAW_DECAP, true);
			if (a) {
				CONF(a, raw_decap)->data = NULL;
				CONF(a, raw_decap)->size = 14 + 20 + 8 + 8;
			}
		}
		break;
	}
	case DPU_HAL_ACTION_SET_MAC_SRC:
	case DPU_HAL_ACTION_SET_MAC_DST:
		a = aput(ab, i, ha->type == DPU_HAL_ACTION_SET_MAC_SRC ?
			 RTE_FLOW_ACTION_TYPE_SET_MAC_SRC : RTE_FLOW_ACTION_TYPE_SET_MAC_DST, true);
		if (a)
			memcpy(CONF(a, mac)->mac_addr,
			       ((const struct dpu_hal_action_set_mac *)ha->conf)->mac, 6);
		break;
	case DPU_HAL_ACTION_SET_IPV4_SRC:
	case DPU_HAL_ACTION_SET_IPV4_DST:
		a = aput(ab, i, ha->type == DPU_HAL_ACTION_SET_IPV4_SRC ?
			 RTE_FLOW_ACTION_TYPE_SET_IPV4_SRC : RTE_FLOW_ACTION_TYPE_SET_IPV4_DST, true);
		if (a)
			CONF(a, ipv4)->ipv4_addr = ((const struct dpu_hal_action_set_ipv4 *)ha->conf)->addr;
		break;
	case DPU_HAL_ACTION_SET_IPV6_SRC:
	case DPU_HAL_ACTION_SET_IPV6_DST:
		a = aput(ab, i, ha->type == DPU_HAL_ACTION_SET_IPV6_SRC ?
			 RTE_FLOW_ACTION_TYPE_SET_IPV6_SRC : RTE_FLOW_ACTION_TYPE_SET_IPV6_DST, true);
		if (a)
			memcpy(CONF(a, ipv6)->ipv6_addr,
			       ((const struct dpu_hal_action_set_ipv6 *)ha->conf)->addr, 16);
		break;
	case DPU_HAL_ACTION_SET_TP_SRC:
	case DPU_HAL_ACTION_SET_TP_DST:
		a = aput(ab, i, ha->type == DPU_HAL_ACTION_SET_TP_SRC ?
			 RTE_FLOW_ACTION_TYPE_SET_TP_SRC : RTE_FLOW_ACTION_TYPE_SET_TP_DST, true);
		if (a)
			CONF(a, tp)->port = ((const struct dpu_hal_action_set_tp *)ha->conf)->port;
		break;
	case DPU_HAL_ACTION_DEC_TTL:
		a = aput(ab, i, RTE_FLOW_ACTION_TYPE_DEC_TTL, false);
		break;
	case DPU_HAL_ACTION_METER:
		a = aput(ab, i, RTE_FLOW_ACTION_TYPE_METER, true);
		if (a)
			CONF(a, meter)->mtr_id = ((const struct dpu_hal_action_meter *)ha->conf)->meter_id;
		break;
	case DPU_HAL_ACTION_AGE: {
		const struct dpu_hal_action_age *g = ha->conf;

		if (g->timeout > 0xffffff)
			return AERR(-EINVAL, i, "action %d (AGE): timeout exceeds 24 bits", i);
		a = aput(ab, i, RTE_FLOW_ACTION_TYPE_AGE, true);
		if (a) {
			CONF(a, age)->timeout = g->timeout;
			CONF(a, age)->context = g->context;
		}
		break;
	}
	case DPU_HAL_ACTION_SAMPLE: {
		const struct dpu_hal_action_sample *s = ha->conf;
		int k = 0;

		for (int j = 0; s->actions[j].type != DPU_HAL_ACTION_END && k < 3; j++) {
			const struct dpu_hal_action *sa = &s->actions[j];
			struct rte_flow_action *d = &ab->out->sample_sub[k];
			union dpu_hal_rf_action_store *dc = &ab->out->sample_conf[k];

			memset(dc, 0, sizeof(*dc));
			if (sa->type == DPU_HAL_ACTION_PORT) {
				uint32_t port = ((const struct dpu_hal_action_port *)sa->conf)->port_id;

				if (attr->transfer) {
					d->type = RTE_FLOW_ACTION_TYPE_REPRESENTED_PORT;
					dc->ethdev.port_id = port;
				} else {
					d->type = RTE_FLOW_ACTION_TYPE_PORT_ID;
					dc->port_id.id = port;
				}
				d->conf = dc;
			} else if (sa->type == DPU_HAL_ACTION_TO_SW) {
				d->type = attr->transfer ? RTE_FLOW_ACTION_TYPE_REPRESENTED_PORT :
							   RTE_FLOW_ACTION_TYPE_QUEUE;
				if (attr->transfer)
					dc->ethdev.port_id = cf->sw_port;
				else
					dc->queue.index = cf->sw_queue;
				d->conf = dc;
			} else if (sa->type == DPU_HAL_ACTION_COUNT) {
				d->type = RTE_FLOW_ACTION_TYPE_COUNT;
				d->conf = dc;
			} else {
				continue;
			}
			k++;
		}
		ab->out->sample_sub[k].type = RTE_FLOW_ACTION_TYPE_END;
		ab->out->sample_sub[k].conf = NULL;
		a = aput(ab, i, RTE_FLOW_ACTION_TYPE_SAMPLE, true);
		if (a) {
			CONF(a, sample)->ratio = s->ratio;
			CONF(a, sample)->actions = ab->out->sample_sub;
		}
		break;
	}
	default:
		return AERR(-ENOTSUP, i, "action %d (%s): not mapped to rte_flow yet", i, name);
	}
	if (a == NULL)
		return AERR(-E2BIG, i, "action %d (%s): rte_flow action list too long", i, name);
	return 0;
}

int
dpu_hal_rf_translate(const struct dpu_hal_rf_conf *cf, const struct dpu_hal_attr *attr,
		     const struct dpu_hal_item *pattern, const struct dpu_hal_action *actions,
		     struct dpu_hal_rf_rule *out, struct dpu_hal_error *err)
{
	struct abuild ab = { .out = out };
	int ret, n = 0;

	ret = dpu_hal_check_rule(attr, pattern, actions, err);
	if (ret < 0)
		return ret;
	memset(&out->attr, 0, sizeof(out->attr));
	out->attr.group = attr->group;
	out->attr.priority = attr->priority;
	out->attr.ingress = attr->ingress;
	out->attr.egress = attr->egress;
	out->attr.transfer = attr->transfer;
	out->has_count = false;
	for (int i = 0; pattern[i].type != DPU_HAL_ITEM_END; i++) {
		if (pattern[i].type == DPU_HAL_ITEM_VOID)
			continue;
		ret = item_fill(cf, attr->transfer, &pattern[i], i, &out->items[n], &out->spec[n],
				&out->mask[n], &out->last[n], out, err);
		if (ret < 0)
			return ret;
		out->item_of[n++] = i;
	}
	out->items[n] = (struct rte_flow_item){ .type = RTE_FLOW_ITEM_TYPE_END };
	out->item_of[n] = -1;
	for (int i = 0; actions[i].type != DPU_HAL_ACTION_END; i++) {
		ret = act_fill(cf, attr, &actions[i], i, &ab, err);
		if (ret < 0)
			return ret;
	}
	out->actions[ab.n] = (struct rte_flow_action){ .type = RTE_FLOW_ACTION_TYPE_END };
	out->action_of[ab.n] = -1;
	return 0;
}

/* -------------------------------------------------------------- provider */

struct rf_flow {
	struct rte_flow *f;
	bool has_count;
};

struct rf_dev {
	struct dpu_hal_rf_conf cf;
	struct dpu_hal_op_result *done;
	uint32_t ndone, cap;
};

/* rte_flow_error -> dpu_hal_error, pointing at the HAL item/action. */
static int
from_rte(struct rf_dev *d, const struct dpu_hal_rf_rule *r, int code,
	 const struct rte_flow_error *re, const char *op, struct dpu_hal_error *err)
{
	enum dpu_hal_error_what what = DPU_HAL_ERR_DEVICE;
	const char *why = "";
	int idx = -1;

	if (code == ENOSYS) {
		why = "port has no rte_flow support: ";
		code = ENOTSUP;
	}
	if (r != NULL && re->cause != NULL) {
		for (int i = 0; i <= DPU_HAL_MAX_ITEMS && r->items[i].type != RTE_FLOW_ITEM_TYPE_END; i++)
			if (re->cause == &r->items[i] || re->cause == r->items[i].spec ||
			    re->cause == r->items[i].mask) {
				what = DPU_HAL_ERR_ITEM;
				idx = r->item_of[i];
			}
		for (int i = 0; i < DPU_HAL_RF_MAX_ACTIONS && r->actions[i].type != RTE_FLOW_ACTION_TYPE_END; i++)
			if (re->cause == &r->actions[i] || re->cause == r->actions[i].conf) {
				what = DPU_HAL_ERR_ACTION;
				idx = r->action_of[i];
			}
	}
	return dpu_hal_set_error(err, -code, what, idx, "%s on port %u: %s%s (rte_flow error type %d)",
				 op, d->cf.port_id, why, re->message ? re->message : strerror(code),
				 re->type);
}

static int
rf_open(const char *args, void **priv, struct dpu_hal_error *err)
{
	char buf[128], *save = NULL, *tok;
	struct rf_dev *d = calloc(1, sizeof(*d));
	bool have_port = false, have_sw = false;

	if (d == NULL)
		return dpu_hal_set_error(err, -ENOMEM, DPU_HAL_ERR_DEVICE, -1, "out of memory");
	snprintf(buf, sizeof(buf), "%s", args ? args : "");
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		unsigned long v;
		char *eq = strchr(tok, '=');

		if (eq == NULL)
			goto bad;
		*eq++ = 0;
		v = strtoul(eq, NULL, 0);
		if (!strcmp(tok, "port")) {
			d->cf.port_id = v;
			have_port = true;
		} else if (!strcmp(tok, "sw_port")) {
			d->cf.sw_port = v;
			have_sw = true;
		} else if (!strcmp(tok, "sw_queue")) {
			d->cf.sw_queue = v;
		} else {
			goto bad;
		}
	}
	if (!have_port || !rte_eth_dev_is_valid_port(d->cf.port_id)) {
		free(d);
		return dpu_hal_set_error(err, -ENODEV, DPU_HAL_ERR_DEVICE, -1,
					 "rte_flow: args need port=N of a valid DPDK port");
	}
	if (!have_sw)
		d->cf.sw_port = d->cf.port_id;
	*priv = d;
	return 0;
bad:
	free(d);
	return dpu_hal_set_error(err, -EINVAL, DPU_HAL_ERR_DEVICE, -1,
				 "rte_flow: bad argument '%s' (port=, sw_port=, sw_queue=)", tok);
}

static void
rf_close(void *priv)
{
	struct rf_dev *d = priv;

	free(d->done);
	free(d);
}

static int
rf_caps(void *priv, struct dpu_hal_caps *caps)
{
	struct rf_dev *d = priv;
	struct rte_flow_port_info pi;
	struct rte_flow_queue_info qi;
	struct rte_flow_error re;

	memset(caps, 0, sizeof(*caps));
	caps->nb_queues = 1;
	if (rte_flow_info_get(d->cf.port_id, &pi, &qi, &re) == 0) {
		caps->max_meters = pi.max_nb_meters;
		caps->max_rules = pi.max_nb_counters;
	}
	caps->async_native = 0;
	return 0;
}

static int
rf_validate(void *priv, const struct dpu_hal_attr *attr, const struct dpu_hal_item *pattern,
	    const struct dpu_hal_action *actions, struct dpu_hal_error *err)
{
	struct rf_dev *d = priv;
	struct dpu_hal_rf_rule *r = malloc(sizeof(*r));
	struct rte_flow_error re = { 0 };
	int ret;

	if (r == NULL)
		return dpu_hal_set_error(err, -ENOMEM, DPU_HAL_ERR_DEVICE, -1, "out of memory");
	ret = dpu_hal_rf_translate(&d->cf, attr, pattern, actions, r, err);
	if (ret == 0) {
		ret = rte_flow_validate(d->cf.port_id, &r->attr, r->items, r->actions, &re);
		if (ret != 0)
			ret = from_rte(d, r, -ret, &re, "rte_flow_validate", err);
	}
	free(r);
	return ret;
}

static int
rf_create(void *priv, const struct dpu_hal_attr *attr, const struct dpu_hal_item *pattern,
	  const struct dpu_hal_action *actions, struct dpu_hal_flow **flow,
	  struct dpu_hal_error *err)
{
	struct rf_dev *d = priv;
	struct dpu_hal_rf_rule *r = malloc(sizeof(*r));
	struct rte_flow_error re = { 0 };
	struct rf_flow *f;
	int ret;

	if (r == NULL)
		return dpu_hal_set_error(err, -ENOMEM, DPU_HAL_ERR_DEVICE, -1, "out of memory");
	ret = dpu_hal_rf_translate(&d->cf, attr, pattern, actions, r, err);
	if (ret < 0)
		goto out;
	f = calloc(1, sizeof(*f));
	if (f == NULL) {
		ret = dpu_hal_set_error(err, -ENOMEM, DPU_HAL_ERR_DEVICE, -1, "out of memory");
		goto out;
	}
	f->f = rte_flow_create(d->cf.port_id, &r->attr, r->items, r->actions, &re);
	if (f->f == NULL) {
		ret = from_rte(d, r, re.type == RTE_FLOW_ERROR_TYPE_NONE ? EIO : rte_errno, &re,
			       "rte_flow_create", err);
		free(f);
		goto out;
	}
	f->has_count = r->has_count;
	*flow = (struct dpu_hal_flow *)f;
out:
	free(r);
	return ret;
}

static int
rf_destroy(void *priv, struct dpu_hal_flow *flow, struct dpu_hal_error *err)
{
	struct rf_dev *d = priv;
	struct rf_flow *f = (struct rf_flow *)flow;
	struct rte_flow_error re = { 0 };
	int ret = rte_flow_destroy(d->cf.port_id, f->f, &re);

	if (ret != 0)
		return from_rte(d, NULL, -ret, &re, "rte_flow_destroy", err);
	free(f);
	return 0;
}

static int
rf_query(void *priv, struct dpu_hal_flow *flow, bool reset, struct dpu_hal_count *out,
	 struct dpu_hal_error *err)
{
	struct rf_dev *d = priv;
	struct rf_flow *f = (struct rf_flow *)flow;
	struct rte_flow_query_count qc = { .reset = reset };
	const struct rte_flow_action act[] = {
		{ .type = RTE_FLOW_ACTION_TYPE_COUNT },
		{ .type = RTE_FLOW_ACTION_TYPE_END },
	};
	struct rte_flow_error re = { 0 };
	int ret;

	if (!f->has_count)
		return dpu_hal_set_error(err, -ENOTSUP, DPU_HAL_ERR_FLOW, -1, "flow has no COUNT action");
	ret = rte_flow_query(d->cf.port_id, f->f, act, &qc, &re);
	if (ret != 0)
		return from_rte(d, NULL, -ret, &re, "rte_flow_query", err);
	memset(out, 0, sizeof(*out));
	out->hits = qc.hits;
	out->bytes = qc.bytes;
	out->hits_set = qc.hits_set;
	out->bytes_set = qc.bytes_set;
	return 0;
}

static int
rf_flush(void *priv, struct dpu_hal_error *err)
{
	struct rf_dev *d = priv;
	struct rte_flow_error re = { 0 };
	int ret = rte_flow_flush(d->cf.port_id, &re);

	/* the HAL handles of flushed rules are the caller's to forget */
	if (ret != 0)
		return from_rte(d, NULL, -ret, &re, "rte_flow_flush", err);
	return 0;
}

static int
rf_aged(void *priv, void **ctx, uint32_t n, struct dpu_hal_error *err)
{
	struct rf_dev *d = priv;
	struct rte_flow_error re = { 0 };
	int ret = rte_flow_get_aged_flows(d->cf.port_id, ctx, n, &re);

	if (ret < 0)
		return from_rte(d, NULL, -ret, &re, "rte_flow_get_aged_flows", err);
	return ret;
}

static int
rf_group_miss(void *priv, uint32_t group, enum dpu_hal_miss miss, struct dpu_hal_error *err)
{
	(void)priv;
	(void)group;
	/* DPDK 22.11 has no group miss API: a lowest-priority catch-all rule does it */
	return dpu_hal_set_error(err, miss == DPU_HAL_MISS_TO_SW ? 0 : -ENOTSUP,
				 DPU_HAL_ERR_DEVICE, -1,
				 "rte_flow (DPDK 22.11): no group miss API; add a catch-all rule");
}

static int
done_add(struct rf_dev *d, int status, void *ud, struct dpu_hal_flow *f)
{
	if (d->ndone == d->cap) {
		uint32_t nc = d->cap ? d->cap * 2 : 64;
		struct dpu_hal_op_result *n = realloc(d->done, nc * sizeof(*n));

		if (n == NULL)
			return -ENOMEM;
		d->done = n;
		d->cap = nc;
	}
	d->done[d->ndone++] = (struct dpu_hal_op_result){ status, ud, f };
	return 0;
}

static int
rf_async_create(void *priv, uint32_t queue, const struct dpu_hal_attr *attr,
		const struct dpu_hal_item *pattern, const struct dpu_hal_action *actions,
		void *ud, struct dpu_hal_flow **flow, struct dpu_hal_error *err)
{
	int ret;

	(void)queue;
	ret = rf_create(priv, attr, pattern, actions, flow, err);
	if (ret < 0)
		return ret;	/* emulated: errors are immediate */
	if (done_add(priv, 0, ud, *flow) < 0) {
		rf_destroy(priv, *flow, NULL);
		return dpu_hal_set_error(err, -ENOMEM, DPU_HAL_ERR_DEVICE, -1, "out of memory");
	}
	return 0;
}

static int
rf_async_destroy(void *priv, uint32_t queue, struct dpu_hal_flow *flow, void *ud,
		 struct dpu_hal_error *err)
{
	int ret;

	(void)queue;
	ret = rf_destroy(priv, flow, err);
	if (ret < 0)
		return ret;
	return done_add(priv, 0, ud, flow);
}

static int
rf_push(void *priv, uint32_t queue, struct dpu_hal_error *err)
{
	(void)priv;
	(void)queue;
	(void)err;
	return 0;
}

static int
rf_pull(void *priv, uint32_t queue, struct dpu_hal_op_result *res, uint32_t n,
	struct dpu_hal_error *err)
{
	struct rf_dev *d = priv;
	uint32_t k = d->ndone < n ? d->ndone : n;

	(void)queue;
	(void)err;
	if (k == 0)
		return 0;
	memcpy(res, d->done, k * sizeof(*res));
	memmove(d->done, d->done + k, (d->ndone - k) * sizeof(*res));
	d->ndone -= k;
	return k;
}

static int
mtr_err(struct rf_dev *d, int ret, const struct rte_mtr_error *me, const char *op,
	struct dpu_hal_error *err)
{
	const char *why = "";

	if (ret == -ENOSYS) {
		why = "port has no rte_mtr support: ";
		ret = -ENOTSUP;
	}
	return dpu_hal_set_error(err, ret, DPU_HAL_ERR_DEVICE, -1, "%s on port %u: %s%s", op,
				 d->cf.port_id, why, me->message ? me->message : strerror(-ret));
}

static int
rf_meter_create(void *priv, uint32_t id, const struct dpu_hal_meter_conf *c,
		struct dpu_hal_error *err)
{
	struct rf_dev *d = priv;
	struct rte_mtr_meter_profile mp = { 0 };
	struct rte_mtr_params p = { 0 };
	struct rte_mtr_error me = { 0 };
	int ret;

	if (c->alg == DPU_HAL_METER_SRTCM) {
		mp.alg = RTE_MTR_SRTCM_RFC2697;
		mp.srtcm_rfc2697.cir = c->cir;
		mp.srtcm_rfc2697.cbs = c->cbs;
		mp.srtcm_rfc2697.ebs = c->ebs;
	} else {
		mp.alg = RTE_MTR_TRTCM_RFC2698;
		mp.trtcm_rfc2698.cir = c->cir;
		mp.trtcm_rfc2698.pir = c->pir;
		mp.trtcm_rfc2698.cbs = c->cbs;
		mp.trtcm_rfc2698.pbs = c->pbs;
	}
	/* one profile per meter, same id: simple and enough for the HAL */
	ret = rte_mtr_meter_profile_add(d->cf.port_id, id, &mp, &me);
	if (ret != 0)
		return mtr_err(d, ret, &me, "rte_mtr_meter_profile_add", err);
	p.meter_profile_id = id;
	p.meter_enable = 1;
	p.use_prev_mtr_color = 0;
	ret = rte_mtr_create(d->cf.port_id, id, &p, 1, &me);
	if (ret != 0) {
		rte_mtr_meter_profile_delete(d->cf.port_id, id, NULL);
		return mtr_err(d, ret, &me, "rte_mtr_create", err);
	}
	return 0;
}

static int
rf_meter_destroy(void *priv, uint32_t id, struct dpu_hal_error *err)
{
	struct rf_dev *d = priv;
	struct rte_mtr_error me = { 0 };
	int ret = rte_mtr_destroy(d->cf.port_id, id, &me);

	if (ret != 0)
		return mtr_err(d, ret, &me, "rte_mtr_destroy", err);
	rte_mtr_meter_profile_delete(d->cf.port_id, id, &me);
	return 0;
}

static int
rf_meter_stats(void *priv, uint32_t id, struct dpu_hal_meter_stats *st,
	       struct dpu_hal_error *err)
{
	struct rf_dev *d = priv;
	struct rte_mtr_stats s = { 0 };
	struct rte_mtr_error me = { 0 };
	uint64_t mask = 0;
	int ret = rte_mtr_stats_read(d->cf.port_id, id, &s, &mask, 0, &me);

	if (ret != 0)
		return mtr_err(d, ret, &me, "rte_mtr_stats_read", err);
	for (int c = 0; c < 3; c++) {
		st->pkts[c] = s.n_pkts[c];
		st->bytes[c] = s.n_bytes[c];
	}
	st->dropped = s.n_pkts_dropped;
	return 0;
}

const struct dpu_hal_class dpu_hal_rte_flow_class = {
	.name = "rte_flow",
	.open = rf_open,
	.close = rf_close,
	.caps = rf_caps,
	.validate = rf_validate,
	.create = rf_create,
	.destroy = rf_destroy,
	.query_count = rf_query,
	.flush = rf_flush,
	.aged_flows = rf_aged,
	.set_group_miss = rf_group_miss,
	.async_create = rf_async_create,
	.async_destroy = rf_async_destroy,
	.push = rf_push,
	.pull = rf_pull,
	.meter_create = rf_meter_create,
	.meter_destroy = rf_meter_destroy,
	.meter_stats = rf_meter_stats,
};
