/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Tables: groups -> subtables ("matchers", one per (group, priority, mask))
 * -> rules.  Each matcher has one exact-match table (esw_emt.h: lock-free
 * readers, single writer) of the masked key words it uses.  Matchers of a group are
 * kept in an immutable array sorted by (priority, creation order) that is
 * replaced copy-on-write and freed after an RCU grace period.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_hash_crc.h>
#include <rte_prefetch.h>

#include "esw_internal.h"

/* ------------------------------------------------------------ rule slab */

/*
 * A chunk is one 2 MiB huge-page mapping (sim_huge_map): after a flush the
 * free list hands rules out in destroy order, scattered over the chunks,
 * and with 4 KiB pages nearly every pop was a TLB miss that the prefetch
 * below could not hide.
 */
#define SLAB_BYTES ((size_t)2 << 20)
#define SLAB_CHUNK ((SLAB_BYTES - sizeof(void *)) / sizeof(struct sim_rule))

struct sim_slab_chunk {
	struct sim_slab_chunk *next;
	struct sim_rule r[SLAB_CHUNK];
};
_Static_assert(sizeof(struct sim_slab_chunk) <= SLAB_BYTES, "slab chunk");

struct sim_slab {
	struct sim_slab_chunk *chunks;
	struct sim_rule *free;
	uint32_t bump;		/* next never-used rule of chunks (SLAB_CHUNK: none) */
	uint64_t bytes;
};

/*
 * Freed rules first (LIFO), then the newest chunk's untouched tail.  The
 * free list is in destroy order, i.e. scattered after a flush, and each
 * pop is a dependent miss: the next one is prefetched while this rule is
 * built.  A new chunk is not threaded onto the list (that wrote all of its
 * 256 KiB at once, faulting every page in and out of the cache before use).
 */
struct sim_rule *
sim_rule_alloc(struct sim_esw *esw)
{
	struct sim_slab *s = esw->slab;
	struct sim_rule *r;

	if (s->free != NULL) {
		r = s->free;
		s->free = (struct sim_rule *)(uintptr_t)r->prog;
		if (s->free != NULL)
			rte_prefetch0(s->free);
	} else {
		if (s->chunks == NULL || s->bump == SLAB_CHUNK) {
			struct sim_slab_chunk *c = sim_huge_map(SLAB_BYTES);

			if (c == NULL)
				return NULL;
			c->next = s->chunks;
			s->chunks = c;
			s->bytes += SLAB_BYTES;
			s->bump = 0;
		}
		r = &s->chunks->r[s->bump++];
	}
	memset(r, 0, sizeof(*r));
	return r;
}

static void
rule_key_release(struct sim_esw *esw, struct sim_rule *r)
{
	if (r->flags & SIM_RULE_F_KEXT) {
		esw->key_bytes -= SIM_RULE_KEXT_WORDS(r) * sizeof(uint64_t);
		free(r->kext);
		r->kext = NULL;
		r->flags &= ~(SIM_RULE_F_KEXT | SIM_RULE_KEXT_WORDS_MASK);
	}
}

static void
rule_free(struct sim_esw *esw, struct sim_rule *r)
{
	r->flags = 0;
	r->prog = (const void *)esw->slab->free;
	esw->slab->free = r;
}

uint64_t
sim_slab_bytes(struct sim_esw *esw)
{
	return esw->slab->bytes;
}

/* --------------------------------------------------------------- helpers */

uint64_t
sim_now(const struct sim_esw *esw)
{
	return esw->conf.clock ? esw->conf.clock(esw->conf.clock_arg) : rte_get_tsc_cycles();
}

void
sim_matcher_hash_key(const struct sim_matcher *m, const struct sim_key *k, uint64_t *out,
		     uint32_t *sig)
{
	*sig = sim_gather(m, k, out);
}

static uint32_t
crc_words(const uint64_t *w, unsigned int n, uint32_t h)
{
	for (unsigned int i = 0; i < n; i++)
		h = rte_hash_crc_8byte(w[i], h);
	return h;
}

/*
 * Presence filter update (control thread): bumped before the rule enters
 * the table, dropped after it left, so the filter never hides a findable
 * rule from a reader that already sees the filter's store.
 */
