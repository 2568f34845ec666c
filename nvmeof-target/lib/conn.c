/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * NVMe/TCP connection (one queue): receive state machine, request slots,
 * response/C2HData/R2T generation and batched transmit.
 *
 * Receive reads the socket in large chunks and walks PDUs out of the chunk;
 * payloads are copied once into the request's buffer, or received straight
 * into it when a large payload is still outstanding. Transmit gathers
 * headers (stored in the request) and payloads (request buffer, RAM
 * namespace memory or the shared zero buffer) into one iovec array that
 * the reactor flushes with a single sendmsg per loop iteration.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "nvmf_internal.h"

#define BOOT_TTAG 0xfffe

static const uint8_t zero_pad[128];

/* Request used before Connect sized the queue (the Connect itself). */
static inline struct nvmf_req *boot_req(struct nvmf_conn *c)
{
	return (struct nvmf_req *)(c + 1);
}

struct nvmf_conn *nvmf_conn_create(struct nvmf_tgt *tgt, int fd, const struct nvmf_listener *l)
{
	struct nvmf_conn *c = calloc(1, sizeof(*c) + sizeof(struct nvmf_req));
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	char a[INET6_ADDRSTRLEN] = "?";

	if (!c)
		return NULL;
	c->tgt = tgt;
	c->fd = fd;
	c->evh.fn = NULL;
	memcpy(c->traddr, l->traddr, sizeof(c->traddr));
	c->port = l->port;
	if (getpeername(fd, (struct sockaddr *)&ss, &sl) == 0) {
		if (ss.ss_family == AF_INET)
			inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, a, sizeof(a));
		else
			inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, a, sizeof(a));
		snprintf(c->peer, sizeof(c->peer), "%s:%u", a,
			 ntohs(((struct sockaddr_in *)&ss)->sin_port));
	}
	c->created_ns = nvmf_now_ns();
	c->lim.max_icd = NVMF_ADMIN_ICD;
	c->lim.maxh2cdata = tgt->opts.maxh2cdata;
	c->lim.cpda = 0;
	c->rxbuf = malloc(NVMF_RXBUF_SIZE);
	c->txcap = 16;
	c->txiov = calloc(c->txcap, sizeof(*c->txiov));
	c->txreq = calloc(c->txcap, sizeof(*c->txreq));
	if (!c->rxbuf || !c->txiov || !c->txreq) {
		free(c->rxbuf);
		free(c->txiov);
		free(c->txreq);
		free(c);
		return NULL;
	}
	boot_req(c)->conn = c;
	boot_req(c)->ttag = BOOT_TTAG;
	return c;
}

static void conn_event(struct nvmf_evh *evh, uint32_t events);

void nvmf_conn_attach(struct nvmf_reactor *r, void *arg)
{
	struct nvmf_conn *c = arg;
	struct epoll_event ev = { .events = EPOLLIN };

	c->r = r;
	c->evh.fn = conn_event;
	ev.data.ptr = &c->evh;
	TAILQ_INSERT_TAIL(&r->conns, c, link);
	atomic_fetch_add(&c->tgt->st.conns_active, 1);
	if (atomic_load(&r->stop) || epoll_ctl(r->epfd, EPOLL_CTL_ADD, c->fd, &ev) < 0)
		nvmf_conn_close(c, "cannot register with the reactor");
}

int nvmf_conn_alloc_reqs(struct nvmf_conn *c, uint32_t n)
{
	uint32_t cap = 6 * (n + 1) + 8;
	struct iovec *iv;
	struct nvmf_req **rq;

	c->reqs = calloc(n, sizeof(*c->reqs));
	if (!c->reqs)
		return -ENOMEM;
	c->nreqs = n;
	for (uint32_t i = n; i-- > 0;) {
		c->reqs[i].conn = c;
		c->reqs[i].ttag = (uint16_t)i;
		c->reqs[i].next_free = c->free_reqs;
		c->free_reqs = &c->reqs[i];
	}
	if (cap > c->txcap) {
		iv = realloc(c->txiov, cap * sizeof(*iv));
		if (!iv)
			return -ENOMEM;
		c->txiov = iv;
		rq = realloc(c->txreq, cap * sizeof(*rq));
		if (!rq)
			return -ENOMEM;
		c->txreq = rq;
		c->txcap = cap;
	}
	return 0;
}

static struct nvmf_req *req_alloc(struct nvmf_conn *c)
{
	struct nvmf_req *req;

