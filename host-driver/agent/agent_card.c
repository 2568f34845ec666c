// SPDX-License-Identifier: BSD-3-Clause
/*
 * The card link: make the card's table equal to the store. Everything goes
 * out as FLOW_BATCH messages, as many ops per message as the card allows;
 * per-op results decide each rule's state, and a refused op's reason (an
 * EVT_ERROR naming the op's id) is kept beside the rule.
 *
 * Resync (on connect, on a new epoch, on agent start) lists the card's ids,
 * deletes the tc ids the store does not want in hardware and re-adds every
 * rule the store does: ADD is idempotent on the card, so rules that were
 * right all along keep forwarding while the rest is repaired.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent.h"
#include "agent_log.h"
#include "dpu_abi_codec.h"

/* Room kept in a message for one more op of any size. */
#define OP_ROOM 4096

static void on_event(void *arg, const struct dpu_abi_hdr *evt)
{
	struct agent *a = arg;

	if (evt->opcode == DPU_ABI_OP_EVT_ERROR) {
		const struct dpu_abi_evt_error *e = dpu_abi_body(evt);

		if (e->domain == DPU_ABI_ERRD_FLOW && a->n_refusals < 64) {
			a->refusals[a->n_refusals].object = e->object;
			snprintf(a->refusals[a->n_refusals].text,
				 sizeof(a->refusals[0].text), "%.*s",
				 (int)sizeof(e->text), e->text);
			a->n_refusals++;
		} else if (e->domain == DPU_ABI_ERRD_NVMF) {
			/* The card broadcasts these; the storage call that
			 * failed takes the latest (agent_nvmf.c). */
			snprintf(a->nvmf_refusal, sizeof(a->nvmf_refusal), "%.*s",
				 (int)sizeof(e->text), e->text);
		}
	} else if (evt->opcode == DPU_ABI_OP_EVT_CARD_RESET) {
		const struct dpu_abi_evt_card_reset *r = dpu_abi_body(evt);

		agent_log(AGENT_LOG_WARN, "card epoch %u -> %u: resync", r->old_epoch,
			  r->new_epoch);
		a->st.card_resets++;
		a->need_resync = true;
	}
}

static int load_card_ports(struct agent *a)
{
	void *ports;
	uint32_t n;
	int rc = dpu_host_card_list(a->card, DPU_ABI_OP_PORT_LIST, &ports, &n);

	if (rc)
		return rc;
	free(a->card_ports);
	a->card_ports = ports;
	a->n_card_ports = n;
	return 0;
}

int agent_card_connect(struct agent *a)
{
	int rc = dpu_host_card_open(a->card_addr, "dpu-agent", DPU_ABI_FEAT_ALL,
				    a->timeout_ms, &a->card);

	if (rc < 0) {
		agent_log(AGENT_LOG_ERR, "card %s: %s", a->card_addr,
			  a->card && a->card->err[0] ? a->card->err : strerror(-rc));
		dpu_host_card_close(a->card);
		a->card = NULL;
		return rc;
	}
	a->card->on_event = on_event;
	a->card->event_arg = a;
	rc = load_card_ports(a);
	if (rc)
		return rc;
	a->batch_cap = a->card->hello.caps.max_msg_len;
	free(a->batch_buf);
	a->batch_buf = malloc(a->batch_cap);
	if (!a->batch_buf)
		return -ENOMEM;
	a->need_resync = true;
	agent_log(AGENT_LOG_INFO, "card '%s' at %s: epoch %u, %u ports, %u flows max",
		  a->card->hello.card_name, a->card_addr, a->card->epoch, a->n_card_ports,
		  a->card->hello.caps.max_flows);
	return 0;
}

static const char *refusal_of(struct agent *a, const struct dpu_abi_flow_id *id)
{
	for (unsigned int i = 0; i < a->n_refusals; i++)
		if (a->refusals[i].object == id->lo)
			return a->refusals[i].text;
	return NULL;
}

static void set_reason(struct agent_rule *r, const char *why)
{
	free(r->reason);
	r->reason = why ? strdup(why) : NULL;
}

/* Pack queue entries from *pos into buf as one FLOW_BATCH; returns the
 * message length, 0 when nothing from *pos on needs sending, or -errno. */
static int pack_batch(struct agent *a, uint8_t *buf, size_t *pos)
{
	uint32_t max_ops = a->card->hello.caps.max_batch ? a->card->hello.caps.max_batch : 1024;
	struct dpu_abi_builder b;
	size_t i;
	int len;

	dpu_abi_build_init(&b, buf, a->batch_cap, DPU_ABI_OP_FLOW_BATCH, 0, 0);
	dpu_abi_flow_batch_begin(&b);
	for (i = *pos; i < a->n_queue && b.count < max_ops && a->batch_cap - b.len > OP_ROOM; i++) {
		struct agent_qent *q = &a->queue[i];

		if (q->op == DPU_ABI_FLOW_ADD) {
			struct agent_rule *r = agent_store_find(&a->store, &q->id);

			/* Gone or changed to software since it was queued. */
			if (!r || r->state != AGENT_PENDING) {
				q->op = 0;
				continue;
			}
			dpu_abi_flow_op_append(&b, (const struct dpu_abi_flow_op *)r->op);
		} else if (q->op == DPU_ABI_FLOW_DELETE) {
			dpu_abi_flow_op_begin(&b, DPU_ABI_FLOW_DELETE, 0, 0, 0, &q->id);
			dpu_abi_flow_op_end(&b);
		}
	}
	*pos = i;
	if (!b.count)
		return 0;
	len = dpu_abi_build_finish(&b);
	if (len < 0) {
		agent_log(AGENT_LOG_ERR, "batch does not encode: %s",
			  dpu_abi_status_name((uint16_t)-len));
		return -EINVAL;
	}
	return len;
}