static void
filter_add(struct sim_matcher *m, uint32_t sig, int d)
{
	uint8_t *c = &m->filt[sim_filter_idx(sig)];
	uint8_t v = __atomic_load_n(c, __ATOMIC_RELAXED);

	if (v == 255)
		return;	/* saturated: stays "maybe present" */
	__atomic_store_n(c, (uint8_t)(v + d), __ATOMIC_RELAXED);
}

/* ---------------------------------------------------------------- groups */

struct sim_group *
sim_group_get(struct sim_esw *esw, uint32_t id, bool create)
{
	struct sim_group *g = esw->groups[id];
	struct sim_marray *ma;

	if (g != NULL || !create)
		return g;
	g = calloc(1, sizeof(*g));
	ma = calloc(1, sizeof(*ma));
	if (g == NULL || ma == NULL) {
		free(g);
		free(ma);
		return NULL;
	}
	g->id = id;
	g->ma = ma;
	__atomic_store_n(&esw->groups[id], g, __ATOMIC_RELEASE);
	return g;
}

static int
marray_replace(struct sim_esw *esw, struct sim_group *g, struct sim_matcher *add,
	       struct sim_matcher *del)
{
	struct sim_marray *old = g->ma, *na;
	uint32_t n = old->n + (add ? 1 : 0) - (del ? 1 : 0), j = 0;
	bool placed = add == NULL;

	na = malloc(sizeof(*na) + n * sizeof(na->m[0]));
	if (na == NULL)
		return -ENOMEM;
	for (uint32_t i = 0; i < old->n; i++) {
		struct sim_matcher *m = old->m[i];

		if (m == del)
			continue;
		/* sorted by priority, then creation: equal priority keeps mlx5's matcher order */
		if (!placed && (add->prio < m->prio ||
				(add->prio == m->prio && add->seq < m->seq))) {
			na->m[j++] = add;
			placed = true;
		}
		na->m[j++] = m;
	}
	if (!placed)
		na->m[j++] = add;
	na->n = j;
	__atomic_store_n(&g->ma, na, __ATOMIC_RELEASE);
	sim_defer(esw, sim_free_plain, old, 0);
	return 0;
}

/* -------------------------------------------------------------- matchers */

/* Table entries for `rules` rules: a power of two, loaded at most 5/8. */
static uint32_t
table_entries(uint32_t rules)
{
	uint64_t need = (uint64_t)rules * 8 / 5 + 1, n = 16;

	while (n < need)
		n <<= 1;
	return n > (1u << 31) ? 1u << 31 : (uint32_t)n;
}

static void
table_free(struct sim_esw *esw, void *p, uintptr_t arg)
{
	struct sim_emt *t = p;

	(void)arg;
	esw->mem_tables -= t->bytes;
	sim_emt_free(t);
}

static void
matcher_free(struct sim_esw *esw, void *p, uintptr_t arg)
{
	struct sim_matcher *m = p;

	(void)arg;
	table_free(esw, m->t, 0);
	free(m);
}

static uint32_t
matcher_ident(uint32_t group, uint32_t prio, const struct sim_key *mask)
{
	uint32_t h = rte_hash_crc_4byte(group, prio);

	return crc_words(mask->w, SIM_KEY_WORDS, h);
}

static int
mhash_grow(struct sim_esw *esw)
{
	uint32_t ns = esw->mhash_size ? esw->mhash_size * 2 : 64;
	struct sim_matcher **nh = calloc(ns, sizeof(*nh));

	if (nh == NULL)
		return -ENOMEM;
	for (uint32_t i = 0; i < esw->mhash_size; i++) {
		struct sim_matcher *m = esw->mhash[i], *next;

		for (; m != NULL; m = next) {
			next = m->hnext;
			m->hnext = nh[m->hash & (ns - 1)];
			nh[m->hash & (ns - 1)] = m;
		}
	}
	free(esw->mhash);
	esw->mhash = nh;
	esw->mhash_size = ns;
	return 0;
}

static struct sim_matcher *
matcher_find(struct sim_esw *esw, uint32_t group, uint32_t prio, const struct sim_key *mask,
	     uint32_t hash)
{
	struct sim_matcher *m;

	if (esw->mhash_size == 0)
		return NULL;
	for (m = esw->mhash[hash & (esw->mhash_size - 1)]; m != NULL; m = m->hnext)
		if (m->hash == hash && m->group == group && m->prio == prio &&
		    memcmp(&m->mask, mask, sizeof(*mask)) == 0)
			return m;
	return NULL;
}

