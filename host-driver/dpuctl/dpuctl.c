/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dpuctl: look at and drive an opendpu card. Until dpu-agent lands it talks
 * to the card directly (-c ADDR); human tables by default, JSON with -j.
 * Exit codes: 0 ok, 1 the card refused or a check failed, 2 usage,
 * 3 cannot reach the card.
 */
#include <errno.h>
#include <getopt.h>
#include <json-c/json.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dpu_host.h"
#include "dpuctl.h"

bool dpuctl_json;

static void usage(FILE *f)
{
	fprintf(f,
		"usage: dpuctl [-c ADDR] [-j] COMMAND\n"
		"\n"
		"  -c, --card ADDR   card to talk to (default $DPU_CARD or\n"
		"                    shm:/run/opendpu/dpu0.sock); shm:PATH, unix:PATH,\n"
		"                    tcp:HOST:PORT, rdma:HOST:PORT\n"
		"  -j, --json        JSON output\n"
		"  -t, --timeout MS  per-request timeout (default 5000)\n"
		"  -a, --agent[=PATH] ask dpu-agent (default /run/opendpu/agent.sock):\n"
		"                    status, port list, flow list, flow show ID, stats\n"
		"                    (filters with fresh hardware counters), resync, and\n"
		"                    nvmf ... (storage the agent keeps and replays after\n"
		"                    a card restart)\n"
		"\n"
		"commands:\n"
		"  status            negotiated ABI version, features, capacities, health\n"
		"  port list         the card's ports\n"
		"  port stats        per-port counters\n"
		"  flow add [id N] RULE   install a rule, testpmd-style:\n"
		"                    [group N] [priority N] pattern ITEM / ... / end\n"
		"                    actions ACTION / ... / end   e.g.\n"
		"                    flow add pattern port pf0vf0 / eth / ipv4 dst is 10.0.0.2\n"
		"                      / end actions count / port pf0vf1 / end\n"
		"                    (docs/rules.md lists every item and action)\n"
		"  flow load FILE    one rule per line ('-': stdin), sent in batches\n"
		"  flow del ID...    remove rules\n"
		"  flow query [ID...] [reset]  hit counters (all rules when no ID)\n"
		"  flow list         ids of the rules the card holds\n"
		"  flow flush [GRP]  remove every rule (of group GRP)\n"
		"  card reset        reset the card (new epoch; hosts must resync)\n"
		"  events [SECONDS]  print events from the card as they come (default 5)\n"
		"  selftest          a round of every basic request, checked\n"
		"  nvmf ...          the card's NVMe-oF/TCP target: subsystem, ns, host,\n"
		"                    listener add|del|list ('dpuctl nvmf --help'); with -a\n"
		"                    through the agent, which keeps it across restarts\n"
		"\n"
		"exit status: 0 ok, 1 refused/failed, 2 usage, 3 card (or agent) unreachable\n");
}

int dpuctl_fail(struct dpu_host_card *card, const char *what)
{
	fprintf(stderr, "dpuctl: %s: %s\n", what, card->err[0] ? card->err : "failed");
	return DPUCTL_EXIT_FAIL;
}

void dpuctl_print_json(struct json_object *o)
{
	puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
						       JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
}

