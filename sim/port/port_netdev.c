/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Netdev plumbing for ports: MTU/MAC by ioctl while the device is still
 * ours, then a move into the workload's namespace by rtnetlink (the fd
 * keeps working across the move, which is what makes a TAP a "function").
 */
#include <errno.h>
#include <sched.h>
#include <fcntl.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "port_internal.h"

static int ifreq_ioctl(unsigned long req, struct ifreq *ifr)
{
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), rc = 0;

	if (s < 0)
		return -errno;
	if (ioctl(s, req, ifr) < 0)
		rc = -errno;
	close(s);
	return rc;
}

int sim_netdev_configure(const char *ifname, uint16_t mtu, const uint8_t *mac, int *ifindex)
{
	struct ifreq ifr;
	int rc;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (mtu) {
		ifr.ifr_mtu = mtu;
		rc = ifreq_ioctl(SIOCSIFMTU, &ifr);
		if (rc < 0) {
			SIM_PORT_LOG("%s: mtu %u: %s", ifname, mtu, strerror(-rc));
			return rc;
		}
	}
	if (mac) {
		ifr.ifr_hwaddr.sa_family = ARPHRD_ETHER;
		memcpy(ifr.ifr_hwaddr.sa_data, mac, 6);
		rc = ifreq_ioctl(SIOCSIFHWADDR, &ifr);
		if (rc < 0) {
			SIM_PORT_LOG("%s: mac: %s", ifname, strerror(-rc));
			return rc;
		}
	}
	rc = ifreq_ioctl(SIOCGIFFLAGS, &ifr);
	if (rc == 0 && !(ifr.ifr_flags & IFF_UP)) {
		ifr.ifr_flags |= IFF_UP;
		rc = ifreq_ioctl(SIOCSIFFLAGS, &ifr);
	}
	if (rc < 0) {
		SIM_PORT_LOG("%s: up: %s", ifname, strerror(-rc));
		return rc;
	}
	*ifindex = (int)if_nametoindex(ifname);
	return *ifindex > 0 ? 0 : -ENODEV;
}

struct nl_req {
	struct nlmsghdr nh;
	struct ifinfomsg ifi;
	char attrs[256];
};

static void add_attr(struct nl_req *r, uint16_t type, const void *data, uint16_t len)
{
	struct rtattr *a = (struct rtattr *)((char *)r + NLMSG_ALIGN(r->nh.nlmsg_len));

	a->rta_type = type;
	a->rta_len = (unsigned short)RTA_LENGTH(len);
	memcpy(RTA_DATA(a), data, len);
	r->nh.nlmsg_len = NLMSG_ALIGN(r->nh.nlmsg_len) + RTA_ALIGN(a->rta_len);
}

/* Send one RTM_NEWLINK and wait for its ack; 0 or -errno from the kernel. */
static int rtnl_setlink(struct nl_req *r)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	char buf[1024];
	int s = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE), rc;
	ssize_t n;

	if (s < 0)
		return -errno;
	r->nh.nlmsg_type = RTM_NEWLINK;
	r->nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	r->nh.nlmsg_seq = 1;
	if (sendto(s, r, r->nh.nlmsg_len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		rc = -errno;
		goto out;
	}
	n = recv(s, buf, sizeof(buf), 0);
	if (n < 0) {
		rc = -errno;
		goto out;
	}
	rc = -EPROTO;
	if ((size_t)n >= sizeof(struct nlmsghdr) + sizeof(struct nlmsgerr)) {
		struct nlmsghdr *nh = (struct nlmsghdr *)buf;

		if (nh->nlmsg_type == NLMSG_ERROR)
			rc = ((struct nlmsgerr *)NLMSG_DATA(nh))->error;
	}
out:
	close(s);
	return rc;
}

static void req_init(struct nl_req *r, int ifindex)
{
	memset(r, 0, sizeof(*r));
	r->nh.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg));
	r->ifi.ifi_family = AF_UNSPEC;
	r->ifi.ifi_index = ifindex;
}

void sim_netdev_set_gso_max(int ifindex, uint32_t bytes)
{
	struct nl_req r;

	req_init(&r, ifindex);
	add_attr(&r, IFLA_GSO_MAX_SIZE, &bytes, sizeof(bytes));
	(void)rtnl_setlink(&r);
}

int sim_netns_run(const char *path, int (*fn)(void *), void *arg)
{
	int self, target, rc;

	if (path == NULL || path[0] == 0)
		return fn(arg);
	target = open(path, O_RDONLY | O_CLOEXEC);
	if (target < 0) {
		rc = -errno;
		SIM_PORT_LOG("netns %s: %s", path, strerror(-rc));
		return rc;
	}
	self = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (self < 0 || setns(target, CLONE_NEWNET) < 0) {
		rc = -errno;
		SIM_PORT_LOG("netns %s: enter: %s", path, strerror(-rc));
		close(target);
		if (self >= 0)
			close(self);
		return rc;
	}
	rc = fn(arg);
	if (setns(self, CLONE_NEWNET) < 0) {
		/* Not expected for a namespace we were in; the caller must give up. */
		rc = -errno;
		SIM_PORT_LOG("netns: cannot return from %s: %s", path, strerror(-rc));
	}
	close(self);
	close(target);
	return rc;
}