static struct sim_matcher *
matcher_create(struct sim_esw *esw, struct sim_group *g, uint32_t prio,
	       const struct sim_key *mask, uint32_t hash, struct dpu_hal_error *err)
{
	struct sim_matcher *m;

	if (esw->nmatchers + 1 > esw->mhash_size && mhash_grow(esw) < 0)
		goto nomem;
	m = calloc(1, sizeof(*m));
	if (m == NULL)
		goto nomem;
	m->group = g->id;
	m->prio = prio;
	m->mask = *mask;
	m->hash = hash;
	m->seq = ++esw->matcher_seq;
	{
		uint64_t slotmask[SIM_KEY_WORDS] = { 0 };

		for (unsigned int i = 0; i < SIM_KEY_WORDS; i++) {
			unsigned int s, r = 0;

			if (mask->w[i] == 0)
				continue;
			/* first slot where some byte rotation of the mask fits */
			for (s = 0; s < m->nslots; s++) {
				for (r = 0; r < 64; r += 8)
					if ((slotmask[s] & sim_rotl(mask->w[i], r)) == 0)
						break;
				if (r < 64)
					break;
			}
			if (s == m->nslots) {
				m->nslots++;
				r = 0;
			}
			slotmask[s] |= sim_rotl(mask->w[i], r);
			m->widx[m->nwords] = i;
			m->wslot[m->nwords] = s;
			m->wrot[m->nwords] = r;
			m->wmask[m->nwords++] = mask->w[i];
		}
		/* match-all gets one always-zero slot; pad to the two-XOR compare */
		if (m->nslots == 0)
			m->nslots = 1;
		m->nslots = RTE_ALIGN_CEIL(m->nslots, 2);
		/* slot-major order: the gather accumulates a slot in a register */
		{
			uint8_t idx[SIM_KEY_WORDS], rot[SIM_KEY_WORDS], sl[SIM_KEY_WORDS];
			uint64_t msk[SIM_KEY_WORDS];
			unsigned int n = 0;

			for (unsigned int sl_i = 0; sl_i < m->nslots; sl_i++) {
				for (unsigned int w = 0; w < m->nwords; w++) {
					if (m->wslot[w] != sl_i)
						continue;
					idx[n] = m->widx[w];
					rot[n] = m->wrot[w];
					msk[n] = m->wmask[w];
					sl[n++] = sl_i;
				}
				m->slot_end[sl_i] = n;
			}
			memcpy(m->widx, idx, n);
			memcpy(m->wrot, rot, n);
			memcpy(m->wslot, sl, n);
			memcpy(m->wmask, msk, n * sizeof(msk[0]));
		}
		if (m->nslots == 2 && m->slot_end[0] <= 3 && m->slot_end[1] - m->slot_end[0] <= 3) {
			unsigned int w = 0;

			for (unsigned int sl_i = 0; sl_i < 2; sl_i++) {
				for (unsigned int j = 0; j < 3; j++) {
					bool used = w < m->slot_end[sl_i];

					m->f_idx[sl_i][j] = used ? m->widx[w] : 0;
					m->f_rot[sl_i][j] = used ? m->wrot[w] : 0;
					m->f_mask[sl_i][j] = used ? m->wmask[w] : 0;
					if (used)
						w++;
				}
			}
			m->fast2 = 1;
		}
	}
	m->t = sim_emt_alloc(table_entries(esw->conf.initial_table_size), esw->conf.socket_id);
	if (m->t == NULL) {
		free(m);
		goto nomem;
	}
	esw->mem_tables += m->t->bytes;
	if (marray_replace(esw, g, m, NULL) < 0) {
		esw->mem_tables -= m->t->bytes;
		sim_emt_free(m->t);
		free(m);
		goto nomem;
	}
	m->hnext = esw->mhash[hash & (esw->mhash_size - 1)];
	esw->mhash[hash & (esw->mhash_size - 1)] = m;
	esw->nmatchers++;
	return m;
nomem:
	dpu_hal_set_error(err, -ENOMEM, DPU_HAL_ERR_DEVICE, -1, "out of memory (subtable)");
	return NULL;
}

