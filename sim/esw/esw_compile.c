/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Rule compiler: HAL pattern -> (key, mask) over the flow key layout, and
 * HAL actions -> an action program.  This is also where the sim is as
 * strict as the hardware: every combination mlx5 refuses at validate time
 * (L4 without L3, VXLAN without UDP, two fates, POP_VLAN without a VLAN
 * match, SET_IPV4 without IPV4, DEC_TTL on non-IP, encap without output,
 * modify after encap, ...) is refused here with the item/action named.
 */
#include <errno.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_udp.h>

#include "esw_internal.h"

#define IERR(code, i, ...) \
	dpu_hal_set_error(err, code, DPU_HAL_ERR_ITEM, i, __VA_ARGS__)
#define AERR(code, i, ...) \
	dpu_hal_set_error(err, code, DPU_HAL_ERR_ACTION, i, __VA_ARGS__)

enum { L3_NONE = 0, L3_V4, L3_V6 };
enum { L4_NONE = 0, L4_TCP, L4_UDP, L4_SCTP, L4_ICMP, L4_ICMP6 };
enum { TUN_NONE = 0, TUN_VXLAN, TUN_GENEVE };

struct pstate {
	bool inner;
	bool eth, in_eth;
	int nvlan;
	int l3, l4, in_l3, in_l4;
	int tun;
	bool port, meta, mark, ct, gopt, tag[DPU_HAL_TAG_MAX];
	int proto_from_l3;	/* masked proto of the L3 item, -1 = none */
	int in_proto_from_l3;
	uint16_t udp_dst, udp_dst_mask;
};

/* key[off..off+len) = spec & mask; mask |= mask.  Offsets are into sim_key. */
static void
setf(struct sim_compiled *c, size_t off, const void *spec, const void *mask, size_t len)
{
	uint8_t *k = (uint8_t *)&c->key + off, *m = (uint8_t *)&c->mask + off;
	const uint8_t *s = spec, *sm = mask;

	for (size_t i = 0; i < len; i++) {
		m[i] |= sm[i];
		k[i] = (k[i] & ~sm[i]) | (s[i] & sm[i]);
	}
}

#define SETF(c, field, sp, mp) \
	setf(c, offsetof(struct sim_key, field), sp, mp, sizeof(((struct sim_key *)0)->field))

static void
layer(struct sim_compiled *c, uint16_t bit, bool present)
{
	c->mask.layers |= bit;
	if (present)
		c->key.layers |= bit;
	else
		c->key.layers &= ~bit;
}

static void
in_layer(struct sim_compiled *c, uint16_t bit)
{
	c->mask.in_layers |= bit;
	c->key.in_layers |= bit;
}

static int
item_eth(struct sim_compiled *c, struct pstate *ps, int i, const struct dpu_hal_item_eth *s,
	 const struct dpu_hal_item_eth *m, struct dpu_hal_error *err)
{
	if (!ps->inner) {
		if (ps->eth || ps->nvlan || ps->l3)
			return IERR(-EINVAL, i, "item %d (ETH): must be the first header item", i);
		ps->eth = true;
		if (s == NULL)
			return 0;
		SETF(c, dmac, s->dst, m->dst);
		SETF(c, smac, s->src, m->src);
		SETF(c, eth_type, &s->type, &m->type);
		if (m->has_vlan)
			layer(c, SIM_L_VLAN0, s->has_vlan);
		return 0;
	}
	if (ps->in_eth || ps->in_l3)
		return IERR(-EINVAL, i, "item %d (ETH): inner ETH must follow the tunnel item", i);
	ps->in_eth = true;
	in_layer(c, SIM_IL_ETH);
	if (s == NULL)
		return 0;
	if (m->has_vlan)
		return IERR(-ENOTSUP, i, "item %d (ETH): has_vlan on the inner frame is not supported", i);
	SETF(c, in_dmac, s->dst, m->dst);
	SETF(c, in_smac, s->src, m->src);
	SETF(c, in_eth_type, &s->type, &m->type);
	return 0;
}

static int
item_vlan(struct sim_compiled *c, struct pstate *ps, int i, const struct dpu_hal_item_vlan *s,
	  const struct dpu_hal_item_vlan *m, struct dpu_hal_error *err)
{
	if (ps->inner)
		return IERR(-ENOTSUP, i, "item %d (VLAN): VLAN in the inner frame is not supported", i);
	if (ps->l3)
		return IERR(-EINVAL, i, "item %d (VLAN): VLAN cannot follow L3", i);
	if (ps->nvlan == 2)
		return IERR(-ENOTSUP, i, "item %d (VLAN): at most 2 VLAN tags", i);
	if (ps->nvlan == 0) {
		layer(c, SIM_L_VLAN0, true);
		if (s != NULL) {
			SETF(c, vlan0_tci, &s->tci, &m->tci);
			SETF(c, vlan0_inner, &s->inner_type, &m->inner_type);
			if (m->has_more_vlan)
				layer(c, SIM_L_VLAN1, s->has_more_vlan);
		}
	} else {
		layer(c, SIM_L_VLAN1, true);
		if (s != NULL) {
			SETF(c, vlan1_tci, &s->tci, &m->tci);
			SETF(c, vlan1_inner, &s->inner_type, &m->inner_type);
			if (m->has_more_vlan)
				layer(c, SIM_L_VLAN2, s->has_more_vlan);
		}
	}
	ps->nvlan++;
	return 0;
}

static int
item_ipv4(struct sim_compiled *c, struct pstate *ps, int i, const struct dpu_hal_item_ipv4 *s,
	  const struct dpu_hal_item_ipv4 *m, struct dpu_hal_error *err)
{
	if (!ps->inner) {
		if (ps->l3)
			return IERR(-EINVAL, i, "item %d (IPV4): second L3 item", i);
		ps->l3 = L3_V4;
		layer(c, SIM_L_IPV4, true);
		if (s == NULL)
			return 0;
		SETF(c, ip4_src, &s->src, &m->src);
		SETF(c, ip4_dst, &s->dst, &m->dst);
		SETF(c, ip_tos, &s->tos, &m->tos);
		SETF(c, ip_ttl, &s->ttl, &m->ttl);
		SETF(c, ip_proto, &s->proto, &m->proto);
		if (m->frag & ~0x07)
			return IERR(-EINVAL, i, "item %d (IPV4): unknown frag bits 0x%x", i, m->frag);
		SETF(c, ip_frag, &s->frag, &m->frag);
		if (m->proto)
			ps->proto_from_l3 = s->proto & m->proto;
		return 0;
	}
	if (ps->in_l3)
		return IERR(-EINVAL, i, "item %d (IPV4): second inner L3 item", i);
	ps->in_l3 = L3_V4;
	in_layer(c, SIM_IL_IPV4);
	if (s == NULL)
		return 0;
	if (m->ttl || m->frag)
		return IERR(-ENOTSUP, i, "item %d (IPV4): inner ttl/frag match is not supported", i);
	SETF(c, in_ip4_src, &s->src, &m->src);
	SETF(c, in_ip4_dst, &s->dst, &m->dst);
	SETF(c, in_ip_tos, &s->tos, &m->tos);
	SETF(c, in_ip_proto, &s->proto, &m->proto);
	if (m->proto)
		ps->in_proto_from_l3 = s->proto & m->proto;
	return 0;
}

