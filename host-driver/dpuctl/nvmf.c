/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `dpuctl nvmf`: the card's NVMe-oF/TCP target (subsystems, namespaces,
 * allowed hosts, listeners), either directly over the ABI (-c) or through
 * dpu-agent (-a), which keeps it and replays it after a card restart. One
 * parser for both; both print the same tables (and -j the same JSON,
 * dpu_nvmf_json.h's fields; the agent adds "where" and "reason").
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dpu_nvmf_json.h"
#include "dpuctl.h"

int dpuctl_nvmf_usage(FILE *f, int rc)
{
	fprintf(f,
		"usage: dpuctl [-c CARD | -a [AGENT]] [-j] nvmf OBJECT VERB ...\n"
		"\n"
		"  nvmf subsystem add NQN [--serial S] [--model M] [--allow-any-host]\n"
		"  nvmf subsystem del NQN        (its namespaces, hosts, listeners go with it)\n"
		"  nvmf subsystem list\n"
		"  nvmf ns add NQN NSID --ram SIZE|--null SIZE|--file PATH [--block-size B]\n"
		"  nvmf ns del NQN NSID\n"
		"  nvmf ns list NQN\n"
		"  nvmf host add|del NQN HOSTNQN  (initiators allowed when not --allow-any-host)\n"
		"  nvmf host list NQN\n"
		"  nvmf listener add|del NQN ADDR PORT   (NVMe/TCP on a numeric IPv4/IPv6 ADDR)\n"
		"  nvmf listener list NQN\n"
		"\n"
		"SIZE takes K, M and G suffixes (powers of 2); a --file namespace is the\n"
		"file's size. B is 512, 1024, 2048 or 4096 (default 4096).\n"
		"\n"
		"With -c the card is configured directly: a card restart forgets it.\n"
		"With -a the agent applies it to the card, keeps it (its state file) and\n"
		"replays it after a card restart; list shows the agent's configuration\n"
		"and where each object is (card, pending, refused + why). The agent only\n"
		"changes what it made: objects made with -c are not its own.\n"
		"\n"
		"  dpuctl -a nvmf subsystem add nqn.2026-01.io.example:disk1 --allow-any-host\n"
		"  dpuctl -a nvmf ns add nqn.2026-01.io.example:disk1 1 --file /srv/disk1.img\n"
		"  dpuctl -a nvmf listener add nqn.2026-01.io.example:disk1 192.0.2.1 4420\n"
		"\n"
		"exit status: 0 ok, 1 refused (by the card or the agent; nothing changed),\n"
		"2 usage, 3 card or agent unreachable\n");
	return rc;
}

struct nvmf_cmd {
	int kind, verb;
	bool has_nqn; /* list: of one subsystem */
	union dpu_nvmf_obj o;
	char what[32]; /* "nvmf ns add" */
};

static int usage_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int usage_err(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "dpuctl: nvmf: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " ('dpuctl nvmf --help' for usage)\n");
	return DPUCTL_EXIT_USAGE;
}

static int copy_str(char *dst, size_t cap, const char *src, const char *what)
{
	if (!*src || strlen(src) >= cap) {
		fprintf(stderr, "dpuctl: %s: 1 to %zu characters\n", what, cap - 1);
		return -1;
	}
	/* The ABI wants the rest of a string field zero, not old bytes. */
	memset(dst, 0, cap);
	memcpy(dst, src, strlen(src));
	return 0;
}

static int parse_size(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 0);
	int shift = 0;

	if (*end == 'K' || *end == 'k')
		shift = 10, end++;
	else if (*end == 'M' || *end == 'm')
		shift = 20, end++;
	else if (*end == 'G' || *end == 'g')
		shift = 30, end++;
	if (end == s || *end || *s == '-' || v == 0 || v > ((unsigned long long)INT64_MAX >> shift)) {
		fprintf(stderr, "dpuctl: size '%s' is not a positive number [KMG]\n", s);
		return -1;
	}
	*out = (uint64_t)v << shift;
	return 0;
}

static int parse_u32(const char *s, const char *what, uint32_t lo, uint32_t hi,
		     uint32_t *out)
{
	char *end;
	unsigned long v = strtoul(s, &end, 0);

	if (!*s || *s == '-' || *end || v < lo || v > hi) {
		fprintf(stderr, "dpuctl: %s '%s' is not in %u..%u\n", what, s, lo, hi);
		return -1;
	}
	*out = (uint32_t)v;
	return 0;
}

