/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * opendpu shared ABI v1: firewall (ACL + conntrack), IPsec, NVMe-oF target
 * configuration, and the card -> host events.
 */
#ifndef DPU_ABI_SERVICES_H
#define DPU_ABI_SERVICES_H

#include "dpu_abi_flow.h"
#include "dpu_abi_wire.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* Firewall: ACL rules                                                 */
/* ------------------------------------------------------------------ */

enum dpu_abi_acl_op_kind {
	DPU_ABI_ACL_ADD = 1,
	DPU_ABI_ACL_DELETE = 2,
	DPU_ABI_ACL_OP_MAX = 3,
};

enum dpu_abi_acl_verdict {
	DPU_ABI_ACL_PERMIT = 0,
	DPU_ABI_ACL_DENY = 1,
	DPU_ABI_ACL_PERMIT_TRACK = 2, /* permit and create a conntrack entry */
	DPU_ABI_ACL_REJECT = 3,       /* deny with TCP RST / ICMP unreachable */
	DPU_ABI_ACL_VERDICT_MAX = 4,
};

#define DPU_ABI_PORT_ANY 0xffffffffu

/*
 * A 5-tuple rule with prefixes and port ranges (rte_acl's model). ip_version
 * 0 matches both families (prefix lengths must then be 0).
 */
struct dpu_abi_acl_rule {
	uint8_t op;          /* enum dpu_abi_acl_op_kind */
	uint8_t verdict;     /* enum dpu_abi_acl_verdict */
	uint16_t zone;       /* conntrack zone for PERMIT_TRACK */
	uint32_t rule_id;    /* host-chosen identity */
	uint32_t priority;   /* lower value = evaluated first */
	uint32_t port_id;    /* ingress port or DPU_ABI_PORT_ANY */
	uint8_t ip_version;  /* 0, 4 or 6 */
	uint8_t proto;       /* IP protocol; ignored when proto_mask is 0 */
	uint8_t proto_mask;  /* 0 or 0xff */
	uint8_t src_plen;    /* 0..32 (v4) / 0..128 (v6) */
	uint8_t dst_plen;
	uint8_t reserved[3];
	uint8_t src[16];     /* bits past the prefix must be zero */
	uint8_t dst[16];
	uint16_t sport_lo;   /* inclusive range, lo <= hi */
	uint16_t sport_hi;
	uint16_t dport_lo;
	uint16_t dport_hi;
};
DPU_ABI_LAYOUT(struct dpu_abi_acl_rule, 64);
DPU_ABI_FIELD(struct dpu_abi_acl_rule, op, 0);
DPU_ABI_FIELD(struct dpu_abi_acl_rule, verdict, 1);
DPU_ABI_FIELD(struct dpu_abi_acl_rule, zone, 2);
DPU_ABI_FIELD(struct dpu_abi_acl_rule, rule_id, 4);
DPU_ABI_FIELD(struct dpu_abi_acl_rule, priority, 8);
DPU_ABI_FIELD(struct dpu_abi_acl_rule, port_id, 12);
DPU_ABI_FIELD(struct dpu_abi_acl_rule, ip_version, 16);
DPU_ABI_FIELD(struct dpu_abi_acl_rule, proto, 17);
DPU_ABI_FIELD(struct dpu_abi_acl_rule, proto_mask, 18);
DPU_ABI_FIELD(struct dpu_abi_acl_rule, src_plen, 19);
DPU_ABI_FIELD(struct dpu_abi_acl_rule, dst_plen, 20);
DPU_ABI_FIELD(struct dpu_abi_acl_rule, reserved, 21);
DPU_ABI_FIELD(struct dpu_abi_acl_rule, src, 24);
DPU_ABI_FIELD(struct dpu_abi_acl_rule, dst, 40);
DPU_ABI_FIELD(struct dpu_abi_acl_rule, sport_lo, 56);
DPU_ABI_FIELD(struct dpu_abi_acl_rule, sport_hi, 58);
DPU_ABI_FIELD(struct dpu_abi_acl_rule, dport_lo, 60);
DPU_ABI_FIELD(struct dpu_abi_acl_rule, dport_hi, 62);

