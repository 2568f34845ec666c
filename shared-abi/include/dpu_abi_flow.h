/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * opendpu shared ABI v1: flow rules (match items + actions) and the batched
 * flow operations.
 *
 * A rule is shaped like an rte_flow rule so that the card translates it 1:1:
 * a list of match items, each with a spec and a mask of the same layout, then
 * a list of actions. Items appear at most once each, in ascending type order
 * (so two encodings of one rule are byte-identical); an absent item matches
 * anything. Spec bits outside the mask must be zero (DPU_ABI_E_MASK).
 *
 * Every item and action starts with a 4-byte {type, len} header; len counts
 * the header and must equal the exact size for that type, a multiple of 8.
 * A minor version adds types; it never changes an existing type's size.
 */
#ifndef DPU_ABI_FLOW_H
#define DPU_ABI_FLOW_H

#include "dpu_abi_wire.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Host-chosen flow identity (tc: ifindex/chain/prio/handle; OVS: ufid).
 * Adding an id that exists with the same rule is a no-op; with a different
 * rule it is DPU_ABI_E_EXISTS (use MODIFY).
 */
struct dpu_abi_flow_id {
	uint64_t lo;
	uint64_t hi;
};
DPU_ABI_LAYOUT(struct dpu_abi_flow_id, 16);
DPU_ABI_FIELD(struct dpu_abi_flow_id, lo, 0);
DPU_ABI_FIELD(struct dpu_abi_flow_id, hi, 8);

/* ------------------------------------------------------------------ */
/* Match items                                                         */
/* ------------------------------------------------------------------ */

enum dpu_abi_item_type {
	DPU_ABI_ITEM_PORT = 1,       /* ingress port (represented port id) */
	DPU_ABI_ITEM_META = 2,       /* 32-bit metadata register */
	DPU_ABI_ITEM_TAG = 3,        /* indexed tag registers */
	DPU_ABI_ITEM_MARK = 4,       /* mark set by an earlier group */
	DPU_ABI_ITEM_TUNNEL = 5,     /* outer headers of a VXLAN/Geneve packet */
	DPU_ABI_ITEM_GENEVE_OPT = 6, /* one Geneve option TLV */
	DPU_ABI_ITEM_ETH = 7,
	DPU_ABI_ITEM_VLAN = 8,       /* outer tag */
	DPU_ABI_ITEM_VLAN_INNER = 9, /* second tag (QinQ) */
	DPU_ABI_ITEM_ARP = 10,
	DPU_ABI_ITEM_IPV4 = 11,
	DPU_ABI_ITEM_IPV6 = 12,
	DPU_ABI_ITEM_TCP = 13,
	DPU_ABI_ITEM_UDP = 14,
	DPU_ABI_ITEM_SCTP = 15,
	DPU_ABI_ITEM_ICMP = 16,
	DPU_ABI_ITEM_ICMP6 = 17,
	DPU_ABI_ITEM_CT = 18,        /* conntrack state/zone/mark/label */
	DPU_ABI_ITEM_TYPE_MAX = 19,
};

struct dpu_abi_item_hdr {
	uint16_t type; /* enum dpu_abi_item_type */
	uint16_t len;  /* 8 + 2 * sizeof(spec) */
	uint32_t reserved;
	/* followed by spec, then mask, of the type's struct */
};
DPU_ABI_LAYOUT(struct dpu_abi_item_hdr, 8);
DPU_ABI_FIELD(struct dpu_abi_item_hdr, type, 0);
DPU_ABI_FIELD(struct dpu_abi_item_hdr, len, 2);
DPU_ABI_FIELD(struct dpu_abi_item_hdr, reserved, 4);

struct dpu_abi_item_port {
	uint32_t port_id;
};
DPU_ABI_LAYOUT(struct dpu_abi_item_port, 4);
DPU_ABI_FIELD(struct dpu_abi_item_port, port_id, 0);

struct dpu_abi_item_meta {
	uint32_t data;
};
DPU_ABI_LAYOUT(struct dpu_abi_item_meta, 4);
DPU_ABI_FIELD(struct dpu_abi_item_meta, data, 0);

#define DPU_ABI_TAG_INDEX_MAX 7
struct dpu_abi_item_tag {
	uint32_t data;
	uint8_t index; /* 0..DPU_ABI_TAG_INDEX_MAX; mask must be 0xff */
	uint8_t reserved[3];
};
DPU_ABI_LAYOUT(struct dpu_abi_item_tag, 8);
DPU_ABI_FIELD(struct dpu_abi_item_tag, data, 0);
DPU_ABI_FIELD(struct dpu_abi_item_tag, index, 4);
DPU_ABI_FIELD(struct dpu_abi_item_tag, reserved, 5);

struct dpu_abi_item_mark {
	uint32_t id;
};
DPU_ABI_LAYOUT(struct dpu_abi_item_mark, 4);
DPU_ABI_FIELD(struct dpu_abi_item_mark, id, 0);

