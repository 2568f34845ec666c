/* SPDX-License-Identifier: BSD-3-Clause */
/* The writer's half of the exact-match table (see esw_emt.h). */
#include <errno.h>
#include <stdlib.h>

#include <rte_common.h>
#include <rte_malloc.h>

#include "esw_internal.h"

#define EMT_HUGE ((uint64_t)2 << 20)

/*
 * Tables of 2 MiB and more get their own huge-page mapping: lookups probe
 * them at random, and on the DPDK heap's 4 KiB pages (--no-huge) a 32 MiB
 * table cost a TLB miss per probe, which held 1 M-rule lookups at
 * 0.68-0.74 of rte_hash's (whose bucket array is a quarter of the size).
 * Small ones stay on the heap.
 */
struct sim_emt *
sim_emt_alloc(uint32_t entries, int socket)
{
	uint64_t bytes = (uint64_t)entries * sizeof(struct sim_emt_ent);
	struct sim_emt *t;

	if (bytes >= EMT_HUGE) {
		t = calloc(1, sizeof(*t));
		if (t == NULL)
			return NULL;
		bytes = RTE_ALIGN_CEIL(bytes, EMT_HUGE);
		t->e = sim_huge_map(bytes);
		if (t->e == NULL) {
			free(t);
			return NULL;
		}
		t->mapped = 1;
	} else {
		/* one allocation: header, then the entries from the next line */
		bytes += RTE_CACHE_LINE_SIZE;
		t = rte_zmalloc_socket("esw_emt", bytes, RTE_CACHE_LINE_SIZE, socket);
		if (t == NULL)
			return NULL;
		t->e = (struct sim_emt_ent *)((uint8_t *)t + RTE_CACHE_LINE_SIZE);
	}
	t->mask = entries - 1;
	t->bytes = bytes;
	return t;
}

void
sim_emt_free(struct sim_emt *t)
{
	if (t->mapped) {
		sim_huge_unmap(t->e, t->bytes);
		free(t);
	} else {
		rte_free(t);
	}
}

int
sim_emt_insert(struct sim_emt *t, struct sim_rule *r, unsigned int nslots, bool *reused)
{
	const uint64_t *key = sim_emt_rule_key(r, nslots);
	uint32_t p = r->sig & t->mask, slot = UINT32_MAX;

	for (;; p = (p + 1) & t->mask) {
		const struct sim_rule *x = t->e[p].r;

		if (x == NULL)
			break;
		if (x == SIM_EMT_TOMB) {
			if (slot == UINT32_MAX)
				slot = p;
			continue;
		}
		if (t->e[p].sig == r->sig && sim_emt_key_eq(sim_emt_rule_key(x, nslots), key, nslots))
			return -EEXIST;
	}
	*reused = slot != UINT32_MAX;
	if (slot == UINT32_MAX)
		slot = p;
	__atomic_store_n(&t->e[slot].sig, r->sig, __ATOMIC_RELAXED);
	/* the key and the signature happen-before a reader that finds r */
	__atomic_store_n(&t->e[slot].r, r, __ATOMIC_RELEASE);
	return 0;
}

int
sim_emt_remove(struct sim_emt *t, const struct sim_rule *r)
{
	for (uint32_t p = r->sig & t->mask;; p = (p + 1) & t->mask) {
		const struct sim_rule *x = t->e[p].r;

		if (x == NULL)
			return -ENOENT;
		if (x == r) {
			/* a tombstone, not an empty slot: probes for other keys
			 * that passed through here must go on */
			__atomic_store_n(&t->e[p].r, SIM_EMT_TOMB, __ATOMIC_RELEASE);
			return 0;
		}
	}
}

uint32_t
sim_emt_resize_to(const struct sim_emt *t, uint32_t nlive, uint32_t ntomb)
{
	uint64_t cap = (uint64_t)t->mask + 1, ncap;

	if ((uint64_t)(nlive + ntomb + 1) * 8 <= cap * 5)
		return 0;
	ncap = (uint64_t)(nlive + 1) * 8 > cap * 3 ? cap * 2 : cap;
	return ncap > (1u << 31) ? UINT32_MAX : (uint32_t)ncap;
}

/*
 * A copy of old's live entries in a table of `entries` (no tombstones):
 * placed by their stored signatures, in one pass over old, so neither the
 * keys nor the rules are touched.
 */
struct sim_emt *
sim_emt_resize(const struct sim_emt *old, uint32_t entries, int socket)
{
	struct sim_emt *t = sim_emt_alloc(entries, socket);

	if (t == NULL)
		return NULL;
	for (uint32_t i = 0; i <= old->mask; i++) {
		const struct sim_emt_ent *e = &old->e[i];
		uint32_t p;

		if (e->r == NULL || e->r == SIM_EMT_TOMB)
			continue;
		for (p = e->sig & t->mask; t->e[p].r != NULL; p = (p + 1) & t->mask)
			;
		t->e[p] = *e;
	}
	return t;
}
