// SPDX-License-Identifier: BSD-3-Clause
/* The flower attribute set (TCA_OPTIONS of kind "flower"). */
#include <arpa/inet.h>
#include <linux/pkt_cls.h>
#include <string.h>

#include "tc_flower.h"

#define F(t, n) [t] = { #t, TC_A_FIXED, TC_USE, n, NULL }
#define NEST(t) [t] = { #t, TC_A_NESTED, TC_USE, 0, NULL }
#define SKIP(t, k, n) [t] = { #t, k, TC_SKIP, n, NULL }
#define NO(t, k, n, why) [t] = { #t, k, TC_REFUSE, n, why }

const struct tc_attr tc_flower_attrs[TCA_FLOWER_MAX + 1] = {
	NO(TCA_FLOWER_CLASSID, TC_A_FIXED, 4,
	   "classid selects a qdisc class, which the card does not have"),
	NO(TCA_FLOWER_INDEV, TC_A_STRING, 16,
	   "indev matches the receiving netdev, which the card does not see"),
	NEST(TCA_FLOWER_ACT),
	F(TCA_FLOWER_KEY_ETH_DST, 6),
	F(TCA_FLOWER_KEY_ETH_DST_MASK, 6),
	F(TCA_FLOWER_KEY_ETH_SRC, 6),
	F(TCA_FLOWER_KEY_ETH_SRC_MASK, 6),
	F(TCA_FLOWER_KEY_ETH_TYPE, 2),
	F(TCA_FLOWER_KEY_IP_PROTO, 1),
	F(TCA_FLOWER_KEY_IPV4_SRC, 4),
	F(TCA_FLOWER_KEY_IPV4_SRC_MASK, 4),
	F(TCA_FLOWER_KEY_IPV4_DST, 4),
	F(TCA_FLOWER_KEY_IPV4_DST_MASK, 4),
	F(TCA_FLOWER_KEY_IPV6_SRC, 16),
	F(TCA_FLOWER_KEY_IPV6_SRC_MASK, 16),
	F(TCA_FLOWER_KEY_IPV6_DST, 16),
	F(TCA_FLOWER_KEY_IPV6_DST_MASK, 16),
	F(TCA_FLOWER_KEY_TCP_SRC, 2),
	F(TCA_FLOWER_KEY_TCP_DST, 2),
	F(TCA_FLOWER_KEY_UDP_SRC, 2),
	F(TCA_FLOWER_KEY_UDP_DST, 2),
	F(TCA_FLOWER_FLAGS, 4),
	F(TCA_FLOWER_KEY_VLAN_ID, 2),
	F(TCA_FLOWER_KEY_VLAN_PRIO, 1),
	F(TCA_FLOWER_KEY_VLAN_ETH_TYPE, 2),
	F(TCA_FLOWER_KEY_ENC_KEY_ID, 4),
	F(TCA_FLOWER_KEY_ENC_IPV4_SRC, 4),
	F(TCA_FLOWER_KEY_ENC_IPV4_SRC_MASK, 4),
	F(TCA_FLOWER_KEY_ENC_IPV4_DST, 4),
	F(TCA_FLOWER_KEY_ENC_IPV4_DST_MASK, 4),
	F(TCA_FLOWER_KEY_ENC_IPV6_SRC, 16),
	F(TCA_FLOWER_KEY_ENC_IPV6_SRC_MASK, 16),
	F(TCA_FLOWER_KEY_ENC_IPV6_DST, 16),
	F(TCA_FLOWER_KEY_ENC_IPV6_DST_MASK, 16),
	F(TCA_FLOWER_KEY_TCP_SRC_MASK, 2),
	F(TCA_FLOWER_KEY_TCP_DST_MASK, 2),
	F(TCA_FLOWER_KEY_UDP_SRC_MASK, 2),
	F(TCA_FLOWER_KEY_UDP_DST_MASK, 2),
	F(TCA_FLOWER_KEY_SCTP_SRC_MASK, 2),
	F(TCA_FLOWER_KEY_SCTP_DST_MASK, 2),
	F(TCA_FLOWER_KEY_SCTP_SRC, 2),
	F(TCA_FLOWER_KEY_SCTP_DST, 2),
	F(TCA_FLOWER_KEY_ENC_UDP_SRC_PORT, 2),
	F(TCA_FLOWER_KEY_ENC_UDP_SRC_PORT_MASK, 2),
	F(TCA_FLOWER_KEY_ENC_UDP_DST_PORT, 2),
	F(TCA_FLOWER_KEY_ENC_UDP_DST_PORT_MASK, 2),
	F(TCA_FLOWER_KEY_FLAGS, 4),
	F(TCA_FLOWER_KEY_FLAGS_MASK, 4),
	F(TCA_FLOWER_KEY_ICMPV4_CODE, 1),
	F(TCA_FLOWER_KEY_ICMPV4_CODE_MASK, 1),
	F(TCA_FLOWER_KEY_ICMPV4_TYPE, 1),
	F(TCA_FLOWER_KEY_ICMPV4_TYPE_MASK, 1),
	F(TCA_FLOWER_KEY_ICMPV6_CODE, 1),
	F(TCA_FLOWER_KEY_ICMPV6_CODE_MASK, 1),
	F(TCA_FLOWER_KEY_ICMPV6_TYPE, 1),
	F(TCA_FLOWER_KEY_ICMPV6_TYPE_MASK, 1),
	F(TCA_FLOWER_KEY_ARP_SIP, 4),
	F(TCA_FLOWER_KEY_ARP_SIP_MASK, 4),
	F(TCA_FLOWER_KEY_ARP_TIP, 4),
	F(TCA_FLOWER_KEY_ARP_TIP_MASK, 4),
	F(TCA_FLOWER_KEY_ARP_OP, 1),
	F(TCA_FLOWER_KEY_ARP_OP_MASK, 1),
	F(TCA_FLOWER_KEY_ARP_SHA, 6),
	F(TCA_FLOWER_KEY_ARP_SHA_MASK, 6),
	F(TCA_FLOWER_KEY_ARP_THA, 6),
	F(TCA_FLOWER_KEY_ARP_THA_MASK, 6),
	NO(TCA_FLOWER_KEY_MPLS_TTL, TC_A_FIXED, 1, "MPLS has no match item in the ABI"),
	NO(TCA_FLOWER_KEY_MPLS_BOS, TC_A_FIXED, 1, "MPLS has no match item in the ABI"),
	NO(TCA_FLOWER_KEY_MPLS_TC, TC_A_FIXED, 1, "MPLS has no match item in the ABI"),
	NO(TCA_FLOWER_KEY_MPLS_LABEL, TC_A_FIXED, 4, "MPLS has no match item in the ABI"),
	F(TCA_FLOWER_KEY_TCP_FLAGS, 2),
	F(TCA_FLOWER_KEY_TCP_FLAGS_MASK, 2),
	F(TCA_FLOWER_KEY_IP_TOS, 1),
	F(TCA_FLOWER_KEY_IP_TOS_MASK, 1),
	F(TCA_FLOWER_KEY_IP_TTL, 1),
	F(TCA_FLOWER_KEY_IP_TTL_MASK, 1),
	F(TCA_FLOWER_KEY_CVLAN_ID, 2),
	F(TCA_FLOWER_KEY_CVLAN_PRIO, 1),
	F(TCA_FLOWER_KEY_CVLAN_ETH_TYPE, 2),
	F(TCA_FLOWER_KEY_ENC_IP_TOS, 1),
	F(TCA_FLOWER_KEY_ENC_IP_TOS_MASK, 1),
	F(TCA_FLOWER_KEY_ENC_IP_TTL, 1),
	F(TCA_FLOWER_KEY_ENC_IP_TTL_MASK, 1),
	NEST(TCA_FLOWER_KEY_ENC_OPTS),
	NEST(TCA_FLOWER_KEY_ENC_OPTS_MASK),
	SKIP(TCA_FLOWER_IN_HW_COUNT, TC_A_FIXED, 4),
	NO(TCA_FLOWER_KEY_PORT_SRC_MIN, TC_A_FIXED, 2, "port ranges have no ABI form (only value/mask)"),
	NO(TCA_FLOWER_KEY_PORT_SRC_MAX, TC_A_FIXED, 2, "port ranges have no ABI form (only value/mask)"),
	NO(TCA_FLOWER_KEY_PORT_DST_MIN, TC_A_FIXED, 2, "port ranges have no ABI form (only value/mask)"),
	NO(TCA_FLOWER_KEY_PORT_DST_MAX, TC_A_FIXED, 2, "port ranges have no ABI form (only value/mask)"),
	F(TCA_FLOWER_KEY_CT_STATE, 2),
	F(TCA_FLOWER_KEY_CT_STATE_MASK, 2),
	F(TCA_FLOWER_KEY_CT_ZONE, 2),
	F(TCA_FLOWER_KEY_CT_ZONE_MASK, 2),
	F(TCA_FLOWER_KEY_CT_MARK, 4),
	F(TCA_FLOWER_KEY_CT_MARK_MASK, 4),
	[TCA_FLOWER_KEY_CT_LABELS] = { "TCA_FLOWER_KEY_CT_LABELS", TC_A_UPTO, TC_USE, 16, NULL },
	[TCA_FLOWER_KEY_CT_LABELS_MASK] = { "TCA_FLOWER_KEY_CT_LABELS_MASK", TC_A_UPTO, TC_USE, 16, NULL },
	NO(TCA_FLOWER_KEY_MPLS_OPTS, TC_A_NESTED, 0, "MPLS has no match item in the ABI"),
	NO(TCA_FLOWER_KEY_HASH, TC_A_FIXED, 4, "skb hash is a host software value"),
	NO(TCA_FLOWER_KEY_HASH_MASK, TC_A_FIXED, 4, "skb hash is a host software value"),
	NO(TCA_FLOWER_KEY_NUM_OF_VLANS, TC_A_FIXED, 1, "VLAN tag count has no ABI form"),
	NO(TCA_FLOWER_KEY_PPPOE_SID, TC_A_FIXED, 2, "PPPoE has no match item in the ABI"),
	NO(TCA_FLOWER_KEY_PPP_PROTO, TC_A_FIXED, 2, "PPPoE has no match item in the ABI"),
	NO(TCA_FLOWER_KEY_L2TPV3_SID, TC_A_FIXED, 4, "L2TPv3 has no match item in the ABI"),
};

