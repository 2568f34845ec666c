/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dpu-nvmf: standalone NVMe-oF/TCP target.
 *
 *   dpu-nvmf -c config.json [--ready-file F] [--reactors N] [--cpu FIRST]
 *            [--busy-poll] [--log-level L]
 *
 * Listeners with port 0 bind an ephemeral port; every listener is written
 * as one JSON line to stdout (and to --ready-file, created atomically once
 * the target is up) so scripts can find it.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nvmf_config.h"
#include "nvmf_tgt.h"

static volatile sig_atomic_t quit;

static void on_signal(int sig)
{
	(void)sig;
	quit = 1;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: dpu-nvmf -c CONFIG.json [--ready-file FILE] [--reactors N] [--cpu FIRST]\n"
		"                [--busy-poll] [--log-level error|warn|info|debug]\n");
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "ready-file", required_argument, NULL, 'r' },
		{ "reactors", required_argument, NULL, 'n' },
		{ "cpu", required_argument, NULL, 'C' },
		{ "busy-poll", no_argument, NULL, 'b' },
		{ "log-level", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const char *cfg = NULL, *ready = NULL;
	int reactors = 0, cpu = -2, busy = 0, lvl = -1, c, rc;
	struct nvmf_tgt_opts opts;
	struct nvmf_tgt *tgt;
	char *rep = NULL;
	size_t replen = 0;
	FILE *report;
	struct sigaction sa = { .sa_handler = on_signal };

	while ((c = getopt_long(argc, argv, "c:r:n:C:bl:h", lo, NULL)) != -1) {
		switch (c) {
		case 'c': cfg = optarg; break;
		case 'r': ready = optarg; break;
		case 'n': reactors = atoi(optarg); break;
		case 'C': cpu = atoi(optarg); break;
		case 'b': busy = 1; break;
		case 'l':
			lvl = !strcmp(optarg, "error") ? NVMF_LOG_ERR : !strcmp(optarg, "warn") ?
			      NVMF_LOG_WARN : !strcmp(optarg, "info") ? NVMF_LOG_INFO :
			      !strcmp(optarg, "debug") ? NVMF_LOG_DEBUG : -1;
			break;
		default:
			usage();
			return c == 'h' ? 0 : 2;
		}
	}
	if (!cfg) {
		usage();
		return 2;
	}
	nvmf_tgt_opts_default(&opts);
	if (nvmf_config_load_opts(cfg, &opts))
		return 1;
	if (reactors > 0)
		opts.n_reactors = (unsigned int)reactors;
	if (cpu != -2)
		opts.first_cpu = cpu;
	if (busy)
		opts.busy_poll = true;
	if (lvl >= 0)
		opts.log_level = (enum nvmf_log_level)lvl;
	rc = nvmf_tgt_create(&opts, &tgt);
	if (rc) {
		fprintf(stderr, "dpu-nvmf: cannot start target: %s\n", strerror(-rc));
		return 1;
	}
	report = open_memstream(&rep, &replen);
	rc = nvmf_config_apply(tgt, cfg, report);
	fclose(report);
	if (rc) {
		free(rep);
		nvmf_tgt_destroy(tgt);
		return 1;
	}
	fputs(rep ? rep : "", stdout);
	fflush(stdout);
	if (ready) {
		char tmp[4096];
		FILE *f;

		snprintf(tmp, sizeof(tmp), "%s.tmp", ready);
		f = fopen(tmp, "w");
		if (!f || fputs(rep ? rep : "", f) < 0 || fclose(f) || rename(tmp, ready)) {
			fprintf(stderr, "dpu-nvmf: ready file %s: %s\n", ready, strerror(errno));
			free(rep);
			nvmf_tgt_destroy(tgt);
			return 1;
		}
	}
	free(rep);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	while (!quit)
		pause();
	nvmf_tgt_destroy(tgt);
	return 0;
}
