/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * "vtap": a TAP netdev with the virtio-net header, so the kernel passes
 * TCP super-frames and partial checksums across instead of segmenting and
 * checksumming every 1500-byte frame before the card sees it.  One read()
 * or writev() per frame; the fd is the port's wake-up source.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <linux/virtio_net.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <unistd.h>

#include <rte_malloc.h>

#include "port_internal.h"

struct vtap_port {
	struct sim_port base;
	int fd;
	bool vnet;
	struct rte_mempool *big_pool;
	struct rte_mbuf *spare;		/* a big buffer kept between reads */
};

static struct vtap_port *vtap(struct sim_port *p)
{
	return (struct vtap_port *)p;
}

static int tap_create(const char *name, bool vnet, char *actual)
{
	struct ifreq ifr;
	int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI | (vnet ? IFF_VNET_HDR : 0);
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		int rc = -errno;

		close(fd);
		return rc;
	}
	snprintf(actual, IFNAMSIZ, "%s", ifr.ifr_name);
	if (vnet) {
		/* What we accept from the kernel; it then sends us super-frames. */
		unsigned int off = TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6 | TUN_F_TSO_ECN;

		if (ioctl(fd, TUNSETOFFLOAD, off) < 0) {
			int rc = -errno;

			close(fd);
			return rc;
		}
	}
	return fd;
}

struct vtap_create {
	const struct sim_port_conf *conf;
	struct vtap_port *vp;
};

/* Runs inside the port's namespace: create or re-attach, then configure. */
static int vtap_create_in_ns(void *arg)
{
	struct vtap_create *vc = arg;
	const struct sim_port_conf *conf = vc->conf;
	struct vtap_port *vp = vc->vp;
	int rc;

	vp->fd = tap_create(conf->ifname, vp->vnet, vp->base.ifname);
	if (vp->fd < 0) {
		SIM_PORT_LOG("%s: cannot create TAP: %s", conf->ifname, strerror(-vp->fd));
		return vp->fd;
	}
	if (conf->persist && ioctl(vp->fd, TUNSETPERSIST, 1) < 0) {
		rc = -errno;
		SIM_PORT_LOG("%s: persist: %s", conf->ifname, strerror(-rc));
		return rc;
	}
	rc = sim_netdev_configure(vp->base.ifname, conf->mtu, conf->has_mac ? conf->mac : NULL,
				  &vp->base.ifindex);
	if (rc == 0 && vp->vnet)
		/* Keep super-frames inside one big mbuf (data room < 64 KiB). */
		sim_netdev_set_gso_max(vp->base.ifindex, SIM_PORT_GSO_MAX);
	return rc;
}

static int vtap_open(const struct sim_port_conf *conf, struct sim_port **out)
{
	struct vtap_port *vp = rte_zmalloc("sim_vtap", sizeof(*vp), 0);
	struct vtap_create vc = { conf, vp };
	int rc;

	if (vp == NULL)
		return -ENOMEM;
	vp->fd = -1;
	vp->vnet = conf->offloads;
	vp->big_pool = conf->big_pool;
	rc = sim_netns_run(conf->netns_path, vtap_create_in_ns, &vc);
	if (rc < 0) {
		if (vp->fd >= 0)
			close(vp->fd);
		rte_free(vp);
		return rc;
	}
	if (vp->vnet)
		vp->base.capa = SIM_PORT_CAPA_CSUM | SIM_PORT_CAPA_TSO;
	*out = &vp->base;
	return 0;
}

static void vtap_close(struct sim_port *p)
{
	struct vtap_port *vp = vtap(p);

	if (vp->spare)
		rte_pktmbuf_free(vp->spare);
	close(vp->fd);
	rte_free(vp);
}

static void hdr_to_offload(const struct virtio_net_hdr *h, struct rte_mbuf *m)
{
	struct sim_offload *o = sim_port_offload(m);

	memset(o, 0, sizeof(*o));
	if (h->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) {
		if (h->csum_start < m->pkt_len) {
			o->csum_tail = (uint16_t)(m->pkt_len - h->csum_start);
			o->csum_offset = h->csum_offset;
		}
	} else if (h->flags & VIRTIO_NET_HDR_F_DATA_VALID) {
		o->csum_valid = 1;
	}
	switch (h->gso_type & ~VIRTIO_NET_HDR_GSO_ECN) {
	case VIRTIO_NET_HDR_GSO_TCPV4:
		o->gso_size = h->gso_size;
		break;
	case VIRTIO_NET_HDR_GSO_TCPV6:
		o->gso_size = h->gso_size;
		o->gso_v6 = 1;
		break;
	default:
		break;
	}
	if (o->gso_size && !o->csum_tail)
		o->gso_size = 0; /* the kernel always pairs GSO with NEEDS_CSUM */
}

static struct rte_mbuf *rx_buffer(struct vtap_port *vp)
{
	struct rte_mbuf *m;

	if (vp->spare) {
		m = vp->spare;
		vp->spare = NULL;
		return m;
	}
	return rte_pktmbuf_alloc(vp->big_pool ? vp->big_pool : vp->base.pool);
}

