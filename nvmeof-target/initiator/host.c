/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Userspace NVMe/TCP host. One queue pair = one TCP connection, driven by
 * its caller's thread. PDU headers are staged in a per-queue byte arena
 * and gathered with caller data buffers into one sendmsg; receive parses
 * PDUs out of large reads and lands big C2H payloads directly in the
 * caller's buffer.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include <isa-l/crc.h>

#include "nvmf_initiator.h"

#define RXCAP (256 * 1024)
#define STAGE_CAP (64 * 1024)

struct ireq {
	bool busy;
	uint8_t dir;
	uint8_t *buf;
	uint32_t len;
	uint32_t c2h_rcvd;
	nvmfi_cb cb;
	void *arg;
};

enum { RX_CH, RX_HDR, RX_PAD, RX_DATA, RX_DDGST };

struct nvmfi_qpair {
	int fd;
	int err;
	bool busy_poll;
	struct nvmfi_opts o;
	uint16_t qid;
	uint16_t qsize;
	struct ireq *reqs;
	uint16_t *free_cids;
	uint32_t nfree;
	uint32_t icd;
	int completions;
	int corrupt;
	struct nvmfi_stats st;

	struct iovec *iov;
	uint32_t ioh, iot, iocap;
	uint8_t *stage;
	uint32_t stage_used;

	uint8_t *rx;
	uint32_t rpos, wpos;
	int rx_state;
	uint8_t hdr[128 + 4] __attribute__((aligned(8)));
	uint32_t hdr_have, hdr_need;
	struct ireq *rx_req;
	uint16_t rx_cid;
	uint8_t *rx_dst;
	uint32_t rx_left, rx_len, pad;
	bool rx_dd;
	uint8_t dd[4];
	uint32_t dd_have;
};

static uint32_t crc32c(const void *p, size_t n)
{
	return crc32_iscsi((unsigned char *)p, (int)n, 0xffffffffu) ^ 0xffffffffu;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

void nvmfi_opts_default(struct nvmfi_opts *o)
{
	uint8_t u[16];

	memset(o, 0, sizeof(*o));
	snprintf(o->traddr, sizeof(o->traddr), "127.0.0.1");
	o->port = NVMF_TCP_PORT_DEFAULT;
	if (getrandom(u, sizeof(u), 0) != sizeof(u))
		memset(u, 0x42, sizeof(u));
	u[6] = (u[6] & 0x0f) | 0x40;
	u[8] = (u[8] & 0x3f) | 0x80;
	memcpy(o->hostid, u, 16);
	snprintf(o->hostnqn, sizeof(o->hostnqn),
		 "nqn.2014-08.org.nvmexpress:uuid:%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
		 "%02x%02x%02x%02x%02x%02x",
		 u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12],
		 u[13], u[14], u[15]);
	snprintf(o->subnqn, sizeof(o->subnqn), "%s", NVMF_DISCOVERY_NQN);
	o->admin_qsize = 32;
	o->io_qsize = 128;
	o->timeout_ms = 10000;
}

static int qp_fail(struct nvmfi_qpair *qp, int err)
{
	if (!qp->err)
		qp->err = err;
	return qp->err;
}

/* ---- transmit ---- */

static int flush(struct nvmfi_qpair *qp, bool block)
{
	while (qp->ioh < qp->iot) {
		uint32_t n = qp->iot - qp->ioh;
		struct msghdr m = { .msg_iov = &qp->iov[qp->ioh], .msg_iovlen = n > IOV_MAX ? IOV_MAX : n };
		ssize_t w = sendmsg(qp->fd, &m, MSG_NOSIGNAL | MSG_DONTWAIT);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN) {
				struct pollfd p = { .fd = qp->fd, .events = POLLOUT };

				if (!block)
					return 0;
				poll(&p, 1, 100);
				continue;
			}
			return qp_fail(qp, -errno);
		}
		while (w > 0) {
			struct iovec *v = &qp->iov[qp->ioh];

			if ((size_t)w >= v->iov_len) {
				w -= (ssize_t)v->iov_len;
				qp->ioh++;
			} else {
				v->iov_base = (char *)v->iov_base + w;
				v->iov_len -= (size_t)w;
				w = 0;
			}
		}
	}
	qp->ioh = qp->iot = 0;
	qp->stage_used = 0;
	return 0;
}

static int tx_room(struct nvmfi_qpair *qp, uint32_t niov, uint32_t bytes)
{
	if (qp->iot + niov > qp->iocap || qp->stage_used + bytes > STAGE_CAP) {
		int rc = flush(qp, true);

		if (rc)
			return rc;
	}
	if (qp->iot + niov > qp->iocap || qp->stage_used + bytes > STAGE_CAP)
		return -ENOBUFS;
	return 0;
}

