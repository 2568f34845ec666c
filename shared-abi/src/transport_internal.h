/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Shared between the transport front end (transport.c) and the providers
 * (transport_shm.c, transport_stream.c, transport_rdma.c). Not installed.
 */
#ifndef DPU_ABI_TRANSPORT_INTERNAL_H
#define DPU_ABI_TRANSPORT_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "dpu_abi_transport.h"

/* Both transports frame a message as [u32 len][u32 tag][message][pad to 8]:
 * 8 bytes of prefix keep every message 8-byte aligned in the receive buffer
 * so it can be read in place (the wire structs hold u64 fields). */
#define DPU_ABI_FRAME_HDR 8u

static inline uint64_t dpu_abi_frame_size(uint32_t msg_len)
{
	return DPU_ABI_FRAME_HDR + (((uint64_t)msg_len + 7u) & ~(uint64_t)7u);
}

enum dpu_abi_addr_kind {
	DPU_ABI_ADDR_SHM = 0,
	DPU_ABI_ADDR_UNIX = 1,
	DPU_ABI_ADDR_TCP = 2,
	DPU_ABI_ADDR_RDMA = 3, /* rdma_cm over IP: same syntax as tcp */
};

struct dpu_abi_addr {
	enum dpu_abi_addr_kind kind;
	struct sockaddr_storage ss;
	socklen_t ss_len;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)]; /* shm/unix */
};

/* Card-side listener; one type for every provider. */
struct dpu_abi_listener {
	struct dpu_abi_addr addr;
	int fd;
	int unlink_path; /* we created the socket file: remove it on close */
	struct dpu_abi_transport_opts opts;
	void *rdma; /* rdma: the rdma_cm listener (fd is its event channel) */
};

/** Parse "shm:/p", "unix:/p", "tcp:H:P", "tcp:[v6]:P", "rdma:H:P",
 * "rdma:[v6]:P" into *a. */
int dpu_abi_addr_parse(const char *s, struct dpu_abi_addr *a);

/** Record why the last call on this thread failed; returns -err. */
int dpu_abi_fail(int err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/** Non-blocking connect with timeout on a new socket; returns fd or -errno. */
int dpu_abi_sock_connect(const struct dpu_abi_addr *a, int timeout_ms);

/** Milliseconds left until deadline (CLOCK_MONOTONIC ns); -1 stays -1. */
int dpu_abi_ms_left(int64_t deadline_ns, int timeout_ms);
int64_t dpu_abi_now_ns(void);

/* Providers: make a transport on an accepted / connected socket. The
 * transport owns fd from then on (also on failure). */
int dpu_abi_shm_accept(struct dpu_abi_listener *l, int fd, const char *desc,
		       struct dpu_abi_transport **out);
int dpu_abi_shm_connect(int fd, int timeout_ms, const char *desc,
			struct dpu_abi_transport **out);
int dpu_abi_stream_open(int fd, enum dpu_abi_role role, uint32_t max_msg_len,
			const char *desc, struct dpu_abi_transport **out);

/* The RDMA provider (transport_rdma.c; transport_rdma_none.c answers
 * -EPROTONOSUPPORT when opendpu is built without rdma-core). listen sets
 * l->fd and l->rdma; listener_close with disown set only closes this
 * process's descriptor (a forked child must not destroy the listener). */
int dpu_abi_rdma_listen(struct dpu_abi_listener *l, const char *addr);
int dpu_abi_rdma_accept(struct dpu_abi_listener *l, int timeout_ms,
			struct dpu_abi_transport **out);
int dpu_abi_rdma_connect(const struct dpu_abi_addr *a, const char *addr,
			 int timeout_ms, struct dpu_abi_transport **out);
void dpu_abi_rdma_listener_close(struct dpu_abi_listener *l, int disown);
/** Test hook: when set, connect announces 0 receive buffers (a lie). */
extern int dpu_abi_rdma_test_lie_conn;
/** Test hook: post one raw SEND of len bytes (a hostile peer's payload),
 * bypassing framing and flow control. Returns 0 or -errno. */
int dpu_abi_rdma_send_raw(struct dpu_abi_transport *t, const void *buf,
			  uint32_t len);

#endif /* DPU_ABI_TRANSPORT_INTERNAL_H */
