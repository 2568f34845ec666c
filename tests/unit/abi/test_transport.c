/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Transports between two real processes: for each of shm, unix, tcp and
 * rdma a card and a host are forked and talk through the public API.
 * Hostile peers (half-written frames, lying lengths, a corrupted ring, a bad
 * control page, lying RDMA headers and credits) are played with raw
 * sockets, a raw mapping and raw RDMA SENDs, the way a broken or
 * compromised peer would. Nothing here asserts on timing: every wait has a
 * generous timeout and a child that hangs is killed by alarm().
 *
 *   test_transport              shm, unix, tcp, and rdma on 127.0.0.1 if
 *                               this machine has an RDMA device (else the
 *                               rdma kind is skipped with the reason)
 *   test_transport ADDR...      only these listen addresses, e.g.
 *                               rdma:127.0.0.1:0 (a failure to listen fails)
 * DPU_ABI_TEST_BURST=N sets the burst scenario's message count (default
 * 20000; fewer under an emulated CPU), DPU_ABI_TEST_ALARM=S the seconds
 * after which a hanging child is killed (default 30).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dpu_abi.h"
#include "rdma_wire.h" /* the RDMA header, for the hostile peers */
#include "shm_ring.h" /* region layout, for the hostile peers */
#include "transport_internal.h"

#define TMO 10000 /* ms: only a broken transport ever waits this long */
#define EVT_EVERY 16

static int failures;
static unsigned int child_alarm = 30;
static uint64_t burst_n = 20000;
#define BURST_N burst_n

