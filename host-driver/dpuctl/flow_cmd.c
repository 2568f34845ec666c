// SPDX-License-Identifier: BSD-3-Clause
/*
 * dpuctl flow: the card's rule table, directly over the ABI.
 *
 * Rules are written as testpmd's "flow create" (dpu_rules_text.h). Rules
 * added here get ids in their own range (DPU_RULES_ID_TAG_CLI) shown as
 * small numbers, so they never collide with what the agent offloads from
 * tc, and re-adding the same id with the same rule is a no-op (ADD is
 * idempotent on the card).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dpu_rules_print.h"
#include "dpu_rules_text.h"
#include "dpuctl.h"

/* Room kept free in a batch message for one more op of any size. */
#define FLOW_OP_MAX_BYTES 4096

struct port_names {
	struct dpu_abi_port_info *ports;
	uint32_t n;
};

static int load_ports(struct dpu_host_card *card, struct port_names *pn)
{
	void *ports;
	int rc = dpu_host_card_list(card, DPU_ABI_OP_PORT_LIST, &ports, &pn->n);

	pn->ports = ports;
	return rc;
}

static int port_by_name(void *ctx, const char *name, uint32_t *port_id)
{
	const struct port_names *pn = ctx;

	for (uint32_t i = 0; i < pn->n; i++)
		if (!strncmp(pn->ports[i].name, name, sizeof(pn->ports[i].name)) &&
		    strlen(name) < sizeof(pn->ports[i].name)) {
			*port_id = pn->ports[i].port_id;
			return 0;
		}
	return -ENOENT;
}

static void cli_id(uint64_t n, struct dpu_abi_flow_id *id)
{
	id->hi = 0;
	id->lo = (uint64_t)DPU_RULES_ID_TAG_CLI << 56 | n;
}

static bool is_cli_id(const struct dpu_abi_flow_id *id)
{
	return id->hi == 0 && id->lo >> 56 == DPU_RULES_ID_TAG_CLI;
}

static void id_str(const struct dpu_abi_flow_id *id, char *buf, size_t len)
{
	if (is_cli_id(id))
		snprintf(buf, len, "%llu", (unsigned long long)(id->lo & ((1ull << 56) - 1)));
	else
		snprintf(buf, len, "%016llx%016llx", (unsigned long long)id->hi,
			 (unsigned long long)id->lo);
}

/* "12" (a dpuctl rule) or 32 hex digits (any rule the card holds). */
static int parse_id(const char *s, struct dpu_abi_flow_id *id)
{
	char *end;
	unsigned long long n;

	if (strlen(s) == 32) {
		char hi[17];

		memcpy(hi, s, 16);
		hi[16] = 0;
		id->hi = strtoull(hi, &end, 16);
		if (*end)
			return -EINVAL;
		id->lo = strtoull(s + 16, &end, 16);
		return *end ? -EINVAL : 0;
	}
	errno = 0;
	n = strtoull(s, &end, 10);
	if (errno || *end || end == s || n >= 1ull << 56)
		return -EINVAL;
	cli_id(n, id);
	return 0;
}

/* Every flow id the card holds, in id order. */
static int list_ids(struct dpu_host_card *card, struct dpu_abi_flow_id **out,
		    uint32_t *n_out)
{
	void *ids;
	int rc = dpu_host_card_list(card, DPU_ABI_OP_FLOW_LIST, &ids, n_out);

	*out = ids;
	return rc;
}

/* The card sends a refused op's reason as EVT_ERROR right after the
 * response: collect those for the report. */
struct refusals {
	uint64_t object[8]; /* the op's id.lo */
	char text[8][160];
	unsigned int n;
};

static void on_event(void *arg, const struct dpu_abi_hdr *evt)
{
	struct refusals *r = arg;

	if (evt->opcode == DPU_ABI_OP_EVT_ERROR && r->n < 8) {
		const struct dpu_abi_evt_error *e = dpu_abi_body(evt);

		if (e->domain != DPU_ABI_ERRD_FLOW)
			return;
		r->object[r->n] = e->object;
		snprintf(r->text[r->n++], sizeof(r->text[0]), "%.*s",
			 (int)sizeof(e->text), e->text);
	}
}

struct batch {
	struct dpu_host_card *card;
	uint8_t *buf;
	size_t cap;
	struct dpu_abi_builder b;
	bool open;
	/* what the open batch holds, to report per op */
	struct dpu_abi_flow_id *ids;
	unsigned int n_ops;
	unsigned int failed;
	struct json_object *json; /* results array with -j */
	bool verbose;             /* print each op's outcome */
};

