/* SPDX-License-Identifier: BSD-3-Clause */
#include "sim_dp.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_pause.h>

#define DP_BURST 32
/* Ports a PMD cannot wake us for are polled this often while idle. */
#define DP_POLL_ONLY_MS 1

struct sim_dp {
	struct sim_dp_conf conf;
	struct sim_port **ports;
	pthread_t thread;
	int epfd;
	int stop_fd;
	bool has_poll_only;
	volatile bool stop;
	struct sim_dp_stats st;
};

static void transmit(struct sim_dp *dp, struct sim_esw_out *out)
{
	uint16_t i = 0;

	while (i < out->n) {
		uint16_t port = out->port[i], j = (uint16_t)(i + 1);
		struct sim_port *p;

		while (j < out->n && out->port[j] == port)
			j++;
		p = port < dp->conf.n_ports ? dp->ports[port] : NULL;
		if (p != NULL) {
			sim_port_tx_burst(p, dp->conf.txq, out->pkts + i, (uint16_t)(j - i));
		} else {
			rte_pktmbuf_free_bulk(out->pkts + i, (unsigned int)(j - i));
			dp->st.tx_no_port += (uint64_t)(j - i);
		}
		i = j;
	}
}

static void kick_sw(struct sim_dp *dp, struct rte_ring *sw_ring)
{
	uint64_t one = 1;

	if (dp->conf.sw_sleeping == NULL || rte_ring_empty(sw_ring))
		return;
	if (!__atomic_load_n(dp->conf.sw_sleeping, __ATOMIC_SEQ_CST))
		return;
	if (write(dp->conf.sw_notify_fd, &one, sizeof(one)) == sizeof(one))
		dp->st.sw_kicks++;
}

static void dp_sleep(struct sim_dp *dp, struct sim_esw_worker *wk)
{
	struct epoll_event ev[16];

	for (uint16_t i = 0; i < dp->conf.n_ports; i++)
		if (dp->ports[i] != NULL && dp->ports[i]->cls->rx_arm)
			(void)dp->ports[i]->cls->rx_arm(dp->ports[i]);
	/* Offline: rule updates need not wait for a sleeping reader. */
	sim_esw_worker_offline(wk);
	dp->st.sleeps++;
	if (!dp->stop)
		(void)epoll_wait(dp->epfd, ev, (int)RTE_DIM(ev),
				 dp->has_poll_only ? DP_POLL_ONLY_MS : -1);
	sim_esw_worker_online(wk);
}

