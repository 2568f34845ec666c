/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * eSwitch object and the dataplane: parse a burst once, look each group up
 * across the burst one subtable at a time (bulk table lookups with
 * precomputed signatures, subtables in priority order, early exit when
 * every packet is resolved), then run the matched rules' programs.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_hash_crc.h>
#include <rte_malloc.h>
#include <rte_mbuf_dyn.h>
#include <rte_prefetch.h>

#include "esw_internal.h"

static const struct rte_mbuf_dynfield swmeta_desc = {
	.name = "opendpu_sim_swmeta",
	.size = sizeof(struct sim_swmeta),
	.align = 4,
};

static int swmeta_off = -1;
static uint32_t esw_uid;

const struct sim_swmeta *
sim_esw_swmeta(const struct rte_mbuf *m)
{
	return RTE_MBUF_DYNFIELD(m, swmeta_off, const struct sim_swmeta *);
}

struct rte_ring *
sim_esw_sw_ring(struct sim_esw *esw)
{
	return esw->sw_ring;
}

int
sim_esw_create(const struct sim_esw_conf *cf, struct sim_esw **out, struct dpu_hal_error *err)
{
	char name[RTE_RING_NAMESIZE];
	struct sim_esw *esw;
	size_t sz;

	if (cf == NULL || cf->name == NULL || cf->nb_ports == 0)
		return dpu_hal_set_error(err, -EINVAL, DPU_HAL_ERR_DEVICE, -1,
					 "sim_esw_conf: name and nb_ports are required");
	if (strlen(cf->name) > 12)
		return dpu_hal_set_error(err, -EINVAL, DPU_HAL_ERR_DEVICE, -1,
					 "sim_esw_conf: name '%s' longer than 12", cf->name);
	esw = calloc(1, sizeof(*esw));
	if (esw == NULL)
		return dpu_hal_set_error(err, -ENOMEM, DPU_HAL_ERR_DEVICE, -1, "out of memory");
	esw->conf = *cf;
	snprintf(esw->name, sizeof(esw->name), "%s", cf->name);
	esw->conf.name = esw->name;
#define DEF(f, v) if (esw->conf.f == 0) esw->conf.f = (v)
	DEF(max_rules, 1u << 20);
	DEF(max_group_rules, esw->conf.max_rules);
	DEF(max_groups, 64);
	DEF(max_priority, 65535);
	DEF(max_meters, 256);
	DEF(nb_queues, 4);
	DEF(queue_depth, 65536);
	DEF(sw_ring_size, 4096);
	DEF(max_workers, 4);
	DEF(initial_table_size, 256);
#undef DEF
	if (esw->conf.initial_table_size < 16)
		esw->conf.initial_table_size = 16;
	/* DPDK object names are process-global: two eSwitches may share a name */
	esw->uid = __atomic_fetch_add(&esw_uid, 1, __ATOMIC_RELAXED);
	esw->hz = esw->conf.clock_hz ? esw->conf.clock_hz : rte_get_tsc_hz();
	pthread_mutex_init(&esw->lock, NULL);
	if (swmeta_off < 0) {
		swmeta_off = rte_mbuf_dynfield_register(&swmeta_desc);
		if (swmeta_off < 0) {
			dpu_hal_set_error(err, -rte_errno, DPU_HAL_ERR_DEVICE, -1,
					  "cannot register mbuf dynfield: %s", rte_strerror(rte_errno));
			goto fail;
		}
	}
	esw->swmeta_off = swmeta_off;
	if (sim_table_init(esw) < 0)
		goto nomem;
	esw->meters = calloc(esw->conf.max_meters, sizeof(*esw->meters));
	esw->queues = calloc(esw->conf.nb_queues, sizeof(*esw->queues));
	if (esw->meters == NULL || esw->queues == NULL)
		goto nomem;
	sz = rte_rcu_qsbr_get_memsize(esw->conf.max_workers);
	esw->qsbr = rte_zmalloc("sim_qsbr", sz, RTE_CACHE_LINE_SIZE);
	if (esw->qsbr == NULL || rte_rcu_qsbr_init(esw->qsbr, esw->conf.max_workers) != 0)
		goto nomem;
	snprintf(name, sizeof(name), "esw%u_sw", esw->uid);
	esw->sw_ring = rte_ring_create(name, esw->conf.sw_ring_size, cf->socket_id,
				       RING_F_SP_ENQ | RING_F_SC_DEQ);
	if (esw->sw_ring == NULL) {
		dpu_hal_set_error(err, -rte_errno, DPU_HAL_ERR_DEVICE, -1,
				  "cannot create exception ring %s: %s", name,
				  rte_strerror(rte_errno));
		goto fail;
	}
	*out = esw;
	return 0;
nomem:
	dpu_hal_set_error(err, -ENOMEM, DPU_HAL_ERR_DEVICE, -1, "out of memory");
fail:
	sim_esw_destroy(esw);
	return err ? err->code : -ENOMEM;
}

