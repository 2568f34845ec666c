/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The stream provider: frames over a non-blocking Unix or TCP socket.
 *
 * A frame is [u32 LE len][u32 tag = 0][message][zero pad to 8]. The socket
 * is drained into one large buffer and whole frames are handed out in place;
 * the buffer is compacted only when nothing handed out is still held, so
 * pointers stay valid until release. Sends are copied into a user-space
 * buffer and written out on flush, so a burst costs one send() syscall.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "transport_internal.h"

#define STREAM_BUF_MIN (1u << 20)

struct stream_transport {
	struct dpu_abi_transport t;
	int fd;
	/* rx: [rd, pos) handed out and held, [pos, wr) not yet parsed */
	uint8_t *rx;
	size_t rx_cap, rd, pos, wr;
	unsigned int held;
	int eof;
	/* tx: [tx_off, tx_len) not yet accepted by the kernel */
	uint8_t *tx;
	size_t tx_cap, tx_off, tx_len;
	int err; /* sticky -EPROTO / -EPIPE / -errno */
	struct dpu_abi_transport_stats st;
};

static inline struct stream_transport *stream_of(struct dpu_abi_transport *t)
{
	return (struct stream_transport *)t;
}

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static int stream_gone(struct stream_transport *s, int e)
{
	if (e == EPIPE || e == ECONNRESET || e == ENOTCONN) {
		s->err = dpu_abi_fail(EPIPE, "stream %s: peer gone", s->t.peer_desc);
		return s->err;
	}
	s->err = dpu_abi_fail(e, "stream %s: socket", s->t.peer_desc);
	return s->err;
}

/* Push queued bytes to the kernel: 0 all out, -EAGAIN some left, -errno. */
static int stream_write(struct stream_transport *s)
{
	ssize_t n;

	while (s->tx_off < s->tx_len) {
		n = send(s->fd, s->tx + s->tx_off, s->tx_len - s->tx_off,
			 MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n > 0) {
			s->tx_off += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return -EAGAIN;
		return stream_gone(s, n < 0 ? errno : EPIPE);
	}
	s->tx_off = s->tx_len = 0;
	return 0;
}

static void tx_compact(struct stream_transport *s)
{
	if (s->tx_off == 0)
		return;
	memmove(s->tx, s->tx + s->tx_off, s->tx_len - s->tx_off);
	s->tx_len -= s->tx_off;
	s->tx_off = 0;
}

static int stream_send_burst(struct dpu_abi_transport *t,
			     const struct dpu_abi_rx *msgs, unsigned int n)
{
	struct stream_transport *s = stream_of(t);
	unsigned int i;
	int rc;

	if (s->err)
		return s->err;
	for (i = 0; i < n; i++) {
		const struct dpu_abi_hdr *h = msgs[i].msg;
		uint32_t len = msgs[i].len, hdr[2] = { len, 0 };
		size_t rec = (size_t)dpu_abi_frame_size(len);

		if (len < sizeof(*h) || len > t->max_msg_len || h->length != len) {
			if (i)
				break;
			return dpu_abi_fail(EINVAL,
					    "stream send: message of %u bytes, header says %u (max %u)",
					    len, len >= sizeof(*h) ? h->length : 0,
					    t->max_msg_len);
		}
		if (s->tx_cap - s->tx_len < rec) {
			tx_compact(s);
			if (s->tx_cap - s->tx_len < rec) {
				rc = stream_write(s);
				if (rc < 0 && rc != -EAGAIN)
					return i ? (int)i : rc;
				tx_compact(s);
			}
			if (s->tx_cap - s->tx_len < rec) {
				s->st.tx_full++;
				break;
			}
		}
		memcpy(s->tx + s->tx_len, hdr, sizeof(hdr));
		memcpy(s->tx + s->tx_len + DPU_ABI_FRAME_HDR, h, len);
		memset(s->tx + s->tx_len + DPU_ABI_FRAME_HDR + len, 0,
		       rec - DPU_ABI_FRAME_HDR - len);
		s->tx_len += rec;
		s->st.tx_msgs++;
		s->st.tx_bytes += len;
	}
	return (int)i;
}

static int stream_flush(struct dpu_abi_transport *t)
{
	struct stream_transport *s = stream_of(t);

	if (s->err)
		return s->err;
	return stream_write(s);
}

/* Read what the socket has: >0 bytes, 0 nothing (or EOF seen), -errno. */
static int stream_fill(struct stream_transport *s)
{
	ssize_t n;

	if (s->held == 0 && s->rd > 0) {
		/* Only the tail of a partial frame moves. */
		memmove(s->rx, s->rx + s->rd, s->wr - s->rd);
		s->pos -= s->rd;
		s->wr -= s->rd;
		s->rd = 0;
	}
	if (s->wr == s->rx_cap || s->eof)
		return 0;
	for (;;) {
		n = read(s->fd, s->rx + s->wr, s->rx_cap - s->wr);
		if (n > 0) {
			s->wr += (size_t)n;
			return (int)n;
		}
		if (n == 0 || errno == ECONNRESET || errno == EPIPE) {
			s->eof = 1;
			return 0;
		}
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN)
			return 0;
		return stream_gone(s, errno);
	}
}

