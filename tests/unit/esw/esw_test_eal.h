/* SPDX-License-Identifier: BSD-3-Clause */
/* One EAL setup for every esw test program. */
#ifndef ESW_TEST_EAL_H
#define ESW_TEST_EAL_H

#include <rte_mempool.h>

/**
 * rte_eal_init with --no-huge --no-pci, a per-process file prefix and one
 * lcore, plus a pktmbuf pool of `nb_mbufs`.  Returns the pool or NULL.
 */
struct rte_mempool *esw_test_eal_init(const char *prog, unsigned int nb_mbufs,
				      unsigned int mem_mb);
/** Same, with one --vdev (e.g. "net_null0"). */
struct rte_mempool *esw_test_eal_init_vdev(const char *prog, unsigned int nb_mbufs,
					   unsigned int mem_mb, const char *vdev);
void esw_test_eal_fini(struct rte_mempool *mp);

#endif
