/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Admin commands: Identify, Get Log Page, Get/Set Features, Asynchronous
 * Event Request, Keep Alive, Abort. Runs on the admin queue's reactor.
 */
#include <stdio.h>
#include <string.h>

#include "nvmf_internal.h"

#define FW_REV "0.1.0"

static void pad_copy(char *dst, const char *src, size_t n)
{
	size_t l = strnlen(src, n);

	memset(dst, ' ', n);
	memcpy(dst, src, l);
}

/* Give the request a C2H buffer of @len bytes, zeroed. */
static uint16_t c2h_buf(struct nvmf_req *req, uint32_t len)
{
	if (req->len < len)
		len = req->len;
	if (!len)
		return NVME_SC_SGL_LENGTH_INVALID;
	if (nvmf_req_get_buf(req, len < 4096 ? 4096 : len))
		return NVME_SC_INTERNAL;
	memset(req->buf, 0, len < 4096 ? 4096 : len);
	req->data = req->buf;
	req->len = len;
	return NVME_SC_SUCCESS;
}

static void id_ctrlr(struct nvmf_ctrlr *c, struct nvme_id_ctrlr *id)
{
	const struct nvmf_tgt_opts *o = &c->tgt->opts;
	struct nvmf_subsys *s = c->subsys;

	id->vid = 0;
	id->ssvid = 0;
	pad_copy(id->sn, s->p.serial, sizeof(id->sn));
	pad_copy(id->mn, s->discovery ? "opendpu discovery" : s->p.model, sizeof(id->mn));
	pad_copy(id->fr, FW_REV, sizeof(id->fr));
	id->rab = 6;
	id->cmic = 1 << 1; /* several controllers may share the subsystem */
	id->mdts = (uint8_t)(__builtin_ctz(o->max_io_size) - 12);
	id->cntlid = c->cntlid;
	id->ver = NVME_VS(1, 3, 0);
	id->cntrltype = s->discovery ? NVME_CTRLR_TYPE_DISCOVERY : NVME_CTRLR_TYPE_IO;
	id->oaes = s->discovery ? NVME_OAES_DISC_LOG_CHANGE : NVME_OAES_NS_ATTR;
	id->acl = 3;
	id->aerl = NVMF_AER_MAX - 1;
	id->frmw = 1 << 1 | 1; /* one slot, read-only */
	id->lpa = NVME_LPA_EXT_DATA;
	id->elpe = NVMF_ERR_LOG_ENTRIES - 1;
	id->kas = 10; /* 100 ms units: keep-alive checked every 100 ms */
	id->maxcmd = o->max_queue_depth;
	id->sgls = (1u << 0) | (1u << 20); /* SGLs; offsets address in-capsule data */
	memcpy(id->subnqn, s->p.nqn, strnlen(s->p.nqn, NVMF_NQN_LEN));
	id->ioccsz = (64 + o->in_capsule_data_size) / 16;
	id->iorcsz = 1;
	id->icdoff = 0;
	id->msdbd = 1;
	if (s->discovery)
		return;
	id->sqes = 6 << 4 | 6;
	id->cqes = 4 << 4 | 4;
	id->nn = s->max_ns;
	id->mnan = s->max_ns;
	id->oncs = NVME_ONCS_DSM | NVME_ONCS_WRITE_ZEROES;
	id->vwc = 1 | (2 << 1); /* present; broadcast NSID flush not supported */
	id->awun = 0;
	id->awupf = 0;
	id->oacs = 0;
}

static void id_ns(struct nvmf_ns *ns, struct nvme_id_ns *id)
{
	const struct nvmf_bdev *b = &ns->bdev;

	id->nsze = b->num_blocks;
	id->ncap = b->num_blocks;
	id->nuse = b->num_blocks;
	id->nsfeat = b->type == NVMF_BDEV_NULL ? 0 : (1u << 0); /* thin provisioning */
	id->nlbaf = 0;
	id->flbas = 0;
	id->dlfeat = 1; /* deallocated blocks read as zeroes */
	id->nmic = 1;   /* may be shared by several controllers */
	id->lbaf[0].lbads = b->block_shift;
	memcpy(id->nguid, ns->p.nguid, 16);
	id->anagrpid = 0;
	id->npwg = id->npwa = (uint16_t)((4096 >> b->block_shift) - 1);
}

