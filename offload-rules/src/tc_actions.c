// SPDX-License-Identifier: BSD-3-Clause
/*
 * TCA_FLOWER_ACT -> model actions.
 *
 * Every tc action carries a control verdict (tc_gen.action; police: its
 * conform result). We translate the action, then its verdict: pipe goes on,
 * pass ends at the host stack, drop drops, goto chain jumps; anything else
 * (reclassify, continue, jump, trap, ...) is refused because it depends on
 * software state the card does not have. A terminal action followed by more
 * actions is refused as well: tc would never run them, but a rule written
 * that way is a mistake we should show rather than hide.
 */
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/pkt_cls.h>
#include <linux/pkt_sched.h>
#include <linux/tc_act/tc_csum.h>
#include <linux/tc_act/tc_ct.h>
#include <linux/tc_act/tc_gact.h>
#include <linux/tc_act/tc_mirred.h>
#include <linux/tc_act/tc_pedit.h>
#include <linux/tc_act/tc_tunnel_key.h>
#include <linux/tc_act/tc_vlan.h>
#include <string.h>

#include "tc_nl.h"

#define F(t, n) [t] = { #t, TC_A_FIXED, TC_USE, n, NULL }
#define NEST(t) [t] = { #t, TC_A_NESTED, TC_USE, 0, NULL }
#define SKIP(t, k, n) [t] = { #t, k, TC_SKIP, n, NULL }
#define NO(t, k, n, why) [t] = { #t, k, TC_REFUSE, n, why }

#define TC_COOKIE_MAX 16

static const struct tc_attr act_attrs[TCA_ACT_MAX + 1] = {
	[TCA_ACT_KIND] = { "TCA_ACT_KIND", TC_A_STRING, TC_USE, 16, NULL },
	NEST(TCA_ACT_OPTIONS),
	F(TCA_ACT_INDEX, 4),
	SKIP(TCA_ACT_STATS, TC_A_NESTED, 0),
	SKIP(TCA_ACT_PAD, TC_A_MIN, 0),
	[TCA_ACT_COOKIE] = { "TCA_ACT_COOKIE", TC_A_MAX, TC_USE, TC_COOKIE_MAX, NULL },
	F(TCA_ACT_FLAGS, 8),
	F(TCA_ACT_HW_STATS, 8),
	SKIP(TCA_ACT_USED_HW_STATS, TC_A_FIXED, 8),
	SKIP(TCA_ACT_IN_HW_COUNT, TC_A_FIXED, 4),
};

#define TM_LEN sizeof(struct tcf_t)

static const struct tc_attr gact_attrs[TCA_GACT_MAX + 1] = {
	SKIP(TCA_GACT_TM, TC_A_FIXED, TM_LEN),
	F(TCA_GACT_PARMS, sizeof(struct tc_gact)),
	NO(TCA_GACT_PROB, TC_A_FIXED, sizeof(struct tc_gact_p),
	   "random/deterministic gact probability is not offloadable"),
	SKIP(TCA_GACT_PAD, TC_A_MIN, 0),
};

static const struct tc_attr mirred_attrs[TCA_MIRRED_MAX + 1] = {
	SKIP(TCA_MIRRED_TM, TC_A_FIXED, TM_LEN),
	F(TCA_MIRRED_PARMS, sizeof(struct tc_mirred)),
	SKIP(TCA_MIRRED_PAD, TC_A_MIN, 0),
};

static const struct tc_attr vlan_attrs[TCA_VLAN_MAX + 1] = {
	SKIP(TCA_VLAN_TM, TC_A_FIXED, TM_LEN),
	F(TCA_VLAN_PARMS, sizeof(struct tc_vlan)),
	F(TCA_VLAN_PUSH_VLAN_ID, 2),
	F(TCA_VLAN_PUSH_VLAN_PROTOCOL, 2),
	SKIP(TCA_VLAN_PAD, TC_A_MIN, 0),
	F(TCA_VLAN_PUSH_VLAN_PRIORITY, 1),
	NO(TCA_VLAN_PUSH_ETH_DST, TC_A_FIXED, 6, "push_eth has no ABI action"),
	NO(TCA_VLAN_PUSH_ETH_SRC, TC_A_FIXED, 6, "push_eth has no ABI action"),
};

static const struct tc_attr tunnel_attrs[TCA_TUNNEL_KEY_MAX + 1] = {
	SKIP(TCA_TUNNEL_KEY_TM, TC_A_FIXED, TM_LEN),
	F(TCA_TUNNEL_KEY_PARMS, sizeof(struct tc_tunnel_key)),
	F(TCA_TUNNEL_KEY_ENC_IPV4_SRC, 4),
	F(TCA_TUNNEL_KEY_ENC_IPV4_DST, 4),
	F(TCA_TUNNEL_KEY_ENC_IPV6_SRC, 16),
	F(TCA_TUNNEL_KEY_ENC_IPV6_DST, 16),
	F(TCA_TUNNEL_KEY_ENC_KEY_ID, 4),
	SKIP(TCA_TUNNEL_KEY_PAD, TC_A_MIN, 0),
	F(TCA_TUNNEL_KEY_ENC_DST_PORT, 2),
	F(TCA_TUNNEL_KEY_NO_CSUM, 1),
	NEST(TCA_TUNNEL_KEY_ENC_OPTS),
	F(TCA_TUNNEL_KEY_ENC_TOS, 1),
	F(TCA_TUNNEL_KEY_ENC_TTL, 1),
};

