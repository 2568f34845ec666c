// SPDX-License-Identifier: BSD-3-Clause
/*
 * tc messages into desired state: decode (offload-rules), translate with
 * the agent's port knowledge, keep the encoded op, queue what the card must
 * hear. Nothing here talks to the card.
 */
#include <errno.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
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

void agent_queue_clear(struct agent *a)
{
	for (size_t i = 0; i < a->n_queue; i++)
		if (a->queue[i].rule && a->queue[i].rule->qpos == i)
			a->queue[i].rule->qpos = AGENT_QPOS_NONE;
	a->n_queue = a->q_sent = 0;
	a->n_inflight = 0;
	a->kick_at = AGENT_KICK_OPS;
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
	/* malloc, not calloc: the op bytes are copied over at once, and a
	 * million filters should not be zeroed first. */
	struct agent_rule *r = malloc(sizeof(*r) + op_len);

	if (!r)
		return NULL;
	*r = (struct agent_rule){
		.id = *id,
		.tc = *tc,
		.op_len = (uint16_t)op_len,
		.idle_ms = UINT32_MAX,
		.qpos = AGENT_QPOS_NONE,
	};
	if (op_len) {
		memcpy(r->op, op, op_len);
		r->state = AGENT_PENDING;
	} else {
		r->state = AGENT_SW;
		r->reason = strdup(reason && *reason ? reason : "not offloadable");
	}
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

/* Rules of one netdev, optionally only of one direction, chain and
 * priority. */
struct scope {
	uint32_t ifindex;
	bool by_dir, by_chain, by_prio, by_unseen;
	uint32_t gen; /* by_unseen: the dump generation, */
	const uint32_t *ifs; /* and the netdevs (sorted) instead of ifindex */
	size_t n_ifs;
	uint8_t dir; /* enum dpu_rules_dir */
	uint32_t chain;
	uint16_t prio;
	struct agent_rule **hit;
	size_t n, cap;
	bool oom;
};

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static void collect_scope(void *arg, struct agent_rule *r)
{
	struct scope *sc = arg;

	if (sc->ifs ? !bsearch(&r->tc.ifindex, sc->ifs, sc->n_ifs, sizeof(*sc->ifs), cmp_u32)
		    : r->tc.ifindex != sc->ifindex)
		return;
	if ((sc->by_dir && r->tc.dir != sc->dir) ||
	    (sc->by_chain && r->tc.chain != sc->chain) ||
	    (sc->by_prio && r->tc.prio != sc->prio) || (sc->by_unseen && r->seen == sc->gen))
		return;
	if (sc->n == sc->cap) {
		size_t cap = sc->cap ? sc->cap * 2 : 64;
		struct agent_rule **hit = realloc(sc->hit, cap * sizeof(*hit));

		if (!hit) {
			sc->oom = true;
			return;
		}
		sc->hit = hit;
		sc->cap = cap;
	}
	sc->hit[sc->n++] = r;
}

/* The kernel tells of a whole group of filters going at once (a priority
 * deleted without a handle, every filter of a chain, the chain itself or
 * the ingress qdisc with all it held) in one message, not one per filter:
 * the card must lose them all the same. */
static int drop_scope(struct agent *a, struct scope *sc, const char *what)
{
	int rc = 0;

	agent_store_foreach(&a->store, collect_scope, sc);
	if (sc->oom) {
		free(sc->hit);
		return -ENOMEM;
	}
	for (size_t i = 0; i < sc->n && !rc; i++) {
		struct agent_rule *r = sc->hit[i];

		if (r->op_len)
			rc = agent_queue_del(a, &r->id);
		if (!rc) {
			agent_rule_drop(a, r);
			a->st.dels++;
		}
	}
	if (sc->n && sc->ifs)
		agent_log(AGENT_LOG_INFO, "%s: %zu filters gone", what, sc->n);
	else if (sc->n)
		agent_log(AGENT_LOG_INFO, "%s on ifindex %u: %zu filters gone", what,
			  sc->ifindex, sc->n);
	free(sc->hit);
	return rc;
}

/* RTM_DELQDISC of an ingress/clsact qdisc, RTM_DELCHAIN: 1 if handled. */
static int teardown(struct agent *a, const struct nlmsghdr *h, int *rc)
{
	const struct tcmsg *t = NLMSG_DATA(h);
	struct scope sc = { 0 };

	if (h->nlmsg_type != RTM_DELQDISC && h->nlmsg_type != RTM_DELCHAIN)
		return 0;
	*rc = 0;
	if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*t)) || t->tcm_ifindex <= 0) {
		a->st.decode.malformed++;
		agent_log(AGENT_LOG_WARN, "tc message refused: %s: %u bytes, ifindex %d",
			  h->nlmsg_type == RTM_DELQDISC ? "RTM_DELQDISC" : "RTM_DELCHAIN",
			  h->nlmsg_len, h->nlmsg_len < NLMSG_LENGTH(sizeof(*t)) ? 0 : t->tcm_ifindex);
		return 1;
	}
	sc.ifindex = (uint32_t)t->tcm_ifindex;
	if (h->nlmsg_type == RTM_DELQDISC) {
		/* ingress and clsact both sit at ffff:fff1 */
		if (t->tcm_parent == TC_H_INGRESS)
			*rc = drop_scope(a, &sc, "ingress qdisc deleted");
		return 1;
	}
	/* RTM_DELCHAIN: which side of the qdisc, and the chain index */
	/* libnl takes no const; it only reads */
	const struct nlattr *chain = nlmsg_find_attr((struct nlmsghdr *)h, sizeof(*t), TCA_CHAIN);

	/*
	 * tc's request names the side (ffff:fff2/fff3). The kernel's own
	 * RTM_DELCHAIN carries the qdisc's handle, ffff:0000, for both sides
	 * of clsact, and comes whenever a chain's last filter goes: taking it
	 * as ingress dropped a netdev's ingress chain-N rules when its last
	 * egress chain-N filter was deleted. It needs no handling: for
	 * `tc chain del` the kernel first sends a handle-0 RTM_DELTFILTER per
	 * priority, with the side, and those drop the rules.
	 */
	if (t->tcm_parent == TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_EGRESS))
		sc.dir = DPU_RULES_DIR_EGRESS;
	else if (t->tcm_parent == TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS))
		sc.dir = DPU_RULES_DIR_INGRESS;
	else
		return 1; /* the kernel's notification, or another qdisc's chain */
	sc.by_dir = true;
	if (!chain || nla_len(chain) != sizeof(uint32_t)) {
		a->st.decode.malformed++;
		agent_log(AGENT_LOG_WARN, "tc message refused: RTM_DELCHAIN: TCA_CHAIN %s",
			  chain ? "not 4 bytes" : "missing");
		return 1;
	}
	sc.chain = nla_get_u32(chain);
	sc.by_chain = true;
	*rc = drop_scope(a, &sc, "chain deleted");
	return 1;
}

