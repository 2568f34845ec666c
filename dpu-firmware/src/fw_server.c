/* SPDX-License-Identifier: BSD-3-Clause */
#include "fw_server.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include "fw_handlers.h"
#include "fw_log.h"

#define RX_BURST 32
/* epoll user data: listeners are tagged so one loop serves both kinds. */
#define TAG_LISTENER (1ull << 63)

int fw_server_init(struct fw_server *s, struct fw_card *card,
		   const char *const *addrs, int n_addrs)
{
	memset(s, 0, sizeof(*s));
	s->card = card;
	s->scratch_len = DPU_ABI_MSG_MAX;
	s->scratch = malloc(s->scratch_len);
	s->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (!s->scratch || s->epfd < 0) {
		fw_server_fini(s);
		return -ENOMEM;
	}
	if (n_addrs > FW_MAX_LISTENERS)
		return -E2BIG;
	for (int i = 0; i < n_addrs; i++) {
		struct epoll_event ev = { .events = EPOLLIN };
		int rc = dpu_abi_listen(addrs[i], NULL, &s->listeners[i]);

		if (rc < 0) {
			fw_log_err("listen on %s: %s", addrs[i], strerror(-rc));
			fw_server_fini(s);
			return rc;
		}
		s->n_listeners++;
		ev.data.u64 = TAG_LISTENER | (uint64_t)i;
		epoll_ctl(s->epfd, EPOLL_CTL_ADD, dpu_abi_listener_fd(s->listeners[i]),
			  &ev);
		char bound[128];

		/* Report what was bound: "tcp:...:0" picks a free port. */
		if (dpu_abi_listener_addr(s->listeners[i], bound, sizeof(bound)) < 0)
			snprintf(bound, sizeof(bound), "%s", addrs[i]);
		fw_log_info("listening on %s", bound);
	}
	return 0;
}

static void conn_close(struct fw_server *s, int slot)
{
	struct fw_conn *c = s->card->conns[slot];

	fw_log_info("host '%s' (%s) gone", c->host_name[0] ? c->host_name : "?",
		    c->t->peer_desc);
	epoll_ctl(s->epfd, EPOLL_CTL_DEL, c->t->ops->pollfd(c->t), NULL);
	dpu_abi_close(c->t);
	free(c);
	s->card->conns[slot] = NULL;
}

/* Returns the new connection's slot, or FW_MAX_CONNS when none. */
static int accept_host(struct fw_server *s, int li)
{
	struct dpu_abi_transport *t;
	struct epoll_event ev = { .events = EPOLLIN };
	struct fw_conn *c;
	int slot, rc = dpu_abi_accept(s->listeners[li], 0, &t);

	if (rc < 0) {
		if (rc != -EAGAIN && rc != -ETIMEDOUT)
			fw_log_warn("accept: %s", strerror(-rc));
		return FW_MAX_CONNS;
	}
	for (slot = 0; slot < FW_MAX_CONNS && s->card->conns[slot]; slot++)
		;
	c = slot < FW_MAX_CONNS ? calloc(1, sizeof(*c)) : NULL;
	if (!c) {
		fw_log_warn("refusing host %s: %d hosts connected", t->peer_desc,
			    FW_MAX_CONNS);
		dpu_abi_close(t);
		return FW_MAX_CONNS;
	}
	c->t = t;
	c->peer.role = DPU_ABI_ROLE_CARD;
	c->peer.minor = DPU_ABI_VERSION_MINOR;
	c->peer.max_msg_len = DPU_ABI_MSG_MAX;
	s->card->conns[slot] = c;
	ev.data.u64 = (uint64_t)slot;
	epoll_ctl(s->epfd, EPOLL_CTL_ADD, t->ops->pollfd(t), &ev);
	fw_log_info("host connected over %s", t->peer_desc);
	return slot;
}

/* Send a response, waiting for ring space rather than dropping it: the
 * host is told the ring depths in HELLO and must keep consuming. */
