/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Transport front end: addresses, listen/accept/connect dispatch to the
 * providers, and the send/call helpers that work over any provider.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "transport_internal.h"

static _Thread_local char last_error[256];

const char *dpu_abi_last_error(void)
{
	return last_error;
}

int dpu_abi_fail(int err, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(last_error, sizeof(last_error), fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n < sizeof(last_error) - 2)
		snprintf(last_error + n, sizeof(last_error) - (size_t)n, ": %s",
			 strerror(err));
	return -err;
}

int64_t dpu_abi_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int dpu_abi_ms_left(int64_t deadline_ns, int timeout_ms)
{
	int64_t left;

	if (timeout_ms < 0)
		return -1;
	left = deadline_ns - dpu_abi_now_ns();
	if (left <= 0)
		return 0;
	/* Round up so a poll never returns just before the deadline. */
	return (int)((left + 999999) / 1000000);
}

static int parse_port(const char *s, uint16_t *port)
{
	char *end;
	unsigned long v;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v > 65535)
		return -EINVAL;
	*port = (uint16_t)v;
	return 0;
}

static int parse_tcp(const char *s, struct dpu_abi_addr *a)
{
	char host[INET6_ADDRSTRLEN + 2];
	const char *colon;
	uint16_t port;
	size_t hlen;

	if (*s == '[') {
		const char *rb = strchr(s, ']');

		if (!rb || rb[1] != ':')
			return -EINVAL;
		hlen = (size_t)(rb - s - 1);
		colon = rb + 1;
		s++;
	} else {
		colon = strrchr(s, ':');
		if (!colon)
			return -EINVAL;
		hlen = (size_t)(colon - s);
	}
	if (hlen == 0 || hlen >= sizeof(host))
		return -EINVAL;
	memcpy(host, s, hlen);
	host[hlen] = '\0';
	if (parse_port(colon + 1, &port))
		return -EINVAL;

	memset(&a->ss, 0, sizeof(a->ss));
	if (s[-1] == '[') {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&a->ss;

		if (inet_pton(AF_INET6, host, &in6->sin6_addr) != 1)
			return -EINVAL;
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(port);
		a->ss_len = sizeof(*in6);
	} else {
		struct sockaddr_in *in4 = (struct sockaddr_in *)&a->ss;

		if (inet_pton(AF_INET, host, &in4->sin_addr) != 1)
			return -EINVAL;
		in4->sin_family = AF_INET;
		in4->sin_port = htons(port);
		a->ss_len = sizeof(*in4);
	}
	return 0;
}

int dpu_abi_addr_parse(const char *s, struct dpu_abi_addr *a)
{
	const char *path;

	memset(a, 0, sizeof(*a));
	if (!s)
		return dpu_abi_fail(EINVAL, "address: NULL");
	if (!strncmp(s, "shm:", 4)) {
		a->kind = DPU_ABI_ADDR_SHM;
		path = s + 4;
	} else if (!strncmp(s, "unix:", 5)) {
		a->kind = DPU_ABI_ADDR_UNIX;
		path = s + 5;
	} else if (!strncmp(s, "tcp:", 4)) {
		a->kind = DPU_ABI_ADDR_TCP;
		if (parse_tcp(s + 4, a))
			return dpu_abi_fail(EINVAL,
					    "address '%s': want tcp:IPV4:PORT or tcp:[IPV6]:PORT",
					    s);
		return 0;
	} else if (!strncmp(s, "rdma:", 5)) {
		a->kind = DPU_ABI_ADDR_RDMA;
		if (parse_tcp(s + 5, a))
			return dpu_abi_fail(EINVAL,
					    "address '%s': want rdma:IPV4:PORT or rdma:[IPV6]:PORT",
					    s);
		return 0;
	} else {
		return dpu_abi_fail(EINVAL,
				    "address '%s': want shm:PATH, unix:PATH, tcp:HOST:PORT or rdma:HOST:PORT",
				    s);
	}

	struct sockaddr_un *un = (struct sockaddr_un *)&a->ss;
	size_t len = strlen(path);

	if (len == 0 || len >= sizeof(un->sun_path))
		return dpu_abi_fail(EINVAL, "address '%s': socket path empty or longer than %zu",
				    s, sizeof(un->sun_path) - 1);
	memcpy(a->path, path, len + 1);
	un->sun_family = AF_UNIX;
	memcpy(un->sun_path, path, len + 1);
	a->ss_len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len + 1);
	return 0;
}

