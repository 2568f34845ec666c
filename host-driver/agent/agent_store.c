// SPDX-License-Identifier: BSD-3-Clause
/* The desired-state store: rules by flow id, a chained hash that doubles. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "agent.h"

static size_t slot(const struct agent_store *s, const struct dpu_abi_flow_id *id)
{
	/* tc ids differ in handle/prio (lo) and ifindex/chain (hi). */
	uint64_t h = (id->lo ^ (id->hi * 0x9e3779b97f4a7c15ull)) * 0xff51afd7ed558ccdull;

	return (size_t)(h >> 32) & (s->n_buckets - 1);
}

int agent_store_init(struct agent_store *s)
{
	memset(s, 0, sizeof(*s));
	s->n_buckets = 1024;
	s->buckets = calloc(s->n_buckets, sizeof(*s->buckets));
	return s->buckets ? 0 : -ENOMEM;
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
	for (size_t i = 0; i < s->n_buckets; i++)
		for (struct agent_rule *r = s->buckets[i], *n; r; r = n) {
			n = r->next;
			agent_rule_free(r);
		}
	free(s->buckets);
	memset(s, 0, sizeof(*s));
}

struct agent_rule *agent_store_find(struct agent_store *s, const struct dpu_abi_flow_id *id)
{
	for (struct agent_rule *r = s->buckets[slot(s, id)]; r; r = r->next)
		if (r->id.lo == id->lo && r->id.hi == id->hi)
			return r;
	return NULL;
}

static int grow(struct agent_store *s)
{
	struct agent_store bigger = { .n_buckets = s->n_buckets * 2 };

	bigger.buckets = calloc(bigger.n_buckets, sizeof(*bigger.buckets));
	if (!bigger.buckets)
		return -ENOMEM;
	for (size_t i = 0; i < s->n_buckets; i++)
		for (struct agent_rule *r = s->buckets[i], *n; r; r = n) {
			size_t k = slot(&bigger, &r->id);

			n = r->next;
			r->next = bigger.buckets[k];
			bigger.buckets[k] = r;
		}
	free(s->buckets);
	s->buckets = bigger.buckets;
	s->n_buckets = bigger.n_buckets;
	return 0;
}

int agent_store_insert(struct agent_store *s, struct agent_rule *r)
{
	size_t k;

	if (s->n_rules >= s->n_buckets && grow(s))
		return -ENOMEM;
	k = slot(s, &r->id);
	r->next = s->buckets[k];
	s->buckets[k] = r;
	s->n_rules++;
	return 0;
}

void agent_store_remove(struct agent_store *s, struct agent_rule *r)
{
	struct agent_rule **pp = &s->buckets[slot(s, &r->id)];

	for (; *pp; pp = &(*pp)->next)
		if (*pp == r) {
			*pp = r->next;
			s->n_rules--;
			return;
		}
}

void agent_store_foreach(struct agent_store *s, void (*fn)(void *, struct agent_rule *),
			 void *arg)
{
	for (size_t i = 0; i < s->n_buckets; i++)
		for (struct agent_rule *r = s->buckets[i]; r; r = r->next)
			fn(arg, r);
}
