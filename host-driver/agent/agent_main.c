// SPDX-License-Identifier: BSD-3-Clause
/*
 * dpu-agent: keeps a card's flow table equal to what tc says about its
 * representors, across card restarts and its own, and tells dpuctl where
 * every filter lives (hardware, or software and why).
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "agent.h"
#include "agent_log.h"
#include "dpu_abi_transport.h"

int agent_log_level = AGENT_LOG_INFO;

void agent_log(int level, const char *fmt, ...)
{
	static const char *const tag[] = { "error: ", "warning: ", "", "debug: " };
	va_list ap;

	if (level > agent_log_level)
		return;
	fprintf(stderr, "dpu-agent: %s", tag[level]);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: dpu-agent [options]\n"
		"  -c, --card ADDR        the card (default $DPU_CARD or unix:/run/opendpu/dpu0.sock)\n"
		"  -p, --rep-prefix PFX   representor netdevs are PFX<port name> (default none)\n"
		"  -s, --socket PATH      control socket for dpuctl -a (default /run/opendpu/agent.sock)\n"
		"  -S, --state FILE       where the storage (NVMe-oF) configuration made through\n"
		"                         the agent is kept across its restarts (default\n"
		"                         /var/lib/opendpu/agent-state.json; '' keeps it in memory)\n"
		"      --neigh IP=MAC     outer destination MAC for encap towards IP (else the\n"
		"                         kernel's neighbour table); repeatable\n"
		"      --replay FILE      feed recorded tc netlink messages (after the dump); repeatable\n"
		"      --devmap FILE      the recording's \"ifindex name\" map: netdevs come from it,\n"
		"                         and the live tc socket is not opened\n"
		"      --once             replay, sync the card, print status and exit\n"
		"      --nl-rcvbuf BYTES  netlink receive buffer (default 8 MiB); a small one lets\n"
		"                         a test overrun it (lost events are recovered by a dump)\n"
		"  -v, --verbose / -q, --quiet\n");
}

static int connect_card(struct agent *a, bool offline_ok)
{
	if (a->card)
		return 0;
	if (agent_card_connect(a) < 0)
		return offline_ok ? 0 : -1;
	return 0;
}

static void epoll_add(int ep, int fd, uint32_t tag)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = tag };

	if (fd >= 0)
		epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
}

enum { T_NL = 1, T_CARD, T_CTL, T_SIG };

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "card", required_argument, NULL, 'c' },
		{ "rep-prefix", required_argument, NULL, 'p' },
		{ "socket", required_argument, NULL, 's' },
		{ "state", required_argument, NULL, 'S' },
		{ "neigh", required_argument, NULL, 'N' },
		{ "replay", required_argument, NULL, 'R' },
		{ "devmap", required_argument, NULL, 'D' },
		{ "once", no_argument, NULL, 'O' },
		{ "nl-rcvbuf", required_argument, NULL, 'B' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	static struct agent a;
	const char *sock = "/run/opendpu/agent.sock", *devmap = NULL;
	const char *state = "/var/lib/opendpu/agent-state.json";
	char err[400];
	const char *replays[64];
	int n_replays = 0, c, nl_fd = -1, ctl_fd = -1, card_fd = -1, sig_fd, ep;
	bool once = false;
	sigset_t sigs;

	snprintf(a.card_addr, sizeof(a.card_addr), "%s",
		 getenv("DPU_CARD") ? getenv("DPU_CARD") : "unix:/run/opendpu/dpu0.sock");
	a.timeout_ms = 5000;
	while ((c = getopt_long(argc, argv, "c:p:s:S:vqh", opts, NULL)) != -1) {
		switch (c) {
		case 'c': snprintf(a.card_addr, sizeof(a.card_addr), "%s", optarg); break;
		case 'p': snprintf(a.rep_prefix, sizeof(a.rep_prefix), "%s", optarg); break;
		case 's': sock = optarg; break;
		case 'S': state = optarg; break;
		case 'N':
			if (agent_neigh_add(&a, optarg)) {
				fprintf(stderr, "dpu-agent: --neigh '%s': expected IP=MAC\n", optarg);
				return 2;
			}
			break;
		case 'R':
			if (n_replays == 64) {
				fprintf(stderr, "dpu-agent: at most 64 --replay files\n");
				return 2;
			}
			replays[n_replays++] = optarg;
			break;
		case 'D': devmap = optarg; break;
		case 'O': once = true; break;
		case 'B':
			a.nl_rcvbuf = atoi(optarg);
			if (a.nl_rcvbuf < 1024) {
				fprintf(stderr, "dpu-agent: --nl-rcvbuf '%s': expected bytes, at least 1024\n", optarg);
				return 2;
			}
			break;
		case 'v': agent_log_level = AGENT_LOG_DEBUG; break;
		case 'q': agent_log_level = AGENT_LOG_WARN; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (agent_store_init(&a.store))
		return 1;
	agent_resolver_init(&a);
	a.offline = devmap != NULL;
	if (strlen(state) >= sizeof(a.state_path)) {
		fprintf(stderr, "dpu-agent: --state: path too long\n");
		return 2;
	}
	if (*state && agent_nvmf_load(&a, state, err, sizeof(err))) {
		fprintf(stderr, "dpu-agent: state file %s: %s (fix or remove it)\n", state, err);
		return 2;
	}
	if (connect_card(&a, !once) < 0)
		return 3;
	if (devmap) {
		if (agent_ports_load_devmap(&a, devmap)) {
			fprintf(stderr, "dpu-agent: --devmap %s: %s\n", devmap, strerror(errno));
			return 2;
		}
	} else if (a.card) {
		agent_ports_refresh(&a);
		nl_fd = agent_nl_open(&a);
		if (nl_fd >= 0)
			agent_nl_dump(&a, nl_fd);
	}
	for (int i = 0; i < n_replays; i++) {
		int n = agent_replay_file(&a, replays[i]);

		if (n < 0) {
			fprintf(stderr, "dpu-agent: --replay %s: %s\n", replays[i], strerror(-n));
			return 2;
		}
	}
	if (a.card && agent_card_poll(&a, 0) == 0)
		agent_card_flush(&a);
	if (once) {
		agent_log(AGENT_LOG_INFO, "%zu rules, %llu ops sent, %llu refused by the card",
			  a.store.n_rules, (unsigned long long)a.st.ops_sent,
			  (unsigned long long)a.st.ops_failed);
		return a.n_queue ? 1 : 0;
	}
	ctl_fd = agent_ctl_open(sock);
	if (ctl_fd < 0) {
		fprintf(stderr, "dpu-agent: control socket %s: %s\n", sock, strerror(-ctl_fd));
		return 1;
	}
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	sigprocmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);
	sig_fd = signalfd(-1, &sigs, SFD_CLOEXEC);
	ep = epoll_create1(EPOLL_CLOEXEC);
	epoll_add(ep, nl_fd, T_NL);
	epoll_add(ep, ctl_fd, T_CTL);
	epoll_add(ep, sig_fd, T_SIG);
	agent_log(AGENT_LOG_INFO, "serving %s; %zu rules from tc, %zu storage objects%s%s", sock,
		  a.store.n_rules, a.nvmf.n, *state ? " from " : "", state);
	for (;;) {
		struct epoll_event ev[8];
		int n;

		/* The card's fd changes across reconnects: re-register it.
		 * A closed fd left epoll by itself. */
		if (!a.card)
			card_fd = -1;
		if (a.card && dpu_abi_pollfd(a.card->t) != card_fd) {
			if (card_fd >= 0)
				epoll_ctl(ep, EPOLL_CTL_DEL, card_fd, NULL);
			card_fd = dpu_abi_pollfd(a.card->t);
			epoll_add(ep, card_fd, T_CARD);
		}
		n = epoll_wait(ep, ev, 8, a.card ? (a.need_resync || a.n_queue || a.need_dump ? 100 : 2000) : 1000);
		for (int i = 0; i < n; i++) {
			switch (ev[i].data.u32) {
			case T_SIG:
				agent_log(AGENT_LOG_INFO, "exiting; the card keeps its rules");
				unlink(sock);
				return 0;
			case T_NL:
				if (agent_nl_read(&a, nl_fd) == -ENOBUFS)
					agent_nl_dump(&a, nl_fd);
				break;
			case T_CTL:
				agent_ctl_serve(&a, ctl_fd);
				break;
			case T_CARD:
				agent_card_poll(&a, 0);
				break;
			}
		}
		/* a dump that did not complete (overruns, timeouts): again, when quiet */
		if (n == 0 && a.need_dump && nl_fd >= 0)
			agent_nl_dump(&a, nl_fd);
		if (!a.card) {
			if (n == 0 && connect_card(&a, true) == 0 && a.card && !devmap) {
				agent_ports_refresh(&a);
				/* The card was away at start: watch tc from now. */
				if (nl_fd < 0 && (nl_fd = agent_nl_open(&a)) >= 0) {
					epoll_add(ep, nl_fd, T_NL);
					agent_nl_dump(&a, nl_fd);
				}
			}
			continue;
		}
		if (n == 0 || a.need_resync)
			agent_card_poll(&a, 0);
		if (a.n_queue && agent_card_flush(&a) < 0)
			agent_card_poll(&a, 0); /* the link went: reconnect, resync */
	}
}