int agent_sweep_unseen(struct agent *a, const uint32_t *ifindexes, size_t n)
{
	struct scope sc = { .ifs = ifindexes, .n_ifs = n, .by_dir = true,
			    .dir = DPU_RULES_DIR_INGRESS, .by_unseen = true, .gen = a->dump_gen };

	if (!n)
		return 0;
	return drop_scope(a, &sc, "deleted while netlink events were lost");
}

int agent_handle_msg(struct agent *a, const void *buf, size_t len)
{
	static struct dpu_rules_flow f; /* large; the agent is one thread */
	struct dpu_rules_result res;
	struct dpu_abi_flow_id id;
	struct agent_rule *old, *r;

	int rc;

	if (len >= sizeof(struct nlmsghdr) && ((const struct nlmsghdr *)buf)->nlmsg_len <= len &&
	    teardown(a, buf, &rc))
		return rc;
	if (agent_is_action_msg(buf, len))
		return agent_meters_handle(a, buf, len);
	dpu_rules_tc_decode(buf, len, &f, &res, &a->st.decode);
	if (res.verdict == DPU_RULES_IGNORED)
		return 0;
	if (res.verdict == DPU_RULES_MALFORMED) {
		agent_log(AGENT_LOG_WARN, "tc message refused: %s", res.reason);
		return 0;
	}
	if (f.op == DPU_RULES_OP_DEL && f.id.handle == 0 &&
	    (f.id.dir == DPU_RULES_DIR_INGRESS || f.id.dir == DPU_RULES_DIR_EGRESS)) {
		/* No handle: every filter of the priority (or, without a
		 * priority either, of the chain) on that side goes. */
		struct scope sc = { .ifindex = f.id.ifindex, .by_dir = true,
				    .dir = f.id.dir, .by_chain = true,
				    .chain = f.id.chain, .by_prio = f.id.prio != 0,
				    .prio = f.id.prio };

		return drop_scope(a, &sc, f.id.prio ? "filters of a priority deleted"
						    : "filters of a chain deleted");
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
	r->seen = a->dump_gen;
	a->st.adds++;
	if (old) {
		/* Same bytes: nothing changes (a replayed dump, a resend). */
		if (old->op_len && old->op_len == r->op_len &&
		    !memcmp(old->op, r->op, r->op_len) && old->state != AGENT_FAILED) {
			old->seen = a->dump_gen;
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
