/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dpu_hal.h - the card's flow-table hardware abstraction.
 *
 * The firmware programs forwarding through this API only.  Its model is
 * DPDK rte_flow (attr + pattern items with spec/mask + action list, groups
 * and jumps, counters, aging, template-style async insertion) but it owns
 * its types, so the firmware builds without DPDK and the ABI translator has
 * one stable target.  Backends ("providers") implement struct dpu_hal_class:
 *   "rte_flow"  real DPDK ports (mlx5 eSwitch on a BlueField),
 *   "sim"       the software eSwitch in sim/.
 *
 * Byte order: every field copied from a packet header (MACs, addresses,
 * ethertypes, TCI, L4 ports) is in network byte order, exactly like
 * rte_flow; ids and metadata (port ids, VNI, META/TAG/MARK, CT, group,
 * priority) are host order.
 *
 * Errors: every call returns 0 (or a count) on success and a negative errno
 * on failure, and fills struct dpu_hal_error with the offending item/action
 * index and a message naming it.
 */
#ifndef DPU_HAL_H
#define DPU_HAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define DPU_HAL_MAX_ITEMS	16	/* pattern length incl. END */
#define DPU_HAL_MAX_ACTIONS	16	/* action list length incl. END */
#define DPU_HAL_GENEVE_OPT_MAX	32	/* encap option bytes (multiple of 4) */

/* ---------------------------------------------------------------- errors */

/** Where a failure was found. */
enum dpu_hal_error_what {
	DPU_HAL_ERR_NONE = 0,
	DPU_HAL_ERR_ATTR,
	DPU_HAL_ERR_ITEM,	/* index = pattern index */
	DPU_HAL_ERR_ACTION,	/* index = action index */
	DPU_HAL_ERR_FLOW,	/* handle / state problem */
	DPU_HAL_ERR_DEVICE,	/* provider/port problem */
};

/** Error detail filled by every failing call (may be NULL). */
struct dpu_hal_error {
	int code;			/* negative errno, same as return */
	enum dpu_hal_error_what what;
	int index;			/* item/action index or -1 */
	char msg[160];
};

/* -------------------------------------------------------------- attribute */

struct dpu_hal_attr {
	uint32_t group;		/* 0 = root table */
	uint32_t priority;	/* lower value = matched first */
	uint8_t ingress;
	uint8_t egress;
	uint8_t transfer;	/* eSwitch (FDB) domain */
};

/* ------------------------------------------------------------------ items */

enum dpu_hal_item_type {
	DPU_HAL_ITEM_END = 0,
	DPU_HAL_ITEM_VOID,
	DPU_HAL_ITEM_PORT,		/* represented port / port id */
	DPU_HAL_ITEM_ETH,
	DPU_HAL_ITEM_VLAN,		/* first VLAN item = outer tag, second = inner */
	DPU_HAL_ITEM_IPV4,
	DPU_HAL_ITEM_IPV6,
	DPU_HAL_ITEM_TCP,
	DPU_HAL_ITEM_UDP,
	DPU_HAL_ITEM_SCTP,
	DPU_HAL_ITEM_ICMP,
	DPU_HAL_ITEM_ICMP6,
	DPU_HAL_ITEM_VXLAN,		/* items after a tunnel item match the inner frame */
	DPU_HAL_ITEM_GENEVE,
	DPU_HAL_ITEM_GENEVE_OPT,
	DPU_HAL_ITEM_META,
	DPU_HAL_ITEM_TAG,
	DPU_HAL_ITEM_MARK,
	DPU_HAL_ITEM_CONNTRACK,
	DPU_HAL_ITEM_MAX
};

struct dpu_hal_item_port {
	uint32_t port_id;
};

struct dpu_hal_item_eth {
	uint8_t dst[6];
	uint8_t src[6];
	uint16_t type;		/* be: ethertype in the Ethernet header (TPID if tagged) */
	uint8_t has_vlan;	/* 1: tagged, 0: untagged (only if masked) */
};

