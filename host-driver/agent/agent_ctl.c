// SPDX-License-Identifier: BSD-3-Clause
/*
 * The agent's control socket (dpuctl -a): one request line per connection,
 * one JSON document back. Requests: status, ports, flows, stats (flows
 * with fresh hardware counters), resync, replay PATH, and storage as a JSON
 * object: {"nvmf": "subsystem|ns|host|listener", "verb": "add|del|list",
 * "spec": {...}} (agent_nvmf.c; the fields are dpu_nvmf_json.h's).
 */
#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "agent.h"
#include "agent_log.h"
#include "dpu_abi_codec.h"
#include "dpu_rules_print.h"

int agent_ctl_open(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	unlink(path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(fd, 16)) {
		int e = -errno;

		close(fd);
		return e;
	}
	chmod(path, 0600);
	return fd;
}

static const char *state_name(uint8_t s)
{
	switch (s) {
	case AGENT_HW: return "hardware";
	case AGENT_PENDING: return "pending";
	case AGENT_SW: return "software";
	case AGENT_FAILED: return "software (card refused)";
	}
	return "?";
}

static void add_u64(struct json_object *o, const char *k, uint64_t v)
{
	json_object_object_add(o, k, json_object_new_int64((int64_t)v));
}

static struct json_object *status(struct agent *a)
{
	struct json_object *o = json_object_new_object();
	struct json_object *d = json_object_new_object();

	json_object_object_add(o, "card", json_object_new_string(a->card_addr));
	json_object_object_add(o, "connected", json_object_new_boolean(a->card != NULL));
	if (a->card) {
		json_object_object_add(o, "card_name",
				       json_object_new_string(a->card->hello.card_name));
		add_u64(o, "epoch", a->card->epoch);
	}
	add_u64(o, "rules", a->store.n_rules);
	add_u64(o, "queued", a->n_queue);
	add_u64(d, "decoded", a->st.decode.decoded);
	add_u64(d, "malformed", a->st.decode.malformed);
	add_u64(d, "refused", a->st.decode.refused);
	add_u64(d, "sw_only", a->st.decode.sw_only);
	add_u64(d, "ignored", a->st.decode.ignored);
	json_object_object_add(o, "tc_messages", d);
	add_u64(o, "adds", a->st.adds);
	add_u64(o, "dels", a->st.dels);
	add_u64(o, "batches", a->st.batches);
	add_u64(o, "ops_sent", a->st.ops_sent);
	add_u64(o, "ops_failed", a->st.ops_failed);
	add_u64(o, "resyncs", a->st.resyncs);
	add_u64(o, "resync_deleted", a->st.resync_deleted);
	add_u64(o, "card_resets", a->st.card_resets);
	d = agent_nvmf_status(a);
	add_u64(d, "changes", a->st.nvmf_changes);
	add_u64(d, "replayed", a->st.nvmf_replayed);
	add_u64(d, "replay_refused", a->st.nvmf_replay_failed);
	json_object_object_add(o, "storage", d);
	return o;
}

static struct json_object *ports(struct agent *a)
{
	struct json_object *arr = json_object_new_array();

	for (unsigned int i = 0; i < a->n_ports; i++) {
		struct json_object *o = json_object_new_object();
		const struct agent_port *p = &a->ports[i];

		json_object_object_add(o, "ifname", json_object_new_string(p->ifname));
		add_u64(o, "ifindex", p->ifindex);
		json_object_object_add(o, "kind", json_object_new_string(
			p->info.kind == DPU_RULES_PORT_TUNNEL ? "tunnel" : "representor"));
		add_u64(o, "port_id", p->info.port_id);
		json_object_array_add(arr, o);
	}
	return arr;
}

static void one_flow(void *arg, struct agent_rule *r)
{
	struct json_object *arr = arg, *o = json_object_new_object();
	char id[40], text[1024];

	snprintf(id, sizeof(id), "%016llx%016llx", (unsigned long long)r->id.hi,
		 (unsigned long long)r->id.lo);
	json_object_object_add(o, "id", json_object_new_string(id));
	add_u64(o, "ifindex", r->tc.ifindex);
	add_u64(o, "chain", r->tc.chain);
	add_u64(o, "prio", r->tc.prio);
	add_u64(o, "handle", r->tc.handle);
	json_object_object_add(o, "where", json_object_new_string(state_name(r->state)));
	if (r->reason)
		json_object_object_add(o, "reason", json_object_new_string(r->reason));
	if (r->op_len) {
		struct dpu_rules_abi_flow f;

		if (!dpu_rules_abi_from_op((const struct dpu_abi_flow_op *)r->op, &f)) {
			dpu_rules_format_abi(&f, text, sizeof(text));
			json_object_object_add(o, "rule", json_object_new_string(text));
		}
	}
	add_u64(o, "packets", r->packets);
	add_u64(o, "bytes", r->bytes);
	json_object_object_add(o, "idle_ms", r->idle_ms == UINT32_MAX ? NULL :
				       json_object_new_int64(r->idle_ms));
	json_object_array_add(arr, o);
}