	if (!c->reqs) {
		req = boot_req(c);
		if (req->state != NVMF_REQ_FREE)
			return NULL;
	} else {
		req = c->free_reqs;
		if (!req)
			return NULL;
		c->free_reqs = req->next_free;
	}
	req->state = NVMF_REQ_RX_DATA;
	req->xfer = NVMF_XFER_NONE;
	req->ddgst_bad = false;
	req->await_h2c = false;
	req->status = NVME_SC_SUCCESS;
	req->dw0 = 0;
	req->dw1 = 0;
	req->len = 0;
	req->h2c_off = 0;
	req->data = NULL;
	req->wdata = NULL;
	req->io_pending = 0;
	req->zero_fallback = false;
	return req;
}

static void req_free(struct nvmf_req *req)
{
	struct nvmf_conn *c = req->conn;

	if (req->buf) {
		nvmf_pool_put(req->pool == 1 ? &c->r->small : &c->r->large, req->buf);
		req->buf = NULL;
		req->pool = 0;
	}
	if (req->ns) {
		nvmf_ns_put(req->ns);
		req->ns = NULL;
	}
	req->state = NVMF_REQ_FREE;
	if (req != boot_req(c)) {
		req->next_free = c->free_reqs;
		c->free_reqs = req;
	}
}

int nvmf_req_get_buf(struct nvmf_req *req, uint32_t len)
{
	struct nvmf_reactor *r = req->conn->r;

	if (req->buf)
		return 0;
	if (len <= r->small.size) {
		req->buf = nvmf_pool_get(&r->small);
		req->pool = 1;
	} else if (len <= r->large.size) {
		req->buf = nvmf_pool_get(&r->large);
		req->pool = 2;
	} else {
		return -E2BIG;
	}
	return req->buf ? 0 : -ENOMEM;
}

/* ---- transmit ---- */

static inline void conn_dirty(struct nvmf_conn *c)
{
	if (!c->on_dirty && c->state != NVMF_CONN_CLOSED) {
		c->on_dirty = true;
		TAILQ_INSERT_TAIL(&c->r->dirty, c, dirty_link);
	}
}

static bool tx_room(struct nvmf_conn *c, uint32_t n)
{
	if (NVMF_LIKELY(c->txtail + n <= c->txcap))
		return true;
	if (c->txhead) {
		uint32_t live = c->txtail - c->txhead;

		memmove(c->txiov, c->txiov + c->txhead, live * sizeof(*c->txiov));
		memmove(c->txreq, c->txreq + c->txhead, live * sizeof(*c->txreq));
		c->txhead = 0;
		c->txtail = live;
	}
	if (c->txtail + n <= c->txcap)
		return true;
	/* only control PDUs can get here; grow rather than drop */
	uint32_t cap = c->txcap * 2 + n;
	struct iovec *iv = realloc(c->txiov, cap * sizeof(*iv));

	if (!iv)
		return false;
	c->txiov = iv;
	struct nvmf_req **rq = realloc(c->txreq, cap * sizeof(*rq));

	if (!rq)
		return false;
	c->txreq = rq;
	c->txcap = cap;
	return true;
}

static inline void tx_push(struct nvmf_conn *c, const void *base, size_t len, struct nvmf_req *rel)
{
	c->txiov[c->txtail].iov_base = (void *)base;
	c->txiov[c->txtail].iov_len = len;
	c->txreq[c->txtail] = rel;
	c->txtail++;
}

static void set_epollout(struct nvmf_conn *c, bool on)
{
	struct epoll_event ev = { .events = EPOLLIN | (on ? EPOLLOUT : 0) };

	ev.data.ptr = &c->evh;
	c->want_out = on;
	epoll_ctl(c->r->epfd, EPOLL_CTL_MOD, c->fd, &ev);
}

void nvmf_conn_flush(struct nvmf_conn *c)
{
	while (c->txhead < c->txtail && c->state != NVMF_CONN_CLOSED) {
		uint32_t cnt = c->txtail - c->txhead;
		struct msghdr m = { .msg_iov = &c->txiov[c->txhead],
				    .msg_iovlen = cnt > IOV_MAX ? IOV_MAX : cnt };
		ssize_t n = sendmsg(c->fd, &m, MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN) {
				if (!c->want_out)
					set_epollout(c, true);
				return;
			}
			nvmf_conn_close(c, strerror(errno));
			return;
		}
		while (n > 0) {
			struct iovec *iv = &c->txiov[c->txhead];

			if ((size_t)n >= iv->iov_len) {
				n -= (ssize_t)iv->iov_len;
				if (c->txreq[c->txhead])
					req_free(c->txreq[c->txhead]);
				c->txhead++;
			} else {
				iv->iov_base = (char *)iv->iov_base + n;
				iv->iov_len -= (size_t)n;
				n = 0;
			}
		}
		/* requests with zero-length tails (none today) would linger */
	}
	if (c->txhead == c->txtail) {
		c->txhead = c->txtail = 0;
		if (c->want_out && c->state != NVMF_CONN_CLOSED)
			set_epollout(c, false);
	}
}