/* Apply a batch response to the queue entries [start, end) it answers. */
static int apply_results(struct agent *a, const struct dpu_abi_hdr *resp, int st,
			 size_t start, size_t end)
{
	const struct dpu_abi_flow_batch_resp *br;
	const struct dpu_abi_flow_result *res;

	a->st.batches++;
	if (st != DPU_ABI_OK && st != DPU_ABI_E_PARTIAL) {
		agent_log(AGENT_LOG_ERR, "card refused a batch: %s (%s)",
			  dpu_abi_status_name((uint16_t)st), a->card->err);
		return -EPROTO;
	}
	br = dpu_abi_body(resp);
	res = (const void *)(br + 1);
	/* The card sends a refused op's reason (EVT_ERROR) before the batch's
	 * response: on a stream it was dispatched while we waited, on shm it
	 * sits on the event ring. Take what is there; never wait for more
	 * (failures such as a DELETE's NOT_FOUND come without a reason). */
	if (br->n_failed)
		dpu_host_card_poll_events(a->card, 0);
	a->st.ops_sent += br->n_results;
	a->st.ops_failed += br->n_failed;
	for (uint32_t j = 0; j < br->n_results && start < end; start++) {
		struct agent_qent *e = &a->queue[start];
		const struct dpu_abi_flow_result *rr;
		struct agent_rule *r;

		if (!e->op)
			continue;
		rr = &res[j++];
		if (e->op == DPU_ABI_FLOW_DELETE)
			continue; /* NOT_FOUND is as good as OK */
		r = agent_store_find(&a->store, &e->id);
		if (!r)
			continue;
		if (rr->status == DPU_ABI_OK) {
			r->state = AGENT_HW;
			if (r->reason)
				set_reason(r, NULL);
		} else if (rr->status == DPU_ABI_E_EXISTS) {
			/* The card holds another rule under this id (left from
			 * before a restart of ours): replace it. */
			r->state = AGENT_PENDING;
			if (agent_queue(a, &r->id, DPU_ABI_FLOW_DELETE) ||
			    agent_queue(a, &r->id, DPU_ABI_FLOW_ADD))
				return -ENOMEM;
		} else {
			const char *why = refusal_of(a, &r->id);
			char buf[160];

			snprintf(buf, sizeof(buf), "card: %s%s%s", dpu_abi_status_name(rr->status),
				 why ? ": " : "", why ? why : "");
			r->state = AGENT_FAILED;
			set_reason(r, buf);
		}
	}
	return 0;
}

/*
 * Two batches in flight: while the card applies one, the agent packs the
 * next, so on two CPUs the halves overlap instead of taking turns. One
 * buffer is enough: both transports copy a message when it is sent.
 */
int agent_card_flush(struct agent *a)
{
	struct { size_t start, end; uint64_t req_id; } fl[2];
	size_t pos = 0;
	int nfl = 0, rc = 0;

	if (!a->card)
		return -ENOTCONN;
	while (!rc && (pos < a->n_queue || nfl)) {
		if (pos < a->n_queue && nfl < 2) {
			size_t start = pos;
			int len = pack_batch(a, a->batch_buf, &pos);
			int64_t id;

			if (len <= 0) {
				rc = len;
				continue;
			}
			id = dpu_host_card_send(a->card, a->batch_buf, (size_t)len);
			if (id < 0) {
				rc = (int)id;
				pos = start;
				break;
			}
			fl[nfl].start = start;
			fl[nfl].end = pos;
			fl[nfl].req_id = (uint64_t)id;
			nfl++;
			continue;
		}
		const struct dpu_abi_hdr *resp;
		int st;

		a->n_refusals = 0;
		st = dpu_host_card_wait(a->card, fl[0].req_id, DPU_ABI_OP_FLOW_BATCH, &resp);
		if (st < 0) {
			rc = st; /* the link: the caller reconnects, the queue stays */
			break;
		}
		rc = apply_results(a, resp, st, fl[0].start, fl[0].end);
		fl[0] = fl[1];
		nfl--;
	}
	if (rc) {
		/* Keep what was not answered (a resync re-derives it anyway). */
		size_t keep = nfl ? fl[0].start : pos;

		memmove(a->queue, a->queue + keep, (a->n_queue - keep) * sizeof(*a->queue));
		a->n_queue -= keep;
		return rc;
	}
	a->n_queue = 0;
	return 0;
}

