/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One valid message of every opcode, direction and body shape, shared by the
 * codec unit test, the fuzz seed generator and the codec benchmark.
 */
#ifndef DPU_ABI_CODEC_SAMPLES_H
#define DPU_ABI_CODEC_SAMPLES_H

#include <stddef.h>
#include <stdint.h>

#include "dpu_abi.h"

struct dpu_abi_sample {
	const char *name;       /* "flow_batch.req", "hello.resp", ... */
	enum dpu_abi_role role; /* who receives it */
	int len;                /* message length, or -status */
	const void *body;       /* the body it was built from (fixed bodies) */
	size_t body_len;
};

/**
 * Build sample idx into buf (8-byte aligned, cap bytes).
 * @return 1 and *s filled, or 0 when idx is past the last sample.
 */
int dpu_abi_sample(unsigned idx, void *buf, size_t cap,
		   struct dpu_abi_sample *s);

/**
 * The typical flow-add batch: n ops, each PORT+ETH+IPV4+TCP matching and
 * (VLAN_PUSH+)OUTPUT acting (every other op pushes a tag).
 * @return the message length or -status.
 */
int dpu_abi_sample_flow_add(void *buf, size_t cap, unsigned n_ops);

/** A batch that uses every item and every action type at least once. */
int dpu_abi_sample_flow_all(void *buf, size_t cap);

#endif /* DPU_ABI_CODEC_SAMPLES_H */
