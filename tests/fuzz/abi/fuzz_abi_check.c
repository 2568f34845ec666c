/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target for dpu_abi_check(): every input is checked as the card
 * and as the host would. Rejections must produce a valid error reply;
 * accepted messages are walked with the iterators (which trust the checker)
 * and re-encoded, and the re-encoding must be byte-identical and pass too.
 */
#include <stdlib.h>
#include <string.h>

#include "dpu_abi.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MUST(x)                                                                \
	do {                                                                   \
		if (!(x))                                                      \
			__builtin_trap();                                      \
	} while (0)

static uint8_t out[DPU_ABI_MSG_MAX + 64] __attribute__((aligned(8)));

/* Rebuild a checked FLOW_BATCH op by op with the builder. */
static void rebuild_batch(const struct dpu_abi_hdr *h)
{
	const struct dpu_abi_flow_batch_req *r = dpu_abi_body(h);
	const struct dpu_abi_flow_op *op = dpu_abi_flow_batch_first(h);
	struct dpu_abi_builder b;
	uint32_t i;
	unsigned j;
	int len;

	dpu_abi_build_init(&b, out, sizeof(out), h->opcode, h->flags,
			   h->req_id);
	dpu_abi_build_hdr(&b)->ver_minor = h->ver_minor;
	dpu_abi_build_hdr(&b)->epoch = h->epoch;
	dpu_abi_flow_batch_begin(&b);
	for (i = 0; i < r->n_ops; i++, op = dpu_abi_flow_op_next(op)) {
		const struct dpu_abi_item_hdr *it = dpu_abi_flow_op_first_item(op);
		const struct dpu_abi_action_hdr *a;

		dpu_abi_flow_op_begin(&b, op->op, op->flags, op->group,
				      op->priority, &op->id);
		for (j = 0; j < op->n_items; j++, it = dpu_abi_item_next(it)) {
			MUST(dpu_abi_item_spec_size(it->type) * 2 + 8 == it->len);
			dpu_abi_flow_op_item(&b, it->type, dpu_abi_item_spec(it),
					     dpu_abi_item_mask(it));
		}
		a = dpu_abi_flow_op_first_action(op);
		MUST((const void *)a == (const void *)it);
		for (j = 0; j < op->n_actions; j++, a = dpu_abi_action_next(a)) {
			MUST(dpu_abi_action_size(a->type) == a->len);
			dpu_abi_flow_op_action(&b, a);
		}
		dpu_abi_flow_op_end(&b);
	}
	len = dpu_abi_build_finish(&b);
	MUST(len == (int)h->length);
	MUST(!memcmp(out, h, h->length));
}

/* Rebuild any checked message as header + opaque body. */
static void rebuild_plain(const struct dpu_abi_hdr *h)
{
	struct dpu_abi_builder b;
	struct dpu_abi_hdr *o;

	dpu_abi_build_init(&b, out, sizeof(out), h->opcode, h->flags,
			   h->req_id);
	o = dpu_abi_build_hdr(&b);
	o->ver_minor = h->ver_minor;
	o->status = h->status;
	o->epoch = h->epoch;
	dpu_abi_build_append(&b, dpu_abi_body(h), dpu_abi_body_len(h));
	MUST(dpu_abi_build_finish(&b) == (int)h->length);
	MUST(!memcmp(out, h, h->length));
}

static void one(const uint8_t *m, size_t len, enum dpu_abi_role role)
{
	struct dpu_abi_peer peer = { role, DPU_ABI_VERSION_MINOR, 0 };
	struct dpu_abi_peer host = { DPU_ABI_ROLE_HOST, DPU_ABI_VERSION_MINOR, 0 };
	const struct dpu_abi_hdr *h = (const void *)m;
	struct dpu_abi_error err;
	int r, n;

	r = dpu_abi_check(m, len, &peer, &err);
	if (r) {
		MUST(r < 0 && -r == (int)err.status);
		MUST(memchr(err.field, 0, sizeof(err.field)));
		MUST(memchr(err.msg, 0, sizeof(err.msg)));
		MUST(err.offset <= len);
		if (role != DPU_ABI_ROLE_CARD)
			return;
		/* the card's reply to whatever this was must be valid */
		n = dpu_abi_encode_error(out, sizeof(out), m, len, &err, 1);
		MUST(n > 0);
		MUST(dpu_abi_check(out, (size_t)n, &host, NULL) == 0);
		return;
	}
	MUST(r == 0);
	if (h->opcode == DPU_ABI_OP_FLOW_BATCH && role == DPU_ABI_ROLE_CARD)
		rebuild_batch(h);
	else
		rebuild_plain(h);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* exactly size bytes on the heap, so any over-read is caught */
	uint8_t *m = malloc(size ? size : 1);

	if (!m)
		return 0;
	memcpy(m, data, size);
	one(m, size, DPU_ABI_ROLE_CARD);
	one(m, size, DPU_ABI_ROLE_HOST);
	free(m);
	return 0;
}
