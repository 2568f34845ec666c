/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The RDMA provider: ABI messages over an RC queue pair (libibverbs), the
 * connection set up by librdmacm ("rdma:IP:PORT", rdma_cm's TCP port space).
 * The wire and credit protocol is in docs/transport-rdma.md; in short:
 *
 *  - Each side registers one region per connection: RDMA_SLOTS data receive
 *    buffers + RDMA_CTRL receive buffers for credit-only SENDs (all posted
 *    before connecting), RDMA_TX_SLOTS send buffers and a few credit headers.
 *    Every buffer holds a 16-byte header and the largest frame, so any
 *    message fits one SEND.
 *  - A SEND is [struct dpu_rdma_hdr][frames as on a stream]. send_burst
 *    packs messages into the open send buffer; flush posts the filled ones,
 *    one SEND each, as far as credits allow (the rest stays queued: -EAGAIN,
 *    posted by a later flush/wait/send once credits return).
 *  - Credits: a data SEND costs one of the peer's data buffers. The receiver
 *    hands messages out in place (zero copy) and reposts a buffer when all
 *    its messages are released; the reposted count rides back in the next
 *    SEND's header, or in a credit-only SEND (costing a ctrl credit) once
 *    half the buffers are owed. So the sender never posts more SENDs than the
 *    peer has receives posted: RNR cannot happen, and the QP is connected
 *    with rnr_retry_count 0 so that a bug would fail loudly, not retry.
 *  - Idle waiting sleeps on an epoll set of the CQ's completion channel,
 *    the connection's rdma_cm event channel (peer gone: DISCONNECTED) and a
 *    timerfd that ends the grace given to completions racing that event.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <infiniband/verbs.h>
#include <rdma/rdma_cma.h>

#include "rdma_wire.h"
#include "transport_internal.h"

#define RDMA_SLOTS DPU_RDMA_DATA_SLOTS
#define RDMA_CTRL DPU_RDMA_CTRL_SLOTS
#define RDMA_RX (RDMA_SLOTS + RDMA_CTRL)
#define RDMA_TX_SLOTS 8  /* send buffers */
#define RDMA_INLINE 128  /* inline data we ask for (credit-only SENDs) */
#define RDMA_CREDIT_BATCH (RDMA_SLOTS / 2)
#define RDMA_GONE_GRACE_MS 100  /* after DISCONNECTED: completions racing it */
#define RDMA_CLOSE_DRAIN_MS 2000
#define RDMA_CLOSE_DRAIN_CARD_MS 20
#define RDMA_CTRL_BUFS DPU_RDMA_MAX_CTRL
#define WR_TX (1ull << 32)
#define WR_CTRL (2ull << 32)
#define WR_KIND(x) ((x) & ~0xffffffffull)
#define HDR ((uint32_t)sizeof(struct dpu_rdma_hdr))

struct rdma_listener {
	struct rdma_event_channel *ch;
	struct rdma_cm_id *id;
};

struct rx_slot {
	uint32_t n_msgs, handed, released;
	uint32_t off; /* next frame to hand out */
};

struct rdma_transport {
	struct dpu_abi_transport t;
	struct rdma_event_channel *ch;
	struct rdma_cm_id *id;
	struct ibv_pd *pd;
	struct ibv_comp_channel *cc;
	struct ibv_cq *cq;
	struct ibv_mr *mr;
	uint8_t *mem;
	size_t mem_len;
	int epfd;
	int tfd; /* fires when the grace after DISCONNECTED ends */
	int qp_made, connected, cq_armed;
	uint32_t inline_max;
	uint32_t slot_bytes; /* every buffer, ours */
	uint32_t own_max_msg;
	/* receive side */
	uint8_t *rx_base;
	struct rx_slot rxs[RDMA_RX];
	uint16_t fifo[RDMA_RX]; /* data buffers in arrival order */
	unsigned int fifo_head, fifo_len, hand_pos, held;
	unsigned int rx_posted;
	uint32_t rx_seq;
	uint32_t peer_data_used, peer_ctrl_used; /* not yet credited back */
	uint32_t owe_data, owe_ctrl;              /* reposted, not yet told */
	/* send side */
	uint8_t *tx_base;
	uint32_t tx_len[RDMA_TX_SLOTS];
	uint64_t tx_done, tx_post, tx_open;
	uint32_t send_cap; /* frame bytes per SEND: min(ours, peer's) - HDR */
	uint32_t tx_seq;
	uint32_t credits, ctrl_credits;
	uint32_t peer_slots, peer_ctrl;
	uint8_t *ctrl_base;
	unsigned int ctrl_next, sends_inflight;
	int64_t gone_ns;
	int err;
	struct dpu_abi_transport_stats st;
};

static inline struct rdma_transport *rdma_of(struct dpu_abi_transport *t)
{
	return (struct rdma_transport *)t;
}

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static int set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
		return -errno;
	return 0;
}

static int rdma_set_err(struct rdma_transport *r, int err)
{
	if (!r->err)
		r->err = err;
	return r->err;
}

/* ------------------------------------------------------------------ */
/* Posting                                                             */
/* ------------------------------------------------------------------ */

static int post_recv(struct rdma_transport *r, unsigned int slot)
{
	struct ibv_sge sge = {
		.addr = (uintptr_t)(r->rx_base + (size_t)slot * r->slot_bytes),
		.length = r->slot_bytes,
		.lkey = r->mr->lkey,
	};
	struct ibv_recv_wr wr = { .wr_id = slot, .sg_list = &sge, .num_sge = 1 }, *bad;
	int rc = ibv_post_recv(r->id->qp, &wr, &bad);

	if (rc)
		return rdma_set_err(r, dpu_abi_fail(rc, "rdma %s: post receive", r->t.peer_desc));
	r->rx_posted++;
	return 0;
}

