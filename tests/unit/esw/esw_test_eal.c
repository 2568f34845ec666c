/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdio.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_mbuf.h>

#include "esw_test_eal.h"

struct rte_mempool *
esw_test_eal_init(const char *prog, unsigned int nb_mbufs, unsigned int mem_mb)
{
	return esw_test_eal_init_vdev(prog, nb_mbufs, mem_mb, NULL);
}

struct rte_mempool *
esw_test_eal_init_vdev(const char *prog, unsigned int nb_mbufs, unsigned int mem_mb,
		       const char *vdev)
{
	char prefix[64], mem[16];
	char *argv[16] = {
		(char *)prog, "--no-huge", "--no-pci", "--file-prefix", prefix,
		"-l", "0", "-m", mem, "--log-level", "lib.eal:error",
	};
	int argc = 11;
	struct rte_mempool *mp;

	if (vdev != NULL) {
		argv[argc++] = "--vdev";
		argv[argc++] = (char *)vdev;
	}
	argv[argc] = NULL;
	snprintf(prefix, sizeof(prefix), "esw_test_%d", (int)getpid());
	snprintf(mem, sizeof(mem), "%u", mem_mb);
	if (rte_eal_init(argc, argv) < 0) {
		fprintf(stderr, "rte_eal_init failed\n");
		return NULL;
	}
	mp = rte_pktmbuf_pool_create("esw_test_pool", nb_mbufs, 256, 0,
				     RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	if (mp == NULL)
		fprintf(stderr, "cannot create mbuf pool\n");
	return mp;
}

void
esw_test_eal_fini(struct rte_mempool *mp)
{
	rte_mempool_free(mp);
	rte_eal_cleanup();
}