static int
item_ipv6(struct sim_compiled *c, struct pstate *ps, int i, const struct dpu_hal_item_ipv6 *s,
	  const struct dpu_hal_item_ipv6 *m, struct dpu_hal_error *err)
{
	if (!ps->inner) {
		if (ps->l3)
			return IERR(-EINVAL, i, "item %d (IPV6): second L3 item", i);
		ps->l3 = L3_V6;
		layer(c, SIM_L_IPV6, true);
		if (s == NULL)
			return 0;
		SETF(c, ip6_src, s->src, m->src);
		SETF(c, ip6_dst, s->dst, m->dst);
		SETF(c, ip_tos, &s->tc, &m->tc);
		SETF(c, ip_ttl, &s->hop_limit, &m->hop_limit);
		SETF(c, ip_proto, &s->proto, &m->proto);
		if (m->frag & ~0x07)
			return IERR(-EINVAL, i, "item %d (IPV6): unknown frag bits 0x%x", i, m->frag);
		SETF(c, ip_frag, &s->frag, &m->frag);
		if (m->proto)
			ps->proto_from_l3 = s->proto & m->proto;
		return 0;
	}
	if (ps->in_l3)
		return IERR(-EINVAL, i, "item %d (IPV6): second inner L3 item", i);
	ps->in_l3 = L3_V6;
	in_layer(c, SIM_IL_IPV6);
	if (s == NULL)
		return 0;
	if (m->hop_limit || m->frag)
		return IERR(-ENOTSUP, i, "item %d (IPV6): inner hop_limit/frag match is not supported", i);
	SETF(c, in_ip6_src, s->src, m->src);
	SETF(c, in_ip6_dst, s->dst, m->dst);
	SETF(c, in_ip_tos, &s->tc, &m->tc);
	SETF(c, in_ip_proto, &s->proto, &m->proto);
	if (m->proto)
		ps->in_proto_from_l3 = s->proto & m->proto;
	return 0;
}

static int
check_proto(int from_l3, int want, int i, const char *name, struct dpu_hal_error *err)
{
	if (from_l3 >= 0 && from_l3 != want)
		return IERR(-EINVAL, i, "item %d (%s): L3 item matches protocol %d, not %d",
			    i, name, from_l3, want);
	return 0;
}

static int
item_l4(struct sim_compiled *c, struct pstate *ps, int i, enum dpu_hal_item_type t,
	const struct dpu_hal_item_l4 *s, const struct dpu_hal_item_l4 *m,
	struct dpu_hal_error *err)
{
	const char *name = dpu_hal_item_name(t);
	int proto = t == DPU_HAL_ITEM_TCP ? IPPROTO_TCP :
		    t == DPU_HAL_ITEM_UDP ? IPPROTO_UDP : IPPROTO_SCTP;
	int ret;

	if (s != NULL && t != DPU_HAL_ITEM_TCP && m->tcp_flags)
		return IERR(-EINVAL, i, "item %d (%s): tcp_flags on a non-TCP item", i, name);
	if (!ps->inner) {
		if (!ps->l3)
			return IERR(-EINVAL, i, "item %d (%s): L4 item without IPV4/IPV6 before it", i, name);
		if (ps->l4)
			return IERR(-EINVAL, i, "item %d (%s): second L4 item", i, name);
		ret = check_proto(ps->proto_from_l3, proto, i, name, err);
		if (ret < 0)
			return ret;
		ps->l4 = t == DPU_HAL_ITEM_TCP ? L4_TCP : t == DPU_HAL_ITEM_UDP ? L4_UDP : L4_SCTP;
		layer(c, t == DPU_HAL_ITEM_TCP ? SIM_L_TCP :
			 t == DPU_HAL_ITEM_UDP ? SIM_L_UDP : SIM_L_SCTP, true);
		if (s == NULL)
			return 0;
		SETF(c, tp_src, &s->src, &m->src);
		SETF(c, tp_dst, &s->dst, &m->dst);
		SETF(c, tcp_flags, &s->tcp_flags, &m->tcp_flags);
		if (t == DPU_HAL_ITEM_UDP) {
			ps->udp_dst = s->dst & m->dst;
			ps->udp_dst_mask = m->dst;
		}
		return 0;
	}
	if (t == DPU_HAL_ITEM_SCTP)
		return IERR(-ENOTSUP, i, "item %d (SCTP): inner SCTP is not supported", i);
	if (!ps->in_l3)
		return IERR(-EINVAL, i, "item %d (%s): inner L4 item without inner IPV4/IPV6", i, name);
	if (ps->in_l4)
		return IERR(-EINVAL, i, "item %d (%s): second inner L4 item", i, name);
	ret = check_proto(ps->in_proto_from_l3, proto, i, name, err);
	if (ret < 0)
		return ret;
	ps->in_l4 = t == DPU_HAL_ITEM_TCP ? L4_TCP : L4_UDP;
	in_layer(c, t == DPU_HAL_ITEM_TCP ? SIM_IL_TCP : SIM_IL_UDP);
	if (s == NULL)
		return 0;
	SETF(c, in_tp_src, &s->src, &m->src);
	SETF(c, in_tp_dst, &s->dst, &m->dst);
	SETF(c, in_tcp_flags, &s->tcp_flags, &m->tcp_flags);
	return 0;
}

static int
item_icmp(struct sim_compiled *c, struct pstate *ps, int i, enum dpu_hal_item_type t,
	  const struct dpu_hal_item_icmp *s, const struct dpu_hal_item_icmp *m,
	  struct dpu_hal_error *err)
{
	bool v6 = t == DPU_HAL_ITEM_ICMP6;
	int ret;