enum dpu_abi_tunnel_type {
	DPU_ABI_TUNNEL_VXLAN = 1,
	DPU_ABI_TUNNEL_GENEVE = 2,
	DPU_ABI_TUNNEL_TYPE_MAX = 3,
};

/*
 * Tunnel outer headers, the flower enc_* keys. ip_version selects which of
 * the address bytes count (4: first 4 bytes, rest zero). type and ip_version
 * must be fully masked when the item is present.
 */
struct dpu_abi_item_tunnel {
	uint8_t type;       /* enum dpu_abi_tunnel_type */
	uint8_t ip_version; /* 4 or 6 */
	uint8_t tos;
	uint8_t ttl;
	dpu_be32_t vni;     /* 24-bit VNI in the low bits (flower enc_key_id) */
	uint8_t src[16];
	uint8_t dst[16];
	dpu_be16_t src_port;
	dpu_be16_t dst_port;
	uint32_t reserved;
};
DPU_ABI_LAYOUT(struct dpu_abi_item_tunnel, 48);
DPU_ABI_FIELD(struct dpu_abi_item_tunnel, type, 0);
DPU_ABI_FIELD(struct dpu_abi_item_tunnel, ip_version, 1);
DPU_ABI_FIELD(struct dpu_abi_item_tunnel, tos, 2);
DPU_ABI_FIELD(struct dpu_abi_item_tunnel, ttl, 3);
DPU_ABI_FIELD(struct dpu_abi_item_tunnel, vni, 4);
DPU_ABI_FIELD(struct dpu_abi_item_tunnel, src, 8);
DPU_ABI_FIELD(struct dpu_abi_item_tunnel, dst, 24);
DPU_ABI_FIELD(struct dpu_abi_item_tunnel, src_port, 40);
DPU_ABI_FIELD(struct dpu_abi_item_tunnel, dst_port, 42);
DPU_ABI_FIELD(struct dpu_abi_item_tunnel, reserved, 44);

#define DPU_ABI_GENEVE_OPT_DATA 32 /* bytes of option data, 4-byte words */
struct dpu_abi_item_geneve_opt {
	dpu_be16_t opt_class;
	uint8_t opt_type;
	uint8_t opt_len; /* data length in 4-byte words, 0..8; mask 0 or 0xff */
	uint8_t data[DPU_ABI_GENEVE_OPT_DATA];
};
DPU_ABI_LAYOUT(struct dpu_abi_item_geneve_opt, 36);
DPU_ABI_FIELD(struct dpu_abi_item_geneve_opt, opt_class, 0);
DPU_ABI_FIELD(struct dpu_abi_item_geneve_opt, opt_type, 2);
DPU_ABI_FIELD(struct dpu_abi_item_geneve_opt, opt_len, 3);
DPU_ABI_FIELD(struct dpu_abi_item_geneve_opt, data, 4);

struct dpu_abi_item_eth {
	uint8_t dst[6];
	uint8_t src[6];
	dpu_be16_t ether_type; /* the type after all VLAN tags (flower eth_type) */
	uint16_t reserved;
};
DPU_ABI_LAYOUT(struct dpu_abi_item_eth, 16);
DPU_ABI_FIELD(struct dpu_abi_item_eth, dst, 0);
DPU_ABI_FIELD(struct dpu_abi_item_eth, src, 6);
DPU_ABI_FIELD(struct dpu_abi_item_eth, ether_type, 12);
DPU_ABI_FIELD(struct dpu_abi_item_eth, reserved, 14);

/* Used by both DPU_ABI_ITEM_VLAN and DPU_ABI_ITEM_VLAN_INNER. */
struct dpu_abi_item_vlan {
	dpu_be16_t tpid; /* 0x8100 or 0x88a8 (when masked) */
	dpu_be16_t tci;  /* PCP(3) DEI(1) VID(12) */
};
DPU_ABI_LAYOUT(struct dpu_abi_item_vlan, 4);
DPU_ABI_FIELD(struct dpu_abi_item_vlan, tpid, 0);
DPU_ABI_FIELD(struct dpu_abi_item_vlan, tci, 2);

struct dpu_abi_item_arp {
	dpu_be16_t op;
	uint8_t sha[6];
	uint8_t tha[6];
	uint8_t spa[4];
	uint8_t tpa[4];
	uint16_t reserved;
};
DPU_ABI_LAYOUT(struct dpu_abi_item_arp, 24);
DPU_ABI_FIELD(struct dpu_abi_item_arp, op, 0);
DPU_ABI_FIELD(struct dpu_abi_item_arp, sha, 2);
DPU_ABI_FIELD(struct dpu_abi_item_arp, tha, 8);
DPU_ABI_FIELD(struct dpu_abi_item_arp, spa, 14);
DPU_ABI_FIELD(struct dpu_abi_item_arp, tpa, 18);
DPU_ABI_FIELD(struct dpu_abi_item_arp, reserved, 22);

