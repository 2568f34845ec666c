/* SPDX-License-Identifier: BSD-3-Clause */
/* Internal structures of the software eSwitch (see docs/esw.md). */
#ifndef SIM_ESW_INTERNAL_H
#define SIM_ESW_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <rte_hash_crc.h>
#include <rte_meter.h>
#include <rte_rcu_qsbr.h>

#include "esw_emt.h"
#include "esw_key.h"
#include "sim_esw.h"

#define SIM_BURST_MAX 64
_Static_assert(SIM_BURST_MAX <= 64, "hit masks are 64 bits");

/* ------------------------------------------------------- action programs */

enum sim_opcode {
	SIM_OP_MARK = 1,
	SIM_OP_SET_META,
	SIM_OP_SET_TAG,
	SIM_OP_PUSH_VLAN,
	SIM_OP_POP_VLAN,
	SIM_OP_SET_VLAN_VID,
	SIM_OP_SET_VLAN_PCP,
	SIM_OP_ENCAP,
	SIM_OP_DECAP,
	SIM_OP_SET_MAC_SRC,
	SIM_OP_SET_MAC_DST,
	SIM_OP_SET_IPV4_SRC,
	SIM_OP_SET_IPV4_DST,
	SIM_OP_SET_IPV6_SRC,
	SIM_OP_SET_IPV6_DST,
	SIM_OP_SET_TP_SRC,
	SIM_OP_SET_TP_DST,
	SIM_OP_DEC_TTL,
	SIM_OP_METER,
	SIM_OP_SAMPLE,
};

/* One instruction; bytes that do not fit (MACs, IPv6, encap) live in data[]. */
struct sim_op {
	uint8_t code;
	uint8_t idx;		/* tag index / sample fate */
	uint16_t u16;		/* be16 values (tci, tpid, port) */
	uint32_t u32;		/* mark, meta, ipv4, meter id, ratio, port */
	uint32_t mask;		/* meta/tag mask, sample cookie */
	uint16_t data_off;	/* into prog->data */
	uint16_t data_len;
};

enum sim_fate {
	SIM_FATE_PORT = 1,
	SIM_FATE_DROP,
	SIM_FATE_JUMP,
	SIM_FATE_TO_SW,
};

#define SIM_PROG_F_REPARSE	0x01	/* headers change before a JUMP */
#define SIM_PROG_F_COUNT	0x02
#define SIM_PROG_F_AGE		0x04

/* The part of a program that, with ops and data, is compared for dedup. */
struct sim_prog_hdr {
	uint8_t fate;
	uint8_t nops;
	uint8_t flags;
	uint8_t pad;
	uint32_t fate_arg;	/* port / group / user reason */
	uint32_t cookie;	/* TO_SW cookie */
	uint32_t data_len;
};

/*
 * An action program, shared by every rule with identical actions
 * (deduplicated by content), so a rule body is a pointer, not a copy.
 */
struct sim_prog {
	/* control-only */
	struct sim_prog *hnext;
	uint32_t refcnt;
	uint32_t hash;
	uint32_t body_len;	/* bytes from .fate to the end of data */
	/* body: compared for dedup */
	union {
		struct sim_prog_hdr hdr;
		struct {
			uint8_t fate;
			uint8_t nops;
			uint8_t flags;
			uint8_t pad;
			uint32_t fate_arg;
			uint32_t cookie;
			uint32_t data_len;
		};
	};
	struct sim_op ops[];	/* nops ops, then data_len bytes of data */
};

#define SIM_PROG_DATA_MAX 512

static inline const uint8_t *
sim_prog_data(const struct sim_prog *p)
{
	return (const uint8_t *)&p->ops[p->nops];
}

/* A program while it is being compiled (fixed room, packed when stored). */
struct sim_prog_tmpl {
	struct sim_prog_hdr hdr;
	struct sim_op ops[DPU_HAL_MAX_ACTIONS * 2];
	uint8_t data[SIM_PROG_DATA_MAX];
};

/* ----------------------------------------------------------------- rules */

struct sim_matcher;

/* Parts of a rule only some rules need (AGE, counter reset, async). */
struct sim_rule_ext {
	uint64_t base_hits, base_bytes;	/* subtracted after a reset */
	void *age_ctx;
	uint64_t age_timeout;		/* ticks */
	uint64_t age_reported_at;	/* last_hit when reported (0: armed) */
	struct sim_rule *age_prev, *age_next;
	uint32_t meter_id;		/* +1, 0 = none */
};

