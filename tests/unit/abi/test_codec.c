/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Codec unit test: every sample message round-trips, and every class of
 * malformed input is rejected with its own status and a field path that
 * names the culprit. Prints what it checks; exits 1 on any failure.
 */
#include <arpa/inet.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec_samples.h"
#include "dpu_abi.h"

static int n_fail, n_ok;

#define CHECK(cond, ...)                                                       \
	do {                                                                   \
		if (!(cond)) {                                                 \
			n_fail++;                                              \
			printf("FAIL %s:%d: ", __FILE__, __LINE__);            \
			printf(__VA_ARGS__);                                   \
			printf("\n");                                          \
		} else {                                                       \
			n_ok++;                                                \
		}                                                              \
	} while (0)

#define BUFSZ (64 * 1024)
static uint8_t msg[BUFSZ] __attribute__((aligned(64)));
static uint8_t ref[BUFSZ] __attribute__((aligned(64)));
static int msg_len;

static const struct dpu_abi_peer card = { DPU_ABI_ROLE_CARD, 0, 0 };
static const struct dpu_abi_peer host = { DPU_ABI_ROLE_HOST, 0, 0 };

static struct dpu_abi_hdr *H(void)
{
	return (struct dpu_abi_hdr *)msg;
}

static void *body(void)
{
	return msg + sizeof(struct dpu_abi_hdr);
}