static void *stage(struct nvmfi_qpair *qp, uint32_t n)
{
	void *p = qp->stage + qp->stage_used;

	qp->stage_used += (n + 7) & ~7u;
	return p;
}

static void push(struct nvmfi_qpair *qp, const void *b, size_t n)
{
	if (!n)
		return;
	qp->iov[qp->iot].iov_base = (void *)b;
	qp->iov[qp->iot].iov_len = n;
	qp->iot++;
}

static uint32_t align_up(uint32_t v, uint32_t a)
{
	return (v + a - 1) / a * a;
}

/* Queue one PDU: header (+digest) [pad] [data (+digest)]. */
static int queue_pdu(struct nvmfi_qpair *qp, const void *hdr, uint8_t hlen, const void *data,
		     uint32_t dlen)
{
	uint32_t hd = qp->st.hdgst ? 4 : 0, dd = (qp->st.ddgst && dlen) ? 4 : 0;
	uint32_t pdo = dlen ? align_up(hlen + hd, ((uint32_t)qp->st.cpda + 1) * 4) : 0;
	uint32_t hbytes = (dlen ? pdo : hlen + hd);
	uint8_t *h;
	struct nvme_tcp_ch *ch;
	int rc = tx_room(qp, 3, hbytes + 8 + 8);

	if (rc)
		return rc;
	h = stage(qp, hbytes);
	memset(h, 0, hbytes);
	memcpy(h, hdr, hlen);
	ch = (struct nvme_tcp_ch *)h;
	ch->hlen = hlen;
	ch->flags |= (hd ? NVME_TCP_F_HDGST : 0) | (dd ? NVME_TCP_F_DDGST : 0);
	ch->pdo = (uint8_t)pdo;
	ch->plen = hbytes + dlen + dd;
	if (hd) {
		uint32_t c = crc32c(h, hlen) ^ (qp->corrupt == 1 ? 0x1u : 0);

		memcpy(h + hlen, &c, 4);
		if (qp->corrupt == 1)
			qp->corrupt = 0;
	}
	push(qp, h, hbytes);
	if (dlen) {
		push(qp, data, dlen);
		if (dd) {
			uint32_t *c = stage(qp, 4);

			*c = crc32c(data, dlen) ^ (qp->corrupt == 2 ? 0x80u : 0);
			if (qp->corrupt == 2)
				qp->corrupt = 0;
			push(qp, c, 4);
		}
	}
	return 0;
}

int nvmfi_submit(struct nvmfi_qpair *qp, struct nvme_sqe *cmd, void *buf, uint32_t len,
		 enum nvmfi_dir dir, nvmfi_cb cb, void *arg)
{
	struct nvme_tcp_cmd pdu;
	struct ireq *r;
	uint16_t cid;
	bool icd;
	int rc;

	if (qp->err)
		return qp->err;
	if (!qp->nfree)
		return -EBUSY;
	cid = qp->free_cids[--qp->nfree];
	r = &qp->reqs[cid];
	r->busy = true;
	r->dir = (uint8_t)dir;
	r->buf = buf;
	r->len = len;
	r->c2h_rcvd = 0;
	r->cb = cb;
	r->arg = arg;

	cmd->cid = cid;
	cmd->flags = (uint8_t)((cmd->flags & 0x3f) | (NVME_PSDT_SGL_MPTR_CONTIG << NVME_PSDT_SHIFT));
	memset(&cmd->dptr, 0, sizeof(cmd->dptr));
	icd = dir == NVMFI_H2C && len && len <= qp->icd && !qp->o.no_icd;
	cmd->dptr.id = icd ? NVME_SGL_ID_DATA_OFFSET : NVME_SGL_ID_TRANSPORT;
	cmd->dptr.length = dir == NVMFI_NONE ? 0 : len;
	memset(&pdu, 0, sizeof(pdu));
	pdu.ch.type = NVME_TCP_CMD;
	pdu.sqe = *cmd;
	rc = queue_pdu(qp, &pdu, sizeof(pdu), icd ? buf : NULL, icd ? len : 0);
	if (rc) {
		r->busy = false;
		qp->free_cids[qp->nfree++] = cid;
		return rc;
	}
	if (icd)
		qp->st.icd_tx++;
	return 0;
}

/* ---- receive ---- */

static void complete(struct nvmfi_qpair *qp, struct ireq *r, const struct nvme_cqe *cqe)
{
	r->busy = false;
	qp->free_cids[qp->nfree++] = (uint16_t)(r - qp->reqs);
	qp->completions++;
	if (r->cb)
		r->cb(r->arg, cqe);
}

static int proto_err(struct nvmfi_qpair *qp, const char *why)
{
	fprintf(stderr, "nvmfi: qid %u: protocol error: %s\n", qp->qid, why);
	return qp_fail(qp, -EPROTO);
}

