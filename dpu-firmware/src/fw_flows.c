/* SPDX-License-Identifier: BSD-3-Clause */
#include "fw_flows.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

int fw_flows_init(struct fw_flows *fl, uint32_t max_flows, struct dpu_hal_dev *hal)
{
	memset(fl, 0, sizeof(*fl));
	fl->db = fw_flow_db_create(max_flows);
	fl->hal = hal;
	fl->db_max = max_flows;
	return fl->db ? 0 : -ENOMEM;
}

static void hw_destroy(void *arg, struct fw_flow *f)
{
	struct fw_flows *fl = arg;

	if (fl->hal && f->hw)
		dpu_hal_flow_destroy(fl->hal, f->hw, NULL);
	f->hw = NULL;
}

void fw_flows_fini(struct fw_flows *fl)
{
	if (!fl->db)
		return;
	fw_flow_db_flush(fl->db, DPU_ABI_GROUP_ALL, hw_destroy, fl);
	fw_flow_db_destroy(fl->db);
	fl->db = NULL;
}

static uint16_t hw_fail(struct fw_flows *fl, int rc, const struct dpu_hal_error *err)
{
	fl->hw_refused++;
	snprintf(fl->why, sizeof(fl->why), "hardware: %s", err->msg[0] ? err->msg : strerror(-rc));
	return fw_hal_errno_to_status(rc);
}

/* Put the rule of op into the hardware table; *hw is the new handle. */
static uint16_t hw_install(struct fw_flows *fl, const struct dpu_abi_flow_op *op,
			   struct dpu_hal_flow **hw)
{
	struct fw_hal_rule *r = &fl->scratch;
	struct dpu_hal_error err = { 0 };
	uint16_t st;
	int rc;

	*hw = NULL;
	if (!fl->hal)
		return DPU_ABI_OK;
	st = fw_flow_to_hal(op, NULL, r, fl->why, sizeof(fl->why));
	if (st != DPU_ABI_OK) {
		fl->hw_refused++;
		return st;
	}
	for (uint32_t i = 0; i < r->n_meters; i++) {
		uint32_t id = r->meter_ids[i];

		if (id >= 65536) {
			snprintf(fl->why, sizeof(fl->why), "actions.meter.meter_id: %u, ids "
				 "above 65535 are not supported", id);
			return DPU_ABI_E_NOT_SUPPORTED;
		}
		if (fl->meter_made[id / 8] & (1u << (id % 8)))
			continue; /* the first rule naming a meter configures it */
		rc = dpu_hal_meter_create(fl->hal, id, &r->meter_conf[i], &err);
		if (rc < 0)
			return hw_fail(fl, rc, &err);
		fl->meter_made[id / 8] |= (uint8_t)(1u << (id % 8));
	}
	rc = dpu_hal_flow_create(fl->hal, &r->attr, r->pattern, r->actions, hw, &err);
	return rc < 0 ? hw_fail(fl, rc, &err) : DPU_ABI_OK;
}

static uint16_t op_add(struct fw_flows *fl, const struct dpu_abi_flow_op *op)
{
	struct fw_flow_db_pos pos;
	struct fw_flow *cur = fw_flow_db_lookup(fl->db, &op->id, &pos), *f;
	uint16_t st;
	int rc;

	if (cur) {
		if (fw_flow_same_rule(cur, op))
			return DPU_ABI_OK; /* replay after resync: nothing to do */
		snprintf(fl->why, sizeof(fl->why), "flow id exists with a different rule");
		return DPU_ABI_E_EXISTS;
	}
	if (fw_flow_db_count(fl->db) >= fl->db_max)
		goto full;
	f = fw_flow_from_op(fl->db, op);
	if (!f)
		goto full;
	st = hw_install(fl, op, &f->hw);
	if (st != DPU_ABI_OK) {
		fw_flow_free(fl->db, f);
		return st;
	}
	/* the HAL does not touch the db: pos is still where the id goes */
	rc = fw_flow_db_insert_at(fl->db, &pos, f);
	if (rc == 0)
		return DPU_ABI_OK;
	hw_destroy(fl, f);
	fw_flow_free(fl->db, f);
	if (rc == -EEXIST) {
		snprintf(fl->why, sizeof(fl->why), "flow table changed under the insert (a bug)");
		return DPU_ABI_E_INTERNAL;
	}
full:
	snprintf(fl->why, sizeof(fl->why), "flow table full");
	return DPU_ABI_E_NO_SPACE;
}