const char *dpuctl_feature_names(uint64_t f, char *buf, size_t cap)
{
	static const char *names[] = { "flow", "aging", "tunnel", "ct", "acl",
				       "meter", "mirror", "ipsec", "nvmf", "events",
				       "port-config" };
	size_t off = 0;

	buf[0] = 0;
	for (unsigned int i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (f & (1ull << i))
			off += (size_t)snprintf(buf + off, cap - off, "%s%s",
						off ? "," : "", names[i]);
	return buf;
}

static int cmd_status(struct dpu_host_card *card, int argc, char **argv)
{
	const struct dpu_abi_hello_resp *h = &card->hello;
	const struct dpu_abi_caps *c = &h->caps;
	struct dpu_abi_keepalive_req ka = { .seq = 1 };
	const struct dpu_abi_keepalive_resp *kr;
	const struct dpu_abi_hdr *resp;
	char feats[256];

	(void)argc;
	(void)argv;
	if (dpu_host_card_simple(card, DPU_ABI_OP_KEEPALIVE, &ka, sizeof(ka), &resp))
		return dpuctl_fail(card, "keepalive");
	kr = dpu_abi_body(resp);
	dpuctl_feature_names(h->features, feats, sizeof(feats));
	if (dpuctl_json) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "card", json_object_new_string(h->card_name));
		json_object_object_add(o, "firmware", json_object_new_string(h->fw_version));
		json_object_object_add(o, "abi_major", json_object_new_int(h->ver_major));
		json_object_object_add(o, "abi_minor", json_object_new_int(h->ver_minor));
		json_object_object_add(o, "epoch", json_object_new_int64(card->epoch));
		json_object_object_add(o, "features", json_object_new_string(feats));
		json_object_object_add(o, "max_msg_len", json_object_new_int64(c->max_msg_len));
		json_object_object_add(o, "max_batch", json_object_new_int64(c->max_batch));
		json_object_object_add(o, "ports", json_object_new_int64(c->n_ports));
		json_object_object_add(o, "max_flows", json_object_new_int64(c->max_flows));
		json_object_object_add(o, "flows", json_object_new_int64(kr->n_flows));
		json_object_object_add(o, "uptime_ms", json_object_new_int64((int64_t)kr->uptime_ms));
		json_object_object_add(o, "health", json_object_new_int64(kr->health));
		json_object_object_add(o, "bad_msgs", json_object_new_int64((int64_t)kr->bad_msgs));
		dpuctl_print_json(o);
		return 0;
	}
	printf("card        %s (%s)\n", h->card_name, h->fw_version);
	printf("ABI         %u.%u (host speaks %u.%u)\n", h->ver_major, h->ver_minor,
	       DPU_ABI_VERSION_MAJOR, DPU_ABI_VERSION_MINOR);
	printf("epoch       %u\n", card->epoch);
	printf("features    %s\n", feats);
	printf("messages    up to %u bytes, %u ops per batch\n", c->max_msg_len,
	       c->max_batch);
	printf("ports       %u\n", c->n_ports);
	printf("flows       %u of %u (%u groups)\n", kr->n_flows, c->max_flows,
	       c->max_groups);
	printf("uptime      %.1f s\n", (double)kr->uptime_ms / 1000.0);
	printf("health      %s (0x%x), %llu bad messages rejected\n",
	       kr->health ? "degraded" : "ok", kr->health,
	       (unsigned long long)kr->bad_msgs);
	return 0;
}

static const char *port_kind(uint8_t k)
{
	static const char *n[] = { "uplink", "pf", "vf", "sf" };

	return k < DPU_ABI_PORT_KIND_MAX ? n[k] : "?";
}

