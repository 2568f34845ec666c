/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The subtable table (sim/esw/esw_emt.h) against a model: random inserts,
 * identical-key inserts, removes and bulk lookups, for 16-byte keys (kept
 * in the rule) and 32-byte ones (kept aside), across doublings and
 * same-size rebuilds that drop tombstones, with keys chosen so that many
 * share a signature and probe chains are long; and a table of 100 K rules
 * that grows past 2 MiB onto its own huge-page mapping.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "esw_internal.h"
#include "esw_test_eal.h"

#define N 6000

static int failures;

#define FAIL(...)							\
	do {								\
		failures++;						\
		printf("FAIL: " __VA_ARGS__);				\
		printf("\n");						\
	} while (0)

static uint64_t rnd_state = 88172645463325252ull;

static uint64_t
rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

struct model {
	struct sim_rule r[N];
	uint64_t key[N][4];
	bool in[N];
	uint32_t n_in, n_tomb;
};

static void
make_key(struct model *md, unsigned int i, unsigned int nslots, uint64_t gen)
{
	for (unsigned int w = 0; w < 4; w++)
		md->key[i][w] = w < nslots ? (i + gen * N) * 0x9e3779b97f4a7c15ull + w : 0;
	md->r[i].kext = NULL;
	if (nslots <= 2) {
		md->r[i].key[0] = md->key[i][0];
		md->r[i].key[1] = md->key[i][1];
	} else {
		md->r[i].kext = md->key[i];
	}
	/* one key in four shares its neighbour's signature: those are only
	 * told apart by the key compare */
	md->r[i].sig = i && rnd() % 4 == 0 ? md->r[i - 1].sig : (uint32_t)rnd();
}

static void
check_all(const struct sim_emt *t, struct model *md, unsigned int nslots, const char *when)
{
	for (unsigned int base = 0; base < N; base += 64) {
		const uint64_t *keys[64];
		uint32_t sig[64];
		struct sim_rule *out[64];
		unsigned int n = N - base < 64 ? N - base : 64;
		uint64_t hits;

		for (unsigned int k = 0; k < n; k++) {
			keys[k] = md->key[base + k];
			sig[k] = md->r[base + k].sig;
		}
		hits = sim_emt_lookup_bulk(t, nslots, keys, sig, n, out);
		for (unsigned int k = 0; k < n; k++) {
			unsigned int i = base + k;
			bool hit = hits & (1ull << k);

			if (hit != md->in[i] || (hit && out[k] != &md->r[i]) || (!hit && out[k]))
				FAIL("%s: key %u: in=%d, lookup hit=%d rule %p (want %p)", when, i,
				     md->in[i], hit, (void *)out[k], (void *)&md->r[i]);
		}
	}
}

static void
run(unsigned int nslots)
{
	static struct model md;
	struct sim_emt *t = sim_emt_alloc(16, 0);
	unsigned int resizes = 0, rebuilds = 0, dups = 0;
	char when[64];

	memset(&md, 0, sizeof(md));
	for (unsigned int i = 0; i < N; i++)
		make_key(&md, i, nslots, 0);
	for (unsigned int step = 0; step < 20 * N && t; step++) {
		unsigned int i = (unsigned int)(rnd() % N);
		uint32_t ncap = sim_emt_resize_to(t, md.n_in, md.n_tomb);
		/* fill, then mostly delete (tombstones pile up), then churn
		 * with deletes ahead (new entries land past tombstones) */
		bool draining = step >= 3 * N && step < 5 * N, churn = step >= 5 * N;
		bool reused = false;
		int rc;

		if (ncap) {
			struct sim_emt *nt = ncap == UINT32_MAX ? NULL : sim_emt_resize(t, ncap, 0);

			if (!nt) {
				FAIL("resize to %lu", (unsigned long)ncap);
				break;
			}
			ncap == t->mask + 1 ? rebuilds++ : resizes++;
			sim_emt_free(t);
			t = nt;
			md.n_tomb = 0;
			snprintf(when, sizeof(when), "after resize to %lu", (unsigned long)ncap);
			check_all(t, &md, nslots, when);
		}
		if (!md.in[i] && ((draining && rnd() % 8) || (churn && rnd() % 4)))
			continue;
		if (!md.in[i]) {
			if (churn) /* a fresh key elsewhere, not its old tombstone's */
				make_key(&md, i, nslots, step);
			rc = sim_emt_insert(t, &md.r[i], nslots, &reused);
			if (rc)
				FAIL("insert %u: %d", i, rc);
			md.in[i] = true;
			md.n_in++;
			md.n_tomb -= reused;
		} else if (!draining && (rnd() & 1)) {
			/* the same key again (another rule body): refused */
			struct sim_rule twin = md.r[i];

			rc = sim_emt_insert(t, &twin, nslots, &reused);
			if (rc != -EEXIST)
				FAIL("identical key %u: %d, want -EEXIST", i, rc);
			dups++;
		} else {
			rc = sim_emt_remove(t, &md.r[i]);
			if (rc)
				FAIL("remove %u: %d", i, rc);
			md.in[i] = false;
			md.n_in--;
			md.n_tomb++;
			if (sim_emt_remove(t, &md.r[i]) != -ENOENT)
				FAIL("second remove of %u found it", i);
		}
		if (step % 997 == 0) {
			snprintf(when, sizeof(when), "step %u", step);
			check_all(t, &md, nslots, when);
		}
	}
	if (t)
		check_all(t, &md, nslots, "end");
	printf("%u-word keys: %u rules and %u tombstones in %u entries, %u doublings, %u tombstone rebuilds, %u identical keys refused\n",
	       nslots, md.n_in, md.n_tomb, t ? t->mask + 1 : 0, resizes, rebuilds, dups);
	if (!resizes || !rebuilds || !dups)
		FAIL("the run did not exercise doubling, rebuilding and refusals");
	sim_emt_free(t);
}