struct dpu_hal_item_vlan {
	uint16_t tci;		/* be: PCP(3) DEI(1) VID(12) */
	uint16_t inner_type;	/* be: ethertype following this tag */
	uint8_t has_more_vlan;	/* another tag follows (only if masked) */
};

/* ipv4/ipv6 .frag bits */
#define DPU_HAL_FRAG_IS_FRAG	0x01	/* any fragment */
#define DPU_HAL_FRAG_FIRST	0x02	/* offset 0, more fragments */
#define DPU_HAL_FRAG_LATER	0x04	/* offset != 0 */

struct dpu_hal_item_ipv4 {
	uint32_t src;		/* be */
	uint32_t dst;		/* be */
	uint8_t tos;
	uint8_t ttl;
	uint8_t proto;
	uint8_t frag;		/* DPU_HAL_FRAG_* */
};

struct dpu_hal_item_ipv6 {
	uint8_t src[16];
	uint8_t dst[16];
	uint8_t tc;		/* traffic class */
	uint8_t hop_limit;
	uint8_t proto;		/* next header after extension headers */
	uint8_t frag;		/* DPU_HAL_FRAG_* (fragment extension header) */
};

/* TCP, UDP and SCTP share one layout; tcp_flags is TCP only. */
struct dpu_hal_item_l4 {
	uint16_t src;		/* be */
	uint16_t dst;		/* be */
	uint8_t tcp_flags;	/* FIN 0x01 SYN 0x02 RST 0x04 PSH 0x08 ACK 0x10 ... */
};

struct dpu_hal_item_icmp {	/* ICMP and ICMP6 */
	uint8_t type;
	uint8_t code;
};

struct dpu_hal_item_tunnel {	/* VXLAN and GENEVE */
	uint32_t vni;		/* 24 bits */
	uint16_t proto;		/* GENEVE protocol type (be), e.g. 0x6558 */
};

struct dpu_hal_item_geneve_opt {
	uint16_t opt_class;	/* be */
	uint8_t opt_type;
	uint8_t opt_len;	/* in 4-byte words, as on the wire */
	uint32_t data;		/* be: first data word */
};

struct dpu_hal_item_meta {
	uint32_t data;
};

#define DPU_HAL_TAG_MAX 2
struct dpu_hal_item_tag {
	uint32_t data;
	uint8_t index;		/* 0..DPU_HAL_TAG_MAX-1, never masked */
};

struct dpu_hal_item_mark {
	uint32_t id;
};

/* conntrack state bits (set by the software conntrack, matched here) */
#define DPU_HAL_CT_VALID	0x01
#define DPU_HAL_CT_NEW		0x02
#define DPU_HAL_CT_ESTABLISHED	0x04
#define DPU_HAL_CT_RELATED	0x08
#define DPU_HAL_CT_INVALID	0x10
#define DPU_HAL_CT_REPLY	0x20

struct dpu_hal_item_ct {
	uint8_t state;		/* DPU_HAL_CT_* */
	uint16_t zone;
	uint32_t mark;
};

/**
 * One pattern element.  spec NULL means "this header must be present";
 * mask NULL means the item's default mask (all fields of spec fully).
 */
struct dpu_hal_item {
	enum dpu_hal_item_type type;
	const void *spec;
	const void *mask;
};

/* ---------------------------------------------------------------- actions */