/* Run the checker; the status must be st and the path must contain field. */
static void expect_at(int line, const void *m, size_t len,
		      const struct dpu_abi_peer *p, int st, const char *field,
		      const char *what)
{
	struct dpu_abi_error e;
	int r;

	memset(&e, 0, sizeof(e));
	r = dpu_abi_check(m, len, p, &e);
	if (r != -st || (st && field && !strstr(e.field, field)) ||
	    (st && (int)e.status != st)) {
		n_fail++;
		printf("FAIL line %d %s: want %s at \"%s\", got %s (%d) \"%s\"\n",
		       line, what, dpu_abi_status_name((uint16_t)st),
		       field ? field : "", dpu_abi_status_name((uint16_t)-r), r,
		       r ? e.msg : "");
		return;
	}
	n_ok++;
	if (st)
		printf("ok   %-34s %-12s @%-5u %s\n", what,
		       dpu_abi_status_name((uint16_t)st), e.offset, e.msg);
}
#define EXPECT(p, st, field, what)                                             \
	expect_at(__LINE__, msg, (size_t)msg_len, p, DPU_ABI_##st, field, what)
#define EXPECT_OK(p, what) expect_at(__LINE__, msg, (size_t)msg_len, p, 0, NULL, what)

/* Rebuild the pristine message before each mutation. */
static void reset(void)
{
	memcpy(msg, ref, (size_t)msg_len);
}

static int load_sample_named(const char *name, const struct dpu_abi_peer **p)
{
	struct dpu_abi_sample s;
	unsigned i;

	for (i = 0; dpu_abi_sample(i, ref, sizeof(ref), &s); i++)
		if (!strcmp(s.name, name)) {
			msg_len = s.len;
			*p = s.role == DPU_ABI_ROLE_CARD ? &card : &host;
			reset();
			return 1;
		}
	printf("FAIL no sample %s\n", name);
	n_fail++;
	exit(1);
}

/* ------------------------------------------------------------------ */

static void test_roundtrip(void)
{
	struct dpu_abi_sample s;
	unsigned i, n_req = 0, n_resp = 0, n_evt = 0;

	printf("== round trip of every sample\n");
	for (i = 0; dpu_abi_sample(i, msg, sizeof(msg), &s); i++) {
		const struct dpu_abi_peer *p = s.role == DPU_ABI_ROLE_CARD ?
						       &card : &host;
		struct dpu_abi_error e;
		int r;

		CHECK(s.len > 0, "%s: build failed %d", s.name, s.len);
		if (s.len <= 0)
			continue;
		r = dpu_abi_check(msg, (size_t)s.len, p, &e);
		CHECK(r == 0, "%s: check %s: %s", s.name,
		      dpu_abi_status_name((uint16_t)-r), e.msg);
		CHECK(strcmp(dpu_abi_opcode_name(H()->opcode), "?"),
		      "%s: no name", s.name);
		CHECK(H()->length == (uint32_t)s.len && H()->magic == DPU_ABI_MAGIC,
		      "%s: header", s.name);
		if (s.body) {
			size_t pad = (8 - s.body_len % 8) % 8;

			CHECK(dpu_abi_body_len(H()) == s.body_len + pad &&
				      !memcmp(body(), s.body, s.body_len),
			      "%s: body differs after encode", s.name);
		}
		if (strstr(s.name, ".req"))
			n_req++;
		else if (strstr(s.name, ".evt"))
			n_evt++;
		else
			n_resp++;
		if (r == 0)
			printf("ok   %-34s %5d bytes\n", s.name, s.len);
	}
	CHECK(n_req >= 31 && n_resp >= 31 && n_evt == 5,
	      "catalogue %u req %u resp %u evt", n_req, n_resp, n_evt);
}

/* Walk a checked batch with the iterators and compare with what was built. */
static void test_flow_readback(void)
{
	const struct dpu_abi_flow_op *op;
	unsigned i, n = 0;

	printf("== flow batch read back through the iterators\n");
	msg_len = dpu_abi_sample_flow_add(msg, sizeof(msg), 64);
	CHECK(dpu_abi_check(msg, (size_t)msg_len, &card, NULL) == 0, "typical64");
	op = dpu_abi_flow_batch_first(H());
	for (i = 0; i < 64; i++, op = dpu_abi_flow_op_next(op)) {
		const struct dpu_abi_item_hdr *it = dpu_abi_flow_op_first_item(op);
		const struct dpu_abi_action_hdr *a = dpu_abi_flow_op_first_action(op);
		const struct dpu_abi_item_eth *es, *em;
		const struct dpu_abi_item_ipv4 *is;
		const struct dpu_abi_act_port *out;

		CHECK(op->op == DPU_ABI_FLOW_ADD && op->id.lo == i + 1 &&
			      op->id.hi == 0xabcd && op->priority == 10 &&
			      op->n_items == 4 && op->n_actions == 1 + (i & 1),
		      "op %u header", i);
		CHECK(it->type == DPU_ABI_ITEM_PORT, "op %u item 0", i);
		it = dpu_abi_item_next(it);
		es = dpu_abi_item_spec(it);
		em = dpu_abi_item_mask(it);
		CHECK(it->type == DPU_ABI_ITEM_ETH &&
			      es->ether_type == htons(0x0800) &&
			      em->ether_type == 0xffff && es->dst[5] == (uint8_t)i,
		      "op %u eth", i);
		it = dpu_abi_item_next(it);
		is = dpu_abi_item_spec(it);
		CHECK(it->type == DPU_ABI_ITEM_IPV4 && is->proto == 6 &&
			      is->src[3] == (uint8_t)i,
		      "op %u ipv4", i);
		it = dpu_abi_item_next(it);
		CHECK(it->type == DPU_ABI_ITEM_TCP, "op %u tcp", i);
		if (i & 1) {
			const struct dpu_abi_act_vlan *v = (const void *)a;

			CHECK(a->type == DPU_ABI_ACT_VLAN_PUSH &&
				      v->tci == htons(100),
			      "op %u push", i);
			a = dpu_abi_action_next(a);
		}
		out = (const void *)a;
		CHECK(a->type == DPU_ABI_ACT_OUTPUT && out->port_id == 2,
		      "op %u output", i);
		n++;
	}
	CHECK((const uint8_t *)op == msg + msg_len, "ops end at the message end");
	printf("ok   64 ops, items and actions read back\n");

	/* every type: names and sizes known */
	msg_len = dpu_abi_sample_flow_all(msg, sizeof(msg));
	CHECK(dpu_abi_check(msg, (size_t)msg_len, &card, NULL) == 0, "flow_all");
	for (i = 1; i < DPU_ABI_ITEM_TYPE_MAX; i++)
		CHECK(dpu_abi_item_spec_size((uint16_t)i) &&
			      strcmp(dpu_abi_item_name((uint16_t)i), "?"),
		      "item %u", i);
	for (i = 1; i < DPU_ABI_ACT_TYPE_MAX; i++)
		CHECK(dpu_abi_action_size((uint16_t)i) % 8 == 0 &&
			      dpu_abi_action_size((uint16_t)i) &&
			      strcmp(dpu_abi_action_name((uint16_t)i), "?"),
		      "action %u", i);
	CHECK(!dpu_abi_item_spec_size(0) && !dpu_abi_action_size(99) &&
		      !strcmp(dpu_abi_opcode_name(0x7777), "?"),
	      "unknown types");
	(void)n;
}

/* ------------------------------------------------------------------ */

static void test_header(void)
{
	const struct dpu_abi_peer *p;
	struct dpu_abi_peer small = { DPU_ABI_ROLE_CARD, 0, 64 };
	struct dpu_abi_peer newer = { DPU_ABI_ROLE_CARD, 0, 0 };
	uint8_t *odd;

	printf("== header\n");
	load_sample_named("keepalive.req", &p);
	EXPECT_OK(p, "keepalive ok");
	expect_at(__LINE__, msg, 31, p, DPU_ABI_E_TRUNCATED, "hdr", "31 bytes");
	expect_at(__LINE__, msg, 0, p, DPU_ABI_E_TRUNCATED, "hdr", "0 bytes");
	expect_at(__LINE__, NULL, 0, p, DPU_ABI_E_TRUNCATED, "hdr", "NULL");
	expect_at(__LINE__, msg, 40, p, DPU_ABI_E_TRUNCATED, "hdr.length",
		  "length > frame");
	H()->magic ^= 1;
	EXPECT(p, E_MAGIC, "hdr.magic", "magic");
	reset();
	H()->ver_major = 2;
	EXPECT(p, E_VERSION, "hdr.ver_major", "major 2");
	reset();
	H()->ver_minor = 1;
	EXPECT(p, E_VERSION, "hdr.ver_minor", "minor above negotiated");
	reset();
	memset(msg + msg_len, 0, 8);
	expect_at(__LINE__, msg, (size_t)msg_len + 8, p, DPU_ABI_E_LENGTH,
		  "hdr.length", "length < frame");
	H()->length = (uint32_t)msg_len + 4;
	expect_at(__LINE__, msg, (size_t)msg_len + 4, p, DPU_ABI_E_ALIGN,
		  "hdr.length", "length % 8");
	reset();
	expect_at(__LINE__, msg, (size_t)msg_len, &small, 0, NULL, "fits 64");
	load_sample_named("hello.req", &p);
	expect_at(__LINE__, msg, (size_t)msg_len, &small, DPU_ABI_E_TOO_BIG,
		  "hdr.length", "over peer max");
	H()->reserved = 1;
	EXPECT(p, E_RESERVED, "hdr.reserved", "hdr reserved");
	reset();
	H()->flags = 0x10;
	EXPECT(p, E_FLAGS, "hdr.flags", "undefined flag");
	H()->flags = DPU_ABI_F_RESPONSE | DPU_ABI_F_EVENT;
	EXPECT(p, E_FLAGS, "hdr.flags", "RESPONSE|EVENT");
	EXPECT(&host, E_FLAGS, "hdr.flags", "RESPONSE|EVENT at host");
	H()->flags = DPU_ABI_F_MORE;
	EXPECT(p, E_FLAGS, "hdr.flags", "MORE on request");
	reset();
	H()->opcode = 0x0206;
	EXPECT(p, E_OPCODE, "hdr.opcode", "unknown opcode");
	H()->opcode = 0;
	EXPECT(p, E_OPCODE, "hdr.opcode", "opcode 0");
	H()->opcode = 0xffff;
	EXPECT(p, E_OPCODE, "hdr.opcode", "opcode 0xffff");
	reset();
	H()->status = DPU_ABI_E_BUSY;
	EXPECT(p, E_STATUS, "hdr.status", "status on request");
	reset();
	H()->flags = DPU_ABI_F_RESPONSE;
	EXPECT(p, E_OPCODE, "hdr.opcode", "response sent to card");
	reset();
	EXPECT(&host, E_OPCODE, "hdr.opcode", "request sent to host");
	/* unaligned buffer */
	odd = malloc((size_t)msg_len + 1);
	memcpy(odd + 1, msg, (size_t)msg_len);
	expect_at(__LINE__, odd + 1, (size_t)msg_len, p, DPU_ABI_E_ALIGN, "hdr",
		  "unaligned buffer");
	free(odd);

	/* HELLO body version rules */
	{
		struct dpu_abi_hello_req *r = body();

		r->ver_major = 2;
		EXPECT(p, E_VERSION, "hello.ver_major", "hello body major");
		reset();
		r->ver_minor = 3;
		EXPECT(p, E_CONFLICT, "hello.ver_minor", "hello minor mismatch");
		reset();
		/* a newer host: minor 1, 8 more bytes of body, unknown feature */
		H()->ver_minor = 1;
		r->ver_minor = 1;
		r->features |= 1ull << 40;
		memset(msg + msg_len, 0xee, 8);
		H()->length += 8;
		expect_at(__LINE__, msg, (size_t)msg_len + 8, &newer, 0, NULL,
			  "newer HELLO, longer body");
		H()->ver_minor = 0, r->ver_minor = 0;
		expect_at(__LINE__, msg, (size_t)msg_len + 8, &newer,
			  DPU_ABI_E_LENGTH, "hello", "same minor, longer body");
		reset();
		r->features |= 1ull << 40;
		EXPECT(p, E_FLAGS, "hello.features", "unknown feature, same minor");
		reset();
		r->max_msg_len = 100;
		EXPECT(p, E_RANGE, "hello.max_msg_len", "hello max_msg_len");
		reset();
		r->host_name[31] = 'x';
		memset(r->host_name, 'a', 32);
		EXPECT(p, E_STRING, "hello.host_name", "unterminated string");
		reset();
		r->host_name[2] = '\n';
		EXPECT(p, E_STRING, "hello.host_name", "non-printable");
		reset();
		r->host_name[20] = 'z';
		EXPECT(p, E_STRING, "hello.host_name", "garbage after NUL");
		reset();
		r->reserved0 = 1;
		EXPECT(p, E_RESERVED, "hello.reserved0", "hello reserved0");
		reset();
	}
}

static void test_host_side(void)
{
	const struct dpu_abi_peer *p;

	printf("== host side: responses and events\n");
	load_sample_named("evt_port_state.evt", &p);
	EXPECT_OK(p, "event ok");
	EXPECT(&card, E_OPCODE, "hdr.opcode", "event sent to card");
	H()->status = 1;
	EXPECT(p, E_STATUS, "hdr.status", "status on event");
	reset();
	H()->flags = DPU_ABI_F_RESPONSE;
	EXPECT(p, E_OPCODE, "hdr.opcode", "EVT opcode as response");
	reset();
	H()->flags = 0;
	EXPECT(&card, E_OPCODE, "hdr.opcode", "EVT opcode as request");
	reset();
	((struct dpu_abi_evt_port_state *)body())->oper_up = 2;
	EXPECT(p, E_RANGE, "evt_port_state.oper_up", "event field range");

	load_sample_named("keepalive.resp", &p);
	H()->flags = DPU_ABI_F_EVENT;
	EXPECT(p, E_OPCODE, "hdr.opcode", "request opcode as event");
	reset();
	H()->flags |= DPU_ABI_F_MORE;
	EXPECT(p, E_FLAGS, "hdr.flags", "MORE on non-list response");
	reset();
	H()->status = 40;
	EXPECT(p, E_LENGTH, "error_body", "proto error w/o error body");
	H()->status = 99;
	EXPECT(p, E_ENUM, "hdr.status", "unknown status");
	H()->status = DPU_ABI_E_PARTIAL;
	EXPECT(p, E_STATUS, "hdr.status", "E_PARTIAL on non-batch");
	H()->status = DPU_ABI_E_BUSY;
	EXPECT(p, E_LENGTH, "keepalive_resp", "semantic failure with body");
	reset();
	((struct dpu_abi_keepalive_resp *)body())->health = 0x100;
	EXPECT(p, E_FLAGS, "keepalive_resp.health", "health flags");

	load_sample_named("flow_batch.resp.error", &p);
	EXPECT_OK(p, "error response");
	{
		struct dpu_abi_error_body *eb = body();

		CHECK(H()->req_id == 77 && H()->opcode == DPU_ABI_OP_FLOW_BATCH &&
			      eb->offset == 44 &&
			      !strcmp(eb->detail,
				      "flow_batch.ops[0].op: 9 not in 1..4"),
		      "error echo");
		eb->detail[119] = 'x';
		EXPECT(p, E_STRING, "error_body.detail", "error detail unterminated");
		reset();
		eb->reserved = 1;
		EXPECT(p, E_RESERVED, "error_body.reserved", "error body reserved");
		reset();
		H()->opcode = 0x7777;
		EXPECT_OK(p, "error response, unknown opcode echoed");
	}
	load_sample_named("sa_del.resp.not_found", &p);
	EXPECT_OK(p, "semantic failure, empty");
	load_sample_named("flow_batch.resp.partial", &p);
	EXPECT_OK(p, "partial batch");
	{
		struct dpu_abi_flow_batch_resp *r = body();
		struct dpu_abi_flow_result *x = (void *)(r + 1);

		r->n_failed = 0;
		EXPECT(p, E_CONFLICT, "flow_batch_resp.n_failed", "n_failed lies");
		reset();
		r->n_results = 3;
		EXPECT(p, E_COUNT, "flow_batch_resp.n_results", "results past body");
		reset();
		x[1].status = 30;
		EXPECT(p, E_ENUM, "results[1].status", "result status");
		reset();
		x[0].op = 9;
		EXPECT(p, E_ENUM, "results[0].op", "result op");
		reset();
		H()->length = 32;
		expect_at(__LINE__, msg, 32, p, DPU_ABI_E_LENGTH, "flow_batch_resp",
			  "E_PARTIAL without results");
		reset();
	}
	load_sample_named("flow_list.resp.more", &p);
	EXPECT_OK(p, "MORE on a list");
	H()->status = DPU_ABI_E_BUSY;
	EXPECT(p, E_FLAGS, "hdr.flags", "MORE on a failure");
	reset();
	load_sample_named("flow_list.resp", &p);
	{
		struct dpu_abi_list_resp *l = body();

		l->count = 4;
		EXPECT(p, E_COUNT, "flow_list_resp.count", "list count past body");
		l->count = 0x40000000;
		EXPECT(p, E_COUNT, "flow_list_resp.count", "list count overflow");
		l->count = 2;
		EXPECT(p, E_LENGTH, "flow_list_resp", "list trailing bytes");
		reset();
		l->total = 1;
		EXPECT(p, E_CONFLICT, "flow_list_resp.count", "count > total");
	}
	load_sample_named("port_list.resp", &p);
	{
		struct dpu_abi_port_info *pi = (void *)((uint8_t *)body() + 8);

		pi[1].kind = 4;
		EXPECT(p, E_ENUM, "port_list_resp.entries[1].kind", "port kind");
		reset();
		pi[0].reserved3 = 1;
		EXPECT(p, E_RESERVED, "entries[0].reserved3", "port reserved3");
		reset();
		pi[0].name[0] = 0;
		EXPECT(p, E_STRING, "entries[0].name", "empty port name");
		reset();
	}
	load_sample_named("hello.resp", &p);
	{
		struct dpu_abi_hello_resp *r = body();

		r->ver_minor = 1;
		EXPECT(p, E_VERSION, "hello_resp.ver_minor", "agreed minor too high");
		reset();
		r->caps.max_batch = 0;
		EXPECT(p, E_RANGE, "hello_resp.caps.max_batch", "caps max_batch");
		reset();
		r->caps.item_types |= 1;
		EXPECT(p, E_FLAGS, "hello_resp.caps.item_types", "item type 0 bit");
		reset();
	}
	load_sample_named("card_reset.resp", &p);
	((struct dpu_abi_card_reset_resp *)body())->new_epoch = 3;
	EXPECT(p, E_CONFLICT, "card_reset_resp.new_epoch", "epoch unchanged");
	load_sample_named("evt_error.evt", &p);
	((struct dpu_abi_evt_error *)body())->text[3] = 0x7f;
	EXPECT(p, E_STRING, "evt_error.text", "event text");
	reset();
	((struct dpu_abi_evt_error *)body())->domain = 7;
	EXPECT(p, E_ENUM, "evt_error.domain", "event domain");
	load_sample_named("evt_flow_aged.evt", &p);
	((struct dpu_abi_evt_flow_aged *)body())->count = 3;
	EXPECT(p, E_COUNT, "evt_flow_aged.count", "aged ids past body");
	load_sample_named("sa_query.resp", &p);
	((struct dpu_abi_sa_stats *)body())->hard_expired = 2;
	EXPECT(p, E_RANGE, "sa_query_resp.hard_expired", "sa stats");
}

/* ------------------------------------------------------------------ */

static void test_bodies(void)
{
	const struct dpu_abi_peer *p;

	printf("== request bodies\n");
	load_sample_named("card_reset.req", &p);
	((struct dpu_abi_card_reset_req *)body())->kind = 2;
	EXPECT(p, E_ENUM, "card_reset.kind", "reset kind");
	reset();
	((struct dpu_abi_card_reset_req *)body())->reserved = 1;
	EXPECT(p, E_RESERVED, "card_reset.reserved", "reset reserved");
	reset();
	H()->length -= 8;
	expect_at(__LINE__, msg, (size_t)msg_len - 8, p, DPU_ABI_E_LENGTH,
		  "card_reset", "body too short");

	load_sample_named("port_config.req", &p);
	{
		struct dpu_abi_port_config_req *r = body();

		r->mtu = 50;
		EXPECT(p, E_RANGE, "port_config.mtu", "mtu 50");
		r->mtu = 9217;
		EXPECT(p, E_RANGE, "port_config.mtu", "mtu 9217");
		reset();
		r->set = 8;
		EXPECT(p, E_FLAGS, "port_config.set", "set bits");
		reset();
		r->mac[0] = 1;
		EXPECT(p, E_RANGE, "port_config.mac", "multicast mac");
		reset();
		r->set = DPU_ABI_PORT_SET_STATE;
		EXPECT(p, E_CONFLICT, "port_config.mtu", "mtu without SET_MTU");
		reset();
		r->admin_up = 2;
		EXPECT(p, E_RANGE, "port_config.admin_up", "admin_up 2");
		reset();
		r->reserved[6] = 1;
		EXPECT(p, E_RESERVED, "port_config.reserved", "reserved[6]");
		reset();
	}
	load_sample_named("port_stats.req", &p);
	{
		struct dpu_abi_port_stats_req *r = body();

		r->count = 5;
		EXPECT(p, E_COUNT, "port_stats.count", "port ids past body");
		reset();
		r->port_ids[3] = 1;
		EXPECT(p, E_RESERVED, "port_stats.pad", "array pad");
		reset();
	}
	load_sample_named("flow_flush.req", &p);
	((struct dpu_abi_flow_flush_req *)body())->group = 0xffff;
	EXPECT(p, E_RANGE, "flow_flush.group", "flush group");
	load_sample_named("acl_batch.req", &p);
	{
		struct dpu_abi_acl_rule *a = (void *)((uint8_t *)body() + 8);

		((struct dpu_abi_acl_batch_req *)body())->n_rules = 0;
		H()->length = 40;
		expect_at(__LINE__, msg, 40, p, DPU_ABI_E_RANGE,
			  "acl_batch.n_rules", "zero rules");
		reset();
		a[0].src[3] = 1;
		EXPECT(p, E_MASK, "acl_batch.rules[0].src", "bits past prefix");
		reset();
		a[0].src_plen = 33;
		EXPECT(p, E_RANGE, "rules[0].src_plen", "v4 plen 33");
		reset();
		a[1].dst_plen = 129;
		EXPECT(p, E_RANGE, "rules[1].dst_plen", "v6 plen 129");
		reset();
		a[0].sport_lo = 10, a[0].sport_hi = 9;
		EXPECT(p, E_RANGE, "rules[0].sport_lo", "port range lo>hi");
		reset();
		a[1].verdict = 4;
		EXPECT(p, E_ENUM, "rules[1].verdict", "verdict");
		reset();
		a[0].ip_version = 5;
		EXPECT(p, E_ENUM, "rules[0].ip_version", "acl ip_version");
		reset();
		a[0].src[8] = 1, a[0].src_plen = 24;
		EXPECT(p, E_CONFLICT, "rules[0].src", "v4 with v6 bytes");
		reset();
		a[0].proto_mask = 0;
		EXPECT(p, E_MASK, "rules[0].proto", "proto without mask");
		reset();
		a[1].zone = 3;
		EXPECT(p, E_CONFLICT, "rules[1].zone", "zone w/o track");
		reset();
	}
	load_sample_named("ct_zone_set.req", &p);
	((struct dpu_abi_ct_zone *)body())->timeouts[11] = 8 * 86400;
	EXPECT(p, E_RANGE, "ct_zone_set.timeouts", "ct timeout");
	reset();
	((struct dpu_abi_ct_zone *)body())->reserved = 1;
	EXPECT(p, E_RESERVED, "ct_zone_set.reserved", "ct zone reserved");
	load_sample_named("ct_flush.req", &p);
	((struct dpu_abi_ct_zone_ref *)body())->zone = 4;
	EXPECT(p, E_CONFLICT, "ct_flush.zone", "zone + ALL_ZONES");
	load_sample_named("sa_add.req", &p);
	{
		struct dpu_abi_sa *s = body();

		s->key[20] = 1;
		EXPECT(p, E_RANGE, "sa_add.key", "key longer than alg");
		reset();
		s->alg = 0;
		EXPECT(p, E_ENUM, "sa_add.alg", "alg 0");
		reset();
		s->spi = 0;
		EXPECT(p, E_RANGE, "sa_add.spi", "spi 0");
		reset();
		s->src[4] = 1;
		EXPECT(p, E_CONFLICT, "sa_add.src", "v4 sa address tail");
		reset();
		s->soft_bytes = 3000;
		EXPECT(p, E_RANGE, "sa_add.soft_bytes", "soft > hard");
		reset();
		s->flags = DPU_ABI_SAF_ESN;
		EXPECT(p, E_CONFLICT, "sa_add.encap_sport", "encap w/o UDP_ENCAP");
		reset();
		s->replay_window = 5000;
		EXPECT(p, E_RANGE, "sa_add.replay_window", "replay window");
		reset();
		s->reserved2 = 1;
		EXPECT(p, E_RESERVED, "sa_add.reserved2", "sa reserved2");
		reset();
	}
	load_sample_named("sp_add.req", &p);
	{
		struct dpu_abi_sp *s = body();

		s->sa_id = 0;
		EXPECT(p, E_CONFLICT, "sp_add.sa_id", "PROTECT with sa_id 0");
		reset();
		s->action = DPU_ABI_SP_BYPASS;
		EXPECT(p, E_CONFLICT, "sp_add.sa_id", "BYPASS with sa_id");
		reset();
		s->action = 3;
		EXPECT(p, E_ENUM, "sp_add.action", "sp action");
		reset();
		s->dport_lo = 2, s->dport_hi = 1;
		EXPECT(p, E_RANGE, "sp_add.dport_lo", "sp port range");
		reset();
	}
	load_sample_named("sa_del.req", &p);
	((struct dpu_abi_id_ref *)body())->id = 0;
	EXPECT(p, E_RANGE, "sa_del.id", "id 0");
	load_sample_named("nvmf_subsys_add.req", &p);
	{
		struct dpu_abi_nvmf_subsys *s = body();

		memcpy(s->nqn, "nqX", 3);
		EXPECT(p, E_STRING, "nvmf_subsys_add.nqn", "nqn prefix");
		reset();
		s->n_hosts = 1;
		EXPECT(p, E_RESERVED, "nvmf_subsys_add.n_hosts", "list-only count");
		reset();
		memset(s->serial, 'S', 20);
		EXPECT(p, E_STRING, "nvmf_subsys_add.serial", "serial unterminated");
		reset();
	}
	load_sample_named("nvmf_ns_add.req", &p);
	{
		struct dpu_abi_nvmf_ns *n = body();

		n->block_shift = 13;
		EXPECT(p, E_RANGE, "nvmf_ns_add.block_shift", "block_shift 13");
		reset();
		n->nsid = 0;
		EXPECT(p, E_RANGE, "nvmf_ns_add.nsid", "nsid 0");
		n->nsid = 0xffffffff;
		EXPECT(p, E_RANGE, "nvmf_ns_add.nsid", "nsid broadcast");
		reset();
		n->backend = 3;
		EXPECT(p, E_ENUM, "nvmf_ns_add.backend", "backend");
		reset();
		n->size_bytes = 1000;
		EXPECT(p, E_RANGE, "nvmf_ns_add.size_bytes", "size not blocks");
		reset();
		strcpy(n->path, "/tmp/x");
		EXPECT(p, E_CONFLICT, "nvmf_ns_add.path", "path on RAM");
		reset();
		n->backend = DPU_ABI_NVMF_BDEV_FILE;
		EXPECT(p, E_STRING, "nvmf_ns_add.path", "FILE without path");
		reset();
	}
	load_sample_named("nvmf_subsys_del.req", &p);
	((struct dpu_abi_nvmf_subsys_ref *)body())->list.max = 1;
	EXPECT(p, E_RESERVED, "nvmf_subsys_del.list", "del with list");
	load_sample_named("nvmf_listener_add.req", &p);
	((struct dpu_abi_nvmf_listener *)body())->adrfam = 3;
	EXPECT(p, E_ENUM, "nvmf_listener_add.adrfam", "adrfam");
	reset();
	((struct dpu_abi_nvmf_listener *)body())->port = 0;
	EXPECT(p, E_RANGE, "nvmf_listener_add.port", "port 0");
	load_sample_named("nvmf_host_add.req", &p);
	((struct dpu_abi_nvmf_host *)body())->host_nqn[0] = 0;
	EXPECT(p, E_STRING, "nvmf_host_add.host_nqn", "empty host nqn");
}

/* ------------------------------------------------------------------ */

/* Pointers into the typical 2-op batch (op 1 has VLAN_PUSH + OUTPUT). */
static struct dpu_abi_flow_op *OP(unsigned i)
{
	const struct dpu_abi_flow_op *op = dpu_abi_flow_batch_first(H());

	while (i--)
		op = dpu_abi_flow_op_next(op);
	return (struct dpu_abi_flow_op *)op;
}

static void *ITEM(unsigned o, unsigned i)
{
	const struct dpu_abi_item_hdr *it = dpu_abi_flow_op_first_item(OP(o));

	while (i--)
		it = dpu_abi_item_next(it);
	return (void *)it;
}

static void *ACT(unsigned o, unsigned i)
{
	const struct dpu_abi_action_hdr *a = dpu_abi_flow_op_first_action(OP(o));

	while (i--)
		a = dpu_abi_action_next(a);
	return (void *)a;
}

static void *SPEC(unsigned o, unsigned i)
{
	return (void *)dpu_abi_item_spec(ITEM(o, i));
}

static void *MASK(unsigned o, unsigned i)
{
	return (void *)dpu_abi_item_mask(ITEM(o, i));
}

static void test_flow_batch(void)
{
	const struct dpu_abi_peer *p;
	struct dpu_abi_flow_batch_req *br;
	uint8_t tmp[16];

	printf("== flow batch\n");
	load_sample_named("flow_batch.req", &p);
	EXPECT_OK(p, "flow batch ok");
	br = body();
	br->n_ops = 0;
	EXPECT(p, E_RANGE, "flow_batch.n_ops", "n_ops 0");
	br->n_ops = 3;
	EXPECT(p, E_COUNT, "flow_batch.n_ops", "n_ops past body");
	br->n_ops = 1;
	EXPECT(p, E_LENGTH, "flow_batch", "bytes after the last op");
	reset();
	br->reserved = 1;
	EXPECT(p, E_RESERVED, "flow_batch.reserved", "batch reserved");
	reset();
	OP(1)->len += 8;
	EXPECT(p, E_LENGTH, "flow_batch.ops[1].len", "op len past body");
	reset();
	OP(1)->len = 36;
	EXPECT(p, E_ALIGN, "flow_batch.ops[1].len", "op len % 8");
	OP(1)->len = 24;
	EXPECT(p, E_LENGTH, "flow_batch.ops[1].len", "op len < 32");
	reset();
	OP(1)->len = 32 + 16 + 40;
	EXPECT(p, E_COUNT, "ops[1].n_items", "items past op");
	OP(1)->len = 32 + 16 + 8;
	EXPECT(p, E_LENGTH, "ops[1].items[1].len", "item len past op");
	reset();
	OP(1)->op = 0;
	EXPECT(p, E_ENUM, "ops[1].op", "op kind 0");
	OP(1)->op = 5;
	EXPECT(p, E_ENUM, "ops[1].op", "op kind 5");
	reset();
	OP(0)->flags = 0x80;
	EXPECT(p, E_FLAGS, "ops[0].flags", "op flags");
	OP(0)->flags = DPU_ABI_FLOWF_QUERY_RESET;
	EXPECT(p, E_FLAGS, "ops[0].flags", "QUERY_RESET on ADD");
	reset();
	OP(1)->reserved = 1;
	EXPECT(p, E_RESERVED, "ops[1].reserved", "op reserved");
	reset();
	OP(1)->group = 0xffff;
	EXPECT(p, E_RANGE, "ops[1].group", "group");
	reset();
	OP(1)->priority = 0x10000;
	EXPECT(p, E_RANGE, "ops[1].priority", "priority");
	reset();
	OP(1)->n_items = 20;
	EXPECT(p, E_RANGE, "ops[1].n_items", "n_items > max");
	reset();
	OP(1)->n_actions = 17;
	EXPECT(p, E_RANGE, "ops[1].n_actions", "n_actions > max");
	OP(1)->n_actions = 3;
	EXPECT(p, E_COUNT, "ops[1].n_actions", "actions past op");
	OP(1)->n_actions = 1;
	EXPECT(p, E_CONFLICT, "ops[1].n_actions", "push without fate");
	OP(1)->n_actions = 0;
	EXPECT(p, E_CONFLICT, "ops[1].n_actions", "ADD without actions");
	reset();
	OP(1)->op = DPU_ABI_FLOW_DELETE;
	EXPECT(p, E_CONFLICT, "ops[1].n_items", "DELETE with items");
	reset();

	/* items */
	((struct dpu_abi_item_hdr *)ITEM(1, 1))->type = 0;
	EXPECT(p, E_ENUM, "ops[1].items[1].type", "item type 0");
	((struct dpu_abi_item_hdr *)ITEM(1, 1))->type = 99;
	EXPECT(p, E_ENUM, "ops[1].items[1].type", "item type 99");
	reset();
	((struct dpu_abi_item_hdr *)ITEM(1, 1))->len = 48;
	EXPECT(p, E_SIZE, "ops[1].items[1].len", "item len wrong");
	reset();
	((struct dpu_abi_item_hdr *)ITEM(1, 2))->reserved = 1;
	EXPECT(p, E_RESERVED, "ops[1].items[2].reserved", "item hdr reserved");
	reset();
	((struct dpu_abi_item_hdr *)ITEM(1, 3))->type = DPU_ABI_ITEM_TAG;
	EXPECT(p, E_ORDER, "ops[1].items[3].type", "descending items");
	reset();
	((struct dpu_abi_item_hdr *)ITEM(0, 0))->type = DPU_ABI_ITEM_UDP;
	EXPECT(p, E_ORDER, "ops[0].items[1].type", "ETH after UDP");
	reset();
	((struct dpu_abi_item_ipv4 *)SPEC(1, 2))->tos = 4;
	EXPECT(p, E_MASK, "ops[1].items[2].spec.tos", "spec outside mask");
	reset();
	((struct dpu_abi_item_ipv4 *)MASK(1, 2))->ip_flags = 4;
	EXPECT(p, E_FLAGS, "ops[1].items[2].mask.ip_flags", "ip_flags");
	reset();
	((struct dpu_abi_item_eth *)MASK(1, 1))->reserved = 1;
	EXPECT(p, E_RESERVED, "ops[1].items[1].mask.reserved", "eth reserved");
	reset();
	((struct dpu_abi_item_tcp *)MASK(1, 3))->flags = htons(0xf000);
	EXPECT(p, E_RANGE, "ops[1].items[3].mask.flags", "tcp flags mask");
	reset();

	/* actions */
	((struct dpu_abi_action_hdr *)ACT(1, 0))->type = 0;
	EXPECT(p, E_ENUM, "ops[1].actions[0].type", "action type 0");
	((struct dpu_abi_action_hdr *)ACT(1, 0))->type = 20;
	EXPECT(p, E_ENUM, "ops[1].actions[0].type", "action type 20");
	reset();
	((struct dpu_abi_action_hdr *)ACT(1, 1))->len = 24;
	EXPECT(p, E_SIZE, "ops[1].actions[1].len", "action len");
	reset();
	((struct dpu_abi_act_vlan *)ACT(1, 0))->tci = htons(4095);
	EXPECT(p, E_RANGE, "ops[1].actions[0].tci", "VID 4095");
	reset();
	((struct dpu_abi_act_vlan *)ACT(1, 0))->tpid = htons(0x1234);
	EXPECT(p, E_RANGE, "ops[1].actions[0].tpid", "push tpid");
	reset();
	((struct dpu_abi_act_vlan *)ACT(1, 0))->reserved2 = 1;
	EXPECT(p, E_RESERVED, "ops[1].actions[0].reserved2", "push reserved2");
	reset();
	((struct dpu_abi_act_port *)ACT(1, 1))->flags = 2;
	EXPECT(p, E_FLAGS, "ops[1].actions[1].flags", "output flags");
	reset();
	((struct dpu_abi_act_port *)ACT(1, 1))->ratio = 1;
	EXPECT(p, E_RANGE, "ops[1].actions[1].ratio", "output ratio");
	reset();
	memcpy(tmp, ACT(1, 0), 16);
	memcpy(ACT(1, 0), (uint8_t *)ACT(1, 0) + 16, 16);
	memcpy((uint8_t *)ACT(1, 0) + 16, tmp, 16);
	EXPECT(p, E_CONFLICT, "ops[1].actions[1].type", "fate not last");
	reset();
	((struct dpu_abi_act_port *)ACT(1, 1))->hdr.type = DPU_ABI_ACT_MIRROR;
	((struct dpu_abi_act_port *)ACT(1, 1))->ratio = 1;
	EXPECT(p, E_CONFLICT, "ops[1].n_actions", "no fate");
	reset();

	/* the every-type batch */
	msg_len = dpu_abi_sample_flow_all(ref, sizeof(ref));
	reset();
	EXPECT_OK(p, "every-type batch ok");
	((struct dpu_abi_act_u32 *)ACT(0, 3))->value = 1;
	EXPECT(p, E_CONFLICT, "ops[0].actions[3].value", "jump to own group");
	((struct dpu_abi_act_u32 *)ACT(0, 3))->value = 0xffff;
	EXPECT(p, E_RANGE, "ops[0].actions[3].value", "jump group range");
	reset();
	((struct dpu_abi_act_u32 *)ACT(0, 0))->hdr.type = DPU_ABI_ACT_COUNT;
	EXPECT(p, E_CONFLICT, "ops[0].actions[1].type", "second COUNT");
	reset();
	((struct dpu_abi_item_tag *)SPEC(0, 1))->index = 8;
	((struct dpu_abi_item_tag *)MASK(0, 1))->index = 0xff;
	EXPECT(p, E_RANGE, "ops[0].items[1].spec.index", "tag index 8");
	reset();
	((struct dpu_abi_item_tag *)MASK(0, 1))->index = 0x0f;
	EXPECT(p, E_MASK, "ops[0].items[1].mask.index", "tag index mask");
	reset();
	((struct dpu_abi_item_tag *)MASK(0, 1))->reserved[2] = 1;
	EXPECT(p, E_RESERVED, "ops[0].items[1].mask.reserved", "tag reserved");
	reset();
	((struct dpu_abi_item_tunnel *)MASK(0, 3))->src[5] = 0xff;
	EXPECT(p, E_CONFLICT, "ops[0].items[3].mask.src", "tunnel v4 tail");
	reset();
	((struct dpu_abi_item_tunnel *)SPEC(0, 3))->type = 3;
	EXPECT(p, E_ENUM, "ops[0].items[3].spec.type", "tunnel type");
	reset();
	((struct dpu_abi_item_tunnel *)MASK(0, 3))->ip_version = 0xf;
	EXPECT(p, E_MASK, "ops[0].items[3].mask.ip_version", "tunnel ipver mask");
	reset();
	((struct dpu_abi_item_tunnel *)MASK(0, 3))->vni = htonl(0x1ffffff);
	EXPECT(p, E_RANGE, "ops[0].items[3].mask.vni", "tunnel vni");
	reset();
	((struct dpu_abi_item_geneve_opt *)SPEC(0, 4))->opt_len = 9;
	EXPECT(p, E_RANGE, "ops[0].items[4].spec.opt_len", "geneve opt_len");
	reset();
	((struct dpu_abi_item_tunnel *)SPEC(0, 3))->type = DPU_ABI_TUNNEL_VXLAN;
	EXPECT(p, E_CONFLICT, "ops[0].items[4]", "geneve opt on vxlan");
	reset();
	((struct dpu_abi_item_vlan *)MASK(0, 6))->tpid = htons(0xff00);
	((struct dpu_abi_item_vlan *)SPEC(0, 6))->tpid = htons(0x8800);
	EXPECT(p, E_MASK, "ops[0].items[6].mask.tpid", "vlan tpid mask");
	reset();
	((struct dpu_abi_item_ct *)MASK(0, 10))->state |= 0x40;
	EXPECT(p, E_FLAGS, "ops[0].items[10].mask.state", "ct state");
	reset();
	((struct dpu_abi_item_ipv6 *)MASK(0, 8))->flow_label |= htonl(0x100000);
	EXPECT(p, E_RANGE, "ops[0].items[8].mask.flow_label", "flow label");
	reset();
	((struct dpu_abi_act_ct *)ACT(0, 2))->flags |= DPU_ABI_CTF_NAT_DST;
	EXPECT(p, E_CONFLICT, "ops[0].actions[2].flags", "NAT src+dst");
	reset();
	((struct dpu_abi_act_ct *)ACT(0, 2))->nat_port_min = htons(3000);
	EXPECT(p, E_RANGE, "ops[0].actions[2].nat_port_min", "nat ports");
	reset();
	((struct dpu_abi_act_ct *)ACT(0, 2))->mark = 0x100;
	EXPECT(p, E_MASK, "ops[0].actions[2].mark", "ct mark mask");
	reset();
	((struct dpu_abi_act_ct *)ACT(0, 2))->reserved2 = 1;
	EXPECT(p, E_RESERVED, "ops[0].actions[2].reserved2", "ct reserved2");
	reset();
	((struct dpu_abi_act_empty *)ACT(0, 0))->reserved = 1;
	EXPECT(p, E_RESERVED, "ops[0].actions[0].reserved", "decap reserved");
	reset();
	((struct dpu_abi_act_set_meta *)ACT(1, 2))->data = 0x1;
	EXPECT(p, E_MASK, "ops[1].actions[2].data", "set_meta mask");
	reset();
	((struct dpu_abi_act_port *)ACT(1, 0))->ratio = 0;
	EXPECT(p, E_RANGE, "ops[1].actions[0].ratio", "mirror ratio 0");
	reset();
	((struct dpu_abi_act_vlan *)ACT(2, 1))->tci = htons(0x1005);
	EXPECT(p, E_MASK, "ops[2].actions[1].tci", "vlan set outside mask");
	reset();
	((struct dpu_abi_act_set_field *)ACT(2, 2))->value[4] = 1;
	EXPECT(p, E_RESERVED, "ops[2].actions[2].value", "set_field past width");
	reset();
	((struct dpu_abi_act_set_field *)ACT(2, 2))->field = 11;
	EXPECT(p, E_ENUM, "ops[2].actions[2].field", "set_field id");
	reset();
	((struct dpu_abi_act_tunnel_encap *)ACT(2, 4))->ip_version = 4;
	EXPECT(p, E_CONFLICT, "ops[2].actions[4].dst", "encap v4 tail");
	reset();
	((struct dpu_abi_act_tunnel_encap *)ACT(2, 4))->vni = htonl(0x1000000);
	EXPECT(p, E_RANGE, "ops[2].actions[4].vni", "encap vni");
	reset();
	((struct dpu_abi_act_tunnel_encap *)ACT(2, 4))->opts_len = 6;
	EXPECT(p, E_RANGE, "ops[2].actions[4].opts_len", "encap opts_len");
	reset();
	((struct dpu_abi_act_tunnel_encap *)ACT(2, 4))->opts[31] = 1;
	EXPECT(p, E_RESERVED, "ops[2].actions[4].opts", "encap opts tail");
	reset();
	((struct dpu_abi_act_meter *)ACT(2, 5))->cir = 0;
	EXPECT(p, E_RANGE, "ops[2].actions[5].cir", "meter cir");
	reset();
	((struct dpu_abi_act_meter *)ACT(2, 5))->eir = 10;
	EXPECT(p, E_RANGE, "ops[2].actions[5].eir", "trTCM eir < cir");
	reset();
	((struct dpu_abi_act_meter *)ACT(2, 5))->red = 2;
	EXPECT(p, E_ENUM, "ops[2].actions[5].red", "meter verdict");
	reset();
	((struct dpu_abi_act_ipsec *)ACT(2, 6))->dir = 2;
	EXPECT(p, E_ENUM, "ops[2].actions[6].dir", "ipsec dir");
	reset();
	((struct dpu_abi_act_u32 *)ACT(2, 7))->value = 0;
	EXPECT(p, E_RANGE, "ops[2].actions[7].value", "age 0");
	((struct dpu_abi_act_u32 *)ACT(2, 7))->value = DPU_ABI_AGE_MAX + 1;
	EXPECT(p, E_RANGE, "ops[2].actions[7].value", "age max");
	reset();
	OP(4)->group = 1;
	EXPECT(p, E_CONFLICT, "ops[4].group", "DELETE with group");
	reset();
}

/* Remaining enums and ranges, one poke each: sample, body offset, width,
 * bad value, expected status and field. */
static void test_pokes(void)
{
	static const struct poke {
		const char *sample;
		size_t off;
		unsigned width;
		uint64_t val;
		int st;
		const char *field;
	} pokes[] = {
#define P(smp, st_, f, w, v, stat, fld)                                        \
	{ smp, offsetof(struct st_, f), w, v, DPU_ABI_##stat, fld }
		P("sa_add.req", dpu_abi_sa, dir, 1, 2, E_ENUM, "sa_add.dir"),
		P("sa_add.req", dpu_abi_sa, mode, 1, 2, E_ENUM, "sa_add.mode"),
		P("sa_add.req", dpu_abi_sa, ip_version, 1, 5, E_ENUM, "sa_add.ip_version"),
		P("sa_add.req", dpu_abi_sa, flags, 1, 4, E_FLAGS, "sa_add.flags"),
		P("sa_add.req", dpu_abi_sa, reserved, 1, 1, E_RESERVED, "sa_add.reserved"),
		P("sp_add.req", dpu_abi_sp, dir, 1, 2, E_ENUM, "sp_add.dir"),
		P("sp_add.req", dpu_abi_sp, ip_version, 1, 0, E_ENUM, "sp_add.ip_version"),
		P("sp_add.req", dpu_abi_sp, src_plen, 1, 33, E_RANGE, "sp_add.src_plen"),
		P("sp_add.req", dpu_abi_sp, reserved2, 4, 1, E_RESERVED, "sp_add.reserved2"),
		P("evt_sa_expiring.evt", dpu_abi_evt_sa_expiring, kind, 4, 5, E_ENUM, "evt_sa_expiring.kind"),
		P("evt_card_reset.evt", dpu_abi_evt_card_reset, reason, 4, 3, E_ENUM, "evt_card_reset.reason"),
		P("evt_card_reset.evt", dpu_abi_evt_card_reset, reserved, 4, 1, E_RESERVED, "evt_card_reset.reserved"),
		P("evt_flow_aged.evt", dpu_abi_evt_flow_aged, count, 4, 1, E_LENGTH, "evt_flow_aged"),
		P("evt_error.evt", dpu_abi_evt_error, status, 2, 0, E_ENUM, "evt_error.status"),
		P("evt_error.evt", dpu_abi_evt_error, reserved, 2, 1, E_RESERVED, "evt_error.reserved"),
		P("ct_zone_del.req", dpu_abi_ct_zone_ref, flags, 2, 1, E_FLAGS, "ct_zone_del.flags"),
		P("ct_flush.req", dpu_abi_ct_zone_ref, flags, 2, 2, E_FLAGS, "ct_flush.flags"),
		P("flow_flush.req", dpu_abi_flow_flush_req, reserved, 4, 1, E_RESERVED, "flow_flush.reserved"),
		P("flow_flush.resp", dpu_abi_flow_flush_resp, reserved, 4, 1, E_RESERVED, "flow_flush_resp.reserved"),
		P("ct_flush.resp", dpu_abi_count_resp, reserved, 4, 1, E_RESERVED, "ct_flush_resp.reserved"),
		P("nvmf_ns_del.req", dpu_abi_nvmf_ns_ref, nsid, 4, 0, E_RANGE, "nvmf_ns_del.nsid"),
		P("nvmf_ns_del.req", dpu_abi_nvmf_ns_ref, reserved, 4, 1, E_RESERVED, "nvmf_ns_del.reserved"),
		P("nvmf_listener_add.req", dpu_abi_nvmf_listener, reserved2, 4, 1, E_RESERVED, "nvmf_listener_add.reserved2"),
		P("nvmf_listener_add.req", dpu_abi_nvmf_listener, traddr, 1, 0, E_STRING, "nvmf_listener_add.traddr"),
		P("nvmf_subsys_add.req", dpu_abi_nvmf_subsys, flags, 4, 2, E_FLAGS, "nvmf_subsys_add.flags"),
		P("nvmf_subsys_add.req", dpu_abi_nvmf_subsys, reserved2, 4, 1, E_RESERVED, "nvmf_subsys_add.reserved2"),
		P("port_stats.resp", dpu_abi_list_resp, count, 4, 2, E_COUNT, "port_stats_resp.count"),
		P("keepalive.resp", dpu_abi_keepalive_resp, health, 4, 0x10, E_FLAGS, "keepalive_resp.health"),
		P("hello.resp", dpu_abi_hello_resp, ver_major, 1, 2, E_VERSION, "hello_resp.ver_major"),
		P("hello.resp", dpu_abi_hello_resp, features, 8, 1ull << 50, E_FLAGS, "hello_resp.features"),
		P("hello.resp", dpu_abi_hello_resp, card_name, 1, 0, E_STRING, "hello_resp.card_name"),
		P("acl_batch.resp", dpu_abi_acl_batch_resp, n_failed, 4, 1, E_CONFLICT, "acl_batch_resp.n_failed"),
		P("acl_batch.req", dpu_abi_acl_batch_req, reserved, 4, 1, E_RESERVED, "acl_batch.reserved"),
		P("acl_batch.req", dpu_abi_acl_batch_req, n_rules, 4, 3, E_COUNT, "acl_batch.n_rules"),
		P("port_config.req", dpu_abi_port_config_req, set, 4, 0, E_RANGE, "port_config.set"),
#undef P
	};
	unsigned i;

	printf("== enum/range/reserved pokes\n");
	for (i = 0; i < sizeof(pokes) / sizeof(pokes[0]); i++) {
		const struct poke *k = &pokes[i];
		const struct dpu_abi_peer *p;
		uint8_t *at;

		load_sample_named(k->sample, &p);
		at = (uint8_t *)body() + k->off;
		memcpy(at, &k->val, k->width);
		expect_at(__LINE__, msg, (size_t)msg_len, p, k->st, k->field,
			  k->field);
	}
}

/* Every prefix of a valid batch, in a buffer of exactly that size (ASan
 * sees any read past it), both with the original length (truncated) and
 * with a length that agrees with the frame (lying body). */
static void test_truncation(void)
{
	static uint8_t full[BUFSZ] __attribute__((aligned(8)));
	int which, len, cut, errs = 0, bad = 0;

	printf("== truncation at every byte\n");
	for (which = 0; which < 2; which++) {
		len = which ? dpu_abi_sample_flow_all(full, sizeof(full)) :
			      dpu_abi_sample_flow_add(full, sizeof(full), 8);
		for (cut = 0; cut < len; cut++) {
			uint8_t *m = malloc((size_t)cut + 1);
			struct dpu_abi_error e;
			int r;

			memcpy(m, full, (size_t)cut);
			r = dpu_abi_check(m, (size_t)cut, &card, &e);
			errs++;
			if (r != -DPU_ABI_E_TRUNCATED)
				bad++, printf("FAIL cut %d: %d\n", cut, r);
			if (cut >= 32) {
				((struct dpu_abi_hdr *)m)->length = (uint32_t)cut;
				r = dpu_abi_check(m, (size_t)cut, &card, &e);
				errs++;
				if (r >= 0)
					bad++, printf("FAIL lying cut %d ok\n", cut);
			}
			free(m);
		}
	}
	CHECK(bad == 0, "%d truncations misjudged", bad);
	printf("ok   %d truncated/lying prefixes rejected\n", errs);
}

static void test_builder(void)
{
	struct dpu_abi_builder b;
	struct dpu_abi_item_port ps = { 1 }, pm = { 0xffffffff };
	struct dpu_abi_item_eth es = { 0 }, em = { 0 };
	struct dpu_abi_act_port out = { { DPU_ABI_ACT_OUTPUT, 16 }, 2, 0, 0 };
	struct dpu_abi_act_port bad = { { DPU_ABI_ACT_OUTPUT, 8 }, 2, 0, 0 };
	struct dpu_abi_flow_id id = { 1, 2 };
	uint8_t small[40] __attribute__((aligned(8)));
	int r;

	printf("== builder\n");
	dpu_abi_build_init(&b, msg, sizeof(msg), DPU_ABI_OP_FLOW_BATCH, 0, 1);
	dpu_abi_flow_batch_begin(&b);
	dpu_abi_flow_op_begin(&b, DPU_ABI_FLOW_ADD, 0, 0, 0, &id);
	dpu_abi_flow_op_item(&b, DPU_ABI_ITEM_ETH, &es, &em);
	dpu_abi_flow_op_item(&b, DPU_ABI_ITEM_PORT, &ps, &pm);
	dpu_abi_flow_op_action(&b, &out);
	r = dpu_abi_build_finish(&b);
	CHECK(r == -DPU_ABI_E_ORDER, "order: %d", r);

	dpu_abi_build_init(&b, msg, sizeof(msg), DPU_ABI_OP_FLOW_BATCH, 0, 1);
	dpu_abi_flow_batch_begin(&b);
	dpu_abi_flow_op_begin(&b, DPU_ABI_FLOW_ADD, 0, 0, 0, &id);
	dpu_abi_flow_op_item(&b, 77, &es, &em);
	dpu_abi_flow_op_action(&b, &out);
	CHECK(dpu_abi_build_finish(&b) == -DPU_ABI_E_ENUM, "unknown item");

	dpu_abi_build_init(&b, msg, sizeof(msg), DPU_ABI_OP_FLOW_BATCH, 0, 1);
	dpu_abi_flow_batch_begin(&b);
	dpu_abi_flow_op_begin(&b, DPU_ABI_FLOW_ADD, 0, 0, 0, &id);
	dpu_abi_flow_op_action(&b, &bad);
	dpu_abi_flow_op_action(&b, &out); /* sticky: no effect */
	CHECK(dpu_abi_build_finish(&b) == -DPU_ABI_E_SIZE, "action size");

	dpu_abi_build_init(&b, small, sizeof(small), DPU_ABI_OP_FLOW_BATCH, 0, 1);
	dpu_abi_flow_batch_begin(&b);
	dpu_abi_flow_op_begin(&b, DPU_ABI_FLOW_ADD, 0, 0, 0, &id);
	CHECK(dpu_abi_build_finish(&b) == -DPU_ABI_E_TOO_BIG, "too big");
	dpu_abi_build_init(&b, msg, sizeof(msg), DPU_ABI_OP_FLOW_BATCH, 0, 1);
	dpu_abi_flow_op_begin(&b, DPU_ABI_FLOW_ADD, 0, 0, 0, &id);
	CHECK(dpu_abi_build_finish(&b) == -DPU_ABI_E_OPCODE, "op without batch");
	dpu_abi_build_init(&b, msg, sizeof(msg), DPU_ABI_OP_KEEPALIVE, 0, 1);
	dpu_abi_flow_batch_begin(&b);
	dpu_abi_flow_op_begin(&b, DPU_ABI_FLOW_ADD, 0, 0, 0, &id);
	CHECK(dpu_abi_build_finish(&b) == -DPU_ABI_E_OPCODE, "op in keepalive");
	CHECK(dpu_abi_encode(small, 16, DPU_ABI_OP_KEEPALIVE, 0, 1, NULL, 0) ==
		      -DPU_ABI_E_TOO_BIG,
	      "cap < header");

	/* op_end patches len and n_ops; finish closes an open op */
	dpu_abi_build_init(&b, msg, sizeof(msg), DPU_ABI_OP_FLOW_BATCH, 0, 1);
	dpu_abi_flow_batch_begin(&b);
	dpu_abi_flow_op_begin(&b, DPU_ABI_FLOW_ADD, 0, 0, 0, &id);
	dpu_abi_flow_op_item(&b, DPU_ABI_ITEM_PORT, &ps, &pm);
	dpu_abi_flow_op_action(&b, &out);
	dpu_abi_flow_op_begin(&b, DPU_ABI_FLOW_DELETE, 0, 0, 0, &id);
	r = dpu_abi_build_finish(&b);
	CHECK(r == 32 + 8 + 32 + 16 + 16 + 32, "two ops: %d", r);
	CHECK(((struct dpu_abi_flow_batch_req *)body())->n_ops == 2 &&
		      OP(0)->len == 64 && OP(1)->len == 32,
	      "patched lengths");
	CHECK(dpu_abi_check(msg, (size_t)r, &card, NULL) == 0, "built batch");
	printf("ok   builder: order, enum, size, too-big, patching\n");

	/* encode_error on garbage must not crash and must be a valid reply */
	{
		uint8_t junk[64] __attribute__((aligned(8)));
		struct dpu_abi_error e = { DPU_ABI_E_MAGIC, 0, "hdr.magic",
					   "hdr.magic: 0x\x01\x02 junk" };
		unsigned i;

		for (i = 0; i < sizeof(junk); i++)
			junk[i] = (uint8_t)(i * 37 + 11);
		r = dpu_abi_encode_error(msg, sizeof(msg), junk, 5, &e, 9);
		CHECK(r == 32 + 128 && H()->opcode == 0 && H()->req_id == 0,
		      "garbage: %d", r);
		CHECK(dpu_abi_check(msg, (size_t)r, &host, NULL) == 0,
		      "error reply to garbage is valid");
		r = dpu_abi_encode_error(msg, sizeof(msg), NULL, 0, NULL, 9);
		CHECK(r == 32 && H()->status == DPU_ABI_E_INTERNAL, "NULL: %d", r);
		CHECK(dpu_abi_check(msg, (size_t)r, &host, NULL) == 0,
		      "internal error reply valid");
		r = dpu_abi_encode_error(msg, sizeof(msg), junk, sizeof(junk),
					 &e, 9);
		CHECK(r > 0 && H()->req_id == 0, "junk header not echoed");
		printf("ok   encode_error on garbage\n");
	}
}

int main(void)
{
	test_roundtrip();
	test_flow_readback();
	test_header();
	test_host_side();
	test_bodies();
	test_flow_batch();
	test_pokes();
	test_truncation();
	test_builder();
	printf("%d checks passed, %d failed\n", n_ok, n_fail);
	return n_fail ? 1 : 0;
}