static int handle_r2t(struct nvmfi_qpair *qp)
{
	const struct nvme_tcp_r2t *t = (const void *)qp->hdr;
	struct ireq *r;
	uint32_t off, end;

	qp->st.r2t_rx++;
	if (t->cccid >= qp->qsize || !qp->reqs[t->cccid].busy || qp->reqs[t->cccid].dir != NVMFI_H2C)
		return proto_err(qp, "R2T for an unknown command");
	r = &qp->reqs[t->cccid];
	if ((uint64_t)t->r2to + t->r2tl > r->len || !t->r2tl)
		return proto_err(qp, "R2T outside the command's data");
	end = t->r2to + t->r2tl;
	for (off = t->r2to; off < end;) {
		uint32_t n = end - off < qp->st.maxh2cdata ? end - off : qp->st.maxh2cdata;
		struct nvme_tcp_data d;
		int rc;

		memset(&d, 0, sizeof(d));
		d.ch.type = NVME_TCP_H2C_DATA;
		d.ch.flags = off + n == end ? NVME_TCP_F_DATA_LAST : 0;
		d.cccid = t->cccid;
		d.ttag = t->ttag;
		d.datao = off;
		d.datal = n;
		rc = queue_pdu(qp, &d, sizeof(d), r->buf + off, n);
		if (rc)
			return qp_fail(qp, rc);
		qp->st.h2c_tx++;
		off += n;
	}
	return 0;
}

static int hdr_done(struct nvmfi_qpair *qp)
{
	const struct nvme_tcp_ch *ch = (const void *)qp->hdr;
	uint32_t hd = (ch->flags & NVME_TCP_F_HDGST) ? 4 : 0;

	if (hd) {
		uint32_t c;

		memcpy(&c, qp->hdr + ch->hlen, 4);
		if (c != crc32c(qp->hdr, ch->hlen))
			return proto_err(qp, "header digest mismatch");
	}
	qp->rx_dst = NULL;
	qp->rx_req = NULL;
	qp->pad = 0;
	qp->rx_len = 0;
	qp->rx_dd = false;
	switch (ch->type) {
	case NVME_TCP_C2H_DATA: {
		const struct nvme_tcp_data *d = (const void *)qp->hdr;
		struct ireq *r;
		bool dd = ch->flags & NVME_TCP_F_DDGST;

		qp->st.c2h_rx++;
		if (d->cccid >= qp->qsize || !qp->reqs[d->cccid].busy ||
		    qp->reqs[d->cccid].dir != NVMFI_C2H)
			return proto_err(qp, "C2HData for an unknown command");
		r = &qp->reqs[d->cccid];
		if (d->datao != r->c2h_rcvd || (uint64_t)d->datao + d->datal > r->len)
			return proto_err(qp, "C2HData offset/length out of range");
		if (ch->pdo < 24 + hd || (uint64_t)ch->pdo + d->datal + (dd ? 4 : 0) != ch->plen)
			return proto_err(qp, "C2HData plen/pdo inconsistent");
		if (ch->pdo % (((uint32_t)qp->o.hpda + 1) * 4))
			return proto_err(qp, "C2HData pdo violates HPDA");
		if (dd != qp->st.ddgst)
			return proto_err(qp, "C2HData DDGSTF differs from negotiation");
		qp->rx_req = r;
		qp->rx_cid = d->cccid;
		qp->rx_dst = r->buf + d->datao;
		qp->rx_left = qp->rx_len = d->datal;
		qp->pad = ch->pdo - 24 - hd;
		qp->rx_dd = dd;
		break;
	}
	case NVME_TCP_C2H_TERM: {
		const struct nvme_tcp_term *t = (const void *)qp->hdr;

		qp->st.term_rx = true;
		qp->st.term_fes = t->fes;
		qp->st.term_fei = t->fei;
		qp->rx_left = ch->plen - ch->hlen; /* offending header: skipped */
		break;
	}
	default:
		qp->rx_left = 0;
		break;
	}
	qp->dd_have = 0;
	qp->rx_state = qp->pad ? RX_PAD : qp->rx_left ? RX_DATA : RX_DDGST;
	return 0;
}

