/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target for the NVMe/TCP PDU parser and connection state
 * machine. Each input is sent over a real loopback connection to an
 * in-process target (so every byte goes through the same receive path as
 * production), after an optional valid preamble selected by the first
 * byte (bit 0: ICReq with digests from bits 2-3, bit 1: admin Connect,
 * bit 4: SQ flow control off, bit 5: fix up header/data digests of the
 * PDUs in the input) so the fuzzer reaches post-Connect states and the
 * digest-on paths quickly. The pure header checks
 * are also run on the raw input. Malformed input must only ever close the
 * fuzzer's own connection: the target is reused across all inputs.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "nvmf_internal.h"
#include "nvmf_tgt.h"

#define NQN "nqn.2026-01.io.opendpu:fuzz"

static struct nvmf_tgt *tgt;
static uint16_t port;

static void quiet(void *ctx, enum nvmf_log_level l, const char *m)
{
	(void)ctx;
	(void)l;
	(void)m;
}

static void setup(void)
{
	struct nvmf_tgt_opts o;
	struct nvmf_subsys_params sp = { 0 };
	struct nvmf_ns_params np = { 0 };
	struct nvmf_listener_params lp = { 0 };

	nvmf_tgt_opts_default(&o);
	o.n_reactors = 1;
	o.log = quiet;
	o.maxh2cdata = 4096;
	if (nvmf_tgt_create(&o, &tgt))
		abort();
	snprintf(sp.nqn, sizeof(sp.nqn), NQN);
	sp.flags = NVMF_SUBSYS_ALLOW_ANY_HOST;
	snprintf(np.nqn, sizeof(np.nqn), NQN);
	np.nsid = 1;
	np.backend = NVMF_BDEV_RAM;
	np.size_bytes = 1 << 20;
	np.block_shift = 9;
	snprintf(lp.nqn, sizeof(lp.nqn), NQN);
	snprintf(lp.traddr, sizeof(lp.traddr), "127.0.0.1");
	lp.adrfam = NVMF_ADRFAM_IPV4;
	if (nvmf_subsystem_add(tgt, &sp) || nvmf_ns_add(tgt, &np) || nvmf_listener_add(tgt, &lp))
		abort();
	port = lp.port;
}

static void drain(int fd, int ms)
{
	char buf[65536];

	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };

		if (poll(&p, 1, ms) <= 0)
			return;
		if (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) <= 0)
			return;
	}
}

static void send_all(int fd, const void *b, size_t n)
{
	while (n) {
		ssize_t w = send(fd, b, n, MSG_NOSIGNAL);

		if (w <= 0)
			return;
		b = (const char *)b + w;
		n -= (size_t)w;
	}
}

/* Read exactly one PDU's worth of bytes announced by its header. */
static void read_pdu(int fd)
{
	uint8_t ch[8];
	size_t got = 0;

	while (got < 8) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t r;

		if (poll(&p, 1, 2000) <= 0)
			return;
		r = recv(fd, ch + got, 8 - got, 0);
		if (r <= 0)
			return;
		got += (size_t)r;
	}
	{
		uint32_t plen;
		char buf[4096];

		memcpy(&plen, ch + 4, 4);
		plen = plen > 8 ? plen - 8 : 0;
		while (plen) {
			struct pollfd p = { .fd = fd, .events = POLLIN };
			ssize_t r;

			if (poll(&p, 1, 2000) <= 0)
				return;
			r = recv(fd, buf, plen < sizeof(buf) ? plen : sizeof(buf), 0);
			if (r <= 0)
				return;
			plen -= (uint32_t)r;
		}
	}
}