enum dpu_hal_action_type {
	DPU_HAL_ACTION_END = 0,
	DPU_HAL_ACTION_VOID,
	/* fates (exactly one per list, or JUMP) */
	DPU_HAL_ACTION_PORT,		/* output to port / represented port */
	DPU_HAL_ACTION_DROP,
	DPU_HAL_ACTION_JUMP,
	DPU_HAL_ACTION_TO_SW,		/* exception queue polled by the firmware */
	/* non-fates */
	DPU_HAL_ACTION_COUNT,
	DPU_HAL_ACTION_MARK,
	DPU_HAL_ACTION_SET_META,
	DPU_HAL_ACTION_SET_TAG,
	DPU_HAL_ACTION_PUSH_VLAN,
	DPU_HAL_ACTION_POP_VLAN,
	DPU_HAL_ACTION_SET_VLAN_VID,
	DPU_HAL_ACTION_SET_VLAN_PCP,
	DPU_HAL_ACTION_TUNNEL_ENCAP,
	DPU_HAL_ACTION_TUNNEL_DECAP,
	DPU_HAL_ACTION_SET_MAC_SRC,
	DPU_HAL_ACTION_SET_MAC_DST,
	DPU_HAL_ACTION_SET_IPV4_SRC,
	DPU_HAL_ACTION_SET_IPV4_DST,
	DPU_HAL_ACTION_SET_IPV6_SRC,
	DPU_HAL_ACTION_SET_IPV6_DST,
	DPU_HAL_ACTION_SET_TP_SRC,
	DPU_HAL_ACTION_SET_TP_DST,
	DPU_HAL_ACTION_DEC_TTL,
	DPU_HAL_ACTION_METER,
	DPU_HAL_ACTION_AGE,
	DPU_HAL_ACTION_SAMPLE,		/* sample / mirror */
	/* placeholders: the model carries them, providers may refuse (ENOTSUP) */
	DPU_HAL_ACTION_IPSEC_ENCRYPT,
	DPU_HAL_ACTION_IPSEC_DECRYPT,
	DPU_HAL_ACTION_CT,
	DPU_HAL_ACTION_MAX
};

struct dpu_hal_action_port {
	uint32_t port_id;
};

struct dpu_hal_action_jump {
	uint32_t group;		/* must be greater than the rule's group */
};

struct dpu_hal_action_to_sw {
	uint16_t reason;	/* delivered with the packet */
	uint32_t cookie;
};

struct dpu_hal_action_mark {
	uint32_t id;
};

struct dpu_hal_action_set_meta {
	uint32_t data;
	uint32_t mask;
};

struct dpu_hal_action_set_tag {
	uint32_t data;
	uint32_t mask;
	uint8_t index;
};

struct dpu_hal_action_push_vlan {
	uint16_t tpid;		/* be, 0x8100 or 0x88a8 */
	uint16_t tci;		/* be */
};

struct dpu_hal_action_set_vlan_vid {
	uint16_t vid;		/* be, 12 bits */
};

struct dpu_hal_action_set_vlan_pcp {
	uint8_t pcp;		/* 0..7 */
};

enum dpu_hal_tunnel_type {
	DPU_HAL_TUNNEL_VXLAN = 1,
	DPU_HAL_TUNNEL_GENEVE,
};

/** Outer headers to push: Ethernet / IPv4|IPv6 / UDP / VXLAN|GENEVE. */
struct dpu_hal_action_encap {
	enum dpu_hal_tunnel_type type;
	uint8_t eth_dst[6];
	uint8_t eth_src[6];
	uint16_t vlan_tci;	/* be; 0 = no outer tag */
	uint8_t is_ipv6;
	uint8_t tos;
	uint8_t ttl;		/* 0 = 64 */
	uint32_t ipv4_src, ipv4_dst;	/* be */
	uint8_t ipv6_src[16], ipv6_dst[16];
	uint16_t udp_src;	/* be; 0 = derived from the inner flow hash */
	uint16_t udp_dst;	/* be; 0 = 4789 (VXLAN) / 6081 (GENEVE) */
	uint32_t vni;		/* 24 bits */
	uint8_t opt_len;	/* GENEVE option bytes, multiple of 4 */
	uint8_t opts[DPU_HAL_GENEVE_OPT_MAX];
};

struct dpu_hal_action_decap {
	enum dpu_hal_tunnel_type type;
};