	if (ps->inner)
		return IERR(-ENOTSUP, i, "item %d (%s): inner ICMP is not supported", i,
			    dpu_hal_item_name(t));
	if (ps->l3 != (v6 ? L3_V6 : L3_V4))
		return IERR(-EINVAL, i, "item %d (%s): needs %s before it", i,
			    dpu_hal_item_name(t), v6 ? "IPV6" : "IPV4");
	if (ps->l4)
		return IERR(-EINVAL, i, "item %d (%s): second L4 item", i, dpu_hal_item_name(t));
	ret = check_proto(ps->proto_from_l3, v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP, i,
			  dpu_hal_item_name(t), err);
	if (ret < 0)
		return ret;
	ps->l4 = v6 ? L4_ICMP6 : L4_ICMP;
	layer(c, v6 ? SIM_L_ICMP6 : SIM_L_ICMP, true);
	if (s == NULL)
		return 0;
	SETF(c, icmp_type, &s->type, &m->type);
	SETF(c, icmp_code, &s->code, &m->code);
	return 0;
}

static int
item_tunnel(struct sim_compiled *c, struct pstate *ps, int i, enum dpu_hal_item_type t,
	    const struct dpu_hal_item_tunnel *s, const struct dpu_hal_item_tunnel *m,
	    struct dpu_hal_error *err)
{
	bool vx = t == DPU_HAL_ITEM_VXLAN;
	uint16_t port = RTE_BE16(vx ? 4789 : 6081);
	uint32_t vni, vmask;

	if (ps->inner)
		return IERR(-ENOTSUP, i, "item %d (%s): nested tunnels are not supported", i,
			    dpu_hal_item_name(t));
	if (ps->l4 != L4_UDP)
		return IERR(-EINVAL, i, "item %d (%s): tunnel item without outer UDP item", i,
			    dpu_hal_item_name(t));
	if (ps->udp_dst_mask && (ps->udp_dst & ps->udp_dst_mask) != (port & ps->udp_dst_mask))
		return IERR(-ENOTSUP, i, "item %d (%s): UDP destination port %u is not parsed as %s (only %u)",
			    i, dpu_hal_item_name(t), rte_be_to_cpu_16(ps->udp_dst),
			    dpu_hal_item_name(t), vx ? 4789 : 6081);
	ps->tun = vx ? TUN_VXLAN : TUN_GENEVE;
	ps->inner = true;
	layer(c, vx ? SIM_L_VXLAN : SIM_L_GENEVE, true);
	if (s == NULL)
		return 0;
	if ((s->vni & m->vni) > 0xffffff || m->vni > 0xffffff)
		return IERR(-EINVAL, i, "item %d (%s): vni 0x%x exceeds 24 bits", i,
			    dpu_hal_item_name(t), s->vni);
	vni = s->vni;
	vmask = m->vni;
	SETF(c, vni, &vni, &vmask);
	if (vx && m->proto)
		return IERR(-EINVAL, i, "item %d (VXLAN): proto is a GENEVE field", i);
	if (!vx)
		SETF(c, gnv_proto, &s->proto, &m->proto);
	return 0;
}

static int
item_gopt(struct sim_compiled *c, struct pstate *ps, int i,
	  const struct dpu_hal_item_geneve_opt *s, const struct dpu_hal_item_geneve_opt *m,
	  struct dpu_hal_error *err)
{
	if (ps->tun != TUN_GENEVE || ps->in_eth || ps->in_l3)
		return IERR(-EINVAL, i, "item %d (GENEVE_OPT): must directly follow GENEVE", i);
	if (ps->gopt)
		return IERR(-ENOTSUP, i, "item %d (GENEVE_OPT): only one option can be matched", i);
	ps->gopt = true;
	layer(c, SIM_L_GNV_OPT, true);
	if (s == NULL)
		return 0;
	if (m->opt_len && (s->opt_len & m->opt_len) > 0x1f)
		return IERR(-EINVAL, i, "item %d (GENEVE_OPT): opt_len %u exceeds 31 words", i,
			    s->opt_len);
	SETF(c, gnv_opt_class, &s->opt_class, &m->opt_class);
	SETF(c, gnv_opt_type, &s->opt_type, &m->opt_type);
	SETF(c, gnv_opt_len, &s->opt_len, &m->opt_len);
	SETF(c, gnv_opt_data, &s->data, &m->data);
	return 0;
}

static int
item_meta(struct sim_esw *esw, struct sim_compiled *c, struct pstate *ps, int i,
	  const struct dpu_hal_item *it, const void *sv, const void *mv,
	  struct dpu_hal_error *err)
{
	const char *name = dpu_hal_item_name(it->type);