/* ip_flags bits, as flower's ip_flags frag/firstfrag. */
enum dpu_abi_ip_flags {
	DPU_ABI_IPF_FRAG = 1u << 0,      /* packet is a fragment */
	DPU_ABI_IPF_FIRSTFRAG = 1u << 1, /* ... and the first one */
};
#define DPU_ABI_IPF_ALL 0x3u

struct dpu_abi_item_ipv4 {
	uint8_t tos;
	uint8_t ttl;
	uint8_t proto;
	uint8_t ip_flags; /* enum dpu_abi_ip_flags */
	uint8_t src[4];
	uint8_t dst[4];
};
DPU_ABI_LAYOUT(struct dpu_abi_item_ipv4, 12);
DPU_ABI_FIELD(struct dpu_abi_item_ipv4, tos, 0);
DPU_ABI_FIELD(struct dpu_abi_item_ipv4, ttl, 1);
DPU_ABI_FIELD(struct dpu_abi_item_ipv4, proto, 2);
DPU_ABI_FIELD(struct dpu_abi_item_ipv4, ip_flags, 3);
DPU_ABI_FIELD(struct dpu_abi_item_ipv4, src, 4);
DPU_ABI_FIELD(struct dpu_abi_item_ipv4, dst, 8);

struct dpu_abi_item_ipv6 {
	uint8_t tclass;
	uint8_t hop_limit;
	uint8_t proto; /* upper-layer protocol after extension headers */
	uint8_t ip_flags;
	dpu_be32_t flow_label; /* low 20 bits */
	uint8_t src[16];
	uint8_t dst[16];
};
DPU_ABI_LAYOUT(struct dpu_abi_item_ipv6, 40);
DPU_ABI_FIELD(struct dpu_abi_item_ipv6, tclass, 0);
DPU_ABI_FIELD(struct dpu_abi_item_ipv6, hop_limit, 1);
DPU_ABI_FIELD(struct dpu_abi_item_ipv6, proto, 2);
DPU_ABI_FIELD(struct dpu_abi_item_ipv6, ip_flags, 3);
DPU_ABI_FIELD(struct dpu_abi_item_ipv6, flow_label, 4);
DPU_ABI_FIELD(struct dpu_abi_item_ipv6, src, 8);
DPU_ABI_FIELD(struct dpu_abi_item_ipv6, dst, 24);

struct dpu_abi_item_tcp {
	dpu_be16_t src_port;
	dpu_be16_t dst_port;
	dpu_be16_t flags; /* low 12 bits: NS CWR ECE URG ACK PSH RST SYN FIN */
	uint16_t reserved;
};
DPU_ABI_LAYOUT(struct dpu_abi_item_tcp, 8);
DPU_ABI_FIELD(struct dpu_abi_item_tcp, src_port, 0);
DPU_ABI_FIELD(struct dpu_abi_item_tcp, dst_port, 2);
DPU_ABI_FIELD(struct dpu_abi_item_tcp, flags, 4);
DPU_ABI_FIELD(struct dpu_abi_item_tcp, reserved, 6);

/* Used by DPU_ABI_ITEM_UDP and DPU_ABI_ITEM_SCTP. */
struct dpu_abi_item_l4 {
	dpu_be16_t src_port;
	dpu_be16_t dst_port;
};
DPU_ABI_LAYOUT(struct dpu_abi_item_l4, 4);
DPU_ABI_FIELD(struct dpu_abi_item_l4, src_port, 0);
DPU_ABI_FIELD(struct dpu_abi_item_l4, dst_port, 2);

/* Used by DPU_ABI_ITEM_ICMP and DPU_ABI_ITEM_ICMP6. */
struct dpu_abi_item_icmp {
	uint8_t type;
	uint8_t code;
	uint16_t reserved;
};
DPU_ABI_LAYOUT(struct dpu_abi_item_icmp, 4);
DPU_ABI_FIELD(struct dpu_abi_item_icmp, type, 0);
DPU_ABI_FIELD(struct dpu_abi_item_icmp, code, 1);
DPU_ABI_FIELD(struct dpu_abi_item_icmp, reserved, 2);

/* ct_state bits, as TCA_FLOWER_KEY_CT_FLAGS_*. */
enum dpu_abi_ct_state {
	DPU_ABI_CT_NEW = 1u << 0,
	DPU_ABI_CT_ESTABLISHED = 1u << 1,
	DPU_ABI_CT_RELATED = 1u << 2,
	DPU_ABI_CT_TRACKED = 1u << 3,
	DPU_ABI_CT_INVALID = 1u << 4,
	DPU_ABI_CT_REPLY = 1u << 5,
	DPU_ABI_CT_RPL = DPU_ABI_CT_REPLY,
};
#define DPU_ABI_CT_STATE_ALL 0x3fu