static int post_send(struct rdma_transport *r, void *buf, uint32_t len, uint64_t wr_id)
{
	struct ibv_sge sge = { .addr = (uintptr_t)buf, .length = len, .lkey = r->mr->lkey };
	struct ibv_send_wr wr = {
		.wr_id = wr_id,
		.sg_list = &sge,
		.num_sge = 1,
		.opcode = IBV_WR_SEND,
		.send_flags = IBV_SEND_SIGNALED | (len <= r->inline_max ? IBV_SEND_INLINE : 0),
	}, *bad;
	int rc = ibv_post_send(r->id->qp, &wr, &bad);

	if (rc)
		return rdma_set_err(r, dpu_abi_fail(rc, "rdma %s: post send", r->t.peer_desc));
	r->sends_inflight++;
	r->st.doorbells++;
	return 0;
}

/* Header of a SEND about to be posted: it carries every credit owed. */
static void fill_hdr(struct rdma_transport *r, void *buf, uint32_t bytes, uint8_t flags)
{
	struct dpu_rdma_hdr h = {
		.magic = DPU_RDMA_SEND_MAGIC,
		.seq = r->tx_seq++,
		.bytes = bytes,
		.credits = (uint16_t)r->owe_data,
		.ctrl_credits = (uint8_t)r->owe_ctrl,
		.flags = flags,
	};

	r->peer_data_used -= r->owe_data;
	r->peer_ctrl_used -= r->owe_ctrl;
	r->owe_data = r->owe_ctrl = 0;
	memcpy(buf, &h, sizeof(h));
}

/* Post filled send buffers while the peer has receives for them. */
static void tx_push(struct rdma_transport *r)
{
	while (!r->err && r->tx_post < r->tx_open && r->credits > 0) {
		unsigned int slot = (unsigned int)(r->tx_post % RDMA_TX_SLOTS);
		uint8_t *buf = r->tx_base + (size_t)slot * r->slot_bytes;

		fill_hdr(r, buf, r->tx_len[slot], 0);
		if (post_send(r, buf, HDR + r->tx_len[slot], WR_TX | slot))
			return;
		r->credits--;
		r->tx_post++;
	}
}

/* Tell the peer about reposted buffers when no data SEND will soon. */
static void send_credits(struct rdma_transport *r)
{
	uint8_t *buf;

	/* The send queue holds RDMA_TX_SLOTS + RDMA_CTRL_BUFS: a credit the
	 * peer returned can be seen before our SEND's completion is reaped,
	 * so bound by what is in flight too, not by credits alone. */
	if (r->err || r->gone_ns || r->ctrl_credits == 0 ||
	    r->owe_data < RDMA_CREDIT_BATCH ||
	    r->sends_inflight >= RDMA_TX_SLOTS + RDMA_CTRL_BUFS)
		return;
	buf = r->ctrl_base + (size_t)(r->ctrl_next++ % RDMA_CTRL_BUFS) * HDR;
	fill_hdr(r, buf, 0, DPU_RDMA_F_CTRL);
	if (post_send(r, buf, HDR, WR_CTRL) == 0)
		r->ctrl_credits--;
}

/* ------------------------------------------------------------------ */
/* Completions                                                         */
/* ------------------------------------------------------------------ */

static void handle_recv(struct rdma_transport *r, const struct ibv_wc *wc)
{
	unsigned int slot = (unsigned int)wc->wr_id;
	struct dpu_rdma_hdr h;
	uint32_t n;
	char why[128];

	r->rx_posted--;
	if (wc->status != IBV_WC_SUCCESS) {
		if (wc->status == IBV_WC_WR_FLUSH_ERR && (r->gone_ns || r->err))
			return;
		rdma_set_err(r, dpu_abi_fail(EIO, "rdma %s: receive completion: %s",
					     r->t.peer_desc, ibv_wc_status_str(wc->status)));
		return;
	}
	if (r->err)
		return;
	if (wc->opcode != IBV_WC_RECV || (wc->wc_flags & IBV_WC_WITH_IMM)) {
		r->st.bad_frames++;
		rdma_set_err(r, dpu_abi_fail(EPROTO, "rdma %s: unexpected opcode %d",
					     r->t.peer_desc, (int)wc->opcode));
		return;
	}
	if (dpu_rdma_parse(r->rx_base + (size_t)slot * r->slot_bytes, wc->byte_len,
			   r->t.max_msg_len, &h, &n, why, sizeof(why))) {
		r->st.bad_frames++;
		rdma_set_err(r, dpu_abi_fail(EPROTO, "rdma %s: %s", r->t.peer_desc, why));
		return;
	}
	if (h.seq != r->rx_seq || r->credits + h.credits > r->peer_slots ||
	    r->ctrl_credits + h.ctrl_credits > r->peer_ctrl) {
		r->st.bad_frames++;
		rdma_set_err(r, dpu_abi_fail(EPROTO,
					     "rdma %s: SEND %u (expected %u) returns %u+%u credits, %u+%u outstanding",
					     r->t.peer_desc, h.seq, r->rx_seq, h.credits, h.ctrl_credits,
					     r->peer_slots - r->credits, r->peer_ctrl - r->ctrl_credits));
		return;
	}
	r->rx_seq++;
	r->credits += h.credits;
	r->ctrl_credits += h.ctrl_credits;
	if (h.flags & DPU_RDMA_F_CTRL) {
		if (++r->peer_ctrl_used > RDMA_CTRL) {
			r->st.bad_frames++;
			rdma_set_err(r, dpu_abi_fail(EPROTO,
						     "rdma %s: more credit-only SENDs than credit buffers",
						     r->t.peer_desc));
			return;
		}
		r->owe_ctrl++;
		post_recv(r, slot);
		return;
	}
	if (++r->peer_data_used > RDMA_SLOTS) {
		r->st.bad_frames++;
		rdma_set_err(r, dpu_abi_fail(EPROTO,
					     "rdma %s: peer overran its %u credits", r->t.peer_desc,
					     RDMA_SLOTS));
		return;
	}
	r->rxs[slot] = (struct rx_slot){ .n_msgs = n, .off = HDR };
	r->fifo[(r->fifo_head + r->fifo_len++) % RDMA_RX] = (uint16_t)slot;
}