void
sim_esw_destroy(struct sim_esw *esw)
{
	if (esw == NULL)
		return;
	if (esw->groups)
		sim_flush(esw);
	if (esw->queues) {
		for (uint32_t q = 0; q < esw->conf.nb_queues; q++) {
			for (uint32_t i = 0; i < esw->queues[q].nops; i++) {
				struct sim_async_op *op = &esw->queues[q].ops[i];

				if (op->create) {
					op->m->npending--;
					sim_rule_discard(esw, op->rule);
				}
			}
			free(esw->queues[q].ops);
			free(esw->queues[q].keys);
			free(esw->queues[q].done);
		}
		free(esw->queues);
		if (esw->groups)
			sim_matchers_gc(esw);
	}
	sim_defer_commit(esw);
	if (esw->qsbr)
		sim_defer_reclaim(esw, true);
	sim_meters_fini(esw);
	sim_table_fini(esw);
	rte_ring_free(esw->sw_ring);
	rte_free(esw->qsbr);
	free(esw->aged);
	pthread_mutex_destroy(&esw->lock);
	free(esw);
}

void
sim_esw_set_copy_pool(struct sim_esw *esw, struct rte_mempool *pool)
{
	/* compile_sample reads it under the lock, like every other setting */
	pthread_mutex_lock(&esw->lock);
	esw->conf.pool = pool;
	pthread_mutex_unlock(&esw->lock);
}

int
sim_esw_set_group_limit(struct sim_esw *esw, uint32_t group, uint32_t max_rules,
			struct dpu_hal_error *err)
{
	struct sim_group *g;
	int ret = 0;

	if (group >= esw->conf.max_groups)
		return dpu_hal_set_error(err, -EINVAL, DPU_HAL_ERR_ATTR, -1,
					 "group %u out of range (max %u)", group,
					 esw->conf.max_groups - 1);
	pthread_mutex_lock(&esw->lock);
	g = sim_group_get(esw, group, true);
	if (g == NULL)
		ret = dpu_hal_set_error(err, -ENOMEM, DPU_HAL_ERR_DEVICE, -1, "out of memory");
	else
		g->max_rules = max_rules;
	pthread_mutex_unlock(&esw->lock);
	return ret;
}

struct sim_esw_worker *
sim_esw_worker_create(struct sim_esw *esw, unsigned int id)
{
	struct sim_esw_worker *wk;

	if (id >= esw->conf.max_workers || id >= RTE_DIM(esw->workers))
		return NULL;
	wk = rte_zmalloc("sim_worker", sizeof(*wk), RTE_CACHE_LINE_SIZE);
	if (wk == NULL)
		return NULL;
	wk->ctx = rte_zmalloc("sim_wctx", sizeof(*wk->ctx), RTE_CACHE_LINE_SIZE);
	if (wk->ctx == NULL) {
		rte_free(wk);
		return NULL;
	}
	wk->esw = esw;
	wk->id = id;
	pthread_mutex_lock(&esw->lock);
	/* one dataplane writer: rule counters are plain single-writer stores */
	for (unsigned int i = 0; i < RTE_DIM(esw->workers); i++) {
		if (esw->workers[i] != NULL) {
			pthread_mutex_unlock(&esw->lock);
			rte_free(wk->ctx);
			rte_free(wk);
			return NULL;
		}
	}
	rte_rcu_qsbr_thread_register(esw->qsbr, id);
	rte_rcu_qsbr_thread_online(esw->qsbr, id);
	esw->workers[id] = wk;
	pthread_mutex_unlock(&esw->lock);
	return wk;
}

