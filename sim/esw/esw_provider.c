/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The HAL provider "sim": dpu_hal_class glue over the eSwitch, including
 * the async (enqueue / push / pull) path.  Async creates are compiled and
 * validated at enqueue time (so a bad rule fails immediately, as
 * rte_flow_async_create does); table changes happen at push, in queue
 * order, under one lock hold and one RCU grace period for the whole batch.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_prefetch.h>

#include "esw_internal.h"

static int
prov_open(const char *args, void **priv, struct dpu_hal_error *err)
{
	struct sim_esw_conf cf = { .name = "esw", .nb_ports = 4 };
	char buf[256], name[16] = "esw", *save = NULL, *tok;
	struct sim_esw *esw;
	int ret;

	snprintf(buf, sizeof(buf), "%s", args ? args : "");
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(tok, '=');
		unsigned long v;

		if (eq == NULL)
			return dpu_hal_set_error(err, -EINVAL, DPU_HAL_ERR_DEVICE, -1,
						 "sim args: '%s' is not key=value", tok);
		*eq++ = '\0';
		if (strcmp(tok, "name") == 0) {
			snprintf(name, sizeof(name), "%s", eq);
			continue;
		}
		v = strtoul(eq, NULL, 0);
		if (strcmp(tok, "ports") == 0)
			cf.nb_ports = v;
		else if (strcmp(tok, "max_rules") == 0)
			cf.max_rules = v;
		else if (strcmp(tok, "max_group_rules") == 0)
			cf.max_group_rules = v;
		else if (strcmp(tok, "max_groups") == 0)
			cf.max_groups = v;
		else if (strcmp(tok, "max_meters") == 0)
			cf.max_meters = v;
		else if (strcmp(tok, "queues") == 0)
			cf.nb_queues = v;
		else if (strcmp(tok, "table_size") == 0)
			cf.initial_table_size = v;
		else
			return dpu_hal_set_error(err, -EINVAL, DPU_HAL_ERR_DEVICE, -1,
						 "sim args: unknown key '%s'", tok);
	}
	cf.name = name;
	ret = sim_esw_create(&cf, &esw, err);
	if (ret < 0)
		return ret;
	*priv = esw;
	return 0;
}

static void
prov_close(void *priv)
{
	sim_esw_destroy(priv);
}

static int
prov_caps(void *priv, struct dpu_hal_caps *caps)
{
	struct sim_esw *esw = priv;

	caps->max_rules = esw->conf.max_rules;
	caps->max_groups = esw->conf.max_groups;
	caps->max_meters = esw->conf.max_meters;
	caps->nb_queues = esw->conf.nb_queues;
	caps->async_native = 1;
	return 0;
}

/* End of every control call: publish the batch of frees, reclaim what we can. */
static void
ctl_done(struct sim_esw *esw)
{
	sim_defer_commit(esw);
	if (esw->fifo_head)
		sim_defer_reclaim(esw, false);
	pthread_mutex_unlock(&esw->lock);
}

static int
prov_validate(void *priv, const struct dpu_hal_attr *attr, const struct dpu_hal_item *pattern,
	      const struct dpu_hal_action *actions, struct dpu_hal_error *err)
{
	struct sim_esw *esw = priv;
	struct sim_compiled *c = malloc(sizeof(*c));
	int ret;

	if (c == NULL)
		return dpu_hal_set_error(err, -ENOMEM, DPU_HAL_ERR_DEVICE, -1, "out of memory");
	pthread_mutex_lock(&esw->lock);
	ret = sim_compile(esw, attr, pattern, actions, c, err);
	pthread_mutex_unlock(&esw->lock);
	free(c);
	return ret;
}

static int
prov_create(void *priv, const struct dpu_hal_attr *attr, const struct dpu_hal_item *pattern,
	    const struct dpu_hal_action *actions, struct dpu_hal_flow **flow,
	    struct dpu_hal_error *err)
{
	struct sim_esw *esw = priv;
	struct sim_compiled c;
	struct sim_rule *r = NULL;
	int ret;

	pthread_mutex_lock(&esw->lock);
	ret = sim_compile(esw, attr, pattern, actions, &c, err);
	if (ret == 0)
		ret = sim_rule_create(esw, &c, attr->group, attr->priority, &r, err);
	ctl_done(esw);
	if (ret == 0)
		*flow = (struct dpu_hal_flow *)r;
	return ret;
}

static int
check_flow(struct sim_rule *r, struct dpu_hal_error *err)
{
	if (!(r->flags & SIM_RULE_F_LIVE))
		return dpu_hal_set_error(err, -ENOENT, DPU_HAL_ERR_FLOW, -1,
					 (r->flags & SIM_RULE_F_PENDING) ?
					 "flow is still pending in an async queue" :
					 "flow is not in the table (destroyed or failed)");
	return 0;
}

