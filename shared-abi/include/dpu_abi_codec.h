/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Encoding and validating opendpu ABI messages.
 *
 * Decoding is validate-in-place: dpu_abi_check() walks a received buffer
 * once, proves every length, count, enum, range, string and reserved field,
 * and only then may the receiver read the wire structs directly (and use the
 * iterators below, which assume a checked message). The card runs it on every
 * message from the host; the host runs it on everything from the card.
 */
#ifndef DPU_ABI_CODEC_H
#define DPU_ABI_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dpu_abi_flow.h"
#include "dpu_abi_services.h"
#include "dpu_abi_wire.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Which side is receiving: decides which message kinds are legal. */
enum dpu_abi_role {
	DPU_ABI_ROLE_CARD = 0, /* receives requests */
	DPU_ABI_ROLE_HOST = 1, /* receives responses and events */
};

/* What the receiver knows about the conversation (after HELLO). */
struct dpu_abi_peer {
	enum dpu_abi_role role;
	uint8_t minor;        /* negotiated minor; before HELLO: our own */
	uint32_t max_msg_len; /* 0: DPU_ABI_MSG_MAX */
};

/* Why a message was rejected: the status, where, and a readable reason. */
struct dpu_abi_error {
	enum dpu_abi_status status;
	uint32_t offset;  /* byte offset of the offending field */
	char field[64];   /* dotted path, e.g. "flow_batch.ops[3].actions[1].type" */
	char msg[160];    /* "<field>: <reason>" */
};

/**
 * Validate one complete message of len bytes (len must be exactly the
 * message, as framed by the transport). Never reads outside [buf, buf+len).
 *
 * @return 0, or -status (a dpu_abi_status) with *err filled when err != NULL.
 */
int dpu_abi_check(const void *buf, size_t len, const struct dpu_abi_peer *peer,
		  struct dpu_abi_error *err);

/** Human-readable names (never NULL; "?" for unknown values). */
const char *dpu_abi_opcode_name(uint16_t opcode);
const char *dpu_abi_status_name(uint16_t status);
const char *dpu_abi_item_name(uint16_t type);
const char *dpu_abi_action_name(uint16_t type);
/** True for a status value this version defines (0..18 and 64..73). */
bool dpu_abi_status_known(uint16_t status);

/* ------------------------------------------------------------------ */
/* Encoding                                                            */
/* ------------------------------------------------------------------ */

/*
 * A builder appends to a caller-owned buffer. Errors are sticky: after the
 * first failure every call is a no-op and dpu_abi_build_finish() returns it,
 * so call sites need no per-call checks.
 */
struct dpu_abi_builder {
	uint8_t *buf;
	size_t cap;
	size_t len;
	int err; /* 0 or -status */
	uint32_t count; /* elements appended via the typed helpers */
	size_t op_start; /* offset of the open flow op, SIZE_MAX if none */
	uint16_t last_item; /* ordering check within the open op */
};

/** Start a message: writes a header (magic, version, opcode, flags, req_id). */
void dpu_abi_build_init(struct dpu_abi_builder *b, void *buf, size_t cap,
			uint16_t opcode, uint16_t flags, uint64_t req_id);

/** The header being built (to set ver_minor, status or epoch), NULL when
 * init failed. */
struct dpu_abi_hdr *dpu_abi_build_hdr(struct dpu_abi_builder *b);

/** Reserve n zeroed bytes in the body; NULL (and sticky error) when full. */
void *dpu_abi_build_put(struct dpu_abi_builder *b, size_t n);

/** Append n bytes copied from src. */
void dpu_abi_build_append(struct dpu_abi_builder *b, const void *src, size_t n);

/**
 * Pad to DPU_ABI_ALIGN and write header.length.
 * @return the message length, or -status.
 */
int dpu_abi_build_finish(struct dpu_abi_builder *b);

/** Encode a message with a fixed body in one call (body may be NULL when
 * body_len is 0). Returns the length or -status. */
int dpu_abi_encode(void *buf, size_t cap, uint16_t opcode, uint16_t flags,
		   uint64_t req_id, const void *body, size_t body_len);

