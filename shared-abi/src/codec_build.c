/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Building messages into caller-owned buffers. Errors are sticky so a
 * sequence of appends needs one check at the end; the builder refuses what
 * dpu_abi_check() would reject structurally (unknown types, wrong sizes,
 * unordered items, overflows) but leaves field values to the checker.
 */
#include "codec_internal.h"

static inline void set_err(struct dpu_abi_builder *b, enum dpu_abi_status st)
{
	if (!b->err)
		b->err = -(int)st;
}

/* The minor a reply speaks: the lower of the request's and ours (a
 * function so that minor 0 draws no -Wtype-limits). */
static uint8_t reply_minor(uint8_t req_minor)
{
	uint8_t own = DPU_ABI_VERSION_MINOR;

	return req_minor < own ? req_minor : own;
}

static inline struct dpu_abi_hdr *hdr_of(struct dpu_abi_builder *b)
{
	return (struct dpu_abi_hdr *)b->buf;
}

void dpu_abi_build_init(struct dpu_abi_builder *b, void *buf, size_t cap,
			uint16_t opcode, uint16_t flags, uint64_t req_id)
{
	struct dpu_abi_hdr *h = buf;

	b->buf = buf;
	b->cap = cap > DPU_ABI_MSG_MAX ? DPU_ABI_MSG_MAX : cap;
	b->len = sizeof(*h);
	b->err = 0;
	b->count = 0;
	b->op_start = SIZE_MAX;
	b->last_item = 0;
	if (!buf || cap < sizeof(*h) || (uintptr_t)buf % DPU_ABI_ALIGN) {
		b->buf = NULL;
		b->len = 0;
		b->err = -(int)(buf && cap >= sizeof(*h) ? DPU_ABI_E_ALIGN :
							     DPU_ABI_E_TOO_BIG);
		return;
	}
	memset(h, 0, sizeof(*h));
	h->magic = DPU_ABI_MAGIC;
	h->ver_major = DPU_ABI_VERSION_MAJOR;
	h->ver_minor = DPU_ABI_VERSION_MINOR;
	h->opcode = opcode;
	h->flags = flags;
	h->req_id = req_id;
}

struct dpu_abi_hdr *dpu_abi_build_hdr(struct dpu_abi_builder *b)
{
	return b->buf ? hdr_of(b) : NULL;
}

/* n bytes the caller overwrites entirely: no zeroing on the hot path. */
static inline void *reserve(struct dpu_abi_builder *b, size_t n)
{
	void *p;

	if (b->err)
		return NULL;
	if (DPU_ABI_UNLIKELY(n > b->cap - b->len)) {
		set_err(b, DPU_ABI_E_TOO_BIG);
		return NULL;
	}
	p = b->buf + b->len;
	b->len += n;
	return p;
}

void *dpu_abi_build_put(struct dpu_abi_builder *b, size_t n)
{
	void *p = reserve(b, n);

	if (p)
		memset(p, 0, n);
	return p;
}

void dpu_abi_build_append(struct dpu_abi_builder *b, const void *src, size_t n)
{
	void *p = reserve(b, n);

	if (p && n)
		memcpy(p, src, n);
}

int dpu_abi_build_finish(struct dpu_abi_builder *b)
{
	size_t pad;

	if (b->op_start != SIZE_MAX)
		dpu_abi_flow_op_end(b);
	if (b->err)
		return b->err;
	pad = (DPU_ABI_ALIGN - b->len % DPU_ABI_ALIGN) % DPU_ABI_ALIGN;
	dpu_abi_build_put(b, pad);
	if (b->err)
		return b->err;
	hdr_of(b)->length = (uint32_t)b->len;
	return (int)b->len;
}

int dpu_abi_encode(void *buf, size_t cap, uint16_t opcode, uint16_t flags,
		   uint64_t req_id, const void *body, size_t body_len)
{
	struct dpu_abi_builder b;

	dpu_abi_build_init(&b, buf, cap, opcode, flags, req_id);
	dpu_abi_build_append(&b, body, body_len);
	return dpu_abi_build_finish(&b);
}