/* Hand out whole frames at pos; -EPROTO (sticky) on a lying frame. */
static int stream_parse(struct stream_transport *s, struct dpu_abi_rx *msgs,
			unsigned int n)
{
	unsigned int count = 0;

	while (count < n) {
		size_t avail = s->wr - s->pos;
		const uint8_t *p = s->rx + s->pos;
		uint32_t len, tag;
		size_t rec;

		if (avail < DPU_ABI_FRAME_HDR)
			break;
		len = rd32(p);
		tag = rd32(p + 4);
		/* Judge the length before its bytes arrive: a lie is known
		 * at once, and max_msg_len bounds what we buffer. */
		if (tag != 0 || len < sizeof(struct dpu_abi_hdr) ||
		    len > s->t.max_msg_len) {
			s->st.bad_frames++;
			s->err = dpu_abi_fail(EPROTO,
					      "stream %s: frame of %u bytes (tag %#x, max %u)",
					      s->t.peer_desc, len, tag, s->t.max_msg_len);
			break;
		}
		rec = (size_t)dpu_abi_frame_size(len);
		if (avail < rec)
			break;
		if (rd32(p + DPU_ABI_FRAME_HDR + 12) != len) {
			s->st.bad_frames++;
			s->err = dpu_abi_fail(EPROTO,
					      "stream %s: frame of %u bytes holds a message of %u",
					      s->t.peer_desc, len,
					      rd32(p + DPU_ABI_FRAME_HDR + 12));
			break;
		}
		msgs[count].msg = p + DPU_ABI_FRAME_HDR;
		msgs[count].len = len;
		s->pos += rec;
		s->held++;
		s->st.rx_msgs++;
		s->st.rx_bytes += len;
		count++;
	}
	if (count)
		return (int)count;
	return s->err;
}

/* Nothing whole is left and the peer is gone: say how it left. */
static int stream_eof_error(struct stream_transport *s)
{
	if (s->wr > s->pos) {
		s->st.bad_frames++;
		s->err = dpu_abi_fail(EPROTO,
				      "stream %s: half-written frame (%zu bytes) at EOF",
				      s->t.peer_desc, s->wr - s->pos);
	} else {
		s->err = dpu_abi_fail(EPIPE, "stream %s: peer closed the connection",
				      s->t.peer_desc);
	}
	return s->err;
}

static int stream_recv_burst(struct dpu_abi_transport *t, struct dpu_abi_rx *msgs,
			     unsigned int n)
{
	struct stream_transport *s = stream_of(t);
	int rc;

	if (s->err)
		return s->err;
	rc = stream_parse(s, msgs, n);
	if (rc)
		return rc;
	if (!s->eof) {
		rc = stream_fill(s);
		if (rc < 0)
			return rc;
		if (rc > 0) {
			rc = stream_parse(s, msgs, n);
			if (rc)
				return rc;
		}
	}
	return s->eof ? stream_eof_error(s) : 0;
}