static uint16_t op_modify(struct fw_flows *fl, const struct dpu_abi_flow_op *op)
{
	struct fw_flow *cur = fw_flow_db_find(fl->db, &op->id), *f;
	uint16_t st;

	if (!cur)
		return DPU_ABI_E_NOT_FOUND;
	if (cur->group != op->group || cur->priority != op->priority) {
		snprintf(fl->why, sizeof(fl->why), "modify may not move a rule to another "
			 "group or priority (delete and add)");
		return DPU_ABI_E_CONFLICT;
	}
	f = fw_flow_from_op(fl->db, op);
	if (!f)
		return DPU_ABI_E_NO_SPACE;
	/* Make before break: traffic never sees a gap between the two. */
	st = hw_install(fl, op, &f->hw);
	if (st != DPU_ABI_OK) {
		fw_flow_free(fl->db, f);
		return st;
	}
	hw_destroy(fl, cur);
	f->packets = cur->packets;
	f->bytes = cur->bytes;
	fw_flow_db_put(fl->db, f); /* replaces and frees cur */
	return DPU_ABI_OK;
}

static uint16_t op_query(struct fw_flows *fl, const struct dpu_abi_flow_op *op,
			 struct dpu_abi_flow_result *res)
{
	struct fw_flow *cur = fw_flow_db_find(fl->db, &op->id);
	bool reset = op->flags & DPU_ABI_FLOWF_QUERY_RESET;
	struct dpu_hal_count cnt = { 0 };
	struct dpu_hal_error err = { 0 };

	if (!cur)
		return DPU_ABI_E_NOT_FOUND;
	if (fl->hal && cur->hw) {
		int rc = dpu_hal_flow_query_count(fl->hal, cur->hw, reset, &cnt, &err);

		if (rc < 0)
			return hw_fail(fl, rc, &err);
		res->packets = cnt.hits;
		res->bytes = cnt.bytes;
		res->idle_ms = cnt.last_hit_age_s >= UINT32_MAX / 1000
				       ? UINT32_MAX
				       : (uint32_t)(cnt.last_hit_age_s * 1000);
		return DPU_ABI_OK;
	}
	res->packets = cur->packets;
	res->bytes = cur->bytes;
	if (reset)
		cur->packets = cur->bytes = 0;
	return DPU_ABI_OK;
}

void fw_flows_prefetch(const struct fw_flows *fl, const struct dpu_abi_flow_op *op)
{
	fw_flow_db_prefetch(fl->db, &op->id);
}

void fw_flows_apply(struct fw_flows *fl, const struct dpu_abi_flow_op *op,
		    struct dpu_abi_flow_result *res)
{
	struct fw_flow *cur;

	fl->why[0] = 0;
	res->id = op->id;
	res->op = op->op;
	res->idle_ms = UINT32_MAX;
	switch (op->op) {
	case DPU_ABI_FLOW_ADD:
		res->status = op_add(fl, op);
		break;
	case DPU_ABI_FLOW_MODIFY:
		res->status = op_modify(fl, op);
		break;
	case DPU_ABI_FLOW_DELETE:
		cur = fw_flow_db_find(fl->db, &op->id);
		if (cur) {
			hw_destroy(fl, cur);
			fw_flow_db_remove(fl->db, &op->id);
		}
		res->status = cur ? DPU_ABI_OK : DPU_ABI_E_NOT_FOUND;
		break;
	case DPU_ABI_FLOW_QUERY:
		res->status = op_query(fl, op, res);
		break;
	default:
		res->status = DPU_ABI_E_ENUM;
		break;
	}
}

uint32_t fw_flows_flush(struct fw_flows *fl, uint32_t group)
{
	return fw_flow_db_flush(fl->db, group, hw_destroy, fl);
}