void
sim_esw_worker_destroy(struct sim_esw_worker *wk)
{
	struct sim_esw *esw;
	struct sim_esw_stats *acc;

	if (wk == NULL)
		return;
	esw = wk->esw;
	rte_rcu_qsbr_thread_offline(esw->qsbr, wk->id);
	rte_rcu_qsbr_thread_unregister(esw->qsbr, wk->id);
	pthread_mutex_lock(&esw->lock);
	esw->workers[wk->id] = NULL;
	/* keep its counts: they are part of the eSwitch's history */
	acc = &esw->retired;
	acc->rx += wk->st.rx;
	acc->hit += wk->st.hit;
	acc->miss += wk->st.miss;
	acc->tx += wk->st.tx;
	acc->to_sw += wk->st.to_sw;
	acc->drop += wk->st.drop;
	acc->drop_meter += wk->st.drop_meter;
	acc->drop_ring_full += wk->st.drop_ring_full;
	acc->drop_out_full += wk->st.drop_out_full;
	acc->drop_no_headroom += wk->st.drop_no_headroom;
	acc->sample_fail += wk->st.sample_fail;
	pthread_mutex_unlock(&esw->lock);
	rte_free(wk->ctx);
	rte_free(wk);
}

void
sim_esw_worker_offline(struct sim_esw_worker *wk)
{
	rte_rcu_qsbr_thread_offline(wk->esw->qsbr, wk->id);
}

void
sim_esw_worker_online(struct sim_esw_worker *wk)
{
	rte_rcu_qsbr_thread_online(wk->esw->qsbr, wk->id);
}

#define LD(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)

void
sim_esw_get_stats(struct sim_esw *esw, struct sim_esw_stats *st)
{
	pthread_mutex_lock(&esw->lock);
	*st = esw->retired;
	for (unsigned int i = 0; i < RTE_DIM(esw->workers); i++) {
		struct sim_esw_worker *wk = esw->workers[i];

		if (wk == NULL)
			continue;
		st->rx += LD(wk->st.rx);
		st->hit += LD(wk->st.hit);
		st->miss += LD(wk->st.miss);
		st->tx += LD(wk->st.tx);
		st->to_sw += LD(wk->st.to_sw);
		st->drop += LD(wk->st.drop);
		st->drop_meter += LD(wk->st.drop_meter);
		st->drop_ring_full += LD(wk->st.drop_ring_full);
		st->drop_out_full += LD(wk->st.drop_out_full);
		st->drop_no_headroom += LD(wk->st.drop_no_headroom);
		st->sample_fail += LD(wk->st.sample_fail);
	}
	st->rules = esw->nrules;
	st->subtables = esw->nmatchers;
	st->groups = 0;
	for (uint32_t g = 0; g < esw->conf.max_groups; g++)
		st->groups += esw->groups[g] != NULL;
	st->actprogs = esw->nprogs;
	st->rcu_pending = esw->rcu_pending;
	pthread_mutex_unlock(&esw->lock);
}

uint64_t
sim_esw_reclaim(struct sim_esw *esw)
{
	uint64_t n;

	pthread_mutex_lock(&esw->lock);
	sim_defer_commit(esw);
	n = sim_defer_reclaim(esw, false);
	pthread_mutex_unlock(&esw->lock);
	return n;
}

void
sim_esw_set_reclaim_cb(struct sim_esw *esw, sim_esw_reclaim_cb cb, void *arg)
{
	pthread_mutex_lock(&esw->lock);
	esw->reclaim_cb = cb;
	esw->reclaim_arg = arg;
	pthread_mutex_unlock(&esw->lock);
}

uint64_t
sim_esw_mem_bytes(struct sim_esw *esw)
{
	uint64_t b;

	pthread_mutex_lock(&esw->lock);
	b = esw->mem_tables + sim_slab_bytes(esw) + esw->prog_bytes + esw->key_bytes;
	pthread_mutex_unlock(&esw->lock);
	return b;
}

/* ------------------------------------------------------------- dataplane */

