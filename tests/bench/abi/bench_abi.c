/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ABI transport benchmark: messages/s and flow-add ops/s between two
 * processes (producer pinned to one core, consumer to another), with a
 * DPDK rte_ring SP/SC run of the same payload in the same run as the
 * reference. Output per ../shared/BENCH.md: a summary line, then one JSON
 * object as the last line.
 *
 * Message runs: a 64-byte PORT_STATS request (header + 6 port ids), the
 * producer stamping req_id with a sequence number, the consumer checking
 * magic, length and sequence in place (and, in the "checked" run, running
 * dpu_abi_check() as the card would). rte_ring carries the same 64 bytes
 * as a 64-byte element (rte_ring_*_burst_elem), dequeued into a local
 * buffer and checked the same way.
 *
 * Flow runs: the host builds FLOW_BATCH messages of 64 ADD ops (PORT, ETH,
 * IPV4, TCP items; OUTPUT action; distinct flow ids) with the codec
 * builder, keeps a window of batches in flight; the card validates each
 * with dpu_abi_check() and answers with a batch response of 64 per-op
 * results, which the host checks too. ops/s counts completed ops.
 *
 * Consumers spin (benchmark mode); the library's wait() never does.
 */
#include <errno.h>
#include <getopt.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <rte_ring.h>
#include <rte_ring_elem.h>

#include "dpu_abi.h"

#define MSG_SIZE 64u
#define STOP_ID UINT64_MAX
#define FLOW_OPS 64u
#define MAX_BATCH 64u
#define MSG_RING_BYTES (256u << 10) /* shm ring for the message runs */
#define RTE_RING_ELEMS 4096u        /* 4096 x 64 B: the same 256 KiB */

struct opts {
	double seconds;
	int repeat;
	int core_prod, core_cons;
	unsigned int window;
	unsigned int ring_kib; /* shm message runs; 0: MSG_RING_BYTES */
	int verbose;
	const char *only;
};
static struct opts o = { .seconds = 1.0, .repeat = 3, .core_prod = 0,
			 .core_cons = 1, .window = 16 };

/* What the two children report back through a shared page. */
struct result {
	int64_t t_first, t_last;
	uint64_t count;      /* messages or ops consumed */
	uint64_t check_ns;   /* time in dpu_abi_check() (flow: card side) */
	uint64_t checked;    /* messages checked */
	uint64_t build_ns;   /* host: time building batches */
	uint64_t built;
	int error;
	char what[160];
};
static struct result *res;

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void pin(int core)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(core, &set);
	/* Best effort: a smaller machine still runs, unpinned. */
	sched_setaffinity(0, sizeof(set), &set);
}

static void fail(const char *what, const char *detail)
{
	if (!res->error) {
		res->error = 1;
		/* Truncation is fine: it is a log line. */
		if (snprintf(res->what, sizeof(res->what), "%s: %s", what, detail) < 0)
			res->what[0] = '\0';
	}
}

/* A valid 64-byte request: PORT_STATS for 6 ports. */
static void make_msg(uint8_t *buf, uint64_t req_id)
{
	struct dpu_abi_hdr *h = (void *)buf;
	struct dpu_abi_port_stats_req *ps = (void *)(h + 1);
	uint32_t i;

	memset(buf, 0, MSG_SIZE);
	h->magic = DPU_ABI_MAGIC;
	h->ver_major = DPU_ABI_VERSION_MAJOR;
	h->ver_minor = DPU_ABI_VERSION_MINOR;
	h->opcode = DPU_ABI_OP_PORT_STATS;
	h->length = MSG_SIZE;
	h->req_id = req_id;
	ps->count = 6;
	for (i = 0; i < 6; i++)
		ps->port_ids[i] = i;
}

/* The consumer's minimum: prove it is the message we expect. */
static inline int msg_ok(const void *m, uint64_t seq)
{
	const struct dpu_abi_hdr *h = m;

	return h->magic == DPU_ABI_MAGIC && h->length == MSG_SIZE &&
	       h->req_id == seq;
}

