/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Controllers (dynamic model) and the fabrics commands: Connect, Property
 * Get/Set, Disconnect. A controller is created by an admin-queue Connect
 * with CNTLID 0xFFFF and dies with its admin queue; I/O queues join it by
 * CNTLID and must come from the same host NQN.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "nvmf_internal.h"

#define IPO_DATA(field) ((1u << 16) | (uint32_t)offsetof(struct nvmf_connect_data, field))
#define IPO_SQE(field) ((uint32_t)offsetof(struct nvmf_connect_cmd, field))

void nvmf_ctrlr_put(struct nvmf_ctrlr *c)
{
	if (atomic_fetch_sub(&c->refs, 1) != 1)
		return;
	nvmf_subsys_put(c->subsys);
	pthread_mutex_destroy(&c->lock);
	free(c->io);
	free(c);
}

struct io_close_msg {
	struct nvmf_ctrlr *ctrlr;
	uint16_t qid;
};

static void io_close_fn(struct nvmf_reactor *r, void *arg)
{
	struct io_close_msg *m = arg;
	struct nvmf_conn *conn;

	pthread_mutex_lock(&m->ctrlr->lock);
	conn = m->ctrlr->io[m->qid];
	pthread_mutex_unlock(&m->ctrlr->lock);
	/* only this reactor frees its connections, so conn stays valid here */
	if (conn && conn->r == r)
		nvmf_conn_close(conn, "controller reset or gone");
	nvmf_ctrlr_put(m->ctrlr);
	free(m);
}

void nvmf_ctrlr_disconnect_io(struct nvmf_ctrlr *c)
{
	pthread_mutex_lock(&c->lock);
	for (uint32_t q = 1; q <= c->tgt->opts.max_io_queues; q++) {
		struct io_close_msg *m;

		if (!c->io[q])
			continue;
		m = malloc(sizeof(*m));
		if (!m)
			continue;
		m->ctrlr = c;
		m->qid = (uint16_t)q;
		atomic_fetch_add(&c->refs, 1);
		if (nvmf_reactor_send(c->io[q]->r, io_close_fn, m)) {
			atomic_fetch_sub(&c->refs, 1);
			free(m);
		}
	}
	pthread_mutex_unlock(&c->lock);
}

void nvmf_ctrlr_admin_gone(struct nvmf_ctrlr *c)
{
	struct nvmf_subsys *s = c->subsys;
	bool listed = false;
	struct nvmf_ctrlr *it;

	pthread_mutex_lock(&s->lock);
	TAILQ_FOREACH(it, &s->ctrlrs, link)
		if (it == c)
			listed = true;
	if (listed)
		TAILQ_REMOVE(&s->ctrlrs, c, link);
	pthread_mutex_unlock(&s->lock);
	c->admin = NULL;
	c->n_aer = 0;
	nvmf_ctrlr_disconnect_io(c);
	if (listed)
		nvmf_ctrlr_put(c);
	nvmf_ctrlr_put(c);
}

void nvmf_ctrlr_io_gone(struct nvmf_ctrlr *c, struct nvmf_conn *conn)
{
	pthread_mutex_lock(&c->lock);
	if (c->io[conn->qid] == conn)
		c->io[conn->qid] = NULL;
	c->units_read += conn->units_read;
	c->units_written += conn->units_written;
	c->host_reads += conn->host_reads;
	c->host_writes += conn->host_writes;
	pthread_mutex_unlock(&c->lock);
	nvmf_ctrlr_put(c);
}

static void deliver_fn(struct nvmf_reactor *r, void *arg)
{
	struct nvmf_ctrlr *c = arg;

	(void)r;
	nvmf_admin_deliver_aen(c);
	nvmf_ctrlr_put(c);
}

