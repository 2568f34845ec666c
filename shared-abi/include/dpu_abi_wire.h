/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * opendpu shared ABI v1: the message header, opcodes, status codes and the
 * control-plane bodies (HELLO, keepalive/health, card reset, ports).
 *
 * Rules that hold for every structure in dpu_abi_*.h:
 *  - Integers are little-endian unless their type is dpu_be16_t/dpu_be32_t:
 *    those mirror packet header fields and are in network byte order, exactly
 *    as rte_flow items carry them, so the card can match packet bytes directly.
 *  - Every structure has an explicit size that is a multiple of 4 (8 where it
 *    starts a record), explicit padding named reserved* / pad*, and static
 *    asserts on its size and every field offset. Reserved and pad bytes must be
 *    zero on send and are rejected when non-zero (so they can be given meaning
 *    by a later minor version).
 *  - Strings are fixed-size char arrays, NUL-terminated within the array,
 *    printable ASCII, the rest of the array zero.
 *  - A major version bump may change anything; a minor bump only appends:
 *    new opcodes, new item/action/enum values, new fields at the end of a
 *    fixed body. See docs/abi.md for the full compatibility and trust rules.
 */
#ifndef DPU_ABI_WIRE_H
#define DPU_ABI_WIRE_H

#include <assert.h>
#include <stddef.h>
#include <stdint.h>

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "opendpu ABI structs are accessed in place; a big-endian host needs byte swapping first"
#endif

