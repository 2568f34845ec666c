/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * NVMe base / NVMe over Fabrics / NVMe/TCP wire structures.
 *
 * Everything here is little-endian on the wire; the target only runs on
 * little-endian hosts (x86-64, arm64 BlueField), which is asserted below,
 * so fields are accessed directly. Sizes and offsets are asserted against
 * the specifications (NVMe Base 2.0, NVMe-oF 1.1, NVMe/TCP Transport 1.0).
 */
#ifndef NVMF_SPEC_H
#define NVMF_SPEC_H

#include <assert.h>
#include <stddef.h>
#include <stdint.h>

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "nvmf: wire structs are accessed in host order; little-endian only"
#endif

#define NVMF_LAYOUT(type, size) \
	static_assert(sizeof(type) == (size), #type " size")
#define NVMF_FIELD(type, field, off) \
	static_assert(offsetof(type, field) == (off), #type "." #field " offset")

#define NVMF_NQN_MAX 223           /* bytes, without the NUL */
#define NVMF_NQN_LEN 224           /* storage incl. NUL (matches the ABI) */
#define NVMF_DISCOVERY_NQN "nqn.2014-08.org.nvmexpress.discovery"
#define NVMF_TCP_PORT_DEFAULT 4420

/* ------------------------------------------------------------------ */
/* NVMe submission / completion queue entries                          */
/* ------------------------------------------------------------------ */

/* SGL descriptor identifiers (type << 4 | subtype) used by NVMe/TCP. */
#define NVME_SGL_ID_DATA_OFFSET 0x01  /* data block, offset: in-capsule */
#define NVME_SGL_ID_TRANSPORT 0x5a    /* transport data block, transport specific */

struct nvme_sgl {
	uint64_t addr;   /* in-capsule: offset into the capsule data */
	uint32_t length;
	uint8_t rsvd[3];
	uint8_t id;      /* NVME_SGL_ID_* */
};
NVMF_LAYOUT(struct nvme_sgl, 16);

struct nvme_sqe {
	uint8_t opc;
	uint8_t flags;   /* FUSE 1:0, PSDT 7:6 */
	uint16_t cid;
	uint32_t nsid;
	uint32_t cdw2;
	uint32_t cdw3;
	uint64_t mptr;
	struct nvme_sgl dptr;
	uint32_t cdw10;
	uint32_t cdw11;
	uint32_t cdw12;
	uint32_t cdw13;
	uint32_t cdw14;
	uint32_t cdw15;
};
NVMF_LAYOUT(struct nvme_sqe, 64);
NVMF_FIELD(struct nvme_sqe, nsid, 4);
NVMF_FIELD(struct nvme_sqe, dptr, 24);
NVMF_FIELD(struct nvme_sqe, cdw10, 40);
NVMF_FIELD(struct nvme_sqe, cdw15, 60);

#define NVME_PSDT_SHIFT 6
#define NVME_PSDT_SGL_MPTR_CONTIG 1u

struct nvme_cqe {
	uint32_t dw0;
	uint32_t dw1;
	uint16_t sqhd;
	uint16_t sqid;
	uint16_t cid;
	uint16_t status; /* P 0, SC 8:1, SCT 11:9, CRD 13:12, M 14, DNR 15 */
};
NVMF_LAYOUT(struct nvme_cqe, 16);
NVMF_FIELD(struct nvme_cqe, sqhd, 8);
NVMF_FIELD(struct nvme_cqe, status, 14);

/* Status as (sct << 8 | sc); nvme_status_field() turns it into CQE bits. */
#define NVME_SCT_GENERIC 0x0
#define NVME_SCT_CMD_SPECIFIC 0x1
#define NVME_SCT_MEDIA 0x2
#define NVME_ST(sct, sc) ((uint16_t)(((sct) << 8) | (sc)))

enum nvme_status {
	NVME_SC_SUCCESS = NVME_ST(0, 0x00),
	NVME_SC_INVALID_OPCODE = NVME_ST(0, 0x01),
	NVME_SC_INVALID_FIELD = NVME_ST(0, 0x02),
	NVME_SC_DATA_XFER_ERROR = NVME_ST(0, 0x04),
	NVME_SC_INTERNAL = NVME_ST(0, 0x06),
	NVME_SC_ABORT_REQ = NVME_ST(0, 0x07),
	NVME_SC_SQ_DELETION = NVME_ST(0, 0x08),
	NVME_SC_INVALID_NS = NVME_ST(0, 0x0b),
	NVME_SC_CMD_SEQ_ERROR = NVME_ST(0, 0x0c),
	NVME_SC_SGL_INVALID_LAST = NVME_ST(0, 0x0d),
	NVME_SC_SGL_INVALID_COUNT = NVME_ST(0, 0x0e),
	NVME_SC_SGL_LENGTH_INVALID = NVME_ST(0, 0x0f),
	NVME_SC_SGL_TYPE_INVALID = NVME_ST(0, 0x11),
	NVME_SC_SGL_OFFSET_INVALID = NVME_ST(0, 0x16),
	NVME_SC_KA_EXPIRED = NVME_ST(0, 0x1c),
	NVME_SC_TRANSIENT_TRANSPORT = NVME_ST(0, 0x22),
	NVME_SC_LBA_RANGE = NVME_ST(0, 0x80),
	NVME_SC_CAP_EXCEEDED = NVME_ST(0, 0x81),
	NVME_SC_NS_NOT_READY = NVME_ST(0, 0x82),
	/* command specific */
	NVME_SC_INVALID_QID = NVME_ST(1, 0x01),
	NVME_SC_INVALID_QSIZE = NVME_ST(1, 0x02),
	NVME_SC_AER_LIMIT = NVME_ST(1, 0x05),
	NVME_SC_INVALID_LOG_PAGE = NVME_ST(1, 0x09),
	NVME_SC_FEATURE_NOT_SAVEABLE = NVME_ST(1, 0x0d),
	NVME_SC_FEATURE_NOT_CHANGEABLE = NVME_ST(1, 0x0e),
	NVME_SC_CONNECT_FORMAT = NVME_ST(1, 0x80),
	NVME_SC_CONNECT_CTRL_BUSY = NVME_ST(1, 0x81),
	NVME_SC_CONNECT_INVALID_PARAM = NVME_ST(1, 0x82),
	NVME_SC_CONNECT_RESTART_DISC = NVME_ST(1, 0x83),
	NVME_SC_CONNECT_INVALID_HOST = NVME_ST(1, 0x84),
};

#define NVME_STATUS_DNR (1u << 15)

static inline uint16_t nvme_status_field(uint16_t st, int dnr)
{
	return (uint16_t)(((st & 0xff) << 1) | (((st >> 8) & 0x7) << 9) |
			  (dnr ? NVME_STATUS_DNR : 0));
}

/* CQE status field back to (sct << 8 | sc). */
static inline uint16_t nvme_status_code(uint16_t field)
{
	return (uint16_t)((((field >> 9) & 0x7) << 8) | ((field >> 1) & 0xff));
}

/* ------------------------------------------------------------------ */
/* Opcodes                                                             */
/* ------------------------------------------------------------------ */

enum nvme_admin_opc {
	NVME_ADM_GET_LOG_PAGE = 0x02,
	NVME_ADM_IDENTIFY = 0x06,
	NVME_ADM_ABORT = 0x08,
	NVME_ADM_SET_FEATURES = 0x09,
	NVME_ADM_GET_FEATURES = 0x0a,
	NVME_ADM_ASYNC_EVENT = 0x0c,
	NVME_ADM_KEEP_ALIVE = 0x18,
	NVME_FABRICS_OPC = 0x7f,
};

enum nvme_io_opc {
	NVME_IO_FLUSH = 0x00,
	NVME_IO_WRITE = 0x01,
	NVME_IO_READ = 0x02,
	NVME_IO_WRITE_ZEROES = 0x08,
	NVME_IO_DSM = 0x09,
};

#define NVME_RW_FUA (1u << 30) /* cdw12 */

enum nvmf_fctype {
	NVMF_FCTYPE_PROP_SET = 0x00,
	NVMF_FCTYPE_CONNECT = 0x01,
	NVMF_FCTYPE_PROP_GET = 0x04,
	NVMF_FCTYPE_AUTH_SEND = 0x05,
	NVMF_FCTYPE_AUTH_RECV = 0x06,
	NVMF_FCTYPE_DISCONNECT = 0x08,
};

/* Fabrics command SQE overlays (fctype sits where NSID would be). */
struct nvmf_connect_cmd {
	uint8_t opc;
	uint8_t flags;
	uint16_t cid;
	uint8_t fctype;
	uint8_t rsvd1[19];
	struct nvme_sgl dptr;
	uint16_t recfmt;
	uint16_t qid;
	uint16_t sqsize; /* 0's based */
	uint8_t cattr;   /* bit 2: disable SQ flow control */
	uint8_t rsvd2;
	uint32_t kato;   /* ms */
	uint8_t rsvd3[12];
};
NVMF_LAYOUT(struct nvmf_connect_cmd, 64);
NVMF_FIELD(struct nvmf_connect_cmd, fctype, 4);
NVMF_FIELD(struct nvmf_connect_cmd, recfmt, 40);
NVMF_FIELD(struct nvmf_connect_cmd, qid, 42);
NVMF_FIELD(struct nvmf_connect_cmd, sqsize, 44);
NVMF_FIELD(struct nvmf_connect_cmd, cattr, 46);
NVMF_FIELD(struct nvmf_connect_cmd, kato, 48);

#define NVMF_CONNECT_DISABLE_SQFLOW (1u << 2)

struct nvmf_connect_data {
	uint8_t hostid[16];
	uint16_t cntlid;
	uint8_t rsvd1[238];
	char subnqn[256];
	char hostnqn[256];
	uint8_t rsvd2[256];
};
NVMF_LAYOUT(struct nvmf_connect_data, 1024);
NVMF_FIELD(struct nvmf_connect_data, cntlid, 16);
NVMF_FIELD(struct nvmf_connect_data, subnqn, 256);
NVMF_FIELD(struct nvmf_connect_data, hostnqn, 512);

struct nvmf_prop_cmd {
	uint8_t opc;
	uint8_t flags;
	uint16_t cid;
	uint8_t fctype;
	uint8_t rsvd1[35];
	uint8_t attrib;  /* bits 2:0 size: 0 = 4 bytes, 1 = 8 bytes */
	uint8_t rsvd2[3];
	uint32_t ofst;
	uint64_t value;  /* Property Set only */
	uint8_t rsvd3[8];
};
NVMF_LAYOUT(struct nvmf_prop_cmd, 64);
NVMF_FIELD(struct nvmf_prop_cmd, attrib, 40);
NVMF_FIELD(struct nvmf_prop_cmd, ofst, 44);
NVMF_FIELD(struct nvmf_prop_cmd, value, 48);

/* Controller properties (register offsets). */
enum nvme_prop {
	NVME_REG_CAP = 0x00,
	NVME_REG_VS = 0x08,
	NVME_REG_INTMS = 0x0c,
	NVME_REG_INTMC = 0x10,
	NVME_REG_CC = 0x14,
	NVME_REG_CSTS = 0x1c,
	NVME_REG_NSSR = 0x20,
};

#define NVME_CC_EN (1u << 0)
#define NVME_CC_SHN_SHIFT 14
#define NVME_CC_SHN_MASK (3u << NVME_CC_SHN_SHIFT)
#define NVME_CC_IOSQES_SHIFT 16
#define NVME_CC_IOCQES_SHIFT 20
#define NVME_CSTS_RDY (1u << 0)
#define NVME_CSTS_CFS (1u << 1)
#define NVME_CSTS_SHST_SHIFT 2
#define NVME_CSTS_SHST_MASK (3u << NVME_CSTS_SHST_SHIFT)
#define NVME_CSTS_SHST_CMPLT (2u << NVME_CSTS_SHST_SHIFT)

#define NVME_VS(maj, min, ter) (((uint32_t)(maj) << 16) | ((min) << 8) | (ter))

/* ------------------------------------------------------------------ */
/* Identify                                                            */
/* ------------------------------------------------------------------ */

enum nvme_identify_cns {
	NVME_ID_CNS_NS = 0x00,
	NVME_ID_CNS_CTRLR = 0x01,
	NVME_ID_CNS_NS_ACTIVE_LIST = 0x02,
	NVME_ID_CNS_NS_DESC_LIST = 0x03,
};

struct nvme_psd {
	uint8_t raw[32];
};

struct nvme_id_ctrlr {
	uint16_t vid;
	uint16_t ssvid;
	char sn[20];
	char mn[40];
	char fr[8];
	uint8_t rab;
	uint8_t ieee[3];
	uint8_t cmic;
	uint8_t mdts;
	uint16_t cntlid;
	uint32_t ver;
	uint32_t rtd3r;
	uint32_t rtd3e;
	uint32_t oaes;
	uint32_t ctratt;
	uint16_t rrls;
	uint8_t rsvd102[9];
	uint8_t cntrltype;
	uint8_t fguid[16];
	uint16_t crdt[3];
	uint8_t rsvd134[122];
	uint16_t oacs;
	uint8_t acl;
	uint8_t aerl;
	uint8_t frmw;
	uint8_t lpa;
	uint8_t elpe;
	uint8_t npss;
	uint8_t avscc;
	uint8_t apsta;
	uint16_t wctemp;
	uint16_t cctemp;
	uint8_t rsvd270[50];
	uint16_t kas;
	uint8_t rsvd322[190];
	uint8_t sqes;
	uint8_t cqes;
	uint16_t maxcmd;
	uint32_t nn;
	uint16_t oncs;
	uint16_t fuses;
	uint8_t fna;
	uint8_t vwc;
	uint16_t awun;
	uint16_t awupf;
	uint8_t icsvscc;
	uint8_t nwpc;
	uint16_t acwu;
	uint16_t ocfs;
	uint32_t sgls;
	uint32_t mnan;
	uint8_t rsvd544[224];
	char subnqn[256];
	uint8_t rsvd1024[768];
	/* fabrics */
	uint32_t ioccsz;  /* 16-byte units, includes the SQE */
	uint32_t iorcsz;
	uint16_t icdoff;
	uint8_t fcatt;
	uint8_t msdbd;
	uint16_t ofcs;
	uint8_t rsvd1806[242];
	struct nvme_psd psd[32];
	uint8_t vs[1024];
};
NVMF_LAYOUT(struct nvme_id_ctrlr, 4096);
NVMF_FIELD(struct nvme_id_ctrlr, sn, 4);
NVMF_FIELD(struct nvme_id_ctrlr, mn, 24);
NVMF_FIELD(struct nvme_id_ctrlr, fr, 64);
NVMF_FIELD(struct nvme_id_ctrlr, mdts, 77);
NVMF_FIELD(struct nvme_id_ctrlr, cntlid, 78);
NVMF_FIELD(struct nvme_id_ctrlr, ver, 80);
NVMF_FIELD(struct nvme_id_ctrlr, oaes, 92);
NVMF_FIELD(struct nvme_id_ctrlr, ctratt, 96);
NVMF_FIELD(struct nvme_id_ctrlr, cntrltype, 111);
NVMF_FIELD(struct nvme_id_ctrlr, fguid, 112);
NVMF_FIELD(struct nvme_id_ctrlr, oacs, 256);
NVMF_FIELD(struct nvme_id_ctrlr, aerl, 259);
NVMF_FIELD(struct nvme_id_ctrlr, lpa, 261);
NVMF_FIELD(struct nvme_id_ctrlr, kas, 320);
NVMF_FIELD(struct nvme_id_ctrlr, sqes, 512);
NVMF_FIELD(struct nvme_id_ctrlr, maxcmd, 514);
NVMF_FIELD(struct nvme_id_ctrlr, nn, 516);
NVMF_FIELD(struct nvme_id_ctrlr, oncs, 520);
NVMF_FIELD(struct nvme_id_ctrlr, vwc, 525);
NVMF_FIELD(struct nvme_id_ctrlr, sgls, 536);
NVMF_FIELD(struct nvme_id_ctrlr, mnan, 540);
NVMF_FIELD(struct nvme_id_ctrlr, subnqn, 768);
NVMF_FIELD(struct nvme_id_ctrlr, ioccsz, 1792);
NVMF_FIELD(struct nvme_id_ctrlr, iorcsz, 1796);
NVMF_FIELD(struct nvme_id_ctrlr, icdoff, 1800);
NVMF_FIELD(struct nvme_id_ctrlr, msdbd, 1803);
NVMF_FIELD(struct nvme_id_ctrlr, psd, 2048);
NVMF_FIELD(struct nvme_id_ctrlr, vs, 3072);

#define NVME_CTRLR_TYPE_IO 1
#define NVME_CTRLR_TYPE_DISCOVERY 2
#define NVME_OAES_NS_ATTR (1u << 8)
#define NVME_OAES_DISC_LOG_CHANGE (1u << 31)
#define NVME_ONCS_DSM (1u << 2)
#define NVME_ONCS_WRITE_ZEROES (1u << 3)
#define NVME_LPA_EXT_DATA (1u << 2)

struct nvme_lbaf {
	uint16_t ms;
	uint8_t lbads;
	uint8_t rp;
};
NVMF_LAYOUT(struct nvme_lbaf, 4);

struct nvme_id_ns {
	uint64_t nsze;
	uint64_t ncap;
	uint64_t nuse;
	uint8_t nsfeat;
	uint8_t nlbaf;
	uint8_t flbas;
	uint8_t mc;
	uint8_t dpc;
	uint8_t dps;
	uint8_t nmic;
	uint8_t rescap;
	uint8_t fpi;
	uint8_t dlfeat;
	uint16_t nawun;
	uint16_t nawupf;
	uint16_t nacwu;
	uint16_t nabsn;
	uint16_t nabo;
	uint16_t nabspf;
	uint16_t noiob;
	uint8_t nvmcap[16];
	uint16_t npwg;
	uint16_t npwa;
	uint16_t npdg;
	uint16_t npda;
	uint16_t nows;
	uint8_t rsvd74[18];
	uint32_t anagrpid;
	uint8_t rsvd96[3];
	uint8_t nsattr;
	uint16_t nvmsetid;
	uint16_t endgid;
	uint8_t nguid[16];
	uint8_t eui64[8];
	struct nvme_lbaf lbaf[64];
	uint8_t vs[3712];
};
NVMF_LAYOUT(struct nvme_id_ns, 4096);
NVMF_FIELD(struct nvme_id_ns, nsfeat, 24);
NVMF_FIELD(struct nvme_id_ns, flbas, 26);
NVMF_FIELD(struct nvme_id_ns, dlfeat, 33);
NVMF_FIELD(struct nvme_id_ns, nvmcap, 48);
NVMF_FIELD(struct nvme_id_ns, anagrpid, 92);
NVMF_FIELD(struct nvme_id_ns, nguid, 104);
NVMF_FIELD(struct nvme_id_ns, eui64, 120);
NVMF_FIELD(struct nvme_id_ns, lbaf, 128);

enum nvme_nidt {
	NVME_NIDT_EUI64 = 1,
	NVME_NIDT_NGUID = 2,
	NVME_NIDT_UUID = 3,
	NVME_NIDT_CSI = 4,
};

struct nvme_ns_id_desc {
	uint8_t nidt;
	uint8_t nidl;
	uint16_t rsvd;
	/* nidl bytes follow */
};
NVMF_LAYOUT(struct nvme_ns_id_desc, 4);

/* ------------------------------------------------------------------ */
/* Log pages, features, async events                                   */
/* ------------------------------------------------------------------ */

enum nvme_log_id {
	NVME_LOG_ERROR = 0x01,
	NVME_LOG_SMART = 0x02,
	NVME_LOG_FW_SLOT = 0x03,
	NVME_LOG_CHANGED_NS = 0x04,
	NVME_LOG_DISCOVERY = 0x70,
};

struct nvme_error_log {
	uint64_t error_count;
	uint16_t sqid;
	uint16_t cid;
	uint16_t status;
	uint16_t param_loc;
	uint64_t lba;
	uint32_t nsid;
	uint8_t vs;
	uint8_t trtype;
	uint8_t rsvd30[2];
	uint64_t cs;
	uint16_t trtype_spec;
	uint8_t rsvd42[22];
};
NVMF_LAYOUT(struct nvme_error_log, 64);
NVMF_FIELD(struct nvme_error_log, lba, 16);
NVMF_FIELD(struct nvme_error_log, nsid, 24);

struct nvme_smart_log {
	uint8_t critical_warning;
	uint16_t temperature;
	uint8_t avail_spare;
	uint8_t avail_spare_thresh;
	uint8_t percent_used;
	uint8_t endurance_grp_cw;
	uint8_t rsvd7[25];
	uint64_t data_units_read[2];
	uint64_t data_units_written[2];
	uint64_t host_reads[2];
	uint64_t host_writes[2];
	uint64_t ctrl_busy_time[2];
	uint64_t power_cycles[2];
	uint64_t power_on_hours[2];
	uint64_t unsafe_shutdowns[2];
	uint64_t media_errors[2];
	uint64_t num_err_log_entries[2];
	uint8_t rsvd192[320];
} __attribute__((packed));
NVMF_LAYOUT(struct nvme_smart_log, 512);
NVMF_FIELD(struct nvme_smart_log, temperature, 1);
NVMF_FIELD(struct nvme_smart_log, data_units_read, 32);
NVMF_FIELD(struct nvme_smart_log, host_reads, 64);
NVMF_FIELD(struct nvme_smart_log, num_err_log_entries, 176);

#define NVME_CHANGED_NS_MAX 1024
#define NVME_CHANGED_NS_OVERFLOW 0xffffffffu

enum nvme_feat {
	NVME_FEAT_ARBITRATION = 0x01,
	NVME_FEAT_POWER_MGMT = 0x02,
	NVME_FEAT_TEMP_THRESH = 0x04,
	NVME_FEAT_ERR_RECOVERY = 0x05,
	NVME_FEAT_VOLATILE_WC = 0x06,
	NVME_FEAT_NUM_QUEUES = 0x07,
	NVME_FEAT_IRQ_COALESCE = 0x08,
	NVME_FEAT_WRITE_ATOMIC = 0x0a,
	NVME_FEAT_ASYNC_EVENT = 0x0b,
	NVME_FEAT_KATO = 0x0f,
};

#define NVME_AEN_CFG_NS_ATTR (1u << 8)
#define NVME_AEN_CFG_DISC_CHANGE (1u << 31)

enum nvme_aer_type {
	NVME_AER_TYPE_ERROR = 0,
	NVME_AER_TYPE_SMART = 1,
	NVME_AER_TYPE_NOTICE = 2,
};
#define NVME_AER_NOTICE_NS_CHANGED 0x00
#define NVME_AER_NOTICE_DISC_CHANGED 0xf0

static inline uint32_t nvme_aer_dw0(uint8_t type, uint8_t info, uint8_t lid)
{
	return (uint32_t)type | ((uint32_t)info << 8) | ((uint32_t)lid << 16);
}

/* Dataset Management range. */
struct nvme_dsm_range {
	uint32_t cattr;
	uint32_t nlb;
	uint64_t slba;
};
NVMF_LAYOUT(struct nvme_dsm_range, 16);
#define NVME_DSM_ATTR_DEALLOCATE (1u << 2)
#define NVME_DSM_MAX_RANGES 256

/* ------------------------------------------------------------------ */
/* Discovery log page                                                  */
/* ------------------------------------------------------------------ */

enum nvmf_trtype { NVMF_TRTYPE_TCP = 3 };
enum nvmf_adrfam { NVMF_ADRFAM_IPV4 = 1, NVMF_ADRFAM_IPV6 = 2 };
enum nvmf_subtype {
	NVMF_SUBTYPE_DISCOVERY_REFERRAL = 1,
	NVMF_SUBTYPE_NVME = 2,
	NVMF_SUBTYPE_DISCOVERY_CURRENT = 3,
};
#define NVMF_TREQ_SECURE_CHANNEL_NOT_REQUIRED 0x2
#define NVMF_TCP_SECTYPE_NONE 0

struct nvmf_disc_log_entry {
	uint8_t trtype;
	uint8_t adrfam;
	uint8_t subtype;
	uint8_t treq;
	uint16_t portid;
	uint16_t cntlid;
	uint16_t asqsz;
	uint16_t eflags;
	uint8_t rsvd12[20];
	char trsvcid[32];
	uint8_t rsvd64[192];
	char subnqn[256];
	char traddr[256];
	uint8_t tsas[256];
};
NVMF_LAYOUT(struct nvmf_disc_log_entry, 1024);
NVMF_FIELD(struct nvmf_disc_log_entry, trsvcid, 32);
NVMF_FIELD(struct nvmf_disc_log_entry, subnqn, 256);
NVMF_FIELD(struct nvmf_disc_log_entry, traddr, 512);
NVMF_FIELD(struct nvmf_disc_log_entry, tsas, 768);

struct nvmf_disc_log_hdr {
	uint64_t genctr;
	uint64_t numrec;
	uint16_t recfmt;
	uint8_t rsvd[1006];
};
NVMF_LAYOUT(struct nvmf_disc_log_hdr, 1024);

/* ------------------------------------------------------------------ */
/* NVMe/TCP PDUs                                                       */
/* ------------------------------------------------------------------ */

enum nvme_tcp_pdu_type {
	NVME_TCP_ICREQ = 0x00,
	NVME_TCP_ICRESP = 0x01,
	NVME_TCP_H2C_TERM = 0x02,
	NVME_TCP_C2H_TERM = 0x03,
	NVME_TCP_CMD = 0x04,
	NVME_TCP_RSP = 0x05,
	NVME_TCP_H2C_DATA = 0x06,
	NVME_TCP_C2H_DATA = 0x07,
	NVME_TCP_R2T = 0x09,
	NVME_TCP_PDU_TYPE_MAX = 0x0a,
};

enum nvme_tcp_pdu_flags {
	NVME_TCP_F_HDGST = 1u << 0,
	NVME_TCP_F_DDGST = 1u << 1,
	NVME_TCP_F_DATA_LAST = 1u << 2,
	NVME_TCP_F_DATA_SUCCESS = 1u << 3,
};

/* ICReq/ICResp DGST field */
#define NVME_TCP_DGST_HDR (1u << 0)
#define NVME_TCP_DGST_DATA (1u << 1)

#define NVME_TCP_PFV_1_0 0
#define NVME_TCP_DIGEST_LEN 4
#define NVME_TCP_TERM_MAX_DATA 128     /* C2HTermReq: offending header bytes */
#define NVME_TCP_TERM_PLEN_MAX 152

enum nvme_tcp_fes {
	NVME_TCP_FES_INVALID_HEADER = 0x01,
	NVME_TCP_FES_PDU_SEQUENCE = 0x02,
	NVME_TCP_FES_HDR_DIGEST = 0x03,
	NVME_TCP_FES_DATA_OUT_OF_RANGE = 0x04,
	NVME_TCP_FES_R2T_LIMIT = 0x05,
	NVME_TCP_FES_DATA_LIMIT = 0x05, /* same code: data transfer limit exceeded */
	NVME_TCP_FES_UNSUPPORTED_PARAM = 0x06,
};

struct nvme_tcp_ch {
	uint8_t type;
	uint8_t flags;
	uint8_t hlen;
	uint8_t pdo;
	uint32_t plen;
};
NVMF_LAYOUT(struct nvme_tcp_ch, 8);
NVMF_FIELD(struct nvme_tcp_ch, hlen, 2);
NVMF_FIELD(struct nvme_tcp_ch, pdo, 3);
NVMF_FIELD(struct nvme_tcp_ch, plen, 4);

struct nvme_tcp_icreq {
	struct nvme_tcp_ch ch;
	uint16_t pfv;
	uint8_t hpda;    /* 0's based dwords: host wants C2H data aligned so */
	uint8_t dgst;
	uint32_t maxr2t; /* 0's based */
	uint8_t rsvd[112];
};
NVMF_LAYOUT(struct nvme_tcp_icreq, 128);
NVMF_FIELD(struct nvme_tcp_icreq, pfv, 8);
NVMF_FIELD(struct nvme_tcp_icreq, hpda, 10);
NVMF_FIELD(struct nvme_tcp_icreq, dgst, 11);
NVMF_FIELD(struct nvme_tcp_icreq, maxr2t, 12);

struct nvme_tcp_icresp {
	struct nvme_tcp_ch ch;
	uint16_t pfv;
	uint8_t cpda;
	uint8_t dgst;
	uint32_t maxh2cdata;
	uint8_t rsvd[112];
};
NVMF_LAYOUT(struct nvme_tcp_icresp, 128);
NVMF_FIELD(struct nvme_tcp_icresp, cpda, 10);
NVMF_FIELD(struct nvme_tcp_icresp, maxh2cdata, 12);

struct nvme_tcp_term {
	struct nvme_tcp_ch ch;
	uint16_t fes;
	uint32_t fei;
	uint8_t rsvd[10];
} __attribute__((packed));
NVMF_LAYOUT(struct nvme_tcp_term, 24);
NVMF_FIELD(struct nvme_tcp_term, fes, 8);
NVMF_FIELD(struct nvme_tcp_term, fei, 10);

struct nvme_tcp_cmd {
	struct nvme_tcp_ch ch;
	struct nvme_sqe sqe;
};
NVMF_LAYOUT(struct nvme_tcp_cmd, 72);

struct nvme_tcp_rsp {
	struct nvme_tcp_ch ch;
	struct nvme_cqe cqe;
};
NVMF_LAYOUT(struct nvme_tcp_rsp, 24);

/* H2CData and C2HData share this layout (ttag reserved in C2HData). */
struct nvme_tcp_data {
	struct nvme_tcp_ch ch;
	uint16_t cccid;
	uint16_t ttag;
	uint32_t datao;
	uint32_t datal;
	uint32_t rsvd;
};
NVMF_LAYOUT(struct nvme_tcp_data, 24);
NVMF_FIELD(struct nvme_tcp_data, cccid, 8);
NVMF_FIELD(struct nvme_tcp_data, ttag, 10);
NVMF_FIELD(struct nvme_tcp_data, datao, 12);
NVMF_FIELD(struct nvme_tcp_data, datal, 16);

struct nvme_tcp_r2t {
	struct nvme_tcp_ch ch;
	uint16_t cccid;
	uint16_t ttag;
	uint32_t r2to;
	uint32_t r2tl;
	uint32_t rsvd;
};
NVMF_LAYOUT(struct nvme_tcp_r2t, 24);
NVMF_FIELD(struct nvme_tcp_r2t, r2to, 12);
NVMF_FIELD(struct nvme_tcp_r2t, r2tl, 16);

/* Fixed header lengths per PDU type (hlen must match exactly). */
static inline uint8_t nvme_tcp_pdu_hlen(uint8_t type)
{
	switch (type) {
	case NVME_TCP_ICREQ:
	case NVME_TCP_ICRESP:
		return 128;
	case NVME_TCP_CMD:
		return 72;
	case NVME_TCP_H2C_TERM:
	case NVME_TCP_C2H_TERM:
	case NVME_TCP_RSP:
	case NVME_TCP_H2C_DATA:
	case NVME_TCP_C2H_DATA:
	case NVME_TCP_R2T:
		return 24;
	default:
		return 0;
	}
}

#endif /* NVMF_SPEC_H */
