/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The firmware's record of host rules by host-chosen flow id. The HAL owns
 * what is in the tables; this owns the ABI-level identity: it makes ADD
 * idempotent (same id + same rule = no-op), answers FLOW_LIST for resync,
 * and keeps the rule bytes so a MODIFY can be checked against the match.
 */
#ifndef FW_FLOW_DB_H
#define FW_FLOW_DB_H

#include <stddef.h>
#include <stdint.h>

#include "dpu_abi_flow.h"

struct dpu_hal_flow;

struct fw_flow {
	struct dpu_abi_flow_id id;
	uint32_t group;
	uint32_t priority;
	struct dpu_hal_flow *hw; /* the rule in the hardware table (NULL: none) */
	uint64_t packets;        /* counters when there is no HAL */
	uint64_t bytes;
	uint32_t rule_len;
	uint16_t size_class;     /* the db's allocator: 0 = malloc'd */
	uint8_t rule[];          /* the op's items + actions as received */
};

struct fw_flow_db;

/** Create a db that holds at most max_flows rules. NULL on ENOMEM. */
struct fw_flow_db *fw_flow_db_create(uint32_t max_flows);
void fw_flow_db_destroy(struct fw_flow_db *db);

/** Number of rules held. */
uint32_t fw_flow_db_count(const struct fw_flow_db *db);

/** Find a rule by id; NULL when absent. */
struct fw_flow *fw_flow_db_find(struct fw_flow_db *db,
				const struct dpu_abi_flow_id *id);

/**
 * Where an id is or would go: filled by fw_flow_db_lookup, valid for
 * fw_flow_db_insert_at until the db is next modified.
 */
struct fw_flow_db_pos {
	uint64_t hash;
	uint32_t slot;
	uint32_t gen; /* the db's change count at the lookup */
};

/** fw_flow_db_find that also says where a new record with id would go. */
struct fw_flow *fw_flow_db_lookup(struct fw_flow_db *db,
				  const struct dpu_abi_flow_id *id,
				  struct fw_flow_db_pos *pos);

/**
 * Insert f (new, with the id looked up) at pos without probing again.
 * -ENOSPC when the db is full.
 */
int fw_flow_db_insert_at(struct fw_flow_db *db, const struct fw_flow_db_pos *pos,
			 struct fw_flow *f);

/** Start loading the slot of id into the cache (a batch looks one op ahead). */
void fw_flow_db_prefetch(const struct fw_flow_db *db, const struct dpu_abi_flow_id *id);

/** Whether f holds exactly the rule of op (group, priority, items, actions). */
int fw_flow_same_rule(const struct fw_flow *f, const struct dpu_abi_flow_op *op);

/**
 * A new record for op (not yet in the db), from db's allocator; NULL on
 * ENOMEM. Give it to the db (put/insert_at) or back with fw_flow_free.
 */
struct fw_flow *fw_flow_from_op(struct fw_flow_db *db, const struct dpu_abi_flow_op *op);

/** Free a record from fw_flow_from_op that never went into the db. */
void fw_flow_free(struct fw_flow_db *db, struct fw_flow *f);

/** Bytes the db holds for records (chunks, whether in use or free). */
uint64_t fw_flow_db_record_bytes(const struct fw_flow_db *db);

/**
 * Insert f, or replace the record with the same id (which is freed).
 * -ENOSPC when the db is full and f is new.
 */
int fw_flow_db_put(struct fw_flow_db *db, struct fw_flow *f);

/** Remove and free the record with id; -ENOENT when absent. */
int fw_flow_db_remove(struct fw_flow_db *db, const struct dpu_abi_flow_id *id);

/**
 * Remove every record of group (DPU_ABI_GROUP_ALL: all), calling fn on
 * each before it is freed. Returns how many were removed.
 */
uint32_t fw_flow_db_flush(struct fw_flow_db *db, uint32_t group,
			  void (*fn)(void *arg, struct fw_flow *f), void *arg);

/**
 * Copy up to max ids starting at the start-th rule (in a stable order while
 * the table is not modified) into ids. Returns how many were copied.
 */
uint32_t fw_flow_db_list(const struct fw_flow_db *db, uint32_t start,
			 uint32_t max, struct dpu_abi_flow_id *ids);

#endif /* FW_FLOW_DB_H */
