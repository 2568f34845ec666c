/* SPDX-License-Identifier: BSD-3-Clause */
#include "fw_flow_xlate.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "dpu_abi_codec.h"

struct xlate {
	struct fw_hal_rule *r;
	char *why;
	size_t why_len;
	/* the ABI items, by type, once each (the codec proved order/uniqueness) */
	const struct dpu_abi_item_hdr *item[DPU_ABI_ITEM_TYPE_MAX];
};

__attribute__((format(printf, 2, 3)))
static uint16_t refuse(struct xlate *x, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(x->why, x->why_len, fmt, ap);
	va_end(ap);
	return DPU_ABI_E_NOT_SUPPORTED;
}

static int is_zero(const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i])
			return 0;
	return 1;
}

/* Append a pattern entry; returns its spec/mask slots (zeroed). */
static union fw_hal_item_buf *add_item(struct fw_hal_rule *r, enum dpu_hal_item_type t,
				       union fw_hal_item_buf **mask)
{
	int i = r->n_items++;

	memset(&r->spec[i], 0, sizeof(r->spec[i]));
	memset(&r->mask[i], 0, sizeof(r->mask[i]));
	r->pattern[i] = (struct dpu_hal_item){ .type = t, .spec = &r->spec[i],
					       .mask = &r->mask[i] };
	*mask = &r->mask[i];
	return &r->spec[i];
}

static uint16_t xlate_tunnel(struct xlate *x, const struct dpu_abi_item_tunnel *s,
			     const struct dpu_abi_item_tunnel *m)
{
	struct fw_hal_rule *r = x->r;
	union fw_hal_item_buf *sp, *mk;

	/* Outer Ethernet: present, any addresses. */
	r->pattern[r->n_items++] = (struct dpu_hal_item){ .type = DPU_HAL_ITEM_ETH };
	if (s->ip_version == 4) {
		sp = add_item(r, DPU_HAL_ITEM_IPV4, &mk);
		memcpy(&sp->ipv4.src, s->src, 4);
		memcpy(&mk->ipv4.src, m->src, 4);
		memcpy(&sp->ipv4.dst, s->dst, 4);
		memcpy(&mk->ipv4.dst, m->dst, 4);
		sp->ipv4.tos = s->tos, mk->ipv4.tos = m->tos;
		sp->ipv4.ttl = s->ttl, mk->ipv4.ttl = m->ttl;
		sp->ipv4.proto = 17, mk->ipv4.proto = 0xff;
	} else {
		sp = add_item(r, DPU_HAL_ITEM_IPV6, &mk);
		memcpy(sp->ipv6.src, s->src, 16);
		memcpy(mk->ipv6.src, m->src, 16);
		memcpy(sp->ipv6.dst, s->dst, 16);
		memcpy(mk->ipv6.dst, m->dst, 16);
		sp->ipv6.tc = s->tos, mk->ipv6.tc = m->tos;
		sp->ipv6.hop_limit = s->ttl, mk->ipv6.hop_limit = m->ttl;
		sp->ipv6.proto = 17, mk->ipv6.proto = 0xff;
	}
	sp = add_item(r, DPU_HAL_ITEM_UDP, &mk);
	sp->l4.src = s->src_port, mk->l4.src = m->src_port;
	sp->l4.dst = s->dst_port, mk->l4.dst = m->dst_port;
	sp = add_item(r, s->type == DPU_ABI_TUNNEL_VXLAN ? DPU_HAL_ITEM_VXLAN
							  : DPU_HAL_ITEM_GENEVE, &mk);
	sp->tunnel.vni = ntohl(s->vni) & 0xffffff;
	mk->tunnel.vni = ntohl(m->vni) & 0xffffff;
	return DPU_ABI_OK;
}

