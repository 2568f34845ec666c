// SPDX-License-Identifier: BSD-3-Clause
/*
 * LD_PRELOAD shim: capture the tc netlink requests iproute2 sends and answer
 * them with a success ack, so real `tc` can be used as the encoder of flower
 * filters on a kernel without cls_flower.
 *
 * Requests of the kinds listed in is_captured() on NETLINK_ROUTE sockets are
 * appended, raw, to the file named by $DPU_NLCAP_FILE and never reach the
 * kernel; everything else (link lookups, dumps) passes through untouched so
 * tc still resolves device names against the real namespace. The fake ack is
 * what the kernel would send: NLMSG_ERROR with error 0, addressed to the
 * socket's port id and echoing the request's sequence number.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#define MAX_PENDING 64
#define ACK_LEN (NLMSG_HDRLEN + sizeof(struct nlmsgerr))

struct pending_ack {
	int fd;
	uint8_t buf[ACK_LEN];
};

/* tc is single-threaded; a small FIFO of acks is all it ever needs. */
static struct pending_ack pending[MAX_PENDING];
static unsigned int n_pending;

static ssize_t (*real_sendmsg)(int, const struct msghdr *, int);
static ssize_t (*real_sendto)(int, const void *, size_t, int,
			      const struct sockaddr *, socklen_t);
static ssize_t (*real_recvmsg)(int, struct msghdr *, int);

static void resolve(void)
{
	if (!real_sendmsg)
		real_sendmsg = dlsym(RTLD_NEXT, "sendmsg");
	if (!real_sendto)
		real_sendto = dlsym(RTLD_NEXT, "sendto");
	if (!real_recvmsg)
		real_recvmsg = dlsym(RTLD_NEXT, "recvmsg");
}

static int is_rtnl(int fd)
{
	int v = 0;
	socklen_t l = sizeof(v);

	if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &v, &l) || v != AF_NETLINK)
		return 0;
	l = sizeof(v);
	if (getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &v, &l) ||
	    v != NETLINK_ROUTE)
		return 0;
	return 1;
}

static int is_captured(uint16_t type)
{
	switch (type) {
	case RTM_NEWTFILTER:
	case RTM_DELTFILTER:
	case RTM_NEWQDISC:
	case RTM_DELQDISC:
	case RTM_NEWACTION:
	case RTM_DELACTION:
	case RTM_NEWCHAIN:
	case RTM_DELCHAIN:
		return 1;
	}
	return 0;
}

static void record(const void *msg, size_t len)
{
	const char *path = getenv("DPU_NLCAP_FILE");
	const uint8_t *p = msg;
	int fd;

	if (!path)
		return;
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n <= 0)
			break;
		p += n;
		len -= (size_t)n;
	}
	close(fd);
}

static void queue_ack(int fd, const struct nlmsghdr *req)
{
	struct sockaddr_nl local = { 0 };
	socklen_t l = sizeof(local);
	struct pending_ack *a;
	struct nlmsghdr *h;
	struct nlmsgerr *e;

	if (n_pending == MAX_PENDING)
		return;
	getsockname(fd, (struct sockaddr *)&local, &l);
	a = &pending[n_pending++];
	memset(a, 0, sizeof(*a));
	a->fd = fd;
	h = (struct nlmsghdr *)a->buf;
	h->nlmsg_len = ACK_LEN;
	h->nlmsg_type = NLMSG_ERROR;
	h->nlmsg_flags = NLM_F_CAPPED;
	h->nlmsg_seq = req->nlmsg_seq;
	h->nlmsg_pid = local.nl_pid;
	e = NLMSG_DATA(h);
	e->error = 0;
	e->msg = *req;
}

/*
 * Returns 1 when the whole buffer consisted of captured requests (and was
 * swallowed), 0 when it must go to the kernel.
 */
static int intercept(int fd, const uint8_t *buf, size_t len)
{
	const struct nlmsghdr *h;
	size_t off;

	if (len < NLMSG_HDRLEN || !is_rtnl(fd))
		return 0;
	/* All-or-nothing: a mixed batch would need a partial forward. */
	for (off = 0; off + NLMSG_HDRLEN <= len;
	     off += NLMSG_ALIGN(h->nlmsg_len)) {
		h = (const struct nlmsghdr *)(buf + off);
		if (h->nlmsg_len < NLMSG_HDRLEN || h->nlmsg_len > len - off ||
		    !is_captured(h->nlmsg_type))
			return 0;
	}
	for (off = 0; off + NLMSG_HDRLEN <= len;
	     off += NLMSG_ALIGN(h->nlmsg_len)) {
		h = (const struct nlmsghdr *)(buf + off);
		record(h, h->nlmsg_len);
		if (h->nlmsg_flags & NLM_F_ACK)
			queue_ack(fd, h);
	}
	return 1;
}

ssize_t sendmsg(int fd, const struct msghdr *msg, int flags)
{
	size_t total = 0, off = 0, i;
	uint8_t *flat;
	int hit;

	resolve();
	for (i = 0; i < msg->msg_iovlen; i++)
		total += msg->msg_iov[i].iov_len;
	flat = malloc(total ? total : 1);
	if (!flat)
		return real_sendmsg(fd, msg, flags);
	for (i = 0; i < msg->msg_iovlen; i++) {
		memcpy(flat + off, msg->msg_iov[i].iov_base,
		       msg->msg_iov[i].iov_len);
		off += msg->msg_iov[i].iov_len;
	}
	hit = intercept(fd, flat, total);
	free(flat);
	if (hit)
		return (ssize_t)total;
	return real_sendmsg(fd, msg, flags);
}

ssize_t sendto(int fd, const void *buf, size_t len, int flags,
	       const struct sockaddr *addr, socklen_t alen)
{
	resolve();
	if (intercept(fd, buf, len))
		return (ssize_t)len;
	return real_sendto(fd, buf, len, flags, addr, alen);
}

ssize_t send(int fd, const void *buf, size_t len, int flags)
{
	return sendto(fd, buf, len, flags, NULL, 0);
}

ssize_t recvmsg(int fd, struct msghdr *msg, int flags)
{
	struct pending_ack *a = NULL;
	size_t copied = 0, i;
	unsigned int k;

	resolve();
	for (k = 0; k < n_pending; k++) {
		if (pending[k].fd == fd) {
			a = &pending[k];
			break;
		}
	}
	if (!a)
		return real_recvmsg(fd, msg, flags);
	for (i = 0; i < msg->msg_iovlen && copied < ACK_LEN; i++) {
		size_t n = msg->msg_iov[i].iov_len;

		if (n > ACK_LEN - copied)
			n = ACK_LEN - copied;
		if (n)
			memcpy(msg->msg_iov[i].iov_base, a->buf + copied, n);
		copied += n;
	}
	if (msg->msg_name && msg->msg_namelen >= sizeof(struct sockaddr_nl)) {
		struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };

		memcpy(msg->msg_name, &kernel, sizeof(kernel));
		msg->msg_namelen = sizeof(kernel);
	}
	msg->msg_controllen = 0;
	msg->msg_flags = copied < ACK_LEN ? MSG_TRUNC : 0;
	if (!(flags & MSG_PEEK)) {
		memmove(a, a + 1, (size_t)(&pending[n_pending] - (a + 1)) *
				       sizeof(*a));
		n_pending--;
	}
	return (flags & MSG_TRUNC) ? (ssize_t)ACK_LEN : (ssize_t)copied;
}
