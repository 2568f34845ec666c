// SPDX-License-Identifier: BSD-3-Clause
/*
 * Model -> ABI rule. Switchdev semantics (as mlx5 implements them):
 *  - a filter on a representor's ingress matches packets the function sent;
 *    mirred egress to a representor transmits to that function (OUTPUT);
 *    mirred ingress to a representor hands the packet to the representor
 *    netdev, i.e. the host stack (OUTPUT with TO_REPRESENTOR);
 *  - a filter on a vxlan/geneve netdev matches decapsulated packets that
 *    arrived on the uplink: PORT(uplink) + TUNNEL item, TUNNEL_DECAP first
 *    (unless all it does is jump: the next group matches the outer
 *    headers again and decapsulates there);
 *  - tunnel_key set + mirred redirect to a tunnel netdev is an encap sent
 *    out of the uplink: TUNNEL_ENCAP + OUTPUT(uplink);
 *  - pass (or running off the end of the actions) continues in the host
 *    stack of the ingress representor: OUTPUT(in_port, TO_REPRESENTOR).
 * Every tc filter is an eSwitch (FDB) rule: DPU_ABI_FLOWF_TRANSFER.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "dpu_rules_abi.h"

#define M(x) (1u << DPU_ABI_ITEM_##x)

struct xl {
	const struct dpu_rules_flow *f;
	const struct dpu_rules_resolver *r;
	struct dpu_rules_abi_flow *out;
	struct dpu_rules_result *res;
	struct dpu_rules_port_info in;
	const struct dpu_abi_act_tunnel_encap *encap; /* pending set */
	bool decapped;
	uint32_t seen; /* ABI action types emitted */
};