/*
 * A rule body: 72 bytes, key first (a lookup compares it, then counts and
 * runs the program: one or two cache lines).  Its subtable key (the folded,
 * masked key words) lives here, inline when it is 16 bytes (most shapes),
 * else in a separate allocation; the subtable's table holds only {rule,
 * signature}.  Counters are written by the single dataplane thread without
 * atomics and read relaxed by the control thread.
 */
struct sim_rule {
	union {
		uint64_t key[2];	/* nslots <= 2 */
		uint64_t *kext;		/* SIM_RULE_F_KEXT: nslots words */
	};
	uint64_t hits;
	uint64_t bytes;
	uint64_t last_hit;
	const struct sim_prog *prog;
	struct sim_matcher *m;		/* NULL: not (yet) in a table */
	struct sim_rule_ext *ext;
	uint32_t sig;			/* table signature of the key */
	uint32_t flags;
};

#define SIM_RULE_F_LIVE		0x01	/* in a table */
#define SIM_RULE_F_PENDING	0x02	/* queued in an async queue */
#define SIM_RULE_F_DEAD		0x04	/* destroyed, waiting for reclaim */
#define SIM_RULE_F_KEXT		0x08	/* key in kext, of the words below */
#define SIM_RULE_KEXT_WORDS_SHIFT	8
#define SIM_RULE_KEXT_WORDS_MASK	0xff00u
#define SIM_RULE_KEXT_WORDS(r)	(((r)->flags & SIM_RULE_KEXT_WORDS_MASK) >> SIM_RULE_KEXT_WORDS_SHIFT)

static inline const uint64_t *
sim_emt_rule_key(const struct sim_rule *r, unsigned int nslots)
{
	return nslots <= 2 ? r->key : r->kext;
}

/* ------------------------------------------------------------- subtables */

#define SIM_FILTER_SIZE 4096
#define SIM_FILTER_MAX_RULES (SIM_FILTER_SIZE / 8)	/* ~12% false positives at most */

static inline unsigned int
sim_filter_idx(uint32_t sig)
{
	return sig >> 20;
}

static inline uint64_t
sim_rotl(uint64_t x, unsigned int r)
{
	return (x << r) | (x >> ((64 - r) & 63));
}

/*
 * A subtable's key is the masked words of the flow key, folded: words whose
 * (rotated) masks do not overlap are OR-ed into one slot (lossless), and the slot
 * count is padded to a multiple of two (a 16-byte key, the common case,
 * is compared with two XORs).  A 5-tuple becomes 16 bytes.
 */
struct sim_matcher {
	struct sim_emt *t;		/* published with release, read with acquire */
	uint8_t nwords;			/* key words used */
	uint8_t nslots;			/* 8-byte slots in the table key */
	uint8_t widx[SIM_KEY_WORDS];
	uint8_t wslot[SIM_KEY_WORDS];
	uint8_t wrot[SIM_KEY_WORDS];	/* left rotation into the slot */
	uint8_t slot_end[SIM_KEY_WORDS];	/* words are sorted by slot */
	/*
	 * Fast shape: 2 slots of at most 3 words each (5-tuples, most ACLs):
	 * a fixed, branch-free gather; unused entries have mask 0.
	 */
	uint8_t fast2;
	uint8_t f_idx[2][3];
	uint8_t f_rot[2][3];
	uint64_t f_mask[2][3];
	/*
	 * Presence filter: a counting filter over 12 signature bits, consulted
	 * before the table lookup while the subtable is small enough for it
	 * to reject most misses (wildcard tables walk several subtables per
	 * packet; most are misses).  Counters saturate at 255 and then stay.
	 */
	uint8_t use_filter;
	uint8_t filt[SIM_FILTER_SIZE];
	uint64_t wmask[SIM_KEY_WORDS];
	/* control-only */
	struct sim_matcher *hnext;
	struct sim_key mask;		/* full mask (identity) */
	uint32_t group;
	uint32_t prio;
	uint64_t seq;			/* creation order: tie-break among equal prio */
	uint32_t nrules;
	uint32_t npending;		/* async creates queued for it */
	uint32_t ntomb;			/* deleted entries still in t */
	uint32_t hash;
};