static const struct tc_attr tunnel_opts_attrs[TCA_TUNNEL_KEY_ENC_OPTS_MAX + 1] = {
	[TCA_TUNNEL_KEY_ENC_OPTS_GENEVE] = { "TCA_TUNNEL_KEY_ENC_OPTS_GENEVE",
		TC_A_LIST, TC_USE, 0, NULL },
	NO(TCA_TUNNEL_KEY_ENC_OPTS_VXLAN, TC_A_NESTED, 0,
	   "VXLAN GBP encap options have no ABI form"),
	NO(TCA_TUNNEL_KEY_ENC_OPTS_ERSPAN, TC_A_NESTED, 0,
	   "ERSPAN encap options have no ABI form"),
};

static const struct tc_attr geneve_attrs[TCA_TUNNEL_KEY_ENC_OPT_GENEVE_MAX + 1] = {
	F(TCA_TUNNEL_KEY_ENC_OPT_GENEVE_CLASS, 2),
	F(TCA_TUNNEL_KEY_ENC_OPT_GENEVE_TYPE, 1),
	[TCA_TUNNEL_KEY_ENC_OPT_GENEVE_DATA] = { "TCA_TUNNEL_KEY_ENC_OPT_GENEVE_DATA",
		TC_A_MAX, TC_USE, 128, NULL },
};

static const struct tc_attr csum_attrs[TCA_CSUM_MAX + 1] = {
	F(TCA_CSUM_PARMS, sizeof(struct tc_csum)),
	SKIP(TCA_CSUM_TM, TC_A_FIXED, TM_LEN),
	SKIP(TCA_CSUM_PAD, TC_A_MIN, 0),
};

static const struct tc_attr ct_attrs[TCA_CT_MAX + 1] = {
	F(TCA_CT_PARMS, sizeof(struct tc_ct)),
	SKIP(TCA_CT_TM, TC_A_FIXED, TM_LEN),
	F(TCA_CT_ACTION, 2),
	F(TCA_CT_ZONE, 2),
	F(TCA_CT_MARK, 4),
	F(TCA_CT_MARK_MASK, 4),
	[TCA_CT_LABELS] = { "TCA_CT_LABELS", TC_A_UPTO, TC_USE, 16, NULL },
	[TCA_CT_LABELS_MASK] = { "TCA_CT_LABELS_MASK", TC_A_UPTO, TC_USE, 16, NULL },
	F(TCA_CT_NAT_IPV4_MIN, 4),
	F(TCA_CT_NAT_IPV4_MAX, 4),
	F(TCA_CT_NAT_IPV6_MIN, 16),
	F(TCA_CT_NAT_IPV6_MAX, 16),
	F(TCA_CT_NAT_PORT_MIN, 2),
	F(TCA_CT_NAT_PORT_MAX, 2),
	SKIP(TCA_CT_PAD, TC_A_MIN, 0),
};

static const struct tc_attr police_attrs[TCA_POLICE_MAX + 1] = {
	F(TCA_POLICE_TBF, sizeof(struct tc_police)),
	F(TCA_POLICE_RATE, TC_RTAB_SIZE),
	F(TCA_POLICE_PEAKRATE, TC_RTAB_SIZE),
	NO(TCA_POLICE_AVRATE, TC_A_FIXED, 4, "average-rate policing is not offloadable"),
	F(TCA_POLICE_RESULT, 4),
	SKIP(TCA_POLICE_TM, TC_A_FIXED, TM_LEN),
	SKIP(TCA_POLICE_PAD, TC_A_MIN, 0),
	F(TCA_POLICE_RATE64, 8),
	F(TCA_POLICE_PEAKRATE64, 8),
	F(TCA_POLICE_PKTRATE64, 8),
	F(TCA_POLICE_PKTBURST64, 8),
};

/* Verdict bookkeeping across the action list. */
struct act_state {
	struct tc_ctx *c;
	uint8_t idx;         /* current tc action, 1-based */
	uint8_t terminal;    /* index of the action that ended the list */
	uint32_t csum_need;  /* TCA_CSUM_UPDATE_FLAG_* rewrites still need */
	uint8_t csum_idx;    /* the rewrite that set csum_need first */
};

static struct dpu_rules_action *add(struct act_state *s, uint8_t kind)
{
	return dpu_rules_add_action(s->c->f, kind, s->idx, s->c->res);
}

static const char *verdict_name(int v)
{
	switch (v) {
	case TC_ACT_UNSPEC: return "continue";
	case TC_ACT_OK: return "pass";
	case TC_ACT_RECLASSIFY: return "reclassify";
	case TC_ACT_SHOT: return "drop";
	case TC_ACT_PIPE: return "pipe";
	case TC_ACT_STOLEN: return "stolen";
	case TC_ACT_QUEUED: return "queued";
	case TC_ACT_REPEAT: return "repeat";
	case TC_ACT_REDIRECT: return "redirect";
	case TC_ACT_TRAP: return "trap";
	}
	if (TC_ACT_EXT_CMP(v, TC_ACT_JUMP))
		return "jump";
	return "?";
}

/* Apply the control verdict of the action just translated. */
static int verdict(struct act_state *s, int v)
{
	struct dpu_rules_action *a;

	if (v == TC_ACT_PIPE)
		return 0;
	if (v == TC_ACT_OK) {
		add(s, DPU_RULES_ACT_TO_HOST);
	} else if (v == TC_ACT_SHOT) {
		add(s, DPU_RULES_ACT_DROP);
	} else if (TC_ACT_EXT_CMP(v, TC_ACT_GOTO_CHAIN)) {
		a = add(s, DPU_RULES_ACT_JUMP);
		if (a)
			a->u.chain = (uint32_t)v & TC_ACT_EXT_VAL_MASK;
	} else {
		return tc_refuse(s->c, "action %u: control verdict %s (%d) depends on software classification state",
				 s->idx, verdict_name(v), v);
	}
	s->terminal = s->idx;
	return 0;
}