static void handle_send(struct rdma_transport *r, const struct ibv_wc *wc)
{
	r->sends_inflight--;
	if (WR_KIND(wc->wr_id) == WR_TX)
		r->tx_done++;
	if (wc->status == IBV_WC_SUCCESS)
		return;
	if (wc->status == IBV_WC_WR_FLUSH_ERR && (r->gone_ns || r->err))
		return;
	if (wc->status == IBV_WC_RNR_RETRY_EXC_ERR)
		rdma_set_err(r, dpu_abi_fail(EIO, "rdma %s: receiver not ready (RNR): credit bug",
					     r->t.peer_desc));
	else if (wc->status == IBV_WC_RETRY_EXC_ERR)
		rdma_set_err(r, dpu_abi_fail(EPIPE, "rdma %s: peer unreachable (%s)",
					     r->t.peer_desc, ibv_wc_status_str(wc->status)));
	else
		rdma_set_err(r, dpu_abi_fail(EIO, "rdma %s: send completion: %s",
					     r->t.peer_desc, ibv_wc_status_str(wc->status)));
}

/* Reap completions, post what credits allow, return credits if due. */
static void progress(struct rdma_transport *r)
{
	struct ibv_wc wc[32];
	int n, i;

	do {
		n = ibv_poll_cq(r->cq, 32, wc);
		if (n < 0) {
			rdma_set_err(r, dpu_abi_fail(EIO, "rdma %s: poll CQ", r->t.peer_desc));
			return;
		}
		for (i = 0; i < n; i++) {
			if (WR_KIND(wc[i].wr_id) == 0)
				handle_recv(r, &wc[i]);
			else
				handle_send(r, &wc[i]);
		}
	} while (n == 32);
	tx_push(r);
	send_credits(r);
}

/* ------------------------------------------------------------------ */
/* The vtable                                                          */
/* ------------------------------------------------------------------ */

static int rdma_send_burst(struct dpu_abi_transport *t, const struct dpu_abi_rx *msgs,
			   unsigned int n)
{
	struct rdma_transport *r = rdma_of(t);
	unsigned int i;

	if (r->err)
		return r->err;
	if (r->gone_ns)
		return dpu_abi_fail(EPIPE, "rdma %s: peer disconnected", t->peer_desc);
	for (i = 0; i < n; i++) {
		const struct dpu_abi_hdr *h = msgs[i].msg;
		uint32_t len = msgs[i].len, hdr[2] = { len, 0 };
		uint32_t rec = (uint32_t)dpu_abi_frame_size(len);
		unsigned int slot;
		uint8_t *p;

		if (len < sizeof(*h) || len > t->max_msg_len || h->length != len) {
			if (i)
				break;
			return dpu_abi_fail(EINVAL,
					    "rdma send: message of %u bytes, header says %u (max %u)",
					    len, len >= sizeof(*h) ? h->length : 0, t->max_msg_len);
		}
		slot = (unsigned int)((r->tx_open - 1) % RDMA_TX_SLOTS);
		if (r->tx_open == r->tx_post || r->tx_len[slot] + rec > r->send_cap) {
			if (r->tx_open - r->tx_done >= RDMA_TX_SLOTS)
				progress(r); /* reap sends that finished */
			if (r->err)
				return i ? (int)i : r->err;
			if (r->tx_open - r->tx_done >= RDMA_TX_SLOTS) {
				r->st.tx_full++;
				break;
			}
			slot = (unsigned int)(r->tx_open++ % RDMA_TX_SLOTS);
			r->tx_len[slot] = 0;
		}
		p = r->tx_base + (size_t)slot * r->slot_bytes + HDR + r->tx_len[slot];
		memcpy(p, hdr, sizeof(hdr));
		memcpy(p + DPU_ABI_FRAME_HDR, h, len);
		memset(p + DPU_ABI_FRAME_HDR + len, 0, rec - DPU_ABI_FRAME_HDR - len);
		r->tx_len[slot] += rec;
		r->st.tx_msgs++;
		r->st.tx_bytes += len;
	}
	return (int)i;
}

static int rdma_flush(struct dpu_abi_transport *t)
{
	struct rdma_transport *r = rdma_of(t);

	if (r->err)
		return r->err;
	if (r->gone_ns)
		return dpu_abi_fail(EPIPE, "rdma %s: peer disconnected", t->peer_desc);
	tx_push(r);
	if (r->tx_post < r->tx_open)
		progress(r);
	if (r->err)
		return r->err;
	/* Out of credits: queued, posted when the peer returns some. */
	return r->tx_post < r->tx_open ? -EAGAIN : 0;
}