	switch (it->type) {
	case DPU_HAL_ITEM_PORT: {
		const struct dpu_hal_item_port *s = sv, *m = mv;
		uint16_t p, pm;

		if (ps->port)
			return IERR(-EINVAL, i, "item %d (PORT): second PORT item", i);
		ps->port = true;
		if (s == NULL)
			return IERR(-EINVAL, i, "item %d (PORT): spec is required", i);
		if (m->port_id != UINT32_MAX && m->port_id != 0xffff)
			return IERR(-ENOTSUP, i, "item %d (PORT): partial port mask 0x%x", i, m->port_id);
		if (s->port_id >= esw->conf.nb_ports)
			return IERR(-EINVAL, i, "item %d (PORT): port %u does not exist (%u ports)", i,
				    s->port_id, esw->conf.nb_ports);
		p = s->port_id;
		pm = 0xffff;
		SETF(c, in_port, &p, &pm);
		return 0;
	}
	case DPU_HAL_ITEM_META: {
		const struct dpu_hal_item_meta *s = sv, *m = mv;

		if (ps->meta)
			return IERR(-EINVAL, i, "item %d (META): second META item", i);
		ps->meta = true;
		if (s == NULL)
			return IERR(-EINVAL, i, "item %d (META): spec is required", i);
		SETF(c, meta, &s->data, &m->data);
		return 0;
	}
	case DPU_HAL_ITEM_TAG: {
		const struct dpu_hal_item_tag *s = sv, *m = mv;

		if (s == NULL)
			return IERR(-EINVAL, i, "item %d (TAG): spec is required", i);
		if (s->index >= DPU_HAL_TAG_MAX)
			return IERR(-EINVAL, i, "item %d (TAG): index %u out of range (0..%d)", i,
				    s->index, DPU_HAL_TAG_MAX - 1);
		if (ps->tag[s->index])
			return IERR(-EINVAL, i, "item %d (TAG): second TAG item for index %u", i, s->index);
		ps->tag[s->index] = true;
		setf(c, offsetof(struct sim_key, tag) + 4 * s->index, &s->data, &m->data, 4);
		return 0;
	}
	case DPU_HAL_ITEM_MARK: {
		const struct dpu_hal_item_mark *s = sv, *m = mv;

		if (ps->mark)
			return IERR(-EINVAL, i, "item %d (MARK): second MARK item", i);
		ps->mark = true;
		if (s == NULL)
			return IERR(-EINVAL, i, "item %d (MARK): spec is required", i);
		if ((s->id & m->id) > 0xffffff)
			return IERR(-EINVAL, i, "item %d (MARK): id 0x%x exceeds 24 bits", i, s->id);
		SETF(c, mark, &s->id, &m->id);
		return 0;
	}
	case DPU_HAL_ITEM_CONNTRACK: {
		const struct dpu_hal_item_ct *s = sv, *m = mv;

		if (ps->ct)
			return IERR(-EINVAL, i, "item %d (CONNTRACK): second CONNTRACK item", i);
		ps->ct = true;
		if (s == NULL)
			return IERR(-EINVAL, i, "item %d (CONNTRACK): spec is required", i);
		if (m->state & ~0x3f)
			return IERR(-EINVAL, i, "item %d (CONNTRACK): unknown state bits 0x%x", i,
				    m->state);
		SETF(c, ct_state, &s->state, &m->state);
		SETF(c, ct_zone, &s->zone, &m->zone);
		SETF(c, ct_mark, &s->mark, &m->mark);
		return 0;
	}
	default:
		return IERR(-ENOTSUP, i, "item %d (%s): not supported", i, name);
	}
}

static int
compile_pattern(struct sim_esw *esw, const struct dpu_hal_item *pattern,
		struct sim_compiled *c, struct pstate *ps, struct dpu_hal_error *err)
{
	int ret = 0;

	for (int i = 0; pattern[i].type != DPU_HAL_ITEM_END; i++) {
		const struct dpu_hal_item *it = &pattern[i];
		const void *s = it->spec;
		const void *m = it->mask ? it->mask : dpu_hal_item_default_mask(it->type);

		if (i >= DPU_HAL_MAX_ITEMS - 1)
			return IERR(-E2BIG, i, "pattern longer than %d items", DPU_HAL_MAX_ITEMS - 1);
		if ((unsigned)it->type >= DPU_HAL_ITEM_MAX)
			return IERR(-EINVAL, i, "item %d: unknown type %d", i, it->type);
		if (s == NULL && it->mask != NULL)
			return IERR(-EINVAL, i, "item %d (%s): mask without spec", i,
				    dpu_hal_item_name(it->type));
		switch (it->type) {
		case DPU_HAL_ITEM_VOID:
			break;
		case DPU_HAL_ITEM_ETH:
			ret = item_eth(c, ps, i, s, m, err);
			break;
		case DPU_HAL_ITEM_VLAN:
			ret = item_vlan(c, ps, i, s, m, err);
			break;
		case DPU_HAL_ITEM_IPV4:
			ret = item_ipv4(c, ps, i, s, m, err);
			break;
		case DPU_HAL_ITEM_IPV6:
			ret = item_ipv6(c, ps, i, s, m, err);
			break;
		case DPU_HAL_ITEM_TCP:
		case DPU_HAL_ITEM_UDP:
		case DPU_HAL_ITEM_SCTP:
			ret = item_l4(c, ps, i, it->type, s, m, err);
			break;
		case DPU_HAL_ITEM_ICMP:
		case DPU_HAL_ITEM_ICMP6:
			ret = item_icmp(c, ps, i, it->type, s, m, err);
			break;
		case DPU_HAL_ITEM_VXLAN:
		case DPU_HAL_ITEM_GENEVE:
			ret = item_tunnel(c, ps, i, it->type, s, m, err);
			break;
		case DPU_HAL_ITEM_GENEVE_OPT:
			ret = item_gopt(c, ps, i, s, m, err);
			break;
		default:
			ret = item_meta(esw, c, ps, i, it, s, m, err);
			break;
		}
		if (ret < 0)
			return ret;
	}
	return 0;
}

/* ---------------------------------------------------------------- actions */

struct astate {
	int fate_idx;
	int encap_idx;
	bool count, mark, meta, age, meter, sample, encap, decap, modify;
	bool tag[DPU_HAL_TAG_MAX];
	/* headers present at this point of the action list */
	bool eth;
	int nvlan, l3, l4;
	int tun;
};

static struct sim_op *
add_op(struct sim_compiled *c, uint8_t code)
{
	struct sim_op *op = &c->prog.ops[c->prog.hdr.nops++];

	memset(op, 0, sizeof(*op));
	op->code = code;
	return op;
}

static int
add_data(struct sim_compiled *c, struct sim_op *op, const void *p, uint32_t len)
{
	if (c->prog.hdr.data_len + len > SIM_PROG_DATA_MAX)
		return -E2BIG;
	memcpy(c->prog.data + c->prog.hdr.data_len, p, len);
	op->data_off = c->prog.hdr.data_len;
	op->data_len = len;
	c->prog.hdr.data_len += len;
	return 0;
}

static int
need_port(struct sim_esw *esw, uint32_t port, int i, const char *what, struct dpu_hal_error *err)
{
	if (port >= esw->conf.nb_ports)
		return AERR(-EINVAL, i, "action %d (%s): port %u does not exist (%u ports)", i,
			    what, port, esw->conf.nb_ports);
	return 0;
}