static int addr_format(const struct dpu_abi_addr *a, char *buf, size_t len)
{
	char host[INET6_ADDRSTRLEN];
	int n;

	switch (a->kind) {
	case DPU_ABI_ADDR_SHM:
		n = snprintf(buf, len, "shm:%s", a->path);
		break;
	case DPU_ABI_ADDR_UNIX:
		n = snprintf(buf, len, "unix:%s", a->path);
		break;
	default: {
		const char *scheme = a->kind == DPU_ABI_ADDR_RDMA ? "rdma" : "tcp";

		if (a->ss.ss_family == AF_INET6) {
			const struct sockaddr_in6 *in6 = (const void *)&a->ss;

			inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof(host));
			n = snprintf(buf, len, "%s:[%s]:%u", scheme, host,
				     ntohs(in6->sin6_port));
		} else {
			const struct sockaddr_in *in4 = (const void *)&a->ss;

			inet_ntop(AF_INET, &in4->sin_addr, host, sizeof(host));
			n = snprintf(buf, len, "%s:%s:%u", scheme, host,
				     ntohs(in4->sin_port));
		}
	}
	}
	if (n < 0 || (size_t)n >= len)
		return dpu_abi_fail(ENOSPC, "address does not fit %zu bytes", len);
	return n;
}