int dpu_abi_encode_response(void *buf, size_t cap, const struct dpu_abi_hdr *req,
			    uint16_t status, uint32_t epoch, const void *body,
			    size_t body_len)
{
	struct dpu_abi_builder b;
	struct dpu_abi_hdr *h;

	dpu_abi_build_init(&b, buf, cap, req->opcode, DPU_ABI_F_RESPONSE,
			   req->req_id);
	h = dpu_abi_build_hdr(&b);
	if (h) {
		h->status = status;
		h->epoch = epoch;
		/* HELLO answers with our own minor; the rest speak the agreed one */
		if (req->opcode != DPU_ABI_OP_HELLO)
			h->ver_minor = reply_minor(req->ver_minor);
	}
	dpu_abi_build_append(&b, body, body_len);
	return dpu_abi_build_finish(&b);
}

int dpu_abi_encode_error(void *buf, size_t cap, const void *req, size_t req_len,
			 const struct dpu_abi_error *err, uint32_t epoch)
{
	struct dpu_abi_builder b;
	struct dpu_abi_error_body *eb;
	struct dpu_abi_hdr rh, *h;
	uint16_t st = err ? (uint16_t)err->status : DPU_ABI_E_INTERNAL;

	memset(&rh, 0, sizeof(rh));
	/* Echo what identifies the request only if a whole header arrived
	 * with our magic; memcpy because req may be unaligned garbage. */
	if (req && req_len >= sizeof(rh)) {
		memcpy(&rh, req, sizeof(rh));
		if (rh.magic != DPU_ABI_MAGIC)
			memset(&rh, 0, sizeof(rh));
	}
	if (!dpu_abi_status_known(st) || st == DPU_ABI_OK)
		st = DPU_ABI_E_INTERNAL;
	dpu_abi_build_init(&b, buf, cap, rh.opcode, DPU_ABI_F_RESPONSE,
			   rh.req_id);
	h = dpu_abi_build_hdr(&b);
	if (h) {
		h->status = st;
		h->epoch = epoch;
		if (rh.ver_major == DPU_ABI_VERSION_MAJOR &&
		    rh.opcode != DPU_ABI_OP_HELLO)
			h->ver_minor = reply_minor(rh.ver_minor);
	}
	if (st > DPU_ABI_E_PROTO_LAST)
		return dpu_abi_build_finish(&b);
	eb = dpu_abi_build_put(&b, sizeof(*eb));
	if (eb && err) {
		size_t n = strnlen(err->msg, sizeof(err->msg));
		size_t i;

		eb->offset = err->offset;
		if (n > sizeof(eb->detail) - 1)
			n = sizeof(eb->detail) - 1;
		/* the detail must pass the peer's string check */
		for (i = 0; i < n; i++) {
			unsigned char ch = (unsigned char)err->msg[i];

			eb->detail[i] = ch >= 0x20 && ch <= 0x7e ? (char)ch : '?';
		}
	}
	return dpu_abi_build_finish(&b);
}

/* ------------------------------------------------------------------ */
/* FLOW_BATCH                                                          */
/* ------------------------------------------------------------------ */

#define BATCH_OFF sizeof(struct dpu_abi_hdr)

void dpu_abi_flow_batch_begin(struct dpu_abi_builder *b)
{
	if (!b->err && b->len != BATCH_OFF)
		set_err(b, DPU_ABI_E_LENGTH);
	dpu_abi_build_put(b, sizeof(struct dpu_abi_flow_batch_req));
	b->count = 0;
}

static inline struct dpu_abi_flow_op *open_op(struct dpu_abi_builder *b)
{
	return (struct dpu_abi_flow_op *)(b->buf + b->op_start);
}

void dpu_abi_flow_op_begin(struct dpu_abi_builder *b, uint8_t op, uint8_t flags,
			   uint32_t group, uint32_t priority,
			   const struct dpu_abi_flow_id *id)
{
	struct dpu_abi_flow_op *o;

	if (b->op_start != SIZE_MAX)
		dpu_abi_flow_op_end(b);
	/* ops only follow dpu_abi_flow_batch_begin() in a FLOW_BATCH */
	if (!b->err && (hdr_of(b)->opcode != DPU_ABI_OP_FLOW_BATCH ||
			b->len < BATCH_OFF + sizeof(struct dpu_abi_flow_batch_req)))
		set_err(b, DPU_ABI_E_OPCODE);
	o = dpu_abi_build_put(b, sizeof(*o));
	if (!o)
		return;
	o->op = op;
	o->flags = flags;
	o->group = group;
	o->priority = priority;
	if (id)
		o->id = *id;
	b->op_start = (size_t)((uint8_t *)o - b->buf);
	b->last_item = 0;
}

