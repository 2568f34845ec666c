/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * nvmf-perf: NVMe/TCP load generator on the userspace initiator.
 *
 *   nvmf-perf -a ADDR -p PORT -n SUBNQN [--nsid N] [--qd 32] [--bs 4096]
 *             [--rw randread|randwrite|read|write|randrw] [--mix 70]
 *             [--time 5] [--queues 1] [--hdgst] [--ddgst] [--busy-poll]
 *             [--cpu C] [--warmup 1] [--kato MS]
 *
 * One thread drives every queue. Prints a summary and, as the last line,
 * a JSON object with iops, MiB/s and latency percentiles (µs).
 */
#include <errno.h>
#include <getopt.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nvmf_initiator.h"

#define HB_SUB 64 /* sub-buckets per power of two: < 1.6 % error */

struct hist {
	uint64_t b[64 * HB_SUB];
	uint64_t n;
	double sum;
};

static unsigned int hbucket(uint64_t v)
{
	unsigned int msb;

	if (v < HB_SUB)
		return (unsigned int)v;
	msb = 63u - (unsigned int)__builtin_clzll(v);
	return (msb - 5) * HB_SUB + (unsigned int)((v >> (msb - 6)) & (HB_SUB - 1));
}

static uint64_t hvalue(unsigned int i)
{
	unsigned int msb;

	if (i < HB_SUB)
		return i;
	msb = i / HB_SUB + 5;
	return ((uint64_t)1 << msb) | ((uint64_t)(i % HB_SUB) << (msb - 6));
}

static double hpct(const struct hist *h, double p)
{
	uint64_t want = (uint64_t)(p * (double)h->n), acc = 0;

	for (unsigned int i = 0; i < 64 * HB_SUB; i++) {
		acc += h->b[i];
		if (acc > want)
			return (double)hvalue(i) / 1000.0;
	}
	return 0;
}

struct ioslot {
	struct worker *w;
	struct nvmfi_qpair *qp;
	uint8_t *buf;
	uint64_t t0;
	bool write;
};