const char *flower_attr_name(int type)
{
	if (type < 0 || type > TCA_FLOWER_MAX || !tc_flower_attrs[type].name)
		return "TCA_FLOWER_(unknown)";
	return tc_flower_attrs[type].name;
}

#define M(x) (1u << DPU_ABI_ITEM_##x)

static bool kmask(struct nlattr **tb, int key, int mask, void *spec,
		  void *smask, size_t n)
{
	uint8_t *s = spec, *m = smask;
	size_t i;

	if (!tb[key])
		return false;
	tc_get(tb[key], s, n);
	if (tb[mask])
		tc_get(tb[mask], m, n);
	else
		memset(m, 0xff, n);
	for (i = 0; i < n; i++)
		s[i] &= m[i];
	return true;
}

static const struct tc_attr enc_opts_attrs[TCA_FLOWER_KEY_ENC_OPTS_MAX + 1] = {
	[TCA_FLOWER_KEY_ENC_OPTS_GENEVE] = { "TCA_FLOWER_KEY_ENC_OPTS_GENEVE",
		TC_A_LIST, TC_USE, 0, NULL },
	NO(TCA_FLOWER_KEY_ENC_OPTS_VXLAN, TC_A_NESTED, 0,
	   "VXLAN GBP options have no match item in the ABI"),
	NO(TCA_FLOWER_KEY_ENC_OPTS_ERSPAN, TC_A_NESTED, 0,
	   "ERSPAN options have no match item in the ABI"),
	NO(TCA_FLOWER_KEY_ENC_OPTS_GTP, TC_A_NESTED, 0,
	   "GTP options have no match item in the ABI"),
};

