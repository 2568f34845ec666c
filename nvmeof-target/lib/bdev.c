/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Namespace backends: RAM (zero-filled anonymous memory; reads are sent
 * straight from it), NULL (reads return zeroes, writes are dropped) and
 * FILE (regular file or block device through the reactor's io_uring).
 *
 * RAM namespaces are plain memory shared by all reactors: overlapping
 * reads and writes from different queues are not serialised (like SPDK's
 * malloc bdev or nvmet over the page cache), so a read racing a write to
 * the same block may see a mix; what goes on the wire always matches its
 * digest (see the snapshot in mem_submit).
 *
 * Regular files use the page cache (Flush = fdatasync, advertised as a
 * volatile write cache); block devices use O_DIRECT with page-aligned pool
 * buffers. Deallocate and Write Zeroes punch holes (reads return zeroes);
 * where the file system cannot, zeroes are written instead.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nvmf_internal.h"

int nvmf_bdev_open(struct nvmf_tgt *tgt, struct nvmf_bdev *b, const struct nvmf_ns_params *p)
{
	uint8_t shift = p->block_shift ? p->block_shift : 12;
	uint64_t size = p->size_bytes;
	struct stat sb;

	memset(b, 0, sizeof(*b));
	b->fd = -1;
	if (shift < 9 || shift > 12) {
		NVMF_ERR(tgt, "ns %u: block_shift %u outside 9..12", p->nsid, shift);
		return -EINVAL;
	}
	b->type = p->backend;
	b->block_shift = shift;
	b->block_size = 1u << shift;

	switch (p->backend) {
	case NVMF_BDEV_RAM:
	case NVMF_BDEV_NULL:
		if (size < b->block_size || size % b->block_size) {
			NVMF_ERR(tgt, "ns %u: size_bytes %llu is not a positive multiple of %u",
				 p->nsid, (unsigned long long)size, b->block_size);
			return -EINVAL;
		}
		if (p->backend == NVMF_BDEV_RAM) {
			/* MAP_NORESERVE: pages materialise on first write */
			b->mem = mmap(NULL, size, PROT_READ | PROT_WRITE,
				      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
			if (b->mem == MAP_FAILED) {
				b->mem = NULL;
				NVMF_ERR(tgt, "ns %u: cannot map %llu bytes of RAM", p->nsid,
					 (unsigned long long)size);
				return -ENOMEM;
			}
			b->mem_len = size;
		}
		b->num_blocks = size >> shift;
		return 0;
	case NVMF_BDEV_FILE:
		break;
	default:
		NVMF_ERR(tgt, "ns %u: backend %u unknown", p->nsid, p->backend);
		return -EINVAL;
	}

	if (!p->path[0] || !memchr(p->path, 0, sizeof(p->path))) {
		NVMF_ERR(tgt, "ns %u: file backend needs a NUL-terminated path", p->nsid);
		return -EINVAL;
	}
	if (stat(p->path, &sb) == 0 && S_ISBLK(sb.st_mode)) {
		b->is_blkdev = true;
		b->fd = open(p->path, O_RDWR | O_DIRECT | O_CLOEXEC);
	} else {
		b->fd = open(p->path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	}
	if (b->fd < 0) {
		int e = errno;

		NVMF_ERR(tgt, "ns %u: open %s: %s", p->nsid, p->path, strerror(e));
		return -e;
	}
	if (b->is_blkdev) {
		if (ioctl(b->fd, BLKGETSIZE64, &size) < 0) {
			int e = errno;

			NVMF_ERR(tgt, "ns %u: BLKGETSIZE64 %s: %s", p->nsid, p->path, strerror(e));
			close(b->fd);
			return -e;
		}
		if (p->size_bytes && p->size_bytes < size)
			size = p->size_bytes;
	} else {
		if (fstat(b->fd, &sb) < 0) {
			int e = errno;

			close(b->fd);
			return -e;
		}
		if (p->size_bytes) {
			if ((uint64_t)sb.st_size < p->size_bytes &&
			    ftruncate(b->fd, (off_t)p->size_bytes) < 0) {
				int e = errno;

				NVMF_ERR(tgt, "ns %u: size_bytes: cannot grow %s: %s", p->nsid,
					 p->path, strerror(e));
				close(b->fd);
				return -e;
			}
			size = p->size_bytes;
		} else {
			size = (uint64_t)sb.st_size;
		}
		b->vwc = true;
	}
	b->num_blocks = size >> shift;
	if (!b->num_blocks) {
		NVMF_ERR(tgt, "ns %u: %s is smaller than one block (size_bytes 0 takes the file's size)",
			 p->nsid, p->path);
		close(b->fd);
		return -EINVAL;
	}
	return 0;
}

void nvmf_bdev_close(struct nvmf_bdev *b)
{
	if (b->mem)
		munmap(b->mem, b->mem_len);
	if (b->fd >= 0)
		close(b->fd);
	b->mem = NULL;
	b->fd = -1;
}

static inline uint64_t cmd_slba(const struct nvme_sqe *c)
{
	return (uint64_t)c->cdw10 | ((uint64_t)c->cdw11 << 32);
}

static inline uint32_t cmd_nlb(const struct nvme_sqe *c)
{
	return (c->cdw12 & 0xffff) + 1;
}

/* ---- RAM / NULL: synchronous ---- */

static uint16_t mem_submit(struct nvmf_req *req)
{
	struct nvmf_bdev *b = &req->ns->bdev;
	const struct nvme_sqe *c = &req->cmd;
	bool ram = b->type == NVMF_BDEV_RAM;
	uint64_t off = cmd_slba(c) << b->block_shift;

	switch (c->opc) {
	case NVME_IO_READ:
		if (!ram) {
			req->data = req->conn->tgt->zero_buf;
		} else if (req->conn->ddgst) {
			/*
			 * The digest must match the bytes that reach the wire,
			 * and a write on another reactor may change the RAM
			 * before the kernel copies it: send a snapshot.
			 */
			if (nvmf_req_get_buf(req, req->len))
				return NVME_SC_INTERNAL;
			memcpy(req->buf, b->mem + off, req->len);
			req->data = req->buf;
		} else {
			req->data = b->mem + off; /* zero-copy */
		}
		return NVME_SC_SUCCESS;
	case NVME_IO_WRITE:
		if (ram)
			memcpy(b->mem + off, req->wdata, req->len);
		return NVME_SC_SUCCESS;
	case NVME_IO_FLUSH:
		return NVME_SC_SUCCESS;
	case NVME_IO_WRITE_ZEROES:
		if (ram)
			memset(b->mem + off, 0, (size_t)cmd_nlb(c) << b->block_shift);
		return NVME_SC_SUCCESS;
	case NVME_IO_DSM: {
		const struct nvme_dsm_range *rg = (const void *)req->buf;
		uint32_t nr = (c->cdw10 & 0xff) + 1;

		if (!ram || !(c->cdw11 & NVME_DSM_ATTR_DEALLOCATE))
			return NVME_SC_SUCCESS;
		for (uint32_t i = 0; i < nr; i++)
			memset(b->mem + (rg[i].slba << b->block_shift), 0,
			       (size_t)rg[i].nlb << b->block_shift);
		return NVME_SC_SUCCESS;
	}
	}
	return NVME_SC_INVALID_OPCODE;
}

/* ---- FILE: io_uring ---- */

static struct io_uring_sqe *get_sqe(struct nvmf_reactor *r)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&r->ring);

	if (!sqe) {
		/* ring full: push what we have and retry once */
		io_uring_submit(&r->ring);
		r->ring_unsubmitted = 0;
		sqe = io_uring_get_sqe(&r->ring);
	}
	if (sqe)
		r->ring_unsubmitted++;
	return sqe;
}

static int file_prep_rw(struct nvmf_req *req)
{
	struct nvmf_reactor *r = req->conn->r;
	struct nvmf_bdev *b = &req->ns->bdev;
	uint64_t off = (cmd_slba(&req->cmd) << b->block_shift) + req->io_done;
	struct io_uring_sqe *sqe = get_sqe(r);

	if (!sqe)
		return -EBUSY;
	if (req->cmd.opc == NVME_IO_READ)
		io_uring_prep_read(sqe, b->fd, req->buf + req->io_done, req->len - req->io_done, off);
	else {
		io_uring_prep_write(sqe, b->fd, req->buf + req->io_done, req->len - req->io_done, off);
		/* FUA: durable before completion, not just when Flush comes */
		if (req->cmd.cdw12 & NVME_RW_FUA)
			sqe->rw_flags = RWF_DSYNC;
	}
	io_uring_sqe_set_data(sqe, req);
	req->io_pending++;
	req->conn->backend_inflight++;
	return 0;
}

static int file_prep_punch(struct nvmf_req *req, uint64_t off, uint64_t len)
{
	struct io_uring_sqe *sqe = get_sqe(req->conn->r);

	if (!sqe)
		return -EBUSY;
	io_uring_prep_fallocate(sqe, req->ns->bdev.fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
				off, len);
	io_uring_sqe_set_data(sqe, req);
	req->io_pending++;
	req->conn->backend_inflight++;
	return 0;
}

static uint16_t file_submit(struct nvmf_req *req)
{
	struct nvmf_reactor *r = req->conn->r;
	struct nvmf_bdev *b = &req->ns->bdev;
	const struct nvme_sqe *c = &req->cmd;
	struct io_uring_sqe *sqe;

	if (nvmf_reactor_ring(r))
		return NVME_SC_INTERNAL;
	req->io_done = 0;
	switch (c->opc) {
	case NVME_IO_READ:
		req->data = req->buf;
		/* fall through */
	case NVME_IO_WRITE:
		if (file_prep_rw(req))
			return NVME_SC_INTERNAL;
		return NVMF_ASYNC;
	case NVME_IO_FLUSH:
		sqe = get_sqe(r);
		if (!sqe)
			return NVME_SC_INTERNAL;
		io_uring_prep_fsync(sqe, b->fd, b->is_blkdev ? 0 : IORING_FSYNC_DATASYNC);
		io_uring_sqe_set_data(sqe, req);
		req->io_pending++;
		req->conn->backend_inflight++;
		return NVMF_ASYNC;
	case NVME_IO_WRITE_ZEROES:
		if (file_prep_punch(req, cmd_slba(c) << b->block_shift,
				    (uint64_t)cmd_nlb(c) << b->block_shift))
			return NVME_SC_INTERNAL;
		return NVMF_ASYNC;
	case NVME_IO_DSM: {
		const struct nvme_dsm_range *rg = (const void *)req->buf;
		uint32_t nr = (c->cdw10 & 0xff) + 1;

		if (!(c->cdw11 & NVME_DSM_ATTR_DEALLOCATE))
			return NVME_SC_SUCCESS;
		for (uint32_t i = 0; i < nr; i++) {
			if (!rg[i].nlb)
				continue;
			if (file_prep_punch(req, rg[i].slba << b->block_shift,
					    (uint64_t)rg[i].nlb << b->block_shift))
				req->status = NVME_SC_INTERNAL;
		}
		return req->io_pending ? NVMF_ASYNC : req->status;
	}
	}
	return NVME_SC_INVALID_OPCODE;
}

uint16_t nvmf_bdev_submit(struct nvmf_req *req)
{
	if (req->ns->bdev.type == NVMF_BDEV_FILE)
		return file_submit(req);
	return mem_submit(req);
}

/* Fallback when the file system cannot punch holes. */
static int write_zeroes_sync(struct nvmf_req *req, uint64_t off, uint64_t len)
{
	const uint8_t *z = req->conn->tgt->zero_buf;
	uint32_t zl = req->conn->tgt->opts.max_io_size;

	while (len) {
		ssize_t n = pwrite(req->ns->bdev.fd, z, len < zl ? len : zl, (off_t)off);

		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		off += (uint64_t)n;
		len -= (uint64_t)n;
	}
	return 0;
}

static void file_cqe(struct nvmf_req *req, int res)
{
	const struct nvme_sqe *c = &req->cmd;

	req->io_pending--;
	req->conn->backend_inflight--;
	if ((c->opc == NVME_IO_READ || c->opc == NVME_IO_WRITE) && res >= 0) {
		req->io_done += (uint32_t)res;
		if (res == 0 && req->io_done < req->len) {
			if (c->opc == NVME_IO_READ) {
				/* past EOF of a file grown by someone else: zeroes */
				memset(req->buf + req->io_done, 0, req->len - req->io_done);
				req->io_done = req->len;
			} else {
				req->status = NVME_SC_DATA_XFER_ERROR;
			}
		} else if (req->io_done < req->len && req->conn->state != NVMF_CONN_CLOSED) {
			if (file_prep_rw(req) == 0)
				return;
			req->status = NVME_SC_INTERNAL;
		}
	} else if (res == -EOPNOTSUPP &&
		   (c->opc == NVME_IO_WRITE_ZEROES || c->opc == NVME_IO_DSM)) {
		/* redo the whole command the slow way once all parts are back */
		req->zero_fallback = true;
	} else if (res < 0 && req->status == NVME_SC_SUCCESS) {
		NVMF_WARN(req->conn->tgt, "ns %u: io_uring op %u failed: %s", req->ns->nsid,
			  c->opc, strerror(-res));
		req->status = res == -ENOSPC ? NVME_SC_CAP_EXCEEDED : NVME_SC_DATA_XFER_ERROR;
	}
	if (req->io_pending)
		return;
	if (req->zero_fallback) {
		struct nvmf_bdev *b = &req->ns->bdev;
		int rc = 0;

		req->zero_fallback = false;
		if (c->opc == NVME_IO_WRITE_ZEROES) {
			rc = write_zeroes_sync(req, cmd_slba(c) << b->block_shift,
					       (uint64_t)cmd_nlb(c) << b->block_shift);
		} else {
			const struct nvme_dsm_range *rg = (const void *)req->buf;

			for (uint32_t i = 0; i <= (c->cdw10 & 0xff) && !rc; i++)
				rc = write_zeroes_sync(req, rg[i].slba << b->block_shift,
						       (uint64_t)rg[i].nlb << b->block_shift);
		}
		if (rc)
			req->status = NVME_SC_DATA_XFER_ERROR;
	}
	nvmf_req_backend_done(req);
}

void nvmf_ring_reap(struct nvmf_reactor *r)
{
	struct io_uring_cqe *cqe;
	unsigned int head, n = 0;

	io_uring_for_each_cqe(&r->ring, head, cqe) {
		file_cqe(io_uring_cqe_get_data(cqe), cqe->res);
		n++;
	}
	if (n)
		io_uring_cq_advance(&r->ring, n);
}

void nvmf_ring_event(struct nvmf_evh *evh, uint32_t events)
{
	struct nvmf_reactor *r = NVMF_CONTAINER_OF(evh, struct nvmf_reactor, ring_evh);
	uint64_t v;

	(void)events;
	if (read(r->ring_fd, &v, sizeof(v)) < 0 && errno != EAGAIN)
		NVMF_WARN(r->tgt, "reactor %u: ring eventfd: %s", r->idx, strerror(errno));
	nvmf_ring_reap(r);
}
