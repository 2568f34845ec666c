/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Packet parser: one pass from the Ethernet header to the inner L4 header
 * of a VXLAN/GENEVE frame, writing the flow key.  Header layouts come from
 * DPDK's rte_ether/rte_ip/rte_udp/... definitions and IPv6 extension headers
 * are walked with rte_ipv6_get_next_ext(); the walk itself is explicit
 * because rte_net_get_ptype() stops at the outer UDP header and reports
 * lengths, not the field values the key needs.
 */
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_icmp.h>
#include <rte_ip.h>
#include <rte_sctp.h>
#include <rte_tcp.h>
#include <rte_udp.h>
#include <rte_vxlan.h>

#include "esw_key.h"

#define VXLAN_PORT_BE	RTE_BE16(4789)
#define GENEVE_PORT_BE	RTE_BE16(6081)
#define IPV6_MAX_EXT	4

static inline uint16_t
ld16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, 2);
	return v;
}

static inline uint32_t
ld32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

static inline int
is_vlan_tpid(uint16_t t)
{
	return t == RTE_BE16(RTE_ETHER_TYPE_VLAN) || t == RTE_BE16(RTE_ETHER_TYPE_QINQ) ||
	       t == RTE_BE16(RTE_ETHER_TYPE_QINQ1);
}

/* Parse IPv4 at off; returns the L4 offset or 0 when no L4 header follows. */
static inline __attribute__((always_inline)) uint32_t
parse_ipv4(const uint8_t *d, uint32_t len, uint32_t off, uint8_t *proto,
	   uint8_t *tos, uint8_t *ttl, uint8_t *frag, uint32_t *src, uint32_t *dst)
{
	const struct rte_ipv4_hdr *ip = (const void *)(d + off);
	uint32_t ihl;
	uint16_t fo;

	if (len - off < sizeof(*ip) || (ip->version_ihl >> 4) != 4)
		return 0;
	ihl = (ip->version_ihl & 0xf) * 4u;
	if (ihl < sizeof(*ip) || len - off < ihl)
		return 0;
	*proto = ip->next_proto_id;
	*tos = ip->type_of_service;
	*ttl = ip->time_to_live;
	*src = ip->src_addr;
	*dst = ip->dst_addr;
	fo = rte_be_to_cpu_16(ip->fragment_offset);
	if (fo & (RTE_IPV4_HDR_MF_FLAG | RTE_IPV4_HDR_OFFSET_MASK)) {
		*frag = 0x01;	/* DPU_HAL_FRAG_IS_FRAG */
		if (fo & RTE_IPV4_HDR_OFFSET_MASK) {
			*frag |= 0x04;	/* LATER: no L4 header */
			return 0;
		}
		*frag |= 0x02;
	}
	return off + ihl;
}

/* Parse IPv6 + extension headers; returns the L4 offset or 0. */
static uint32_t
parse_ipv6(const uint8_t *d, uint32_t len, uint32_t off, uint8_t *proto,
	   uint8_t *tc, uint8_t *hlim, uint8_t *frag, uint8_t *src, uint8_t *dst)
{
	const struct rte_ipv6_hdr *ip = (const void *)(d + off);
	uint32_t vtc;
	int nh, i;

	if (len - off < sizeof(*ip))
		return 0;
	vtc = rte_be_to_cpu_32(ip->vtc_flow);
	if ((vtc >> 28) != 6)
		return 0;
	*tc = (vtc >> 20) & 0xff;
	*hlim = ip->hop_limits;
	memcpy(src, ip->src_addr, 16);
	memcpy(dst, ip->dst_addr, 16);
	off += sizeof(*ip);
	nh = ip->proto;
	for (i = 0; i < IPV6_MAX_EXT; i++) {
		size_t ext_len = 0;
		int next;

		if (nh == IPPROTO_FRAGMENT) {
			const struct rte_ipv6_fragment_ext *fe = (const void *)(d + off);

			if (len - off < sizeof(*fe))
				return 0;
			*frag = 0x01;
			if (rte_be_to_cpu_16(fe->frag_data) & 0xfff8) {
				*frag |= 0x04;
				*proto = fe->next_header;
				return 0;
			}
			*frag |= 0x02;
		}
		if (len - off < 8)
			return 0;
		next = rte_ipv6_get_next_ext(d + off, nh, &ext_len);
		if (next < 0)
			break;	/* not an extension header: nh is the L4 proto */
		if (len - off < ext_len)
			return 0;
		off += ext_len;
		nh = next;
	}
	*proto = nh;
	return off;
}

