/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target for what an RDMA peer sends (shared-abi/src/rdma_wire.h):
 * the header and frames of a received SEND, and the connection private
 * data. Input byte 0 picks which (and max_msg_len), the rest is the payload.
 * Whatever is accepted must be safe to hand out the way transport_rdma.c
 * does: frames walked by their own length stay inside the SEND, each
 * message's header.length equals its frame length.
 */
#include <stdlib.h>
#include <string.h>

#include "dpu_abi.h"
#include "rdma_wire.h"
#include "transport_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MUST(x)                                                                \
	do {                                                                   \
		if (!(x))                                                      \
			__builtin_trap();                                      \
	} while (0)

static uint8_t buf[DPU_ABI_MSG_MAX + 64] __attribute__((aligned(4096)));

static void walk(uint32_t len, uint32_t max_msg_len, const struct dpu_rdma_hdr *h,
		 uint32_t n)
{
	uint32_t off = sizeof(*h), i;

	MUST(h->magic == DPU_RDMA_SEND_MAGIC && h->bytes == len - sizeof(*h));
	if (h->flags & DPU_RDMA_F_CTRL) {
		MUST(n == 0 && len == sizeof(*h));
		return;
	}
	MUST(n > 0);
	for (i = 0; i < n; i++) {
		uint32_t flen, mlen;

		MUST(off + DPU_ABI_FRAME_HDR + sizeof(struct dpu_abi_hdr) <= len);
		memcpy(&flen, buf + off, 4);
		MUST(flen >= sizeof(struct dpu_abi_hdr) && flen <= max_msg_len);
		MUST(off + dpu_abi_frame_size(flen) <= len);
		memcpy(&mlen, buf + off + DPU_ABI_FRAME_HDR + 12, 4);
		MUST(mlen == flen);
		/* 8-aligned in place, as the wire structs need */
		MUST(((off + DPU_ABI_FRAME_HDR) & 7) == 0);
		off += (uint32_t)dpu_abi_frame_size(flen);
	}
	MUST(off == len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint32_t maxes[] = { 32, 48, 64, 1024, 4096, DPU_ABI_MSG_MAX };
	struct dpu_rdma_conn_priv c;
	struct dpu_rdma_hdr h;
	uint32_t n, len, max;
	char why[128];

	if (size < 1 || size - 1 > sizeof(buf))
		return 0;
	len = (uint32_t)(size - 1);
	memcpy(buf, data + 1, len);
	if (data[0] & 1) {
		if (dpu_rdma_conn_check(buf, len, &c, why, sizeof(why)) == 0) {
			MUST(c.slots >= 1 && c.slots <= DPU_RDMA_MAX_SLOTS);
			MUST(c.ctrl_slots >= 1 && c.ctrl_slots <= DPU_RDMA_MAX_CTRL);
			MUST(c.slot_bytes <= DPU_RDMA_MAX_SLOT_BYTES);
			MUST(dpu_abi_frame_size(c.max_msg_len) + sizeof(h) <= c.slot_bytes);
		}
		return 0;
	}
	max = maxes[(data[0] >> 1) % (sizeof(maxes) / sizeof(maxes[0]))];
	if (dpu_rdma_parse(buf, len, max, &h, &n, why, sizeof(why)) == 0)
		walk(len, max, &h, n);
	else
		MUST(why[0] != '\0');
	return 0;
}