static int act_gact(struct act_state *s, const struct nlattr *opts)
{
	struct nlattr *tb[TCA_GACT_MAX + 1];
	struct tc_gact p;
	int err;

	err = tc_parse_nested(s->c, tb, TCA_GACT_MAX, opts, gact_attrs,
			      "gact TCA_ACT_OPTIONS");
	if (err)
		return err;
	if (!tb[TCA_GACT_PARMS])
		return tc_malformed(s->c, "TCA_GACT_PARMS: missing");
	tc_get(tb[TCA_GACT_PARMS], &p, sizeof(p));
	return verdict(s, p.action);
}

static int act_mirred(struct act_state *s, const struct nlattr *opts)
{
	struct nlattr *tb[TCA_MIRRED_MAX + 1];
	struct dpu_rules_action *a;
	struct tc_mirred p;
	bool redirect;
	int err;

	err = tc_parse_nested(s->c, tb, TCA_MIRRED_MAX, opts, mirred_attrs,
			      "mirred TCA_ACT_OPTIONS");
	if (err)
		return err;
	if (!tb[TCA_MIRRED_PARMS])
		return tc_malformed(s->c, "TCA_MIRRED_PARMS: missing");
	tc_get(tb[TCA_MIRRED_PARMS], &p, sizeof(p));
	switch (p.eaction) {
	case TCA_EGRESS_REDIR:
	case TCA_INGRESS_REDIR:
		redirect = true;
		break;
	case TCA_EGRESS_MIRROR:
	case TCA_INGRESS_MIRROR:
		redirect = false;
		break;
	default:
		return tc_malformed(s->c, "TCA_MIRRED_PARMS: eaction %d unknown",
				    p.eaction);
	}
	if (p.ifindex == 0)
		return tc_malformed(s->c, "TCA_MIRRED_PARMS: ifindex 0");
	a = add(s, redirect ? DPU_RULES_ACT_REDIRECT : DPU_RULES_ACT_MIRROR);
	if (!a)
		return 0;
	a->u.port.ifindex = p.ifindex;
	a->u.port.ingress = p.eaction == TCA_INGRESS_REDIR ||
			    p.eaction == TCA_INGRESS_MIRROR;
	if (redirect) {
		/* tc sets stolen for a redirect: the packet is gone. */
		if (p.action != TC_ACT_STOLEN)
			return tc_refuse(s->c, "action %u: mirred redirect with verdict %s",
					 s->idx, verdict_name(p.action));
		s->terminal = s->idx;
		return 0;
	}
	return verdict(s, p.action);
}

static int act_vlan(struct act_state *s, const struct nlattr *opts)
{
	struct dpu_rules_match *m = &s->c->f->match;
	struct nlattr *tb[TCA_VLAN_MAX + 1];
	struct dpu_rules_action *a;
	uint16_t vid = 0, proto = ETH_P_8021Q;
	uint8_t prio = 0;
	struct tc_vlan p;
	int err;

	err = tc_parse_nested(s->c, tb, TCA_VLAN_MAX, opts, vlan_attrs,
			      "vlan TCA_ACT_OPTIONS");
	if (err)
		return err;
	if (!tb[TCA_VLAN_PARMS])
		return tc_malformed(s->c, "TCA_VLAN_PARMS: missing");
	tc_get(tb[TCA_VLAN_PARMS], &p, sizeof(p));
	if (tb[TCA_VLAN_PUSH_VLAN_ID]) {
		vid = nla_get_u16(tb[TCA_VLAN_PUSH_VLAN_ID]);
		/* as act_vlan: 4095 is reserved by 802.1Q */
		if (vid >= 0xfff)
			return tc_malformed(s->c, "TCA_VLAN_PUSH_VLAN_ID: %u not in 0..4094", vid);
	}
	if (tb[TCA_VLAN_PUSH_VLAN_PROTOCOL]) {
		proto = ntohs(nla_get_u16(tb[TCA_VLAN_PUSH_VLAN_PROTOCOL]));
		if (proto != ETH_P_8021Q && proto != ETH_P_8021AD)
			return tc_refuse(s->c, "TCA_VLAN_PUSH_VLAN_PROTOCOL: 0x%04x is not 802.1Q/802.1AD",
					 proto);
	}
	if (tb[TCA_VLAN_PUSH_VLAN_PRIORITY]) {
		prio = nla_get_u8(tb[TCA_VLAN_PUSH_VLAN_PRIORITY]);
		if (prio > 7)
			return tc_malformed(s->c, "TCA_VLAN_PUSH_VLAN_PRIORITY: %u > 7", prio);
	}
	switch (p.v_action) {
	case TCA_VLAN_ACT_POP:
		add(s, DPU_RULES_ACT_VLAN_POP);
		break;
	case TCA_VLAN_ACT_PUSH:
		if (!tb[TCA_VLAN_PUSH_VLAN_ID])
			return tc_malformed(s->c, "TCA_VLAN_PUSH_VLAN_ID: missing for push");
		a = add(s, DPU_RULES_ACT_VLAN_PUSH);
		if (!a)
			return 0;
		a->u.vlan.hdr.type = DPU_ABI_ACT_VLAN_PUSH;
		a->u.vlan.hdr.len = sizeof(a->u.vlan);
		a->u.vlan.tpid = htons(proto);
		a->u.vlan.tci = htons((uint16_t)(prio << 13 | vid));
		break;
	case TCA_VLAN_ACT_MODIFY:
		if (!tb[TCA_VLAN_PUSH_VLAN_ID])
			return tc_malformed(s->c, "TCA_VLAN_PUSH_VLAN_ID: missing for modify");
		/* The kernel's modify also rewrites the TPID to proto; the
		 * ABI's VLAN_SET keeps it, so that is only the same when the
		 * rule already pins the outer TPID to proto. */
		if (!(m->items & (1u << DPU_ABI_ITEM_VLAN)) ||
		    m->vlan.tpid != htons(proto))
			return tc_refuse(s->c, "action %u: vlan modify may rewrite the TPID to 0x%04x; match the outer tag's protocol to offload it",
					 s->idx, proto);
		a = add(s, DPU_RULES_ACT_VLAN_SET);
		if (!a)
			return 0;
		a->u.vlan.hdr.type = DPU_ABI_ACT_VLAN_SET;
		a->u.vlan.hdr.len = sizeof(a->u.vlan);
		a->u.vlan.tci = htons((uint16_t)(prio << 13 | vid));
		a->u.vlan.tci_mask = htons(tb[TCA_VLAN_PUSH_VLAN_PRIORITY] ?
					   0xefff : 0x0fff);
		break;
	case TCA_VLAN_ACT_POP_ETH:
	case TCA_VLAN_ACT_PUSH_ETH:
		return tc_refuse(s->c, "action %u: vlan pop_eth/push_eth has no ABI action",
				 s->idx);
	default:
		return tc_malformed(s->c, "TCA_VLAN_PARMS: v_action %d unknown",
				    p.v_action);
	}
	return verdict(s, p.action);
}

