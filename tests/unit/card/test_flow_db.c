/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dpu-fw's flow record store: ids in, the same records out, across the
 * record allocator's size classes, its malloc fallback for big rules, its
 * chunk growth and its release when the store empties; and a lookup's
 * position used after the store changed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fw_flow_db.h"

static int failed;

#define CHECK(c)                                                            \
	do {                                                                \
		if (!(c)) {                                                 \
			fprintf(stderr, "%s:%d: FAIL %s\n", __FILE__, __LINE__, #c); \
			failed++;                                           \
		}                                                           \
	} while (0)

static uint8_t buf[sizeof(struct dpu_abi_flow_op) + 4096];

/* an op for id with a rule body of len bytes derived from seed */
static const struct dpu_abi_flow_op *mk(uint64_t id, uint32_t group, uint32_t len, uint32_t seed)
{
	struct dpu_abi_flow_op *op = (struct dpu_abi_flow_op *)buf;

	memset(op, 0, sizeof(*op));
	op->op = DPU_ABI_FLOW_ADD;
	op->len = (uint16_t)(sizeof(*op) + len);
	op->group = group;
	op->priority = seed % 7;
	op->id.lo = id;
	op->id.hi = id * 3;
	for (uint32_t i = 0; i < len; i++)
		buf[sizeof(*op) + i] = (uint8_t)(seed * 31 + i);
	return op;
}

static uint32_t len_of(uint64_t id)
{
	/* small, every class, and a few past the classes (malloc'd) */
	return id % 97 == 0 ? 1500 + (uint32_t)(id % 900) : (uint32_t)(id * 8 % 1000);
}

static void add_range(struct fw_flow_db *db, uint64_t from, uint64_t to, uint32_t seed)
{
	for (uint64_t id = from; id < to; id++) {
		const struct dpu_abi_flow_op *op = mk(id, (uint32_t)(id % 3), len_of(id), seed);
		struct fw_flow_db_pos pos;
		struct fw_flow *f;

		CHECK(fw_flow_db_lookup(db, &op->id, &pos) == NULL);
		f = fw_flow_from_op(db, op);
		CHECK(f != NULL);
		if (f)
			CHECK(fw_flow_db_insert_at(db, &pos, f) == 0);
	}
}

static void check_range(struct fw_flow_db *db, uint64_t from, uint64_t to, uint32_t seed)
{
	for (uint64_t id = from; id < to; id++) {
		const struct dpu_abi_flow_op *op = mk(id, (uint32_t)(id % 3), len_of(id), seed);
		struct fw_flow *f = fw_flow_db_find(db, &op->id);

		CHECK(f != NULL && fw_flow_same_rule(f, op));
	}
}

/*
 * A pos from lookup, then the db changes before insert_at: the record must
 * still land where find() looks. Ids are picked to share X's home slot
 * (a 16-slot db), so the change is in X's probe run: a delete before it
 * empties the slot find() stops at; an insert takes the slot pos named.
 */
static void stale_pos(void)
{
	struct fw_flow_db *db = fw_flow_db_create(8);
	struct fw_flow_db_pos px, py;
	uint64_t x = 5000, a = 0, y = 0;

	if (!db)
		return;
	CHECK(fw_flow_db_lookup(db, &mk(x, 0, 8, 1)->id, &px) == NULL);
	for (uint64_t id = x + 1; !y; id++) {
		CHECK(fw_flow_db_lookup(db, &mk(id, 0, 8, 1)->id, &py) == NULL);
		if (py.slot == px.slot)
			a ? (y = id) : (a = id);
	}
	/* delete case: A at X's home, X's pos is the next slot; A goes */
	CHECK(fw_flow_db_put(db, fw_flow_from_op(db, mk(a, 0, 8, 1))) == 0);
	CHECK(fw_flow_db_lookup(db, &mk(x, 0, 8, 1)->id, &px) == NULL && px.slot != py.slot);
	CHECK(fw_flow_db_remove(db, &mk(a, 0, 8, 1)->id) == 0);
	CHECK(fw_flow_db_insert_at(db, &px, fw_flow_from_op(db, mk(x, 0, 8, 1))) == 0);
	CHECK(fw_flow_db_find(db, &mk(x, 0, 8, 1)->id) != NULL);
	CHECK(fw_flow_db_remove(db, &mk(x, 0, 8, 1)->id) == 0);
	/* insert case: Y takes the slot X's pos named */
	CHECK(fw_flow_db_lookup(db, &mk(x, 0, 8, 1)->id, &px) == NULL);
	CHECK(fw_flow_db_put(db, fw_flow_from_op(db, mk(y, 0, 8, 1))) == 0);
	CHECK(fw_flow_db_insert_at(db, &px, fw_flow_from_op(db, mk(x, 0, 8, 1))) == 0);
	CHECK(fw_flow_db_find(db, &mk(x, 0, 8, 1)->id) != NULL);
	CHECK(fw_flow_db_find(db, &mk(y, 0, 8, 1)->id) != NULL);
	CHECK(fw_flow_db_count(db) == 2);
	fw_flow_db_destroy(db);
}

int main(void)
{
	struct fw_flow_db *db = fw_flow_db_create(100000);
	struct fw_flow *f;
	uint64_t small;

	CHECK(db != NULL);
	if (!db)
		return 1;
	add_range(db, 1, 50001, 1);
	CHECK(fw_flow_db_count(db) == 50000);
	check_range(db, 1, 50001, 1);
	CHECK(fw_flow_db_record_bytes(db) > 50000ull * 56);

	/* replace (MODIFY) half of them with other sizes: old records recycled */
	for (uint64_t id = 1; id < 50001; id += 2) {
		const struct dpu_abi_flow_op *op = mk(id, (uint32_t)(id % 3), len_of(id), 2);

		f = fw_flow_from_op(db, op);
		CHECK(f != NULL && fw_flow_db_put(db, f) == 0);
	}
	for (uint64_t id = 1; id < 50001; id++) {
		const struct dpu_abi_flow_op *op = mk(id, (uint32_t)(id % 3), len_of(id), id % 2 ? 2 : 1);

		f = fw_flow_db_find(db, &op->id);
		CHECK(f != NULL && fw_flow_same_rule(f, op));
	}

	/* a record that never goes in is given back */
	f = fw_flow_from_op(db, mk(999999, 0, 40, 3));
	CHECK(f != NULL);
	fw_flow_free(db, f);

	/* flush one group, delete the rest one by one: the store empties */
	CHECK(fw_flow_db_flush(db, 1, NULL, NULL) > 0);
	for (uint64_t id = 1; id < 50001; id++) {
		struct dpu_abi_flow_id fid = { .lo = id, .hi = id * 3 };

		CHECK(fw_flow_db_remove(db, &fid) == (id % 3 == 1 ? -ENOENT : 0));
	}
	CHECK(fw_flow_db_count(db) == 0);
	small = fw_flow_db_record_bytes(db);
	CHECK(small <= 64 << 10); /* an empty store gives its chunks back */

	/* and fills again */
	add_range(db, 100, 20100, 4);
	check_range(db, 100, 20100, 4);
	CHECK(fw_flow_db_flush(db, DPU_ABI_GROUP_ALL, NULL, NULL) == 20000);
	CHECK(fw_flow_db_count(db) == 0 && fw_flow_db_record_bytes(db) == small);
	add_range(db, 7, 1007, 5);
	check_range(db, 7, 1007, 5);
	fw_flow_db_destroy(db); /* with records in: ASan/LSan sees no leak */
	stale_pos();
	printf("%s\n", failed ? "FAIL" : "ok");
	return failed ? 1 : 0;
}