struct dpu_abi_item_ct {
	uint16_t state; /* enum dpu_abi_ct_state */
	uint16_t zone;
	uint32_t mark;
	uint8_t label[16];
};
DPU_ABI_LAYOUT(struct dpu_abi_item_ct, 24);
DPU_ABI_FIELD(struct dpu_abi_item_ct, state, 0);
DPU_ABI_FIELD(struct dpu_abi_item_ct, zone, 2);
DPU_ABI_FIELD(struct dpu_abi_item_ct, mark, 4);
DPU_ABI_FIELD(struct dpu_abi_item_ct, label, 8);

/* ------------------------------------------------------------------ */
/* Actions                                                             */
/* ------------------------------------------------------------------ */

enum dpu_abi_action_type {
	DPU_ABI_ACT_DROP = 1,
	DPU_ABI_ACT_OUTPUT = 2,        /* to a port (or its representor) */
	DPU_ABI_ACT_MIRROR = 3,        /* copy to a port, continue */
	DPU_ABI_ACT_JUMP = 4,          /* continue in another group */
	DPU_ABI_ACT_COUNT = 5,
	DPU_ABI_ACT_MARK = 6,
	DPU_ABI_ACT_SET_META = 7,
	DPU_ABI_ACT_VLAN_PUSH = 8,
	DPU_ABI_ACT_VLAN_POP = 9,
	DPU_ABI_ACT_VLAN_SET = 10,     /* rewrite VID/PCP of the outer tag */
	DPU_ABI_ACT_TUNNEL_ENCAP = 11,
	DPU_ABI_ACT_TUNNEL_DECAP = 12,
	DPU_ABI_ACT_SET_FIELD = 13,    /* masked header rewrite (tc pedit) */
	DPU_ABI_ACT_DEC_TTL = 14,
	DPU_ABI_ACT_CT = 15,           /* send through conntrack (+NAT) */
	DPU_ABI_ACT_METER = 16,        /* police (tc police / OF meter) */
	DPU_ABI_ACT_IPSEC = 17,        /* encrypt/decrypt with an SA */
	DPU_ABI_ACT_TO_SOFTWARE = 18,  /* exception path: card software queue */
	DPU_ABI_ACT_AGE = 19,          /* report the flow when idle */
	DPU_ABI_ACT_TYPE_MAX = 20,
};

struct dpu_abi_action_hdr {
	uint16_t type; /* enum dpu_abi_action_type */
	uint16_t len;  /* total bytes including this header */
};
DPU_ABI_LAYOUT(struct dpu_abi_action_hdr, 4);
DPU_ABI_FIELD(struct dpu_abi_action_hdr, type, 0);
DPU_ABI_FIELD(struct dpu_abi_action_hdr, len, 2);

/* DROP, VLAN_POP, TUNNEL_DECAP, DEC_TTL carry nothing. */
struct dpu_abi_act_empty {
	struct dpu_abi_action_hdr hdr;
	uint32_t reserved;
};
DPU_ABI_LAYOUT(struct dpu_abi_act_empty, 8);
DPU_ABI_FIELD(struct dpu_abi_act_empty, hdr, 0);
DPU_ABI_FIELD(struct dpu_abi_act_empty, reserved, 4);

enum dpu_abi_output_flags {
	/* Deliver to the port's representor netdev on the host instead of
	 * the function itself (switchdev: mirred to the representor). */
	DPU_ABI_OUT_TO_REPRESENTOR = 1u << 0,
};
#define DPU_ABI_OUT_ALL 0x1u

/* OUTPUT and MIRROR. */
struct dpu_abi_act_port {
	struct dpu_abi_action_hdr hdr;
	uint32_t port_id;
	uint32_t flags;  /* enum dpu_abi_output_flags */
	uint32_t ratio;  /* MIRROR: 1 in ratio packets (1 = all); OUTPUT: 0 */
};
DPU_ABI_LAYOUT(struct dpu_abi_act_port, 16);
DPU_ABI_FIELD(struct dpu_abi_act_port, hdr, 0);
DPU_ABI_FIELD(struct dpu_abi_act_port, port_id, 4);
DPU_ABI_FIELD(struct dpu_abi_act_port, flags, 8);
DPU_ABI_FIELD(struct dpu_abi_act_port, ratio, 12);

/* JUMP (value: group), COUNT (value: shared counter id, 0 = the flow's own),
 * MARK (value: mark id), TO_SOFTWARE (value: queue), AGE (value: seconds,
 * 1..DPU_ABI_AGE_MAX). */
struct dpu_abi_act_u32 {
	struct dpu_abi_action_hdr hdr;
	uint32_t value;
};
DPU_ABI_LAYOUT(struct dpu_abi_act_u32, 8);
DPU_ABI_FIELD(struct dpu_abi_act_u32, hdr, 0);
DPU_ABI_FIELD(struct dpu_abi_act_u32, value, 4);