static int parse_subsys_add(struct dpu_abi_nvmf_subsys *s, int argc, char **argv)
{
	copy_str(s->serial, sizeof(s->serial), "OPENDPU0001", "serial");
	copy_str(s->model, sizeof(s->model), "opendpu NVMe-oF", "model");
	for (int i = 3; i < argc; i++) {
		if (!strcmp(argv[i], "--allow-any-host"))
			s->flags |= DPU_ABI_NVMF_ALLOW_ANY_HOST;
		else if (!strcmp(argv[i], "--serial") && i + 1 < argc) {
			if (copy_str(s->serial, sizeof(s->serial), argv[++i], "--serial"))
				return DPUCTL_EXIT_USAGE;
		} else if (!strcmp(argv[i], "--model") && i + 1 < argc) {
			if (copy_str(s->model, sizeof(s->model), argv[++i], "--model"))
				return DPUCTL_EXIT_USAGE;
		} else
			return usage_err("subsystem add: unexpected '%s'", argv[i]);
	}
	return 0;
}

static int parse_ns_add(struct dpu_abi_nvmf_ns *s, int argc, char **argv)
{
	uint32_t bs = 0;
	int have = 0;

	s->block_shift = 12;
	for (int i = 4; i < argc; i += 2) {
		if (i + 1 == argc)
			return usage_err("ns add: '%s' needs a value", argv[i]);
		if (!strcmp(argv[i], "--ram") || !strcmp(argv[i], "--null")) {
			s->backend = argv[i][2] == 'r' ? DPU_ABI_NVMF_BDEV_RAM : DPU_ABI_NVMF_BDEV_NULL;
			if (parse_size(argv[i + 1], &s->size_bytes))
				return DPUCTL_EXIT_USAGE;
			have++;
		} else if (!strcmp(argv[i], "--file")) {
			s->backend = DPU_ABI_NVMF_BDEV_FILE;
			if (copy_str(s->path, sizeof(s->path), argv[i + 1], "--file"))
				return DPUCTL_EXIT_USAGE;
			have++;
		} else if (!strcmp(argv[i], "--block-size")) {
			if (parse_u32(argv[i + 1], "--block-size", 512, 4096, &bs) || (bs & (bs - 1)))
				return usage_err("--block-size %s: 512, 1024, 2048 or 4096", argv[i + 1]);
			s->block_shift = (uint8_t)__builtin_ctz(bs);
		} else {
			return usage_err("ns add: unexpected '%s'", argv[i]);
		}
	}
	if (have != 1)
		return usage_err("ns add: one of --ram SIZE, --null SIZE, --file PATH");
	if (s->size_bytes % (1u << s->block_shift))
		return usage_err("ns add: the size is not a multiple of the block size");
	return 0;
}

