/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Target internals shared by the library's translation units.
 *
 * Threading model: every connection (one per queue) is owned by exactly one
 * reactor thread and only ever touched there. Controllers are shared by
 * their admin connection and their I/O connections (possibly on other
 * reactors); the fields they share are behind ctrlr->lock, everything else
 * belongs to the admin connection's reactor. Cross-thread work is a message
 * to the owning reactor. Namespace tables are read lock-free on the I/O
 * path; writers unlink and then wait for every reactor to pass a quiescent
 * point (nvmf_reactors_sync) before dropping the table's reference.
 */
#ifndef NVMF_INTERNAL_H
#define NVMF_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/queue.h>
#include <sys/uio.h>

#include <liburing.h>

#include "nvmf_spec.h"
#include "nvmf_tgt.h"

#ifndef TAILQ_FOREACH_SAFE
#define TAILQ_FOREACH_SAFE(var, head, field, tvar)                   \
	for ((var) = TAILQ_FIRST(head);                              \
	     (var) && ((tvar) = TAILQ_NEXT(var, field), 1);           \
	     (var) = (tvar))
#endif

#define NVMF_MAX_NS_DEFAULT 32
#define NVMF_ADMIN_SQ_MAX 128
#define NVMF_ADMIN_ICD 8192         /* admin/fabrics in-capsule data (NVMe/TCP minimum) */
#define NVMF_AER_MAX 4
#define NVMF_ERR_LOG_ENTRIES 16
#define NVMF_RXBUF_SIZE (64 * 1024)
#define NVMF_TICK_MS 100
#define NVMF_IC_TIMEOUT_MS 10000    /* connection idle before ICReq/Connect */
#define NVMF_MAX_SUBSYS_LISTENERS 16

#define NVMF_LIKELY(x) __builtin_expect(!!(x), 1)
#define NVMF_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define NVMF_CONTAINER_OF(p, type, m) ((type *)((char *)(p) - offsetof(type, m)))

struct nvmf_conn;
struct nvmf_ctrlr;
struct nvmf_reactor;
struct nvmf_req;

/* ---- logging ---- */