struct dpu_hal_action_set_mac {
	uint8_t mac[6];
};

struct dpu_hal_action_set_ipv4 {
	uint32_t addr;		/* be */
};

struct dpu_hal_action_set_ipv6 {
	uint8_t addr[16];
};

struct dpu_hal_action_set_tp {
	uint16_t port;		/* be */
};

struct dpu_hal_action_meter {
	uint32_t meter_id;	/* created with dpu_hal_meter_create() */
};

struct dpu_hal_action_age {
	uint32_t timeout;	/* seconds idle before the rule is reported */
	void *context;		/* returned by dpu_hal_aged_flows(); NULL = the flow */
};

/** Copy 1 of `ratio` packets to the sub-action list (PORT or TO_SW [+COUNT]). */
struct dpu_hal_action_sample {
	uint32_t ratio;		/* 1 = mirror every packet */
	const struct dpu_hal_action *actions;
};

struct dpu_hal_action_ipsec {
	uint32_t sa_id;
};

struct dpu_hal_action_ct {
	uint16_t zone;
	uint8_t commit;
};

struct dpu_hal_action {
	enum dpu_hal_action_type type;
	const void *conf;
};

/* ----------------------------------------------------------------- meters */

enum dpu_hal_meter_alg {
	DPU_HAL_METER_SRTCM = 1,	/* RFC 2697: cir, cbs, ebs */
	DPU_HAL_METER_TRTCM,		/* RFC 2698: cir, pir, cbs, pbs */
};

enum dpu_hal_meter_verdict {
	DPU_HAL_METER_PASS = 0,
	DPU_HAL_METER_DROP,
};

struct dpu_hal_meter_conf {
	enum dpu_hal_meter_alg alg;
	uint64_t cir;		/* bytes/s */
	uint64_t pir;		/* bytes/s, trTCM */
	uint64_t cbs, ebs, pbs;	/* bytes */
	enum dpu_hal_meter_verdict green, yellow, red;	/* color-blind policy */
};

struct dpu_hal_meter_stats {
	uint64_t pkts[3];	/* green, yellow, red */
	uint64_t bytes[3];
	uint64_t dropped;
};

/* --------------------------------------------------------------- counters */

struct dpu_hal_count {
	uint64_t hits;
	uint64_t bytes;
	uint64_t last_hit_age_s;	/* seconds since last hit (or creation) */
	uint8_t hits_set, bytes_set;
};

/* --------------------------------------------------------------- the dev */

struct dpu_hal_flow;		/* opaque, provider-owned */
struct dpu_hal_dev;		/* opaque, from dpu_hal_open() */

/** Behaviour when a packet misses every rule of a group. */
enum dpu_hal_miss {
	DPU_HAL_MISS_TO_SW = 0,	/* default: exception path (like mlx5 FDB miss) */
	DPU_HAL_MISS_DROP,
};

/** Result of one async operation, returned by dpu_hal_pull(). */
struct dpu_hal_op_result {
	int status;		/* 0 or negative errno */
	void *user_data;
	struct dpu_hal_flow *flow;
};

/** Capabilities a provider reports. */
struct dpu_hal_caps {
	uint32_t max_rules;
	uint32_t max_groups;
	uint32_t max_meters;
	uint32_t nb_queues;	/* async queues */
	uint8_t async_native;	/* 0: async emulated with sync calls */
};

/**
 * A provider, in the style of OVS's netdev_class.  All flow calls come from
 * one control thread per dev (the HAL does not serialize for the provider).
 */
struct dpu_hal_class {
	const char *name;

	int (*open)(const char *args, void **priv, struct dpu_hal_error *err);
	void (*close)(void *priv);
	int (*caps)(void *priv, struct dpu_hal_caps *caps);