static uint16_t admin_identify(struct nvmf_req *req)
{
	struct nvmf_ctrlr *c = req->conn->ctrlr;
	struct nvmf_subsys *s = c->subsys;
	uint8_t cns = req->cmd.cdw10 & 0xff;
	uint32_t nsid = req->cmd.nsid;
	struct nvmf_ns *ns;
	uint16_t st;

	if (c->discovery && cns != NVME_ID_CNS_CTRLR)
		return NVME_SC_INVALID_FIELD;
	switch (cns) {
	case NVME_ID_CNS_CTRLR:
		if ((st = c2h_buf(req, 4096)))
			return st;
		id_ctrlr(c, (void *)req->buf);
		return NVME_SC_SUCCESS;
	case NVME_ID_CNS_NS:
		if (nsid == 0 || (nsid > s->max_ns && nsid != 0xffffffffu))
			return NVME_SC_INVALID_NS;
		if ((st = c2h_buf(req, 4096)))
			return st;
		ns = nvmf_subsys_ns(s, nsid);
		if (ns)
			id_ns(ns, (void *)req->buf);
		/* inactive NSID (and FFFFFFFFh): zero-filled */
		return NVME_SC_SUCCESS;
	case NVME_ID_CNS_NS_ACTIVE_LIST: {
		uint32_t *list, n = 0;

		if (nsid >= 0xfffffffeu)
			return NVME_SC_INVALID_NS;
		if ((st = c2h_buf(req, 4096)))
			return st;
		list = (uint32_t *)req->buf;
		for (uint32_t i = nsid + 1; i <= s->max_ns && n < 1024; i++)
			if (nvmf_subsys_ns(s, i))
				list[n++] = i;
		return NVME_SC_SUCCESS;
	}
	case NVME_ID_CNS_NS_DESC_LIST: {
		uint8_t *p;

		ns = nvmf_subsys_ns(s, nsid);
		if (!ns)
			return NVME_SC_INVALID_NS;
		if ((st = c2h_buf(req, 4096)))
			return st;
		p = req->buf;
		p[0] = NVME_NIDT_NGUID;
		p[1] = 16;
		memcpy(p + 4, ns->p.nguid, 16);
		p += 20;
		p[0] = NVME_NIDT_UUID;
		p[1] = 16;
		memcpy(p + 4, ns->p.uuid, 16);
		p += 20;
		p[0] = NVME_NIDT_CSI;
		p[1] = 1;
		p[4] = 0; /* NVM command set */
		return NVME_SC_SUCCESS;
	}
	default:
		return NVME_SC_INVALID_FIELD;
	}
}

/* ---- log pages ---- */

static void log_smart(struct nvmf_ctrlr *c, struct nvme_smart_log *l)
{
	uint64_t rd, wr, hr, hw;

	pthread_mutex_lock(&c->lock);
	rd = c->units_read;
	wr = c->units_written;
	hr = c->host_reads;
	hw = c->host_writes;
	for (uint32_t q = 1; q <= c->tgt->opts.max_io_queues; q++) {
		struct nvmf_conn *io = c->io[q];

		if (!io)
			continue;
		rd += __atomic_load_n(&io->units_read, __ATOMIC_RELAXED);
		wr += __atomic_load_n(&io->units_written, __ATOMIC_RELAXED);
		hr += __atomic_load_n(&io->host_reads, __ATOMIC_RELAXED);
		hw += __atomic_load_n(&io->host_writes, __ATOMIC_RELAXED);
	}
	l->num_err_log_entries[0] = c->err_count;
	pthread_mutex_unlock(&c->lock);
	l->temperature = 300; /* Kelvin */
	l->avail_spare = 100;
	l->avail_spare_thresh = 10;
	/* data units: thousands of 512-byte units, rounded up */
	l->data_units_read[0] = (rd / 512 + 999) / 1000;
	l->data_units_written[0] = (wr / 512 + 999) / 1000;
	l->host_reads[0] = hr;
	l->host_writes[0] = hw;
	l->power_cycles[0] = 1;
}