static const struct tc_attr geneve_attrs[TCA_FLOWER_KEY_ENC_OPT_GENEVE_MAX + 1] = {
	F(TCA_FLOWER_KEY_ENC_OPT_GENEVE_CLASS, 2),
	F(TCA_FLOWER_KEY_ENC_OPT_GENEVE_TYPE, 1),
	[TCA_FLOWER_KEY_ENC_OPT_GENEVE_DATA] = { "TCA_FLOWER_KEY_ENC_OPT_GENEVE_DATA",
		TC_A_MAX, TC_USE, 128, NULL },
};

/* One Geneve option (key or mask) into the ABI item. The kernel allows a
 * list; the ABI matches one option, so more than one is refused. */
static int geneve_opt(struct tc_ctx *c, const struct nlattr *opts,
		      const char *what, struct dpu_abi_item_geneve_opt *o)
{
	struct nlattr *tb[TCA_FLOWER_KEY_ENC_OPTS_MAX + 1];
	struct nlattr *g[TCA_FLOWER_KEY_ENC_OPT_GENEVE_MAX + 1];
	const struct nlattr *a;
	int rem, n = 0, err;

	err = tc_parse_nested(c, tb, TCA_FLOWER_KEY_ENC_OPTS_MAX, opts,
			      enc_opts_attrs, what);
	if (err)
		return err;
	/* tc_parse rejects repeats; count GENEVE entries ourselves since a
	 * duplicate here is legal (an option list) but not offloadable. */
	nla_for_each_nested(a, opts, rem)
		if (nla_type(a) == TCA_FLOWER_KEY_ENC_OPTS_GENEVE)
			n++;
	if (!tb[TCA_FLOWER_KEY_ENC_OPTS_GENEVE])
		return 0;
	if (n > 1)
		return tc_refuse(c, "%s: %d Geneve options, the ABI matches one", what, n);
	err = tc_parse_nested(c, g, TCA_FLOWER_KEY_ENC_OPT_GENEVE_MAX,
			      tb[TCA_FLOWER_KEY_ENC_OPTS_GENEVE], geneve_attrs,
			      "TCA_FLOWER_KEY_ENC_OPTS_GENEVE");
	if (err)
		return err;
	if (g[TCA_FLOWER_KEY_ENC_OPT_GENEVE_CLASS])
		o->opt_class = nla_get_u16(g[TCA_FLOWER_KEY_ENC_OPT_GENEVE_CLASS]);
	if (g[TCA_FLOWER_KEY_ENC_OPT_GENEVE_TYPE])
		o->opt_type = nla_get_u8(g[TCA_FLOWER_KEY_ENC_OPT_GENEVE_TYPE]);
	if (g[TCA_FLOWER_KEY_ENC_OPT_GENEVE_DATA]) {
		const struct nlattr *d = g[TCA_FLOWER_KEY_ENC_OPT_GENEVE_DATA];
		int len = nla_len(d);

		if (len % 4)
			return tc_malformed(c, "TCA_FLOWER_KEY_ENC_OPT_GENEVE_DATA: %d bytes, not a multiple of 4",
					    len);
		if (len > DPU_ABI_GENEVE_OPT_DATA)
			return tc_refuse(c, "TCA_FLOWER_KEY_ENC_OPT_GENEVE_DATA: %d bytes, the ABI matches up to %d",
					 len, DPU_ABI_GENEVE_OPT_DATA);
		memcpy(o->data, nla_data(d), (size_t)len);
		o->opt_len = (uint8_t)(len / 4);
	}
	return 0;
}

