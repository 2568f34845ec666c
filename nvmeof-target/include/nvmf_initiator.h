/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Userspace NVMe/TCP initiator (host side): queue pairs over plain TCP,
 * asynchronous submit/poll with callbacks, synchronous helpers, and
 * controller bring-up (Connect, CC.EN, Identify). Single-threaded per
 * queue pair. Used by nvmf-identify, nvmf-perf and the conformance tests,
 * so it also exposes knobs a real host would not (force R2T, raw PDUs).
 */
#ifndef NVMF_INITIATOR_H
#define NVMF_INITIATOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nvmf_spec.h"

#ifdef __cplusplus
extern "C" {
#endif

struct nvmfi_qpair;

enum nvmfi_dir { NVMFI_NONE = 0, NVMFI_H2C = 1, NVMFI_C2H = 2 };

struct nvmfi_opts {
	char traddr[48];
	uint16_t port;
	char subnqn[NVMF_NQN_LEN];
	char hostnqn[NVMF_NQN_LEN];
	uint8_t hostid[16];
	bool hdgst;
	bool ddgst;
	uint8_t hpda;            /* 0's based dwords */
	uint32_t kato_ms;        /* admin Connect KATO */
	uint16_t admin_qsize;    /* entries (default 32) */
	uint16_t io_qsize;       /* entries (default 128) */
	bool sqflow_on;          /* default off: lets the target use C2H SUCCESS */
	bool no_icd;             /* never send in-capsule data: always R2T */
	int timeout_ms;          /* synchronous calls (default 10000) */
};

/** Defaults: port 4420, random host NQN/ID, no digests. */
void nvmfi_opts_default(struct nvmfi_opts *o);

typedef void (*nvmfi_cb)(void *arg, const struct nvme_cqe *cqe);

/** TCP connect and ICReq/ICResp; no Fabrics Connect yet. */
int nvmfi_qpair_open(const struct nvmfi_opts *o, uint16_t qsize, struct nvmfi_qpair **out);
/** Fabrics Connect on an opened queue; *cqe gets the response. */
int nvmfi_connect(struct nvmfi_qpair *qp, uint16_t qid, uint16_t cntlid, uint32_t kato_ms,
		  struct nvme_cqe *cqe);
void nvmfi_qpair_close(struct nvmfi_qpair *qp);

/**
 * Queue a command. cid and the data descriptor are filled in. For
 * NVMFI_H2C, data goes in-capsule when it fits IOCCSZ (unless no_icd),
 * otherwise on R2T. -EBUSY: queue full; -ENOTCONN: queue failed.
 */
int nvmfi_submit(struct nvmfi_qpair *qp, struct nvme_sqe *cmd, void *buf, uint32_t len,
		 enum nvmfi_dir dir, nvmfi_cb cb, void *arg);
/** Send queued PDUs and process received ones; timeout_ms < 0 blocks. Returns completions. */
int nvmfi_poll(struct nvmfi_qpair *qp, int timeout_ms);
/** Submit, wait; status in cqe (returns 0) or a transport error (< 0). */
int nvmfi_cmd_sync(struct nvmfi_qpair *qp, struct nvme_sqe *cmd, void *buf, uint32_t len,
		   enum nvmfi_dir dir, struct nvme_cqe *cqe);
int nvmfi_prop_get(struct nvmfi_qpair *qp, uint32_t ofst, bool size8, uint64_t *val,
		   struct nvme_cqe *cqe);
int nvmfi_prop_set(struct nvmfi_qpair *qp, uint32_t ofst, uint32_t val, struct nvme_cqe *cqe);

/** In-flight commands. */
unsigned int nvmfi_outstanding(const struct nvmfi_qpair *qp);
int nvmfi_fd(const struct nvmfi_qpair *qp);
/** Set the in-capsule limit (bytes) used by submit; the controller's IOCCSZ. */
void nvmfi_set_icd(struct nvmfi_qpair *qp, uint32_t bytes);
/** Busy-poll: never block in nvmfi_poll (benchmarks). */
void nvmfi_set_busy_poll(struct nvmfi_qpair *qp, bool on);

/* Conformance-test access. */
struct nvmfi_stats {
	uint64_t r2t_rx;
	uint64_t h2c_tx;
	uint64_t c2h_rx;
	uint64_t c2h_success;    /* completions carried by a SUCCESS C2HData */
	uint64_t rsp_rx;
	uint64_t icd_tx;         /* commands sent with in-capsule data */
	uint16_t term_fes;       /* last C2HTermReq */
	uint32_t term_fei;
	bool term_rx;
	uint8_t cpda;
	uint32_t maxh2cdata;
	bool hdgst;
	bool ddgst;
};
const struct nvmfi_stats *nvmfi_stats(const struct nvmfi_qpair *qp);
/** Write raw bytes to the socket (after flushing queued PDUs). */
int nvmfi_send_raw(struct nvmfi_qpair *qp, const void *buf, size_t len);
/** Wait until the peer closes the connection (0) or timeout (-ETIMEDOUT). */
int nvmfi_wait_closed(struct nvmfi_qpair *qp, int timeout_ms);
/** Test hook: corrupt the next PDU's header (1) or data (2) digest. */
void nvmfi_test_corrupt_next(struct nvmfi_qpair *qp, int what);
/** Last transport error (negative errno) or 0. */
int nvmfi_error(const struct nvmfi_qpair *qp);

/* ---- controller ---- */

struct nvmfi_ctrlr {
	struct nvmfi_opts opts;
	struct nvmfi_qpair *admin;
	uint16_t cntlid;
	uint64_t cap;
	struct nvme_id_ctrlr id;
	bool discovery;
	uint64_t last_ka_ms;
};

/** Admin queue Connect, enable (CC.EN), wait for CSTS.RDY, Identify. */
int nvmfi_ctrlr_connect(const struct nvmfi_opts *o, struct nvmfi_ctrlr **out);
/** Open I/O queue @qid with @qsize entries (0: opts.io_qsize). */
int nvmfi_ctrlr_io_qpair(struct nvmfi_ctrlr *c, uint16_t qid, uint16_t qsize,
			 struct nvmfi_qpair **out);
/**
 * Send a Keep Alive if half the controller's KATO has passed since the
 * last one (no-op with KATO 0). Call it from the I/O loop.
 */
int nvmfi_ctrlr_keep_alive(struct nvmfi_ctrlr *c);
/** Shut down (CC.SHN) and close the admin queue. */
void nvmfi_ctrlr_close(struct nvmfi_ctrlr *c);
int nvmfi_identify(struct nvmfi_qpair *admin, uint8_t cns, uint32_t nsid, void *buf4k,
		   struct nvme_cqe *cqe);
int nvmfi_get_log(struct nvmfi_qpair *admin, uint8_t lid, uint32_t nsid, uint64_t off,
		  void *buf, uint32_t len, bool rae, struct nvme_cqe *cqe);

/** Human-readable name for an NVMe status (sct << 8 | sc). */
const char *nvmfi_status_str(uint16_t st);

#ifdef __cplusplus
}
#endif

#endif /* NVMF_INITIATOR_H */