static uint16_t admin_get_log(struct nvmf_req *req)
{
	struct nvmf_ctrlr *c = req->conn->ctrlr;
	const struct nvme_sqe *cmd = &req->cmd;
	uint8_t lid = cmd->cdw10 & 0xff;
	bool rae = cmd->cdw10 & (1u << 15);
	uint64_t numd = ((uint64_t)(cmd->cdw11 & 0xffff) << 16 | (cmd->cdw10 >> 16)) + 1;
	uint64_t off = (uint64_t)cmd->cdw12 | ((uint64_t)cmd->cdw13 << 32);
	uint64_t len = numd * 4;
	static _Thread_local uint8_t tmp[4096];
	uint32_t log_len;
	uint16_t st;

	if (off & 3)
		return NVME_SC_INVALID_FIELD;
	if (len > req->len)
		return NVME_SC_SGL_LENGTH_INVALID;
	if (c->discovery) {
		if (lid != NVME_LOG_DISCOVERY)
			return NVME_SC_INVALID_LOG_PAGE;
		if ((st = c2h_buf(req, (uint32_t)len)))
			return st;
		nvmf_disc_log_fill(c, req->buf, off, req->len);
		if (!rae) {
			pthread_mutex_lock(&c->lock);
			c->masked_aen &= ~NVMF_AEN_DISC;
			pthread_mutex_unlock(&c->lock);
			nvmf_admin_deliver_aen(c);
		}
		return NVME_SC_SUCCESS;
	}
	memset(tmp, 0, sizeof(tmp));
	switch (lid) {
	case NVME_LOG_ERROR: {
		struct nvme_error_log *e = (void *)tmp;
		uint32_t n = 0;

		pthread_mutex_lock(&c->lock);
		/* newest first */
		for (uint64_t k = c->err_count; k > 0 && n < NVMF_ERR_LOG_ENTRIES; k--, n++)
			e[n] = c->errlog[(k - 1) % NVMF_ERR_LOG_ENTRIES];
		pthread_mutex_unlock(&c->lock);
		log_len = NVMF_ERR_LOG_ENTRIES * sizeof(*e);
		break;
	}
	case NVME_LOG_SMART:
		if (cmd->nsid != 0 && cmd->nsid != 0xffffffffu)
			return NVME_SC_INVALID_FIELD; /* no per-namespace SMART (lpa bit 0 clear) */
		log_smart(c, (void *)tmp);
		log_len = sizeof(struct nvme_smart_log);
		break;
	case NVME_LOG_FW_SLOT:
		tmp[0] = 1; /* active slot 1 */
		memcpy(tmp + 8, FW_REV "   ", 8);
		log_len = 512;
		break;
	case NVME_LOG_CHANGED_NS: {
		uint32_t *l = (uint32_t *)tmp;

		pthread_mutex_lock(&c->lock);
		if (c->chg_overflow)
			l[0] = NVME_CHANGED_NS_OVERFLOW;
		else
			memcpy(l, c->chg_ns, c->n_chg_ns * sizeof(*l));
		if (!rae) {
			c->n_chg_ns = 0;
			c->chg_overflow = false;
			c->masked_aen &= ~NVMF_AEN_NS;
		}
		pthread_mutex_unlock(&c->lock);
		if (!rae)
			nvmf_admin_deliver_aen(c);
		log_len = NVME_CHANGED_NS_MAX * 4;
		break;
	}
	default:
		return NVME_SC_INVALID_LOG_PAGE;
	}
	if (off >= log_len)
		return NVME_SC_INVALID_FIELD;
	if ((st = c2h_buf(req, (uint32_t)len)))
		return st;
	memcpy(req->buf, tmp + off, log_len - off < len ? log_len - off : len);
	return NVME_SC_SUCCESS;
}

/* ---- features ---- */

