// SPDX-License-Identifier: BSD-3-Clause
/* What the card said it can do (HELLO caps) against one ABI rule. */
#include "dpu_rules_abi.h"

int dpu_rules_caps_check(const struct dpu_rules_abi_flow *a,
			 const struct dpu_abi_caps *caps,
			 struct dpu_rules_result *res)
{
	unsigned int t, i;

	for (t = 1; t < DPU_ABI_ITEM_TYPE_MAX; t++)
		if (dpu_rules_has_item(&a->match, t) &&
		    !(caps->item_types & (1ull << t)))
			return dpu_rules_fail(res, DPU_RULES_REFUSED,
					      "card cannot match %s (no item type %u in its caps)",
					      dpu_abi_item_name((uint16_t)t), t);
	for (i = 0; i < a->n_actions; i++) {
		uint16_t type = a->actions[i].hdr.type;

		if (type >= 64 || !(caps->action_types & (1ull << type)))
			return dpu_rules_fail(res, DPU_RULES_REFUSED,
					      "card cannot do action %s (no action type %u in its caps)",
					      dpu_abi_action_name(type), type);
		if (type == DPU_ABI_ACT_METER && caps->max_meters &&
		    a->actions[i].meter.meter_id > caps->max_meters)
			return dpu_rules_fail(res, DPU_RULES_REFUSED,
					      "meter %u beyond the card's %u meters",
					      a->actions[i].meter.meter_id,
					      caps->max_meters);
		if (type == DPU_ABI_ACT_JUMP && caps->max_groups &&
		    a->actions[i].u32.value >= caps->max_groups)
			return dpu_rules_fail(res, DPU_RULES_REFUSED,
					      "jump to group %u beyond the card's %u groups",
					      a->actions[i].u32.value, caps->max_groups);
	}
	if (caps->max_groups && a->group >= caps->max_groups)
		return dpu_rules_fail(res, DPU_RULES_REFUSED,
				      "group %u (tc chain) beyond the card's %u groups",
				      a->group, caps->max_groups);
	return 0;
}