static int pdu_done(struct nvmfi_qpair *qp)
{
	const struct nvme_tcp_ch *ch = (const void *)qp->hdr;

	qp->rx_state = RX_CH;
	qp->hdr_have = 0;
	switch (ch->type) {
	case NVME_TCP_RSP: {
		const struct nvme_tcp_rsp *p = (const void *)qp->hdr;

		qp->st.rsp_rx++;
		if (p->cqe.cid >= qp->qsize || !qp->reqs[p->cqe.cid].busy)
			return proto_err(qp, "CapsuleResp for an unknown command");
		complete(qp, &qp->reqs[p->cqe.cid], &p->cqe);
		return 0;
	}
	case NVME_TCP_C2H_DATA: {
		struct ireq *r = qp->rx_req;

		if (qp->rx_dd) {
			uint32_t c;

			memcpy(&c, qp->dd, 4);
			if (c != crc32c(qp->rx_dst - qp->rx_len, qp->rx_len))
				return proto_err(qp, "data digest mismatch");
		}
		r->c2h_rcvd += qp->rx_len;
		if ((ch->flags & NVME_TCP_F_DATA_SUCCESS)) {
			struct nvme_cqe cqe = { .cid = qp->rx_cid, .sqid = qp->qid };

			if (!(ch->flags & NVME_TCP_F_DATA_LAST))
				return proto_err(qp, "SUCCESS without LAST_PDU");
			qp->st.c2h_success++;
			complete(qp, r, &cqe);
		}
		return 0;
	}
	case NVME_TCP_R2T:
		return handle_r2t(qp);
	case NVME_TCP_C2H_TERM:
		return qp_fail(qp, -ECONNRESET);
	case NVME_TCP_ICRESP:
		return 0;
	}
	return proto_err(qp, "unexpected PDU type");
}

static int parse(struct nvmfi_qpair *qp)
{
	while (qp->rpos < qp->wpos && !qp->err) {
		uint32_t avail = qp->wpos - qp->rpos, n;
		const uint8_t *p = qp->rx + qp->rpos;
		const struct nvme_tcp_ch *ch = (const void *)qp->hdr;

		switch (qp->rx_state) {
		case RX_CH:
			n = 8 - qp->hdr_have < avail ? 8 - qp->hdr_have : avail;
			memcpy(qp->hdr + qp->hdr_have, p, n);
			qp->hdr_have += n;
			qp->rpos += n;
			if (qp->hdr_have < 8)
				break;
			if (ch->hlen != nvme_tcp_pdu_hlen(ch->type) || ch->type == NVME_TCP_CMD ||
			    ch->type == NVME_TCP_ICREQ || ch->type == NVME_TCP_H2C_DATA)
				return proto_err(qp, "bad PDU type/hlen from controller");
			qp->hdr_need = ch->hlen + ((ch->flags & NVME_TCP_F_HDGST) &&
						   ch->type != NVME_TCP_C2H_TERM &&
						   ch->type != NVME_TCP_ICRESP ? 4 : 0);
			if (ch->plen < qp->hdr_need)
				return proto_err(qp, "plen shorter than header");
			qp->rx_state = RX_HDR;
			break;
		case RX_HDR:
			n = qp->hdr_need - qp->hdr_have < avail ? qp->hdr_need - qp->hdr_have : avail;
			memcpy(qp->hdr + qp->hdr_have, p, n);
			qp->hdr_have += n;
			qp->rpos += n;
			if (qp->hdr_have == qp->hdr_need && hdr_done(qp) == 0 &&
			    qp->rx_state == RX_DDGST && !qp->rx_dd)
				pdu_done(qp);
			break;
		case RX_PAD:
			n = qp->pad < avail ? qp->pad : avail;
			qp->pad -= n;
			qp->rpos += n;
			if (!qp->pad)
				qp->rx_state = RX_DATA;
			break;
		case RX_DATA:
			n = qp->rx_left < avail ? qp->rx_left : avail;
			if (qp->rx_dst) {
				memcpy(qp->rx_dst, p, n);
				qp->rx_dst += n;
			}
			qp->rx_left -= n;
			qp->rpos += n;
			if (!qp->rx_left) {
				qp->rx_state = RX_DDGST;
				if (!qp->rx_dd)
					pdu_done(qp);
			}
			break;
		case RX_DDGST:
			n = 4 - qp->dd_have < avail ? 4 - qp->dd_have : avail;
			memcpy(qp->dd + qp->dd_have, p, n);
			qp->dd_have += n;
			qp->rpos += n;
			if (qp->dd_have == 4)
				pdu_done(qp);
			break;
		}
	}
	return qp->err;
}

/* Read what is there; returns bytes read, 0 on EAGAIN, < 0 on error/EOF. */
static int rx_once(struct nvmfi_qpair *qp)
{
	ssize_t n;

	if (qp->rpos == qp->wpos) {
		qp->rpos = qp->wpos = 0;
		if (qp->rx_state == RX_DATA && qp->rx_dst && qp->rx_left >= 16384) {
			n = recv(qp->fd, qp->rx_dst, qp->rx_left, MSG_DONTWAIT);
			if (n > 0) {
				qp->rx_dst += n;
				qp->rx_left -= (uint32_t)n;
				if (!qp->rx_left) {
					qp->rx_state = RX_DDGST;
					if (!qp->rx_dd)
						pdu_done(qp);
				}
				return qp->err ? qp->err : (int)n;
			}
		} else {
			n = recv(qp->fd, qp->rx, RXCAP, MSG_DONTWAIT);
			if (n > 0)
				qp->wpos = (uint32_t)n;
		}
		if (n == 0)
			return qp_fail(qp, -ECONNRESET);
		if (n < 0)
			return errno == EAGAIN || errno == EINTR ? 0 : qp_fail(qp, -errno);
	}
	n = qp->wpos - qp->rpos;
	return parse(qp) ? qp->err : (int)n;
}

