/* SPDX-License-Identifier: BSD-3-Clause */
#include "fw_io.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>

#include "fw_card.h"
#include "fw_log.h"
#include "sim_dp.h"
#include "fw_flow_xlate.h"
#include "sim_esw.h"
#include "sim_port.h"
#include "sim_topo.h"

#define SW_BURST 32
#define TXQ_HW 0	/* the hardware thread's queue on function ports */
#define TXQ_SW 1	/* the software path's */

struct fw_io {
	struct fw_card *card;
	struct rte_mempool *small, *big;
	uint16_t n_ports;
	struct sim_port *fn[FW_MAX_PORTS];	/* function or uplink side */
	struct sim_port *rep[FW_MAX_PORTS];	/* representor (host side) */
	struct sim_dp *dp;
	pthread_t sw_thread;
	bool sw_running;
	int sw_efd;		/* the hardware thread kicks it here */
	int sw_sleeping;
	int epfd;
	volatile bool stop;
	uint64_t exceptions[FW_MAX_PORTS];	/* to the representor */
	uint64_t from_host[FW_MAX_PORTS];	/* sent by the host on the representor */
	struct dpu_abi_port_stats base[FW_MAX_PORTS];
};

/* EAL pinned the main thread to one CPU; workers float over all of them. */
static void unpin(void)
{
	cpu_set_t set;
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	CPU_ZERO(&set);
	for (long i = 0; i < n && i < CPU_SETSIZE; i++)
		CPU_SET((int)i, &set);
	pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

static void sw_from_ring(struct fw_io *io, struct rte_ring *ring, uint32_t *work)
{
	struct rte_mbuf *pkts[SW_BURST];
	unsigned int n = rte_ring_dequeue_burst(ring, (void **)pkts, SW_BURST, NULL);

	for (unsigned int i = 0; i < n; i++) {
		const struct sim_swmeta *sm = sim_esw_swmeta(pkts[i]);
		uint16_t in = sm->in_port;

		/* A rule's "to the representor of port X" (output or mirror);
		 * a miss or anything else goes to the ingress representor. */
		if ((sm->reason == SIM_SW_ACTION || sm->reason == SIM_SW_SAMPLE) &&
		    sm->user_reason == FW_TO_SW_REPRESENTOR && sm->cookie < io->n_ports)
			in = (uint16_t)sm->cookie;

		if (in < io->n_ports && io->rep[in] != NULL) {
			io->exceptions[in]++;
			sim_port_tx_burst(io->rep[in], 0, &pkts[i], 1);
		} else {
			rte_pktmbuf_free(pkts[i]);
		}
	}
	*work += n;
}

static void sw_from_reps(struct fw_io *io, uint32_t *work)
{
	struct rte_mbuf *pkts[SW_BURST];

	for (uint16_t p = 0; p < io->n_ports; p++) {
		uint16_t n;

		if (io->rep[p] == NULL || io->fn[p] == NULL)
			continue;
		n = sim_port_rx_burst(io->rep[p], pkts, SW_BURST);
		if (n == 0)
			continue;
		io->from_host[p] += n;
		sim_port_tx_burst(io->fn[p], TXQ_SW, pkts, n);
		*work += n;
	}
}

static void *sw_main(void *arg)
{
	struct fw_io *io = arg;
	struct rte_ring *ring = sim_esw_sw_ring(io->card->hw.esw);

	unpin();
	(void)rte_thread_register();
	while (!io->stop) {
		struct epoll_event ev[16];
		uint32_t work = 0;
		uint64_t v;

		sw_from_ring(io, ring, &work);
		sw_from_reps(io, &work);
		if (work)
			continue;
		/* Tell the hardware thread to kick us, then look once more. */
		__atomic_store_n(&io->sw_sleeping, 1, __ATOMIC_SEQ_CST);
		if (rte_ring_empty(ring) && !io->stop)
			(void)epoll_wait(io->epfd, ev, (int)RTE_DIM(ev), -1);
		__atomic_store_n(&io->sw_sleeping, 0, __ATOMIC_SEQ_CST);
		if (read(io->sw_efd, &v, sizeof(v)) < 0 && errno != EAGAIN)
			fw_log_warn("software path: eventfd: %s", strerror(errno));
	}
	rte_thread_unregister();
	return NULL;
}

static int open_port(struct fw_io *io, const struct sim_topo *t, const struct sim_topo_port *tp,
		     uint16_t id, bool rep, struct sim_port **out)
{
	char nspath[96] = "";
	const char *netns = tp->netns;
	struct sim_port_conf pc = {
		.id = id,
		.pool = io->small,
		.big_pool = io->big,
		.persist = true,
	};

	if (rep) {
		/* The host's view of the port: always vtap, in the host namespace. */
		pc.ifname = tp->rep_ifname;
		pc.driver = "vtap";
		pc.offloads = true;
		pc.n_txq = 1;
		netns = "";
	} else {
		pc.ifname = tp->ifname;
		pc.driver = tp->driver;
		pc.devargs = tp->devargs;
		pc.offloads = !strcmp(tp->driver, "vtap");
		pc.n_txq = 2;
		pc.mtu = tp->mtu;
		/* A function's netdev is the function: it wears its MAC. An
		 * uplink's netdev is the far end of the cable (the wire's
		 * bridge port): giving it the card's MAC would make the bridge
		 * keep frames for the card to itself. */
		pc.has_mac = tp->has_mac && tp->kind != SIM_TOPO_UPLINK;
		memcpy(pc.mac, tp->mac, 6);
		if (tp->kind == SIM_TOPO_UPLINK) {
			const struct sim_topo_wire *w = sim_topo_find_wire(t, tp->wire);

			netns = w ? w->netns : "";
			if (!pc.mtu && w)
				pc.mtu = w->mtu;
		}
		/* A DPDK vdev away from the host sits on the host end of a veth dpu-sim made. */
		if (strcmp(tp->driver, "vtap")) {
			if (netns[0])
				pc.ifname = tp->host_ifname;
			netns = "";
		}
	}
	if (netns[0]) {
		snprintf(nspath, sizeof(nspath), "/run/netns/%s", netns);
		pc.netns_path = nspath;
	}
	return sim_port_open(&pc, out);
}

static int start_workers(struct fw_io *io, const struct sim_topo_card *tc)
{
	struct epoll_event ev = { .events = EPOLLIN };
	struct sim_dp_conf dc = {
		.esw = io->card->hw.esw,
		.ports = io->fn,
		.n_ports = io->n_ports,
		.txq = TXQ_HW,
		.spin_us = tc->spin_us,
		.busy_poll = tc->busy_poll,
	};
	int rc;

	io->epfd = epoll_create1(EPOLL_CLOEXEC);
	io->sw_efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (io->epfd < 0 || io->sw_efd < 0)
		return -errno;
	ev.data.u32 = UINT32_MAX;
	epoll_ctl(io->epfd, EPOLL_CTL_ADD, io->sw_efd, &ev);
	for (uint16_t p = 0; p < io->n_ports; p++) {
		int fd = io->rep[p] ? io->rep[p]->cls->rx_fd(io->rep[p]) : -1;

		ev.data.u32 = p;
		if (fd >= 0)
			epoll_ctl(io->epfd, EPOLL_CTL_ADD, fd, &ev);
	}
	dc.sw_notify_fd = io->sw_efd;
	dc.sw_sleeping = &io->sw_sleeping;
	rc = -pthread_create(&io->sw_thread, NULL, sw_main, io);
	if (rc < 0)
		return rc;
	io->sw_running = true;
	pthread_setname_np(io->sw_thread, "fw-swpath");
	return sim_dp_start(&dc, &io->dp);
}

int fw_io_start(struct fw_card *card, const struct sim_topo *t,
		const struct sim_topo_card *tc, struct fw_io **out)
{
	struct fw_io *io;
	char name[RTE_MEMPOOL_NAMESIZE];
	int rc;

	if (card->hw.esw == NULL) {
		fw_log_err("packet ports need the sim eSwitch (--hal sim)");
		return -ENOTSUP;
	}
	if (tc->n_ports != card->n_ports) {
		fw_log_err("topology card '%s' has %u ports, the card %u", tc->name, tc->n_ports,
			   card->n_ports);
		return -EINVAL;
	}
	io = rte_zmalloc("fw_io", sizeof(*io), RTE_CACHE_LINE_SIZE);
	if (io == NULL)
		return -ENOMEM;
	io->card = card;
	io->n_ports = (uint16_t)tc->n_ports;
	io->epfd = io->sw_efd = -1;
	rc = sim_port_lib_init();
	if (rc < 0)
		goto fail;
	snprintf(name, sizeof(name), "fw_small_%d", (int)getpid());
	io->small = rte_pktmbuf_pool_create(name, 16383, 256, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
					    (int)rte_socket_id());
	snprintf(name, sizeof(name), "fw_big_%d", (int)getpid());
	/* Super-frames: few in flight, each up to 64 KiB. */
	io->big = rte_pktmbuf_pool_create(name, 1023, 32, 0, UINT16_MAX, (int)rte_socket_id());
	if (io->small == NULL || io->big == NULL) {
		fw_log_err("packet buffers: %s", rte_strerror(rte_errno));
		rc = -ENOMEM;
		goto fail;
	}
	/* What the host is told: the MACs the topology gave the ports. */
	for (uint16_t p = 0; p < io->n_ports; p++)
		if (tc->ports[p].has_mac)
			memcpy(card->ports[p].info.mac, tc->ports[p].mac, 6);
	/* Mirror copies come from the same buffers the ports use. */
	sim_esw_set_copy_pool(card->hw.esw, io->small);
	for (uint16_t p = 0; p < io->n_ports; p++) {
		const struct sim_topo_port *tp = &tc->ports[p];

		rc = open_port(io, t, tp, p, false, &io->fn[p]);
		if (rc == 0)
			rc = open_port(io, t, tp, p, true, &io->rep[p]);
		if (rc < 0) {
			fw_log_err("port %s (%s): %s", tp->name, tp->ifname, strerror(-rc));
			goto fail;
		}
	}
	rc = start_workers(io, tc);
	if (rc < 0) {
		fw_log_err("workers: %s", strerror(-rc));
		goto fail;
	}
	*out = io;
	return 0;
fail:
	fw_io_stop(io);
	return rc;
}

void fw_io_stop(struct fw_io *io)
{
	uint64_t one = 1;

	if (io == NULL)
		return;
	sim_dp_stop(io->dp);
	io->stop = true;
	if (io->sw_running) {
		if (write(io->sw_efd, &one, sizeof(one)) < 0)
			fw_log_warn("software path: stop: %s", strerror(errno));
		pthread_join(io->sw_thread, NULL);
	}
	for (uint16_t p = 0; p < io->n_ports; p++) {
		sim_port_close(io->fn[p]);
		sim_port_close(io->rep[p]);
	}
	if (io->epfd >= 0)
		close(io->epfd);
	if (io->sw_efd >= 0)
		close(io->sw_efd);
	/* In-flight mbufs went back with the ports; nothing else holds them. */
	sim_esw_set_copy_pool(io->card->hw.esw, NULL);
	rte_mempool_free(io->small);
	rte_mempool_free(io->big);
	rte_free(io);
}

static void raw_stats(struct fw_io *io, uint32_t p, struct dpu_abi_port_stats *st)
{
	struct sim_port_stats ps = { 0 };

	memset(st, 0, sizeof(*st));
	st->port_id = p;
	if (p >= io->n_ports || io->fn[p] == NULL)
		return;
	sim_port_get_stats(io->fn[p], &ps);
	st->rx_packets = ps.rx_packets;
	st->rx_bytes = ps.rx_bytes;
	st->tx_packets = ps.tx_packets;
	st->tx_bytes = ps.tx_bytes;
	st->rx_dropped = ps.rx_nombuf;
	st->tx_dropped = ps.tx_dropped;
	st->rx_errors = ps.rx_errors;
	if (io->rep[p] != NULL) {
		struct sim_port_stats rs;

		/* Garbage the host sends on the representor counts against the port. */
		sim_port_get_stats(io->rep[p], &rs);
		st->rx_errors += rs.rx_errors;
	}
	st->exceptions = io->exceptions[p];
	/* Everything else the port received was handled by a hardware rule. */
	st->hw_hits = ps.rx_packets > st->exceptions ? ps.rx_packets - st->exceptions : 0;
}

void fw_io_port_stats(struct fw_io *io, uint32_t p, struct dpu_abi_port_stats *st)
{
	struct dpu_abi_port_stats now;

	raw_stats(io, p, &now);
	*st = now;
	if (p >= io->n_ports)
		return;
	st->rx_packets -= io->base[p].rx_packets;
	st->rx_bytes -= io->base[p].rx_bytes;
	st->tx_packets -= io->base[p].tx_packets;
	st->tx_bytes -= io->base[p].tx_bytes;
	st->rx_dropped -= io->base[p].rx_dropped;
	st->tx_dropped -= io->base[p].tx_dropped;
	st->rx_errors -= io->base[p].rx_errors;
	st->exceptions -= io->base[p].exceptions;
	st->hw_hits -= io->base[p].hw_hits;
}

void fw_io_reset_stats(struct fw_io *io)
{
	for (uint32_t p = 0; p < io->n_ports; p++)
		raw_stats(io, p, &io->base[p]);
}