static void stream_release(struct dpu_abi_transport *t, unsigned int n)
{
	struct stream_transport *s = stream_of(t);

	for (; n && s->held; n--, s->held--)
		s->rd += (size_t)dpu_abi_frame_size(rd32(s->rx + s->rd));
	if (s->held == 0 && s->rd == s->wr)
		s->rd = s->pos = s->wr = 0;
}

static int frame_ready(struct stream_transport *s)
{
	size_t avail = s->wr - s->pos;

	return avail >= DPU_ABI_FRAME_HDR &&
	       avail >= dpu_abi_frame_size(rd32(s->rx + s->pos));
}

static int stream_wait(struct dpu_abi_transport *t, int timeout_ms)
{
	struct stream_transport *s = stream_of(t);
	int64_t deadline = dpu_abi_now_ns() + (int64_t)timeout_ms * 1000000;
	struct pollfd pfd = { .fd = s->fd };
	int rc;

	for (;;) {
		if (s->err)
			return s->err;
		/* A bad length is also "ready": recv reports it. */
		if (frame_ready(s) || (s->wr - s->pos >= DPU_ABI_FRAME_HDR &&
				       rd32(s->rx + s->pos) > t->max_msg_len))
			return 1;
		if (s->eof)
			return stream_eof_error(s);
		pfd.events = POLLIN | (s->tx_off < s->tx_len ? POLLOUT : 0);
		rc = poll(&pfd, 1, dpu_abi_ms_left(deadline, timeout_ms));
		if (rc < 0 && errno != EINTR)
			return dpu_abi_fail(errno, "stream %s: poll", t->peer_desc);
		if (rc == 0)
			return 0;
		if (rc < 0)
			continue;
		if (pfd.revents & POLLOUT) {
			/* Finish a flush that met a full socket buffer. */
			rc = stream_write(s);
			if (rc < 0 && rc != -EAGAIN)
				return rc;
		}
		if (pfd.revents & (POLLIN | POLLHUP | POLLERR)) {
			rc = stream_fill(s);
			if (rc < 0)
				return rc;
			if (rc == 0 && !s->eof && s->wr == s->rx_cap)
				return 1; /* buffer full of held frames */
		}
	}
}

static int stream_pollfd(struct dpu_abi_transport *t)
{
	return stream_of(t)->fd;
}

static void stream_get_stats(struct dpu_abi_transport *t,
			     struct dpu_abi_transport_stats *st)
{
	*st = stream_of(t)->st;
}

static void stream_close(struct dpu_abi_transport *t)
{
	struct stream_transport *s = stream_of(t);

	if (s->fd >= 0)
		close(s->fd);
	free(s->rx);
	free(s->tx);
	free(s);
}

static const struct dpu_abi_transport_ops stream_ops = {
	.name = "stream",
	.send_burst = stream_send_burst,
	.flush = stream_flush,
	.recv_burst = stream_recv_burst,
	.release = stream_release,
	.wait = stream_wait,
	.pollfd = stream_pollfd,
	.get_stats = stream_get_stats,
	.close = stream_close,
};

int dpu_abi_stream_open(int fd, enum dpu_abi_role role, uint32_t max_msg_len,
			const char *desc, struct dpu_abi_transport **out)
{
	struct stream_transport *s = calloc(1, sizeof(*s));
	size_t cap = 2 * (size_t)dpu_abi_frame_size(max_msg_len);

	*out = NULL;
	if (!s) {
		close(fd);
		return dpu_abi_fail(ENOMEM, "stream %s", desc);
	}
	s->t.ops = &stream_ops;
	s->t.role = role;
	s->t.max_msg_len = max_msg_len;
	snprintf(s->t.peer_desc, sizeof(s->t.peer_desc), "%s", desc);
	s->fd = fd;
	if (cap < STREAM_BUF_MIN)
		cap = STREAM_BUF_MIN;
	s->rx_cap = s->tx_cap = cap;
	s->rx = malloc(cap);
	s->tx = malloc(cap);
	if (!s->rx || !s->tx) {
		stream_close(&s->t);
		return dpu_abi_fail(ENOMEM, "stream %s: %zu-byte buffers", desc, cap);
	}
	*out = &s->t;
	return 0;
}
