/* SPDX-License-Identifier: BSD-3-Clause */
#include "dpu_host.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void card_event(void *arg, const struct dpu_abi_hdr *evt)
{
	struct dpu_host_card *card = arg;

	if (evt->opcode == DPU_ABI_OP_EVT_CARD_RESET) {
		const struct dpu_abi_evt_card_reset *r = dpu_abi_body(evt);

		card->epoch = r->new_epoch;
	}
	if (card->on_event)
		card->on_event(card->event_arg, evt);
}

static int describe_failure(struct dpu_host_card *card, int rc,
			    const struct dpu_abi_hdr *resp, const char *what)
{
	if (rc < 0) {
		/* Transport failures carry the library's own reason. */
		const char *why = dpu_abi_last_error();

		snprintf(card->err, sizeof(card->err), "%s: %s", what,
			 why && why[0] ? why : strerror(-rc));
		return rc;
	}
	if (resp->status > DPU_ABI_OK && resp->status <= DPU_ABI_E_PROTO_LAST &&
	    dpu_abi_body_len(resp) >= sizeof(struct dpu_abi_error_body)) {
		const struct dpu_abi_error_body *e = dpu_abi_body(resp);

		snprintf(card->err, sizeof(card->err), "%s: card rejected it: %s (%s)",
			 what, e->detail, dpu_abi_status_name(resp->status));
	} else if (resp->status != DPU_ABI_OK) {
		snprintf(card->err, sizeof(card->err), "%s: %s", what,
			 dpu_abi_status_name(resp->status));
	}
	return resp->status;
}

int dpu_host_card_call(struct dpu_host_card *card, void *req, size_t len,
		       const struct dpu_abi_hdr **resp)
{
	const struct dpu_abi_hdr *h = req;
	/* Send, then wait: answers to requests a pipelined caller still has
	 * in flight (agent batches) are stashed on the way, not dropped. */
	int64_t id = dpu_host_card_send(card, req, len);

	if (id < 0) {
		*resp = (const struct dpu_abi_hdr *)card->resp;
		return (int)id;
	}
	return dpu_host_card_wait(card, (uint64_t)id, h->opcode, resp);
}

int64_t dpu_host_card_send(struct dpu_host_card *card, void *req, size_t len)
{
	struct dpu_abi_hdr *h = req;
	int rc;

	h->req_id = ++card->next_req_id;
	h->epoch = card->epoch;
	card->err[0] = 0;
	rc = dpu_abi_send(card->t, req, len);
	if (rc)
		return describe_failure(card, rc, NULL, dpu_abi_opcode_name(h->opcode));
	return (int64_t)h->req_id;
}

static int drain(struct dpu_host_card *card);

static void card_stash(void *arg, const struct dpu_abi_hdr *resp)
{
	struct dpu_host_card *card = arg;
	struct dpu_host_stash *slot = NULL;

	/* Only answers to requests still in flight are worth keeping. */
	if (resp->req_id == 0 || resp->req_id > card->next_req_id ||
	    resp->length > card->resp_cap)
		return;
	/* A free slot, else the oldest answer: a caller with more requests
	 * in flight than slots has given up on it. */
	for (int i = 0; i < DPU_HOST_MAX_INFLIGHT; i++) {
		struct dpu_host_stash *s = &card->stash[i];

		if (!s->req_id) {
			slot = s;
			break;
		}
		if (!slot || s->req_id < slot->req_id)
			slot = s;
	}
	if (!slot->buf && !(slot->buf = malloc(card->resp_cap)))
		return;
	memcpy(slot->buf, resp, resp->length);
	slot->req_id = resp->req_id;
}

/* Move req_id's stashed answer to card->resp; its length, or 0. */
static int unstash(struct dpu_host_card *card, uint64_t req_id)
{
	for (int i = 0; i < DPU_HOST_MAX_INFLIGHT; i++) {
		struct dpu_host_stash *s = &card->stash[i];

		if (s->req_id == req_id) {
			const struct dpu_abi_hdr *h = (const void *)s->buf;

			memcpy(card->resp, h, h->length);
			s->req_id = 0;
			return (int)h->length;
		}
	}
	return 0;
}

static int finish_wait(struct dpu_host_card *card, int rc, uint16_t opcode,
		       const struct dpu_abi_hdr **resp)
{
	*resp = (const struct dpu_abi_hdr *)card->resp;
	if (rc >= 0)
		card->epoch = (*resp)->epoch;
	return describe_failure(card, rc, *resp, dpu_abi_opcode_name(opcode));
}

int dpu_host_card_wait(struct dpu_host_card *card, uint64_t req_id, uint16_t opcode,
		       const struct dpu_abi_hdr **resp)
{
	int rc = unstash(card, req_id);

	if (!rc)
		rc = dpu_abi_call_wait(card->t, req_id, opcode, card->resp, card->resp_cap,
				       card->timeout_ms, card_event, card_stash, card);
	return finish_wait(card, rc, opcode, resp);
}