static uint16_t vtap_rx(struct sim_port *p, struct rte_mbuf **pkts, uint16_t n)
{
	struct vtap_port *vp = vtap(p);
	struct virtio_net_hdr h;
	uint16_t got = 0;

	while (got < n) {
		struct rte_mbuf *m = rx_buffer(vp);
		struct iovec iov[2];
		size_t room;
		ssize_t r;
		uint32_t len;

		if (m == NULL) {
			p->rx_st.rx_nombuf++;	/* stays queued in the kernel */
			break;
		}
		room = rte_pktmbuf_tailroom(m);
		iov[0] = (struct iovec){ &h, sizeof(h) };
		iov[1] = (struct iovec){ rte_pktmbuf_mtod(m, void *), room };
		if (vp->vnet)
			r = readv(vp->fd, iov, 2);
		else
			r = readv(vp->fd, iov + 1, 1);
		if (r <= 0) {
			vp->spare = m;
			if (r < 0 && errno != EAGAIN && errno != EINTR)
				p->rx_st.rx_errors++;
			break;
		}
		len = (uint32_t)r - (vp->vnet ? sizeof(h) : 0);
		if ((size_t)len >= room ||
		    !sim_frame_sane(rte_pktmbuf_mtod(m, const uint8_t *), len)) {
			p->rx_st.rx_errors++;	/* truncated or garbage */
			vp->spare = m;
			continue;
		}
		if (vp->big_pool && len <= SIM_PORT_SMALL_DATA - RTE_PKTMBUF_HEADROOM) {
			/* Small frame: copy it out, keep the big buffer for the next read. */
			struct rte_mbuf *s = rte_pktmbuf_alloc(p->pool);

			if (s != NULL) {
				memcpy(rte_pktmbuf_mtod(s, void *),
				       rte_pktmbuf_mtod(m, const void *), len);
				vp->spare = m;
				m = s;
			}
		}
		m->data_len = (uint16_t)len;
		m->pkt_len = len;
		m->port = p->id;
		m->ol_flags = 0;
		if (vp->vnet)
			hdr_to_offload(&h, m);
		else
			memset(sim_port_offload(m), 0, sizeof(struct sim_offload));
		p->rx_st.rx_packets++;
		p->rx_st.rx_bytes += len;
		pkts[got++] = m;
	}
	return got;
}

static void offload_to_hdr(struct rte_mbuf *m, struct virtio_net_hdr *h)
{
	const struct sim_offload *o = sim_port_offload(m);

	memset(h, 0, sizeof(*h));
	if (o->csum_tail && o->csum_tail <= m->pkt_len) {
		h->flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
		h->csum_start = (uint16_t)(m->pkt_len - o->csum_tail);
		h->csum_offset = o->csum_offset;
		if (o->gso_size) {
			uint16_t thl = sim_tcp_hdr_len(m, h->csum_start);

			h->gso_type = o->gso_v6 ? VIRTIO_NET_HDR_GSO_TCPV6
						: VIRTIO_NET_HDR_GSO_TCPV4;
			h->gso_size = o->gso_size;
			h->hdr_len = (uint16_t)(h->csum_start + thl);
		}
	} else if (o->csum_valid) {
		h->flags = VIRTIO_NET_HDR_F_DATA_VALID;
	}
}

static uint16_t vtap_tx(struct sim_port *p, uint16_t txq, struct rte_mbuf **pkts, uint16_t n)
{
	struct vtap_port *vp = vtap(p);
	struct sim_port_stats *st = &p->tx_st[txq];
	uint16_t sent = 0;

	for (uint16_t i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i], *s;
		struct iovec iov[1 + SIM_PORT_MAX_SEGS];
		struct virtio_net_hdr h;
		int niov = 0;

		if (vp->vnet) {
			offload_to_hdr(m, &h);
			iov[niov++] = (struct iovec){ &h, sizeof(h) };
		}
		for (s = m; s != NULL && niov < (int)RTE_DIM(iov); s = s->next)
			iov[niov++] = (struct iovec){ rte_pktmbuf_mtod(s, void *), s->data_len };
		if (s == NULL && writev(vp->fd, iov, niov) >= 0) {
			st->tx_packets++;
			st->tx_bytes += m->pkt_len;
			sent++;
		} else {
			st->tx_dropped++;
		}
		rte_pktmbuf_free(m);
	}
	return sent;
}

static int vtap_rx_fd(struct sim_port *p)
{
	return vtap(p)->fd;
}

static int vtap_rx_arm(struct sim_port *p)
{
	(void)p;
	return 0;	/* level-triggered: the fd is readable while frames wait */
}

const struct sim_port_class sim_port_vtap_class = {
	.name = "vtap",
	.open = vtap_open,
	.close = vtap_close,
	.rx_burst = vtap_rx,
	.tx_burst = vtap_tx,
	.rx_fd = vtap_rx_fd,
	.rx_arm = vtap_rx_arm,
};