/* argv: OBJECT VERB ARGS... -> c. 0 or an exit code (reason printed). */
static int parse(int argc, char **argv, struct nvmf_cmd *c)
{
	static const int args[DPU_NVMF_KINDS] = { 1, 2, 2, 3 }; /* after VERB, for add/del */
	int need;

	memset(c, 0, sizeof(*c));
	if (argc < 2)
		return argc ? usage_err("%s: expected add, del or list", argv[0])
			    : dpuctl_nvmf_usage(stderr, DPUCTL_EXIT_USAGE);
	c->kind = dpu_nvmf_kind_parse(argv[0]);
	if (c->kind < 0)
		return usage_err("unknown object '%s' (subsystem, ns, host, listener)", argv[0]);
	c->verb = dpu_nvmf_verb_parse(argv[1]);
	if (c->verb < 0)
		return usage_err("unknown verb '%s' (add, del, list)", argv[1]);
	snprintf(c->what, sizeof(c->what), "nvmf %s %s", argv[0], argv[1]);
	if (c->verb == DPU_NVMF_LIST) {
		if (argc > 3 || (c->kind == DPU_NVMF_SUBSYS && argc > 2))
			return usage_err("%s: too many arguments", c->what);
		if (c->kind != DPU_NVMF_SUBSYS && argc < 3)
			return usage_err("%s: which subsystem (NQN)?", c->what);
		c->has_nqn = argc == 3;
		return c->has_nqn && copy_str(c->o.nqn, sizeof(c->o.nqn), argv[2], "NQN")
			       ? DPUCTL_EXIT_USAGE : 0;
	}
	need = 2 + args[c->kind];
	if (argc < need || (argc > need && (c->verb == DPU_NVMF_DEL ||
					    c->kind == DPU_NVMF_HOST ||
					    c->kind == DPU_NVMF_LISTENER)))
		return usage_err(argc < need ? "%s: missing arguments" : "%s: too many arguments",
				 c->what);
	if (copy_str(c->o.nqn, sizeof(c->o.nqn), argv[2], "NQN"))
		return DPUCTL_EXIT_USAGE;
	switch (c->kind) {
	case DPU_NVMF_SUBSYS:
		return c->verb == DPU_NVMF_ADD ? parse_subsys_add(&c->o.subsys, argc, argv) : 0;
	case DPU_NVMF_NS:
		if (parse_u32(argv[3], "NSID", 1, 0xfffffffe, &c->o.ns.nsid))
			return DPUCTL_EXIT_USAGE;
		return c->verb == DPU_NVMF_ADD ? parse_ns_add(&c->o.ns, argc, argv) : 0;
	case DPU_NVMF_HOST:
		return copy_str(c->o.host.host_nqn, sizeof(c->o.host.host_nqn), argv[3], "HOSTNQN")
			       ? DPUCTL_EXIT_USAGE : 0;
	default: {
		/* The shared JSON parser checks the address the same way the
		 * agent will: give it the listener as JSON. */
		struct json_object *j = json_object_new_object();
		uint32_t port;
		char err[200];
		int rc;

		if (parse_u32(argv[4], "PORT", 1, 65535, &port)) {
			json_object_put(j);
			return DPUCTL_EXIT_USAGE;
		}
		json_object_object_add(j, "nqn", json_object_new_string(c->o.nqn));
		json_object_object_add(j, "traddr", json_object_new_string(argv[3]));
		json_object_object_add(j, "port", json_object_new_int((int)port));
		rc = dpu_nvmf_from_json(DPU_NVMF_LISTENER, false, j, &c->o, err, sizeof(err), NULL);
		json_object_put(j);
		if (rc) {
			fprintf(stderr, "dpuctl: ADDR: %s\n", err);
			return DPUCTL_EXIT_USAGE;
		}
		return 0;
	}
	}
}

/* ------------------------------------------------------------------ */
/* Output: a JSON array of objects, printed as a table or as it is.    */

static const char *str(struct json_object *o, const char *k)
{
	struct json_object *v;

	return json_object_object_get_ex(o, k, &v) && v ? json_object_get_string(v) : "";
}

static long long num(struct json_object *o, const char *k)
{
	struct json_object *v;

	return json_object_object_get_ex(o, k, &v) && v ? json_object_get_int64(v) : 0;
}

static void print_table(int kind, struct json_object *arr)
{
	size_t n = json_object_array_length(arr);
	bool agent = false;

	for (size_t i = 0; i < n; i++)
		agent |= json_object_object_get_ex(json_object_array_get_idx(arr, i), "where", NULL);
	switch (kind) {
	case DPU_NVMF_SUBSYS:
		printf("%-44s %-20s %3s %5s %9s %-8s", "nqn", "serial", "ns", "hosts", "listeners",
		       "any host");
		break;
	case DPU_NVMF_NS:
		printf("%-6s %-7s %14s %6s %-30s", "nsid", "backend", "size", "block", "path");
		break;
	case DPU_NVMF_HOST:
		printf("%-60s", "allowed host");
		break;
	default:
		printf("%-5s %-40s %5s", "trtype", "traddr", "port");
	}
	printf(agent ? " %s\n" : "\n", "where");
	for (size_t i = 0; i < n; i++) {
		struct json_object *o = json_object_array_get_idx(arr, i);
		char size[32];

		switch (kind) {
		case DPU_NVMF_SUBSYS:
			printf("%-44s %-20s %3lld %5lld %9lld %-8s", str(o, "nqn"), str(o, "serial"),
			       num(o, "namespaces"), num(o, "hosts"), num(o, "listeners"),
			       json_object_get_boolean(json_object_object_get(o, "allow_any_host"))
				       ? "yes" : "no");
			break;
		case DPU_NVMF_NS:
			if (num(o, "size_bytes"))
				snprintf(size, sizeof(size), "%lld", num(o, "size_bytes"));
			else
				snprintf(size, sizeof(size), "(file's)");
			printf("%-6lld %-7s %14s %6lld %-30s", num(o, "nsid"), str(o, "backend"), size,
			       num(o, "block_size"), *str(o, "path") ? str(o, "path") : "-");
			break;
		case DPU_NVMF_HOST:
			printf("%-60s", str(o, "host_nqn"));
			break;
		default:
			printf("%-5s %-40s %5lld", "tcp", str(o, "traddr"), num(o, "port"));
		}
		if (agent)
			printf(" %s%s%s", str(o, "where"), *str(o, "reason") ? ": " : "",
			       str(o, "reason"));
		printf("\n");
	}
	if (!n)
		printf("(none)\n");
}