int dpu_host_card_try_wait(struct dpu_host_card *card, uint64_t req_id, uint16_t opcode,
			   const struct dpu_abi_hdr **resp)
{
	int rc = unstash(card, req_id);

	if (!rc) {
		/* No wait, no arming: a caller that polls between bursts of
		 * work must not make the card ring it for every answer. */
		rc = drain(card);
		if (rc < 0)
			return finish_wait(card, rc, opcode, resp);
		rc = unstash(card, req_id);
		if (!rc)
			return -EAGAIN;
	}
	return finish_wait(card, rc, opcode, resp);
}

static int flow_id_cmp(const void *a, const void *b)
{
	const struct dpu_abi_flow_id *x = a, *y = b;

	if (x->hi != y->hi)
		return x->hi < y->hi ? -1 : 1;
	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

int dpu_host_card_list(struct dpu_host_card *card, uint16_t opcode, void **out,
		       uint32_t *n_out)
{
	size_t elem = opcode == DPU_ABI_OP_FLOW_LIST ? sizeof(struct dpu_abi_flow_id) :
						     sizeof(struct dpu_abi_port_info);
	struct dpu_abi_list_req q = { 0 };
	const struct dpu_abi_hdr *resp;
	uint8_t *all = NULL;
	uint32_t n = 0, total;

	*out = NULL;
	*n_out = 0;
	if (opcode != DPU_ABI_OP_FLOW_LIST && opcode != DPU_ABI_OP_PORT_LIST)
		return -EINVAL;
	do {
		const struct dpu_abi_list_resp *l;
		uint8_t *grown;

		q.start = n;
		if (dpu_host_card_simple(card, opcode, &q, sizeof(q), &resp)) {
			free(all);
			return -EIO;
		}
		l = dpu_abi_body(resp);
		total = l->total;
		if (!l->count)
			break;
		grown = realloc(all, (n + l->count) * elem);
		if (!grown) {
			free(all);
			return -ENOMEM;
		}
		all = grown;
		memcpy(all + n * elem, l + 1, l->count * elem);
		n += l->count;
	} while (n < total);
	if (opcode == DPU_ABI_OP_FLOW_LIST && n > 1) {
		struct dpu_abi_flow_id *ids = (void *)all;
		uint32_t k = 1;

		qsort(ids, n, sizeof(*ids), flow_id_cmp);
		for (uint32_t i = 1; i < n; i++)
			if (flow_id_cmp(&ids[i], &ids[k - 1]))
				ids[k++] = ids[i];
		n = k;
	}
	*out = all;
	*n_out = n;
	return 0;
}

int dpu_host_card_simple(struct dpu_host_card *card, uint16_t opcode,
			 const void *body, size_t body_len,
			 const struct dpu_abi_hdr **resp)
{
	uint8_t buf[1024];
	int len = dpu_abi_encode(buf, sizeof(buf), opcode, 0, 0, body, body_len);

	if (len < 0) {
		snprintf(card->err, sizeof(card->err), "%s: cannot encode: %s",
			 dpu_abi_opcode_name(opcode), dpu_abi_status_name((uint16_t)-len));
		return len;
	}
	return dpu_host_card_call(card, buf, (size_t)len, resp);
}

int dpu_host_card_open(const char *addr, const char *host_name,
		       uint64_t features, int timeout_ms,
		       struct dpu_host_card **out)
{
	struct dpu_host_card *card = calloc(1, sizeof(*card));
	struct dpu_abi_hello_req hello = {
		.ver_major = DPU_ABI_VERSION_MAJOR,
		.ver_minor = DPU_ABI_VERSION_MINOR,
		.max_msg_len = DPU_ABI_MSG_MAX,
		.features = features,
	};
	const struct dpu_abi_hdr *resp;
	int rc;

	*out = card;
	if (!card)
		return -ENOMEM;
	card->timeout_ms = timeout_ms;
	snprintf(card->addr, sizeof(card->addr), "%s", addr);
	snprintf(card->host_name, sizeof(card->host_name), "%s", host_name);
	card->features = features;
	card->resp_cap = DPU_ABI_MSG_MAX;
	card->resp = malloc(card->resp_cap);
	if (!card->resp)
		return -ENOMEM;
	rc = dpu_abi_connect(addr, timeout_ms, &card->t);
	if (rc < 0) {
		snprintf(card->err, sizeof(card->err), "connect to %s: %s", addr,
			 strerror(-rc));
		return rc;
	}
	snprintf(hello.host_name, sizeof(hello.host_name), "%s", host_name);
	rc = dpu_host_card_simple(card, DPU_ABI_OP_HELLO, &hello, sizeof(hello),
				  &resp);
	if (rc != DPU_ABI_OK)
		return rc < 0 ? rc : -rc;
	memcpy(&card->hello, dpu_abi_body(resp), sizeof(card->hello));
	card->epoch = card->hello.epoch;
	return 0;
}

static int hello(struct dpu_host_card *card)
{
	struct dpu_abi_hello_req req = {
		.ver_major = DPU_ABI_VERSION_MAJOR,
		.ver_minor = DPU_ABI_VERSION_MINOR,
		.max_msg_len = DPU_ABI_MSG_MAX,
		.features = card->features,
	};
	const struct dpu_abi_hdr *resp;
	int rc;

	snprintf(req.host_name, sizeof(req.host_name), "%s", card->host_name);
	rc = dpu_host_card_simple(card, DPU_ABI_OP_HELLO, &req, sizeof(req), &resp);
	if (rc != DPU_ABI_OK)
		return rc < 0 ? rc : -rc;
	memcpy(&card->hello, dpu_abi_body(resp), sizeof(card->hello));
	return 0;
}

int dpu_host_card_reconnect(struct dpu_host_card *card, int timeout_ms)
{
	struct timespec t0, t, pause = { 0, 50 * 1000 * 1000 };
	uint32_t old = card->epoch;
	int rc;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		long spent;

		if (card->t) {
			dpu_abi_close(card->t);
			for (int i = 0; i < DPU_HOST_MAX_INFLIGHT; i++)
				card->stash[i].req_id = 0;
			card->t = NULL;
		}
		rc = dpu_abi_connect(card->addr, card->timeout_ms, &card->t);
		if (rc == 0)
			rc = hello(card);
		if (rc == 0)
			break;
		snprintf(card->err, sizeof(card->err), "reconnect to %s: %s", card->addr,
			 strerror(rc < 0 ? -rc : rc));
		clock_gettime(CLOCK_MONOTONIC, &t);
		spent = (t.tv_sec - t0.tv_sec) * 1000L + (t.tv_nsec - t0.tv_nsec) / 1000000L;
		if (spent >= timeout_ms)
			return rc < 0 ? rc : -EIO;
		nanosleep(&pause, NULL);
	}
	card->epoch = card->hello.epoch;
	if (card->epoch != old && card->on_event) {
		struct {
			struct dpu_abi_hdr h;
			struct dpu_abi_evt_card_reset r;
		} evt = {
			.h = { .magic = DPU_ABI_MAGIC, .ver_major = DPU_ABI_VERSION_MAJOR,
			       .opcode = DPU_ABI_OP_EVT_CARD_RESET, .flags = DPU_ABI_F_EVENT,
			       .length = sizeof(evt), .epoch = card->epoch },
			.r = { .old_epoch = old, .new_epoch = card->epoch,
			       .reason = DPU_ABI_RESET_RESTART },
		};

		card->on_event(card->event_arg, &evt.h);
	}
	return 0;
}