static int cmd_port(struct dpu_host_card *card, int argc, char **argv)
{
	const struct dpu_abi_hdr *resp;
	const struct dpu_abi_list_resp *l;
	bool stats;

	if (argc < 1 || (strcmp(argv[0], "list") && strcmp(argv[0], "stats"))) {
		fprintf(stderr, "dpuctl: port: expected 'list' or 'stats'\n");
		return DPUCTL_EXIT_USAGE;
	}
	stats = !strcmp(argv[0], "stats");
	if (stats) {
		struct dpu_abi_port_stats_req q = { 0 };

		if (dpu_host_card_simple(card, DPU_ABI_OP_PORT_STATS, &q, sizeof(q), &resp))
			return dpuctl_fail(card, "port stats");
	} else {
		struct dpu_abi_list_req q = { 0 };

		if (dpu_host_card_simple(card, DPU_ABI_OP_PORT_LIST, &q, sizeof(q), &resp))
			return dpuctl_fail(card, "port list");
	}
	l = dpu_abi_body(resp);
	struct json_object *arr = dpuctl_json ? json_object_new_array() : NULL;

	if (!dpuctl_json)
		printf(stats ? "%-4s %12s %14s %12s %14s %10s %10s %12s\n"
			     : "%-4s %-8s %-7s %-5s %-17s %-5s %s\n",
		       "id", stats ? "rx_pkts" : "name", stats ? "rx_bytes" : "kind",
		       stats ? "tx_pkts" : "mtu", stats ? "tx_bytes" : "mac",
		       stats ? "rx_errors" : "state", stats ? "drops" : "speed",
		       "exceptions");
	for (uint32_t i = 0; i < l->count; i++) {
		if (stats) {
			const struct dpu_abi_port_stats *s =
				(const void *)((const uint8_t *)(l + 1) + i * sizeof(*s));

			if (arr) {
				struct json_object *o = json_object_new_object();
				json_object_object_add(o, "port_id", json_object_new_int64(s->port_id));
				json_object_object_add(o, "rx_packets", json_object_new_int64((int64_t)s->rx_packets));
				json_object_object_add(o, "rx_bytes", json_object_new_int64((int64_t)s->rx_bytes));
				json_object_object_add(o, "tx_packets", json_object_new_int64((int64_t)s->tx_packets));
				json_object_object_add(o, "tx_bytes", json_object_new_int64((int64_t)s->tx_bytes));
				json_object_object_add(o, "rx_errors", json_object_new_int64((int64_t)s->rx_errors));
				json_object_object_add(o, "hw_hits", json_object_new_int64((int64_t)s->hw_hits));
				json_object_object_add(o, "exceptions", json_object_new_int64((int64_t)s->exceptions));
				json_object_array_add(arr, o);
			} else {
				printf("%-4u %12llu %14llu %12llu %14llu %10llu %10llu %12llu\n",
				       s->port_id, (unsigned long long)s->rx_packets,
				       (unsigned long long)s->rx_bytes,
				       (unsigned long long)s->tx_packets,
				       (unsigned long long)s->tx_bytes,
				       (unsigned long long)s->rx_errors,
				       (unsigned long long)(s->rx_dropped + s->tx_dropped),
				       (unsigned long long)s->exceptions);
			}
			continue;
		}
		const struct dpu_abi_port_info *p =
			(const void *)((const uint8_t *)(l + 1) + i * sizeof(*p));
		char mac[18];

		snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", p->mac[0],
			 p->mac[1], p->mac[2], p->mac[3], p->mac[4], p->mac[5]);
		if (arr) {
			struct json_object *o = json_object_new_object();
			json_object_object_add(o, "port_id", json_object_new_int64(p->port_id));
			json_object_object_add(o, "name", json_object_new_string(p->name));
			json_object_object_add(o, "kind", json_object_new_string(port_kind(p->kind)));
			json_object_object_add(o, "mtu", json_object_new_int(p->mtu));
			json_object_object_add(o, "mac", json_object_new_string(mac));
			json_object_object_add(o, "admin_up", json_object_new_boolean(p->admin_up));
			json_object_object_add(o, "oper_up", json_object_new_boolean(p->oper_up));
			json_object_array_add(arr, o);
		} else {
			printf("%-4u %-8s %-7s %-5u %-17s %-5s %u Mb/s\n", p->port_id, p->name,
			       port_kind(p->kind), p->mtu, mac,
			       p->oper_up ? "up" : "down", p->speed_mbps);
		}
	}
	if (arr)
		dpuctl_print_json(arr);
	return 0;
}

static int cmd_card(struct dpu_host_card *card, int argc, char **argv)
{
	struct dpu_abi_card_reset_req q = { .kind = DPU_ABI_RESET_SOFT };
	const struct dpu_abi_card_reset_resp *r;
	const struct dpu_abi_hdr *resp;

	if (argc < 1 || strcmp(argv[0], "reset")) {
		fprintf(stderr, "dpuctl: card: expected 'reset'\n");
		return DPUCTL_EXIT_USAGE;
	}
	if (dpu_host_card_simple(card, DPU_ABI_OP_CARD_RESET, &q, sizeof(q), &resp))
		return dpuctl_fail(card, "card reset");
	r = dpu_abi_body(resp);
	printf("card reset: epoch %u -> %u\n", r->old_epoch, r->new_epoch);
	return 0;
}

