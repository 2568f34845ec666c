/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The offload metadata (an mbuf dynfield) and software completion of what
 * a port cannot offload: TCP segmentation of
 * super-frames (plain or inside one VXLAN/Geneve tunnel) and partial
 * checksums.  rte_gso covers neither Geneve nor IPv6-outer tunnels and
 * wants its own mbuf flags, so the card does the few header fix-ups itself.
 */
#include <errno.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_errno.h>
#include <rte_mbuf_dyn.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_tcp.h>
#include <rte_udp.h>

#include "port_internal.h"

static int offload_off = -1;

int sim_port_lib_init(void)
{
	static const struct rte_mbuf_dynfield desc = {
		.name = "opendpu_sim_offload",
		.size = sizeof(struct sim_offload),
		.align = __alignof__(struct sim_offload),
	};

	if (offload_off >= 0)
		return 0;
	offload_off = rte_mbuf_dynfield_register(&desc);
	return offload_off < 0 ? -rte_errno : 0;
}

struct sim_offload *sim_port_offload(struct rte_mbuf *m)
{
	return RTE_MBUF_DYNFIELD(m, offload_off, struct sim_offload *);
}

#define VXLAN_PORT 4789
#define GENEVE_PORT 6081

static uint16_t ld16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, 2);
	return v;
}

/* eth + VLANs + IP at off; returns the L4 offset or 0. */
static uint32_t walk_l2l3(const uint8_t *d, uint32_t len, uint32_t off, uint16_t *l3,
			  uint8_t *v6, uint8_t *proto)
{
	uint16_t type;

	if (len < off + RTE_ETHER_HDR_LEN)
		return 0;
	type = ld16(d + off + 12);
	off += RTE_ETHER_HDR_LEN;
	for (int i = 0; i < 2 && (type == RTE_BE16(RTE_ETHER_TYPE_VLAN) ||
				  type == RTE_BE16(RTE_ETHER_TYPE_QINQ)); i++) {
		if (len < off + 4)
			return 0;
		type = ld16(d + off + 2);
		off += 4;
	}
	*l3 = (uint16_t)off;
	if (type == RTE_BE16(RTE_ETHER_TYPE_IPV4)) {
		uint32_t ihl;

		if (len < off + sizeof(struct rte_ipv4_hdr))
			return 0;
		ihl = (d[off] & 0xf) * 4u;
		if (ihl < 20 || len < off + ihl)
			return 0;
		*v6 = 0;
		*proto = d[off + 9];
		return off + ihl;
	}
	if (type == RTE_BE16(RTE_ETHER_TYPE_IPV6)) {
		if (len < off + sizeof(struct rte_ipv6_hdr))
			return 0;
		*v6 = 1;
		*proto = d[off + 6];	/* extension headers: not offloaded */
		return off + 40;
	}
	return 0;
}

int sim_hdrs_parse(const struct rte_mbuf *m, struct sim_hdrs *h)
{
	const uint8_t *d = rte_pktmbuf_mtod(m, const uint8_t *);
	uint32_t len = m->data_len, l4, in;
	uint16_t dport;

	memset(h, 0, sizeof(*h));
	l4 = walk_l2l3(d, len, 0, &h->l3, &h->v6, &h->proto);
	if (l4 == 0 || l4 > UINT16_MAX)
		return -EINVAL;
	h->l4 = (uint16_t)l4;
	if (h->proto != IPPROTO_UDP || len < l4 + 8 + 8)
		return 0;
	dport = rte_be_to_cpu_16(ld16(d + l4 + 2));
	if (dport == VXLAN_PORT)
		in = l4 + 8 + 8;
	else if (dport == GENEVE_PORT)
		in = l4 + 8 + 8 + (d[l4 + 8] & 0x3f) * 4u;
	else
		return 0;
	h->ol3 = h->l3;
	h->ol4 = h->l4;
	h->ov6 = h->v6;
	l4 = walk_l2l3(d, len, in, &h->l3, &h->v6, &h->proto);
	if (l4 == 0 || l4 > UINT16_MAX) {
		/* Not an inner IP frame: treat the UDP as the innermost L4. */
		h->l3 = h->ol3;
		h->l4 = h->ol4;
		h->v6 = h->ov6;
		h->proto = IPPROTO_UDP;
		h->ol3 = h->ol4 = 0;
		return 0;
	}
	h->l4 = (uint16_t)l4;
	h->tunnel = 1;
	return 0;
}

