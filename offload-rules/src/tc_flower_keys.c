// SPDX-License-Identifier: BSD-3-Clause
/*
 * TCA_FLOWER_KEY_* -> match items. The flower semantics mirrored here are
 * the kernel's (net/sched/cls_flower.c): an absent mask means "all ones",
 * the key is stored masked, ports and ICMP are interpreted under ip_proto,
 * VLAN keys under the filter's 802.1Q/802.1AD eth_type.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/pkt_cls.h>
#include <netinet/in.h>
#include <string.h>

#include "tc_flower.h"
#include "tc_nl.h"

#define M(x) (1u << DPU_ABI_ITEM_##x)

/* Copy key (and mask, all-ones when absent) of n bytes, masking the key. */
static bool key_mask(struct nlattr **tb, int key, int mask, void *spec,
		     void *smask, size_t n)
{
	uint8_t *s = spec, *m = smask;
	size_t i;

	if (!tb[key])
		return false;
	tc_get(tb[key], s, n);
	if (mask && tb[mask])
		tc_get(tb[mask], m, n);
	else
		memset(m, 0xff, n);
	for (i = 0; i < n; i++)
		s[i] &= m[i];
	return true;
}

static bool is_vlan_tpid(uint16_t t)
{
	return t == ETH_P_8021Q || t == ETH_P_8021AD;
}

static int vlan_keys(struct tc_ctx *c, struct nlattr **tb, int id, int prio,
		     uint16_t tpid, struct dpu_abi_item_vlan *v,
		     struct dpu_abi_item_vlan *vm)
{
	uint16_t tci = 0, tmask = 0;

	v->tpid = htons(tpid);
	vm->tpid = 0xffff;
	if (tb[id]) {
		uint16_t vid = nla_get_u16(tb[id]);

		if (vid > 0xfff)
			return tc_malformed(c, "%s: VLAN id %u > 4095",
					    flower_attr_name(id), vid);
		tci |= vid;
		tmask |= 0x0fff;
	}
	if (tb[prio]) {
		uint8_t p = nla_get_u8(tb[prio]);

		if (p > 7)
			return tc_malformed(c, "%s: priority %u > 7",
					    flower_attr_name(prio), p);
		tci |= (uint16_t)(p << 13);
		tmask |= 0xe000;
	}
	v->tci = htons(tci);
	vm->tci = htons(tmask);
	return 0;
}

/* eth/VLAN: the ABI keeps the innermost ether_type in ETH, the tag
 * protocols in the VLAN items. */