static int batch_flush(struct batch *bt)
{
	const struct dpu_abi_hdr *resp;
	const struct dpu_abi_flow_batch_resp *r;
	const struct dpu_abi_flow_result *res;
	struct refusals ref = { .n = 0 };
	int len, rc;

	if (!bt->open || !bt->n_ops)
		return 0;
	bt->open = false;
	len = dpu_abi_build_finish(&bt->b);
	if (len < 0) {
		fprintf(stderr, "dpuctl: flow: cannot encode the batch: %s\n",
			dpu_abi_status_name((uint16_t)-len));
		return DPUCTL_EXIT_FAIL;
	}
	/* Reasons come as events, which may arrive before the response. */
	bt->card->on_event = on_event;
	bt->card->event_arg = &ref;
	rc = dpu_host_card_call(bt->card, bt->buf, (size_t)len, &resp);
	if (rc < 0 || (rc != DPU_ABI_OK && rc != DPU_ABI_E_PARTIAL)) {
		bt->card->on_event = NULL;
		return dpuctl_fail(bt->card, "flow");
	}
	r = dpu_abi_body(resp);
	res = (const void *)(r + 1);
	/* The card sends each reason before the response, so what is not
	 * dispatched yet is already queued: take it, never wait (a failed
	 * DELETE's NOT_FOUND has no reason to wait for). */
	if (r->n_failed)
		dpu_host_card_poll_events(bt->card, 0);
	bt->card->on_event = NULL;
	for (uint32_t i = 0; i < r->n_results && i < bt->n_ops; i++) {
		char id[40];
		const char *why = "";

		id_str(&res[i].id, id, sizeof(id));
		if (res[i].status != DPU_ABI_OK) {
			bt->failed++;
			for (unsigned int k = 0; k < ref.n; k++)
				if (ref.object[k] == res[i].id.lo)
					why = ref.text[k];
		}
		if (bt->json) {
			struct json_object *o = json_object_new_object();

			json_object_object_add(o, "id", json_object_new_string(id));
			json_object_object_add(o, "status",
					       json_object_new_string(dpu_abi_status_name(res[i].status)));
			if (*why)
				json_object_object_add(o, "reason", json_object_new_string(why));
			json_object_array_add(bt->json, o);
		} else if (res[i].status != DPU_ABI_OK) {
			fprintf(stderr, "dpuctl: flow %s: %s%s%s\n", id,
				dpu_abi_status_name(res[i].status), *why ? ": " : "", why);
		} else if (bt->verbose) {
			printf("flow %s: ok\n", id);
		}
	}
	bt->n_ops = 0;
	return 0;
}

static int batch_op(struct batch *bt, uint8_t op, const struct dpu_rules_abi_flow *a)
{
	if (bt->open && bt->cap - bt->b.len < FLOW_OP_MAX_BYTES) {
		int rc = batch_flush(bt);

		if (rc)
			return rc;
	}
	if (!bt->open) {
		dpu_abi_build_init(&bt->b, bt->buf, bt->cap, DPU_ABI_OP_FLOW_BATCH, 0, 0);
		dpu_abi_flow_batch_begin(&bt->b);
		bt->open = true;
	}
	dpu_rules_abi_emit(&bt->b, op, a);
	bt->n_ops++;
	return 0;
}

static int batch_init(struct batch *bt, struct dpu_host_card *card)
{
	memset(bt, 0, sizeof(*bt));
	bt->card = card;
	bt->cap = card->hello.caps.max_msg_len ? card->hello.caps.max_msg_len : DPU_ABI_MSG_MAX;
	if (bt->cap > DPU_ABI_MSG_MAX)
		bt->cap = DPU_ABI_MSG_MAX;
	bt->buf = malloc(bt->cap);
	if (!bt->buf)
		return -ENOMEM;
	if (dpuctl_json)
		bt->json = json_object_new_array();
	return 0;
}

static int batch_done(struct batch *bt)
{
	int rc = batch_flush(bt);

	free(bt->buf);
	if (bt->json) {
		if (!rc)
			dpuctl_print_json(bt->json);
		else
			json_object_put(bt->json);
	}
	if (rc)
		return rc;
	return bt->failed ? DPUCTL_EXIT_FAIL : 0;
}

/* The next free dpuctl id: one past the highest the card holds. */
static int next_cli_id(struct dpu_host_card *card, uint64_t *next)
{
	struct dpu_abi_flow_id *ids;
	uint32_t n;
	uint64_t max = 0;

	if (list_ids(card, &ids, &n))
		return -EIO;
	for (uint32_t i = 0; i < n; i++)
		if (is_cli_id(&ids[i]) && (ids[i].lo & ((1ull << 56) - 1)) > max)
			max = ids[i].lo & ((1ull << 56) - 1);
	free(ids);
	*next = max + 1;
	return 0;
}