bool sim_frame_sane(const uint8_t *d, uint32_t len)
{
	uint32_t off = RTE_ETHER_HDR_LEN;
	uint16_t type;

	if (len < RTE_ETHER_HDR_LEN)
		return false;
	type = ld16(d + 12);
	for (int i = 0; i < 2 && (type == RTE_BE16(RTE_ETHER_TYPE_VLAN) ||
				  type == RTE_BE16(RTE_ETHER_TYPE_QINQ)); i++) {
		if (len < off + 4)
			return false;
		type = ld16(d + off + 2);
		off += 4;
	}
	if (type == RTE_BE16(RTE_ETHER_TYPE_IPV4)) {
		uint32_t ihl, tot;

		if (len < off + 20 || (d[off] >> 4) != 4)
			return false;
		ihl = (d[off] & 0xf) * 4u;
		tot = rte_be_to_cpu_16(ld16(d + off + 2));
		/* Super-frames may carry 0 or a wrapped length; TSO fixes it. */
		return ihl >= 20 && ihl <= tot && off + tot <= len;
	}
	if (type == RTE_BE16(RTE_ETHER_TYPE_IPV6)) {
		if (len < off + 40 || (d[off] >> 4) != 6)
			return false;
		return off + 40 + rte_be_to_cpu_16(ld16(d + off + 4)) <= len;
	}
	return true;	/* other ethertypes are the rules' business */
}

uint16_t sim_tcp_hdr_len(const struct rte_mbuf *m, uint32_t off)
{
	uint8_t doff;
	const uint8_t *p = rte_pktmbuf_read(m, off + 12, 1, &doff);
	uint16_t l = p ? (uint16_t)((*p >> 4) * 4) : 20;

	return l < 20 ? 20 : l;
}

static void ip_fix(uint8_t *d, uint16_t l3, uint8_t v6, uint32_t frame_len, uint16_t id_add)
{
	if (!v6) {
		struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(d + l3);

		ip->total_length = rte_cpu_to_be_16((uint16_t)(frame_len - l3));
		ip->packet_id = rte_cpu_to_be_16(rte_be_to_cpu_16(ip->packet_id) + id_add);
		ip->hdr_checksum = 0;
		ip->hdr_checksum = rte_ipv4_cksum(ip);
	} else {
		struct rte_ipv6_hdr *ip = (struct rte_ipv6_hdr *)(d + l3);

		ip->payload_len = rte_cpu_to_be_16((uint16_t)(frame_len - l3 - 40));
	}
}

static uint16_t l4_cksum(uint8_t *d, uint16_t l3, uint8_t v6, void *l4)
{
	if (!v6)
		return rte_ipv4_udptcp_cksum((struct rte_ipv4_hdr *)(d + l3), l4);
	return rte_ipv6_udptcp_cksum((struct rte_ipv6_hdr *)(d + l3), l4);
}

