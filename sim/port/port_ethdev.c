/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Any DPDK ethdev virtual device as a card port: net_tap, net_af_packet,
 * net_ring...  Frames are MTU-sized (no kernel offloads); the transmit
 * wrapper segments and checksums in software.  Wake-ups use the PMD's Rx
 * interrupt where it has one (net_tap), else the dataplane polls it.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>

#include <rte_dev.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_malloc.h>

#include "port_internal.h"

struct ethdev_port {
	struct sim_port base;
	uint16_t eth_id;
	int intr_fd;
	char devname[64];
};

static struct ethdev_port *edev(struct sim_port *p)
{
	return (struct ethdev_port *)p;
}

static int setup(struct ethdev_port *ep, const struct sim_port_conf *conf, bool intr)
{
	struct rte_eth_conf dc = { .intr_conf = { .rxq = intr ? 1 : 0 } };
	uint16_t nq = conf->n_txq ? conf->n_txq : 1;
	int rc;

	rc = rte_eth_dev_configure(ep->eth_id, 1, nq, &dc);
	if (rc < 0)
		return rc;
	rc = rte_eth_rx_queue_setup(ep->eth_id, 0, 1024, (unsigned int)rte_socket_id(), NULL,
				    conf->pool);
	if (rc < 0)
		return rc;
	for (uint16_t q = 0; q < nq; q++) {
		rc = rte_eth_tx_queue_setup(ep->eth_id, q, 1024, (unsigned int)rte_socket_id(),
					    NULL);
		if (rc < 0)
			return rc;
	}
	if (conf->mtu)
		(void)rte_eth_dev_set_mtu(ep->eth_id, conf->mtu);
	if (conf->has_mac) {
		struct rte_ether_addr a;

		memcpy(a.addr_bytes, conf->mac, 6);
		(void)rte_eth_dev_default_mac_addr_set(ep->eth_id, &a);
	}
	return rte_eth_dev_start(ep->eth_id);
}

static int ethdev_open(const struct sim_port_conf *conf, struct sim_port **out)
{
	static unsigned int seq;
	struct ethdev_port *ep = rte_zmalloc("sim_ethdev", sizeof(*ep), 0);
	char args[256], spec[330];
	int rc;

	if (ep == NULL)
		return -ENOMEM;
	snprintf(ep->devname, sizeof(ep->devname), "%s_sim%u", conf->driver, seq++);
	snprintf(args, sizeof(args), "iface=%s%s%s", conf->ifname,
		 conf->devargs && conf->devargs[0] ? "," : "",
		 conf->devargs ? conf->devargs : "");
	if (!strcmp(conf->driver, "net_ring") || !strcmp(conf->driver, "net_null"))
		snprintf(args, sizeof(args), "%s", conf->devargs ? conf->devargs : "");
	snprintf(spec, sizeof(spec), "%s%s%s", ep->devname, args[0] ? "," : "", args);
	rc = rte_dev_probe(spec);
	if (rc < 0) {
		SIM_PORT_LOG("%s: %s,%s: %s", conf->ifname, ep->devname, args, strerror(-rc));
		rte_free(ep);
		return rc;
	}
	if (rte_eth_dev_get_port_by_name(ep->devname, &ep->eth_id) != 0) {
		(void)rte_eal_hotplug_remove("vdev", ep->devname);
		rte_free(ep);
		return -ENODEV;
	}
	rc = setup(ep, conf, true);
	if (rc < 0) {
		/* No Rx interrupt in this PMD: configure again for polling. */
		rte_eth_dev_stop(ep->eth_id);
		rc = setup(ep, conf, false);
	}
	if (rc < 0) {
		SIM_PORT_LOG("%s: start %s: %s", conf->ifname, ep->devname, strerror(-rc));
		rte_eth_dev_close(ep->eth_id);
		(void)rte_eal_hotplug_remove("vdev", ep->devname);
		rte_free(ep);
		return rc;
	}
	ep->intr_fd = rte_eth_dev_rx_intr_ctl_q_get_fd(ep->eth_id, 0);
	snprintf(ep->base.ifname, sizeof(ep->base.ifname), "%s", conf->ifname);
	ep->base.ifindex = (int)if_nametoindex(conf->ifname);
	ep->base.capa = 0;
	*out = &ep->base;
	return 0;
}

static void ethdev_close(struct sim_port *p)
{
	struct ethdev_port *ep = edev(p);

	rte_eth_dev_stop(ep->eth_id);
	rte_eth_dev_close(ep->eth_id);
	(void)rte_eal_hotplug_remove("vdev", ep->devname);
	rte_free(ep);
}

static uint16_t ethdev_rx(struct sim_port *p, struct rte_mbuf **pkts, uint16_t n)
{
	struct ethdev_port *ep = edev(p);
	uint16_t got = rte_eth_rx_burst(ep->eth_id, 0, pkts, n), keep = 0;

	for (uint16_t i = 0; i < got; i++) {
		struct rte_mbuf *m = pkts[i];

		if (m->nb_segs != 1 ||
		    !sim_frame_sane(rte_pktmbuf_mtod(m, const uint8_t *), m->data_len)) {
			p->rx_st.rx_errors++;
			rte_pktmbuf_free(m);
			continue;
		}
		m->port = p->id;
		m->ol_flags = 0;
		memset(sim_port_offload(m), 0, sizeof(struct sim_offload));
		p->rx_st.rx_packets++;
		p->rx_st.rx_bytes += m->pkt_len;
		pkts[keep++] = m;
	}
	return keep;
}

static uint16_t ethdev_tx(struct sim_port *p, uint16_t txq, struct rte_mbuf **pkts, uint16_t n)
{
	struct ethdev_port *ep = edev(p);
	struct sim_port_stats *st = &p->tx_st[txq];
	uint64_t bytes = 0;
	uint16_t sent = rte_eth_tx_burst(ep->eth_id, txq, pkts, n);

	for (uint16_t i = 0; i < sent; i++)
		bytes += pkts[i]->pkt_len;
	for (uint16_t i = sent; i < n; i++)
		rte_pktmbuf_free(pkts[i]);
	st->tx_packets += sent;
	st->tx_bytes += bytes;
	st->tx_dropped += (uint64_t)(n - sent);
	return sent;
}

static int ethdev_rx_fd(struct sim_port *p)
{
	return edev(p)->intr_fd;
}

static int ethdev_rx_arm(struct sim_port *p)
{
	return rte_eth_dev_rx_intr_enable(edev(p)->eth_id, 0);
}

const struct sim_port_class sim_port_ethdev_class = {
	.name = "ethdev",
	.open = ethdev_open,
	.close = ethdev_close,
	.rx_burst = ethdev_rx,
	.tx_burst = ethdev_tx,
	.rx_fd = ethdev_rx_fd,
	.rx_arm = ethdev_rx_arm,
};
