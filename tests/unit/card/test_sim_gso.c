/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Software offloads of the card's ports: TCP super-frames (plain, in
 * VXLAN over IPv4, in Geneve over IPv6) are cut into segments whose every
 * header and checksum a receiver would accept and whose payloads join up
 * to the original; partial checksums are completed; garbage frames fail
 * the sanity check.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_tcp.h>
#include <rte_udp.h>

#include "sim_port.h"

static int failures;

#define CHECK(c)                                                             \
	do {                                                                 \
		if (!(c)) {                                                  \
			fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, \
				__LINE__, #c);                               \
			failures++;                                          \
		}                                                            \
	} while (0)

enum tun { NONE, VXLAN4, GENEVE6 };

/* eth [outer ip/udp/tunnel/eth] ip tcp payload; returns header length. */
static uint32_t build(uint8_t *d, enum tun tun, bool v6, uint32_t payload, uint32_t *l3,
		      uint32_t *l4)
{
	uint32_t off = 0, o_l3 = 0;
	struct rte_ether_hdr *eh = (void *)d;

	memset(eh, 0, sizeof(*eh));
	eh->dst_addr.addr_bytes[0] = 2;
	eh->src_addr.addr_bytes[0] = 2;
	eh->src_addr.addr_bytes[5] = 1;
	off = sizeof(*eh);
	if (tun != NONE) {
		uint32_t olen = (tun == GENEVE6 ? 40 : 20) + 8 + 8 + 14 + (v6 ? 40 : 20) + 20 + payload;
		struct rte_udp_hdr *uh;

		eh->ether_type = rte_cpu_to_be_16(tun == GENEVE6 ? RTE_ETHER_TYPE_IPV6
								 : RTE_ETHER_TYPE_IPV4);
		o_l3 = off;
		if (tun == GENEVE6) {
			struct rte_ipv6_hdr *ip = (void *)(d + off);

			memset(ip, 0, 40);
			ip->vtc_flow = rte_cpu_to_be_32(6u << 28);
			ip->payload_len = rte_cpu_to_be_16((uint16_t)(olen - 40));
			ip->proto = IPPROTO_UDP;
			ip->hop_limits = 64;
			ip->src_addr[15] = 1;
			ip->dst_addr[15] = 2;
			off += 40;
		} else {
			struct rte_ipv4_hdr *ip = (void *)(d + off);

			memset(ip, 0, 20);
			ip->version_ihl = 0x45;
			ip->total_length = rte_cpu_to_be_16((uint16_t)olen);
			ip->time_to_live = 64;
			ip->next_proto_id = IPPROTO_UDP;
			ip->src_addr = rte_cpu_to_be_32(0xc0a80001);
			ip->dst_addr = rte_cpu_to_be_32(0xc0a80002);
			ip->hdr_checksum = rte_ipv4_cksum(ip);
			off += 20;
		}
		uh = (void *)(d + off);
		uh->src_port = rte_cpu_to_be_16(50000);
		uh->dst_port = rte_cpu_to_be_16(tun == GENEVE6 ? 6081 : 4789);
		uh->dgram_len = rte_cpu_to_be_16((uint16_t)(olen - (uint32_t)(off - o_l3)));
		uh->dgram_cksum = 0;
		off += 8;
		memset(d + off, 0, 8);
		if (tun == VXLAN4)
			d[off] = 0x08, d[off + 6] = 100;
		else
			d[off + 2] = 0x65, d[off + 3] = 0x58, d[off + 6] = 100;
		off += 8;
		memcpy(d + off, eh, 12);
		eh = (void *)(d + off);
		off += 14;
	}
	eh->ether_type = rte_cpu_to_be_16(v6 ? RTE_ETHER_TYPE_IPV6 : RTE_ETHER_TYPE_IPV4);
	*l3 = off;
	if (v6) {
		struct rte_ipv6_hdr *ip = (void *)(d + off);

		memset(ip, 0, 40);
		ip->vtc_flow = rte_cpu_to_be_32(6u << 28);
		ip->payload_len = rte_cpu_to_be_16((uint16_t)(20 + payload));
		ip->proto = IPPROTO_TCP;
		ip->hop_limits = 64;
		ip->src_addr[0] = 0xfd, ip->src_addr[15] = 1;
		ip->dst_addr[0] = 0xfd, ip->dst_addr[15] = 2;
		off += 40;
	} else {
		struct rte_ipv4_hdr *ip = (void *)(d + off);

		memset(ip, 0, 20);
		ip->version_ihl = 0x45;
		ip->total_length = rte_cpu_to_be_16((uint16_t)(40 + payload));
		ip->packet_id = rte_cpu_to_be_16(7);
		ip->time_to_live = 64;
		ip->next_proto_id = IPPROTO_TCP;
		ip->src_addr = rte_cpu_to_be_32(0x0a0a0001);
		ip->dst_addr = rte_cpu_to_be_32(0x0a0a0002);
		ip->hdr_checksum = rte_ipv4_cksum(ip);
		off += 20;
	}
	*l4 = off;
	{
		struct rte_tcp_hdr *th = (void *)(d + off);
		uint16_t ph;

		memset(th, 0, 20);
		th->src_port = rte_cpu_to_be_16(40000);
		th->dst_port = rte_cpu_to_be_16(5201);
		th->sent_seq = rte_cpu_to_be_32(1000);
		th->data_off = 5 << 4;
		th->tcp_flags = RTE_TCP_ACK_FLAG | RTE_TCP_PSH_FLAG | RTE_TCP_CWR_FLAG;
		th->rx_win = rte_cpu_to_be_16(500);
		/* What the kernel hands over: the pseudo-header sum, not inverted. */
		ph = v6 ? rte_ipv6_phdr_cksum((void *)(d + *l3), 0)
			: rte_ipv4_phdr_cksum((void *)(d + *l3), 0);
		th->cksum = ph;
		off += 20;
	}
	for (uint32_t i = 0; i < payload; i++)
		d[off + i] = (uint8_t)(i * 7 + 3);
	return off;
}