static uint16_t xlate_geneve_opt(struct xlate *x, const struct dpu_abi_item_geneve_opt *s,
				 const struct dpu_abi_item_geneve_opt *m)
{
	union fw_hal_item_buf *sp, *mk;

	if (!x->item[DPU_ABI_ITEM_TUNNEL])
		return refuse(x, "items.geneve_opt: needs a tunnel item");
	/* The eSwitch matches the first option data word, as mlx5 does. */
	if (!is_zero(m->data + 4, sizeof(m->data) - 4))
		return refuse(x, "items.geneve_opt.data: only the first 4 bytes can be matched");
	sp = add_item(x->r, DPU_HAL_ITEM_GENEVE_OPT, &mk);
	sp->gopt.opt_class = s->opt_class, mk->gopt.opt_class = m->opt_class;
	sp->gopt.opt_type = s->opt_type, mk->gopt.opt_type = m->opt_type;
	sp->gopt.opt_len = s->opt_len, mk->gopt.opt_len = m->opt_len;
	memcpy(&sp->gopt.data, s->data, 4);
	memcpy(&mk->gopt.data, m->data, 4);
	return DPU_ABI_OK;
}

/* ABI ct_state bits -> HAL conntrack bits. */
static uint8_t ct_bits(uint16_t s)
{
	return (uint8_t)(((s & DPU_ABI_CT_TRACKED) ? DPU_HAL_CT_VALID : 0) |
			 ((s & DPU_ABI_CT_NEW) ? DPU_HAL_CT_NEW : 0) |
			 ((s & DPU_ABI_CT_ESTABLISHED) ? DPU_HAL_CT_ESTABLISHED : 0) |
			 ((s & DPU_ABI_CT_RELATED) ? DPU_HAL_CT_RELATED : 0) |
			 ((s & DPU_ABI_CT_INVALID) ? DPU_HAL_CT_INVALID : 0) |
			 ((s & DPU_ABI_CT_REPLY) ? DPU_HAL_CT_REPLY : 0));
}

#define SPEC(t, it) ((const t *)dpu_abi_item_spec(it))
#define MASK(t, it) ((const t *)dpu_abi_item_mask(it))