void
sim_to_sw(struct sim_esw_worker *wk, struct rte_mbuf *m, const struct sim_pkt *p,
	  uint16_t reason, uint16_t user_reason, uint32_t cookie)
{
	struct sim_swmeta *sm = RTE_MBUF_DYNFIELD(m, wk->esw->swmeta_off, struct sim_swmeta *);

	sm->reason = reason;
	sm->user_reason = user_reason;
	sm->in_port = p->key.in_port;
	sm->pad = 0;
	sm->group = p->group;
	sm->cookie = cookie;
	sm->meta = p->key.meta;
	sm->mark = p->key.mark;
	if (rte_ring_sp_enqueue(wk->esw->sw_ring, m) != 0) {
		SIM_STAT_ADD(wk, drop_ring_full, 1);
		rte_pktmbuf_free(m);
		return;
	}
	SIM_STAT_ADD(wk, to_sw, 1);
}

static inline void
gather(const struct sim_matcher *m, const struct sim_key *k, uint64_t *out, uint32_t *sig)
{
	*sig = sim_gather(m, k, out);
}

/*
 * Resolve keys[0..n) in group gid: res[i] = best rule or NULL.  One
 * subtable at a time across the whole burst (a bulk table lookup with our
 * signatures); subtables are in priority order, so a key resolved by an
 * earlier subtable never looks at the later ones.
 */
static void
lookup_group(struct sim_esw *esw, uint64_t (*kbuf)[SIM_KEY_WORDS], uint32_t gid,
	     const struct sim_key *const *keys, unsigned int n, struct sim_rule **res)
{
	struct sim_group *g = __atomic_load_n(&esw->groups[gid], __ATOMIC_ACQUIRE);
	const struct sim_marray *ma;
	uint8_t unres[SIM_BURST_MAX];
	unsigned int nun = n;

	for (unsigned int i = 0; i < n; i++) {
		res[i] = NULL;
		unres[i] = i;
	}
	if (g == NULL)
		return;
	ma = __atomic_load_n(&g->ma, __ATOMIC_ACQUIRE);
	for (uint32_t j = 0; j < ma->n && nun > 0; j++) {
		const struct sim_matcher *m = ma->m[j];
		const struct sim_emt *t = __atomic_load_n(&m->t, __ATOMIC_ACQUIRE);
		const uint64_t *kp[SIM_BURST_MAX];
		uint32_t sig[SIM_BURST_MAX];
		struct sim_rule *data[SIM_BURST_MAX];
		uint8_t cand[SIM_BURST_MAX];
		uint64_t hits = 0;
		unsigned int nn = 0, nc = 0;

		if (m->fast2) {
			for (unsigned int k = 0; k < nun; k++) {
				sig[k] = sim_gather2(m, keys[unres[k]], kbuf[k]);
				kp[k] = kbuf[k];
			}
		} else {
			for (unsigned int k = 0; k < nun; k++) {
				gather(m, keys[unres[k]], kbuf[k], &sig[k]);
				kp[k] = kbuf[k];
			}
		}
		if (!__atomic_load_n(&m->use_filter, __ATOMIC_RELAXED)) {
			hits = sim_emt_lookup_bulk(t, m->nslots, kp, sig, nun, data);
			if (hits == 0)
				continue;
			for (unsigned int k = 0; k < nun; k++) {
				if (hits & (1ULL << k))
					res[unres[k]] = data[k];
				else
					unres[nn++] = unres[k];
			}
			nun = nn;
			continue;
		}
		/* small subtable: only keys its presence filter admits go to the table */
		for (unsigned int k = 0; k < nun; k++) {
			if (__atomic_load_n(&m->filt[sim_filter_idx(sig[k])], __ATOMIC_RELAXED)) {
				kp[nc] = kbuf[k];
				sig[nc] = sig[k];
				cand[nc++] = k;
			}
		}
		if (nc == 0)
			continue;
		hits = sim_emt_lookup_bulk(t, m->nslots, kp, sig, nc, data);
		if (hits == 0)
			continue;
		for (unsigned int c = 0; c < nc; c++)
			if (hits & (1ULL << c))
				res[unres[cand[c]]] = data[c];
		for (unsigned int k = 0; k < nun; k++)
			if (res[unres[k]] == NULL)
				unres[nn++] = unres[k];
		nun = nn;
	}
}