static int encap_opts(struct act_state *s, const struct nlattr *opts,
		      struct dpu_abi_act_tunnel_encap *e)
{
	struct nlattr *tb[TCA_TUNNEL_KEY_ENC_OPTS_MAX + 1];
	struct nlattr *g[TCA_TUNNEL_KEY_ENC_OPT_GENEVE_MAX + 1];
	const struct nlattr *a;
	int rem, err;

	err = tc_parse_nested(s->c, tb, TCA_TUNNEL_KEY_ENC_OPTS_MAX, opts,
			      tunnel_opts_attrs, "TCA_TUNNEL_KEY_ENC_OPTS");
	if (err || !tb[TCA_TUNNEL_KEY_ENC_OPTS_GENEVE])
		return err;
	/* An option list: serialise every entry, in order. */
	nla_for_each_nested(a, opts, rem) {
		size_t dlen = 0;
		uint8_t *o;

		if (nla_type(a) != TCA_TUNNEL_KEY_ENC_OPTS_GENEVE)
			continue;
		err = tc_parse_nested(s->c, g, TCA_TUNNEL_KEY_ENC_OPT_GENEVE_MAX,
				      a, geneve_attrs,
				      "TCA_TUNNEL_KEY_ENC_OPTS_GENEVE");
		if (err)
			return err;
		if (!g[TCA_TUNNEL_KEY_ENC_OPT_GENEVE_CLASS] ||
		    !g[TCA_TUNNEL_KEY_ENC_OPT_GENEVE_TYPE] ||
		    !g[TCA_TUNNEL_KEY_ENC_OPT_GENEVE_DATA])
			return tc_malformed(s->c, "TCA_TUNNEL_KEY_ENC_OPTS_GENEVE: class, type and data are required");
		dlen = (size_t)nla_len(g[TCA_TUNNEL_KEY_ENC_OPT_GENEVE_DATA]);
		if (dlen % 4)
			return tc_malformed(s->c, "TCA_TUNNEL_KEY_ENC_OPT_GENEVE_DATA: %zu bytes, not a multiple of 4",
					    dlen);
		if (e->opts_len + 4 + dlen > sizeof(e->opts))
			return tc_refuse(s->c, "TCA_TUNNEL_KEY_ENC_OPTS: Geneve options over %zu bytes",
					 sizeof(e->opts));
		o = e->opts + e->opts_len;
		memcpy(o, nla_data(g[TCA_TUNNEL_KEY_ENC_OPT_GENEVE_CLASS]), 2);
		o[2] = nla_get_u8(g[TCA_TUNNEL_KEY_ENC_OPT_GENEVE_TYPE]);
		o[3] = (uint8_t)(dlen / 4); /* R bits 0, length in words */
		memcpy(o + 4, nla_data(g[TCA_TUNNEL_KEY_ENC_OPT_GENEVE_DATA]), dlen);
		e->opts_len = (uint8_t)(e->opts_len + 4 + dlen);
	}
	return 0;
}