struct worker {
	uint32_t bs;
	uint32_t blocks_per_io;
	uint64_t nblocks;
	uint32_t nsid;
	uint32_t block_shift;
	int rw_mode; /* 0 read 1 write 2 mixed */
	int mix;
	bool seq;
	uint64_t next_lba;
	uint64_t rng;
	bool measuring;
	struct hist h;
	uint64_t ios, bytes, errors;
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint64_t xrand(struct worker *w)
{
	w->rng ^= w->rng << 13;
	w->rng ^= w->rng >> 7;
	w->rng ^= w->rng << 17;
	return w->rng;
}

static void io_done(void *arg, const struct nvme_cqe *cqe);

static int submit(struct ioslot *s)
{
	struct worker *w = s->w;
	struct nvme_sqe cmd = { 0 };
	uint64_t nios = w->nblocks / w->blocks_per_io, lba;

	s->write = w->rw_mode == 1 || (w->rw_mode == 2 && (int)(xrand(w) % 100) >= w->mix);
	if (w->seq) {
		lba = w->next_lba;
		w->next_lba += w->blocks_per_io;
		if (w->next_lba + w->blocks_per_io > w->nblocks)
			w->next_lba = 0;
	} else {
		lba = (xrand(w) % nios) * w->blocks_per_io;
	}
	cmd.opc = s->write ? NVME_IO_WRITE : NVME_IO_READ;
	cmd.nsid = w->nsid;
	cmd.cdw10 = (uint32_t)lba;
	cmd.cdw11 = (uint32_t)(lba >> 32);
	cmd.cdw12 = w->blocks_per_io - 1;
	s->t0 = now_ns();
	return nvmfi_submit(s->qp, &cmd, s->buf, w->bs, s->write ? NVMFI_H2C : NVMFI_C2H, io_done, s);
}

static bool stopping;

static void io_done(void *arg, const struct nvme_cqe *cqe)
{
	struct ioslot *s = arg;
	struct worker *w = s->w;

	if (w->measuring) {
		uint64_t d = now_ns() - s->t0;

		w->h.b[hbucket(d)]++;
		w->h.n++;
		w->h.sum += (double)d;
		w->ios++;
		w->bytes += w->bs;
	}
	if (cqe->status >> 1)
		w->errors++;
	if (!stopping)
		submit(s);
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "traddr", required_argument, NULL, 'a' },
		{ "port", required_argument, NULL, 'p' },
		{ "nqn", required_argument, NULL, 'n' },
		{ "nsid", required_argument, NULL, 'N' },
		{ "qd", required_argument, NULL, 'q' },
		{ "bs", required_argument, NULL, 'b' },
		{ "rw", required_argument, NULL, 'w' },
		{ "mix", required_argument, NULL, 'm' },
		{ "time", required_argument, NULL, 't' },
		{ "warmup", required_argument, NULL, 'W' },
		{ "queues", required_argument, NULL, 'Q' },
		{ "hdgst", no_argument, NULL, 'g' },
		{ "ddgst", no_argument, NULL, 'G' },
		{ "busy-poll", no_argument, NULL, 'B' },
		{ "cpu", required_argument, NULL, 'C' },
		{ "kato", required_argument, NULL, 'K' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct nvmfi_opts o;
	struct nvmfi_ctrlr *c;
	struct worker w = { .bs = 4096, .nsid = 1, .mix = 70, .rng = 0x9e3779b97f4a7c15ull };
	const char *rw = "randread";
	double secs = 5, warm = 1;
	int qd = 32, nq = 1, cpu = -1, opt, rc;
	bool busy = false;
	struct nvmfi_qpair **qps;
	struct ioslot *slots;
	static struct nvme_id_ns ns;
	struct nvme_cqe cqe;
	uint64_t t_start, t_end, t_meas = 0;

	nvmfi_opts_default(&o);
	o.subnqn[0] = 0;
	while ((opt = getopt_long(argc, argv, "a:p:n:N:q:b:w:m:t:W:Q:gGBC:K:h", lo, NULL)) != -1) {
		switch (opt) {
		case 'a': snprintf(o.traddr, sizeof(o.traddr), "%s", optarg); break;
		case 'p': o.port = (uint16_t)atoi(optarg); break;
		case 'n': snprintf(o.subnqn, sizeof(o.subnqn), "%s", optarg); break;
		case 'N': w.nsid = (uint32_t)strtoul(optarg, NULL, 0); break;
		case 'q': qd = atoi(optarg); break;
		case 'b': w.bs = (uint32_t)strtoul(optarg, NULL, 0); break;
		case 'w': rw = optarg; break;
		case 'm': w.mix = atoi(optarg); break;
		case 't': secs = atof(optarg); break;
		case 'W': warm = atof(optarg); break;
		case 'Q': nq = atoi(optarg); break;
		case 'g': o.hdgst = true; break;
		case 'G': o.ddgst = true; break;
		case 'B': busy = true; break;
		case 'C': cpu = atoi(optarg); break;
		case 'K': o.kato_ms = (uint32_t)atoi(optarg); break;
		default:
			fprintf(stderr, "usage: nvmf-perf -a ADDR -p PORT -n SUBNQN [--nsid N] [--qd N] "
				"[--bs BYTES] [--rw randread|randwrite|read|write|randrw] [--mix READ%%]\n"
				"                 [--time S] [--warmup S] [--queues N] [--hdgst] [--ddgst] "
				"[--busy-poll] [--cpu C] [--kato MS]\n");
			return opt == 'h' ? 0 : 2;
		}
	}
	if (!o.subnqn[0] || qd < 1 || nq < 1 || w.bs < 512) {
		fprintf(stderr, "nvmf-perf: need -n SUBNQN, qd >= 1, queues >= 1, bs >= 512\n");
		return 2;
	}
	if (!strcmp(rw, "randread") || !strcmp(rw, "read"))
		w.rw_mode = 0;
	else if (!strcmp(rw, "randwrite") || !strcmp(rw, "write"))
		w.rw_mode = 1;
	else if (!strcmp(rw, "randrw") || !strcmp(rw, "rw"))
		w.rw_mode = 2;
	else {
		fprintf(stderr, "nvmf-perf: --rw %s unknown\n", rw);
		return 2;
	}
	w.seq = !strcmp(rw, "read") || !strcmp(rw, "write") || !strcmp(rw, "rw");
	if (cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		sched_setaffinity(0, sizeof(set), &set);
	}
	o.io_qsize = (uint16_t)(qd + 1 > 2 ? qd + 1 : 2);
	rc = nvmfi_ctrlr_connect(&o, &c);
	if (rc) {
		fprintf(stderr, "nvmf-perf: connect: %s\n", strerror(-rc));
		return 1;
	}
	rc = nvmfi_identify(c->admin, NVME_ID_CNS_NS, w.nsid, &ns, &cqe);
	if (rc || (cqe.status >> 1) || !ns.nsze) {
		fprintf(stderr, "nvmf-perf: namespace %u not found\n", w.nsid);
		nvmfi_ctrlr_close(c);
		return 1;
	}
	w.block_shift = ns.lbaf[ns.flbas & 0xf].lbads;
	w.nblocks = ns.nsze;
	if (w.bs % (1u << w.block_shift) || (w.bs >> w.block_shift) > w.nblocks) {
		fprintf(stderr, "nvmf-perf: bs %u does not fit block size %u\n", w.bs,
			1u << w.block_shift);
		nvmfi_ctrlr_close(c);
		return 1;
	}
	w.blocks_per_io = w.bs >> w.block_shift;
	qps = calloc((size_t)nq, sizeof(*qps));
	slots = calloc((size_t)qd * (size_t)nq, sizeof(*slots));
	for (int q = 0; q < nq; q++) {
		rc = nvmfi_ctrlr_io_qpair(c, (uint16_t)(q + 1), o.io_qsize, &qps[q]);
		if (rc) {
			fprintf(stderr, "nvmf-perf: I/O queue %d: %s\n", q + 1, strerror(-rc));
			return 1;
		}
		nvmfi_set_busy_poll(qps[q], busy);
	}
	for (int i = 0; i < qd * nq; i++) {
		slots[i].w = &w;
		slots[i].qp = qps[i % nq];
		if (posix_memalign((void **)&slots[i].buf, 4096, w.bs))
			return 1;
		memset(slots[i].buf, 0xa5, w.bs);
	}
	for (int i = 0; i < qd * nq; i++)
		if ((rc = submit(&slots[i]))) {
			fprintf(stderr, "nvmf-perf: submit: %s\n", strerror(-rc));
			return 1;
		}
	t_start = now_ns();
	t_end = t_start + (uint64_t)((warm + secs) * 1e9);
	for (;;) {
		uint64_t now;

		for (int q = 0; q < nq; q++) {
			rc = nvmfi_poll(qps[q], busy ? 0 : 100);
			if (rc < 0) {
				fprintf(stderr, "nvmf-perf: queue %d failed: %s\n", q + 1, strerror(-rc));
				return 1;
			}
		}
		now = now_ns();
		if (o.kato_ms && (rc = nvmfi_ctrlr_keep_alive(c))) {
			fprintf(stderr, "nvmf-perf: keep-alive failed: %s\n", strerror(-rc));
			return 1;
		}
		if (!w.measuring && now >= t_start + (uint64_t)(warm * 1e9)) {
			w.measuring = true;
			t_meas = now;
		}
		if (now >= t_end)
			break;
	}
	w.measuring = false;
	stopping = true;
	{
		double el = (double)(now_ns() - t_meas) / 1e9;
		double iops = (double)w.ios / el, mibps = (double)w.bytes / el / (1 << 20);

		/* drain */
		for (int q = 0; q < nq; q++)
			while (nvmfi_outstanding(qps[q]) && nvmfi_poll(qps[q], 1000) >= 0)
				;
		printf("%s bs=%u qd=%d queues=%d digests=%s%s: %.0f IOPS, %.1f MiB/s, "
		       "avg %.1f us, p50 %.1f us, p99 %.1f us, p99.9 %.1f us, errors %llu\n",
		       rw, w.bs, qd, nq, o.hdgst ? "h" : "", o.ddgst ? "d" : "", iops, mibps,
		       w.h.n ? w.h.sum / (double)w.h.n / 1000.0 : 0, hpct(&w.h, 0.50),
		       hpct(&w.h, 0.99), hpct(&w.h, 0.999), (unsigned long long)w.errors);
		printf("{\"rw\":\"%s\",\"bs\":%u,\"qd\":%d,\"queues\":%d,\"hdgst\":%s,\"ddgst\":%s,"
		       "\"iops\":%.1f,\"mibps\":%.2f,\"avg_us\":%.2f,\"p50_us\":%.2f,\"p99_us\":%.2f,"
		       "\"p999_us\":%.2f,\"errors\":%llu}\n",
		       rw, w.bs, qd, nq, o.hdgst ? "true" : "false", o.ddgst ? "true" : "false", iops,
		       mibps, w.h.n ? w.h.sum / (double)w.h.n / 1000.0 : 0, hpct(&w.h, 0.50),
		       hpct(&w.h, 0.99), hpct(&w.h, 0.999), (unsigned long long)w.errors);
	}
	for (int q = 0; q < nq; q++)
		nvmfi_qpair_close(qps[q]);
	for (int i = 0; i < qd * nq; i++)
		free(slots[i].buf);
	free(slots);
	free(qps);
	nvmfi_ctrlr_close(c);
	return w.errors ? 3 : 0;
}