static uint32_t
parse_inner(const uint8_t *d, uint32_t len, uint32_t off, struct sim_key *k,
	    struct sim_pinfo *pi)
{
	const struct rte_ether_hdr *eh = (const void *)(d + off);
	uint8_t tos = 0, ttl = 0, frag = 0;
	uint32_t l4 = 0;

	/* inner words are only zeroed for tunnelled frames (see sim_parse) */
	memset(&k->w[15], 0, 8 * 8);
	if (len - off < sizeof(*eh))
		return 0;
	pi->in_l2 = off;
	k->in_layers |= SIM_IL_ETH;
	memcpy(k->in_dmac, eh->dst_addr.addr_bytes, 6);
	memcpy(k->in_smac, eh->src_addr.addr_bytes, 6);
	k->in_eth_type = eh->ether_type;
	off += sizeof(*eh);
	if (eh->ether_type == RTE_BE16(RTE_ETHER_TYPE_IPV4)) {
		l4 = parse_ipv4(d, len, off, &k->in_ip_proto, &k->in_ip_tos, &ttl, &frag,
				&k->in_ip4_src, &k->in_ip4_dst);
		if (len - off >= sizeof(struct rte_ipv4_hdr) && (d[off] >> 4) == 4) {
			k->in_layers |= SIM_IL_IPV4;
			pi->in_l3 = off;
		}
	} else if (eh->ether_type == RTE_BE16(RTE_ETHER_TYPE_IPV6)) {
		l4 = parse_ipv6(d, len, off, &k->in_ip_proto, &k->in_ip_tos, &ttl, &frag,
				k->in_ip6_src, k->in_ip6_dst);
		if (len - off >= sizeof(struct rte_ipv6_hdr) && (d[off] >> 4) == 6) {
			k->in_layers |= SIM_IL_IPV6;
			pi->in_l3 = off;
		}
	}
	(void)tos;
	if (l4 == 0)
		return 0;
	if (k->in_ip_proto == IPPROTO_TCP && len - l4 >= sizeof(struct rte_tcp_hdr)) {
		const struct rte_tcp_hdr *th = (const void *)(d + l4);

		k->in_layers |= SIM_IL_TCP;
		k->in_tp_src = th->src_port;
		k->in_tp_dst = th->dst_port;
		k->in_tcp_flags = th->tcp_flags;
		pi->in_l4 = l4;
	} else if (k->in_ip_proto == IPPROTO_UDP && len - l4 >= sizeof(struct rte_udp_hdr)) {
		const struct rte_udp_hdr *uh = (const void *)(d + l4);

		k->in_layers |= SIM_IL_UDP;
		k->in_tp_src = uh->src_port;
		k->in_tp_dst = uh->dst_port;
		pi->in_l4 = l4;
	}
	return 0;
}

static void
parse_tunnel(const uint8_t *d, uint32_t len, uint32_t off, uint16_t dport,
	     struct sim_key *k, struct sim_pinfo *pi)
{
	if (dport == VXLAN_PORT_BE) {
		const struct rte_vxlan_hdr *vh = (const void *)(d + off);

		if (len - off < sizeof(*vh) || !(vh->vx_flags & RTE_BE32(0x08000000)))
			return;
		k->layers |= SIM_L_VXLAN;
		k->w[9] = 0;
		k->vni = rte_be_to_cpu_32(vh->vx_vni) >> 8;
		pi->tun = off;
		parse_inner(d, len, off + sizeof(*vh), k, pi);
	} else if (dport == GENEVE_PORT_BE) {
		uint32_t optlen;

		if (len - off < 8 || (d[off] >> 6) != 0)
			return;
		optlen = (d[off] & 0x3f) * 4u;
		if (len - off - 8 < optlen)
			return;
		k->layers |= SIM_L_GENEVE;
		k->w[9] = k->w[10] = 0;
		k->gnv_proto = ld16(d + off + 2);
		k->vni = ((uint32_t)d[off + 4] << 16) | ((uint32_t)d[off + 5] << 8) | d[off + 6];
		pi->tun = off;
		if (optlen >= 4) {
			/* first option only: like mlx5's single TLV parser */
			const uint8_t *o = d + off + 8;
			uint32_t olen = (o[3] & 0x1f) * 4u;

			k->layers |= SIM_L_GNV_OPT;
			k->gnv_opt_class = ld16(o);
			k->gnv_opt_type = o[2];
			k->gnv_opt_len = o[3] & 0x1f;
			if (olen >= 4 && optlen >= 8)
				k->gnv_opt_data = ld32(o + 4);
		}
		if (k->gnv_proto == RTE_BE16(RTE_ETHER_TYPE_TEB))
			parse_inner(d, len, off + 8 + optlen, k, pi);
	}
}

