/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The shm provider: a memfd region with three SPSC rings and eventfd
 * doorbells, set up over a Unix socket (see shm_ring.h for the layout).
 *
 * Doorbells follow io_uring's NEED_WAKEUP: a consumer about to sleep sets
 * its *_sleeping flag, issues a full barrier and looks at its rings once
 * more; a producer publishes, issues a full barrier and rings the eventfd
 * only if the flag is set. One side or the other always sees the other's
 * store, so no wakeup is lost and an awake peer costs no syscall.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "shm_ring.h"

#define SHM_DEF_REQ (4u << 20)
#define SHM_DEF_CPL (4u << 20)
#define SHM_DEF_EVT (256u << 10)
/* Empty recv_burst calls between looks at the control socket: recv never
 * sleeps, so a caller spinning on it still learns of a dead peer, without a
 * syscall per empty poll. wait() looks every time. */
#define SHM_PEER_CHECK_EVERY 256u
#define HELD_BITS 30
#define HELD_MASK ((1u << HELD_BITS) - 1)

struct shm_transport {
	struct dpu_abi_transport t;
	int sock;    /* control socket: stays open to tell us the peer died */
	int efd_rx;  /* our doorbell: the peer rings it */
	int efd_tx;  /* the peer's doorbell */
	int epfd;    /* efd_rx + sock, for wait() and pollfd() */
	uint8_t *base;
	size_t map_len;
	struct shm_ring ring[SHM_NRINGS];
	uint32_t *my_sleeping;
	uint32_t *peer_sleeping;
	uint8_t rx_ring[2], n_rx;  /* rings we consume, in recv order */
	int err;     /* sticky: -EPROTO, or -EPIPE once the peer is gone */
	int peer_gone;
	unsigned int empty_polls;
	/* Received, unreleased messages in order: ring << 30 | bytes. */
	uint32_t *held;
	uint32_t held_cap, held_head, held_tail;
	struct dpu_abi_transport_stats st;
};

static inline struct shm_transport *shm_of(struct dpu_abi_transport *t)
{
	return (struct shm_transport *)t;
}