/* [id N] RULE... */
static int parse_rule(struct port_names *pn, int argc, char **argv, bool *have_id,
		      struct dpu_rules_abi_flow *a, const char *where)
{
	struct dpu_rules_text_ports ports = { .ctx = pn, .by_name = port_by_name };
	struct dpu_rules_result res;
	struct dpu_abi_flow_id id = { 0 };
	int skip = 0;

	*have_id = false;
	if (argc >= 2 && !strcmp(argv[0], "id")) {
		if (parse_id(argv[1], &id)) {
			fprintf(stderr, "dpuctl: %sid '%s' is not a number\n", where, argv[1]);
			return DPUCTL_EXIT_USAGE;
		}
		*have_id = true;
		skip = 2;
	}
	if (dpu_rules_text_parse_argv(argc - skip, argv + skip, &ports, a, &res)) {
		fprintf(stderr, "dpuctl: %s%s\n", where, res.reason);
		return DPUCTL_EXIT_USAGE;
	}
	a->id = id;
	return 0;
}

static int flow_add(struct dpu_host_card *card, struct port_names *pn, int argc, char **argv)
{
	struct dpu_rules_abi_flow a;
	struct batch bt;
	bool have_id;
	uint64_t next;
	char text[1024], id[40];
	int rc;

	rc = parse_rule(pn, argc, argv, &have_id, &a, "flow add: ");
	if (rc)
		return rc;
	if (!have_id) {
		if (next_cli_id(card, &next))
			return dpuctl_fail(card, "flow add");
		cli_id(next, &a.id);
	}
	if (batch_init(&bt, card))
		return DPUCTL_EXIT_FAIL;
	batch_op(&bt, DPU_ABI_FLOW_ADD, &a);
	rc = batch_done(&bt);
	if (!rc && !dpuctl_json) {
		id_str(&a.id, id, sizeof(id));
		dpu_rules_format_abi(&a, text, sizeof(text));
		printf("flow %s created: %s\n", id, text);
	}
	return rc;
}

/* One rule per line: "[id N] [group ..] pattern ... actions ... end";
 * '#' comments and blank lines are skipped. */
static int flow_load(struct dpu_host_card *card, struct port_names *pn, const char *path)
{
	struct dpu_rules_text_ports ports = { .ctx = pn, .by_name = port_by_name };
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	struct dpu_rules_abi_flow a;
	struct dpu_rules_result res;
	struct batch bt;
	char *line = NULL;
	size_t cap = 0;
	unsigned int lineno = 0, added = 0;
	uint64_t next;
	int rc = 0;

	if (!f) {
		fprintf(stderr, "dpuctl: flow load: %s: %s\n", path, strerror(errno));
		return DPUCTL_EXIT_USAGE;
	}
	if (next_cli_id(card, &next) || batch_init(&bt, card)) {
		if (f != stdin)
			fclose(f);
		return dpuctl_fail(card, "flow load");
	}
	while (getline(&line, &cap, f) > 0) {
		char *p = line, *hash = strchr(line, '#');

		lineno++;
		if (hash)
			*hash = 0;
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p || *p == '\n')
			continue;
		a.id.lo = a.id.hi = 0;
		bool have_id = !strncmp(p, "id ", 3);
		struct dpu_abi_flow_id id = { 0 };

		if (have_id) {
			char *end, *num = p + 3;

			while (*num == ' ')
				num++;
			end = num;
			while (*end && *end != ' ' && *end != '\t')
				end++;
			if (*end)
				*end++ = 0;
			if (parse_id(num, &id)) {
				fprintf(stderr, "dpuctl: %s:%u: id '%s' is not a number\n", path,
					lineno, num);
				rc = DPUCTL_EXIT_USAGE;
				break;
			}
			p = end;
		}
		if (dpu_rules_text_parse(p, &ports, &a, &res)) {
			fprintf(stderr, "dpuctl: %s:%u: %s\n", path, lineno, res.reason);
			rc = DPUCTL_EXIT_USAGE;
			break;
		}
		if (have_id)
			a.id = id;
		else
			cli_id(next++, &a.id);
		rc = batch_op(&bt, DPU_ABI_FLOW_ADD, &a);
		if (rc)
			break;
		added++;
	}
	free(line);
	if (f != stdin)
		fclose(f);
	if (rc) {
		/* Nothing half-sent: a parse error stops before the open batch
		 * goes out, so the card holds only whole earlier batches. */
		free(bt.buf);
		if (bt.json)
			json_object_put(bt.json);
		return rc;
	}
	rc = batch_done(&bt);
	if (!dpuctl_json)
		printf("%u rules sent, %u refused\n", added, bt.failed);
	return rc;
}