/* ACL_BATCH request: this, then n_rules dpu_abi_acl_rule. */
struct dpu_abi_acl_batch_req {
	uint32_t n_rules;
	uint32_t reserved;
};
DPU_ABI_LAYOUT(struct dpu_abi_acl_batch_req, 8);
DPU_ABI_FIELD(struct dpu_abi_acl_batch_req, n_rules, 0);
DPU_ABI_FIELD(struct dpu_abi_acl_batch_req, reserved, 4);

struct dpu_abi_acl_result {
	uint32_t rule_id;
	uint16_t status; /* enum dpu_abi_status */
	uint16_t reserved;
};
DPU_ABI_LAYOUT(struct dpu_abi_acl_result, 8);
DPU_ABI_FIELD(struct dpu_abi_acl_result, rule_id, 0);
DPU_ABI_FIELD(struct dpu_abi_acl_result, status, 4);
DPU_ABI_FIELD(struct dpu_abi_acl_result, reserved, 6);

/* ACL_BATCH response: dpu_abi_flow_batch_resp-shaped counts, then results. */
struct dpu_abi_acl_batch_resp {
	uint32_t n_results;
	uint32_t n_failed;
};
DPU_ABI_LAYOUT(struct dpu_abi_acl_batch_resp, 8);
DPU_ABI_FIELD(struct dpu_abi_acl_batch_resp, n_results, 0);
DPU_ABI_FIELD(struct dpu_abi_acl_batch_resp, n_failed, 4);

/* ------------------------------------------------------------------ */
/* Firewall: conntrack zones                                           */
/* ------------------------------------------------------------------ */

/* Timeout slots, in seconds (nf_conntrack's defaults when 0). */
enum dpu_abi_ct_timeout {
	DPU_ABI_CTT_TCP_SYN_SENT = 0,
	DPU_ABI_CTT_TCP_SYN_RECV = 1,
	DPU_ABI_CTT_TCP_ESTABLISHED = 2,
	DPU_ABI_CTT_TCP_FIN_WAIT = 3,
	DPU_ABI_CTT_TCP_CLOSE_WAIT = 4,
	DPU_ABI_CTT_TCP_LAST_ACK = 5,
	DPU_ABI_CTT_TCP_TIME_WAIT = 6,
	DPU_ABI_CTT_TCP_CLOSE = 7,
	DPU_ABI_CTT_UDP_UNREPLIED = 8,
	DPU_ABI_CTT_UDP_REPLIED = 9,
	DPU_ABI_CTT_ICMP = 10,
	DPU_ABI_CTT_GENERIC = 11,
	DPU_ABI_CTT_MAX = 12,
};

#define DPU_ABI_CT_TIMEOUT_MAX (7u * 86400u)

struct dpu_abi_ct_zone {
	uint16_t zone;
	uint16_t reserved;
	uint32_t max_entries; /* 0: card default */
	uint32_t timeouts[DPU_ABI_CTT_MAX];
};
DPU_ABI_LAYOUT(struct dpu_abi_ct_zone, 56);
DPU_ABI_FIELD(struct dpu_abi_ct_zone, zone, 0);
DPU_ABI_FIELD(struct dpu_abi_ct_zone, reserved, 2);
DPU_ABI_FIELD(struct dpu_abi_ct_zone, max_entries, 4);
DPU_ABI_FIELD(struct dpu_abi_ct_zone, timeouts, 8);

/* CT_ZONE_SET request: dpu_abi_ct_zone. CT_ZONE_LIST response:
 * dpu_abi_list_resp then dpu_abi_ct_zone entries. */

/* CT_ZONE_DEL and CT_FLUSH. */
struct dpu_abi_ct_zone_ref {
	uint16_t zone;
	uint16_t flags; /* CT_FLUSH: DPU_ABI_CT_ALL_ZONES flushes every zone */
	uint32_t reserved;
};
DPU_ABI_LAYOUT(struct dpu_abi_ct_zone_ref, 8);
DPU_ABI_FIELD(struct dpu_abi_ct_zone_ref, zone, 0);
DPU_ABI_FIELD(struct dpu_abi_ct_zone_ref, flags, 2);
DPU_ABI_FIELD(struct dpu_abi_ct_zone_ref, reserved, 4);
#define DPU_ABI_CT_ALL_ZONES 1u