/**
 * Encode a response to req: same opcode and req_id, RESPONSE flag, status.
 * Returns the length or -status.
 */
int dpu_abi_encode_response(void *buf, size_t cap, const struct dpu_abi_hdr *req,
			    uint16_t status, uint32_t epoch, const void *body,
			    size_t body_len);

/**
 * Encode the error response for a request the decoder rejected: status from
 * err, body dpu_abi_error_body with the offset and message. req may be a
 * garbage buffer; only fields the decoder proved readable are echoed.
 */
int dpu_abi_encode_error(void *buf, size_t cap, const void *req, size_t req_len,
			 const struct dpu_abi_error *err, uint32_t epoch);

/* FLOW_BATCH building: begin the batch, then per op begin/items/actions/end. */
void dpu_abi_flow_batch_begin(struct dpu_abi_builder *b);
void dpu_abi_flow_op_begin(struct dpu_abi_builder *b, uint8_t op, uint8_t flags,
			   uint32_t group, uint32_t priority,
			   const struct dpu_abi_flow_id *id);
/** Append an item; spec and mask point at the type's struct. Items must be
 * added in ascending type order (E_ORDER otherwise). */
void dpu_abi_flow_op_item(struct dpu_abi_builder *b, uint16_t type,
			  const void *spec, const void *mask);
/** Append an action; act points at a full action struct, hdr.type and
 * hdr.len filled in (len: the wire size, a multiple of 8). */
void dpu_abi_flow_op_action(struct dpu_abi_builder *b, const void *act);
void dpu_abi_flow_op_end(struct dpu_abi_builder *b);
/** Append a whole op encoded earlier (op->len bytes), e.g. one a host
 * keeps to re-send at resync. */
void dpu_abi_flow_op_append(struct dpu_abi_builder *b, const struct dpu_abi_flow_op *op);

/** Wire size of an item's spec (0: unknown type) and of an action. */
size_t dpu_abi_item_spec_size(uint16_t type);
size_t dpu_abi_action_size(uint16_t type);

/* ------------------------------------------------------------------ */
/* Reading checked messages                                            */
/* ------------------------------------------------------------------ */

static inline const void *dpu_abi_body(const struct dpu_abi_hdr *h)
{
	return (const uint8_t *)h + sizeof(*h);
}

static inline size_t dpu_abi_body_len(const struct dpu_abi_hdr *h)
{
	return h->length - sizeof(*h);
}

/** First op of a checked FLOW_BATCH request (NULL if n_ops == 0). */
const struct dpu_abi_flow_op *
dpu_abi_flow_batch_first(const struct dpu_abi_hdr *h);
/** Next op after op in a checked batch (undefined past the last). */
static inline const struct dpu_abi_flow_op *
dpu_abi_flow_op_next(const struct dpu_abi_flow_op *op)
{
	return (const struct dpu_abi_flow_op *)((const uint8_t *)op + op->len);
}

/** Iterate the items / actions of a checked op. */
static inline const struct dpu_abi_item_hdr *
dpu_abi_flow_op_first_item(const struct dpu_abi_flow_op *op)
{
	return (const struct dpu_abi_item_hdr *)(op + 1);
}
static inline const struct dpu_abi_item_hdr *
dpu_abi_item_next(const struct dpu_abi_item_hdr *it)
{
	return (const struct dpu_abi_item_hdr *)((const uint8_t *)it + it->len);
}
static inline const void *dpu_abi_item_spec(const struct dpu_abi_item_hdr *it)
{
	return it + 1;
}
static inline const void *dpu_abi_item_mask(const struct dpu_abi_item_hdr *it)
{
	return (const uint8_t *)(it + 1) + (it->len - sizeof(*it)) / 2;
}
/** First action: after the op's n_items items. */
const struct dpu_abi_action_hdr *
dpu_abi_flow_op_first_action(const struct dpu_abi_flow_op *op);
static inline const struct dpu_abi_action_hdr *
dpu_abi_action_next(const struct dpu_abi_action_hdr *a)
{
	return (const struct dpu_abi_action_hdr *)((const uint8_t *)a + a->len);
}

#ifdef __cplusplus
}
#endif

#endif /* DPU_ABI_CODEC_H */
