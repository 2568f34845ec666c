/* SPDX-License-Identifier: BSD-3-Clause */
#include "fw_flow_db.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/*
 * Open addressing with linear probing and backward-shift deletion: the
 * control path inserts up to millions of rules during a resync, so no
 * per-bucket allocation and no tombstones that degrade probes over time.
 * Listing walks the slot array, which is stable while the db is unchanged.
 */
/* Under ASan, records not handed out stay poisoned: a use after free is
 * still reported (but for the free-list link in a freed record's first word). */
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define REC_POISON(p, n) ASAN_POISON_MEMORY_REGION(p, n)
#define REC_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION(p, n)
#else
#define REC_POISON(p, n) ((void)(p), (void)(n))
#define REC_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

#define HUGE_SZ ((size_t)2 << 20)
#define REC_ALIGN 16u
#define REC_CLASSES 64u                /* records up to 63 * 16 bytes; bigger: malloc */
#define CHUNK_MIN ((size_t)64 << 10)  /* a small card maps 64 KiB ... */
#define CHUNK_MAX ((size_t)2 << 20)   /* ... a big one 2 MiB at a time */

struct rec_chunk {
	struct rec_chunk *next;
	size_t len;
};

struct fw_flow_db {
	uint32_t max_flows;
	uint32_t count;
	uint32_t gen; /* bumped by every change: a lookup's pos is stale after one */
	uint32_t mask; /* slots - 1, slots a power of two >= 2 * max_flows */
	/* The hash beside the pointer: a probe touches a flow only when its
	 * hash matches, so an ADD of a new id (a miss) reads no flow at all. */
	struct fw_flow_slot {
		uint64_t hash;
		struct fw_flow *f; /* NULL: empty */
	} *slots;
	size_t slots_len;
	/* Records come from chunks carved by a bump pointer, recycled through
	 * one free list per 16-byte size class: malloc's per-call cost and
	 * its free-time coalescing were a tenth of an ADD. */
	void *free_rec[REC_CLASSES];
	struct rec_chunk *chunks;     /* newest first */
	uint8_t *bump, *bump_end;
	size_t next_chunk;            /* size of the next chunk to map */
	uint64_t chunk_bytes;
	uint64_t live;                /* records out of the chunks */
};

static uint64_t id_hash(const struct dpu_abi_flow_id *id)
{
	/* ids may be sequential counters or tc handles: mix all bits. */
	uint64_t h = id->lo * 0x9e3779b97f4a7c15ull ^ id->hi;
	h ^= h >> 32;
	h *= 0xd6e8feb86659fd93ull;
	h ^= h >> 32;
	return h;
}

static int id_eq(const struct dpu_abi_flow_id *a, const struct dpu_abi_flow_id *b)
{
	return a->lo == b->lo && a->hi == b->hi;
}

/*
 * Plain 4 KiB pages, faulted in as the bump pointer reaches them. Not
 * MADV_HUGEPAGE: with THP defrag=madvise a fault may compact memory
 * synchronously, which measured as 0.2-0.4 us more per ADD on some runs.
 */