static int act_tunnel_key(struct act_state *s, const struct nlattr *opts)
{
	struct nlattr *tb[TCA_TUNNEL_KEY_MAX + 1];
	struct dpu_abi_act_tunnel_encap *e;
	struct dpu_rules_action *a;
	struct tc_tunnel_key p;
	int err;

	err = tc_parse_nested(s->c, tb, TCA_TUNNEL_KEY_MAX, opts, tunnel_attrs,
			      "tunnel_key TCA_ACT_OPTIONS");
	if (err)
		return err;
	if (!tb[TCA_TUNNEL_KEY_PARMS])
		return tc_malformed(s->c, "TCA_TUNNEL_KEY_PARMS: missing");
	tc_get(tb[TCA_TUNNEL_KEY_PARMS], &p, sizeof(p));
	if (p.t_action == TCA_TUNNEL_KEY_ACT_RELEASE) {
		add(s, DPU_RULES_ACT_TUNNEL_UNSET);
		return verdict(s, p.action);
	}
	if (p.t_action != TCA_TUNNEL_KEY_ACT_SET)
		return tc_malformed(s->c, "TCA_TUNNEL_KEY_PARMS: t_action %d unknown",
				    p.t_action);
	a = add(s, DPU_RULES_ACT_TUNNEL_SET);
	if (!a)
		return 0;
	e = &a->u.encap;
	e->hdr.type = DPU_ABI_ACT_TUNNEL_ENCAP;
	e->hdr.len = sizeof(*e);
	if (tb[TCA_TUNNEL_KEY_ENC_IPV4_DST]) {
		if (tb[TCA_TUNNEL_KEY_ENC_IPV6_SRC] || tb[TCA_TUNNEL_KEY_ENC_IPV6_DST])
			return tc_malformed(s->c, "TCA_TUNNEL_KEY_ENC_IPV6_*: mixed with an IPv4 destination");
		e->ip_version = 4;
		tc_get(tb[TCA_TUNNEL_KEY_ENC_IPV4_DST], e->dst, 4);
		if (tb[TCA_TUNNEL_KEY_ENC_IPV4_SRC])
			tc_get(tb[TCA_TUNNEL_KEY_ENC_IPV4_SRC], e->src, 4);
	} else if (tb[TCA_TUNNEL_KEY_ENC_IPV6_DST]) {
		if (tb[TCA_TUNNEL_KEY_ENC_IPV4_SRC])
			return tc_malformed(s->c, "TCA_TUNNEL_KEY_ENC_IPV4_SRC: mixed with an IPv6 destination");
		e->ip_version = 6;
		tc_get(tb[TCA_TUNNEL_KEY_ENC_IPV6_DST], e->dst, 16);
		if (tb[TCA_TUNNEL_KEY_ENC_IPV6_SRC])
			tc_get(tb[TCA_TUNNEL_KEY_ENC_IPV6_SRC], e->src, 16);
	} else {
		return tc_refuse(s->c, "action %u: tunnel_key set without a destination address (metadata-only encap)",
				 s->idx);
	}
	if (tb[TCA_TUNNEL_KEY_ENC_KEY_ID]) {
		uint32_t vni = ntohl(nla_get_u32(tb[TCA_TUNNEL_KEY_ENC_KEY_ID]));

		if (vni > 0xffffff)
			return tc_refuse(s->c, "TCA_TUNNEL_KEY_ENC_KEY_ID: %u does not fit a 24-bit VNI",
					 vni);
		e->vni = htonl(vni);
	}
	if (tb[TCA_TUNNEL_KEY_ENC_DST_PORT])
		e->dst_port = nla_get_u16(tb[TCA_TUNNEL_KEY_ENC_DST_PORT]);
	if (tb[TCA_TUNNEL_KEY_ENC_TOS])
		e->tos = nla_get_u8(tb[TCA_TUNNEL_KEY_ENC_TOS]);
	if (tb[TCA_TUNNEL_KEY_ENC_TTL])
		e->ttl = nla_get_u8(tb[TCA_TUNNEL_KEY_ENC_TTL]);
	/* The kernel's default is a checksummed outer UDP header. */
	if (!tb[TCA_TUNNEL_KEY_NO_CSUM] || !nla_get_u8(tb[TCA_TUNNEL_KEY_NO_CSUM]))
		e->flags |= DPU_ABI_ENCAP_UDP_CSUM;
	if (tb[TCA_TUNNEL_KEY_ENC_OPTS]) {
		err = encap_opts(s, tb[TCA_TUNNEL_KEY_ENC_OPTS], e);
		if (err)
			return err;
	}
	return verdict(s, p.action);
}

/* L4 checksum flag the matched ip_proto needs after an IP/L4 rewrite,
 * as OVS's tc offload computes it (csum_update_flag()). */
static uint32_t l4_csum_flag(const struct dpu_rules_match *m)
{
	uint8_t proto = 0;

	if ((m->items & (1u << DPU_ABI_ITEM_IPV4)) && m->ipv4_mask.proto == 0xff)
		proto = m->ipv4.proto;
	if ((m->items & (1u << DPU_ABI_ITEM_IPV6)) && m->ipv6_mask.proto == 0xff)
		proto = m->ipv6.proto;
	if (proto == 6)
		return TCA_CSUM_UPDATE_FLAG_TCP;
	if (proto == 17)
		return TCA_CSUM_UPDATE_FLAG_UDP;
	return 0;
}

static int act_csum(struct act_state *s, const struct nlattr *opts)
{
	const uint32_t ok = TCA_CSUM_UPDATE_FLAG_IPV4HDR |
			    TCA_CSUM_UPDATE_FLAG_ICMP | TCA_CSUM_UPDATE_FLAG_TCP |
			    TCA_CSUM_UPDATE_FLAG_UDP;
	struct nlattr *tb[TCA_CSUM_MAX + 1];
	struct dpu_rules_action *a;
	struct tc_csum p;
	int err;

	err = tc_parse_nested(s->c, tb, TCA_CSUM_MAX, opts, csum_attrs,
			      "csum TCA_ACT_OPTIONS");
	if (err)
		return err;
	if (!tb[TCA_CSUM_PARMS])
		return tc_malformed(s->c, "TCA_CSUM_PARMS: missing");
	tc_get(tb[TCA_CSUM_PARMS], &p, sizeof(p));
	if (p.update_flags & ~ok)
		return tc_refuse(s->c, "action %u: csum flags 0x%x (igmp/udplite/sctp) are not recomputed by the card",
				 s->idx, p.update_flags & ~ok);
	a = add(s, DPU_RULES_ACT_CSUM);
	if (a)
		a->u.csum_flags = p.update_flags;
	s->csum_need &= ~p.update_flags;
	if (p.update_flags & l4_csum_flag(&s->c->f->match))
		s->csum_need &= ~TC_CSUM_NEED_L4;
	return verdict(s, p.action);
}

