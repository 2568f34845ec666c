/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Moving opendpu ABI messages between host and card.
 *
 * Three providers carry identical messages behind one vtable (in the style
 * of OVS's netdev_class):
 *  - "shm": a memfd region holding a request ring (host->card), a completion
 *    ring and an event ring (card->host). SPSC, cache-line separated, with
 *    eventfd doorbells that are rung only when the consumer has said it is
 *    going to sleep (io_uring's NEED_WAKEUP idea), so a busy peer costs no
 *    syscalls. The region and eventfds are handed to the host over a Unix
 *    socket with SCM_RIGHTS, the way a PCIe BAR and MSI-X vectors appear to a
 *    driver; the socket stays open so either side sees the other die.
 *  - "stream": length-delimited frames over a Unix or TCP socket (a real
 *    card's host<->Arm management link).
 *  - "rdma": the stream's frames in SENDs on an RDMA RC queue pair
 *    (librdmacm + libibverbs), credit flow control, where an RDMA device
 *    exists (docs/transport-rdma.md); -EPROTONOSUPPORT when built without.
 *
 * Addresses: "shm:/path/to/socket", "unix:/path/to/socket",
 * "tcp:HOST:PORT", "rdma:HOST:PORT" (numeric host; [v6] in brackets).
 *
 * Sending is burst-oriented (like rte_eth_tx_burst): messages are copied into
 * the transport and become visible to the peer at the latest on flush.
 * Receiving is zero-copy: messages stay in transport memory until released.
 * Neither call blocks; wait() sleeps until the peer has something for us.
 * Transports do not validate message bodies (dpu_abi_check() does) but they
 * do enforce framing: a frame is a whole message whose header length matches
 * the frame, at most max_msg_len bytes.
 */
#ifndef DPU_ABI_TRANSPORT_H
#define DPU_ABI_TRANSPORT_H

#include <stddef.h>
#include <sched.h>
#include <stdint.h>

#include "dpu_abi_codec.h"

#ifdef __cplusplus
extern "C" {
#endif

struct dpu_abi_transport;
struct dpu_abi_listener;

/* A received message: valid until dpu_abi_transport_release(). */
struct dpu_abi_rx {
	const void *msg;
	uint32_t len;
};

/* Counters every provider keeps; errors are also returned to the caller. */
struct dpu_abi_transport_stats {
	uint64_t tx_msgs;
	uint64_t tx_bytes;
	uint64_t rx_msgs;
	uint64_t rx_bytes;
	uint64_t tx_full;      /* send refused: ring/socket buffer full */
	uint64_t doorbells;    /* eventfd writes / wakeups issued */
	uint64_t bad_frames;   /* framing errors detected on receive */
};

struct dpu_abi_transport_ops {
	const char *name;
	/** Copy up to n messages for sending; returns how many were taken
	 * (fewer when the ring is full) or a negative errno. */
	int (*send_burst)(struct dpu_abi_transport *t, const struct dpu_abi_rx *msgs,
			  unsigned int n);
	/** Make queued messages visible and ring the peer if it sleeps. */
	int (*flush)(struct dpu_abi_transport *t);
	/** Receive up to n messages; returns the count (0: none) or -errno:
	 * -EPIPE peer gone, -EPROTO framing error (half-written or lying
	 * frame; the transport is then unusable). */
	int (*recv_burst)(struct dpu_abi_transport *t, struct dpu_abi_rx *msgs,
			  unsigned int n);
	/** Give back the first n received messages, in order. */
	void (*release)(struct dpu_abi_transport *t, unsigned int n);
	/** Sleep until a message may be ready, the peer dies or timeout_ms
	 * passes (-1: forever). Returns 1 ready, 0 timeout, -EPIPE, -errno. */
	int (*wait)(struct dpu_abi_transport *t, int timeout_ms);
	/** A file descriptor that becomes readable when wait() would return
	 * (for epoll loops); after it fires call wait(t, 0) to re-arm. */
	int (*pollfd)(struct dpu_abi_transport *t);
	void (*get_stats)(struct dpu_abi_transport *t,
			  struct dpu_abi_transport_stats *st);
	void (*close)(struct dpu_abi_transport *t);
};

/* Common part of every transport; providers embed it first. */
struct dpu_abi_transport {
	const struct dpu_abi_transport_ops *ops;
	enum dpu_abi_role role;   /* which end we are */
	uint32_t max_msg_len;
	char peer_desc[64];       /* for logs: "shm:/run/x.sock pid 123" */
};

/* Ring sizing asked for by the card when it listens (bytes, power of 2). */
struct dpu_abi_transport_opts {
	uint32_t req_ring_bytes; /* 0: 4 MiB */
	uint32_t cpl_ring_bytes; /* 0: 4 MiB */
	uint32_t evt_ring_bytes; /* 0: 256 KiB */
	uint32_t max_msg_len;    /* 0: DPU_ABI_MSG_MAX */
};

/** Card side: listen on addr ("shm:", "unix:", "tcp:" or "rdma:"). */
int dpu_abi_listen(const char *addr, const struct dpu_abi_transport_opts *opts,
		   struct dpu_abi_listener **out);
/** Accept one host; timeout_ms -1 blocks. -ETIMEDOUT on timeout. */
int dpu_abi_accept(struct dpu_abi_listener *l, int timeout_ms,
		   struct dpu_abi_transport **out);
/** Listening socket fd, readable when a host is waiting. */
int dpu_abi_listener_fd(struct dpu_abi_listener *l);
/** The address actually bound, e.g. "tcp:127.0.0.1:40123" after port 0.
 * Returns its length or -errno. */
int dpu_abi_listener_addr(struct dpu_abi_listener *l, char *buf, size_t len);
/** Close without removing the socket file (a forked child's copy). */
void dpu_abi_listener_disown(struct dpu_abi_listener *l);
/** Close and remove the socket file it created. */
void dpu_abi_listener_close(struct dpu_abi_listener *l);

/** Host side: connect to a card listening on addr. */
int dpu_abi_connect(const char *addr, int timeout_ms,
		    struct dpu_abi_transport **out);

/* Convenience wrappers over the vtable. */
static inline int dpu_abi_send_burst(struct dpu_abi_transport *t,
				     const struct dpu_abi_rx *m, unsigned int n)
{
	return t->ops->send_burst(t, m, n);
}
static inline int dpu_abi_flush(struct dpu_abi_transport *t)
{
	return t->ops->flush(t);
}
static inline int dpu_abi_recv_burst(struct dpu_abi_transport *t,
				     struct dpu_abi_rx *m, unsigned int n)
{
	return t->ops->recv_burst(t, m, n);
}
static inline void dpu_abi_release(struct dpu_abi_transport *t, unsigned int n)
{
	t->ops->release(t, n);
}
static inline int dpu_abi_wait(struct dpu_abi_transport *t, int timeout_ms)
{
	return t->ops->wait(t, timeout_ms);
}
static inline int dpu_abi_pollfd(struct dpu_abi_transport *t)
{
	return t->ops->pollfd(t);
}
static inline void dpu_abi_get_stats(struct dpu_abi_transport *t,
				     struct dpu_abi_transport_stats *st)
{
	t->ops->get_stats(t, st);
}
static inline void dpu_abi_close(struct dpu_abi_transport *t)
{
	if (t)
		t->ops->close(t);
}

/** Why the last failing transport call on this thread failed ("" if none
 * has): names what failed and the errno text. */
const char *dpu_abi_last_error(void);

/** Send one message and flush: returns 0, -ENOBUFS when full, -errno.
 * On a stream whose socket buffer is full the message stays queued (0 is
 * returned) and goes out on the next flush or wait. */
int dpu_abi_send(struct dpu_abi_transport *t, const void *msg, size_t len);

/**
 * Request/response helper for simple clients: send req, flush, wait for the
 * response with the same req_id (events that arrive meanwhile are passed to
 * on_event when non-NULL, else dropped), copy it to resp (cap bytes) after
 * dpu_abi_check(). Returns the response length (the card's verdict is in its
 * header.status) or -errno: -EBADMSG the response failed dpu_abi_check()
 * (dpu_abi_last_error() has the codec's reason), -EMSGSIZE it exceeds cap,
 * -ETIMEDOUT, -EPIPE, -EPROTO, -ENOBUFS.
 */
int dpu_abi_call(struct dpu_abi_transport *t, const void *req, size_t req_len,
		 void *resp, size_t cap, int timeout_ms,
		 void (*on_event)(void *arg, const struct dpu_abi_hdr *evt),
		 void *arg);

/**
 * The waiting half of dpu_abi_call(), for callers that keep several
 * requests in flight (send each with dpu_abi_send(), then wait for their
 * responses in order): responses to other requests that arrive meanwhile
 * go to on_other (when not NULL) for the caller to keep.
 */
/** A spin-wait hint for polling loops (x86 PAUSE, Arm YIELD): the card
 * side runs on Arm cores, so no x86-only builtin. */
static inline void dpu_abi_cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__) || defined(__arm__)
	__asm__ volatile("yield" ::: "memory");
#else
	__asm__ volatile("" ::: "memory");
#endif
}

/**
 * One step of a poll loop that may share its CPU: mostly a PAUSE, but every
 * 16th step yields, so a peer the scheduler put on the same CPU (card and
 * agent on a two-CPU host) answers now instead of after this side's whole
 * poll window (single filters, both on one CPU: 184 K/s with it, 9.5 K/s
 * without; on separate CPUs within a few percent). *steps counts steps.
 */
static inline void dpu_abi_spin_step(unsigned int *steps)
{
	if ((++*steps & 15) == 0)
		sched_yield();
	else
		dpu_abi_cpu_relax();
}

/* How long a call polls for its response before sleeping. */
#define DPU_ABI_CALL_SPIN_NS 50000

int dpu_abi_call_wait(struct dpu_abi_transport *t, uint64_t req_id, uint16_t opcode,
		      void *resp, size_t cap, int timeout_ms,
		      void (*on_event)(void *arg, const struct dpu_abi_hdr *evt),
		      void (*on_other)(void *arg, const struct dpu_abi_hdr *resp),
		      void *arg);

#ifdef __cplusplus
}
#endif

#endif /* DPU_ABI_TRANSPORT_H */