/* ------------------------------------------------------------------ */
/* rte_ring reference                                                  */
/* ------------------------------------------------------------------ */

static void rte_producer(struct rte_ring *r, unsigned int batch)
{
	static uint8_t msgs[MAX_BATCH][MSG_SIZE];
	int64_t end = now_ns() + (int64_t)(o.seconds * 1e9);
	uint64_t seq = 0;
	unsigned int i, done, iter = 0;

	for (i = 0; i < batch; i++)
		make_msg(msgs[i], 0);
	for (;;) {
		if ((++iter & 63) == 0 && now_ns() >= end)
			break;
		for (i = 0; i < batch; i++)
			((struct dpu_abi_hdr *)(void *)msgs[i])->req_id = seq + i;
		for (done = 0; done < batch;)
			done += rte_ring_sp_enqueue_burst_elem(r, msgs[done], MSG_SIZE,
							       batch - done, NULL);
		seq += batch;
	}
	make_msg(msgs[0], STOP_ID);
	while (rte_ring_sp_enqueue_burst_elem(r, msgs[0], MSG_SIZE, 1, NULL) != 1)
		;
}

static void rte_consumer(struct rte_ring *r, unsigned int batch)
{
	static uint8_t msgs[MAX_BATCH][MSG_SIZE];
	uint64_t seq = 0;
	unsigned int i, n;

	for (;;) {
		n = rte_ring_sc_dequeue_burst_elem(r, msgs, MSG_SIZE, batch, NULL);
		if (!n)
			continue;
		if (seq == 0)
			res->t_first = now_ns();
		for (i = 0; i < n; i++) {
			if (((struct dpu_abi_hdr *)(void *)msgs[i])->req_id == STOP_ID)
				goto out;
			if (!msg_ok(msgs[i], seq)) {
				fail("rte_ring: message out of order", "");
				goto out;
			}
			seq++;
		}
	}
out:
	res->t_last = now_ns();
	res->count = seq;
}