	int (*validate)(void *priv, const struct dpu_hal_attr *attr,
			const struct dpu_hal_item *pattern,
			const struct dpu_hal_action *actions,
			struct dpu_hal_error *err);
	int (*create)(void *priv, const struct dpu_hal_attr *attr,
		      const struct dpu_hal_item *pattern,
		      const struct dpu_hal_action *actions,
		      struct dpu_hal_flow **flow, struct dpu_hal_error *err);
	int (*destroy)(void *priv, struct dpu_hal_flow *flow,
		       struct dpu_hal_error *err);
	int (*query_count)(void *priv, struct dpu_hal_flow *flow, bool reset,
			   struct dpu_hal_count *out, struct dpu_hal_error *err);
	int (*flush)(void *priv, struct dpu_hal_error *err);
	int (*aged_flows)(void *priv, void **contexts, uint32_t n,
			  struct dpu_hal_error *err);
	int (*set_group_miss)(void *priv, uint32_t group, enum dpu_hal_miss miss,
			      struct dpu_hal_error *err);

	/* async (template-style): enqueue, push, pull completions */
	int (*async_create)(void *priv, uint32_t queue,
			    const struct dpu_hal_attr *attr,
			    const struct dpu_hal_item *pattern,
			    const struct dpu_hal_action *actions,
			    void *user_data, struct dpu_hal_flow **flow,
			    struct dpu_hal_error *err);
	int (*async_destroy)(void *priv, uint32_t queue, struct dpu_hal_flow *flow,
			     void *user_data, struct dpu_hal_error *err);
	int (*push)(void *priv, uint32_t queue, struct dpu_hal_error *err);
	int (*pull)(void *priv, uint32_t queue, struct dpu_hal_op_result *res,
		    uint32_t n, struct dpu_hal_error *err);

	int (*meter_create)(void *priv, uint32_t meter_id,
			    const struct dpu_hal_meter_conf *conf,
			    struct dpu_hal_error *err);
	int (*meter_destroy)(void *priv, uint32_t meter_id,
			     struct dpu_hal_error *err);
	int (*meter_stats)(void *priv, uint32_t meter_id,
			   struct dpu_hal_meter_stats *st,
			   struct dpu_hal_error *err);
};

/* ------------------------------------------------------------ public API */

/** Make a provider available to dpu_hal_open(). -EEXIST if name taken. */
int dpu_hal_register(const struct dpu_hal_class *cls);
/** Remove a provider (no dev may still use it). */
int dpu_hal_unregister(const char *name);
/** Look a provider up by name; NULL if unknown. */
const struct dpu_hal_class *dpu_hal_find(const char *name);

/** Open a dev on provider `name` with provider-specific `args`. */
int dpu_hal_open(const char *name, const char *args, struct dpu_hal_dev **dev,
		 struct dpu_hal_error *err);
/** Wrap an already opened provider instance (e.g. a sim eSwitch). */
int dpu_hal_attach(const struct dpu_hal_class *cls, void *priv,
		   struct dpu_hal_dev **dev);
void dpu_hal_close(struct dpu_hal_dev *dev);
void *dpu_hal_priv(const struct dpu_hal_dev *dev);
const struct dpu_hal_class *dpu_hal_class_of(const struct dpu_hal_dev *dev);
int dpu_hal_caps(struct dpu_hal_dev *dev, struct dpu_hal_caps *caps);

/** Check a rule without touching the tables. */
int dpu_hal_flow_validate(struct dpu_hal_dev *dev, const struct dpu_hal_attr *attr,
			  const struct dpu_hal_item *pattern,
			  const struct dpu_hal_action *actions,
			  struct dpu_hal_error *err);
/** Insert a rule; it is matched by the next packet once this returns. */
int dpu_hal_flow_create(struct dpu_hal_dev *dev, const struct dpu_hal_attr *attr,
			const struct dpu_hal_item *pattern,
			const struct dpu_hal_action *actions,
			struct dpu_hal_flow **flow, struct dpu_hal_error *err);