#define DPU_ABI_AGE_MAX 86400u

struct dpu_abi_act_set_meta {
	struct dpu_abi_action_hdr hdr;
	uint32_t data;
	uint32_t mask;
	uint32_t reserved;
};
DPU_ABI_LAYOUT(struct dpu_abi_act_set_meta, 16);
DPU_ABI_FIELD(struct dpu_abi_act_set_meta, hdr, 0);
DPU_ABI_FIELD(struct dpu_abi_act_set_meta, data, 4);
DPU_ABI_FIELD(struct dpu_abi_act_set_meta, mask, 8);
DPU_ABI_FIELD(struct dpu_abi_act_set_meta, reserved, 12);

/* VLAN_PUSH: tpid 0x8100 or 0x88a8, tci; VLAN_SET: tci under tci_mask. */
struct dpu_abi_act_vlan {
	struct dpu_abi_action_hdr hdr;
	dpu_be16_t tpid;     /* PUSH only; 0 for SET */
	dpu_be16_t tci;
	dpu_be16_t tci_mask; /* SET only (0x0fff: VID, 0xe000: PCP); 0 for PUSH */
	uint16_t reserved;
	uint32_t reserved2;
};
DPU_ABI_LAYOUT(struct dpu_abi_act_vlan, 16);
DPU_ABI_FIELD(struct dpu_abi_act_vlan, hdr, 0);
DPU_ABI_FIELD(struct dpu_abi_act_vlan, tpid, 4);
DPU_ABI_FIELD(struct dpu_abi_act_vlan, tci, 6);
DPU_ABI_FIELD(struct dpu_abi_act_vlan, tci_mask, 8);
DPU_ABI_FIELD(struct dpu_abi_act_vlan, reserved, 10);
DPU_ABI_FIELD(struct dpu_abi_act_vlan, reserved2, 12);

enum dpu_abi_encap_flags {
	DPU_ABI_ENCAP_UDP_CSUM = 1u << 0, /* compute outer UDP checksum */
	DPU_ABI_ENCAP_DONT_FRAG = 1u << 1,
};
#define DPU_ABI_ENCAP_ALL 0x3u

struct dpu_abi_act_tunnel_encap {
	struct dpu_abi_action_hdr hdr;
	uint8_t type;       /* enum dpu_abi_tunnel_type */
	uint8_t ip_version; /* 4 or 6 */
	uint8_t tos;
	uint8_t ttl;        /* 0: card default (64) */
	dpu_be32_t vni;     /* < 2^24 */
	uint8_t eth_src[6];
	uint8_t eth_dst[6];
	uint8_t src[16];
	uint8_t dst[16];
	dpu_be16_t src_port; /* 0: from the inner flow hash */
	dpu_be16_t dst_port; /* 0: 4789 VXLAN / 6081 Geneve */
	uint8_t flags;       /* enum dpu_abi_encap_flags */
	uint8_t opts_len;    /* Geneve option bytes used, multiple of 4 */
	uint16_t reserved;
	uint8_t opts[32];    /* Geneve options as on the wire */
};
DPU_ABI_LAYOUT(struct dpu_abi_act_tunnel_encap, 96);
DPU_ABI_FIELD(struct dpu_abi_act_tunnel_encap, hdr, 0);
DPU_ABI_FIELD(struct dpu_abi_act_tunnel_encap, type, 4);
DPU_ABI_FIELD(struct dpu_abi_act_tunnel_encap, ip_version, 5);
DPU_ABI_FIELD(struct dpu_abi_act_tunnel_encap, tos, 6);
DPU_ABI_FIELD(struct dpu_abi_act_tunnel_encap, ttl, 7);
DPU_ABI_FIELD(struct dpu_abi_act_tunnel_encap, vni, 8);
DPU_ABI_FIELD(struct dpu_abi_act_tunnel_encap, eth_src, 12);
DPU_ABI_FIELD(struct dpu_abi_act_tunnel_encap, eth_dst, 18);
DPU_ABI_FIELD(struct dpu_abi_act_tunnel_encap, src, 24);
DPU_ABI_FIELD(struct dpu_abi_act_tunnel_encap, dst, 40);
DPU_ABI_FIELD(struct dpu_abi_act_tunnel_encap, src_port, 56);
DPU_ABI_FIELD(struct dpu_abi_act_tunnel_encap, dst_port, 58);
DPU_ABI_FIELD(struct dpu_abi_act_tunnel_encap, flags, 60);
DPU_ABI_FIELD(struct dpu_abi_act_tunnel_encap, opts_len, 61);
DPU_ABI_FIELD(struct dpu_abi_act_tunnel_encap, reserved, 62);
DPU_ABI_FIELD(struct dpu_abi_act_tunnel_encap, opts, 64);