static void check_segments(struct rte_mempool *pool, enum tun tun, bool v6, uint32_t payload,
			   uint16_t mss)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool), *segs[128];
	uint32_t l3, l4, hlen, got = 0;
	uint8_t *d = rte_pktmbuf_mtod(m, uint8_t *);
	struct sim_offload *o;
	int n;

	hlen = build(d, tun, v6, payload, &l3, &l4);
	m->data_len = (uint16_t)(hlen + payload);
	m->pkt_len = hlen + payload;
	o = sim_port_offload(m);
	memset(o, 0, sizeof(*o));
	o->csum_tail = (uint16_t)(m->pkt_len - l4);
	o->csum_offset = 16;
	o->gso_size = mss;
	o->gso_v6 = v6;
	n = sim_gso_segment(m, pool, segs, 128);
	CHECK(n == (int)((payload + mss - 1) / mss));
	for (int i = 0; i < n; i++) {
		uint8_t *s = rte_pktmbuf_mtod(segs[i], uint8_t *);
		struct rte_tcp_hdr *th = (void *)(s + l4);
		uint32_t plen = segs[i]->pkt_len - hlen;

		CHECK(plen == (i + 1 < n ? mss : payload - got));
		if (v6)
			CHECK(rte_ipv6_udptcp_cksum_verify((void *)(s + l3), th) == 0);
		else
			CHECK(rte_ipv4_udptcp_cksum_verify((void *)(s + l3), th) == 0 &&
			      rte_raw_cksum(s + l3, 20) == 0xffff);
		CHECK(rte_be_to_cpu_32(th->sent_seq) == 1000 + got);
		CHECK(!(th->tcp_flags & RTE_TCP_PSH_FLAG) == (i + 1 < n));
		CHECK(!(th->tcp_flags & RTE_TCP_CWR_FLAG) == (i > 0));
		for (uint32_t b = 0; b < plen; b++)
			if (s[hlen + b] != (uint8_t)((got + b) * 7 + 3)) {
				CHECK(!"payload byte");
				break;
			}
		if (tun == VXLAN4) {
			struct rte_ipv4_hdr *oip = (void *)(s + 14);
			struct rte_udp_hdr *uh = (void *)(s + 34);

			CHECK(rte_be_to_cpu_16(oip->total_length) == segs[i]->pkt_len - 14);
			CHECK(rte_raw_cksum(oip, 20) == 0xffff);
			CHECK(rte_be_to_cpu_16(uh->dgram_len) == segs[i]->pkt_len - 34);
		} else if (tun == GENEVE6) {
			struct rte_ipv6_hdr *oip = (void *)(s + 14);
			struct rte_udp_hdr *uh = (void *)(s + 54);

			CHECK(rte_be_to_cpu_16(oip->payload_len) == segs[i]->pkt_len - 54);
			CHECK(rte_ipv6_udptcp_cksum_verify(oip, uh) == 0);
		}
		CHECK(sim_frame_sane(s, segs[i]->data_len));
		got += plen;
		rte_pktmbuf_free(segs[i]);
	}
	CHECK(got == payload);
}

