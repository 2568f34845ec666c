/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * NVMe-oF/TCP target: lifecycle and configuration API.
 *
 * The parameter structs map 1:1 onto the host<->card ABI structs
 * (struct dpu_abi_nvmf_* in shared-abi/include/dpu_abi_services.h): same
 * field names, same sizes, same enum values, so the ABI server copies
 * fields across without translation. All functions are thread-safe and
 * may be called while the target serves I/O, but not from the target's own
 * reactor threads (some wait for the reactors, e.g. to retire a namespace
 * safely). Errors are negative errno; the reason (naming the offending
 * field) goes to the target's log hook.
 */
#ifndef NVMF_TGT_H
#define NVMF_TGT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nvmf_spec.h"

#ifdef __cplusplus
extern "C" {
#endif

struct nvmf_tgt;

enum nvmf_log_level { NVMF_LOG_ERR = 0, NVMF_LOG_WARN, NVMF_LOG_INFO, NVMF_LOG_DEBUG };

typedef void (*nvmf_log_fn)(void *ctx, enum nvmf_log_level lvl, const char *msg);

struct nvmf_tgt_opts {
	unsigned int n_reactors;      /* reactor threads (default 2) */
	int first_cpu;                /* pin reactor i to first_cpu + i; -1: no pinning */
	bool busy_poll;               /* never block in epoll_wait (benchmarks only) */
	uint32_t max_io_size;         /* MDTS in bytes, power of two >= 4096 (default 128 KiB) */
	uint32_t in_capsule_data_size;/* I/O queue in-capsule data (default 8 KiB) */
	uint32_t maxh2cdata;          /* ICResp MAXH2CDATA (default 128 KiB, >= 4096) */
	uint16_t max_queue_depth;     /* I/O queue entries, MQES + 1 (default 128) */
	uint16_t max_io_queues;       /* per controller (default 64) */
	bool c2h_success;             /* SUCCESS flag on last C2HData when SQ flow control is off */
	uint32_t kato_default_ms;     /* admin Connect with KATO 0 on a non-discovery ctrlr keeps 0 */
	nvmf_log_fn log;              /* NULL: stderr for WARN and worse */
	void *log_ctx;
	enum nvmf_log_level log_level;
};

/** Fill @opts with the daemon defaults (blocking reactors, no pinning). */
void nvmf_tgt_opts_default(struct nvmf_tgt_opts *opts);

/** Create a target and start its reactor threads. */
int nvmf_tgt_create(const struct nvmf_tgt_opts *opts, struct nvmf_tgt **out);

/** Disconnect everything, stop the reactors and free the target. */
void nvmf_tgt_destroy(struct nvmf_tgt *tgt);

/* ---- subsystems (struct dpu_abi_nvmf_subsys) ---- */

enum nvmf_subsys_flags {
	NVMF_SUBSYS_ALLOW_ANY_HOST = 1u << 0, /* = DPU_ABI_NVMF_ALLOW_ANY_HOST */
};

struct nvmf_subsys_params {
	char nqn[NVMF_NQN_LEN];
	char serial[20];          /* printable ASCII, not NUL-terminated when full */
	char model[40];
	uint32_t flags;           /* enum nvmf_subsys_flags */
	uint32_t max_namespaces;  /* 0: default (32) */
	/* list output only */
	uint16_t n_namespaces;
	uint16_t n_hosts;
	uint16_t n_listeners;
};

/** Add an NVM subsystem. -EEXIST if the NQN is taken. */
int nvmf_subsystem_add(struct nvmf_tgt *tgt, const struct nvmf_subsys_params *p);
/** Delete a subsystem; its controllers are disconnected. */
int nvmf_subsystem_del(struct nvmf_tgt *tgt, const char *nqn);
/**
 * Copy up to @max subsystems starting at index @start into @out.
 * Returns the number copied; *total (if non-NULL) gets the full count.
 */
int nvmf_subsystem_list(struct nvmf_tgt *tgt, struct nvmf_subsys_params *out,
			uint32_t start, uint32_t max, uint32_t *total);

/* ---- namespaces (struct dpu_abi_nvmf_ns) ---- */

enum nvmf_backend {
	NVMF_BDEV_RAM = 0,
	NVMF_BDEV_NULL = 1,
	NVMF_BDEV_FILE = 2,
	NVMF_BDEV_MAX = 3,
};

struct nvmf_ns_params {
	char nqn[NVMF_NQN_LEN];
	uint32_t nsid;           /* 1..0xfffffffe; 0 on add: lowest free (written back) */
	uint8_t backend;         /* enum nvmf_backend */
	uint8_t block_shift;     /* 9..12; 0: 12 (or the file's) */
	uint64_t size_bytes;     /* RAM/NULL: size; FILE: 0 = file/device size */
	uint8_t uuid[16];        /* all zero: generated */
	uint8_t nguid[16];       /* all zero: generated */
	char path[256];          /* FILE only */
};

/** Add a namespace; controllers of the subsystem get a namespace-change AEN. */
int nvmf_ns_add(struct nvmf_tgt *tgt, struct nvmf_ns_params *p);
int nvmf_ns_del(struct nvmf_tgt *tgt, const char *nqn, uint32_t nsid);
int nvmf_ns_list(struct nvmf_tgt *tgt, const char *nqn, struct nvmf_ns_params *out,
		 uint32_t start, uint32_t max, uint32_t *total);

/* ---- allowed hosts (struct dpu_abi_nvmf_host) ---- */

struct nvmf_host_params {
	char nqn[NVMF_NQN_LEN];      /* subsystem */
	char host_nqn[NVMF_NQN_LEN]; /* allowed initiator */
};

int nvmf_host_add(struct nvmf_tgt *tgt, const struct nvmf_host_params *p);
int nvmf_host_del(struct nvmf_tgt *tgt, const struct nvmf_host_params *p);
int nvmf_host_list(struct nvmf_tgt *tgt, const char *nqn, struct nvmf_host_params *out,
		   uint32_t start, uint32_t max, uint32_t *total);

/* ---- listeners (struct dpu_abi_nvmf_listener) ---- */

struct nvmf_listener_params {
	char nqn[NVMF_NQN_LEN];  /* subsystem, or NVMF_DISCOVERY_NQN */
	uint8_t adrfam;          /* NVMF_ADRFAM_IPV4 / _IPV6 */
	uint16_t port;           /* 0 on add: ephemeral, written back */
	char traddr[48];         /* numeric address */
};

/**
 * Make subsystem @p->nqn reachable at traddr:port. The socket is shared by
 * every subsystem on the same address; the discovery subsystem answers on
 * all of them.
 */
int nvmf_listener_add(struct nvmf_tgt *tgt, struct nvmf_listener_params *p);
int nvmf_listener_del(struct nvmf_tgt *tgt, const struct nvmf_listener_params *p);
/**
 * Advertise a different address for the listener bound at @p->traddr:@p->port
 * (@p->adrfam; @p->nqn is ignored): discovery log entries for it then carry
 * @adv's ADRFAM/TRADDR/TRSVCID instead of the bound ones (@adv->nqn is
 * ignored). For a target that hosts reach through NAT or a port forward, or
 * that is bound to a wildcard address. A property of the listener socket, so
 * of every subsystem on it; @adv NULL (or traddr "" and port 0) advertises
 * the bound address again; @adv->port 0 keeps the bound port. Bumps genctr.
 * Not carried by the ABI listener struct (the daemon config sets it).
 * -ENOENT if nothing listens at @p, -EINVAL for a non-numeric @adv->traddr.
 */
int nvmf_listener_advertise(struct nvmf_tgt *tgt, const struct nvmf_listener_params *p,
			    const struct nvmf_listener_params *adv);
int nvmf_listener_list(struct nvmf_tgt *tgt, const char *nqn, struct nvmf_listener_params *out,
		       uint32_t start, uint32_t max, uint32_t *total);

/* ---- counters ---- */

struct nvmf_tgt_stats {
	uint64_t conns_accepted;
	uint64_t conns_active;
	uint64_t pdu_errors;       /* malformed PDUs (connection terminated) */
	uint64_t hdgst_errors;
	uint64_t ddgst_errors;
	uint64_t ka_timeouts;
	uint64_t cmds;
	uint64_t connect_rejects;
};

void nvmf_tgt_get_stats(struct nvmf_tgt *tgt, struct nvmf_tgt_stats *st);

#ifdef __cplusplus
}
#endif

#endif /* NVMF_TGT_H */
