/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The flow key: one fixed layout that the parser fills once per packet and
 * every subtable reads words from.  Fields a typical exact-match rule uses
 * together (port/ethertype/proto, IPv4 pair, L4 ports) share words so a
 * 5-tuple subtable key is 3 words = 24 bytes.
 */
#ifndef SIM_ESW_KEY_H
#define SIM_ESW_KEY_H

#include <assert.h>
#include <stddef.h>
#include <stdint.h>

#define SIM_KEY_WORDS 24

/* key.layers: headers present in the outer (or only) frame */
#define SIM_L_VLAN0	0x0001
#define SIM_L_VLAN1	0x0002
#define SIM_L_IPV4	0x0004
#define SIM_L_IPV6	0x0008
#define SIM_L_TCP	0x0010
#define SIM_L_UDP	0x0020
#define SIM_L_SCTP	0x0040
#define SIM_L_ICMP	0x0080
#define SIM_L_ICMP6	0x0100
#define SIM_L_VXLAN	0x0200
#define SIM_L_GENEVE	0x0400
#define SIM_L_GNV_OPT	0x0800
#define SIM_L_VLAN2	0x1000	/* a third tag: not parsed further */

/* key.in_layers: headers of the inner frame of a tunnel */
#define SIM_IL_ETH	0x0001
#define SIM_IL_IPV4	0x0002
#define SIM_IL_IPV6	0x0004
#define SIM_IL_TCP	0x0008
#define SIM_IL_UDP	0x0010

struct sim_key {
	union {
		uint64_t w[SIM_KEY_WORDS];
		struct {
			/* w0 */
			uint16_t in_port;
			uint16_t layers;
			uint8_t ip_proto, ip_tos, ip_ttl, ip_frag;
			/* w1 */
			uint32_t ip4_src, ip4_dst;
			/* w2 */
			uint16_t tp_src, tp_dst;
			uint8_t tcp_flags, icmp_type, icmp_code, pad2;
			/* w3 */
			uint8_t dmac[6];
			uint16_t eth_type;
			/* w4 */
			uint8_t smac[6];
			uint16_t vlan0_tci;
			/* w5 */
			uint16_t vlan1_tci, vlan0_inner, vlan1_inner, ct_zone;
			/* w6 */
			uint32_t meta, mark;
			/* w7 */
			uint32_t tag[2];
			/* w8 */
			uint8_t ct_state, pad8;
			uint16_t in_layers;
			uint32_t ct_mark;
			/* w9 */
			uint32_t vni;
			uint16_t gnv_proto;
			uint8_t gnv_opt_type, gnv_opt_len;
			/* w10 */
			uint16_t gnv_opt_class, pad10;
			uint32_t gnv_opt_data;
			/* w11..w14 */
			uint8_t ip6_src[16], ip6_dst[16];
			/* w15 */
			uint8_t in_dmac[6];
			uint16_t in_eth_type;
			/* w16 */
			uint8_t in_smac[6];
			uint8_t in_ip_proto, in_ip_tos;
			/* w17 */
			uint32_t in_ip4_src, in_ip4_dst;
			/* w18 */
			uint16_t in_tp_src, in_tp_dst;
			uint8_t in_tcp_flags, pad18[3];
			/* w19..w22 */
			uint8_t in_ip6_src[16], in_ip6_dst[16];
			/* w23 */
			uint64_t pad23;
		};
	};
} __attribute__((aligned(64)));

static_assert(sizeof(struct sim_key) == SIM_KEY_WORDS * 8, "key layout");
static_assert(offsetof(struct sim_key, ip4_src) == 8, "w1");
static_assert(offsetof(struct sim_key, tp_src) == 16, "w2");
static_assert(offsetof(struct sim_key, meta) == 48, "w6");
static_assert(offsetof(struct sim_key, ct_state) == 64, "w8");
static_assert(offsetof(struct sim_key, ip6_src) == 88, "w11");
static_assert(offsetof(struct sim_key, in_dmac) == 120, "w15");
static_assert(offsetof(struct sim_key, in_ip6_src) == 152, "w19");

/* Words that carry metadata rather than headers: kept across a reparse. */
#define SIM_KEY_META_WORD_META	6
#define SIM_KEY_META_WORD_TAG	7
#define SIM_KEY_META_WORD_CT	8

/** Header offsets found by the parser; actions use them to edit in place. */
struct sim_pinfo {
	uint16_t l3;		/* outer L3 offset (0 if none) */
	uint16_t l4;		/* outer L4 offset (0 if none / later fragment) */
	uint16_t tun;		/* tunnel header offset (after UDP) */
	uint16_t in_l2;		/* inner Ethernet offset */
	uint16_t in_l3;
	uint16_t in_l4;
	uint8_t nvlan;		/* outer tags parsed (0..2) */
	uint8_t pad[3];
};

/**
 * Parse a contiguous frame into key and pinfo.  Never reads outside
 * [data, data+len); unknown or truncated headers just end the parse.
 * Metadata words (port, meta, tag, mark, ct) are left to the caller.
 */
void sim_parse(const uint8_t *data, uint32_t len, struct sim_key *key,
	       struct sim_pinfo *pi);

#endif /* SIM_ESW_KEY_H */
