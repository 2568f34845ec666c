// SPDX-License-Identifier: BSD-3-Clause
/*
 * Netdevs to card ports. A representor is the netdev named
 * <rep_prefix><card port name> (what dpu-sim creates; a real switchdev
 * driver's phys_port_name is the same string); a vxlan or geneve netdev
 * (OVS's vxlan_sys_4789, genev_sys_6081) is a tunnel over the first uplink.
 * Recorded messages carry ifindexes of another machine: a devmap file
 * ("ifindex name" lines) stands in for the live lookup then.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netlink/netlink.h>
#include <netlink/route/link.h>
#include <netlink/route/link/geneve.h>
#include <netlink/route/link/vxlan.h>
#include <netlink/route/neighbour.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "agent.h"
#include "agent_log.h"

static const struct dpu_abi_port_info *card_port(const struct agent *a, const char *ifname)
{
	size_t pl = strlen(a->rep_prefix);

	if (strncmp(ifname, a->rep_prefix, pl))
		return NULL;
	for (uint32_t i = 0; i < a->n_card_ports; i++)
		if (!strncmp(a->card_ports[i].name, ifname + pl, sizeof(a->card_ports[i].name)))
			return &a->card_ports[i];
	return NULL;
}

static uint32_t first_uplink(const struct agent *a)
{
	for (uint32_t i = 0; i < a->n_card_ports; i++)
		if (a->card_ports[i].kind == DPU_ABI_PORT_UPLINK)
			return a->card_ports[i].port_id;
	return 0;
}

/* What a netdev of this name and kind is to the card. */
static bool classify(const struct agent *a, const char *ifname, const char *kind,
		     uint32_t udp_port, struct dpu_rules_port_info *out)
{
	const struct dpu_abi_port_info *p = card_port(a, ifname);

	memset(out, 0, sizeof(*out));
	if (p) {
		out->kind = DPU_RULES_PORT_CARD;
		out->port_id = p->port_id;
		return true;
	}
	if (kind && (!strcmp(kind, "vxlan") || !strcmp(kind, "geneve"))) {
		out->kind = DPU_RULES_PORT_TUNNEL;
		out->tunnel_type = !strcmp(kind, "vxlan") ? DPU_ABI_TUNNEL_VXLAN :
							  DPU_ABI_TUNNEL_GENEVE;
		out->udp_port = (uint16_t)(udp_port ? udp_port :
					   !strcmp(kind, "vxlan") ? 4789 : 6081);
		out->port_id = first_uplink(a);
		return true;
	}
	return false;
}

static void add_port(struct agent *a, uint32_t ifindex, const char *ifname,
		     const struct dpu_rules_port_info *info)
{
	struct agent_port *p;

	if (a->n_ports == AGENT_MAX_PORTS)
		return;
	p = &a->ports[a->n_ports++];
	p->ifindex = ifindex;
	snprintf(p->ifname, sizeof(p->ifname), "%.15s", ifname);
	p->info = *info;
}

int agent_ports_refresh(struct agent *a)
{
	struct nl_sock *sk = nl_socket_alloc();
	struct nl_cache *cache = NULL;
	int rc;

	if (!sk)
		return -ENOMEM;
	rc = nl_connect(sk, NETLINK_ROUTE);
	if (!rc)
		rc = rtnl_link_alloc_cache(sk, AF_UNSPEC, &cache);
	if (rc) {
		agent_log(AGENT_LOG_ERR, "netdevs: %s", nl_geterror(rc));
		nl_socket_free(sk);
		return -EIO;
	}
	a->n_ports = 0;
	for (struct nl_object *o = nl_cache_get_first(cache); o; o = nl_cache_get_next(o)) {
		struct rtnl_link *l = (struct rtnl_link *)o;
		const char *kind = rtnl_link_get_type(l);
		struct dpu_rules_port_info info;
		uint32_t port = 0;

		if (kind && !strcmp(kind, "vxlan"))
			rtnl_link_vxlan_get_port(l, &port);
		else if (kind && !strcmp(kind, "geneve"))
			rtnl_link_geneve_get_port(l, &port);
		if (classify(a, rtnl_link_get_name(l), kind, port, &info))
			add_port(a, (uint32_t)rtnl_link_get_ifindex(l), rtnl_link_get_name(l), &info);
	}
	nl_cache_free(cache);
	nl_socket_free(sk);
	return 0;
}

int agent_ports_load_devmap(struct agent *a, const char *path)
{
	FILE *f = fopen(path, "r");
	char name[64];
	unsigned int ifindex;

	if (!f)
		return -errno;
	a->n_ports = 0;
	while (fscanf(f, "%u %63s", &ifindex, name) == 2) {
		struct dpu_rules_port_info info;
		/* Recorded devices have no kind: OVS's tunnel names tell. */
		const char *kind = !strncmp(name, "vxlan", 5) ? "vxlan" :
				   !strncmp(name, "genev", 5) ? "geneve" : NULL;
		unsigned int port = 0;

		if (kind)
			sscanf(name, "%*[a-z]_sys_%u", &port);
		if (classify(a, name, kind, port, &info))
			add_port(a, ifindex, name, &info);
	}
	fclose(f);
	return 0;
}