static void requeue(void *arg, struct agent_rule *r)
{
	struct agent *a = arg;

	if (!r->op_len)
		return;
	r->state = AGENT_PENDING;
	if (agent_queue(a, &r->id, DPU_ABI_FLOW_ADD))
		a->need_resync = true; /* out of memory: try again later */
}

int agent_card_resync(struct agent *a)
{
	void *list;
	struct dpu_abi_flow_id *ids;
	uint32_t n = 0, stale = 0;
	int rc;

	a->need_resync = false;
	if (dpu_host_card_list(a->card, DPU_ABI_OP_FLOW_LIST, &list, &n)) {
		a->need_resync = true;
		return -EIO;
	}
	ids = list;
	/* The old queue is superseded: deletes of stale ids, then every rule. */
	a->n_queue = 0;
	for (uint32_t i = 0; i < n; i++) {
		struct agent_rule *r;

		if ((ids[i].lo >> 56) != DPU_RULES_ID_TAG_TC)
			continue; /* not ours: dpuctl's, OVS's */
		r = agent_store_find(&a->store, &ids[i]);
		if (r && r->op_len)
			continue;
		agent_queue(a, &ids[i], DPU_ABI_FLOW_DELETE);
		stale++;
	}
	free(ids);
	agent_store_foreach(&a->store, requeue, a);
	a->st.resyncs++;
	a->st.resync_deleted += stale;
	agent_log(AGENT_LOG_INFO, "resync: card had %u flows, %u stale; re-adding %zu",
		  n, stale, a->n_queue - stale);
	rc = agent_card_flush(a);
	/* Storage: replayed after the flows, in dependency order. */
	if (agent_nvmf_resync(a) < 0 && !rc)
		rc = -EIO;
	return rc;
}

struct query_ctx {
	struct agent *a;
	struct dpu_abi_flow_id *ids;
	size_t n;
};

static void collect_hw(void *arg, struct agent_rule *r)
{
	struct query_ctx *c = arg;

	if (r->state == AGENT_HW)
		c->ids[c->n++] = r->id;
}

int agent_card_query(struct agent *a)
{
	struct query_ctx c = { .a = a };
	size_t done = 0;

	if (!a->card)
		return -ENOTCONN;
	c.ids = malloc((a->store.n_rules + 1) * sizeof(*c.ids));
	if (!c.ids)
		return -ENOMEM;
	agent_store_foreach(&a->store, collect_hw, &c);
	while (done < c.n) {
		struct dpu_abi_builder b;
		const struct dpu_abi_hdr *resp;
		const struct dpu_abi_flow_batch_resp *br;
		const struct dpu_abi_flow_result *res;
		size_t k = 0;
		int len, st;

		dpu_abi_build_init(&b, a->batch_buf, a->batch_cap, DPU_ABI_OP_FLOW_BATCH, 0, 0);
		dpu_abi_flow_batch_begin(&b);
		/* results are 40 bytes a query: keep the response in bounds */
		while (done + k < c.n && (k + 2) * 40 + 64 < a->batch_cap &&
		       k < (a->card->hello.caps.max_batch ? a->card->hello.caps.max_batch : 1024)) {
			dpu_abi_flow_op_begin(&b, DPU_ABI_FLOW_QUERY, 0, 0, 0, &c.ids[done + k]);
			dpu_abi_flow_op_end(&b);
			k++;
		}
		len = dpu_abi_build_finish(&b);
		st = len < 0 ? len : dpu_host_card_call(a->card, a->batch_buf, (size_t)len, &resp);
		if (st != DPU_ABI_OK && st != DPU_ABI_E_PARTIAL) {
			free(c.ids);
			return st < 0 ? st : -EPROTO;
		}
		br = dpu_abi_body(resp);
		res = (const void *)(br + 1);
		for (uint32_t i = 0; i < br->n_results; i++) {
			struct agent_rule *r = agent_store_find(&a->store, &res[i].id);

			if (!r)
				continue;
			if (res[i].status == DPU_ABI_OK) {
				r->packets = res[i].packets;
				r->bytes = res[i].bytes;
				r->idle_ms = res[i].idle_ms;
			} else if (res[i].status == DPU_ABI_E_NOT_FOUND) {
				/* The card lost it behind our back: put it back. */
				r->state = AGENT_PENDING;
				agent_queue(a, &r->id, DPU_ABI_FLOW_ADD);
			}
		}
		done += k;
	}
	free(c.ids);
	return agent_card_flush(a);
}

int agent_card_poll(struct agent *a, int timeout_ms)
{
	int rc;

	if (!a->card)
		return -ENOTCONN;
	rc = dpu_host_card_poll_events(a->card, timeout_ms);
	if (rc < 0) {
		agent_log(AGENT_LOG_WARN, "card link lost (%s): reconnecting", strerror(-rc));
		rc = dpu_host_card_reconnect(a->card, a->timeout_ms);
		if (rc < 0)
			return rc;
		a->card->on_event = on_event;
		a->card->event_arg = a;
		if (load_card_ports(a) == 0)
			a->need_resync = true;
	}
	if (a->need_resync)
		return agent_card_resync(a);
	return 0;
}