void nvmf_log(struct nvmf_tgt *tgt, enum nvmf_log_level lvl, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
#define NVMF_ERR(t, ...) nvmf_log((t), NVMF_LOG_ERR, __VA_ARGS__)
#define NVMF_WARN(t, ...) nvmf_log((t), NVMF_LOG_WARN, __VA_ARGS__)
#define NVMF_INFO(t, ...) nvmf_log((t), NVMF_LOG_INFO, __VA_ARGS__)
#define NVMF_DBG(t, ...) nvmf_log((t), NVMF_LOG_DEBUG, __VA_ARGS__)

uint64_t nvmf_now_ns(void);

/* ---- CRC32C (NVMe/TCP digests) ---- */

uint32_t nvmf_crc32c(const void *buf, size_t len);
uint32_t nvmf_crc32c_update(uint32_t crc, const void *buf, size_t len);
#define NVMF_CRC32C_INIT 0xffffffffu
#define NVMF_CRC32C_FINAL(c) ((c) ^ 0xffffffffu)

/* ---- PDU header validation (pure; fuzzed) ---- */

struct nvmf_pdu_limits {
	bool hdgst;            /* negotiated (ignored before ICReq) */
	bool ddgst;
	bool ic_done;          /* ICReq/ICResp exchange finished */
	uint32_t max_icd;      /* in-capsule data allowed on this queue */
	uint32_t maxh2cdata;
	uint8_t cpda;          /* 0's based dwords we require for H2C data */
};

struct nvmf_pdu_err {
	uint16_t fes;          /* enum nvme_tcp_fes */
	uint32_t fei;          /* byte offset of the offending field */
	const char *why;
};

/*
 * Check a common header (8 bytes) against the connection state. On
 * success returns 0 and *hdr_total = hlen (+ 4 with header digest).
 */
int nvmf_pdu_check_ch(const struct nvme_tcp_ch *ch, const struct nvmf_pdu_limits *lim,
		      uint32_t *hdr_total, struct nvmf_pdu_err *err);

/* Data length/offset of a PDU whose common header passed the check. */
struct nvmf_pdu_layout {
	uint32_t pad;          /* bytes between header(+digest) and data */
	uint32_t data_len;
	bool has_ddgst;
};
int nvmf_pdu_layout(const struct nvme_tcp_ch *ch, const struct nvmf_pdu_limits *lim,
		    struct nvmf_pdu_layout *lay, struct nvmf_pdu_err *err);

/* ---- buffers ---- */

struct nvmf_buf_pool {
	void **free;
	uint32_t nfree;
	uint32_t cap;
	uint32_t size;
	uint32_t allocated;
};

int nvmf_pool_init(struct nvmf_buf_pool *p, uint32_t size);
void nvmf_pool_fini(struct nvmf_buf_pool *p);
void *nvmf_pool_get(struct nvmf_buf_pool *p);
void nvmf_pool_put(struct nvmf_buf_pool *p, void *buf);

/* ---- reactors ---- */

/* Something registered in a reactor's epoll set. */
struct nvmf_evh {
	void (*fn)(struct nvmf_evh *evh, uint32_t events);
};

typedef void (*nvmf_msg_fn)(struct nvmf_reactor *r, void *arg);

struct nvmf_msg {
	TAILQ_ENTRY(nvmf_msg) link;
	nvmf_msg_fn fn;
	void *arg;
	/* synchronous calls */
	pthread_mutex_t *done_lock;
	pthread_cond_t *done_cond;
	bool *done;
};

TAILQ_HEAD(nvmf_msg_list, nvmf_msg);
TAILQ_HEAD(nvmf_conn_list, nvmf_conn);

struct nvmf_reactor {
	struct nvmf_tgt *tgt;
	unsigned int idx;
	pthread_t thread;
	bool started;
	int epfd;
	int msg_fd;             /* eventfd */
	struct nvmf_evh msg_evh;
	pthread_mutex_t msg_lock;
	struct nvmf_msg_list msgs;
	atomic_bool stop;
	atomic_uint nconns;     /* for least-loaded placement */

	struct nvmf_conn_list conns;    /* owned connections */
	struct nvmf_conn_list dirty;    /* connections with queued TX */
	struct nvmf_conn_list zombies;  /* closed, waiting for backend I/O */

	/* io_uring for file namespaces, created on first use */
	struct io_uring ring;
	bool ring_ok;
	int ring_fd;            /* eventfd registered with the ring */
	struct nvmf_evh ring_evh;
	unsigned int ring_unsubmitted;

	struct nvmf_buf_pool small;
	struct nvmf_buf_pool large;
	uint64_t next_tick_ns;
};

int nvmf_reactors_start(struct nvmf_tgt *tgt);
void nvmf_reactors_stop(struct nvmf_tgt *tgt);
/* Run @fn on @r's thread; async: @fn owns @arg. -ENOMEM if no message. */
int nvmf_reactor_send(struct nvmf_reactor *r, nvmf_msg_fn fn, void *arg);
/* Run @fn on @r's thread and wait (never from a reactor thread). */
void nvmf_reactor_call(struct nvmf_reactor *r, nvmf_msg_fn fn, void *arg);
/* Wait until every reactor passed a quiescent point. */
void nvmf_reactors_sync(struct nvmf_tgt *tgt);
struct nvmf_reactor *nvmf_reactor_pick(struct nvmf_tgt *tgt);
int nvmf_reactor_ring(struct nvmf_reactor *r); /* ensure io_uring exists */

/* ---- block backends ---- */

struct nvmf_bdev {
	uint8_t type;           /* enum nvmf_backend */
	uint8_t block_shift;
	uint32_t block_size;
	uint64_t num_blocks;
	uint8_t *mem;           /* RAM */
	size_t mem_len;
	int fd;                 /* FILE */
	bool is_blkdev;
	bool vwc;               /* volatile write cache: Flush means something */
};

int nvmf_bdev_open(struct nvmf_tgt *tgt, struct nvmf_bdev *b, const struct nvmf_ns_params *p);
void nvmf_bdev_close(struct nvmf_bdev *b);

/* Execute the I/O command in @req (already validated). Returns a status
 * (NVME_SC_*) when done synchronously or NVMF_ASYNC when io_uring owns it. */
#define NVMF_ASYNC 0xffffu
uint16_t nvmf_bdev_submit(struct nvmf_req *req);
void nvmf_ring_event(struct nvmf_evh *evh, uint32_t events);
void nvmf_ring_reap(struct nvmf_reactor *r);

/* ---- configuration objects ---- */

struct nvmf_ns {
	atomic_int refs;
	uint32_t nsid;
	struct nvmf_ns_params p;
	struct nvmf_bdev bdev;
};

void nvmf_ns_put(struct nvmf_ns *ns);

struct nvmf_listener {
	TAILQ_ENTRY(nvmf_listener) link;
	struct nvmf_evh evh;
	struct nvmf_tgt *tgt;
	int fd;
	uint8_t adrfam;
	uint16_t port;
	uint16_t portid;
	char traddr[48];
	unsigned int refs;      /* subsystem associations */
	/* discovery log address if set (adv_traddr[0]); under tgt->lock */
	uint8_t adv_adrfam;
	uint16_t adv_port;
	char adv_traddr[48];
};

struct nvmf_subsys {
	TAILQ_ENTRY(nvmf_subsys) link;
	struct nvmf_tgt *tgt;
	atomic_int refs;
	struct nvmf_subsys_params p;
	bool discovery;
	bool deleted;

	pthread_mutex_t lock;   /* everything below */
	struct nvmf_ns *_Atomic *ns;  /* [max_ns], index nsid - 1; lock-free reads */
	uint32_t max_ns;
	char (*hosts)[NVMF_NQN_LEN];
	uint32_t n_hosts;
	struct nvmf_listener *listeners[NVMF_MAX_SUBSYS_LISTENERS];
	uint32_t n_listeners;
	TAILQ_HEAD(, nvmf_ctrlr) ctrlrs;
	uint16_t next_cntlid;
};

void nvmf_subsys_get(struct nvmf_subsys *s);
void nvmf_subsys_put(struct nvmf_subsys *s);
bool nvmf_subsys_host_allowed(struct nvmf_subsys *s, const char *hostnqn);
bool nvmf_subsys_listening(struct nvmf_subsys *s, const char *traddr, uint16_t port);
/* Look up by NQN with a reference (the discovery NQN gives tgt->disc). */
struct nvmf_subsys *nvmf_subsys_find(struct nvmf_tgt *tgt, const char *nqn);
static inline struct nvmf_ns *nvmf_subsys_ns(struct nvmf_subsys *s, uint32_t nsid)
{
	if (nsid == 0 || nsid > s->max_ns)
		return NULL;
	return atomic_load_explicit(&s->ns[nsid - 1], memory_order_acquire);
}

struct nvmf_tgt {
	struct nvmf_tgt_opts opts;
	pthread_mutex_t lock;   /* subsystem and listener lists */
	TAILQ_HEAD(, nvmf_subsys) subsystems;
	TAILQ_HEAD(, nvmf_listener) listeners;
	TAILQ_HEAD(, nvmf_listener) dead_listeners;
	uint32_t n_subsystems;
	struct nvmf_subsys *disc;
	uint16_t next_portid;

	struct nvmf_reactor *reactors;
	unsigned int n_reactors;
	atomic_ullong genctr;   /* discovery log generation */

	uint8_t *zero_buf;      /* max_io_size zeros: NULL namespace reads */
	int spare_fd;           /* released to shed connections at EMFILE */
	uint32_t small_buf_size;

	struct {
		atomic_ullong conns_accepted;
		atomic_ullong conns_active;
		atomic_ullong pdu_errors;
		atomic_ullong hdgst_errors;
		atomic_ullong ddgst_errors;
		atomic_ullong ka_timeouts;
		atomic_ullong cmds;
		atomic_ullong connect_rejects;
	} st;
};

#define NVMF_STAT_INC(tgt, f) atomic_fetch_add_explicit(&(tgt)->st.f, 1, memory_order_relaxed)

void nvmf_listener_event(struct nvmf_evh *evh, uint32_t events);
/* Subsystem config changed: bump genctr and raise discovery AENs. */
void nvmf_disc_changed(struct nvmf_tgt *tgt);

/* ---- controllers ---- */

struct nvmf_ctrlr {
	TAILQ_ENTRY(nvmf_ctrlr) link;   /* subsys->ctrlrs */
	atomic_int refs;
	struct nvmf_subsys *subsys;
	struct nvmf_tgt *tgt;
	uint16_t cntlid;
	char hostnqn[NVMF_NQN_LEN];
	uint8_t hostid[16];
	bool discovery;

	/* admin reactor only */
	struct nvmf_conn *admin;
	struct nvmf_reactor *reactor;
	uint32_t cc;
	uint32_t csts;
	uint32_t kato_ms;
	uint64_t ka_deadline_ns;
	uint32_t aec;                   /* async event config (feature 0x0b) */
	uint16_t nr_io_queues;          /* granted (Number of Queues feature) */
	struct nvmf_req *aer[NVMF_AER_MAX];
	uint32_t n_aer;
	struct nvme_error_log errlog[NVMF_ERR_LOG_ENTRIES];
	uint64_t err_count;

	pthread_mutex_t lock;           /* shared with I/O reactors and config */
	struct nvmf_conn **io;          /* [max_io_queues + 1] */
	uint32_t pending_aen;           /* bit0: ns changed, bit1: discovery changed */
	uint32_t masked_aen;            /* raised, waiting for the log page read */
	uint32_t chg_ns[NVME_CHANGED_NS_MAX];
	uint32_t n_chg_ns;
	bool chg_overflow;
	/* SMART: totals of closed I/O queues (live ones are summed on read) */
	uint64_t units_read, units_written, host_reads, host_writes;
};

#define NVMF_AEN_NS (1u << 0)
#define NVMF_AEN_DISC (1u << 1)

void nvmf_ctrlr_put(struct nvmf_ctrlr *c);
void nvmf_ctrlr_admin_gone(struct nvmf_ctrlr *c);
void nvmf_ctrlr_io_gone(struct nvmf_ctrlr *c, struct nvmf_conn *conn);
void nvmf_ctrlr_disconnect_io(struct nvmf_ctrlr *c);
/* Raise an AEN (any thread). */
void nvmf_ctrlr_notify(struct nvmf_ctrlr *c, uint32_t aen, uint32_t nsid);
void nvmf_ctrlr_record_error(struct nvmf_ctrlr *c, struct nvmf_req *req);

/* ---- connections and requests ---- */

enum nvmf_req_state {
	NVMF_REQ_FREE = 0,
	NVMF_REQ_RX_DATA,      /* in-capsule data or H2CData arriving */
	NVMF_REQ_EXEC,         /* backend / AER pending */
	NVMF_REQ_TX,           /* response queued */
};

enum nvmf_xfer { NVMF_XFER_NONE = 0, NVMF_XFER_H2C, NVMF_XFER_C2H };

struct nvmf_tx_hdr24 {
	uint8_t pdu[24] __attribute__((aligned(8)));
	uint32_t hdgst;
};

struct nvmf_req {
	struct nvmf_conn *conn;
	struct nvmf_req *next_free;
	uint16_t ttag;
	uint8_t state;
	uint8_t xfer;
	uint8_t pool;          /* 0: none, 1: small, 2: large */
	bool ddgst_bad;
	bool await_h2c;        /* R2T sent; runs after the last H2CData */
	uint16_t status;       /* NVME_SC_* */
	struct nvme_sqe cmd;
	uint32_t dw0;
	uint32_t dw1;
	uint32_t len;          /* data transfer length */
	uint32_t h2c_off;      /* H2C bytes received */
	uint8_t *buf;          /* owned pool buffer */
	const uint8_t *wdata;  /* H2C payload: buf, or in place in the receive buffer */
	const uint8_t *data;   /* C2H source (buf, RAM, zeroes) */
	struct nvmf_ns *ns;    /* referenced while the request lives */
	uint32_t io_pending;   /* io_uring operations in flight */
	uint32_t io_done;      /* bytes done for partial read/write resubmits */
	bool zero_fallback;    /* fallocate unsupported: write zeroes by hand */
	struct nvmf_tx_hdr24 c2h;
	struct nvmf_tx_hdr24 rsp;
	struct nvmf_tx_hdr24 r2t;
	uint32_t ddgst;
};

enum nvmf_conn_state {
	NVMF_CONN_IC = 0,      /* waiting for ICReq */
	NVMF_CONN_RUN,
	NVMF_CONN_CLOSED,
};

enum nvmf_rx_state {
	NVMF_RX_CH = 0,
	NVMF_RX_HDR,
	NVMF_RX_PAD,
	NVMF_RX_DATA,
	NVMF_RX_DDGST,
};

struct nvmf_conn {
	struct nvmf_evh evh;
	TAILQ_ENTRY(nvmf_conn) link;
	TAILQ_ENTRY(nvmf_conn) dirty_link;
	bool on_dirty;
	struct nvmf_reactor *r;
	struct nvmf_tgt *tgt;
	int fd;
	uint8_t state;
	char traddr[48];        /* listener this came in on */
	uint16_t port;
	char peer[64];
	uint64_t created_ns;

	/* negotiated */
	bool hdgst;
	bool ddgst;
	uint8_t hpda;           /* 0's based dwords */
	uint32_t maxr2t;
	struct nvmf_pdu_limits lim;

	/* queue */
	bool connected;
	uint16_t qid;
	uint16_t sqsize;        /* entries */
	uint16_t sqhd;
	bool sqflow_off;
	struct nvmf_ctrlr *ctrlr;
	struct nvmf_subsys *subsys;
	struct nvmf_req *reqs;
	uint32_t nreqs;
	struct nvmf_req *free_reqs;
	uint32_t backend_inflight;

	/* receive */
	uint8_t *rxbuf;
	uint32_t rpos, wpos;
	uint8_t rx_state;
	uint8_t hdr[128 + NVME_TCP_DIGEST_LEN] __attribute__((aligned(8)));
	uint32_t hdr_have;
	uint32_t hdr_need;
	struct nvmf_pdu_layout lay;
	struct nvmf_req *rx_req;
	uint8_t *rx_dst;        /* NULL: discard */
	uint32_t rx_left;
	uint32_t rx_data_len;
	uint8_t rx_ddgst[4];
	uint32_t rx_ddgst_have;

	/* transmit */
	struct iovec *txiov;
	struct nvmf_req **txreq; /* request released once this iov is sent */
	uint32_t txhead, txtail, txcap;
	bool want_out;
	uint8_t icresp[128] __attribute__((aligned(8)));
	uint8_t term[NVME_TCP_TERM_PLEN_MAX] __attribute__((aligned(8)));

	/* per-queue counters (summed into SMART) */
	uint64_t units_read, units_written, host_reads, host_writes;
};

struct nvmf_conn *nvmf_conn_create(struct nvmf_tgt *tgt, int fd, const struct nvmf_listener *l);
void nvmf_conn_attach(struct nvmf_reactor *r, void *conn); /* msg fn */
void nvmf_conn_close(struct nvmf_conn *c, const char *why);
void nvmf_conn_free(struct nvmf_conn *c);
void nvmf_conn_flush(struct nvmf_conn *c);
/* Allocate request slots after Connect fixed the queue size. */
int nvmf_conn_alloc_reqs(struct nvmf_conn *c, uint32_t n);

/* Request helpers used by command handlers. */
int nvmf_req_get_buf(struct nvmf_req *req, uint32_t len);
void nvmf_req_complete(struct nvmf_req *req);
/* Backend finished a request (any status already set). */
void nvmf_req_backend_done(struct nvmf_req *req);

/* Command handlers: return a status, or NVMF_ASYNC. */
uint16_t nvmf_fabrics_exec(struct nvmf_req *req);
uint16_t nvmf_admin_exec(struct nvmf_req *req);
uint16_t nvmf_io_exec(struct nvmf_req *req);
/* I/O commands: validate before data moves (length/ns/LBA). */
uint16_t nvmf_io_prepare(struct nvmf_req *req);
void nvmf_admin_deliver_aen(struct nvmf_ctrlr *c);
void nvmf_disc_log_fill(struct nvmf_ctrlr *c, uint8_t *buf, uint64_t off, uint32_t len);

#endif /* NVMF_INTERNAL_H */