/* Is the peer still there? 0 yes, -EPIPE gone, -EPROTO it talked. */
static int shm_check_peer(struct shm_transport *s)
{
	char c;
	ssize_t n;

	if (s->peer_gone)
		return -EPIPE;
	n = recv(s->sock, &c, 1, MSG_PEEK | MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	if (n > 0) {
		s->st.bad_frames++;
		s->err = dpu_abi_fail(EPROTO, "%s: unexpected bytes on the control socket",
				      s->t.peer_desc);
		return s->err;
	}
	s->peer_gone = 1;
	return dpu_abi_fail(EPIPE, "%s: peer closed the control socket",
			    s->t.peer_desc);
}

/* Copy a run of messages bound for one ring. Kept small so that the
 * producer state stays in registers: spilling it to the stack and
 * reloading it per message measurably slowed the copy loop.
 * Returns how many were taken; *why is 1 (all), 0 (full), -EINVAL or
 * what shm_ring_push() returned. */
static __attribute__((noinline)) unsigned int
shm_push_run(struct shm_ring *r, const struct dpu_abi_rx *m,
				 unsigned int n, uint32_t max, int *why)
{
	uint64_t head = r->head, cons = r->cons_cache;
	unsigned int i;
	int rc = 1;

	for (i = 0; i < n; i++) {
		const struct dpu_abi_hdr *h = m[i].msg;
		uint32_t len = m[i].len;

		if (len < sizeof(*h) || len > max || h->length != len) {
			rc = -EINVAL;
			break;
		}
		rc = shm_ring_push(r, &head, &cons, h, len);
		if (rc != 1)
			break;
	}
	r->head = head;
	r->cons_cache = cons;
	*why = rc;
	return i;
}

static int shm_send_burst(struct dpu_abi_transport *t,
			  const struct dpu_abi_rx *msgs, unsigned int n)
{
	struct shm_transport *s = shm_of(t);
	unsigned int done = 0, run, took, i;
	struct shm_ring *r = &s->ring[SHM_REQ];
	int why = 1;

	if (s->err)
		return s->err;
	if (s->peer_gone)
		return -EPIPE;
	while (done < n && why == 1) {
		run = n - done;
		if (t->role == DPU_ABI_ROLE_CARD) {
			/* Responses and events go to different rings; keep
			 * the order by stopping at each change of ring. */
			int evt = msgs[done].len >= sizeof(struct dpu_abi_hdr) &&
				  (((const struct dpu_abi_hdr *)msgs[done].msg)->flags &
				   DPU_ABI_F_EVENT);

			for (run = 1; done + run < n; run++) {
				const struct dpu_abi_rx *m = &msgs[done + run];

				if (m->len < sizeof(struct dpu_abi_hdr) ||
				    !!(((const struct dpu_abi_hdr *)m->msg)->flags &
				       DPU_ABI_F_EVENT) != evt)
					break;
			}
			r = &s->ring[evt ? SHM_EVT : SHM_CPL];
		}
		took = shm_push_run(r, msgs + done, run, t->max_msg_len, &why);
		done += took;
		if (why == 1 && took < run)
			why = 0;
	}
	s->st.tx_msgs += done;
	for (i = 0; i < done; i++)
		s->st.tx_bytes += msgs[i].len;
	if (done == n || why == 1)
		return (int)done;
	if (why == 0) {
		s->st.tx_full++;
		/* A peer that died with our ring full never drains it. */
		if (done == 0 && shm_check_peer(s) < 0)
			return s->err ? s->err : -EPIPE;
		return (int)done;
	}
	if (why == -EPROTO) {
		s->st.bad_frames++;
		s->err = dpu_abi_fail(EPROTO, "%s: peer's consumer index is out of range",
				      t->peer_desc);
		return s->err;
	}
	if (done)
		return (int)done; /* report the bad message on the next call */
	if (why == -EMSGSIZE)
		return dpu_abi_fail(EMSGSIZE, "shm send: %u-byte message does not fit the %lu-byte ring",
				    msgs[0].len, (unsigned long)r->size);
	return dpu_abi_fail(EINVAL, "shm send: message of %u bytes, header says %u (max %u)",
			    msgs[0].len,
			    msgs[0].len >= sizeof(struct dpu_abi_hdr) ?
			    ((const struct dpu_abi_hdr *)msgs[0].msg)->length : 0,
			    t->max_msg_len);
}

static int shm_flush(struct dpu_abi_transport *t)
{
	struct shm_transport *s = shm_of(t);
	uint64_t one = 1;
	int pub = 0;

	if (s->err)
		return s->err;
	if (t->role == DPU_ABI_ROLE_HOST) {
		pub = shm_ring_publish(&s->ring[SHM_REQ]);
	} else {
		pub = shm_ring_publish(&s->ring[SHM_CPL]);
		pub |= shm_ring_publish(&s->ring[SHM_EVT]);
	}
	if (!pub)
		return s->peer_gone ? -EPIPE : 0;
	/* Pairs with the barrier in shm_wait(): either the peer sees our
	 * index or we see its flag. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (__atomic_load_n(s->peer_sleeping, __ATOMIC_RELAXED) &&
	    __atomic_exchange_n(s->peer_sleeping, 0, __ATOMIC_RELAXED)) {
		if (write(s->efd_tx, &one, sizeof(one)) < 0 && errno != EAGAIN)
			return dpu_abi_fail(errno, "%s: doorbell", t->peer_desc);
		s->st.doorbells++;
	}
	return 0;
}

static int held_push(struct shm_transport *s, unsigned int ring, uint64_t bytes)
{
	if (s->held_tail - s->held_head == s->held_cap) {
		uint32_t cap = s->held_cap ? s->held_cap * 2 : 1024;
		uint32_t *nh = malloc(cap * sizeof(*nh));
		uint32_t i, n = s->held_tail - s->held_head;

		if (!nh)
			return -ENOMEM;
		for (i = 0; i < n; i++)
			nh[i] = s->held[(s->held_head + i) & (s->held_cap - 1)];
		free(s->held);
		s->held = nh;
		s->held_cap = cap;
		s->held_head = 0;
		s->held_tail = n;
	}
	s->held[s->held_tail++ & (s->held_cap - 1)] =
		(uint32_t)(ring << HELD_BITS) | (uint32_t)bytes;
	return 0;
}

static int shm_recv_burst(struct dpu_abi_transport *t, struct dpu_abi_rx *msgs,
			  unsigned int n)
{
	struct shm_transport *s = shm_of(t);
	unsigned int count = 0, k;
	uint64_t bytes, rx_bytes = 0;
	int rc;

	if (s->err)
		return s->err;
	for (k = 0; k < s->n_rx && count < n; k++) {
		struct shm_ring *r = &s->ring[s->rx_ring[k]];

		while (count < n) {
			uint64_t tail = r->tail;

			rc = shm_ring_peek(r, &msgs[count].msg, &msgs[count].len,
					   &bytes);
			if (rc == 0)
				break;
			if (rc < 0) {
				s->st.bad_frames++;
				s->err = dpu_abi_fail(EPROTO,
						      "%s: bad record at %lu in ring %u",
						      t->peer_desc, (unsigned long)tail,
						      s->rx_ring[k]);
				goto out;
			}
			if (held_push(s, s->rx_ring[k], bytes)) {
				r->tail = tail; /* parse it again next time */
				goto out;
			}
			rx_bytes += msgs[count].len;
			count++;
		}
	}