/* EAL pinned its main thread (and so us) to one CPU; let the scheduler place us. */
static void unpin(void)
{
	cpu_set_t set;
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	CPU_ZERO(&set);
	for (long i = 0; i < n && i < CPU_SETSIZE; i++)
		CPU_SET((int)i, &set);
	pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

static void *dp_main(void *arg)
{
	struct sim_dp *dp = arg;
	struct sim_esw_worker *wk;
	struct rte_ring *sw_ring = sim_esw_sw_ring(dp->conf.esw);
	struct rte_mbuf *pkts[DP_BURST], *outp[DP_BURST * 2];
	uint16_t outport[DP_BURST * 2];
	uint64_t us = rte_get_tsc_hz() / 1000000;
	uint64_t cold = us * (dp->conf.spin_us ? dp->conf.spin_us : 50);
	uint64_t hot = us * dp->conf.hot_spin_us;
	uint64_t spin = cold, last = rte_get_tsc_cycles(), slept_at = 0;
	bool woke = false;

	if (!dp->conf.busy_poll)
		unpin();
	(void)rte_thread_register();	/* an lcore id gives us mempool caches */
	wk = sim_esw_worker_create(dp->conf.esw, 0);
	if (wk == NULL) {
		fprintf(stderr, "sim-dp: eSwitch worker 0 is taken\n");
		return NULL;
	}
	while (!dp->stop) {
		uint32_t total = 0;

		dp->st.loops++;
		for (uint16_t i = 0; i < dp->conf.n_ports; i++) {
			struct sim_esw_out out = { outp, outport, 0, RTE_DIM(outp) };
			uint16_t n;

			if (dp->ports[i] == NULL)
				continue;
			n = sim_port_rx_burst(dp->ports[i], pkts, DP_BURST);
			if (n == 0)
				continue;
			total += n;
			sim_esw_process_burst(wk, pkts, n, &out);
			transmit(dp, &out);
		}
		if (total) {
			kick_sw(dp, sw_ring);
			last = rte_get_tsc_cycles();
			/* Woken by traffic soon after dozing off: it is steady,
			 * spinning through the gaps is cheaper than waking. */
			if (woke && hot > cold && last - slept_at < hot) {
				if (spin != hot)
					dp->st.hot_spins++;
				spin = hot;
			}
			woke = false;
			continue;
		}
		if (dp->conf.busy_poll || rte_get_tsc_cycles() - last < spin) {
			/* In the long window, let a runnable thread on this CPU
			 * (the workload's sender or receiver, on a small host)
			 * go first: we stay awake without taking its time. */
			if (spin == hot && !dp->conf.busy_poll)
				sched_yield();
			else
				rte_pause();
			continue;
		}
		spin = cold;	/* a whole window passed empty: the traffic stopped */
		slept_at = rte_get_tsc_cycles();
		dp_sleep(dp, wk);
		woke = true;
		last = rte_get_tsc_cycles();
	}
	sim_esw_worker_offline(wk);
	sim_esw_worker_destroy(wk);
	rte_thread_unregister();
	return NULL;
}

int sim_dp_start(const struct sim_dp_conf *conf, struct sim_dp **out)
{
	struct sim_dp *dp = rte_zmalloc("sim_dp", sizeof(*dp), RTE_CACHE_LINE_SIZE);
	struct epoll_event ev = { .events = EPOLLIN };
	int rc;

	if (dp == NULL)
		return -ENOMEM;
	dp->conf = *conf;
	dp->ports = rte_zmalloc("sim_dp_ports", sizeof(*dp->ports) * conf->n_ports, 0);
	dp->epfd = epoll_create1(EPOLL_CLOEXEC);
	dp->stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (dp->ports == NULL || dp->epfd < 0 || dp->stop_fd < 0) {
		rc = -ENOMEM;
		goto fail;
	}
	ev.data.u32 = UINT32_MAX;
	epoll_ctl(dp->epfd, EPOLL_CTL_ADD, dp->stop_fd, &ev);
	for (uint16_t i = 0; i < conf->n_ports; i++) {
		struct sim_port *p = conf->ports[i];
		int fd;

		dp->ports[i] = p;
		if (p == NULL)
			continue;
		fd = p->cls->rx_fd ? p->cls->rx_fd(p) : -1;
		ev.data.u32 = i;
		if (fd < 0 || epoll_ctl(dp->epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
			dp->has_poll_only = true;
	}
	rc = -pthread_create(&dp->thread, NULL, dp_main, dp);
	if (rc < 0)
		goto fail;
	pthread_setname_np(dp->thread, "sim-dp");
	*out = dp;
	return 0;
fail:
	if (dp->epfd >= 0)
		close(dp->epfd);
	if (dp->stop_fd >= 0)
		close(dp->stop_fd);
	rte_free(dp->ports);
	rte_free(dp);
	return rc;
}

void sim_dp_stop(struct sim_dp *dp)
{
	uint64_t one = 1;

	if (dp == NULL)
		return;
	dp->stop = true;
	if (write(dp->stop_fd, &one, sizeof(one)) < 0)
		fprintf(stderr, "sim-dp: stop: %s\n", strerror(errno));
	pthread_join(dp->thread, NULL);
	close(dp->epfd);
	close(dp->stop_fd);
	rte_free(dp->ports);
	rte_free(dp);
}

void sim_dp_get_stats(const struct sim_dp *dp, struct sim_dp_stats *st)
{
	*st = dp->st;
}
