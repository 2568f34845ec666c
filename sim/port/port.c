/* SPDX-License-Identifier: BSD-3-Clause */
/* Provider dispatch and the software-offload transmit path. */
#include <errno.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_ip.h>
#include <rte_malloc.h>

#include "port_internal.h"

static const struct sim_port_class *find_class(const char *driver)
{
	if (!strcmp(driver, "vtap"))
		return &sim_port_vtap_class;
	if (!strncmp(driver, "net_", 4))
		return &sim_port_ethdev_class;
	return NULL;
}

int sim_port_open(const struct sim_port_conf *conf, struct sim_port **port)
{
	const struct sim_port_class *cls;
	struct sim_port *p;
	uint16_t nq = conf->n_txq ? conf->n_txq : 1;
	int rc;

	if ((rc = sim_port_lib_init()) < 0)
		return rc;
	if (conf->ifname == NULL || conf->pool == NULL || conf->driver == NULL)
		return -EINVAL;
	cls = find_class(conf->driver);
	if (cls == NULL) {
		SIM_PORT_LOG("%s: unknown driver '%s' (vtap or a DPDK net_* vdev)",
			     conf->ifname, conf->driver);
		return -ENOTSUP;
	}
	rc = cls->open(conf, &p);
	if (rc < 0)
		return rc;
	p->cls = cls;
	p->id = conf->id;
	p->n_txq = nq;
	p->pool = conf->pool;
	p->tx_st = rte_zmalloc("sim_port_txst", sizeof(*p->tx_st) * nq, RTE_CACHE_LINE_SIZE);
	if (p->tx_st == NULL) {
		cls->close(p);
		return -ENOMEM;
	}
	*port = p;
	return 0;
}

void sim_port_close(struct sim_port *port)
{
	struct sim_port_stats *st;

	if (port == NULL)
		return;
	st = port->tx_st;
	port->cls->close(port);
	rte_free(st);
}

/*
 * A partial checksum holds the pseudo-header sum; rewrite actions (NAT)
 * may have changed the addresses under it, so refresh it from the headers.
 */
static void refresh_pseudo(struct rte_mbuf *m, const struct sim_hdrs *h)
{
	struct sim_offload *o = sim_port_offload(m);
	uint8_t *d = rte_pktmbuf_mtod(m, uint8_t *);
	uint16_t ph;

	if (h->l4 + o->csum_offset + 2u > m->data_len)
		return;
	if (!h->v6) {
		struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(d + h->l3);

		ph = rte_ipv4_phdr_cksum(ip, 0);
	} else {
		struct rte_ipv6_hdr *ip = (struct rte_ipv6_hdr *)(d + h->l3);

		ph = rte_ipv6_phdr_cksum(ip, 0);
	}
	memcpy(d + h->l4 + o->csum_offset, &ph, 2);
}

/*
 * Make m something this port can send: returns how many frames are in
 * out (m itself, or its software segments), 0 when m was dropped.
 */
static int prepare(struct sim_port *port, struct sim_port_stats *st, struct rte_mbuf *m,
		   struct rte_mbuf **out, uint16_t room)
{
	struct sim_offload *o = sim_port_offload(m);
	struct sim_hdrs h;
	bool plain;
	int n;

	if (o->csum_tail == 0) {
		o->gso_size = 0;
		out[0] = m;
		return 1;
	}
	plain = sim_hdrs_parse(m, &h) == 0 && !h.tunnel &&
		(uint32_t)m->pkt_len - o->csum_tail == h.l4;
	if (plain)
		refresh_pseudo(m, &h);
	if (o->gso_size && (!plain || !(port->capa & SIM_PORT_CAPA_TSO))) {
		struct rte_mempool *pool = port->pool;

		n = sim_gso_segment(m, pool, out, room);
		if (n < 0) {
			st->tx_dropped++;
			return 0;
		}
		st->tx_gso_segs += (uint64_t)n;
		return n;
	}
	if (!plain || !(port->capa & SIM_PORT_CAPA_CSUM)) {
		o->gso_size = 0;
		if (sim_csum_complete(m) < 0) {
			st->tx_dropped++;
			rte_pktmbuf_free(m);
			return 0;
		}
		st->tx_csum_sw++;
	}
	out[0] = m;
	return 1;
}

#define TX_STAGE 160	/* a 64 KiB super-frame down to a 410-byte MSS */

uint16_t sim_port_tx_burst(struct sim_port *port, uint16_t txq, struct rte_mbuf **pkts,
			   uint16_t n)
{
	struct sim_port_stats *st = &port->tx_st[txq];
	struct rte_mbuf *stage[TX_STAGE];
	uint16_t ns = 0, sent = 0;

	for (uint16_t i = 0; i < n; i++) {
		const struct sim_offload *o = sim_port_offload(pkts[i]);
		uint32_t need = o->gso_size ? pkts[i]->pkt_len / o->gso_size + 1 : 1;

		if (need > (uint32_t)(TX_STAGE - ns)) {
			sent += port->cls->tx_burst(port, txq, stage, ns);
			ns = 0;
		}
		ns += (uint16_t)prepare(port, st, pkts[i], stage + ns, (uint16_t)(TX_STAGE - ns));
	}
	if (ns)
		sent += port->cls->tx_burst(port, txq, stage, ns);
	return sent;
}

void sim_port_get_stats(const struct sim_port *port, struct sim_port_stats *st)
{
	*st = port->rx_st;
	st->tx_packets = st->tx_bytes = st->tx_dropped = 0;
	st->tx_gso_segs = st->tx_csum_sw = 0;
	for (uint16_t q = 0; q < port->n_txq; q++) {
		const struct sim_port_stats *t = &port->tx_st[q];

		st->tx_packets += t->tx_packets;
		st->tx_bytes += t->tx_bytes;
		st->tx_dropped += t->tx_dropped;
		st->tx_gso_segs += t->tx_gso_segs;
		st->tx_csum_sw += t->tx_csum_sw;
	}
}