static int send_response(struct dpu_abi_transport *t, const void *msg, size_t len)
{
	for (int tries = 0;; tries++) {
		int rc = dpu_abi_send(t, msg, len);

		if (rc != -ENOBUFS)
			return rc;
		if (tries > 5000)
			return -ETIMEDOUT; /* host stopped reading for ~5 s */
		poll(NULL, 0, 1);
	}
}

/* How long a connection is polled after its last message. */
#define FW_SERVE_SPIN_NS 50000

static int serve_conn(struct fw_server *s, int slot)
{
	struct fw_conn *c = s->card->conns[slot];
	struct dpu_abi_rx rx[RX_BURST];
	struct dpu_abi_error err;
	struct timespec t0;
	unsigned int spins = 0;
	int n;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		n = dpu_abi_recv_burst(c->t, rx, RX_BURST);
		if (n == -EPROTO) {
			/* A lying frame: counted like any malformed message, then
			 * the connection goes (the stream cannot be resynchronised). */
			s->card->bad_msgs++;
			fw_log_warn("dropping '%s': %s", c->host_name, dpu_abi_last_error());
		}
		if (n < 0)
			return n;
		if (n == 0) {
			struct timespec t1;

			/* A host sending request after request (an agent
			 * syncing rules one by one) finds us awake: poll a
			 * little before going back to epoll. */
			clock_gettime(CLOCK_MONOTONIC, &t1);
			if ((t1.tv_sec - t0.tv_sec) * 1000000000L + (t1.tv_nsec - t0.tv_nsec) <
			    FW_SERVE_SPIN_NS) {
				dpu_abi_spin_step(&spins);
				continue;
			}
			/* Re-arm the doorbell; it reports work that raced in. */
			int w = dpu_abi_wait(c->t, 0);

			if (w < 0)
				return w;
			if (w == 0)
				return 0;
			continue;
		}
		for (int i = 0; i < n; i++) {
			int len, rc = dpu_abi_check(rx[i].msg, rx[i].len, &c->peer, &err);

			if (rc < 0) {
				s->card->bad_msgs++;
				fw_log_warn("rejected message from '%s': %s (%s)",
					    c->host_name, err.msg,
					    dpu_abi_status_name(err.status));
				len = dpu_abi_encode_error(s->scratch, s->scratch_len,
							   rx[i].msg, rx[i].len, &err,
							   s->card->epoch);
			} else {
				len = fw_handle(s->card, c, rx[i].msg, s->scratch,
						s->scratch_len);
			}
			if (len < 0)
				continue;
			rc = send_response(c->t, s->scratch, (size_t)len);
			if (rc < 0) {
				dpu_abi_release(c->t, (unsigned int)n);
				return rc;
			}
		}
		dpu_abi_release(c->t, (unsigned int)n);
		clock_gettime(CLOCK_MONOTONIC, &t0);
	}
}

int fw_server_run(struct fw_server *s, volatile sig_atomic_t *stop)
{
	struct epoll_event evs[16];

	while (!*stop) {
		/* Block: an idle card must not burn a core. */
		int n = epoll_wait(s->epfd, evs, 16, 500);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		for (int i = 0; i < n; i++) {
			uint64_t tag = evs[i].data.u64;

			if (tag & TAG_LISTENER) {
				/* Serve at once: that arms the new link's doorbell
				 * and answers anything that raced in first. */
				tag = (uint64_t)accept_host(s, (int)(tag & 0xff));
				if (tag >= FW_MAX_CONNS)
					continue;
			}
			if (!s->card->conns[tag])
				continue;
			int rc = serve_conn(s, (int)tag);

			if (rc < 0) {
				if (rc != -EPIPE)
					fw_log_warn("connection error: %s", strerror(-rc));
				conn_close(s, (int)tag);
			}
		}
	}
	return 0;
}

void fw_server_fini(struct fw_server *s)
{
	for (int i = 0; i < FW_MAX_CONNS; i++)
		if (s->card && s->card->conns[i])
			conn_close(s, i);
	for (int i = 0; i < s->n_listeners; i++)
		dpu_abi_listener_close(s->listeners[i]);
	s->n_listeners = 0;
	if (s->epfd > 0)
		close(s->epfd);
	s->epfd = -1;
	free(s->scratch);
	s->scratch = NULL;
}