/* Dispatch what the card already sent: events to on_event, responses to
 * the stash. Returns the events dispatched or -errno. */
static int drain(struct dpu_host_card *card)
{
	struct dpu_abi_peer peer = {
		.role = DPU_ABI_ROLE_HOST,
		.minor = card->hello.ver_minor,
		.max_msg_len = DPU_ABI_MSG_MAX,
	};
	struct dpu_abi_rx rx[16];
	int n, total = 0;

	while ((n = dpu_abi_recv_burst(card->t, rx, 16)) > 0) {
		for (int i = 0; i < n; i++) {
			const struct dpu_abi_hdr *h = rx[i].msg;

			if (dpu_abi_check(rx[i].msg, rx[i].len, &peer, NULL))
				continue;
			if (h->flags & DPU_ABI_F_EVENT) {
				card_event(card, h);
				total++;
			} else {
				/* a pipelined caller's response: keep it for
				 * its dpu_host_card_wait() */
				card_stash(card, h);
			}
		}
		dpu_abi_release(card->t, (unsigned int)n);
	}
	return n < 0 ? n : total;
}

int dpu_host_card_poll_events(struct dpu_host_card *card, int timeout_ms)
{
	/* Even with timeout 0 this waits on the transport: that arms it, so
	 * an event loop watching dpu_abi_pollfd() hears the next message. */
	int n = dpu_abi_wait(card->t, timeout_ms);

	if (n <= 0)
		return n;
	return drain(card);
}

void dpu_host_card_close(struct dpu_host_card *card)
{
	if (!card)
		return;
	dpu_abi_close(card->t);
	free(card->resp);
	for (int i = 0; i < DPU_HOST_MAX_INFLIGHT; i++)
		free(card->stash[i].buf);
	free(card);
}
