/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sim_esw.h - the software eSwitch: the simulated card's flow hardware.
 *
 * Rules are programmed through the HAL (provider "sim", see dpu_hal.h and
 * sim_esw_hal_class); packets go through sim_esw_process_burst() on one
 * dataplane thread, which reads the tables lock-free (RCU, rte_rcu_qsbr)
 * while the control thread changes them.
 *
 * Threading contract: all control calls (HAL calls, meter/aging, stats)
 * from one thread at a time; process_burst from one registered dataplane
 * worker per eSwitch (it owns the rule counters, so they need no atomics).
 */
#ifndef SIM_ESW_H
#define SIM_ESW_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>
#include <rte_ring.h>

#include "dpu_hal.h"

#ifdef __cplusplus
extern "C" {
#endif

struct sim_esw;
struct sim_esw_worker;

/** Monotonic clock used for counters' last hit, aging and meters. */
typedef uint64_t (*sim_esw_clock_fn)(void *arg);

struct sim_esw_conf {
	const char *name;	/* for logs (DPDK object names get a unique id) */
	uint16_t nb_ports;	/* valid port ids are 0..nb_ports-1 */
	uint32_t max_rules;	/* total capacity (default 1M) */
	uint32_t max_group_rules; /* per-group default capacity (default max_rules) */
	uint32_t max_groups;	/* group ids 0..max_groups-1 (default 64) */
	uint32_t max_priority;	/* priorities 0..max_priority (default 65535) */
	uint32_t max_meters;	/* meter ids 0..max_meters-1 (default 256) */
	uint32_t nb_queues;	/* async queues (default 4) */
	uint32_t queue_depth;	/* ops per async queue between pushes (default 65536) */
	uint32_t sw_ring_size;	/* exception ring entries, power of 2 (default 4096) */
	uint32_t max_workers;	/* dataplane threads known to RCU (default 4) */
	uint32_t initial_table_size; /* rules a new subtable holds before it doubles (default 256) */
	struct rte_mempool *pool; /* for SAMPLE/mirror copies (NULL: SAMPLE copies fail) */
	sim_esw_clock_fn clock;	/* NULL: TSC */
	void *clock_arg;
	uint64_t clock_hz;	/* ticks per second of clock (0: TSC hz) */
	int socket_id;
};

/** Why a packet reached the exception (to-software) ring. */
enum sim_sw_reason {
	SIM_SW_MISS = 1,	/* table miss with miss = TO_SW */
	SIM_SW_ACTION,		/* TO_SW action (user reason in sim_swmeta.user_reason) */
	SIM_SW_SAMPLE,		/* sampled copy */
	SIM_SW_TTL,		/* DEC_TTL on TTL <= 1: software answers (ICMP) */
	SIM_SW_UNPARSED,	/* could not be made contiguous */
};

/** Metadata attached (mbuf dynfield) to packets on the exception ring. */
struct sim_swmeta {
	uint16_t reason;	/* enum sim_sw_reason */
	uint16_t user_reason;	/* TO_SW conf reason */
	uint16_t in_port;
	uint16_t pad;
	uint32_t group;		/* group where it left the tables */
	uint32_t cookie;	/* TO_SW conf cookie */
	uint32_t meta;		/* META register */
	uint32_t mark;		/* MARK (also in mbuf hash.fdir.hi) */
};

/** Metadata a software stage sets when it reinjects a packet. */
struct sim_pkt_meta {
	uint32_t meta;
	uint32_t mark;
	uint32_t tag[2];
	uint8_t ct_state;
	uint16_t ct_zone;
	uint32_t ct_mark;
};

/** Output of a burst: packets to transmit and their egress ports. */
struct sim_esw_out {
	struct rte_mbuf **pkts;
	uint16_t *port;
	uint16_t n;
	uint16_t cap;
};

struct sim_esw_stats {
	uint64_t rx;		/* packets entering process_burst */
	uint64_t hit;		/* rule hits (a jump chain counts each table) */
	uint64_t miss;
	uint64_t tx;		/* packets put in sim_esw_out */
	uint64_t to_sw;
	uint64_t drop;		/* DROP action or miss=DROP */
	uint64_t drop_meter;
	uint64_t drop_ring_full;
	uint64_t drop_out_full;
	uint64_t drop_no_headroom;
	uint64_t sample_fail;
	uint32_t rules;
	uint32_t subtables;
	uint32_t groups;
	uint32_t actprogs;	/* distinct (deduplicated) action programs */
	uint64_t rcu_pending;	/* deferred frees waiting for a grace period */
};

/** Create an eSwitch.  Requires an initialised DPDK EAL. */
int sim_esw_create(const struct sim_esw_conf *conf, struct sim_esw **esw,
		   struct dpu_hal_error *err);
/** Destroy: waits for registered workers to be offline; frees everything. */
void sim_esw_destroy(struct sim_esw *esw);

/**
 * Mempool for mirror/sample copies, when it exists only after the eSwitch
 * (a card creates its port pools later). Set before rules that mirror.
 */
void sim_esw_set_copy_pool(struct sim_esw *esw, struct rte_mempool *pool);

/** Per-group capacity (0 = back to the default). */
int sim_esw_set_group_limit(struct sim_esw *esw, uint32_t group, uint32_t max_rules,
			    struct dpu_hal_error *err);

/**
 * Register the calling dataplane thread as RCU reader `id` (< max_workers).
 * One worker at a time per eSwitch (it owns the rule counters): NULL if one
 * exists.  The RCU ids leave room for readers that only look up.
 */
struct sim_esw_worker *sim_esw_worker_create(struct sim_esw *esw, unsigned int id);
void sim_esw_worker_destroy(struct sim_esw_worker *wk);
/** Idle workers go offline so writers do not wait for them. */
void sim_esw_worker_offline(struct sim_esw_worker *wk);
void sim_esw_worker_online(struct sim_esw_worker *wk);

/**
 * Run packets through the tables (internally in bursts of 64).  Forwarded packets (and mirror
 * copies) are appended to out; dropped packets are freed; exception
 * packets go to the to-software ring.  Reports a quiescent state at the
 * end.  Returns the number of packets appended to out.
 */
uint16_t sim_esw_process_burst(struct sim_esw_worker *wk, struct rte_mbuf **pkts,
			       uint16_t n, struct sim_esw_out *out);
/** Same with per-packet metadata (reinjection after software conntrack). */
uint16_t sim_esw_inject_burst(struct sim_esw_worker *wk, struct rte_mbuf **pkts,
			      const struct sim_pkt_meta *meta, uint16_t n,
			      struct sim_esw_out *out);

/**
 * Classify pre-parsed flow keys (struct sim_key, sim/esw/esw_key.h) in one
 * group: no actions, no counters.  For benchmarks and diagnostics.
 */
void sim_esw_lookup_keys(struct sim_esw_worker *wk, uint32_t group, const void *const *keys,
			 uint16_t n, struct dpu_hal_flow **flows);

/** The exception ring (mbufs carry struct sim_swmeta, see sim_esw_swmeta()). */
struct rte_ring *sim_esw_sw_ring(struct sim_esw *esw);
const struct sim_swmeta *sim_esw_swmeta(const struct rte_mbuf *m);

void sim_esw_get_stats(struct sim_esw *esw, struct sim_esw_stats *st);

/** Run deferred frees whose grace period is over; returns what is still pending. */
uint64_t sim_esw_reclaim(struct sim_esw *esw);

/** Scan AGE rules now; events go to the callback (if any) and to the aged list. */
typedef void (*sim_esw_age_cb)(void *arg, void *context);
void sim_esw_set_age_cb(struct sim_esw *esw, sim_esw_age_cb cb, void *arg);
int sim_esw_age_poll(struct sim_esw *esw);

/** Called once per destroyed rule, after its grace period, with final counters. */
typedef void (*sim_esw_reclaim_cb)(void *arg, struct dpu_hal_flow *flow,
				   uint64_t hits, uint64_t bytes);
void sim_esw_set_reclaim_cb(struct sim_esw *esw, sim_esw_reclaim_cb cb, void *arg);

/** Memory held by rules and tables (DPDK heap + own slabs), for reporting. */
uint64_t sim_esw_mem_bytes(struct sim_esw *esw);

/** The HAL provider ("sim"); open args: "ports=N,max_rules=N,..." */
extern const struct dpu_hal_class sim_esw_hal_class;
/** Wrap an existing eSwitch in a HAL dev (the dev does not own it). */
int sim_esw_hal_attach(struct sim_esw *esw, struct dpu_hal_dev **dev);
/** The eSwitch behind a HAL dev of class "sim". */
struct sim_esw *sim_esw_from_hal(struct dpu_hal_dev *dev);

#ifdef __cplusplus
}
#endif

#endif /* SIM_ESW_H */