static inline uint32_t
sim_gather2(const struct sim_matcher *m, const struct sim_key *k, uint64_t *out)
{
	uint64_t a = sim_rotl(k->w[m->f_idx[0][0]] & m->f_mask[0][0], m->f_rot[0][0]) |
		     sim_rotl(k->w[m->f_idx[0][1]] & m->f_mask[0][1], m->f_rot[0][1]) |
		     sim_rotl(k->w[m->f_idx[0][2]] & m->f_mask[0][2], m->f_rot[0][2]);
	uint64_t b = sim_rotl(k->w[m->f_idx[1][0]] & m->f_mask[1][0], m->f_rot[1][0]) |
		     sim_rotl(k->w[m->f_idx[1][1]] & m->f_mask[1][1], m->f_rot[1][1]) |
		     sim_rotl(k->w[m->f_idx[1][2]] & m->f_mask[1][2], m->f_rot[1][2]);

	out[0] = a;
	out[1] = b;
	return rte_hash_crc_8byte(b, rte_hash_crc_8byte(a, 0xffffffff));
}

/* Build the table key of k for m into out[0..nslots); returns its hash. */
static inline uint32_t
sim_gather(const struct sim_matcher *m, const struct sim_key *k, uint64_t *out)
{
	uint32_t h = 0xffffffff;
	unsigned int i = 0;

	if (m->fast2)
		return sim_gather2(m, k, out);
	for (unsigned int s = 0; s < m->nslots; s++) {
		uint64_t acc = 0;

		for (; i < m->slot_end[s]; i++)
			acc |= sim_rotl(k->w[m->widx[i]] & m->wmask[i], m->wrot[i]);
		out[s] = acc;
		h = rte_hash_crc_8byte(acc, h);
	}
	return h;
}

struct sim_marray {
	uint32_t n;
	struct sim_matcher *m[];
};

struct sim_group {
	struct sim_marray *ma;		/* published with release */
	uint8_t miss;			/* enum dpu_hal_miss */
	/* control-only */
	uint32_t id;
	uint32_t nrules;
	uint32_t max_rules;		/* 0 = esw default */
};

/* ---------------------------------------------------------------- meters */

struct sim_meter {
	struct dpu_hal_meter_conf conf;
	union {
		struct rte_meter_srtcm_profile sp;
		struct rte_meter_trtcm_profile tp;
	};
	union {
		struct rte_meter_srtcm s;
		struct rte_meter_trtcm t;
	};
	struct dpu_hal_meter_stats st;	/* dataplane-written */
	uint32_t refcnt;		/* rules using it (control) */
};

/* ------------------------------------------------------------------- RCU */

typedef void (*sim_free_fn)(struct sim_esw *esw, void *p, uintptr_t arg);

struct sim_defer {
	sim_free_fn fn;
	void *p;
	uintptr_t arg;
};

struct sim_defer_batch {
	struct sim_defer_batch *next;
	uint64_t token;
	uint32_t n, cap;
	struct sim_defer d[];
};

/* ---------------------------------------------------------------- async */

/*
 * A queued operation.  A create is compiled and its subtable resolved at
 * enqueue time (the subtable is pinned by npending), so the op only keeps
 * the folded table key, in the queue's key arena: 40 bytes + the key.
 */
struct sim_async_op {
	uint8_t create;
	struct sim_rule *rule;
	void *user_data;
	struct sim_matcher *m;
	uint32_t sig;
	uint32_t koff;			/* into sim_async_q.keys */
};

struct sim_async_q {
	struct sim_async_op *ops;
	uint32_t nops, ops_cap;
	uint64_t *keys;
	uint32_t nkeys, keys_cap;
	struct dpu_hal_op_result *done;
	uint32_t ndone, done_head, done_cap;
};

/* --------------------------------------------------------------- eSwitch */

struct sim_worker_ctx;

struct sim_esw_worker {
	struct sim_esw *esw;
	unsigned int id;
	uint32_t sample_ctr;
	struct sim_esw_stats st;	/* dataplane-written part of the stats */
	struct sim_worker_ctx *ctx;
};

struct sim_slab;

/* Worker stats: written by the worker only, read by the control thread. */
#define SIM_STAT_ADD(wk, f, v) \
	__atomic_store_n(&(wk)->st.f, (wk)->st.f + (v), __ATOMIC_RELAXED)

