/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * NVMe/TCP conformance from the initiator side: an in-process target on an
 * ephemeral 127.0.0.1 port, driven through the userspace initiator (and
 * raw PDUs where the test needs to misbehave). No timing assertions: waits
 * are bounded only to turn a hang into a failure.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <string.h>
#include <unistd.h>

#include "nvmf_initiator.h"
#include "nvmf_internal.h"
#include "nvmf_tgt.h"
#include "test_util.h"

#define SUBNQN "nqn.2026-01.io.opendpu:test"
#define LOCKED "nqn.2026-01.io.opendpu:locked"
#define HOSTOK "nqn.2026-01.io.opendpu:host-ok"

static struct nvmf_tgt *tgt;
static uint16_t port;
static char file_path[64];

static uint16_t st(const struct nvme_cqe *c)
{
	return nvme_status_code(c->status);
}

static void opts(struct nvmfi_opts *o, const char *nqn)
{
	nvmfi_opts_default(o);
	o->port = port;
	snprintf(o->subnqn, sizeof(o->subnqn), "%s", nqn);
}

static void setup(void)
{
	struct nvmf_tgt_opts to;
	struct nvmf_subsys_params sp = { 0 };
	struct nvmf_ns_params np = { 0 };
	struct nvmf_listener_params lp = { 0 };
	struct nvmf_host_params hp = { 0 };

	nvmf_tgt_opts_default(&to);
	to.maxh2cdata = 8192; /* forces H2CData splitting for large writes */
	to.max_queue_depth = 64;
	to.max_io_queues = 32;
	to.log_level = NVMF_LOG_ERR;
	CHECK_EQ(nvmf_tgt_create(&to, &tgt), 0);

	snprintf(sp.nqn, sizeof(sp.nqn), SUBNQN);
	sp.flags = NVMF_SUBSYS_ALLOW_ANY_HOST;
	CHECK_EQ(nvmf_subsystem_add(tgt, &sp), 0);
	CHECK_EQ(nvmf_subsystem_add(tgt, &sp), -EEXIST);
	snprintf(np.nqn, sizeof(np.nqn), SUBNQN);
	np.nsid = 1;
	np.backend = NVMF_BDEV_RAM;
	np.size_bytes = 64 << 20;
	np.block_shift = 12;
	for (int i = 0; i < 16; i++)
		np.uuid[i] = (uint8_t)(0x10 + i);
	CHECK_EQ(nvmf_ns_add(tgt, &np), 0);
	memset(np.uuid, 0, 16);
	np.nsid = 2;
	np.backend = NVMF_BDEV_NULL;
	np.block_shift = 9;
	np.size_bytes = 1 << 30;
	CHECK_EQ(nvmf_ns_add(tgt, &np), 0);
	snprintf(file_path, sizeof(file_path), "/tmp/nvmf-conf-%d.img", getpid());
	np.nsid = 3;
	np.backend = NVMF_BDEV_FILE;
	np.block_shift = 12;
	np.size_bytes = 32 << 20;
	snprintf(np.path, sizeof(np.path), "%s", file_path);
	CHECK_EQ(nvmf_ns_add(tgt, &np), 0);
	snprintf(lp.nqn, sizeof(lp.nqn), SUBNQN);
	snprintf(lp.traddr, sizeof(lp.traddr), "127.0.0.1");
	lp.adrfam = NVMF_ADRFAM_IPV4;
	CHECK_EQ(nvmf_listener_add(tgt, &lp), 0);
	CHECK(lp.port != 0);
	port = lp.port;

	memset(&sp, 0, sizeof(sp));
	snprintf(sp.nqn, sizeof(sp.nqn), LOCKED);
	CHECK_EQ(nvmf_subsystem_add(tgt, &sp), 0);
	snprintf(hp.nqn, sizeof(hp.nqn), LOCKED);
	snprintf(hp.host_nqn, sizeof(hp.host_nqn), HOSTOK);
	CHECK_EQ(nvmf_host_add(tgt, &hp), 0);
	snprintf(lp.nqn, sizeof(lp.nqn), LOCKED);
	CHECK_EQ(nvmf_listener_add(tgt, &lp), 0);
	CHECK_EQ(lp.port, port);
}

static void test_config_api(void)
{
	struct nvmf_subsys_params s[4];
	struct nvmf_ns_params n[4];
	struct nvmf_listener_params l[2];
	struct nvmf_host_params h[2];
	uint32_t total = 0;

	CHECK_EQ(nvmf_subsystem_list(tgt, s, 0, 4, &total), 2);
	CHECK_EQ(total, 2);
	CHECK_EQ(s[0].n_namespaces, 3);
	CHECK_EQ(s[0].n_listeners, 1);
	CHECK_EQ(nvmf_ns_list(tgt, SUBNQN, n, 1, 4, &total), 2);
	CHECK_EQ(total, 3);
	CHECK_EQ(n[0].nsid, 2);
	CHECK_EQ(nvmf_listener_list(tgt, SUBNQN, l, 0, 2, &total), 1);
	CHECK_EQ(l[0].port, port);
	CHECK_EQ(nvmf_host_list(tgt, LOCKED, h, 0, 2, &total), 1);
	CHECK(!strcmp(h[0].host_nqn, HOSTOK));
	CHECK_EQ(nvmf_ns_del(tgt, SUBNQN, 9), -ENOENT);
	CHECK_EQ(nvmf_subsystem_del(tgt, "nqn.2026-01.nope"), -ENOENT);
	memset(&s[0], 0, sizeof(s[0]));
	snprintf(s[0].nqn, sizeof(s[0].nqn), "not-an-nqn");
	CHECK_EQ(nvmf_subsystem_add(tgt, &s[0]), -EINVAL);
	memset(&n[0], 0, sizeof(n[0]));
	snprintf(n[0].nqn, sizeof(n[0].nqn), SUBNQN);
	n[0].backend = NVMF_BDEV_RAM;
	n[0].size_bytes = 1000; /* not a multiple of the block size */
	CHECK_EQ(nvmf_ns_add(tgt, &n[0]), -EINVAL);
}

struct aer_ctx {
	bool done;
	struct nvme_cqe cqe;
};

static void aer_cb(void *arg, const struct nvme_cqe *cqe)
{
	struct aer_ctx *a = arg;

	a->done = true;
	a->cqe = *cqe;
}