/* Build the outer header template of an encap (lengths/checksums at run time). */
static int
build_encap(struct sim_compiled *c, struct sim_op *op, const struct dpu_hal_action_encap *e,
	    int i, struct dpu_hal_error *err)
{
	uint8_t b[14 + 4 + 40 + 8 + 8 + DPU_HAL_GENEVE_OPT_MAX];
	bool gnv = e->type == DPU_HAL_TUNNEL_GENEVE;
	uint32_t off = 0;
	uint16_t v;

	if (e->type != DPU_HAL_TUNNEL_VXLAN && !gnv)
		return AERR(-EINVAL, i, "action %d (TUNNEL_ENCAP): unknown tunnel type %d", i, e->type);
	if (e->vni > 0xffffff)
		return AERR(-EINVAL, i, "action %d (TUNNEL_ENCAP): vni 0x%x exceeds 24 bits", i, e->vni);
	if (e->opt_len % 4 || e->opt_len > DPU_HAL_GENEVE_OPT_MAX)
		return AERR(-EINVAL, i, "action %d (TUNNEL_ENCAP): opt_len %u not a multiple of 4 <= %d",
			    i, e->opt_len, DPU_HAL_GENEVE_OPT_MAX);
	if (!gnv && e->opt_len)
		return AERR(-EINVAL, i, "action %d (TUNNEL_ENCAP): VXLAN has no options", i);
	memset(b, 0, sizeof(b));
	memcpy(b, e->eth_dst, 6);
	memcpy(b + 6, e->eth_src, 6);
	off = 12;
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
			.version_ihl = RTE_IPV4_VHL_DEF,
			.type_of_service = e->tos,
			.fragment_offset = RTE_BE16(RTE_IPV4_HDR_DF_FLAG),
			.time_to_live = e->ttl ? e->ttl : 64,
			.next_proto_id = IPPROTO_UDP,
			.src_addr = e->ipv4_src,
			.dst_addr = e->ipv4_dst,
		};

		memcpy(b + off, &ip, sizeof(ip));
		off += sizeof(ip);
	} else {
		struct rte_ipv6_hdr ip = {
			.vtc_flow = rte_cpu_to_be_32(6u << 28 | (uint32_t)e->tos << 20),
			.proto = IPPROTO_UDP,
			.hop_limits = e->ttl ? e->ttl : 64,
		};

		memcpy(ip.src_addr, e->ipv6_src, 16);
		memcpy(ip.dst_addr, e->ipv6_dst, 16);
		memcpy(b + off, &ip, sizeof(ip));
		off += sizeof(ip);
	}
	{
		struct rte_udp_hdr uh = {
			.src_port = e->udp_src,
			.dst_port = e->udp_dst ? e->udp_dst : RTE_BE16(gnv ? 6081 : 4789),
		};

		memcpy(b + off, &uh, sizeof(uh));
		off += sizeof(uh);
	}
	if (!gnv) {
		uint32_t w[2] = { RTE_BE32(0x08000000), rte_cpu_to_be_32(e->vni << 8) };

		memcpy(b + off, w, 8);
		off += 8;
	} else {
		b[off] = e->opt_len / 4;	/* ver 0, opt len in words */
		b[off + 1] = 0;
		v = RTE_BE16(RTE_ETHER_TYPE_TEB);
		memcpy(b + off + 2, &v, 2);
		b[off + 4] = e->vni >> 16;
		b[off + 5] = e->vni >> 8;
		b[off + 6] = e->vni;
		memcpy(b + off + 8, e->opts, e->opt_len);
		off += 8 + e->opt_len;
	}
	op->idx = (e->is_ipv6 ? 1 : 0) | (e->vlan_tci ? 2 : 0) | (gnv ? 4 : 0);
	if (add_data(c, op, b, off) < 0)
		return AERR(-E2BIG, i, "action %d (TUNNEL_ENCAP): program too large", i);
	return 0;
}

static int
need_hdr(bool ok, int i, const char *act, const char *hdr, struct dpu_hal_error *err)
{
	if (!ok)
		return AERR(-EINVAL, i, "action %d (%s): no %s in the pattern (at this point of the action list)",
			    i, act, hdr);
	return 0;
}

static int
compile_sample(struct sim_esw *esw, struct sim_compiled *c, const struct dpu_hal_action_sample *s,
	       int i, struct dpu_hal_error *err)
{
	struct sim_op *op;

	if (esw->conf.pool == NULL)
		return AERR(-ENOTSUP, i, "action %d (SAMPLE): eSwitch has no mempool for copies", i);
	if (s->ratio == 0)
		return AERR(-EINVAL, i, "action %d (SAMPLE): ratio must be >= 1", i);
	op = add_op(c, SIM_OP_SAMPLE);
	op->u32 = s->ratio;
	for (int j = 0; s->actions[j].type != DPU_HAL_ACTION_END; j++) {
		const struct dpu_hal_action *a = &s->actions[j];

		if (j >= DPU_HAL_MAX_ACTIONS - 1)
			return AERR(-E2BIG, i, "action %d (SAMPLE): sub-list too long", i);
		switch (a->type) {
		case DPU_HAL_ACTION_PORT: {
			const struct dpu_hal_action_port *p = a->conf;
			int ret;

			if (p == NULL)
				return AERR(-EINVAL, i, "action %d (SAMPLE): PORT without conf", i);
			ret = need_port(esw, p->port_id, i, "SAMPLE/PORT", err);
			if (ret < 0)
				return ret;
			if (op->idx)
				return AERR(-EINVAL, i, "action %d (SAMPLE): two sub-fates", i);
			op->idx = SIM_FATE_PORT;
			op->u16 = p->port_id;
			break;
		}
		case DPU_HAL_ACTION_TO_SW: {
			const struct dpu_hal_action_to_sw *t = a->conf;

			if (op->idx)
				return AERR(-EINVAL, i, "action %d (SAMPLE): two sub-fates", i);
			op->idx = SIM_FATE_TO_SW;
			op->u16 = t ? t->reason : 0;
			op->mask = t ? t->cookie : 0;
			break;
		}
		case DPU_HAL_ACTION_COUNT:
		case DPU_HAL_ACTION_VOID:
			break;
		default:
			return AERR(-ENOTSUP, i, "action %d (SAMPLE): sub-action %s not supported",
				    i, dpu_hal_action_name(a->type));
		}
	}
	if (op->idx == 0)
		return AERR(-EINVAL, i, "action %d (SAMPLE): no PORT or TO_SW sub-action", i);
	return 0;
}

static int
compile_actions(struct sim_esw *esw, const struct dpu_hal_attr *attr,
		const struct dpu_hal_action *actions, const struct pstate *ps,
		struct sim_compiled *c, struct dpu_hal_error *err)
{
	struct sim_prog_hdr *h = &c->prog.hdr;
	struct astate as = {
		.fate_idx = -1, .eth = ps->eth || ps->nvlan, .nvlan = ps->nvlan,
		.l3 = ps->l3, .l4 = ps->l4, .tun = ps->tun,
	};
	int i, ret;