static void preamble(int fd, uint8_t mode)
{
	struct nvme_tcp_icreq ic = { .ch = { .type = NVME_TCP_ICREQ, .hlen = 128, .plen = 128 } };
	bool hd = mode & 4, dd = mode & 8;

	ic.dgst = (hd ? 1 : 0) | (dd ? 2 : 0);
	send_all(fd, &ic, sizeof(ic));
	read_pdu(fd);
	if (!(mode & 2))
		return;
	{
		uint8_t pdu[72 + 4 + 1024 + 4] = { 0 };
		struct nvme_tcp_cmd *c = (void *)pdu;
		struct nvmf_connect_cmd *cc = (void *)&c->sqe;
		struct nvmf_connect_data *d;
		uint32_t hl = 72 + (hd ? 4 : 0), plen = hl + 1024 + (dd ? 4 : 0), crc;

		c->ch.type = NVME_TCP_CMD;
		c->ch.flags = (hd ? NVME_TCP_F_HDGST : 0) | (dd ? NVME_TCP_F_DDGST : 0);
		c->ch.hlen = 72;
		c->ch.pdo = (uint8_t)hl;
		c->ch.plen = plen;
		cc->opc = NVME_FABRICS_OPC;
		cc->flags = 0x40;
		cc->fctype = NVMF_FCTYPE_CONNECT;
		cc->sqsize = 31;
		cc->cattr = (mode & 16) ? NVMF_CONNECT_DISABLE_SQFLOW : 0;
		cc->dptr.id = NVME_SGL_ID_DATA_OFFSET;
		cc->dptr.length = 1024;
		d = (void *)(pdu + hl);
		d->cntlid = 0xffff;
		snprintf(d->subnqn, sizeof(d->subnqn), NQN);
		snprintf(d->hostnqn, sizeof(d->hostnqn), "nqn.2026-01.io.opendpu:fuzzer");
		if (hd) {
			crc = nvmf_crc32c(pdu, 72);
			memcpy(pdu + 72, &crc, 4);
		}
		if (dd) {
			crc = nvmf_crc32c(pdu + hl, 1024);
			memcpy(pdu + hl + 1024, &crc, 4);
		}
		send_all(fd, pdu, plen);
		read_pdu(fd);
	}
}

/* Recompute the digests of a well-framed PDU sequence in place. */
static void fix_digests(uint8_t *p, size_t n)
{
	size_t off = 0;

	while (off + 8 <= n) {
		struct nvme_tcp_ch ch;
		uint32_t crc;

		memcpy(&ch, p + off, 8);
		if (ch.plen < 8 || ch.plen > n - off)
			return;
		if ((ch.flags & NVME_TCP_F_HDGST) && (size_t)ch.hlen + 4 <= ch.plen) {
			crc = nvmf_crc32c(p + off, ch.hlen);
			memcpy(p + off + ch.hlen, &crc, 4);
		}
		if ((ch.flags & NVME_TCP_F_DDGST) && ch.pdo && (size_t)ch.pdo + 4 < ch.plen) {
			crc = nvmf_crc32c(p + off + ch.pdo, ch.plen - ch.pdo - 4);
			memcpy(p + off + ch.plen - 4, &crc, 4);
		}
		off += ch.plen;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	int fd;

	if (!tgt)
		setup();
	if (size >= 8) {
		struct nvmf_pdu_limits lim = { .hdgst = data[0] & 1, .ddgst = data[0] & 2,
					       .ic_done = data[0] & 4, .max_icd = 8192,
					       .maxh2cdata = 4096, .cpda = data[1] & 3 };
		struct nvme_tcp_ch ch;
		struct nvmf_pdu_err e;
		struct nvmf_pdu_layout lay;
		uint32_t tot;

		memcpy(&ch, data, 8);
		if (nvmf_pdu_check_ch(&ch, &lim, &tot, &e) == 0)
			(void)nvmf_pdu_layout(&ch, &lim, &lay, &e);
	}
	if (size < 1)
		return 0;
	a.sin_port = htons(port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a))) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	if (data[0] & 1)
		preamble(fd, data[0]);
	if (data[0] & 0x20) {
		uint8_t *copy = malloc(size);

		if (copy) {
			memcpy(copy, data, size);
			fix_digests(copy + 1, size - 1);
			send_all(fd, copy + 1, size - 1);
			free(copy);
		}
	} else {
		send_all(fd, data + 1, size - 1);
	}
	shutdown(fd, SHUT_WR);
	drain(fd, 2000); /* until the target closes its side */
	close(fd);
	return 0;
}