static int sock_new(const struct dpu_abi_addr *a)
{
	int fd = socket(a->ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

	if (fd < 0)
		return dpu_abi_fail(errno, "socket");
	return fd;
}

int dpu_abi_listen(const char *addr, const struct dpu_abi_transport_opts *opts,
		   struct dpu_abi_listener **out)
{
	struct dpu_abi_listener *l;
	struct stat st;
	int one = 1, rc;

	*out = NULL;
	l = calloc(1, sizeof(*l));
	if (!l)
		return dpu_abi_fail(ENOMEM, "listen %s", addr);
	l->fd = -1;
	rc = dpu_abi_addr_parse(addr, &l->addr);
	if (rc)
		goto fail;
	if (opts)
		l->opts = *opts;
	if (l->addr.kind == DPU_ABI_ADDR_RDMA) {
		rc = dpu_abi_rdma_listen(l, addr);
		if (rc)
			goto fail;
		*out = l;
		return 0;
	}
	l->fd = sock_new(&l->addr);
	if (l->fd < 0) {
		rc = l->fd;
		goto fail;
	}
	if (l->addr.kind == DPU_ABI_ADDR_TCP) {
		setsockopt(l->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	} else if (lstat(l->addr.path, &st) == 0 && S_ISSOCK(st.st_mode)) {
		/* A socket file left by a dead card; anything else we keep. */
		unlink(l->addr.path);
	}
	if (bind(l->fd, (struct sockaddr *)&l->addr.ss, l->addr.ss_len) < 0) {
		rc = dpu_abi_fail(errno, "bind %s", addr);
		goto fail;
	}
	l->unlink_path = l->addr.kind != DPU_ABI_ADDR_TCP;
	if (listen(l->fd, 16) < 0) {
		rc = dpu_abi_fail(errno, "listen %s", addr);
		goto fail;
	}
	if (l->addr.kind == DPU_ABI_ADDR_TCP) {
		/* Learn the port the kernel picked for port 0. */
		socklen_t len = sizeof(l->addr.ss);

		getsockname(l->fd, (struct sockaddr *)&l->addr.ss, &len);
		l->addr.ss_len = len;
	}
	*out = l;
	return 0;
fail:
	dpu_abi_listener_close(l);
	return rc;
}

int dpu_abi_listener_fd(struct dpu_abi_listener *l)
{
	return l->fd;
}

int dpu_abi_listener_addr(struct dpu_abi_listener *l, char *buf, size_t len)
{
	return addr_format(&l->addr, buf, len);
}

static void listener_free(struct dpu_abi_listener *l, int disown)
{
	if (!l)
		return;
	if (l->addr.kind == DPU_ABI_ADDR_RDMA) {
		dpu_abi_rdma_listener_close(l, disown);
		free(l);
		return;
	}
	if (disown)
		l->unlink_path = 0;
	if (l->fd >= 0)
		close(l->fd);
	if (l->unlink_path)
		unlink(l->addr.path);
	free(l);
}

void dpu_abi_listener_close(struct dpu_abi_listener *l)
{
	listener_free(l, 0);
}

void dpu_abi_listener_disown(struct dpu_abi_listener *l)
{
	listener_free(l, 1);
}

static void peer_desc(const struct dpu_abi_addr *a, int fd, char *buf,
		      size_t len)
{
	char s[96];
	struct ucred cr;
	socklen_t cl = sizeof(cr);

	if (addr_format(a, s, sizeof(s)) < 0)
		snprintf(s, sizeof(s), "?");
	if (a->kind != DPU_ABI_ADDR_TCP &&
	    getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &cl) == 0)
		snprintf(buf, len, "%.48s pid %d", s, (int)cr.pid);
	else
		snprintf(buf, len, "%.63s", s);
}

static uint32_t clamp_max_msg(uint32_t v)
{
	if (v == 0 || v > DPU_ABI_MSG_MAX)
		return DPU_ABI_MSG_MAX;
	if (v < sizeof(struct dpu_abi_hdr))
		return sizeof(struct dpu_abi_hdr);
	return v;
}

static void set_nodelay(const struct dpu_abi_addr *a, int fd)
{
	int one = 1;

	/* Requests are small and latency-bound; we batch ourselves. */
	if (a->kind == DPU_ABI_ADDR_TCP)
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

int dpu_abi_accept(struct dpu_abi_listener *l, int timeout_ms,
		   struct dpu_abi_transport **out)
{
	struct pollfd pfd = { .fd = l->fd, .events = POLLIN };
	int64_t deadline = dpu_abi_now_ns() + (int64_t)timeout_ms * 1000000;
	char desc[64];
	int fd, rc;

	*out = NULL;
	if (l->addr.kind == DPU_ABI_ADDR_RDMA)
		return dpu_abi_rdma_accept(l, timeout_ms, out);
	for (;;) {
		fd = accept4(l->fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
		if (fd >= 0)
			break;
		if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED)
			return dpu_abi_fail(errno, "accept");
		rc = poll(&pfd, 1, dpu_abi_ms_left(deadline, timeout_ms));
		if (rc == 0)
			return dpu_abi_fail(ETIMEDOUT, "accept: no host within %d ms",
					    timeout_ms);
		if (rc < 0 && errno != EINTR)
			return dpu_abi_fail(errno, "accept: poll");
	}
	set_nodelay(&l->addr, fd);
	peer_desc(&l->addr, fd, desc, sizeof(desc));
	if (l->addr.kind == DPU_ABI_ADDR_SHM)
		return dpu_abi_shm_accept(l, fd, desc, out);
	return dpu_abi_stream_open(fd, DPU_ABI_ROLE_CARD,
				   clamp_max_msg(l->opts.max_msg_len), desc, out);
}

int dpu_abi_sock_connect(const struct dpu_abi_addr *a, int timeout_ms)
{
	struct pollfd pfd;
	int fd, rc, err = 0;
	socklen_t el = sizeof(err);

	fd = sock_new(a);
	if (fd < 0)
		return fd;
	if (connect(fd, (const struct sockaddr *)&a->ss, a->ss_len) == 0)
		return fd;
	if (errno != EINPROGRESS && errno != EAGAIN) {
		rc = dpu_abi_fail(errno, "connect");
		goto fail;
	}
	pfd = (struct pollfd){ .fd = fd, .events = POLLOUT };
	do {
		rc = poll(&pfd, 1, timeout_ms);
	} while (rc < 0 && errno == EINTR);
	if (rc == 0) {
		rc = dpu_abi_fail(ETIMEDOUT, "connect: no answer in %d ms",
				  timeout_ms);
		goto fail;
	}
	if (rc < 0) {
		rc = dpu_abi_fail(errno, "connect: poll");
		goto fail;
	}
	getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el);
	if (err) {
		rc = dpu_abi_fail(err, "connect");
		goto fail;
	}
	return fd;
fail:
	close(fd);
	return rc;
}

int dpu_abi_connect(const char *addr, int timeout_ms,
		    struct dpu_abi_transport **out)
{
	struct dpu_abi_addr a;
	char desc[64];
	int fd, rc;

	*out = NULL;
	rc = dpu_abi_addr_parse(addr, &a);
	if (rc)
		return rc;
	if (a.kind == DPU_ABI_ADDR_RDMA)
		return dpu_abi_rdma_connect(&a, addr, timeout_ms, out);
	fd = dpu_abi_sock_connect(&a, timeout_ms);
	if (fd < 0) {
		char why[sizeof(last_error)];

		memcpy(why, last_error, sizeof(why));
		/* Truncation is fine: it is a log line. */
		if (snprintf(last_error, sizeof(last_error), "%s %s", addr, why) < 0)
			last_error[0] = '\0';
		return fd;
	}
	set_nodelay(&a, fd);
	peer_desc(&a, fd, desc, sizeof(desc));
	if (a.kind == DPU_ABI_ADDR_SHM)
		return dpu_abi_shm_connect(fd, timeout_ms, desc, out);
	return dpu_abi_stream_open(fd, DPU_ABI_ROLE_HOST, DPU_ABI_MSG_MAX, desc,
				   out);
}

int dpu_abi_send(struct dpu_abi_transport *t, const void *msg, size_t len)
{
	struct dpu_abi_rx m = { .msg = msg, .len = (uint32_t)len };
	int rc;

	if (len > UINT32_MAX)
		return dpu_abi_fail(EMSGSIZE, "send: %zu bytes", len);
	rc = t->ops->send_burst(t, &m, 1);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return dpu_abi_fail(ENOBUFS, "send to %s: transmit queue full",
				    t->peer_desc);
	rc = t->ops->flush(t);
	/* -EAGAIN: queued in full, the rest goes out on the next flush/wait. */
	return rc == -EAGAIN ? 0 : rc;
}

int dpu_abi_call_wait(struct dpu_abi_transport *t, uint64_t req_id, uint16_t opcode,
		      void *resp, size_t cap, int timeout_ms,
		      void (*on_event)(void *arg, const struct dpu_abi_hdr *evt),
		      void (*on_other)(void *arg, const struct dpu_abi_hdr *resp),
		      void *arg)
{
	struct dpu_abi_peer peer = {
		.role = DPU_ABI_ROLE_HOST,
		.minor = DPU_ABI_VERSION_MINOR,
		.max_msg_len = t->max_msg_len,
	};
	int64_t deadline = dpu_abi_now_ns() + (int64_t)timeout_ms * 1000000;
	/* A card answers a small request in microseconds; sleeping for it
	 * costs a wake-up (tens of microseconds on a VM whose idle CPUs
	 * halt), so poll for a short while first. */
	int64_t spin_until = dpu_abi_now_ns() + DPU_ABI_CALL_SPIN_NS;
	struct dpu_abi_rx rx[16];
	struct dpu_abi_error err;
	unsigned int spins = 0;
	int rc, n, i, result = 0;

	for (;;) {
		n = t->ops->recv_burst(t, rx, 16);
		if (n < 0)
			return n;
		for (i = 0; i < n; i++) {
			const struct dpu_abi_hdr *h = rx[i].msg;

			if (dpu_abi_check(rx[i].msg, rx[i].len, &peer, &err)) {
				/* A card that sends garbage is broken; the
				 * caller needs to know, not wait it out. */
				if (h->req_id == req_id && !result &&
				    !(h->flags & DPU_ABI_F_EVENT))
					result = dpu_abi_fail(EBADMSG,
							      "call: bad response from %s: %s",
							      t->peer_desc, err.msg);
				continue;
			}
			if (h->flags & DPU_ABI_F_EVENT) {
				if (on_event)
					on_event(arg, h);
				continue;
			}
			if (h->req_id != req_id || result) {
				/* another request's answer (pipelined callers
				 * keep it), or a late one to an abandoned call */
				if (on_other)
					on_other(arg, h);
				continue;
			}
			if (rx[i].len > cap)
				result = dpu_abi_fail(EMSGSIZE,
						      "call: response of %u bytes, buffer %zu",
						      rx[i].len, cap);
			else {
				memcpy(resp, rx[i].msg, rx[i].len);
				result = (int)rx[i].len;
			}
		}
		/* Events behind the response were dispatched above, so the
		 * whole burst can go back at once. */
		t->ops->release(t, (unsigned int)n);
		if (result)
			return result;
		if (n == 16)
			continue;
		if (dpu_abi_now_ns() < spin_until) {
			dpu_abi_spin_step(&spins);
			continue;
		}
		rc = t->ops->wait(t, dpu_abi_ms_left(deadline, timeout_ms));
		if (rc < 0)
			return rc;
		if (rc == 0 && dpu_abi_ms_left(deadline, timeout_ms) == 0)
			return dpu_abi_fail(ETIMEDOUT,
					    "call %s: no response from %s in %d ms",
					    dpu_abi_opcode_name(opcode), t->peer_desc, timeout_ms);
	}
}

int dpu_abi_call(struct dpu_abi_transport *t, const void *req, size_t req_len,
		 void *resp, size_t cap, int timeout_ms,
		 void (*on_event)(void *arg, const struct dpu_abi_hdr *evt),
		 void *arg)
{
	const struct dpu_abi_hdr *rh = req;
	int rc;

	if (req_len < sizeof(*rh))
		return dpu_abi_fail(EINVAL, "call: request of %zu bytes", req_len);
	rc = dpu_abi_send(t, req, req_len);
	if (rc)
		return rc;
	return dpu_abi_call_wait(t, rh->req_id, rh->opcode, resp, cap, timeout_ms, on_event,
				 NULL, arg);
}