static int act_ct(struct act_state *s, const struct nlattr *opts)
{
	struct nlattr *tb[TCA_CT_MAX + 1];
	struct dpu_rules_action *a;
	struct dpu_abi_act_ct *ct;
	struct tc_ct p;
	uint16_t fl = 0;
	int err;

	err = tc_parse_nested(s->c, tb, TCA_CT_MAX, opts, ct_attrs,
			      "ct TCA_ACT_OPTIONS");
	if (err)
		return err;
	if (!tb[TCA_CT_PARMS])
		return tc_malformed(s->c, "TCA_CT_PARMS: missing");
	tc_get(tb[TCA_CT_PARMS], &p, sizeof(p));
	if (tb[TCA_CT_ACTION])
		fl = nla_get_u16(tb[TCA_CT_ACTION]);
	/* TCA_CT_ACT_* have the values of enum dpu_abi_ct_flags. */
	if (fl & ~DPU_ABI_CTF_ALL)
		return tc_malformed(s->c, "TCA_CT_ACTION: unknown flags 0x%x", fl);
	if ((fl & TCA_CT_ACT_NAT_SRC) && (fl & TCA_CT_ACT_NAT_DST))
		return tc_malformed(s->c, "TCA_CT_ACTION: nat src and dst together");
	if ((fl & TCA_CT_ACT_FORCE) && !(fl & TCA_CT_ACT_COMMIT))
		return tc_refuse(s->c, "action %u: ct force without commit", s->idx);
	a = add(s, DPU_RULES_ACT_CT);
	if (!a)
		return 0;
	ct = &a->u.ct;
	ct->hdr.type = DPU_ABI_ACT_CT;
	ct->hdr.len = sizeof(*ct);
	if (fl & TCA_CT_ACT_CLEAR) {
		/* As the kernel: clear ignores everything else it was given. */
		ct->flags = TCA_CT_ACT_CLEAR;
		return verdict(s, p.action);
	}
	if (!(fl & TCA_CT_ACT_NAT))
		fl &= (uint16_t)~(TCA_CT_ACT_NAT_SRC | TCA_CT_ACT_NAT_DST);
	ct->flags = fl;
	if (tb[TCA_CT_ZONE])
		ct->zone = nla_get_u16(tb[TCA_CT_ZONE]);
	if (tb[TCA_CT_MARK]) {
		ct->mark = nla_get_u32(tb[TCA_CT_MARK]);
		ct->mark_mask = tb[TCA_CT_MARK_MASK] ?
			nla_get_u32(tb[TCA_CT_MARK_MASK]) : 0xffffffffu;
		ct->mark &= ct->mark_mask;
	}
	if (tb[TCA_CT_LABELS]) {
		unsigned int i;

		tc_get(tb[TCA_CT_LABELS], ct->label, 16);
		if (tb[TCA_CT_LABELS_MASK])
			tc_get(tb[TCA_CT_LABELS_MASK], ct->label_mask, 16);
		else
			memset(ct->label_mask, 0xff, 16);
		for (i = 0; i < 16; i++)
			ct->label[i] &= ct->label_mask[i];
	}
	/* The kernel applies a NAT range only with nat src or nat dst;
	 * plain "nat" re-applies an existing binding and ignores it. */
	if (!(fl & (TCA_CT_ACT_NAT_SRC | TCA_CT_ACT_NAT_DST)))
		return verdict(s, p.action);
	if (tb[TCA_CT_NAT_IPV4_MIN] || tb[TCA_CT_NAT_IPV6_MIN]) {
		int min = tb[TCA_CT_NAT_IPV4_MIN] ? TCA_CT_NAT_IPV4_MIN :
						    TCA_CT_NAT_IPV6_MIN;
		int max = min + 1; /* IPV4_MAX / IPV6_MAX follow their MIN */
		size_t n = min == TCA_CT_NAT_IPV4_MIN ? 4 : 16;

		if (tb[TCA_CT_NAT_IPV4_MIN] && tb[TCA_CT_NAT_IPV6_MIN])
			return tc_malformed(s->c, "TCA_CT_NAT_IPV6_MIN: mixed with TCA_CT_NAT_IPV4_MIN");
		ct->nat_ip_version = n == 4 ? 4 : 6;
		tc_get(tb[min], ct->nat_addr_min, n);
		tc_get(tb[tb[max] ? max : min], ct->nat_addr_max, n);
		if (memcmp(ct->nat_addr_min, ct->nat_addr_max, n) > 0)
			return tc_refuse(s->c, "%s: below the range's minimum",
					 ct_attrs[max].name);
	}
	if (tb[TCA_CT_NAT_PORT_MIN]) {
		ct->nat_port_min = nla_get_u16(tb[TCA_CT_NAT_PORT_MIN]);
		ct->nat_port_max = tb[TCA_CT_NAT_PORT_MAX] ?
			nla_get_u16(tb[TCA_CT_NAT_PORT_MAX]) : ct->nat_port_min;
		if (ntohs(ct->nat_port_max) < ntohs(ct->nat_port_min))
			return tc_refuse(s->c, "TCA_CT_NAT_PORT_MAX: below TCA_CT_NAT_PORT_MIN");
	}
	return verdict(s, p.action);
}

/* tc sends the burst as a transmit time in psched ticks (64 ns each since
 * Linux 2.6.31); the kernel turns it back into bytes exactly like this
 * (tcf_police_burst / PSCHED_TICKS2NS) before handing it to drivers. */
static uint64_t ticks_to_units(uint32_t ticks, uint64_t rate)
{
	return (uint64_t)((unsigned __int128)ticks * 64 * rate / 1000000000u);
}