static int handout(struct rdma_transport *r, struct dpu_abi_rx *msgs, unsigned int n)
{
	unsigned int count = 0;

	while (count < n && r->hand_pos < r->fifo_len) {
		unsigned int slot = r->fifo[(r->fifo_head + r->hand_pos) % RDMA_RX];
		struct rx_slot *s = &r->rxs[slot];
		const uint8_t *base = r->rx_base + (size_t)slot * r->slot_bytes;

		while (count < n && s->handed < s->n_msgs) {
			uint32_t len = rd32(base + s->off);

			msgs[count].msg = base + s->off + DPU_ABI_FRAME_HDR;
			msgs[count].len = len;
			s->off += (uint32_t)dpu_abi_frame_size(len);
			s->handed++;
			r->held++;
			r->st.rx_msgs++;
			r->st.rx_bytes += len;
			count++;
		}
		if (s->handed == s->n_msgs)
			r->hand_pos++;
	}
	return (int)count;
}

static int gone_check(struct rdma_transport *r)
{
	if (r->gone_ns && r->hand_pos == r->fifo_len &&
	    dpu_abi_now_ns() - r->gone_ns >= (int64_t)RDMA_GONE_GRACE_MS * 1000000)
		return rdma_set_err(r, dpu_abi_fail(EPIPE, "rdma %s: peer disconnected",
						    r->t.peer_desc));
	return 0;
}

static int rdma_recv_burst(struct dpu_abi_transport *t, struct dpu_abi_rx *msgs,
			   unsigned int n)
{
	struct rdma_transport *r = rdma_of(t);
	int c;

	if (r->err)
		return r->err;
	c = handout(r, msgs, n);
	if (c)
		return c;
	progress(r);
	if (r->err)
		return r->err;
	c = handout(r, msgs, n);
	if (c)
		return c;
	return gone_check(r);
}

static void rdma_release(struct dpu_abi_transport *t, unsigned int n)
{
	struct rdma_transport *r = rdma_of(t);

	for (; n && r->held; n--, r->held--) {
		unsigned int slot = r->fifo[r->fifo_head];
		struct rx_slot *s = &r->rxs[slot];

		if (++s->released < s->n_msgs)
			continue;
		r->fifo_head = (r->fifo_head + 1) % RDMA_RX;
		r->fifo_len--;
		r->hand_pos--;
		if (r->err || r->gone_ns)
			continue;
		if (post_recv(r, slot) == 0)
			r->owe_data++;
	}
	send_credits(r);
}

static void on_cm_event(struct rdma_transport *r, const struct rdma_cm_event *ev)
{
	switch (ev->event) {
	case RDMA_CM_EVENT_ESTABLISHED:
	case RDMA_CM_EVENT_TIMEWAIT_EXIT:
		break;
	default: /* DISCONNECTED, DEVICE_REMOVAL, errors: the link is over */
		if (!r->gone_ns) {
			struct itimerspec its = {
				.it_value.tv_nsec = (long)RDMA_GONE_GRACE_MS * 1000000,
			};

			r->gone_ns = dpu_abi_now_ns();
			/* pollfd fires again when the grace ends, so an epoll
			 * loop calling wait(t, 0) learns -EPIPE without spinning */
			timerfd_settime(r->tfd, 0, &its, NULL);
		}
	}
}

/* Consume whatever woke the epoll set, without blocking. */
static void drain_events(struct rdma_transport *r)
{
	struct rdma_cm_event *ev;
	struct ibv_cq *cq;
	uint64_t ticks;
	void *ctx;

	if (r->tfd >= 0 && read(r->tfd, &ticks, sizeof(ticks)) < 0 && errno != EAGAIN)
		rdma_set_err(r, dpu_abi_fail(errno, "rdma %s: timerfd", r->t.peer_desc));
	while (rdma_get_cm_event(r->ch, &ev) == 0) {
		on_cm_event(r, ev);
		rdma_ack_cm_event(ev);
	}
	while (ibv_get_cq_event(r->cc, &cq, &ctx) == 0) {
		ibv_ack_cq_events(cq, 1);
		r->cq_armed = 0;
	}
}

static int rdma_wait(struct dpu_abi_transport *t, int timeout_ms)
{
	struct rdma_transport *r = rdma_of(t);
	int64_t deadline = dpu_abi_now_ns() + (int64_t)timeout_ms * 1000000;
	struct epoll_event ev[3];
	int rc, ms;

	for (;;) {
		if (r->err)
			return r->err;
		drain_events(r);
		progress(r);
		if (r->err)
			return r->err;
		if (r->hand_pos < r->fifo_len)
			return 1;
		rc = gone_check(r);
		if (rc)
			return rc;
		if (!r->cq_armed) {
			/* Arm, then look once more: completions that raced
			 * the arming raise no event. */
			rc = ibv_req_notify_cq(r->cq, 0);
			if (rc)
				return rdma_set_err(r, dpu_abi_fail(rc, "rdma %s: arm CQ",
								    t->peer_desc));
			r->cq_armed = 1;
			continue;
		}
		ms = dpu_abi_ms_left(deadline, timeout_ms);
		if (r->gone_ns) {
			int64_t left = r->gone_ns + (int64_t)RDMA_GONE_GRACE_MS * 1000000 -
				       dpu_abi_now_ns();
			int g = left > 0 ? (int)((left + 999999) / 1000000) : 0;

			if (ms < 0 || g < ms)
				ms = g;
		}
		rc = epoll_wait(r->epfd, ev, 3, ms);
		if (rc < 0 && errno != EINTR)
			return dpu_abi_fail(errno, "rdma %s: epoll", t->peer_desc);
		if (rc == 0 && dpu_abi_ms_left(deadline, timeout_ms) == 0)
			return 0;
	}
}