out:
	if (count) {
		s->st.rx_msgs += count;
		s->st.rx_bytes += rx_bytes;
		s->empty_polls = 0;
		return (int)count;
	}
	if (s->err)
		return s->err;
	if (s->peer_gone)
		return -EPIPE;
	if (++s->empty_polls % SHM_PEER_CHECK_EVERY == 0)
		return shm_check_peer(s);
	return 0;
}

static void shm_release(struct dpu_abi_transport *t, unsigned int n)
{
	struct shm_transport *s = shm_of(t);
	unsigned int touched = 0, i;

	if (n > s->held_tail - s->held_head)
		n = s->held_tail - s->held_head;
	for (i = 0; i < n; i++) {
		uint32_t e = s->held[s->held_head++ & (s->held_cap - 1)];

		s->ring[e >> HELD_BITS].rel += e & HELD_MASK;
		touched |= 1u << (e >> HELD_BITS);
	}
	for (i = 0; i < SHM_NRINGS; i++)
		if (touched & (1u << i))
			shm_store_rel(s->ring[i].cons, s->ring[i].rel);
}

static int shm_rx_ready(struct shm_transport *s)
{
	unsigned int k;

	for (k = 0; k < s->n_rx; k++)
		if (shm_ring_ready(&s->ring[s->rx_ring[k]]))
			return 1;
	return 0;
}