void nvmf_ctrlr_notify(struct nvmf_ctrlr *c, uint32_t aen, uint32_t nsid)
{
	bool raise = false;

	pthread_mutex_lock(&c->lock);
	if (aen & NVMF_AEN_NS) {
		bool dup = false;

		for (uint32_t i = 0; i < c->n_chg_ns && !dup; i++)
			dup = c->chg_ns[i] == nsid;
		if (!dup) {
			if (c->n_chg_ns < NVME_CHANGED_NS_MAX)
				c->chg_ns[c->n_chg_ns++] = nsid;
			else
				c->chg_overflow = true;
		}
		if (c->aec & NVME_AEN_CFG_NS_ATTR) {
			c->pending_aen |= NVMF_AEN_NS;
			raise = true;
		}
	}
	if ((aen & NVMF_AEN_DISC) && (c->aec & NVME_AEN_CFG_DISC_CHANGE)) {
		c->pending_aen |= NVMF_AEN_DISC;
		raise = true;
	}
	pthread_mutex_unlock(&c->lock);
	if (raise) {
		atomic_fetch_add(&c->refs, 1);
		if (nvmf_reactor_send(c->reactor, deliver_fn, c))
			nvmf_ctrlr_put(c);
	}
}

void nvmf_ctrlr_record_error(struct nvmf_ctrlr *c, struct nvmf_req *req)
{
	struct nvme_error_log *e;

	pthread_mutex_lock(&c->lock);
	e = &c->errlog[c->err_count % NVMF_ERR_LOG_ENTRIES];
	memset(e, 0, sizeof(*e));
	e->error_count = ++c->err_count;
	e->sqid = req->conn->qid;
	e->cid = req->cmd.cid;
	e->status = nvme_status_field(req->status, 0);
	e->param_loc = 0xffff;
	e->nsid = req->cmd.nsid;
	if (req->cmd.opc == NVME_IO_READ || req->cmd.opc == NVME_IO_WRITE)
		e->lba = (uint64_t)req->cmd.cdw10 | ((uint64_t)req->cmd.cdw11 << 32);
	e->trtype = NVMF_TRTYPE_TCP;
	pthread_mutex_unlock(&c->lock);
}

/* ---- Connect ---- */

static uint16_t connect_reject(struct nvmf_req *req, uint16_t st, uint32_t ipo)
{
	NVMF_STAT_INC(req->conn->tgt, connect_rejects);
	req->dw0 = ipo;
	return st;
}

static uint16_t cntlid_alloc(struct nvmf_subsys *s)
{
	for (int tries = 0; tries < 0xffef; tries++) {
		uint16_t id = s->next_cntlid;
		struct nvmf_ctrlr *c;
		bool used = false;

		s->next_cntlid = id >= 0xffef ? 1 : id + 1;
		TAILQ_FOREACH(c, &s->ctrlrs, link)
			used |= c->cntlid == id;
		if (!used)
			return id;
	}
	return 0;
}

static uint16_t connect_admin(struct nvmf_req *req, struct nvmf_subsys *s,
			      const struct nvmf_connect_cmd *cmd, const struct nvmf_connect_data *d)
{
	struct nvmf_conn *conn = req->conn;
	struct nvmf_tgt *tgt = conn->tgt;
	struct nvmf_ctrlr *c;

	if (d->cntlid != 0xffff)
		return connect_reject(req, NVME_SC_CONNECT_INVALID_PARAM, IPO_DATA(cntlid));
	if ((uint32_t)cmd->sqsize + 1 > NVMF_ADMIN_SQ_MAX)
		return connect_reject(req, NVME_SC_CONNECT_INVALID_PARAM, IPO_SQE(sqsize));
	c = calloc(1, sizeof(*c));
	if (!c)
		return NVME_SC_INTERNAL;
	c->io = calloc((size_t)tgt->opts.max_io_queues + 1, sizeof(*c->io));
	if (!c->io || (!conn->reqs && nvmf_conn_alloc_reqs(conn, (uint32_t)cmd->sqsize + 1))) {
		free(c->io);
		free(c);
		return NVME_SC_INTERNAL;
	}
	atomic_init(&c->refs, 2); /* subsystem list + admin queue */
	c->subsys = s;
	c->tgt = tgt;
	c->discovery = s->discovery;
	memcpy(c->hostnqn, d->hostnqn, NVMF_NQN_LEN);
	c->hostnqn[NVMF_NQN_LEN - 1] = 0;
	memcpy(c->hostid, d->hostid, 16);
	c->admin = conn;
	c->reactor = conn->r;
	c->kato_ms = cmd->kato;
	if (!c->kato_ms && !c->discovery)
		c->kato_ms = tgt->opts.kato_default_ms;
	c->ka_deadline_ns = nvmf_now_ns() + (uint64_t)c->kato_ms * 1000000ull;
	c->nr_io_queues = c->discovery ? 0 : tgt->opts.max_io_queues;
	pthread_mutex_init(&c->lock, NULL);
	pthread_mutex_lock(&s->lock);
	c->cntlid = cntlid_alloc(s);
	if (!c->cntlid || s->deleted) {
		pthread_mutex_unlock(&s->lock);
		pthread_mutex_destroy(&c->lock);
		free(c->io);
		free(c);
		return connect_reject(req, NVME_SC_CONNECT_CTRL_BUSY, 0);
	}
	TAILQ_INSERT_TAIL(&s->ctrlrs, c, link);
	pthread_mutex_unlock(&s->lock);
	nvmf_subsys_get(s); /* the controller's own */
	conn->ctrlr = c;
	NVMF_INFO(tgt, "ctrlr %u on %s for host %s (kato %u ms)", c->cntlid, s->p.nqn, c->hostnqn,
		  c->kato_ms);
	req->dw0 = c->cntlid;
	return NVME_SC_SUCCESS;
}