static void
matcher_remove(struct sim_esw *esw, struct sim_matcher *m)
{
	struct sim_group *g = esw->groups[m->group];
	struct sim_matcher **pp = &esw->mhash[m->hash & (esw->mhash_size - 1)];

	while (*pp != m)
		pp = &(*pp)->hnext;
	*pp = m->hnext;
	esw->nmatchers--;
	if (esw->last_m == m)
		esw->last_m = NULL;
	if (marray_replace(esw, g, NULL, m) < 0) {
		/* cannot shrink the array: leave the empty matcher searchable */
		return;
	}
	sim_defer(esw, matcher_free, m, 0);
}

/*
 * A subtable at its load limit: double it, or, when deleted entries are
 * most of the load, rebuild it at the same size without them.  Built
 * aside and published whole; the old table goes after a grace period.
 */
static int
matcher_resize(struct sim_esw *esw, struct sim_matcher *m, uint32_t ncap)
{
	struct sim_emt *old = m->t, *nt;

	if (ncap == UINT32_MAX)
		return -ENOSPC;
	nt = sim_emt_resize(old, ncap, esw->conf.socket_id);
	if (nt == NULL)
		return -ENOMEM;
	esw->mem_tables += nt->bytes;
	m->ntomb = 0;
	__atomic_store_n(&m->t, nt, __ATOMIC_RELEASE);
	sim_defer(esw, table_free, old, 0);
	return 0;
}

/* ----------------------------------------------------------------- progs */

struct sim_prog *
sim_prog_get(struct sim_esw *esw, const struct sim_prog_tmpl *t)
{
	uint8_t body[16 + sizeof(t->ops) + sizeof(t->data)];
	uint32_t len, hash;
	struct sim_prog *p;

	/* lay the template out exactly as a packed program body */
	memcpy(body, &t->hdr.fate, 16);
	memcpy(body + 16, t->ops, t->hdr.nops * sizeof(struct sim_op));
	memcpy(body + 16 + t->hdr.nops * sizeof(struct sim_op), t->data, t->hdr.data_len);
	len = 16 + t->hdr.nops * sizeof(struct sim_op) + t->hdr.data_len;
	hash = rte_hash_crc(body, len, 0);
	if (esw->nprogs + 1 > esw->phash_size) {
		uint32_t ns = esw->phash_size ? esw->phash_size * 2 : 64;
		struct sim_prog **nh = calloc(ns, sizeof(*nh));

		if (nh == NULL)
			return NULL;
		for (uint32_t i = 0; i < esw->phash_size; i++) {
			struct sim_prog *q, *next;

			for (q = esw->phash[i]; q != NULL; q = next) {
				next = q->hnext;
				q->hnext = nh[q->hash & (ns - 1)];
				nh[q->hash & (ns - 1)] = q;
			}
		}
		free(esw->phash);
		esw->phash = nh;
		esw->phash_size = ns;
	}
	for (p = esw->phash[hash & (esw->phash_size - 1)]; p != NULL; p = p->hnext) {
		if (p->hash == hash && p->body_len == len && memcmp(&p->fate, body, len) == 0) {
			p->refcnt++;
			return p;
		}
	}
	p = aligned_alloc(16, RTE_ALIGN_CEIL(offsetof(struct sim_prog, fate) + len, 16));
	if (p == NULL)
		return NULL;
	memcpy(&p->fate, body, len);
	p->refcnt = 1;
	p->hash = hash;
	p->body_len = len;
	p->hnext = esw->phash[hash & (esw->phash_size - 1)];
	esw->phash[hash & (esw->phash_size - 1)] = p;
	esw->nprogs++;
	esw->prog_bytes += RTE_ALIGN_CEIL(offsetof(struct sim_prog, fate) + len, 16);
	return p;
}

void
sim_prog_put(struct sim_esw *esw, const struct sim_prog *cp)
{
	struct sim_prog *p = (struct sim_prog *)(uintptr_t)cp, **pp;

	if (--p->refcnt > 0)
		return;
	pp = &esw->phash[p->hash & (esw->phash_size - 1)];
	while (*pp != p)
		pp = &(*pp)->hnext;
	*pp = p->hnext;
	esw->nprogs--;
	esw->prog_bytes -= RTE_ALIGN_CEIL(offsetof(struct sim_prog, fate) + p->body_len, 16);
	free(p);
}

/* ----------------------------------------------------------------- rules */

struct sim_matcher *
sim_matcher_get(struct sim_esw *esw, uint32_t group, uint32_t prio, const struct sim_key *mask,
		struct dpu_hal_error *err)
{
	struct sim_matcher *m = esw->last_m;
	struct sim_group *g;
	uint32_t ident;