static uint16_t admin_get_features(struct nvmf_req *req)
{
	struct nvmf_ctrlr *c = req->conn->ctrlr;
	uint8_t fid = req->cmd.cdw10 & 0xff;
	uint8_t sel = (req->cmd.cdw10 >> 8) & 7;
	uint32_t n;

	if (sel > 3)
		return NVME_SC_INVALID_FIELD;
	if (sel == 3) {
		req->dw0 = 1u << 2; /* changeable, not saveable */
		return NVME_SC_SUCCESS;
	}
	req->xfer = NVMF_XFER_NONE; /* none of ours return data */
	switch (fid) {
	case NVME_FEAT_NUM_QUEUES:
		if (c->discovery)
			return NVME_SC_INVALID_FIELD;
		n = (sel == 1 ? c->tgt->opts.max_io_queues : c->nr_io_queues) - 1u;
		req->dw0 = n | n << 16;
		break;
	case NVME_FEAT_KATO:
		req->dw0 = sel == 1 ? 0 : c->kato_ms;
		break;
	case NVME_FEAT_ASYNC_EVENT:
		req->dw0 = sel == 1 ? 0 : c->aec;
		break;
	case NVME_FEAT_VOLATILE_WC:
		if (c->discovery)
			return NVME_SC_INVALID_FIELD;
		req->dw0 = 1;
		break;
	case NVME_FEAT_ARBITRATION:
	case NVME_FEAT_POWER_MGMT:
	case NVME_FEAT_ERR_RECOVERY:
	case NVME_FEAT_IRQ_COALESCE:
	case NVME_FEAT_WRITE_ATOMIC:
		if (c->discovery)
			return NVME_SC_INVALID_FIELD;
		req->dw0 = 0;
		break;
	case NVME_FEAT_TEMP_THRESH:
		if (c->discovery)
			return NVME_SC_INVALID_FIELD;
		req->dw0 = 0x157; /* 343 K */
		break;
	default:
		return NVME_SC_INVALID_FIELD;
	}
	return NVME_SC_SUCCESS;
}

static uint16_t admin_set_features(struct nvmf_req *req)
{
	struct nvmf_ctrlr *c = req->conn->ctrlr;
	uint8_t fid = req->cmd.cdw10 & 0xff;
	uint32_t v = req->cmd.cdw11;

	if (req->cmd.cdw10 & (1u << 31))
		return NVME_SC_FEATURE_NOT_SAVEABLE;
	switch (fid) {
	case NVME_FEAT_NUM_QUEUES: {
		uint32_t nsq = (v & 0xffff) + 1, ncq = (v >> 16) + 1, n;
		bool have_io = false;

		if (c->discovery)
			return NVME_SC_INVALID_FIELD;
		if ((v & 0xffff) == 0xffff || (v >> 16) == 0xffff)
			return NVME_SC_INVALID_FIELD;
		pthread_mutex_lock(&c->lock);
		for (uint32_t q = 1; q <= c->tgt->opts.max_io_queues; q++)
			have_io |= c->io[q] != NULL;
		if (!have_io) {
			n = nsq < ncq ? nsq : ncq;
			if (n > c->tgt->opts.max_io_queues)
				n = c->tgt->opts.max_io_queues;
			c->nr_io_queues = (uint16_t)n;
		}
		pthread_mutex_unlock(&c->lock);
		if (have_io)
			return NVME_SC_CMD_SEQ_ERROR;
		req->dw0 = (c->nr_io_queues - 1u) | (c->nr_io_queues - 1u) << 16;
		return NVME_SC_SUCCESS;
	}
	case NVME_FEAT_KATO:
		c->kato_ms = v;
		c->ka_deadline_ns = nvmf_now_ns() + (uint64_t)v * 1000000ull;
		return NVME_SC_SUCCESS;
	case NVME_FEAT_ASYNC_EVENT: {
		uint32_t ok = c->discovery ? NVME_AEN_CFG_DISC_CHANGE : NVME_AEN_CFG_NS_ATTR | 0xff;

		if (v & ~ok)
			return NVME_SC_INVALID_FIELD;
		pthread_mutex_lock(&c->lock);
		c->aec = v;
		pthread_mutex_unlock(&c->lock);
		return NVME_SC_SUCCESS;
	}
	case NVME_FEAT_VOLATILE_WC:
		if (c->discovery)
			return NVME_SC_INVALID_FIELD;
		return (v & 1) ? NVME_SC_SUCCESS : NVME_SC_FEATURE_NOT_CHANGEABLE;
	case NVME_FEAT_ARBITRATION:
	case NVME_FEAT_POWER_MGMT:
	case NVME_FEAT_TEMP_THRESH:
	case NVME_FEAT_ERR_RECOVERY:
	case NVME_FEAT_IRQ_COALESCE:
	case NVME_FEAT_WRITE_ATOMIC:
		return c->discovery ? NVME_SC_INVALID_FIELD : NVME_SC_FEATURE_NOT_CHANGEABLE;
	default:
		return NVME_SC_INVALID_FIELD;
	}
}

