/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Deferred frees.  The control thread collects everything a change makes
 * unreachable into the current batch; sim_defer_commit() stamps the batch
 * with one rte_rcu_qsbr token, so a whole async push costs one grace
 * period, not one per rule.  Batches are reclaimed in FIFO order, so
 * what was made unreachable first is freed first.
 */
#include <stdlib.h>

#include <rte_pause.h>

#include "esw_internal.h"

void
sim_free_plain(struct sim_esw *esw, void *p, uintptr_t arg)
{
	(void)esw;
	(void)arg;
	free(p);
}

void
sim_defer(struct sim_esw *esw, sim_free_fn fn, void *p, uintptr_t arg)
{
	struct sim_defer_batch *b = esw->cur;

	if (b == NULL || b->n == b->cap) {
		uint32_t cap = b ? b->cap * 2 : 64;
		struct sim_defer_batch *nb = realloc(b, sizeof(*nb) + cap * sizeof(nb->d[0]));

		if (nb == NULL) {
			/*
			 * No memory to remember the free: wait for readers now
			 * instead (slow but safe).
			 */
			rte_rcu_qsbr_synchronize(esw->qsbr, RTE_QSBR_THRID_INVALID);
			fn(esw, p, arg);
			return;
		}
		if (b == NULL)
			nb->n = 0;
		nb->cap = cap;
		nb->next = NULL;
		esw->cur = b = nb;
	}
	b->d[b->n++] = (struct sim_defer){ fn, p, arg };
	esw->rcu_pending++;
}

void
sim_defer_commit(struct sim_esw *esw)
{
	struct sim_defer_batch *b = esw->cur;

	if (b == NULL)
		return;
	esw->cur = NULL;
	b->token = rte_rcu_qsbr_start(esw->qsbr);
	b->next = NULL;
	if (esw->fifo_tail)
		esw->fifo_tail->next = b;
	else
		esw->fifo_head = b;
	esw->fifo_tail = b;
}

uint64_t
sim_defer_reclaim(struct sim_esw *esw, bool wait)
{
	struct sim_defer_batch *b;

	while ((b = esw->fifo_head) != NULL) {
		if (rte_rcu_qsbr_check(esw->qsbr, b->token, wait) != 1)
			break;
		esw->fifo_head = b->next;
		if (esw->fifo_head == NULL)
			esw->fifo_tail = NULL;
		for (uint32_t i = 0; i < b->n; i++)
			b->d[i].fn(esw, b->d[i].p, b->d[i].arg);
		esw->rcu_pending -= b->n;
		free(b);
	}
	return esw->rcu_pending;
}