	/* rules come in runs of one shape: skip the ident hash (24 CRC steps)
	 * and the chain walk when the mask is the last one's */
	if (m != NULL && m->group == group && m->prio == prio &&
	    memcmp(&m->mask, mask, sizeof(*mask)) == 0)
		return m;
	ident = matcher_ident(group, prio, mask);
	g = sim_group_get(esw, group, true);
	if (g == NULL) {
		dpu_hal_set_error(err, -ENOMEM, DPU_HAL_ERR_DEVICE, -1, "out of memory (group)");
		return NULL;
	}
	m = matcher_find(esw, group, prio, mask, ident);
	if (m == NULL)
		m = matcher_create(esw, g, prio, mask, ident, err);
	if (m != NULL)
		esw->last_m = m;
	return m;
}

void
sim_matcher_put_unused(struct sim_esw *esw, struct sim_matcher *m)
{
	if (m->nrules == 0 && m->npending == 0)
		matcher_remove(esw, m);
}

int
sim_rule_insert_key(struct sim_esw *esw, struct sim_rule *r, struct sim_matcher *m,
		    const uint64_t *kbuf, uint32_t sig, struct dpu_hal_error *err)
{
	struct sim_group *g = esw->groups[m->group];
	uint32_t gmax = g->max_rules ? g->max_rules : esw->conf.max_group_rules;
	uint32_t ncap;
	bool reused;
	int ret;

	if (esw->nrules >= esw->conf.max_rules)
		return dpu_hal_set_error(err, -ENOSPC, DPU_HAL_ERR_DEVICE, -1,
					 "eSwitch full: %u rules (max_rules)", esw->conf.max_rules);
	if (g->nrules >= gmax)
		return dpu_hal_set_error(err, -ENOSPC, DPU_HAL_ERR_ATTR, -1,
					 "group %u full: %u rules (group limit)", m->group, gmax);
	ncap = sim_emt_resize_to(m->t, m->nrules, m->ntomb);
	if (ncap && (ret = matcher_resize(esw, m, ncap)) < 0)
		return dpu_hal_set_error(err, ret, DPU_HAL_ERR_DEVICE, -1,
					 "cannot resize a subtable of %u entries: %s", m->t->mask + 1,
					 ret == -ENOMEM ? "out of memory" : "at its largest");
	/* the table keeps no key: the rule does, for as long as it lives */
	if (m->nslots <= 2) {
		r->key[0] = kbuf[0];
		r->key[1] = kbuf[1];
	} else {
		r->kext = malloc(m->nslots * sizeof(uint64_t));
		if (r->kext == NULL)
			return dpu_hal_set_error(err, -ENOMEM, DPU_HAL_ERR_DEVICE, -1,
						 "out of memory (rule key)");
		memcpy(r->kext, kbuf, m->nslots * sizeof(uint64_t));
		r->flags |= SIM_RULE_F_KEXT | (uint32_t)m->nslots << SIM_RULE_KEXT_WORDS_SHIFT;
		esw->key_bytes += m->nslots * sizeof(uint64_t);
	}
	r->sig = sig;
	/* filter first: once the rule is findable, the filter admits it */
	filter_add(m, sig, 1);
	ret = sim_emt_insert(m->t, r, m->nslots, &reused);
	if (ret < 0) {
		filter_add(m, sig, -1);
		rule_key_release(esw, r);
		return dpu_hal_set_error(err, -EEXIST, DPU_HAL_ERR_FLOW, -1,
					 "an identical rule exists in group %u priority %u",
					 m->group, m->prio);
	}
	if (reused)
		m->ntomb--;
	r->m = m;
	r->flags |= SIM_RULE_F_LIVE;
	m->nrules++;
	__atomic_store_n(&m->use_filter, m->nrules <= SIM_FILTER_MAX_RULES, __ATOMIC_RELAXED);
	g->nrules++;
	esw->nrules++;
	return 0;
}

int
sim_rule_insert(struct sim_esw *esw, struct sim_rule *r, uint32_t group, uint32_t prio,
		const struct sim_key *key, const struct sim_key *mask,
		struct dpu_hal_error *err)
{
	uint64_t kbuf[SIM_KEY_WORDS];
	struct sim_matcher *m;
	struct sim_group *g;
	uint32_t sig, gmax;
	int ret;