static uint16_t connect_io(struct nvmf_req *req, struct nvmf_subsys *s,
			   const struct nvmf_connect_cmd *cmd, const struct nvmf_connect_data *d)
{
	struct nvmf_conn *conn = req->conn;
	struct nvmf_tgt *tgt = conn->tgt;
	struct nvmf_ctrlr *c;
	uint16_t st = NVME_SC_SUCCESS;
	uint32_t ipo = 0;

	if ((uint32_t)cmd->sqsize + 1 > tgt->opts.max_queue_depth)
		return connect_reject(req, NVME_SC_CONNECT_INVALID_PARAM, IPO_SQE(sqsize));
	pthread_mutex_lock(&s->lock);
	TAILQ_FOREACH(c, &s->ctrlrs, link)
		if (c->cntlid == d->cntlid)
			break;
	if (!c) {
		st = NVME_SC_CONNECT_INVALID_PARAM;
		ipo = IPO_DATA(cntlid);
	} else if (strncmp(c->hostnqn, d->hostnqn, NVMF_NQN_LEN)) {
		st = NVME_SC_CONNECT_INVALID_PARAM;
		ipo = IPO_DATA(hostnqn);
	} else if (memcmp(c->hostid, d->hostid, 16)) {
		st = NVME_SC_CONNECT_INVALID_PARAM;
		ipo = IPO_DATA(hostid);
	} else if (c->discovery) {
		st = NVME_SC_CONNECT_INVALID_PARAM;
		ipo = IPO_SQE(qid);
	} else {
		pthread_mutex_lock(&c->lock);
		/* cc/csts are written on the admin reactor; a stale read only
		 * delays a racing I/O Connect, it cannot admit a disabled one */
		if (!(__atomic_load_n(&c->csts, __ATOMIC_ACQUIRE) & NVME_CSTS_RDY)) {
			st = NVME_SC_CMD_SEQ_ERROR;
		} else if (cmd->qid > c->nr_io_queues) {
			st = NVME_SC_CONNECT_INVALID_PARAM;
			ipo = IPO_SQE(qid);
		} else if (c->io[cmd->qid]) {
			st = NVME_SC_CONNECT_INVALID_PARAM;
			ipo = IPO_SQE(qid);
		} else {
			c->io[cmd->qid] = conn;
			atomic_fetch_add(&c->refs, 1);
		}
		pthread_mutex_unlock(&c->lock);
	}
	pthread_mutex_unlock(&s->lock);
	if (st)
		return connect_reject(req, st, ipo);
	conn->ctrlr = c;
	conn->qid = cmd->qid;
	if (!conn->reqs && nvmf_conn_alloc_reqs(conn, (uint32_t)cmd->sqsize + 1)) {
		nvmf_ctrlr_io_gone(c, conn);
		conn->ctrlr = NULL;
		return NVME_SC_INTERNAL;
	}
	conn->lim.max_icd = tgt->opts.in_capsule_data_size;
	req->dw0 = c->cntlid;
	return NVME_SC_SUCCESS;
}