static void test_discovery(void)
{
	struct nvmfi_opts o;
	struct nvmfi_ctrlr *c;
	struct nvmf_disc_log_hdr hdr;
	static uint8_t entries[4096], id[4096];
	struct nvme_cqe cqe;

	opts(&o, NVMF_DISCOVERY_NQN);
	CHECK_EQ(nvmfi_ctrlr_connect(&o, &c), 0);
	if (!c)
		return;
	CHECK_EQ(c->id.cntrltype, NVME_CTRLR_TYPE_DISCOVERY);
	CHECK_EQ(nvmfi_get_log(c->admin, NVME_LOG_DISCOVERY, 0, 0, &hdr, 1024, false, &cqe), 0);
	CHECK_EQ(st(&cqe), 0);
	CHECK_EQ(hdr.numrec, 1); /* LOCKED is hidden from this host */
	CHECK_EQ(nvmfi_get_log(c->admin, NVME_LOG_DISCOVERY, 0, 1024, entries, 1024, false, &cqe), 0);
	{
		struct nvmf_disc_log_entry *e = (void *)entries;
		char p[8];

		snprintf(p, sizeof(p), "%u", port);
		CHECK(!strcmp(e->subnqn, SUBNQN));
		CHECK(!strcmp(e->trsvcid, p));
		CHECK(!strcmp(e->traddr, "127.0.0.1"));
		CHECK_EQ(e->trtype, NVMF_TRTYPE_TCP);
		CHECK_EQ(e->subtype, NVMF_SUBTYPE_NVME);
	}
	/* partial read from an odd dword offset of the header */
	CHECK_EQ(nvmfi_get_log(c->admin, NVME_LOG_DISCOVERY, 0, 8, entries, 8, false, &cqe), 0);
	CHECK_EQ(*(uint64_t *)entries, 1);
	CHECK_EQ(nvmfi_get_log(c->admin, NVME_LOG_SMART, 0, 0, entries, 512, false, &cqe), 0);
	CHECK_EQ(st(&cqe), NVME_SC_INVALID_LOG_PAGE);
	CHECK_EQ(nvmfi_identify(c->admin, NVME_ID_CNS_NS, 1, id, &cqe), 0);
	CHECK_EQ(st(&cqe), NVME_SC_INVALID_FIELD);

	/* more records: windows that straddle entries match the full page */
	{
		struct nvmf_subsys_params sp = { 0 };
		struct nvmf_listener_params lp = { 0 };
		static uint8_t full[4096], part[2048];
		uint64_t gen0 = hdr.genctr;
		struct nvme_sqe aer = { .opc = NVME_ADM_ASYNC_EVENT };
		struct nvme_sqe sf = { .opc = NVME_ADM_SET_FEATURES, .cdw10 = NVME_FEAT_ASYNC_EVENT,
				       .cdw11 = NVME_AEN_CFG_DISC_CHANGE };
		struct aer_ctx ac = { 0 };

		/* discovery log change notice */
		CHECK_EQ(nvmfi_cmd_sync(c->admin, &sf, NULL, 0, NVMFI_NONE, &cqe), 0);
		CHECK_EQ(st(&cqe), 0);
		CHECK_EQ(nvmfi_submit(c->admin, &aer, NULL, 0, NVMFI_NONE, aer_cb, &ac), 0);
		nvmfi_poll(c->admin, 0);
		snprintf(sp.nqn, sizeof(sp.nqn), "nqn.2026-01.io.opendpu:disc2");
		sp.flags = NVMF_SUBSYS_ALLOW_ANY_HOST;
		CHECK_EQ(nvmf_subsystem_add(tgt, &sp), 0);
		for (int i = 0; i < 100 && !ac.done; i++)
			nvmfi_poll(c->admin, 100);
		CHECK(ac.done);
		CHECK_EQ(ac.cqe.dw0, nvme_aer_dw0(NVME_AER_TYPE_NOTICE, NVME_AER_NOTICE_DISC_CHANGED,
						  NVME_LOG_DISCOVERY));
		snprintf(lp.nqn, sizeof(lp.nqn), "%s", sp.nqn);
		snprintf(lp.traddr, sizeof(lp.traddr), "127.0.0.1");
		lp.adrfam = NVMF_ADRFAM_IPV4;
		lp.port = port;
		CHECK_EQ(nvmf_listener_add(tgt, &lp), 0);
		lp.port = 0;
		CHECK_EQ(nvmf_listener_add(tgt, &lp), 0);
		CHECK_EQ(nvmfi_get_log(c->admin, NVME_LOG_DISCOVERY, 0, 0, full, 4096, false, &cqe), 0);
		CHECK_EQ(((struct nvmf_disc_log_hdr *)full)->numrec, 3);
		CHECK(((struct nvmf_disc_log_hdr *)full)->genctr > gen0);
		CHECK_EQ(nvmfi_get_log(c->admin, NVME_LOG_DISCOVERY, 0, 1024 + 512, part, 2048, false, &cqe), 0);
		CHECK(!memcmp(part, full + 1024 + 512, 2048));
		CHECK_EQ(nvmfi_get_log(c->admin, NVME_LOG_DISCOVERY, 0, 4, part, 1024, false, &cqe), 0);
		CHECK(!memcmp(part, full + 4, 1024));
		CHECK_EQ(nvmf_subsystem_del(tgt, sp.nqn), 0);
		CHECK_EQ(nvmfi_get_log(c->admin, NVME_LOG_DISCOVERY, 0, 0, &hdr, 1024, false, &cqe), 0);
		CHECK_EQ(hdr.numrec, 1);
	}

	/*
	 * Advertised address (a target behind a port forward: the VM tier's
	 * guest reaches 127.0.0.1:port as 10.0.2.100:4420, and the kernel's
	 * 'nvme connect-all' connects to what the log says).
	 */
	{
		struct nvmf_listener_params lp = { .adrfam = NVMF_ADRFAM_IPV4, .port = port };
		struct nvmf_listener_params adv = { .adrfam = NVMF_ADRFAM_IPV4, .port = 4420 };
		struct nvmf_disc_log_entry *e = (void *)entries;
		uint64_t gen0 = hdr.genctr;
		char p[8];

		snprintf(lp.traddr, sizeof(lp.traddr), "127.0.0.1");
		snprintf(adv.traddr, sizeof(adv.traddr), "10.0.2.100");
		CHECK_EQ(nvmf_listener_advertise(tgt, &lp, &adv), 0);
		CHECK_EQ(nvmfi_get_log(c->admin, NVME_LOG_DISCOVERY, 0, 0, entries, 2048, false, &cqe), 0);
		CHECK_EQ(st(&cqe), 0);
		CHECK(((struct nvmf_disc_log_hdr *)entries)->genctr > gen0);
		CHECK_EQ(((struct nvmf_disc_log_hdr *)entries)->numrec, 1);
		e = (void *)(entries + 1024);
		CHECK(!strcmp(e->subnqn, SUBNQN));
		CHECK(!strcmp(e->traddr, "10.0.2.100"));
		CHECK(!strcmp(e->trsvcid, "4420"));
		CHECK_EQ(e->adrfam, NVMF_ADRFAM_IPV4);
		/* the bound address still serves, and still lists as bound */
		{
			struct nvmf_listener_params l[1];
			uint32_t total = 0;
			struct nvmfi_opts o2;
			struct nvmfi_ctrlr *c2;

			CHECK_EQ(nvmf_listener_list(tgt, SUBNQN, l, 0, 1, &total), 1);
			CHECK(!strcmp(l[0].traddr, "127.0.0.1"));
			CHECK_EQ(l[0].port, port);
			opts(&o2, SUBNQN);
			CHECK_EQ(nvmfi_ctrlr_connect(&o2, &c2), 0);
			if (c2)
				nvmfi_ctrlr_close(c2);
		}
		/* IPv6, bound port kept */
		adv.adrfam = NVMF_ADRFAM_IPV6;
		adv.port = 0;
		snprintf(adv.traddr, sizeof(adv.traddr), "fd00::1");
		CHECK_EQ(nvmf_listener_advertise(tgt, &lp, &adv), 0);
		CHECK_EQ(nvmfi_get_log(c->admin, NVME_LOG_DISCOVERY, 0, 1024, entries, 1024, false, &cqe), 0);
		snprintf(p, sizeof(p), "%u", port);
		e = (void *)entries;
		CHECK(!strcmp(e->traddr, "fd00::1"));
		CHECK(!strcmp(e->trsvcid, p));
		CHECK_EQ(e->adrfam, NVMF_ADRFAM_IPV6);
		/* refused: a name, a family mismatch, no such listener */
		snprintf(adv.traddr, sizeof(adv.traddr), "vm-host");
		CHECK_EQ(nvmf_listener_advertise(tgt, &lp, &adv), -EINVAL);
		adv.adrfam = NVMF_ADRFAM_IPV4;
		snprintf(adv.traddr, sizeof(adv.traddr), "fd00::1");
		CHECK_EQ(nvmf_listener_advertise(tgt, &lp, &adv), -EINVAL);
		snprintf(adv.traddr, sizeof(adv.traddr), "10.0.2.100");
		lp.port = (uint16_t)(port ^ 1);
		CHECK_EQ(nvmf_listener_advertise(tgt, &lp, &adv), -ENOENT);
		lp.port = port;
		/* NULL: the bound address again */
		CHECK_EQ(nvmf_listener_advertise(tgt, &lp, NULL), 0);
		CHECK_EQ(nvmfi_get_log(c->admin, NVME_LOG_DISCOVERY, 0, 1024, entries, 1024, false, &cqe), 0);
		e = (void *)entries;
		CHECK(!strcmp(e->traddr, "127.0.0.1"));
		CHECK(!strcmp(e->trsvcid, p));
		CHECK_EQ(e->adrfam, NVMF_ADRFAM_IPV4);
	}
	nvmfi_ctrlr_close(c);
}