	for (i = 0; actions[i].type != DPU_HAL_ACTION_END; i++) {
		const struct dpu_hal_action *a = &actions[i];
		const char *name = dpu_hal_action_name(a->type);
		struct sim_op *op;

		if (i >= DPU_HAL_MAX_ACTIONS - 1)
			return AERR(-E2BIG, i, "more than %d actions", DPU_HAL_MAX_ACTIONS - 1);
		if ((unsigned)a->type >= DPU_HAL_ACTION_MAX)
			return AERR(-EINVAL, i, "action %d: unknown type %d", i, a->type);
		if (dpu_hal_action_is_fate(a->type)) {
			if (as.fate_idx >= 0)
				return AERR(-EINVAL, i, "action %d (%s): second fate action (first: %s)", i,
					    name, dpu_hal_action_name(actions[as.fate_idx].type));
			as.fate_idx = i;
		}
		switch (a->type) {
		case DPU_HAL_ACTION_VOID:
			break;
		case DPU_HAL_ACTION_PORT: {
			const struct dpu_hal_action_port *p = a->conf;

			if (p == NULL)
				return AERR(-EINVAL, i, "action %d (PORT): conf is required", i);
			ret = need_port(esw, p->port_id, i, name, err);
			if (ret < 0)
				return ret;
			h->fate = SIM_FATE_PORT;
			h->fate_arg = p->port_id;
			break;
		}
		case DPU_HAL_ACTION_DROP:
			h->fate = SIM_FATE_DROP;
			break;
		case DPU_HAL_ACTION_JUMP: {
			const struct dpu_hal_action_jump *j = a->conf;

			if (j == NULL)
				return AERR(-EINVAL, i, "action %d (JUMP): conf is required", i);
			if (j->group <= attr->group)
				return AERR(-EINVAL, i, "action %d (JUMP): target group %u not greater than own group %u",
					    i, j->group, attr->group);
			if (j->group >= esw->conf.max_groups)
				return AERR(-EINVAL, i, "action %d (JUMP): group %u out of range (max %u)",
					    i, j->group, esw->conf.max_groups - 1);
			h->fate = SIM_FATE_JUMP;
			h->fate_arg = j->group;
			break;
		}
		case DPU_HAL_ACTION_TO_SW: {
			const struct dpu_hal_action_to_sw *t = a->conf;

			h->fate = SIM_FATE_TO_SW;
			h->fate_arg = t ? t->reason : 0;
			h->cookie = t ? t->cookie : 0;
			break;
		}
		case DPU_HAL_ACTION_COUNT:
			if (as.count)
				return AERR(-EINVAL, i, "action %d (COUNT): second COUNT", i);
			as.count = true;
			h->flags |= SIM_PROG_F_COUNT;
			break;
		case DPU_HAL_ACTION_MARK: {
			const struct dpu_hal_action_mark *mk = a->conf;

			if (mk == NULL)
				return AERR(-EINVAL, i, "action %d (MARK): conf is required", i);
			if (as.mark)
				return AERR(-EINVAL, i, "action %d (MARK): second MARK", i);
			if (mk->id > 0xffffff)
				return AERR(-EINVAL, i, "action %d (MARK): id 0x%x exceeds 24 bits", i, mk->id);
			as.mark = true;
			add_op(c, SIM_OP_MARK)->u32 = mk->id;
			break;
		}
		case DPU_HAL_ACTION_SET_META: {
			const struct dpu_hal_action_set_meta *sm = a->conf;

			if (sm == NULL)
				return AERR(-EINVAL, i, "action %d (SET_META): conf is required", i);
			if (as.meta)
				return AERR(-EINVAL, i, "action %d (SET_META): second SET_META", i);
			as.meta = true;
			op = add_op(c, SIM_OP_SET_META);
			op->u32 = sm->data & sm->mask;
			op->mask = sm->mask;
			break;
		}
		case DPU_HAL_ACTION_SET_TAG: {
			const struct dpu_hal_action_set_tag *st = a->conf;

			if (st == NULL)
				return AERR(-EINVAL, i, "action %d (SET_TAG): conf is required", i);
			if (st->index >= DPU_HAL_TAG_MAX)
				return AERR(-EINVAL, i, "action %d (SET_TAG): index %u out of range (0..%d)",
					    i, st->index, DPU_HAL_TAG_MAX - 1);
			if (as.tag[st->index])
				return AERR(-EINVAL, i, "action %d (SET_TAG): index %u set twice", i, st->index);
			as.tag[st->index] = true;
			op = add_op(c, SIM_OP_SET_TAG);
			op->idx = st->index;
			op->u32 = st->data & st->mask;
			op->mask = st->mask;
			break;
		}
		case DPU_HAL_ACTION_PUSH_VLAN: {
			const struct dpu_hal_action_push_vlan *pv = a->conf;

			if (pv == NULL)
				return AERR(-EINVAL, i, "action %d (PUSH_VLAN): conf is required", i);
			if (as.encap)
				return AERR(-ENOTSUP, i, "action %d (PUSH_VLAN): header change after TUNNEL_ENCAP", i);
			if (pv->tpid != RTE_BE16(RTE_ETHER_TYPE_VLAN) &&
			    pv->tpid != RTE_BE16(RTE_ETHER_TYPE_QINQ))
				return AERR(-EINVAL, i, "action %d (PUSH_VLAN): tpid 0x%04x is not 0x8100/0x88a8",
					    i, rte_be_to_cpu_16(pv->tpid));
			ret = need_hdr(as.eth, i, name, "ETH", err);
			if (ret < 0)
				return ret;
			if (as.nvlan >= 2)
				return AERR(-ENOTSUP, i, "action %d (PUSH_VLAN): would make a third tag", i);
			op = add_op(c, SIM_OP_PUSH_VLAN);
			op->u16 = pv->tpid;
			op->u32 = pv->tci;
			as.nvlan++;
			as.modify = true;
			break;
		}
		case DPU_HAL_ACTION_POP_VLAN:
			if (as.encap)
				return AERR(-ENOTSUP, i, "action %d (POP_VLAN): header change after TUNNEL_ENCAP", i);
			ret = need_hdr(as.nvlan > 0, i, name, "VLAN", err);
			if (ret < 0)
				return ret;
			add_op(c, SIM_OP_POP_VLAN);
			as.nvlan--;
			as.modify = true;
			break;
		case DPU_HAL_ACTION_SET_VLAN_VID: {
			const struct dpu_hal_action_set_vlan_vid *v = a->conf;

			if (v == NULL)
				return AERR(-EINVAL, i, "action %d (SET_VLAN_VID): conf is required", i);
			if (as.encap)
				return AERR(-ENOTSUP, i, "action %d (SET_VLAN_VID): header change after TUNNEL_ENCAP", i);
			ret = need_hdr(as.nvlan > 0, i, name, "VLAN (or PUSH_VLAN)", err);
			if (ret < 0)
				return ret;
			if (rte_be_to_cpu_16(v->vid) > 0xfff)
				return AERR(-EINVAL, i, "action %d (SET_VLAN_VID): vid %u exceeds 12 bits",
					    i, rte_be_to_cpu_16(v->vid));
			add_op(c, SIM_OP_SET_VLAN_VID)->u16 = v->vid;
			as.modify = true;
			break;
		}
		case DPU_HAL_ACTION_SET_VLAN_PCP: {
			const struct dpu_hal_action_set_vlan_pcp *v = a->conf;

			if (v == NULL)
				return AERR(-EINVAL, i, "action %d (SET_VLAN_PCP): conf is required", i);
			if (as.encap)
				return AERR(-ENOTSUP, i, "action %d (SET_VLAN_PCP): header change after TUNNEL_ENCAP", i);
			ret = need_hdr(as.nvlan > 0, i, name, "VLAN (or PUSH_VLAN)", err);
			if (ret < 0)
				return ret;
			if (v->pcp > 7)
				return AERR(-EINVAL, i, "action %d (SET_VLAN_PCP): pcp %u exceeds 7", i, v->pcp);
			add_op(c, SIM_OP_SET_VLAN_PCP)->u16 = v->pcp;
			as.modify = true;
			break;
		}
		case DPU_HAL_ACTION_TUNNEL_ENCAP:
			if (a->conf == NULL)
				return AERR(-EINVAL, i, "action %d (TUNNEL_ENCAP): conf is required", i);
			if (as.encap)
				return AERR(-EINVAL, i, "action %d (TUNNEL_ENCAP): second encap", i);
			as.encap = true;
			as.encap_idx = i;
			ret = build_encap(c, add_op(c, SIM_OP_ENCAP), a->conf, i, err);
			if (ret < 0)
				return ret;
			as.modify = true;
			break;
		case DPU_HAL_ACTION_TUNNEL_DECAP: {
			const struct dpu_hal_action_decap *d = a->conf;

			if (as.decap || as.encap)
				return AERR(-EINVAL, i, "action %d (TUNNEL_DECAP): after another encap/decap", i);
			if (as.tun == TUN_NONE)
				return AERR(-EINVAL, i, "action %d (TUNNEL_DECAP): pattern has no VXLAN/GENEVE item", i);
			if (d != NULL && d->type != (as.tun == TUN_VXLAN ? DPU_HAL_TUNNEL_VXLAN :
						    DPU_HAL_TUNNEL_GENEVE))
				return AERR(-EINVAL, i, "action %d (TUNNEL_DECAP): tunnel type differs from the pattern's",
					    i);
			as.decap = true;
			add_op(c, SIM_OP_DECAP);
			/* from here on, actions see the inner frame */
			as.eth = ps->in_eth;
			as.nvlan = 0;
			as.l3 = ps->in_l3;
			as.l4 = ps->in_l4;
			as.tun = TUN_NONE;
			as.modify = true;
			break;
		}
		case DPU_HAL_ACTION_SET_MAC_SRC:
		case DPU_HAL_ACTION_SET_MAC_DST: {
			const struct dpu_hal_action_set_mac *sm = a->conf;

			if (sm == NULL)
				return AERR(-EINVAL, i, "action %d (%s): conf is required", i, name);
			if (as.encap)
				return AERR(-ENOTSUP, i, "action %d (%s): header change after TUNNEL_ENCAP", i, name);
			ret = need_hdr(as.eth, i, name, "ETH", err);
			if (ret < 0)
				return ret;
			op = add_op(c, a->type == DPU_HAL_ACTION_SET_MAC_SRC ? SIM_OP_SET_MAC_SRC :
				    SIM_OP_SET_MAC_DST);
			if (add_data(c, op, sm->mac, 6) < 0)
				return AERR(-E2BIG, i, "action %d (%s): program too large", i, name);
			as.modify = true;
			break;
		}
		case DPU_HAL_ACTION_SET_IPV4_SRC:
		case DPU_HAL_ACTION_SET_IPV4_DST: {
			const struct dpu_hal_action_set_ipv4 *s4 = a->conf;

			if (s4 == NULL)
				return AERR(-EINVAL, i, "action %d (%s): conf is required", i, name);
			if (as.encap)
				return AERR(-ENOTSUP, i, "action %d (%s): header change after TUNNEL_ENCAP", i, name);
			ret = need_hdr(as.l3 == L3_V4, i, name, "IPV4", err);
			if (ret < 0)
				return ret;
			op = add_op(c, a->type == DPU_HAL_ACTION_SET_IPV4_SRC ? SIM_OP_SET_IPV4_SRC :
				    SIM_OP_SET_IPV4_DST);
			op->u32 = s4->addr;
			as.modify = true;
			break;
		}
		case DPU_HAL_ACTION_SET_IPV6_SRC:
		case DPU_HAL_ACTION_SET_IPV6_DST: {
			const struct dpu_hal_action_set_ipv6 *s6 = a->conf;

			if (s6 == NULL)
				return AERR(-EINVAL, i, "action %d (%s): conf is required", i, name);
			if (as.encap)
				return AERR(-ENOTSUP, i, "action %d (%s): header change after TUNNEL_ENCAP", i, name);
			ret = need_hdr(as.l3 == L3_V6, i, name, "IPV6", err);
			if (ret < 0)
				return ret;
			op = add_op(c, a->type == DPU_HAL_ACTION_SET_IPV6_SRC ? SIM_OP_SET_IPV6_SRC :
				    SIM_OP_SET_IPV6_DST);
			if (add_data(c, op, s6->addr, 16) < 0)
				return AERR(-E2BIG, i, "action %d (%s): program too large", i, name);
			as.modify = true;
			break;
		}
		case DPU_HAL_ACTION_SET_TP_SRC:
		case DPU_HAL_ACTION_SET_TP_DST: {
			const struct dpu_hal_action_set_tp *tp = a->conf;

			if (tp == NULL)
				return AERR(-EINVAL, i, "action %d (%s): conf is required", i, name);
			if (as.encap)
				return AERR(-ENOTSUP, i, "action %d (%s): header change after TUNNEL_ENCAP", i, name);
			if (as.l4 == L4_SCTP)
				return AERR(-ENOTSUP, i, "action %d (%s): SCTP port rewrite is not supported", i, name);
			ret = need_hdr(as.l4 == L4_TCP || as.l4 == L4_UDP, i, name, "TCP/UDP", err);
			if (ret < 0)
				return ret;
			add_op(c, a->type == DPU_HAL_ACTION_SET_TP_SRC ? SIM_OP_SET_TP_SRC :
			       SIM_OP_SET_TP_DST)->u16 = tp->port;
			as.modify = true;
			break;
		}
		case DPU_HAL_ACTION_DEC_TTL:
			if (as.encap)
				return AERR(-ENOTSUP, i, "action %d (DEC_TTL): header change after TUNNEL_ENCAP", i);
			ret = need_hdr(as.l3 != L3_NONE, i, name, "IPV4/IPV6", err);
			if (ret < 0)
				return ret;
			add_op(c, SIM_OP_DEC_TTL);
			as.modify = true;
			break;
		case DPU_HAL_ACTION_METER: {
			const struct dpu_hal_action_meter *mt = a->conf;

			if (mt == NULL)
				return AERR(-EINVAL, i, "action %d (METER): conf is required", i);
			if (as.meter)
				return AERR(-EINVAL, i, "action %d (METER): second METER", i);
			if (mt->meter_id >= esw->conf.max_meters || esw->meters[mt->meter_id] == NULL)
				return AERR(-ENOENT, i, "action %d (METER): meter %u does not exist", i,
					    mt->meter_id);
			as.meter = true;
			add_op(c, SIM_OP_METER)->u32 = mt->meter_id;
			c->meter_id1 = mt->meter_id + 1;
			break;
		}
		case DPU_HAL_ACTION_AGE: {
			const struct dpu_hal_action_age *ag = a->conf;

			if (ag == NULL)
				return AERR(-EINVAL, i, "action %d (AGE): conf is required", i);
			if (as.age)
				return AERR(-EINVAL, i, "action %d (AGE): second AGE", i);
			if (ag->timeout == 0 || ag->timeout > 0xffffff)
				return AERR(-EINVAL, i, "action %d (AGE): timeout %u not in 1..0xffffff s", i,
					    ag->timeout);
			as.age = true;
			c->has_age = true;
			c->age_timeout_s = ag->timeout;
			c->age_ctx = ag->context;
			h->flags |= SIM_PROG_F_AGE;
			break;
		}
		case DPU_HAL_ACTION_SAMPLE:
			if (a->conf == NULL)
				return AERR(-EINVAL, i, "action %d (SAMPLE): conf is required", i);
			if (as.sample)
				return AERR(-ENOTSUP, i, "action %d (SAMPLE): only one SAMPLE per rule", i);
			as.sample = true;
			ret = compile_sample(esw, c, a->conf, i, err);
			if (ret < 0)
				return ret;
			break;
		case DPU_HAL_ACTION_IPSEC_ENCRYPT:
		case DPU_HAL_ACTION_IPSEC_DECRYPT:
		case DPU_HAL_ACTION_CT:
			return AERR(-ENOTSUP, i, "action %d (%s): not supported by the sim eSwitch (yet)",
				    i, name);
		default:
			return AERR(-ENOTSUP, i, "action %d (%s): not supported", i, name);
		}
	}
	if (as.fate_idx < 0)
		return AERR(-EINVAL, i, "no fate action (PORT, DROP, JUMP or TO_SW)");
	if (as.encap && h->fate != SIM_FATE_PORT && h->fate != SIM_FATE_JUMP)
		return AERR(-EINVAL, as.encap_idx,
			    "action %d (TUNNEL_ENCAP): needs an output fate (PORT or JUMP), not %s",
			    as.encap_idx, dpu_hal_action_name(actions[as.fate_idx].type));
	if (h->fate == SIM_FATE_JUMP && as.modify)
		h->flags |= SIM_PROG_F_REPARSE;
	return 0;
}