/* "IP=MAC": the outer destination MAC for encap towards IP. */
int agent_neigh_add(struct agent *a, const char *spec)
{
	char ip[INET6_ADDRSTRLEN + 1];
	unsigned int m[6];
	struct agent_neigh *n;

	if (a->n_neigh == AGENT_MAX_NEIGH ||
	    sscanf(spec, "%46[^=]=%x:%x:%x:%x:%x:%x", ip, &m[0], &m[1], &m[2], &m[3], &m[4],
		   &m[5]) != 7)
		return -EINVAL;
	n = &a->neigh[a->n_neigh];
	memset(n, 0, sizeof(*n));
	if (inet_pton(AF_INET, ip, n->ip) == 1)
		n->ip_version = 4;
	else if (inet_pton(AF_INET6, ip, n->ip) == 1)
		n->ip_version = 6;
	else
		return -EINVAL;
	for (int i = 0; i < 6; i++)
		n->mac[i] = (uint8_t)m[i];
	a->n_neigh++;
	return 0;
}

static int resolve_port(void *ctx, uint32_t ifindex, struct dpu_rules_port_info *out)
{
	struct agent *a = ctx;

	for (unsigned int i = 0; i < a->n_ports; i++)
		if (a->ports[i].ifindex == ifindex) {
			*out = a->ports[i].info;
			return 0;
		}
	return -ENODEV;
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int cache_lookup(struct nl_cache *cache, uint8_t ip_version, const uint8_t dst[16],
			uint8_t mac[6])
{
	size_t alen = ip_version == 4 ? 4 : 16;

	for (struct nl_object *o = nl_cache_get_first(cache); o; o = nl_cache_get_next(o)) {
		struct rtnl_neigh *n = (struct rtnl_neigh *)o;
		struct nl_addr *d = rtnl_neigh_get_dst(n), *l = rtnl_neigh_get_lladdr(n);

		if (d && l && nl_addr_get_len(d) == alen && nl_addr_get_len(l) == 6 &&
		    !memcmp(nl_addr_get_binary_addr(d), dst, alen)) {
			memcpy(mac, nl_addr_get_binary_addr(l), 6);
			return 0;
		}
	}
	return -ENOENT;
}

/* The kernel's neighbour table, as a tc user's encap would see it. One
 * cached copy: a burst of encap filters must not dump the table each. */
static int kernel_neigh(struct agent *a, uint8_t ip_version, const uint8_t dst[16],
			uint8_t mac[6])
{
	uint64_t now = mono_ns();

	if (!a->neigh_cache) {
		a->neigh_sk = nl_socket_alloc();
		if (!a->neigh_sk || nl_connect(a->neigh_sk, NETLINK_ROUTE) ||
		    rtnl_neigh_alloc_cache(a->neigh_sk, &a->neigh_cache)) {
			agent_ports_fini(a);
			return -EIO;
		}
		a->neigh_refilled_ns = now;
	}
	if (!cache_lookup(a->neigh_cache, ip_version, dst, mac))
		return 0;
	/* A miss may be a neighbour learnt since: look again, not too often. */
	if (now - a->neigh_refilled_ns < 100000000ull ||
	    nl_cache_refill(a->neigh_sk, a->neigh_cache))
		return -ENOENT;
	a->neigh_refilled_ns = now;
	return cache_lookup(a->neigh_cache, ip_version, dst, mac);
}

void agent_ports_fini(struct agent *a)
{
	nl_cache_free(a->neigh_cache);
	nl_socket_free(a->neigh_sk);
	a->neigh_cache = NULL;
	a->neigh_sk = NULL;
}

static int resolve_neigh(void *ctx, uint8_t ip_version, const uint8_t dst[16],
			 uint8_t eth_src[6], uint8_t eth_dst[6], uint32_t *uplink)
{
	struct agent *a = ctx;
	const struct dpu_abi_port_info *up = NULL;
	int rc = -ENOENT;

	for (uint32_t i = 0; i < a->n_card_ports && !up; i++)
		if (a->card_ports[i].kind == DPU_ABI_PORT_UPLINK)
			up = &a->card_ports[i];
	if (!up)
		return -ENODEV;
	for (unsigned int i = 0; i < a->n_neigh && rc; i++)
		if (a->neigh[i].ip_version == ip_version &&
		    !memcmp(a->neigh[i].ip, dst, ip_version == 4 ? 4 : 16)) {
			memcpy(eth_dst, a->neigh[i].mac, 6);
			rc = 0;
		}
	if (rc && !a->offline)
		rc = kernel_neigh(a, ip_version, dst, eth_dst);
	if (rc)
		return rc;
	memcpy(eth_src, up->mac, 6);
	*uplink = up->port_id;
	return 0;
}

void agent_resolver_init(struct agent *a)
{
	a->resolver = (struct dpu_rules_resolver){
		.ctx = a,
		.port = resolve_port,
		.neigh = resolve_neigh,
		.meter = agent_meter_lookup,
	};
}
