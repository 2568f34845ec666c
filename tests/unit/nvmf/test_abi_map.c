/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The config API promises a 1:1 mapping onto the ABI's struct
 * dpu_abi_nvmf_*: same field names, sizes and enum values. Break it and
 * this fails to compile; the runtime part round-trips one of each.
 */
#include <string.h>

#include "dpu_abi_services.h"
#include "nvmf_tgt.h"
#include "test_util.h"

#define SAME_FIELD(a, b, f) \
	static_assert(sizeof(((struct a *)0)->f) == sizeof(((struct b *)0)->f), #a "." #f)

SAME_FIELD(nvmf_subsys_params, dpu_abi_nvmf_subsys, nqn);
SAME_FIELD(nvmf_subsys_params, dpu_abi_nvmf_subsys, serial);
SAME_FIELD(nvmf_subsys_params, dpu_abi_nvmf_subsys, model);
SAME_FIELD(nvmf_subsys_params, dpu_abi_nvmf_subsys, flags);
SAME_FIELD(nvmf_subsys_params, dpu_abi_nvmf_subsys, max_namespaces);
SAME_FIELD(nvmf_subsys_params, dpu_abi_nvmf_subsys, n_namespaces);
SAME_FIELD(nvmf_subsys_params, dpu_abi_nvmf_subsys, n_hosts);
SAME_FIELD(nvmf_subsys_params, dpu_abi_nvmf_subsys, n_listeners);
SAME_FIELD(nvmf_ns_params, dpu_abi_nvmf_ns, nqn);
SAME_FIELD(nvmf_ns_params, dpu_abi_nvmf_ns, nsid);
SAME_FIELD(nvmf_ns_params, dpu_abi_nvmf_ns, backend);
SAME_FIELD(nvmf_ns_params, dpu_abi_nvmf_ns, block_shift);
SAME_FIELD(nvmf_ns_params, dpu_abi_nvmf_ns, size_bytes);
SAME_FIELD(nvmf_ns_params, dpu_abi_nvmf_ns, uuid);
SAME_FIELD(nvmf_ns_params, dpu_abi_nvmf_ns, nguid);
SAME_FIELD(nvmf_ns_params, dpu_abi_nvmf_ns, path);
SAME_FIELD(nvmf_host_params, dpu_abi_nvmf_host, nqn);
SAME_FIELD(nvmf_host_params, dpu_abi_nvmf_host, host_nqn);
SAME_FIELD(nvmf_listener_params, dpu_abi_nvmf_listener, nqn);
SAME_FIELD(nvmf_listener_params, dpu_abi_nvmf_listener, adrfam);
SAME_FIELD(nvmf_listener_params, dpu_abi_nvmf_listener, port);
SAME_FIELD(nvmf_listener_params, dpu_abi_nvmf_listener, traddr);
static_assert((int)NVMF_SUBSYS_ALLOW_ANY_HOST == (int)DPU_ABI_NVMF_ALLOW_ANY_HOST, "flags");
static_assert((int)NVMF_BDEV_RAM == (int)DPU_ABI_NVMF_BDEV_RAM, "backend");
static_assert((int)NVMF_BDEV_NULL == (int)DPU_ABI_NVMF_BDEV_NULL, "backend");
static_assert((int)NVMF_BDEV_FILE == (int)DPU_ABI_NVMF_BDEV_FILE, "backend");
static_assert((int)NVMF_BDEV_MAX == (int)DPU_ABI_NVMF_BDEV_MAX, "backend");
static_assert((int)NVMF_ADRFAM_IPV4 == (int)DPU_ABI_NVMF_ADRFAM_IPV4, "adrfam");
static_assert((int)NVMF_ADRFAM_IPV6 == (int)DPU_ABI_NVMF_ADRFAM_IPV6, "adrfam");
static_assert((int)NVMF_NQN_LEN == (int)DPU_ABI_NQN_LEN, "nqn length");

/* What the ABI server does for NS_ADD: copy field by field. */
static void ns_from_abi(struct nvmf_ns_params *p, const struct dpu_abi_nvmf_ns *a)
{
	memset(p, 0, sizeof(*p));
	memcpy(p->nqn, a->nqn, sizeof(p->nqn));
	p->nsid = a->nsid;
	p->backend = a->backend;
	p->block_shift = a->block_shift;
	p->size_bytes = a->size_bytes;
	memcpy(p->uuid, a->uuid, sizeof(p->uuid));
	memcpy(p->nguid, a->nguid, sizeof(p->nguid));
	memcpy(p->path, a->path, sizeof(p->path));
}

int main(void)
{
	struct nvmf_tgt_opts o;
	struct nvmf_tgt *tgt;
	struct dpu_abi_nvmf_subsys as = { 0 };
	struct dpu_abi_nvmf_ns an = { 0 };
	struct nvmf_subsys_params sp = { 0 }, out;
	struct nvmf_ns_params np, nl;
	uint32_t total;

	nvmf_tgt_opts_default(&o);
	o.n_reactors = 1;
	CHECK_EQ(nvmf_tgt_create(&o, &tgt), 0);
	snprintf(as.nqn, sizeof(as.nqn), "nqn.2026-01.io.opendpu:abi");
	memcpy(as.serial, "SN0123456789ABCDEFGH", 20); /* full width, no NUL */
	as.flags = DPU_ABI_NVMF_ALLOW_ANY_HOST;
	memcpy(sp.nqn, as.nqn, sizeof(sp.nqn));
	memcpy(sp.serial, as.serial, sizeof(sp.serial));
	memcpy(sp.model, as.model, sizeof(sp.model));
	sp.flags = as.flags;
	sp.max_namespaces = as.max_namespaces;
	CHECK_EQ(nvmf_subsystem_add(tgt, &sp), 0);
	CHECK_EQ(nvmf_subsystem_list(tgt, &out, 0, 1, &total), 1);
	CHECK(!memcmp(out.serial, as.serial, 20));

	memcpy(an.nqn, as.nqn, sizeof(an.nqn));
	an.nsid = 5;
	an.backend = DPU_ABI_NVMF_BDEV_NULL;
	an.block_shift = 9;
	an.size_bytes = 1 << 20;
	ns_from_abi(&np, &an);
	CHECK_EQ(nvmf_ns_add(tgt, &np), 0);
	CHECK_EQ(nvmf_ns_list(tgt, as.nqn, &nl, 0, 1, &total), 1);
	CHECK_EQ(nl.nsid, 5);
	CHECK_EQ(nl.size_bytes, 1 << 20);
	CHECK(nl.uuid[6] >> 4 == 4); /* generated v4 UUID */
	nvmf_tgt_destroy(tgt);
	return T_SUMMARY();
}