int nvmfi_poll(struct nvmfi_qpair *qp, int timeout_ms)
{
	uint64_t deadline = timeout_ms > 0 ? now_ms() + (uint64_t)timeout_ms : 0;
	int rc;

	qp->completions = 0;
	if (qp->err)
		return qp->err;
	if ((rc = flush(qp, false)))
		return rc;
	for (;;) {
		struct pollfd p = { .fd = qp->fd, .events = POLLIN };
		int wait;

		/* stop after a short read: the socket is drained */
		while ((rc = rx_once(qp)) >= RXCAP)
			;
		if (rc < 0)
			return rc;
		if (qp->iot > qp->ioh && (rc = flush(qp, false)))
			return rc;
		if (qp->completions || timeout_ms == 0 || qp->busy_poll)
			return qp->completions;
		if (timeout_ms < 0) {
			wait = -1;
		} else {
			uint64_t now = now_ms();

			if (now >= deadline)
				return 0;
			wait = (int)(deadline - now);
		}
		if (qp->iot > qp->ioh)
			p.events |= POLLOUT;
		poll(&p, 1, wait);
	}
}

struct sync_ctx {
	bool done;
	struct nvme_cqe cqe;
};

static void sync_cb(void *arg, const struct nvme_cqe *cqe)
{
	struct sync_ctx *s = arg;

	s->done = true;
	s->cqe = *cqe;
}

int nvmfi_cmd_sync(struct nvmfi_qpair *qp, struct nvme_sqe *cmd, void *buf, uint32_t len,
		   enum nvmfi_dir dir, struct nvme_cqe *cqe)
{
	struct sync_ctx s = { 0 };
	uint64_t deadline = now_ms() + (uint64_t)qp->o.timeout_ms;
	int rc = nvmfi_submit(qp, cmd, buf, len, dir, sync_cb, &s);

	if (rc)
		return rc;
	while (!s.done) {
		uint64_t now = now_ms();

		if (now >= deadline)
			return -ETIMEDOUT;
		rc = nvmfi_poll(qp, (int)(deadline - now));
		if (rc < 0)
			return rc;
	}
	if (cqe)
		*cqe = s.cqe;
	return 0;
}

/* ---- setup ---- */

static int read_full(int fd, void *buf, size_t n, int timeout_ms)
{
	size_t got = 0;

	while (got < n) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t r;

		if (poll(&p, 1, timeout_ms) <= 0)
			return -ETIMEDOUT;
		r = recv(fd, (char *)buf + got, n - got, MSG_DONTWAIT);
		if (r == 0)
			return -ECONNRESET;
		if (r < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			return -errno;
		}
		got += (size_t)r;
	}
	return 0;
}