	/* capacity first, so a full table does not even create a subtable */
	if (esw->nrules >= esw->conf.max_rules)
		return dpu_hal_set_error(err, -ENOSPC, DPU_HAL_ERR_DEVICE, -1,
					 "eSwitch full: %u rules (max_rules)", esw->conf.max_rules);
	g = esw->groups[group];
	gmax = g && g->max_rules ? g->max_rules : esw->conf.max_group_rules;
	if (g && g->nrules >= gmax)
		return dpu_hal_set_error(err, -ENOSPC, DPU_HAL_ERR_ATTR, -1,
					 "group %u full: %u rules (group limit)", group, gmax);
	m = sim_matcher_get(esw, group, prio, mask, err);
	if (m == NULL)
		return err ? err->code : -ENOMEM;
	sim_matcher_hash_key(m, key, kbuf, &sig);
	ret = sim_rule_insert_key(esw, r, m, kbuf, sig, err);
	if (ret < 0)
		sim_matcher_put_unused(esw, m);
	return ret;
}

static void
rule_reclaim(struct sim_esw *esw, void *p, uintptr_t arg)
{
	struct sim_rule *r = p;

	(void)arg;
	if (esw->reclaim_cb)
		esw->reclaim_cb(esw->reclaim_arg, (struct dpu_hal_flow *)r, r->hits, r->bytes);
	sim_prog_put(esw, r->prog);
	free(r->ext);
	rule_key_release(esw, r);
	rule_free(esw, r);
}

int
sim_rule_remove(struct sim_esw *esw, struct sim_rule *r)
{
	struct sim_matcher *m = r->m;

	/* the key stays in r: a reader that found it may still compare it */
	if (sim_emt_remove(m->t, r) < 0)
		return -ENOENT;
	m->ntomb++;
	r->flags &= ~SIM_RULE_F_LIVE;
	filter_add(m, r->sig, -1);
	m->nrules--;
	__atomic_store_n(&m->use_filter, m->nrules <= SIM_FILTER_MAX_RULES, __ATOMIC_RELAXED);
	esw->groups[m->group]->nrules--;
	esw->nrules--;
	sim_matcher_put_unused(esw, m);
	return 0;
}

int
sim_rule_prepare(struct sim_esw *esw, const struct sim_compiled *c, struct sim_rule **out,
		 struct dpu_hal_error *err)
{
	struct sim_rule *r = sim_rule_alloc(esw);

	if (r == NULL)
		return dpu_hal_set_error(err, -ENOMEM, DPU_HAL_ERR_DEVICE, -1, "out of memory (rule)");
	r->prog = sim_prog_get(esw, &c->prog);
	if (r->prog == NULL) {
		rule_free(esw, r);
		return dpu_hal_set_error(err, -ENOMEM, DPU_HAL_ERR_DEVICE, -1, "out of memory (actions)");
	}
	if (c->has_age || c->meter_id1) {
		r->ext = calloc(1, sizeof(*r->ext));
		if (r->ext == NULL) {
			sim_prog_put(esw, r->prog);
			rule_free(esw, r);
			return dpu_hal_set_error(err, -ENOMEM, DPU_HAL_ERR_DEVICE, -1, "out of memory");
		}
		r->ext->age_ctx = c->age_ctx ? c->age_ctx : (void *)r;
		r->ext->age_timeout = (uint64_t)c->age_timeout_s * esw->hz;
		r->ext->meter_id = c->meter_id1;
	}
	*out = r;
	return 0;
}

int
sim_rule_activate(struct sim_esw *esw, struct sim_rule *r, uint32_t group, uint32_t prio,
		  const struct sim_key *key, const struct sim_key *mask,
		  struct sim_matcher *m, const uint64_t *kbuf, uint32_t sig,
		  struct dpu_hal_error *err)
{
	int ret;

	if (r->ext && r->ext->meter_id && esw->meters[r->ext->meter_id - 1] == NULL)
		return dpu_hal_set_error(err, -ENOENT, DPU_HAL_ERR_ACTION, -1,
					 "METER: meter %u was destroyed", r->ext->meter_id - 1);
	r->last_hit = sim_now(esw);
	/* everything above happens-before a reader that finds the rule */
	__atomic_store_n(&r->prog, r->prog, __ATOMIC_RELEASE);
	if (m != NULL)
		ret = sim_rule_insert_key(esw, r, m, kbuf, sig, err);
	else
		ret = sim_rule_insert(esw, r, group, prio, key, mask, err);
	if (ret < 0)
		return ret;
	if (r->prog->flags & SIM_PROG_F_AGE)
		sim_age_link(esw, r);
	if (r->ext && r->ext->meter_id)
		esw->meters[r->ext->meter_id - 1]->refcnt++;
	return 0;
}

