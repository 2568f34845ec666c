/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dpu-fw: the card-side service. Serves the shared ABI to the host over
 * the shared-memory BAR model and/or a stream socket.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fw_card.h"
#include "fw_io.h"
#include "fw_log.h"
#include "fw_server.h"
#include "sim_topo.h"

int fw_log_verbose;

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: dpu-fw [options]\n"
		"  -l, --listen ADDR     serve the ABI on ADDR (repeatable):\n"
		"                        shm:/path.sock  shared-memory rings (BAR model)\n"
		"                        unix:/path.sock stream over a Unix socket\n"
		"                        tcp:HOST:PORT   stream over TCP\n"
		"                        rdma:HOST:PORT  RDMA RC queue pair (rdma_cm)\n"
		"  -n, --name NAME       card name (default dpu0)\n"
		"  -s, --state-dir DIR   where the epoch persists (default /run/opendpu)\n"
		"      --uplinks N       uplink ports (default 1)\n"
		"      --vfs N           host VFs (default 2)\n"
		"      --max-flows N     flow table size (default 1048576)\n"
		"      --hal KIND        flow hardware: sim (software eSwitch, default\n"
		"                        when built with DPDK) or none (records only)\n"
		"  -t, --topology FILE   a dpu-sim topology: this card's ports become\n"
		"                        netdevs and forward packets (needs --card)\n"
		"  -c, --card NAME       which card of the topology this is\n"
		"  -v, --verbose         log every rejected request\n"
		"  -h, --help\n");
}

static int parse_u32(const char *s, const char *what, uint32_t max, uint32_t *out)
{
	char *end;
	unsigned long v = strtoul(s, &end, 0);

	if (!*s || *end || v > max) {
		fprintf(stderr, "dpu-fw: %s: '%s' is not a number in 0..%u\n", what, s,
			max);
		return -1;
	}
	*out = (uint32_t)v;
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "name", required_argument, NULL, 'n' },
		{ "state-dir", required_argument, NULL, 's' },
		{ "uplinks", required_argument, NULL, 'U' },
		{ "vfs", required_argument, NULL, 'V' },
		{ "max-flows", required_argument, NULL, 'F' },
		{ "hal", required_argument, NULL, 'H' },
		{ "topology", required_argument, NULL, 't' },
		{ "card", required_argument, NULL, 'c' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct fw_card_config cfg = {
		.name = "dpu0",
		.state_dir = "/run/opendpu",
		.n_uplinks = 1,
		.n_vfs = 2,
		.max_flows = 1u << 20,
		.max_batch = 4096,
#ifdef FW_HAVE_SIM
		.hal = "sim",
#else
		.hal = "none",
#endif
	};
	const char *addrs[FW_MAX_LISTENERS];
	int n_addrs = 0, c, rc;
	static struct fw_card card;
	struct fw_server srv;
	struct sigaction sa = { .sa_handler = on_signal };
	const char *topo_path = NULL, *card_name = NULL;
	static struct sim_topo topo;
	const struct sim_topo_card *tc = NULL;
	char ready[300] = "";
	bool state_dir_set = false, name_set = false;

	while ((c = getopt_long(argc, argv, "l:n:s:t:c:vh", opts, NULL)) != -1) {
		switch (c) {
		case 'l':
			if (n_addrs == FW_MAX_LISTENERS) {
				fprintf(stderr, "dpu-fw: at most %d --listen\n",
					FW_MAX_LISTENERS);
				return 2;
			}
			addrs[n_addrs++] = optarg;
			break;
		case 'n':
			if (strlen(optarg) >= DPU_ABI_NAME_LEN) {
				fprintf(stderr, "dpu-fw: --name: at most %d characters\n",
					DPU_ABI_NAME_LEN - 1);
				return 2;
			}
			cfg.name = optarg;
			name_set = true;
			break;
		case 's':
			cfg.state_dir = optarg;
			state_dir_set = true;
			break;
		case 't':
			topo_path = optarg;
			break;
		case 'c':
			card_name = optarg;
			break;
		case 'U':
			if (parse_u32(optarg, "--uplinks", 8, &cfg.n_uplinks))
				return 2;
			break;
		case 'V':
			if (parse_u32(optarg, "--vfs", 32, &cfg.n_vfs))
				return 2;
			break;
		case 'F':
			if (parse_u32(optarg, "--max-flows", 1u << 26, &cfg.max_flows))
				return 2;
			break;
		case 'H':
			if (strcmp(optarg, "sim") && strcmp(optarg, "none")) {
				fprintf(stderr, "dpu-fw: --hal: '%s' is not sim or none\n",
					optarg);
				return 2;
			}
			cfg.hal = optarg;
			break;
		case 'v':
			fw_log_verbose = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (topo_path) {
		char err[256];

		if (!card_name) {
			fprintf(stderr, "dpu-fw: --topology needs --card NAME\n");
			return 2;
		}
		if (sim_topo_load(topo_path, &topo, err, sizeof(err)) < 0) {
			fprintf(stderr, "dpu-fw: %s\n", err);
			return 2;
		}
		tc = sim_topo_find_card(&topo, card_name);
		if (!tc) {
			fprintf(stderr, "dpu-fw: --card: '%s' is not in %s\n", card_name, topo_path);
			return 2;
		}
		if (!name_set)
			cfg.name = tc->name;
		if (!state_dir_set)
			cfg.state_dir = topo.run_dir;
		cfg.n_uplinks = tc->n_uplinks;
		cfg.n_vfs = tc->n_vfs;
		if (tc->max_flows)
			cfg.max_flows = tc->max_flows;
		if (n_addrs == 0)
			for (int i = 0; i < tc->n_listen && i < FW_MAX_LISTENERS; i++)
				addrs[n_addrs++] = tc->listen[i];
	} else if (card_name) {
		fprintf(stderr, "dpu-fw: --card needs --topology\n");
		return 2;
	}
	if (optind != argc || n_addrs == 0) {
		usage(stderr);
		return 2;
	}
	mkdir(cfg.state_dir, 0755);

	rc = fw_card_init(&card, &cfg);
	if (rc < 0)
		return 1;
	rc = fw_server_init(&srv, &card, addrs, n_addrs);
	if (rc < 0) {
		fw_card_fini(&card);
		return 1;
	}
	if (tc) {
#ifdef FW_HAVE_SIM
		rc = fw_io_start(&card, &topo, tc, &card.io);
#else
		fw_log_err("--topology: this build has no DPDK, so no packet ports");
		rc = -ENOTSUP;
#endif
		if (rc < 0) {
			fw_server_fini(&srv);
			fw_card_fini(&card);
			return 1;
		}
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	fw_log_info("card '%s' up: epoch %u, %u ports, %u flows max, hal %s",
		    card.name, card.epoch, card.n_ports, card.caps.max_flows, cfg.hal);

	if (tc) {
		/* dpu-sim waits for this: ports exist, the ABI answers. */
		FILE *f;

		snprintf(ready, sizeof(ready), "%s/%s.ready", cfg.state_dir, cfg.name);
		f = fopen(ready, "w");
		if (f) {
			fprintf(f, "%d\n", (int)getpid());
			fclose(f);
		}
	}
	rc = fw_server_run(&srv, &stop);
	if (ready[0])
		unlink(ready);
#ifdef FW_HAVE_SIM
	fw_io_stop(card.io);
	card.io = NULL;
#endif
	fw_server_fini(&srv);
	fw_card_fini(&card);
	fw_log_info("card '%s' stopped", cfg.name);
	return rc < 0 ? 1 : 0;
}