int nvmfi_qpair_open(const struct nvmfi_opts *o, uint16_t qsize, struct nvmfi_qpair **out)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICHOST };
	struct addrinfo *ai = NULL;
	struct nvmfi_qpair *qp;
	struct nvme_tcp_icreq ic;
	uint8_t resp[128];
	char port[8];
	int one = 1, rc;

	if (qsize < 2)
		return -EINVAL;
	snprintf(port, sizeof(port), "%u", o->port);
	if (getaddrinfo(o->traddr, port, &hints, &ai))
		return -EINVAL;
	qp = calloc(1, sizeof(*qp));
	if (!qp) {
		freeaddrinfo(ai);
		return -ENOMEM;
	}
	qp->o = *o;
	qp->qsize = qsize;
	qp->icd = 8192;
	qp->iocap = 4u * qsize + 16;
	qp->reqs = calloc(qsize, sizeof(*qp->reqs));
	qp->free_cids = calloc(qsize, sizeof(*qp->free_cids));
	qp->iov = calloc(qp->iocap, sizeof(*qp->iov));
	qp->stage = malloc(STAGE_CAP);
	qp->rx = malloc(RXCAP);
	qp->fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (!qp->reqs || !qp->free_cids || !qp->iov || !qp->stage || !qp->rx || qp->fd < 0) {
		rc = qp->fd < 0 ? -errno : -ENOMEM;
		goto fail;
	}
	if (connect(qp->fd, ai->ai_addr, ai->ai_addrlen) < 0) {
		rc = -errno;
		goto fail;
	}
	freeaddrinfo(ai);
	ai = NULL;
	setsockopt(qp->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	/* cids count down so the first command uses cid 0 */
	for (uint32_t i = 0; i < qsize; i++)
		qp->free_cids[qp->nfree++] = (uint16_t)(qsize - 1 - i);

	memset(&ic, 0, sizeof(ic));
	ic.ch.type = NVME_TCP_ICREQ;
	ic.ch.hlen = sizeof(ic);
	ic.ch.plen = sizeof(ic);
	ic.pfv = NVME_TCP_PFV_1_0;
	ic.hpda = o->hpda;
	ic.dgst = (o->hdgst ? NVME_TCP_DGST_HDR : 0) | (o->ddgst ? NVME_TCP_DGST_DATA : 0);
	ic.maxr2t = 0;
	if (send(qp->fd, &ic, sizeof(ic), MSG_NOSIGNAL) != sizeof(ic)) {
		rc = -errno;
		goto fail;
	}
	rc = read_full(qp->fd, resp, 8, o->timeout_ms);
	if (rc)
		goto fail;
	if (resp[0] == NVME_TCP_C2H_TERM) {
		struct nvme_tcp_term *t = (void *)resp;

		read_full(qp->fd, resp + 8, 16, o->timeout_ms);
		qp->st.term_rx = true;
		qp->st.term_fes = t->fes;
		qp->st.term_fei = t->fei;
		rc = -ECONNREFUSED;
		goto fail;
	}
	rc = read_full(qp->fd, resp + 8, sizeof(resp) - 8, o->timeout_ms);
	if (rc)
		goto fail;
	{
		struct nvme_tcp_icresp *a = (void *)resp;

		if (a->ch.type != NVME_TCP_ICRESP || a->ch.plen != 128 || a->pfv != 0 ||
		    a->maxh2cdata < 4096 || a->cpda > 31) {
			rc = -EPROTO;
			goto fail;
		}
		qp->st.cpda = a->cpda;
		qp->st.maxh2cdata = a->maxh2cdata;
		qp->st.hdgst = a->dgst & NVME_TCP_DGST_HDR;
		qp->st.ddgst = a->dgst & NVME_TCP_DGST_DATA;
	}
	*out = qp;
	return 0;
fail:
	if (ai)
		freeaddrinfo(ai);
	if (qp->fd >= 0)
		close(qp->fd);
	free(qp->reqs);
	free(qp->free_cids);
	free(qp->iov);
	free(qp->stage);
	free(qp->rx);
	free(qp);
	return rc;
}

void nvmfi_qpair_close(struct nvmfi_qpair *qp)
{
	if (!qp)
		return;
	if (qp->fd >= 0)
		close(qp->fd);
	free(qp->reqs);
	free(qp->free_cids);
	free(qp->iov);
	free(qp->stage);
	free(qp->rx);
	free(qp);
}

int nvmfi_connect(struct nvmfi_qpair *qp, uint16_t qid, uint16_t cntlid, uint32_t kato_ms,
		  struct nvme_cqe *cqe)
{
	struct nvmf_connect_cmd cmd;
	struct nvmf_connect_data *d;
	int rc;

	d = calloc(1, sizeof(*d));
	if (!d)
		return -ENOMEM;
	memset(&cmd, 0, sizeof(cmd));
	cmd.opc = NVME_FABRICS_OPC;
	cmd.fctype = NVMF_FCTYPE_CONNECT;
	cmd.qid = qid;
	cmd.sqsize = (uint16_t)(qp->qsize - 1);
	cmd.cattr = qp->o.sqflow_on ? 0 : NVMF_CONNECT_DISABLE_SQFLOW;
	cmd.kato = kato_ms;
	memcpy(d->hostid, qp->o.hostid, 16);
	d->cntlid = cntlid;
	memcpy(d->subnqn, qp->o.subnqn, strnlen(qp->o.subnqn, NVMF_NQN_LEN - 1));
	memcpy(d->hostnqn, qp->o.hostnqn, strnlen(qp->o.hostnqn, NVMF_NQN_LEN - 1));
	qp->qid = qid;
	rc = nvmfi_cmd_sync(qp, (struct nvme_sqe *)&cmd, d, sizeof(*d), NVMFI_H2C, cqe);
	free(d);
	return rc;
}

int nvmfi_prop_get(struct nvmfi_qpair *qp, uint32_t ofst, bool size8, uint64_t *val,
		   struct nvme_cqe *cqe)
{
	struct nvmf_prop_cmd cmd = { .opc = NVME_FABRICS_OPC, .fctype = NVMF_FCTYPE_PROP_GET };
	struct nvme_cqe c;
	int rc;

	cmd.attrib = size8 ? 1 : 0;
	cmd.ofst = ofst;
	rc = nvmfi_cmd_sync(qp, (struct nvme_sqe *)&cmd, NULL, 0, NVMFI_NONE, &c);
	if (rc)
		return rc;
	if (val)
		*val = (uint64_t)c.dw0 | ((uint64_t)c.dw1 << 32);
	if (cqe)
		*cqe = c;
	return 0;
}

