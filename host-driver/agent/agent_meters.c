// SPDX-License-Identifier: BSD-3-Clause
/*
 * Shared police actions: `tc actions add action police index N ...` (what
 * OVS does for an OpenFlow meter) arrives as RTM_NEWACTION, and filters
 * then name only the index. The agent keeps the parameters by index so
 * the translator's meter() callback can fill those filters in; the card
 * configures a meter from the first rule that names it.
 */
#include <errno.h>
#include <linux/rtnetlink.h>
#include <stdlib.h>
#include <string.h>

#include "agent.h"
#include "agent_log.h"
#include "dpu_rules_tc.h"

static struct dpu_rules_act_police *meter_find(struct agent *a, uint32_t index)
{
	for (size_t i = 0; i < a->n_meters; i++)
		if (a->meters[i].index == index)
			return &a->meters[i];
	return NULL;
}

static int meter_put(struct agent *a, const struct dpu_rules_act_police *p)
{
	struct dpu_rules_act_police *m = meter_find(a, p->index);

	if (!m) {
		if (a->n_meters >= AGENT_MAX_METERS)
			return -ENOSPC;
		if (a->n_meters == a->meters_cap) {
			size_t cap = a->meters_cap ? a->meters_cap * 2 : 16;
			struct dpu_rules_act_police *n = realloc(a->meters, cap * sizeof(*n));

			if (!n)
				return -ENOMEM;
			a->meters = n;
			a->meters_cap = cap;
		}
		m = &a->meters[a->n_meters++];
	}
	*m = *p;
	return 0;
}

static void meter_del(struct agent *a, uint32_t index)
{
	struct dpu_rules_act_police *m = meter_find(a, index);

	if (m)
		*m = a->meters[--a->n_meters];
}

bool agent_is_action_msg(const void *buf, size_t len)
{
	const struct nlmsghdr *h = buf;

	return len >= sizeof(*h) &&
	       (h->nlmsg_type == RTM_NEWACTION || h->nlmsg_type == RTM_DELACTION);
}

int agent_meters_handle(struct agent *a, const void *buf, size_t len)
{
	static struct dpu_rules_flow f; /* large; the agent is one thread */
	struct dpu_rules_result res;

	dpu_rules_tc_decode_actions(buf, len, &f, &res, &a->st.decode);
	if (res.verdict == DPU_RULES_MALFORMED) {
		agent_log(AGENT_LOG_WARN, "tc action message refused: %s", res.reason);
		return 0;
	}
	for (unsigned int i = 0; i < f.n_actions; i++) {
		const struct dpu_rules_act_police *p = &f.actions[i].u.police;

		if (f.actions[i].kind != DPU_RULES_ACT_POLICE || !p->index)
			continue;
		if (f.op == DPU_RULES_OP_DEL) {
			meter_del(a, p->index);
		} else if (!p->by_reference) {
			int rc = meter_put(a, p);

			if (rc == -ENOSPC) {
				agent_log(AGENT_LOG_WARN, "police index %u: more than %u shared police actions; filters naming it stay in software",
					  p->index, AGENT_MAX_METERS);
				continue;
			}
			if (rc)
				return rc;
			agent_log(AGENT_LOG_INFO, "police index %u: rate %llu burst %llu%s", p->index,
				  (unsigned long long)p->rate, (unsigned long long)p->burst,
				  p->pps ? " (packets)" : "");
		}
	}
	return 0;
}

int agent_meter_lookup(void *ctx, uint32_t index, struct dpu_rules_act_police *out)
{
	struct dpu_rules_act_police *m = meter_find(ctx, index);

	if (!m)
		return -ENOENT;
	*out = *m;
	return 0;
}

void agent_meters_fini(struct agent *a)
{
	free(a->meters);
	a->meters = NULL;
	a->n_meters = a->meters_cap = 0;
}
