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
 * A record is the message itself, padded to 8 bytes: its header already
 * carries the length, so there is no separate prefix, and a 64-byte message
 * fills exactly one cache line (no line shared by two records, which the
 * producer would write while the consumer reads). Indices are free-running
 * u64 byte counts; a record never wraps: when it does not fit before the end
 * of the ring the producer writes SHM_WRAP_MAGIC where a header would start
 * and continues at offset 0.
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

/* In the magic field of a record: "skip to the start of the ring". */
#define SHM_WRAP_MAGIC 0x50415257u /* "WRAP" */

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

static inline uint64_t shm_rec_size(uint32_t len)
{
	return ((uint64_t)len + 7u) & ~(uint64_t)7u;
}

/* Messages are small and this is the hot path: copy in 16-byte vectors the
 * compiler inlines, rather than a libc call per message. */
typedef uint8_t shm_v16 __attribute__((vector_size(16), aligned(1), may_alias));
typedef uint64_t shm_u64u __attribute__((aligned(1), may_alias));

static inline void shm_copy(uint8_t *dst, const uint8_t *src, uint32_t len)
{
	uint32_t i = 0;

	if (len > 512) {
		memcpy(dst, src, len);
		return;
	}
	for (; i + 16 <= len; i += 16)
		*(shm_v16 *)(void *)(dst + i) = *(const shm_v16 *)(const void *)(src + i);
	if (i + 8 <= len) {
		*(shm_u64u *)(void *)(dst + i) = *(const shm_u64u *)(const void *)(src + i);
		i += 8;
	}
	if (i < len) {
		/* Odd-sized message: pad with zeros to the 8-byte record. */
		uint64_t w = 0;

		memcpy(&w, src + i, len - i);
		*(shm_u64u *)(void *)(dst + i) = w;
	}
}

/**
 * Copy one message into the ring at *head (not yet visible to the
 * consumer). head and cons_cache are the caller's copies of r->head and
 * r->cons_cache, kept in registers over a burst and written back once.
 * @return 1 taken, 0 full, -EMSGSIZE too big for this ring, -EPROTO the
 * consumer index is impossible.
 */
static inline int shm_ring_push(struct shm_ring *r, uint64_t *head,
				uint64_t *cons_cache, const void *msg, uint32_t len)
{
	uint64_t rec = shm_rec_size(len);
	uint64_t off = *head & r->mask;
	uint64_t contig = r->size - off;
	uint64_t need = rec <= contig ? rec : contig + rec;

	if (rec > r->max_rec)
		return -EMSGSIZE;
	if (*head + need - *cons_cache > r->size) {
		/* Look at the consumer's line only when we seem full. */
		*cons_cache = shm_load_acq(r->cons);
		if (*head - *cons_cache > r->size)
			return -EPROTO;
		if (*head + need - *cons_cache > r->size)
			return 0;
	}
	if (rec > contig) {
		*(uint32_t *)(void *)(r->data + off) = SHM_WRAP_MAGIC;
		*head += contig;
		off = 0;
	}
	shm_copy(r->data + off, msg, len);
	*head += rec;
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
 * Parse the next record at tail. On success *msg and *len describe the
 * message in place and *bytes the ring bytes it (and a WRAP before it) used.
 * @return 1 one message, 0 empty, -EPROTO the producer lied.
 */
static inline int shm_ring_peek(struct shm_ring *r, const void **msg,
				uint32_t *len, uint64_t *bytes)
{
	uint64_t skip = 0, avail, off, contig, rec;
	const uint8_t *p;
	uint32_t l;

	for (;;) {
		avail = r->prod_cache - r->tail;
		if (avail == 0) {
			r->prod_cache = shm_load_acq(r->prod);
			avail = r->prod_cache - r->tail;
			if (avail == 0)
				return 0;
		}
		if (avail > r->size || (avail & 7))
			return -EPROTO;
		off = r->tail & r->mask;
		contig = r->size - off;
		p = r->data + off;
		if (shm_read32(p) == SHM_WRAP_MAGIC) {
			if (off == 0 || contig > avail)
				return -EPROTO;
			r->tail += contig;
			skip += contig;
			continue;
		}
		/* Whole header published and before the end of the ring? */
		if (avail < sizeof(struct dpu_abi_hdr) ||
		    contig < sizeof(struct dpu_abi_hdr))
			return -EPROTO;
		l = shm_read32(p + offsetof(struct dpu_abi_hdr, length));
		rec = shm_rec_size(l);
		if (l < sizeof(struct dpu_abi_hdr) || l > r->max_msg_len ||
		    rec > contig || rec > avail)
			return -EPROTO;
		*msg = p;
		*len = l;
		*bytes = skip + rec;
		r->tail += rec;
		return 1;
	}
}

#endif /* DPU_ABI_SHM_RING_H */