/* ---- async events ---- */

void nvmf_admin_deliver_aen(struct nvmf_ctrlr *c)
{
	for (;;) {
		struct nvmf_req *req;
		uint32_t ready, bit;

		if (!c->admin || !c->n_aer)
			return;
		pthread_mutex_lock(&c->lock);
		ready = c->pending_aen & ~c->masked_aen;
		bit = ready & NVMF_AEN_NS ? NVMF_AEN_NS : ready & NVMF_AEN_DISC ? NVMF_AEN_DISC : 0;
		if (bit) {
			c->pending_aen &= ~bit;
			c->masked_aen |= bit;
		}
		pthread_mutex_unlock(&c->lock);
		if (!bit)
			return;
		req = c->aer[--c->n_aer];
		req->dw0 = bit == NVMF_AEN_NS ?
			nvme_aer_dw0(NVME_AER_TYPE_NOTICE, NVME_AER_NOTICE_NS_CHANGED,
				     NVME_LOG_CHANGED_NS) :
			nvme_aer_dw0(NVME_AER_TYPE_NOTICE, NVME_AER_NOTICE_DISC_CHANGED,
				     NVME_LOG_DISCOVERY);
		req->status = NVME_SC_SUCCESS;
		nvmf_req_complete(req);
	}
}

static uint16_t admin_aer(struct nvmf_req *req)
{
	struct nvmf_ctrlr *c = req->conn->ctrlr;

	if (c->n_aer >= NVMF_AER_MAX)
		return NVME_SC_AER_LIMIT;
	c->aer[c->n_aer++] = req;
	nvmf_admin_deliver_aen(c);
	return NVMF_ASYNC;
}

static uint16_t admin_dispatch(struct nvmf_req *req)
{
	struct nvmf_ctrlr *c = req->conn->ctrlr;

	switch (req->cmd.opc) {
	case NVME_ADM_IDENTIFY:
		return admin_identify(req);
	case NVME_ADM_GET_LOG_PAGE:
		return admin_get_log(req);
	case NVME_ADM_GET_FEATURES:
		return admin_get_features(req);
	case NVME_ADM_SET_FEATURES:
		return admin_set_features(req);
	case NVME_ADM_ASYNC_EVENT:
		return admin_aer(req);
	case NVME_ADM_KEEP_ALIVE:
		return NVME_SC_SUCCESS;
	case NVME_ADM_ABORT:
		if (c->discovery)
			return NVME_SC_INVALID_OPCODE;
		req->dw0 = 1; /* command not aborted */
		return NVME_SC_SUCCESS;
	default:
		return NVME_SC_INVALID_OPCODE;
	}
}

uint16_t nvmf_admin_exec(struct nvmf_req *req)
{
	struct nvmf_ctrlr *c = req->conn->ctrlr;
	uint16_t st;

	/* any admin command proves the host alive (traffic-based keep-alive) */
	if (c->kato_ms)
		c->ka_deadline_ns = nvmf_now_ns() + (uint64_t)c->kato_ms * 1000000ull;
	st = admin_dispatch(req);
	/* what a host sends, for interop work (log_level debug) */
	NVMF_DBG(c->tgt, "ctrlr %u admin opc %02xh nsid %u cdw10 %08x cdw11 %08x: %s%03xh",
		 c->cntlid, req->cmd.opc, req->cmd.nsid, req->cmd.cdw10, req->cmd.cdw11,
		 st == NVMF_ASYNC ? "pending " : "status ", st == NVMF_ASYNC ? 0 : st);
	return st;
}