static void test_connect_errors(void)
{
	struct nvmfi_opts o;
	struct nvmfi_qpair *qp;
	struct nvmfi_ctrlr *c;
	struct nvme_cqe cqe;
	struct nvme_sqe cmd = { .opc = NVME_ADM_KEEP_ALIVE };

	/* unknown subsystem */
	opts(&o, "nqn.2026-01.io.opendpu:missing");
	CHECK_EQ(nvmfi_qpair_open(&o, 32, &qp), 0);
	CHECK_EQ(nvmfi_connect(qp, 0, 0xffff, 0, &cqe), 0);
	CHECK_EQ(st(&cqe), NVME_SC_CONNECT_INVALID_PARAM);
	CHECK_EQ(cqe.dw0, (1u << 16) | 256); /* IATTR=data, IPO=subnqn */
	nvmfi_qpair_close(qp);
	/* host not on the allowed list, then allowed */
	opts(&o, LOCKED);
	CHECK_EQ(nvmfi_qpair_open(&o, 32, &qp), 0);
	CHECK_EQ(nvmfi_connect(qp, 0, 0xffff, 0, &cqe), 0);
	CHECK_EQ(st(&cqe), NVME_SC_CONNECT_INVALID_HOST);
	nvmfi_qpair_close(qp);
	snprintf(o.hostnqn, sizeof(o.hostnqn), HOSTOK);
	CHECK_EQ(nvmfi_ctrlr_connect(&o, &c), 0);
	nvmfi_ctrlr_close(c);
	/* static controller ID on admin Connect (dynamic model only) */
	opts(&o, SUBNQN);
	CHECK_EQ(nvmfi_qpair_open(&o, 32, &qp), 0);
	CHECK_EQ(nvmfi_connect(qp, 0, 5, 0, &cqe), 0);
	CHECK_EQ(st(&cqe), NVME_SC_CONNECT_INVALID_PARAM);
	CHECK_EQ(cqe.dw0, (1u << 16) | 16);
	nvmfi_qpair_close(qp);
	/* a command before Connect */
	CHECK_EQ(nvmfi_qpair_open(&o, 32, &qp), 0);
	CHECK_EQ(nvmfi_cmd_sync(qp, &cmd, NULL, 0, NVMFI_NONE, &cqe), 0);
	CHECK_EQ(st(&cqe), NVME_SC_CMD_SEQ_ERROR);
	/* admin queue larger than supported */
	nvmfi_qpair_close(qp);
	CHECK_EQ(nvmfi_qpair_open(&o, 1000, &qp), 0);
	CHECK_EQ(nvmfi_connect(qp, 0, 0xffff, 0, &cqe), 0);
	CHECK_EQ(st(&cqe), NVME_SC_CONNECT_INVALID_PARAM);
	CHECK_EQ(cqe.dw0, 44); /* sqsize in the SQE */
	nvmfi_qpair_close(qp);

	/* I/O queue errors against a live controller */
	CHECK_EQ(nvmfi_ctrlr_connect(&o, &c), 0);
	if (!c)
		return;
	CHECK_EQ(nvmfi_qpair_open(&o, 16, &qp), 0);
	CHECK_EQ(nvmfi_connect(qp, 1, (uint16_t)(c->cntlid + 100), 0, &cqe), 0);
	CHECK_EQ(st(&cqe), NVME_SC_CONNECT_INVALID_PARAM);
	nvmfi_qpair_close(qp);
	CHECK_EQ(nvmfi_qpair_open(&o, 16, &qp), 0);
	CHECK_EQ(nvmfi_connect(qp, 33, c->cntlid, 0, &cqe), 0); /* > max_io_queues */
	CHECK_EQ(st(&cqe), NVME_SC_CONNECT_INVALID_PARAM);
	CHECK_EQ(cqe.dw0, 42);
	nvmfi_qpair_close(qp);
	CHECK_EQ(nvmfi_qpair_open(&o, 200, &qp), 0); /* > MQES + 1 */
	CHECK_EQ(nvmfi_connect(qp, 1, c->cntlid, 0, &cqe), 0);
	CHECK_EQ(st(&cqe), NVME_SC_CONNECT_INVALID_PARAM);
	nvmfi_qpair_close(qp);
	{
		struct nvmfi_opts o2 = o;
		struct nvmfi_qpair *q1, *q2;

		/* another host cannot join this controller */
		nvmfi_opts_default(&o2);
		o2.port = port;
		snprintf(o2.subnqn, sizeof(o2.subnqn), SUBNQN);
		CHECK_EQ(nvmfi_qpair_open(&o2, 16, &qp), 0);
		CHECK_EQ(nvmfi_connect(qp, 1, c->cntlid, 0, &cqe), 0);
		CHECK_EQ(st(&cqe), NVME_SC_CONNECT_INVALID_PARAM);
		nvmfi_qpair_close(qp);
		/* duplicate qid */
		CHECK_EQ(nvmfi_ctrlr_io_qpair(c, 1, 16, &q1), 0);
		CHECK(nvmfi_ctrlr_io_qpair(c, 1, 16, &q2) < 0);
		nvmfi_qpair_close(q1);
	}
	nvmfi_ctrlr_close(c);

	/* I/O queue before CC.EN */
	CHECK_EQ(nvmfi_qpair_open(&o, 32, &qp), 0);
	CHECK_EQ(nvmfi_connect(qp, 0, 0xffff, 0, &cqe), 0);
	CHECK_EQ(st(&cqe), 0);
	{
		struct nvmfi_qpair *io;
		struct nvme_cqe c2;

		CHECK_EQ(nvmfi_qpair_open(&o, 16, &io), 0);
		CHECK_EQ(nvmfi_connect(io, 1, (uint16_t)cqe.dw0, 0, &c2), 0);
		CHECK_EQ(st(&c2), NVME_SC_CMD_SEQ_ERROR);
		nvmfi_qpair_close(io);
	}
	nvmfi_qpair_close(qp);
}

static void test_properties(void)
{
	struct nvmfi_opts o;
	struct nvmfi_qpair *qp;
	struct nvme_cqe cqe;
	uint64_t v;

	opts(&o, SUBNQN);
	CHECK_EQ(nvmfi_qpair_open(&o, 32, &qp), 0);
	CHECK_EQ(nvmfi_connect(qp, 0, 0xffff, 0, &cqe), 0);
	CHECK_EQ(nvmfi_prop_get(qp, NVME_REG_CAP, true, &v, &cqe), 0);
	CHECK_EQ(st(&cqe), 0);
	CHECK_EQ(v & 0xffff, 63);              /* MQES */
	CHECK(v & (1ull << 37));               /* NVM command set */
	CHECK_EQ(nvmfi_prop_get(qp, NVME_REG_CAP, false, &v, &cqe), 0);
	CHECK_EQ(st(&cqe), NVME_SC_INVALID_FIELD); /* CAP is 8 bytes */
	CHECK_EQ(nvmfi_prop_get(qp, NVME_REG_VS, false, &v, &cqe), 0);
	CHECK_EQ(v, NVME_VS(1, 3, 0));
	CHECK_EQ(nvmfi_prop_get(qp, 0x40, false, &v, &cqe), 0);
	CHECK_EQ(st(&cqe), NVME_SC_INVALID_FIELD);
	CHECK_EQ(nvmfi_prop_set(qp, NVME_REG_CSTS, 1, &cqe), 0);
	CHECK_EQ(st(&cqe), NVME_SC_INVALID_FIELD); /* read-only */
	CHECK_EQ(nvmfi_prop_set(qp, NVME_REG_CC, NVME_CC_EN, &cqe), 0);
	CHECK_EQ(st(&cqe), NVME_SC_INVALID_FIELD); /* IOSQES/IOCQES unset */
	CHECK_EQ(nvmfi_prop_get(qp, NVME_REG_CSTS, false, &v, &cqe), 0);
	CHECK_EQ(v & NVME_CSTS_RDY, 0);
	CHECK_EQ(nvmfi_prop_set(qp, NVME_REG_CC, NVME_CC_EN | 6u << 16 | 4u << 20, &cqe), 0);
	CHECK_EQ(st(&cqe), 0);
	CHECK_EQ(nvmfi_prop_get(qp, NVME_REG_CSTS, false, &v, &cqe), 0);
	CHECK_EQ(v & NVME_CSTS_RDY, NVME_CSTS_RDY);
	CHECK_EQ(nvmfi_prop_get(qp, NVME_REG_CC, false, &v, &cqe), 0);
	CHECK_EQ(v, NVME_CC_EN | 6u << 16 | 4u << 20);
	/* normal shutdown, then disable */
	CHECK_EQ(nvmfi_prop_set(qp, NVME_REG_CC, NVME_CC_EN | 1u << 14 | 6u << 16 | 4u << 20, &cqe), 0);
	CHECK_EQ(nvmfi_prop_get(qp, NVME_REG_CSTS, false, &v, &cqe), 0);
	CHECK_EQ(v & NVME_CSTS_SHST_MASK, NVME_CSTS_SHST_CMPLT);
	CHECK_EQ(nvmfi_prop_set(qp, NVME_REG_CC, 0, &cqe), 0);
	CHECK_EQ(nvmfi_prop_get(qp, NVME_REG_CSTS, false, &v, &cqe), 0);
	CHECK_EQ(v, 0);
	nvmfi_qpair_close(qp);
}

static void test_identify(void)
{
	struct nvmfi_opts o;
	struct nvmfi_ctrlr *c;
	struct nvme_cqe cqe;
	static uint8_t buf[4096];
	const struct nvme_id_ns *ns = (const void *)buf;

	opts(&o, SUBNQN);
	CHECK_EQ(nvmfi_ctrlr_connect(&o, &c), 0);
	if (!c)
		return;
	CHECK_EQ(c->id.cntrltype, NVME_CTRLR_TYPE_IO);
	CHECK_EQ(c->id.cntlid, c->cntlid);
	CHECK(!strcmp(c->id.subnqn, SUBNQN));
	CHECK_EQ(c->id.mdts, 5);
	CHECK_EQ(c->id.ioccsz, (64 + 8192) / 16);
	CHECK_EQ(c->id.nn, 32);
	CHECK_EQ(c->id.sqes, 0x66);
	CHECK(c->id.oncs & NVME_ONCS_DSM);
	CHECK(c->id.oaes & NVME_OAES_NS_ATTR);
	CHECK_EQ(nvmfi_identify(c->admin, NVME_ID_CNS_NS, 1, buf, &cqe), 0);
	CHECK_EQ(st(&cqe), 0);
	CHECK_EQ(ns->nsze, (64 << 20) / 4096);
	CHECK_EQ(ns->lbaf[0].lbads, 12);
	CHECK_EQ(ns->nguid[0], 0x10);
	CHECK_EQ(nvmfi_identify(c->admin, NVME_ID_CNS_NS, 2, buf, &cqe), 0);
	CHECK_EQ(ns->lbaf[0].lbads, 9);
	CHECK_EQ(ns->nsze, (1u << 30) / 512);
	/* inactive: zeroes; out of range: invalid namespace */
	CHECK_EQ(nvmfi_identify(c->admin, NVME_ID_CNS_NS, 7, buf, &cqe), 0);
	CHECK_EQ(st(&cqe), 0);
	CHECK_EQ(ns->nsze, 0);
	CHECK_EQ(nvmfi_identify(c->admin, NVME_ID_CNS_NS, 0, buf, &cqe), 0);
	CHECK_EQ(st(&cqe), NVME_SC_INVALID_NS);
	CHECK_EQ(nvmfi_identify(c->admin, NVME_ID_CNS_NS, 1000, buf, &cqe), 0);
	CHECK_EQ(st(&cqe), NVME_SC_INVALID_NS);
	CHECK_EQ(nvmfi_identify(c->admin, NVME_ID_CNS_NS_ACTIVE_LIST, 0, buf, &cqe), 0);
	CHECK_EQ(((uint32_t *)buf)[0], 1);
	CHECK_EQ(((uint32_t *)buf)[1], 2);
	CHECK_EQ(((uint32_t *)buf)[2], 3);
	CHECK_EQ(((uint32_t *)buf)[3], 0);
	CHECK_EQ(nvmfi_identify(c->admin, NVME_ID_CNS_NS_ACTIVE_LIST, 1, buf, &cqe), 0);
	CHECK_EQ(((uint32_t *)buf)[0], 2);
	CHECK_EQ(nvmfi_identify(c->admin, NVME_ID_CNS_NS_DESC_LIST, 1, buf, &cqe), 0);
	CHECK_EQ(st(&cqe), 0);
	{
		bool uuid = false, nguid = false;

		for (uint8_t *p = buf; p < buf + 4096 && p[0]; p += 4 + p[1]) {
			if (p[0] == NVME_NIDT_UUID && p[1] == 16 && p[4] == 0x10 && p[19] == 0x1f)
				uuid = true;
			if (p[0] == NVME_NIDT_NGUID && p[1] == 16)
				nguid = true;
		}
		CHECK(uuid);
		CHECK(nguid);
	}
	CHECK_EQ(nvmfi_identify(c->admin, NVME_ID_CNS_NS_DESC_LIST, 9, buf, &cqe), 0);
	CHECK_EQ(st(&cqe), NVME_SC_INVALID_NS);
	CHECK_EQ(nvmfi_identify(c->admin, 0x55, 0, buf, &cqe), 0);
	CHECK_EQ(st(&cqe), NVME_SC_INVALID_FIELD);
	nvmfi_ctrlr_close(c);
}