static uint16_t fabrics_connect(struct nvmf_req *req)
{
	const struct nvmf_connect_cmd *cmd = (const void *)&req->cmd;
	struct nvmf_conn *conn = req->conn;
	struct nvmf_connect_data *d;
	struct nvmf_subsys *s;
	uint16_t st;

	NVMF_DBG(conn->tgt, "conn %s: Connect qid %u sqsize %u cattr %02xh kato %u ms", conn->peer,
		 cmd->qid, cmd->sqsize, cmd->cattr, cmd->kato);
	if (conn->connected)
		return NVME_SC_CMD_SEQ_ERROR;
	if (req->len < sizeof(*d) || !req->buf)
		return NVME_SC_SGL_LENGTH_INVALID;
	d = (struct nvmf_connect_data *)req->buf;
	if (cmd->recfmt != 0)
		return connect_reject(req, NVME_SC_CONNECT_FORMAT, IPO_SQE(recfmt));
	if (!memchr(d->subnqn, 0, sizeof(d->subnqn)) || !d->subnqn[0])
		return connect_reject(req, NVME_SC_CONNECT_INVALID_PARAM, IPO_DATA(subnqn));
	if (!memchr(d->hostnqn, 0, sizeof(d->hostnqn)) || strlen(d->hostnqn) > NVMF_NQN_MAX ||
	    !d->hostnqn[0])
		return connect_reject(req, NVME_SC_CONNECT_INVALID_PARAM, IPO_DATA(hostnqn));
	if (cmd->sqsize == 0 || (conn->reqs && conn->nreqs != (uint32_t)cmd->sqsize + 1u))
		return connect_reject(req, NVME_SC_CONNECT_INVALID_PARAM, IPO_SQE(sqsize));
	s = nvmf_subsys_find(conn->tgt, d->subnqn);
	if (!s || !nvmf_subsys_listening(s, conn->traddr, conn->port)) {
		NVMF_INFO(conn->tgt, "conn %s: Connect to unknown/unreachable subsystem %s",
			  conn->peer, d->subnqn);
		if (s)
			nvmf_subsys_put(s);
		return connect_reject(req, NVME_SC_CONNECT_INVALID_PARAM, IPO_DATA(subnqn));
	}
	if (!nvmf_subsys_host_allowed(s, d->hostnqn)) {
		NVMF_WARN(conn->tgt, "conn %s: host %s not allowed on %s", conn->peer, d->hostnqn,
			  d->subnqn);
		nvmf_subsys_put(s);
		return connect_reject(req, NVME_SC_CONNECT_INVALID_HOST, IPO_DATA(hostnqn));
	}
	st = cmd->qid == 0 ? connect_admin(req, s, cmd, d) : connect_io(req, s, cmd, d);
	if (st) {
		nvmf_subsys_put(s);
		return st;
	}
	conn->subsys = s; /* the reference from find */
	conn->qid = cmd->qid;
	conn->sqsize = (uint16_t)(cmd->sqsize + 1);
	conn->sqhd = 1 % conn->sqsize;
	conn->sqflow_off = cmd->cattr & NVMF_CONNECT_DISABLE_SQFLOW;
	conn->connected = true;
	return NVME_SC_SUCCESS;
}

/* ---- properties ---- */

static uint64_t prop_cap(const struct nvmf_tgt *tgt)
{
	uint64_t mqes = (uint64_t)tgt->opts.max_queue_depth - 1;

	/* CQR, TO = 1 (500 ms), CSS = NVM, MPSMIN = MPSMAX = 4 KiB */
	return mqes | (1ull << 16) | (1ull << 24) | (1ull << 37);
}

static void set_csts(struct nvmf_ctrlr *c, uint32_t v)
{
	__atomic_store_n(&c->csts, v, __ATOMIC_RELEASE);
}

/* Reset/shutdown: outstanding AERs end like SPDK/nvmet end them. */
static void abort_aers(struct nvmf_ctrlr *c)
{
	while (c->n_aer) {
		struct nvmf_req *req = c->aer[--c->n_aer];

		req->status = NVME_SC_SQ_DELETION;
		nvmf_req_complete(req);
	}
}