int nvmfi_prop_set(struct nvmfi_qpair *qp, uint32_t ofst, uint32_t val, struct nvme_cqe *cqe)
{
	struct nvmf_prop_cmd cmd = { .opc = NVME_FABRICS_OPC, .fctype = NVMF_FCTYPE_PROP_SET };

	cmd.ofst = ofst;
	cmd.value = val;
	return nvmfi_cmd_sync(qp, (struct nvme_sqe *)&cmd, NULL, 0, NVMFI_NONE, cqe);
}

unsigned int nvmfi_outstanding(const struct nvmfi_qpair *qp)
{
	return qp->qsize - qp->nfree;
}

int nvmfi_fd(const struct nvmfi_qpair *qp)
{
	return qp->fd;
}

void nvmfi_set_icd(struct nvmfi_qpair *qp, uint32_t bytes)
{
	qp->icd = bytes;
}

void nvmfi_set_busy_poll(struct nvmfi_qpair *qp, bool on)
{
	qp->busy_poll = on;
}

const struct nvmfi_stats *nvmfi_stats(const struct nvmfi_qpair *qp)
{
	return &qp->st;
}

void nvmfi_test_corrupt_next(struct nvmfi_qpair *qp, int what)
{
	qp->corrupt = what;
}

int nvmfi_error(const struct nvmfi_qpair *qp)
{
	return qp->err;
}

int nvmfi_send_raw(struct nvmfi_qpair *qp, const void *buf, size_t len)
{
	size_t off = 0;
	int rc = flush(qp, true);

	if (rc)
		return rc;
	while (off < len) {
		ssize_t n = send(qp->fd, (const char *)buf + off, len - off, MSG_NOSIGNAL);

		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return -errno;
		}
		off += (size_t)n;
	}
	return 0;
}

int nvmfi_wait_closed(struct nvmfi_qpair *qp, int timeout_ms)
{
	uint64_t deadline = now_ms() + (uint64_t)timeout_ms;

	while (!qp->err) {
		uint64_t now = now_ms();

		if (now >= deadline)
			return -ETIMEDOUT;
		nvmfi_poll(qp, (int)(deadline - now));
	}
	return 0;
}

/* ---- controller ---- */

int nvmfi_identify(struct nvmfi_qpair *admin, uint8_t cns, uint32_t nsid, void *buf4k,
		   struct nvme_cqe *cqe)
{
	struct nvme_sqe cmd = { .opc = NVME_ADM_IDENTIFY, .nsid = nsid, .cdw10 = cns };

	return nvmfi_cmd_sync(admin, &cmd, buf4k, 4096, NVMFI_C2H, cqe);
}

int nvmfi_get_log(struct nvmfi_qpair *admin, uint8_t lid, uint32_t nsid, uint64_t off, void *buf,
		  uint32_t len, bool rae, struct nvme_cqe *cqe)
{
	uint32_t numd = len / 4 - 1;
	struct nvme_sqe cmd = {
		.opc = NVME_ADM_GET_LOG_PAGE,
		.nsid = nsid,
		.cdw10 = lid | (rae ? 1u << 15 : 0) | (numd & 0xffff) << 16,
		.cdw11 = numd >> 16,
		.cdw12 = (uint32_t)off,
		.cdw13 = (uint32_t)(off >> 32),
	};

	return nvmfi_cmd_sync(admin, &cmd, buf, len, NVMFI_C2H, cqe);
}

int nvmfi_ctrlr_connect(const struct nvmfi_opts *o, struct nvmfi_ctrlr **out)
{
	struct nvmfi_ctrlr *c = calloc(1, sizeof(*c));
	struct nvme_cqe cqe;
	uint64_t csts = 0, t0;
	int rc;

	if (!c)
		return -ENOMEM;
	c->opts = *o;
	c->discovery = strcmp(o->subnqn, NVMF_DISCOVERY_NQN) == 0;
	rc = nvmfi_qpair_open(o, o->admin_qsize ? o->admin_qsize : 32, &c->admin);
	if (rc)
		goto fail;
	rc = nvmfi_connect(c->admin, 0, 0xffff, o->kato_ms, &cqe);
	if (rc)
		goto fail;
	if (cqe.status >> 1) {
		fprintf(stderr, "nvmfi: Connect to %s failed: %s (dw0 0x%x)\n", o->subnqn,
			nvmfi_status_str(nvme_status_code(cqe.status)), cqe.dw0);
		rc = -ECONNREFUSED;
		goto fail;
	}
	c->cntlid = (uint16_t)cqe.dw0;
	rc = nvmfi_prop_get(c->admin, NVME_REG_CAP, true, &c->cap, &cqe);
	if (rc || (cqe.status >> 1))
		goto fail_status;
	rc = nvmfi_prop_set(c->admin, NVME_REG_CC,
			    NVME_CC_EN | 6u << NVME_CC_IOSQES_SHIFT | 4u << NVME_CC_IOCQES_SHIFT, &cqe);
	if (rc || (cqe.status >> 1))
		goto fail_status;
	t0 = now_ms();
	while (!(csts & NVME_CSTS_RDY)) {
		rc = nvmfi_prop_get(c->admin, NVME_REG_CSTS, false, &csts, &cqe);
		if (rc || (cqe.status >> 1))
			goto fail_status;
		if (now_ms() - t0 > (uint64_t)o->timeout_ms) {
			rc = -ETIMEDOUT;
			goto fail;
		}
	}
	rc = nvmfi_identify(c->admin, NVME_ID_CNS_CTRLR, 0, &c->id, &cqe);
	if (rc || (cqe.status >> 1))
		goto fail_status;
	c->last_ka_ms = now_ms();
	*out = c;
	return 0;
fail_status:
	if (!rc)
		rc = -EIO;
fail:
	nvmfi_qpair_close(c->admin);
	free(c);
	return rc;
}