static int l2_keys(struct tc_ctx *c, struct nlattr **tb, uint16_t *l3)
{
	struct dpu_rules_match *m = &c->f->match;
	uint16_t proto = c->f->id.protocol, et, inner = 0;
	int err;

	if (key_mask(tb, TCA_FLOWER_KEY_ETH_DST, TCA_FLOWER_KEY_ETH_DST_MASK,
		     m->eth.dst, m->eth_mask.dst, 6))
		m->items |= M(ETH);
	if (key_mask(tb, TCA_FLOWER_KEY_ETH_SRC, TCA_FLOWER_KEY_ETH_SRC_MASK,
		     m->eth.src, m->eth_mask.src, 6))
		m->items |= M(ETH);

	et = proto == ETH_P_ALL ? 0 : proto;
	if (tb[TCA_FLOWER_KEY_ETH_TYPE]) {
		uint16_t k = ntohs(nla_get_u16(tb[TCA_FLOWER_KEY_ETH_TYPE]));

		/* The kernel's notifications and dump replies carry the
		 * innermost ether_type here, under a VLAN protocol (what it
		 * matches as n_proto); tc's and OVS's requests carry the
		 * protocol. The former must agree with the VLAN keys below. */
		if (et && k != et && is_vlan_tpid(et) && !is_vlan_tpid(k))
			inner = k;
		else if (et && k != et)
			return tc_refuse(c, "TCA_FLOWER_KEY_ETH_TYPE: 0x%04x differs from the filter protocol 0x%04x",
					 k, et);
		else
			et = k;
	}

	if (is_vlan_tpid(et)) {
		err = vlan_keys(c, tb, TCA_FLOWER_KEY_VLAN_ID,
				TCA_FLOWER_KEY_VLAN_PRIO, et, &m->vlan,
				&m->vlan_mask);
		if (err)
			return err;
		m->items |= M(VLAN);
		et = 0;
		if (tb[TCA_FLOWER_KEY_VLAN_ETH_TYPE])
			et = ntohs(nla_get_u16(tb[TCA_FLOWER_KEY_VLAN_ETH_TYPE]));
		if (is_vlan_tpid(et)) {
			err = vlan_keys(c, tb, TCA_FLOWER_KEY_CVLAN_ID,
					TCA_FLOWER_KEY_CVLAN_PRIO, et, &m->cvlan,
					&m->cvlan_mask);
			if (err)
				return err;
			m->items |= M(VLAN_INNER);
			et = 0;
			if (tb[TCA_FLOWER_KEY_CVLAN_ETH_TYPE])
				et = ntohs(nla_get_u16(tb[TCA_FLOWER_KEY_CVLAN_ETH_TYPE]));
		} else if (tb[TCA_FLOWER_KEY_CVLAN_ID] ||
			   tb[TCA_FLOWER_KEY_CVLAN_PRIO] ||
			   tb[TCA_FLOWER_KEY_CVLAN_ETH_TYPE]) {
			return tc_refuse(c, "TCA_FLOWER_KEY_CVLAN_*: inner VLAN keys without an 802.1Q/802.1AD vlan_ethtype");
		}
	} else if (tb[TCA_FLOWER_KEY_VLAN_ID] || tb[TCA_FLOWER_KEY_VLAN_PRIO] ||
		   tb[TCA_FLOWER_KEY_VLAN_ETH_TYPE]) {
		/* The kernel ignores them here; a rule that relies on them
		 * is not what its author thinks, so do not guess. */
		return tc_refuse(c, "TCA_FLOWER_KEY_VLAN_*: VLAN keys without protocol 802.1Q/802.1AD");
	}
	if (inner && inner != et)
		return tc_refuse(c, "TCA_FLOWER_KEY_ETH_TYPE: 0x%04x differs from the ether_type 0x%04x inside the VLAN tags",
				 inner, et);
	if (et) {
		m->eth.ether_type = htons(et);
		m->eth_mask.ether_type = 0xffff;
		m->items |= M(ETH);
	}
	*l3 = et;
	return 0;
}

static void mask8(struct nlattr **tb, int key, int mask, uint8_t *v,
		  uint8_t *vm, uint32_t *items, uint32_t bit)
{
	if (key_mask(tb, key, mask, v, vm, 1))
		*items |= bit;
}