struct dpu_abi_count_resp {
	uint32_t count; /* entries affected */
	uint32_t reserved;
};
DPU_ABI_LAYOUT(struct dpu_abi_count_resp, 8);
DPU_ABI_FIELD(struct dpu_abi_count_resp, count, 0);
DPU_ABI_FIELD(struct dpu_abi_count_resp, reserved, 4);

/* ------------------------------------------------------------------ */
/* IPsec                                                               */
/* ------------------------------------------------------------------ */

enum dpu_abi_ipsec_mode {
	DPU_ABI_IPSEC_TUNNEL = 0,
	DPU_ABI_IPSEC_TRANSPORT = 1,
	DPU_ABI_IPSEC_MODE_MAX = 2,
};

enum dpu_abi_ipsec_alg {
	DPU_ABI_IPSEC_AES_GCM_128 = 1, /* RFC 4106, 16-byte ICV */
	DPU_ABI_IPSEC_AES_GCM_256 = 2,
	DPU_ABI_IPSEC_ALG_MAX = 3,
};

enum dpu_abi_sa_flags {
	DPU_ABI_SAF_ESN = 1u << 0,       /* 64-bit extended sequence numbers */
	DPU_ABI_SAF_UDP_ENCAP = 1u << 1, /* ESP in UDP (RFC 3948) */
};
#define DPU_ABI_SAF_ALL 0x3u

#define DPU_ABI_REPLAY_WINDOW_MAX 4096u

struct dpu_abi_sa {
	uint32_t sa_id;      /* host-chosen identity */
	dpu_be32_t spi;      /* != 0 */
	uint8_t dir;         /* enum dpu_abi_ipsec_dir */
	uint8_t mode;        /* enum dpu_abi_ipsec_mode */
	uint8_t ip_version;  /* 4 or 6: of src/dst (the tunnel endpoints) */
	uint8_t alg;         /* enum dpu_abi_ipsec_alg */
	uint8_t flags;       /* enum dpu_abi_sa_flags */
	uint8_t reserved[3];
	uint32_t salt;       /* RFC 4106 4-byte salt */
	uint32_t replay_window; /* packets, 0..DPU_ABI_REPLAY_WINDOW_MAX */
	uint8_t key[32];     /* 16 or 32 bytes by alg; the rest zero */
	uint8_t src[16];
	uint8_t dst[16];
	dpu_be16_t encap_sport; /* UDP_ENCAP only */
	dpu_be16_t encap_dport;
	uint32_t reserved2;
	uint64_t soft_bytes;    /* 0: no limit; soft <= hard when both set */
	uint64_t hard_bytes;
	uint64_t soft_packets;
	uint64_t hard_packets;
};
DPU_ABI_LAYOUT(struct dpu_abi_sa, 128);
DPU_ABI_FIELD(struct dpu_abi_sa, sa_id, 0);
DPU_ABI_FIELD(struct dpu_abi_sa, spi, 4);
DPU_ABI_FIELD(struct dpu_abi_sa, dir, 8);
DPU_ABI_FIELD(struct dpu_abi_sa, mode, 9);
DPU_ABI_FIELD(struct dpu_abi_sa, ip_version, 10);
DPU_ABI_FIELD(struct dpu_abi_sa, alg, 11);
DPU_ABI_FIELD(struct dpu_abi_sa, flags, 12);
DPU_ABI_FIELD(struct dpu_abi_sa, reserved, 13);
DPU_ABI_FIELD(struct dpu_abi_sa, salt, 16);
DPU_ABI_FIELD(struct dpu_abi_sa, replay_window, 20);
DPU_ABI_FIELD(struct dpu_abi_sa, key, 24);
DPU_ABI_FIELD(struct dpu_abi_sa, src, 56);
DPU_ABI_FIELD(struct dpu_abi_sa, dst, 72);
DPU_ABI_FIELD(struct dpu_abi_sa, encap_sport, 88);
DPU_ABI_FIELD(struct dpu_abi_sa, encap_dport, 90);
DPU_ABI_FIELD(struct dpu_abi_sa, reserved2, 92);
DPU_ABI_FIELD(struct dpu_abi_sa, soft_bytes, 96);
DPU_ABI_FIELD(struct dpu_abi_sa, hard_bytes, 104);
DPU_ABI_FIELD(struct dpu_abi_sa, soft_packets, 112);
DPU_ABI_FIELD(struct dpu_abi_sa, hard_packets, 120);

