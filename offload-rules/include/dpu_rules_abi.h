/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Rule model -> ABI rule (and back), capability checks.
 *
 * Three steps, so that nothing reaches a batch half-written:
 *   dpu_rules_to_abi()      resolve ifindexes/tunnels/meters, map actions;
 *   dpu_rules_caps_check()  against what the card said in HELLO;
 *   dpu_rules_abi_emit()    append the op to an open FLOW_BATCH builder.
 * dpu_rules_abi_from_op() is the card's way back from a checked op.
 */
#ifndef DPU_RULES_ABI_H
#define DPU_RULES_ABI_H

#include "dpu_abi_codec.h"
#include "dpu_rules.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One ABI action, any type (hdr.type says which). */
union dpu_rules_abi_action {
	struct dpu_abi_action_hdr hdr;
	struct dpu_abi_act_empty empty;
	struct dpu_abi_act_port port;
	struct dpu_abi_act_u32 u32;
	struct dpu_abi_act_set_meta set_meta;
	struct dpu_abi_act_vlan vlan;
	struct dpu_abi_act_tunnel_encap encap;
	struct dpu_abi_act_set_field set;
	struct dpu_abi_act_ct ct;
	struct dpu_abi_act_meter meter;
	struct dpu_abi_act_ipsec ipsec;
};

/* A rule as the card sees it: what one FLOW_BATCH op carries. */
struct dpu_rules_abi_flow {
	uint8_t flags; /* enum dpu_abi_flow_op_flags */
	uint32_t group;
	uint32_t priority;
	struct dpu_abi_flow_id id;
	struct dpu_rules_match match; /* PORT included */
	unsigned int n_actions;
	union dpu_rules_abi_action actions[DPU_ABI_MAX_ACTIONS];
};

/* What a Linux ifindex is to the card. */
enum dpu_rules_port_kind {
	DPU_RULES_PORT_NONE = 0,   /* not the card's: cannot be offloaded */
	DPU_RULES_PORT_CARD = 1,   /* a representor (or the uplink's) */
	DPU_RULES_PORT_TUNNEL = 2, /* a vxlan/geneve netdev over the uplink */
};

struct dpu_rules_port_info {
	uint8_t kind;        /* enum dpu_rules_port_kind */
	uint8_t tunnel_type; /* TUNNEL: enum dpu_abi_tunnel_type */
	uint16_t udp_port;   /* TUNNEL: the device's dstport, host order */
	uint32_t port_id;    /* CARD: the port; TUNNEL: the uplink */
};

/*
 * Host knowledge the model does not carry. Callbacks return 0 or a
 * negative errno; what they cannot answer becomes the refusal reason.
 */
struct dpu_rules_resolver {
	void *ctx;
	/* Required. */
	int (*port)(void *ctx, uint32_t ifindex,
		    struct dpu_rules_port_info *out);
	/* Outer Ethernet header for an encap towards dst (the neighbour
	 * the kernel route + ARP/ND resolve); also the uplink to use.
	 * NULL: encap is refused. */
	int (*neigh)(void *ctx, uint8_t ip_version, const uint8_t dst[16],
		     uint8_t eth_src[6], uint8_t eth_dst[6], uint32_t *uplink);
	/* Parameters of a police action referenced by index only (OVS
	 * meters are created with RTM_NEWACTION). NULL: refused. */
	int (*meter)(void *ctx, uint32_t index,
		     struct dpu_rules_act_police *out);
};

/** Model -> ABI rule. Returns 0 or -EOPNOTSUPP with res->reason. */
int dpu_rules_to_abi(const struct dpu_rules_flow *f,
		     const struct dpu_rules_resolver *r,
		     struct dpu_rules_abi_flow *out,
		     struct dpu_rules_result *res);

/** Can the card described by caps hold this rule? 0 or -EOPNOTSUPP. */
int dpu_rules_caps_check(const struct dpu_rules_abi_flow *a,
			 const struct dpu_abi_caps *caps,
			 struct dpu_rules_result *res);

/** Append one op (ADD/MODIFY: items + actions; DELETE/QUERY: id only) to
 * a builder inside dpu_abi_flow_batch_begin(). Errors are the builder's. */
void dpu_rules_abi_emit(struct dpu_abi_builder *b, uint8_t op,
			const struct dpu_rules_abi_flow *a);

/** A checked op (after dpu_abi_check) back into an ABI rule. */
int dpu_rules_abi_from_op(const struct dpu_abi_flow_op *op,
			  struct dpu_rules_abi_flow *out);

#ifdef __cplusplus
}
#endif

#endif /* DPU_RULES_ABI_H */