static int ip_keys(struct tc_ctx *c, struct nlattr **tb, uint16_t l3,
		   uint8_t *proto)
{
	struct dpu_rules_match *m = &c->f->match;
	bool v4 = l3 == ETH_P_IP, v6 = l3 == ETH_P_IPV6;
	uint8_t *tos, *tosm, *ttl, *ttlm, *pr, *prm, *fl, *flm;
	uint32_t bit;

	if (!v4 && !v6) {
		static const int l3keys[] = {
			TCA_FLOWER_KEY_IP_PROTO, TCA_FLOWER_KEY_IPV4_SRC,
			TCA_FLOWER_KEY_IPV4_DST, TCA_FLOWER_KEY_IPV6_SRC,
			TCA_FLOWER_KEY_IPV6_DST, TCA_FLOWER_KEY_IP_TOS,
			TCA_FLOWER_KEY_IP_TTL, TCA_FLOWER_KEY_FLAGS,
		};
		unsigned int i;

		for (i = 0; i < sizeof(l3keys) / sizeof(l3keys[0]); i++)
			if (tb[l3keys[i]])
				return tc_refuse(c, "%s: IP key without eth_type ip/ipv6",
						 flower_attr_name(l3keys[i]));
		*proto = 0;
		return 0;
	}
	if (v4 && (tb[TCA_FLOWER_KEY_IPV6_SRC] || tb[TCA_FLOWER_KEY_IPV6_DST]))
		return tc_refuse(c, "TCA_FLOWER_KEY_IPV6_*: IPv6 address with eth_type ip");
	if (v6 && (tb[TCA_FLOWER_KEY_IPV4_SRC] || tb[TCA_FLOWER_KEY_IPV4_DST]))
		return tc_refuse(c, "TCA_FLOWER_KEY_IPV4_*: IPv4 address with eth_type ipv6");

	if (v4) {
		bit = M(IPV4);
		tos = &m->ipv4.tos, tosm = &m->ipv4_mask.tos;
		ttl = &m->ipv4.ttl, ttlm = &m->ipv4_mask.ttl;
		pr = &m->ipv4.proto, prm = &m->ipv4_mask.proto;
		fl = &m->ipv4.ip_flags, flm = &m->ipv4_mask.ip_flags;
		if (key_mask(tb, TCA_FLOWER_KEY_IPV4_SRC,
			     TCA_FLOWER_KEY_IPV4_SRC_MASK, m->ipv4.src,
			     m->ipv4_mask.src, 4))
			m->items |= bit;
		if (key_mask(tb, TCA_FLOWER_KEY_IPV4_DST,
			     TCA_FLOWER_KEY_IPV4_DST_MASK, m->ipv4.dst,
			     m->ipv4_mask.dst, 4))
			m->items |= bit;
	} else {
		bit = M(IPV6);
		tos = &m->ipv6.tclass, tosm = &m->ipv6_mask.tclass;
		ttl = &m->ipv6.hop_limit, ttlm = &m->ipv6_mask.hop_limit;
		pr = &m->ipv6.proto, prm = &m->ipv6_mask.proto;
		fl = &m->ipv6.ip_flags, flm = &m->ipv6_mask.ip_flags;
		if (key_mask(tb, TCA_FLOWER_KEY_IPV6_SRC,
			     TCA_FLOWER_KEY_IPV6_SRC_MASK, m->ipv6.src,
			     m->ipv6_mask.src, 16))
			m->items |= bit;
		if (key_mask(tb, TCA_FLOWER_KEY_IPV6_DST,
			     TCA_FLOWER_KEY_IPV6_DST_MASK, m->ipv6.dst,
			     m->ipv6_mask.dst, 16))
			m->items |= bit;
	}
	mask8(tb, TCA_FLOWER_KEY_IP_PROTO, 0, pr, prm, &m->items, bit);
	mask8(tb, TCA_FLOWER_KEY_IP_TOS, TCA_FLOWER_KEY_IP_TOS_MASK, tos, tosm,
	      &m->items, bit);
	mask8(tb, TCA_FLOWER_KEY_IP_TTL, TCA_FLOWER_KEY_IP_TTL_MASK, ttl, ttlm,
	      &m->items, bit);
	if (tb[TCA_FLOWER_KEY_FLAGS]) {
		uint32_t k = ntohl(nla_get_u32(tb[TCA_FLOWER_KEY_FLAGS]));
		uint32_t km = tb[TCA_FLOWER_KEY_FLAGS_MASK] ?
			ntohl(nla_get_u32(tb[TCA_FLOWER_KEY_FLAGS_MASK])) :
			0xffffffffu;

		/* TCA_FLOWER_KEY_FLAGS_IS_FRAGMENT/FRAG_IS_FIRST have the
		 * ABI's DPU_ABI_IPF_FRAG/FIRSTFRAG values. */
		if (km & ~(uint32_t)DPU_ABI_IPF_ALL)
			return tc_refuse(c, "TCA_FLOWER_KEY_FLAGS: flags 0x%x beyond frag/firstfrag",
					 km & ~(uint32_t)DPU_ABI_IPF_ALL);
		*fl = (uint8_t)(k & km);
		*flm = (uint8_t)km;
		m->items |= bit;
	} else if (tb[TCA_FLOWER_KEY_FLAGS_MASK]) {
		return tc_malformed(c, "TCA_FLOWER_KEY_FLAGS_MASK: mask without TCA_FLOWER_KEY_FLAGS");
	}
	*proto = (*prm == 0xff) ? *pr : 0;
	if (tb[TCA_FLOWER_KEY_IP_PROTO] && *prm != 0xff)
		*proto = 0;
	return 0;
}

static int l4_ports(struct nlattr **tb, int s, int sm, int d, int dm,
		    dpu_be16_t *sp, dpu_be16_t *spm, dpu_be16_t *dp,
		    dpu_be16_t *dpm)
{
	int any = 0;

	any |= key_mask(tb, s, sm, sp, spm, 2);
	any |= key_mask(tb, d, dm, dp, dpm, 2);
	return any;
}

