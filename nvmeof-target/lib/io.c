/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * NVM I/O commands: Read, Write, Flush, Write Zeroes, Dataset Management.
 * nvmf_io_prepare runs when the capsule header arrives, so a bad command is
 * failed before any R2T is sent; nvmf_io_exec runs once the data is in.
 */
#include "nvmf_internal.h"

static inline uint64_t slba(const struct nvme_sqe *c)
{
	return (uint64_t)c->cdw10 | ((uint64_t)c->cdw11 << 32);
}

static inline bool range_bad(const struct nvmf_bdev *b, uint64_t lba, uint64_t nlb)
{
	return lba > b->num_blocks || nlb > b->num_blocks - lba;
}

uint16_t nvmf_io_prepare(struct nvmf_req *req)
{
	const struct nvme_sqe *c = &req->cmd;
	struct nvmf_ns *ns = nvmf_subsys_ns(req->conn->subsys, c->nsid);
	const struct nvmf_bdev *b;
	uint64_t bytes;

	switch (c->opc) {
	case NVME_IO_READ:
	case NVME_IO_WRITE:
	case NVME_IO_FLUSH:
	case NVME_IO_WRITE_ZEROES:
	case NVME_IO_DSM:
		break;
	default:
		return NVME_SC_INVALID_OPCODE;
	}
	if (NVMF_UNLIKELY(!ns))
		return NVME_SC_INVALID_NS;
	atomic_fetch_add_explicit(&ns->refs, 1, memory_order_relaxed);
	req->ns = ns;
	b = &ns->bdev;

	switch (c->opc) {
	case NVME_IO_READ:
	case NVME_IO_WRITE:
		bytes = (uint64_t)((c->cdw12 & 0xffff) + 1) << b->block_shift;
		if (NVMF_UNLIKELY(range_bad(b, slba(c), (c->cdw12 & 0xffff) + 1)))
			return NVME_SC_LBA_RANGE;
		if (NVMF_UNLIKELY(bytes > req->conn->tgt->opts.max_io_size))
			return NVME_SC_INVALID_FIELD;
		if (NVMF_UNLIKELY(bytes != req->len || req->xfer == NVMF_XFER_NONE))
			return NVME_SC_SGL_LENGTH_INVALID;
		if (c->opc == NVME_IO_READ && b->type == NVMF_BDEV_FILE &&
		    nvmf_req_get_buf(req, req->len))
			return NVME_SC_INTERNAL;
		return NVME_SC_SUCCESS;
	case NVME_IO_WRITE_ZEROES:
		if (range_bad(b, slba(c), (c->cdw12 & 0xffff) + 1))
			return NVME_SC_LBA_RANGE;
		return NVME_SC_SUCCESS;
	case NVME_IO_DSM:
		if (req->len != ((c->cdw10 & 0xff) + 1) * sizeof(struct nvme_dsm_range))
			return NVME_SC_SGL_LENGTH_INVALID;
		return NVME_SC_SUCCESS;
	default:
		return NVME_SC_SUCCESS;
	}
}

uint16_t nvmf_io_exec(struct nvmf_req *req)
{
	struct nvmf_conn *conn = req->conn;
	const struct nvme_sqe *c = &req->cmd;

	switch (c->opc) {
	case NVME_IO_READ:
		__atomic_store_n(&conn->host_reads, conn->host_reads + 1, __ATOMIC_RELAXED);
		__atomic_store_n(&conn->units_read, conn->units_read + req->len, __ATOMIC_RELAXED);
		break;
	case NVME_IO_WRITE:
		__atomic_store_n(&conn->host_writes, conn->host_writes + 1, __ATOMIC_RELAXED);
		__atomic_store_n(&conn->units_written, conn->units_written + req->len,
				 __ATOMIC_RELAXED);
		break;
	case NVME_IO_DSM: {
		const struct nvme_dsm_range *rg = (const void *)req->buf;
		uint32_t nr = (c->cdw10 & 0xff) + 1;

		for (uint32_t i = 0; i < nr; i++)
			if (range_bad(&req->ns->bdev, rg[i].slba, rg[i].nlb))
				return NVME_SC_LBA_RANGE;
		break;
	}
	}
	return nvmf_bdev_submit(req);
}