/* SA_DEL, SA_QUERY and SP_DEL name an object by id. */
struct dpu_abi_id_ref {
	uint32_t id;
	uint32_t reserved;
};
DPU_ABI_LAYOUT(struct dpu_abi_id_ref, 8);
DPU_ABI_FIELD(struct dpu_abi_id_ref, id, 0);
DPU_ABI_FIELD(struct dpu_abi_id_ref, reserved, 4);

struct dpu_abi_sa_stats {
	uint32_t sa_id;
	uint32_t reserved;
	uint64_t packets;
	uint64_t bytes;
	uint64_t seq;            /* last sent (OUT) / highest seen (IN) */
	uint64_t replay_errors;
	uint64_t auth_errors;
	uint64_t soft_expired;   /* 0 or 1 */
	uint64_t hard_expired;
};
DPU_ABI_LAYOUT(struct dpu_abi_sa_stats, 64);
DPU_ABI_FIELD(struct dpu_abi_sa_stats, sa_id, 0);
DPU_ABI_FIELD(struct dpu_abi_sa_stats, reserved, 4);
DPU_ABI_FIELD(struct dpu_abi_sa_stats, packets, 8);
DPU_ABI_FIELD(struct dpu_abi_sa_stats, bytes, 16);
DPU_ABI_FIELD(struct dpu_abi_sa_stats, seq, 24);
DPU_ABI_FIELD(struct dpu_abi_sa_stats, replay_errors, 32);
DPU_ABI_FIELD(struct dpu_abi_sa_stats, auth_errors, 40);
DPU_ABI_FIELD(struct dpu_abi_sa_stats, soft_expired, 48);
DPU_ABI_FIELD(struct dpu_abi_sa_stats, hard_expired, 56);

enum dpu_abi_sp_action {
	DPU_ABI_SP_PROTECT = 0, /* apply sa_id */
	DPU_ABI_SP_BYPASS = 1,
	DPU_ABI_SP_DISCARD = 2,
	DPU_ABI_SP_ACTION_MAX = 3,
};

/* Security policy: an ACL-shaped selector bound to an SA (ip xfrm policy). */
struct dpu_abi_sp {
	uint32_t policy_id;
	uint32_t priority;
	uint8_t dir;        /* enum dpu_abi_ipsec_dir */
	uint8_t action;     /* enum dpu_abi_sp_action */
	uint8_t ip_version; /* 4 or 6 */
	uint8_t proto;      /* 0: any */
	uint8_t src_plen;
	uint8_t dst_plen;
	uint16_t reserved;
	uint32_t sa_id;     /* PROTECT only; 0 otherwise */
	uint32_t reserved2;
	uint8_t src[16];
	uint8_t dst[16];
	uint16_t sport_lo;
	uint16_t sport_hi;
	uint16_t dport_lo;
	uint16_t dport_hi;
};
DPU_ABI_LAYOUT(struct dpu_abi_sp, 64);
DPU_ABI_FIELD(struct dpu_abi_sp, policy_id, 0);
DPU_ABI_FIELD(struct dpu_abi_sp, priority, 4);
DPU_ABI_FIELD(struct dpu_abi_sp, dir, 8);
DPU_ABI_FIELD(struct dpu_abi_sp, action, 9);
DPU_ABI_FIELD(struct dpu_abi_sp, ip_version, 10);
DPU_ABI_FIELD(struct dpu_abi_sp, proto, 11);
DPU_ABI_FIELD(struct dpu_abi_sp, src_plen, 12);
DPU_ABI_FIELD(struct dpu_abi_sp, dst_plen, 13);
DPU_ABI_FIELD(struct dpu_abi_sp, reserved, 14);
DPU_ABI_FIELD(struct dpu_abi_sp, sa_id, 16);
DPU_ABI_FIELD(struct dpu_abi_sp, reserved2, 20);
DPU_ABI_FIELD(struct dpu_abi_sp, src, 24);
DPU_ABI_FIELD(struct dpu_abi_sp, dst, 40);
DPU_ABI_FIELD(struct dpu_abi_sp, sport_lo, 56);
DPU_ABI_FIELD(struct dpu_abi_sp, sport_hi, 58);
DPU_ABI_FIELD(struct dpu_abi_sp, dport_lo, 60);
DPU_ABI_FIELD(struct dpu_abi_sp, dport_hi, 62);