static uint16_t prop_set_cc(struct nvmf_ctrlr *c, uint32_t v)
{
	uint32_t old = c->cc;

	if (!(old & NVME_CC_EN) && (v & NVME_CC_EN) && !c->discovery) {
		if (((v >> NVME_CC_IOSQES_SHIFT) & 0xf) != 6 ||
		    ((v >> NVME_CC_IOCQES_SHIFT) & 0xf) != 4) {
			NVMF_WARN(c->tgt, "ctrlr %u: CC enable with IOSQES/IOCQES not 6/4", c->cntlid);
			return NVME_SC_INVALID_FIELD;
		}
	}
	c->cc = v;
	if ((v & NVME_CC_EN) && !(old & NVME_CC_EN))
		set_csts(c, c->csts | NVME_CSTS_RDY);
	if (!(v & NVME_CC_EN) && (old & NVME_CC_EN)) {
		/* controller reset: I/O queues go, the admin queue stays */
		nvmf_ctrlr_disconnect_io(c);
		abort_aers(c);
		set_csts(c, c->csts & ~(NVME_CSTS_RDY | NVME_CSTS_SHST_MASK));
	}
	if ((v & NVME_CC_SHN_MASK) && !(old & NVME_CC_SHN_MASK)) {
		nvmf_ctrlr_disconnect_io(c);
		abort_aers(c);
		set_csts(c, (c->csts & ~NVME_CSTS_SHST_MASK) | NVME_CSTS_SHST_CMPLT);
	} else if (!(v & NVME_CC_SHN_MASK) && (old & NVME_CC_SHN_MASK)) {
		set_csts(c, c->csts & ~NVME_CSTS_SHST_MASK);
	}
	return NVME_SC_SUCCESS;
}

static uint16_t fabrics_prop(struct nvmf_req *req, bool set)
{
	const struct nvmf_prop_cmd *p = (const void *)&req->cmd;
	struct nvmf_ctrlr *c = req->conn->ctrlr;
	bool size8 = (p->attrib & 7) == 1;
	uint64_t v;

	NVMF_DBG(req->conn->tgt, "ctrlr %u Property %s ofst %02xh%s%llx", c->cntlid,
		 set ? "Set" : "Get", p->ofst, set ? " value " : " size ",
		 set ? (unsigned long long)p->value : (p->attrib & 7) == 1 ? 8ull : 4ull);
	if ((p->attrib & 7) > 1)
		return NVME_SC_INVALID_FIELD;
	if (set) {
		if (p->ofst != NVME_REG_CC || size8)
			return NVME_SC_INVALID_FIELD;
		return prop_set_cc(c, (uint32_t)p->value);
	}
	switch (p->ofst) {
	case NVME_REG_CAP:
		if (!size8)
			return NVME_SC_INVALID_FIELD;
		v = prop_cap(c->tgt);
		break;
	case NVME_REG_VS:
		v = NVME_VS(1, 3, 0);
		break;
	case NVME_REG_CC:
		v = c->cc;
		break;
	case NVME_REG_CSTS:
		v = c->csts;
		break;
	default:
		return NVME_SC_INVALID_FIELD;
	}
	if (size8 && p->ofst != NVME_REG_CAP)
		return NVME_SC_INVALID_FIELD;
	req->dw0 = (uint32_t)v;
	req->dw1 = (uint32_t)(v >> 32);
	return NVME_SC_SUCCESS;
}

uint16_t nvmf_fabrics_exec(struct nvmf_req *req)
{
	uint8_t fctype = ((const uint8_t *)&req->cmd)[4];

	if (fctype == NVMF_FCTYPE_CONNECT)
		return fabrics_connect(req);
	if (req->conn->qid != 0)
		return NVME_SC_INVALID_OPCODE; /* admin-queue only */
	switch (fctype) {
	case NVMF_FCTYPE_PROP_GET:
		return fabrics_prop(req, false);
	case NVMF_FCTYPE_PROP_SET:
		return fabrics_prop(req, true);
	case NVMF_FCTYPE_DISCONNECT:
		return NVME_SC_INVALID_FIELD; /* not for the admin queue */
	default:
		return NVME_SC_INVALID_OPCODE;
	}
}
