// SPDX-License-Identifier: BSD-3-Clause
/*
 * The desired-state store: rules by flow id. Open addressing with linear
 * probing, at most half full, the hash kept beside each pointer: looking up
 * an id that is not there (every new filter) reads one or two adjacent
 * slots and no rule at all, where a chained table read a rule per step.
 * Deletion shifts the probe run back, so there are no tombstones.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "agent.h"

/* Runs of 8 consecutive tc handles share a home block of 8 slots (two
 * cache lines): the kernel numbers a filter's handles one after another,
 * so a burst of new filters touches a new line every few inserts instead
 * of on each one. Everything else in the id is mixed. */
#define HANDLE_RUN 8u

static uint64_t id_hash(const struct dpu_abi_flow_id *id)
{
	uint64_t h = (id->lo / HANDLE_RUN) * 0x9e3779b97f4a7c15ull ^ id->hi;

	h ^= h >> 32;
	h *= 0xd6e8feb86659fd93ull;
	h ^= h >> 32;
	return h * HANDLE_RUN + id->lo % HANDLE_RUN;
}

int agent_store_init(struct agent_store *s)
{
	memset(s, 0, sizeof(*s));
	s->mask = 1023;
	s->slots = calloc(s->mask + 1, sizeof(*s->slots));
	return s->slots ? 0 : -ENOMEM;
}

void agent_rule_free(struct agent_rule *r)
{
	if (r) {
		free(r->reason);
		free(r);
	}
}

void agent_store_fini(struct agent_store *s)
{
	for (size_t i = 0; s->slots && i <= s->mask; i++)
		agent_rule_free(s->slots[i].r);
	free(s->slots);
	memset(s, 0, sizeof(*s));
}

static size_t find_slot(const struct agent_store *s, const struct dpu_abi_flow_id *id,
			uint64_t h)
{
	size_t i = (size_t)h & s->mask;

	while (s->slots[i].r && (s->slots[i].hash != h || s->slots[i].r->id.lo != id->lo ||
				 s->slots[i].r->id.hi != id->hi))
		i = (i + 1) & s->mask;
	return i;
}

struct agent_rule *agent_store_find(struct agent_store *s, const struct dpu_abi_flow_id *id)
{
	return s->slots[find_slot(s, id, id_hash(id))].r;
}

static int grow(struct agent_store *s)
{
	struct agent_store bigger = { .mask = s->mask * 2 + 1, .n_rules = s->n_rules };

	bigger.slots = calloc(bigger.mask + 1, sizeof(*bigger.slots));
	if (!bigger.slots)
		return -ENOMEM;
	for (size_t i = 0; i <= s->mask; i++) {
		size_t k;

		if (!s->slots[i].r)
			continue;
		for (k = (size_t)s->slots[i].hash & bigger.mask; bigger.slots[k].r;
		     k = (k + 1) & bigger.mask)
			;
		bigger.slots[k] = s->slots[i];
	}
	free(s->slots);
	*s = bigger;
	return 0;
}

int agent_store_insert(struct agent_store *s, struct agent_rule *r)
{
	uint64_t h = id_hash(&r->id);
	size_t k;

	if (2 * (s->n_rules + 1) > s->mask + 1 && grow(s))
		return -ENOMEM;
	k = find_slot(s, &r->id, h);
	if (s->slots[k].r)
		return -EEXIST;
	s->slots[k].hash = h;
	s->slots[k].r = r;
	s->n_rules++;
	return 0;
}

void agent_store_remove(struct agent_store *s, struct agent_rule *r)
{
	size_t i = find_slot(s, &r->id, id_hash(&r->id)), j = i;

	if (s->slots[i].r != r)
		return;
	s->slots[i].r = NULL;
	s->n_rules--;
	/* Backward shift: pull later entries of the probe run into the hole. */
	for (;;) {
		size_t home;

		j = (j + 1) & s->mask;
		if (!s->slots[j].r)
			return;
		home = (size_t)s->slots[j].hash & s->mask;
		/* Move j to i unless its home lies cyclically in (i, j]. */
		if (((j - home) & s->mask) >= ((j - i) & s->mask)) {
			s->slots[i] = s->slots[j];
			s->slots[j].r = NULL;
			i = j;
		}
	}
}

void agent_store_foreach(struct agent_store *s, void (*fn)(void *, struct agent_rule *),
			 void *arg)
{
	for (size_t i = 0; i <= s->mask; i++)
		if (s->slots[i].r)
			fn(arg, s->slots[i].r);
}
