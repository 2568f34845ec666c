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

/* A message's header and batch header, with room to spare. */
#define MSG_SLACK 128
/* Queue entries ahead whose rules the packing and answer loops prefetch. */
#define PREFETCH_AHEAD 8

static void on_event(void *arg, const struct dpu_abi_hdr *evt)
{
	struct agent *a = arg;

	if (evt->opcode == DPU_ABI_OP_EVT_ERROR) {
		const struct dpu_abi_evt_error *e = dpu_abi_body(evt);

		/* The last ones, for the answers still to be applied. */
		if (e->domain == DPU_ABI_ERRD_FLOW) {
			unsigned int k = a->n_refusals++ % AGENT_REFUSALS;

			a->refusals[k].object = e->object;
			snprintf(a->refusals[k].text, sizeof(a->refusals[0].text), "%.*s",
				 (int)sizeof(e->text), e->text);
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

/* What follows every HELLO (first connect and reconnects): the card's
 * ports and message size may have changed with its firmware. */
static int card_ready(struct agent *a)
{
	uint8_t *buf;
	int rc;

	a->card->on_event = on_event;
	a->card->event_arg = a;
	rc = load_card_ports(a);
	if (rc)
		return rc;
	buf = realloc(a->batch_buf, a->card->hello.caps.max_msg_len);
	if (!buf)
		return -ENOMEM;
	a->batch_buf = buf;
	a->batch_cap = a->card->hello.caps.max_msg_len;
	a->need_resync = true;
	return 0;
}

/* Forget the card: the main loop connects again later. */
static void card_drop(struct agent *a)
{
	dpu_host_card_close(a->card);
	a->card = NULL;
	agent_queue_clear(a);
}

int agent_card_connect(struct agent *a)
{
	int rc = dpu_host_card_open(a->card_addr, "dpu-agent", DPU_ABI_FEAT_ALL,
				    a->timeout_ms, &a->card);

	if (rc == 0)
		rc = card_ready(a);
	if (rc < 0) {
		agent_log(AGENT_LOG_ERR, "card %s: %s", a->card_addr,
			  a->card && a->card->err[0] ? a->card->err : strerror(-rc));
		card_drop(a);
		return rc;
	}
	agent_log(AGENT_LOG_INFO, "card '%s' at %s: epoch %u, %u ports, %u flows max",
		  a->card->hello.card_name, a->card_addr, a->card->epoch, a->n_card_ports,
		  a->card->hello.caps.max_flows);
	return 0;
}

static const char *refusal_of(struct agent *a, const struct dpu_abi_flow_id *id)
{
	for (unsigned int i = 0; i < a->n_refusals && i < AGENT_REFUSALS; i++)
		if (a->refusals[i].object == id->lo)
			return a->refusals[i].text;
	return NULL;
}

static void set_reason(struct agent_rule *r, const char *why)
{
	free(r->reason);
	r->reason = why ? strdup(why) : NULL;
}

/* An entry is done with (sent as void, or answered): its rule's ADD is no
 * longer on the queue. */
static void entry_done(struct agent_qent *q, size_t pos)
{
	if (q->rule && q->rule->qpos == pos)
		q->rule->qpos = AGENT_QPOS_NONE;
	/* The rule may be deleted before the queue drains: an answered
	 * entry must not point at it any more. */
	q->rule = NULL;
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
	for (i = *pos; i < a->n_queue && b.count < max_ops; i++) {
		struct agent_qent *q = &a->queue[i];
		size_t need;

		/* Rules were made a batch ago: out of cache. Ask a few ahead. */
		if (i + PREFETCH_AHEAD < a->n_queue && a->queue[i + PREFETCH_AHEAD].rule)
			__builtin_prefetch(a->queue[i + PREFETCH_AHEAD].rule);
		if (q->op == DPU_ABI_FLOW_ADD) {
			struct agent_rule *r = q->rule;

			/* Gone or changed to software since it was queued. */
			if (!r || r->state != AGENT_PENDING) {
				entry_done(q, i);
				q->op = 0;
				continue;
			}
			need = r->op_len;
			if (b.len + need + MSG_SLACK > a->batch_cap) {
				if (b.count)
					break; /* the next batch */
				/* Not even alone: the card's messages are too
				 * small for it. */
				r->state = AGENT_FAILED;
				set_reason(r, "does not fit one message of the card's (max_msg_len)");
				entry_done(q, i);
				q->op = 0;
				continue;
			}
			dpu_abi_flow_op_append(&b, (const struct dpu_abi_flow_op *)r->op);
		} else if (q->op == DPU_ABI_FLOW_DELETE) {
			if (b.len + sizeof(struct dpu_abi_flow_op) + MSG_SLACK > a->batch_cap)
				break;
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
		struct agent_rule *r = e->rule;

		if (start + PREFETCH_AHEAD < end && a->queue[start + PREFETCH_AHEAD].rule)
			__builtin_prefetch(a->queue[start + PREFETCH_AHEAD].rule, 1);

		if (!e->op)
			continue;
		rr = &res[j++];
		if (e->op == DPU_ABI_FLOW_DELETE || !r)
			continue; /* NOT_FOUND is as good as OK; a void ADD is moot */
		entry_done(e, start);
		if (rr->status == DPU_ABI_OK) {
			r->state = AGENT_HW;
			if (r->reason)
				set_reason(r, NULL);
		} else if (rr->status == DPU_ABI_E_EXISTS) {
			/* The card holds another rule under this id (left from
			 * before a restart of ours): replace it. */
			r->state = AGENT_PENDING;
			if (agent_queue_del(a, &r->id) || agent_queue_add(a, r))
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
	/* Fewer results than ops (a broken card): the rest stay PENDING and
	 * off the queue, for the next resync to send again. */
	for (; start < end; start++)
		entry_done(&a->queue[start], start);
	return 0;
}

/* After a link failure: keep the entries not answered (a resync re-derives
 * them anyway) at the head of the queue, unsent. */
static void queue_keep_unanswered(struct agent *a)
{
	size_t keep = a->n_inflight ? a->inflight[0].start : a->q_sent;

	for (size_t i = 0; i < keep; i++)
		entry_done(&a->queue[i], i);
	memmove(a->queue, a->queue + keep, (a->n_queue - keep) * sizeof(*a->queue));
	a->n_queue -= keep;
	for (size_t i = 0; i < a->n_queue; i++)
		if (a->queue[i].rule)
			a->queue[i].rule->qpos = (uint32_t)i;
	a->n_inflight = 0;
	a->q_sent = 0;
	a->kick_at = AGENT_KICK_OPS;
}

/* Send the next batch from q_sent: 1 sent, 0 nothing to send, or -errno. */
static int send_next(struct agent *a)
{
	size_t start = a->q_sent, pos = start;
	int len = pack_batch(a, a->batch_buf, &pos);
	int64_t id;

	if (len <= 0) {
		a->q_sent = pos; /* all void: nothing to answer */
		return len;
	}
	id = dpu_host_card_send(a->card, a->batch_buf, (size_t)len);
	if (id < 0)
		return (int)id;
	a->inflight[a->n_inflight++] = (struct agent_inflight){
		.start = start, .end = pos, .req_id = (uint64_t)id };
	a->q_sent = pos;
	return 1;
}

/*
 * Up to AGENT_INFLIGHT batches on the way: while the card applies them the
 * agent decodes and packs the next, so on two CPUs the halves overlap
 * instead of taking turns. One buffer is enough: both transports copy a
 * message when it is sent. Without drain, nothing here waits: full batches
 * go out and answers already in are applied.
 */
int agent_card_pump(struct agent *a, bool drain)
{
	int rc = 0;

	if (!a->card)
		return -ENOTCONN;
	for (;;) {
		size_t unsent;

		/* Answers first: they free slots and may queue more (E_EXISTS). */
		while (a->n_inflight) {
			struct agent_inflight *f = &a->inflight[0];
			bool block = drain && (a->q_sent == a->n_queue ||
					       a->n_inflight == AGENT_INFLIGHT);
			const struct dpu_abi_hdr *resp;
			int st = block ?
				dpu_host_card_wait(a->card, f->req_id, DPU_ABI_OP_FLOW_BATCH, &resp) :
				dpu_host_card_try_wait(a->card, f->req_id, DPU_ABI_OP_FLOW_BATCH, &resp);

			if (st == -EAGAIN)
				break;
			if (st < 0) {
				rc = st; /* the link: the caller reconnects, the queue stays */
				goto fail;
			}
			rc = apply_results(a, resp, st, f->start, f->end);
			if (rc) {
				a->n_inflight = 0; /* answered, even if unusable */
				a->q_sent = f->end;
				/* its rules stay PENDING off the queue: send
				 * everything again once the card is sane */
				a->need_resync = true;
				goto fail;
			}
			memmove(a->inflight, a->inflight + 1, --a->n_inflight * sizeof(*f));
		}
		unsent = a->n_queue - a->q_sent;
		if (unsent && a->n_inflight < AGENT_INFLIGHT &&
		    (drain || unsent >= AGENT_KICK_OPS)) {
			rc = send_next(a);
			if (rc < 0)
				goto fail;
			continue;
		}
		if (!drain || (!a->n_inflight && a->q_sent == a->n_queue))
			break;
	}
	if (!a->n_inflight && a->q_sent == a->n_queue) {
		a->n_queue = a->q_sent = 0;
		a->n_refusals = 0;
	}
	/* A source that outruns the card tries again a little later, not on
	 * every message. */
	a->kick_at = a->n_inflight < AGENT_INFLIGHT ? a->q_sent + AGENT_KICK_OPS
						     : a->n_queue + AGENT_KICK_OPS / 8;
	return 0;
fail:
	queue_keep_unanswered(a);
	return rc;
}

int agent_card_flush(struct agent *a)
{
	return agent_card_pump(a, true);
}

static void requeue(void *arg, struct agent_rule *r)
{
	struct agent *a = arg;

	if (!r->op_len)
		return;
	r->state = AGENT_PENDING;
	if (agent_queue_add(a, r))
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
	/* The old queue is superseded: deletes of stale ids, then every rule.
	 * Batches still in flight answer a link that is gone or an epoch
	 * that is over; their answers are moot. */
	agent_queue_clear(a);
	a->n_refusals = 0;
	for (uint32_t i = 0; i < n; i++) {
		struct agent_rule *r;

		if ((ids[i].lo >> 56) != DPU_RULES_ID_TAG_TC)
			continue; /* not ours: dpuctl's, OVS's */
		r = agent_store_find(&a->store, &ids[i]);
		if (r && r->op_len)
			continue;
		agent_queue_del(a, &ids[i]);
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
				agent_queue_add(a, r);
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
		if (rc == 0)
			rc = card_ready(a);
		if (rc < 0) {
			/* Not back in time: the main loop keeps trying. */
			agent_log(AGENT_LOG_WARN, "card %s still away (%s)", a->card_addr,
				  strerror(-rc));
			card_drop(a);
			return rc;
		}
	}
	if (a->need_resync)
		return agent_card_resync(a);
	return 0;
}