static uint16_t xlate_pattern(struct xlate *x)
{
	struct fw_hal_rule *r = x->r;
	const struct dpu_abi_item_hdr *it;
	union fw_hal_item_buf *sp, *mk;
	uint16_t rc;

	if ((it = x->item[DPU_ABI_ITEM_PORT])) {
		sp = add_item(r, DPU_HAL_ITEM_PORT, &mk);
		sp->port.port_id = SPEC(struct dpu_abi_item_port, it)->port_id;
		mk->port.port_id = MASK(struct dpu_abi_item_port, it)->port_id;
	}
	if ((it = x->item[DPU_ABI_ITEM_META])) {
		sp = add_item(r, DPU_HAL_ITEM_META, &mk);
		sp->meta.data = SPEC(struct dpu_abi_item_meta, it)->data;
		mk->meta.data = MASK(struct dpu_abi_item_meta, it)->data;
	}
	if ((it = x->item[DPU_ABI_ITEM_TAG])) {
		const struct dpu_abi_item_tag *s = SPEC(struct dpu_abi_item_tag, it);

		if (s->index >= DPU_HAL_TAG_MAX)
			return refuse(x, "items.tag.index: %u, this card has %d tag registers",
				      s->index, DPU_HAL_TAG_MAX);
		sp = add_item(r, DPU_HAL_ITEM_TAG, &mk);
		sp->tag.data = s->data;
		sp->tag.index = s->index;
		mk->tag.data = MASK(struct dpu_abi_item_tag, it)->data;
		mk->tag.index = 0xff;
	}
	if ((it = x->item[DPU_ABI_ITEM_MARK])) {
		sp = add_item(r, DPU_HAL_ITEM_MARK, &mk);
		sp->mark.id = SPEC(struct dpu_abi_item_mark, it)->id;
		mk->mark.id = MASK(struct dpu_abi_item_mark, it)->id;
	}
	if ((it = x->item[DPU_ABI_ITEM_CT])) {
		const struct dpu_abi_item_ct *s = SPEC(struct dpu_abi_item_ct, it);
		const struct dpu_abi_item_ct *m = MASK(struct dpu_abi_item_ct, it);

		if (!is_zero(m->label, sizeof(m->label)))
			return refuse(x, "items.ct.label: conntrack labels are not matched by this card");
		sp = add_item(r, DPU_HAL_ITEM_CONNTRACK, &mk);
		sp->ct.state = ct_bits(s->state), mk->ct.state = ct_bits(m->state);
		sp->ct.zone = s->zone, mk->ct.zone = m->zone;
		sp->ct.mark = s->mark, mk->ct.mark = m->mark;
	}
	if ((it = x->item[DPU_ABI_ITEM_TUNNEL])) {
		rc = xlate_tunnel(x, SPEC(struct dpu_abi_item_tunnel, it),
				  MASK(struct dpu_abi_item_tunnel, it));
		if (rc)
			return rc;
	}
	if ((it = x->item[DPU_ABI_ITEM_GENEVE_OPT])) {
		rc = xlate_geneve_opt(x, SPEC(struct dpu_abi_item_geneve_opt, it),
				      MASK(struct dpu_abi_item_geneve_opt, it));
		if (rc)
			return rc;
	}
	if (x->item[DPU_ABI_ITEM_ARP])
		return refuse(x, "items.arp: ARP fields are not matched in hardware");

	/*
	 * Ethernet and tags: the ABI's ether_type is the type after every tag
	 * (flower), rte_flow's is the one in the Ethernet header; the tag's
	 * inner_type carries the rest.
	 */
	const struct dpu_abi_item_hdr *eth = x->item[DPU_ABI_ITEM_ETH];
	const struct dpu_abi_item_hdr *v1 = x->item[DPU_ABI_ITEM_VLAN];
	const struct dpu_abi_item_hdr *v2 = x->item[DPU_ABI_ITEM_VLAN_INNER];
	union fw_hal_item_buf *eth_sp = NULL, *eth_mk = NULL, *last_sp = NULL, *last_mk = NULL;
	uint16_t type = 0, type_m = 0;

	if (v2 && !v1)
		return refuse(x, "items.vlan_inner: needs an outer vlan item");
	if (eth || v1) {
		eth_sp = add_item(r, DPU_HAL_ITEM_ETH, &eth_mk);
		if (eth) {
			const struct dpu_abi_item_eth *s = SPEC(struct dpu_abi_item_eth, eth);
			const struct dpu_abi_item_eth *m = MASK(struct dpu_abi_item_eth, eth);

			memcpy(eth_sp->eth.dst, s->dst, 6);
			memcpy(eth_mk->eth.dst, m->dst, 6);
			memcpy(eth_sp->eth.src, s->src, 6);
			memcpy(eth_mk->eth.src, m->src, 6);
			type = s->ether_type, type_m = m->ether_type;
		}
		if (!v1) {
			eth_sp->eth.type = type, eth_mk->eth.type = type_m;
		}
	}
	const struct dpu_abi_item_hdr *tags[2] = { v1, v2 };
	union fw_hal_item_buf *prev_sp = eth_sp, *prev_mk = eth_mk;

	for (int i = 0; i < 2 && tags[i]; i++) {
		const struct dpu_abi_item_vlan *s = SPEC(struct dpu_abi_item_vlan, tags[i]);
		const struct dpu_abi_item_vlan *m = MASK(struct dpu_abi_item_vlan, tags[i]);

		/* This tag's TPID is the previous header's "next type". */
		if (i == 0)
			prev_sp->eth.type = s->tpid, prev_mk->eth.type = m->tpid;
		else
			prev_sp->vlan.inner_type = s->tpid, prev_mk->vlan.inner_type = m->tpid;
		last_sp = add_item(r, DPU_HAL_ITEM_VLAN, &last_mk);
		last_sp->vlan.tci = s->tci, last_mk->vlan.tci = m->tci;
		prev_sp = last_sp, prev_mk = last_mk;
	}
	if (last_sp)
		last_sp->vlan.inner_type = type, last_mk->vlan.inner_type = type_m;

	if ((it = x->item[DPU_ABI_ITEM_IPV4])) {
		const struct dpu_abi_item_ipv4 *s = SPEC(struct dpu_abi_item_ipv4, it);
		const struct dpu_abi_item_ipv4 *m = MASK(struct dpu_abi_item_ipv4, it);

		sp = add_item(r, DPU_HAL_ITEM_IPV4, &mk);
		memcpy(&sp->ipv4.src, s->src, 4), memcpy(&mk->ipv4.src, m->src, 4);
		memcpy(&sp->ipv4.dst, s->dst, 4), memcpy(&mk->ipv4.dst, m->dst, 4);
		sp->ipv4.tos = s->tos, mk->ipv4.tos = m->tos;
		sp->ipv4.ttl = s->ttl, mk->ipv4.ttl = m->ttl;
		sp->ipv4.proto = s->proto, mk->ipv4.proto = m->proto;
		/* Same bit values by design: FRAG, FIRSTFRAG. */
		sp->ipv4.frag = s->ip_flags, mk->ipv4.frag = m->ip_flags;
	}
	if ((it = x->item[DPU_ABI_ITEM_IPV6])) {
		const struct dpu_abi_item_ipv6 *s = SPEC(struct dpu_abi_item_ipv6, it);
		const struct dpu_abi_item_ipv6 *m = MASK(struct dpu_abi_item_ipv6, it);

		if (m->flow_label)
			return refuse(x, "items.ipv6.flow_label: not matched by this card");
		sp = add_item(r, DPU_HAL_ITEM_IPV6, &mk);
		memcpy(sp->ipv6.src, s->src, 16), memcpy(mk->ipv6.src, m->src, 16);
		memcpy(sp->ipv6.dst, s->dst, 16), memcpy(mk->ipv6.dst, m->dst, 16);
		sp->ipv6.tc = s->tclass, mk->ipv6.tc = m->tclass;
		sp->ipv6.hop_limit = s->hop_limit, mk->ipv6.hop_limit = m->hop_limit;
		sp->ipv6.proto = s->proto, mk->ipv6.proto = m->proto;
		sp->ipv6.frag = s->ip_flags, mk->ipv6.frag = m->ip_flags;
	}
	if ((it = x->item[DPU_ABI_ITEM_TCP])) {
		const struct dpu_abi_item_tcp *s = SPEC(struct dpu_abi_item_tcp, it);
		const struct dpu_abi_item_tcp *m = MASK(struct dpu_abi_item_tcp, it);

		if (ntohs(m->flags) & 0xf00)
			return refuse(x, "items.tcp.flags: only the low 8 flag bits (CWR..FIN) can be matched");
		sp = add_item(r, DPU_HAL_ITEM_TCP, &mk);
		sp->l4.src = s->src_port, mk->l4.src = m->src_port;
		sp->l4.dst = s->dst_port, mk->l4.dst = m->dst_port;
		sp->l4.tcp_flags = (uint8_t)ntohs(s->flags);
		mk->l4.tcp_flags = (uint8_t)ntohs(m->flags);
	}
	static const struct {
		uint16_t abi;
		enum dpu_hal_item_type hal;
	} l4[] = { { DPU_ABI_ITEM_UDP, DPU_HAL_ITEM_UDP }, { DPU_ABI_ITEM_SCTP, DPU_HAL_ITEM_SCTP } };
	for (size_t i = 0; i < 2; i++) {
		if (!(it = x->item[l4[i].abi]))
			continue;
		sp = add_item(r, l4[i].hal, &mk);
		sp->l4.src = SPEC(struct dpu_abi_item_l4, it)->src_port;
		mk->l4.src = MASK(struct dpu_abi_item_l4, it)->src_port;
		sp->l4.dst = SPEC(struct dpu_abi_item_l4, it)->dst_port;
		mk->l4.dst = MASK(struct dpu_abi_item_l4, it)->dst_port;
	}
	static const struct {
		uint16_t abi;
		enum dpu_hal_item_type hal;
	} icmp[] = { { DPU_ABI_ITEM_ICMP, DPU_HAL_ITEM_ICMP }, { DPU_ABI_ITEM_ICMP6, DPU_HAL_ITEM_ICMP6 } };
	for (size_t i = 0; i < 2; i++) {
		if (!(it = x->item[icmp[i].abi]))
			continue;
		sp = add_item(r, icmp[i].hal, &mk);
		sp->icmp.type = SPEC(struct dpu_abi_item_icmp, it)->type;
		mk->icmp.type = MASK(struct dpu_abi_item_icmp, it)->type;
		sp->icmp.code = SPEC(struct dpu_abi_item_icmp, it)->code;
		mk->icmp.code = MASK(struct dpu_abi_item_icmp, it)->code;
	}
	r->pattern[r->n_items] = (struct dpu_hal_item){ .type = DPU_HAL_ITEM_END };
	return DPU_ABI_OK;
}