int tc_flower_enc_keys(struct tc_ctx *c, struct nlattr **tb)
{
	struct dpu_rules_match *m = &c->f->match;
	struct dpu_abi_item_tunnel *t = &m->tunnel, *tm = &m->tunnel_mask;
	bool v4, v6, any = false;
	int err;

	v4 = tb[TCA_FLOWER_KEY_ENC_IPV4_SRC] || tb[TCA_FLOWER_KEY_ENC_IPV4_DST];
	v6 = tb[TCA_FLOWER_KEY_ENC_IPV6_SRC] || tb[TCA_FLOWER_KEY_ENC_IPV6_DST];
	if (v4 && v6)
		return tc_refuse(c, "TCA_FLOWER_KEY_ENC_IPV6_*: both IPv4 and IPv6 outer addresses");
	if (v4) {
		kmask(tb, TCA_FLOWER_KEY_ENC_IPV4_SRC,
		      TCA_FLOWER_KEY_ENC_IPV4_SRC_MASK, t->src, tm->src, 4);
		kmask(tb, TCA_FLOWER_KEY_ENC_IPV4_DST,
		      TCA_FLOWER_KEY_ENC_IPV4_DST_MASK, t->dst, tm->dst, 4);
		t->ip_version = 4;
	} else if (v6) {
		kmask(tb, TCA_FLOWER_KEY_ENC_IPV6_SRC,
		      TCA_FLOWER_KEY_ENC_IPV6_SRC_MASK, t->src, tm->src, 16);
		kmask(tb, TCA_FLOWER_KEY_ENC_IPV6_DST,
		      TCA_FLOWER_KEY_ENC_IPV6_DST_MASK, t->dst, tm->dst, 16);
		t->ip_version = 6;
	}
	any = v4 || v6;
	if (tb[TCA_FLOWER_KEY_ENC_KEY_ID]) {
		uint32_t vni = ntohl(nla_get_u32(tb[TCA_FLOWER_KEY_ENC_KEY_ID]));

		if (vni > 0xffffff)
			return tc_refuse(c, "TCA_FLOWER_KEY_ENC_KEY_ID: %u does not fit a 24-bit VNI",
					 vni);
		t->vni = htonl(vni);
		tm->vni = htonl(0xffffff);
		any = true;
	}
	any |= kmask(tb, TCA_FLOWER_KEY_ENC_UDP_SRC_PORT,
		     TCA_FLOWER_KEY_ENC_UDP_SRC_PORT_MASK, &t->src_port,
		     &tm->src_port, 2);
	any |= kmask(tb, TCA_FLOWER_KEY_ENC_UDP_DST_PORT,
		     TCA_FLOWER_KEY_ENC_UDP_DST_PORT_MASK, &t->dst_port,
		     &tm->dst_port, 2);
	any |= kmask(tb, TCA_FLOWER_KEY_ENC_IP_TOS, TCA_FLOWER_KEY_ENC_IP_TOS_MASK,
		     &t->tos, &tm->tos, 1);
	any |= kmask(tb, TCA_FLOWER_KEY_ENC_IP_TTL, TCA_FLOWER_KEY_ENC_IP_TTL_MASK,
		     &t->ttl, &tm->ttl, 1);
	if (tb[TCA_FLOWER_KEY_ENC_OPTS]) {
		struct dpu_abi_item_geneve_opt *o = &m->geneve_opt;
		struct dpu_abi_item_geneve_opt *om = &m->geneve_opt_mask;
		size_t i;

		err = geneve_opt(c, tb[TCA_FLOWER_KEY_ENC_OPTS],
				 "TCA_FLOWER_KEY_ENC_OPTS", o);
		if (err)
			return err;
		if (tb[TCA_FLOWER_KEY_ENC_OPTS_MASK]) {
			err = geneve_opt(c, tb[TCA_FLOWER_KEY_ENC_OPTS_MASK],
					 "TCA_FLOWER_KEY_ENC_OPTS_MASK", om);
			if (err)
				return err;
		} else {
			memset(om, 0xff, sizeof(*om));
		}
		/* The option length is part of the TLV: match it exactly. */
		om->opt_len = o->opt_len ? 0xff : 0;
		o->opt_class &= om->opt_class;
		o->opt_type &= om->opt_type;
		for (i = 0; i < sizeof(o->data); i++) {
			if (i >= (size_t)o->opt_len * 4)
				om->data[i] = 0;
			o->data[i] &= om->data[i];
		}
		m->items |= M(GENEVE_OPT);
		any = true;
	}
	if (any) {
		if (!t->ip_version)
			return tc_refuse(c, "TCA_FLOWER_KEY_ENC_*: tunnel keys without an outer enc_src_ip/enc_dst_ip (outer IP version unknown)");
		/* type and ip_version must be fully masked in the ABI; the
		 * type comes from the device (encoder), the version is
		 * implied by the address keys. */
		tm->ip_version = 0xff;
		m->items |= M(TUNNEL);
	}
	return 0;
}