static int
prov_destroy(void *priv, struct dpu_hal_flow *flow, struct dpu_hal_error *err)
{
	struct sim_esw *esw = priv;
	struct sim_rule *r = (struct sim_rule *)flow;
	int ret;

	pthread_mutex_lock(&esw->lock);
	ret = check_flow(r, err);
	if (ret == 0)
		sim_rule_destroy(esw, r);
	ctl_done(esw);
	return ret;
}

static int
prov_query(void *priv, struct dpu_hal_flow *flow, bool reset, struct dpu_hal_count *out,
	   struct dpu_hal_error *err)
{
	struct sim_esw *esw = priv;
	struct sim_rule *r = (struct sim_rule *)flow;
	uint64_t hits, bytes, last, now;
	int ret;

	pthread_mutex_lock(&esw->lock);
	ret = check_flow(r, err);
	if (ret == 0 && !(r->prog->flags & SIM_PROG_F_COUNT))
		ret = dpu_hal_set_error(err, -ENOTSUP, DPU_HAL_ERR_FLOW, -1,
					"flow has no COUNT action");
	if (ret == 0 && reset && r->ext == NULL) {
		r->ext = calloc(1, sizeof(*r->ext));
		if (r->ext == NULL)
			ret = dpu_hal_set_error(err, -ENOMEM, DPU_HAL_ERR_DEVICE, -1, "out of memory");
	}
	if (ret == 0) {
		hits = __atomic_load_n(&r->hits, __ATOMIC_RELAXED);
		bytes = __atomic_load_n(&r->bytes, __ATOMIC_RELAXED);
		last = __atomic_load_n(&r->last_hit, __ATOMIC_RELAXED);
		now = sim_now(esw);
		out->hits = hits - (r->ext ? r->ext->base_hits : 0);
		out->bytes = bytes - (r->ext ? r->ext->base_bytes : 0);
		out->hits_set = out->bytes_set = 1;
		out->last_hit_age_s = now > last ? (now - last) / esw->hz : 0;
		if (reset) {
			r->ext->base_hits = hits;
			r->ext->base_bytes = bytes;
		}
	}
	pthread_mutex_unlock(&esw->lock);
	return ret;
}

static int
prov_flush(void *priv, struct dpu_hal_error *err)
{
	struct sim_esw *esw = priv;
	int ret;

	pthread_mutex_lock(&esw->lock);
	ret = sim_flush(esw);
	ctl_done(esw);
	if (ret < 0)
		return dpu_hal_set_error(err, ret, DPU_HAL_ERR_DEVICE, -1, "flush failed");
	return 0;
}

static int
prov_aged(void *priv, void **ctx, uint32_t n, struct dpu_hal_error *err)
{
	struct sim_esw *esw = priv;
	int ret;

	(void)err;
	sim_esw_age_poll(esw);
	pthread_mutex_lock(&esw->lock);
	ret = sim_aged_collect(esw, ctx, n);
	pthread_mutex_unlock(&esw->lock);
	return ret;
}

static int
prov_group_miss(void *priv, uint32_t group, enum dpu_hal_miss miss, struct dpu_hal_error *err)
{
	struct sim_esw *esw = priv;
	struct sim_group *g;
	int ret = 0;

	if (group >= esw->conf.max_groups)
		return dpu_hal_set_error(err, -EINVAL, DPU_HAL_ERR_ATTR, -1,
					 "group %u out of range (max %u)", group,
					 esw->conf.max_groups - 1);
	if (miss != DPU_HAL_MISS_TO_SW && miss != DPU_HAL_MISS_DROP)
		return dpu_hal_set_error(err, -EINVAL, DPU_HAL_ERR_ATTR, -1,
					 "unknown miss behaviour %d", miss);
	pthread_mutex_lock(&esw->lock);
	g = sim_group_get(esw, group, true);
	if (g == NULL)
		ret = dpu_hal_set_error(err, -ENOMEM, DPU_HAL_ERR_DEVICE, -1, "out of memory");
	else
		__atomic_store_n(&g->miss, (uint8_t)miss, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&esw->lock);
	return ret;
}

/* ----------------------------------------------------------------- async */