static inline void hdr_digest(struct nvmf_conn *c, struct nvmf_tx_hdr24 *h)
{
	if (c->hdgst)
		h->hdgst = nvmf_crc32c(h->pdu, sizeof(h->pdu));
}

static uint16_t status_field(uint16_t st)
{
	/* transport-level transient errors may be retried; the rest may not */
	bool dnr = st != NVME_SC_SUCCESS && st != NVME_SC_TRANSIENT_TRANSPORT &&
		   st != NVME_SC_NS_NOT_READY;

	return nvme_status_field(st, dnr);
}

void nvmf_req_complete(struct nvmf_req *req)
{
	struct nvmf_conn *c = req->conn;
	uint32_t hd = c->hdgst ? NVME_TCP_DIGEST_LEN : 0;
	struct nvme_tcp_rsp *rsp;

	if (NVMF_UNLIKELY(c->state == NVMF_CONN_CLOSED)) {
		req_free(req);
		return;
	}
	req->state = NVMF_REQ_TX;
	if (NVMF_UNLIKELY(req->status == NVME_SC_SUCCESS && req->xfer == NVMF_XFER_C2H &&
			  req->len && !req->data)) {
		/* a handler claimed success without producing its data */
		NVMF_ERR(c->tgt, "conn %s: opcode 0x%02x succeeded without C2H data", c->peer,
			 req->cmd.opc);
		req->status = NVME_SC_INTERNAL;
	}
	if (NVMF_UNLIKELY(req->status != NVME_SC_SUCCESS) && c->ctrlr)
		nvmf_ctrlr_record_error(c->ctrlr, req);
	if (!tx_room(c, 6)) {
		nvmf_conn_close(c, "out of memory for transmit");
		req_free(req);
		return;
	}
	if (req->status == NVME_SC_SUCCESS && req->xfer == NVMF_XFER_C2H && req->len) {
		struct nvme_tcp_data *d = (struct nvme_tcp_data *)req->c2h.pdu;
		uint32_t align = ((uint32_t)c->hpda + 1) * 4;
		uint32_t pdo = (24 + hd + align - 1) / align * align;
		bool success = c->sqflow_off && c->tgt->opts.c2h_success;

		d->ch.type = NVME_TCP_C2H_DATA;
		d->ch.flags = NVME_TCP_F_DATA_LAST | (c->hdgst ? NVME_TCP_F_HDGST : 0) |
			      (c->ddgst ? NVME_TCP_F_DDGST : 0) | (success ? NVME_TCP_F_DATA_SUCCESS : 0);
		d->ch.hlen = 24;
		d->ch.pdo = (uint8_t)pdo;
		d->ch.plen = pdo + req->len + (c->ddgst ? NVME_TCP_DIGEST_LEN : 0);
		d->cccid = req->cmd.cid;
		d->ttag = 0;
		d->datao = 0;
		d->datal = req->len;
		d->rsvd = 0;
		hdr_digest(c, &req->c2h);
		tx_push(c, req->c2h.pdu, 24 + hd, NULL);
		if (pdo > 24 + hd)
			tx_push(c, zero_pad, pdo - 24 - hd, NULL);
		if (c->ddgst) {
			req->ddgst = nvmf_crc32c(req->data, req->len);
			tx_push(c, req->data, req->len, NULL);
			tx_push(c, &req->ddgst, NVME_TCP_DIGEST_LEN, success ? req : NULL);
		} else {
			tx_push(c, req->data, req->len, success ? req : NULL);
		}
		if (success) {
			conn_dirty(c);
			return;
		}
	}
	rsp = (struct nvme_tcp_rsp *)req->rsp.pdu;
	rsp->ch.type = NVME_TCP_RSP;
	rsp->ch.flags = c->hdgst ? NVME_TCP_F_HDGST : 0;
	rsp->ch.hlen = 24;
	rsp->ch.pdo = 0;
	rsp->ch.plen = 24 + hd;
	rsp->cqe.dw0 = req->dw0;
	rsp->cqe.dw1 = req->dw1;
	rsp->cqe.sqhd = c->sqflow_off ? 0xffff : c->sqhd;
	rsp->cqe.sqid = c->qid;
	rsp->cqe.cid = req->cmd.cid;
	rsp->cqe.status = status_field(req->status);
	hdr_digest(c, &req->rsp);
	tx_push(c, req->rsp.pdu, 24 + hd, req);
	conn_dirty(c);
}