static int feat(struct nvmfi_qpair *q, uint8_t opc, uint32_t cdw10, uint32_t cdw11,
		struct nvme_cqe *cqe)
{
	struct nvme_sqe cmd = { .opc = opc, .cdw10 = cdw10, .cdw11 = cdw11 };

	return nvmfi_cmd_sync(q, &cmd, NULL, 0, NVMFI_NONE, cqe);
}

struct mq_ctx {
	int done, errors;
};

static void mq_cb(void *arg, const struct nvme_cqe *cqe)
{
	struct mq_ctx *m = arg;

	m->done++;
	if (cqe->status >> 1)
		m->errors++;
}

static void test_admin_misc(void)
{
	struct nvmfi_opts o;
	struct nvmfi_ctrlr *c;
	struct nvme_cqe cqe;
	static uint8_t buf[4096];
	struct aer_ctx aer = { 0 };
	struct mq_ctx aborted = { 0 };
	struct nvme_sqe cmd;

	opts(&o, SUBNQN);
	CHECK_EQ(nvmfi_ctrlr_connect(&o, &c), 0);
	if (!c)
		return;
	/* features */
	CHECK_EQ(feat(c->admin, NVME_ADM_SET_FEATURES, NVME_FEAT_NUM_QUEUES, 3 | 3 << 16, &cqe), 0);
	CHECK_EQ(st(&cqe), 0);
	CHECK_EQ(cqe.dw0, 3 | 3 << 16);
	CHECK_EQ(feat(c->admin, NVME_ADM_GET_FEATURES, NVME_FEAT_NUM_QUEUES, 0, &cqe), 0);
	CHECK_EQ(cqe.dw0, 3 | 3 << 16);
	CHECK_EQ(feat(c->admin, NVME_ADM_SET_FEATURES, NVME_FEAT_NUM_QUEUES, 0xffff, &cqe), 0);
	CHECK_EQ(st(&cqe), NVME_SC_INVALID_FIELD);
	CHECK_EQ(feat(c->admin, NVME_ADM_SET_FEATURES, NVME_FEAT_KATO, 30000, &cqe), 0);
	CHECK_EQ(feat(c->admin, NVME_ADM_GET_FEATURES, NVME_FEAT_KATO, 0, &cqe), 0);
	CHECK_EQ(cqe.dw0, 30000);
	CHECK_EQ(feat(c->admin, NVME_ADM_SET_FEATURES, NVME_FEAT_ASYNC_EVENT, NVME_AEN_CFG_NS_ATTR, &cqe), 0);
	CHECK_EQ(st(&cqe), 0);
	CHECK_EQ(feat(c->admin, NVME_ADM_GET_FEATURES, NVME_FEAT_ASYNC_EVENT, 0, &cqe), 0);
	CHECK_EQ(cqe.dw0, NVME_AEN_CFG_NS_ATTR);
	CHECK_EQ(feat(c->admin, NVME_ADM_SET_FEATURES, NVME_FEAT_KATO | 1u << 31, 1000, &cqe), 0);
	CHECK_EQ(st(&cqe), NVME_SC_FEATURE_NOT_SAVEABLE);
	CHECK_EQ(feat(c->admin, NVME_ADM_GET_FEATURES, 0x7e, 0, &cqe), 0);
	CHECK_EQ(st(&cqe), NVME_SC_INVALID_FIELD);
	CHECK_EQ(feat(c->admin, 0x7c, 0, 0, &cqe), 0); /* unknown admin opcode */
	CHECK_EQ(st(&cqe), NVME_SC_INVALID_OPCODE);
	CHECK_EQ(feat(c->admin, NVME_ADM_KEEP_ALIVE, 0, 0, &cqe), 0);
	CHECK_EQ(st(&cqe), 0);

	/* logs: error log has the errors above, newest first */
	CHECK_EQ(nvmfi_get_log(c->admin, NVME_LOG_ERROR, 0, 0, buf, 64 * 4, false, &cqe), 0);
	CHECK_EQ(st(&cqe), 0);
	CHECK(((struct nvme_error_log *)buf)->error_count >= 4);
	CHECK_EQ(nvme_status_code(((struct nvme_error_log *)buf)->status), NVME_SC_INVALID_OPCODE);
	CHECK_EQ(nvmfi_get_log(c->admin, NVME_LOG_SMART, 0xffffffffu, 0, buf, 512, false, &cqe), 0);
	CHECK_EQ(st(&cqe), 0);
	CHECK(((struct nvme_smart_log *)buf)->temperature > 0);
	CHECK_EQ(nvmfi_get_log(c->admin, 0x33, 0, 0, buf, 512, false, &cqe), 0);
	CHECK_EQ(st(&cqe), NVME_SC_INVALID_LOG_PAGE);
	CHECK_EQ(nvmfi_get_log(c->admin, NVME_LOG_SMART, 0, 2, buf, 8, false, &cqe), 0);
	CHECK_EQ(st(&cqe), NVME_SC_INVALID_FIELD); /* offset not dword aligned */
	CHECK_EQ(nvmfi_get_log(c->admin, NVME_LOG_SMART, 0, 1024, buf, 8, false, &cqe), 0);
	CHECK_EQ(st(&cqe), NVME_SC_INVALID_FIELD); /* offset past the log */

	/* AER with a namespace-change notice */
	memset(&cmd, 0, sizeof(cmd));
	cmd.opc = NVME_ADM_ASYNC_EVENT;
	CHECK_EQ(nvmfi_submit(c->admin, &cmd, NULL, 0, NVMFI_NONE, aer_cb, &aer), 0);
	nvmfi_poll(c->admin, 0);
	CHECK(!aer.done);
	{
		struct nvmf_ns_params np = { 0 };

		snprintf(np.nqn, sizeof(np.nqn), SUBNQN);
		np.nsid = 9;
		np.backend = NVMF_BDEV_NULL;
		np.size_bytes = 1 << 20;
		CHECK_EQ(nvmf_ns_add(tgt, &np), 0);
	}
	for (int i = 0; i < 100 && !aer.done; i++)
		nvmfi_poll(c->admin, 100);
	CHECK(aer.done);
	CHECK_EQ(aer.cqe.dw0, nvme_aer_dw0(NVME_AER_TYPE_NOTICE, NVME_AER_NOTICE_NS_CHANGED,
					   NVME_LOG_CHANGED_NS));
	CHECK_EQ(nvmfi_get_log(c->admin, NVME_LOG_CHANGED_NS, 0, 0, buf, 4096, false, &cqe), 0);
	CHECK_EQ(((uint32_t *)buf)[0], 9);
	CHECK_EQ(((uint32_t *)buf)[1], 0);
	CHECK_EQ(nvmfi_get_log(c->admin, NVME_LOG_CHANGED_NS, 0, 0, buf, 4096, false, &cqe), 0);
	CHECK_EQ(((uint32_t *)buf)[0], 0); /* cleared by the read (RAE=0) */
	/* a second AER fires on removal */
	aer.done = false;
	CHECK_EQ(nvmfi_submit(c->admin, &cmd, NULL, 0, NVMFI_NONE, aer_cb, &aer), 0);
	nvmfi_poll(c->admin, 0);
	CHECK_EQ(nvmf_ns_del(tgt, SUBNQN, 9), 0);
	for (int i = 0; i < 100 && !aer.done; i++)
		nvmfi_poll(c->admin, 100);
	CHECK(aer.done);
	/* AER limit */
	for (int i = 0; i < NVMF_AER_MAX; i++)
		CHECK_EQ(nvmfi_submit(c->admin, &cmd, NULL, 0, NVMFI_NONE, mq_cb, &aborted), 0);
	CHECK_EQ(nvmfi_cmd_sync(c->admin, &cmd, NULL, 0, NVMFI_NONE, &cqe), 0);
	CHECK_EQ(st(&cqe), NVME_SC_AER_LIMIT);
	/* controller reset (CC.EN 1 -> 0) ends the outstanding AERs */
	CHECK_EQ(nvmfi_prop_set(c->admin, NVME_REG_CC, 6u << 16 | 4u << 20, &cqe), 0);
	for (int i = 0; i < 100 && aborted.done < NVMF_AER_MAX; i++)
		nvmfi_poll(c->admin, 100);
	CHECK_EQ(aborted.done, NVMF_AER_MAX);
	CHECK_EQ(aborted.errors, NVMF_AER_MAX);
	nvmfi_ctrlr_close(c);
}