struct sim_esw {
	struct sim_esw_conf conf;
	char name[24];
	uint32_t uid;			/* process-unique, for DPDK object names */
	/* dataplane-read */
	struct sim_group **groups;	/* [max_groups], published with release */
	struct sim_meter **meters;	/* [max_meters] */
	struct rte_ring *sw_ring;
	struct rte_rcu_qsbr *qsbr;
	int swmeta_off;
	uint64_t hz;
	/* control */
	pthread_mutex_t lock;		/* one control call at a time */
	uint32_t nrules;
	uint32_t nmatchers;
	uint64_t matcher_seq;
	struct sim_matcher **mhash;	/* matcher lookup by (group, prio, mask) */
	uint32_t mhash_size;
	struct sim_matcher *last_m;	/* the last one sim_matcher_get returned */
	struct sim_prog **phash;	/* prog dedup */
	uint32_t phash_size;
	uint32_t nprogs;
	struct sim_slab *slab;
	struct sim_rule *age_head;
	struct sim_async_q *queues;
	struct sim_defer_batch *cur;	/* collecting */
	struct sim_defer_batch *fifo_head, *fifo_tail;
	uint64_t rcu_pending;
	uint64_t mem_tables;		/* bytes of live subtable tables */
	uint64_t key_bytes;		/* rule keys kept outside the rules */
	sim_esw_age_cb age_cb;
	void *age_arg;
	sim_esw_reclaim_cb reclaim_cb;
	void *reclaim_arg;
	void **aged;			/* aged contexts not yet collected */
	uint32_t naged, aged_cap;
	struct sim_esw_worker *workers[32];
	struct sim_esw_stats retired;	/* counts of destroyed workers */
	uint64_t prog_bytes;
};

/* esw_rcu.c */
void sim_defer(struct sim_esw *esw, sim_free_fn fn, void *p, uintptr_t arg);
void sim_defer_commit(struct sim_esw *esw);
uint64_t sim_defer_reclaim(struct sim_esw *esw, bool wait);
void sim_free_plain(struct sim_esw *esw, void *p, uintptr_t arg);

/* esw_compile.c: HAL rule -> key/mask + action program (validation) */
struct sim_compiled {
	struct sim_key key;
	struct sim_key mask;
	struct sim_prog_tmpl prog;
	uint32_t age_timeout_s;
	void *age_ctx;
	bool has_age;
	bool has_count;
	uint32_t meter_id1;		/* +1 */
};
int sim_compile(struct sim_esw *esw, const struct dpu_hal_attr *attr,
		const struct dpu_hal_item *pattern,
		const struct dpu_hal_action *actions, struct sim_compiled *c,
		struct dpu_hal_error *err);

/* esw_mem.c: 2 MiB-aligned, huge-page-advised, faulted-in mappings */
void *sim_huge_map(size_t len);
void sim_huge_unmap(void *p, size_t len);

/* esw_emt.c: the writer's half of a subtable's table */
struct sim_emt *sim_emt_alloc(uint32_t entries, int socket);
void sim_emt_free(struct sim_emt *t);
/* Insert r (its key and sig set): 0, or -EEXIST if an identical key is in;
 * *reused says whether it took a tombstone's place. */
int sim_emt_insert(struct sim_emt *t, struct sim_rule *r, unsigned int nslots, bool *reused);
/* Replace r's entry with a tombstone: 0 or -ENOENT. */
int sim_emt_remove(struct sim_emt *t, const struct sim_rule *r);
struct sim_emt *sim_emt_resize(const struct sim_emt *old, uint32_t entries, int socket);
/* Before inserting into t, which holds nlive rules and ntomb tombstones:
 * 0 if it has room (at most 5/8 loaded after), else the entries it must be
 * resized to (double, or the same size when tombstones are most of the
 * load), or UINT32_MAX when it cannot grow. */
uint32_t sim_emt_resize_to(const struct sim_emt *t, uint32_t nlive, uint32_t ntomb);

/* esw_table.c: groups, subtables, rules */
int sim_table_init(struct sim_esw *esw);
void sim_table_fini(struct sim_esw *esw);
struct sim_rule *sim_rule_alloc(struct sim_esw *esw);
int sim_rule_insert(struct sim_esw *esw, struct sim_rule *r, uint32_t group,
		    uint32_t prio, const struct sim_key *key,
		    const struct sim_key *mask, struct dpu_hal_error *err);