int sim_gso_segment(struct rte_mbuf *m, struct rte_mempool *pool, struct rte_mbuf **segs,
		    uint16_t max)
{
	struct sim_offload *o = sim_port_offload(m);
	struct sim_hdrs h;
	uint32_t hlen, payload, mss = o->gso_size, nseg, off;
	uint32_t seq0;
	uint8_t flags0;
	int rc = -EINVAL;

	if (sim_hdrs_parse(m, &h) < 0 || h.proto != IPPROTO_TCP || mss == 0 ||
	    (uint32_t)m->pkt_len - o->csum_tail != h.l4)
		goto fail;
	hlen = h.l4 + sim_tcp_hdr_len(m, h.l4);
	if (hlen > m->data_len || hlen >= m->pkt_len)
		goto fail;
	payload = m->pkt_len - hlen;
	nseg = (payload + mss - 1) / mss;
	if (nseg > max || hlen + mss > (uint32_t)rte_pktmbuf_data_room_size(pool) - RTE_PKTMBUF_HEADROOM) {
		rc = -E2BIG;
		goto fail;
	}
	if (rte_pktmbuf_alloc_bulk(pool, segs, nseg) < 0) {
		rc = -ENOMEM;
		goto fail;
	}
	{
		const struct rte_tcp_hdr *th = rte_pktmbuf_mtod_offset(m, const void *, h.l4);

		seq0 = rte_be_to_cpu_32(th->sent_seq);
		flags0 = th->tcp_flags;
	}
	off = hlen;
	for (uint32_t i = 0; i < nseg; i++) {
		struct rte_mbuf *s = segs[i];
		uint32_t chunk = RTE_MIN(mss, m->pkt_len - off), flen = hlen + chunk;
		uint8_t *d = rte_pktmbuf_mtod(s, uint8_t *);
		const void *src;
		struct rte_tcp_hdr *th;

		memcpy(d, rte_pktmbuf_mtod(m, const void *), hlen);
		src = rte_pktmbuf_read(m, off, chunk, d + hlen);
		if (src != d + hlen)
			memcpy(d + hlen, src, chunk);
		s->data_len = (uint16_t)flen;
		s->pkt_len = flen;
		s->port = m->port;
		memset(sim_port_offload(s), 0, sizeof(struct sim_offload));

		ip_fix(d, h.l3, h.v6, flen, (uint16_t)i);
		th = (struct rte_tcp_hdr *)(d + h.l4);
		th->sent_seq = rte_cpu_to_be_32(seq0 + (off - hlen));
		th->tcp_flags = flags0;
		if (i + 1 < nseg)
			th->tcp_flags &= (uint8_t)~(RTE_TCP_FIN_FLAG | RTE_TCP_PSH_FLAG);
		if (i > 0)
			th->tcp_flags &= (uint8_t)~RTE_TCP_CWR_FLAG;
		th->cksum = 0;
		th->cksum = l4_cksum(d, h.l3, h.v6, th);
		if (h.tunnel) {
			struct rte_udp_hdr *uh = (struct rte_udp_hdr *)(d + h.ol4);

			ip_fix(d, h.ol3, h.ov6, flen, (uint16_t)i);
			uh->dgram_len = rte_cpu_to_be_16((uint16_t)(flen - h.ol4));
			uh->dgram_cksum = 0;	/* RFC 7348: zero over IPv4 */
			if (h.ov6)
				uh->dgram_cksum = l4_cksum(d, h.ol3, 1, uh);
		}
		off += chunk;
	}
	rte_pktmbuf_free(m);
	return (int)nseg;
fail:
	rte_pktmbuf_free(m);
	return rc;
}

int sim_csum_complete(struct rte_mbuf *m)
{
	struct sim_offload *o = sim_port_offload(m);
	uint32_t start;
	uint16_t c, sum;

	if (o->csum_tail == 0)
		return 0;
	if (o->csum_tail > m->pkt_len)
		return -EINVAL;
	start = m->pkt_len - o->csum_tail;
	if (start + o->csum_offset + 2u > m->data_len)
		return -EINVAL;
	/* The field holds the pseudo-header sum: sum the rest over it. */
	if (rte_raw_cksum_mbuf(m, start, m->pkt_len - start, &sum) < 0)
		return -EINVAL;
	c = (uint16_t)~sum;
	if (c == 0 && o->csum_offset == offsetof(struct rte_udp_hdr, dgram_cksum))
		c = 0xffff;
	memcpy(rte_pktmbuf_mtod_offset(m, uint8_t *, start + o->csum_offset), &c, 2);
	o->csum_tail = 0;
	return 0;
}