/* ---- I/O ---- */

static int rw(struct nvmfi_qpair *q, bool wr, uint32_t nsid, uint64_t lba, uint32_t nlb,
	      void *buf, uint32_t len, struct nvme_cqe *cqe)
{
	struct nvme_sqe cmd = { .opc = wr ? NVME_IO_WRITE : NVME_IO_READ, .nsid = nsid };

	cmd.cdw10 = (uint32_t)lba;
	cmd.cdw11 = (uint32_t)(lba >> 32);
	cmd.cdw12 = nlb - 1;
	return nvmfi_cmd_sync(q, &cmd, buf, len, wr ? NVMFI_H2C : NVMFI_C2H, cqe);
}

static void fill(uint8_t *b, size_t n, uint32_t seed)
{
	for (size_t i = 0; i < n; i++)
		b[i] = (uint8_t)(seed * 2654435761u + i * 31 + (i >> 9));
}

static void io_suite(struct nvmfi_ctrlr *c, struct nvmfi_qpair *q, uint32_t nsid, uint32_t bs,
		     const char *what)
{
	static uint8_t w[131072], r[131072];
	struct nvme_cqe cqe;
	struct nvme_sqe cmd;
	const struct nvmfi_stats *s = nvmfi_stats(q);
	uint64_t h2c0 = s->h2c_tx, icd0 = s->icd_tx;
	uint64_t nblocks = nsid == 1 ? (64 << 20) / bs : (32 << 20) / bs;

	(void)c;
	fprintf(stderr, "  io suite: %s\n", what);
	/* small write (in-capsule unless no_icd) and read back */
	fill(w, 4096, 1);
	CHECK_EQ(rw(q, true, nsid, 3, 4096 / bs, w, 4096, &cqe), 0);
	CHECK_EQ(st(&cqe), 0);
	CHECK_EQ(rw(q, false, nsid, 3, 4096 / bs, r, 4096, &cqe), 0);
	CHECK_EQ(st(&cqe), 0);
	CHECK(!memcmp(w, r, 4096));
	/* FUA write */
	memset(&cmd, 0, sizeof(cmd));
	cmd.opc = NVME_IO_WRITE;
	cmd.nsid = nsid;
	cmd.cdw10 = 7;
	cmd.cdw12 = (4096 / bs - 1) | NVME_RW_FUA;
	CHECK_EQ(nvmfi_cmd_sync(q, &cmd, w, 4096, NVMFI_H2C, &cqe), 0);
	CHECK_EQ(st(&cqe), 0);
	CHECK_EQ(rw(q, false, nsid, 7, 4096 / bs, r, 4096, &cqe), 0);
	CHECK(!memcmp(w, r, 4096));
	/* 128 KiB write: R2T, split over MAXH2CDATA (8 KiB) */
	fill(w, sizeof(w), 2);
	CHECK_EQ(rw(q, true, nsid, 100, sizeof(w) / bs, w, sizeof(w), &cqe), 0);
	CHECK_EQ(st(&cqe), 0);
	CHECK(s->h2c_tx - h2c0 >= sizeof(w) / 8192);
	CHECK_EQ(rw(q, false, nsid, 100, sizeof(w) / bs, r, sizeof(w), &cqe), 0);
	CHECK_EQ(st(&cqe), 0);
	CHECK(!memcmp(w, r, sizeof(w)));
	(void)icd0;
	/* last block */
	CHECK_EQ(rw(q, true, nsid, nblocks - 1, 1, w, bs, &cqe), 0);
	CHECK_EQ(st(&cqe), 0);
	/* LBA out of range */
	CHECK_EQ(rw(q, false, nsid, nblocks - 1, 2, r, 2 * bs, &cqe), 0);
	CHECK_EQ(st(&cqe), NVME_SC_LBA_RANGE);
	CHECK(cqe.status & NVME_STATUS_DNR);
	CHECK_EQ(rw(q, true, nsid, nblocks, 1, w, bs, &cqe), 0);
	CHECK_EQ(st(&cqe), NVME_SC_LBA_RANGE);
	CHECK_EQ(rw(q, false, nsid, ~0ull - 1, 4, r, 4 * bs, &cqe), 0);
	CHECK_EQ(st(&cqe), NVME_SC_LBA_RANGE);
	/* transfer length disagrees with NLB */
	CHECK_EQ(rw(q, false, nsid, 0, 2, r, bs, &cqe), 0);
	CHECK_EQ(st(&cqe), NVME_SC_SGL_LENGTH_INVALID);
	CHECK_EQ(rw(q, true, nsid, 0, 1, w, 2 * bs, &cqe), 0);
	CHECK_EQ(st(&cqe), NVME_SC_SGL_LENGTH_INVALID);
	/* invalid namespace; invalid opcode */
	CHECK_EQ(rw(q, false, 77, 0, 1, r, bs, &cqe), 0);
	CHECK_EQ(st(&cqe), NVME_SC_INVALID_NS);
	memset(&cmd, 0, sizeof(cmd));
	cmd.opc = 0x7e;
	cmd.nsid = nsid;
	CHECK_EQ(nvmfi_cmd_sync(q, &cmd, NULL, 0, NVMFI_NONE, &cqe), 0);
	CHECK_EQ(st(&cqe), NVME_SC_INVALID_OPCODE);
	/* flush */
	memset(&cmd, 0, sizeof(cmd));
	cmd.opc = NVME_IO_FLUSH;
	cmd.nsid = nsid;
	CHECK_EQ(nvmfi_cmd_sync(q, &cmd, NULL, 0, NVMFI_NONE, &cqe), 0);
	CHECK_EQ(st(&cqe), 0);
	/* write zeroes over part of the 128 KiB region */
	memset(&cmd, 0, sizeof(cmd));
	cmd.opc = NVME_IO_WRITE_ZEROES;
	cmd.nsid = nsid;
	cmd.cdw10 = 100;
	cmd.cdw12 = 4096 / bs * 2 - 1;
	CHECK_EQ(nvmfi_cmd_sync(q, &cmd, NULL, 0, NVMFI_NONE, &cqe), 0);
	CHECK_EQ(st(&cqe), 0);
	CHECK_EQ(rw(q, false, nsid, 100, sizeof(w) / bs, r, sizeof(w), &cqe), 0);
	{
		static const uint8_t z[8192];

		CHECK(!memcmp(r, z, 8192));
		CHECK(!memcmp(r + 8192, w + 8192, sizeof(w) - 8192));
	}
	cmd.cdw10 = (uint32_t)nblocks;
	CHECK_EQ(nvmfi_cmd_sync(q, &cmd, NULL, 0, NVMFI_NONE, &cqe), 0);
	CHECK_EQ(st(&cqe), NVME_SC_LBA_RANGE);
	/* DSM deallocate two ranges */
	{
		struct nvme_dsm_range rg[2] = {
			{ .nlb = 4096 / bs, .slba = 100 + 8192 / bs },
			{ .nlb = 4096 / bs, .slba = 3 },
		};
		static const uint8_t z[4096];

		memset(&cmd, 0, sizeof(cmd));
		cmd.opc = NVME_IO_DSM;
		cmd.nsid = nsid;
		cmd.cdw10 = 1;
		cmd.cdw11 = NVME_DSM_ATTR_DEALLOCATE;
		CHECK_EQ(nvmfi_cmd_sync(q, &cmd, rg, sizeof(rg), NVMFI_H2C, &cqe), 0);
		CHECK_EQ(st(&cqe), 0);
		CHECK_EQ(rw(q, false, nsid, 3, 4096 / bs, r, 4096, &cqe), 0);
		CHECK(!memcmp(r, z, 4096));
		rg[1].slba = nblocks;
		CHECK_EQ(nvmfi_cmd_sync(q, &cmd, rg, sizeof(rg), NVMFI_H2C, &cqe), 0);
		CHECK_EQ(st(&cqe), NVME_SC_LBA_RANGE);
		CHECK_EQ(nvmfi_cmd_sync(q, &cmd, rg, 16, NVMFI_H2C, &cqe), 0);
		CHECK_EQ(st(&cqe), NVME_SC_SGL_LENGTH_INVALID);
	}
}