static union fw_hal_action_buf *add_action(struct fw_hal_rule *r,
					   enum dpu_hal_action_type t)
{
	int i = r->n_actions++;

	memset(&r->conf[i], 0, sizeof(r->conf[i]));
	r->actions[i] = (struct dpu_hal_action){ .type = t, .conf = &r->conf[i] };
	return &r->conf[i];
}

static uint16_t xlate_set_field(struct xlate *x, const struct dpu_abi_act_set_field *a)
{
	static const struct {
		uint8_t width;
		enum dpu_hal_action_type hal;
	} f[DPU_ABI_FIELD_ID_MAX] = {
		[DPU_ABI_FIELD_ETH_SRC] = { 6, DPU_HAL_ACTION_SET_MAC_SRC },
		[DPU_ABI_FIELD_ETH_DST] = { 6, DPU_HAL_ACTION_SET_MAC_DST },
		[DPU_ABI_FIELD_IPV4_SRC] = { 4, DPU_HAL_ACTION_SET_IPV4_SRC },
		[DPU_ABI_FIELD_IPV4_DST] = { 4, DPU_HAL_ACTION_SET_IPV4_DST },
		[DPU_ABI_FIELD_IPV6_SRC] = { 16, DPU_HAL_ACTION_SET_IPV6_SRC },
		[DPU_ABI_FIELD_IPV6_DST] = { 16, DPU_HAL_ACTION_SET_IPV6_DST },
		[DPU_ABI_FIELD_L4_SRC] = { 2, DPU_HAL_ACTION_SET_TP_SRC },
		[DPU_ABI_FIELD_L4_DST] = { 2, DPU_HAL_ACTION_SET_TP_DST },
	};
	union fw_hal_action_buf *c;
	uint8_t w = f[a->field].width;

	if (!w)
		return refuse(x, "actions.set_field.field: %s is not rewritten by this card",
			      a->field == DPU_ABI_FIELD_IP_TTL ? "ip_ttl (use dec_ttl)" : "ip_dscp");
	for (uint8_t i = 0; i < w; i++)
		if (a->mask[i] != 0xff)
			return refuse(x, "actions.set_field.mask: partial rewrites of a field "
					 "are not supported (field %u)", a->field);
	c = add_action(x->r, f[a->field].hal);
	switch (f[a->field].hal) {
	case DPU_HAL_ACTION_SET_MAC_SRC:
	case DPU_HAL_ACTION_SET_MAC_DST:
		memcpy(c->mac.mac, a->value, 6);
		break;
	case DPU_HAL_ACTION_SET_IPV4_SRC:
	case DPU_HAL_ACTION_SET_IPV4_DST:
		memcpy(&c->ipv4.addr, a->value, 4);
		break;
	case DPU_HAL_ACTION_SET_IPV6_SRC:
	case DPU_HAL_ACTION_SET_IPV6_DST:
		memcpy(c->ipv6.addr, a->value, 16);
		break;
	default:
		memcpy(&c->tp.port, a->value, 2);
		break;
	}
	return DPU_ABI_OK;
}

