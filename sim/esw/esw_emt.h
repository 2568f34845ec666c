/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A subtable's exact-match table: open addressing with linear probing over
 * 16-byte {rule, signature} entries, one writer (the control thread) and
 * lock-free readers (the dataplane).  Keys live in the rules, where they
 * never change while a reader may see the rule.
 *
 * Why not rte_hash: a subtable that fills is doubled, and with rte_hash
 * that meant iterating the old table and re-adding every key (hash, cuckoo
 * search, key copy): a third of the card's time while 1 M rules arrived.
 * Here the signature is stored with the entry, so doubling is a streaming
 * copy that touches neither keys nor rules; an insert is one probe that
 * also finds an identical rule, and a lookup touches the entry's cache
 * line and then the rule, which the packet needs anyway.
 *
 * Readers stay correct without locks because entries only change as
 * empty -> rule, rule -> tombstone and tombstone -> rule, each with one
 * release store of the rule pointer (the signature is only a filter: a
 * candidate is confirmed by comparing the rule's own key), and a resized
 * table is built aside, published with one release store and freed after
 * an RCU grace period.
 */
#ifndef SIM_ESW_EMT_H
#define SIM_ESW_EMT_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_prefetch.h>

struct sim_rule;

#define SIM_EMT_TOMB ((struct sim_rule *)(uintptr_t)1)

struct sim_emt_ent {
	struct sim_rule *r;	/* NULL: empty (ends a probe); SIM_EMT_TOMB: deleted */
	uint32_t sig;
	uint32_t pad;
};

struct sim_emt {
	uint32_t mask;		/* entries - 1 (a power of two) */
	uint32_t mapped;	/* e is our own huge-page mapping, else on the DPDK heap */
	struct sim_emt_ent *e;
	uint64_t bytes;		/* allocation size, for the memory counters */
};

static inline bool
sim_emt_key_eq(const uint64_t *a, const uint64_t *b, unsigned int nslots)
{
	uint64_t d = 0;

	if (nslots == 2)
		return ((a[0] ^ b[0]) | (a[1] ^ b[1])) == 0;
	for (unsigned int i = 0; i < nslots; i++)
		d |= a[i] ^ b[i];
	return d == 0;
}

/* From p on: the next live entry with this signature, or NULL at an empty one. */
static inline struct sim_rule *
sim_emt_scan(const struct sim_emt *t, uint32_t *p, uint32_t sig)
{
	for (uint32_t i = *p;; i = (i + 1) & t->mask) {
		const struct sim_emt_ent *e = &t->e[i];
		struct sim_rule *r = __atomic_load_n(&e->r, __ATOMIC_ACQUIRE);

		if (r == NULL) {
			*p = i;
			return NULL;
		}
		if (r != SIM_EMT_TOMB && __atomic_load_n(&e->sig, __ATOMIC_RELAXED) == sig) {
			*p = i;
			return r;
		}
	}
}

/* Implemented with struct sim_rule in view (esw_internal.h). */
static inline const uint64_t *sim_emt_rule_key(const struct sim_rule *r, unsigned int nslots);

/*
 * Look up keys[0..n) (n <= 64, the hit mask's width) with their signatures: out[i] = the rule or
 * NULL; returns the hit mask.  Three passes over the burst so each pass's
 * cache misses (entry lines, then rules) overlap.
 */
static inline uint64_t
sim_emt_lookup_bulk(const struct sim_emt *t, unsigned int nslots, const uint64_t *const *keys,
		    const uint32_t *sig, unsigned int n, struct sim_rule **out)
{
	uint32_t pos[64];
	uint64_t hits = 0;

	for (unsigned int i = 0; i < n; i++) {
		pos[i] = sig[i] & t->mask;
		rte_prefetch0(&t->e[pos[i]]);
	}
	for (unsigned int i = 0; i < n; i++) {
		out[i] = sim_emt_scan(t, &pos[i], sig[i]);
		if (out[i] != NULL)
			rte_prefetch0(out[i]);
	}
	for (unsigned int i = 0; i < n; i++) {
		struct sim_rule *r = out[i];

		/* a signature collision: go on probing (rare) */
		while (r != NULL && !sim_emt_key_eq(sim_emt_rule_key(r, nslots), keys[i], nslots)) {
			pos[i] = (pos[i] + 1) & t->mask;
			r = sim_emt_scan(t, &pos[i], sig[i]);
		}
		out[i] = r;
		if (r != NULL)
			hits |= 1ULL << i;
	}
	return hits;
}

#endif /* SIM_ESW_EMT_H */
