/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Topology files: the shipped examples load with the port layout the
 * firmware expects, and every kind of mistake is refused with a message
 * naming the field.
 */
#include <stdio.h>
#include <string.h>

#include "sim_topo.h"

static int failures;

#define CHECK(c)                                                             \
	do {                                                                 \
		if (!(c)) {                                                  \
			fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, \
				__LINE__, #c);                               \
			failures++;                                          \
		}                                                            \
	} while (0)

static void check_examples(const char *dir)
{
	static struct sim_topo t;
	char path[512], err[256];
	const struct sim_topo_card *c;

	snprintf(path, sizeof(path), "%s/one-card.json", dir);
	CHECK(sim_topo_load(path, &t, err, sizeof(err)) == 0);
	c = sim_topo_find_card(&t, "dpu0");
	CHECK(c != NULL);
	if (c) {
		CHECK(c->n_ports == 4 && c->n_uplinks == 1 && c->n_vfs == 2);
		CHECK(!strcmp(c->ports[0].name, "p0") && c->ports[0].kind == SIM_TOPO_UPLINK);
		CHECK(!strcmp(c->ports[1].name, "pf0") && c->ports[1].kind == SIM_TOPO_PF);
		CHECK(!strcmp(c->ports[3].name, "pf0vf1") && !strcmp(c->ports[3].netns, "vm1"));
		CHECK(!strcmp(c->ports[3].rep_ifname, "pf0vf1"));
		CHECK(!strcmp(c->ports[3].host_ifname, "dpu0_pf0vf1"));
		CHECK(c->ports[2].n_ips == 1 && c->ports[2].has_mac);
	}
	snprintf(path, sizeof(path), "%s/two-cards.json", dir);
	CHECK(sim_topo_load(path, &t, err, sizeof(err)) == 0);
	CHECK(t.n_cards == 2 && t.n_wires == 1);
	if (t.n_cards == 2)
		CHECK(strcmp(t.cards[0].rep_prefix, t.cards[1].rep_prefix) != 0);
	CHECK(sim_topo_load("/nonexistent/topo.json", &t, err, sizeof(err)) < 0);
}

static const struct {
	const char *json;
	const char *err;	/* substring of the message */
} bad[] = {
	{ "[]", "topology: expected a JSON object" },
	{ "{", "not JSON" },
	{ "{\"cards\": []}", "cards: expected a non-empty array" },
	{ "{\"cards\": [{}]}", "cards[0].name: missing" },
	{ "{\"cards\": [{\"name\": \"toolongname\"}]}", "cards[0].name: 'toolongname' is not a name" },
	{ "{\"cards\": [{\"name\": \"a;rm\"}]}", "is not a name" },
	{ "{\"cards\": [{\"name\": \"c\", \"vfs\": [{\"ip\": \"10.0.0.1\"}]}]}",
	  "cards[0].vfs[0].ip: '10.0.0.1' is not an address/prefix" },
	{ "{\"cards\": [{\"name\": \"c\", \"vfs\": [{\"ip\": \"10.0.0.1/33\"}]}]}",
	  "is not an address/prefix" },
	{ "{\"cards\": [{\"name\": \"c\", \"vfs\": [{\"mac\": \"01:00:00:00:00:01\"}]}]}",
	  "cards[0].vfs[0].mac: '01:00:00:00:00:01' is not a unicast MAC" },
	{ "{\"cards\": [{\"name\": \"c\", \"vfs\": [{\"mtu\": 20}]}]}", "cards[0].vfs[0].mtu: 20 is below 68" },
	{ "{\"cards\": [{\"name\": \"c\", \"vfs\": [{\"mtu\": \"big\"}]}]}", "expected an integer" },
	{ "{\"cards\": [{\"name\": \"c\", \"vfs\": [{\"driver\": \"e1000\"}]}]}",
	  "cards[0].vfs[0].driver: 'e1000' is not vtap or a DPDK net_* vdev" },
	{ "{\"cards\": [{\"name\": \"c\", \"uplinks\": [{}]}]}", "cards[0].uplinks[0]: an uplink needs \"wire\"" },
	{ "{\"cards\": [{\"name\": \"c\", \"uplinks\": [{\"wire\": \"w\"}]}]}",
	  "cards[0].uplinks[0]: wire 'w' is not in \"wires\"" },
	{ "{\"cards\": [{\"name\": \"c\", \"vfs\": [{\"wire\": \"w\"}]}]}", "only uplinks plug into a wire" },
	{ "{\"cards\": [{\"name\": \"c\"}, {\"name\": \"c\"}]}", "card 'c' defined twice" },
	{ "{\"cards\": [{\"name\": \"c\"}, {\"name\": \"d\"}]}", "rep_prefix '' already used by card 'c'" },
	{ "{\"wires\": [{\"name\": \"w\"}, {\"name\": \"w\"}], \"cards\": [{\"name\": \"c\"}]}",
	  "wires[1]: wire 'w' defined twice" },
	{ "{\"run_dir\": \"rel\", \"cards\": [{\"name\": \"c\"}]}", "topology.run_dir: 'rel' is not an absolute path" },
	{ "{\"cards\": [{\"name\": \"c\", \"rep_prefix\": \"abcdefgh\"}]}", "rep_prefix" },
	{ "{\"cards\": [{\"name\": \"c\", \"listen\": \"unix:/x\"}]}", "cards[0].listen: expected an array" },
	{ "{\"cards\": [{\"name\": \"c\", \"vfs\": [{\"netns\": \"../etc\"}]}]}", "is not a name" },
	{ "{\"cards\": [{\"name\": \"c\", \"busy_poll\": 1}]}", "cards[0].busy_poll: expected true or false" },
};

static void check_bad(void)
{
	static struct sim_topo t;
	char err[256];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = 0;
		if (sim_topo_parse(bad[i].json, &t, err, sizeof(err)) >= 0) {
			fprintf(stderr, "bad[%zu] accepted: %s\n", i, bad[i].json);
			failures++;
		} else if (!strstr(err, bad[i].err)) {
			fprintf(stderr, "bad[%zu]: got '%s', want '%s'\n", i, err, bad[i].err);
			failures++;
		}
	}
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s TOPOLOGY_DIR\n", argv[0]);
		return 2;
	}
	check_examples(argv[1]);
	check_bad();
	if (failures)
		fprintf(stderr, "%d failures\n", failures);
	else
		printf("topology: examples load, %zu bad inputs refused\n", sizeof(bad) / sizeof(bad[0]));
	return failures ? 1 : 0;
}
