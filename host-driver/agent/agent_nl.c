// SPDX-License-Identifier: BSD-3-Clause
/*
 * Where tc messages come from: a NETLINK_ROUTE socket in RTNLGRP_TC (with a
 * dump of the representors' filters first), or files of recorded messages
 * (what tests/unit/rules/nlcap_shim.so writes from a real `tc`). Both hand
 * raw messages to agent_handle_msg(), so the decode path is the same.
 */
#include <errno.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "agent.h"
#include "agent_log.h"

static struct nl_sock *nl_sk;

/* Every message of a buffer of netlink messages. */
static int feed(struct agent *a, const uint8_t *buf, size_t len)
{
	const struct nlmsghdr *h = (const void *)buf;
	int n = 0;

	for (; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
		if (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR ||
		    h->nlmsg_type == NLMSG_NOOP)
			continue;
		if (agent_handle_msg(a, h, h->nlmsg_len) == -ENOMEM)
			return -ENOMEM;
		n++;
	}
	if (len)
		agent_log(AGENT_LOG_WARN, "%zu trailing bytes after the last netlink message", len);
	return n;
}

int agent_replay_file(struct agent *a, const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long len;
	int n = -EIO;

	if (!f)
		return -errno;
	if (fseek(f, 0, SEEK_END) == 0 && (len = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (buf = malloc((size_t)len + 1)) && fread(buf, 1, (size_t)len, f) == (size_t)len)
		n = feed(a, buf, (size_t)len);
	free(buf);
	fclose(f);
	return n;
}

int agent_nl_open(struct agent *a)
{
	int rc;

	(void)a;
	nl_sk = nl_socket_alloc();
	if (!nl_sk)
		return -ENOMEM;
	nl_socket_disable_seq_check(nl_sk);
	nl_socket_disable_auto_ack(nl_sk);
	rc = nl_connect(nl_sk, NETLINK_ROUTE);
	if (!rc)
		rc = nl_socket_add_membership(nl_sk, RTNLGRP_TC);
	if (!rc)
		rc = nl_socket_set_nonblocking(nl_sk);
	if (rc) {
		agent_log(AGENT_LOG_ERR, "netlink: %s", nl_geterror(rc));
		nl_socket_free(nl_sk);
		nl_sk = NULL;
		return -EIO;
	}
	/* A burst of filters (OVS's revalidator) must not overflow us. */
	nl_socket_set_buffer_size(nl_sk, 8 << 20, 0);
	return nl_socket_get_fd(nl_sk);
}

/* Ask for the filters already on every representor's ingress. */
int agent_nl_dump(struct agent *a, int fd)
{
	(void)fd;
	for (unsigned int i = 0; i < a->n_ports; i++) {
		struct tcmsg t = {
			.tcm_family = AF_UNSPEC,
			.tcm_ifindex = (int)a->ports[i].ifindex,
			.tcm_parent = TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS),
		};
		int rc = nl_send_simple(nl_sk, RTM_GETTFILTER, NLM_F_DUMP, &t, sizeof(t));

		if (rc < 0) {
			agent_log(AGENT_LOG_WARN, "dump of %s: %s", a->ports[i].ifname,
				  nl_geterror(rc));
			continue;
		}
		/* This dump's replies (and any events between), until DONE. */
		for (int tries = 0; tries < 1000; tries++) {
			int n = agent_nl_read(a, fd);

			if (n == -EAGAIN) {
				struct timespec ts = { 0, 1000000 };

				nanosleep(&ts, NULL);
				continue;
			}
			if (n <= 0)
				break;
		}
	}
	return 0;
}

/* Read what is queued: >0 messages handled, 0 a dump ended, -EAGAIN none. */
int agent_nl_read(struct agent *a, int fd)
{
	struct sockaddr_nl peer;
	unsigned char *buf = NULL;
	int len, total = 0;

	(void)fd;
	for (;;) {
		len = nl_recv(nl_sk, &peer, &buf, NULL);
		if (len <= 0) {
			free(buf);
			if (len == -NLE_AGAIN)
				return total ? total : -EAGAIN;
			if (len == -NLE_NOMEM) {
				/* The socket overflowed: events were lost. */
				agent_log(AGENT_LOG_WARN, "netlink overrun: filters may be missing until a dump");
				return -ENOBUFS;
			}
			return total;
		}
		const struct nlmsghdr *h = (const void *)buf;
		bool done = NLMSG_OK(h, (size_t)len) && h->nlmsg_type == NLMSG_DONE;
		int n = feed(a, buf, (size_t)len);

		free(buf);
		buf = NULL;
		if (n < 0)
			return n;
		total += n;
		if (done)
			return 0;
	}
}