int tc_flower_options(struct tc_ctx *c, const struct nlattr *opts)
{
	struct nlattr *tb[TCA_FLOWER_MAX + 1];
	int err;

	err = tc_parse_nested(c, tb, TCA_FLOWER_MAX, opts, tc_flower_attrs,
			      "TCA_OPTIONS(flower)");
	if (err)
		return err;
	if (tb[TCA_FLOWER_FLAGS]) {
		uint32_t fl = nla_get_u32(tb[TCA_FLOWER_FLAGS]);

		if (fl & ~(uint32_t)(TCA_CLS_FLAGS_SKIP_HW | TCA_CLS_FLAGS_SKIP_SW |
				     TCA_CLS_FLAGS_IN_HW | TCA_CLS_FLAGS_NOT_IN_HW |
				     TCA_CLS_FLAGS_VERBOSE))
			return tc_malformed(c, "TCA_FLOWER_FLAGS: unknown flags 0x%x", fl);
		if ((fl & TCA_CLS_FLAGS_SKIP_HW) && (fl & TCA_CLS_FLAGS_SKIP_SW))
			return tc_malformed(c, "TCA_FLOWER_FLAGS: skip_hw and skip_sw together");
		c->f->flags = fl & (DPU_RULES_F_SKIP_HW | DPU_RULES_F_SKIP_SW |
				    DPU_RULES_F_VERBOSE);
	}
	err = tc_flower_keys(c, tb);
	if (err)
		return err;
	if (tb[TCA_FLOWER_ACT])
		return tc_actions(c, tb[TCA_FLOWER_ACT]);
	return tc_actions(c, NULL);
}
