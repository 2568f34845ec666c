/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The rule model: one offload candidate (a tc flower filter today, an OVS
 * datapath flow later) as match + ordered actions + identity.
 *
 * The match is kept in the ABI's own item structs (spec + mask per item, a
 * bitmap saying which are present) so that model -> ABI is a copy and the
 * card can decode ABI -> model with the same types. What the ABI cannot hold
 * before translation (Linux ifindexes, tc chains, "this came in on a vxlan
 * device") lives beside it and is resolved by the encoder (dpu_rules_abi.h).
 *
 * Anything a translator cannot express is refused with a reason (never a
 * partial rule): see struct dpu_rules_result.
 */
#ifndef DPU_RULES_H
#define DPU_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dpu_abi_flow.h"

#ifdef __cplusplus
extern "C" {
#endif

#define DPU_RULES_REASON_LEN 192
/* tc allows 32 actions per filter (TCA_ACT_MAX_PRIO); one tc action may
 * turn into several model actions (pedit -> one SET_FIELD per field). */
#define DPU_RULES_MAX_ACTIONS 32

/* ------------------------------------------------------------------ */
/* Identity                                                            */
/* ------------------------------------------------------------------ */

enum dpu_rules_source {
	DPU_RULES_SRC_TC = 1,
	DPU_RULES_SRC_OVS = 2, /* reserved: OVS ufid translator */
};

enum dpu_rules_dir {
	DPU_RULES_DIR_INGRESS = 0, /* ingress qdisc or clsact ingress */
	DPU_RULES_DIR_EGRESS = 1,  /* clsact egress */
	DPU_RULES_DIR_BLOCK = 2,   /* shared block (ifindex holds the block) */
};

enum dpu_rules_op {
	DPU_RULES_OP_ADD = 1, /* RTM_NEWTFILTER */
	DPU_RULES_OP_DEL = 2, /* RTM_DELTFILTER */
};

/* tc filter flags (TCA_FLOWER_FLAGS / TCA_CLS_FLAGS_*). */
enum dpu_rules_flags {
	DPU_RULES_F_SKIP_HW = 1u << 0,
	DPU_RULES_F_SKIP_SW = 1u << 1,
	DPU_RULES_F_VERBOSE = 1u << 4,
};

struct dpu_rules_id {
	uint8_t source; /* enum dpu_rules_source */
	uint8_t dir;    /* enum dpu_rules_dir */
	uint16_t prio;  /* tc prio; 0 in a request = "kernel picks" */
	uint16_t protocol; /* filter protocol, host order (ETH_P_*) */
	uint16_t reserved;
	uint32_t ifindex;  /* or the shared block index (DIR_BLOCK) */
	uint32_t chain;
	uint32_t handle;   /* 0 in a request = "kernel picks" */
};

/* ------------------------------------------------------------------ */
/* Match                                                               */
/* ------------------------------------------------------------------ */

/*
 * items: bit (1 << DPU_ABI_ITEM_x) set when that item is present. Specs
 * are already masked (spec & ~mask == 0). PORT is not set by a decoder:
 * the encoder derives it from id.ifindex.
 */
struct dpu_rules_match {
	uint32_t items;
	struct dpu_abi_item_port port, port_mask;
	struct dpu_abi_item_meta meta, meta_mask; /* not from tc: ABI decode */
	struct dpu_abi_item_tag tag, tag_mask;
	struct dpu_abi_item_mark mark, mark_mask;
	struct dpu_abi_item_tunnel tunnel, tunnel_mask;
	struct dpu_abi_item_geneve_opt geneve_opt, geneve_opt_mask;
	struct dpu_abi_item_eth eth, eth_mask;
	struct dpu_abi_item_vlan vlan, vlan_mask;
	struct dpu_abi_item_vlan cvlan, cvlan_mask;
	struct dpu_abi_item_arp arp, arp_mask;
	struct dpu_abi_item_ipv4 ipv4, ipv4_mask;
	struct dpu_abi_item_ipv6 ipv6, ipv6_mask;
	struct dpu_abi_item_tcp tcp, tcp_mask;
	struct dpu_abi_item_l4 udp, udp_mask;
	struct dpu_abi_item_l4 sctp, sctp_mask;
	struct dpu_abi_item_icmp icmp, icmp_mask;
	struct dpu_abi_item_icmp icmp6, icmp6_mask;
	struct dpu_abi_item_ct ct, ct_mask;
};

static inline bool dpu_rules_has_item(const struct dpu_rules_match *m,
				      unsigned int type)
{
	return m->items & (1u << type);
}

/**
 * Spec and mask of an item inside a match (NULL for types the model does
 * not hold). Used by the encoder and the card-side decoder alike.
 */
void *dpu_rules_item_spec(struct dpu_rules_match *m, unsigned int type);
void *dpu_rules_item_mask(struct dpu_rules_match *m, unsigned int type);

/* ------------------------------------------------------------------ */
/* Actions                                                             */
/* ------------------------------------------------------------------ */

enum dpu_rules_act_kind {
	DPU_RULES_ACT_DROP = 1,
	/* Deliver to the host stack of the ingress device (tc "pass", or
	 * falling off the end of the action list): on a representor that is
	 * the representor netdev, i.e. OUTPUT(in_port, TO_REPRESENTOR). */
	DPU_RULES_ACT_TO_HOST,
	DPU_RULES_ACT_REDIRECT, /* mirred redirect: port */
	DPU_RULES_ACT_MIRROR,   /* mirred mirror: port */
	DPU_RULES_ACT_JUMP,     /* goto chain: chain */
	DPU_RULES_ACT_VLAN_PUSH,
	DPU_RULES_ACT_VLAN_POP,
	DPU_RULES_ACT_VLAN_SET,
	DPU_RULES_ACT_TUNNEL_SET,   /* tunnel_key set: encap */
	DPU_RULES_ACT_TUNNEL_UNSET, /* tunnel_key unset: decap */
	DPU_RULES_ACT_SET_FIELD,    /* pedit on a known field */
	DPU_RULES_ACT_DEC_TTL,      /* pedit add ttl/hoplimit -1 */
	DPU_RULES_ACT_CSUM,         /* csum: no ABI action (the card fixes) */
	DPU_RULES_ACT_CT,
	DPU_RULES_ACT_POLICE,
	DPU_RULES_ACT_KIND_MAX,
};

struct dpu_rules_act_port {
	uint32_t ifindex;
	bool ingress; /* mirred ingress: the packet is received by ifindex */
};

struct dpu_rules_act_police {
	uint32_t index;     /* tc action index, becomes the meter id */
	bool pps;           /* rates in packets/s */
	bool by_reference;  /* only an index: parameters live elsewhere */
	uint64_t rate;      /* bytes/s or packets/s */
	uint64_t burst;     /* bytes or packets */
	uint64_t peakrate;  /* 0: single rate */
	uint32_t mtu;
	uint8_t exceed;     /* enum dpu_abi_meter_verdict */
	uint8_t conform;    /* DPU_ABI_METER_V_PASS (continue) only */
};

/* Model action: the ABI action struct where one exists (hdr filled), plus
 * what needs resolving (ifindex) or has no ABI form (csum flags). */
struct dpu_rules_action {
	uint8_t kind; /* enum dpu_rules_act_kind */
	uint8_t tc_index; /* which tc action (1-based) produced it */
	union {
		struct dpu_rules_act_port port;      /* REDIRECT, MIRROR */
		uint32_t chain;                      /* JUMP */
		struct dpu_abi_act_vlan vlan;        /* VLAN_* */
		struct dpu_abi_act_tunnel_encap encap; /* TUNNEL_SET */
		struct dpu_abi_act_set_field set;    /* SET_FIELD */
		uint32_t csum_flags;                 /* CSUM: TCA_CSUM_UPDATE_FLAG_* */
		struct dpu_abi_act_ct ct;            /* CT */
		struct dpu_rules_act_police police;  /* POLICE */
	} u;
};

/* ------------------------------------------------------------------ */
/* The rule                                                            */
/* ------------------------------------------------------------------ */

struct dpu_rules_flow {
	uint8_t op;    /* enum dpu_rules_op */
	uint8_t reserved;
	uint16_t flags; /* enum dpu_rules_flags */
	struct dpu_rules_id id;
	struct dpu_rules_match match;
	unsigned int n_actions;
	struct dpu_rules_action actions[DPU_RULES_MAX_ACTIONS];
	uint8_t cookie_len; /* tc action cookie of the last action (OVS ufid) */
	uint8_t cookie[16];
};

/* Why a translation did not produce an offloadable rule. */
enum dpu_rules_verdict {
	DPU_RULES_OK = 0,         /* offloadable as far as this stage knows */
	DPU_RULES_MALFORMED = 1,  /* input broken: rejected, counted */
	DPU_RULES_REFUSED = 2,    /* valid, but stays in software */
	DPU_RULES_SW_ONLY = 3,    /* skip_hw: software by the user's choice */
	DPU_RULES_IGNORED = 4,    /* not a flower filter message at all */
};

struct dpu_rules_result {
	enum dpu_rules_verdict verdict;
	int err;                 /* negative errno matching the verdict */
	char reason[DPU_RULES_REASON_LEN]; /* "TCA_FLOWER_KEY_x: why" */
};

/* Counters a decoder keeps across calls (the agent exports them). */
struct dpu_rules_stats {
	uint64_t decoded;   /* messages turned into a model */
	uint64_t malformed; /* rejected: bad lengths, bad nesting, ... */
	uint64_t refused;   /* valid but not offloadable */
	uint64_t sw_only;   /* skip_hw */
	uint64_t ignored;   /* other message kinds / classifiers */
};

/** Reset a flow to "matches everything, no actions". */
void dpu_rules_flow_init(struct dpu_rules_flow *f);

/**
 * Set res to verdict with a printf-style reason; returns res->err
 * (-EINVAL for MALFORMED, -EOPNOTSUPP for REFUSED/SW_ONLY, 0 for OK).
 */
int dpu_rules_fail(struct dpu_rules_result *res, enum dpu_rules_verdict v,
		   const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/** Append an action; NULL (and res set REFUSED) when the list is full. */
struct dpu_rules_action *dpu_rules_add_action(struct dpu_rules_flow *f,
					      uint8_t kind, uint8_t tc_index,
					      struct dpu_rules_result *res);

/* ------------------------------------------------------------------ */
/* Flow id                                                             */
/* ------------------------------------------------------------------ */

/*
 * tc identity -> 128-bit ABI flow id:
 *   hi = chain << 32 | ifindex (or block index)
 *   lo = 0x7c << 56 | dir << 48 | prio << 32 | handle
 * Protocol is not part of it: tc allows one protocol per (chain, prio).
 * The tag byte 0x7c keeps tc ids apart from OVS ufids, which are random
 * UUIDs (version nibble in hi); it is reserved for tc.
 */
#define DPU_RULES_ID_TAG_TC 0x7cu
/* Rules written by hand (dpuctl flow add): hi = 0, lo = 0x7d << 56 | n. */
#define DPU_RULES_ID_TAG_CLI 0x7du

/** Flow id of a tc filter identity. */
void dpu_rules_tc_flow_id(const struct dpu_rules_id *id,
			  struct dpu_abi_flow_id *out);
/** Inverse of dpu_rules_tc_flow_id(); -EINVAL when the tag is not tc's. */
int dpu_rules_tc_id_from_flow_id(const struct dpu_abi_flow_id *fid,
				 struct dpu_rules_id *out);

/* Names for printing and reasons ("?" when unknown). */
const char *dpu_rules_verdict_name(enum dpu_rules_verdict v);
const char *dpu_rules_act_name(uint8_t kind);

#ifdef __cplusplus
}
#endif

#endif /* DPU_RULES_H */