static int rdma_pollfd(struct dpu_abi_transport *t)
{
	return rdma_of(t)->epfd;
}

static void rdma_get_stats(struct dpu_abi_transport *t, struct dpu_abi_transport_stats *st)
{
	*st = rdma_of(t)->st;
}

/* Let posted SENDs finish before disconnecting, so what was sent before a
 * clean close arrives before the peer sees DISCONNECTED. */
static void drain_sends(struct rdma_transport *r)
{
	/* The card serves every host from one thread: a peer whose device
	 * stopped completing must not stall the others for long. */
	int drain_ms = r->t.role == DPU_ABI_ROLE_CARD ? RDMA_CLOSE_DRAIN_CARD_MS
						     : RDMA_CLOSE_DRAIN_MS;
	int64_t deadline = dpu_abi_now_ns() + (int64_t)drain_ms * 1000000;
	struct pollfd pfd = { .fd = r->epfd, .events = POLLIN };

	/* Queued SENDs go out if credits allow; then wait for the posted
	 * ones only: their completions need the peer's device, not its
	 * program, so a stalled peer does not hold the close up. */
	progress(r);
	while (!r->err && !r->gone_ns && r->sends_inflight) {
		int ms = dpu_abi_ms_left(deadline, drain_ms);

		if (ms == 0)
			break;
		drain_events(r);
		progress(r);
		if (!r->sends_inflight)
			break;
		if (!r->cq_armed) {
			if (ibv_req_notify_cq(r->cq, 0))
				break;
			r->cq_armed = 1;
			continue;
		}
		poll(&pfd, 1, ms);
	}
}

static void rdma_free(struct rdma_transport *r)
{
	if (r->connected) {
		drain_sends(r);
		rdma_disconnect(r->id);
	}
	if (r->qp_made)
		rdma_destroy_qp(r->id);
	if (r->mr)
		ibv_dereg_mr(r->mr);
	if (r->cq) {
		drain_events(r);
		ibv_destroy_cq(r->cq);
	}
	if (r->cc)
		ibv_destroy_comp_channel(r->cc);
	if (r->pd)
		ibv_dealloc_pd(r->pd);
	if (r->id)
		rdma_destroy_id(r->id);
	if (r->ch)
		rdma_destroy_event_channel(r->ch);
	if (r->epfd >= 0)
		close(r->epfd);
	if (r->tfd >= 0)
		close(r->tfd);
	free(r->mem);
	free(r);
}

static void rdma_close(struct dpu_abi_transport *t)
{
	rdma_free(rdma_of(t));
}

static const struct dpu_abi_transport_ops rdma_ops = {
	.name = "rdma",
	.send_burst = rdma_send_burst,
	.flush = rdma_flush,
	.recv_burst = rdma_recv_burst,
	.release = rdma_release,
	.wait = rdma_wait,
	.pollfd = rdma_pollfd,
	.get_stats = rdma_get_stats,
	.close = rdma_close,
};

/* ------------------------------------------------------------------ */
/* Setting up a connection                                             */
/* ------------------------------------------------------------------ */

static struct rdma_transport *rdma_new(enum dpu_abi_role role, uint32_t max_msg_len)
{
	struct rdma_transport *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->t.ops = &rdma_ops;
	r->t.role = role;
	r->t.max_msg_len = r->own_max_msg = max_msg_len;
	r->epfd = r->tfd = -1;
	r->slot_bytes = (uint32_t)((HDR + dpu_abi_frame_size(max_msg_len) + 4095) & ~4095ull);
	return r;
}

int dpu_abi_rdma_test_lie_conn;

static void own_priv(const struct rdma_transport *r, struct dpu_rdma_conn_priv *p)
{
	*p = (struct dpu_rdma_conn_priv){
		.magic = DPU_RDMA_CONN_MAGIC,
		.version = DPU_RDMA_VERSION,
		.slots = dpu_abi_rdma_test_lie_conn ? 0 : RDMA_SLOTS,
		.ctrl_slots = RDMA_CTRL,
		.slot_bytes = r->slot_bytes,
		.max_msg_len = r->own_max_msg,
	};
}

static void apply_peer(struct rdma_transport *r, const struct dpu_rdma_conn_priv *p)
{
	r->peer_slots = r->credits = p->slots;
	r->peer_ctrl = r->ctrl_credits = p->ctrl_slots;
	if (p->max_msg_len < r->t.max_msg_len)
		r->t.max_msg_len = p->max_msg_len;
	r->send_cap = (p->slot_bytes < r->slot_bytes ? p->slot_bytes : r->slot_bytes) - HDR;
}

static void addr_desc(const struct sockaddr *sa, char *buf, size_t len)
{
	char host[64] = "?";
	unsigned int port = 0;

	if (sa && sa->sa_family == AF_INET) {
		const struct sockaddr_in *in4 = (const void *)sa;

		inet_ntop(AF_INET, &in4->sin_addr, host, sizeof(host));
		port = ntohs(in4->sin_port);
		snprintf(buf, len, "rdma:%s:%u", host, port);
	} else if (sa && sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const void *)sa;

		inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof(host));
		port = ntohs(in6->sin6_port);
		snprintf(buf, len, "rdma:[%s]:%u", host, port);
	} else {
		snprintf(buf, len, "rdma:?");
	}
}