void dpu_abi_flow_op_item(struct dpu_abi_builder *b, uint16_t type,
			  const void *spec, const void *mask)
{
	size_t n = dpu_abi_item_spec_size(type);
	struct dpu_abi_item_hdr *it;
	struct dpu_abi_flow_op *o;

	if (b->err)
		return;
	if (b->op_start == SIZE_MAX) {
		set_err(b, DPU_ABI_E_LENGTH);
		return;
	}
	o = open_op(b);
	if (!n) {
		set_err(b, DPU_ABI_E_ENUM);
		return;
	}
	if (type <= b->last_item || o->n_actions) {
		set_err(b, DPU_ABI_E_ORDER);
		return;
	}
	it = reserve(b, sizeof(*it) + 2 * n);
	if (!it)
		return;
	o = open_op(b);
	it->type = type;
	it->len = (uint16_t)(sizeof(*it) + 2 * n);
	it->reserved = 0;
	if (spec)
		memcpy(it + 1, spec, n);
	else
		memset(it + 1, 0, n);
	if (mask)
		memcpy((uint8_t *)(it + 1) + n, mask, n);
	else
		memset((uint8_t *)(it + 1) + n, 0, n);
	o->n_items++;
	b->last_item = type;
}

void dpu_abi_flow_op_action(struct dpu_abi_builder *b, const void *act)
{
	struct dpu_abi_action_hdr ah;
	struct dpu_abi_flow_op *o;
	size_t n;

	if (b->err)
		return;
	if (b->op_start == SIZE_MAX) {
		set_err(b, DPU_ABI_E_LENGTH);
		return;
	}
	memcpy(&ah, act, sizeof(ah));
	n = dpu_abi_action_size(ah.type);
	if (!n) {
		set_err(b, DPU_ABI_E_ENUM);
		return;
	}
	if (ah.len != n) {
		set_err(b, DPU_ABI_E_SIZE);
		return;
	}
	o = open_op(b);
	if (o->n_actions >= DPU_ABI_MAX_ACTIONS) {
		set_err(b, DPU_ABI_E_RANGE);
		return;
	}
	dpu_abi_build_append(b, act, n);
	if (!b->err)
		open_op(b)->n_actions++;
}

void dpu_abi_flow_op_end(struct dpu_abi_builder *b)
{
	size_t len;

	if (b->op_start == SIZE_MAX) {
		set_err(b, DPU_ABI_E_LENGTH);
		return;
	}
	len = b->len - b->op_start;
	if (!b->err && len > UINT16_MAX)
		set_err(b, DPU_ABI_E_TOO_BIG);
	if (!b->err) {
		struct dpu_abi_flow_batch_req *r =
			(struct dpu_abi_flow_batch_req *)(b->buf + BATCH_OFF);

		open_op(b)->len = (uint16_t)len;
		r->n_ops = ++b->count;
	}
	b->op_start = SIZE_MAX;
}

void dpu_abi_flow_op_append(struct dpu_abi_builder *b, const struct dpu_abi_flow_op *op)
{
	if (b->op_start != SIZE_MAX)
		dpu_abi_flow_op_end(b);
	if (!b->err && (hdr_of(b)->opcode != DPU_ABI_OP_FLOW_BATCH ||
			b->len < BATCH_OFF + sizeof(struct dpu_abi_flow_batch_req)))
		set_err(b, DPU_ABI_E_OPCODE);
	dpu_abi_build_append(b, op, op->len);
	if (!b->err) {
		struct dpu_abi_flow_batch_req *r =
			(struct dpu_abi_flow_batch_req *)(b->buf + BATCH_OFF);

		r->n_ops = ++b->count;
	}
}