static int flow_ids_op(struct dpu_host_card *card, uint8_t op, int argc, char **argv)
{
	struct dpu_rules_abi_flow a;
	struct batch bt;

	if (argc < 1) {
		fprintf(stderr, "dpuctl: flow %s: which flow ids?\n",
			op == DPU_ABI_FLOW_DELETE ? "del" : "query");
		return DPUCTL_EXIT_USAGE;
	}
	memset(&a, 0, sizeof(a));
	if (batch_init(&bt, card))
		return DPUCTL_EXIT_FAIL;
	bt.verbose = true;
	for (int i = 0; i < argc; i++) {
		if (parse_id(argv[i], &a.id)) {
			fprintf(stderr, "dpuctl: flow: '%s' is not a flow id\n", argv[i]);
			free(bt.buf);
			if (bt.json)
				json_object_put(bt.json);
			return DPUCTL_EXIT_USAGE;
		}
		batch_op(&bt, op, &a);
	}
	return batch_done(&bt);
}

/* Counters of the given flows (all when none given), as a table or JSON. */
static int flow_query(struct dpu_host_card *card, int argc, char **argv)
{
	struct dpu_abi_flow_id *ids = NULL;
	struct dpu_abi_builder b;
	struct json_object *arr = dpuctl_json ? json_object_new_array() : NULL;
	uint32_t n = 0, done = 0;
	size_t cap = card->hello.caps.max_msg_len ? card->hello.caps.max_msg_len : DPU_ABI_MSG_MAX;
	uint8_t *buf = NULL;
	bool reset = argc >= 1 && !strcmp(argv[argc - 1], "reset");
	int rc = 0;

	if (reset)
		argc--;
	if (argc == 0 || (argc == 1 && !strcmp(argv[0], "all"))) {
		if (list_ids(card, &ids, &n)) {
			json_object_put(arr);
			return dpuctl_fail(card, "flow query");
		}
	} else {
		ids = calloc((size_t)(unsigned int)argc, sizeof(*ids));
		for (int i = 0; ids && i < argc; i++)
			if (parse_id(argv[i], &ids[n++])) {
				fprintf(stderr, "dpuctl: flow query: '%s' is not a flow id\n", argv[i]);
				free(ids);
				json_object_put(arr);
				return DPUCTL_EXIT_USAGE;
			}
	}
	buf = malloc(cap);
	if (!buf || (!ids && n)) {
		free(buf);
		free(ids);
		json_object_put(arr);
		return DPUCTL_EXIT_FAIL;
	}
	if (!arr)
		printf("%-34s %-12s %14s %16s %10s\n", "flow", "status", "packets", "bytes",
		       "idle_ms");
	while (done < n && !rc) {
		const struct dpu_abi_hdr *resp;
		const struct dpu_abi_flow_batch_resp *r;
		const struct dpu_abi_flow_result *res;
		uint32_t k = 0;
		int len, st;

		dpu_abi_build_init(&b, buf, cap, DPU_ABI_OP_FLOW_BATCH, 0, 0);
		dpu_abi_flow_batch_begin(&b);
		/* A QUERY op is 32 bytes and its result 40: stay well inside. */
		while (done + k < n && (k + 2) * 40 + 64 < cap) {
			dpu_abi_flow_op_begin(&b, DPU_ABI_FLOW_QUERY,
					      reset ? DPU_ABI_FLOWF_QUERY_RESET : 0, 0, 0,
					      &ids[done + k]);
			dpu_abi_flow_op_end(&b);
			k++;
		}
		len = dpu_abi_build_finish(&b);
		st = len < 0 ? len : dpu_host_card_call(card, buf, (size_t)len, &resp);
		if (st != DPU_ABI_OK && st != DPU_ABI_E_PARTIAL) {
			rc = dpuctl_fail(card, "flow query");
			break;
		}
		r = dpu_abi_body(resp);
		res = (const void *)(r + 1);
		for (uint32_t i = 0; i < r->n_results; i++) {
			char id[40];

			id_str(&res[i].id, id, sizeof(id));
			if (res[i].status != DPU_ABI_OK)
				rc = DPUCTL_EXIT_FAIL;
			if (arr) {
				struct json_object *o = json_object_new_object();

				json_object_object_add(o, "id", json_object_new_string(id));
				json_object_object_add(o, "status",
						       json_object_new_string(dpu_abi_status_name(res[i].status)));
				json_object_object_add(o, "packets", json_object_new_int64((int64_t)res[i].packets));
				json_object_object_add(o, "bytes", json_object_new_int64((int64_t)res[i].bytes));
				json_object_object_add(o, "idle_ms",
						       res[i].idle_ms == UINT32_MAX ? NULL :
						       json_object_new_int64(res[i].idle_ms));
				json_object_array_add(arr, o);
			} else {
				char idle[16];

				if (res[i].idle_ms == UINT32_MAX)
					snprintf(idle, sizeof(idle), "never");
				else
					snprintf(idle, sizeof(idle), "%u", res[i].idle_ms);
				printf("%-34s %-12s %14llu %16llu %10s\n", id,
				       dpu_abi_status_name(res[i].status),
				       (unsigned long long)res[i].packets,
				       (unsigned long long)res[i].bytes, idle);
			}
		}
		done += k;
	}
	free(buf);
	free(ids);
	if (arr)
		dpuctl_print_json(arr);
	return rc;
}