static struct sim_async_op *
q_slot(struct sim_esw *esw, uint32_t queue, struct dpu_hal_error *err)
{
	struct sim_async_q *q;

	if (queue >= esw->conf.nb_queues) {
		dpu_hal_set_error(err, -EINVAL, DPU_HAL_ERR_DEVICE, -1,
				  "queue %u out of range (%u queues)", queue, esw->conf.nb_queues);
		return NULL;
	}
	q = &esw->queues[queue];
	if (q->nops + q->ndone - q->done_head >= esw->conf.queue_depth) {
		dpu_hal_set_error(err, -EAGAIN, DPU_HAL_ERR_DEVICE, -1,
				  "queue %u full (%u ops + completions): push and pull first",
				  queue, esw->conf.queue_depth);
		return NULL;
	}
	if (q->nops == q->ops_cap) {
		uint32_t nc = q->ops_cap ? q->ops_cap * 2 : 256;
		struct sim_async_op *no = realloc(q->ops, nc * sizeof(*no));

		if (no == NULL) {
			dpu_hal_set_error(err, -ENOMEM, DPU_HAL_ERR_DEVICE, -1, "out of memory");
			return NULL;
		}
		q->ops = no;
		q->ops_cap = nc;
	}
	return &q->ops[q->nops];
}

static int
prov_async_create(void *priv, uint32_t queue, const struct dpu_hal_attr *attr,
		  const struct dpu_hal_item *pattern, const struct dpu_hal_action *actions,
		  void *user_data, struct dpu_hal_flow **flow, struct dpu_hal_error *err)
{
	struct sim_esw *esw = priv;
	struct sim_async_op *op;
	struct sim_async_q *q;
	struct sim_matcher *m;
	struct sim_compiled c;
	struct sim_rule *r;
	int ret;

	pthread_mutex_lock(&esw->lock);
	op = q_slot(esw, queue, err);
	if (op == NULL) {
		ret = err ? err->code : -EAGAIN;
		goto out;
	}
	ret = sim_compile(esw, attr, pattern, actions, &c, err);
	if (ret < 0)
		goto out;
	q = &esw->queues[queue];
	if (q->nkeys + SIM_KEY_WORDS > q->keys_cap) {
		uint32_t nc = q->keys_cap ? q->keys_cap * 2 : 4096;
		uint64_t *nk = realloc(q->keys, nc * sizeof(*nk));

		if (nk == NULL) {
			ret = dpu_hal_set_error(err, -ENOMEM, DPU_HAL_ERR_DEVICE, -1, "out of memory");
			goto out;
		}
		q->keys = nk;
		q->keys_cap = nc;
	}
	m = sim_matcher_get(esw, attr->group, attr->priority, &c.mask, err);
	if (m == NULL) {
		ret = err ? err->code : -ENOMEM;
		goto out;
	}
	ret = sim_rule_prepare(esw, &c, &r, err);
	if (ret < 0) {
		sim_matcher_put_unused(esw, m);
		goto out;
	}
	m->npending++;
	r->flags |= SIM_RULE_F_PENDING;
	op->create = 1;
	op->rule = r;
	op->user_data = user_data;
	op->m = m;
	op->koff = q->nkeys;
	sim_matcher_hash_key(m, &c.key, q->keys + q->nkeys, &op->sig);
	q->nkeys += m->nslots;
	q->nops++;
	*flow = (struct dpu_hal_flow *)r;
out:
	pthread_mutex_unlock(&esw->lock);
	return ret;
}

static int
prov_async_destroy(void *priv, uint32_t queue, struct dpu_hal_flow *flow, void *user_data,
		   struct dpu_hal_error *err)
{
	struct sim_esw *esw = priv;
	struct sim_async_op *op;
	int ret = 0;

	pthread_mutex_lock(&esw->lock);
	op = q_slot(esw, queue, err);
	if (op == NULL) {
		ret = err ? err->code : -EAGAIN;
	} else {
		op->create = 0;
		op->rule = (struct sim_rule *)flow;
		op->user_data = user_data;
		esw->queues[queue].nops++;
	}
	pthread_mutex_unlock(&esw->lock);
	return ret;
}

static int
done_push(struct sim_async_q *q, int status, void *ud, struct sim_rule *r)
{
	if (q->ndone == q->done_cap) {
		uint32_t nc = q->done_cap ? q->done_cap * 2 : 256;
		struct dpu_hal_op_result *nd;

		if (q->done_head > 0) {
			memmove(q->done, q->done + q->done_head,
				(q->ndone - q->done_head) * sizeof(*q->done));
			q->ndone -= q->done_head;
			q->done_head = 0;
		}
		if (q->ndone == q->done_cap) {
			nd = realloc(q->done, nc * sizeof(*nd));
			if (nd == NULL)
				return -ENOMEM;
			q->done = nd;
			q->done_cap = nc;
		}
	}
	q->done[q->ndone++] = (struct dpu_hal_op_result){ status, ud, (struct dpu_hal_flow *)r };
	return 0;
}