static uint16_t xlate_encap(struct xlate *x, const struct dpu_abi_act_tunnel_encap *a)
{
	union fw_hal_action_buf *c = add_action(x->r, DPU_HAL_ACTION_TUNNEL_ENCAP);
	struct dpu_hal_action_encap *e = &c->encap;

	e->type = a->type == DPU_ABI_TUNNEL_VXLAN ? DPU_HAL_TUNNEL_VXLAN
						  : DPU_HAL_TUNNEL_GENEVE;
	memcpy(e->eth_dst, a->eth_dst, 6);
	memcpy(e->eth_src, a->eth_src, 6);
	e->is_ipv6 = a->ip_version == 6;
	e->tos = a->tos;
	e->ttl = a->ttl;
	if (e->is_ipv6) {
		memcpy(e->ipv6_src, a->src, 16);
		memcpy(e->ipv6_dst, a->dst, 16);
	} else {
		memcpy(&e->ipv4_src, a->src, 4);
		memcpy(&e->ipv4_dst, a->dst, 4);
	}
	e->udp_src = a->src_port;
	e->udp_dst = a->dst_port;
	e->vni = ntohl(a->vni) & 0xffffff;
	if (a->opts_len > sizeof(e->opts))
		return refuse(x, "actions.tunnel_encap.opts_len: %u bytes, at most %zu",
			      a->opts_len, sizeof(e->opts));
	e->opt_len = a->opts_len;
	memcpy(e->opts, a->opts, a->opts_len);
	return DPU_ABI_OK;
}

