/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * NVMe/TCP PDU header validation. Pure functions of (header, connection
 * limits) so the fuzzer and unit tests drive them directly; the connection
 * state machine turns a failure into a C2HTermReq carrying fes/fei.
 */
#include <errno.h>

#include "nvmf_internal.h"

static int fail(struct nvmf_pdu_err *err, uint16_t fes, uint32_t fei, const char *why)
{
	err->fes = fes;
	err->fei = fei;
	err->why = why;
	return -EPROTO;
}

int nvmf_pdu_check_ch(const struct nvme_tcp_ch *ch, const struct nvmf_pdu_limits *lim,
		      uint32_t *hdr_total, struct nvmf_pdu_err *err)
{
	uint8_t hlen = nvme_tcp_pdu_hlen(ch->type);
	bool hd = ch->flags & NVME_TCP_F_HDGST;

	switch (ch->type) {
	case NVME_TCP_ICREQ:
		if (lim->ic_done)
			return fail(err, NVME_TCP_FES_PDU_SEQUENCE, 0, "second ICReq");
		break;
	case NVME_TCP_CMD:
	case NVME_TCP_H2C_DATA:
	case NVME_TCP_H2C_TERM:
		if (!lim->ic_done)
			return fail(err, NVME_TCP_FES_PDU_SEQUENCE, 0, "PDU before ICReq");
		break;
	default:
		/* controller-to-host or unknown types never come from a host */
		return fail(err, NVME_TCP_FES_INVALID_HEADER, 0, "invalid PDU type");
	}
	if (ch->hlen != hlen)
		return fail(err, NVME_TCP_FES_INVALID_HEADER, 2, "hlen does not match PDU type");

	switch (ch->type) {
	case NVME_TCP_ICREQ:
		if (ch->flags)
			return fail(err, NVME_TCP_FES_INVALID_HEADER, 1, "ICReq flags set");
		if (ch->plen != sizeof(struct nvme_tcp_icreq))
			return fail(err, NVME_TCP_FES_INVALID_HEADER, 4, "ICReq plen != 128");
		if (ch->pdo)
			return fail(err, NVME_TCP_FES_INVALID_HEADER, 3, "ICReq pdo set");
		break;
	case NVME_TCP_H2C_TERM:
		if (ch->flags & (NVME_TCP_F_HDGST | NVME_TCP_F_DDGST))
			return fail(err, NVME_TCP_FES_INVALID_HEADER, 1, "TermReq with digest flags");
		if (ch->plen < hlen || ch->plen > NVME_TCP_TERM_PLEN_MAX)
			return fail(err, NVME_TCP_FES_INVALID_HEADER, 4, "H2CTermReq plen out of range");
		break;
	case NVME_TCP_CMD:
	case NVME_TCP_H2C_DATA:
		if (hd != lim->hdgst)
			return fail(err, NVME_TCP_FES_INVALID_HEADER, 1,
				    "HDGSTF does not match the negotiated header digest");
		if (ch->plen < (uint32_t)hlen + (hd ? NVME_TCP_DIGEST_LEN : 0))
			return fail(err, NVME_TCP_FES_INVALID_HEADER, 4, "plen shorter than header");
		if (ch->type == NVME_TCP_H2C_DATA &&
		    ch->plen == (uint32_t)hlen + (hd ? NVME_TCP_DIGEST_LEN : 0))
			return fail(err, NVME_TCP_FES_INVALID_HEADER, 4, "H2CData without data");
		break;
	}
	*hdr_total = hlen + (hd ? NVME_TCP_DIGEST_LEN : 0);
	return 0;
}

int nvmf_pdu_layout(const struct nvme_tcp_ch *ch, const struct nvmf_pdu_limits *lim,
		    struct nvmf_pdu_layout *lay, struct nvmf_pdu_err *err)
{
	uint32_t hdr_total = ch->hlen + ((ch->flags & NVME_TCP_F_HDGST) ? NVME_TCP_DIGEST_LEN : 0);
	bool dd = ch->flags & NVME_TCP_F_DDGST;
	uint32_t align = ((uint32_t)lim->cpda + 1) * 4;

	lay->pad = 0;
	lay->data_len = 0;
	lay->has_ddgst = false;

	if (ch->type == NVME_TCP_ICREQ)
		return 0;
	if (ch->type == NVME_TCP_H2C_TERM) {
		lay->data_len = ch->plen - ch->hlen;
		return 0;
	}
	if (ch->plen == hdr_total) {
		if (dd)
			return fail(err, NVME_TCP_FES_INVALID_HEADER, 1, "DDGSTF set on a PDU without data");
		return 0;
	}
	if (dd != lim->ddgst)
		return fail(err, NVME_TCP_FES_INVALID_HEADER, 1,
			    "DDGSTF does not match the negotiated data digest");
	if (ch->pdo < hdr_total)
		return fail(err, NVME_TCP_FES_INVALID_HEADER, 3, "pdo inside the header");
	if (ch->pdo % align)
		return fail(err, NVME_TCP_FES_INVALID_HEADER, 3, "pdo violates CPDA alignment");
	if ((uint64_t)ch->pdo + (dd ? NVME_TCP_DIGEST_LEN : 0) >= ch->plen)
		return fail(err, NVME_TCP_FES_INVALID_HEADER, 4, "plen leaves no data after pdo");
	lay->pad = ch->pdo - hdr_total;
	lay->data_len = ch->plen - ch->pdo - (dd ? NVME_TCP_DIGEST_LEN : 0);
	lay->has_ddgst = dd;
	if (ch->type == NVME_TCP_CMD && lay->data_len > lim->max_icd)
		return fail(err, NVME_TCP_FES_DATA_LIMIT, 4, "in-capsule data exceeds IOCCSZ");
	if (ch->type == NVME_TCP_H2C_DATA && lay->data_len > lim->maxh2cdata)
		return fail(err, NVME_TCP_FES_DATA_LIMIT, 4, "H2CData exceeds MAXH2CDATA");
	return 0;
}
