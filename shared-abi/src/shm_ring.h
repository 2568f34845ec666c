/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The shared-memory region of the shm transport and its SPSC byte rings.
 *
 * Region (a sealed memfd, created by the card):
 *   page 0          struct shm_ctrl: magic, version, ring offsets and sizes,
 *                   and one "I am going to sleep" flag per side
 *   ring i          one page of indices (producer and consumer on their own
 *                   128-byte lines), then 2^k bytes of records
 *
 * A record is [u32 len][u32 tag][message][pad to 8]. Indices are free-running
 * u64 byte counts; a record never wraps: when it does not fit before the end
 * of the ring the producer writes a WRAP tag and continues at offset 0.
 *
 * Everything in the region is written by a peer we do not trust, so the
 * consumer copies what it reads from it once and bound-checks the copy, and
 * neither side ever reads back the ring geometry from shared memory after
 * setup (the card wrote it; the host validated a private copy).
 */
#ifndef DPU_ABI_SHM_RING_H
#define DPU_ABI_SHM_RING_H

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "transport_internal.h"

#define SHM_MAGIC 0x53555044u /* "DPUS" */
#define SHM_VERSION 1u
#define SHM_PAGE 4096u
/* Two cache lines: the adjacent-line prefetcher pulls lines in pairs, so 64
 * bytes of separation would still let producer and consumer share a pair. */
#define SHM_LINE 128u
#define SHM_RING_MIN SHM_PAGE
#define SHM_RING_MAX (256u << 20)

#define SHM_TAG_MSG 0u
#define SHM_TAG_WRAP 0x50415257u /* "WRAP" */

enum shm_ring_id {
	SHM_REQ = 0, /* host -> card */
	SHM_CPL = 1, /* card -> host: responses */
	SHM_EVT = 2, /* card -> host: DPU_ABI_F_EVENT messages */
	SHM_NRINGS = 3,
};

struct shm_ring_desc {
	uint64_t off;  /* of the index page; records start one page later */
	uint64_t size; /* record bytes, power of 2 */
};

struct shm_ctrl {
	uint32_t magic;
	uint32_t version;
	uint64_t region_size;
	uint32_t max_msg_len;
	uint32_t n_rings;
	struct shm_ring_desc ring[SHM_NRINGS];
	_Alignas(SHM_LINE) uint32_t card_sleeping; /* card waits on its doorbell */
	_Alignas(SHM_LINE) uint32_t host_sleeping;
};
static_assert(sizeof(struct shm_ctrl) <= SHM_PAGE, "shm_ctrl fits page 0");

/* The index page of a ring. */
struct shm_ring_idx {
	_Alignas(SHM_LINE) uint64_t prod; /* written by the producer only */
	_Alignas(SHM_LINE) uint64_t cons; /* written by the consumer only */
};

/* Handed over the Unix socket with the memfd and the two eventfds. */
struct shm_hello {
	uint32_t magic;
	uint32_t version;
	uint64_t region_size;
};

/* One side's private view of a ring. */
struct shm_ring {
	uint8_t *data;
	uint64_t size;
	uint64_t mask;
	uint64_t *prod; /* shared */
	uint64_t *cons; /* shared */
	uint64_t max_rec;     /* largest record this ring carries */
	uint32_t max_msg_len;
	/* producer side */
	uint64_t head;       /* next write position, published on flush */
	uint64_t published;
	uint64_t cons_cache; /* last consumer index seen */
	/* consumer side */
	uint64_t tail;       /* parsed up to here */
	uint64_t rel;        /* released up to here (= *cons) */
	uint64_t prod_cache; /* last producer index seen */
};