static int
prov_push(void *priv, uint32_t queue, struct dpu_hal_error *err)
{
	struct sim_esw *esw = priv;
	struct sim_async_q *q;
	int failed = 0;

	if (queue >= esw->conf.nb_queues)
		return dpu_hal_set_error(err, -EINVAL, DPU_HAL_ERR_DEVICE, -1,
					 "queue %u out of range (%u queues)", queue,
					 esw->conf.nb_queues);
	pthread_mutex_lock(&esw->lock);
	q = &esw->queues[queue];
	for (uint32_t i = 0; i < q->nops; i++) {
		struct sim_async_op *op = &q->ops[i];
		struct sim_rule *r = op->rule;
		int st = 0;

		if (i + 1 < q->nops)
			rte_prefetch0(q->keys + q->ops[i + 1].koff);
		if (op->create) {
			r->flags &= ~SIM_RULE_F_PENDING;
			op->m->npending--;
			st = sim_rule_activate(esw, r, 0, 0, NULL, NULL, op->m, q->keys + op->koff,
					       op->sig, NULL);
			if (st < 0) {
				/* the handle dies with its failed completion */
				sim_matcher_put_unused(esw, op->m);
				sim_rule_discard(esw, r);
				failed++;
			}
		} else if (r->flags & SIM_RULE_F_LIVE) {
			sim_rule_destroy(esw, r);
		} else {
			st = -ENOENT;
			failed++;
		}
		if (done_push(q, st, op->user_data, r) < 0)
			failed++;
	}
	q->nops = 0;
	q->nkeys = 0;
	ctl_done(esw);
	(void)failed;
	return 0;
}

static int
prov_pull(void *priv, uint32_t queue, struct dpu_hal_op_result *res, uint32_t n,
	  struct dpu_hal_error *err)
{
	struct sim_esw *esw = priv;
	struct sim_async_q *q;
	uint32_t k;

	if (queue >= esw->conf.nb_queues)
		return dpu_hal_set_error(err, -EINVAL, DPU_HAL_ERR_DEVICE, -1,
					 "queue %u out of range (%u queues)", queue,
					 esw->conf.nb_queues);
	pthread_mutex_lock(&esw->lock);
	q = &esw->queues[queue];
	k = q->ndone - q->done_head;
	if (k > n)
		k = n;
	if (k > 0)
		memcpy(res, q->done + q->done_head, k * sizeof(*res));
	q->done_head += k;
	if (q->done_head == q->ndone)
		q->done_head = q->ndone = 0;
	pthread_mutex_unlock(&esw->lock);
	return k;
}

static int
prov_meter_create(void *priv, uint32_t id, const struct dpu_hal_meter_conf *conf,
		  struct dpu_hal_error *err)
{
	struct sim_esw *esw = priv;
	int ret;

	pthread_mutex_lock(&esw->lock);
	ret = sim_meter_create(esw, id, conf, err);
	pthread_mutex_unlock(&esw->lock);
	return ret;
}

static int
prov_meter_destroy(void *priv, uint32_t id, struct dpu_hal_error *err)
{
	struct sim_esw *esw = priv;
	int ret;

	pthread_mutex_lock(&esw->lock);
	ret = sim_meter_destroy(esw, id, err);
	ctl_done(esw);
	return ret;
}

static int
prov_meter_stats(void *priv, uint32_t id, struct dpu_hal_meter_stats *st,
		 struct dpu_hal_error *err)
{
	struct sim_esw *esw = priv;
	int ret;

	pthread_mutex_lock(&esw->lock);
	ret = sim_meter_stats(esw, id, st, err);
	pthread_mutex_unlock(&esw->lock);
	return ret;
}

const struct dpu_hal_class sim_esw_hal_class = {
	.name = "sim",
	.open = prov_open,
	.close = prov_close,
	.caps = prov_caps,
	.validate = prov_validate,
	.create = prov_create,
	.destroy = prov_destroy,
	.query_count = prov_query,
	.flush = prov_flush,
	.aged_flows = prov_aged,
	.set_group_miss = prov_group_miss,
	.async_create = prov_async_create,
	.async_destroy = prov_async_destroy,
	.push = prov_push,
	.pull = prov_pull,
	.meter_create = prov_meter_create,
	.meter_destroy = prov_meter_destroy,
	.meter_stats = prov_meter_stats,
};

int
sim_esw_hal_attach(struct sim_esw *esw, struct dpu_hal_dev **dev)
{
	return dpu_hal_attach(&sim_esw_hal_class, esw, dev);
}

struct sim_esw *
sim_esw_from_hal(struct dpu_hal_dev *dev)
{
	if (dpu_hal_class_of(dev) != &sim_esw_hal_class)
		return NULL;
	return dpu_hal_priv(dev);
}