static int act_police(struct act_state *s, const struct nlattr *opts)
{
	struct nlattr *tb[TCA_POLICE_MAX + 1];
	struct dpu_rules_act_police *pol;
	struct dpu_rules_action *a;
	struct tc_police p;
	int conform = TC_ACT_OK, err;

	err = tc_parse_nested(s->c, tb, TCA_POLICE_MAX, opts, police_attrs,
			      "police TCA_ACT_OPTIONS");
	if (err)
		return err;
	if (!tb[TCA_POLICE_TBF])
		return tc_malformed(s->c, "TCA_POLICE_TBF: missing");
	tc_get(tb[TCA_POLICE_TBF], &p, sizeof(p));
	if (tb[TCA_POLICE_RESULT])
		conform = (int)nla_get_u32(tb[TCA_POLICE_RESULT]);
	a = add(s, DPU_RULES_ACT_POLICE);
	if (!a)
		return 0;
	pol = &a->u.police;
	pol->index = p.index;
	if (tb[TCA_POLICE_PKTRATE64]) {
		pol->pps = true;
		pol->rate = nla_get_u64(tb[TCA_POLICE_PKTRATE64]);
		if (!tb[TCA_POLICE_PKTBURST64])
			return tc_malformed(s->c, "TCA_POLICE_PKTBURST64: missing with a packet rate");
		pol->burst = ticks_to_units((uint32_t)nla_get_u64(tb[TCA_POLICE_PKTBURST64]),
					    pol->rate);
	} else {
		pol->rate = tb[TCA_POLICE_RATE64] ?
			nla_get_u64(tb[TCA_POLICE_RATE64]) : p.rate.rate;
		pol->burst = ticks_to_units(p.burst, pol->rate);
	}
	if (p.peakrate.rate || tb[TCA_POLICE_PEAKRATE64])
		pol->peakrate = tb[TCA_POLICE_PEAKRATE64] ?
			nla_get_u64(tb[TCA_POLICE_PEAKRATE64]) : p.peakrate.rate;
	pol->mtu = p.mtu;
	/* A police made without an mtu is announced (echo, dump) with the
	 * kernel's default: ~0, or 255 << cell_log of the request's rate
	 * table, which tc always builds with cell_log 3: 2040 (the dump does
	 * not carry cell_log). Nobody asked for that limit; it binds only
	 * frames over 2 KB, which the card's ports do not carry at the
	 * standard MTU, so it is no reason to leave the filter in software.
	 * A user who asks for mtu 2040 exactly gets the same. */
	if (!p.peakrate.rate && (p.mtu == ~0u || p.mtu == 255u << 3))
		pol->mtu = 0;
	if (pol->rate == 0) {
		/* OVS check_pkt_len: a police that only compares the packet
		 * length with mtu and jumps. */
		if (pol->mtu)
			return tc_refuse(s->c, "action %u: police with only an mtu (packet length check) has no ABI form",
					 s->idx);
		/* OVS meters: the filter names a police action created by
		 * RTM_NEWACTION, by index only. */
		if (p.index == 0)
			return tc_refuse(s->c, "action %u: police without a rate or an index polices nothing",
					 s->idx);
		pol->by_reference = true;
	} else if (pol->burst == 0) {
		return tc_refuse(s->c, "action %u: police burst rounds to 0", s->idx);
	}
	if (pol->peakrate && pol->peakrate < pol->rate)
		return tc_refuse(s->c, "action %u: police peakrate below rate", s->idx);
	if (pol->mtu && !pol->peakrate && !pol->by_reference)
		return tc_refuse(s->c, "action %u: police mtu %u (per-packet size limit) has no ABI form",
				 s->idx, pol->mtu);
	switch (p.action) {
	case TC_ACT_SHOT:
		pol->exceed = DPU_ABI_METER_V_DROP;
		break;
	case TC_ACT_PIPE:
		pol->exceed = DPU_ABI_METER_V_PASS;
		break;
	default:
		if (pol->by_reference)
			break;
		return tc_refuse(s->c, "action %u: police exceed verdict %s is not drop or pipe",
				 s->idx, verdict_name(p.action));
	}
	pol->conform = DPU_ABI_METER_V_PASS;
	/* A reference binds to the existing action, verdicts included; the
	 * agent's meter table (OVS: conform pipe, exceed drop) supplies them. */
	if (pol->by_reference)
		return 0;
	return verdict(s, conform);
}

static int one_action(struct act_state *s, const struct nlattr *act)
{
	struct nlattr *tb[TCA_ACT_MAX + 1];
	const char *kind;
	int err, v;

	err = tc_parse_nested(s->c, tb, TCA_ACT_MAX, act, act_attrs, "TCA_ACT");
	if (err)
		return err;
	if (!tb[TCA_ACT_KIND])
		return tc_malformed(s->c, "TCA_ACT_KIND: missing in action %u", s->idx);
	kind = nla_data(tb[TCA_ACT_KIND]);
	if (s->terminal)
		tc_refuse(s->c, "action %u (%s) follows terminal action %u",
			  s->idx, kind, s->terminal);
	if (tb[TCA_ACT_FLAGS]) {
		struct nla_bitfield32 bf;

		tc_get(tb[TCA_ACT_FLAGS], &bf, sizeof(bf));
		if (bf.value & bf.selector & TCA_ACT_FLAGS_SKIP_HW)
			tc_refuse(s->c, "action %u (%s): skip_hw", s->idx, kind);
	}
	if (tb[TCA_ACT_COOKIE]) {
		s->c->f->cookie_len = (uint8_t)nla_len(tb[TCA_ACT_COOKIE]);
		memcpy(s->c->f->cookie, nla_data(tb[TCA_ACT_COOKIE]),
		       s->c->f->cookie_len);
	}
	if (!tb[TCA_ACT_OPTIONS])
		return tc_refuse(s->c, "action %u (%s): no options (a reference to an existing action by index)",
				 s->idx, kind);
	if (!strcmp(kind, "gact"))
		return act_gact(s, tb[TCA_ACT_OPTIONS]);
	if (!strcmp(kind, "mirred"))
		return act_mirred(s, tb[TCA_ACT_OPTIONS]);
	if (!strcmp(kind, "vlan"))
		return act_vlan(s, tb[TCA_ACT_OPTIONS]);
	if (!strcmp(kind, "tunnel_key"))
		return act_tunnel_key(s, tb[TCA_ACT_OPTIONS]);
	if (!strcmp(kind, "csum"))
		return act_csum(s, tb[TCA_ACT_OPTIONS]);
	if (!strcmp(kind, "ct"))
		return act_ct(s, tb[TCA_ACT_OPTIONS]);
	if (!strcmp(kind, "police"))
		return act_police(s, tb[TCA_ACT_OPTIONS]);
	if (!strcmp(kind, "pedit")) {
		uint32_t need = 0;

		err = tc_pedit(s->c, tb[TCA_ACT_OPTIONS], s->idx, &v, &need);
		if (err)
			return err;
		if (need && !s->csum_need)
			s->csum_idx = s->idx;
		s->csum_need |= need;
		return verdict(s, v);
	}
	return tc_refuse(s->c, "action %u: kind \"%s\" is not offloadable", s->idx,
			 kind);
}

