/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Discovery log page: one entry per (subsystem the host may use, listener),
 * with the listener's advertised address where one is set.
 */
#include <stdio.h>
#include <string.h>

#include "nvmf_internal.h"

static void fill_entry(struct nvmf_disc_log_entry *e, const struct nvmf_subsys *s,
		       const struct nvmf_listener *l)
{
	memset(e, 0, sizeof(*e));
	e->trtype = NVMF_TRTYPE_TCP;
	e->adrfam = l->adv_traddr[0] ? l->adv_adrfam : l->adrfam;
	e->subtype = NVMF_SUBTYPE_NVME;
	e->treq = NVMF_TREQ_SECURE_CHANNEL_NOT_REQUIRED;
	e->portid = l->portid;
	e->cntlid = 0xffff;
	e->asqsz = NVMF_ADMIN_SQ_MAX;
	/* the address hosts reach us at, if it is not the one bound */
	snprintf(e->trsvcid, sizeof(e->trsvcid), "%u", l->adv_port ? l->adv_port : l->port);
	snprintf(e->traddr, sizeof(e->traddr), "%s", l->adv_traddr[0] ? l->adv_traddr : l->traddr);
	snprintf(e->subnqn, sizeof(e->subnqn), "%s", s->p.nqn);
	e->tsas[0] = NVMF_TCP_SECTYPE_NONE;
}

/* Copy bytes [off, off+len) of the log page for controller @c into @buf. */
void nvmf_disc_log_fill(struct nvmf_ctrlr *c, uint8_t *buf, uint64_t off, uint32_t len)
{
	struct nvmf_tgt *tgt = c->tgt;
	struct nvmf_disc_log_hdr hdr;
	struct nvmf_disc_log_entry e;
	struct nvmf_subsys *s;
	uint64_t rec = 0;

	memset(buf, 0, len);
	pthread_mutex_lock(&tgt->lock);
	TAILQ_FOREACH(s, &tgt->subsystems, link) {
		if (!nvmf_subsys_host_allowed(s, c->hostnqn))
			continue;
		pthread_mutex_lock(&s->lock);
		for (uint32_t i = 0; i < s->n_listeners; i++, rec++) {
			uint64_t eo = sizeof(hdr) + rec * sizeof(e);

			if (eo + sizeof(e) <= off || eo >= off + len)
				continue;
			fill_entry(&e, s, s->listeners[i]);
			for (uint64_t b = 0; b < sizeof(e); b++)
				if (eo + b >= off && eo + b < off + len)
					buf[eo + b - off] = ((uint8_t *)&e)[b];
		}
		pthread_mutex_unlock(&s->lock);
	}
	pthread_mutex_unlock(&tgt->lock);
	memset(&hdr, 0, sizeof(hdr));
	hdr.genctr = atomic_load(&tgt->genctr);
	hdr.numrec = rec;
	hdr.recfmt = 0;
	for (uint64_t b = off; b < sizeof(hdr) && b < off + len; b++)
		buf[b - off] = ((uint8_t *)&hdr)[b];
}