static int run_rte_ring(unsigned int batch)
{
	size_t sz = (size_t)rte_ring_get_memsize_elem(MSG_SIZE, RTE_RING_ELEMS);
	struct rte_ring *r;
	pid_t pc, pp;
	int st, rc = 0;

	/* A ring in shared memory made before fork: no EAL, no hugepages;
	 * rte_ring itself only needs the memory. */
	r = mmap(NULL, sz, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (r == MAP_FAILED)
		return -errno;
	if (rte_ring_init(r, "bench_abi", RTE_RING_ELEMS,
			  RING_F_SP_ENQ | RING_F_SC_DEQ) < 0) {
		munmap(r, sz);
		return -EINVAL;
	}
	pc = fork();
	if (pc == 0) {
		pin(o.core_cons);
		rte_consumer(r, batch);
		_exit(0);
	}
	pp = fork();
	if (pp == 0) {
		pin(o.core_prod);
		rte_producer(r, batch);
		_exit(0);
	}
	if (waitpid(pp, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st))
		rc = -ECHILD;
	if (waitpid(pc, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st))
		rc = -ECHILD;
	munmap(r, sz);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Transport message runs                                              */
/* ------------------------------------------------------------------ */

/* Send n messages, spinning while the queue is full (benchmark mode). */
static int push_all(struct dpu_abi_transport *t, struct dpu_abi_rx *m,
		    unsigned int n)
{
	unsigned int done = 0;
	int rc;

	while (done < n) {
		rc = dpu_abi_send_burst(t, m + done, n - done);
		if (rc < 0)
			return rc;
		done += (unsigned int)rc;
		rc = dpu_abi_flush(t);
		if (rc < 0 && rc != -EAGAIN)
			return rc;
	}
	return 0;
}

/* Make sure a stream has handed everything to the kernel before close. */
static int drain_tx(struct dpu_abi_transport *t)
{
	int rc;

	while ((rc = dpu_abi_flush(t)) == -EAGAIN)
		sched_yield();
	return rc;
}

static void msg_producer(struct dpu_abi_transport *t, unsigned int batch)
{
	static uint8_t msgs[MAX_BATCH][MSG_SIZE];
	struct dpu_abi_rx rx[MAX_BATCH];
	int64_t end = now_ns() + (int64_t)(o.seconds * 1e9);
	uint64_t seq = 0;
	unsigned int i, iter = 0;

	for (i = 0; i < batch; i++) {
		make_msg(msgs[i], 0);
		rx[i].msg = msgs[i];
		rx[i].len = MSG_SIZE;
	}
	for (;;) {
		if ((++iter & 63) == 0 && now_ns() >= end)
			break;
		for (i = 0; i < batch; i++)
			((struct dpu_abi_hdr *)(void *)msgs[i])->req_id = seq + i;
		if (push_all(t, rx, batch)) {
			fail("producer", dpu_abi_last_error());
			return;
		}
		seq += batch;
	}
	if (o.verbose) {
		struct dpu_abi_transport_stats st;

		dpu_abi_get_stats(t, &st);
		fprintf(stderr, "    producer: %lu msgs, tx_full %lu, doorbells %lu\n",
			(unsigned long)st.tx_msgs, (unsigned long)st.tx_full,
			(unsigned long)st.doorbells);
	}
	make_msg(msgs[0], STOP_ID);
	if (push_all(t, rx, 1) || drain_tx(t))
		fail("producer stop", dpu_abi_last_error());
	/* Stay until the consumer is done so a stream is not cut short. */
	while (dpu_abi_wait(t, 1000) >= 0)
		;
}

static void msg_consumer(struct dpu_abi_transport *t, unsigned int batch,
			 int check)
{
	struct dpu_abi_peer peer = { .role = DPU_ABI_ROLE_CARD,
				     .minor = DPU_ABI_VERSION_MINOR };
	struct dpu_abi_rx m[MAX_BATCH];
	uint64_t seq = 0, check_ns = 0;
	int n, i;

	for (;;) {
		n = dpu_abi_recv_burst(t, m, batch);
		if (n == 0)
			continue;
		if (n < 0) {
			fail("consumer", dpu_abi_last_error());
			break;
		}
		if (seq == 0 && !res->t_first)
			res->t_first = now_ns();
		if (check) {
			int64_t t0 = now_ns();

			for (i = 0; i < n; i++)
				if (dpu_abi_check(m[i].msg, m[i].len, &peer, NULL))
					fail("consumer: dpu_abi_check refused message", "");
			check_ns += (uint64_t)(now_ns() - t0);
		}
		for (i = 0; i < n; i++) {
			const struct dpu_abi_hdr *h = m[i].msg;

			if (h->req_id == STOP_ID)
				goto out;
			if (!msg_ok(h, seq)) {
				fail("consumer: message out of order", "");
				goto out;
			}
			seq++;
		}
		dpu_abi_release(t, (unsigned int)n);
	}
out:
	res->t_last = now_ns();
	res->count = seq;
	res->check_ns = check_ns;
	res->checked = check ? seq : 0;
}

typedef void (*role_fn)(struct dpu_abi_transport *t, unsigned int batch,
			int check);

static void prod_adapter(struct dpu_abi_transport *t, unsigned int batch,
			 int check)
{
	(void)check;
	msg_producer(t, batch);
}

/* Fork a card (consumer of requests) and a host; both pinned. */
static int run_pair(const char *addr, const struct dpu_abi_transport_opts *topts,
		    role_fn card, role_fn host, unsigned int batch, int check)
{
	struct dpu_abi_listener *l;
	pid_t pc, ph;
	int st, rc = 0;

	rc = dpu_abi_listen(addr, topts, &l);
	if (rc)
		return rc;
	pc = fork();
	if (pc == 0) {
		struct dpu_abi_transport *t;

		pin(o.core_cons);
		if (dpu_abi_accept(l, 10000, &t)) {
			fail("accept", dpu_abi_last_error());
			_exit(1);
		}
		card(t, batch, check);
		dpu_abi_close(t);
		_exit(0);
	}
	ph = fork();
	if (ph == 0) {
		struct dpu_abi_transport *t;

		pin(o.core_prod);
		if (dpu_abi_connect(addr, 10000, &t)) {
			fail("connect", dpu_abi_last_error());
			_exit(1);
		}
		host(t, batch, check);
		dpu_abi_close(t);
		_exit(0);
	}
	if (waitpid(ph, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st))
		rc = -ECHILD;
	if (waitpid(pc, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st))
		rc = -ECHILD;
	dpu_abi_listener_close(l);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Flow-add runs                                                       */
/* ------------------------------------------------------------------ */

static int build_flow_batch(uint8_t *buf, size_t cap, uint64_t req_id,
			    uint64_t first_id)
{
	struct dpu_abi_builder b;
	struct dpu_abi_item_port port = { .port_id = 1 }, port_m = { .port_id = ~0u };
	struct dpu_abi_item_eth eth = { .ether_type = __builtin_bswap16(0x0800) };
	struct dpu_abi_item_eth eth_m = { .ether_type = 0xffff };
	struct dpu_abi_item_ipv4 ip = { .proto = 6 }, ip_m = { .proto = 0xff };
	struct dpu_abi_item_tcp tcp = { 0 }, tcp_m = { .dst_port = 0xffff };
	struct dpu_abi_act_port out = {
		.hdr = { .type = DPU_ABI_ACT_OUTPUT, .len = sizeof(out) },
		.port_id = 2,
	};
	unsigned int i;

	memset(ip_m.src, 0xff, 4);
	memset(ip_m.dst, 0xff, 4);
	dpu_abi_build_init(&b, buf, cap, DPU_ABI_OP_FLOW_BATCH, 0, req_id);
	dpu_abi_flow_batch_begin(&b);
	for (i = 0; i < FLOW_OPS; i++) {
		uint64_t id = first_id + i;
		struct dpu_abi_flow_id fid = { .lo = id, .hi = 0x0d90 };

		ip.src[0] = 10;
		ip.src[1] = (uint8_t)(id >> 16);
		ip.src[2] = (uint8_t)(id >> 8);
		ip.src[3] = (uint8_t)id;
		ip.dst[0] = 192;
		ip.dst[1] = 168;
		ip.dst[3] = 1;
		tcp.dst_port = __builtin_bswap16((uint16_t)(1024 + (id & 0x7fff)));
		dpu_abi_flow_op_begin(&b, DPU_ABI_FLOW_ADD, DPU_ABI_FLOWF_TRANSFER,
				      0, 1, &fid);
		dpu_abi_flow_op_item(&b, DPU_ABI_ITEM_PORT, &port, &port_m);
		dpu_abi_flow_op_item(&b, DPU_ABI_ITEM_ETH, &eth, &eth_m);
		dpu_abi_flow_op_item(&b, DPU_ABI_ITEM_IPV4, &ip, &ip_m);
		dpu_abi_flow_op_item(&b, DPU_ABI_ITEM_TCP, &tcp, &tcp_m);
		dpu_abi_flow_op_action(&b, &out);
		dpu_abi_flow_op_end(&b);
	}
	return dpu_abi_build_finish(&b);
}

/* Card: check each batch, answer with 64 per-op results. */
static void flow_card(struct dpu_abi_transport *t, unsigned int batch, int check)
{
	struct dpu_abi_peer peer = { .role = DPU_ABI_ROLE_CARD,
				     .minor = DPU_ABI_VERSION_MINOR };
	static uint8_t out[8 + 32 + FLOW_OPS * sizeof(struct dpu_abi_flow_result) + 64];
	struct dpu_abi_error err;
	struct dpu_abi_rx m[16], r = { .msg = out };
	uint64_t ops = 0, check_ns = 0, checked = 0;
	int n, i;

	(void)batch;
	(void)check;
	for (;;) {
		n = dpu_abi_recv_burst(t, m, 16);
		if (n == 0)
			continue;
		if (n < 0)
			break; /* the host closes when done */
		for (i = 0; i < n; i++) {
			const struct dpu_abi_hdr *h = m[i].msg;
			const struct dpu_abi_flow_batch_req *req = dpu_abi_body(h);
			const struct dpu_abi_flow_op *op;
			struct dpu_abi_flow_batch_resp *rb;
			struct dpu_abi_flow_result *fr;
			struct dpu_abi_builder b;
			int64_t t0 = now_ns();
			uint32_t k;
			int rc;

			rc = dpu_abi_check(h, m[i].len, &peer, &err);
			check_ns += (uint64_t)(now_ns() - t0);
			checked++;
			if (rc) {
				fail("card: dpu_abi_check", err.msg);
				goto out;
			}
			dpu_abi_build_init(&b, out, sizeof(out), h->opcode,
					   DPU_ABI_F_RESPONSE, h->req_id);
			rb = dpu_abi_build_put(&b, sizeof(*rb));
			fr = dpu_abi_build_put(&b, req->n_ops * sizeof(*fr));
			if (!rb || !fr) {
				fail("card: response does not fit", "64 results");
				goto out;
			}
			rb->n_results = req->n_ops;
			op = dpu_abi_flow_batch_first(h);
			for (k = 0; k < req->n_ops; k++, op = dpu_abi_flow_op_next(op)) {
				fr[k].id = op->id;
				fr[k].op = op->op;
				fr[k].idle_ms = UINT32_MAX;
			}
			rc = dpu_abi_build_finish(&b);
			if (rc < 0) {
				fail("card: build response", dpu_abi_status_name((uint16_t)-rc));
				goto out;
			}
			r.len = (uint32_t)rc;
			ops += req->n_ops;
			if (push_all(t, &r, 1)) {
				fail("card: send", dpu_abi_last_error());
				goto out;
			}
		}
		dpu_abi_release(t, (unsigned int)n);
	}
out:
	res->check_ns = check_ns;
	res->checked = checked;
	(void)ops;
}

static void flow_host(struct dpu_abi_transport *t, unsigned int batch, int check)
{
	struct dpu_abi_peer peer = { .role = DPU_ABI_ROLE_HOST,
				     .minor = DPU_ABI_VERSION_MINOR };
	static uint8_t req[20000];
	struct dpu_abi_error err;
	struct dpu_abi_rx m[16], r = { .msg = req };
	int64_t end, t0;
	uint64_t next_id = 1, sent = 0, done = 0, ops = 0, build_ns = 0;
	int n, i, rc;

	(void)batch;
	(void)check;
	res->t_first = now_ns();
	end = res->t_first + (int64_t)(o.seconds * 1e9);
	for (;;) {
		int stop = now_ns() >= end;

		while (!stop && sent - done < o.window) {
			t0 = now_ns();
			rc = build_flow_batch(req, sizeof(req), sent, next_id);
			build_ns += (uint64_t)(now_ns() - t0);
			if (rc < 0) {
				fail("host: build batch", dpu_abi_status_name((uint16_t)-rc));
				return;
			}
			r.len = (uint32_t)rc;
			if (push_all(t, &r, 1)) {
				fail("host: send", dpu_abi_last_error());
				return;
			}
			next_id += FLOW_OPS;
			sent++;
		}
		if (stop && done == sent)
			break;
		n = dpu_abi_recv_burst(t, m, 16);
		if (n < 0) {
			fail("host: recv", dpu_abi_last_error());
			return;
		}
		for (i = 0; i < n; i++) {
			const struct dpu_abi_hdr *h = m[i].msg;
			const struct dpu_abi_flow_batch_resp *rb = dpu_abi_body(h);

			if (dpu_abi_check(h, m[i].len, &peer, &err)) {
				fail("host: bad response", err.msg);
				return;
			}
			if (h->req_id != done || h->status || rb->n_failed) {
				fail("host: response out of order or failed", "");
				return;
			}
			ops += rb->n_results;
			done++;
		}
		dpu_abi_release(t, (unsigned int)n);
	}
	res->t_last = now_ns();
	res->count = ops;
	res->build_ns = build_ns;
	res->built = sent;
}

/* ------------------------------------------------------------------ */
/* Driver                                                              */
/* ------------------------------------------------------------------ */

struct series {
	const char *name;
	double best, worst;
	double extra;  /* best run: check ns per message/op */
	double extra2; /* best run: host build ns per op (flow) */
	int runs;
};

static void add(struct series *s, double v, double extra, double extra2)
{
	if (!s->runs || v > s->best) {
		s->best = v;
		s->extra = extra;
		s->extra2 = extra2;
	}
	if (!s->runs || v < s->worst)
		s->worst = v;
	s->runs++;
}

static int measure(struct series *s, int (*run)(void *), void *arg,
		   int flow)
{
	double rate, extra = 0, extra2 = 0;
	int rc;

	memset(res, 0, sizeof(*res));
	rc = run(arg);
	if (rc || res->error || res->t_last <= res->t_first || !res->count) {
		fprintf(stderr, "bench_abi: %s: run failed (%d): %s\n", s->name, rc,
			res->what);
		return -1;
	}
	rate = (double)res->count / ((double)(res->t_last - res->t_first) / 1e9);
	if (res->checked)
		extra = (double)res->check_ns /
			(double)(flow ? res->checked * FLOW_OPS : res->checked);
	if (res->built)
		extra2 = (double)res->build_ns / (double)(res->built * FLOW_OPS);
	add(s, rate, extra, extra2);
	fprintf(stderr, "  %-28s %12.0f /s%s\n", s->name, rate,
		res->checked ? "  (checked)" : "");
	return 0;
}

struct tr_arg {
	const char *addr;
	struct dpu_abi_transport_opts topts;
	unsigned int batch;
	int check;
	int flow;
};

static int run_rte(void *a)
{
	return run_rte_ring(((struct tr_arg *)a)->batch);
}

static int run_tr(void *a)
{
	struct tr_arg *x = a;

	if (x->flow)
		return run_pair(x->addr, &x->topts, flow_card, flow_host, 0, 0);
	return run_pair(x->addr, &x->topts,
			msg_consumer, prod_adapter, x->batch, x->check);
}


static void usage(void)
{
	fprintf(stderr,
		"usage: bench_abi [--seconds S] [--repeat N] [--cores P,C] [--window W]\n"
		"                 [--only SUBSTRING] [--ring-kib K] [--verbose]\n"
		"  --seconds  length of each run (default 1.0)\n"
		"  --repeat   runs of each case; the best is reported (default 3)\n"
		"  --cores    producer and consumer cores (default 0,1)\n"
		"  --window   FLOW_BATCH messages in flight (default 16)\n"
		"  --only     run only the cases whose name contains SUBSTRING\n"
		"  --ring-kib shm ring size for the message runs (default 256)\n"
		"  --verbose  print producer queue statistics\n");
}

static void json_metric(int *first, const char *name, double v, const char *unit,
			const struct series *ref, double target_ratio,
			double target, const struct series *s, const char *refdesc,
			const char *extra)
{
	printf("%s\"%s\": {\"value\": %.4g, \"unit\": \"%s\"", *first ? "" : ", ",
	       name, v, unit);
	*first = 0;
	if (ref && ref->runs && ref->best > 0) {
		printf(", \"reference\": \"%s\", \"reference_value\": %.4g, \"ratio\": %.3f",
		       refdesc, ref->best, v / ref->best);
		if (target_ratio > 0)
			printf(", \"target_ratio\": %.2f", target_ratio);
	}
	if (target > 0)
		printf(", \"target\": %.4g", target);
	if (s && s->runs)
		printf(", \"runs\": %d, \"worst\": %.4g, \"spread\": %.3f", s->runs,
		       s->worst, s->best > 0 ? (s->best - s->worst) / s->best : 0);
	if (extra)
		printf(", %s", extra);
	printf("}");
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "seconds", required_argument, NULL, 's' },
		{ "repeat", required_argument, NULL, 'r' },
		{ "cores", required_argument, NULL, 'c' },
		{ "window", required_argument, NULL, 'w' },
		{ "only", required_argument, NULL, 'o' },
		{ "ring-kib", required_argument, NULL, 'k' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct series rte64 = { "rte_ring batch64" }, rte1 = { "rte_ring batch1" };
	struct series shm64 = { "shm batch64" }, shm1 = { "shm batch1" };
	struct series shm64c = { "shm batch64 +check" };
	struct series unix64 = { "unix batch64" }, unix1 = { "unix batch1" };
	struct series shmflow = { "shm flow-add" }, unixflow = { "unix flow-add" };
	char shm_addr[96], unix_addr[96], extra[256];
	struct tr_arg a_rte64 = { .batch = 64 }, a_rte1 = { .batch = 1 };
	struct tr_arg a_shm64, a_shm1, a_shm64c, a_unix64, a_unix1, a_shmflow,
		a_unixflow;
	struct {
		struct series *s;
		int (*fn)(void *);
		struct tr_arg *a;
		int flow;
	} cases[] = {
		{ &rte64, run_rte, &a_rte64, 0 },
		{ &shm64, run_tr, &a_shm64, 0 },
		{ &shm64c, run_tr, &a_shm64c, 0 },
		{ &rte1, run_rte, &a_rte1, 0 },
		{ &shm1, run_tr, &a_shm1, 0 },
		{ &unix64, run_tr, &a_unix64, 0 },
		{ &unix1, run_tr, &a_unix1, 0 },
		{ &shmflow, run_tr, &a_shmflow, 1 },
		{ &unixflow, run_tr, &a_unixflow, 1 },
	};
	unsigned int c;
	int ch, rep, first = 1;

	while ((ch = getopt_long(argc, argv, "s:r:c:w:o:k:vh", lo, NULL)) != -1) {
		switch (ch) {
		case 's':
			o.seconds = atof(optarg);
			break;
		case 'r':
			o.repeat = atoi(optarg);
			break;
		case 'c':
			if (sscanf(optarg, "%d,%d", &o.core_prod, &o.core_cons) != 2) {
				usage();
				return 2;
			}
			break;
		case 'w':
			o.window = (unsigned int)atoi(optarg);
			break;
		case 'o':
			o.only = optarg;
			break;
		case 'k':
			o.ring_kib = (unsigned int)atoi(optarg);
			break;
		case 'v':
			o.verbose = 1;
			break;
		default:
			usage();
			return ch == 'h' ? 0 : 2;
		}
	}
	if (o.seconds <= 0 || o.repeat < 1 || o.window < 1) {
		usage();
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	res = mmap(NULL, sizeof(*res), PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (res == MAP_FAILED)
		return 1;
	snprintf(shm_addr, sizeof(shm_addr), "shm:/tmp/bench_abi_%d_shm.sock", (int)getpid());
	snprintf(unix_addr, sizeof(unix_addr), "unix:/tmp/bench_abi_%d_unix.sock", (int)getpid());

	struct dpu_abi_transport_opts small = { .req_ring_bytes = MSG_RING_BYTES,
						.cpl_ring_bytes = MSG_RING_BYTES };
	if (o.ring_kib)
		small.req_ring_bytes = small.cpl_ring_bytes = o.ring_kib << 10;
	a_shm64 = (struct tr_arg){ shm_addr, small, 64, 0, 0 };
	a_shm64c = (struct tr_arg){ shm_addr, small, 64, 1, 0 };
	a_shm1 = (struct tr_arg){ shm_addr, small, 1, 0, 0 };
	a_unix64 = (struct tr_arg){ unix_addr, small, 64, 0, 0 };
	a_unix1 = (struct tr_arg){ unix_addr, small, 1, 0, 0 };
	a_shmflow = (struct tr_arg){ shm_addr, { 0 }, 64, 1, 1 };
	a_unixflow = (struct tr_arg){ unix_addr, { 0 }, 64, 1, 1 };

	fprintf(stderr, "bench_abi: %.1fs per run, best of %d, cores %d->%d, %u-byte messages\n",
		o.seconds, o.repeat, o.core_prod, o.core_cons, MSG_SIZE);
	/* Interleave repeats so a noisy neighbour hits every case alike. */
	for (rep = 0; rep < o.repeat; rep++) {
		for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
			if (o.only && !strstr(cases[c].s->name, o.only))
				continue;
			measure(cases[c].s, cases[c].fn, cases[c].a, cases[c].flow);
		}
	}

	printf("abi-transport: shm b64 %.1f M msg/s = %.2fx rte_ring (%.1f M), shm b1 %.1f M msg/s (rte_ring %.1f M), "
	       "shm flow-add %.2f M ops/s (target 5), unix b64 %.2f M msg/s, unix b1 %.2f M msg/s\n",
	       shm64.best / 1e6, rte64.best > 0 ? shm64.best / rte64.best : 0,
	       rte64.best / 1e6, shm1.best / 1e6, rte1.best / 1e6,
	       shmflow.best / 1e6, unix64.best / 1e6, unix1.best / 1e6);

	const char *ref64 = "rte_ring sp/sc burst 64, 64-byte elem, 2 processes, same run";
	const char *ref1 = "rte_ring sp/sc burst 1, 64-byte elem, 2 processes, same run";

	printf("{\"bench\": \"abi-transport\", \"metrics\": {");
	json_metric(&first, "shm_batch64_msgs_per_s", shm64.best, "msg/s", &rte64,
		    0.5, 0, &shm64, ref64, NULL);
	json_metric(&first, "shm_batch1_msgs_per_s", shm1.best, "msg/s", &rte1, 0,
		    0, &shm1, ref1, NULL);
	snprintf(extra, sizeof(extra), "\"check_ns_per_msg\": %.1f", shm64c.extra);
	json_metric(&first, "shm_batch64_checked_msgs_per_s", shm64c.best, "msg/s",
		    &rte64, 0, 0, &shm64c, ref64, extra);
	json_metric(&first, "unix_batch64_msgs_per_s", unix64.best, "msg/s", &rte64,
		    0, 0, &unix64, ref64, NULL);
	json_metric(&first, "unix_batch1_msgs_per_s", unix1.best, "msg/s", &rte1, 0,
		    0, &unix1, ref1, NULL);
	snprintf(extra, sizeof(extra),
		 "\"ops_per_msg\": %u, \"window\": %u, \"card_check_ns_per_op\": %.1f, \"host_build_ns_per_op\": %.1f",
		 FLOW_OPS, o.window, shmflow.extra, shmflow.extra2);
	json_metric(&first, "shm_flow_add_ops_per_s", shmflow.best, "ops/s", NULL, 0,
		    5e6, &shmflow, NULL, extra);
	snprintf(extra, sizeof(extra), "\"card_check_ns_per_op\": %.1f", unixflow.extra);
	json_metric(&first, "unix_flow_add_ops_per_s", unixflow.best, "ops/s", NULL,
		    0, 0, &unixflow, NULL, extra);
	json_metric(&first, "rte_ring_batch64_msgs_per_s", rte64.best, "msg/s", NULL,
		    0, 0, &rte64, NULL, NULL);
	json_metric(&first, "rte_ring_batch1_msgs_per_s", rte1.best, "msg/s", NULL,
		    0, 0, &rte1, NULL, NULL);
	printf("}}\n");
	return 0;
}