static int flow_list(struct dpu_host_card *card)
{
	struct json_object *arr = dpuctl_json ? json_object_new_array() : NULL;
	struct dpu_abi_flow_id *ids;
	uint32_t n;

	if (list_ids(card, &ids, &n)) {
		json_object_put(arr);
		return dpuctl_fail(card, "flow list");
	}
	for (uint32_t i = 0; i < n; i++) {
		char s[40];

		id_str(&ids[i], s, sizeof(s));
		if (arr)
			json_object_array_add(arr, json_object_new_string(s));
		else
			printf("%s\n", s);
	}
	free(ids);
	if (arr)
		dpuctl_print_json(arr);
	else
		printf("%u flows\n", n);
	return 0;
}

static int flow_flush(struct dpu_host_card *card, int argc, char **argv)
{
	struct dpu_abi_flow_flush_req q = { .group = DPU_ABI_GROUP_ALL };
	const struct dpu_abi_flow_flush_resp *r;
	const struct dpu_abi_hdr *resp;

	if (argc >= 1) {
		char *end;
		unsigned long g = strtoul(argv[0], &end, 0);

		if (*end || g > DPU_ABI_GROUP_MAX) {
			fprintf(stderr, "dpuctl: flow flush: group '%s' is not 0..%u\n",
				argv[0], DPU_ABI_GROUP_MAX);
			return DPUCTL_EXIT_USAGE;
		}
		q.group = (uint32_t)g;
	}
	if (dpu_host_card_simple(card, DPU_ABI_OP_FLOW_FLUSH, &q, sizeof(q), &resp))
		return dpuctl_fail(card, "flow flush");
	r = dpu_abi_body(resp);
	printf("flushed %u flows\n", r->n_flushed);
	return 0;
}

/* Port names resolve against the card's own list, fetched once. */
static int with_ports(struct dpu_host_card *card, int argc, char **argv, bool load)
{
	struct port_names pn = { 0 };
	int rc;

	if (load_ports(card, &pn)) {
		free(pn.ports);
		return dpuctl_fail(card, "port list");
	}
	rc = load ? flow_load(card, &pn, argv[0]) : flow_add(card, &pn, argc, argv);
	free(pn.ports);
	return rc;
}

int dpuctl_flow(struct dpu_host_card *card, int argc, char **argv)
{
	const char *sub = argc >= 1 ? argv[0] : "";

	if (!strcmp(sub, "list"))
		return flow_list(card);
	if (!strcmp(sub, "flush"))
		return flow_flush(card, argc - 1, argv + 1);
	if (!strcmp(sub, "add") || !strcmp(sub, "create"))
		return with_ports(card, argc - 1, argv + 1, false);
	if (!strcmp(sub, "load")) {
		if (argc < 2) {
			fprintf(stderr, "dpuctl: flow load: which file ('-' for stdin)?\n");
			return DPUCTL_EXIT_USAGE;
		}
		return with_ports(card, argc - 1, argv + 1, true);
	}
	if (!strcmp(sub, "del") || !strcmp(sub, "destroy"))
		return flow_ids_op(card, DPU_ABI_FLOW_DELETE, argc - 1, argv + 1);
	if (!strcmp(sub, "query"))
		return flow_query(card, argc - 1, argv + 1);
	fprintf(stderr, "dpuctl: flow: expected list, add, load, del, query or flush "
			"(dpuctl --help)\n");
	return DPUCTL_EXIT_USAGE;
}