#ifdef __cplusplus
extern "C" {
#endif

typedef uint16_t dpu_be16_t; /* network byte order */
typedef uint32_t dpu_be32_t; /* network byte order */

#define DPU_ABI_LAYOUT(type, size)                                             \
	static_assert(sizeof(type) == (size), #type " size")
#define DPU_ABI_FIELD(type, field, off)                                        \
	static_assert(offsetof(type, field) == (off), #type "." #field " offset")

#define DPU_ABI_MAGIC 0x5550444fu /* bytes "ODPU" */
#define DPU_ABI_VERSION_MAJOR 1
#define DPU_ABI_VERSION_MINOR 0

/* Every message is a multiple of this many bytes. */
#define DPU_ABI_ALIGN 8u
/* Hard upper bound on a message; HELLO may negotiate a smaller one. */
#define DPU_ABI_MSG_MAX (256u * 1024u)

/* ------------------------------------------------------------------ */
/* Header                                                              */
/* ------------------------------------------------------------------ */

enum dpu_abi_hdr_flags {
	DPU_ABI_F_RESPONSE = 1u << 0, /* answer to the request with req_id */
	DPU_ABI_F_EVENT = 1u << 1,    /* unsolicited, card -> host */
	DPU_ABI_F_MORE = 1u << 2,     /* list response: more parts follow */
};
#define DPU_ABI_F_ALL (DPU_ABI_F_RESPONSE | DPU_ABI_F_EVENT | DPU_ABI_F_MORE)

struct dpu_abi_hdr {
	uint32_t magic;     /* DPU_ABI_MAGIC */
	uint8_t ver_major;  /* DPU_ABI_VERSION_MAJOR of the sender */
	uint8_t ver_minor;  /* negotiated minor (HELLO: sender's own) */
	uint16_t opcode;    /* enum dpu_abi_opcode */
	uint16_t flags;     /* enum dpu_abi_hdr_flags */
	uint16_t status;    /* enum dpu_abi_status; 0 in requests and events */
	uint32_t length;    /* total bytes including this header */
	uint64_t req_id;    /* chosen by the requester, echoed in the response */
	uint32_t epoch;     /* card epoch: set by the card, echoed by the host */
	uint32_t reserved;
};
DPU_ABI_LAYOUT(struct dpu_abi_hdr, 32);
DPU_ABI_FIELD(struct dpu_abi_hdr, magic, 0);
DPU_ABI_FIELD(struct dpu_abi_hdr, ver_major, 4);
DPU_ABI_FIELD(struct dpu_abi_hdr, ver_minor, 5);
DPU_ABI_FIELD(struct dpu_abi_hdr, opcode, 6);
DPU_ABI_FIELD(struct dpu_abi_hdr, flags, 8);
DPU_ABI_FIELD(struct dpu_abi_hdr, status, 10);
DPU_ABI_FIELD(struct dpu_abi_hdr, length, 12);
DPU_ABI_FIELD(struct dpu_abi_hdr, req_id, 16);
DPU_ABI_FIELD(struct dpu_abi_hdr, epoch, 24);
DPU_ABI_FIELD(struct dpu_abi_hdr, reserved, 28);

/*
 * Opcodes. The high byte is the domain. Requests flow host -> card and get
 * exactly one response (several with DPU_ABI_F_MORE for lists); events flow
 * card -> host with DPU_ABI_F_EVENT and get none.
 */
enum dpu_abi_opcode {
	/* control */
	DPU_ABI_OP_HELLO = 0x0001,
	DPU_ABI_OP_KEEPALIVE = 0x0002,
	DPU_ABI_OP_CARD_RESET = 0x0003,
	/* ports */
	DPU_ABI_OP_PORT_LIST = 0x0100,
	DPU_ABI_OP_PORT_CONFIG = 0x0101,
	DPU_ABI_OP_PORT_STATS = 0x0102,
	/* flows */
	DPU_ABI_OP_FLOW_BATCH = 0x0200,
	DPU_ABI_OP_FLOW_FLUSH = 0x0201,
	DPU_ABI_OP_FLOW_LIST = 0x0202,
	/* firewall */
	DPU_ABI_OP_ACL_BATCH = 0x0300,
	DPU_ABI_OP_CT_ZONE_SET = 0x0301,
	DPU_ABI_OP_CT_ZONE_DEL = 0x0302,
	DPU_ABI_OP_CT_ZONE_LIST = 0x0303,
	DPU_ABI_OP_CT_FLUSH = 0x0304,
	/* IPsec */
	DPU_ABI_OP_SA_ADD = 0x0400,
	DPU_ABI_OP_SA_DEL = 0x0401,
	DPU_ABI_OP_SA_QUERY = 0x0402,
	DPU_ABI_OP_SP_ADD = 0x0403,
	DPU_ABI_OP_SP_DEL = 0x0404,
	/* NVMe-oF target */
	DPU_ABI_OP_NVMF_SUBSYS_ADD = 0x0500,
	DPU_ABI_OP_NVMF_SUBSYS_DEL = 0x0501,
	DPU_ABI_OP_NVMF_SUBSYS_LIST = 0x0502,
	DPU_ABI_OP_NVMF_NS_ADD = 0x0503,
	DPU_ABI_OP_NVMF_NS_DEL = 0x0504,
	DPU_ABI_OP_NVMF_NS_LIST = 0x0505,
	DPU_ABI_OP_NVMF_HOST_ADD = 0x0506,
	DPU_ABI_OP_NVMF_HOST_DEL = 0x0507,
	DPU_ABI_OP_NVMF_HOST_LIST = 0x0508,
	DPU_ABI_OP_NVMF_LISTENER_ADD = 0x0509,
	DPU_ABI_OP_NVMF_LISTENER_DEL = 0x050a,
	DPU_ABI_OP_NVMF_LISTENER_LIST = 0x050b,
	/* events (card -> host, DPU_ABI_F_EVENT) */
	DPU_ABI_OP_EVT_FLOW_AGED = 0x0f00,
	DPU_ABI_OP_EVT_PORT_STATE = 0x0f01,
	DPU_ABI_OP_EVT_SA_EXPIRING = 0x0f02,
	DPU_ABI_OP_EVT_ERROR = 0x0f03,
	DPU_ABI_OP_EVT_CARD_RESET = 0x0f04,
};

/*
 * Status codes: header.status of responses, per-op status of batches and the
 * return value (negated) of the codec. 1..63 are malformed-message errors,
 * each naming one way a message can be wrong; 64.. are semantic failures.
 */
enum dpu_abi_status {
	DPU_ABI_OK = 0,
	DPU_ABI_E_TRUNCATED = 1,  /* buffer shorter than the header claims */
	DPU_ABI_E_MAGIC = 2,      /* header.magic is not DPU_ABI_MAGIC */
	DPU_ABI_E_VERSION = 3,    /* major version not spoken */
	DPU_ABI_E_LENGTH = 4,     /* a length field is inconsistent */
	DPU_ABI_E_OPCODE = 5,     /* unknown opcode, or wrong direction */
	DPU_ABI_E_FLAGS = 6,      /* undefined or contradictory flag bits */
	DPU_ABI_E_RESERVED = 7,   /* reserved or pad bytes not zero */
	DPU_ABI_E_COUNT = 8,      /* an element count runs past the body */
	DPU_ABI_E_ENUM = 9,       /* value outside its enumeration */
	DPU_ABI_E_SIZE = 10,      /* element length wrong for its type */
	DPU_ABI_E_ALIGN = 11,     /* length not a multiple of DPU_ABI_ALIGN */
	DPU_ABI_E_RANGE = 12,     /* numeric value out of its range */
	DPU_ABI_E_STRING = 13,    /* unterminated or non-printable string */
	DPU_ABI_E_ORDER = 14,     /* items out of order or duplicated */
	DPU_ABI_E_MASK = 15,      /* value bits set outside the mask */
	DPU_ABI_E_TOO_BIG = 16,   /* message over the negotiated maximum */
	DPU_ABI_E_STATUS = 17,    /* status set on a request or event */
	DPU_ABI_E_CONFLICT = 18,  /* fields that contradict each other */
	DPU_ABI_E_PROTO_LAST = 63,

	DPU_ABI_E_NOT_SUPPORTED = 64, /* valid but the card cannot do it */
	DPU_ABI_E_NO_SPACE = 65,      /* a table or pool is full */
	DPU_ABI_E_NOT_FOUND = 66,
	DPU_ABI_E_EXISTS = 67,
	DPU_ABI_E_BUSY = 68,
	DPU_ABI_E_INTERNAL = 69,
	DPU_ABI_E_PERM = 70,
	DPU_ABI_E_STALE_EPOCH = 71, /* request carried an epoch the card left */
	DPU_ABI_E_PARTIAL = 72,     /* batch: some ops failed, see per-op status */
	DPU_ABI_E_NOT_READY = 73,   /* HELLO has not been exchanged */
	DPU_ABI_STATUS_MAX = 74,
};

/*
 * Body of a response whose header.status is a malformed-message error:
 * where the card's decoder stopped and why, so the host can log something
 * better than a number.
 */
struct dpu_abi_error_body {
	uint32_t offset;  /* byte offset in the request that was rejected */
	uint32_t reserved;
	char detail[120]; /* "flow_batch.ops[3].actions[1].type: ..." */
};
DPU_ABI_LAYOUT(struct dpu_abi_error_body, 128);
DPU_ABI_FIELD(struct dpu_abi_error_body, offset, 0);
DPU_ABI_FIELD(struct dpu_abi_error_body, reserved, 4);
DPU_ABI_FIELD(struct dpu_abi_error_body, detail, 8);

/* ------------------------------------------------------------------ */
/* HELLO: version and capability negotiation                           */
/* ------------------------------------------------------------------ */

enum dpu_abi_feature {
	DPU_ABI_FEAT_FLOW = 1ull << 0,
	DPU_ABI_FEAT_FLOW_AGING = 1ull << 1,
	DPU_ABI_FEAT_TUNNEL = 1ull << 2,
	DPU_ABI_FEAT_CT = 1ull << 3,
	DPU_ABI_FEAT_ACL = 1ull << 4,
	DPU_ABI_FEAT_METER = 1ull << 5,
	DPU_ABI_FEAT_MIRROR = 1ull << 6,
	DPU_ABI_FEAT_IPSEC = 1ull << 7,
	DPU_ABI_FEAT_NVMF = 1ull << 8,
	DPU_ABI_FEAT_EVENTS = 1ull << 9,
	DPU_ABI_FEAT_PORT_CONFIG = 1ull << 10,
};
#define DPU_ABI_FEAT_ALL ((1ull << 11) - 1)

#define DPU_ABI_NAME_LEN 32

struct dpu_abi_hello_req {
	uint8_t ver_major; /* highest major the host speaks */
	uint8_t ver_minor; /* highest minor of that major */
	uint16_t reserved0;
	uint32_t max_msg_len; /* largest message the host accepts */
	uint64_t features;    /* DPU_ABI_FEAT_* the host wants */
	char host_name[DPU_ABI_NAME_LEN];
};
DPU_ABI_LAYOUT(struct dpu_abi_hello_req, 48);
DPU_ABI_FIELD(struct dpu_abi_hello_req, ver_major, 0);
DPU_ABI_FIELD(struct dpu_abi_hello_req, ver_minor, 1);
DPU_ABI_FIELD(struct dpu_abi_hello_req, reserved0, 2);
DPU_ABI_FIELD(struct dpu_abi_hello_req, max_msg_len, 4);
DPU_ABI_FIELD(struct dpu_abi_hello_req, features, 8);
DPU_ABI_FIELD(struct dpu_abi_hello_req, host_name, 16);

/* What the card can hold and how deep its queues are; the host adapts. */
struct dpu_abi_caps {
	uint32_t max_msg_len;   /* min(host's, card's) */
	uint32_t max_batch;     /* ops per FLOW_BATCH / ACL_BATCH */
	uint32_t req_ring_depth;
	uint32_t cpl_ring_depth;
	uint32_t evt_ring_depth;
	uint32_t n_ports;
	uint32_t max_flows;      /* all groups together */
	uint32_t max_groups;
	uint32_t max_flows_per_group;
	uint32_t max_meters;
	uint32_t max_acl_rules;
	uint32_t max_ct_entries;
	uint32_t max_ct_zones;
	uint32_t max_sa;
	uint32_t max_nvmf_subsystems;
	uint32_t max_nvmf_namespaces;
	uint64_t item_types;   /* bit n set: match item type n supported */
	uint64_t action_types; /* bit n set: action type n supported */
};
DPU_ABI_LAYOUT(struct dpu_abi_caps, 80);
DPU_ABI_FIELD(struct dpu_abi_caps, max_msg_len, 0);
DPU_ABI_FIELD(struct dpu_abi_caps, max_batch, 4);
DPU_ABI_FIELD(struct dpu_abi_caps, req_ring_depth, 8);
DPU_ABI_FIELD(struct dpu_abi_caps, cpl_ring_depth, 12);
DPU_ABI_FIELD(struct dpu_abi_caps, evt_ring_depth, 16);
DPU_ABI_FIELD(struct dpu_abi_caps, n_ports, 20);
DPU_ABI_FIELD(struct dpu_abi_caps, max_flows, 24);
DPU_ABI_FIELD(struct dpu_abi_caps, max_groups, 28);
DPU_ABI_FIELD(struct dpu_abi_caps, max_flows_per_group, 32);
DPU_ABI_FIELD(struct dpu_abi_caps, max_meters, 36);
DPU_ABI_FIELD(struct dpu_abi_caps, max_acl_rules, 40);
DPU_ABI_FIELD(struct dpu_abi_caps, max_ct_entries, 44);
DPU_ABI_FIELD(struct dpu_abi_caps, max_ct_zones, 48);
DPU_ABI_FIELD(struct dpu_abi_caps, max_sa, 52);
DPU_ABI_FIELD(struct dpu_abi_caps, max_nvmf_subsystems, 56);
DPU_ABI_FIELD(struct dpu_abi_caps, max_nvmf_namespaces, 60);
DPU_ABI_FIELD(struct dpu_abi_caps, item_types, 64);
DPU_ABI_FIELD(struct dpu_abi_caps, action_types, 72);

struct dpu_abi_hello_resp {
	uint8_t ver_major; /* agreed: equal to the host's major */
	uint8_t ver_minor; /* agreed: min(host minor, card minor) */
	uint16_t reserved0;
	uint32_t epoch;    /* card epoch; changes on every card reset */
	uint64_t features; /* host's request & what the card has */
	char card_name[DPU_ABI_NAME_LEN];
	char fw_version[DPU_ABI_NAME_LEN];
	struct dpu_abi_caps caps;
};
DPU_ABI_LAYOUT(struct dpu_abi_hello_resp, 160);
DPU_ABI_FIELD(struct dpu_abi_hello_resp, ver_major, 0);
DPU_ABI_FIELD(struct dpu_abi_hello_resp, ver_minor, 1);
DPU_ABI_FIELD(struct dpu_abi_hello_resp, reserved0, 2);
DPU_ABI_FIELD(struct dpu_abi_hello_resp, epoch, 4);
DPU_ABI_FIELD(struct dpu_abi_hello_resp, features, 8);
DPU_ABI_FIELD(struct dpu_abi_hello_resp, card_name, 16);
DPU_ABI_FIELD(struct dpu_abi_hello_resp, fw_version, 48);
DPU_ABI_FIELD(struct dpu_abi_hello_resp, caps, 80);

/* ------------------------------------------------------------------ */
/* KEEPALIVE (with health) and CARD_RESET                              */
/* ------------------------------------------------------------------ */

struct dpu_abi_keepalive_req {
	uint64_t seq;
	uint64_t host_time_ns; /* echoed, so the host can measure RTT */
};
DPU_ABI_LAYOUT(struct dpu_abi_keepalive_req, 16);
DPU_ABI_FIELD(struct dpu_abi_keepalive_req, seq, 0);
DPU_ABI_FIELD(struct dpu_abi_keepalive_req, host_time_ns, 8);

enum dpu_abi_health_flags {
	DPU_ABI_HEALTH_DEGRADED = 1u << 0,  /* running, something is wrong */
	DPU_ABI_HEALTH_TABLE_FULL = 1u << 1,
	DPU_ABI_HEALTH_EVT_DROPPED = 1u << 2, /* event ring overflowed */
	DPU_ABI_HEALTH_RESETTING = 1u << 3,
};
#define DPU_ABI_HEALTH_ALL 0xfu

struct dpu_abi_keepalive_resp {
	uint64_t seq;
	uint64_t host_time_ns;
	uint64_t uptime_ms;
	uint32_t health;    /* DPU_ABI_HEALTH_* */
	uint32_t n_flows;
	uint64_t bad_msgs;  /* messages rejected by the decoder since boot */
	uint64_t evt_dropped;
};
DPU_ABI_LAYOUT(struct dpu_abi_keepalive_resp, 48);
DPU_ABI_FIELD(struct dpu_abi_keepalive_resp, seq, 0);
DPU_ABI_FIELD(struct dpu_abi_keepalive_resp, host_time_ns, 8);
DPU_ABI_FIELD(struct dpu_abi_keepalive_resp, uptime_ms, 16);
DPU_ABI_FIELD(struct dpu_abi_keepalive_resp, health, 24);
DPU_ABI_FIELD(struct dpu_abi_keepalive_resp, n_flows, 28);
DPU_ABI_FIELD(struct dpu_abi_keepalive_resp, bad_msgs, 32);
DPU_ABI_FIELD(struct dpu_abi_keepalive_resp, evt_dropped, 40);

enum dpu_abi_reset_kind {
	DPU_ABI_RESET_SOFT = 0, /* drop all tables and state, keep ports up */
	DPU_ABI_RESET_HARD = 1, /* as if power-cycled: ports bounce too */
	DPU_ABI_RESET_KIND_MAX = 2,
};

struct dpu_abi_card_reset_req {
	uint32_t kind; /* enum dpu_abi_reset_kind */
	uint32_t reserved;
};
DPU_ABI_LAYOUT(struct dpu_abi_card_reset_req, 8);
DPU_ABI_FIELD(struct dpu_abi_card_reset_req, kind, 0);
DPU_ABI_FIELD(struct dpu_abi_card_reset_req, reserved, 4);

struct dpu_abi_card_reset_resp {
	uint32_t old_epoch;
	uint32_t new_epoch;
};
DPU_ABI_LAYOUT(struct dpu_abi_card_reset_resp, 8);
DPU_ABI_FIELD(struct dpu_abi_card_reset_resp, old_epoch, 0);
DPU_ABI_FIELD(struct dpu_abi_card_reset_resp, new_epoch, 4);

/* ------------------------------------------------------------------ */
/* Ports                                                               */
/* ------------------------------------------------------------------ */

enum dpu_abi_port_kind {
	DPU_ABI_PORT_UPLINK = 0, /* physical wire port, "p0" */
	DPU_ABI_PORT_PF = 1,     /* host physical function, "pf0" */
	DPU_ABI_PORT_VF = 2,     /* host virtual function, "pf0vf1" */
	DPU_ABI_PORT_SF = 3,     /* sub-function, "pf0sf2" */
	DPU_ABI_PORT_KIND_MAX = 4,
};

#define DPU_ABI_PORT_NAME_LEN 16

/* List requests share one cursor shape. */
struct dpu_abi_list_req {
	uint32_t start; /* index of the first entry wanted */
	uint32_t max;   /* at most this many in one response (0: card's choice) */
};
DPU_ABI_LAYOUT(struct dpu_abi_list_req, 8);
DPU_ABI_FIELD(struct dpu_abi_list_req, start, 0);
DPU_ABI_FIELD(struct dpu_abi_list_req, max, 4);

/* List responses start with this, followed by count entries. */
struct dpu_abi_list_resp {
	uint32_t count; /* entries in this message */
	uint32_t total; /* entries the card has */
};
DPU_ABI_LAYOUT(struct dpu_abi_list_resp, 8);
DPU_ABI_FIELD(struct dpu_abi_list_resp, count, 0);
DPU_ABI_FIELD(struct dpu_abi_list_resp, total, 4);

struct dpu_abi_port_info {
	uint32_t port_id;
	uint8_t kind;      /* enum dpu_abi_port_kind */
	uint8_t pf;
	uint16_t vf;       /* VF/SF number; 0 for uplinks and PFs */
	uint8_t admin_up;
	uint8_t oper_up;
	uint16_t mtu;
	uint8_t mac[6];
	uint16_t reserved;
	uint32_t speed_mbps;
	uint32_t reserved2;
	char name[DPU_ABI_PORT_NAME_LEN]; /* phys_port_name: "p0", "pf0vf1" */
	uint32_t reserved3;
};
DPU_ABI_LAYOUT(struct dpu_abi_port_info, 48);
DPU_ABI_FIELD(struct dpu_abi_port_info, port_id, 0);
DPU_ABI_FIELD(struct dpu_abi_port_info, kind, 4);
DPU_ABI_FIELD(struct dpu_abi_port_info, pf, 5);
DPU_ABI_FIELD(struct dpu_abi_port_info, vf, 6);
DPU_ABI_FIELD(struct dpu_abi_port_info, admin_up, 8);
DPU_ABI_FIELD(struct dpu_abi_port_info, oper_up, 9);
DPU_ABI_FIELD(struct dpu_abi_port_info, mtu, 10);
DPU_ABI_FIELD(struct dpu_abi_port_info, mac, 12);
DPU_ABI_FIELD(struct dpu_abi_port_info, reserved, 18);
DPU_ABI_FIELD(struct dpu_abi_port_info, speed_mbps, 20);
DPU_ABI_FIELD(struct dpu_abi_port_info, reserved2, 24);
DPU_ABI_FIELD(struct dpu_abi_port_info, name, 28);
DPU_ABI_FIELD(struct dpu_abi_port_info, reserved3, 44);

enum dpu_abi_port_set {
	DPU_ABI_PORT_SET_MTU = 1u << 0,
	DPU_ABI_PORT_SET_MAC = 1u << 1,
	DPU_ABI_PORT_SET_STATE = 1u << 2,
};
#define DPU_ABI_PORT_SET_ALL 0x7u

#define DPU_ABI_MTU_MIN 68
#define DPU_ABI_MTU_MAX 9216

struct dpu_abi_port_config_req {
	uint32_t port_id;
	uint32_t set;      /* DPU_ABI_PORT_SET_*: which fields apply */
	uint16_t mtu;      /* DPU_ABI_MTU_MIN..DPU_ABI_MTU_MAX */
	uint8_t mac[6];    /* unicast, not all-zero */
	uint8_t admin_up;  /* 0 or 1 */
	uint8_t reserved[7];
};
DPU_ABI_LAYOUT(struct dpu_abi_port_config_req, 24);
DPU_ABI_FIELD(struct dpu_abi_port_config_req, port_id, 0);
DPU_ABI_FIELD(struct dpu_abi_port_config_req, set, 4);
DPU_ABI_FIELD(struct dpu_abi_port_config_req, mtu, 8);
DPU_ABI_FIELD(struct dpu_abi_port_config_req, mac, 10);
DPU_ABI_FIELD(struct dpu_abi_port_config_req, admin_up, 16);
DPU_ABI_FIELD(struct dpu_abi_port_config_req, reserved, 17);

/* PORT_STATS request: count, then count uint32_t port ids (padded to 8). */
struct dpu_abi_port_stats_req {
	uint32_t count;
	uint32_t reserved;
	uint32_t port_ids[];
};
DPU_ABI_LAYOUT(struct dpu_abi_port_stats_req, 8);
DPU_ABI_FIELD(struct dpu_abi_port_stats_req, count, 0);
DPU_ABI_FIELD(struct dpu_abi_port_stats_req, reserved, 4);
DPU_ABI_FIELD(struct dpu_abi_port_stats_req, port_ids, 8);

struct dpu_abi_port_stats {
	uint32_t port_id;
	uint32_t reserved;
	uint64_t rx_packets;
	uint64_t rx_bytes;
	uint64_t tx_packets;
	uint64_t tx_bytes;
	uint64_t rx_dropped;
	uint64_t tx_dropped;
	uint64_t rx_errors;     /* malformed frames rejected by the parser */
	uint64_t hw_hits;       /* packets a hardware rule handled */
	uint64_t exceptions;    /* packets sent to software / representor */
};
DPU_ABI_LAYOUT(struct dpu_abi_port_stats, 80);
DPU_ABI_FIELD(struct dpu_abi_port_stats, port_id, 0);
DPU_ABI_FIELD(struct dpu_abi_port_stats, reserved, 4);
DPU_ABI_FIELD(struct dpu_abi_port_stats, rx_packets, 8);
DPU_ABI_FIELD(struct dpu_abi_port_stats, rx_bytes, 16);
DPU_ABI_FIELD(struct dpu_abi_port_stats, tx_packets, 24);
DPU_ABI_FIELD(struct dpu_abi_port_stats, tx_bytes, 32);
DPU_ABI_FIELD(struct dpu_abi_port_stats, rx_dropped, 40);
DPU_ABI_FIELD(struct dpu_abi_port_stats, tx_dropped, 48);
DPU_ABI_FIELD(struct dpu_abi_port_stats, rx_errors, 56);
DPU_ABI_FIELD(struct dpu_abi_port_stats, hw_hits, 64);
DPU_ABI_FIELD(struct dpu_abi_port_stats, exceptions, 72);

/* PORT_STATS response: dpu_abi_list_resp, then count dpu_abi_port_stats. */

#ifdef __cplusplus
}
#endif

#endif /* DPU_ABI_WIRE_H */