void nvmf_req_backend_done(struct nvmf_req *req)
{
	nvmf_req_complete(req);
}

static void send_r2t(struct nvmf_conn *c, struct nvmf_req *req)
{
	struct nvme_tcp_r2t *r = (struct nvme_tcp_r2t *)req->r2t.pdu;
	uint32_t hd = c->hdgst ? NVME_TCP_DIGEST_LEN : 0;

	if (!tx_room(c, 1)) {
		nvmf_conn_close(c, "out of memory for transmit");
		return;
	}
	r->ch.type = NVME_TCP_R2T;
	r->ch.flags = c->hdgst ? NVME_TCP_F_HDGST : 0;
	r->ch.hlen = 24;
	r->ch.pdo = 0;
	r->ch.plen = 24 + hd;
	r->cccid = req->cmd.cid;
	r->ttag = req->ttag;
	r->r2to = req->h2c_off;
	r->r2tl = req->len - req->h2c_off;
	r->rsvd = 0;
	hdr_digest(c, &req->r2t);
	tx_push(c, req->r2t.pdu, 24 + hd, NULL);
	conn_dirty(c);
}

/* ---- errors and close ---- */

/* Fatal transport error: C2HTermReq with the offending header, then close. */
static void conn_fatal(struct nvmf_conn *c, const struct nvmf_pdu_err *err)
{
	struct nvme_tcp_term *t = (struct nvme_tcp_term *)c->term;
	uint32_t n = c->hdr_have < NVME_TCP_TERM_MAX_DATA ? c->hdr_have : NVME_TCP_TERM_MAX_DATA;

	NVMF_STAT_INC(c->tgt, pdu_errors);
	NVMF_WARN(c->tgt, "conn %s qid %u: %s (fes %u fei %u): terminating", c->peer, c->qid,
		  err->why, err->fes, err->fei);
	memset(t, 0, sizeof(*t));
	t->ch.type = NVME_TCP_C2H_TERM;
	t->ch.hlen = 24;
	t->ch.plen = 24 + n;
	t->fes = err->fes;
	t->fei = err->fei;
	memcpy(c->term + 24, c->hdr, n);
	/* best effort: the connection is going away either way; only append
	 * the TermReq if nothing half-sent precedes it */
	nvmf_conn_flush(c);
	if (c->state != NVMF_CONN_CLOSED && c->txhead == c->txtail &&
	    send(c->fd, c->term, t->ch.plen, MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
		NVMF_DBG(c->tgt, "conn %s: C2HTermReq not sent: %s", c->peer, strerror(errno));
	nvmf_conn_close(c, err->why);
}

static void fatal(struct nvmf_conn *c, uint16_t fes, uint32_t fei, const char *why)
{
	struct nvmf_pdu_err e = { .fes = fes, .fei = fei, .why = why };

	conn_fatal(c, &e);
}

void nvmf_conn_close(struct nvmf_conn *c, const char *why)
{
	struct nvmf_reactor *r = c->r;

	if (c->state == NVMF_CONN_CLOSED)
		return;
	NVMF_INFO(c->tgt, "conn %s qid %u closed: %s", c->peer, c->qid, why);
	c->state = NVMF_CONN_CLOSED;
	epoll_ctl(r->epfd, EPOLL_CTL_DEL, c->fd, NULL);
	shutdown(c->fd, SHUT_RDWR);
	close(c->fd);
	c->fd = -1;
	if (c->on_dirty) {
		TAILQ_REMOVE(&r->dirty, c, dirty_link);
		c->on_dirty = false;
	}
	TAILQ_REMOVE(&r->conns, c, link);
	TAILQ_INSERT_TAIL(&r->zombies, c, link);
	atomic_fetch_sub(&r->nconns, 1);
	atomic_fetch_sub(&c->tgt->st.conns_active, 1);
	/* requests whose responses were queued die with the socket */
	for (uint32_t i = c->txhead; i < c->txtail; i++)
		if (c->txreq[i])
			req_free(c->txreq[i]);
	c->txhead = c->txtail = 0;
	if (c->ctrlr && c->connected) {
		if (c->qid == 0)
			nvmf_ctrlr_admin_gone(c->ctrlr);
		else
			nvmf_ctrlr_io_gone(c->ctrlr, c);
	}
	c->ctrlr = NULL;
}

/* Reactor thread, once no backend I/O refers to the connection. */
void nvmf_conn_free(struct nvmf_conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	for (uint32_t i = 0; i < c->nreqs; i++)
		if (c->reqs[i].state != NVMF_REQ_FREE)
			req_free(&c->reqs[i]);
	if (boot_req(c)->state != NVMF_REQ_FREE && c->r)
		req_free(boot_req(c));
	if (c->subsys)
		nvmf_subsys_put(c->subsys);
	free(c->reqs);
	free(c->rxbuf);
	free(c->txiov);
	free(c->txreq);
	free(c);
}

/* ---- receive ---- */

static inline uint32_t le32_at(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

static void handle_icreq(struct nvmf_conn *c)
{
	const struct nvme_tcp_icreq *q = (const void *)c->hdr;
	struct nvme_tcp_icresp *a = (struct nvme_tcp_icresp *)c->icresp;

	if (q->pfv != NVME_TCP_PFV_1_0) {
		fatal(c, NVME_TCP_FES_UNSUPPORTED_PARAM, offsetof(struct nvme_tcp_icreq, pfv),
		      "ICReq pfv unsupported");
		return;
	}
	if (q->hpda > 31) {
		fatal(c, NVME_TCP_FES_INVALID_HEADER, offsetof(struct nvme_tcp_icreq, hpda),
		      "ICReq hpda > 31");
		return;
	}
	NVMF_DBG(c->tgt, "conn %s: ICReq hpda %u digests hdr %u data %u maxr2t %u", c->peer,
		 q->hpda, !!(q->dgst & NVME_TCP_DGST_HDR), !!(q->dgst & NVME_TCP_DGST_DATA),
		 q->maxr2t);
	c->hpda = q->hpda;
	c->hdgst = q->dgst & NVME_TCP_DGST_HDR;
	c->ddgst = q->dgst & NVME_TCP_DGST_DATA;
	c->maxr2t = q->maxr2t;
	c->lim.hdgst = c->hdgst;
	c->lim.ddgst = c->ddgst;
	c->lim.ic_done = true;
	memset(a, 0, sizeof(*a));
	a->ch.type = NVME_TCP_ICRESP;
	a->ch.hlen = 128;
	a->ch.plen = 128;
	a->pfv = NVME_TCP_PFV_1_0;
	a->cpda = c->lim.cpda;
	a->dgst = (c->hdgst ? NVME_TCP_DGST_HDR : 0) | (c->ddgst ? NVME_TCP_DGST_DATA : 0);
	a->maxh2cdata = c->lim.maxh2cdata;
	c->state = NVMF_CONN_RUN;
	if (tx_room(c, 1))
		tx_push(c, a, sizeof(*a), NULL);
	conn_dirty(c);
}

/* NVMe opcodes encode direction in bits 1:0; fabrics commands in fctype. */
static uint8_t cmd_xfer(const struct nvme_sqe *s)
{
	uint8_t d = s->opc == NVME_FABRICS_OPC ? ((const uint8_t *)s)[4] & 3 : s->opc & 3;

	return d == 1 ? NVMF_XFER_H2C : d == 2 ? NVMF_XFER_C2H : NVMF_XFER_NONE;
}

static void cmd_ready(struct nvmf_conn *c, struct nvmf_req *req)
{
	uint16_t st;

	req->state = NVMF_REQ_EXEC;
	if (NVMF_UNLIKELY(req->ddgst_bad))
		req->status = NVME_SC_TRANSIENT_TRANSPORT;
	if (NVMF_UNLIKELY(req->status != NVME_SC_SUCCESS)) {
		nvmf_req_complete(req);
		return;
	}
	if (NVMF_UNLIKELY(!c->connected)) {
		const uint8_t fct = ((const uint8_t *)&req->cmd)[4];

		st = req->cmd.opc == NVME_FABRICS_OPC && fct == NVMF_FCTYPE_CONNECT ?
			nvmf_fabrics_exec(req) : NVME_SC_CMD_SEQ_ERROR;
	} else if (NVMF_UNLIKELY(req->cmd.opc == NVME_FABRICS_OPC)) {
		st = nvmf_fabrics_exec(req);
	} else if (c->qid) {
		st = nvmf_io_exec(req);
	} else {
		st = nvmf_admin_exec(req);
	}
	if (st == NVMF_ASYNC)
		return;
	req->status = st;
	nvmf_req_complete(req);
}

/* Validate the data descriptor; returns a status (data is discarded on error). */
static uint16_t check_sgl(struct nvmf_conn *c, struct nvmf_req *req, uint32_t icd_len)
{
	const struct nvme_sgl *sgl = &req->cmd.dptr;
	uint8_t psdt = req->cmd.flags >> NVME_PSDT_SHIFT;

	req->xfer = cmd_xfer(&req->cmd);
	if (icd_len) {
		if (req->xfer != NVMF_XFER_H2C)
			return NVME_SC_INVALID_FIELD;
		if (sgl->id != NVME_SGL_ID_DATA_OFFSET)
			return NVME_SC_SGL_TYPE_INVALID;
		if (sgl->addr != 0)
			return NVME_SC_SGL_OFFSET_INVALID;
		if (sgl->length != icd_len)
			return NVME_SC_SGL_LENGTH_INVALID;
		req->len = sgl->length;
	} else if (req->xfer != NVMF_XFER_NONE && sgl->length) {
		if (sgl->id != NVME_SGL_ID_TRANSPORT)
			return sgl->id == NVME_SGL_ID_DATA_OFFSET ? NVME_SC_SGL_LENGTH_INVALID :
				NVME_SC_SGL_TYPE_INVALID;
		req->len = sgl->length;
	} else {
		req->xfer = NVMF_XFER_NONE;
		return NVME_SC_SUCCESS;
	}
	if (psdt == 0)
		return NVME_SC_INVALID_FIELD; /* PRPs do not exist on fabrics */
	if (req->len > c->tgt->opts.max_io_size)
		return NVME_SC_SGL_LENGTH_INVALID;
	return NVME_SC_SUCCESS;
}

static void handle_cmd_hdr(struct nvmf_conn *c)
{
	const struct nvme_tcp_cmd *p = (const void *)c->hdr;
	struct nvmf_req *req = req_alloc(c);
	uint32_t icd = c->lay.data_len;

	if (NVMF_UNLIKELY(!req)) {
		fatal(c, NVME_TCP_FES_PDU_SEQUENCE, 0,
		      "command capsule beyond the queue size (no free request slot)");
		return;
	}
	memcpy(&req->cmd, &p->sqe, sizeof(req->cmd));
	if (!c->sqflow_off && c->sqsize)
		c->sqhd = (uint16_t)((c->sqhd + 1) % c->sqsize);
	c->rx_req = req;
	c->rx_dst = NULL;
	c->rx_left = icd;
	c->rx_data_len = icd;

	req->status = check_sgl(c, req, icd);
	if (req->status == NVME_SC_SUCCESS && c->qid && c->connected &&
	    req->cmd.opc != NVME_FABRICS_OPC)
		req->status = nvmf_io_prepare(req);
	if (req->status != NVME_SC_SUCCESS || !req->len || req->xfer != NVMF_XFER_H2C)
		return; /* data (if any) is discarded; completes at PDU end */
	/*
	 * In-capsule write to a synchronous (RAM/NULL) namespace whose payload
	 * is already complete in the receive buffer: execute from there. The
	 * buffer cannot be refilled before the PDU ends, and the write runs
	 * synchronously at the PDU end, so one memcpy is saved per write.
	 */
	if (icd && req->ns && req->cmd.opc == NVME_IO_WRITE &&
	    req->ns->bdev.type != NVMF_BDEV_FILE &&
	    (uint64_t)c->rpos + c->lay.pad + icd + (c->lay.has_ddgst ? 4 : 0) <= c->wpos) {
		req->wdata = c->rxbuf + c->rpos + c->lay.pad;
		return;
	}
	if (nvmf_req_get_buf(req, req->len)) {
		req->status = NVME_SC_INTERNAL;
		return;
	}
	req->wdata = req->buf;
	if (icd) {
		c->rx_dst = req->buf;
		return;
	}
	/* write without in-capsule data: ask for it */
	req->h2c_off = 0;
	req->await_h2c = true;
	send_r2t(c, req);
}

static void handle_h2c_hdr(struct nvmf_conn *c)
{
	const struct nvme_tcp_data *d = (const void *)c->hdr;
	struct nvmf_req *req = NULL;

	if (d->ttag == BOOT_TTAG && !c->reqs)
		req = boot_req(c);
	else if (d->ttag < c->nreqs)
		req = &c->reqs[d->ttag];
	if (!req || req->state != NVMF_REQ_RX_DATA || req->xfer != NVMF_XFER_H2C || !req->buf) {
		fatal(c, NVME_TCP_FES_INVALID_HEADER, offsetof(struct nvme_tcp_data, ttag),
		      "H2CData ttag names no outstanding R2T");
		return;
	}
	if (d->cccid != req->cmd.cid) {
		fatal(c, NVME_TCP_FES_INVALID_HEADER, offsetof(struct nvme_tcp_data, cccid),
		      "H2CData cccid does not match the R2T");
		return;
	}
	if (d->datal != c->lay.data_len) {
		fatal(c, NVME_TCP_FES_INVALID_HEADER, offsetof(struct nvme_tcp_data, datal),
		      "H2CData datal disagrees with plen/pdo");
		return;
	}
	if (d->datao != req->h2c_off) {
		fatal(c, NVME_TCP_FES_DATA_OUT_OF_RANGE, offsetof(struct nvme_tcp_data, datao),
		      "H2CData datao is not the next expected offset");
		return;
	}
	if ((uint64_t)d->datao + d->datal > req->len) {
		fatal(c, NVME_TCP_FES_DATA_OUT_OF_RANGE, offsetof(struct nvme_tcp_data, datal),
		      "H2CData beyond the R2T");
		return;
	}
	c->rx_req = req;
	c->rx_dst = req->buf + d->datao;
	c->rx_left = d->datal;
	c->rx_data_len = d->datal;
}

static void handle_term(struct nvmf_conn *c)
{
	const struct nvme_tcp_term *t = (const void *)c->hdr;

	NVMF_WARN(c->tgt, "conn %s qid %u: H2CTermReq fes %u fei %u", c->peer, c->qid, t->fes,
		  t->fei);
}

static void pdu_done(struct nvmf_conn *c);

static void pdu_header_done(struct nvmf_conn *c)
{
	const struct nvme_tcp_ch *ch = (const void *)c->hdr;
	struct nvmf_pdu_err err;

	if (ch->flags & NVME_TCP_F_HDGST && ch->type != NVME_TCP_ICREQ) {
		if (nvmf_crc32c(c->hdr, ch->hlen) != le32_at(c->hdr + ch->hlen)) {
			NVMF_STAT_INC(c->tgt, hdgst_errors);
			fatal(c, NVME_TCP_FES_HDR_DIGEST, 0, "header digest mismatch");
			return;
		}
	}
	if (nvmf_pdu_layout(ch, &c->lim, &c->lay, &err)) {
		conn_fatal(c, &err);
		return;
	}
	c->rx_req = NULL;
	c->rx_dst = NULL;
	c->rx_left = c->lay.data_len;
	c->rx_data_len = c->lay.data_len;
	switch (ch->type) {
	case NVME_TCP_ICREQ:
		handle_icreq(c);
		break;
	case NVME_TCP_CMD:
		handle_cmd_hdr(c);
		break;
	case NVME_TCP_H2C_DATA:
		handle_h2c_hdr(c);
		break;
	case NVME_TCP_H2C_TERM:
		c->rx_dst = NULL; /* the echoed header is only logged */
		break;
	}
	if (c->state == NVMF_CONN_CLOSED)
		return;
	c->rx_ddgst_have = 0;
	if (c->lay.pad)
		c->rx_state = NVMF_RX_PAD;
	else if (c->rx_left)
		c->rx_state = NVMF_RX_DATA;
	else
		pdu_done(c);
}

static void pdu_done(struct nvmf_conn *c)
{
	const struct nvme_tcp_ch *ch = (const void *)c->hdr;
	struct nvmf_req *req = c->rx_req;

	c->rx_state = NVMF_RX_CH;
	c->hdr_have = 0;
	switch (ch->type) {
	case NVME_TCP_CMD:
		/* R2T outstanding: the command runs when the last H2CData lands */
		if (!req->await_h2c)
			cmd_ready(c, req);
		break;
	case NVME_TCP_H2C_DATA:
		req->h2c_off += c->rx_data_len;
		if (req->h2c_off == req->len)
			cmd_ready(c, req);
		break;
	case NVME_TCP_H2C_TERM:
		handle_term(c);
		nvmf_conn_close(c, "host sent H2CTermReq");
		break;
	}
}

static void data_done(struct nvmf_conn *c)
{
	if (!c->lay.has_ddgst) {
		pdu_done(c);
		return;
	}
	c->rx_state = NVMF_RX_DDGST;
	c->rx_ddgst_have = 0;
}

static void ddgst_done(struct nvmf_conn *c)
{
	struct nvmf_req *req = c->rx_req;
	const uint8_t *start = c->rx_dst ? c->rx_dst - c->rx_data_len : NULL;

	if (!start && req && req->wdata && !req->buf)
		start = req->wdata; /* in-place in-capsule data */

	if (start && nvmf_crc32c(start, c->rx_data_len) != le32_at(c->rx_ddgst)) {
		NVMF_STAT_INC(c->tgt, ddgst_errors);
		NVMF_WARN(c->tgt, "conn %s qid %u: data digest mismatch (cid %u)", c->peer, c->qid,
			  req ? req->cmd.cid : 0xffff);
		if (req)
			req->ddgst_bad = true;
	}
	pdu_done(c);
}

/* Consume buffered bytes; returns when the buffer is empty or on close. */
static void conn_parse(struct nvmf_conn *c)
{
	while (c->rpos < c->wpos && c->state != NVMF_CONN_CLOSED) {
		uint32_t avail = c->wpos - c->rpos, n;
		const uint8_t *p = c->rxbuf + c->rpos;

		switch (c->rx_state) {
		case NVMF_RX_CH:
			n = 8 - c->hdr_have;
			n = n < avail ? n : avail;
			memcpy(c->hdr + c->hdr_have, p, n);
			c->hdr_have += n;
			c->rpos += n;
			if (c->hdr_have == 8) {
				struct nvmf_pdu_err err;

				if (nvmf_pdu_check_ch((const void *)c->hdr, &c->lim, &c->hdr_need,
						      &err)) {
					conn_fatal(c, &err);
					return;
				}
				c->rx_state = NVMF_RX_HDR;
				if (c->hdr_need == 8)
					pdu_header_done(c);
			}
			break;
		case NVMF_RX_HDR:
			n = c->hdr_need - c->hdr_have;
			n = n < avail ? n : avail;
			memcpy(c->hdr + c->hdr_have, p, n);
			c->hdr_have += n;
			c->rpos += n;
			if (c->hdr_have == c->hdr_need)
				pdu_header_done(c);
			break;
		case NVMF_RX_PAD:
			n = c->lay.pad < avail ? c->lay.pad : avail;
			c->lay.pad -= n;
			c->rpos += n;
			if (!c->lay.pad)
				c->rx_state = NVMF_RX_DATA;
			break;
		case NVMF_RX_DATA:
			n = c->rx_left < avail ? c->rx_left : avail;
			if (c->rx_dst) {
				memcpy(c->rx_dst, p, n);
				c->rx_dst += n;
			}
			c->rx_left -= n;
			c->rpos += n;
			if (!c->rx_left)
				data_done(c);
			break;
		case NVMF_RX_DDGST:
			n = 4 - c->rx_ddgst_have;
			n = n < avail ? n : avail;
			memcpy(c->rx_ddgst + c->rx_ddgst_have, p, n);
			c->rx_ddgst_have += n;
			c->rpos += n;
			if (c->rx_ddgst_have == 4)
				ddgst_done(c);
			break;
		}
	}
}

static void conn_rx(struct nvmf_conn *c)
{
	for (int i = 0; i < 16 && c->state != NVMF_CONN_CLOSED; i++) {
		ssize_t n;

		if (c->rpos == c->wpos) {
			c->rpos = c->wpos = 0;
			if (c->rx_state == NVMF_RX_DATA && c->rx_dst && c->rx_left >= 16384) {
				/* big payload: straight into the request buffer */
				n = recv(c->fd, c->rx_dst, c->rx_left, MSG_DONTWAIT);
				if (n > 0) {
					c->rx_dst += n;
					c->rx_left -= (uint32_t)n;
					if (!c->rx_left)
						data_done(c);
					continue;
				}
			} else {
				n = recv(c->fd, c->rxbuf, NVMF_RXBUF_SIZE, MSG_DONTWAIT);
				if (n > 0)
					c->wpos = (uint32_t)n;
				/* a short read drained the socket: parse and let
				 * (level-triggered) epoll say when there is more,
				 * instead of paying a recv that returns EAGAIN */
				if (n > 0 && n < NVMF_RXBUF_SIZE) {
					conn_parse(c);
					return;
				}
			}
			if (n == 0) {
				nvmf_conn_close(c, "peer closed the connection");
				return;
			}
			if (n < 0) {
				if (errno == EAGAIN || errno == EINTR)
					return;
				nvmf_conn_close(c, strerror(errno));
				return;
			}
		}
		conn_parse(c);
	}
}

static void conn_event(struct nvmf_evh *evh, uint32_t events)
{
	struct nvmf_conn *c = NVMF_CONTAINER_OF(evh, struct nvmf_conn, evh);

	if (c->state == NVMF_CONN_CLOSED)
		return;
	if (events & EPOLLOUT)
		nvmf_conn_flush(c);
	if (events & (EPOLLIN | EPOLLERR | EPOLLHUP))
		conn_rx(c);
	if (c->state != NVMF_CONN_CLOSED && c->txtail > c->txhead)
		conn_dirty(c);
}