/* A JSON request: {"nvmf": ...} is the only kind so far. */
static struct json_object *handle_json(struct agent *a, const char *req)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *j, *o;
	enum json_tokener_error e;
	size_t off;

	if (!tok)
		return NULL;
	j = json_tokener_parse_ex(tok, req, (int)strlen(req));
	e = json_tokener_get_error(tok);
	off = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (!j || e != json_tokener_success || req[off + strspn(req + off, " \t")]) {
		char text[200];

		snprintf(text, sizeof(text), "request: malformed JSON at byte %zu: %s", off + 1,
			 e == json_tokener_continue ? "the request ends inside the JSON"
			 : e != json_tokener_success ? json_tokener_error_desc(e)
						     : "text after the object");
		json_object_put(j);
		o = json_object_new_object();
		json_object_object_add(o, "error", json_object_new_string(text));
		return o;
	}
	if (json_object_is_type(j, json_type_object) && json_object_object_get_ex(j, "nvmf", NULL)) {
		o = agent_nvmf_request(a, j);
	} else {
		o = json_object_new_object();
		json_object_object_add(o, "error", json_object_new_string(
			"request: a JSON request is an object with \"nvmf\" (subsystem, ns, host, "
			"listener), \"verb\" (add, del, list) and \"spec\""));
	}
	json_object_put(j);
	return o;
}

struct json_object *agent_ctl_handle(struct agent *a, char *req)
{
	struct json_object *arr;

	req[strcspn(req, "\r\n")] = 0;
	if (req[0] == '{' || req[0] == '[')
		return handle_json(a, req);
	if (!strcmp(req, "status"))
		return status(a);
	if (!strcmp(req, "ports"))
		return ports(a);
	if (!strcmp(req, "flows") || !strcmp(req, "stats")) {
		if (!strcmp(req, "stats") && a->card)
			agent_card_query(a);
		arr = json_object_new_array();
		agent_store_foreach(&a->store, one_flow, arr);
		return arr;
	}
	if (!strcmp(req, "resync")) {
		int rc = a->card ? agent_card_resync(a) : -ENOTCONN;
		struct json_object *o = status(a);

		json_object_object_add(o, "result", json_object_new_string(rc ? strerror(-rc) : "ok"));
		return o;
	}
	if (!strncmp(req, "replay ", 7)) {
		int n = agent_replay_file(a, req + 7);
		struct json_object *o = json_object_new_object();

		if (n >= 0 && a->card)
			agent_card_flush(a);
		if (n < 0)
			json_object_object_add(o, "error", json_object_new_string(strerror(-n)));
		else
			add_u64(o, "messages", (uint64_t)n);
		return o;
	}
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "error", json_object_new_string(
		"unknown request (status, ports, flows, stats, resync, replay PATH, "
		"or a JSON {\"nvmf\": ...} object)"));
	return o;
}

void agent_ctl_serve(struct agent *a, int lfd)
{
	for (;;) {
		int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
		char req[8192];
		size_t got = 0;
		ssize_t n;
		struct json_object *o;
		const char *out;
		size_t len, off = 0;
		struct timeval tv = { 2, 0 };

		if (fd < 0)
			return;
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		/* A client that stops reading an answer must not hold up tc
		 * and the card for longer than that either. */
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
		/* One line (a JSON request may come in pieces). */
		while (got < sizeof(req) - 1 && (n = read(fd, req + got, sizeof(req) - 1 - got)) > 0) {
			got += (size_t)n;
			if (memchr(req + got - (size_t)n, '\n', (size_t)n))
				break;
		}
		if (!got) {
			close(fd);
			continue;
		}
		req[got] = 0;
		if (got == sizeof(req) - 1 && !memchr(req, '\n', got)) {
			o = json_object_new_object();
			json_object_object_add(o, "error", json_object_new_string(
				"request: longer than 8191 bytes"));
		} else {
			o = agent_ctl_handle(a, req);
		}
		if (!o) {
			close(fd);
			continue;
		}
		out = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
						       JSON_C_TO_STRING_NOSLASHESCAPE);
		len = strlen(out);
		while (off < len) {
			ssize_t w = write(fd, out + off, len - off);

			if (w <= 0)
				break;
			off += (size_t)w;
		}
		(void)!write(fd, "\n", 1);
		json_object_put(o);
		close(fd);
	}
}