int sim_rule_remove(struct sim_esw *esw, struct sim_rule *r);
void sim_rule_discard(struct sim_esw *esw, struct sim_rule *r);
struct sim_prog *sim_prog_get(struct sim_esw *esw, const struct sim_prog_tmpl *tmpl);
void sim_prog_put(struct sim_esw *esw, const struct sim_prog *p);
struct sim_group *sim_group_get(struct sim_esw *esw, uint32_t id, bool create);
int sim_flush(struct sim_esw *esw);
int sim_rule_create(struct sim_esw *esw, const struct sim_compiled *c,
		    uint32_t group, uint32_t prio, struct sim_rule **out,
		    struct dpu_hal_error *err);
void sim_rule_destroy(struct sim_esw *esw, struct sim_rule *r);
int sim_rule_prepare(struct sim_esw *esw, const struct sim_compiled *c, struct sim_rule **out,
		     struct dpu_hal_error *err);
int sim_rule_activate(struct sim_esw *esw, struct sim_rule *r, uint32_t group, uint32_t prio,
		      const struct sim_key *key, const struct sim_key *mask,
		      struct sim_matcher *m, const uint64_t *kbuf, uint32_t sig,
		      struct dpu_hal_error *err);
struct sim_matcher *sim_matcher_get(struct sim_esw *esw, uint32_t group, uint32_t prio,
				    const struct sim_key *mask, struct dpu_hal_error *err);
void sim_matcher_put_unused(struct sim_esw *esw, struct sim_matcher *m);
int sim_rule_insert_key(struct sim_esw *esw, struct sim_rule *r, struct sim_matcher *m,
			const uint64_t *kbuf, uint32_t sig, struct dpu_hal_error *err);
void sim_matchers_gc(struct sim_esw *esw);
uint64_t sim_slab_bytes(struct sim_esw *esw);
void sim_matcher_hash_key(const struct sim_matcher *m, const struct sim_key *k,
			  uint64_t *out, uint32_t *sig);
uint64_t sim_now(const struct sim_esw *esw);

/* esw_actions.c */
struct sim_pkt;
void sim_actions_run(struct sim_esw_worker *wk, struct rte_mbuf *m,
		     struct sim_pkt *p, const struct sim_prog *prog,
		     struct sim_esw_out *out, uint64_t now);

/* esw_meter_age.c */
void sim_age_link(struct sim_esw *esw, struct sim_rule *r);
void sim_age_unlink(struct sim_esw *esw, struct sim_rule *r);
void sim_meters_fini(struct sim_esw *esw);
int sim_meter_create(struct sim_esw *esw, uint32_t id,
		     const struct dpu_hal_meter_conf *conf, struct dpu_hal_error *err);
int sim_meter_destroy(struct sim_esw *esw, uint32_t id, struct dpu_hal_error *err);
int sim_meter_stats(struct sim_esw *esw, uint32_t id, struct dpu_hal_meter_stats *st,
		    struct dpu_hal_error *err);
int sim_aged_collect(struct sim_esw *esw, void **ctx, uint32_t n);

/* per-packet dataplane state */
enum sim_verdict {
	SIM_V_NONE = 0,
	SIM_V_PORT,
	SIM_V_DROP,
	SIM_V_JUMP,
	SIM_V_TO_SW,
	SIM_V_CONSUMED,		/* already freed / queued */
};

/* sim_pkt.sw_reason of a SIM_V_DROP verdict given by a meter */
#define SIM_DROP_BY_METER 1

struct sim_pkt {
	struct sim_key key;
	struct sim_pinfo pi;
	uint32_t group;
	uint8_t verdict;
	uint8_t reparse;
	uint16_t sw_reason;
	uint32_t arg;		/* port / group / user reason */
	uint32_t cookie;
	struct sim_rule *rule;
};

struct sim_worker_ctx {
	struct sim_pkt pkt[SIM_BURST_MAX];
	uint64_t kbuf[SIM_BURST_MAX][SIM_KEY_WORDS];
};

void sim_to_sw(struct sim_esw_worker *wk, struct rte_mbuf *m, const struct sim_pkt *p,
	       uint16_t reason, uint16_t user_reason, uint32_t cookie);

#endif /* SIM_ESW_INTERNAL_H */