/* PD, CQ + completion channel, one registered region, the QP with every
 * receive posted, the epoll set. id is ours from here on. */
static int rdma_setup(struct rdma_transport *r, struct rdma_cm_id *id)
{
	struct ibv_qp_init_attr qa = { 0 };
	struct epoll_event ev = { .events = EPOLLIN };
	size_t rx_len = (size_t)RDMA_RX * r->slot_bytes;
	size_t tx_len = (size_t)RDMA_TX_SLOTS * r->slot_bytes;
	unsigned int i;
	int cqe = RDMA_RX + RDMA_TX_SLOTS + RDMA_CTRL_BUFS + 8;

	r->id = id;
	r->pd = ibv_alloc_pd(id->verbs);
	if (!r->pd)
		return dpu_abi_fail(errno ? errno : ENOMEM, "rdma: allocate PD");
	r->cc = ibv_create_comp_channel(id->verbs);
	if (!r->cc || set_nonblock(r->cc->fd))
		return dpu_abi_fail(errno ? errno : ENOMEM, "rdma: completion channel");
	r->cq = ibv_create_cq(id->verbs, cqe, r, r->cc, 0);
	if (!r->cq)
		return dpu_abi_fail(errno ? errno : ENOMEM, "rdma: create CQ of %d", cqe);
	r->mem_len = rx_len + tx_len + 4096;
	if (posix_memalign((void **)&r->mem, 4096, r->mem_len))
		return dpu_abi_fail(ENOMEM, "rdma: %zu-byte region", r->mem_len);
	r->rx_base = r->mem;
	r->tx_base = r->mem + rx_len;
	r->ctrl_base = r->tx_base + tx_len;
	r->mr = ibv_reg_mr(r->pd, r->mem, r->mem_len, IBV_ACCESS_LOCAL_WRITE);
	if (!r->mr)
		return dpu_abi_fail(errno ? errno : ENOMEM, "rdma: register %zu bytes",
				    r->mem_len);
	qa.send_cq = r->cq;
	qa.recv_cq = r->cq;
	qa.qp_type = IBV_QPT_RC;
	qa.sq_sig_all = 1;
	qa.cap.max_send_wr = RDMA_TX_SLOTS + RDMA_CTRL_BUFS;
	qa.cap.max_recv_wr = RDMA_RX;
	qa.cap.max_send_sge = 1;
	qa.cap.max_recv_sge = 1;
	qa.cap.max_inline_data = RDMA_INLINE;
	if (rdma_create_qp(id, r->pd, &qa)) {
		/* Some devices offer less inline data; then go without. */
		qa.cap.max_inline_data = 0;
		if (rdma_create_qp(id, r->pd, &qa))
			return dpu_abi_fail(errno, "rdma: create RC QP");
	}
	r->qp_made = 1;
	r->inline_max = qa.cap.max_inline_data;
	for (i = 0; i < RDMA_RX; i++)
		if (post_recv(r, i))
			return r->err;
	r->epfd = epoll_create1(EPOLL_CLOEXEC);
	r->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (r->epfd < 0 || r->tfd < 0)
		return dpu_abi_fail(errno, "rdma: epoll/timerfd");
	if (epoll_ctl(r->epfd, EPOLL_CTL_ADD, r->cc->fd, &ev) ||
	    epoll_ctl(r->epfd, EPOLL_CTL_ADD, r->ch->fd, &ev) ||
	    epoll_ctl(r->epfd, EPOLL_CTL_ADD, r->tfd, &ev))
		return dpu_abi_fail(errno, "rdma: epoll_ctl");
	return 0;
}

static void conn_param(struct rdma_conn_param *cp, const struct dpu_rdma_conn_priv *p)
{
	*cp = (struct rdma_conn_param){
		.private_data = p,
		.private_data_len = sizeof(*p),
		.responder_resources = 0, /* SENDs only: no RDMA READ */
		.initiator_depth = 0,
		.retry_count = 7,
		.rnr_retry_count = 0, /* credits make RNR impossible; never hide one */
	};
}

/* Wait for the next event on a connecting id's channel; the caller acks. */
static int cm_next(struct rdma_event_channel *ch, int64_t deadline, int timeout_ms,
		   struct rdma_cm_event **ev, const char *what)
{
	struct pollfd pfd = { .fd = ch->fd, .events = POLLIN };
	int rc;

	for (;;) {
		if (rdma_get_cm_event(ch, ev) == 0)
			return 0;
		if (errno != EAGAIN && errno != EINTR)
			return dpu_abi_fail(errno, "%s: cm event", what);
		rc = poll(&pfd, 1, dpu_abi_ms_left(deadline, timeout_ms));
		if (rc == 0)
			return dpu_abi_fail(ETIMEDOUT, "%s: no answer in %d ms", what,
					    timeout_ms);
		if (rc < 0 && errno != EINTR)
			return dpu_abi_fail(errno, "%s: poll", what);
	}
}

static int cm_expect(struct rdma_event_channel *ch, enum rdma_cm_event_type want,
		     int64_t deadline, int timeout_ms, const char *what,
		     struct dpu_rdma_conn_priv *priv, char *why, size_t why_len)
{
	struct rdma_cm_event *ev;
	int rc = cm_next(ch, deadline, timeout_ms, &ev, what);

