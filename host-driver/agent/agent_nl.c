// SPDX-License-Identifier: BSD-3-Clause
/*
 * Where tc messages come from: a NETLINK_ROUTE socket in RTNLGRP_TC (with a
 * dump of the representors' filters first), or files of recorded messages
 * (what tests/unit/rules/nlcap_shim.so writes from a real `tc`). Both hand
 * raw messages to agent_handle_msg(), so the decode path is the same.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include <linux/pkt_cls.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>

#include "agent.h"
#include "agent_log.h"

static struct nl_sock *nl_sk;

int agent_nl_feed(struct agent *a, const uint8_t *buf, size_t len, bool *ended)
{
	size_t off = 0;
	int n = 0;

	/* Not NLMSG_OK/NLMSG_NEXT: with an unsigned length, the last message
	 * of a file without alignment padding makes NLMSG_NEXT wrap it and
	 * walk past the buffer. Every step is bounded here. */
	while (len - off >= sizeof(struct nlmsghdr)) {
		const struct nlmsghdr *h = (const void *)(buf + off);

		if (h->nlmsg_len < sizeof(*h) || h->nlmsg_len > len - off)
			break;
		if (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR) {
			if (ended)
				*ended = true;
			/* only the end of the dump being read counts as its end:
			 * an ERROR (EBUSY while an earlier dump still runs) is
			 * no complete answer */
			if (a->dump_seq && h->nlmsg_seq == a->dump_seq) {
				a->dump_done = h->nlmsg_type == NLMSG_DONE;
				a->dump_failed = h->nlmsg_type == NLMSG_ERROR;
			}
		} else if (h->nlmsg_type != NLMSG_NOOP) {
			if (agent_handle_msg(a, h, h->nlmsg_len) == -ENOMEM)
				return -ENOMEM;
			/* A failed kick leaves the queue for the flush after
			 * the read, which reports the link. */
			agent_card_kick(a);
			n++;
		}
		off += NLMSG_ALIGN(h->nlmsg_len);
		if (off > len)
			off = len; /* the last message's padding is optional */
	}
	if (off < len)
		agent_log(AGENT_LOG_WARN, "%zu bytes after the last whole netlink message ignored",
			  len - off);
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
		n = agent_nl_feed(a, buf, (size_t)len, NULL);
	free(buf);
	fclose(f);
	return n;
}

int agent_nl_open(struct agent *a)
{
	int rc;

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
	/* A burst of filters (OVS's revalidator) must not overflow us. Plain
	 * SO_RCVBUF (libnl's) is capped at net.core.rmem_max, ~208 KiB. */
	{
		int fd = nl_socket_get_fd(nl_sk), want = a->nl_rcvbuf ? a->nl_rcvbuf : 8 << 20, got = 0;
		socklen_t len = sizeof(got);

		if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &want, sizeof(want)) < 0)
			nl_socket_set_buffer_size(nl_sk, want, 0);
		getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &got, &len);
		agent_log(AGENT_LOG_INFO, "netlink receive buffer: %d bytes", got);
	}
	return nl_socket_get_fd(nl_sk);
}

/*
 * Send a dump request and read until its own DONE (events read meanwhile
 * are handled too): 0 complete, -EIO refused (an ERROR reply), -EAGAIN
 * nothing came in time, other -errno. An overrun does not end it (the
 * kernel keeps the dump's replies; events were lost): *overrun is set and
 * reading goes on. Takes m.
 */
static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static int dump_request(struct agent *a, int fd, struct nl_msg *m, bool *overrun)
{
	int rc;

	nl_complete_msg(nl_sk, m);
	a->dump_seq = nlmsg_hdr(m)->nlmsg_seq;
	a->dump_done = a->dump_failed = false;
	rc = nl_send_auto(nl_sk, m);
	nlmsg_free(m);
	while (rc >= 0 && !a->dump_done && !a->dump_failed) {
		rc = agent_nl_read(a, fd);
		if (rc == -ENOBUFS) {
			*overrun = true;
			rc = 0;
		}
	}
	a->dump_seq = 0;
	if (rc < 0)
		return rc;
	return a->dump_done ? 0 : -EIO;
}

/* RTM_GETACTION dump of every police action (tc actions ls action police). */
static int dump_police(struct agent *a, int fd, bool *overrun)
{
	struct tcamsg t = { .tca_family = AF_UNSPEC };
	struct nl_msg *m = nlmsg_alloc_simple(RTM_GETACTION, NLM_F_DUMP | NLM_F_REQUEST);
	struct nlattr *tab, *act;

	if (!m)
		return -ENOMEM;
	if (nlmsg_append(m, &t, sizeof(t), NLMSG_ALIGNTO) ||
	    !(tab = nla_nest_start(m, TCA_ACT_TAB)) || !(act = nla_nest_start(m, 1)) ||
	    nla_put_string(m, TCA_ACT_KIND, "police")) {
		nlmsg_free(m);
		return -ENOMEM;
	}
	nla_nest_end(m, act);
	nla_nest_end(m, tab);
	return dump_request(a, fd, m, overrun);
}

