/* SPDX-License-Identifier: BSD-3-Clause */
#include "fw_flow_db.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/*
 * Open addressing with linear probing and backward-shift deletion: the
 * control path inserts up to millions of rules during a resync, so no
 * per-bucket allocation and no tombstones that degrade probes over time.
 * Listing walks the slot array, which is stable while the db is unchanged.
 */
struct fw_flow_db {
	uint32_t max_flows;
	uint32_t count;
	uint32_t mask; /* slots - 1, slots a power of two >= 2 * max_flows */
	/* The hash beside the pointer: a probe touches a flow only when its
	 * hash matches, so an ADD of a new id (a miss) reads no flow at all. */
	struct fw_flow_slot {
		uint64_t hash;
		struct fw_flow *f; /* NULL: empty */
	} *slots;
};

static uint64_t id_hash(const struct dpu_abi_flow_id *id)
{
	/* ids may be sequential counters or tc handles: mix all bits. */
	uint64_t h = id->lo * 0x9e3779b97f4a7c15ull ^ id->hi;
	h ^= h >> 32;
	h *= 0xd6e8feb86659fd93ull;
	h ^= h >> 32;
	return h;
}

static int id_eq(const struct dpu_abi_flow_id *a, const struct dpu_abi_flow_id *b)
{
	return a->lo == b->lo && a->hi == b->hi;
}

struct fw_flow_db *fw_flow_db_create(uint32_t max_flows)
{
	struct fw_flow_db *db = calloc(1, sizeof(*db));
	uint64_t slots = 16;

	if (!db)
		return NULL;
	while (slots < 2ull * max_flows)
		slots <<= 1;
	db->slots = calloc(slots, sizeof(*db->slots));
	if (!db->slots) {
		free(db);
		return NULL;
	}
	db->max_flows = max_flows;
	db->mask = (uint32_t)(slots - 1);
	return db;
}

void fw_flow_db_destroy(struct fw_flow_db *db)
{
	if (!db)
		return;
	for (uint64_t i = 0; i <= db->mask; i++)
		free(db->slots[i].f);
	free(db->slots);
	free(db);
}

uint32_t fw_flow_db_count(const struct fw_flow_db *db)
{
	return db->count;
}

static uint32_t find_slot_h(const struct fw_flow_db *db,
			    const struct dpu_abi_flow_id *id, uint64_t h)
{
	uint32_t i = (uint32_t)h & db->mask;

	while (db->slots[i].f && (db->slots[i].hash != h || !id_eq(&db->slots[i].f->id, id)))
		i = (i + 1) & db->mask;
	return i;
}

static uint32_t find_slot(const struct fw_flow_db *db,
			  const struct dpu_abi_flow_id *id)
{
	return find_slot_h(db, id, id_hash(id));
}

struct fw_flow *fw_flow_db_find(struct fw_flow_db *db,
				const struct dpu_abi_flow_id *id)
{
	return db->slots[find_slot(db, id)].f;
}

static void remove_slot(struct fw_flow_db *db, uint32_t i)
{
	uint32_t j = i;

	free(db->slots[i].f);
	db->slots[i].f = NULL;
	db->count--;
	/* Backward shift: pull later entries of the probe run into the hole. */
	for (;;) {
		j = (j + 1) & db->mask;
		if (!db->slots[j].f)
			return;
		uint32_t home = (uint32_t)db->slots[j].hash & db->mask;
		/* Move j to i unless its home lies cyclically in (i, j]. */
		if (((j - home) & db->mask) >= ((j - i) & db->mask)) {
			db->slots[i] = db->slots[j];
			db->slots[j].f = NULL;
			i = j;
		}
	}
}

struct fw_flow *fw_flow_from_op(const struct dpu_abi_flow_op *op)
{
	uint32_t rule_len = op->len - (uint32_t)sizeof(*op);
	struct fw_flow *f = malloc(sizeof(*f) + rule_len);

	if (!f)
		return NULL;
	f->id = op->id;
	f->group = op->group;
	f->priority = op->priority;
	f->hw = NULL;
	f->packets = 0;
	f->bytes = 0;
	f->rule_len = rule_len;
	memcpy(f->rule, op + 1, rule_len);
	return f;
}

int fw_flow_same_rule(const struct fw_flow *f, const struct dpu_abi_flow_op *op)
{
	return f->group == op->group && f->priority == op->priority &&
	       f->rule_len == op->len - sizeof(*op) &&
	       memcmp(f->rule, op + 1, f->rule_len) == 0;
}

int fw_flow_db_put(struct fw_flow_db *db, struct fw_flow *f)
{
	uint64_t h = id_hash(&f->id);
	uint32_t i = find_slot_h(db, &f->id, h);

	if (db->slots[i].f) {
		free(db->slots[i].f);
		db->slots[i].f = f;
		return 0;
	}
	if (db->count >= db->max_flows)
		return -ENOSPC;
	db->slots[i] = (struct fw_flow_slot){ .hash = h, .f = f };
	db->count++;
	return 0;
}

int fw_flow_db_remove(struct fw_flow_db *db, const struct dpu_abi_flow_id *id)
{
	uint32_t i = find_slot(db, id);

	if (!db->slots[i].f)
		return -ENOENT;
	remove_slot(db, i);
	return 0;
}

uint32_t fw_flow_db_flush(struct fw_flow_db *db, uint32_t group,
			  void (*fn)(void *arg, struct fw_flow *f), void *arg)
{
	uint32_t n = 0;

	if (group == DPU_ABI_GROUP_ALL) {
		for (uint64_t i = 0; i <= db->mask; i++) {
			if (db->slots[i].f) {
				if (fn)
					fn(arg, db->slots[i].f);
				free(db->slots[i].f);
				db->slots[i].f = NULL;
				n++;
			}
		}
		db->count = 0;
		return n;
	}
	/* Backward shift may move an unvisited entry into slot i: re-check it. */
	for (uint64_t i = 0; i <= db->mask;) {
		if (db->slots[i].f && db->slots[i].f->group == group) {
			if (fn)
				fn(arg, db->slots[i].f);
			remove_slot(db, (uint32_t)i);
			n++;
		} else {
			i++;
		}
	}
	return n;
}

uint32_t fw_flow_db_list(const struct fw_flow_db *db, uint32_t start,
			 uint32_t max, struct dpu_abi_flow_id *ids)
{
	uint32_t seen = 0, n = 0;

	for (uint64_t i = 0; i <= db->mask && n < max; i++) {
		if (!db->slots[i].f)
			continue;
		if (seen++ >= start)
			ids[n++] = db->slots[i].f->id;
	}
	return n;
}