/*
 * 100 K rules from a 16-entry table: the table crosses 2 MiB and moves from
 * the DPDK heap to its own huge-page mapping (sim_huge_map) while doubling;
 * every rule is found after each step, and the table empties again.
 */
static void
big(void)
{
	enum { BIG = 100000 };
	struct sim_rule *r = calloc(BIG, sizeof(*r));
	struct sim_emt *t = sim_emt_alloc(16, 0);
	unsigned int mapped_at = 0;

	if (!r || !t) {
		FAIL("big: no memory");
		free(r);
		return;
	}
	for (unsigned int i = 0; i < BIG && t; i++) {
		uint32_t ncap = sim_emt_resize_to(t, i, 0);
		bool reused;

		if (ncap) {
			struct sim_emt *nt = sim_emt_resize(t, ncap, 0);

			if (!nt) {
				FAIL("big: resize to %u", ncap);
				break;
			}
			sim_emt_free(t);
			t = nt;
			if (t->mapped && !mapped_at)
				mapped_at = i;
		}
		r[i].key[0] = i;
		r[i].key[1] = ~(uint64_t)i;
		r[i].sig = (uint32_t)(i * 2654435761u);
		if (sim_emt_insert(t, &r[i], 2, &reused))
			FAIL("big: insert %u", i);
	}
	if (!t)
		goto out;
	for (unsigned int i = 0; i < BIG; i += 64) {
		const uint64_t *keys[64];
		uint32_t sig[64];
		struct sim_rule *got[64];
		unsigned int n = BIG - i < 64 ? BIG - i : 64;
		uint64_t hits;

		for (unsigned int k = 0; k < n; k++) {
			keys[k] = r[i + k].key;
			sig[k] = r[i + k].sig;
		}
		hits = sim_emt_lookup_bulk(t, 2, keys, sig, n, got);
		for (unsigned int k = 0; k < n; k++)
			if (!(hits & (1ull << k)) || got[k] != &r[i + k])
				FAIL("big: rule %u not found", i + k);
	}
	for (unsigned int i = 0; i < BIG; i++)
		if (sim_emt_remove(t, &r[i]))
			FAIL("big: remove %u", i);
	printf("big: %u rules in %u entries (%s), huge-page mapped from rule %u on\n", BIG,
	       t->mask + 1, t->mapped ? "own mapping" : "DPDK heap", mapped_at);
	if (!t->mapped || !mapped_at)
		FAIL("big: the table never reached its own huge-page mapping");
	sim_emt_free(t);
out:
	free(r);
}

int
main(int argc, char **argv)
{
	struct rte_mempool *mp = esw_test_eal_init(argv[0], 512, 256);

	(void)argc;
	if (mp == NULL)
		return 1;
	run(2);
	run(4);
	big();
	esw_test_eal_fini(mp);
	printf("%s\n", failures ? "FAILED" : "ok");
	return failures ? 1 : 0;
}
