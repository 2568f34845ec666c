/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Codec internals shared by the checker, the builder and the name tables:
 * the per-opcode descriptor table and the per-item/action size tables.
 */
#ifndef DPU_ABI_CODEC_INTERNAL_H
#define DPU_ABI_CODEC_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "dpu_abi_codec.h"

#define DPU_ABI_COLD __attribute__((cold, noinline))
#define DPU_ABI_UNLIKELY(x) __builtin_expect(!!(x), 0)

struct dpu_abi_ck;

/*
 * How one body (request, response or event) is laid out and checked.
 * elem_size == 0: a fixed body of exactly size bytes (longer only from a
 * sender at a higher minor, before negotiation), check() sees all of it.
 * elem_size != 0: a head of size bytes whose first uint32_t is the number of
 * elem_size entries that follow (then zero padding to DPU_ABI_ALIGN); check()
 * sees the head, check_elem() each entry.
 * var: the body's shape is its own business (FLOW_BATCH), check() does all.
 */
struct dpu_abi_body_desc {
	const char *name; /* root of field paths, e.g. "hello_resp" */
	uint16_t size;
	uint16_t elem_size;
	bool var;
	const char *elem_name;  /* "entries", "rules", ... */
	const char *count_name; /* the head's count field: "count", "n_rules" */
	int (*check)(struct dpu_abi_ck *c, const void *body, size_t len);
	int (*check_elem)(struct dpu_abi_ck *c, const void *elem);
};

enum dpu_abi_op_desc_flags {
	DPU_ABI_OPD_EVENT = 1u << 0, /* card -> host, no response */
	DPU_ABI_OPD_LIST = 1u << 1,  /* response may carry DPU_ABI_F_MORE */
	DPU_ABI_OPD_BATCH = 1u << 2, /* failed responses may carry the body */
};

/* One row per opcode: adding an opcode in a minor version adds a row. */
struct dpu_abi_op_desc {
	uint16_t opcode;
	uint8_t flags;
	const char *name;
	struct dpu_abi_body_desc req; /* events: the event body */
	struct dpu_abi_body_desc resp;
};

/* NULL for an opcode this version does not know. */
const struct dpu_abi_op_desc *dpu_abi__op_desc(uint16_t opcode);

/* Checker state: what is being walked, for field paths in errors. */
struct dpu_abi_ck {
	const uint8_t *msg;
	const struct dpu_abi_hdr *h;
	const struct dpu_abi_peer *peer;
	struct dpu_abi_error *err;
	const char *root;  /* "hdr", "flow_batch", ... */
	const char *arr;   /* "ops", "entries", ... or NULL */
	const char *sub;   /* "items" / "actions" or NULL */
	uint32_t idx;
	uint32_t sub_idx;
	const struct dpu_abi_flow_op *op;       /* op being checked */
	const struct dpu_abi_item_tunnel *tun;  /* its TUNNEL spec, if any */
};

/*
 * Record a failure: status, offset of at in the message, the path
 * root[.arr[idx]][.sub[sub_idx]][.field] and "<path>: <reason>".
 * Returns -st. Only ever called on the failure path.
 */
int dpu_abi__fail(struct dpu_abi_ck *c, enum dpu_abi_status st, const void *at,
		  const char *field, const char *fmt, ...) DPU_ABI_COLD
	__attribute__((format(printf, 5, 6)));

/* True when n bytes at p are all zero; word-wise for the fixed sizes the
 * wire structs have (the compiler unrolls it for constant n). */
static inline bool dpu_abi__zero(const void *p, size_t n)
{
	const uint8_t *b = p;
	uint64_t acc = 0;
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		uint64_t w;

		memcpy(&w, b + i, 8);
		acc |= w;
	}
	for (; i + 4 <= n; i += 4) {
		uint32_t w;

		memcpy(&w, b + i, 4);
		acc |= w;
	}
	for (; i < n; i++)
		acc |= b[i];
	return acc == 0;
}

/* Item/action type tables (sizes on the wire). */
struct dpu_abi_item_desc {
	uint8_t spec_size;
	uint8_t resv_off; /* the type's one reserved field in spec and mask */
	uint8_t resv_len; /* 0: none */
	const char *name;
};
extern const struct dpu_abi_item_desc dpu_abi__items[DPU_ABI_ITEM_TYPE_MAX];

struct dpu_abi_action_desc {
	uint8_t size;
	uint8_t fate; /* ends the action list */
	uint8_t once; /* at most one per rule */
	const char *name;
};
extern const struct dpu_abi_action_desc dpu_abi__actions[DPU_ABI_ACT_TYPE_MAX];

#endif /* DPU_ABI_CODEC_INTERNAL_H */