static void test_io(bool hd, bool dd, bool no_icd, bool sqflow_on)
{
	struct nvmfi_opts o;
	struct nvmfi_ctrlr *c;
	struct nvmfi_qpair *q;
	struct nvme_cqe cqe;
	static uint8_t big[262144];
	char what[96];

	opts(&o, SUBNQN);
	o.hdgst = hd;
	o.ddgst = dd;
	o.no_icd = no_icd;
	o.sqflow_on = sqflow_on;
	o.hpda = hd ? 3 : 0; /* 16-byte aligned C2H data when digests are on */
	CHECK_EQ(nvmfi_ctrlr_connect(&o, &c), 0);
	if (!c)
		return;
	CHECK_EQ(nvmfi_ctrlr_io_qpair(c, 1, 32, &q), 0);
	if (!q) {
		nvmfi_ctrlr_close(c);
		return;
	}
	CHECK_EQ(nvmfi_stats(q)->hdgst, hd);
	CHECK_EQ(nvmfi_stats(q)->ddgst, dd);
	snprintf(what, sizeof(what), "hdgst=%d ddgst=%d no_icd=%d sqflow=%d", hd, dd, no_icd,
		 sqflow_on);
	io_suite(c, q, 1, 4096, what);
	io_suite(c, q, 3, 4096, "file namespace");
	if (no_icd)
		CHECK_EQ(nvmfi_stats(q)->icd_tx, 0);
	else
		CHECK(nvmfi_stats(q)->icd_tx > 0);
	if (sqflow_on)
		CHECK_EQ(nvmfi_stats(q)->c2h_success, 0);
	else
		CHECK(nvmfi_stats(q)->c2h_success > 0);
	/* null namespace: reads are zero, writes vanish; > MDTS is refused */
	CHECK_EQ(rw(q, false, 2, 0, 8, big, 4096, &cqe), 0);
	CHECK_EQ(st(&cqe), 0);
	CHECK_EQ(rw(q, false, 2, 0, 512, big, 262144, &cqe), 0);
	CHECK_EQ(st(&cqe), NVME_SC_SGL_LENGTH_INVALID); /* SGL > max transfer */
	nvmfi_qpair_close(q);
	nvmfi_ctrlr_close(c);
}

static void test_digest_errors(void)
{
	struct nvmfi_opts o;
	struct nvmfi_ctrlr *c;
	struct nvmfi_qpair *q, *q2;
	struct nvme_cqe cqe;
	static uint8_t w[4096];
	struct nvmf_tgt_stats s0, s1;

	opts(&o, SUBNQN);
	o.hdgst = o.ddgst = true;
	CHECK_EQ(nvmfi_ctrlr_connect(&o, &c), 0);
	if (!c)
		return;
	CHECK_EQ(nvmfi_ctrlr_io_qpair(c, 1, 32, &q), 0);
	CHECK_EQ(nvmfi_ctrlr_io_qpair(c, 2, 32, &q2), 0);
	nvmf_tgt_get_stats(tgt, &s0);
	/* data digest error: the command fails (retryable), the queue lives */
	nvmfi_test_corrupt_next(q, 2);
	CHECK_EQ(rw(q, true, 1, 0, 1, w, 4096, &cqe), 0);
	CHECK_EQ(st(&cqe), NVME_SC_TRANSIENT_TRANSPORT);
	CHECK_EQ(cqe.status & NVME_STATUS_DNR, 0);
	CHECK_EQ(rw(q, true, 1, 0, 1, w, 4096, &cqe), 0);
	CHECK_EQ(st(&cqe), 0);
	/* header digest error: C2HTermReq (FES 3) and this queue only closes */
	nvmfi_test_corrupt_next(q, 1);
	CHECK(rw(q, false, 1, 0, 1, w, 4096, &cqe) < 0);
	CHECK(nvmfi_stats(q)->term_rx);
	CHECK_EQ(nvmfi_stats(q)->term_fes, NVME_TCP_FES_HDR_DIGEST);
	CHECK_EQ(rw(q2, false, 1, 0, 1, w, 4096, &cqe), 0);
	CHECK_EQ(st(&cqe), 0);
	nvmf_tgt_get_stats(tgt, &s1);
	CHECK_EQ(s1.ddgst_errors - s0.ddgst_errors, 1);
	CHECK_EQ(s1.hdgst_errors - s0.hdgst_errors, 1);
	nvmfi_qpair_close(q);
	nvmfi_qpair_close(q2);
	nvmfi_ctrlr_close(c);
}

/* A raw PDU on a fresh admin queue must draw a C2HTermReq with @fes. */
static void malformed(const void *pdu, size_t len, bool connected, uint16_t fes, const char *what)
{
	struct nvmfi_opts o;
	struct nvmfi_qpair *qp;
	struct nvme_cqe cqe;
	struct nvmf_tgt_stats s0, s1;

	opts(&o, SUBNQN);
	nvmf_tgt_get_stats(tgt, &s0);
	CHECK_EQ(nvmfi_qpair_open(&o, 32, &qp), 0);
	if (!qp)
		return;
	if (connected)
		CHECK_EQ(nvmfi_connect(qp, 0, 0xffff, 0, &cqe), 0);
	CHECK_EQ(nvmfi_send_raw(qp, pdu, len), 0);
	CHECK_EQ(nvmfi_wait_closed(qp, 10000), 0);
	if (!nvmfi_stats(qp)->term_rx || nvmfi_stats(qp)->term_fes != fes)
		fprintf(stderr, "  malformed case '%s': term %d fes %u\n", what,
			nvmfi_stats(qp)->term_rx, nvmfi_stats(qp)->term_fes);
	CHECK(nvmfi_stats(qp)->term_rx);
	CHECK_EQ(nvmfi_stats(qp)->term_fes, fes);
	nvmf_tgt_get_stats(tgt, &s1);
	CHECK_EQ(s1.pdu_errors - s0.pdu_errors, 1);
	nvmfi_qpair_close(qp);
}

static void test_malformed(void)
{
	struct nvme_tcp_cmd cmd;
	struct nvme_tcp_data d;
	struct nvme_tcp_icreq ic;
	uint8_t junk[8] = { 0x42, 0, 24, 0, 24, 0, 0, 0 };

	memset(&cmd, 0, sizeof(cmd));
	cmd.ch.type = NVME_TCP_CMD;
	cmd.ch.hlen = 72;
	cmd.ch.plen = 72;
	cmd.sqe.opc = NVME_ADM_KEEP_ALIVE;

	malformed(junk, 8, false, NVME_TCP_FES_INVALID_HEADER, "unknown type");
	cmd.ch.hlen = 70;
	malformed(&cmd, sizeof(cmd), false, NVME_TCP_FES_INVALID_HEADER, "bad hlen");
	cmd.ch.hlen = 72;
	cmd.ch.flags = NVME_TCP_F_HDGST; /* digests were not negotiated */
	malformed(&cmd, sizeof(cmd), true, NVME_TCP_FES_INVALID_HEADER, "HDGSTF");
	cmd.ch.flags = 0;
	cmd.ch.plen = 72 + 16;
	cmd.ch.pdo = 30;
	{
		uint8_t b[72 + 16] = { 0 };

		memcpy(b, &cmd, 72);
		malformed(b, sizeof(b), true, NVME_TCP_FES_INVALID_HEADER, "pdo inside header");
	}
	cmd.ch.plen = 72 + 9000;
	cmd.ch.pdo = 72;
	malformed(&cmd, sizeof(cmd), true, NVME_TCP_FES_DATA_LIMIT, "ICD too big");
	memset(&ic, 0, sizeof(ic));
	ic.ch.type = NVME_TCP_ICREQ;
	ic.ch.hlen = 128;
	ic.ch.plen = 128;
	malformed(&ic, sizeof(ic), false, NVME_TCP_FES_PDU_SEQUENCE, "second ICReq");
	memset(&d, 0, sizeof(d));
	d.ch.type = NVME_TCP_H2C_DATA;
	d.ch.flags = NVME_TCP_F_DATA_LAST;
	d.ch.hlen = 24;
	d.ch.pdo = 24;
	d.ch.plen = 24 + 8;
	d.ttag = 3;
	d.datal = 8;
	{
		uint8_t b[32] = { 0 };

		memcpy(b, &d, 24);
		malformed(b, sizeof(b), true, NVME_TCP_FES_INVALID_HEADER, "H2CData without R2T");
	}
	{
		struct nvme_tcp_rsp r = { .ch = { .type = NVME_TCP_RSP, .hlen = 24, .plen = 24 } };

		malformed(&r, sizeof(r), true, NVME_TCP_FES_INVALID_HEADER, "C2H type from host");
	}
}

static void test_keep_alive(void)
{
	struct nvmfi_opts o;
	struct nvmfi_qpair *qp;
	struct nvme_cqe cqe;
	struct nvmf_tgt_stats s0, s1;

	opts(&o, SUBNQN);
	nvmf_tgt_get_stats(tgt, &s0);
	CHECK_EQ(nvmfi_qpair_open(&o, 32, &qp), 0);
	CHECK_EQ(nvmfi_connect(qp, 0, 0xffff, 300, &cqe), 0);
	CHECK_EQ(st(&cqe), 0);
	/* silent host: the target must drop it (bound only against hangs) */
	CHECK_EQ(nvmfi_wait_closed(qp, 20000), 0);
	nvmf_tgt_get_stats(tgt, &s1);
	CHECK_EQ(s1.ka_timeouts - s0.ka_timeouts, 1);
	nvmfi_qpair_close(qp);

	/* a host that keeps sending Keep Alive stays connected */
	{
		struct nvmfi_ctrlr *c;

		/* generous margin: a loaded CI box may stall us for a while */
		o.kato_ms = 2000;
		CHECK_EQ(nvmfi_ctrlr_connect(&o, &c), 0);
		if (!c)
			return;
		for (int i = 0; i < 60; i++) {
			CHECK_EQ(nvmfi_ctrlr_keep_alive(c), 0);
			usleep(50000);
		}
		CHECK_EQ(nvmfi_error(c->admin), 0);
		nvmf_tgt_get_stats(tgt, &s0);
		CHECK_EQ(s0.ka_timeouts, s1.ka_timeouts);
		nvmfi_ctrlr_close(c);
	}
}

