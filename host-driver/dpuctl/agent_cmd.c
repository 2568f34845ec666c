// SPDX-License-Identifier: BSD-3-Clause
/*
 * dpuctl -a: ask dpu-agent (its control socket) instead of the card: what
 * tc asked for, where each filter lives (hardware, or software and why),
 * hardware counters, the representor map.
 */
#include <errno.h>
#include <json-c/json.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "dpuctl.h"

struct json_object *dpuctl_agent_ask(const char *path, const char *req)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char *buf = NULL;
	size_t len = 0, cap = 0;
	struct json_object *o;
	char line[8192];
	int fd, n;

	n = snprintf(line, sizeof(line), "%s\n", req);
	if (strlen(path) >= sizeof(sa.sun_path) || n < 0 || (size_t)n >= sizeof(line)) {
		fprintf(stderr, "dpuctl: agent at %s: path or request too long\n", path);
		return NULL;
	}
	signal(SIGPIPE, SIG_IGN);
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    write(fd, line, (size_t)n) != n) {
		fprintf(stderr, "dpuctl: agent at %s: %s\n", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	for (;;) {
		ssize_t got;

		if (len + 65536 > cap) {
			char *g = realloc(buf, cap = cap * 2 + 65536);

			if (!g)
				break;
			buf = g;
		}
		got = read(fd, buf + len, cap - len - 1);
		if (got <= 0)
			break;
		len += (size_t)got;
	}
	close(fd);
	if (!buf)
		return NULL;
	buf[len] = 0;
	o = json_tokener_parse(buf);
	free(buf);
	if (!o)
		fprintf(stderr, "dpuctl: agent at %s: unreadable answer\n", path);
	return o;
}

static const char *str(struct json_object *o, const char *k)
{
	struct json_object *v;

	return json_object_object_get_ex(o, k, &v) && v ? json_object_get_string(v) : "";
}

static long long num(struct json_object *o, const char *k)
{
	struct json_object *v;

	return json_object_object_get_ex(o, k, &v) && v ? json_object_get_int64(v) : -1;
}

static int print_flows(struct json_object *arr, const char *only)
{
	size_t n = json_object_array_length(arr), hw = 0, shown = 0;

	if (!only)
		printf("%-32s %-8s %5s %5s %-10s %12s %14s  %s\n", "id", "ifindex", "chain", "prio",
		       "where", "packets", "bytes", "rule / reason");
	for (size_t i = 0; i < n; i++) {
		struct json_object *o = json_object_array_get_idx(arr, i);
		const char *where = str(o, "where"), *reason = str(o, "reason");

		if (only && strcmp(only, str(o, "id")))
			continue;
		shown++;
		if (!strcmp(where, "hardware"))
			hw++;
		if (only) {
			printf("id        %s\nfilter    ifindex %lld chain %lld prio %lld handle 0x%llx\n"
			       "where     %s\n", str(o, "id"), num(o, "ifindex"), num(o, "chain"),
			       num(o, "prio"), num(o, "handle"), where);
			if (*reason)
				printf("why       %s\n", reason);
			if (*str(o, "rule"))
				printf("rule      %s\n", str(o, "rule"));
			printf("counters  %lld packets, %lld bytes\n", num(o, "packets"), num(o, "bytes"));
			continue;
		}
		printf("%-32s %-8lld %5lld %5lld %-10s %12lld %14lld  %s\n", str(o, "id"),
		       num(o, "ifindex"), num(o, "chain"), num(o, "prio"),
		       strncmp(where, "software", 8) ? where : "software", num(o, "packets"),
		       num(o, "bytes"), *reason ? reason : str(o, "rule"));
	}
	if (only && !shown) {
		fprintf(stderr, "dpuctl: flow show: no filter with id %s\n", only);
		return DPUCTL_EXIT_FAIL;
	}
	if (!only)
		printf("%zu filters, %zu in hardware, %zu in software\n", n, hw, n - hw);
	return 0;
}

int dpuctl_agent(const char *path, int argc, char **argv)
{
	const char *cmd = argc >= 1 ? argv[0] : "status", *req;
	const char *sub = argc >= 2 ? argv[1] : "";
	struct json_object *o;
	int rc = 0;

	if (!strcmp(cmd, "status"))
		req = "status";
	else if (!strcmp(cmd, "port") && (!*sub || !strcmp(sub, "list")))
		req = "ports";
	else if (!strcmp(cmd, "flow") && (!*sub || !strcmp(sub, "list") || !strcmp(sub, "show")))
		req = "flows";
	else if (!strcmp(cmd, "stats"))
		req = "stats";
	else if (!strcmp(cmd, "resync"))
		req = "resync";
	else {
		fprintf(stderr, "dpuctl -a: expected status, port list, flow list, flow show ID, "
				"stats, resync or nvmf ... ('dpuctl --help')\n");
		return DPUCTL_EXIT_USAGE;
	}
	if (!strcmp(sub, "show") && argc < 3) {
		fprintf(stderr, "dpuctl -a: flow show needs an id (from flow list)\n");
		return DPUCTL_EXIT_USAGE;
	}
	o = dpuctl_agent_ask(path, req);
	if (!o)
		return DPUCTL_EXIT_UNREACHABLE;
	if (json_object_is_type(o, json_type_object) && *str(o, "error")) {
		fprintf(stderr, "dpuctl: agent: %s\n", str(o, "error"));
		json_object_put(o);
		return DPUCTL_EXIT_FAIL;
	}
	if (dpuctl_json) {
		dpuctl_print_json(o);
		return 0;
	}
	if (!strcmp(req, "status") || !strcmp(req, "resync")) {
		struct json_object *d;

		printf("card        %s (%s)%s\n", str(o, "card"), str(o, "card_name"),
		       json_object_get_boolean(json_object_object_get(o, "connected")) ? "" :
											 " NOT CONNECTED");
		printf("epoch       %lld\n", num(o, "epoch"));
		printf("filters     %lld (%lld changes waiting for the card)\n", num(o, "rules"),
		       num(o, "queued"));
		if (json_object_object_get_ex(o, "tc_messages", &d))
			printf("tc msgs     %lld decoded, %lld malformed, %lld not offloadable, "
			       "%lld skip_hw, %lld ignored\n", num(d, "decoded"), num(d, "malformed"),
			       num(d, "refused"), num(d, "sw_only"), num(d, "ignored"));
		printf("card ops    %lld sent in %lld batches, %lld refused\n", num(o, "ops_sent"),
		       num(o, "batches"), num(o, "ops_failed"));
		printf("resyncs     %lld (%lld stale rules removed), %lld card resets seen\n",
		       num(o, "resyncs"), num(o, "resync_deleted"), num(o, "card_resets"));
		if (json_object_object_get_ex(o, "storage", &d))
			printf("storage     %lld subsystems, %lld namespaces, %lld hosts, %lld listeners"
			       " (%lld not on the card); state file %s\n", num(d, "subsystems"),
			       num(d, "namespaces"), num(d, "hosts"), num(d, "listeners"),
			       num(d, "not_on_card"), *str(d, "state_file") ? str(d, "state_file")
									    : "none");
		if (!json_object_get_boolean(json_object_object_get(o, "connected")))
			rc = DPUCTL_EXIT_UNREACHABLE;
	} else if (!strcmp(req, "ports")) {
		printf("%-16s %-8s %-12s %s\n", "netdev", "ifindex", "kind", "card port");
		for (size_t i = 0; i < json_object_array_length(o); i++) {
			struct json_object *p = json_object_array_get_idx(o, i);

			printf("%-16s %-8lld %-12s %lld\n", str(p, "ifname"), num(p, "ifindex"),
			       str(p, "kind"), num(p, "port_id"));
		}
	} else {
		rc = print_flows(o, !strcmp(sub, "show") ? argv[2] : NULL);
	}
	json_object_put(o);
	return rc;
}