static void check_csum_complete(struct rte_mempool *pool)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
	uint8_t *d = rte_pktmbuf_mtod(m, uint8_t *);
	uint32_t l3, l4, hlen = build(d, NONE, false, 300, &l3, &l4);
	struct sim_offload *o = sim_port_offload(m);

	m->data_len = (uint16_t)(hlen + 300);
	m->pkt_len = hlen + 300;
	memset(o, 0, sizeof(*o));
	o->csum_tail = (uint16_t)(m->pkt_len - l4);
	o->csum_offset = 16;
	CHECK(sim_csum_complete(m) == 0);
	CHECK(rte_ipv4_udptcp_cksum_verify((void *)(d + l3), (void *)(d + l4)) == 0);
	CHECK(o->csum_tail == 0);
	o->csum_tail = (uint16_t)(m->pkt_len + 5);	/* beyond the frame */
	CHECK(sim_csum_complete(m) < 0);
	rte_pktmbuf_free(m);
}

static void check_sanity(void)
{
	uint8_t f[128];
	uint32_t l3, l4;

	memset(f, 0, sizeof(f));
	CHECK(!sim_frame_sane(f, 10));			/* runt */
	f[12] = 0x88, f[13] = 0xcc;			/* LLDP: not ours to judge */
	CHECK(sim_frame_sane(f, 60));
	build(f, NONE, false, 0, &l3, &l4);
	CHECK(sim_frame_sane(f, 54));
	CHECK(!sim_frame_sane(f, 40));			/* IP header cut */
	f[14] = 0x44;					/* IHL 16 bytes */
	CHECK(!sim_frame_sane(f, 54));
	f[14] = 0x45;
	f[16] = 0x10;					/* total length > frame */
	CHECK(!sim_frame_sane(f, 54));
	build(f, NONE, true, 0, &l3, &l4);
	CHECK(sim_frame_sane(f, 74));
	CHECK(!sim_frame_sane(f, 60));
	f[14] = 0x45;					/* v6 ethertype, v4 header */
	CHECK(!sim_frame_sane(f, 74));
}

int main(int argc, char **argv)
{
	char prefix[64];
	char *eal[] = { argv[0], "--no-huge", "--no-pci", "--no-telemetry", "-m", "256",
			"--log-level", "*:error", "--file-prefix", prefix };
	struct rte_mempool *pool;

	(void)argc;
	snprintf(prefix, sizeof(prefix), "gso%d", (int)getpid());
	if (rte_eal_init((int)RTE_DIM(eal), eal) < 0) {
		fprintf(stderr, "EAL init failed\n");
		return 1;
	}
	if (sim_port_lib_init() < 0)
		return 1;
	pool = rte_pktmbuf_pool_create("gso", 512, 0, 0, UINT16_MAX, (int)rte_socket_id());
	if (pool == NULL)
		return 1;
	check_segments(pool, NONE, false, 60000, 1448);
	check_segments(pool, NONE, true, 30000, 1428);
	check_segments(pool, NONE, false, 1000, 1448);	/* one segment */
	check_segments(pool, VXLAN4, false, 40000, 1398);
	check_segments(pool, VXLAN4, true, 20000, 1378);
	check_segments(pool, GENEVE6, false, 20000, 1358);
	check_csum_complete(pool);
	check_sanity();
	rte_mempool_free(pool);
	rte_eal_cleanup();
	if (failures)
		fprintf(stderr, "%d failures\n", failures);
	else
		printf("gso: plain, VXLAN/IPv4 and Geneve/IPv6 super-frames segment correctly\n");
	return failures ? 1 : 0;
}