static void test_many_queues_and_abrupt(void)
{
	enum { NQ = 16, QD = 16 };
	struct nvmfi_opts o;
	struct nvmfi_ctrlr *c;
	struct nvmfi_qpair *q[NQ];
	static uint8_t bufs[NQ][QD][8192], rd[8192];
	struct mq_ctx m = { 0 };
	struct nvme_cqe cqe;
	int ok = 0;

	opts(&o, SUBNQN);
	CHECK_EQ(nvmfi_ctrlr_connect(&o, &c), 0);
	if (!c)
		return;
	for (int i = 0; i < NQ; i++)
		CHECK_EQ(nvmfi_ctrlr_io_qpair(c, (uint16_t)(i + 1), QD + 1, &q[i]), 0);
	/* each queue writes its own region, all at once, on RAM and file */
	for (int i = 0; i < NQ; i++)
		for (int k = 0; k < QD; k++) {
			struct nvme_sqe cmd = { .opc = NVME_IO_WRITE, .nsid = 1 + (k & 1) * 2 };
			uint64_t lba = (uint64_t)(i * QD + k) * 2;

			fill(bufs[i][k], 8192, (uint32_t)(i * 1000 + k));
			cmd.cdw10 = (uint32_t)lba;
			cmd.cdw12 = 1;
			CHECK_EQ(nvmfi_submit(q[i], &cmd, bufs[i][k], 8192, NVMFI_H2C, mq_cb, &m), 0);
		}
	for (int it = 0; it < 20000 && m.done < NQ * QD; it++)
		for (int i = 0; i < NQ; i++)
			nvmfi_poll(q[i], 1);
	CHECK_EQ(m.done, NQ * QD);
	CHECK_EQ(m.errors, 0);
	for (int i = 0; i < NQ; i++)
		for (int k = 0; k < QD; k++) {
			CHECK_EQ(rw(q[(i + 1) % NQ], false, 1 + (k & 1) * 2, (uint64_t)(i * QD + k) * 2,
				    2, rd, 8192, &cqe), 0);
			ok += !memcmp(rd, bufs[i][k], 8192);
		}
	CHECK_EQ(ok, NQ * QD);

	/* abrupt disconnect with I/O in flight on a few queues */
	for (int i = 0; i < 4; i++) {
		for (int k = 0; k < QD; k++) {
			struct nvme_sqe cmd = { .opc = k & 1 ? NVME_IO_READ : NVME_IO_WRITE, .nsid = 3 };

			cmd.cdw10 = (uint32_t)(k * 32);
			cmd.cdw12 = 1;
			nvmfi_submit(q[i], &cmd, bufs[i][k], 8192, k & 1 ? NVMFI_C2H : NVMFI_H2C, NULL, NULL);
		}
		nvmfi_poll(q[i], 0);
		nvmfi_qpair_close(q[i]);
		q[i] = NULL;
	}
	/* the rest keep working */
	for (int i = 4; i < NQ; i++) {
		CHECK_EQ(rw(q[i], false, 3, 0, 2, rd, 8192, &cqe), 0);
		CHECK_EQ(st(&cqe), 0);
	}
	for (int i = 4; i < NQ; i++)
		nvmfi_qpair_close(q[i]);
	/* controller gone mid-flight: admin closes while I/O queues are up */
	{
		struct nvmfi_qpair *q1;

		CHECK_EQ(nvmfi_ctrlr_io_qpair(c, 1, QD + 1, &q1), 0);
		nvmfi_qpair_close(c->admin);
		c->admin = NULL;
		free(c);
		CHECK_EQ(nvmfi_wait_closed(q1, 10000), 0);
		nvmfi_qpair_close(q1);
	}
}

struct race_slot {
	struct nvmfi_qpair *q;
	uint8_t buf[16384];
	int left;
	unsigned int seed;
	int *errors;
};

static void race_submit(struct race_slot *r);

static void race_cb(void *arg, const struct nvme_cqe *cqe)
{
	struct race_slot *r = arg;

	if (cqe->status >> 1)
		(*r->errors)++;
	if (--r->left > 0)
		race_submit(r);
}

static void race_submit(struct race_slot *r)
{
	bool wr = (r->seed = r->seed * 1103515245u + 12345u) >> 16 & 1;
	struct nvme_sqe cmd = { .opc = wr ? NVME_IO_WRITE : NVME_IO_READ, .nsid = 1 };

	cmd.cdw10 = (r->seed >> 8) % 12; /* 16 blocks hammered by everyone */
	cmd.cdw12 = 3;
	if (nvmfi_submit(r->q, &cmd, r->buf, sizeof(r->buf), wr ? NVMFI_H2C : NVMFI_C2H, race_cb, r))
		(*r->errors)++;
}

/*
 * Reads and writes of the same RAM blocks from queues on different
 * reactors with data digests on: the digest must always describe the
 * bytes actually sent (regression: zero-copy RAM reads raced writes).
 */
static void test_digest_race(void)
{
	enum { NQ = 4, QD = 8 };
	struct nvmfi_opts o;
	struct nvmfi_ctrlr *c;
	struct nvmfi_qpair *q[NQ];
	static struct race_slot slots[NQ * QD];
	int errors = 0, busy;

	opts(&o, SUBNQN);
	o.ddgst = true;
	CHECK_EQ(nvmfi_ctrlr_connect(&o, &c), 0);
	if (!c)
		return;
	for (int i = 0; i < NQ; i++)
		CHECK_EQ(nvmfi_ctrlr_io_qpair(c, (uint16_t)(i + 1), QD + 1, &q[i]), 0);
	for (int i = 0; i < NQ * QD; i++) {
		slots[i].q = q[i % NQ];
		slots[i].left = 150;
		slots[i].seed = (unsigned int)i * 7919u;
		slots[i].errors = &errors;
		memset(slots[i].buf, i, sizeof(slots[i].buf));
		race_submit(&slots[i]);
	}
	do {
		busy = 0;
		for (int i = 0; i < NQ; i++) {
			if (nvmfi_poll(q[i], 0) < 0) {
				errors++;
				continue;
			}
			busy += (int)nvmfi_outstanding(q[i]);
		}
	} while (busy && errors == 0);
	CHECK_EQ(errors, 0);
	for (int i = 0; i < NQ; i++) {
		CHECK_EQ(nvmfi_error(q[i]), 0);
		nvmfi_qpair_close(q[i]);
	}
	nvmfi_ctrlr_close(c);
}