static inline uint64_t shm_load_acq(const uint64_t *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static inline void shm_store_rel(uint64_t *p, uint64_t v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

static inline uint32_t shm_read32(const uint8_t *p)
{
	/* One read of peer-writable memory, so a check and a use see the
	 * same value even if the peer rewrites it in between. */
	return __atomic_load_n((const uint32_t *)(const void *)p, __ATOMIC_RELAXED);
}

/**
 * Copy one message into the ring (not yet visible to the consumer).
 * @return 1 taken, 0 full, -EMSGSIZE too big for this ring, -EPROTO the
 * consumer index is impossible.
 */
static inline int shm_ring_push(struct shm_ring *r, const void *msg, uint32_t len)
{
	uint64_t rec = dpu_abi_frame_size(len);
	uint64_t off = r->head & r->mask;
	uint64_t contig = r->size - off;
	uint64_t need = rec <= contig ? rec : contig + rec;
	uint8_t *p;

	if (rec > r->max_rec)
		return -EMSGSIZE;
	if (r->head + need - r->cons_cache > r->size) {
		/* Look at the consumer's line only when we seem full. */
		r->cons_cache = shm_load_acq(r->cons);
		if (r->head - r->cons_cache > r->size)
			return -EPROTO;
		if (r->head + need - r->cons_cache > r->size)
			return 0;
	}
	if (rec > contig) {
		p = r->data + off;
		((uint32_t *)(void *)p)[0] = 0;
		((uint32_t *)(void *)p)[1] = SHM_TAG_WRAP;
		r->head += contig;
		off = 0;
	}
	p = r->data + off;
	((uint32_t *)(void *)p)[0] = len;
	((uint32_t *)(void *)p)[1] = SHM_TAG_MSG;
	memcpy(p + DPU_ABI_FRAME_HDR, msg, len);
	r->head += rec;
	return 1;
}

/** Make pushed records visible: one release store per burst. */
static inline int shm_ring_publish(struct shm_ring *r)
{
	if (r->head == r->published)
		return 0;
	shm_store_rel(r->prod, r->head);
	r->published = r->head;
	return 1;
}

/** Records ready to parse without touching the producer's line? */
static inline int shm_ring_ready(struct shm_ring *r)
{
	if (r->prod_cache != r->tail)
		return 1;
	r->prod_cache = shm_load_acq(r->prod);
	return r->prod_cache != r->tail;
}

/**
 * Parse the next record at tail. On success *msg and *len describe the message
 * in place and *bytes the ring bytes it (and a WRAP before it) used.
 * @return 1 one message, 0 empty, -EPROTO the producer lied.
 */
static inline int shm_ring_peek(struct shm_ring *r, const void **msg,
				uint32_t *len, uint64_t *bytes)
{
	uint64_t skip = 0, avail, off, rec;
	uint32_t l, tag;
	const uint8_t *p;

	for (;;) {
		avail = r->prod_cache - r->tail;
		if (avail == 0) {
			r->prod_cache = shm_load_acq(r->prod);
			avail = r->prod_cache - r->tail;
			if (avail == 0)
				return 0;
		}
		if (avail > r->size || (avail & 7) || avail < DPU_ABI_FRAME_HDR)
			return -EPROTO;
		off = r->tail & r->mask;
		p = r->data + off;
		l = shm_read32(p);
		tag = shm_read32(p + 4);
		if (tag == SHM_TAG_WRAP) {
			if (r->size - off > avail || off == 0)
				return -EPROTO;
			r->tail += r->size - off;
			skip += r->size - off;
			continue;
		}
		if (tag != SHM_TAG_MSG || l < sizeof(struct dpu_abi_hdr) ||
		    l > r->max_msg_len)
			return -EPROTO;
		rec = dpu_abi_frame_size(l);
		if (rec > r->size - off || rec > avail)
			return -EPROTO;
		/* header.length is at offset 12 of the message */
		if (shm_read32(p + DPU_ABI_FRAME_HDR + 12) != l)
			return -EPROTO;
		*msg = p + DPU_ABI_FRAME_HDR;
		*len = l;
		*bytes = skip + rec;
		r->tail += rec;
		return 1;
	}
}

#endif /* DPU_ABI_SHM_RING_H */
