// SPDX-License-Identifier: BSD-3-Clause
/*
 * tc messages into desired state: decode (offload-rules), translate with
 * the agent's port knowledge, keep the encoded op, queue what the card must
 * hear. Nothing here talks to the card.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent.h"
#include "agent_log.h"
#include "dpu_abi_codec.h"
#include "dpu_rules_print.h"
#include "dpu_rules_tc.h"

static int queue_put(struct agent *a, const struct dpu_abi_flow_id *id,
		     struct agent_rule *r, uint8_t op)
{
	if (a->n_queue == a->queue_cap) {
		size_t cap = a->queue_cap ? a->queue_cap * 2 : 4096;
		struct agent_qent *q;

		if (cap > AGENT_QPOS_NONE)
			return -ENOMEM;
		q = realloc(a->queue, cap * sizeof(*q));
		if (!q)
			return -ENOMEM;
		a->queue = q;
		a->queue_cap = cap;
	}
	a->queue[a->n_queue++] = (struct agent_qent){ .id = *id, .rule = r, .op = op };
	return 0;
}

int agent_queue_add(struct agent *a, struct agent_rule *r)
{
	int rc;

	/* One ADD per rule on the queue: a second one would only repeat it. */
	if (r->qpos != AGENT_QPOS_NONE)
		return 0;
	rc = queue_put(a, &r->id, r, DPU_ABI_FLOW_ADD);
	if (!rc)
		r->qpos = (uint32_t)(a->n_queue - 1);
	return rc;
}

int agent_queue_del(struct agent *a, const struct dpu_abi_flow_id *id)
{
	return queue_put(a, id, NULL, DPU_ABI_FLOW_DELETE);
}

void agent_rule_drop(struct agent *a, struct agent_rule *r)
{
	if (r->qpos != AGENT_QPOS_NONE)
		a->queue[r->qpos].rule = NULL;
	agent_store_remove(&a->store, r);
	agent_rule_free(r);
}

static struct agent_rule *rule_new(const struct dpu_abi_flow_id *id,
				   const struct dpu_rules_id *tc, const void *op,
				   size_t op_len, const char *reason)
{
	struct agent_rule *r = calloc(1, sizeof(*r) + op_len);

	if (!r)
		return NULL;
	r->id = *id;
	r->tc = *tc;
	r->op_len = (uint16_t)op_len;
	if (op_len) {
		memcpy(r->op, op, op_len);
		r->state = AGENT_PENDING;
	} else {
		r->state = AGENT_SW;
		r->reason = strdup(reason && *reason ? reason : "not offloadable");
	}
	r->idle_ms = UINT32_MAX;
	r->qpos = AGENT_QPOS_NONE;
	return r;
}

struct agent_rule *agent_rule_build(struct agent *a, const struct dpu_rules_flow *f,
				    const struct dpu_rules_result *decoded)
{
	static struct dpu_rules_abi_flow abi; /* large; the agent is one thread */
	_Alignas(8) uint8_t buf[8192];
	struct dpu_rules_result res = *decoded;
	struct dpu_abi_flow_id id;
	struct dpu_abi_builder b;
	const struct dpu_abi_flow_op *op;
	int n;

	dpu_rules_tc_flow_id(&f->id, &id);
	if (res.verdict != DPU_RULES_OK)
		return rule_new(&id, &f->id, NULL, 0, res.reason);
	if (dpu_rules_to_abi(f, &a->resolver, &abi, &res))
		return rule_new(&id, &f->id, NULL, 0, res.reason);
	if (a->card && dpu_rules_caps_check(&abi, &a->card->hello.caps, &res))
		return rule_new(&id, &f->id, NULL, 0, res.reason);
	dpu_abi_build_init(&b, buf, sizeof(buf), DPU_ABI_OP_FLOW_BATCH, 0, 0);
	dpu_abi_flow_batch_begin(&b);
	dpu_rules_abi_emit(&b, DPU_ABI_FLOW_ADD, &abi);
	n = dpu_abi_build_finish(&b);
	if (n < 0)
		return rule_new(&id, &f->id, NULL, 0, "does not fit one ABI op");
	op = dpu_abi_flow_batch_first((const struct dpu_abi_hdr *)buf);
	return rule_new(&id, &f->id, op, op->len, NULL);
}

int agent_handle_msg(struct agent *a, const void *buf, size_t len)
{
	static struct dpu_rules_flow f; /* large; the agent is one thread */
	struct dpu_rules_result res;
	struct dpu_abi_flow_id id;
	struct agent_rule *old, *r;

	dpu_rules_tc_decode(buf, len, &f, &res, &a->st.decode);
	if (res.verdict == DPU_RULES_IGNORED)
		return 0;
	if (res.verdict == DPU_RULES_MALFORMED) {
		agent_log(AGENT_LOG_WARN, "tc message refused: %s", res.reason);
		return 0;
	}
	dpu_rules_tc_flow_id(&f.id, &id);
	old = agent_store_find(&a->store, &id);
	if (f.op == DPU_RULES_OP_DEL) {
		if (!old)
			return 0;
		a->st.dels++;
		/* Whatever the card may hold under this id goes. */
		if (old->op_len && agent_queue_del(a, &id))
			return -ENOMEM;
		agent_rule_drop(a, old);
		return 0;
	}
	r = agent_rule_build(a, &f, &res);
	if (!r)
		return -ENOMEM;
	a->st.adds++;
	if (old) {
		/* Same bytes: nothing changes (a replayed dump, a resend). */
		if (old->op_len && old->op_len == r->op_len &&
		    !memcmp(old->op, r->op, r->op_len) && old->state != AGENT_FAILED) {
			agent_rule_free(r);
			return 0;
		}
		/* A changed rule under the same id: the card refuses an ADD
		 * over a different rule, so the old one goes first. */
		if (old->op_len && agent_queue_del(a, &id)) {
			agent_rule_free(r);
			return -ENOMEM;
		}
		agent_rule_drop(a, old);
	}
	if (agent_store_insert(&a->store, r)) {
		agent_rule_free(r);
		return -ENOMEM;
	}
	if (r->state == AGENT_PENDING && agent_queue_add(a, r))
		return -ENOMEM;
	if (r->state == AGENT_SW)
		agent_log(AGENT_LOG_INFO, "filter on ifindex %u chain %u prio %u handle 0x%x stays in software: %s",
			  f.id.ifindex, f.id.chain, f.id.prio, f.id.handle, r->reason);
	return 0;
}
