/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Codec cost per typical flow-add op (PORT+ETH+IPV4+TCP items, OUTPUT or
 * VLAN_PUSH+OUTPUT actions) in batches of 64: dpu_abi_check() as the card
 * runs it, and building the batch with the builder. The reference is a
 * memcpy of the same message (every byte touched once), timed in the same
 * run. Usage: bench_codec [SECONDS_PER_METRIC] (default 0.5).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "codec_samples.h"
#include "dpu_abi.h"

#define OPS 64

static uint8_t msg[64 * 1024] __attribute__((aligned(64)));
static uint8_t dst[64 * 1024] __attribute__((aligned(64)));
static volatile int sink;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ns per flow op of fn, run for about secs */
static double run(int (*fn)(int), int len, double secs)
{
	unsigned long n = 0, batch = 1000;
	double t0 = now(), t;

	do {
		unsigned long i;

		for (i = 0; i < batch; i++)
			sink += fn(len);
		n += batch;
		t = now() - t0;
	} while (t < secs);
	return t * 1e9 / ((double)n * OPS);
}

static const struct dpu_abi_peer card = { DPU_ABI_ROLE_CARD, 0, 0 };

static int do_check(int len)
{
	return dpu_abi_check(msg, (size_t)len, &card, NULL);
}

static int do_build(int len)
{
	(void)len;
	return dpu_abi_sample_flow_add(dst, sizeof(dst), OPS);
}

static int do_memcpy(int len)
{
	memcpy(dst, msg, (size_t)len);
	__asm__ volatile("" : : "r"(dst) : "memory");
	return dst[len - 1];
}

int main(int argc, char **argv)
{
	double secs = argc > 1 ? atof(argv[1]) : 0.5;
	double check_ns, build_ns, ref_ns;
	int len = dpu_abi_sample_flow_add(msg, sizeof(msg), OPS);

	if (len <= 0 || dpu_abi_check(msg, (size_t)len, &card, NULL)) {
		fprintf(stderr, "sample batch invalid (%d)\n", len);
		return 1;
	}
	ref_ns = run(do_memcpy, len, secs);
	check_ns = run(do_check, len, secs);
	build_ns = run(do_build, len, secs);
	printf("batch of %d typical flow-add ops, %d bytes (%.1f bytes/op)\n",
	       OPS, len, (double)len / OPS);
	printf("check: %.1f ns/op  build: %.1f ns/op  memcpy: %.1f ns/op\n",
	       check_ns, build_ns, ref_ns);
	printf("{\"bench\": \"abi-codec\", \"metrics\": {"
	       "\"check_latency_ns_per_flow_op\": {\"value\": %.2f, \"unit\": \"ns\", "
	       "\"reference\": \"memcpy of the same 64-op message, ns per op (ratio = reference/value)\", "
	       "\"reference_value\": %.2f, \"ratio\": %.4f, \"target\": 100}, "
	       "\"build_latency_ns_per_flow_op\": {\"value\": %.2f, \"unit\": \"ns\", "
	       "\"reference\": \"memcpy of the same 64-op message, ns per op (ratio = reference/value)\", "
	       "\"reference_value\": %.2f, \"ratio\": %.4f, \"target\": 100}, "
	       "\"check_flow_ops_per_s\": {\"value\": %.4g, \"unit\": \"op/s\", "
	       "\"reference\": \"memcpy of the same message, ops/s\", "
	       "\"reference_value\": %.4g, \"ratio\": %.4f, \"target\": 1e7}}}\n",
	       check_ns, ref_ns, ref_ns / check_ns, build_ns, ref_ns,
	       ref_ns / build_ns, 1e9 / check_ns, 1e9 / ref_ns,
	       ref_ns / check_ns);
	return 0;
}
