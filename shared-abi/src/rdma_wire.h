/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The RDMA provider's own wire format (docs/transport-rdma.md): what goes in
 * the rdma_cm private data when connecting, and the 16-byte header at the
 * start of every RDMA SEND. Everything in here arrives from the peer and is
 * checked by transport_rdma_wire.c, which builds without rdma-core so the
 * checks are unit-tested and fuzzed everywhere. Not installed.
 */
#ifndef DPU_ABI_RDMA_WIRE_H
#define DPU_ABI_RDMA_WIRE_H

#include <assert.h>
#include <stddef.h>
#include <stdint.h>

#define DPU_RDMA_CONN_MAGIC 0x43524450u /* bytes "PDRC" */
#define DPU_RDMA_SEND_MAGIC 0x4d524450u /* bytes "PDRM" */
#define DPU_RDMA_VERSION 1

/* What this implementation posts per connection (docs/transport-rdma.md). */
#define DPU_RDMA_DATA_SLOTS 16 /* data receive buffers: credits given */
#define DPU_RDMA_CTRL_SLOTS 2  /* receive buffers for credit-only SENDs */

/* Bounds on what a peer may announce; anything outside is refused. */
#define DPU_RDMA_MAX_SLOTS 1024u
#define DPU_RDMA_MAX_CTRL 16u
#define DPU_RDMA_MAX_SLOT_BYTES (16u << 20)

/* Private data of the connect request (host) and of the accept (card):
 * what the sender has posted for the other side to send into. */
struct dpu_rdma_conn_priv {
	uint32_t magic;       /* DPU_RDMA_CONN_MAGIC */
	uint16_t version;     /* DPU_RDMA_VERSION */
	uint16_t flags;       /* 0 */
	uint16_t slots;       /* data receive buffers = initial data credits */
	uint16_t ctrl_slots;  /* extra buffers for credit-only sends */
	uint32_t slot_bytes;  /* size of every receive buffer (SEND limit) */
	uint32_t max_msg_len; /* largest ABI message it accepts */
	uint32_t reserved;    /* 0 */
};
static_assert(sizeof(struct dpu_rdma_conn_priv) == 24, "conn priv size");

enum dpu_rdma_send_flags {
	DPU_RDMA_F_CTRL = 1u << 0, /* credit-only: no frames, uses a ctrl credit */
};

/* Start of every SEND; frames follow (stream framing, dpu_abi_frame_size). */
struct dpu_rdma_hdr {
	uint32_t magic;       /* DPU_RDMA_SEND_MAGIC */
	uint32_t seq;         /* SENDs so far in this direction (wraps) */
	uint32_t bytes;       /* frame bytes after this header */
	uint16_t credits;     /* data buffers reposted since the last SEND */
	uint8_t ctrl_credits; /* ctrl buffers reposted since the last SEND */
	uint8_t flags;        /* dpu_rdma_send_flags */
};
static_assert(sizeof(struct dpu_rdma_hdr) == 16, "rdma hdr size");

/**
 * Check one received SEND of len bytes (what the work completion says) that
 * may hold at most max_msg_len-byte messages: header, flags, byte count and
 * every frame ([u32 len][u32 tag 0][message][pad to 8], len >= 32,
 * <= max_msg_len, == the message's header.length, the frames exactly
 * filling the SEND). Sequence and credits are the caller's (they need
 * state). On success *hdr is a copy of the header, *n_msgs the number of
 * frames. Returns 0, or -EPROTO with a reason in why.
 */
int dpu_rdma_parse(const void *buf, uint32_t len, uint32_t max_msg_len,
		   struct dpu_rdma_hdr *hdr, uint32_t *n_msgs, char *why,
		   size_t why_len);

/**
 * Check a peer's connection private data (len bytes as delivered; RoCE pads
 * it). Returns 0 and a copy in *out, or -EPROTO with a reason in why.
 */
int dpu_rdma_conn_check(const void *data, size_t len,
			struct dpu_rdma_conn_priv *out, char *why, size_t why_len);

#endif /* DPU_ABI_RDMA_WIRE_H */