/** Remove a rule; no packet matches it once this returns. */
int dpu_hal_flow_destroy(struct dpu_hal_dev *dev, struct dpu_hal_flow *flow,
			 struct dpu_hal_error *err);
/** Read (and optionally reset) a COUNT rule's counters. */
int dpu_hal_flow_query_count(struct dpu_hal_dev *dev, struct dpu_hal_flow *flow,
			     bool reset, struct dpu_hal_count *out,
			     struct dpu_hal_error *err);
/** Destroy every rule. */
int dpu_hal_flow_flush(struct dpu_hal_dev *dev, struct dpu_hal_error *err);
/** Collect up to n aged-out AGE contexts (each reported once); returns count. */
int dpu_hal_aged_flows(struct dpu_hal_dev *dev, void **contexts, uint32_t n,
		       struct dpu_hal_error *err);
int dpu_hal_set_group_miss(struct dpu_hal_dev *dev, uint32_t group,
			   enum dpu_hal_miss miss, struct dpu_hal_error *err);

/** Enqueue an insertion on `queue`; *flow is usable after its completion. */
int dpu_hal_async_create(struct dpu_hal_dev *dev, uint32_t queue,
			 const struct dpu_hal_attr *attr,
			 const struct dpu_hal_item *pattern,
			 const struct dpu_hal_action *actions, void *user_data,
			 struct dpu_hal_flow **flow, struct dpu_hal_error *err);
int dpu_hal_async_destroy(struct dpu_hal_dev *dev, uint32_t queue,
			  struct dpu_hal_flow *flow, void *user_data,
			  struct dpu_hal_error *err);
/** Apply everything enqueued on `queue` (one table update / grace period). */
int dpu_hal_push(struct dpu_hal_dev *dev, uint32_t queue, struct dpu_hal_error *err);
/** Retrieve up to n completions; returns how many. */
int dpu_hal_pull(struct dpu_hal_dev *dev, uint32_t queue,
		 struct dpu_hal_op_result *res, uint32_t n,
		 struct dpu_hal_error *err);

int dpu_hal_meter_create(struct dpu_hal_dev *dev, uint32_t meter_id,
			 const struct dpu_hal_meter_conf *conf,
			 struct dpu_hal_error *err);
int dpu_hal_meter_destroy(struct dpu_hal_dev *dev, uint32_t meter_id,
			  struct dpu_hal_error *err);
int dpu_hal_meter_stats(struct dpu_hal_dev *dev, uint32_t meter_id,
			struct dpu_hal_meter_stats *st, struct dpu_hal_error *err);

/* ------------------------------------------------------ helpers (hal core) */

/** Fill err (if non-NULL) and return code (negative errno). */
int dpu_hal_set_error(struct dpu_hal_error *err, int code,
		      enum dpu_hal_error_what what, int index,
		      const char *fmt, ...) __attribute__((format(printf, 5, 6)));

const char *dpu_hal_item_name(enum dpu_hal_item_type t);
const char *dpu_hal_action_name(enum dpu_hal_action_type t);
/** Size of the spec/mask struct of an item type (0 for END/VOID). */
size_t dpu_hal_item_size(enum dpu_hal_item_type t);
/** Default mask for an item type (all header fields, no has_vlan etc.). */
const void *dpu_hal_item_default_mask(enum dpu_hal_item_type t);
/** Whether an action type is a fate (PORT, DROP, JUMP, TO_SW). */
bool dpu_hal_action_is_fate(enum dpu_hal_action_type t);

/**
 * Structural checks every provider needs: END-terminated within limits,
 * known types, conf present where required, exactly one fate, JUMP to a
 * greater group, SAMPLE sub-list well formed.  Providers add their own.
 */
int dpu_hal_check_rule(const struct dpu_hal_attr *attr,
		       const struct dpu_hal_item *pattern,
		       const struct dpu_hal_action *actions,
		       struct dpu_hal_error *err);

#ifdef __cplusplus
}
#endif

#endif /* DPU_HAL_H */