int
sim_rule_create(struct sim_esw *esw, const struct sim_compiled *c, uint32_t group,
		uint32_t prio, struct sim_rule **out, struct dpu_hal_error *err)
{
	struct sim_rule *r;
	int ret = sim_rule_prepare(esw, c, &r, err);

	if (ret < 0)
		return ret;
	ret = sim_rule_activate(esw, r, group, prio, &c->key, &c->mask, NULL, NULL, 0, err);
	if (ret < 0) {
		sim_rule_discard(esw, r);
		return ret;
	}
	*out = r;
	return 0;
}

/* Take a live rule out of the tables; its memory goes after the grace period. */
void
sim_rule_destroy(struct sim_esw *esw, struct sim_rule *r)
{
	if (r->flags & SIM_RULE_F_LIVE)
		sim_rule_remove(esw, r);
	if (r->ext != NULL) {
		if (r->prog->flags & SIM_PROG_F_AGE)
			sim_age_unlink(esw, r);
		if (r->ext->meter_id)
			esw->meters[r->ext->meter_id - 1]->refcnt--;
	}
	r->flags |= SIM_RULE_F_DEAD;
	sim_defer(esw, rule_reclaim, r, 0);
}

/* Rule discarded before it was ever visible (async create that failed). */
void
sim_rule_discard(struct sim_esw *esw, struct sim_rule *r)
{
	if (r->prog)
		sim_prog_put(esw, r->prog);
	free(r->ext);
	rule_key_release(esw, r);
	rule_free(esw, r);
}

/* Remove subtables nobody uses (after pending async ops were discarded). */
void
sim_matchers_gc(struct sim_esw *esw)
{
	for (uint32_t gi = 0; gi < esw->conf.max_groups; gi++) {
		struct sim_group *g = esw->groups[gi];
		bool again = true;

		while (g != NULL && again) {
			again = false;
			for (uint32_t j = 0; j < g->ma->n; j++) {
				struct sim_matcher *m = g->ma->m[j];

				if (m->nrules == 0 && m->npending == 0) {
					matcher_remove(esw, m);
					again = true;
					break;
				}
			}
		}
	}
}

int
sim_flush(struct sim_esw *esw)
{
	for (uint32_t gi = 0; gi < esw->conf.max_groups; gi++) {
		struct sim_group *g = esw->groups[gi];
		uint32_t j = 0;

		if (g == NULL)
			continue;
		/*
		 * Destroying a subtable's last rule removes it from g->ma (unless
		 * async creates still pin it), so re-read the array each round.
		 */
		while (j < g->ma->n) {
			struct sim_matcher *m = g->ma->m[j];

			if (m->nrules == 0) {
				j++;
				continue;
			}
			/* no resize while destroying: m->t stays the same table */
			for (uint32_t i = 0; m->nrules > 0 && i <= m->t->mask; i++) {
				struct sim_rule *r = m->t->e[i].r;

				if (r != NULL && r != SIM_EMT_TOMB)
					sim_rule_destroy(esw, r);
			}
			if (m->nrules > 0)
				return -EIO;
		}
	}
	sim_defer_commit(esw);
	return 0;
}

int
sim_table_init(struct sim_esw *esw)
{
	esw->slab = calloc(1, sizeof(*esw->slab));
	esw->groups = calloc(esw->conf.max_groups, sizeof(*esw->groups));
	if (esw->slab == NULL || esw->groups == NULL)
		return -ENOMEM;
	return 0;
}

void
sim_table_fini(struct sim_esw *esw)
{
	struct sim_slab_chunk *c, *next;

	if (esw->groups) {
		for (uint32_t gi = 0; gi < esw->conf.max_groups; gi++) {
			if (esw->groups[gi]) {
				free(esw->groups[gi]->ma);
				free(esw->groups[gi]);
			}
		}
	}
	free(esw->groups);
	free(esw->mhash);
	free(esw->phash);
	if (esw->slab) {
		for (c = esw->slab->chunks; c != NULL; c = next) {
			next = c->next;
			sim_huge_unmap(c, SLAB_BYTES);
		}
	}
	free(esw->slab);
}