enum dpu_abi_field_id {
	DPU_ABI_FIELD_ETH_SRC = 1,  /* 6 bytes */
	DPU_ABI_FIELD_ETH_DST = 2,  /* 6 */
	DPU_ABI_FIELD_IPV4_SRC = 3, /* 4 */
	DPU_ABI_FIELD_IPV4_DST = 4, /* 4 */
	DPU_ABI_FIELD_IPV6_SRC = 5, /* 16 */
	DPU_ABI_FIELD_IPV6_DST = 6, /* 16 */
	DPU_ABI_FIELD_L4_SRC = 7,   /* 2: TCP/UDP/SCTP source port */
	DPU_ABI_FIELD_L4_DST = 8,   /* 2 */
	DPU_ABI_FIELD_IP_TTL = 9,   /* 1: IPv4 TTL / IPv6 hop limit */
	DPU_ABI_FIELD_IP_DSCP = 10, /* 1: DSCP in the low 6 bits */
	DPU_ABI_FIELD_ID_MAX = 11,
};

/*
 * Masked rewrite of one header field: field = (field & ~mask) | value.
 * value/mask are in network byte order, left-aligned in the 16 bytes; bytes
 * past the field's width must be zero. The card fixes IP/L4 checksums.
 */
struct dpu_abi_act_set_field {
	struct dpu_abi_action_hdr hdr;
	uint8_t field; /* enum dpu_abi_field_id */
	uint8_t reserved[3];
	uint8_t value[16];
	uint8_t mask[16];
};
DPU_ABI_LAYOUT(struct dpu_abi_act_set_field, 40);
DPU_ABI_FIELD(struct dpu_abi_act_set_field, hdr, 0);
DPU_ABI_FIELD(struct dpu_abi_act_set_field, field, 4);
DPU_ABI_FIELD(struct dpu_abi_act_set_field, reserved, 5);
DPU_ABI_FIELD(struct dpu_abi_act_set_field, value, 8);
DPU_ABI_FIELD(struct dpu_abi_act_set_field, mask, 24);

enum dpu_abi_ct_flags {
	DPU_ABI_CTF_COMMIT = 1u << 0, /* create the connection entry */
	DPU_ABI_CTF_FORCE = 1u << 1,  /* replace an entry in the other direction */
	DPU_ABI_CTF_CLEAR = 1u << 2,  /* forget ct state (alone) */
	DPU_ABI_CTF_NAT = 1u << 3,    /* apply NAT (nat_* fields) */
	DPU_ABI_CTF_NAT_SRC = 1u << 4,
	DPU_ABI_CTF_NAT_DST = 1u << 5,
};
#define DPU_ABI_CTF_ALL 0x3fu

struct dpu_abi_act_ct {
	struct dpu_abi_action_hdr hdr;
	uint16_t zone;
	uint16_t flags;   /* enum dpu_abi_ct_flags */
	uint32_t mark;
	uint32_t mark_mask;
	uint8_t nat_ip_version; /* 0 (no address range), 4 or 6 */
	uint8_t reserved;
	dpu_be16_t nat_port_min;
	dpu_be16_t nat_port_max;
	uint16_t reserved2;
	uint8_t label[16];
	uint8_t label_mask[16];
	uint8_t nat_addr_min[16];
	uint8_t nat_addr_max[16];
};
DPU_ABI_LAYOUT(struct dpu_abi_act_ct, 88);
DPU_ABI_FIELD(struct dpu_abi_act_ct, hdr, 0);
DPU_ABI_FIELD(struct dpu_abi_act_ct, zone, 4);
DPU_ABI_FIELD(struct dpu_abi_act_ct, flags, 6);
DPU_ABI_FIELD(struct dpu_abi_act_ct, mark, 8);
DPU_ABI_FIELD(struct dpu_abi_act_ct, mark_mask, 12);
DPU_ABI_FIELD(struct dpu_abi_act_ct, nat_ip_version, 16);
DPU_ABI_FIELD(struct dpu_abi_act_ct, reserved, 17);
DPU_ABI_FIELD(struct dpu_abi_act_ct, nat_port_min, 18);
DPU_ABI_FIELD(struct dpu_abi_act_ct, nat_port_max, 20);
DPU_ABI_FIELD(struct dpu_abi_act_ct, reserved2, 22);
DPU_ABI_FIELD(struct dpu_abi_act_ct, label, 24);
DPU_ABI_FIELD(struct dpu_abi_act_ct, label_mask, 40);
DPU_ABI_FIELD(struct dpu_abi_act_ct, nat_addr_min, 56);
DPU_ABI_FIELD(struct dpu_abi_act_ct, nat_addr_max, 72);

enum dpu_abi_meter_mode {
	DPU_ABI_METER_SRTCM = 0, /* RFC 2697: cir/cbs/ebs */
	DPU_ABI_METER_TRTCM = 1, /* RFC 2698: cir/cbs, pir/pbs */
	DPU_ABI_METER_MODE_MAX = 2,
};