static int shm_wait(struct dpu_abi_transport *t, int timeout_ms)
{
	struct shm_transport *s = shm_of(t);
	struct epoll_event ev[2];
	uint64_t cnt;
	int n, i, rc = 0, rang = 0;

	if (s->err)
		return s->err;
	if (shm_rx_ready(s))
		return 1;
	if (s->peer_gone)
		return -EPIPE;
	__atomic_store_n(s->my_sleeping, 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (shm_rx_ready(s)) {
		__atomic_store_n(s->my_sleeping, 0, __ATOMIC_RELAXED);
		return 1;
	}
	n = epoll_wait(s->epfd, ev, 2, timeout_ms);
	if (n < 0)
		return errno == EINTR ? 0 : dpu_abi_fail(errno, "shm wait: epoll");
	if (n == 0)
		/* Nothing came: stay armed. An event-loop caller (wait(t, 0)
		 * then epoll on pollfd) relies on the peer ringing us now. */
		return 0;
	__atomic_store_n(s->my_sleeping, 0, __ATOMIC_RELAXED);
	for (i = 0; i < n; i++) {
		if (ev[i].data.fd == s->efd_rx) {
			/* Drain so the fd is quiet until the next ring. */
			if (read(s->efd_rx, &cnt, sizeof(cnt)) == sizeof(cnt))
				rang = 1;
		} else {
			rc = shm_check_peer(s);
		}
	}
	/* Deliver what the peer sent before it died, then the error. */
	if (rang || shm_rx_ready(s))
		return 1;
	return rc;
}

static int shm_pollfd(struct dpu_abi_transport *t)
{
	return shm_of(t)->epfd;
}

static void shm_get_stats(struct dpu_abi_transport *t,
			  struct dpu_abi_transport_stats *st)
{
	*st = shm_of(t)->st;
}

static void shm_close(struct dpu_abi_transport *t)
{
	struct shm_transport *s = shm_of(t);

	if (s->base)
		munmap(s->base, s->map_len);
	if (s->epfd >= 0)
		close(s->epfd);
	if (s->efd_rx >= 0)
		close(s->efd_rx);
	if (s->efd_tx >= 0)
		close(s->efd_tx);
	if (s->sock >= 0)
		close(s->sock);
	free(s->held);
	free(s);
}

static const struct dpu_abi_transport_ops shm_ops = {
	.name = "shm",
	.send_burst = shm_send_burst,
	.flush = shm_flush,
	.recv_burst = shm_recv_burst,
	.release = shm_release,
	.wait = shm_wait,
	.pollfd = shm_pollfd,
	.get_stats = shm_get_stats,
	.close = shm_close,
};

static struct shm_transport *shm_new(int sock, enum dpu_abi_role role,
				     const char *desc)
{
	struct shm_transport *s = calloc(1, sizeof(*s));

	if (!s) {
		close(sock);
		return NULL;
	}
	s->t.ops = &shm_ops;
	s->t.role = role;
	snprintf(s->t.peer_desc, sizeof(s->t.peer_desc), "%s", desc);
	s->sock = sock;
	s->efd_rx = s->efd_tx = s->epfd = -1;
	if (role == DPU_ABI_ROLE_HOST) {
		s->rx_ring[0] = SHM_CPL; /* responses first, then events */
		s->rx_ring[1] = SHM_EVT;
		s->n_rx = 2;
	} else {
		s->rx_ring[0] = SHM_REQ;
		s->n_rx = 1;
	}
	return s;
}

/* Private ring views from a geometry both sides trust (the card made it;
 * the host checked it in shm_validate()). */
static void shm_map_rings(struct shm_transport *s, const struct shm_ctrl *c)
{
	uint32_t *card, *host;
	unsigned int i;

	s->t.max_msg_len = c->max_msg_len;
	for (i = 0; i < SHM_NRINGS; i++) {
		struct shm_ring *r = &s->ring[i];
		struct shm_ring_idx *idx = (void *)(s->base + c->ring[i].off);
		uint64_t max = shm_rec_size(c->max_msg_len);

		r->data = s->base + c->ring[i].off + SHM_PAGE;
		r->size = c->ring[i].size;
		r->mask = r->size - 1;
		r->prod = &idx->prod;
		r->cons = &idx->cons;
		/* Half the ring: a record always fits once it has drained,
		 * wherever the wrap point is. */
		r->max_rec = max < r->size / 2 ? max : r->size / 2;
		r->max_msg_len = c->max_msg_len;
	}
	card = (uint32_t *)(s->base + offsetof(struct shm_ctrl, card_sleeping));
	host = (uint32_t *)(s->base + offsetof(struct shm_ctrl, host_sleeping));
	s->my_sleeping = s->t.role == DPU_ABI_ROLE_CARD ? card : host;
	s->peer_sleeping = s->t.role == DPU_ABI_ROLE_CARD ? host : card;
}

static int shm_epoll_setup(struct shm_transport *s)
{
	struct epoll_event ev = { .events = EPOLLIN };

	s->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (s->epfd < 0)
		return dpu_abi_fail(errno, "shm: epoll_create1");
	ev.data.fd = s->efd_rx;
	if (epoll_ctl(s->epfd, EPOLL_CTL_ADD, s->efd_rx, &ev) < 0)
		return dpu_abi_fail(errno, "shm: epoll_ctl doorbell");
	ev.events = EPOLLIN | EPOLLRDHUP;
	ev.data.fd = s->sock;
	if (epoll_ctl(s->epfd, EPOLL_CTL_ADD, s->sock, &ev) < 0)
		return dpu_abi_fail(errno, "shm: epoll_ctl socket");
	return 0;
}

static int ring_bytes(uint32_t want, uint32_t def, const char *what,
		      uint64_t *out)
{
	if (want == 0)
		want = def;
	if (want < SHM_RING_MIN || want > SHM_RING_MAX || (want & (want - 1)))
		return dpu_abi_fail(EINVAL, "shm: %s ring of %u bytes (power of 2, %u..%u)",
				    what, want, SHM_RING_MIN, SHM_RING_MAX);
	*out = want;
	return 0;
}

int dpu_abi_shm_accept(struct dpu_abi_listener *l, int fd, const char *desc,
		       struct dpu_abi_transport **out)
{
	const struct dpu_abi_transport_opts *o = &l->opts;
	struct shm_transport *s;
	struct shm_ctrl c = { .magic = SHM_MAGIC, .version = SHM_VERSION,
			      .n_rings = SHM_NRINGS };
	struct shm_hello hello;
	union {
		char buf[CMSG_SPACE(3 * sizeof(int))];
		struct cmsghdr align;
	} cm;
	struct iovec iov = { .iov_base = &hello, .iov_len = sizeof(hello) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = cm.buf,
			     .msg_controllen = sizeof(cm.buf) };
	struct cmsghdr *cmsg;
	uint64_t off = SHM_PAGE;
	unsigned int i;
	int memfd = -1, rc, fds[3];

	s = shm_new(fd, DPU_ABI_ROLE_CARD, desc);
	if (!s)
		return dpu_abi_fail(ENOMEM, "shm accept");
	rc = ring_bytes(o->req_ring_bytes, SHM_DEF_REQ, "request", &c.ring[SHM_REQ].size);
	if (!rc)
		rc = ring_bytes(o->cpl_ring_bytes, SHM_DEF_CPL, "completion",
				&c.ring[SHM_CPL].size);
	if (!rc)
		rc = ring_bytes(o->evt_ring_bytes, SHM_DEF_EVT, "event",
				&c.ring[SHM_EVT].size);
	if (rc)
		goto fail;
	c.max_msg_len = o->max_msg_len && o->max_msg_len < DPU_ABI_MSG_MAX ?
		o->max_msg_len : DPU_ABI_MSG_MAX;
	if (c.max_msg_len < sizeof(struct dpu_abi_hdr))
		c.max_msg_len = sizeof(struct dpu_abi_hdr);
	for (i = 0; i < SHM_NRINGS; i++) {
		c.ring[i].off = off;
		off += SHM_PAGE + c.ring[i].size;
	}
	c.region_size = off;

	memfd = memfd_create("dpu-abi-shm", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (memfd < 0) {
		rc = dpu_abi_fail(errno, "shm: memfd_create");
		goto fail;
	}
	if (ftruncate(memfd, (off_t)c.region_size) < 0) {
		rc = dpu_abi_fail(errno, "shm: ftruncate %lu", (unsigned long)off);
		goto fail;
	}
	/* The host maps it too: a size change would SIGBUS one of us. */
	if (fcntl(memfd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) < 0) {
		rc = dpu_abi_fail(errno, "shm: seal memfd");
		goto fail;
	}
	s->map_len = c.region_size;
	s->base = mmap(NULL, s->map_len, PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0);
	if (s->base == MAP_FAILED) {
		s->base = NULL;
		rc = dpu_abi_fail(errno, "shm: mmap %zu", s->map_len);
		goto fail;
	}
	memcpy(s->base, &c, sizeof(c));
	shm_map_rings(s, &c);

	s->efd_rx = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	s->efd_tx = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (s->efd_rx < 0 || s->efd_tx < 0) {
		rc = dpu_abi_fail(errno, "shm: eventfd");
		goto fail;
	}
	rc = shm_epoll_setup(s);
	if (rc)
		goto fail;

	hello = (struct shm_hello){ SHM_MAGIC, SHM_VERSION, c.region_size };
	fds[0] = memfd;
	fds[1] = s->efd_rx; /* host rings the card's doorbell */
	fds[2] = s->efd_tx;
	cmsg = CMSG_FIRSTHDR(&mh);
	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(fds));
	memcpy(CMSG_DATA(cmsg), fds, sizeof(fds));
	if (sendmsg(fd, &mh, MSG_NOSIGNAL) != (ssize_t)sizeof(hello)) {
		rc = dpu_abi_fail(errno ? errno : EIO, "shm: hand over region to host");
		goto fail;
	}
	close(memfd);
	*out = &s->t;
	return 0;
fail:
	if (memfd >= 0)
		close(memfd);
	shm_close(&s->t);
	return rc;
}

/* The card told us where everything is; make sure none of it points
 * outside the mapping or overlaps, before we believe a word. */
static int shm_validate(const struct shm_ctrl *c, size_t map_len)
{
	uint64_t lo[SHM_NRINGS + 1], hi[SHM_NRINGS + 1];
	unsigned int i, j;

	if (c->magic != SHM_MAGIC || c->version != SHM_VERSION ||
	    c->n_rings != SHM_NRINGS || c->region_size != map_len)
		return dpu_abi_fail(EPROTO, "shm: control page magic/version/size");
	if (c->max_msg_len < sizeof(struct dpu_abi_hdr) ||
	    c->max_msg_len > DPU_ABI_MSG_MAX)
		return dpu_abi_fail(EPROTO, "shm: max_msg_len %u", c->max_msg_len);
	lo[SHM_NRINGS] = 0;
	hi[SHM_NRINGS] = SHM_PAGE;
	for (i = 0; i < SHM_NRINGS; i++) {
		uint64_t off = c->ring[i].off, size = c->ring[i].size;

		if (size < SHM_RING_MIN || size > SHM_RING_MAX || (size & (size - 1)) ||
		    off % SHM_PAGE || off > map_len ||
		    map_len - off < SHM_PAGE + size)
			return dpu_abi_fail(EPROTO, "shm: ring %u at %lu size %lu in a %zu-byte region",
					    i, (unsigned long)off, (unsigned long)size,
					    map_len);
		lo[i] = off;
		hi[i] = off + SHM_PAGE + size;
	}
	for (i = 0; i <= SHM_NRINGS; i++)
		for (j = i + 1; j <= SHM_NRINGS; j++)
			if (lo[i] < hi[j] && lo[j] < hi[i])
				return dpu_abi_fail(EPROTO, "shm: rings %u and %u overlap", i, j);
	return 0;
}

int dpu_abi_shm_connect(int fd, int timeout_ms, const char *desc,
			struct dpu_abi_transport **out)
{
	struct shm_transport *s;
	struct shm_hello hello;
	struct shm_ctrl c;
	union {
		char buf[CMSG_SPACE(8 * sizeof(int))];
		struct cmsghdr align;
	} cm;
	struct iovec iov = { .iov_base = &hello, .iov_len = sizeof(hello) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = cm.buf,
			     .msg_controllen = sizeof(cm.buf) };
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	struct cmsghdr *cmsg;
	int fds[8], nfds = 0, rc, seals, i;
	struct stat st;
	ssize_t n;

	s = shm_new(fd, DPU_ABI_ROLE_HOST, desc);
	if (!s)
		return dpu_abi_fail(ENOMEM, "shm connect");
	rc = poll(&pfd, 1, timeout_ms);
	if (rc <= 0) {
		rc = rc == 0 ? dpu_abi_fail(ETIMEDOUT, "%s: no region from card", desc)
			     : dpu_abi_fail(errno, "%s: poll", desc);
		goto fail;
	}
	n = recvmsg(fd, &mh, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
	if (n < 0) {
		rc = dpu_abi_fail(errno, "%s: receive region", desc);
		goto fail;
	}
	for (cmsg = CMSG_FIRSTHDR(&mh); cmsg; cmsg = CMSG_NXTHDR(&mh, cmsg)) {
		if (cmsg->cmsg_level != SOL_SOCKET || cmsg->cmsg_type != SCM_RIGHTS)
			continue;
		int k = (int)((cmsg->cmsg_len - CMSG_LEN(0)) / sizeof(int));

		for (i = 0; i < k && nfds < 8; i++)
			memcpy(&fds[nfds++], CMSG_DATA(cmsg) + i * sizeof(int), sizeof(int));
	}
	if (n == 0) {
		rc = dpu_abi_fail(EPIPE, "%s: card closed before handing over the region", desc);
		goto fail;
	}
	if (n != sizeof(hello) || nfds != 3 || (mh.msg_flags & MSG_CTRUNC) ||
	    hello.magic != SHM_MAGIC || hello.version != SHM_VERSION) {
		rc = dpu_abi_fail(EPROTO, "%s: bad region handover (%zd bytes, %d fds)",
				  desc, n, nfds);
		goto fail;
	}
	s->efd_tx = fds[1];
	s->efd_rx = fds[2];
	fds[1] = fds[2] = -1;
	if (fstat(fds[0], &st) < 0 || (uint64_t)st.st_size != hello.region_size ||
	    hello.region_size < SHM_PAGE || hello.region_size > (3ull * SHM_RING_MAX + 4 * SHM_PAGE)) {
		rc = dpu_abi_fail(EPROTO, "%s: region size %lu", desc,
				  (unsigned long)hello.region_size);
		goto fail;
	}
	seals = fcntl(fds[0], F_GET_SEALS);
	if (seals < 0 || (seals & (F_SEAL_SHRINK | F_SEAL_GROW)) != (F_SEAL_SHRINK | F_SEAL_GROW)) {
		rc = dpu_abi_fail(EPROTO, "%s: region not sealed against resizing", desc);
		goto fail;
	}
	s->map_len = hello.region_size;
	s->base = mmap(NULL, s->map_len, PROT_READ | PROT_WRITE, MAP_SHARED, fds[0], 0);
	if (s->base == MAP_FAILED) {
		s->base = NULL;
		rc = dpu_abi_fail(errno, "%s: mmap", desc);
		goto fail;
	}
	close(fds[0]);
	fds[0] = -1;
	memcpy(&c, s->base, sizeof(c));
	rc = shm_validate(&c, s->map_len);
	if (rc)
		goto fail;
	shm_map_rings(s, &c);
	rc = shm_epoll_setup(s);
	if (rc)
		goto fail;
	*out = &s->t;
	return 0;
fail:
	for (i = 0; i < nfds; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	shm_close(&s->t);
	return rc;
}