/* ------------------------------------------------------------------ */
/* NVMe-oF target                                                      */
/* ------------------------------------------------------------------ */

#define DPU_ABI_NQN_LEN 224  /* NVMe: NQN up to 223 bytes + NUL */
#define DPU_ABI_NVMF_DISCOVERY_NQN "nqn.2014-08.org.nvmexpress.discovery"

enum dpu_abi_nvmf_subsys_flags {
	DPU_ABI_NVMF_ALLOW_ANY_HOST = 1u << 0,
};
#define DPU_ABI_NVMF_SUBSYS_FLAGS_ALL 0x1u

struct dpu_abi_nvmf_subsys {
	char nqn[DPU_ABI_NQN_LEN];
	char serial[20];  /* NVMe SN: printable ASCII */
	char model[40];   /* NVMe MN */
	uint32_t flags;   /* enum dpu_abi_nvmf_subsys_flags */
	uint32_t max_namespaces; /* 0: card default */
	uint16_t n_namespaces;   /* list responses only; 0 in requests */
	uint16_t n_hosts;
	uint16_t n_listeners;
	uint16_t reserved;
	uint32_t reserved2;
};
DPU_ABI_LAYOUT(struct dpu_abi_nvmf_subsys, 304);
DPU_ABI_FIELD(struct dpu_abi_nvmf_subsys, nqn, 0);
DPU_ABI_FIELD(struct dpu_abi_nvmf_subsys, serial, 224);
DPU_ABI_FIELD(struct dpu_abi_nvmf_subsys, model, 244);
DPU_ABI_FIELD(struct dpu_abi_nvmf_subsys, flags, 284);
DPU_ABI_FIELD(struct dpu_abi_nvmf_subsys, max_namespaces, 288);
DPU_ABI_FIELD(struct dpu_abi_nvmf_subsys, n_namespaces, 292);
DPU_ABI_FIELD(struct dpu_abi_nvmf_subsys, n_hosts, 294);
DPU_ABI_FIELD(struct dpu_abi_nvmf_subsys, n_listeners, 296);
DPU_ABI_FIELD(struct dpu_abi_nvmf_subsys, reserved, 298);
DPU_ABI_FIELD(struct dpu_abi_nvmf_subsys, reserved2, 300);

/* SUBSYS_DEL; NS_LIST, HOST_LIST and LISTENER_LIST name their subsystem. */
struct dpu_abi_nvmf_subsys_ref {
	char nqn[DPU_ABI_NQN_LEN];
	struct dpu_abi_list_req list; /* ignored (zero) for SUBSYS_DEL */
};
DPU_ABI_LAYOUT(struct dpu_abi_nvmf_subsys_ref, 232);
DPU_ABI_FIELD(struct dpu_abi_nvmf_subsys_ref, nqn, 0);
DPU_ABI_FIELD(struct dpu_abi_nvmf_subsys_ref, list, 224);

enum dpu_abi_nvmf_backend {
	DPU_ABI_NVMF_BDEV_RAM = 0,  /* zero-filled memory */
	DPU_ABI_NVMF_BDEV_NULL = 1, /* reads zero, writes discarded */
	DPU_ABI_NVMF_BDEV_FILE = 2, /* file or block device via io_uring */
	DPU_ABI_NVMF_BDEV_MAX = 3,
};

#define DPU_ABI_PATH_LEN 256