static int l4_keys(struct tc_ctx *c, struct nlattr **tb, uint16_t l3,
		   uint8_t proto)
{
	struct dpu_rules_match *m = &c->f->match;
	static const struct {
		int attr;
		uint8_t proto; /* 0: IPv4 or IPv6 ICMP resolved below */
	} owner[] = {
		{ TCA_FLOWER_KEY_TCP_SRC, IPPROTO_TCP },
		{ TCA_FLOWER_KEY_TCP_DST, IPPROTO_TCP },
		{ TCA_FLOWER_KEY_TCP_FLAGS, IPPROTO_TCP },
		{ TCA_FLOWER_KEY_UDP_SRC, IPPROTO_UDP },
		{ TCA_FLOWER_KEY_UDP_DST, IPPROTO_UDP },
		{ TCA_FLOWER_KEY_SCTP_SRC, IPPROTO_SCTP },
		{ TCA_FLOWER_KEY_SCTP_DST, IPPROTO_SCTP },
		{ TCA_FLOWER_KEY_ICMPV4_TYPE, IPPROTO_ICMP },
		{ TCA_FLOWER_KEY_ICMPV4_CODE, IPPROTO_ICMP },
		{ TCA_FLOWER_KEY_ICMPV6_TYPE, IPPROTO_ICMPV6 },
		{ TCA_FLOWER_KEY_ICMPV6_CODE, IPPROTO_ICMPV6 },
	};
	unsigned int i;

	for (i = 0; i < sizeof(owner) / sizeof(owner[0]); i++) {
		if (tb[owner[i].attr] && owner[i].proto != proto)
			return tc_refuse(c, "%s: needs ip_proto %u (rule has %u)",
					 flower_attr_name(owner[i].attr),
					 owner[i].proto, proto);
	}
	if ((proto == IPPROTO_ICMP && l3 != ETH_P_IP) ||
	    (proto == IPPROTO_ICMPV6 && l3 != ETH_P_IPV6)) {
		if (tb[TCA_FLOWER_KEY_ICMPV4_TYPE] || tb[TCA_FLOWER_KEY_ICMPV4_CODE] ||
		    tb[TCA_FLOWER_KEY_ICMPV6_TYPE] || tb[TCA_FLOWER_KEY_ICMPV6_CODE])
			return tc_refuse(c, "TCA_FLOWER_KEY_ICMP*: ICMP version does not match eth_type");
	}

	switch (proto) {
	case IPPROTO_TCP:
		if (l4_ports(tb, TCA_FLOWER_KEY_TCP_SRC, TCA_FLOWER_KEY_TCP_SRC_MASK,
			     TCA_FLOWER_KEY_TCP_DST, TCA_FLOWER_KEY_TCP_DST_MASK,
			     &m->tcp.src_port, &m->tcp_mask.src_port,
			     &m->tcp.dst_port, &m->tcp_mask.dst_port))
			m->items |= M(TCP);
		if (key_mask(tb, TCA_FLOWER_KEY_TCP_FLAGS,
			     TCA_FLOWER_KEY_TCP_FLAGS_MASK, &m->tcp.flags,
			     &m->tcp_mask.flags, 2)) {
			if (ntohs(m->tcp_mask.flags) & 0xf000)
				return tc_refuse(c, "TCA_FLOWER_KEY_TCP_FLAGS_MASK: bits above the 12 TCP flags");
			m->items |= M(TCP);
		}
		break;
	case IPPROTO_UDP:
		if (l4_ports(tb, TCA_FLOWER_KEY_UDP_SRC, TCA_FLOWER_KEY_UDP_SRC_MASK,
			     TCA_FLOWER_KEY_UDP_DST, TCA_FLOWER_KEY_UDP_DST_MASK,
			     &m->udp.src_port, &m->udp_mask.src_port,
			     &m->udp.dst_port, &m->udp_mask.dst_port))
			m->items |= M(UDP);
		break;
	case IPPROTO_SCTP:
		if (l4_ports(tb, TCA_FLOWER_KEY_SCTP_SRC, TCA_FLOWER_KEY_SCTP_SRC_MASK,
			     TCA_FLOWER_KEY_SCTP_DST, TCA_FLOWER_KEY_SCTP_DST_MASK,
			     &m->sctp.src_port, &m->sctp_mask.src_port,
			     &m->sctp.dst_port, &m->sctp_mask.dst_port))
			m->items |= M(SCTP);
		break;
	case IPPROTO_ICMP:
		mask8(tb, TCA_FLOWER_KEY_ICMPV4_TYPE, TCA_FLOWER_KEY_ICMPV4_TYPE_MASK,
		      &m->icmp.type, &m->icmp_mask.type, &m->items, M(ICMP));
		mask8(tb, TCA_FLOWER_KEY_ICMPV4_CODE, TCA_FLOWER_KEY_ICMPV4_CODE_MASK,
		      &m->icmp.code, &m->icmp_mask.code, &m->items, M(ICMP));
		break;
	case IPPROTO_ICMPV6:
		mask8(tb, TCA_FLOWER_KEY_ICMPV6_TYPE, TCA_FLOWER_KEY_ICMPV6_TYPE_MASK,
		      &m->icmp6.type, &m->icmp6_mask.type, &m->items, M(ICMP6));
		mask8(tb, TCA_FLOWER_KEY_ICMPV6_CODE, TCA_FLOWER_KEY_ICMPV6_CODE_MASK,
		      &m->icmp6.code, &m->icmp6_mask.code, &m->items, M(ICMP6));
		break;
	}
	return 0;
}