static uint16_t xlate_meter(struct xlate *x, const struct dpu_abi_act_meter *a)
{
	struct fw_hal_rule *r = x->r;
	struct dpu_hal_meter_conf *mc;

	if (a->flags & DPU_ABI_METER_PPS)
		return refuse(x, "actions.meter.flags: packet-rate meters are not supported");
	if (a->flags & DPU_ABI_METER_COLOR_AWARE)
		return refuse(x, "actions.meter.flags: colour-aware meters are not supported");
	if (r->n_meters == sizeof(r->meter_ids) / sizeof(r->meter_ids[0]))
		return refuse(x, "actions.meter: at most 4 meters per rule");
	mc = &r->meter_conf[r->n_meters];
	memset(mc, 0, sizeof(*mc));
	mc->alg = a->mode == DPU_ABI_METER_SRTCM ? DPU_HAL_METER_SRTCM : DPU_HAL_METER_TRTCM;
	mc->cir = a->cir;
	mc->cbs = a->cbs;
	if (mc->alg == DPU_HAL_METER_SRTCM) {
		mc->ebs = a->ebs;
	} else {
		mc->pir = a->eir;
		mc->pbs = a->ebs;
	}
	mc->green = DPU_HAL_METER_PASS;
	mc->yellow = a->yellow == DPU_ABI_METER_V_DROP ? DPU_HAL_METER_DROP : DPU_HAL_METER_PASS;
	mc->red = a->red == DPU_ABI_METER_V_DROP ? DPU_HAL_METER_DROP : DPU_HAL_METER_PASS;
	r->meter_ids[r->n_meters++] = a->meter_id;
	add_action(r, DPU_HAL_ACTION_METER)->meter.meter_id = a->meter_id;
	return DPU_ABI_OK;
}