static void *chunk_map(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static int chunk_add(struct fw_flow_db *db, size_t need)
{
	size_t len = db->next_chunk;
	struct rec_chunk *c;

	while (len < need + sizeof(*c))
		len <<= 1;
	c = chunk_map(len);
	if (!c)
		return -ENOMEM;
	c->next = db->chunks;
	c->len = len;
	db->chunks = c;
	db->chunk_bytes += len;
	/* the unused tail of the previous chunk is left alone: < 1 KiB */
	db->bump = (uint8_t *)c + ((sizeof(*c) + REC_ALIGN - 1) & ~(REC_ALIGN - 1));
	db->bump_end = (uint8_t *)c + len;
	REC_POISON(db->bump, (size_t)(db->bump_end - db->bump));
	if (db->next_chunk < CHUNK_MAX)
		db->next_chunk <<= 1;
	return 0;
}

/* No record left: give the chunks back to the system, except the first,
 * smallest one, so an idle card holds 64 KiB whatever it held before. */
static void recs_release(struct fw_flow_db *db)
{
	struct rec_chunk *c = db->chunks, *next, *keep = NULL;

	for (; c; c = next) {
		next = c->next;
		if (!next && c->len == CHUNK_MIN) {
			keep = c;
			break;
		}
		REC_UNPOISON(c, c->len);
		munmap(c, c->len);
	}
	memset(db->free_rec, 0, sizeof(db->free_rec));
	db->chunks = keep;
	db->chunk_bytes = keep ? keep->len : 0;
	db->bump = db->bump_end = NULL;
	if (keep) {
		db->bump = (uint8_t *)keep + ((sizeof(*keep) + REC_ALIGN - 1) & ~(REC_ALIGN - 1));
		db->bump_end = (uint8_t *)keep + keep->len;
		REC_POISON(db->bump, (size_t)(db->bump_end - db->bump));
	}
	db->next_chunk = keep ? CHUNK_MIN * 2 : CHUNK_MIN;
}

static struct fw_flow *rec_alloc(struct fw_flow_db *db, size_t size)
{
	size_t sz = (size + REC_ALIGN - 1) & ~(size_t)(REC_ALIGN - 1);
	size_t cls = sz / REC_ALIGN; /* compared before it is narrowed */
	struct fw_flow *f;

	if (cls >= REC_CLASSES) {
		f = malloc(size);
		if (f)
			f->size_class = 0;
		return f;
	}
	f = db->free_rec[cls];
	if (f) {
		db->free_rec[cls] = *(void **)f;
		REC_UNPOISON(f, sz);
	} else {
		if ((size_t)(db->bump_end - db->bump) < sz && chunk_add(db, sz) < 0)
			return NULL;
		f = (struct fw_flow *)db->bump;
		db->bump += sz;
		REC_UNPOISON(f, sz);
	}
	f->size_class = (uint16_t)cls;
	db->live++;
	return f;
}

static void rec_free(struct fw_flow_db *db, struct fw_flow *f)
{
	if (!f)
		return;
	if (f->size_class == 0) {
		free(f);
		return;
	}
	uint16_t cls = f->size_class;

	*(void **)f = db->free_rec[cls];
	db->free_rec[cls] = f;
	REC_POISON((uint8_t *)f + sizeof(void *), (size_t)cls * REC_ALIGN - sizeof(void *));
	if (--db->live == 0)
		recs_release(db);
}

void fw_flow_free(struct fw_flow_db *db, struct fw_flow *f)
{
	rec_free(db, f);
}

uint64_t fw_flow_db_record_bytes(const struct fw_flow_db *db)
{
	return db->chunk_bytes;
}

/*
 * The slot array is probed at random, one TLB miss per ADD with 4 KiB pages
 * (under a hypervisor, a two-dimensional page walk) that the prefetch one op
 * ahead did not hide: fw_flow_db_prefetch + lookup were 16% of the card's
 * time while filling. Up to SLOTS_HUGE_MAX it is 2 MiB-aligned and
 * MADV_HUGEPAGE, faulted in at once; bigger arrays (--max-flows above 2 M) stay on 4 KiB pages,
 * so that a card sized for tens of millions of flows but holding few does
 * not pin a huge page per touched 2 MiB.
 */
#define SLOTS_HUGE_MAX ((size_t)64 << 20)

/*
 * Fault the (huge-page) slot array in now, as a card's table memory is
 * there at boot: ids hash all over it, so the first ADDs each faulted a
 * fresh 2 MiB page: ~0.3 ms of zeroing apiece, 5 ms on a bad run (with no
 * compaction stall in /proc/vmstat), which alone cut a start's first 20 K
 * single filters to 80 K/s.
 */
static int populate(uint8_t *a, size_t len)
{
#ifdef MADV_POPULATE_WRITE
	if (madvise(a, len, MADV_POPULATE_WRITE) == 0)
		return 0;
	if (errno != EINVAL)
		return -errno; /* no memory: say so now, not by the OOM killer later */
#endif
	/* a kernel before 5.14: touch it */
	for (size_t off = 0; off < len; off += 4096)
		((volatile uint8_t *)a)[off] = 0;
	return 0;
}

static void *slots_map(size_t len)
{
	size_t extra = len >= HUGE_SZ && len <= SLOTS_HUGE_MAX ? HUGE_SZ : 0;
	uint8_t *p = mmap(NULL, len + extra, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), *a;

	if (p == MAP_FAILED)
		return NULL;
	if (!extra)
		return p;
	a = (uint8_t *)(((uintptr_t)p + HUGE_SZ - 1) & ~(uintptr_t)(HUGE_SZ - 1));
	if (a > p)
		munmap(p, (size_t)(a - p));
	if (a + len < p + len + extra)
		munmap(a + len, (size_t)(p + len + extra - (a + len)));
#ifdef MADV_HUGEPAGE
	madvise(a, len, MADV_HUGEPAGE);
#endif
	if (populate(a, len) < 0) {
		munmap(a, len);
		return NULL;
	}
	return a;
}

struct fw_flow_db *fw_flow_db_create(uint32_t max_flows)
{
	struct fw_flow_db *db = calloc(1, sizeof(*db));
	uint64_t slots = 16;

	if (!db)
		return NULL;
	while (slots < 2ull * max_flows)
		slots <<= 1;
	db->slots_len = slots * sizeof(*db->slots);
	db->slots = slots_map(db->slots_len);
	if (!db->slots) {
		free(db);
		return NULL;
	}
	db->max_flows = max_flows;
	db->mask = (uint32_t)(slots - 1);
	db->next_chunk = CHUNK_MIN;
	return db;
}

void fw_flow_db_destroy(struct fw_flow_db *db)
{
	if (!db)
		return;
	for (uint64_t i = 0; i <= db->mask; i++)
		if (db->slots[i].f && db->slots[i].f->size_class == 0)
			free(db->slots[i].f);
	for (struct rec_chunk *c = db->chunks, *next; c; c = next) {
		next = c->next;
		REC_UNPOISON(c, c->len);
		munmap(c, c->len);
	}
	munmap(db->slots, db->slots_len);
	free(db);
}

uint32_t fw_flow_db_count(const struct fw_flow_db *db)
{
	return db->count;
}

static uint32_t find_slot_h(const struct fw_flow_db *db,
			    const struct dpu_abi_flow_id *id, uint64_t h)
{
	uint32_t i = (uint32_t)h & db->mask;

	while (db->slots[i].f && (db->slots[i].hash != h || !id_eq(&db->slots[i].f->id, id)))
		i = (i + 1) & db->mask;
	return i;
}

static uint32_t find_slot(const struct fw_flow_db *db,
			  const struct dpu_abi_flow_id *id)
{
	return find_slot_h(db, id, id_hash(id));
}

struct fw_flow *fw_flow_db_find(struct fw_flow_db *db,
				const struct dpu_abi_flow_id *id)
{
	return db->slots[find_slot(db, id)].f;
}

static void remove_slot(struct fw_flow_db *db, uint32_t i)
{
	uint32_t j = i;

	rec_free(db, db->slots[i].f);
	db->slots[i].f = NULL;
	db->count--;
	db->gen++;
	/* Backward shift: pull later entries of the probe run into the hole. */
	for (;;) {
		j = (j + 1) & db->mask;
		if (!db->slots[j].f)
			return;
		uint32_t home = (uint32_t)db->slots[j].hash & db->mask;
		/* Move j to i unless its home lies cyclically in (i, j]. */
		if (((j - home) & db->mask) >= ((j - i) & db->mask)) {
			db->slots[i] = db->slots[j];
			db->slots[j].f = NULL;
			i = j;
		}
	}
}

struct fw_flow *fw_flow_from_op(struct fw_flow_db *db, const struct dpu_abi_flow_op *op)
{
	uint32_t rule_len = op->len - (uint32_t)sizeof(*op);
	struct fw_flow *f = rec_alloc(db, sizeof(*f) + rule_len);

	if (!f)
		return NULL;
	f->id = op->id;
	f->group = op->group;
	f->priority = op->priority;
	f->hw = NULL;
	f->packets = 0;
	f->bytes = 0;
	f->rule_len = rule_len;
	memcpy(f->rule, op + 1, rule_len);
	return f;
}

int fw_flow_same_rule(const struct fw_flow *f, const struct dpu_abi_flow_op *op)
{
	return f->group == op->group && f->priority == op->priority &&
	       f->rule_len == op->len - sizeof(*op) &&
	       memcmp(f->rule, op + 1, f->rule_len) == 0;
}

struct fw_flow *fw_flow_db_lookup(struct fw_flow_db *db,
				  const struct dpu_abi_flow_id *id,
				  struct fw_flow_db_pos *pos)
{
	pos->hash = id_hash(id);
	pos->slot = find_slot_h(db, id, pos->hash);
	pos->gen = db->gen;
	return db->slots[pos->slot].f;
}

int fw_flow_db_insert_at(struct fw_flow_db *db, const struct fw_flow_db_pos *pos,
			 struct fw_flow *f)
{
	if (db->count >= db->max_flows)
		return -ENOSPC;
	/* pos is from fw_flow_db_lookup(); after any change since (a delete
	 * shifts entries back, an insert fills slots) the id's place may
	 * have moved: probe again */
	uint32_t slot = pos->slot;

	if (pos->gen != db->gen) {
		slot = find_slot_h(db, &f->id, pos->hash);
		if (db->slots[slot].f)
			return -EEXIST;
	}
	db->slots[slot] = (struct fw_flow_slot){ .hash = pos->hash, .f = f };
	db->count++;
	db->gen++;
	return 0;
}

void fw_flow_db_prefetch(const struct fw_flow_db *db, const struct dpu_abi_flow_id *id)
{
	__builtin_prefetch(&db->slots[(uint32_t)id_hash(id) & db->mask]);
}

int fw_flow_db_put(struct fw_flow_db *db, struct fw_flow *f)
{
	uint64_t h = id_hash(&f->id);
	uint32_t i = find_slot_h(db, &f->id, h);

	if (db->slots[i].f) {
		struct fw_flow *old = db->slots[i].f;

		db->slots[i].f = f;
		rec_free(db, old);
		return 0;
	}
	if (db->count >= db->max_flows)
		return -ENOSPC;
	db->slots[i] = (struct fw_flow_slot){ .hash = h, .f = f };
	db->count++;
	db->gen++;
	return 0;
}

int fw_flow_db_remove(struct fw_flow_db *db, const struct dpu_abi_flow_id *id)
{
	uint32_t i = find_slot(db, id);

	if (!db->slots[i].f)
		return -ENOENT;
	remove_slot(db, i);
	return 0;
}

uint32_t fw_flow_db_flush(struct fw_flow_db *db, uint32_t group,
			  void (*fn)(void *arg, struct fw_flow *f), void *arg)
{
	uint32_t n = 0;

	if (group == DPU_ABI_GROUP_ALL) {
		for (uint64_t i = 0; i <= db->mask; i++) {
			if (db->slots[i].f) {
				if (fn)
					fn(arg, db->slots[i].f);
				rec_free(db, db->slots[i].f);
				db->slots[i].f = NULL;
				n++;
			}
		}
		db->count = 0;
		db->gen++;
		return n;
	}
	/* Backward shift may move an unvisited entry into slot i: re-check it. */
	for (uint64_t i = 0; i <= db->mask;) {
		if (db->slots[i].f && db->slots[i].f->group == group) {
			if (fn)
				fn(arg, db->slots[i].f);
			remove_slot(db, (uint32_t)i);
			n++;
		} else {
			i++;
		}
	}
	return n;
}

uint32_t fw_flow_db_list(const struct fw_flow_db *db, uint32_t start,
			 uint32_t max, struct dpu_abi_flow_id *ids)
{
	uint32_t seen = 0, n = 0;

	for (uint64_t i = 0; i <= db->mask && n < max; i++) {
		if (!db->slots[i].f)
			continue;
		if (seen++ >= start)
			ids[n++] = db->slots[i].f->id;
	}
	return n;
}
