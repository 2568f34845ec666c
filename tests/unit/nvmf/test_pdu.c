/* SPDX-License-Identifier: BSD-3-Clause */
/* PDU header validation and CRC32C, without sockets. */
#include <string.h>

#include "nvmf_internal.h"
#include "test_util.h"

static struct nvmf_pdu_limits lim(bool ic, bool hd, bool dd)
{
	struct nvmf_pdu_limits l = { .hdgst = hd, .ddgst = dd, .ic_done = ic, .max_icd = 8192,
				     .maxh2cdata = 65536, .cpda = 0 };
	return l;
}

static int check(uint8_t type, uint8_t flags, uint8_t hlen, uint8_t pdo, uint32_t plen,
		 struct nvmf_pdu_limits l, struct nvmf_pdu_err *e, struct nvmf_pdu_layout *lay)
{
	struct nvme_tcp_ch ch = { .type = type, .flags = flags, .hlen = hlen, .pdo = pdo, .plen = plen };
	uint32_t tot;
	int rc = nvmf_pdu_check_ch(&ch, &l, &tot, e);

	if (rc)
		return rc;
	return nvmf_pdu_layout(&ch, &l, lay, e);
}

int main(void)
{
	struct nvmf_pdu_err e;
	struct nvmf_pdu_layout lay;
	const char *v = "123456789";

	/* RFC 3720 / iSCSI test vector */
	CHECK_EQ(nvmf_crc32c(v, 9), 0xe3069283u);
	CHECK_EQ(nvmf_crc32c("", 0), 0);

	/* ICReq: only first, fixed size, no flags */
	CHECK_EQ(check(NVME_TCP_ICREQ, 0, 128, 0, 128, lim(false, 0, 0), &e, &lay), 0);
	CHECK(check(NVME_TCP_ICREQ, 0, 128, 0, 128, lim(true, 0, 0), &e, &lay) < 0);
	CHECK_EQ(e.fes, NVME_TCP_FES_PDU_SEQUENCE);
	CHECK(check(NVME_TCP_ICREQ, 0, 128, 0, 129, lim(false, 0, 0), &e, &lay) < 0);
	CHECK_EQ(e.fei, 4);
	CHECK(check(NVME_TCP_ICREQ, 1, 128, 0, 128, lim(false, 0, 0), &e, &lay) < 0);
	CHECK_EQ(e.fei, 1);
	/* anything before ICReq */
	CHECK(check(NVME_TCP_CMD, 0, 72, 0, 72, lim(false, 0, 0), &e, &lay) < 0);
	CHECK_EQ(e.fes, NVME_TCP_FES_PDU_SEQUENCE);
	/* controller-to-host and unknown types */
	CHECK(check(NVME_TCP_RSP, 0, 24, 0, 24, lim(true, 0, 0), &e, &lay) < 0);
	CHECK_EQ(e.fes, NVME_TCP_FES_INVALID_HEADER);
	CHECK_EQ(e.fei, 0);
	CHECK(check(0x42, 0, 24, 0, 24, lim(true, 0, 0), &e, &lay) < 0);
	/* hlen mismatch */
	CHECK(check(NVME_TCP_CMD, 0, 71, 0, 72, lim(true, 0, 0), &e, &lay) < 0);
	CHECK_EQ(e.fei, 2);
	/* command without data, with data, with digests */
	CHECK_EQ(check(NVME_TCP_CMD, 0, 72, 0, 72, lim(true, 0, 0), &e, &lay), 0);
	CHECK_EQ(lay.data_len, 0);
	CHECK_EQ(check(NVME_TCP_CMD, 0, 72, 72, 72 + 4096, lim(true, 0, 0), &e, &lay), 0);
	CHECK_EQ(lay.data_len, 4096);
	CHECK_EQ(check(NVME_TCP_CMD, 3, 72, 76, 76 + 4096 + 4, lim(true, 1, 1), &e, &lay), 0);
	CHECK_EQ(lay.data_len, 4096);
	CHECK(lay.has_ddgst);
	/* digest flags must match negotiation */
	CHECK(check(NVME_TCP_CMD, 0, 72, 0, 72, lim(true, 1, 0), &e, &lay) < 0);
	CHECK_EQ(e.fei, 1);
	CHECK(check(NVME_TCP_CMD, 1, 72, 76, 76 + 16, lim(true, 1, 1), &e, &lay) < 0);
	/* pdo inside the header, misaligned, past plen */
	CHECK(check(NVME_TCP_CMD, 0, 72, 40, 72 + 16, lim(true, 0, 0), &e, &lay) < 0);
	CHECK_EQ(e.fei, 3);
	CHECK(check(NVME_TCP_CMD, 0, 72, 74, 74 + 16, lim(true, 0, 0), &e, &lay) < 0);
	CHECK_EQ(e.fei, 3);
	CHECK(check(NVME_TCP_CMD, 0, 72, 200, 100, lim(true, 0, 0), &e, &lay) < 0);
	/* plen shorter than the header */
	CHECK(check(NVME_TCP_CMD, 0, 72, 0, 60, lim(true, 0, 0), &e, &lay) < 0);
	/* in-capsule data beyond IOCCSZ; H2CData beyond MAXH2CDATA */
	CHECK(check(NVME_TCP_CMD, 0, 72, 72, 72 + 8196, lim(true, 0, 0), &e, &lay) < 0);
	CHECK_EQ(e.fes, NVME_TCP_FES_DATA_LIMIT);
	CHECK_EQ(check(NVME_TCP_H2C_DATA, 4, 24, 24, 24 + 65536, lim(true, 0, 0), &e, &lay), 0);
	CHECK(check(NVME_TCP_H2C_DATA, 4, 24, 24, 24 + 65540, lim(true, 0, 0), &e, &lay) < 0);
	CHECK(check(NVME_TCP_H2C_DATA, 4, 24, 24, 24, lim(true, 0, 0), &e, &lay) < 0);
	/* TermReq bounds */
	CHECK_EQ(check(NVME_TCP_H2C_TERM, 0, 24, 0, 24 + 72, lim(true, 0, 0), &e, &lay), 0);
	CHECK(check(NVME_TCP_H2C_TERM, 0, 24, 0, 153, lim(true, 0, 0), &e, &lay) < 0);
	/* huge plen must not overflow */
	CHECK(check(NVME_TCP_CMD, 0, 72, 72, 0xffffffffu, lim(true, 0, 0), &e, &lay) < 0);
	return T_SUMMARY();
}