static uint16_t xlate_actions(struct xlate *x, const struct dpu_abi_flow_op *op,
			      void *age_ctx)
{
	struct fw_hal_rule *r = x->r;
	const struct dpu_abi_action_hdr *a = dpu_abi_flow_op_first_action(op);
	union fw_hal_action_buf *c;
	bool counted = false;
	uint16_t rc = DPU_ABI_OK;

	for (int i = 0; i < op->n_actions; i++, a = dpu_abi_action_next(a)) {
		/* Room for this action, the implicit COUNT and END. */
		if (r->n_actions + 3 > DPU_HAL_MAX_ACTIONS)
			return refuse(x, "actions: more than %d after translation",
				      DPU_HAL_MAX_ACTIONS - 2);
		const struct dpu_abi_act_u32 *u = (const void *)a;
		const struct dpu_abi_act_port *p = (const void *)a;
		const struct dpu_abi_act_vlan *v = (const void *)a;

		switch (a->type) {
		case DPU_ABI_ACT_DROP:
			add_action(r, DPU_HAL_ACTION_DROP);
			break;
		case DPU_ABI_ACT_OUTPUT:
			if (p->flags & DPU_ABI_OUT_TO_REPRESENTOR) {
				/* The representor path is the exception queue. */
				c = add_action(r, DPU_HAL_ACTION_TO_SW);
				c->to_sw.reason = FW_TO_SW_REPRESENTOR;
				c->to_sw.cookie = p->port_id;
				break;
			}
			add_action(r, DPU_HAL_ACTION_PORT)->port.port_id = p->port_id;
			break;
		case DPU_ABI_ACT_MIRROR: {
			int k = r->n_actions;

			c = add_action(r, DPU_HAL_ACTION_SAMPLE);
			c->sample.ratio = p->ratio;
			if (p->flags & DPU_ABI_OUT_TO_REPRESENTOR) {
				/* A copy for the host: through the software path. */
				r->sample_to_sw[k].reason = FW_TO_SW_REPRESENTOR;
				r->sample_to_sw[k].cookie = p->port_id;
				r->sample_sub[k][0] = (struct dpu_hal_action){
					.type = DPU_HAL_ACTION_TO_SW, .conf = &r->sample_to_sw[k]
				};
			} else {
				r->sample_port[k].port_id = p->port_id;
				r->sample_sub[k][0] = (struct dpu_hal_action){
					.type = DPU_HAL_ACTION_PORT, .conf = &r->sample_port[k]
				};
			}
			r->sample_sub[k][1] = (struct dpu_hal_action){ .type = DPU_HAL_ACTION_END };
			c->sample.actions = r->sample_sub[k];
			break;
		}
		case DPU_ABI_ACT_JUMP:
			/* Forward-only jumps make loops impossible in hardware. */
			if (u->value <= op->group)
				return refuse(x, "actions.jump.value: group %u is not after "
					      "the rule's group %u (this card jumps forward only)",
					      u->value, op->group);
			add_action(r, DPU_HAL_ACTION_JUMP)->jump.group = u->value;
			break;
		case DPU_ABI_ACT_COUNT:
			if (u->value)
				return refuse(x, "actions.count.value: shared counters are not supported");
			if (!counted)
				add_action(r, DPU_HAL_ACTION_COUNT);
			counted = true;
			break;
		case DPU_ABI_ACT_MARK:
			add_action(r, DPU_HAL_ACTION_MARK)->mark.id = u->value;
			break;
		case DPU_ABI_ACT_SET_META: {
			const struct dpu_abi_act_set_meta *m = (const void *)a;

			c = add_action(r, DPU_HAL_ACTION_SET_META);
			c->set_meta.data = m->data;
			c->set_meta.mask = m->mask;
			break;
		}
		case DPU_ABI_ACT_VLAN_PUSH:
			c = add_action(r, DPU_HAL_ACTION_PUSH_VLAN);
			c->push_vlan.tpid = v->tpid;
			c->push_vlan.tci = v->tci;
			break;
		case DPU_ABI_ACT_VLAN_POP:
			add_action(r, DPU_HAL_ACTION_POP_VLAN);
			break;
		case DPU_ABI_ACT_VLAN_SET: {
			uint16_t m = ntohs(v->tci_mask), tci = ntohs(v->tci);

			if (m & ~0xefffu)
				return refuse(x, "actions.vlan_set.tci_mask: the DEI bit cannot be rewritten");
			if (m & 0x0fff) {
				if ((m & 0x0fff) != 0x0fff)
					return refuse(x, "actions.vlan_set.tci_mask: VID is rewritten whole");
				add_action(r, DPU_HAL_ACTION_SET_VLAN_VID)->vid.vid = htons(tci & 0x0fff);
			}
			if (m & 0xe000) {
				if ((m & 0xe000) != 0xe000)
					return refuse(x, "actions.vlan_set.tci_mask: PCP is rewritten whole");
				add_action(r, DPU_HAL_ACTION_SET_VLAN_PCP)->pcp.pcp = (uint8_t)(tci >> 13);
			}
			break;
		}
		case DPU_ABI_ACT_TUNNEL_ENCAP:
			rc = xlate_encap(x, (const void *)a);
			break;
		case DPU_ABI_ACT_TUNNEL_DECAP: {
			const struct dpu_abi_item_hdr *t = x->item[DPU_ABI_ITEM_TUNNEL];
			uint8_t type = t ? SPEC(struct dpu_abi_item_tunnel, t)->type : 0;

			c = add_action(r, DPU_HAL_ACTION_TUNNEL_DECAP);
			c->decap.type = type == DPU_ABI_TUNNEL_GENEVE ? DPU_HAL_TUNNEL_GENEVE
								      : DPU_HAL_TUNNEL_VXLAN;
			break;
		}
		case DPU_ABI_ACT_SET_FIELD:
			rc = xlate_set_field(x, (const void *)a);
			break;
		case DPU_ABI_ACT_DEC_TTL:
			add_action(r, DPU_HAL_ACTION_DEC_TTL);
			break;
		case DPU_ABI_ACT_CT: {
			const struct dpu_abi_act_ct *ct = (const void *)a;

			c = add_action(r, DPU_HAL_ACTION_CT);
			c->ct.zone = ct->zone;
			c->ct.commit = !!(ct->flags & DPU_ABI_CTF_COMMIT);
			break;
		}
		case DPU_ABI_ACT_METER:
			rc = xlate_meter(x, (const void *)a);
			break;
		case DPU_ABI_ACT_IPSEC: {
			const struct dpu_abi_act_ipsec *s = (const void *)a;

			c = add_action(r, s->dir == DPU_ABI_IPSEC_OUT ? DPU_HAL_ACTION_IPSEC_ENCRYPT
								      : DPU_HAL_ACTION_IPSEC_DECRYPT);
			c->ipsec.sa_id = s->sa_id;
			break;
		}
		case DPU_ABI_ACT_TO_SOFTWARE:
			c = add_action(r, DPU_HAL_ACTION_TO_SW);
			c->to_sw.reason = FW_TO_SW_QUEUE;
			c->to_sw.cookie = u->value;
			break;
		case DPU_ABI_ACT_AGE:
			c = add_action(r, DPU_HAL_ACTION_AGE);
			c->age.timeout = u->value;
			c->age.context = age_ctx;
			break;
		default:
			return refuse(x, "actions[%d]: type %u has no hardware form", i, a->type);
		}
		if (rc)
			return rc;
	}
	/* Every offloaded rule counts: the host's stats are hardware counters.
	 * COUNT goes before the fate, which the HAL wants last. */
	if (!counted) {
		int last = r->n_actions - 1;
		struct dpu_hal_action fate = r->actions[last];
		union fw_hal_action_buf conf = r->conf[last];

		r->actions[last] = (struct dpu_hal_action){ .type = DPU_HAL_ACTION_COUNT,
							    .conf = &r->conf[last] };
		memset(&r->conf[last], 0, sizeof(r->conf[last]));
		r->conf[last + 1] = conf;
		fate.conf = &r->conf[last + 1];
		r->actions[last + 1] = fate;
		r->n_actions++;
	}
	r->actions[r->n_actions] = (struct dpu_hal_action){ .type = DPU_HAL_ACTION_END };
	return DPU_ABI_OK;
}