#define P(n) [n] = { "TCA_FLOWER_ACT[" #n "]", TC_A_NESTED, TC_USE, 0, NULL }
static const struct tc_attr prio_attrs[TCA_ACT_MAX_PRIO + 1] = {
	P(1), P(2), P(3), P(4), P(5), P(6), P(7), P(8), P(9), P(10), P(11),
	P(12), P(13), P(14), P(15), P(16), P(17), P(18), P(19), P(20), P(21),
	P(22), P(23), P(24), P(25), P(26), P(27), P(28), P(29), P(30), P(31),
	P(32),
};

int tc_actions(struct tc_ctx *c, const struct nlattr *acts)
{
	struct nlattr *tb[TCA_ACT_MAX_PRIO + 1];
	struct act_state s = { .c = c };
	unsigned int i;
	int err;

	if (acts) {
		err = tc_parse_nested(c, tb, TCA_ACT_MAX_PRIO, acts, prio_attrs,
				      "TCA_FLOWER_ACT");
		if (err)
			return err;
		/* Like tcf_action_init(): the list ends at the first gap. */
		for (i = 1; i <= TCA_ACT_MAX_PRIO && tb[i]; i++) {
			s.idx = (uint8_t)i;
			err = one_action(&s, tb[i]);
			if (err)
				return err;
		}
		for (; i <= TCA_ACT_MAX_PRIO; i++)
			if (tb[i])
				return tc_malformed(c, "TCA_FLOWER_ACT: action %u after a gap (the kernel would ignore it)",
						    i);
	}
	if (s.csum_need & TCA_CSUM_UPDATE_FLAG_TCP)
		return tc_refuse(c, "action %u: pedit rewrites TCP ports without a following 'csum tcp'",
				 s.csum_idx);
	if (s.csum_need & TCA_CSUM_UPDATE_FLAG_UDP)
		return tc_refuse(c, "action %u: pedit rewrites UDP ports without a following 'csum udp'",
				 s.csum_idx);
	if (s.csum_need & TCA_CSUM_UPDATE_FLAG_IPV4HDR)
		return tc_refuse(c, "action %u: pedit rewrites the IPv4 header without a following 'csum iph' (software would leave a stale checksum the card would fix)",
				 s.csum_idx);
	if ((s.csum_need & TC_CSUM_NEED_L4) && l4_csum_flag(&c->f->match))
		return tc_refuse(c, "action %u: pedit rewrites ports/addresses without a following 'csum %s'",
				 s.csum_idx,
				 l4_csum_flag(&c->f->match) == TCA_CSUM_UPDATE_FLAG_TCP ?
				 "tcp" : "udp");
	if (!s.terminal) {
		/* Falling off the end: the packet continues in the stack. */
		s.idx = (uint8_t)(c->f->n_actions ? c->f->actions[c->f->n_actions - 1].tc_index : 0);
		add(&s, DPU_RULES_ACT_TO_HOST);
	}
	return 0;
}

/* A delete names actions by kind and index; only meters matter to us. */
static int deleted_action(struct act_state *s, const struct nlattr *act)
{
	struct nlattr *tb[TCA_ACT_MAX + 1];
	struct dpu_rules_action *a;
	int err;

	err = tc_parse_nested(s->c, tb, TCA_ACT_MAX, act, act_attrs, "TCA_ACT");
	if (err)
		return err;
	if (!tb[TCA_ACT_KIND] || !tb[TCA_ACT_INDEX])
		return tc_malformed(s->c, "TCA_ACT: a delete needs TCA_ACT_KIND and TCA_ACT_INDEX");
	if (strcmp(nla_data(tb[TCA_ACT_KIND]), "police"))
		return tc_refuse(s->c, "action %u: only police actions are tracked",
				 s->idx);
	a = add(s, DPU_RULES_ACT_POLICE);
	if (a) {
		a->u.police.index = nla_get_u32(tb[TCA_ACT_INDEX]);
		a->u.police.by_reference = true;
	}
	return 0;
}

int tc_actions_standalone(struct tc_ctx *c, const struct nlattr *tab)
{
	struct nlattr *tb[TCA_ACT_MAX_PRIO + 1];
	struct act_state s = { .c = c };
	unsigned int i;
	int err;

	err = tc_parse_nested(c, tb, TCA_ACT_MAX_PRIO, tab, prio_attrs,
			      "TCA_ROOT_TAB");
	if (err)
		return err;
	/* Shared actions are independent of each other: no list verdicts,
	 * no checksum pairing, no implicit end. */
	for (i = 1; i <= TCA_ACT_MAX_PRIO; i++) {
		if (!tb[i])
			continue;
		s.idx = (uint8_t)i;
		s.terminal = 0;
		err = c->f->op == DPU_RULES_OP_DEL ? deleted_action(&s, tb[i]) :
						      one_action(&s, tb[i]);
		if (err)
			return err;
	}
	return 0;
}
