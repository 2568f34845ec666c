/* SPDX-License-Identifier: BSD-3-Clause */
/* Internal to sim/port: providers, netdev helpers, header walking. */
#ifndef SIM_PORT_INTERNAL_H
#define SIM_PORT_INTERNAL_H

#include <stdio.h>

#include "sim_port.h"

#define SIM_PORT_LOG(fmt, ...) fprintf(stderr, "sim-port: " fmt "\n", ##__VA_ARGS__)

/* Most segments a transmitted mbuf chain may have. */
#define SIM_PORT_MAX_SEGS 32
/* Super-frame bound asked of the kernel, below a big mbuf's data room. */
#define SIM_PORT_GSO_MAX 62000

extern const struct sim_port_class sim_port_vtap_class;
extern const struct sim_port_class sim_port_ethdev_class;

/* Set MTU/MAC of a netdev in this namespace and bring it up; returns its ifindex. */
int sim_netdev_configure(const char *ifname, uint16_t mtu, const uint8_t *mac,
			 int *ifindex);
/* Run fn(arg) with this thread inside the namespace at path (NULL: here). */
int sim_netns_run(const char *path, int (*fn)(void *), void *arg);
/* Best effort: older kernels refuse to change it. */
void sim_netdev_set_gso_max(int ifindex, uint32_t bytes);

/* Length of the TCP header at off (20 when it cannot be read). */
uint16_t sim_tcp_hdr_len(const struct rte_mbuf *m, uint32_t off);

/* Where the headers of a (possibly tunnelled) frame are. */
struct sim_hdrs {
	uint16_t l3, l4;		/* innermost IP and its L4 */
	uint16_t ol3, ol4;		/* outer IP/UDP when tunnelled */
	uint8_t v6, ov6;
	uint8_t proto;			/* innermost L4 protocol */
	uint8_t tunnel;			/* VXLAN or Geneve around the inner frame */
};

/* Walk eth/VLAN/IP[/UDP-tunnel/eth/VLAN/IP] in the first segment; 0 or -EINVAL. */
int sim_hdrs_parse(const struct rte_mbuf *m, struct sim_hdrs *h);

#endif /* SIM_PORT_INTERNAL_H */
