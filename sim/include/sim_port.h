/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sim_port.h - the simulated card's ports: packet I/O behind a provider
 * vtable (in the manner of OVS's netdev_class), so the dataplane does not
 * care whether a port is a DPDK ethdev vdev or the card's own TAP device.
 *
 * Providers:
 *   "vtap"    a TAP netdev opened with IFF_VNET_HDR and TUNSETOFFLOAD: the
 *             kernel hands over (and takes back) 64 KiB TSO super-frames
 *             with partial checksums, which is what a NIC offloads.  DPDK
 *             22.11's net_tap cannot receive them and this kernel has no
 *             vhost-net for virtio-user (docs/card.md).
 *   "net_tap", "net_af_packet", "net_ring", ...
 *             any DPDK ethdev virtual device, created with
 *             rte_dev_probe("<driver><n>,<devargs>").
 *
 * Offload metadata travels with the mbuf in struct sim_offload (an mbuf
 * dynamic field).  Offsets are kept relative to the packet's end, so they
 * stay right when the eSwitch pushes or pops headers in front (VLAN,
 * VXLAN/Geneve encap/decap).  A port that cannot take a super-frame or a
 * partial checksum gets it segmented / completed in software on transmit.
 */
#ifndef SIM_PORT_H
#define SIM_PORT_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>

#ifdef __cplusplus
extern "C" {
#endif

struct sim_port;

/** Offload state of a packet (mbuf dynfield, see sim_port_offload()). */
struct sim_offload {
	uint16_t csum_tail;	/* pkt_len - csum_start; 0: no partial checksum */
	uint16_t csum_offset;	/* checksum field offset from csum_start */
	uint16_t gso_size;	/* MSS of a TCP super-frame; 0: not GSO */
	uint8_t gso_v6;		/* super-frame's innermost IP is IPv6 */
	uint8_t csum_valid;	/* kernel vouched for the L4 checksum */
};

/** What a port's transmit side takes from the kernel's offload set. */
#define SIM_PORT_CAPA_CSUM	(1u << 0)	/* partial L4 checksums */
#define SIM_PORT_CAPA_TSO	(1u << 1)	/* TCP super-frames (not tunnelled) */

struct sim_port_conf {
	const char *ifname;	/* netdev to create or attach (vtap) or the vdev's iface */
	/*
	 * vtap: the namespace the netdev lives in (e.g. /run/netns/vm1), NULL
	 * for ours.  The device is persistent: it outlives a firmware restart
	 * like a PCIe function outlives the card's firmware, and a restarted
	 * firmware attaches to it again.
	 */
	const char *netns_path;
	bool persist;		/* vtap: keep the netdev when the port closes */
	const char *driver;	/* "vtap" or a DPDK vdev driver ("net_tap", ...) */
	const char *devargs;	/* extra vdev arguments (ethdev drivers), may be NULL */
	uint16_t id;		/* eSwitch port id, stamped in mbuf->port */
	uint16_t mtu;		/* 0: leave the default */
	uint8_t mac[6];		/* netdev MAC when has_mac */
	bool has_mac;
	bool offloads;		/* ask the kernel for csum/TSO (vtap) */
	uint16_t n_txq;		/* transmit queues: one per sending thread (>= 1) */
	struct rte_mempool *pool;	/* small packets (<= SIM_PORT_SMALL_DATA) */
	struct rte_mempool *big_pool;	/* super-frames (vtap); NULL: small only */
};

/** Data room of the small pool's mbufs that ports expect. */
#define SIM_PORT_SMALL_DATA 2048

struct sim_port_stats {
	uint64_t rx_packets, rx_bytes;
	uint64_t tx_packets, tx_bytes;
	uint64_t rx_errors;	/* runts, truncated or inconsistent headers */
	uint64_t rx_nombuf;	/* left in the kernel: no buffer */
	uint64_t tx_dropped;	/* the device refused the frame */
	uint64_t tx_gso_segs;	/* segments made in software */
	uint64_t tx_csum_sw;	/* checksums completed in software */
};

/** A port provider. */
struct sim_port_class {
	const char *name;
	int (*open)(const struct sim_port_conf *conf, struct sim_port **port);
	void (*close)(struct sim_port *port);
	/** Receive up to n packets; never blocks. */
	uint16_t (*rx_burst)(struct sim_port *port, struct rte_mbuf **pkts, uint16_t n);
	/** Transmit on queue txq; takes ownership of all n mbufs. */
	uint16_t (*tx_burst)(struct sim_port *port, uint16_t txq, struct rte_mbuf **pkts,
			     uint16_t n);
	/** An fd that polls readable when rx has work, or -1 (poll only). */
	int (*rx_fd)(struct sim_port *port);
	/** Arm rx_fd before sleeping; 0 or -errno (then poll). */
	int (*rx_arm)(struct sim_port *port);
};

/** Common part of every port (providers embed it first). */
struct sim_port {
	const struct sim_port_class *cls;
	char ifname[16];
	uint16_t id;
	uint16_t n_txq;
	uint32_t capa;		/* SIM_PORT_CAPA_* */
	int ifindex;		/* of the netdev, 0 when it has none */
	struct rte_mempool *pool;
	/* rx counters belong to the receiving thread, tx to each queue's. */
	struct sim_port_stats rx_st;
	struct sim_port_stats *tx_st;	/* n_txq entries */
};

/** Register the offload dynfield; call once after rte_eal_init(). */
int sim_port_lib_init(void);

/** The offload state of m (zeroed by the ports for every received packet). */
struct sim_offload *sim_port_offload(struct rte_mbuf *m);

/** Open a port with the provider conf->driver names. 0 or -errno. */
int sim_port_open(const struct sim_port_conf *conf, struct sim_port **port);
void sim_port_close(struct sim_port *port);

static inline uint16_t
sim_port_rx_burst(struct sim_port *port, struct rte_mbuf **pkts, uint16_t n)
{
	return port->cls->rx_burst(port, pkts, n);
}

/**
 * Transmit on queue txq: super-frames and partial checksums the port
 * cannot take are finished in software first.  Takes every mbuf; returns
 * how many frames the device accepted.
 */
uint16_t sim_port_tx_burst(struct sim_port *port, uint16_t txq, struct rte_mbuf **pkts,
			   uint16_t n);

/** Sum of rx and per-queue tx counters (racy but monotonic reads). */
void sim_port_get_stats(const struct sim_port *port, struct sim_port_stats *st);

/**
 * Segment a TCP super-frame into frames of at most gso_size payload and
 * complete every checksum; handles one level of VXLAN/Geneve tunnel.
 * segs receives up to max single-segment mbufs from pool; m is freed.
 * Returns the number of segments or -errno (m freed too).
 */
int sim_gso_segment(struct rte_mbuf *m, struct rte_mempool *pool,
		    struct rte_mbuf **segs, uint16_t max);

/** Complete a partial checksum in place (for ports without CAPA_CSUM). */
int sim_csum_complete(struct rte_mbuf *m);

/**
 * Cheap sanity check of a received frame: a full Ethernet header and, for
 * IPv4/IPv6, a header that fits and agrees with the frame.  Frames that
 * fail are counted in rx_errors and dropped by the port.
 */
bool sim_frame_sane(const uint8_t *d, uint32_t len);

#ifdef __cplusplus
}
#endif

#endif /* SIM_PORT_H */