static void print_event(void *arg, const struct dpu_abi_hdr *evt)
{
	(void)arg;
	printf("event %s", dpu_abi_opcode_name(evt->opcode));
	if (evt->opcode == DPU_ABI_OP_EVT_CARD_RESET) {
		const struct dpu_abi_evt_card_reset *r = dpu_abi_body(evt);
		printf(": epoch %u -> %u (%s)", r->old_epoch, r->new_epoch,
		       r->reason == DPU_ABI_RESET_RESTART ? "firmware restart" :
		       r->reason == DPU_ABI_RESET_FATAL ? "recovered from an error" :
							  "requested");
	} else if (evt->opcode == DPU_ABI_OP_EVT_PORT_STATE) {
		const struct dpu_abi_evt_port_state *p = dpu_abi_body(evt);
		printf(": port %u %s", p->port_id, p->oper_up ? "up" : "down");
	} else if (evt->opcode == DPU_ABI_OP_EVT_FLOW_AGED) {
		const struct dpu_abi_evt_flow_aged *a = dpu_abi_body(evt);
		printf(": %u flows", a->count);
	}
	printf("\n");
	fflush(stdout);
}

static int cmd_events(struct dpu_host_card *card, int argc, char **argv)
{
	int secs = argc >= 1 ? atoi(argv[0]) : 5;
	struct timespec t0, t;

	card->on_event = print_event;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &t);
		long left = secs * 1000L - ((t.tv_sec - t0.tv_sec) * 1000L +
					    (t.tv_nsec - t0.tv_nsec) / 1000000L);
		if (left <= 0)
			return 0;
		int rc = dpu_host_card_poll_events(card, (int)left);

		if (rc < 0) {
			/* The card went away (firmware restart): follow it. */
			printf("event LINK_DOWN: %s\n", strerror(-rc));
			fflush(stdout);
			rc = dpu_host_card_reconnect(card, (int)left);
			if (rc < 0) {
				fprintf(stderr, "dpuctl: events: %s\n", card->err);
				return DPUCTL_EXIT_UNREACHABLE;
			}
		}
	}
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "card", required_argument, NULL, 'c' },
		{ "json", no_argument, NULL, 'j' },
		{ "timeout", required_argument, NULL, 't' },
		{ "agent", optional_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	static const struct {
		const char *name;
		int (*fn)(struct dpu_host_card *, int, char **);
	} cmds[] = {
		{ "status", cmd_status },   { "port", cmd_port },
		{ "flow", dpuctl_flow },       { "card", cmd_card },
		{ "events", cmd_events },   { "selftest", dpuctl_selftest },
	};
	const char *addr = getenv("DPU_CARD"), *agent = NULL;
	struct dpu_host_card *card;
	int c, timeout = 5000, rc;

	if (!addr)
		addr = "shm:/run/opendpu/dpu0.sock";
	while ((c = getopt_long(argc, argv, "+c:jt:a::h", opts, NULL)) != -1) {
		switch (c) {
		case 'a':
			agent = optarg ? optarg : "/run/opendpu/agent.sock";
			break;
		case 'c':
			addr = optarg;
			break;
		case 'j':
			dpuctl_json = true;
			break;
		case 't':
			timeout = atoi(optarg);
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return DPUCTL_EXIT_USAGE;
		}
	}
	/* nvmf: the same commands to the card or through the agent */
	if (optind < argc && !strcmp(argv[optind], "nvmf"))
		return dpuctl_nvmf(addr, timeout, agent, argc - optind - 1, argv + optind + 1);
	if (agent)
		return dpuctl_agent(agent, argc - optind, argv + optind);
	if (optind >= argc) {
		usage(stderr);
		return DPUCTL_EXIT_USAGE;
	}
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		if (strcmp(argv[optind], cmds[i].name))
			continue;
		rc = dpu_host_card_open(addr, "dpuctl", DPU_ABI_FEAT_ALL, timeout, &card);
		if (rc < 0) {
			fprintf(stderr, "dpuctl: %s\n",
				card && card->err[0] ? card->err : strerror(-rc));
			dpu_host_card_close(card);
			return DPUCTL_EXIT_UNREACHABLE;
		}
		rc = cmds[i].fn(card, argc - optind - 1, argv + optind + 1);
		dpu_host_card_close(card);
		return rc;
	}
	fprintf(stderr, "dpuctl: unknown command '%s' (try --help)\n", argv[optind]);
	return DPUCTL_EXIT_USAGE;
}
