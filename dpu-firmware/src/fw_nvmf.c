/* SPDX-License-Identifier: BSD-3-Clause */
#include "fw_nvmf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fw_flow_xlate.h"
#include "nvmf_tgt.h"

struct nvmf_tgt *fw_nvmf_start(void)
{
	struct nvmf_tgt_opts opts;
	struct nvmf_tgt *tgt;

	nvmf_tgt_opts_default(&opts);
	/* One reactor: the simulated card shares two cores with everything. */
	opts.n_reactors = 1;
	return nvmf_tgt_create(&opts, &tgt) < 0 ? NULL : tgt;
}

void fw_nvmf_stop(struct nvmf_tgt *tgt)
{
	if (tgt)
		nvmf_tgt_destroy(tgt);
}

static uint16_t status_of(int rc, const char *what, char *why, size_t why_len)
{
	if (rc >= 0)
		return DPU_ABI_OK;
	snprintf(why, why_len, "%s: %s", what, strerror(-rc));
	switch (-rc) {
	case EADDRINUSE:
		return DPU_ABI_E_BUSY;
	case EACCES:
	case EPERM:
		return DPU_ABI_E_PERM;
	default:
		return fw_hal_errno_to_status(rc);
	}
}

/* The ABI and the target's config API have the same fields (a test holds
 * them together), so each list entry is a field-by-field copy. */
#define COPY(dst, src, f) memcpy(&(dst)->f, &(src)->f, sizeof((dst)->f))

static uint16_t subsys_add(struct nvmf_tgt *tgt, const struct dpu_abi_nvmf_subsys *q,
			   char *why, size_t n)
{
	struct nvmf_subsys_params p = { 0 };

	COPY(&p, q, nqn), COPY(&p, q, serial), COPY(&p, q, model);
	p.flags = q->flags;
	p.max_namespaces = q->max_namespaces;
	return status_of(nvmf_subsystem_add(tgt, &p), "subsystem add", why, n);
}

/* List replies: list_resp then entries, as many as fit in room bytes. */
static uint16_t list_reply(struct dpu_abi_builder *b, const struct dpu_abi_list_req *lq,
			   uint32_t room, size_t entry_size, size_t param_size,
			   int (*fetch)(void *ctx, void *out, uint32_t start, uint32_t max,
					uint32_t *total),
			   void *ctx, void (*conv)(void *entry, const void *param),
			   char *why, size_t why_len)
{
	struct dpu_abi_list_resp *r = dpu_abi_build_put(b, sizeof(*r));
	uint32_t max = room / (uint32_t)entry_size, total = 0;
	void *params;
	int n;

	if (!r)
		return DPU_ABI_E_INTERNAL;
	if (lq->max && lq->max < max)
		max = lq->max;
	params = calloc(max ? max : 1, param_size);
	if (!params)
		return DPU_ABI_E_NO_SPACE;
	n = fetch(ctx, params, lq->start, max, &total);
	if (n < 0) {
		free(params);
		return status_of(n, "list", why, why_len);
	}
	r->count = (uint32_t)n;
	r->total = total;
	for (int i = 0; i < n; i++) {
		void *e = dpu_abi_build_put(b, entry_size);

		if (!e)
			break;
		conv(e, (const uint8_t *)params + (size_t)i * param_size);
	}
	free(params);
	return DPU_ABI_OK;
}

struct list_ctx {
	struct nvmf_tgt *tgt;
	const char *nqn;
};

static int fetch_subsys(void *c, void *out, uint32_t s, uint32_t m, uint32_t *t)
{
	return nvmf_subsystem_list(((struct list_ctx *)c)->tgt, out, s, m, t);
}
static int fetch_ns(void *c, void *out, uint32_t s, uint32_t m, uint32_t *t)
{
	struct list_ctx *l = c;
	return nvmf_ns_list(l->tgt, l->nqn, out, s, m, t);
}
static int fetch_host(void *c, void *out, uint32_t s, uint32_t m, uint32_t *t)
{
	struct list_ctx *l = c;
	return nvmf_host_list(l->tgt, l->nqn, out, s, m, t);
}
static int fetch_listener(void *c, void *out, uint32_t s, uint32_t m, uint32_t *t)
{
	struct list_ctx *l = c;
	return nvmf_listener_list(l->tgt, l->nqn, out, s, m, t);
}