#define CHECK(cond, ...)                                                      \
	do {                                                                  \
		if (!(cond)) {                                                \
			fprintf(stderr, "FAIL %s:%d [%d] %s: ", __FILE__,     \
				__LINE__, (int)getpid(), #cond);              \
			fprintf(stderr, __VA_ARGS__);                         \
			fprintf(stderr, " (last error: %s)\n",                \
				dpu_abi_last_error());                        \
			failures++;                                           \
		}                                                             \
	} while (0)

struct ctx {
	const char *kind; /* "shm", "unix", "tcp", "rdma" */
	char addr[128];
	struct dpu_abi_listener *l;
	int go[2]; /* host -> card: "stop stalling" */
	/* rdma: an rdma_cm descriptor works only in the process that opened
	 * it (the kernel checks the opener's credentials), so the card child
	 * listens on listen_addr itself and passes the bound address to the
	 * host child through ready. */
	const char *listen_addr;
	int ready[2];
	int own_listener;
};

/* ------------------------------------------------------------------ */
/* Messages built by hand from the wire structs                        */
/* ------------------------------------------------------------------ */

static uint32_t mk_msg(void *buf, uint16_t op, uint16_t flags, uint64_t req_id,
		       const void *body, uint32_t blen)
{
	struct dpu_abi_hdr *h = buf;

	memset(h, 0, sizeof(*h));
	h->magic = DPU_ABI_MAGIC;
	h->ver_major = DPU_ABI_VERSION_MAJOR;
	h->ver_minor = DPU_ABI_VERSION_MINOR;
	h->opcode = op;
	h->flags = flags;
	h->length = (uint32_t)sizeof(*h) + blen;
	h->req_id = req_id;
	if (body)
		memcpy(h + 1, body, blen);
	return h->length;
}

static uint32_t mk_keepalive(void *buf, uint64_t seq)
{
	struct dpu_abi_keepalive_req ka = { .seq = seq, .host_time_ns = ~seq };

	return mk_msg(buf, DPU_ABI_OP_KEEPALIVE, 0, seq + 1000, &ka, sizeof(ka));
}

static uint32_t mk_keepalive_resp(void *buf, const struct dpu_abi_hdr *req,
				  uint64_t seq)
{
	struct dpu_abi_keepalive_resp r = { .seq = seq, .uptime_ms = 1 };
	const struct dpu_abi_keepalive_req *ka = dpu_abi_body(req);

	r.host_time_ns = ka->host_time_ns;
	return mk_msg(buf, req->opcode, DPU_ABI_F_RESPONSE, req->req_id, &r,
		      sizeof(r));
}

static uint32_t mk_event(void *buf, uint32_t port)
{
	struct dpu_abi_evt_port_state ps = { .port_id = port, .oper_up = 1,
					     .admin_up = 1 };

	return mk_msg(buf, DPU_ABI_OP_EVT_PORT_STATE, DPU_ABI_F_EVENT, 0, &ps,
		      sizeof(ps));
}

static uint64_t ka_seq(const void *msg)
{
	const struct dpu_abi_keepalive_req *ka = dpu_abi_body(msg);

	return ka->seq;
}

/* Send all n, flushing and retrying while the peer drains. */
static int send_all(struct dpu_abi_transport *t, struct dpu_abi_rx *m,
		    unsigned int n)
{
	unsigned int done = 0;
	long tries = 0;
	int rc;

	while (done < n) {
		rc = dpu_abi_send_burst(t, m + done, n - done);
		if (rc < 0)
			return rc;
		done += (unsigned int)rc;
		rc = dpu_abi_flush(t);
		if (rc < 0 && rc != -EAGAIN)
			return rc;
		if (done < n) {
			if (++tries > 200000)
				return -ETIMEDOUT;
			usleep(50);
		}
	}
	return 0;
}

/* Wait until recv gives something or fails; 0 only after TMO. */
static int recv_wait(struct dpu_abi_transport *t, struct dpu_abi_rx *m,
		     unsigned int n)
{
	int rc, i;

	for (i = 0; i < 100; i++) {
		rc = dpu_abi_recv_burst(t, m, n);
		if (rc)
			return rc;
		rc = dpu_abi_wait(t, TMO / 10);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* rdma only: listen in this (card) process and tell the host where. */
static int card_listen(struct ctx *c)
{
	int rc;

	if (c->l)
		return 0;
	rc = dpu_abi_listen(c->listen_addr, NULL, &c->l);
	CHECK(rc == 0, "listen %s: %d", c->listen_addr, rc);
	if (rc)
		return rc;
	c->own_listener = 1;
	dpu_abi_listener_addr(c->l, c->addr, sizeof(c->addr));
	CHECK(write(c->ready[1], c->addr, sizeof(c->addr)) == sizeof(c->addr), "announce");
	return 0;
}

static void host_learn_addr(struct ctx *c)
{
	if (c->listen_addr)
		CHECK(read(c->ready[0], c->addr, sizeof(c->addr)) == sizeof(c->addr),
		      "card's address");
}

static struct dpu_abi_transport *card_accept(struct ctx *c)
{
	struct dpu_abi_transport *t = NULL;
	int rc = card_listen(c);

	if (rc)
		return NULL;
	rc = dpu_abi_accept(c->l, TMO, &t);

	CHECK(rc == 0, "accept on %s: %d", c->addr, rc);
	return t;
}

static struct dpu_abi_transport *host_connect(struct ctx *c)
{
	struct dpu_abi_transport *t = NULL;
	int rc;

	host_learn_addr(c);
	rc = dpu_abi_connect(c->addr, TMO, &t);

	CHECK(rc == 0, "connect to %s: %d", c->addr, rc);
	return t;
}

/* Card: after the conversation the host closes; we must see -EPIPE. */
static void card_expect_pipe(struct dpu_abi_transport *t)
{
	struct dpu_abi_rx m[8];
	int rc = recv_wait(t, m, 8);

	CHECK(rc == -EPIPE, "card after host left: %d", rc);
}

/* ------------------------------------------------------------------ */
/* Scenarios: each is a card function and a host function              */
/* ------------------------------------------------------------------ */

/* Round trips through dpu_abi_call, events before every 10th answer. */
#define RT_N 100

static int card_roundtrip(struct ctx *c)
{
	struct dpu_abi_transport *t = card_accept(c);
	uint8_t out[2][256];
	struct dpu_abi_rx m[16], o[2];
	uint64_t next = 0;
	int n, i;

	if (!t)
		return 1;
	while (next < RT_N) {
		n = recv_wait(t, m, 16);
		CHECK(n > 0, "card recv: %d", n);
		if (n <= 0)
			break;
		for (i = 0; i < n; i++) {
			const struct dpu_abi_hdr *h = m[i].msg;
			unsigned int k = 0;

			CHECK(h->opcode == DPU_ABI_OP_KEEPALIVE && ka_seq(h) == next,
			      "request %lu: op %#x seq %lu", (unsigned long)next,
			      h->opcode, (unsigned long)ka_seq(h));
			if (next % 10 == 0) {
				o[k].msg = out[k];
				o[k].len = mk_event(out[k], (uint32_t)next);
				k++;
			}
			o[k].msg = out[k];
			o[k].len = mk_keepalive_resp(out[k], h, next);
			k++;
			CHECK(send_all(t, o, k) == 0, "card send");
			next++;
		}
		dpu_abi_release(t, (unsigned int)n);
	}
	card_expect_pipe(t);
	dpu_abi_close(t);
	return failures;
}

static void count_event(void *arg, const struct dpu_abi_hdr *evt)
{
	const struct dpu_abi_evt_port_state *ps = dpu_abi_body(evt);
	unsigned int *n = arg;

	CHECK(evt->opcode == DPU_ABI_OP_EVT_PORT_STATE && ps->port_id == *n * 10,
	      "event %u: port %u", *n, ps->port_id);
	(*n)++;
}

static int host_roundtrip(struct ctx *c)
{
	struct dpu_abi_transport *t = host_connect(c);
	uint8_t req[64], resp[256];
	unsigned int events = 0;
	uint64_t i;
	int rc;

	if (!t)
		return 1;
	for (i = 0; i < RT_N; i++) {
		uint32_t len = mk_keepalive(req, i);
		const struct dpu_abi_keepalive_resp *r = dpu_abi_body((void *)resp);

		rc = dpu_abi_call(t, req, len, resp, sizeof(resp), TMO,
				  count_event, &events);
		CHECK(rc == 32 + (int)sizeof(*r), "call %lu: %d", (unsigned long)i, rc);
		if (rc < 0)
			break;
		CHECK(r->seq == i && r->host_time_ns == ~i, "response %lu: seq %lu",
		      (unsigned long)i, (unsigned long)r->seq);
	}
	CHECK(events == RT_N / 10, "events seen %u", events);
	printf("  %s: %d calls with %u events interleaved\n", c->kind, RT_N, events);
	dpu_abi_close(t);
	return failures;
}

/* Many messages both ways, in bursts, order and content checked. */
static int card_burst(struct ctx *c)
{
	struct dpu_abi_transport *t = card_accept(c);
	static uint8_t out[2 * 64][128];
	struct dpu_abi_rx m[64], o[2 * 64];
	uint64_t next = 0;
	int n, i;

	if (!t)
		return 1;
	while (next < BURST_N) {
		unsigned int k = 0;

		n = recv_wait(t, m, 64);
		CHECK(n > 0, "card recv at %lu: %d", (unsigned long)next, n);
		if (n <= 0)
			break;
		for (i = 0; i < n; i++, next++) {
			const struct dpu_abi_hdr *h = m[i].msg;

			if (ka_seq(h) != next || m[i].len != 48) {
				CHECK(0, "request %lu: seq %lu len %u", (unsigned long)next,
				      (unsigned long)ka_seq(h), m[i].len);
				break;
			}
			if (next % EVT_EVERY == 0) {
				o[k].msg = out[k];
				o[k].len = mk_event(out[k], (uint32_t)(next / EVT_EVERY));
				k++;
			}
			o[k].msg = out[k];
			o[k].len = mk_keepalive_resp(out[k], h, next);
			k++;
		}
		dpu_abi_release(t, (unsigned int)n);
		if (failures)
			break;
		CHECK(send_all(t, o, k) == 0, "card send at %lu", (unsigned long)next);
	}
	card_expect_pipe(t);
	dpu_abi_close(t);
	return failures;
}

static int host_burst(struct ctx *c)
{
	struct dpu_abi_transport *t = host_connect(c);
	static uint8_t req[64][64];
	struct dpu_abi_rx o[64], m[128];
	struct dpu_abi_transport_stats st;
	uint64_t sent = 0, got = 0, evts = 0;
	int n, i, rc;

	if (!t)
		return 1;
	while ((got < BURST_N || evts < BURST_N / EVT_EVERY) && !failures) {
		unsigned int k;
		int took = 0;

		for (k = 0; k < 64 && sent + k < BURST_N; k++) {
			o[k].msg = req[k];
			o[k].len = mk_keepalive(req[k], sent + k);
		}
		if (k) {
			rc = dpu_abi_send_burst(t, o, k);
			CHECK(rc >= 0, "send_burst: %d", rc);
			if (rc < 0)
				break;
			sent += (uint64_t)rc;
			took = rc;
			rc = dpu_abi_flush(t);
			CHECK(rc == 0 || rc == -EAGAIN, "flush: %d", rc);
		}
		n = dpu_abi_recv_burst(t, m, 128);
		CHECK(n >= 0, "host recv: %d", n);
		if (n < 0)
			break;
		for (i = 0; i < n; i++) {
			const struct dpu_abi_hdr *h = m[i].msg;

			if (h->flags & DPU_ABI_F_EVENT) {
				const struct dpu_abi_evt_port_state *ps = dpu_abi_body(h);

				CHECK(ps->port_id == evts, "event %lu is port %u",
				      (unsigned long)evts, ps->port_id);
				evts++;
				continue;
			}
			const struct dpu_abi_keepalive_resp *r = dpu_abi_body(h);

			CHECK(h->req_id == got + 1000 && r->seq == got &&
			      r->host_time_ns == ~got && m[i].len == 80,
			      "response %lu: req_id %lu seq %lu", (unsigned long)got,
			      (unsigned long)h->req_id, (unsigned long)r->seq);
			got++;
		}
		dpu_abi_release(t, (unsigned int)n);
		if (n == 0 && took < (int)k + (k == 0)) {
			rc = dpu_abi_wait(t, TMO);
			CHECK(rc >= 0, "host wait: %d", rc);
			if (rc <= 0)
				break;
		}
	}
	dpu_abi_get_stats(t, &st);
	CHECK(st.rx_msgs == got + evts && st.tx_msgs == sent, "stats rx %lu tx %lu",
	      (unsigned long)st.rx_msgs, (unsigned long)st.tx_msgs);
	printf("  %s: %lu requests, %lu responses, %lu events in order (doorbells %lu, tx_full %lu)\n",
	       c->kind, (unsigned long)sent, (unsigned long)got, (unsigned long)evts,
	       (unsigned long)st.doorbells, (unsigned long)st.tx_full);
	dpu_abi_close(t);
	return failures;
}

/* The card stalls; the host fills the queue, sees it refused, then the
 * card drains and everything (before and after) arrives in order. */
#define OVF_MORE 1000
#define OVF_END_ID 1 /* keepalives otherwise use seq + 1000 */

static int card_overflow(struct ctx *c)
{
	struct dpu_abi_transport *t = card_accept(c);
	struct pollfd pfd = { .fd = c->go[0], .events = POLLIN };
	struct dpu_abi_rx m[64], o;
	uint8_t out[128];
	uint64_t next = 0;
	int n, i, done = 0;
	char b;

	if (!t)
		return 1;
	CHECK(poll(&pfd, 1, 2 * TMO) == 1 && read(c->go[0], &b, 1) == 1,
	      "go signal");
	while (!done && !failures) {
		n = recv_wait(t, m, 64);
		CHECK(n > 0, "card recv at %lu: %d", (unsigned long)next, n);
		if (n <= 0)
			break;
		for (i = 0; i < n; i++) {
			const struct dpu_abi_hdr *h = m[i].msg;

			if (h->req_id == OVF_END_ID) {
				/* Terminator: answer with how many we saw. */
				o.msg = out;
				o.len = mk_keepalive_resp(out, h, next);
				CHECK(send_all(t, &o, 1) == 0, "card ack");
				done = 1;
				break;
			}
			CHECK(ka_seq(h) == next, "request %lu: seq %lu",
			      (unsigned long)next, (unsigned long)ka_seq(h));
			next++;
		}
		dpu_abi_release(t, (unsigned int)n);
	}
	card_expect_pipe(t);
	dpu_abi_close(t);
	return failures;
}

static int host_overflow(struct ctx *c)
{
	struct dpu_abi_transport *t = host_connect(c);
	uint8_t req[64][64], resp[256];
	struct dpu_abi_rx o[64];
	struct dpu_abi_transport_stats st;
	uint64_t sent = 0, filled;
	int rc = 1, k;

	if (!t)
		return 1;
	/* Fill: a stream also fills the kernel's socket buffers first. */
	while (rc > 0) {
		for (k = 0; k < 64; k++) {
			o[k].msg = req[k];
			o[k].len = mk_keepalive(req[k], sent + (uint64_t)k);
		}
		rc = dpu_abi_send_burst(t, o, 64);
		CHECK(rc >= 0 && rc <= 64, "send_burst while filling: %d", rc);
		if (rc < 0)
			break;
		sent += (uint64_t)rc;
		if (rc < 64)
			break;
		rc = dpu_abi_flush(t);
		CHECK(rc == 0 || rc == -EAGAIN, "flush: %d", rc);
		rc = 1;
		CHECK(sent < 10000000, "never full");
		if (sent >= 10000000)
			break;
	}
	mk_keepalive(req[0], sent);
	rc = dpu_abi_send(t, req[0], 48);
	CHECK(rc == -ENOBUFS, "send into a full queue: %d", rc);
	dpu_abi_get_stats(t, &st);
	CHECK(st.tx_full >= 2, "tx_full %lu", (unsigned long)st.tx_full);
	filled = sent;
	CHECK(dpu_abi_flush(t) >= -EAGAIN, "flush");
	CHECK(write(c->go[1], "g", 1) == 1, "go");

	/* Recover: the rest goes through as the card drains. */
	while (sent < filled + OVF_MORE && !failures) {
		struct dpu_abi_rx one;

		mk_keepalive(req[0], sent);
		one.msg = req[0];
		one.len = 48;
		CHECK(send_all(t, &one, 1) == 0, "send after drain at %lu",
		      (unsigned long)sent);
		sent++;
	}
	mk_keepalive(req[0], sent);
	((struct dpu_abi_hdr *)(void *)req[0])->req_id = OVF_END_ID;
	do {
		rc = dpu_abi_call(t, req[0], 48, resp, sizeof(resp), TMO, NULL, NULL);
		/* The queue may still be full of the backlog. */
		if (rc == -ENOBUFS)
			usleep(1000);
	} while (rc == -ENOBUFS);
	CHECK(rc == 80, "terminator call: %d", rc);
	if (rc == 80) {
		const struct dpu_abi_keepalive_resp *r = dpu_abi_body((void *)resp);

		CHECK(r->seq == sent, "card saw %lu of %lu", (unsigned long)r->seq,
		      (unsigned long)sent);
	}
	printf("  %s: queue full after %lu messages (tx_full %lu), %lu delivered in order after drain\n",
	       c->kind, (unsigned long)filled, (unsigned long)st.tx_full,
	       (unsigned long)sent);
	dpu_abi_close(t);
	return failures;
}

/* The card serves from an epoll loop on pollfd() and wait(t, 0), as
 * dpu-fw does: it must see every request, then -EPIPE after the host
 * closes, woken by pollfd every time, and wait(t, 0) must never block. */
#define EP_N 50

static int card_epoll_loop(struct ctx *c)
{
	struct dpu_abi_transport *t = card_accept(c);
	struct epoll_event ev = { .events = EPOLLIN };
	struct dpu_abi_rx m[16], o;
	uint8_t out[128];
	int64_t t0, worst = 0;
	int ep, n, i, rc = 0, served = 0, wakeups = 0;

	if (!t)
		return 1;
	ep = epoll_create1(EPOLL_CLOEXEC);
	CHECK(ep >= 0 && epoll_ctl(ep, EPOLL_CTL_ADD, dpu_abi_pollfd(t), &ev) == 0,
	      "epoll on pollfd");
	while (rc >= 0 && !failures) {
		/* Serve until wait(t, 0) says idle (which arms pollfd), then
		 * sleep in epoll. */
		for (;;) {
			rc = dpu_abi_recv_burst(t, m, 16);
			if (rc < 0)
				break;
			if (rc == 0) {
				t0 = dpu_abi_now_ns();
				rc = dpu_abi_wait(t, 0);
				if (dpu_abi_now_ns() - t0 > worst)
					worst = dpu_abi_now_ns() - t0;
				if (rc <= 0)
					break;
				continue;
			}
			for (i = 0; i < rc; i++) {
				o.msg = out;
				o.len = mk_keepalive_resp(out, m[i].msg, (uint64_t)served++);
				CHECK(send_all(t, &o, 1) == 0, "card answer");
			}
			dpu_abi_release(t, (unsigned int)rc);
		}
		if (rc < 0)
			break;
		n = epoll_wait(ep, &ev, 1, TMO);
		CHECK(n == 1, "pollfd woke: %d after %d requests", n, served);
		if (n != 1)
			break;
		wakeups++;
	}
	CHECK(rc == -EPIPE && served == EP_N, "epoll loop ended with %d after %d requests",
	      rc, served);
	/* No bound on `worst`: tests assert no timings (the header says so).
	 * The figure is printed for whoever reads the log. */
	printf("  %s: %d requests served from epoll on pollfd (%d wakeups), then -EPIPE; wait(t, 0) at most %ld us\n",
	       c->kind, served, wakeups, (long)(worst / 1000));
	close(ep);
	dpu_abi_close(t);
	return failures;
}

static int host_epoll_peer(struct ctx *c)
{
	struct dpu_abi_transport *t = host_connect(c);
	uint8_t req[64], resp[256];
	int i, rc;

	if (!t)
		return 1;
	for (i = 0; i < EP_N; i++) {
		rc = dpu_abi_call(t, req, mk_keepalive(req, (uint64_t)i), resp, sizeof(resp),
				  TMO, NULL, NULL);
		CHECK(rc == 80, "call %d: %d", i, rc);
		if (rc != 80)
			break;
		if (i % 10 == 0)
			usleep(2000); /* let the card go back to epoll */
	}
	dpu_abi_close(t);
	return failures;
}

/* kill -9 the card mid-conversation: the host's call must fail -EPIPE. */
static int card_dies(struct ctx *c)
{
	struct dpu_abi_transport *t = card_accept(c);
	struct dpu_abi_rx m[4], o;
	uint8_t out[128];
	int n;

	if (!t)
		return 1;
	n = recv_wait(t, m, 1);
	CHECK(n == 1, "card recv: %d", n);
	if (n == 1) {
		o.msg = out;
		o.len = mk_keepalive_resp(out, m[0].msg, 0);
		dpu_abi_release(t, 1);
		CHECK(send_all(t, &o, 1) == 0, "card answer");
	}
	n = recv_wait(t, m, 1); /* second request: die holding it */
	CHECK(n == 1, "card recv 2: %d", n);
	if (failures)
		return failures;
	raise(SIGKILL);
	return 1;
}

static int host_sees_card_die(struct ctx *c)
{
	struct dpu_abi_transport *t = host_connect(c);
	struct dpu_abi_rx m[4];
	uint8_t req[64], resp[256];
	int rc;

	if (!t)
		return 1;
	rc = dpu_abi_call(t, req, mk_keepalive(req, 0), resp, sizeof(resp), TMO,
			  NULL, NULL);
	CHECK(rc == 80, "first call: %d", rc);
	rc = dpu_abi_call(t, req, mk_keepalive(req, 1), resp, sizeof(resp), TMO,
			  NULL, NULL);
	CHECK(rc == -EPIPE, "call to a killed card: %d", rc);
	rc = dpu_abi_wait(t, TMO);
	CHECK(rc == -EPIPE, "wait after card died: %d", rc);
	rc = dpu_abi_recv_burst(t, m, 4);
	CHECK(rc == -EPIPE, "recv after card died: %d", rc);
	printf("  %s: card killed mid-call -> host call/wait/recv -EPIPE\n", c->kind);
	dpu_abi_close(t);
	return failures;
}

/* kill -9 the host after it sent a request: the card gets the request,
 * then -EPIPE. */
static int card_sees_host_die(struct ctx *c)
{
	struct dpu_abi_transport *t = card_accept(c);
	struct dpu_abi_rx m[4];
	int n;

	if (!t)
		return 1;
	n = recv_wait(t, m, 4);
	CHECK(n == 1 && ka_seq(m[0].msg) == 7, "card recv: %d", n);
	if (n > 0)
		dpu_abi_release(t, (unsigned int)n);
	n = recv_wait(t, m, 4);
	CHECK(n == -EPIPE, "card after host was killed: %d", n);
	n = dpu_abi_wait(t, TMO);
	CHECK(n == -EPIPE, "card wait after host was killed: %d", n);
	printf("  %s: host killed -> card recv/wait -EPIPE\n", c->kind);
	dpu_abi_close(t);
	return failures;
}

static int host_dies(struct ctx *c)
{
	struct dpu_abi_transport *t = host_connect(c);
	uint8_t req[64];

	if (!t)
		return 1;
	CHECK(dpu_abi_send(t, req, mk_keepalive(req, 7)) == 0, "send");
	if (failures)
		return failures;
	raise(SIGKILL);
	return 1;
}

/* ------------------------------------------------------------------ */
/* Hostile stream peers                                                */
/* ------------------------------------------------------------------ */

static int raw_connect(struct ctx *c)
{
	struct dpu_abi_addr a;
	int fd;

	if (dpu_abi_addr_parse(c->addr, &a))
		return -1;
	fd = dpu_abi_sock_connect(&a, TMO);
	if (fd >= 0)
		fcntl(fd, F_SETFL, 0); /* blocking, for simple writes */
	return fd;
}

enum stream_lie { LIE_HALF, LIE_HDRLEN, LIE_HUGE, LIE_TAG, LIE_NONE };
static const char *const lie_name[] = {
	"half-written frame (1000 claimed, 100 sent)",
	"frame length != header.length",
	"frame length > max_msg_len",
	"non-zero frame tag",
	"clean close",
};
static enum stream_lie cur_lie;

static int host_stream_liar(struct ctx *c)
{
	uint8_t buf[256] = { 0 };
	uint32_t *w = (uint32_t *)(void *)buf;
	int fd = raw_connect(c);
	size_t n = 0;

	CHECK(fd >= 0, "raw connect: %d", fd);
	if (fd < 0)
		return 1;
	switch (cur_lie) {
	case LIE_HALF:
		w[0] = 1000;
		mk_msg(buf + 8, DPU_ABI_OP_KEEPALIVE, 0, 1, NULL, 0);
		((struct dpu_abi_hdr *)(void *)(buf + 8))->length = 1000;
		n = 8 + 100;
		break;
	case LIE_HDRLEN:
		w[0] = 48;
		mk_keepalive(buf + 8, 0);
		((struct dpu_abi_hdr *)(void *)(buf + 8))->length = 128;
		n = 8 + 48;
		break;
	case LIE_HUGE:
		w[0] = 0x7ffffff8;
		mk_keepalive(buf + 8, 0);
		n = 8 + 48;
		break;
	case LIE_TAG:
		w[0] = 48;
		w[1] = 0xdead;
		mk_keepalive(buf + 8, 0);
		n = 8 + 48;
		break;
	case LIE_NONE:
		break;
	}
	CHECK(write(fd, buf, n) == (ssize_t)n, "raw write");
	close(fd);
	return failures;
}

static int card_stream_victim(struct ctx *c)
{
	struct dpu_abi_transport *t = card_accept(c);
	struct dpu_abi_transport_stats st;
	struct dpu_abi_rx m[4];
	int rc, want = cur_lie == LIE_NONE ? -EPIPE : -EPROTO;

	if (!t)
		return 1;
	rc = recv_wait(t, m, 4);
	CHECK(rc == want, "%s: recv %d", lie_name[cur_lie], rc);
	rc = dpu_abi_recv_burst(t, m, 4);
	CHECK(rc == want, "%s: error is sticky: %d", lie_name[cur_lie], rc);
	dpu_abi_get_stats(t, &st);
	CHECK(st.bad_frames == (cur_lie != LIE_NONE), "bad_frames %lu",
	      (unsigned long)st.bad_frames);
	printf("  %s: %s -> %s\n", c->kind, lie_name[cur_lie],
	       want == -EPROTO ? "-EPROTO" : "-EPIPE");
	dpu_abi_close(t);
	return failures;
}

/* ------------------------------------------------------------------ */
/* Hostile shm peers                                                   */
/* ------------------------------------------------------------------ */

/* Receive the region like a host would, without the library. */
static int raw_shm_host(struct ctx *c, uint8_t **base, size_t *len, int *bell)
{
	struct shm_hello hello;
	union {
		char buf[CMSG_SPACE(3 * sizeof(int))];
		struct cmsghdr align;
	} cm;
	struct iovec iov = { &hello, sizeof(hello) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = cm.buf, .msg_controllen = sizeof(cm.buf) };
	int fd = raw_connect(c), fds[3];

	if (fd < 0 || recvmsg(fd, &mh, 0) != sizeof(hello) || !CMSG_FIRSTHDR(&mh))
		return -1;
	memcpy(fds, CMSG_DATA(CMSG_FIRSTHDR(&mh)), sizeof(fds));
	*len = hello.region_size;
	*base = mmap(NULL, *len, PROT_READ | PROT_WRITE, MAP_SHARED, fds[0], 0);
	close(fds[0]);
	close(fds[2]);
	*bell = fds[1];
	return *base == MAP_FAILED ? -1 : fd;
}

enum ring_lie { RL_LEN, RL_PAST, RL_SHORT, RL_PROD, RL_WRAP0, RL_ALIGN,
	       RL_PARTIAL, RL_MAX };
static const char *const ring_lie_name[] = {
	"record length 0x7ffffff8",
	"record runs past the published bytes",
	"record shorter than a header",
	"producer index a ring ahead",
	"wrap marker at offset 0",
	"producer index not 8-aligned",
	"half a header published",
};
static enum ring_lie cur_ring_lie;

static int host_ring_liar(struct ctx *c)
{
	uint8_t *base;
	size_t len;
	int bell, fd = raw_shm_host(c, &base, &len, &bell);
	struct shm_ctrl *ctl;
	struct shm_ring_idx *idx;
	struct dpu_abi_hdr *h;
	uint8_t *data;
	uint64_t one = 1, prod = 48;
	char b;

	CHECK(fd >= 0, "raw shm host");
	if (fd < 0)
		return 1;
	ctl = (struct shm_ctrl *)(void *)base;
	idx = (struct shm_ring_idx *)(void *)(base + ctl->ring[SHM_REQ].off);
	data = base + ctl->ring[SHM_REQ].off + SHM_PAGE;
	h = (struct dpu_abi_hdr *)(void *)data;
	mk_keepalive(data, 0);
	switch (cur_ring_lie) {
	case RL_LEN:
		h->length = 0x7ffffff8;
		break;
	case RL_PAST:
		h->length = 4000;
		break;
	case RL_SHORT:
		h->length = 8;
		prod = 8;
		break;
	case RL_PROD:
		prod = ctl->ring[SHM_REQ].size * 2;
		break;
	case RL_WRAP0:
		h->magic = SHM_WRAP_MAGIC;
		break;
	case RL_ALIGN:
		prod = 44;
		break;
	case RL_PARTIAL:
		prod = 16;
		break;
	default:
		break;
	}
	__atomic_store_n(&idx->prod, prod, __ATOMIC_RELEASE);
	CHECK(write(bell, &one, 8) == 8, "doorbell");
	/* Stay until the card has looked, so it sees the lie, not EOF. */
	CHECK(read(c->go[0], &b, 1) == 1, "card done");
	munmap(base, len);
	close(bell);
	close(fd);
	return failures;
}

static int card_ring_victim(struct ctx *c)
{
	struct dpu_abi_transport *t = card_accept(c);
	struct dpu_abi_transport_stats st;
	struct dpu_abi_rx m[4];
	int rc;

	if (!t)
		return 1;
	rc = recv_wait(t, m, 4);
	CHECK(rc == -EPROTO, "%s: recv %d", ring_lie_name[cur_ring_lie], rc);
	CHECK(dpu_abi_wait(t, 0) == -EPROTO, "error is sticky");
	dpu_abi_get_stats(t, &st);
	CHECK(st.bad_frames == 1, "bad_frames %lu", (unsigned long)st.bad_frames);
	printf("  shm: %s -> -EPROTO\n", ring_lie_name[cur_ring_lie]);
	CHECK(write(c->go[1], "d", 1) == 1, "release liar");
	dpu_abi_close(t);
	return failures;
}

/* A card handing over a region the host must refuse. */
enum region_lie { GL_UNSEALED, GL_RING_OOB, GL_OVERLAP, GL_SIZE, GL_MAX };
static const char *const region_lie_name[] = {
	"memfd not sealed", "ring past the end of the region",
	"rings overlap", "handover size != memfd size",
};
static enum region_lie cur_region_lie;

static int card_region_liar(struct ctx *c)
{
	struct shm_ctrl ctl = { .magic = SHM_MAGIC, .version = SHM_VERSION,
				.n_rings = SHM_NRINGS, .max_msg_len = 4096 };
	uint64_t size = SHM_PAGE + 3 * (SHM_PAGE + 8192);
	struct shm_hello hello = { SHM_MAGIC, SHM_VERSION, size };
	union {
		char buf[CMSG_SPACE(3 * sizeof(int))];
		struct cmsghdr align;
	} cm;
	struct iovec iov = { &hello, sizeof(hello) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = cm.buf, .msg_controllen = sizeof(cm.buf) };
	struct cmsghdr *cmsg;
	int fd, fds[3], i;
	char b;

	struct pollfd pfd = { .fd = dpu_abi_listener_fd(c->l), .events = POLLIN };

	CHECK(poll(&pfd, 1, TMO) == 1, "host arrives");
	fd = accept(pfd.fd, NULL, NULL);
	CHECK(fd >= 0, "raw accept");
	if (fd < 0)
		return failures;
	fds[0] = memfd_create("liar", MFD_ALLOW_SEALING);
	fds[1] = eventfd(0, 0);
	fds[2] = eventfd(0, 0);
	CHECK(ftruncate(fds[0], (off_t)size) == 0, "ftruncate");
	for (i = 0; i < SHM_NRINGS; i++) {
		ctl.ring[i].off = SHM_PAGE + (uint64_t)i * (SHM_PAGE + 8192);
		ctl.ring[i].size = 8192;
	}
	ctl.region_size = size;
	if (cur_region_lie != GL_UNSEALED)
		fcntl(fds[0], F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW);
	if (cur_region_lie == GL_RING_OOB)
		ctl.ring[SHM_EVT].size = 1u << 20;
	if (cur_region_lie == GL_OVERLAP)
		ctl.ring[SHM_CPL].off = SHM_PAGE * 2;
	if (cur_region_lie == GL_SIZE)
		hello.region_size = size * 4;
	CHECK(pwrite(fds[0], &ctl, sizeof(ctl), 0) == sizeof(ctl), "pwrite");
	cmsg = CMSG_FIRSTHDR(&mh);
	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(fds));
	memcpy(CMSG_DATA(cmsg), fds, sizeof(fds));
	CHECK(sendmsg(fd, &mh, 0) == sizeof(hello), "sendmsg");
	CHECK(read(fd, &b, 1) == 0, "host hangs up");
	for (i = 0; i < 3; i++)
		close(fds[i]);
	close(fd);
	return failures;
}

static int host_region_victim(struct ctx *c)
{
	struct dpu_abi_transport *t = NULL;
	int rc = dpu_abi_connect(c->addr, TMO, &t);

	CHECK(rc == -EPROTO && !t, "%s: connect %d", region_lie_name[cur_region_lie], rc);
	printf("  shm: card hands over a region with %s -> host refuses: %s\n",
	       region_lie_name[cur_region_lie], dpu_abi_last_error());
	return failures;
}

/* ------------------------------------------------------------------ */
/* Hostile RDMA peers                                                  */
/* ------------------------------------------------------------------ */

/* A host that connects through the library (so the connection data is
 * right) and then posts SENDs of its own making. */
enum rdma_lie { DL_HUGE, DL_HDRLEN, DL_TAG, DL_PAST, DL_BYTES, DL_MAGIC, DL_SEQ,
		DL_CREDITS, DL_OVERRUN, DL_NONE };
static const char *const rdma_lie_name[] = {
	"frame length > max_msg_len",
	"frame length != header.length",
	"non-zero frame tag",
	"frame runs past the SEND",
	"header byte count != SEND length",
	"bad SEND magic",
	"SEND out of sequence",
	"returns credits it was never given",
	"overruns its credits (RNR-free: caught as a lie)",
	"clean close",
};
static enum rdma_lie cur_rdma_lie;

static uint32_t rdma_send_mk(uint8_t *buf, uint32_t seq, uint16_t credits,
			     uint32_t frame_len, uint32_t tag, uint32_t msg_len)
{
	struct dpu_rdma_hdr h = { .magic = DPU_RDMA_SEND_MAGIC, .seq = seq,
				  .credits = credits };
	uint32_t w[2] = { frame_len, tag };

	memcpy(buf + sizeof(h), w, sizeof(w));
	mk_keepalive(buf + sizeof(h) + 8, seq);
	((struct dpu_abi_hdr *)(void *)(buf + sizeof(h) + 8))->length = msg_len;
	h.bytes = 8 + 48;
	memcpy(buf, &h, sizeof(h));
	return (uint32_t)sizeof(h) + 8 + 48;
}

static int host_rdma_liar(struct ctx *c)
{
	struct dpu_abi_transport *t = host_connect(c);
	static uint8_t buf[256] __attribute__((aligned(8)));
	struct dpu_rdma_hdr *h = (struct dpu_rdma_hdr *)(void *)buf;
	uint32_t len = rdma_send_mk(buf, 0, 0, 48, 0, 48), i;
	char b;
	int rc = 0;

	if (!t)
		return 1;
	switch (cur_rdma_lie) {
	case DL_HUGE:
		len = rdma_send_mk(buf, 0, 0, 0x7ffffff8, 0, 48);
		break;
	case DL_HDRLEN:
		len = rdma_send_mk(buf, 0, 0, 48, 0, 128);
		break;
	case DL_TAG:
		len = rdma_send_mk(buf, 0, 0, 48, 0xdead, 48);
		break;
	case DL_PAST:
		len = rdma_send_mk(buf, 0, 0, 1000, 0, 1000);
		break;
	case DL_BYTES:
		h->bytes += 8;
		break;
	case DL_MAGIC:
		h->magic ^= 1;
		break;
	case DL_SEQ:
		h->seq = 5;
		break;
	case DL_CREDITS:
		h->credits = DPU_RDMA_DATA_SLOTS + 1;
		break;
	default:
		break;
	}
	if (cur_rdma_lie == DL_OVERRUN) {
		/* One SEND more than the card gave credits for; the extra one
		 * lands in a credit buffer, so the card sees it and refuses. */
		for (i = 0; i <= DPU_RDMA_DATA_SLOTS && rc == 0; i++) {
			len = rdma_send_mk(buf, i, 0, 48, 0, 48);
			rc = dpu_abi_rdma_send_raw(t, buf, len);
			while (rc == -ENOBUFS) {
				usleep(1000);
				rc = dpu_abi_rdma_send_raw(t, buf, len);
			}
		}
		CHECK(rc == 0, "raw send %u: %d", i, rc);
	} else if (cur_rdma_lie != DL_NONE) {
		rc = dpu_abi_rdma_send_raw(t, buf, len);
		CHECK(rc == 0, "raw send: %d", rc);
	}
	/* Stay until the card has looked, so it sees the lie, not the close. */
	if (cur_rdma_lie != DL_NONE)
		CHECK(read(c->go[0], &b, 1) == 1, "card done");
	dpu_abi_close(t);
	return failures;
}

static int card_rdma_victim(struct ctx *c)
{
	struct dpu_abi_transport *t = card_accept(c);
	struct dpu_abi_transport_stats st;
	struct dpu_abi_rx m[32];
	int rc, got = 0, want = cur_rdma_lie == DL_NONE ? -EPIPE : -EPROTO;

	if (!t)
		return 1;
	/* Hold whatever is delivered: the overrun must not be rescued by
	 * credits going back. */
	while ((rc = recv_wait(t, m, 32)) > 0)
		got += rc;
	CHECK(rc == want, "%s: recv %d", rdma_lie_name[cur_rdma_lie], rc);
	/* The overrun's first 16 SENDs are honest: some may be handed out
	 * before the 17th is reaped (the error is sticky from then on). */
	CHECK(got <= (cur_rdma_lie == DL_OVERRUN ? DPU_RDMA_DATA_SLOTS : 0),
	      "%s: %d messages delivered before the lie", rdma_lie_name[cur_rdma_lie], got);
	rc = dpu_abi_recv_burst(t, m, 4);
	CHECK(rc == want, "%s: error is sticky: %d", rdma_lie_name[cur_rdma_lie], rc);
	CHECK(dpu_abi_wait(t, 0) == want, "%s: wait sticky", rdma_lie_name[cur_rdma_lie]);
	dpu_abi_get_stats(t, &st);
	CHECK(st.bad_frames == (cur_rdma_lie != DL_NONE), "bad_frames %lu",
	      (unsigned long)st.bad_frames);
	printf("  rdma: %s -> %s%s%s\n", rdma_lie_name[cur_rdma_lie],
	       want == -EPROTO ? "-EPROTO" : "-EPIPE", want == -EPROTO ? ": " : "",
	       want == -EPROTO ? dpu_abi_last_error() : "");
	if (cur_rdma_lie != DL_NONE)
		CHECK(write(c->go[1], "d", 1) == 1, "release liar");
	dpu_abi_close(t);
	return failures;
}

/* A host whose connection data lies: the card refuses it at accept. */
static int host_rdma_bad_priv(struct ctx *c)
{
	struct dpu_abi_transport *t = NULL;
	int rc;

	host_learn_addr(c);
	dpu_abi_rdma_test_lie_conn = 1;
	rc = dpu_abi_connect(c->addr, TMO, &t);

	/* rdma_cm reports the card's reject as ECONNREFUSED */
	CHECK(rc == -ECONNREFUSED && !t, "connect with lying conn data: %d", rc);
	dpu_abi_close(t);
	return failures;
}

static int card_rdma_refuses(struct ctx *c)
{
	struct dpu_abi_transport *t = NULL;
	int rc = card_listen(c);

	if (rc)
		return 1;
	rc = dpu_abi_accept(c->l, TMO, &t);

	CHECK(rc == -EPROTO && !t, "accept of lying conn data: %d", rc);
	printf("  rdma: host's connection data announces 0 receive buffers -> card refuses: %s\n",
	       dpu_abi_last_error());
	dpu_abi_close(t);
	return failures;
}

/* The checks of transport_rdma_wire.c without a device: every build. */
static void test_rdma_parse(void)
{
	static uint8_t buf[512] __attribute__((aligned(8)));
	struct dpu_rdma_conn_priv p = { .magic = DPU_RDMA_CONN_MAGIC,
					.version = DPU_RDMA_VERSION, .slots = 16,
					.ctrl_slots = 2, .slot_bytes = 4096,
					.max_msg_len = 1024 }, q, bp;
	struct dpu_rdma_hdr h;
	uint32_t n, len;
	char why[128];
	int i, bad = 0;

	printf("== rdma headers (no device needed)\n");
	len = rdma_send_mk(buf, 0, 3, 48, 0, 48);
	/* a second frame after the first */
	memcpy(buf + len, buf + sizeof(h), 56);
	((struct dpu_rdma_hdr *)(void *)buf)->bytes = 112;
	CHECK(dpu_rdma_parse(buf, len + 56, 1024, &h, &n, why, sizeof(why)) == 0 &&
	      n == 2 && h.credits == 3, "two frames: %s", why);
	CHECK(dpu_rdma_parse(buf, len + 56, 40, &h, &n, why, sizeof(why)) == -EPROTO,
	      "frame above max_msg_len");
	CHECK(dpu_rdma_parse(buf, len + 55, 1024, &h, &n, why, sizeof(why)) == -EPROTO,
	      "short SEND");
	CHECK(dpu_rdma_parse(buf, 8, 1024, &h, &n, why, sizeof(why)) == -EPROTO,
	      "SEND shorter than the header");
	((struct dpu_rdma_hdr *)(void *)buf)->bytes = 104; /* 8 stray bytes */
	CHECK(dpu_rdma_parse(buf, len + 48, 1024, &h, &n, why, sizeof(why)) == -EPROTO,
	      "stray bytes");
	((struct dpu_rdma_hdr *)(void *)buf)->bytes = 0;
	((struct dpu_rdma_hdr *)(void *)buf)->flags = DPU_RDMA_F_CTRL;
	CHECK(dpu_rdma_parse(buf, 16, 1024, &h, &n, why, sizeof(why)) == 0 && n == 0,
	      "credit-only SEND: %s", why);
	((struct dpu_rdma_hdr *)(void *)buf)->flags = 0;
	CHECK(dpu_rdma_parse(buf, 16, 1024, &h, &n, why, sizeof(why)) == -EPROTO,
	      "data SEND without frames");
	((struct dpu_rdma_hdr *)(void *)buf)->flags = 0x80;
	CHECK(dpu_rdma_parse(buf, 16, 1024, &h, &n, why, sizeof(why)) == -EPROTO,
	      "unknown flag");
	CHECK(dpu_rdma_conn_check(&p, sizeof(p), &q, why, sizeof(why)) == 0 &&
	      q.slots == 16, "conn data: %s", why);
	CHECK(dpu_rdma_conn_check(&p, sizeof(p) - 1, &q, why, sizeof(why)) == -EPROTO,
	      "short conn data");
	for (i = 0; i < 7; i++) {
		bp = p;
		switch (i) {
		case 0: bp.magic++; break;
		case 1: bp.version = 2; break;
		case 2: bp.slots = 0; break;
		case 3: bp.ctrl_slots = 200; break;
		case 4: bp.slot_bytes = 20; break;
		case 5: bp.max_msg_len = 8192; break;
		case 6: bp.reserved = 1; break;
		}
		bad += dpu_rdma_conn_check(&bp, sizeof(bp), &q, why, sizeof(why)) == -EPROTO;
	}
	CHECK(bad == 7, "%d of 7 lying conn data refused", bad);
	printf("  SEND header/frames: good accepted, each lie refused (checks above); "
	       "connection data: %d of 7 lies refused\n", bad);
}

/* ------------------------------------------------------------------ */
/* Harness                                                             */
/* ------------------------------------------------------------------ */

typedef int (*side_fn)(struct ctx *c);

static pid_t spawn(struct ctx *c, side_fn fn)
{
	pid_t pid = fork();

	if (pid == 0) {
		int rc;

		alarm(child_alarm);
		rc = fn(c);
		if (c->own_listener)
			dpu_abi_listener_close(c->l);
		else
			dpu_abi_listener_disown(c->l);
		close(c->go[0]);
		close(c->go[1]);
		if (c->listen_addr) {
			close(c->ready[0]);
			close(c->ready[1]);
		}
		fflush(stdout);
		exit(rc ? 1 : 0);
	}
	return pid;
}

static int child_ok(pid_t pid, int expect_sig, const char *who)
{
	int st;

	if (waitpid(pid, &st, 0) != pid)
		return 0;
	if (expect_sig)
		return WIFSIGNALED(st) && WTERMSIG(st) == expect_sig;
	if (WIFSIGNALED(st))
		fprintf(stderr, "FAIL %s killed by signal %d\n", who, WTERMSIG(st));
	return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

static void run_pair(struct ctx *c, const char *name, side_fn card, side_fn host,
		     int card_sig, int host_sig)
{
	pid_t pc, ph;
	int ok;

	printf("[%s] %s\n", c->kind, name);
	fflush(stdout);
	CHECK(pipe(c->go) == 0, "pipe");
	if (c->listen_addr)
		CHECK(pipe(c->ready) == 0, "pipe");
	pc = spawn(c, card);
	ph = spawn(c, host);
	close(c->go[0]);
	close(c->go[1]);
	if (c->listen_addr) {
		close(c->ready[0]);
		close(c->ready[1]);
	}
	ok = child_ok(ph, host_sig, "host");
	CHECK(ok, "%s: host side", name);
	if (!ok)
		kill(pc, SIGKILL); /* don't leave the card waiting TMO */
	ok = child_ok(pc, card_sig, "card");
	CHECK(ok, "%s: card side", name);
}

/* Can this machine listen on addr? Asked in a child: rdma_cm state must
 * not be created in the parent of the test's card and host processes. */
/* Listen on addr in a child (an rdma_cm descriptor stays in the process
 * that made it): 0, or the positive errno listening failed with. */
static int rdma_probe(const char *addr, char *why, size_t len)
{
	int p[2], st;
	ssize_t n;
	pid_t pid;

	if (pipe(p))
		return EIO;
	pid = fork();
	if (pid == 0) {
		struct dpu_abi_listener *l = NULL;
		int rc = dpu_abi_listen(addr, NULL, &l);
		const char *e = rc ? dpu_abi_last_error() : "";

		if (write(p[1], e, strlen(e)) < 0 && !rc)
			rc = -EIO;
		dpu_abi_listener_close(l);
		_exit(rc < 0 ? (-rc > 0 && -rc < 256 ? -rc : EIO) : 0);
	}
	close(p[1]);
	n = read(p[0], why, len - 1);
	why[n > 0 ? n : 0] = '\0';
	close(p[0]);
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return EIO;
	return WEXITSTATUS(st);
}

/* What listening answers on a machine that has no RDMA device (or a build
 * without rdma-core): only these make the rdma kind a skip. */
static int no_rdma_here(int err)
{
	return err == ENODEV || err == EPROTONOSUPPORT || err == ENOENT ||
	       err == EADDRNOTAVAIL;
}

/* may_skip: an rdma kind the caller did not ask for by name is skipped
 * (with the reason) when this machine has no RDMA device. */
static void test_kind(const char *kind, const char *addr, int may_skip)
{
	struct ctx c = { .kind = kind };
	struct dpu_abi_transport_opts opts = { 0 };
	char why[256];
	int rc, i;

	if (!strcmp(kind, "rdma")) {
		rc = rdma_probe(addr, why, sizeof(why));
		if (rc && may_skip && no_rdma_here(rc)) {
			printf("== %s: SKIP, no RDMA here: %s\n", kind, why);
			return;
		}
		CHECK(rc == 0, "listen %s: %s", addr, why);
		if (rc)
			return;
		c.listen_addr = addr;
		snprintf(c.addr, sizeof(c.addr), "%s", addr);
	} else {
		/* Small shm rings so overflow takes few messages. */
		opts.req_ring_bytes = 64 << 10;
		opts.cpl_ring_bytes = 64 << 10;
		opts.evt_ring_bytes = 16 << 10;
		rc = dpu_abi_listen(addr, &opts, &c.l);
		CHECK(rc == 0, "listen %s: %d", addr, rc);
		if (rc)
			return;
		dpu_abi_listener_addr(c.l, c.addr, sizeof(c.addr));
	}
	printf("== %s (%s)\n", kind, c.addr);

	run_pair(&c, "request/response round trips with events", card_roundtrip,
		 host_roundtrip, 0, 0);
	run_pair(&c, "burst both ways", card_burst, host_burst, 0, 0);
	run_pair(&c, "overflow and recovery", card_overflow, host_overflow, 0, 0);
	run_pair(&c, "card serving from epoll on pollfd", card_epoll_loop, host_epoll_peer,
		 0, 0);
	run_pair(&c, "card killed mid-conversation", card_dies, host_sees_card_die,
		 SIGKILL, 0);
	run_pair(&c, "host killed", card_sees_host_die, host_dies, 0, SIGKILL);
	if (!strcmp(kind, "rdma")) {
		for (i = 0; i <= DL_NONE; i++) {
			cur_rdma_lie = (enum rdma_lie)i;
			run_pair(&c, rdma_lie_name[i], card_rdma_victim,
				 host_rdma_liar, 0, 0);
		}
		run_pair(&c, "lying connection data", card_rdma_refuses,
			 host_rdma_bad_priv, 0, 0);
	} else if (strcmp(kind, "shm")) {
		for (i = 0; i <= LIE_NONE; i++) {
			cur_lie = (enum stream_lie)i;
			run_pair(&c, lie_name[i], card_stream_victim,
				 host_stream_liar, 0, 0);
		}
	} else {
		for (i = 0; i < RL_MAX; i++) {
			cur_ring_lie = (enum ring_lie)i;
			run_pair(&c, ring_lie_name[i], card_ring_victim,
				 host_ring_liar, 0, 0);
		}
		for (i = 0; i < GL_MAX; i++) {
			cur_region_lie = (enum region_lie)i;
			run_pair(&c, region_lie_name[i], card_region_liar,
				 host_region_victim, 0, 0);
		}
	}
	dpu_abi_listener_close(c.l);
}

static void test_addresses(void)
{
	static const char *const good[] = {
		"shm:/tmp/x.sock", "unix:/run/dpu.sock", "tcp:127.0.0.1:0",
		"tcp:10.1.2.3:65535", "tcp:[::1]:4791", "tcp:[fe80::1]:1",
		"rdma:127.0.0.1:0", "rdma:10.0.2.15:7471", "rdma:[::1]:4791",
	};
	static const char *const bad[] = {
		"", "shm:", "udp:1.2.3.4:5", "tcp:127.0.0.1", "tcp:127.0.0.1:",
		"tcp:127.0.0.1:65536", "tcp:localhost:80", "tcp:::1:80",
		"tcp:[::1]80", "tcp:[::1]:x", "tcp:[1.2.3.4]:5", "tcp:1.2.3.4:-1",
		"rdma:", "rdma:127.0.0.1", "rdma:host:1", "rdma:/tmp/x",
		"unix:/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	};
	struct dpu_abi_addr a;
	size_t i;

	printf("== addresses\n");
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		CHECK(dpu_abi_addr_parse(good[i], &a) == 0, "'%s' accepted", good[i]);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK(dpu_abi_addr_parse(bad[i], &a) == -EINVAL, "'%s' refused", bad[i]);
	CHECK(dpu_abi_addr_parse("tcp:[::1]:4791", &a) == 0 &&
	      a.ss.ss_family == AF_INET6, "v6 family");
	printf("  %zu good and %zu bad addresses classified\n",
	       sizeof(good) / sizeof(good[0]), sizeof(bad) / sizeof(bad[0]));
}

static const char *kind_of(const char *addr)
{
	static const char *const kinds[] = { "shm", "unix", "tcp", "rdma" };
	size_t i, n;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		n = strlen(kinds[i]);
		if (!strncmp(addr, kinds[i], n) && addr[n] == ':')
			return kinds[i];
	}
	return NULL;
}

int main(int argc, char **argv)
{
	char shm_path[64], unix_path[64];
	const char *env;
	int i;

	signal(SIGPIPE, SIG_IGN);
	setvbuf(stdout, NULL, _IOLBF, 0);
	env = getenv("DPU_ABI_TEST_BURST");
	if (env && atoi(env) > 0)
		burst_n = (uint64_t)atoi(env);
	env = getenv("DPU_ABI_TEST_ALARM");
	if (env && atoi(env) > 0)
		child_alarm = (unsigned int)atoi(env);
	test_addresses();
	test_rdma_parse();
	if (argc > 1) {
		for (i = 1; i < argc; i++) {
			const char *kind = kind_of(argv[i]);

			CHECK(kind != NULL, "'%s': not shm:, unix:, tcp: or rdma:", argv[i]);
			if (kind)
				test_kind(kind, argv[i], 0);
		}
	} else {
		snprintf(shm_path, sizeof(shm_path), "shm:/tmp/dpu-abi-test-%d-shm.sock",
			 (int)getpid());
		snprintf(unix_path, sizeof(unix_path),
			 "unix:/tmp/dpu-abi-test-%d-unix.sock", (int)getpid());
		test_kind("shm", shm_path, 0);
		test_kind("unix", unix_path, 0);
		test_kind("tcp", "tcp:127.0.0.1:0", 0);
		test_kind("rdma", "rdma:127.0.0.1:0", 1);
	}
	if (failures) {
		printf("FAILED: %d check(s)\n", failures);
		return 1;
	}
	printf("all transport checks passed\n");
	return 0;
}