static int arp_keys(struct tc_ctx *c, struct nlattr **tb, uint16_t l3)
{
	struct dpu_rules_match *m = &c->f->match;
	bool any = false;

	if (l3 != ETH_P_ARP && l3 != ETH_P_RARP) {
		if (tb[TCA_FLOWER_KEY_ARP_SIP] || tb[TCA_FLOWER_KEY_ARP_TIP] ||
		    tb[TCA_FLOWER_KEY_ARP_OP] || tb[TCA_FLOWER_KEY_ARP_SHA] ||
		    tb[TCA_FLOWER_KEY_ARP_THA])
			return tc_refuse(c, "TCA_FLOWER_KEY_ARP_*: ARP keys without eth_type arp");
		return 0;
	}
	any |= key_mask(tb, TCA_FLOWER_KEY_ARP_SIP, TCA_FLOWER_KEY_ARP_SIP_MASK,
			m->arp.spa, m->arp_mask.spa, 4);
	any |= key_mask(tb, TCA_FLOWER_KEY_ARP_TIP, TCA_FLOWER_KEY_ARP_TIP_MASK,
			m->arp.tpa, m->arp_mask.tpa, 4);
	any |= key_mask(tb, TCA_FLOWER_KEY_ARP_SHA, TCA_FLOWER_KEY_ARP_SHA_MASK,
			m->arp.sha, m->arp_mask.sha, 6);
	any |= key_mask(tb, TCA_FLOWER_KEY_ARP_THA, TCA_FLOWER_KEY_ARP_THA_MASK,
			m->arp.tha, m->arp_mask.tha, 6);
	if (tb[TCA_FLOWER_KEY_ARP_OP]) {
		uint8_t op, opm;

		key_mask(tb, TCA_FLOWER_KEY_ARP_OP, TCA_FLOWER_KEY_ARP_OP_MASK,
			 &op, &opm, 1);
		m->arp.op = htons(op);
		m->arp_mask.op = htons(opm);
		any = true;
	}
	if (any)
		m->items |= M(ARP);
	return 0;
}