struct dpu_abi_nvmf_ns {
	char nqn[DPU_ABI_NQN_LEN];
	uint32_t nsid;        /* 1..0xfffffffe */
	uint8_t backend;      /* enum dpu_abi_nvmf_backend */
	uint8_t block_shift;  /* 9..12: 512 B..4 KiB logical blocks */
	uint16_t reserved;
	uint64_t size_bytes;  /* RAM/NULL: size; FILE: 0 = the file's size */
	uint8_t uuid[16];     /* all zero: the card makes one */
	uint8_t nguid[16];
	char path[DPU_ABI_PATH_LEN]; /* FILE only; empty otherwise */
};
DPU_ABI_LAYOUT(struct dpu_abi_nvmf_ns, 528);
DPU_ABI_FIELD(struct dpu_abi_nvmf_ns, nqn, 0);
DPU_ABI_FIELD(struct dpu_abi_nvmf_ns, nsid, 224);
DPU_ABI_FIELD(struct dpu_abi_nvmf_ns, backend, 228);
DPU_ABI_FIELD(struct dpu_abi_nvmf_ns, block_shift, 229);
DPU_ABI_FIELD(struct dpu_abi_nvmf_ns, reserved, 230);
DPU_ABI_FIELD(struct dpu_abi_nvmf_ns, size_bytes, 232);
DPU_ABI_FIELD(struct dpu_abi_nvmf_ns, uuid, 240);
DPU_ABI_FIELD(struct dpu_abi_nvmf_ns, nguid, 256);
DPU_ABI_FIELD(struct dpu_abi_nvmf_ns, path, 272);

struct dpu_abi_nvmf_ns_ref {
	char nqn[DPU_ABI_NQN_LEN];
	uint32_t nsid;
	uint32_t reserved;
};
DPU_ABI_LAYOUT(struct dpu_abi_nvmf_ns_ref, 232);
DPU_ABI_FIELD(struct dpu_abi_nvmf_ns_ref, nqn, 0);
DPU_ABI_FIELD(struct dpu_abi_nvmf_ns_ref, nsid, 224);
DPU_ABI_FIELD(struct dpu_abi_nvmf_ns_ref, reserved, 228);

/* HOST_ADD / HOST_DEL; HOST_LIST entries. */
struct dpu_abi_nvmf_host {
	char nqn[DPU_ABI_NQN_LEN];      /* subsystem */
	char host_nqn[DPU_ABI_NQN_LEN]; /* allowed initiator */
};
DPU_ABI_LAYOUT(struct dpu_abi_nvmf_host, 448);
DPU_ABI_FIELD(struct dpu_abi_nvmf_host, nqn, 0);
DPU_ABI_FIELD(struct dpu_abi_nvmf_host, host_nqn, 224);

enum dpu_abi_nvmf_adrfam {
	DPU_ABI_NVMF_ADRFAM_IPV4 = 1, /* NVMe ADRFAM values */
	DPU_ABI_NVMF_ADRFAM_IPV6 = 2,
};

#define DPU_ABI_TRADDR_LEN 48

/* LISTENER_ADD / LISTENER_DEL; LISTENER_LIST entries. TCP only in v1. */
struct dpu_abi_nvmf_listener {
	char nqn[DPU_ABI_NQN_LEN]; /* subsystem (may be the discovery NQN) */
	uint8_t adrfam;            /* enum dpu_abi_nvmf_adrfam */
	uint8_t reserved;
	uint16_t port;             /* trsvcid, 1..65535 */
	uint32_t reserved2;
	char traddr[DPU_ABI_TRADDR_LEN]; /* numeric address */
};
DPU_ABI_LAYOUT(struct dpu_abi_nvmf_listener, 280);
DPU_ABI_FIELD(struct dpu_abi_nvmf_listener, nqn, 0);
DPU_ABI_FIELD(struct dpu_abi_nvmf_listener, adrfam, 224);
DPU_ABI_FIELD(struct dpu_abi_nvmf_listener, reserved, 225);
DPU_ABI_FIELD(struct dpu_abi_nvmf_listener, port, 226);
DPU_ABI_FIELD(struct dpu_abi_nvmf_listener, reserved2, 228);
DPU_ABI_FIELD(struct dpu_abi_nvmf_listener, traddr, 232);

/* ------------------------------------------------------------------ */
/* Events (card -> host)                                               */
/* ------------------------------------------------------------------ */

/* EVT_FLOW_AGED: this, then count dpu_abi_flow_id. */
struct dpu_abi_evt_flow_aged {
	uint32_t count;
	uint32_t reserved;
};
DPU_ABI_LAYOUT(struct dpu_abi_evt_flow_aged, 8);
DPU_ABI_FIELD(struct dpu_abi_evt_flow_aged, count, 0);
DPU_ABI_FIELD(struct dpu_abi_evt_flow_aged, reserved, 4);