void
sim_esw_lookup_keys(struct sim_esw_worker *wk, uint32_t group, const void *const *keys,
		    uint16_t n, struct dpu_hal_flow **flows)
{
	if (n > SIM_BURST_MAX)
		n = SIM_BURST_MAX;
	lookup_group(wk->esw, wk->ctx->kbuf, group, (const struct sim_key *const *)keys, n,
		     (struct sim_rule **)flows);
	rte_rcu_qsbr_quiescent(wk->esw->qsbr, wk->id);
}

static void
reparse(struct rte_mbuf *m, struct sim_pkt *p)
{
	uint64_t w6 = p->key.w[6], w7 = p->key.w[7], w8 = p->key.w[8];
	uint16_t port = p->key.in_port, zone = p->key.ct_zone;
	uint16_t in_layers;

	sim_parse(rte_pktmbuf_mtod(m, const uint8_t *), rte_pktmbuf_data_len(m), &p->key, &p->pi);
	in_layers = p->key.in_layers;
	p->key.w[6] = w6;
	p->key.w[7] = w7;
	p->key.w[8] = w8;
	p->key.in_layers = in_layers;
	p->key.in_port = port;
	p->key.ct_zone = zone;
}

static uint16_t
process(struct sim_esw_worker *wk, struct rte_mbuf **pkts, const struct sim_pkt_meta *meta,
	uint16_t n, struct sim_esw_out *out)
{
	struct sim_esw *esw = wk->esw;
	struct sim_worker_ctx *cx = wk->ctx;
	uint8_t cur[SIM_BURST_MAX], pend[SIM_BURST_MAX];
	unsigned int ncur = 0, npend = 0;
	uint16_t out0 = out->n;
	uint64_t now = sim_now(esw);

	RTE_ASSERT(n <= SIM_BURST_MAX);
	uint64_t hit = 0, miss = 0, tx = 0, drop = 0, drop_meter = 0, drop_full = 0;
	uint32_t gid = 0;

	for (unsigned int i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		struct sim_pkt *p = &cx->pkt[i];

		if (i + 1 < n)
			rte_prefetch0(rte_pktmbuf_mtod(pkts[i + 1], void *));
		p->group = 0;
		if (unlikely(m->nb_segs > 1) && rte_pktmbuf_linearize(m) < 0) {
			memset(&p->key, 0, sizeof(p->key));
			p->key.in_port = m->port;
			sim_to_sw(wk, m, p, SIM_SW_UNPARSED, 0, 0);
			continue;
		}
		sim_parse(rte_pktmbuf_mtod(m, const uint8_t *), rte_pktmbuf_data_len(m),
			  &p->key, &p->pi);
		p->key.in_port = m->port;
		if (meta != NULL) {
			p->key.meta = meta[i].meta;
			p->key.mark = meta[i].mark;
			p->key.tag[0] = meta[i].tag[0];
			p->key.tag[1] = meta[i].tag[1];
			p->key.ct_state = meta[i].ct_state;
			p->key.ct_zone = meta[i].ct_zone;
			p->key.ct_mark = meta[i].ct_mark;
		}
		cur[ncur++] = i;
	}

	while (ncur > 0) {
		const struct sim_key *keys[SIM_BURST_MAX];
		struct sim_rule *res[SIM_BURST_MAX];
		struct sim_group *g;

		for (unsigned int j = 0; j < ncur; j++)
			keys[j] = &cx->pkt[cur[j]].key;
		lookup_group(esw, cx->kbuf, gid, keys, ncur, res);
		for (unsigned int j = 0; j < ncur; j++) {
			cx->pkt[cur[j]].rule = res[j];
			if (res[j] != NULL)
				rte_prefetch0(res[j]);
		}
		g = __atomic_load_n(&esw->groups[gid], __ATOMIC_ACQUIRE);
		for (unsigned int j = 0; j < ncur; j++) {
			unsigned int i = cur[j];
			struct sim_pkt *p = &cx->pkt[i];
			struct rte_mbuf *m = pkts[i];
			struct sim_rule *r = p->rule;
			const struct sim_prog *pg;

			if (r == NULL) {
				miss++;
				if (g != NULL && __atomic_load_n(&g->miss, __ATOMIC_RELAXED) ==
						 DPU_HAL_MISS_DROP) {
					drop++;
					rte_pktmbuf_free(m);
				} else {
					sim_to_sw(wk, m, p, SIM_SW_MISS, 0, 0);
				}
				continue;
			}
			hit++;
			pg = __atomic_load_n(&r->prog, __ATOMIC_ACQUIRE);
			/* single writer: plain increments published with relaxed stores */
			__atomic_store_n(&r->hits, r->hits + 1, __ATOMIC_RELAXED);
			__atomic_store_n(&r->bytes, r->bytes + rte_pktmbuf_pkt_len(m), __ATOMIC_RELAXED);
			__atomic_store_n(&r->last_hit, now, __ATOMIC_RELAXED);
			p->verdict = SIM_V_NONE;
			p->sw_reason = 0;
			if (pg->nops)
				sim_actions_run(wk, m, p, pg, out, now);
			if (p->verdict == SIM_V_DROP) {
				if (p->sw_reason == SIM_DROP_BY_METER)
					drop_meter++;
				else
					drop++;
				rte_pktmbuf_free(m);
				continue;
			}
			if (p->verdict == SIM_V_TO_SW) {
				sim_to_sw(wk, m, p, p->sw_reason, 0, 0);
				continue;
			}
			switch (pg->fate) {
			case SIM_FATE_PORT:
				if (unlikely(out->n >= out->cap)) {
					drop_full++;
					rte_pktmbuf_free(m);
					break;
				}
				out->pkts[out->n] = m;
				out->port[out->n++] = pg->fate_arg;
				tx++;
				break;
			case SIM_FATE_DROP:
				drop++;
				rte_pktmbuf_free(m);
				break;
			case SIM_FATE_TO_SW:
				sim_to_sw(wk, m, p, SIM_SW_ACTION, pg->fate_arg, pg->cookie);
				break;
			case SIM_FATE_JUMP:
				p->group = pg->fate_arg;
				if (pg->flags & SIM_PROG_F_REPARSE)
					reparse(m, p);
				pend[npend++] = i;
				break;
			default:
				drop++;
				rte_pktmbuf_free(m);
				break;
			}
		}
		/* next: the lowest group any packet jumped to (jumps only go up) */
		ncur = 0;
		if (npend > 0) {
			unsigned int keep = 0;

			gid = UINT32_MAX;
			for (unsigned int j = 0; j < npend; j++)
				if (cx->pkt[pend[j]].group < gid)
					gid = cx->pkt[pend[j]].group;
			for (unsigned int j = 0; j < npend; j++) {
				if (cx->pkt[pend[j]].group == gid)
					cur[ncur++] = pend[j];
				else
					pend[keep++] = pend[j];
			}
			npend = keep;
		}
	}
	SIM_STAT_ADD(wk, rx, n);
	SIM_STAT_ADD(wk, hit, hit);
	SIM_STAT_ADD(wk, miss, miss);
	SIM_STAT_ADD(wk, tx, tx);
	SIM_STAT_ADD(wk, drop, drop);
	SIM_STAT_ADD(wk, drop_meter, drop_meter);
	SIM_STAT_ADD(wk, drop_out_full, drop_full);
	rte_rcu_qsbr_quiescent(esw->qsbr, wk->id);
	return out->n - out0;
}

uint16_t
sim_esw_process_burst(struct sim_esw_worker *wk, struct rte_mbuf **pkts, uint16_t n,
		      struct sim_esw_out *out)
{
	uint16_t done = 0, k = 0, out0 = out->n;

	for (; done < n; done += k) {
		k = RTE_MIN(n - done, SIM_BURST_MAX);
		process(wk, pkts + done, NULL, k, out);
	}
	return out->n - out0;
}

uint16_t
sim_esw_inject_burst(struct sim_esw_worker *wk, struct rte_mbuf **pkts,
		     const struct sim_pkt_meta *meta, uint16_t n, struct sim_esw_out *out)
{
	uint16_t done = 0, k = 0, out0 = out->n;

	for (; done < n; done += k) {
		k = RTE_MIN(n - done, SIM_BURST_MAX);
		process(wk, pkts + done, meta ? meta + done : NULL, k, out);
	}
	return out->n - out0;
}