	if (rc)
		return rc;
	if (ev->event != want) {
		/* EPROTO means "the peer lied" elsewhere: not for a route */
		int err = ev->event == RDMA_CM_EVENT_REJECTED ? ECONNREFUSED :
			  ev->event == RDMA_CM_EVENT_ADDR_ERROR ? EADDRNOTAVAIL :
			  ev->event == RDMA_CM_EVENT_ROUTE_ERROR ? ENETUNREACH :
			  ev->event == RDMA_CM_EVENT_UNREACHABLE ? EHOSTUNREACH :
			  ev->event == RDMA_CM_EVENT_CONNECT_ERROR ? ECONNABORTED :
			  ev->status < 0 ? -ev->status : EPROTO;

		rc = dpu_abi_fail(err, "%s: %s (status %d)", what,
				  rdma_event_str(ev->event), ev->status);
		rdma_ack_cm_event(ev);
		return rc;
	}
	if (priv && dpu_rdma_conn_check(ev->param.conn.private_data,
					ev->param.conn.private_data_len, priv, why,
					why_len))
		rc = -EPROTO;
	rdma_ack_cm_event(ev);
	return rc;
}

int dpu_abi_rdma_connect(const struct dpu_abi_addr *a, const char *addr,
			 int timeout_ms, struct dpu_abi_transport **out)
{
	int64_t deadline = dpu_abi_now_ns() + (int64_t)timeout_ms * 1000000;
	int step_ms = timeout_ms < 0 || timeout_ms > 10000 ? 10000 : timeout_ms ? timeout_ms : 1;
	struct rdma_transport *r = rdma_new(DPU_ABI_ROLE_HOST, DPU_ABI_MSG_MAX);
	struct dpu_rdma_conn_priv mine, peer;
	struct rdma_conn_param cp;
	struct rdma_cm_id *id = NULL;
	char why[128], what[3][160];
	int rc;

	*out = NULL;
	if (!r)
		return dpu_abi_fail(ENOMEM, "connect %s", addr);
	snprintf(what[0], sizeof(what[0]), "connect %s: resolve address", addr);
	snprintf(what[1], sizeof(what[1]), "connect %s: resolve route", addr);
	snprintf(what[2], sizeof(what[2]), "connect %s", addr);
	why[0] = '\0';
	snprintf(r->t.peer_desc, sizeof(r->t.peer_desc), "%s", addr);
	r->ch = rdma_create_event_channel();
	if (!r->ch) {
		rc = dpu_abi_fail(errno, "connect %s: rdma_cm (no RDMA device/driver?)", addr);
		goto fail;
	}
	if (set_nonblock(r->ch->fd) || rdma_create_id(r->ch, &id, r, RDMA_PS_TCP)) {
		rc = dpu_abi_fail(errno, "connect %s: rdma_create_id", addr);
		goto fail;
	}
	r->id = id;
	if (rdma_resolve_addr(id, NULL, (struct sockaddr *)(uintptr_t)&a->ss, step_ms)) {
		rc = dpu_abi_fail(errno, "connect %s: resolve address", addr);
		goto fail;
	}
	rc = cm_expect(r->ch, RDMA_CM_EVENT_ADDR_RESOLVED, deadline, timeout_ms,
		       what[0], NULL, NULL, 0);
	if (rc)
		goto fail;
	if (rdma_resolve_route(id, step_ms)) {
		rc = dpu_abi_fail(errno, "connect %s: resolve route", addr);
		goto fail;
	}
	rc = cm_expect(r->ch, RDMA_CM_EVENT_ROUTE_RESOLVED, deadline, timeout_ms,
		       what[1], NULL, NULL, 0);
	if (rc)
		goto fail;
	rc = rdma_setup(r, id);
	if (rc)
		goto fail;
	own_priv(r, &mine);
	conn_param(&cp, &mine);
	if (rdma_connect(id, &cp)) {
		rc = dpu_abi_fail(errno, "connect %s: rdma_connect", addr);
		goto fail;
	}
	rc = cm_expect(r->ch, RDMA_CM_EVENT_ESTABLISHED, deadline, timeout_ms,
		       what[2], &peer, why, sizeof(why));
	if (rc == -EPROTO && why[0]) {
		rdma_disconnect(id);
		rc = dpu_abi_fail(EPROTO, "connect %s: card's connection data: %s", addr, why);
	}
	if (rc)
		goto fail;
	apply_peer(r, &peer);
	r->connected = 1;
	*out = &r->t;
	return 0;
fail:
	rdma_free(r);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Listener                                                            */
/* ------------------------------------------------------------------ */

int dpu_abi_rdma_listen(struct dpu_abi_listener *l, const char *addr)
{
	struct rdma_listener *rl = calloc(1, sizeof(*rl));
	struct sockaddr *sa;

	if (!rl)
		return dpu_abi_fail(ENOMEM, "listen %s", addr);
	l->rdma = rl;
	rl->ch = rdma_create_event_channel();
	if (!rl->ch)
		return dpu_abi_fail(errno, "listen %s: rdma_cm (no RDMA device/driver?)", addr);
	if (set_nonblock(rl->ch->fd) || rdma_create_id(rl->ch, &rl->id, NULL, RDMA_PS_TCP))
		return dpu_abi_fail(errno, "listen %s: rdma_create_id", addr);
	if (rdma_bind_addr(rl->id, (struct sockaddr *)&l->addr.ss))
		return dpu_abi_fail(errno, "listen %s: bind (no RDMA device with this address?)",
				    addr);
	if (rdma_listen(rl->id, 16))
		return dpu_abi_fail(errno, "listen %s", addr);
	/* The port rdma_cm picked for port 0. */
	sa = rdma_get_local_addr(rl->id);
	if (sa->sa_family == AF_INET6) {
		memcpy(&l->addr.ss, sa, sizeof(struct sockaddr_in6));
		l->addr.ss_len = sizeof(struct sockaddr_in6);
	} else {
		memcpy(&l->addr.ss, sa, sizeof(struct sockaddr_in));
		l->addr.ss_len = sizeof(struct sockaddr_in);
	}
	l->fd = rl->ch->fd;
	return 0;
}

void dpu_abi_rdma_listener_close(struct dpu_abi_listener *l, int disown)
{
	struct rdma_listener *rl = l->rdma;

	if (!rl)
		return;
	if (disown) {
		/* A forked child: destroying the id would end the parent's
		 * listener (the kernel object is shared); drop our fd only. */
		if (rl->ch)
			close(rl->ch->fd);
		free(rl);
		return;
	}
	if (rl->id)
		rdma_destroy_id(rl->id);
	if (rl->ch)
		rdma_destroy_event_channel(rl->ch);
	free(rl);
	l->rdma = NULL;
	l->fd = -1;
}

int dpu_abi_rdma_accept(struct dpu_abi_listener *l, int timeout_ms,
			struct dpu_abi_transport **out)
{
	struct rdma_listener *rl = l->rdma;
	int64_t deadline = dpu_abi_now_ns() + (int64_t)timeout_ms * 1000000;
	uint32_t max = l->opts.max_msg_len;
	struct dpu_rdma_conn_priv peer, mine;
	struct rdma_conn_param cp;
	struct rdma_transport *r;
	struct rdma_cm_event *ev;
	struct rdma_cm_id *id;
	char why[128], desc[64];
	int rc;

	*out = NULL;
	for (;;) {
		rc = cm_next(rl->ch, deadline, timeout_ms, &ev, "accept");
		if (rc == -ETIMEDOUT)
			return dpu_abi_fail(ETIMEDOUT, "accept: no host within %d ms", timeout_ms);
		if (rc)
			return rc;
		if (ev->event == RDMA_CM_EVENT_CONNECT_REQUEST)
			break;
		rdma_ack_cm_event(ev);
	}
	id = ev->id;
	rc = dpu_rdma_conn_check(ev->param.conn.private_data, ev->param.conn.private_data_len,
				 &peer, why, sizeof(why));
	rdma_ack_cm_event(ev);
	addr_desc(rdma_get_peer_addr(id), desc, sizeof(desc));
	if (rc) {
		rdma_reject(id, NULL, 0);
		rdma_destroy_id(id);
		return dpu_abi_fail(EPROTO, "accept %s: host's connection data: %s", desc, why);
	}
	if (max == 0 || max > DPU_ABI_MSG_MAX)
		max = DPU_ABI_MSG_MAX;
	if (max < sizeof(struct dpu_abi_hdr))
		max = sizeof(struct dpu_abi_hdr);
	r = rdma_new(DPU_ABI_ROLE_CARD, max);
	if (!r) {
		rdma_reject(id, NULL, 0);
		rdma_destroy_id(id);
		return dpu_abi_fail(ENOMEM, "accept %s", desc);
	}
	snprintf(r->t.peer_desc, sizeof(r->t.peer_desc), "%s", desc);
	/* Its own event channel: DISCONNECTED must wake this connection. */
	r->ch = rdma_create_event_channel();
	if (!r->ch || set_nonblock(r->ch->fd) || rdma_migrate_id(id, r->ch)) {
		rc = dpu_abi_fail(errno, "accept %s: event channel", desc);
		rdma_reject(id, NULL, 0);
		rdma_destroy_id(id);
		rdma_free(r);
		return rc;
	}
	rc = rdma_setup(r, id);
	if (rc) {
		rdma_reject(id, NULL, 0);
		rdma_free(r);
		return rc;
	}
	apply_peer(r, &peer);
	own_priv(r, &mine);
	conn_param(&cp, &mine);
	if (rdma_accept(id, &cp)) {
		rc = dpu_abi_fail(errno, "accept %s: rdma_accept", desc);
		rdma_free(r);
		return rc;
	}
	/* The QP is ready to send now; ESTABLISHED arrives later and wait()
	 * takes it like any other connection event. */
	r->connected = 1;
	*out = &r->t;
	return 0;
}

int dpu_abi_rdma_send_raw(struct dpu_abi_transport *t, const void *buf, uint32_t len)
{
	struct rdma_transport *r = rdma_of(t);
	unsigned int slot;
	uint8_t *p;

	if (t->ops != &rdma_ops || len > r->slot_bytes)
		return -EINVAL;
	if (r->tx_open != r->tx_post)
		return -EBUSY;
	progress(r);
	if (r->tx_open - r->tx_done >= RDMA_TX_SLOTS)
		return -ENOBUFS;
	slot = (unsigned int)(r->tx_open % RDMA_TX_SLOTS);
	p = r->tx_base + (size_t)slot * r->slot_bytes;
	memcpy(p, buf, len);
	r->tx_open++;
	r->tx_post++;
	return post_send(r, p, len, WR_TX | slot);
}
