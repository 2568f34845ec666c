// SPDX-License-Identifier: BSD-3-Clause
/* ABI rule <-> FLOW_BATCH op, through the codec's builder and iterators. */
#include <errno.h>
#include <string.h>

#include "dpu_rules_abi.h"

void dpu_rules_abi_emit(struct dpu_abi_builder *b, uint8_t op,
			const struct dpu_rules_abi_flow *a)
{
	/* The match is const for us; item accessors take a mutable one. */
	struct dpu_rules_match *m = (struct dpu_rules_match *)&a->match;
	unsigned int t, i;

	bool full = op == DPU_ABI_FLOW_ADD || op == DPU_ABI_FLOW_MODIFY;

	/* DELETE/QUERY name the flow by id alone; the ABI wants the rest 0. */
	dpu_abi_flow_op_begin(b, op, full ? a->flags : 0, full ? a->group : 0,
			      full ? a->priority : 0, &a->id);
	if (full) {
		/* Ascending type order is what the ABI requires. */
		for (t = 1; t < DPU_ABI_ITEM_TYPE_MAX; t++)
			if (dpu_rules_has_item(m, t))
				dpu_abi_flow_op_item(b, (uint16_t)t,
						     dpu_rules_item_spec(m, t),
						     dpu_rules_item_mask(m, t));
		for (i = 0; i < a->n_actions; i++)
			dpu_abi_flow_op_action(b, &a->actions[i]);
	}
	dpu_abi_flow_op_end(b);
}

int dpu_rules_abi_from_op(const struct dpu_abi_flow_op *op,
			  struct dpu_rules_abi_flow *out)
{
	const struct dpu_abi_item_hdr *it;
	const struct dpu_abi_action_hdr *ah;
	unsigned int i;

	memset(out, 0, sizeof(*out));
	out->flags = op->flags;
	out->group = op->group;
	out->priority = op->priority;
	out->id = op->id;
	it = dpu_abi_flow_op_first_item(op);
	for (i = 0; i < op->n_items; i++, it = dpu_abi_item_next(it)) {
		size_t n = (it->len - sizeof(*it)) / 2;
		void *s = dpu_rules_item_spec(&out->match, it->type);
		void *mk = dpu_rules_item_mask(&out->match, it->type);

		if (!s || !mk)
			return -EOPNOTSUPP;
		memcpy(s, dpu_abi_item_spec(it), n);
		memcpy(mk, dpu_abi_item_mask(it), n);
		out->match.items |= 1u << it->type;
	}
	if (op->n_actions > DPU_ABI_MAX_ACTIONS)
		return -E2BIG;
	ah = op->n_actions ? dpu_abi_flow_op_first_action(op) : NULL;
	for (i = 0; i < op->n_actions; i++, ah = dpu_abi_action_next(ah)) {
		if (ah->len > sizeof(out->actions[i]))
			return -EOPNOTSUPP;
		memcpy(&out->actions[i], ah, ah->len);
	}
	out->n_actions = op->n_actions;
	return 0;
}