struct dpu_abi_evt_port_state {
	uint32_t port_id;
	uint8_t oper_up;  /* 0 or 1 */
	uint8_t admin_up; /* 0 or 1 */
	uint16_t reserved;
};
DPU_ABI_LAYOUT(struct dpu_abi_evt_port_state, 8);
DPU_ABI_FIELD(struct dpu_abi_evt_port_state, port_id, 0);
DPU_ABI_FIELD(struct dpu_abi_evt_port_state, oper_up, 4);
DPU_ABI_FIELD(struct dpu_abi_evt_port_state, admin_up, 5);
DPU_ABI_FIELD(struct dpu_abi_evt_port_state, reserved, 6);

enum dpu_abi_sa_expiry {
	DPU_ABI_SA_SOFT_BYTES = 0,
	DPU_ABI_SA_SOFT_PACKETS = 1,
	DPU_ABI_SA_HARD_BYTES = 2,
	DPU_ABI_SA_HARD_PACKETS = 3,
	DPU_ABI_SA_SEQ_OVERFLOW = 4,
	DPU_ABI_SA_EXPIRY_MAX = 5,
};

struct dpu_abi_evt_sa_expiring {
	uint32_t sa_id;
	uint32_t kind; /* enum dpu_abi_sa_expiry */
};
DPU_ABI_LAYOUT(struct dpu_abi_evt_sa_expiring, 8);
DPU_ABI_FIELD(struct dpu_abi_evt_sa_expiring, sa_id, 0);
DPU_ABI_FIELD(struct dpu_abi_evt_sa_expiring, kind, 4);

enum dpu_abi_err_domain {
	DPU_ABI_ERRD_CARD = 0,
	DPU_ABI_ERRD_PORT = 1,
	DPU_ABI_ERRD_FLOW = 2,
	DPU_ABI_ERRD_FIREWALL = 3,
	DPU_ABI_ERRD_IPSEC = 4,
	DPU_ABI_ERRD_NVMF = 5,
	DPU_ABI_ERRD_TRANSPORT = 6,
	DPU_ABI_ERRD_MAX = 7,
};

struct dpu_abi_evt_error {
	uint32_t domain;  /* enum dpu_abi_err_domain */
	uint16_t status;  /* enum dpu_abi_status */
	uint16_t reserved;
	uint64_t object;  /* port id, sa id, ... as the domain says */
	char text[112];
};
DPU_ABI_LAYOUT(struct dpu_abi_evt_error, 128);
DPU_ABI_FIELD(struct dpu_abi_evt_error, domain, 0);
DPU_ABI_FIELD(struct dpu_abi_evt_error, status, 4);
DPU_ABI_FIELD(struct dpu_abi_evt_error, reserved, 6);
DPU_ABI_FIELD(struct dpu_abi_evt_error, object, 8);
DPU_ABI_FIELD(struct dpu_abi_evt_error, text, 16);

enum dpu_abi_reset_reason {
	DPU_ABI_RESET_REQUESTED = 0, /* CARD_RESET from the host */
	DPU_ABI_RESET_RESTART = 1,   /* firmware restarted */
	DPU_ABI_RESET_FATAL = 2,     /* firmware recovered from an error */
	DPU_ABI_RESET_REASON_MAX = 3,
};

struct dpu_abi_evt_card_reset {
	uint32_t old_epoch;
	uint32_t new_epoch;
	uint32_t reason; /* enum dpu_abi_reset_reason */
	uint32_t reserved;
};
DPU_ABI_LAYOUT(struct dpu_abi_evt_card_reset, 16);
DPU_ABI_FIELD(struct dpu_abi_evt_card_reset, old_epoch, 0);
DPU_ABI_FIELD(struct dpu_abi_evt_card_reset, new_epoch, 4);
DPU_ABI_FIELD(struct dpu_abi_evt_card_reset, reason, 8);
DPU_ABI_FIELD(struct dpu_abi_evt_card_reset, reserved, 12);

#ifdef __cplusplus
}
#endif

#endif /* DPU_ABI_SERVICES_H */