static int ct_keys(struct tc_ctx *c, struct nlattr **tb)
{
	struct dpu_rules_match *m = &c->f->match;
	bool any = false;

	if (tb[TCA_FLOWER_KEY_CT_STATE]) {
		uint16_t s = nla_get_u16(tb[TCA_FLOWER_KEY_CT_STATE]);
		uint16_t sm = tb[TCA_FLOWER_KEY_CT_STATE_MASK] ?
			nla_get_u16(tb[TCA_FLOWER_KEY_CT_STATE_MASK]) : 0xffff;

		/* TCA_FLOWER_KEY_CT_FLAGS_* equal enum dpu_abi_ct_state. */
		if (sm & ~DPU_ABI_CT_STATE_ALL)
			return tc_refuse(c, "TCA_FLOWER_KEY_CT_STATE_MASK: unknown ct_state bits 0x%x",
					 sm & ~DPU_ABI_CT_STATE_ALL);
		m->ct.state = s & sm;
		m->ct_mask.state = sm;
		any = true;
	}
	any |= key_mask(tb, TCA_FLOWER_KEY_CT_ZONE, TCA_FLOWER_KEY_CT_ZONE_MASK,
			&m->ct.zone, &m->ct_mask.zone, 2);
	any |= key_mask(tb, TCA_FLOWER_KEY_CT_MARK, TCA_FLOWER_KEY_CT_MARK_MASK,
			&m->ct.mark, &m->ct_mask.mark, 4);
	any |= key_mask(tb, TCA_FLOWER_KEY_CT_LABELS,
			TCA_FLOWER_KEY_CT_LABELS_MASK, m->ct.label,
			m->ct_mask.label, 16);
	if (any)
		m->items |= M(CT);
	return 0;
}

int tc_flower_keys(struct tc_ctx *c, struct nlattr **tb)
{
	uint16_t l3 = 0;
	uint8_t proto = 0;
	int err;

	/* A mask without its key is meaningless; the kernel ignores it. */
	static const int pairs[][2] = {
		{ TCA_FLOWER_KEY_ETH_DST_MASK, TCA_FLOWER_KEY_ETH_DST },
		{ TCA_FLOWER_KEY_ETH_SRC_MASK, TCA_FLOWER_KEY_ETH_SRC },
		{ TCA_FLOWER_KEY_IPV4_SRC_MASK, TCA_FLOWER_KEY_IPV4_SRC },
		{ TCA_FLOWER_KEY_IPV4_DST_MASK, TCA_FLOWER_KEY_IPV4_DST },
		{ TCA_FLOWER_KEY_IPV6_SRC_MASK, TCA_FLOWER_KEY_IPV6_SRC },
		{ TCA_FLOWER_KEY_IPV6_DST_MASK, TCA_FLOWER_KEY_IPV6_DST },
		{ TCA_FLOWER_KEY_TCP_SRC_MASK, TCA_FLOWER_KEY_TCP_SRC },
		{ TCA_FLOWER_KEY_TCP_DST_MASK, TCA_FLOWER_KEY_TCP_DST },
		{ TCA_FLOWER_KEY_UDP_SRC_MASK, TCA_FLOWER_KEY_UDP_SRC },
		{ TCA_FLOWER_KEY_UDP_DST_MASK, TCA_FLOWER_KEY_UDP_DST },
		{ TCA_FLOWER_KEY_SCTP_SRC_MASK, TCA_FLOWER_KEY_SCTP_SRC },
		{ TCA_FLOWER_KEY_SCTP_DST_MASK, TCA_FLOWER_KEY_SCTP_DST },
		{ TCA_FLOWER_KEY_TCP_FLAGS_MASK, TCA_FLOWER_KEY_TCP_FLAGS },
		{ TCA_FLOWER_KEY_CT_STATE_MASK, TCA_FLOWER_KEY_CT_STATE },
		{ TCA_FLOWER_KEY_CT_ZONE_MASK, TCA_FLOWER_KEY_CT_ZONE },
		{ TCA_FLOWER_KEY_CT_MARK_MASK, TCA_FLOWER_KEY_CT_MARK },
		{ TCA_FLOWER_KEY_CT_LABELS_MASK, TCA_FLOWER_KEY_CT_LABELS },
		{ TCA_FLOWER_KEY_ENC_OPTS_MASK, TCA_FLOWER_KEY_ENC_OPTS },
	};
	unsigned int i;

	for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++)
		if (tb[pairs[i][0]] && !tb[pairs[i][1]])
			return tc_malformed(c, "%s: mask without %s",
					    flower_attr_name(pairs[i][0]),
					    flower_attr_name(pairs[i][1]));

	err = l2_keys(c, tb, &l3);
	if (err)
		return err;
	err = ip_keys(c, tb, l3, &proto);
	if (err)
		return err;
	err = l4_keys(c, tb, l3, proto);
	if (err)
		return err;
	err = arp_keys(c, tb, l3);
	if (err)
		return err;
	err = ct_keys(c, tb);
	if (err)
		return err;
	return tc_flower_enc_keys(c, tb);
}
