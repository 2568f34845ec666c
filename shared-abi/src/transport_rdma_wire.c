/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Checks of what an RDMA peer sends (rdma_wire.h). Pure functions, built
 * with or without rdma-core: unit-tested in test_transport, fuzzed by
 * fuzz_rdma_parse.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "dpu_abi_wire.h"
#include "rdma_wire.h"
#include "transport_internal.h"

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

__attribute__((format(printf, 3, 4)))
static int bad(char *why, size_t why_len, const char *fmt, ...)
{
	va_list ap;

	if (why && why_len) {
		va_start(ap, fmt);
		vsnprintf(why, why_len, fmt, ap);
		va_end(ap);
	}
	return -EPROTO;
}

int dpu_rdma_parse(const void *buf, uint32_t len, uint32_t max_msg_len,
		   struct dpu_rdma_hdr *hdr, uint32_t *n_msgs, char *why,
		   size_t why_len)
{
	const uint8_t *p = buf;
	uint32_t off, n = 0;

	*n_msgs = 0;
	if (len < sizeof(*hdr))
		return bad(why, why_len, "SEND of %u bytes, shorter than the %u-byte header",
			   len, (uint32_t)sizeof(*hdr));
	memcpy(hdr, p, sizeof(*hdr));
	if (hdr->magic != DPU_RDMA_SEND_MAGIC)
		return bad(why, why_len, "bad SEND magic %#x", hdr->magic);
	if (hdr->flags & ~(uint32_t)DPU_RDMA_F_CTRL)
		return bad(why, why_len, "unknown SEND flags %#x", hdr->flags);
	if (hdr->bytes != len - sizeof(*hdr))
		return bad(why, why_len, "SEND header says %u frame bytes, %u arrived",
			   hdr->bytes, len - (uint32_t)sizeof(*hdr));
	if (hdr->flags & DPU_RDMA_F_CTRL) {
		if (hdr->bytes)
			return bad(why, why_len, "credit-only SEND carries %u bytes",
				   hdr->bytes);
		return 0;
	}
	if (hdr->bytes == 0)
		return bad(why, why_len, "data SEND without frames");
	for (off = sizeof(*hdr); off < len;) {
		uint32_t flen, tag, left = len - off;
		uint64_t rec;

		if (left < DPU_ABI_FRAME_HDR)
			return bad(why, why_len, "%u stray bytes after frame %u", left, n);
		flen = rd32(p + off);
		tag = rd32(p + off + 4);
		if (tag != 0)
			return bad(why, why_len, "frame %u: non-zero tag %#x", n, tag);
		if (flen < sizeof(struct dpu_abi_hdr) || flen > max_msg_len)
			return bad(why, why_len, "frame of %u bytes (max %u)", flen, max_msg_len);
		rec = dpu_abi_frame_size(flen);
		if (rec > left)
			return bad(why, why_len, "frame of %u bytes runs past the SEND (%u left)",
				   flen, left);
		/* dpu_abi_hdr.length is at offset 12 */
		if (rd32(p + off + DPU_ABI_FRAME_HDR + 12) != flen)
			return bad(why, why_len, "frame of %u bytes holds a message of %u", flen,
				   rd32(p + off + DPU_ABI_FRAME_HDR + 12));
		off += (uint32_t)rec;
		n++;
	}
	*n_msgs = n;
	return 0;
}

int dpu_rdma_conn_check(const void *data, size_t len,
			struct dpu_rdma_conn_priv *out, char *why, size_t why_len)
{
	struct dpu_rdma_conn_priv c;
	uint32_t min_slot = (uint32_t)(sizeof(struct dpu_rdma_hdr) +
				       dpu_abi_frame_size(sizeof(struct dpu_abi_hdr)));

	if (!data || len < sizeof(c))
		return bad(why, why_len, "connection data of %u bytes, want %u",
			   (uint32_t)len, (uint32_t)sizeof(c));
	memcpy(&c, data, sizeof(c));
	if (c.magic != DPU_RDMA_CONN_MAGIC || c.version != DPU_RDMA_VERSION)
		return bad(why, why_len, "not an opendpu RDMA peer (magic %#x version %u)",
			   c.magic, c.version);
	if (c.flags || c.reserved)
		return bad(why, why_len, "reserved fields set (%#x, %#x)", (unsigned)c.flags, c.reserved);
	if (c.slots == 0 || c.slots > DPU_RDMA_MAX_SLOTS)
		return bad(why, why_len, "%u receive buffers (1..%u)", c.slots,
			   DPU_RDMA_MAX_SLOTS);
	if (c.ctrl_slots == 0 || c.ctrl_slots > DPU_RDMA_MAX_CTRL)
		return bad(why, why_len, "%u credit buffers (1..%u)", c.ctrl_slots,
			   DPU_RDMA_MAX_CTRL);
	if (c.slot_bytes < min_slot || c.slot_bytes > DPU_RDMA_MAX_SLOT_BYTES ||
	    c.slot_bytes % 8)
		return bad(why, why_len, "buffers of %u bytes (want %u.. 16 MiB, 8-aligned)",
			   c.slot_bytes, min_slot);
	if (c.max_msg_len < sizeof(struct dpu_abi_hdr) ||
	    dpu_abi_frame_size(c.max_msg_len) + sizeof(struct dpu_rdma_hdr) > c.slot_bytes)
		return bad(why, why_len, "max message %u does not fit its %u-byte buffers",
			   c.max_msg_len, c.slot_bytes);
	*out = c;
	return 0;
}