static int dump_filters(struct agent *a, int fd, bool *overrun);

/* Handle what is queued, without waiting. After an overrun the queue may
 * still be full, and a dump asked for on a full socket fails at once
 * (the kernel's first reply finds no room: ENOBUFS again). */
static void drain_queued(struct agent *a, int fd)
{
	int flags = fcntl(fd, F_GETFL);

	fcntl(fd, F_SETFL, flags | O_NONBLOCK);
	for (int i = 0; i < 65536; i++) {
		int rc = agent_nl_read(a, fd);

		if (rc == -EAGAIN || (rc < 0 && rc != -ENOBUFS))
			break;
	}
	fcntl(fd, F_SETFL, flags);
}

/*
 * Ask for the filters already on every representor's ingress. The socket
 * blocks (with a timeout) while a dump's replies come.
 *
 * Every filter a dump (or an event read meanwhile) tells of is stamped with
 * this round's generation; once a netdev's dump has ended with its DONE,
 * its ingress rules left unstamped are gone from the kernel. That matters
 * after an overrun: the deletes lost with it are found here, not left
 * forwarding on the card. A dump that timed out or was refused sweeps
 * nothing there. An overrun during the round starts it again; after three
 * such rounds the main loop asks again later (need_dump).
 */
int agent_nl_dump(struct agent *a, int fd)
{
	struct timeval tv = { 2, 0 }, none = { 0, 0 };
	int flags = fcntl(fd, F_GETFL), rc = 0;

	a->need_dump = false;
	for (int attempt = 0; attempt < 3; attempt++) {
		bool overrun = false;

		drain_queued(a, fd);
		fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		a->dump_gen++;
		/* Shared police actions first: filters may name them by index. */
		if (dump_police(a, fd, &overrun) < 0)
			agent_log(AGENT_LOG_WARN, "dump of police actions failed: filters naming one stay in software");
		rc = dump_filters(a, fd, &overrun);
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &none, sizeof(none));
		fcntl(fd, F_SETFL, flags);
		if (rc || !overrun)
			break;
		rc = -ENOBUFS;
		agent_log(AGENT_LOG_WARN, "netlink overrun during the dump: dumping again");
	}
	a->need_dump = rc != 0;
	return rc;
}

static int dump_filters(struct agent *a, int fd, bool *overrun)
{
	uint32_t done[AGENT_MAX_PORTS];
	size_t n_done = 0;

	for (unsigned int i = 0; i < a->n_ports; i++) {
		struct tcmsg t = {
			.tcm_family = AF_UNSPEC,
			.tcm_ifindex = (int)a->ports[i].ifindex,
			.tcm_parent = TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS),
		};
		struct nl_msg *m = nlmsg_alloc_simple(RTM_GETTFILTER, NLM_F_DUMP | NLM_F_REQUEST);
		int rc;

		if (!m || nlmsg_append(m, &t, sizeof(t), NLMSG_ALIGNTO)) {
			nlmsg_free(m);
			return -ENOMEM;
		}
		rc = dump_request(a, fd, m, overrun);
		if (rc == 0)
			done[n_done++] = a->ports[i].ifindex;
		else
			agent_log(AGENT_LOG_WARN, "dump of %s did not complete (%s): nothing swept there",
				  a->ports[i].ifname, strerror(-rc));
	}
	/* Events were lost during the round: it runs again, and sweeps then. */
	if (*overrun)
		return 0;
	qsort(done, n_done, sizeof(done[0]), cmp_u32);
	return agent_sweep_unseen(a, done, n_done);
}

/* Read what is queued: >0 messages handled (more may follow), 0 a request
 * of ours ended, -EAGAIN none (or nothing came in time), -ENOBUFS an
 * overrun, other -errno. */
int agent_nl_read(struct agent *a, int fd)
{
	struct sockaddr_nl peer;
	unsigned char *buf = NULL;
	int len, total = 0;

	(void)fd;
	for (;;) {
		bool ended = false;
		int n;

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
			return -EIO;
		}
		n = agent_nl_feed(a, buf, (size_t)len, &ended);
		free(buf);
		buf = NULL;
		if (n < 0)
			return n;
		total += n;
		if (ended)
			return 0;
	}
}
