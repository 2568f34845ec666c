/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sim_topo.h - a simulated deployment: cards, their ports and where each
 * port's netdev lives (a workload namespace, the host, a wire), read from
 * a JSON topology file (sim/topologies/, format in docs/card.md).
 *
 * Port order on every card is the firmware's: uplinks p0..pN-1, the host
 * PF pf0, then VFs pf0vf0..pf0vfM-1 (port id = index).
 */
#ifndef SIM_TOPO_H
#define SIM_TOPO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SIM_TOPO_MAX_CARDS 8
#define SIM_TOPO_MAX_WIRES 8
#define SIM_TOPO_MAX_PORTS 40
#define SIM_TOPO_MAX_LISTEN 4
#define SIM_TOPO_MAX_IPS 2
#define SIM_TOPO_HOT_SPIN_US 5000	/* default hot_spin_us */

enum sim_topo_port_kind {
	SIM_TOPO_UPLINK,
	SIM_TOPO_PF,
	SIM_TOPO_VF,
};

struct sim_topo_port {
	char name[16];		/* card-side name: p0, pf0, pf0vf1 */
	enum sim_topo_port_kind kind;
	char driver[32];	/* "vtap" (default) or a DPDK vdev: net_tap, net_af_packet */
	char devargs[128];
	char netns[32];		/* namespace of the function netdev ("": host) */
	char ifname[16];	/* its name there */
	char wire[32];		/* uplinks: the wire it plugs into */
	char rep_ifname[16];	/* representor netdev (host namespace) */
	char host_ifname[16];	/* <card>_<port>: a DPDK vdev's netdev (host end of a veth) */
	char ips[SIM_TOPO_MAX_IPS][48];	/* addresses with prefix for the function */
	int n_ips;
	uint8_t mac[6];
	bool has_mac;
	uint16_t mtu;		/* 0: default */
};

struct sim_topo_card {
	char name[16];
	char rep_prefix[8];
	char listen[SIM_TOPO_MAX_LISTEN][128];
	int n_listen;
	uint32_t n_uplinks, n_vfs, n_ports;
	uint32_t max_flows;	/* 0: firmware default */
	uint32_t spin_us;	/* dataplane poll window after traffic (0: default) */
	uint32_t hot_spin_us;	/* ... while traffic is steady (0: off; sim_dp.h) */
	bool busy_poll;
	struct sim_topo_port ports[SIM_TOPO_MAX_PORTS];
};

struct sim_topo_wire {
	char name[32];
	char netns[32];		/* namespace holding the wire's bridge */
	char bridge[16];
	uint16_t mtu;
};

struct sim_topo {
	char name[64];
	char run_dir[128];	/* sockets, logs, pid/ready files */
	struct sim_topo_card cards[SIM_TOPO_MAX_CARDS];
	int n_cards;
	struct sim_topo_wire wires[SIM_TOPO_MAX_WIRES];
	int n_wires;
};

/**
 * Read and validate a topology.  0, or -errno with err naming the
 * offending field ("cards[0].vfs[1].ip: ...").
 */
int sim_topo_load(const char *path, struct sim_topo *t, char *err, size_t errlen);
/** Same from a JSON text (tests, fuzzing). */
int sim_topo_parse(const char *json, struct sim_topo *t, char *err, size_t errlen);

const struct sim_topo_card *sim_topo_find_card(const struct sim_topo *t, const char *name);
const struct sim_topo_wire *sim_topo_find_wire(const struct sim_topo *t, const char *name);

#ifdef __cplusplus
}
#endif

#endif /* SIM_TOPO_H */