int nvmfi_ctrlr_io_qpair(struct nvmfi_ctrlr *c, uint16_t qid, uint16_t qsize,
			 struct nvmfi_qpair **out)
{
	struct nvmfi_qpair *qp;
	struct nvme_cqe cqe;
	int rc;

	rc = nvmfi_qpair_open(&c->opts, qsize ? qsize : c->opts.io_qsize, &qp);
	if (rc)
		return rc;
	nvmfi_set_icd(qp, c->id.ioccsz >= 4 ? c->id.ioccsz * 16 - 64 : 0);
	rc = nvmfi_connect(qp, qid, c->cntlid, 0, &cqe);
	if (!rc && (cqe.status >> 1)) {
		fprintf(stderr, "nvmfi: I/O queue %u Connect failed: %s\n", qid,
			nvmfi_status_str(nvme_status_code(cqe.status)));
		rc = -ECONNREFUSED;
	}
	if (rc) {
		nvmfi_qpair_close(qp);
		return rc;
	}
	*out = qp;
	return 0;
}

int nvmfi_ctrlr_keep_alive(struct nvmfi_ctrlr *c)
{
	struct nvme_sqe cmd = { .opc = NVME_ADM_KEEP_ALIVE };
	struct nvme_cqe cqe;
	uint64_t now = now_ms();
	int rc;

	if (!c->opts.kato_ms || now - c->last_ka_ms < c->opts.kato_ms / 2)
		return 0;
	c->last_ka_ms = now;
	rc = nvmfi_cmd_sync(c->admin, &cmd, NULL, 0, NVMFI_NONE, &cqe);
	if (rc)
		return rc;
	return (cqe.status >> 1) ? -EIO : 0;
}

void nvmfi_ctrlr_close(struct nvmfi_ctrlr *c)
{
	struct nvme_cqe cqe;

	if (!c)
		return;
	if (!nvmfi_error(c->admin))
		nvmfi_prop_set(c->admin, NVME_REG_CC,
			       NVME_CC_EN | 1u << NVME_CC_SHN_SHIFT | 6u << NVME_CC_IOSQES_SHIFT |
			       4u << NVME_CC_IOCQES_SHIFT, &cqe);
	nvmfi_qpair_close(c->admin);
	free(c);
}

const char *nvmfi_status_str(uint16_t st)
{
	switch (st) {
	case NVME_SC_SUCCESS: return "success";
	case NVME_SC_INVALID_OPCODE: return "invalid opcode";
	case NVME_SC_INVALID_FIELD: return "invalid field";
	case NVME_SC_DATA_XFER_ERROR: return "data transfer error";
	case NVME_SC_INTERNAL: return "internal error";
	case NVME_SC_INVALID_NS: return "invalid namespace";
	case NVME_SC_CMD_SEQ_ERROR: return "command sequence error";
	case NVME_SC_SGL_LENGTH_INVALID: return "data SGL length invalid";
	case NVME_SC_SGL_TYPE_INVALID: return "SGL descriptor type invalid";
	case NVME_SC_SGL_OFFSET_INVALID: return "SGL offset invalid";
	case NVME_SC_TRANSIENT_TRANSPORT: return "transient transport error";
	case NVME_SC_LBA_RANGE: return "LBA out of range";
	case NVME_SC_INVALID_LOG_PAGE: return "invalid log page";
	case NVME_SC_AER_LIMIT: return "async event request limit exceeded";
	case NVME_SC_FEATURE_NOT_SAVEABLE: return "feature not saveable";
	case NVME_SC_CONNECT_FORMAT: return "connect: incompatible format";
	case NVME_SC_CONNECT_CTRL_BUSY: return "connect: controller busy";
	case NVME_SC_CONNECT_INVALID_PARAM: return "connect: invalid parameters";
	case NVME_SC_CONNECT_INVALID_HOST: return "connect: invalid host";
	default: return "other status";
	}
}