/* Assorted error statuses and transport cases not covered elsewhere. */
static void test_more_errors(void)
{
	struct nvmfi_opts o;
	struct nvmfi_ctrlr *c;
	struct nvmfi_qpair *qp, *io;
	struct nvme_cqe cqe;
	static uint8_t buf[4096];

	opts(&o, SUBNQN);
	/* Connect: unsupported record format; short connect data */
	CHECK_EQ(nvmfi_qpair_open(&o, 32, &qp), 0);
	{
		struct nvmf_connect_cmd cmd = { .opc = NVME_FABRICS_OPC, .fctype = NVMF_FCTYPE_CONNECT,
						.recfmt = 1, .sqsize = 31 };
		struct nvmf_connect_data d = { .cntlid = 0xffff };

		snprintf(d.subnqn, sizeof(d.subnqn), SUBNQN);
		snprintf(d.hostnqn, sizeof(d.hostnqn), "%s", o.hostnqn);
		CHECK_EQ(nvmfi_cmd_sync(qp, (struct nvme_sqe *)&cmd, &d, sizeof(d), NVMFI_H2C, &cqe), 0);
		CHECK_EQ(st(&cqe), NVME_SC_CONNECT_FORMAT);
		cmd.recfmt = 0;
		CHECK_EQ(nvmfi_cmd_sync(qp, (struct nvme_sqe *)&cmd, &d, 512, NVMFI_H2C, &cqe), 0);
		CHECK_EQ(st(&cqe), NVME_SC_SGL_LENGTH_INVALID);
		/* Connect data through R2T instead of in-capsule */
		nvmfi_set_icd(qp, 0);
		CHECK_EQ(nvmfi_cmd_sync(qp, (struct nvme_sqe *)&cmd, &d, sizeof(d), NVMFI_H2C, &cqe), 0);
		CHECK_EQ(st(&cqe), 0);
		CHECK(nvmfi_stats(qp)->r2t_rx >= 1);
		/* and a second Connect on a connected queue */
		CHECK_EQ(nvmfi_cmd_sync(qp, (struct nvme_sqe *)&cmd, &d, sizeof(d), NVMFI_H2C, &cqe), 0);
		CHECK_EQ(st(&cqe), NVME_SC_CMD_SEQ_ERROR);
	}
	nvmfi_qpair_close(qp);

	CHECK_EQ(nvmfi_ctrlr_connect(&o, &c), 0);
	if (!c)
		return;
	CHECK_EQ(nvmfi_ctrlr_io_qpair(c, 1, 16, &io), 0);
	/* admin-only commands on an I/O queue */
	CHECK_EQ(feat(io, NVME_ADM_KEEP_ALIVE, 0, 0, &cqe), 0);
	CHECK_EQ(st(&cqe), NVME_SC_INVALID_OPCODE);
	CHECK_EQ(nvmfi_prop_get(io, NVME_REG_VS, false, NULL, &cqe), 0);
	CHECK_EQ(st(&cqe), NVME_SC_INVALID_OPCODE);
	/* PRP data pointer on fabrics: read the raw CapsuleResp ourselves */
	{
		struct nvme_tcp_cmd pdu = { .ch = { .type = NVME_TCP_CMD, .hlen = 72, .plen = 72 } };
		struct nvme_tcp_rsp rsp;

		pdu.sqe.opc = NVME_IO_READ;
		pdu.sqe.nsid = 1;
		pdu.sqe.cid = 15;
		pdu.sqe.flags = 0; /* PSDT 00b */
		pdu.sqe.dptr.id = NVME_SGL_ID_TRANSPORT;
		pdu.sqe.dptr.length = 4096;
		CHECK_EQ(nvmfi_send_raw(io, &pdu, sizeof(pdu)), 0);
		CHECK_EQ(recv(nvmfi_fd(io), &rsp, sizeof(rsp), MSG_WAITALL), (long long)sizeof(rsp));
		CHECK_EQ(rsp.ch.type, NVME_TCP_RSP);
		CHECK_EQ(rsp.cqe.cid, 15);
		CHECK_EQ(st(&rsp.cqe), NVME_SC_INVALID_FIELD);
	}
	nvmfi_qpair_close(io);
	/* Abort never aborts; Identify with a short buffer gets what fits */
	{
		struct nvme_sqe cmd = { .opc = NVME_ADM_ABORT, .cdw10 = 1 << 16 };

		CHECK_EQ(nvmfi_cmd_sync(c->admin, &cmd, NULL, 0, NVMFI_NONE, &cqe), 0);
		CHECK_EQ(st(&cqe), 0);
		CHECK_EQ(cqe.dw0 & 1, 1);
		memset(&cmd, 0, sizeof(cmd));
		cmd.opc = NVME_ADM_IDENTIFY;
		cmd.cdw10 = NVME_ID_CNS_CTRLR;
		CHECK_EQ(nvmfi_cmd_sync(c->admin, &cmd, buf, 512, NVMFI_C2H, &cqe), 0);
		CHECK_EQ(st(&cqe), 0);
		CHECK_EQ(((struct nvme_id_ctrlr *)buf)->cntlid, c->cntlid);
		CHECK(!memcmp(((struct nvme_id_ctrlr *)buf)->sn, c->id.sn, 20));
		CHECK_EQ(((struct nvme_id_ctrlr *)buf)->subnqn[0], 0); /* beyond 512 bytes */
	}
	nvmfi_ctrlr_close(c);

	/* ICReq with an unsupported PFV / HPDA: C2HTermReq, FES 6 / 1 */
	{
		struct nvme_tcp_icreq ic = { .ch = { .type = NVME_TCP_ICREQ, .hlen = 128, .plen = 128 } };
		int fd;
		struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
		uint8_t r[152];

		for (int k = 0; k < 2; k++) {
			ic.pfv = k == 0 ? 1 : 0;
			ic.hpda = k == 0 ? 0 : 40;
			a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
			fd = socket(AF_INET, SOCK_STREAM, 0);
			CHECK_EQ(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0);
			CHECK_EQ(send(fd, &ic, sizeof(ic), 0), (long long)sizeof(ic));
			CHECK(recv(fd, r, sizeof(r), MSG_WAITALL) >= 24);
			CHECK_EQ(r[0], NVME_TCP_C2H_TERM);
			CHECK_EQ(((struct nvme_tcp_term *)r)->fes,
				 k == 0 ? NVME_TCP_FES_UNSUPPORTED_PARAM : NVME_TCP_FES_INVALID_HEADER);
			close(fd);
		}
	}
	/* H2CTermReq from the host: the target closes the connection */
	CHECK_EQ(nvmfi_qpair_open(&o, 32, &qp), 0);
	{
		struct nvme_tcp_term t = { .ch = { .type = NVME_TCP_H2C_TERM, .hlen = 24, .plen = 24 },
					   .fes = NVME_TCP_FES_PDU_SEQUENCE };

		CHECK_EQ(nvmfi_send_raw(qp, &t, sizeof(t)), 0);
		CHECK_EQ(nvmfi_wait_closed(qp, 10000), 0);
		CHECK(!nvmfi_stats(qp)->term_rx); /* no TermReq answers a TermReq */
	}
	nvmfi_qpair_close(qp);
}

/* Reconfiguration under load: ns_del with I/O in flight, listener_del,
 * subsystem_del with connected controllers. */
static void test_live_config(void)
{
	const char *nqn = "nqn.2026-01.io.opendpu:live";
	struct nvmf_subsys_params sp = { 0 };
	struct nvmf_ns_params np = { 0 };
	struct nvmf_listener_params lp = { 0 };
	struct nvmfi_opts o;
	struct nvmfi_ctrlr *c;
	struct nvmfi_qpair *q, *q2;
	struct mq_ctx m = { 0 };
	struct nvme_cqe cqe;
	static uint8_t buf[32][8192];
	char path[64];

	snprintf(path, sizeof(path), "/tmp/nvmf-live-%d.img", getpid());
	snprintf(sp.nqn, sizeof(sp.nqn), "%s", nqn);
	sp.flags = NVMF_SUBSYS_ALLOW_ANY_HOST;
	CHECK_EQ(nvmf_subsystem_add(tgt, &sp), 0);
	snprintf(np.nqn, sizeof(np.nqn), "%s", nqn);
	np.backend = NVMF_BDEV_FILE;
	np.size_bytes = 8 << 20;
	snprintf(np.path, sizeof(np.path), "%s", path);
	CHECK_EQ(nvmf_ns_add(tgt, &np), 0);
	CHECK_EQ(np.nsid, 1); /* auto-assigned */
	snprintf(lp.nqn, sizeof(lp.nqn), "%s", nqn);
	snprintf(lp.traddr, sizeof(lp.traddr), "127.0.0.1");
	lp.adrfam = NVMF_ADRFAM_IPV4;
	CHECK_EQ(nvmf_listener_add(tgt, &lp), 0); /* a second listener port */
	CHECK(lp.port != port);

	nvmfi_opts_default(&o);
	o.port = lp.port;
	snprintf(o.subnqn, sizeof(o.subnqn), "%s", nqn);
	CHECK_EQ(nvmfi_ctrlr_connect(&o, &c), 0);
	if (!c)
		return;
	CHECK_EQ(nvmfi_ctrlr_io_qpair(c, 1, 33, &q), 0);
	for (int k = 0; k < 32; k++) {
		struct nvme_sqe cmd = { .opc = NVME_IO_WRITE, .nsid = 1, .cdw10 = (uint32_t)k * 2, .cdw12 = 1 };

		CHECK_EQ(nvmfi_submit(q, &cmd, buf[k], 8192, NVMFI_H2C, mq_cb, &m), 0);
	}
	nvmfi_poll(q, 0); /* push them out, then pull the namespace */
	CHECK_EQ(nvmf_ns_del(tgt, nqn, 1), 0);
	for (int i = 0; i < 200 && m.done < 32; i++)
		nvmfi_poll(q, 50);
	CHECK_EQ(m.done, 32);
	CHECK_EQ(rw(q, false, 1, 0, 2, buf[0], 8192, &cqe), 0);
	CHECK_EQ(st(&cqe), NVME_SC_INVALID_NS);
	/* listener gone: no new connections, existing ones stay */
	CHECK_EQ(nvmf_listener_del(tgt, &lp), 0);
	CHECK(nvmfi_qpair_open(&o, 8, &q2) < 0);
	CHECK_EQ(feat(c->admin, NVME_ADM_KEEP_ALIVE, 0, 0, &cqe), 0);
	CHECK_EQ(st(&cqe), 0);
	/* subsystem gone: its controllers are disconnected */
	CHECK_EQ(nvmf_subsystem_del(tgt, nqn), 0);
	CHECK_EQ(nvmfi_wait_closed(c->admin, 10000), 0);
	CHECK_EQ(nvmfi_wait_closed(q, 10000), 0);
	nvmfi_qpair_close(q);
	nvmfi_qpair_close(c->admin);
	free(c);
	unlink(path);
}

int main(void)
{
	struct nvmf_tgt_stats s;

	setup();
	if (t_fail)
		return T_SUMMARY();
	fprintf(stderr, "config api\n");
	test_config_api();
	fprintf(stderr, "discovery\n");
	test_discovery();
	fprintf(stderr, "connect errors\n");
	test_connect_errors();
	fprintf(stderr, "properties\n");
	test_properties();
	fprintf(stderr, "identify\n");
	test_identify();
	fprintf(stderr, "admin misc\n");
	test_admin_misc();
	fprintf(stderr, "io\n");
	test_io(false, false, false, false);
	test_io(false, false, true, false);
	test_io(true, true, false, false);
	test_io(true, true, true, true);
	test_io(false, true, false, true);
	fprintf(stderr, "digest errors\n");
	test_digest_errors();
	fprintf(stderr, "more errors\n");
	test_more_errors();
	fprintf(stderr, "digest vs concurrent writes\n");
	test_digest_race();
	fprintf(stderr, "malformed PDUs\n");
	test_malformed();
	fprintf(stderr, "many queues / abrupt disconnect\n");
	test_many_queues_and_abrupt();
	fprintf(stderr, "live reconfiguration\n");
	test_live_config();
	fprintf(stderr, "keep-alive\n");
	test_keep_alive();
	nvmf_tgt_get_stats(tgt, &s);
	fprintf(stderr, "stats: accepted %llu pdu_errors %llu connect_rejects %llu\n",
		(unsigned long long)s.conns_accepted, (unsigned long long)s.pdu_errors,
		(unsigned long long)s.connect_rejects);
	CHECK_EQ(nvmf_subsystem_del(tgt, LOCKED), 0);
	nvmf_tgt_destroy(tgt);
	unlink(file_path);
	return T_SUMMARY();
}