int
sim_compile(struct sim_esw *esw, const struct dpu_hal_attr *attr,
	    const struct dpu_hal_item *pattern, const struct dpu_hal_action *actions,
	    struct sim_compiled *c, struct dpu_hal_error *err)
{
	struct pstate ps = { .proto_from_l3 = -1, .in_proto_from_l3 = -1 };
	int ret;

	if (attr == NULL || pattern == NULL || actions == NULL)
		return dpu_hal_set_error(err, -EINVAL, DPU_HAL_ERR_ATTR, -1,
					 "attr, pattern and actions are required");
	if (attr->egress)
		return dpu_hal_set_error(err, -ENOTSUP, DPU_HAL_ERR_ATTR, -1,
					 "attr: egress domain is not modeled (use ingress/transfer)");
	if (!attr->ingress && !attr->transfer)
		return dpu_hal_set_error(err, -EINVAL, DPU_HAL_ERR_ATTR, -1,
					 "attr: ingress or transfer required");
	if (attr->group >= esw->conf.max_groups)
		return dpu_hal_set_error(err, -EINVAL, DPU_HAL_ERR_ATTR, -1,
					 "attr: group %u out of range (max %u)", attr->group,
					 esw->conf.max_groups - 1);
	if (attr->priority > esw->conf.max_priority)
		return dpu_hal_set_error(err, -EINVAL, DPU_HAL_ERR_ATTR, -1,
					 "attr: priority %u out of range (max %u)", attr->priority,
					 esw->conf.max_priority);
	/* ops and data are cleared as they are written: only zero the rest */
	memset(&c->key, 0, sizeof(c->key));
	memset(&c->mask, 0, sizeof(c->mask));
	memset(&c->prog.hdr, 0, sizeof(c->prog.hdr));
	c->age_timeout_s = 0;
	c->age_ctx = NULL;
	c->has_age = c->has_count = false;
	c->meter_id1 = 0;
	ret = compile_pattern(esw, pattern, c, &ps, err);
	if (ret < 0)
		return ret;
	ret = compile_actions(esw, attr, actions, &ps, c, err);
	if (ret < 0)
		return ret;
	return 0;
}
