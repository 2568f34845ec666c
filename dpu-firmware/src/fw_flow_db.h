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

/** Whether f holds exactly the rule of op (group, priority, items, actions). */
int fw_flow_same_rule(const struct fw_flow *f, const struct dpu_abi_flow_op *op);

/** A new record for op (not yet in the db); NULL on ENOMEM. */
struct fw_flow *fw_flow_from_op(const struct dpu_abi_flow_op *op);

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
