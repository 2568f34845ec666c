/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The RDMA provider when opendpu is built without rdma-core (libibverbs and
 * librdmacm not found by pkg-config): "rdma:" addresses still parse, but
 * listening and connecting answer -EPROTONOSUPPORT.
 */
#include <errno.h>

#include "transport_internal.h"

int dpu_abi_rdma_test_lie_conn;

int dpu_abi_rdma_listen(struct dpu_abi_listener *l, const char *addr)
{
	(void)l;
	return dpu_abi_fail(EPROTONOSUPPORT,
			    "listen %s: built without rdma-core (libibverbs, librdmacm)",
			    addr);
}

int dpu_abi_rdma_accept(struct dpu_abi_listener *l, int timeout_ms,
			struct dpu_abi_transport **out)
{
	(void)l;
	(void)timeout_ms;
	*out = NULL;
	return dpu_abi_fail(EPROTONOSUPPORT, "accept: built without rdma-core");
}

int dpu_abi_rdma_connect(const struct dpu_abi_addr *a, const char *addr,
			 int timeout_ms, struct dpu_abi_transport **out)
{
	(void)a;
	(void)timeout_ms;
	*out = NULL;
	return dpu_abi_fail(EPROTONOSUPPORT,
			    "connect %s: built without rdma-core (libibverbs, librdmacm)",
			    addr);
}

void dpu_abi_rdma_listener_close(struct dpu_abi_listener *l, int disown)
{
	(void)l;
	(void)disown;
}

int dpu_abi_rdma_send_raw(struct dpu_abi_transport *t, const void *buf,
			  uint32_t len)
{
	(void)t;
	(void)buf;
	(void)len;
	return -EPROTONOSUPPORT;
}