/* The target's serial/model may fill their arrays; the ABI wants a NUL. */
static void conv_subsys(void *e, const void *p)
{
	struct dpu_abi_nvmf_subsys *d = e;
	const struct nvmf_subsys_params *s = p;

	COPY(d, s, nqn);
	snprintf(d->serial, sizeof(d->serial), "%.*s", (int)sizeof(d->serial) - 1, s->serial);
	snprintf(d->model, sizeof(d->model), "%.*s", (int)sizeof(d->model) - 1, s->model);
	d->flags = s->flags;
	d->max_namespaces = s->max_namespaces;
	d->n_namespaces = s->n_namespaces;
	d->n_hosts = s->n_hosts;
	d->n_listeners = s->n_listeners;
}
static void conv_ns(void *e, const void *p)
{
	struct dpu_abi_nvmf_ns *d = e;
	const struct nvmf_ns_params *s = p;

	COPY(d, s, nqn), COPY(d, s, uuid), COPY(d, s, nguid), COPY(d, s, path);
	d->nsid = s->nsid;
	d->backend = s->backend;
	d->block_shift = s->block_shift;
	d->size_bytes = s->size_bytes;
}
static void conv_host(void *e, const void *p)
{
	memcpy(e, p, sizeof(struct dpu_abi_nvmf_host));
}
static void conv_listener(void *e, const void *p)
{
	struct dpu_abi_nvmf_listener *d = e;
	const struct nvmf_listener_params *s = p;

	COPY(d, s, nqn), COPY(d, s, traddr);
	d->adrfam = s->adrfam;
	d->port = s->port;
}

uint16_t fw_nvmf_handle(struct nvmf_tgt *tgt, const struct dpu_abi_hdr *req,
			struct dpu_abi_builder *b, uint32_t room, char *why,
			size_t n)
{
	const void *body = dpu_abi_body(req);
	const struct dpu_abi_nvmf_subsys_ref *ref = body;
	struct list_ctx lc = { .tgt = tgt, .nqn = ref->nqn };

	if (!tgt) {
		snprintf(why, n, "this card runs no NVMe-oF target");
		return DPU_ABI_E_NOT_SUPPORTED;
	}
	switch (req->opcode) {
	case DPU_ABI_OP_NVMF_SUBSYS_ADD:
		return subsys_add(tgt, body, why, n);
	case DPU_ABI_OP_NVMF_SUBSYS_DEL:
		return status_of(nvmf_subsystem_del(tgt, ref->nqn), "subsystem del", why, n);
	case DPU_ABI_OP_NVMF_SUBSYS_LIST:
		return list_reply(b, body, room, sizeof(struct dpu_abi_nvmf_subsys),
				  sizeof(struct nvmf_subsys_params), fetch_subsys, &lc,
				  conv_subsys, why, n);
	case DPU_ABI_OP_NVMF_NS_ADD: {
		const struct dpu_abi_nvmf_ns *q = body;
		struct nvmf_ns_params p = { 0 };

		COPY(&p, q, nqn), COPY(&p, q, uuid), COPY(&p, q, nguid), COPY(&p, q, path);
		p.nsid = q->nsid;
		p.backend = q->backend;
		p.block_shift = q->block_shift;
		p.size_bytes = q->size_bytes;
		return status_of(nvmf_ns_add(tgt, &p), "namespace add", why, n);
	}
	case DPU_ABI_OP_NVMF_NS_DEL: {
		const struct dpu_abi_nvmf_ns_ref *q = body;

		return status_of(nvmf_ns_del(tgt, q->nqn, q->nsid), "namespace del", why, n);
	}
	case DPU_ABI_OP_NVMF_NS_LIST:
		return list_reply(b, &ref->list, room, sizeof(struct dpu_abi_nvmf_ns),
				  sizeof(struct nvmf_ns_params), fetch_ns, &lc, conv_ns, why, n);
	case DPU_ABI_OP_NVMF_HOST_ADD:
	case DPU_ABI_OP_NVMF_HOST_DEL: {
		struct nvmf_host_params p;

		memcpy(&p, body, sizeof(p));
		return status_of(req->opcode == DPU_ABI_OP_NVMF_HOST_ADD
					 ? nvmf_host_add(tgt, &p) : nvmf_host_del(tgt, &p),
				 "host", why, n);
	}
	case DPU_ABI_OP_NVMF_HOST_LIST:
		return list_reply(b, &ref->list, room, sizeof(struct dpu_abi_nvmf_host),
				  sizeof(struct nvmf_host_params), fetch_host, &lc, conv_host,
				  why, n);
	case DPU_ABI_OP_NVMF_LISTENER_ADD:
	case DPU_ABI_OP_NVMF_LISTENER_DEL: {
		const struct dpu_abi_nvmf_listener *q = body;
		struct nvmf_listener_params p = { 0 };

		COPY(&p, q, nqn), COPY(&p, q, traddr);
		p.adrfam = q->adrfam;
		p.port = q->port;
		return status_of(req->opcode == DPU_ABI_OP_NVMF_LISTENER_ADD
					 ? nvmf_listener_add(tgt, &p)
					 : nvmf_listener_del(tgt, &p),
				 "listener", why, n);
	}
	case DPU_ABI_OP_NVMF_LISTENER_LIST:
		return list_reply(b, &ref->list, room, sizeof(struct dpu_abi_nvmf_listener),
				  sizeof(struct nvmf_listener_params), fetch_listener, &lc,
				  conv_listener, why, n);
	default:
		return DPU_ABI_E_OPCODE;
	}
}