enum dpu_abi_meter_flags {
	DPU_ABI_METER_PPS = 1u << 0,         /* rates in packets/s, not bytes/s */
	DPU_ABI_METER_COLOR_AWARE = 1u << 1,
};
#define DPU_ABI_METER_FLAGS_ALL 0x3u

enum dpu_abi_meter_verdict {
	DPU_ABI_METER_V_PASS = 0,     /* continue with the next action */
	DPU_ABI_METER_V_DROP = 1,
	DPU_ABI_METER_V_VERDICT_MAX = 2,
};

/*
 * Police with a meter shared by every flow naming the same meter_id; the
 * first flow to name it configures it, later ones must agree (E_CONFLICT).
 */
struct dpu_abi_act_meter {
	struct dpu_abi_action_hdr hdr;
	uint32_t meter_id;       /* 1.. (0 is invalid) */
	uint8_t mode;            /* enum dpu_abi_meter_mode */
	uint8_t flags;           /* enum dpu_abi_meter_flags */
	uint8_t yellow;          /* enum dpu_abi_meter_verdict */
	uint8_t red;             /* enum dpu_abi_meter_verdict */
	uint32_t reserved;
	uint64_t cir;            /* committed rate, > 0 */
	uint64_t cbs;            /* committed burst, > 0 */
	uint64_t eir;            /* srTCM: 0; trTCM: peak rate >= cir */
	uint64_t ebs;            /* srTCM excess burst / trTCM peak burst */
};
DPU_ABI_LAYOUT(struct dpu_abi_act_meter, 48);
DPU_ABI_FIELD(struct dpu_abi_act_meter, hdr, 0);
DPU_ABI_FIELD(struct dpu_abi_act_meter, meter_id, 4);
DPU_ABI_FIELD(struct dpu_abi_act_meter, mode, 8);
DPU_ABI_FIELD(struct dpu_abi_act_meter, flags, 9);
DPU_ABI_FIELD(struct dpu_abi_act_meter, yellow, 10);
DPU_ABI_FIELD(struct dpu_abi_act_meter, red, 11);
DPU_ABI_FIELD(struct dpu_abi_act_meter, reserved, 12);
DPU_ABI_FIELD(struct dpu_abi_act_meter, cir, 16);
DPU_ABI_FIELD(struct dpu_abi_act_meter, cbs, 24);
DPU_ABI_FIELD(struct dpu_abi_act_meter, eir, 32);
DPU_ABI_FIELD(struct dpu_abi_act_meter, ebs, 40);

enum dpu_abi_ipsec_dir {
	DPU_ABI_IPSEC_IN = 0,  /* decrypt */
	DPU_ABI_IPSEC_OUT = 1, /* encrypt */
	DPU_ABI_IPSEC_DIR_MAX = 2,
};

struct dpu_abi_act_ipsec {
	struct dpu_abi_action_hdr hdr;
	uint32_t sa_id;
	uint32_t dir; /* enum dpu_abi_ipsec_dir, must match the SA */
	uint32_t reserved;
};
DPU_ABI_LAYOUT(struct dpu_abi_act_ipsec, 16);
DPU_ABI_FIELD(struct dpu_abi_act_ipsec, hdr, 0);
DPU_ABI_FIELD(struct dpu_abi_act_ipsec, sa_id, 4);
DPU_ABI_FIELD(struct dpu_abi_act_ipsec, dir, 8);
DPU_ABI_FIELD(struct dpu_abi_act_ipsec, reserved, 12);

/* ------------------------------------------------------------------ */
/* FLOW_BATCH                                                          */
/* ------------------------------------------------------------------ */

enum dpu_abi_flow_op_kind {
	DPU_ABI_FLOW_ADD = 1,    /* idempotent on flow_id */
	DPU_ABI_FLOW_MODIFY = 2, /* replace actions (match must be equal) */
	DPU_ABI_FLOW_DELETE = 3, /* no items/actions */
	DPU_ABI_FLOW_QUERY = 4,  /* counters; no items/actions */
	DPU_ABI_FLOW_OP_MAX = 5,
};

enum dpu_abi_flow_op_flags {
	DPU_ABI_FLOWF_QUERY_RESET = 1u << 0, /* QUERY: zero counters after read */
	DPU_ABI_FLOWF_TRANSFER = 1u << 1,    /* rule lives in the eSwitch (FDB) */
};
#define DPU_ABI_FLOWF_ALL 0x3u

#define DPU_ABI_GROUP_MAX 0xfffeu    /* groups 0..this */
#define DPU_ABI_PRIORITY_MAX 0xffffu /* lower value = matched first */
#define DPU_ABI_MAX_ITEMS DPU_ABI_ITEM_TYPE_MAX
#define DPU_ABI_MAX_ACTIONS 16

/*
 * One operation: this header, n_items items, then n_actions actions.
 * len covers all of it and is a multiple of 8.
 */