static int refuse(struct xl *x, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int refuse(struct xl *x, const char *fmt, ...)
{
	char buf[DPU_RULES_REASON_LEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return dpu_rules_fail(x->res, DPU_RULES_REFUSED, "%s", buf);
}

static union dpu_rules_abi_action *put(struct xl *x, uint16_t type,
				       uint16_t len, uint8_t tc_index)
{
	union dpu_rules_abi_action *a;

	if (x->out->n_actions >= DPU_ABI_MAX_ACTIONS) {
		refuse(x, "action %u: more than %d ABI actions", tc_index,
		       DPU_ABI_MAX_ACTIONS);
		return NULL;
	}
	/* The ABI allows one of these per rule (one conntrack pass, one
	 * encap/decap, one TTL decrement); tc can chain them. */
	if ((x->seen & (1u << type)) &&
	    (type == DPU_ABI_ACT_CT || type == DPU_ABI_ACT_TUNNEL_ENCAP ||
	     type == DPU_ABI_ACT_TUNNEL_DECAP || type == DPU_ABI_ACT_DEC_TTL)) {
		refuse(x, "action %u: a second %s in one rule (the card does one per rule)",
		       tc_index, dpu_abi_action_name(type));
		return NULL;
	}
	x->seen |= 1u << type;
	a = &x->out->actions[x->out->n_actions++];
	memset(a, 0, sizeof(*a));
	a->hdr.type = type;
	a->hdr.len = len;
	return a;
}

static int resolve(struct xl *x, uint32_t ifindex, uint8_t idx,
		   struct dpu_rules_port_info *pi)
{
	int err;

	memset(pi, 0, sizeof(*pi));
	err = x->r->port(x->r->ctx, ifindex, pi);
	if (err || pi->kind == DPU_RULES_PORT_NONE) {
		if (idx)
			return refuse(x, "action %u: if %u is not a port of the card",
				      idx, ifindex);
		return refuse(x, "dev if %u is not a port of the card", ifindex);
	}
	return 0;
}

static int ingress(struct xl *x)
{
	struct dpu_rules_match *m = &x->out->match;
	int err;

	err = resolve(x, x->f->id.ifindex, 0, &x->in);
	if (err)
		return err;
	m->items |= M(PORT);
	m->port.port_id = x->in.port_id;
	m->port_mask.port_id = 0xffffffffu;
	if (x->in.kind == DPU_RULES_PORT_CARD) {
		if (m->items & (M(TUNNEL) | M(GENEVE_OPT)))
			return refuse(x, "enc_* keys on if %u, which is not a tunnel device",
				      x->f->id.ifindex);
		return 0;
	}
	/* A tunnel netdev: software only sees what it decapsulated. */
	if (!(m->items & M(TUNNEL)))
		return refuse(x, "filter on tunnel device if %u without enc_src_ip/enc_dst_ip keys",
			      x->f->id.ifindex);
	if (x->in.tunnel_type != DPU_ABI_TUNNEL_VXLAN &&
	    x->in.tunnel_type != DPU_ABI_TUNNEL_GENEVE)
		return refuse(x, "if %u: tunnel type %u unknown", x->f->id.ifindex,
			      x->in.tunnel_type);
	if ((m->items & M(GENEVE_OPT)) && x->in.tunnel_type != DPU_ABI_TUNNEL_GENEVE)
		return refuse(x, "enc_opts geneve on a non-Geneve device if %u",
			      x->f->id.ifindex);
	m->tunnel.type = x->in.tunnel_type;
	m->tunnel_mask.type = 0xff;
	if (x->in.udp_port) {
		if (!m->tunnel_mask.dst_port) {
			m->tunnel.dst_port = htons(x->in.udp_port);
			m->tunnel_mask.dst_port = 0xffff;
		} else if ((m->tunnel.dst_port & m->tunnel_mask.dst_port) !=
			   (htons(x->in.udp_port) & m->tunnel_mask.dst_port)) {
			return refuse(x, "enc_dst_port %u never matches device if %u (port %u)",
				      ntohs(m->tunnel.dst_port), x->f->id.ifindex,
				      x->in.udp_port);
		}
	}
	/* A rule that only jumps (OVS: match the tunnel, goto chain N) leaves
	 * the packet encapsulated: the next group's rules are on the same
	 * tunnel device and match its outer headers again, which a decap
	 * here would have removed. They decapsulate. */
	bool only_jumps = x->f->n_actions > 0;

	for (unsigned int i = 0; i < x->f->n_actions; i++)
		if (x->f->actions[i].kind != DPU_RULES_ACT_JUMP)
			only_jumps = false;
	if (only_jumps)
		return 0;
	if (!put(x, DPU_ABI_ACT_TUNNEL_DECAP, sizeof(struct dpu_abi_act_empty), 0))
		return x->res->err;
	x->decapped = true;
	return 0;
}

static int output(struct xl *x, const struct dpu_rules_action *a)
{
	struct dpu_rules_port_info pi;
	union dpu_rules_abi_action *o;
	bool mirror = a->kind == DPU_RULES_ACT_MIRROR;
	int err;

	err = resolve(x, a->u.port.ifindex, a->tc_index, &pi);
	if (err)
		return err;
	if (pi.kind == DPU_RULES_PORT_TUNNEL) {
		union dpu_rules_abi_action *e;
		uint32_t uplink = pi.port_id;

		if (mirror || a->u.port.ingress)
			return refuse(x, "action %u: only an egress redirect to a tunnel device is an encap",
				      a->tc_index);
		if (!x->encap)
			return refuse(x, "action %u: redirect to tunnel device if %u without tunnel_key set",
				      a->tc_index, a->u.port.ifindex);
		if (!memcmp(x->encap->dst, (const uint8_t[16]){ 0 }, 16))
			return refuse(x, "action %u: tunnel_key set with an unspecified destination",
				      a->tc_index);
		if (!x->r->neigh)
			return refuse(x, "action %u: no neighbour resolver for the encap", a->tc_index);
		e = put(x, DPU_ABI_ACT_TUNNEL_ENCAP, sizeof(e->encap), a->tc_index);
		if (!e)
			return x->res->err;
		e->encap = *x->encap;
		e->encap.type = pi.tunnel_type;
		if (!e->encap.dst_port && pi.udp_port)
			e->encap.dst_port = htons(pi.udp_port);
		if (e->encap.opts_len && pi.tunnel_type != DPU_ABI_TUNNEL_GENEVE)
			return refuse(x, "action %u: Geneve options on a non-Geneve device",
				      a->tc_index);
		if (x->r->neigh(x->r->ctx, e->encap.ip_version, e->encap.dst,
				e->encap.eth_src, e->encap.eth_dst, &uplink))
			return refuse(x, "action %u: no neighbour for the tunnel destination",
				      a->tc_index);
		x->encap = NULL;
		o = put(x, DPU_ABI_ACT_OUTPUT, sizeof(o->port), a->tc_index);
		if (o)
			o->port.port_id = uplink;
		return x->res->err;
	}
	if (x->encap)
		return refuse(x, "action %u: tunnel_key set, then output to if %u which is not a tunnel device",
			      a->tc_index, a->u.port.ifindex);
	o = put(x, mirror ? DPU_ABI_ACT_MIRROR : DPU_ABI_ACT_OUTPUT,
		sizeof(o->port), a->tc_index);
	if (!o)
		return x->res->err;
	o->port.port_id = pi.port_id;
	if (a->u.port.ingress)
		o->port.flags = DPU_ABI_OUT_TO_REPRESENTOR;
	if (mirror)
		o->port.ratio = 1;
	return 0;
}

static int meter(struct xl *x, const struct dpu_rules_action *a)
{
	struct dpu_rules_act_police p = a->u.police;
	union dpu_rules_abi_action *o;

	if (p.index == 0)
		return refuse(x, "action %u: police without an index (the kernel assigns one; translate its notification)",
			      a->tc_index);
	if (p.by_reference) {
		/* Only the index counts; the parameters are the action's. */
		memset(&p, 0, sizeof(p));
		p.index = a->u.police.index;
		if (!x->r->meter || x->r->meter(x->r->ctx, p.index, &p))
			return refuse(x, "action %u: police index %u refers to an action whose rate is unknown",
				      a->tc_index, p.index);
	}
	if (!p.rate || !p.burst)
		return refuse(x, "action %u: police index %u without rate/burst",
			      a->tc_index, p.index);
	if (p.peakrate && p.peakrate < p.rate)
		return refuse(x, "action %u: police index %u peakrate below rate",
			      a->tc_index, p.index);
	if (p.exceed >= DPU_ABI_METER_V_VERDICT_MAX)
		return refuse(x, "action %u: police index %u exceed verdict %u unknown",
			      a->tc_index, p.index, p.exceed);
	o = put(x, DPU_ABI_ACT_METER, sizeof(o->meter), a->tc_index);
	if (!o)
		return x->res->err;
	o->meter.meter_id = p.index;
	o->meter.mode = p.peakrate ? DPU_ABI_METER_TRTCM : DPU_ABI_METER_SRTCM;
	o->meter.flags = p.pps ? DPU_ABI_METER_PPS : 0;
	/* tc has two colours: above either bucket is "exceed". */
	o->meter.yellow = p.exceed;
	o->meter.red = p.exceed;
	o->meter.cir = p.rate;
	o->meter.cbs = p.burst;
	if (p.peakrate) {
		o->meter.eir = p.peakrate;
		o->meter.ebs = p.mtu ? p.mtu : p.burst;
	}
	return 0;
}

/*
 * "ct clear" followed by another ct (OVS: ct_clear, ct(zone=..)) is one
 * conntrack pass: the lookup replaces the whole ct state the clear would
 * have reset, and no action in between reads it. Drop the clear so the
 * rule fits the ABI's one CT per rule.
 */
static void drop_ct_clear(struct xl *x)
{
	unsigned int i;

	for (i = 0; i < x->out->n_actions; i++) {
		union dpu_rules_abi_action *a = &x->out->actions[i];

		if (a->hdr.type == DPU_ABI_ACT_CT &&
		    (a->ct.flags & DPU_ABI_CTF_CLEAR)) {
			memmove(a, a + 1, (x->out->n_actions - i - 1) * sizeof(*a));
			x->out->n_actions--;
			x->seen &= ~(1u << DPU_ABI_ACT_CT);
			return;
		}
	}
}

static int action(struct xl *x, const struct dpu_rules_action *a)
{
	union dpu_rules_abi_action *o;

	switch (a->kind) {
	case DPU_RULES_ACT_DROP:
		put(x, DPU_ABI_ACT_DROP, sizeof(o->empty), a->tc_index);
		break;
	case DPU_RULES_ACT_TO_HOST:
		if (x->in.kind != DPU_RULES_PORT_CARD)
			return refuse(x, "action %u: pass on a tunnel device (the decapsulated packet's host path is the tunnel netdev, not a representor)",
				      a->tc_index);
		o = put(x, DPU_ABI_ACT_OUTPUT, sizeof(o->port), a->tc_index);
		if (o) {
			o->port.port_id = x->in.port_id;
			o->port.flags = DPU_ABI_OUT_TO_REPRESENTOR;
		}
		break;
	case DPU_RULES_ACT_REDIRECT:
	case DPU_RULES_ACT_MIRROR:
		return output(x, a);
	case DPU_RULES_ACT_JUMP:
		if (a->u.chain > DPU_ABI_GROUP_MAX)
			return refuse(x, "action %u: goto chain %u beyond the card's groups",
				      a->tc_index, a->u.chain);
		if (a->u.chain == x->f->id.chain)
			return refuse(x, "action %u: goto chain %u is the filter's own chain (a loop)",
				      a->tc_index, a->u.chain);
		o = put(x, DPU_ABI_ACT_JUMP, sizeof(o->u32), a->tc_index);
		if (o)
			o->u32.value = a->u.chain;
		break;
	case DPU_RULES_ACT_VLAN_PUSH:
	case DPU_RULES_ACT_VLAN_SET:
		o = put(x, a->u.vlan.hdr.type, sizeof(o->vlan), a->tc_index);
		if (o)
			o->vlan = a->u.vlan;
		break;
	case DPU_RULES_ACT_VLAN_POP:
		put(x, DPU_ABI_ACT_VLAN_POP, sizeof(o->empty), a->tc_index);
		break;
	case DPU_RULES_ACT_TUNNEL_SET:
		if (x->encap)
			return refuse(x, "action %u: second tunnel_key set before an output",
				      a->tc_index);
		x->encap = &a->u.encap;
		break;
	case DPU_RULES_ACT_TUNNEL_UNSET:
		/* OVS emits it first on tunnel devices; the decap is already
		 * the rule's first action there. */
		if (!x->decapped)
			return refuse(x, "action %u: tunnel_key unset on if %u, which is not a tunnel device",
				      a->tc_index, x->f->id.ifindex);
		break;
	case DPU_RULES_ACT_SET_FIELD:
		o = put(x, DPU_ABI_ACT_SET_FIELD, sizeof(o->set), a->tc_index);
		if (o)
			o->set = a->u.set;
		break;
	case DPU_RULES_ACT_DEC_TTL:
		put(x, DPU_ABI_ACT_DEC_TTL, sizeof(o->empty), a->tc_index);
		break;
	case DPU_RULES_ACT_CSUM:
		break; /* the card fixes checksums after every rewrite */
	case DPU_RULES_ACT_CT:
		drop_ct_clear(x);
		o = put(x, DPU_ABI_ACT_CT, sizeof(o->ct), a->tc_index);
		if (o)
			o->ct = a->u.ct;
		break;
	case DPU_RULES_ACT_POLICE:
		return meter(x, a);
	default:
		return refuse(x, "action %u: model action %u unknown", a->tc_index,
			      a->kind);
	}
	return x->res->err;
}

int dpu_rules_to_abi(const struct dpu_rules_flow *f,
		     const struct dpu_rules_resolver *r,
		     struct dpu_rules_abi_flow *out,
		     struct dpu_rules_result *res)
{
	struct xl x = { .f = f, .r = r, .out = out, .res = res };
	unsigned int i;
	int err;

	memset(res, 0, sizeof(*res));
	/* Not the action slots: put() clears each one it hands out. */
	memset(out, 0, offsetof(struct dpu_rules_abi_flow, actions));
	dpu_rules_tc_flow_id(&f->id, &out->id);
	out->flags = DPU_ABI_FLOWF_TRANSFER;
	out->group = f->id.chain;
	out->priority = f->id.prio;
	if (f->id.dir != DPU_RULES_DIR_INGRESS)
		return refuse(&x, "only ingress filters are offloaded");
	if (f->id.chain > DPU_ABI_GROUP_MAX)
		return refuse(&x, "chain %u beyond the card's groups (max %u)",
			      f->id.chain, DPU_ABI_GROUP_MAX);
	if (f->id.prio == 0 || f->id.handle == 0)
		return refuse(&x, "prio/handle 0: the kernel assigns them; translate its notification, not the request");
	if (f->op == DPU_RULES_OP_DEL)
		return 0;
	if (!r || !r->port)
		return refuse(&x, "no port resolver");
	out->match = f->match;
	out->match.items &= ~M(PORT);
	err = ingress(&x);
	if (err)
		return err;
	if (!put(&x, DPU_ABI_ACT_COUNT, sizeof(struct dpu_abi_act_u32), 0))
		return res->err;
	for (i = 0; i < f->n_actions; i++) {
		err = action(&x, &f->actions[i]);
		if (err)
			return err;
	}
	if (x.encap)
		return refuse(&x, "tunnel_key set without a redirect to a tunnel device");
	/* The ABI wants a fate last; the decoder always ends the list with
	 * one, so this only guards models built by other means. */
	switch (out->actions[out->n_actions - 1].hdr.type) {
	case DPU_ABI_ACT_DROP:
	case DPU_ABI_ACT_OUTPUT:
	case DPU_ABI_ACT_JUMP:
	case DPU_ABI_ACT_TO_SOFTWARE:
		return 0;
	}
	return refuse(&x, "the actions end without a fate (drop, output or goto)");
}