uint16_t fw_flow_to_hal(const struct dpu_abi_flow_op *op, void *age_ctx,
			struct fw_hal_rule *r, char *why, size_t why_len)
{
	struct xlate x = { .r = r, .why = why, .why_len = why_len };
	const struct dpu_abi_item_hdr *it = dpu_abi_flow_op_first_item(op);
	uint16_t rc;

	why[0] = 0;
	r->n_items = 0;
	r->n_actions = 0;
	r->n_meters = 0;
	r->attr = (struct dpu_hal_attr){
		.group = op->group,
		.priority = op->priority,
		.transfer = 1, /* every host rule lives in the eSwitch (FDB) */
	};
	for (int i = 0; i < op->n_items; i++, it = dpu_abi_item_next(it))
		x.item[it->type] = it;
	rc = xlate_pattern(&x);
	if (rc)
		return rc;
	return xlate_actions(&x, op, age_ctx);
}

uint16_t fw_hal_errno_to_status(int err)
{
	switch (-err) {
	case 0:
		return DPU_ABI_OK;
	case ENOTSUP:
		return DPU_ABI_E_NOT_SUPPORTED;
	case ENOSPC:
	case ENOMEM:
	case ENOBUFS:
		return DPU_ABI_E_NO_SPACE;
	case EEXIST:
		return DPU_ABI_E_EXISTS;
	case ENOENT:
		return DPU_ABI_E_NOT_FOUND;
	case EBUSY:
		return DPU_ABI_E_BUSY;
	case EINVAL:
		return DPU_ABI_E_CONFLICT;
	default:
		return DPU_ABI_E_INTERNAL;
	}
}