void
sim_parse(const uint8_t *d, uint32_t len, struct sim_key *k, struct sim_pinfo *pi)
{
	const struct rte_ether_hdr *eh = (const void *)d;
	uint32_t off, l4 = 0;
	uint16_t type;

	/*
	 * Only w0..w8 (port, layer bits, IPv4, L4, L2, metadata) are zeroed:
	 * every other word belongs to a header whose layer bit is in w0/w8 and
	 * is fully written when that bit is set, and every rule matching such
	 * a word also matches its layer bit, so stale contents never match.
	 */
	memset(k, 0, 9 * 8);
	memset(pi, 0, sizeof(*pi));
	if (len < sizeof(*eh))
		return;
	memcpy(k->dmac, eh->dst_addr.addr_bytes, 6);
	memcpy(k->smac, eh->src_addr.addr_bytes, 6);
	k->eth_type = type = eh->ether_type;
	off = sizeof(*eh);
	while (is_vlan_tpid(type)) {
		if (len - off < 4)
			return;
		if (pi->nvlan == 2) {
			k->layers |= SIM_L_VLAN2;	/* 3+ tags: L3 not parsed */
			return;
		}
		if (pi->nvlan == 0) {
			k->layers |= SIM_L_VLAN0;
			k->vlan0_tci = ld16(d + off);
			k->vlan0_inner = type = ld16(d + off + 2);
		} else {
			k->layers |= SIM_L_VLAN1;
			k->vlan1_tci = ld16(d + off);
			k->vlan1_inner = type = ld16(d + off + 2);
		}
		pi->nvlan++;
		off += 4;
	}
	if (type == RTE_BE16(RTE_ETHER_TYPE_IPV4)) {
		if (len - off < sizeof(struct rte_ipv4_hdr) || (d[off] >> 4) != 4)
			return;
		k->layers |= SIM_L_IPV4;
		pi->l3 = off;
		l4 = parse_ipv4(d, len, off, &k->ip_proto, &k->ip_tos, &k->ip_ttl,
				&k->ip_frag, &k->ip4_src, &k->ip4_dst);
	} else if (type == RTE_BE16(RTE_ETHER_TYPE_IPV6)) {
		if (len - off < sizeof(struct rte_ipv6_hdr) || (d[off] >> 4) != 6)
			return;
		k->layers |= SIM_L_IPV6;
		pi->l3 = off;
		l4 = parse_ipv6(d, len, off, &k->ip_proto, &k->ip_tos, &k->ip_ttl,
				&k->ip_frag, k->ip6_src, k->ip6_dst);
	} else {
		return;
	}
	if (l4 == 0)
		return;
	switch (k->ip_proto) {
	case IPPROTO_TCP:
		if (len - l4 >= sizeof(struct rte_tcp_hdr)) {
			const struct rte_tcp_hdr *th = (const void *)(d + l4);

			k->layers |= SIM_L_TCP;
			k->tp_src = th->src_port;
			k->tp_dst = th->dst_port;
			k->tcp_flags = th->tcp_flags;
			pi->l4 = l4;
		}
		break;
	case IPPROTO_UDP:
		if (len - l4 >= sizeof(struct rte_udp_hdr)) {
			const struct rte_udp_hdr *uh = (const void *)(d + l4);

			k->layers |= SIM_L_UDP;
			k->tp_src = uh->src_port;
			k->tp_dst = uh->dst_port;
			pi->l4 = l4;
			parse_tunnel(d, len, l4 + sizeof(*uh), uh->dst_port, k, pi);
		}
		break;
	case IPPROTO_SCTP:
		if (len - l4 >= sizeof(struct rte_sctp_hdr)) {
			const struct rte_sctp_hdr *sh = (const void *)(d + l4);

			k->layers |= SIM_L_SCTP;
			k->tp_src = sh->src_port;
			k->tp_dst = sh->dst_port;
			pi->l4 = l4;
		}
		break;
	case IPPROTO_ICMP:
		if ((k->layers & SIM_L_IPV4) && len - l4 >= 4) {
			k->layers |= SIM_L_ICMP;
			k->icmp_type = d[l4];
			k->icmp_code = d[l4 + 1];
			pi->l4 = l4;
		}
		break;
	case IPPROTO_ICMPV6:
		if ((k->layers & SIM_L_IPV6) && len - l4 >= 4) {
			k->layers |= SIM_L_ICMP6;
			k->icmp_type = d[l4];
			k->icmp_code = d[l4 + 1];
			pi->l4 = l4;
		}
		break;
	default:
		break;
	}
}
