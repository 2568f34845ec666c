/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Meters (DPDK rte_meter srTCM / trTCM, color-blind, per-color policy)
 * and aging (AGE rules idle longer than their timeout are reported once,
 * to a callback and to the list dpu_hal_aged_flows() drains; a hit after
 * the report re-arms the rule, like mlx5's aging).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_malloc.h>

#include "esw_internal.h"

#define MERR(code, ...) dpu_hal_set_error(err, code, DPU_HAL_ERR_DEVICE, -1, __VA_ARGS__)

int
sim_meter_create(struct sim_esw *esw, uint32_t id, const struct dpu_hal_meter_conf *conf,
		 struct dpu_hal_error *err)
{
	struct sim_meter *mt;
	int ret;

	if (id >= esw->conf.max_meters)
		return MERR(-EINVAL, "meter %u: id out of range (max %u)", id, esw->conf.max_meters - 1);
	if (esw->meters[id] != NULL)
		return MERR(-EEXIST, "meter %u: already exists", id);
	if (conf->alg != DPU_HAL_METER_SRTCM && conf->alg != DPU_HAL_METER_TRTCM)
		return MERR(-EINVAL, "meter %u: unknown algorithm %d", id, conf->alg);
	if (conf->cir == 0 || (conf->cbs == 0 && conf->ebs == 0))
		return MERR(-EINVAL, "meter %u: cir and a burst size must be non-zero", id);
	if (conf->alg == DPU_HAL_METER_TRTCM && (conf->pir < conf->cir || conf->pbs == 0))
		return MERR(-EINVAL, "meter %u: trTCM needs pir >= cir and pbs > 0", id);
	mt = rte_zmalloc("sim_meter", sizeof(*mt), RTE_CACHE_LINE_SIZE);
	if (mt == NULL)
		return MERR(-ENOMEM, "meter %u: out of memory", id);
	mt->conf = *conf;
	if (conf->alg == DPU_HAL_METER_SRTCM) {
		struct rte_meter_srtcm_params p = {
			.cir = conf->cir, .cbs = conf->cbs, .ebs = conf->ebs,
		};

		ret = rte_meter_srtcm_profile_config(&mt->sp, &p);
		if (ret == 0)
			ret = rte_meter_srtcm_config(&mt->s, &mt->sp);
	} else {
		struct rte_meter_trtcm_params p = {
			.cir = conf->cir, .pir = conf->pir, .cbs = conf->cbs, .pbs = conf->pbs,
		};

		ret = rte_meter_trtcm_profile_config(&mt->tp, &p);
		if (ret == 0)
			ret = rte_meter_trtcm_config(&mt->t, &mt->tp);
	}
	if (ret != 0) {
		rte_free(mt);
		return MERR(ret < 0 ? ret : -EINVAL, "meter %u: rte_meter rejected the profile", id);
	}
	/* the meter starts its buckets full at "now" of our clock */
	if (conf->alg == DPU_HAL_METER_SRTCM)
		mt->s.time = sim_now(esw);
	else
		mt->t.time_tc = mt->t.time_tp = sim_now(esw);
	__atomic_store_n(&esw->meters[id], mt, __ATOMIC_RELEASE);
	return 0;
}

static void
meter_free(struct sim_esw *esw, void *p, uintptr_t arg)
{
	(void)esw;
	(void)arg;
	rte_free(p);
}

int
sim_meter_destroy(struct sim_esw *esw, uint32_t id, struct dpu_hal_error *err)
{
	struct sim_meter *mt;

	if (id >= esw->conf.max_meters || (mt = esw->meters[id]) == NULL)
		return MERR(-ENOENT, "meter %u: does not exist", id);
	if (mt->refcnt)
		return MERR(-EBUSY, "meter %u: used by %u rules", id, mt->refcnt);
	__atomic_store_n(&esw->meters[id], NULL, __ATOMIC_RELEASE);
	sim_defer(esw, meter_free, mt, 0);
	sim_defer_commit(esw);
	return 0;
}

int
sim_meter_stats(struct sim_esw *esw, uint32_t id, struct dpu_hal_meter_stats *st,
		struct dpu_hal_error *err)
{
	struct sim_meter *mt;

	if (id >= esw->conf.max_meters || (mt = esw->meters[id]) == NULL)
		return MERR(-ENOENT, "meter %u: does not exist", id);
	for (int c = 0; c < 3; c++) {
		st->pkts[c] = __atomic_load_n(&mt->st.pkts[c], __ATOMIC_RELAXED);
		st->bytes[c] = __atomic_load_n(&mt->st.bytes[c], __ATOMIC_RELAXED);
	}
	st->dropped = __atomic_load_n(&mt->st.dropped, __ATOMIC_RELAXED);
	return 0;
}

void
sim_meters_fini(struct sim_esw *esw)
{
	if (esw->meters == NULL)
		return;
	for (uint32_t i = 0; i < esw->conf.max_meters; i++)
		rte_free(esw->meters[i]);
	free(esw->meters);
}

/* ----------------------------------------------------------------- aging */

void
sim_age_link(struct sim_esw *esw, struct sim_rule *r)
{
	r->ext->age_prev = NULL;
	r->ext->age_next = esw->age_head;
	if (esw->age_head)
		esw->age_head->ext->age_prev = r;
	esw->age_head = r;
}

void
sim_age_unlink(struct sim_esw *esw, struct sim_rule *r)
{
	struct sim_rule_ext *e = r->ext;

	if (e->age_prev)
		e->age_prev->ext->age_next = e->age_next;
	else if (esw->age_head == r)
		esw->age_head = e->age_next;
	if (e->age_next)
		e->age_next->ext->age_prev = e->age_prev;
	e->age_prev = e->age_next = NULL;
}

static int
aged_push(struct sim_esw *esw, void *ctx)
{
	if (esw->naged == esw->aged_cap) {
		uint32_t nc = esw->aged_cap ? esw->aged_cap * 2 : 64;
		void **na = realloc(esw->aged, nc * sizeof(*na));

		if (na == NULL)
			return -ENOMEM;
		esw->aged = na;
		esw->aged_cap = nc;
	}
	esw->aged[esw->naged++] = ctx;
	return 0;
}

int
sim_esw_age_poll(struct sim_esw *esw)
{
	uint64_t now = sim_now(esw);
	int n = 0;

	pthread_mutex_lock(&esw->lock);
	for (struct sim_rule *r = esw->age_head; r != NULL; r = r->ext->age_next) {
		struct sim_rule_ext *e = r->ext;
		uint64_t last = __atomic_load_n(&r->last_hit, __ATOMIC_RELAXED);

		if (e->age_reported_at) {
			if (last == e->age_reported_at)
				continue;	/* still aged, already reported */
			e->age_reported_at = 0;	/* traffic came back: re-arm */
		}
		if (now - last < e->age_timeout || now < last)
			continue;
		e->age_reported_at = last ? last : 1;
		if (aged_push(esw, e->age_ctx) < 0)
			break;
		if (esw->age_cb)
			esw->age_cb(esw->age_arg, e->age_ctx);
		n++;
	}
	pthread_mutex_unlock(&esw->lock);
	return n;
}

int
sim_aged_collect(struct sim_esw *esw, void **ctx, uint32_t n)
{
	uint32_t k = n < esw->naged ? n : esw->naged;

	if (ctx == NULL || n == 0 || k == 0)
		return k == 0 ? 0 : (int)esw->naged;
	memcpy(ctx, esw->aged, k * sizeof(*ctx));
	memmove(esw->aged, esw->aged + k, (esw->naged - k) * sizeof(*ctx));
	esw->naged -= k;
	return k;
}

void
sim_esw_set_age_cb(struct sim_esw *esw, sim_esw_age_cb cb, void *arg)
{
	pthread_mutex_lock(&esw->lock);
	esw->age_cb = cb;
	esw->age_arg = arg;
	pthread_mutex_unlock(&esw->lock);
}