struct dpu_abi_flow_op {
	uint8_t op;        /* enum dpu_abi_flow_op_kind */
	uint8_t flags;     /* enum dpu_abi_flow_op_flags */
	uint16_t len;
	uint8_t n_items;   /* 0..DPU_ABI_MAX_ITEMS */
	uint8_t n_actions; /* 0..DPU_ABI_MAX_ACTIONS */
	uint16_t reserved;
	uint32_t group;    /* 0..DPU_ABI_GROUP_MAX */
	uint32_t priority; /* 0..DPU_ABI_PRIORITY_MAX */
	struct dpu_abi_flow_id id;
};
DPU_ABI_LAYOUT(struct dpu_abi_flow_op, 32);
DPU_ABI_FIELD(struct dpu_abi_flow_op, op, 0);
DPU_ABI_FIELD(struct dpu_abi_flow_op, flags, 1);
DPU_ABI_FIELD(struct dpu_abi_flow_op, len, 2);
DPU_ABI_FIELD(struct dpu_abi_flow_op, n_items, 4);
DPU_ABI_FIELD(struct dpu_abi_flow_op, n_actions, 5);
DPU_ABI_FIELD(struct dpu_abi_flow_op, reserved, 6);
DPU_ABI_FIELD(struct dpu_abi_flow_op, group, 8);
DPU_ABI_FIELD(struct dpu_abi_flow_op, priority, 12);
DPU_ABI_FIELD(struct dpu_abi_flow_op, id, 16);

struct dpu_abi_flow_batch_req {
	uint32_t n_ops;
	uint32_t reserved;
	/* n_ops struct dpu_abi_flow_op records follow */
};
DPU_ABI_LAYOUT(struct dpu_abi_flow_batch_req, 8);
DPU_ABI_FIELD(struct dpu_abi_flow_batch_req, n_ops, 0);
DPU_ABI_FIELD(struct dpu_abi_flow_batch_req, reserved, 4);

/* Per-op result, in request order. Counters are filled for QUERY. */
struct dpu_abi_flow_result {
	struct dpu_abi_flow_id id;
	uint16_t status;    /* enum dpu_abi_status */
	uint8_t op;
	uint8_t reserved;
	uint32_t idle_ms;   /* since the last hit (QUERY), UINT32_MAX: never */
	uint64_t packets;
	uint64_t bytes;
};
DPU_ABI_LAYOUT(struct dpu_abi_flow_result, 40);
DPU_ABI_FIELD(struct dpu_abi_flow_result, id, 0);
DPU_ABI_FIELD(struct dpu_abi_flow_result, status, 16);
DPU_ABI_FIELD(struct dpu_abi_flow_result, op, 18);
DPU_ABI_FIELD(struct dpu_abi_flow_result, reserved, 19);
DPU_ABI_FIELD(struct dpu_abi_flow_result, idle_ms, 20);
DPU_ABI_FIELD(struct dpu_abi_flow_result, packets, 24);
DPU_ABI_FIELD(struct dpu_abi_flow_result, bytes, 32);

struct dpu_abi_flow_batch_resp {
	uint32_t n_results; /* equals the request's n_ops */
	uint32_t n_failed;  /* results whose status != OK */
	/* n_results struct dpu_abi_flow_result follow */
};
DPU_ABI_LAYOUT(struct dpu_abi_flow_batch_resp, 8);
DPU_ABI_FIELD(struct dpu_abi_flow_batch_resp, n_results, 0);
DPU_ABI_FIELD(struct dpu_abi_flow_batch_resp, n_failed, 4);

#define DPU_ABI_GROUP_ALL 0xffffffffu

struct dpu_abi_flow_flush_req {
	uint32_t group; /* DPU_ABI_GROUP_ALL or 0..DPU_ABI_GROUP_MAX */
	uint32_t reserved;
};
DPU_ABI_LAYOUT(struct dpu_abi_flow_flush_req, 8);
DPU_ABI_FIELD(struct dpu_abi_flow_flush_req, group, 0);
DPU_ABI_FIELD(struct dpu_abi_flow_flush_req, reserved, 4);

struct dpu_abi_flow_flush_resp {
	uint32_t n_flushed;
	uint32_t reserved;
};
DPU_ABI_LAYOUT(struct dpu_abi_flow_flush_resp, 8);
DPU_ABI_FIELD(struct dpu_abi_flow_flush_resp, n_flushed, 0);
DPU_ABI_FIELD(struct dpu_abi_flow_flush_resp, reserved, 4);

/*
 * FLOW_LIST: the ids the card holds, for resync (the host deletes what it
 * does not want and adds what is missing). Request: dpu_abi_list_req;
 * response: dpu_abi_list_resp then count dpu_abi_flow_id.
 */

#ifdef __cplusplus
}
#endif

#endif /* DPU_ABI_FLOW_H */