static int print_list(int kind, struct json_object *arr)
{
	if (dpuctl_json) {
		dpuctl_print_json(arr);
		return 0;
	}
	print_table(kind, arr);
	json_object_put(arr);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Directly to the card.                                               */

static char refusal[112];

static void on_event(void *arg, const struct dpu_abi_hdr *evt)
{
	const struct dpu_abi_evt_error *e = dpu_abi_body(evt);

	(void)arg;
	if (evt->opcode == DPU_ABI_OP_EVT_ERROR && e->domain == DPU_ABI_ERRD_NVMF)
		snprintf(refusal, sizeof(refusal), "%.*s", (int)sizeof(e->text), e->text);
}

static int call(struct dpu_host_card *card, uint16_t op, const void *body, size_t len,
		const struct dpu_abi_hdr **resp, const char *what)
{
	static uint8_t buf[4096];
	int n = dpu_abi_encode(buf, sizeof(buf), op, 0, 0, body, len);

	if (n < 0) {
		fprintf(stderr, "dpuctl: %s: %s\n", what, dpu_abi_status_name((uint16_t)-n));
		return DPUCTL_EXIT_FAIL;
	}
	refusal[0] = 0;
	card->on_event = on_event;
	n = dpu_host_card_call(card, buf, (size_t)n, resp);
	if (n == DPU_ABI_OK)
		return 0;
	if (n > 0) {
		/* The card's reason comes as an event; take it if queued. */
		dpu_host_card_poll_events(card, 0);
		fprintf(stderr, "dpuctl: %s: %s%s%s\n", what, card->err, refusal[0] ? ": " : "",
			refusal);
		return DPUCTL_EXIT_FAIL;
	}
	return dpuctl_fail(card, what);
}

static int card_list(struct dpu_host_card *card, const struct nvmf_cmd *c)
{
	struct dpu_abi_nvmf_subsys_ref ref = { 0 };
	const struct dpu_abi_hdr *resp;
	const struct dpu_abi_list_resp *l;
	struct json_object *arr;
	size_t es = dpu_nvmf_entry_size(c->kind);
	int rc;

	memcpy(ref.nqn, c->o.nqn, sizeof(ref.nqn));
	if (c->kind == DPU_NVMF_SUBSYS)
		rc = call(card, dpu_nvmf_opcode(c->kind, DPU_NVMF_LIST), &ref.list,
			  sizeof(ref.list), &resp, c->what);
	else
		rc = call(card, dpu_nvmf_opcode(c->kind, DPU_NVMF_LIST), &ref, sizeof(ref), &resp,
			  c->what);
	if (rc)
		return rc;
	l = dpu_abi_body(resp);
	if (dpu_abi_body_len(resp) < sizeof(*l) ||
	    (uint64_t)l->count * es > dpu_abi_body_len(resp) - sizeof(*l)) {
		fprintf(stderr, "dpuctl: %s: the card's answer is short\n", c->what);
		return DPUCTL_EXIT_FAIL;
	}
	arr = json_object_new_array();
	for (uint32_t i = 0; i < l->count; i++) {
		union dpu_nvmf_obj o;
		struct json_object *j;

		memset(&o, 0, sizeof(o));
		memcpy(&o, (const uint8_t *)(l + 1) + i * es, es);
		j = dpu_nvmf_to_json(c->kind, &o);
		if (c->kind == DPU_NVMF_SUBSYS) {
			json_object_object_add(j, "namespaces", json_object_new_int(o.subsys.n_namespaces));
			json_object_object_add(j, "hosts", json_object_new_int(o.subsys.n_hosts));
			json_object_object_add(j, "listeners", json_object_new_int(o.subsys.n_listeners));
		}
		json_object_array_add(arr, j);
	}
	return print_list(c->kind, arr);
}

static int on_card(const char *addr, int timeout, const struct nvmf_cmd *c)
{
	struct dpu_host_card *card;
	const struct dpu_abi_hdr *resp;
	uint8_t body[sizeof(union dpu_nvmf_obj)];
	size_t len;
	int rc = dpu_host_card_open(addr, "dpuctl", DPU_ABI_FEAT_ALL, timeout, &card);

	if (rc < 0) {
		fprintf(stderr, "dpuctl: %s\n", card && card->err[0] ? card->err : strerror(-rc));
		dpu_host_card_close(card);
		return DPUCTL_EXIT_UNREACHABLE;
	}
	if (c->verb == DPU_NVMF_LIST) {
		rc = card_list(card, c);
	} else {
		len = dpu_nvmf_body(c->kind, c->verb, &c->o, body);
		rc = call(card, dpu_nvmf_opcode(c->kind, c->verb), body, len, &resp, c->what);
	}
	dpu_host_card_close(card);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Through the agent: {"nvmf": OBJECT, "verb": VERB, "spec": {...}}.   */

static int via_agent(const char *path, const struct nvmf_cmd *c)
{
	struct json_object *req = json_object_new_object(), *spec = NULL, *ans;
	static const char *const keys[DPU_NVMF_KINDS][3] = {
		{ "nqn" }, { "nqn", "nsid" }, { "nqn", "host_nqn" }, { "nqn", "traddr", "port" },
	};
	int rc = 0;

	if (c->verb != DPU_NVMF_LIST) {
		struct json_object *all = dpu_nvmf_to_json(c->kind, &c->o);

		spec = all;
		if (c->verb == DPU_NVMF_DEL) { /* a del names the object: its key */
			spec = json_object_new_object();
			for (int i = 0; i < 3 && keys[c->kind][i]; i++)
				json_object_object_add(spec, keys[c->kind][i], json_object_get(
					json_object_object_get(all, keys[c->kind][i])));
			json_object_put(all);
		}
	} else if (c->has_nqn) {
		spec = json_object_new_object();
		json_object_object_add(spec, "nqn", json_object_new_string(c->o.nqn));
	}
	json_object_object_add(req, "nvmf", json_object_new_string(dpu_nvmf_kind_name(c->kind)));
	json_object_object_add(req, "verb", json_object_new_string(dpu_nvmf_verb_name(c->verb)));
	if (spec)
		json_object_object_add(req, "spec", spec);
	ans = dpuctl_agent_ask(path, json_object_to_json_string_ext(req, JSON_C_TO_STRING_PLAIN |
								    JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(req);
	if (!ans)
		return DPUCTL_EXIT_UNREACHABLE;
	if (json_object_is_type(ans, json_type_object) && *str(ans, "error")) {
		fprintf(stderr, "dpuctl: %s: %s\n", c->what, str(ans, "error"));
		rc = DPUCTL_EXIT_FAIL;
	} else if (c->verb == DPU_NVMF_LIST) {
		if (!json_object_is_type(ans, json_type_array)) {
			fprintf(stderr, "dpuctl: %s: the agent's answer is not a list\n", c->what);
			rc = DPUCTL_EXIT_FAIL;
		} else {
			return print_list(c->kind, ans);
		}
	} else {
		if (*str(ans, "warning"))
			fprintf(stderr, "dpuctl: %s: warning: %s\n", c->what, str(ans, "warning"));
		if (dpuctl_json) {
			dpuctl_print_json(ans);
			return 0;
		}
	}
	json_object_put(ans);
	return rc;
}

int dpuctl_nvmf(const char *addr, int timeout, const char *agent, int argc, char **argv)
{
	struct nvmf_cmd c;
	int rc;

	for (int i = 0; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h") || !strcmp(argv[i], "help"))
			return dpuctl_nvmf_usage(stdout, DPUCTL_EXIT_OK);
	rc = parse(argc, argv, &c);
	if (rc)
		return rc;
	return agent ? via_agent(agent, &c) : on_card(addr, timeout, &c);
}
